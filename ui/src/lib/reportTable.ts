/**
 * The reports view's table, pure: the report kinds and the types of their rows, the columns of
 * each kind (header, sort key, cell text), sorting, the totals row, and the text of each cell in
 * the language, units and time zone in use. The view (views/reports) only draws what this returns.
 *
 * The report contract (`report_run` and friends) is the backend's generated types (re-exported
 * here for the view). A row's `values.kind` names one row ("trip"), the request's kind the report
 * ("trips").
 */
import type { ReportKind, ReportRow, ReportValues, Units } from "../bindings";
import { t } from "../i18n";
import { formatNumber } from "../i18n/format";
import { formatDate, formatDateTime, formatDuration, type TimeZoneChoice } from "./time";
import { formatCoordinates, formatSpeed } from "./units";
import { formatDistance } from "./mileage";
import { alarmName } from "../i18n/words";

// ---- the contract: the backend's generated types ----

export type {
  ReportKind,
  ReportRequest,
  ReportResult,
  ReportProgress,
  ReportRow,
  ReportValues,
  ReportFormat as ReportExportFormat,
  ExportedFile as ReportExported,
} from "../bindings";

// ---- the view's kinds: the backend's, and mileage (the `mileage_report` command) ----

export type TableKind = ReportKind | "mileage";

export const TABLE_KINDS: readonly TableKind[] = ["trips", "stops", "idling", "summary", "speeding", "geofences", "mileage"];

/** A mileage row: kilometres over the period, or null when the provider had no data. */
export interface MileageValues {
  kind: "mileage";
  distanceM: number | null;
  plate: string;
}

/** A row of the table: a report's, or a mileage row dressed as one (no place: NaN). */
export interface TableRow extends Omit<ReportRow, "values"> {
  values: ReportValues | MileageValues;
}

/** Which options a kind takes. */
export function kindOptions(kind: TableKind): { minStop: boolean; minIdle: boolean; speedLimit: boolean } {
  return {
    minStop: kind === "trips" || kind === "stops" || kind === "summary",
    minIdle: kind === "idling" || kind === "summary",
    speedLimit: kind === "speeding",
  };
}

// ---- columns ----

export type ColumnId =
  | "vehicle"
  | "plate"
  | "imei"
  | "date"
  | "start"
  | "end"
  | "duration"
  | "distance"
  | "avgSpeed"
  | "maxSpeed"
  | "driving"
  | "stopped"
  | "idle"
  | "trips"
  | "stops"
  | "firstStart"
  | "alarms"
  | "limit"
  | "geofence"
  | "enter"
  | "exit"
  | "dwell"
  | "confirmed"
  | "place";

/** How a column's total is made, if it has one. */
export type TotalRule = "sum" | "max";

export interface FormatContext {
  tz: TimeZoneChoice;
  units: Units;
  /** A vehicle's name as the app shows it (the fleet list's). */
  name: (imei: string) => string;
}

export interface Column {
  readonly id: ColumnId;
  /** Right-aligned numbers. */
  readonly numeric: boolean;
  readonly total?: TotalRule;
  /** Data (names, IMEIs, plates): left as they are by translators. */
  readonly data?: boolean;
  /** The header, in the language in use. */
  label(): string;
  /** What the column sorts and totals by; null sorts last and is not summed. */
  key(row: TableRow, ctx: FormatContext): number | string | null;
  /** The cell's text. */
  text(row: TableRow, ctx: FormatContext): string;
}

type Values<K extends TableRow["values"]["kind"]> = Extract<TableRow["values"], { kind: K }>;

/** A row's values when it is of kind `k`, else undefined. */
function of<K extends TableRow["values"]["kind"]>(row: TableRow, k: K): Values<K> | undefined {
  return row.values.kind === k ? (row.values as Values<K>) : undefined;
}

const col = (id: ColumnId, c: Omit<Column, "id" | "label" | "numeric"> & { numeric?: boolean }): Column => ({
  id,
  numeric: c.numeric ?? false,
  label: () => t().reports.columns[id],
  ...c,
});

const num = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);

/** Metres in the chosen unit, two decimals. */
export function formatMetres(m: number | null, units: Units): string {
  return m === null ? t().reports.noData : formatDistance(m / 1000, units);
}

