/** How the playback view writes counts, distances and the times in its lists. */
import type { Units } from "../../bindings";
import type { Route } from "../../lib/playbackRoute";
import { formatDateTime, type TimeZoneChoice } from "../../lib/time";

export function groupThousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function formatDistance(metres: number, units: Units): string {
  if (units === "mph") return `${(metres / 1609.344).toFixed(1)} mi`;
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
}

/** A time in a list or on the chart: with the date only when the route spans several days. */
export function shortTime(route: Route, t: number, tz: TimeZoneChoice): string {
  const full = formatDateTime(t, tz);
  const multiDay = route.n > 0 && route.t[route.n - 1]! - route.t[0]! > 86_400;
  return multiDay ? full.slice(5, 16) : full.slice(11, 16);
}

/** A message for the user about the period, shown above the stats. */
export interface Notice {
  text: string;
  kind: "info" | "warning" | "error";
}
