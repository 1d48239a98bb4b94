/** The reports view's period presets, whole days in the user's time zone. */
import { fromWallClock, startOfDay, wallClock, type Period } from "../../lib/playbackTime";
import type { TimeZoneChoice } from "../../lib/time";

export type ReportPresetId = "today" | "yesterday" | "last7d" | "thisMonth";

export const REPORT_PRESETS: readonly ReportPresetId[] = ["today", "yesterday", "last7d", "thisMonth"];

/** A preset's period at `nowSecs`: today and the last 7 days (today included) end now. */
export function reportPreset(id: ReportPresetId, nowSecs: number, tz: TimeZoneChoice): Period {
  const now = Math.floor(nowSecs);
  switch (id) {
    case "today":
      return { begin: startOfDay(now, tz), end: now };
    case "yesterday":
      return { begin: startOfDay(now, tz, -1), end: startOfDay(now, tz) };
    case "last7d":
      return { begin: startOfDay(now, tz, -6), end: now };
    case "thisMonth": {
      const w = wallClock(now, tz);
      return { begin: fromWallClock({ year: w.year, month: w.month, day: 1, hour: 0, minute: 0, second: 0 }, tz), end: now };
    }
  }
}
