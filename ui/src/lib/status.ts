import type { Track } from "../bindings";
import { t } from "../i18n";

/** What a fleet manager sees a device doing, derived from the provider's `datastatus`, speed and ACC. */
export type DeviceStatus = "moving" | "stopped" | "offline" | "expired" | "neverOnline" | "blocked";

/** Display order: what needs attention on the road first, administrative states last. */
export const STATUS_ORDER: readonly DeviceStatus[] = [
  "moving",
  "stopped",
  "offline",
  "expired",
  "neverOnline",
  "blocked",
];

/** A status in words, in the language in use. */
export function statusLabel(status: DeviceStatus): string {
  return t().fleet.status[status];
}

/** The statuses in words, read in the language in use each time (`STATUS_LABEL.moving`). */
export const STATUS_LABEL: Readonly<Record<DeviceStatus, string>> = Object.freeze({
  get moving() {
    return statusLabel("moving");
  },
  get stopped() {
    return statusLabel("stopped");
  },
  get offline() {
    return statusLabel("offline");
  },
  get expired() {
    return statusLabel("expired");
  },
  get neverOnline() {
    return statusLabel("neverOnline");
  },
  get blocked() {
    return statusLabel("blocked");
  },
});

/** The spec's `datastatus` values. */
export const DATASTATUS = {
  neverOnline: 1,
  ok: 2,
  expired: 3,
  offline: 4,
  blocked: 5,
} as const;

/**
 * Speed (km/h) from which an online device counts as moving. A parked tracker's GPS fix wanders
 * and reports a few km/h, which would make a parked fleet look like it is driving.
 */
export const MOVING_MIN_KMH = 3;

/**
 * With the ignition (ACC) off, drift is the likely explanation for higher speeds still; a vehicle
 * above this speed with ACC off is really moving (towed, or a faulty ACC wire) and is shown so.
 */
export const MOVING_MIN_KMH_ACC_OFF = 10;

/**
 * A fix older than this (by the provider's clock) cannot make a vehicle "moving": the speed it
 * reported is history. A tracker that lost power while driving keeps its last speed for ever.
 */
export const MOVING_FIX_MAX_AGE_SECS = 5 * 60;

/**
 * With neither a fix nor a heartbeat for this long, a device counts as offline whatever its
 * `datastatus` says (some providers keep "online" for trackers silent for years).
 */
export const SILENT_OFFLINE_SECS = 30 * 60;

type StatusInput = Pick<Track, "datastatus" | "speed" | "accstatus"> &
  Partial<Pick<Track, "gpstime" | "hearttime" | "systemtime" | "servertime">>;

/** When the device was last heard of (fix, heartbeat or upload), unix seconds; 0 when never. */
export function lastSeen(track: Partial<Pick<Track, "gpstime" | "hearttime" | "systemtime">>): number {
  return Math.max(track.gpstime ?? 0, track.hearttime ?? 0, track.systemtime ?? 0, 0);
}

/**
 * The status of a device; a device the provider has no track for has never been online. Ages are
 * measured on the provider's clock (`servertime`), else on `nowSecs` when given.
 */
export function deriveStatus(track: StatusInput | undefined | null, nowSecs?: number): DeviceStatus {
  if (!track) return "neverOnline";
  switch (track.datastatus) {
    case DATASTATUS.neverOnline:
      return "neverOnline";
    case DATASTATUS.expired:
      return "expired";
    case DATASTATUS.offline:
      return "offline";
    case DATASTATUS.blocked:
      return "blocked";
    case DATASTATUS.ok: {
      const clock = track.servertime && track.servertime > 0 ? track.servertime : nowSecs;
      if (clock !== undefined) {
        const seen = lastSeen(track);
        if (seen > 0 && clock - seen > SILENT_OFFLINE_SECS) return "offline";
        const fix = track.gpstime ?? 0;
        if (fix > 0 && clock - fix > MOVING_FIX_MAX_AGE_SECS) return "stopped";
      }
      const speed = track.speed;
      const threshold = track.accstatus === 0 ? MOVING_MIN_KMH_ACC_OFF : MOVING_MIN_KMH;
      return speed >= threshold ? "moving" : "stopped";
    }
    default:
      // An unlisted or missing datastatus: we cannot claim the device is live.
      return "offline";
  }
}

/** "Stopped" splits into idling (engine on) and parked for the details panel. */
export function statusDetail(track: (StatusInput & Partial<Pick<Track, "oilpowerstatus">>) | undefined | null): string {
  const status = deriveStatus(track);
  // After an engine stop the ignition may still be on, but with the fuel cut nothing idles.
  const m = t().fleet;
  if (status === "stopped" && track && track.oilpowerstatus === 0) return m.fuelCut;
  if (status === "stopped" && track && track.accstatus === 1) return m.idling;
  if (status === "stopped" && track && track.accstatus === 0) return m.parked;
  return statusLabel(status);
}

export type StatusCounts = Record<DeviceStatus, number> & { all: number };

export function emptyCounts(): StatusCounts {
  return { all: 0, moving: 0, stopped: 0, offline: 0, expired: 0, neverOnline: 0, blocked: 0 };
}
