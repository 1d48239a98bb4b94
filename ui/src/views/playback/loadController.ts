/**
 * Loading a period of the vehicle's history: asks the backend (which fetches it from the provider,
 * or serves it from what it already has), shows the progress it reports, lets the user cancel,
 * and keeps what arrived last. Only the latest request counts: an earlier one still under way is
 * cancelled, and whatever it returns is dropped.
 */
import type { IpcError, PlaybackLoaded, PlaybackProgress } from "../../bindings";
import { toBackendError, type IBackend, type Unsubscribe } from "../../backend";
import { h, setAttr, setText } from "../../dom";
import type { Period } from "../../lib/playbackTime";
import type { View } from "../view";
import type { Notice } from "./format";
import { t } from "../../i18n";
import { errorText } from "../../i18n/words";

export interface LoadControllerOptions {
  backend: IBackend;
  imei: string;
  /** A load began; what is on screen stays until its points arrive. */
  onStarted: () => void;
  /** Whether a load is under way. */
  onBusy: (busy: boolean) => void;
  /** What to tell the user about the load (null: nothing, or no longer anything). */
  onNotice: (notice: Notice | null) => void;
  /** The period arrived, all or part of it (`loaded` says which): draw it. */
  onLoaded: (loaded: PlaybackLoaded, points: ArrayBuffer) => Promise<void>;
}

/** `element`: the progress bar, its text and Cancel, for the header. */
export interface LoadController extends View {
  /** Resolves once the backend's progress reports are listened to. */
  readonly ready: Promise<void>;
  /** Loads `period`; resolves when it is drawn, failed, or replaced by a newer load. */
  load(period: Period): Promise<void>;
  /** What arrived last (what an export saves); null before anything did. */
  readonly loaded: PlaybackLoaded | null;
}

/** Ids are unique across views: progress reports are the backend's, for whichever view asked. */
let nextRequestId = 1;

function describe(l: PlaybackLoaded): Notice | null {
  if (l.error) return { text: errorText(l.error), kind: "warning" };
  if (l.count === 0) return { text: t().playback.noPositions, kind: "info" };
  return null;
}

export function createLoadController(opts: LoadControllerOptions): LoadController {
  const { backend, imei } = opts;
  const bar = h("div", { class: "pb-progress-bar" });
  const progressText = h("span", { class: "pb-progress-text" });
  const progress = h(
    "div",
    { class: "pb-progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0, "data-testid": "playback-progress", "data-state": "idle" },
    bar,
  );
  const cancelBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-cancel", disabled: true }, t().common.cancel);
  const element = h("div", { class: "slot-group" }, progress, progressText, cancelBtn);

  let current: { requestId: number; period: Period } | null = null;
  let loaded: PlaybackLoaded | null = null;
  let destroyed = false;
  let unlisten: Unsubscribe | null = null;
  const ready = backend.onPlaybackProgress((p) => onProgress(p)).then((u) => {
    if (destroyed) u();
    else unlisten = u;
  });

  function showPercent(pct: number): void {
    bar.style.width = `${pct}%`;
    setAttr(progress, "aria-valuenow", String(pct));
  }

  function onProgress(p: PlaybackProgress): void {
    if (!current || p.requestId !== current.requestId) return;
    const pct = p.totalSecs > 0 ? Math.min(100, Math.round((p.coveredSecs / p.totalSecs) * 100)) : 100;
    showPercent(pct);
    setText(progressText, t().playback.progress({ points: p.records, pct }));
  }

  function setBusy(busy: boolean): void {
    cancelBtn.disabled = !busy;
    opts.onBusy(busy);
  }

  async function load(p: Period): Promise<void> {
    if (current) void backend.playbackCancel(current.requestId).catch(() => undefined);
    const requestId = nextRequestId++;
    const mine = { requestId, period: p };
    current = mine;
    opts.onStarted();
    opts.onNotice(null);
    progress.dataset.state = "loading";
    showPercent(0);
    setText(progressText, t().common.loading);
    setBusy(true);
    let l: PlaybackLoaded;
    let points: ArrayBuffer;
    try {
      l = await backend.playbackLoad(requestId, imei, p.begin, p.end);
      if (current !== mine) return;
      const asked = performance.now();
      points = l.count > 0 ? await backend.playbackPoints(imei, p.begin, p.end) : new ArrayBuffer(0);
      // For the benchmarks: the backend's load time and the points' trip across IPC.
      progress.dataset.loadMs = l.elapsedMs.toFixed(0);
      progress.dataset.pointsMs = (performance.now() - asked).toFixed(1);
    } catch (e) {
      if (current !== mine) return;
      const err: IpcError = toBackendError(e);
      const cancelled = err.kind === "cancelled";
      // What was on screen before stays: the failure does not wipe a route the user is reading.
      const m = t().playback;
      opts.onNotice(cancelled ? { text: m.cancelledEarly, kind: "info" } : { text: errorText(err), kind: "error" });
      progress.dataset.state = cancelled ? "cancelled" : "failed";
      setText(progressText, cancelled ? m.cancelled : m.failed);
      setBusy(false);
      current = null;
      return;
    }
    if (current !== mine) return;
    current = null;
    setBusy(false);
    const pct = l.complete ? 100 : Math.round((l.coveredSecs / Math.max(1, p.end - p.begin)) * 100);
    showPercent(pct);
    progress.dataset.state = l.complete ? "done" : "partial";
    setText(progressText, t().playback.loaded({ points: l.count, cached: l.fromCache, pct: l.complete ? null : pct }));
    progress.dataset.count = String(l.count);
    opts.onNotice(describe(l));
    loaded = l;
    await opts.onLoaded(l, points);
  }

  cancelBtn.addEventListener("click", () => {
    if (current) {
      setText(progressText, t().playback.cancelling);
      void backend.playbackCancel(current.requestId).catch(() => undefined);
    }
  });

  return {
    element,
    ready,
    load,
    get loaded() {
      return loaded;
    },
    destroy() {
      destroyed = true;
      if (current) void backend.playbackCancel(current.requestId).catch(() => undefined);
      // A load still under way sees it is no longer current and draws nothing on the removed view.
      current = null;
      unlisten?.();
    },
  };
}
