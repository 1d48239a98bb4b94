/**
 * The fake backend's stored history (src-tauri/crates/etrack-app/src/history/): one store per
 * signed-in account, whose size tests set; a notice (a damaged file kept aside) told once.
 */
import type { HistoryInfo, Settings } from "../bindings";

const MB = 1024 * 1024;

export class FakeHistory {
  /** Bytes in use per account ("account@provider"). */
  readonly bytes = new Map<string, number>();
  /** The size of an empty store. */
  emptyBytes = 36_864;
  /** Told by the next history_info, once (e.g. a damaged file kept aside). */
  notice: string | null = null;
  /** Makes the next clear fail with this message. */
  failClear: string | null = null;

  constructor(private readonly who: () => { account: string; key: string } | null) {}

  info(settings: Settings): HistoryInfo {
    const w = this.who();
    const notice = w ? this.notice : null;
    if (w) this.notice = null;
    return {
      bytes: w ? (this.bytes.get(w.key) ?? this.emptyBytes) : 0,
      limitBytes: settings.historyLimitMb * MB,
      account: w?.account ?? null,
      notice,
    };
  }

  clear(settings: Settings): HistoryInfo {
    const w = this.who();
    if (!w) throw new Error("You are not signed in.");
    if (this.failClear) {
      const message = this.failClear;
      this.failClear = null;
      throw new Error(message);
    }
    this.bytes.set(w.key, this.emptyBytes);
    return this.info(settings);
  }
}