function durationOf(row: TableRow): number | null {
  const v = row.values;
  switch (v.kind) {
    case "trip":
    case "stop":
    case "idle":
    case "speeding":
      return num(v.durationSecs);
    case "geofenceVisit":
      return num(v.dwellSecs);
    default:
      return null;
  }
}

function distanceOf(row: TableRow): number | null {
  const v = row.values;
  return v.kind === "trip" || v.kind === "summary" || v.kind === "mileage" ? num(v.distanceM) : null;
}

function maxKmhOf(row: TableRow): number | null {
  const v = row.values;
  return v.kind === "trip" || v.kind === "summary" || v.kind === "speeding" ? num(v.maxKmh) : null;
}

/** Whether a row has a place to show (the provider's 0, 0 is none). */
export function placeKnown(r: Pick<TableRow, "lat" | "lon">): r is { lat: number; lon: number } {
  return typeof r.lat === "number" && typeof r.lon === "number" && Number.isFinite(r.lat) && Number.isFinite(r.lon) && !(r.lat === 0 && r.lon === 0);
}

const COLUMNS: Readonly<Record<ColumnId, Column>> = {
  vehicle: col("vehicle", {
    data: true,
    key: (r, c) => c.name(r.imei) || r.vehicle,
    text: (r, c) => c.name(r.imei) || r.vehicle || r.imei,
  }),
  plate: col("plate", { data: true, key: (r) => of(r, "mileage")?.plate || null, text: (r) => of(r, "mileage")?.plate || "—" }),
  imei: col("imei", { data: true, key: (r) => r.imei, text: (r) => r.imei }),
  date: col("date", { key: (r) => r.start, text: (r, c) => formatDate(r.start, c.tz) }),
  start: col("start", { key: (r) => r.start, text: (r, c) => formatDateTime(r.start, c.tz) }),
  end: col("end", { key: (r) => r.end, text: (r, c) => formatDateTime(r.end, c.tz) }),
  duration: col("duration", { numeric: true, total: "sum", key: durationOf, text: (r) => formatDuration(durationOf(r) ?? Number.NaN) }),
  distance: col("distance", { numeric: true, total: "sum", key: distanceOf, text: (r, c) => formatMetres(distanceOf(r), c.units) }),
  avgSpeed: col("avgSpeed", {
    numeric: true,
    key: (r) => num(of(r, "trip")?.avgKmh),
    text: (r, c) => formatSpeed(num(of(r, "trip")?.avgKmh) ?? Number.NaN, c.units),
  }),
  maxSpeed: col("maxSpeed", { numeric: true, total: "max", key: maxKmhOf, text: (r, c) => formatSpeed(maxKmhOf(r) ?? Number.NaN, c.units) }),
  driving: col("driving", { numeric: true, total: "sum", key: (r) => num(of(r, "summary")?.drivingSecs), text: (r) => formatDuration(of(r, "summary")?.drivingSecs ?? Number.NaN) }),
  stopped: col("stopped", { numeric: true, total: "sum", key: (r) => num(of(r, "summary")?.stoppedSecs), text: (r) => formatDuration(of(r, "summary")?.stoppedSecs ?? Number.NaN) }),
  idle: col("idle", { numeric: true, total: "sum", key: (r) => num(of(r, "summary")?.idleSecs), text: (r) => formatDuration(of(r, "summary")?.idleSecs ?? Number.NaN) }),
  trips: col("trips", { numeric: true, total: "sum", key: (r) => num(of(r, "summary")?.trips), text: (r) => formatNumber(of(r, "summary")?.trips ?? 0) }),
  stops: col("stops", { numeric: true, total: "sum", key: (r) => num(of(r, "summary")?.stops), text: (r) => formatNumber(of(r, "summary")?.stops ?? 0) }),
  firstStart: col("firstStart", {
    key: (r) => of(r, "summary")?.firstStart ?? null,
    text: (r, c) => formatDateTime(of(r, "summary")?.firstStart ?? null, c.tz),
  }),
  alarms: col("alarms", {
    numeric: true,
    total: "sum",
    key: (r) => alarmTotal(r),
    text: (r) => {
      const n = alarmTotal(r);
      return n === 0 ? t().reports.noAlarms : formatNumber(n);
    },
  }),
  limit: col("limit", { numeric: true, key: (r) => num(of(r, "speeding")?.limitKmh), text: (r, c) => formatSpeed(of(r, "speeding")?.limitKmh ?? Number.NaN, c.units) }),
  geofence: col("geofence", { data: true, key: (r) => of(r, "geofenceVisit")?.geofenceName ?? null, text: (r) => of(r, "geofenceVisit")?.geofenceName ?? "" }),
  enter: col("enter", { key: (r) => r.start, text: (r, c) => formatDateTime(r.start, c.tz) }),
  // A visit without an end is still inside at the history's last fix.
  exit: col("exit", { key: (r) => r.end, text: (r, c) => (r.end === null ? t().reports.stillInside : formatDateTime(r.end, c.tz)) }),
  dwell: col("dwell", { numeric: true, total: "sum", key: durationOf, text: (r) => formatDuration(durationOf(r) ?? Number.NaN) }),
  confirmed: col("confirmed", {
    key: (r) => (of(r, "geofenceVisit")?.confirmedByAlarm ? 1 : 0),
    text: (r) => (of(r, "geofenceVisit")?.confirmedByAlarm ? t().common.yes : t().common.no),
  }),
  place: col("place", { key: (r) => (placeKnown(r) ? r.lat * 1000 + r.lon : null), text: (r) => (placeKnown(r) ? formatCoordinates(r.lat, r.lon) : "—") }),
};

