import type { Track } from "../bindings";

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

export const STATUS_LABEL: Readonly<Record<DeviceStatus, string>> = {
  moving: "Moving",
  stopped: "Stopped",
  offline: "Offline",
  expired: "Expired",
  neverOnline: "Never online",
  blocked: "Blocked",
};

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

type StatusInput = Pick<Track, "datastatus" | "speed" | "accstatus">;

/** The status of a device; a device the provider has no track for has never been online. */
export function deriveStatus(track: StatusInput | undefined | null): DeviceStatus {
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
  if (status === "stopped" && track && track.oilpowerstatus === 0) return "Stopped, fuel supply cut off";
  if (status === "stopped" && track && track.accstatus === 1) return "Stopped, engine on (idling)";
  if (status === "stopped" && track && track.accstatus === 0) return "Parked, engine off";
  return STATUS_LABEL[status];
}

export type StatusCounts = Record<DeviceStatus, number> & { all: number };

export function emptyCounts(): StatusCounts {
  return { all: 0, moving: 0, stopped: 0, offline: 0, expired: 0, neverOnline: 0, blocked: 0 };
}
