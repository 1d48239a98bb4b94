/**
 * Geofences and alarms for the fake backend (view tests, the browser preview): the same rules as
 * the real backend — one create per vehicle with per-vehicle results, only successes recorded,
 * validation before anything is "sent", alarm history by vehicle and period, watch settings, and
 * "alarms-new" events a test can raise.
 */
import type {
  Alarm,
  AlarmProgress,
  AlarmQueryResult,
  AlarmRow,
  AlarmsNewEvent,
  AlarmTypeInfo,
  Device,
  ExportedFile,
  GeofenceDraft,
  GeofenceImportResult,
  GeofenceListing,
  GeofenceSaveResult,
  IpcError,
  StoredGeofence,
  Track,
  VehicleResult,
  WatchedAlarm,
  WatchOverview,
  WatchSettings,
  WatchStatus,
} from "../bindings";
import { BackendError, type Unsubscribe } from "../backend";
import { seededRandom } from "./demoFleet";

/** The spec's alarm types (number, name, words), as the backend lists them. */
export const FAKE_ALARM_TYPES: AlarmTypeInfo[] = [
  [1, "sosAlarm", "SOS"],
  [2, "lowBatteryAlarm", "Low battery"],
  [3, "powerDisconnectAlarm", "Power disconnected"],
  [4, "vibrationAlarm", "Vibration"],
  [5, "geoFenceInAlarm", "Entered geofence"],
  [6, "geoFenceOutAlarm", "Left geofence"],
  [7, "speedingAlarm", "Speeding"],
  [8, "carMoveAlarm", "Vehicle moved"],
  [9, "engineOn", "Engine on"],
  [10, "engineOff", "Engine off"],
  [11, "tireTemperatureAlarm", "Tire temperature"],
  [12, "tireLeakPressureAlarm", "Tire leaking"],
  [13, "tireLowPressureAlarm", "Tire pressure low"],
  [14, "tireHighPressureAlarm", "Tire pressure high"],
  [15, "gpsDeadZoneInAlarm", "Entered GPS dead zone"],
  [16, "gpsDeadZoneOutAlarm", "Left GPS dead zone"],
  [17, "obdDtcAlarm", "OBD trouble code"],
  [18, "disassembleAlarm", "Device removed"],
  [19, "powerOffAlarm", "Power off"],
  [20, "collisionAlarm", "Collision"],
  [21, "dropAlarm", "Dropped"],
  [22, "routeAlarm", "Off route"],
  [23, "rapidAccelerationAlarm", "Rapid acceleration"],
  [24, "rapidDecelerationAlarm", "Harsh braking"],
  [25, "sharpTurnAlarm", "Sharp turn"],
  [26, "dooropenAlarm", "Door opened"],
  [27, "doorcloseAlarm", "Door closed"],
].map(([code, name, words]) => ({ code: code as number, name: name as string, words: words as string }));

export const DEFAULT_WATCH_TYPES = [1, 3, 5, 6, 18, 20];

export function alarmWordsOf(code: number): string {
  return FAKE_ALARM_TYPES.find((t) => t.code === code)?.words ?? "Unknown alarm";
}

export interface GeoAlarmsContext {
  devices: () => Device[];
  tracks: () => Track[];
  nowMs: () => number;
  account: () => string;
  providerUrl: () => string;
}

function ipc(kind: IpcError["kind"], message: string, apiCode: number | null = null): BackendError {
  return new BackendError({ kind, message, apiCode });
}

export class FakeGeoAlarms {
  geofences: StoredGeofence[] = [];
  /** A problem with the geofence file, as the backend reports it. */
  notice: string | null = null;
  /** Vehicles the "provider" refuses a geofence for, with the error it answers. */
  readonly refuse = new Map<string, IpcError>();
  /** Alarms by IMEI; vehicles without an entry get a made-up history. */
  readonly alarms = new Map<string, Alarm[]>();
  /** Vehicles whose alarm history fails, with the message. */
  readonly failing = new Map<string, string>();
  watch: WatchSettings = { enabled: true, types: [...DEFAULT_WATCH_TYPES], imeis: [], everySecs: 60 };
  status: WatchStatus = { state: "off", message: "No vehicle is watched.", watching: 0, lastPollMs: null };
  unread = 0;
  recent: WatchedAlarm[] = [];
  /** Every geofence create "sent", one per vehicle. */
  readonly sent: Array<{ imei: string; name: string; radiusM: number }> = [];
  lastCsv: string | null = null;
  lastImport: string | null = null;
  /** Null makes exports behave as a dismissed save dialog. */
  exportPath: string | null = "/home/user/Downloads/etrack-export";
  private readonly newHandlers = new Set<(e: AlarmsNewEvent) => void>();
  private readonly statusHandlers = new Set<(s: WatchStatus) => void>();
  private readonly progressHandlers = new Set<(p: AlarmProgress) => void>();
  private nextId = 1;

  constructor(private readonly ctx: GeoAlarmsContext) {}

  private owner(): { account: string; provider: string } {
    return { account: this.ctx.account(), provider: this.ctx.providerUrl() };
  }

