/**
 * Time formatting for people, in the language in use: relative ages, absolute times in the chosen
 * zone, durations.
 */
import { locale, t } from "../i18n";

/** "local" (the computer's zone) or an IANA zone name such as "UTC" or "Asia/Shanghai". */
export type TimeZoneChoice = string;

/** "just now", "12 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" when there is no time. */
export function relativeTime(thenMs: number | null | undefined, nowMs: number): string {
  const c = t().common;
  if (thenMs === null || thenMs === undefined || !Number.isFinite(thenMs) || thenMs <= 0) return c.never;
  const secs = Math.round((nowMs - thenMs) / 1000);
  if (secs < 0) {
    // Clocks disagree a little between the provider and this computer; a fix "in 2 s" reads as now.
    return secs > -60 ? c.justNow : c.inFuture({ span: describeSpan(-secs) });
  }
  if (secs < 5) return c.justNow;
  return c.ago({ span: describeSpan(secs) });
}

function describeSpan(secs: number): string {
  const c = t().common;
  if (secs < 60) return c.seconds({ n: secs });
  const mins = Math.floor(secs / 60);
  if (mins < 60) return c.minutes({ n: mins });
  const hours = Math.floor(mins / 60);
  if (hours < 48) return c.hours({ n: hours });
  const days = Math.floor(hours / 24);
  if (days < 365) return c.days({ n: days });
  return c.years({ n: Math.floor(days / 365) });
}

/** A duration in seconds as "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(totalSecs: number): string {
  if (!Number.isFinite(totalSecs) || totalSecs < 0) return "—";
  const c = t().common;
  const secs = Math.floor(totalSecs);
  if (secs < 60) return c.seconds({ n: secs });
  const mins = Math.floor(secs / 60);
  if (mins < 60) return c.minutes({ n: mins });
  const hours = Math.floor(mins / 60);
  if (hours < 24) {
    const m = mins % 60;
    return m ? `${c.hours({ n: hours })} ${c.minutes({ n: m })}` : c.hours({ n: hours });
  }
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${c.days({ n: days })} ${c.hours({ n: h })}` : c.days({ n: days });
}

/** Whether the runtime knows this IANA zone. */
export function isValidTimeZone(tz: string): boolean {
  if (tz === "local") return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The computer's own zone, e.g. "Europe/Berlin". */
export function localTimeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

const FALLBACK_ZONES = [
  "UTC",
  "Africa/Johannesburg",
  "America/Chicago",
  "America/Los_Angeles",
  "America/New_York",
  "America/Sao_Paulo",
  "Asia/Dubai",
  "Asia/Kolkata",
  "Asia/Shanghai",
  "Asia/Singapore",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Europe/Berlin",
  "Europe/London",
  "Europe/Moscow",
];

/** Choices for the settings: "local", "UTC", then every IANA zone the runtime knows. */
export function timeZoneChoices(): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = FALLBACK_ZONES;
  }
  return ["local", "UTC", ...zones.filter((z) => z !== "UTC")];
}

/** The parts of one instant as the language writes them, in a zone. */
interface DateParts {
  /** The date in the language's numeric order and separators: 2024-05-03, 2024/05/03, 03/05/2024. */
  date: string;
  /** 24-hour "14:22:05". */
  time: string;
  /** What goes between the date and the time in this language. */
  joiner: string;
  /** "UTC", "GMT+8", "CEST". */
  zone: string;
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

/**
 * English is written year-month-day (en-CA): a fleet manager comparing two times must not have to
 * guess whether 03/05 is March or May. Other languages use their own numeric order.
 */
function formattingLocale(): string {
  const tag = locale();
  return tag === "en" || tag.startsWith("en-") ? "en-CA" : tag;
}

function formatterFor(loc: string, tz: TimeZoneChoice): Intl.DateTimeFormat {
  const key = `${loc}|${tz}`;
  let f = formatterCache.get(key);
  if (!f) {
    try {
      f = makeFormatter(loc, tz);
    } catch {
      // A tag the runtime does not know (a test's pseudo-locale): English's format.
      f = makeFormatter("en-CA", tz);
    }
    formatterCache.set(key, f);
  }
  return f;
}

function makeFormatter(loc: string, tz: TimeZoneChoice): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(loc, {
    timeZone: tz === "local" ? undefined : tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  });
}

function partsOf(unixSecs: number, tz: TimeZoneChoice): DateParts {
  const loc = formattingLocale();
  const zone = isValidTimeZone(tz) ? tz : "UTC";
  const parts = formatterFor(loc, zone).formatToParts(new Date(unixSecs * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  // The date is the run of parts from its first field to its last, with the separators between.
  const isDateField = (p: Intl.DateTimeFormatPart): boolean => p.type === "year" || p.type === "month" || p.type === "day";
  const first = parts.findIndex(isDateField);
  let last = first;
  for (let i = first; i >= 0 && i < parts.length; i++) if (isDateField(parts[i]!)) last = i;
  const english = loc === "en-CA";
  // English is built from the fields: runtimes disagree on en-CA's order (some ICU data gives
  // 12/07/2026), and year-month-day is the point of choosing it.
  const date = english
    ? `${get("year")}-${get("month")}-${get("day")}`
    : first < 0
      ? ""
      : parts.slice(first, last + 1).map((p) => p.value).join("");
  // The language's own joiner when the time follows the date directly (Spanish: ", "); else a space.
  const next = parts[last + 1];
  const joiner = !english && next?.type === "literal" && parts[last + 2]?.type === "hour" ? next.value : " ";
  return { date, time: `${get("hour")}:${get("minute")}:${get("second")}`, joiner, zone: get("timeZoneName") };
}

/**
 * Unix seconds as "2024-05-03 14:22:05 GMT+8" in the chosen zone ("2024/05/03 14:22:05 GMT+8" in
 * Chinese, "03/05/2024, 14:22:05 GMT+8" in Spanish), always 24-hour; "—" for the provider's 0
 * ("none"). An unknown zone falls back to UTC rather than failing the whole panel.
 */
export function formatDateTime(unixSecs: number | null | undefined, tz: TimeZoneChoice): string {
  if (unixSecs === null || unixSecs === undefined || !Number.isFinite(unixSecs) || unixSecs <= 0) return "—";
  const p = partsOf(unixSecs, tz);
  return `${p.date}${p.joiner}${p.time} ${p.zone}`.trim();
}

/** Unix seconds as a date only, "2024-05-03" (2024/05/03, 03/05/2024), in the chosen zone. */
export function formatDate(unixSecs: number | null | undefined, tz: TimeZoneChoice): string {
  if (unixSecs === null || unixSecs === undefined || !Number.isFinite(unixSecs) || unixSecs <= 0) return "—";
  return partsOf(unixSecs, tz).date;
}

/** Unix seconds as a 24-hour time of day, "14:22" (with seconds: "14:22:05"), in the chosen zone. */
export function formatTimeOfDay(unixSecs: number | null | undefined, tz: TimeZoneChoice, withSeconds = false): string {
  if (unixSecs === null || unixSecs === undefined || !Number.isFinite(unixSecs) || unixSecs <= 0) return "—";
  const time = partsOf(unixSecs, tz).time;
  return withSeconds ? time : time.slice(0, 5);
}
