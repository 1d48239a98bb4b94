/**
 * The app's own updates, one per app start: the check (by hand from Settings, or quietly once
 * after signing in), the offer, the download and install with its progress, the restart. The
 * Settings dialog's Updates section and the top bar's notice draw this state; it outlives the
 * dialog, so closing Settings mid-download loses nothing.
 */
import type { AvailableUpdate, IpcError } from "./bindings";
import { toBackendError, type IBackend } from "./backend";
import { locale, t } from "./i18n";

export type UpdateState =
  | { kind: "idle" }
  | { kind: "checking" }
  | { kind: "current"; version: string }
  | { kind: "available"; offer: AvailableUpdate }
  | { kind: "downloading"; offer: AvailableUpdate; downloaded: number; total: number | null }
  | { kind: "installed"; version: string; restartNeeded: boolean }
  | { kind: "restarting"; version: string }
  | {
      kind: "error";
      /** The backend's words (English); `error` is worded in the user's language with errorText. */
      message: string;
      error: Pick<IpcError, "kind" | "message" | "apiCode" | "reason">;
      during: "check" | "install" | "restart";
    };

export type UpdateListener = (state: UpdateState) => void;

export class Updates {
  private current: UpdateState = { kind: "idle" };
  private readonly listeners = new Set<UpdateListener>();
  private quietStarted = false;

  constructor(private readonly backend: IBackend) {}

  get state(): UpdateState {
    return this.current;
  }

  /** While a check, a download or a restart is under way (the buttons wait). */
  get busy(): boolean {
    const k = this.current.kind;
    return k === "checking" || k === "downloading" || k === "restarting";
  }

  /** The version on offer, as long as it is not installed yet. */
  get offer(): AvailableUpdate | null {
    const s = this.current;
    return s.kind === "available" || s.kind === "downloading" ? s.offer : null;
  }

  /** Calls `listener` now and on every change; returns the unsubscribe. */
  subscribe(listener: UpdateListener): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  private set(state: UpdateState): void {
    this.current = state;
    for (const l of [...this.listeners]) l(state);
  }

  /** "Check for updates": asks the update service; failures are shown in its words. */
  async check(): Promise<void> {
    if (this.busy) return;
    this.set({ kind: "checking" });
    try {
      const found = await this.backend.updateCheck();
      this.set(found.available ? { kind: "available", offer: found.available } : { kind: "current", version: found.currentVersion });
    } catch (e) {
      this.set(failed(e, "check"));
    }
  }

  /**
   * The check at start: at the first sign-in of an app start only, when `enabled` then, in the
   * background. It changes nothing unless a version is on offer, and fails silently: nobody asked
   * for it.
   */
  async quietCheck(enabled: boolean): Promise<void> {
    if (this.quietStarted) return;
    this.quietStarted = true;
    if (!enabled) return;
    try {
      const found = await this.backend.updateCheck();
      // A check, download or install started by hand meanwhile knows better.
      const k = this.current.kind;
      if (found.available && (k === "idle" || k === "current")) this.set({ kind: "available", offer: found.available });
    } catch (e) {
      console.debug("quiet update check failed:", toBackendError(e).message);
    }
  }

  /** Downloads, verifies and installs the offered version, reporting the download's progress. */
  async install(): Promise<void> {
    const offer = this.offer;
    if (!offer || this.busy) return;
    this.set({ kind: "downloading", offer, downloaded: 0, total: null });
    let stop: (() => void) | null = null;
    try {
      stop = await this.backend.onUpdateProgress((p) => {
        if (this.current.kind === "downloading") this.set({ ...this.current, downloaded: p.downloaded, total: p.total });
      });
      const done = await this.backend.updateInstall(offer.version);
      this.set({ kind: "installed", version: done.version, restartNeeded: done.restartNeeded });
    } catch (e) {
      this.set(failed(e, "install"));
    } finally {
      stop?.();
    }
  }

  /** Restarts the app into the installed version. */
  async restart(): Promise<void> {
    const s = this.current;
    if (s.kind !== "installed") return;
    this.set({ kind: "restarting", version: s.version });
    try {
      await this.backend.appRestart();
    } catch (e) {
      this.set(failed(e, "restart"));
    }
  }
}

function failed(e: unknown, during: "check" | "install" | "restart"): UpdateState {
  const err = toBackendError(e);
  return { kind: "error", message: err.message, error: err.toJSON(), during };
}

/** "42 %" when the size is known, else "3.1 MB" so far (never more than has arrived). */
export function progressText(downloaded: number, total: number | null): string {
  const m = t().updates;
  if (total && total > 0) return m.percent({ n: Math.min(100, Math.floor((downloaded / total) * 100)) });
  return m.megabytes({ n: Math.floor(downloaded / 100_000) / 10 });
}

/**
 * A release's date (RFC 3339) in the language in use (or `lang`) and the chosen zone ("local" or
 * IANA), or null when there is none or it cannot be read.
 */
export function publishedDate(rfc3339: string | null, timeZone: string, lang: string = locale()): string | null {
  if (!rfc3339) return null;
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return null;
  const options: Intl.DateTimeFormatOptions = { dateStyle: "long" };
  if (timeZone !== "local") options.timeZone = timeZone;
  try {
    return new Intl.DateTimeFormat(lang, options).format(at);
  } catch {
    // An unknown zone: the computer's own rather than nothing.
    return new Intl.DateTimeFormat(lang, { dateStyle: "long" }).format(at);
  }
}
