/**
 * The mileage report on the UI side: period presets in the chosen time zone, km or miles, the
 * CSV of the table shown.
 */
import type { Device, MileageReport, Units } from "../bindings";
import { formatDateTime, type TimeZoneChoice } from "./time";
import { startOfDay, wallClock, fromWallClock, type Period } from "./playbackTime";
import { toCsv } from "./csv";
import { t } from "../i18n";
import { formatFixed } from "../i18n/format";

const KM_PER_MILE = 1.609344;

export type MileagePresetId = "last7d" | "last30d" | "thisMonth" | "lastMonth";

/** The presets in the order offered; `label` is in the language in use when read. */
export const MILEAGE_PRESETS: ReadonlyArray<{ readonly id: MileagePresetId; readonly label: string }> = (["last7d", "last30d", "thisMonth", "lastMonth"] as const).map((id) => ({
  id,
  get label(): string {
    return t().mileage.presets[id];
  },
}));

function monthStart(year: number, month: number, tz: TimeZoneChoice): number {
  const d = new Date(Date.UTC(year, month - 1, 1));
  return fromWallClock({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: 1, hour: 0, minute: 0, second: 0 }, tz);
}

/** A preset period ending at `nowSecs` (whole days in `tz`). */
export function mileagePreset(id: MileagePresetId, nowSecs: number, tz: TimeZoneChoice): Period {
  const now = Math.floor(nowSecs);
  const w = wallClock(now, tz);
  switch (id) {
    case "last7d":
      return { begin: startOfDay(now, tz, -7), end: startOfDay(now, tz) };
    case "last30d":
      return { begin: startOfDay(now, tz, -30), end: startOfDay(now, tz) };
    case "thisMonth":
      return { begin: monthStart(w.year, w.month, tz), end: now };
    case "lastMonth":
      return { begin: monthStart(w.year, w.month - 1, tz), end: monthStart(w.year, w.month, tz) };
  }
}

/** Kilometres in the chosen unit, two decimals, grouped as the language does: "1,234.56 km" / "767.12 mi". */
export function formatDistance(km: number, units: Units): string {
  const value = units === "mph" ? km / KM_PER_MILE : km;
  const c = t().common;
  return `${formatFixed(value, 2)} ${units === "mph" ? c.mi : c.km}`;
}

/** A time of the report as "2024-05-03 08:00" in `tz` (seconds are always :00 here). */
export function reportTime(secs: number, tz: TimeZoneChoice): string {
  return formatDateTime(secs, tz).replace(/:00(?= )/, "");
}

/**
 * The table as CSV: one row per vehicle in the order shown, then the total; km, two decimals.
 * The headers follow the language; the numbers stay machine-readable (dot decimal, no grouping).
 */
export function mileageCsv(report: MileageReport, devices: ReadonlyMap<string, Device>, tz: TimeZoneChoice): string {
  const c = t().mileage.csv;
  const rows: Array<Array<string | number>> = [[c.vehicle, c.plate, c.imei, c.km, c.begins, c.ends]];
  const begin = reportTime(report.begin, tz);
  const end = reportTime(report.end, tz);
  for (const r of report.rows) {
    const d = devices.get(r.imei);
    // No data is an empty cell: 0 would say the vehicle stood still.
    rows.push([d?.devicename ?? "", d?.platenumber ?? "", r.imei, r.km === null ? "" : r.km.toFixed(2), begin, end]);
  }
  rows.push([c.total, "", "", report.totalKm.toFixed(2), begin, end]);
  return toCsv(rows);
}
