/** Service expiry (platform and user due times) and the warning shown before it. */
import { t } from "../i18n";

/** Warn this many days ahead: a month is the time a fleet manager needs to renew. */
export const EXPIRY_WARNING_DAYS = 30;

export type Expiry =
  | { kind: "none" }
  | { kind: "expired"; days: number }
  | { kind: "soon"; days: number }
  | { kind: "ok"; days: number };

const DAY_MS = 86_400_000;

/** The provider writes 0 for "no expiry". `days` counts whole days left (or past, when expired). */
export function expiryOf(dueUnixSecs: number, nowMs: number): Expiry {
  if (!Number.isFinite(dueUnixSecs) || dueUnixSecs <= 0) return { kind: "none" };
  const leftMs = dueUnixSecs * 1000 - nowMs;
  if (leftMs <= 0) return { kind: "expired", days: Math.floor(-leftMs / DAY_MS) };
  const days = Math.floor(leftMs / DAY_MS);
  return days < EXPIRY_WARNING_DAYS ? { kind: "soon", days } : { kind: "ok", days };
}

/** A short note to show next to the date, or "" when nothing needs saying. */
export function expiryNote(e: Expiry): string {
  const m = t().details;
  switch (e.kind) {
    case "expired":
      return e.days === 0 ? m.expiredToday : m.expiredAgo({ days: e.days });
    case "soon":
      return e.days === 0 ? m.expiresToday : m.expiresIn({ days: e.days });
    default:
      return "";
  }
}

/** True when the user should act. */
export function needsAttention(e: Expiry): boolean {
  return e.kind === "expired" || e.kind === "soon";
}