/** The summary's alarms, all types together. */
export function alarmTotal(r: TableRow): number {
  return of(r, "summary")?.alarms.reduce((s, a) => s + a.count, 0) ?? 0;
}

/** The summary's alarms by type in words: "SOS: 2, Speeding: 5". */
export function alarmBreakdown(r: TableRow): string {
  const alarms = of(r, "summary")?.alarms ?? [];
  return alarms.map((a) => `${alarmName(a.type)}: ${formatNumber(a.count)}`).join(", ");
}

const KIND_COLUMNS: Readonly<Record<TableKind, readonly ColumnId[]>> = {
  trips: ["vehicle", "start", "end", "duration", "distance", "avgSpeed", "maxSpeed"],
  stops: ["vehicle", "start", "end", "duration", "place"],
  idling: ["vehicle", "start", "end", "duration", "place"],
  summary: ["vehicle", "date", "distance", "driving", "stopped", "idle", "maxSpeed", "trips", "stops", "firstStart", "alarms"],
  speeding: ["vehicle", "start", "end", "duration", "maxSpeed", "limit", "place"],
  geofences: ["vehicle", "geofence", "enter", "exit", "dwell", "confirmed"],
  mileage: ["vehicle", "plate", "imei", "distance"],
};

/** The columns of a kind, in order (the export's headers follow the same order). */
export function columnsOf(kind: TableKind): Column[] {
  return KIND_COLUMNS[kind].map((id) => COLUMNS[id]);
}

type ExportColumn = keyof ReturnType<typeof t>["reports"]["exportColumns"];

/** The backend's export columns of each kind, in its order (etrack-app reports/table.rs `columns`). */
const EXPORT_COLUMNS: Readonly<Record<ReportKind, readonly ExportColumn[]>> = {
  trips: ["vehicle", "imei", "start", "end", "duration", "distanceKm", "avgKmh", "maxKmh", "startLat", "startLon", "endLat", "endLon"],
  stops: ["vehicle", "imei", "start", "end", "duration", "lat", "lon"],
  idling: ["vehicle", "imei", "start", "end", "duration", "lat", "lon"],
  speeding: ["vehicle", "imei", "start", "end", "duration", "maxKmh", "limitKmh", "lat", "lon"],
  summary: ["vehicle", "imei", "date", "distanceKm", "driving", "stopped", "idling", "maxKmh", "trips", "stops", "firstStart", "lastStop", "fixes", "alarms"],
  geofences: ["vehicle", "imei", "geofence", "entered", "left", "timeInside", "confirmed", "lat", "lon"],
};

/** The export's headers of a kind in the language in use, one per column the backend writes; with `addresses`, its address columns' too. */
export function exportHeaders(kind: ReportKind, addresses = false): string[] {
  const m = t().reports.exportColumns;
  return [...EXPORT_COLUMNS[kind].map((c) => m[c]), ...(addresses ? addressColumnsOf(kind).map((c) => c.label()) : [])];
}

