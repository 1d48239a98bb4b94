/**
 * Playback periods in the user's chosen time zone ("local" or an IANA name): the presets, and the
 * wall-clock values of the date-time pickers. "Yesterday" in Shanghai is not yesterday in the
 * computer's own zone, so every conversion goes through the chosen zone, DST included.
 */
import { isValidTimeZone, type TimeZoneChoice } from "./time";
import { t } from "../i18n";

export type PresetId = "today" | "yesterday" | "last24h" | "last7d" | "thisWeek";

/** The presets in the order offered; `label` is in the language in use when read. */
export const PRESETS: ReadonlyArray<{ readonly id: PresetId; readonly label: string }> = (["today", "yesterday", "last24h", "last7d", "thisWeek"] as const).map((id) => ({
  id,
  get label(): string {
    return t().playback.presets[id];
  },
}));

/** The longest period the backend accepts. */
export const MAX_PERIOD_SECS = 31 * 86_400;

export interface Period {
  /** Unix seconds. */
  begin: number;
  end: number;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOf(tz: TimeZoneChoice): string | undefined {
  if (tz === "local" || !isValidTimeZone(tz)) return tz === "local" ? undefined : "UTC";
  return tz;
}

function partsFormatter(tz: TimeZoneChoice): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zoneOf(tz),
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The wall clock in `tz` at unix time `secs`. */
export function wallClock(secs: number, tz: TimeZoneChoice): WallClock {
  const out: Record<string, number> = {};
  for (const p of partsFormatter(tz).formatToParts(new Date(secs * 1000))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

function asUtc(w: WallClock): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000;
}

/** The zone's offset from UTC at unix time `secs`, seconds (east positive). */
export function offsetAt(secs: number, tz: TimeZoneChoice): number {
  return asUtc(wallClock(secs, tz)) - Math.floor(secs);
}

/**
 * The unix time at which the clocks of `tz` show `w`. In a DST gap (a time that never happens)
 * this is the moment after the gap; in an overlap, the earlier of the two.
 */
export function fromWallClock(w: WallClock, tz: TimeZoneChoice): number {
  const guess = asUtc(w);
  let t = guess - offsetAt(guess, tz);
  // The offset at the answer may differ from the offset at the guess (near a DST change).
  const t2 = guess - offsetAt(t, tz);
  if (t2 !== t) t = Math.min(t, t2);
  return t;
}

/** Midnight at the start of the day (in `tz`) that contains `secs`, `dayShift` days later. */
export function startOfDay(secs: number, tz: TimeZoneChoice, dayShift = 0): number {
  const w = wallClock(secs, tz);
  // Date.UTC normalises day overflow (e.g. the 0th of a month), so shifting days is safe.
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day + dayShift));
  return fromWallClock({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }, tz);
}

/** A preset period ending at `nowSecs`. Weeks begin on Monday. */
export function presetPeriod(id: PresetId, nowSecs: number, tz: TimeZoneChoice): Period {
  const now = Math.floor(nowSecs);
  switch (id) {
    case "today":
      return { begin: startOfDay(now, tz), end: now };
    case "yesterday":
      return { begin: startOfDay(now, tz, -1), end: startOfDay(now, tz) };
    case "last24h":
      return { begin: now - 86_400, end: now };
    case "last7d":
      return { begin: now - 7 * 86_400, end: now };
    case "thisWeek": {
      const w = wallClock(now, tz);
      const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay(); // 0 = Sunday
      const sinceMonday = (weekday + 6) % 7;
      return { begin: startOfDay(now, tz, -sinceMonday), end: now };
    }
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** The value of an `<input type="datetime-local">` showing `secs` in `tz`: "2024-05-03T14:05". */
export function toInputValue(secs: number, tz: TimeZoneChoice): string {
  const w = wallClock(secs, tz);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** Reads an `<input type="datetime-local">` value as a time in `tz`; null when it is not one. */
export function fromInputValue(value: string, tz: TimeZoneChoice): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((s) => Number(s ?? 0));
  const w: WallClock = { year: year!, month: month!, day: day!, hour: hour!, minute: minute!, second: second ?? 0 };
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59) return null;
  return fromWallClock(w, tz);
}

/** Why a period cannot be loaded, in words; null when it can. */
export function periodProblem(p: Period): string | null {
  const m = t().playback;
  if (!Number.isFinite(p.begin) || !Number.isFinite(p.end)) return m.periodMissing;
  if (p.end <= p.begin) return m.periodOrder;
  if (p.end - p.begin > MAX_PERIOD_SECS) return m.periodTooLong({ days: MAX_PERIOD_SECS / 86_400 });
  return null;
}

/** The period two pickers show, read in `tz`; null while either is empty or not a time. */
export function periodOfInputs(from: string, to: string, tz: string): Period | null {
  const b = fromInputValue(from, tz);
  const e = fromInputValue(to, tz);
  return b === null || e === null ? null : { begin: b, end: e };
}
