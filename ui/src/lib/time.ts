/** Time formatting for people: relative ages, absolute times in the chosen zone, durations. */

/** "local" (the computer's zone) or an IANA zone name such as "UTC" or "Asia/Shanghai". */
export type TimeZoneChoice = string;

/** "just now", "12 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" when there is no time. */
export function relativeTime(thenMs: number | null | undefined, nowMs: number): string {
  if (thenMs === null || thenMs === undefined || !Number.isFinite(thenMs) || thenMs <= 0) return "never";
  const secs = Math.round((nowMs - thenMs) / 1000);
  if (secs < 0) {
    // Clocks disagree a little between the provider and this computer; a fix "in 2 s" reads as now.
    return secs > -60 ? "just now" : `in ${describeSpan(-secs)}`;
  }
  if (secs < 5) return "just now";
  return `${describeSpan(secs)} ago`;
}

function describeSpan(secs: number): string {
  if (secs < 60) return `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min`;
  const hours = Math.floor(mins / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.floor(hours / 24);
  if (days < 365) return `${days} d`;
  const years = Math.floor(days / 365);
  return `${years} y`;
}

/** A duration in seconds as "45 s", "12 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(totalSecs: number): string {
  if (!Number.isFinite(totalSecs) || totalSecs < 0) return "—";
  const secs = Math.floor(totalSecs);
  if (secs < 60) return `${secs} s`;
  const mins = Math.floor(secs / 60);
  if (mins < 60) return `${mins} min`;
  const hours = Math.floor(mins / 60);
  if (hours < 24) {
    const m = mins % 60;
    return m ? `${hours} h ${m} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? `${days} d ${h} h` : `${days} d`;
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

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: TimeZoneChoice): Intl.DateTimeFormat {
  let f = formatterCache.get(tz);
  if (!f) {
    // en-CA-like ordering built from parts so the output is the same on every machine: a fleet
    // manager comparing two times must not have to parse locale-specific formats.
    f = new Intl.DateTimeFormat("en-GB", {
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
    formatterCache.set(tz, f);
  }
  return f;
}

/**
 * Unix seconds as "2024-05-03 14:22:05 GMT+8" in the chosen zone; "—" for the provider's 0
 * ("none"). An unknown zone falls back to UTC rather than failing the whole panel.
 */
export function formatDateTime(unixSecs: number | null | undefined, tz: TimeZoneChoice): string {
  if (unixSecs === null || unixSecs === undefined || !Number.isFinite(unixSecs) || unixSecs <= 0) return "—";
  const zone = isValidTimeZone(tz) ? tz : "UTC";
  const parts = formatterFor(zone).formatToParts(new Date(unixSecs * 1000));
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}:${get("second")} ${get("timeZoneName")}`.trim();
}

/** Unix seconds as a date only, "2024-05-03", in the chosen zone. */
export function formatDate(unixSecs: number | null | undefined, tz: TimeZoneChoice): string {
  const full = formatDateTime(unixSecs, tz);
  return full === "—" ? full : full.slice(0, 10);
}
