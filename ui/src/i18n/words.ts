/** Words built from messages and data: an error for the user, an alarm's name. */
import { locale, t } from "./index";
import type { IpcError } from "../bindings";

/**
 * An error in the user's language: the provider's code when we know it, else the kind. The
 * backend's own (English) message is kept as the detail when it says more than the kind does, as
 * is the provider's text for a code we have no words for.
 */
export function errorText(e: Pick<IpcError, "kind" | "message" | "apiCode">): string {
  const m = t().errors;
  if (e.apiCode !== null) {
    const known = (m.api as Readonly<Record<string, string | undefined>>)[String(e.apiCode)];
    if (known) return m.withCode({ code: e.apiCode, text: known });
    return m.withCode({ code: e.apiCode, text: e.message || m.kind.api });
  }
  // The backend words its errors in English: as they are in English, after the kind otherwise
  // (kept where they name what to fix, such as the field and the allowed range).
  if (locale() === "en" || locale().startsWith("en-")) return e.message || m.kind[e.kind];
  const kind = m.kind[e.kind];
  return e.message && DETAILED.has(e.kind) ? `${kind} ${m.detail({ text: e.message })}` : kind;
}

const DETAILED: ReadonlySet<IpcError["kind"]> = new Set(["validation", "http", "decode", "keychain", "internal"]);

/** An alarm type's name by its number; "Alarm 42" for one the spec does not list. */
export function alarmName(code: number): string {
  const a = t().alarms;
  return (a.names as Readonly<Record<string, string | undefined>>)[String(code)] ?? a.unknown({ code });
}