/** An address column: its header and the place of a row it shows. */
export interface AddressColumn {
  readonly id: "startAddress" | "endAddress" | "address";
  label(): string;
  point(row: TableRow): { lat: number; lon: number } | null;
}

const START_ADDRESS: AddressColumn = { id: "startAddress", label: () => t().addresses.startAddress, point: (r) => (placeKnown(r) ? { lat: r.lat, lon: r.lon } : null) };
const END_ADDRESS: AddressColumn = {
  id: "endAddress",
  label: () => t().addresses.endAddress,
  point: (r) => {
    const v = of(r, "trip");
    return v && placeKnown({ lat: v.endLat, lon: v.endLon }) ? { lat: v.endLat, lon: v.endLon } : null;
  },
};
const PLACE_ADDRESS: AddressColumn = { id: "address", label: () => t().addresses.address, point: START_ADDRESS.point };

/** The address columns of a kind with places (shown and exported while a geocoder is set), in the backend's order. */
export function addressColumnsOf(kind: TableKind): AddressColumn[] {
  if (kind === "trips") return [START_ADDRESS, END_ADDRESS];
  if (kind === "stops" || kind === "idling" || kind === "speeding") return [PLACE_ADDRESS];
  return [];
}

// ---- sorting ----

export type SortDirection = "ascending" | "descending";

export interface SortState {
  column: ColumnId;
  direction: SortDirection;
}

/** What a kind is sorted by at first: time for events, vehicle for per-vehicle tables. */
export function defaultSort(kind: TableKind): SortState {
  if (kind === "mileage") return { column: "vehicle", direction: "ascending" };
  if (kind === "summary") return { column: "date", direction: "ascending" };
  if (kind === "geofences") return { column: "enter", direction: "ascending" };
  return { column: "start", direction: "ascending" };
}

/** The next sort after a click on `column`'s header: the same column flips, another starts in its natural order. */
export function nextSort(current: SortState, column: Column): SortState {
  if (current.column === column.id) return { column: column.id, direction: current.direction === "ascending" ? "descending" : "ascending" };
  return { column: column.id, direction: column.numeric ? "descending" : "ascending" };
}

/**
 * The rows sorted by a column, stable; rows without a value last whichever the direction. Text
 * compares as the language does (accents, numbers within names: "Taxi 2" before "Taxi 10").
 */
export function sortRows(rows: readonly TableRow[], sort: SortState, ctx: FormatContext, lang: string): TableRow[] {
  const column = COLUMNS[sort.column];
  const sign = sort.direction === "ascending" ? 1 : -1;
  let collator: Intl.Collator;
  try {
    collator = new Intl.Collator(lang, { numeric: true, sensitivity: "base" });
  } catch {
    collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  }
  const keyed = rows.map((row, i) => ({ row, i, k: column.key(row, ctx) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    const c = typeof a.k === "number" && typeof b.k === "number" ? a.k - b.k : collator.compare(String(a.k), String(b.k));
    return c !== 0 ? sign * c : a.i - b.i;
  });
  return keyed.map((x) => x.row);
}

// ---- totals ----

/** The totals of the columns that have one: sums of distances, durations and counts, the top speed. */
export function totals(kind: TableKind, rows: readonly TableRow[], ctx: FormatContext): Map<ColumnId, number> {
  const out = new Map<ColumnId, number>();
  for (const c of columnsOf(kind)) {
    if (!c.total) continue;
    let acc: number | null = null;
    for (const r of rows) {
      const k = c.key(r, ctx);
      if (typeof k !== "number") continue;
      acc = acc === null ? k : c.total === "sum" ? acc + k : Math.max(acc, k);
    }
    if (acc !== null) out.set(c.id, acc);
  }
  return out;
}

/** The text of a total, as its column writes its cells. */
export function totalText(column: Column, value: number, ctx: FormatContext): string {
  switch (column.id) {
    case "distance":
      return formatMetres(value, ctx.units);
    case "maxSpeed":
      return formatSpeed(value, ctx.units);
    case "trips":
    case "stops":
    case "alarms":
      return formatNumber(value);
    default:
      return formatDuration(value);
  }
}
