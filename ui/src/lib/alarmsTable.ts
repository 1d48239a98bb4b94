/**
 * The alarms table: filters, words and icons per alarm type, the place column, CSV, and the
 * provider's clock (the demo can run ahead of this computer's).
 */
import type { AlarmRow, Units } from "../bindings";
import { formatDateTime, type TimeZoneChoice } from "./time";
import { convertSpeed, speedUnitLabel } from "./units";
import { toCsv } from "./csv";
import { t } from "../i18n";
import { alarmName } from "../i18n/words";

export type AlarmTypeFilter = number | "all";

export interface AlarmFilter {
  type: AlarmTypeFilter;
  imei: string | "all";
}

export function filterRows(rows: readonly AlarmRow[], f: AlarmFilter): AlarmRow[] {
  return rows.filter((r) => (f.type === "all" || r.alarm.type === f.type) && (f.imei === "all" || r.imei === f.imei));
}

/** The alarm types present, most frequent first, with counts (for the type filter); named in the language in use. */
export function typeOptions(rows: readonly AlarmRow[]): Array<{ code: number; words: string; count: number }> {
  const by = new Map<number, { code: number; words: string; count: number }>();
  for (const r of rows) {
    const e = by.get(r.alarm.type) ?? { code: r.alarm.type, words: alarmName(r.alarm.type), count: 0 };
    e.count++;
    by.set(r.alarm.type, e);
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.code - b.code);
}

/** The vehicles present, by name, with counts (for the vehicle filter). */
export function vehicleOptions(rows: readonly AlarmRow[], name: (imei: string) => string): Array<{ imei: string; name: string; count: number }> {
  const by = new Map<string, number>();
  for (const r of rows) by.set(r.imei, (by.get(r.imei) ?? 0) + 1);
  return [...by.entries()]
    .map(([imei, count]) => ({ imei, name: name(imei), count }))
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }) || a.imei.localeCompare(b.imei));
}

export type AlarmCategory = "sos" | "power" | "geofence" | "speed" | "engine" | "tire" | "door" | "crash" | "gps" | "driving" | "other";

const CATEGORY_OF: Record<number, AlarmCategory> = {
  1: "sos",
  2: "power",
  3: "power",
  4: "crash",
  5: "geofence",
  6: "geofence",
  7: "speed",
  8: "other",
  9: "engine",
  10: "engine",
  11: "tire",
  12: "tire",
  13: "tire",
  14: "tire",
  15: "gps",
  16: "gps",
  17: "engine",
  18: "sos",
  19: "power",
  20: "crash",
  21: "crash",
  22: "geofence",
  23: "driving",
  24: "driving",
  25: "driving",
  26: "door",
  27: "door",
};

export function alarmCategory(code: number): AlarmCategory {
  return CATEGORY_OF[code] ?? "other";
}

/** Icon path data (24x24, stroked; see dom.ts icon()) per category. */
export const CATEGORY_ICON: Readonly<Record<AlarmCategory, string>> = {
  sos: "M12 3l9 16H3z|M12 9v5|M12 16.5v.5",
  power: "M13 2L5 13h6l-1 9 8-11h-6z",
  geofence: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z|M12 9v6|M9 12h6",
  speed: "M4 16a8 8 0 1 1 16 0|M12 16l4-5",
  engine: "M5 9h10l3 3v5H5z|M8 9V6h4v3|M18 13h3",
  tire: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z|M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6z",
  door: "M6 3h10v18H6z|M13 12h.5",
  crash: "M4 12l4-2-2-4 5 2 1-5 2 5 5-2-2 5 4 2-5 1 1 5-4-3-3 4-1-5z",
  gps: "M12 2a6 6 0 0 0-6 6c0 5 6 12 6 12s6-7 6-12a6 6 0 0 0-6-6z|M12 8v.5",
  driving: "M3 17h18|M6 17l4-9 4 5 4-7",
  other: "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z|M12 8v5|M12 15.5v.5",
};

/** The coordinates of an alarm, "22.55000, 113.95000" (the same in every language). */
export function placeCoordinates(r: AlarmRow): string {
  return `${r.alarm.latitude.toFixed(5)}, ${r.alarm.longitude.toFixed(5)}`;
}

/** The place column: the geofence when there is one, and the coordinates. */
export function placeText(r: AlarmRow): string {
  const at = placeCoordinates(r);
  return r.geofenceName ? `${t().alarmsView.geofence({ name: r.geofenceName })} · ${at}` : at;
}

/**
 * The rows as CSV, as the table shows them (times in the chosen zone). The headers follow the
 * language; numbers stay machine-readable: the speed is a plain number in the user's unit (named
 * in its header), coordinates with a dot.
 */
export function alarmsCsv(rows: readonly AlarmRow[], name: (imei: string) => string, tz: TimeZoneChoice, units: Units): string {
  const c = t().alarmsView.csv;
  const header = [c.time, c.vehicle, c.imei, c.alarm, c.type, c.speed({ unit: speedUnitLabel(units) }), c.latitude, c.longitude, c.geofence, c.received];
  return toCsv([
    header,
    ...rows.map((r) => [
      formatDateTime(r.alarm.gpstime, tz),
      name(r.imei),
      r.imei,
      alarmName(r.alarm.type),
      r.alarm.type,
      Math.round(convertSpeed(r.alarm.speed, units)),
      r.alarm.latitude,
      r.alarm.longitude,
      r.geofenceName ?? "",
      formatDateTime(r.alarm.systemtime, tz),
    ]),
  ]);
}

/**
 * The provider's "now", ms: the latest `servertime` it sent, carried forward by this computer's
 * clock since; never behind this computer's clock. (The demo's clock may run ahead; a period
 * ending "now" must still include its newest alarms.)
 */
export function providerNowMs(latestServerSecs: number | null, receivedAtMs: number | null, nowMs: number): number {
  if (latestServerSecs === null || receivedAtMs === null || !Number.isFinite(latestServerSecs)) return nowMs;
  return Math.max(nowMs, latestServerSecs * 1000 + Math.max(0, nowMs - receivedAtMs));
}

/** {@link providerNowMs} from the live tracks in hand: the latest `servertime` among them. */
export function providerNowOfTracks(tracks: Iterable<{ servertime: number }>, receivedAtMs: number | null, nowMs: number): number {
  let latest: number | null = null;
  for (const t of tracks) if (latest === null || t.servertime > latest) latest = t.servertime;
  return providerNowMs(latest, receivedAtMs, nowMs);
}

/**
 * A message around a piece of data (a geofence's name), split at the data: `[before, after]`, so
 * the view can put the data in an element of its own (marked `translate="no"`).
 */
export function splitAround(format: (data: string) => string): [string, string] {
  const marker = "\u0000";
  const [before = "", after = ""] = format(marker).split(marker);
  return [before, after];
}