  listing(): GeofenceListing {
    const o = this.owner();
    return {
      geofences: this.geofences.filter((g) => g.account === o.account && g.provider === o.provider).map((g) => ({ ...g, imeis: [...g.imeis] })),
      notice: this.notice,
      path: "/home/user/.local/share/dev.etrack.desktop/geofences.json",
    };
  }

  create(draft: GeofenceDraft): GeofenceSaveResult {
    const name = draft.name.trim();
    if (!name) throw ipc("validation", "Give the geofence a name.");
    if (!Number.isInteger(draft.radiusM) || draft.radiusM < 100 || draft.radiusM > 5000) {
      throw ipc("validation", `The radius must be between 100 and 5000 m, not ${draft.radiusM} m.`);
    }
    if (Math.abs(draft.latitude) > 90 || Math.abs(draft.longitude) > 180) throw ipc("validation", "The centre is not a valid longitude/latitude.");
    const imeis = [...new Set(draft.imeis)];
    if (imeis.length === 0) throw ipc("validation", "Choose at least one vehicle for the geofence.");
    const results: VehicleResult[] = imeis.map((imei) => {
      this.sent.push({ imei, name, radiusM: draft.radiusM });
      const refused = this.refuse.get(imei);
      return refused ? { imei, ok: false, message: refused.message, apiCode: refused.apiCode } : { imei, ok: true, message: null, apiCode: null };
    });
    const ok = results.filter((r) => r.ok).map((r) => r.imei);
    const failed = results.length - ok.length;
    const summary =
      failed === 0
        ? ok.length === 1
          ? "Saved for the vehicle."
          : `Saved for all ${ok.length} vehicles.`
        : ok.length === 0
          ? "Not saved: the provider refused every vehicle (see below)."
          : `Saved for ${ok.length} of ${results.length} vehicles; not saved for ${failed} (see below). Nothing was re-sent.`;
    if (ok.length === 0) return { geofence: null, results, summary, storeError: null };
    let geofence: StoredGeofence;
    const extended = draft.extends ? this.geofences.find((g) => g.id === draft.extends) : undefined;
    if (extended) {
      for (const i of ok) if (!extended.imeis.includes(i)) extended.imeis.push(i);
      geofence = { ...extended, imeis: [...extended.imeis] };
    } else {
      const o = this.owner();
      geofence = {
        id: `g${this.nextId++}`,
        name,
        alarm: draft.alarm,
        latitude: draft.latitude,
        longitude: draft.longitude,
        radiusM: draft.radiusM,
        imeis: ok,
        createdMs: this.ctx.nowMs(),
        account: o.account,
        provider: o.provider,
        fromFile: false,
      };
      this.geofences.push(geofence);
      geofence = { ...geofence, imeis: [...ok] };
    }
    if (draft.watch) {
      const types = draft.alarm === "in" ? [5] : draft.alarm === "out" ? [6] : [5, 6];
      this.watch = {
        ...this.watch,
        enabled: true,
        imeis: [...new Set([...this.watch.imeis, ...ok])],
        types: [...new Set([...this.watch.types, ...types])].sort((a, b) => a - b),
      };
    }
    return { geofence, results, summary, storeError: null };
  }

  forget(id: string): GeofenceListing {
    this.geofences = this.geofences.filter((g) => g.id !== id);
    return this.listing();
  }

  exportFile(): ExportedFile | null {
    if (this.exportPath === null) return null;
    return { path: `${this.exportPath}.geojson`, count: this.listing().geofences.length };
  }

