import type { Device } from "../bindings";
import { emptyCounts, type DeviceStatus, type StatusCounts } from "./status";
import { locale } from "../i18n";

export type StatusFilter = DeviceStatus | "all";

type Searchable = Pick<Device, "imei" | "devicename" | "platenumber">;

function fold(s: string): string {
  // Plates are written "SZ-4821", "SZ 4821" or "sz4821": compare without case and separators.
  return s.normalize("NFKD").toLowerCase().replace(/[\s\-_.·]/g, "");
}

/** The query split in words; every word must match the name, the plate or the IMEI. */
export function queryTokens(query: string): string[] {
  return query
    .split(/\s+/)
    .map(fold)
    .filter((t) => t.length > 0);
}

/** Whether a device matches the search box (an empty query matches everything). */
export function matchesQuery(device: Searchable, tokens: readonly string[]): boolean {
  if (tokens.length === 0) return true;
  const hay = `${fold(device.devicename)}\u0000${fold(device.platenumber)}\u0000${device.imei}`;
  return tokens.every((t) => hay.includes(t));
}

/** Whether a device passes the status filter. */
export function matchesStatus(status: DeviceStatus, filter: StatusFilter): boolean {
  return filter === "all" || status === filter;
}

/** Counts per status of the devices matching the search (so chips tell what a click will show). */
export function countStatuses(statuses: Iterable<DeviceStatus>): StatusCounts {
  const counts = emptyCounts();
  for (const s of statuses) {
    counts[s] += 1;
    counts.all += 1;
  }
  return counts;
}

const collators = new Map<string, Intl.Collator>();

/** Names compared as the language in use sorts them (Chinese names by their reading, say). */
function collatorFor(): Intl.Collator {
  const tag = locale();
  let c = collators.get(tag);
  if (!c) {
    try {
      c = new Intl.Collator(tag, { numeric: true, sensitivity: "base" });
    } catch {
      c = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    }
    collators.set(tag, c);
  }
  return c;
}

/** Devices ordered for the list: by name, then plate, then IMEI, in natural order ("Truck 2" < "Truck 10"). */
export function compareDevices(a: Searchable, b: Searchable): number {
  const collator = collatorFor();
  return (
    collator.compare(a.devicename || a.platenumber || a.imei, b.devicename || b.platenumber || b.imei) ||
    collator.compare(a.platenumber, b.platenumber) ||
    a.imei.localeCompare(b.imei)
  );
}

/** The name to show: the device's name, else its plate, else its IMEI. */
export function displayName(d: Searchable): string {
  return d.devicename.trim() || d.platenumber.trim() || d.imei;
}

/** The marker label: the plate when there is one (what a dispatcher reads on the road), else the name. */
export function markerLabel(d: Searchable): string {
  return d.platenumber.trim() || d.devicename.trim() || d.imei;
}
