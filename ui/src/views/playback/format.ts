/** How the playback view writes counts, distances and the times in its lists. */
import type { Units } from "../../bindings";
import type { Route } from "../../lib/playbackRoute";
import type { TimeZoneChoice } from "../../lib/time";
import { wallClock } from "../../lib/playbackTime";
import { t } from "../../i18n";
import { formatFixed, formatNumber } from "../../i18n/format";

/** A whole number grouped as the language groups thousands ("12,345", "12.345"). */
export function groupThousands(n: number): string {
  return formatNumber(Math.round(n));
}

export function formatDistance(metres: number, units: Units): string {
  const c = t().common;
  if (units === "mph") return `${formatFixed(metres / 1609.344, 1)} ${c.mi}`;
  return metres < 1000 ? `${formatNumber(Math.round(metres))} ${c.m}` : `${formatFixed(metres / 1000, 1)} ${c.km}`;
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * A time in a list or on the chart, "14:05", or "05-03 14:05" when the route spans several days:
 * digits only, read the same in every language.
 */
export function shortTime(route: Route, secs: number, tz: TimeZoneChoice): string {
  if (!Number.isFinite(secs) || secs <= 0) return "—";
  const w = wallClock(secs, tz);
  const multiDay = route.n > 0 && route.t[route.n - 1]! - route.t[0]! > 86_400;
  const time = `${pad(w.hour)}:${pad(w.minute)}`;
  return multiDay ? `${pad(w.month)}-${pad(w.day)} ${time}` : time;
}

/** A message for the user about the period, shown above the stats. */
export interface Notice {
  text: string;
  kind: "info" | "warning" | "error";
}