  import(text: string): GeofenceImportResult {
    this.lastImport = text;
    let doc: { features?: Array<{ geometry?: { coordinates?: number[] }; properties?: Record<string, unknown> }> };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      throw ipc("validation", "The file is not valid GeoJSON.");
    }
    const skipped: string[] = [];
    let added = 0;
    const o = this.owner();
    (doc.features ?? []).forEach((f, n) => {
      const [lng, lat] = f.geometry?.coordinates ?? [];
      const radius = Number(f.properties?.radius);
      const name = String(f.properties?.name ?? "").trim();
      if (typeof lat !== "number" || typeof lng !== "number" || !name || !(radius >= 100 && radius <= 5000)) {
        skipped.push(`Feature ${n + 1}: not a usable circle`);
        return;
      }
      this.geofences.push({
        id: `g${this.nextId++}`,
        name,
        alarm: "both",
        latitude: lat,
        longitude: lng,
        radiusM: Math.round(radius),
        imeis: [],
        createdMs: this.ctx.nowMs(),
        account: o.account,
        provider: o.provider,
        fromFile: true,
      });
      added++;
    });
    return { added, skipped, listing: this.listing() };
  }

  /** A made-up but stable alarm history of a vehicle. */
  private historyOf(imei: string, begin: number, end: number): Alarm[] {
    const given = this.alarms.get(imei);
    if (given) return given.filter((a) => a.systemtime >= begin && a.systemtime <= end);
    const t = this.ctx.tracks().find((x) => x.imei === imei);
    const rand = seededRandom(Number(imei.slice(-6)) || 1);
    const out: Alarm[] = [];
    const codes = [1, 5, 6, 7, 9, 10, 26, 27, 3];
    for (let k = 0; k < 4; k++) {
      const at = Math.floor(begin + rand() * (end - begin));
      out.push({
        type: codes[Math.floor(rand() * codes.length)]!,
        longitude: +((t?.longitude ?? 114.0) + (rand() - 0.5) * 0.02).toFixed(6),
        latitude: +((t?.latitude ?? 22.63) + (rand() - 0.5) * 0.02).toFixed(6),
        gpstime: at - 5,
        systemtime: at,
        speed: Math.round(rand() * 90),
        course: Math.round(rand() * 359),
        geofence_id: "0",
      });
    }
    return out;
  }

  query(imeis: string[], begin: number, end: number): AlarmQueryResult {
    if (imeis.length === 0) throw ipc("validation", "Choose at least one vehicle.");
    if (end <= begin) throw ipc("validation", `The begin time (${begin}) must be before the end time (${end}).`);
    const rows: AlarmRow[] = [];
    const failures: AlarmQueryResult["failures"] = [];
    imeis.forEach((imei, i) => {
      const fail = this.failing.get(imei);
      if (fail) failures.push({ imei, message: fail });
      else
        for (const a of this.historyOf(imei, begin, end)) {
          rows.push({
            id: `${imei}:${a.type}:${a.gpstime}:${a.systemtime}`,
            imei,
            alarm: a,
            words: alarmWordsOf(a.type),
            geofenceName: a.type === 5 || a.type === 6 ? (this.geofences.find((g) => g.imeis.includes(imei))?.name ?? null) : null,
          });
        }
      for (const h of this.progressHandlers) h({ vehiclesDone: i + 1, vehiclesTotal: imeis.length, records: rows.length });
    });
    rows.sort((a, b) => b.alarm.systemtime - a.alarm.systemtime || a.imei.localeCompare(b.imei));
    return { rows, failures };
  }

  overview(): WatchOverview {
    return {
      settings: { ...this.watch, types: [...this.watch.types], imeis: [...this.watch.imeis] },
      types: FAKE_ALARM_TYPES,
      status: { ...this.status },
      unread: this.unread,
      recent: [...this.recent],
    };
  }

  setWatch(s: WatchSettings): WatchOverview {
    if (!Number.isInteger(s.everySecs) || s.everySecs < 30 || s.everySecs > 3600) {
      throw ipc("validation", "Read each vehicle every 30 to 3600 seconds.");
    }
    this.watch = { ...s, types: [...new Set(s.types)].sort((a, b) => a - b), imeis: [...new Set(s.imeis)] };
    this.setStatus(
      !s.enabled
        ? { state: "off", message: "Watching is off.", watching: 0, lastPollMs: this.status.lastPollMs }
        : s.imeis.length === 0
          ? { state: "off", message: "No vehicle is watched.", watching: 0, lastPollMs: this.status.lastPollMs }
          : { state: "watching", message: null, watching: this.watch.imeis.length, lastPollMs: this.ctx.nowMs() },
    );
    return this.overview();
  }

  markRead(): void {
    this.unread = 0;
  }

  setStatus(s: WatchStatus): void {
    this.status = s;
    for (const h of this.statusHandlers) h(s);
  }

  /** Raises new alarms as the watcher would (tests and the preview). */
  raise(imei: string, alarms: Alarm[], desktop: WatchedAlarm["desktop"] = "raised"): AlarmsNewEvent {
    const device = this.ctx.devices().find((d) => d.imei === imei);
    const vehicle = device?.platenumber || device?.devicename || imei;
    const list: WatchedAlarm[] = alarms.map((alarm) => ({
      id: `${imei}:${alarm.type}:${alarm.gpstime}:${alarm.systemtime}`,
      imei,
      vehicle,
      alarm,
      words: alarmWordsOf(alarm.type),
      geofenceName: alarm.type === 5 || alarm.type === 6 ? (this.geofences.find((g) => g.imeis.includes(imei))?.name ?? null) : null,
      noticedMs: this.ctx.nowMs(),
      desktop,
      desktopError: desktop === "failed" ? "No notification service" : null,
    }));
    this.unread += list.length;
    this.recent = [...list.slice().reverse(), ...this.recent].slice(0, 100);
    const event = { alarms: list, unread: this.unread };
    for (const h of this.newHandlers) h(event);
    return event;
  }

  onNew(h: (e: AlarmsNewEvent) => void): Unsubscribe {
    this.newHandlers.add(h);
    return () => this.newHandlers.delete(h);
  }

  onStatus(h: (s: WatchStatus) => void): Unsubscribe {
    this.statusHandlers.add(h);
    return () => this.statusHandlers.delete(h);
  }

  onProgress(h: (p: AlarmProgress) => void): Unsubscribe {
    this.progressHandlers.add(h);
    return () => this.progressHandlers.delete(h);
  }
}
