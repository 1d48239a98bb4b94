/**
 * The app's own updates for the fake backend (view tests, the browser preview): a configurable
 * offer, download progress as "update-progress" events, and failures in the backend's words.
 * Like the real backend, "install" only installs the version the last check offered.
 */
import type { AboutInfo, AvailableUpdate, IpcError, UpdateCheck, UpdateInstalled, UpdateProgress } from "../bindings";
import { BackendError } from "../backend";

/** The backend's words for its update failures (src-tauri/crates/etrack-app/src/updates.rs). */
export const UPDATE_FAILURES = {
  notConfigured: { kind: "internal", message: "This build of etrack has no update service.", apiCode: null, reason: "updateNotConfigured" },
  unreachable: {
    kind: "network",
    message: "Cannot reach the update service (connection refused or no network). Try again later.",
    apiCode: null,
    reason: "updateUnreachable",
  },
  badSignature: {
    kind: "validation",
    message:
      "The update's signature does not match etrack's signing key, so it was not installed. The download may be damaged or not from the etrack developers.",
    apiCode: null,
    reason: "updateBadSignature",
  },
  nothingOffered: { kind: "validation", message: "That update is no longer offered: check for updates again.", apiCode: null, reason: "updateNothingOffered" },
} as const satisfies Record<string, IpcError>;

export interface FakeUpdatesOptions {
  /** The running version (default "0.1.0"). */
  currentVersion?: string;
  /** What the update service offers; null (the default): this version is the latest. */
  offer?: AvailableUpdate | null;
  /** Makes every check fail with this error. */
  checkError?: IpcError | null;
  /** Makes the install fail with this error, after the download (as a bad signature does). */
  installError?: IpcError | null;
  /** The package's size in bytes; null: the server does not say (progress in bytes only). */
  sizeBytes?: number | null;
  /** How many "update-progress" events a download sends (default 4). */
  chunks?: number;
}

export class FakeUpdates {
  currentVersion: string;
  offer: AvailableUpdate | null;
  checkError: IpcError | null;
  installError: IpcError | null;
  sizeBytes: number | null;
  chunks: number;
  /** The version installed by the last successful install, if any. */
  installed: string | null = null;
  /** How many times app_restart was called. */
  restarts = 0;
  /** The offer of the last successful check (what install may install). */
  private offered: AvailableUpdate | null = null;
  private readonly handlers = new Set<(p: UpdateProgress) => void>();
  private hold: Promise<void> | null = null;

  constructor(opts: FakeUpdatesOptions = {}) {
    this.currentVersion = opts.currentVersion ?? "0.1.0";
    this.offer = opts.offer ?? null;
    this.checkError = opts.checkError ?? null;
    this.installError = opts.installError ?? null;
    this.sizeBytes = opts.sizeBytes === undefined ? 8_400_000 : opts.sizeBytes;
    this.chunks = opts.chunks ?? 4;
  }

  about(): AboutInfo {
    return {
      name: "etrack",
      version: this.currentVersion,
      licence: "MIT",
      copyright: "Copyright (c) 2026 etrack developers",
      platform: "linux x86_64",
      webview: "2.48.3",
    };
  }

  check(): UpdateCheck {
    if (this.checkError) throw new BackendError(this.checkError);
    this.offered = this.offer ? { ...this.offer } : null;
    return { currentVersion: this.currentVersion, available: this.offered ? { ...this.offered } : null };
  }

  /**
   * Stops the next downloads halfway (after half the progress events) until the returned function
   * is called, so a test can look at the progress shown.
   */
  holdDownload(): () => void {
    let release: () => void = () => undefined;
    this.hold = new Promise<void>((r) => (release = r));
    return () => {
      this.hold = null;
      release();
    };
  }

  async install(version: string): Promise<UpdateInstalled> {
    if (!this.offered || this.offered.version !== version) throw new BackendError(UPDATE_FAILURES.nothingOffered);
    const size = this.sizeBytes ?? 5_200_000;
    for (let i = 1; i <= this.chunks; i++) {
      if (i === Math.floor(this.chunks / 2) + 1 && this.hold) await this.hold;
      const downloaded = Math.round((size * i) / this.chunks);
      for (const h of this.handlers) h({ downloaded, total: this.sizeBytes });
      await Promise.resolve();
    }
    if (this.installError) throw new BackendError(this.installError);
    this.installed = version;
    return { version, restartNeeded: true };
  }

  restart(): void {
    this.restarts += 1;
  }

  onProgress(handler: (p: UpdateProgress) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
