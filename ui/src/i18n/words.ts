/** Words built from messages and data: an error for the user, an alarm's name. */
import { locale, t } from "./index";
import type { IpcError } from "../bindings";

/**
 * An error in the user's language: the provider's code when we know it, else the kind. The
 * backend's own (English) message is kept as the detail when it says more than the kind does, as
 * is the provider's text for a code we have no words for.
 */
export function errorText(e: Pick<IpcError, "kind" | "message" | "apiCode" | "reason">): string {
  const m = t().errors;
  if (e.apiCode !== null) {
    const known = (m.api as Readonly<Record<string, string | undefined>>)[String(e.apiCode)];
    if (known) return m.withCode({ code: e.apiCode, text: known });
    return m.withCode({ code: e.apiCode, text: e.message || m.kind.api });
  }
  const reason = e.reason ? (m.reasons as Readonly<Record<string, string | undefined>>)[e.reason] : undefined;
  if (reason) {
    // The backend's own sentence says the same in English, with a technical detail in brackets.
    if (locale() === "en" || locale().startsWith("en-")) return e.message || reason;
    return e.message && REASON_DETAILED.has(e.reason ?? "") ? `${reason} ${m.detail({ text: e.message })}` : reason;
  }
  // The backend words its errors in English: as they are in English, after the kind otherwise
  // (kept where they name what to fix, such as the field and the allowed range).
  if (locale() === "en" || locale().startsWith("en-")) return e.message || m.kind[e.kind];
  const kind = m.kind[e.kind];
  return e.message && DETAILED.has(e.kind) ? `${kind} ${m.detail({ text: e.message })}` : kind;
}

/** Reasons whose English detail (the system's or the service's words) is worth keeping. */
const REASON_DETAILED: ReadonlySet<string> = new Set(["updateUnreachable", "updateBadManifest", "updateInstallFailed"]);

// A network error's detail names the provider's address, which the user needs to check.
const DETAILED: ReadonlySet<IpcError["kind"]> = new Set(["network", "validation", "http", "decode", "keychain", "internal"]);

/** An alarm type's name by its number; "Alarm 42" for one the spec does not list. */
export function alarmName(code: number): string {
  const a = t().alarms;
  return (a.names as Readonly<Record<string, string | undefined>>)[String(code)] ?? a.unknown({ code });
}
