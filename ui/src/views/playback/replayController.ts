/**
 * Replaying the route by elapsed time (1x to 64x): the play, step and speed controls, the scrubber,
 * follow mode, the readout of the moment, and the animation loop that advances the clock. Where the
 * moment is drawn (the vehicle on the map, the chart's cursor) is the view's: `onMoment`.
 */
import type { Store } from "../../state";
import { h, setAttr, setText } from "../../dom";
import { formatDateTime } from "../../lib/time";
import { formatCoordinates, formatCourse, formatSpeed } from "../../lib/units";
import { EMPTY_ROUTE, indexAtTime, type Route } from "../../lib/playbackRoute";
import { positionAt, type ReplayPosition } from "../../lib/playbackAnalysis";
import { REPLAY_SPEEDS, ReplayClock } from "../../lib/playbackReplay";
import type { View } from "../view";
import { t } from "../../i18n";

export interface ReplayControllerOptions {
  store: Store;
  /** requestAnimationFrame (tests drive frames themselves). */
  raf: (cb: FrameRequestCallback) => number;
  /** The replay is at `p`: draw it there; `follow` when the map should keep it in view. */
  onMoment: (p: ReplayPosition, follow: boolean) => void;
}

/** `element`: the bar of controls; `readout` goes under it, apart. */
export interface ReplayController extends View {
  readonly clock: ReplayClock;
  readonly readout: HTMLElement;
  /** A new route: back to its start, paused; the controls work while it has points. */
  setRoute(route: Route): void;
  /** Jumps to route time `t`. */
  seek(t: number): void;
  /** Draws the current moment again (something else it depends on changed). */
  render(): void;
  pause(): void;
  /** Space plays or pauses, the arrows step point by point (not while typing in a field). */
  onKey(ev: KeyboardEvent): void;
}

const FIELDS = new Set(["INPUT", "SELECT", "TEXTAREA"]);

export function createReplayController(opts: ReplayControllerOptions): ReplayController {
  const { store, raf } = opts;
  const m = t().playback;
  const playBtn = h("button", { type: "button", class: "btn primary pb-play", "data-testid": "playback-play", "aria-label": m.play, disabled: true }, m.playButton);
  const prevBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-prev", title: m.previousPoint, "aria-label": m.previousPoint, disabled: true }, "◀");
  const nextBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-next", title: m.nextPoint, "aria-label": m.nextPoint, disabled: true }, "▶");
  const slider = h("input", { type: "range", class: "pb-slider", min: 0, max: 1, step: 1, value: 0, "data-testid": "playback-slider", "aria-label": m.replayTime, disabled: true });
  const speedSel = h("select", { class: "slot-input", "data-testid": "playback-speed", "aria-label": m.replaySpeed }, ...REPLAY_SPEEDS.map((s) => h("option", { value: s }, m.speedTimes({ n: s }))));
  const follow = h("input", { type: "checkbox", "data-testid": "playback-follow", checked: true });
  const readout = h("div", { class: "pb-readout", "data-testid": "playback-readout", "aria-live": "off" });
  const element = h("div", { class: "pb-replay" }, playBtn, prevBtn, nextBtn, slider, speedSel, h("label", { class: "pb-follow small" }, follow, m.keepInView));

  const clock = new ReplayClock(0, 1);
  speedSel.value = String(clock.speed);
  let route: Route = EMPTY_ROUTE;
  let frame: number | null = null;
  let scrubbing = false;
  let destroyed = false;

  function render(followNow = follow.checked): void {
    if (route.n === 0) {
      setText(readout, "");
      return;
    }
    const p = positionAt(route, clock.t);
    if (!p) return;
    opts.onMoment(p, followNow);
    if (!scrubbing) slider.value = String(Math.round(clock.t - clock.start));
    const u = store.settings.units;
    setText(readout, `${formatDateTime(clock.t, store.settings.timeZone)} · ${formatSpeed(p.speed, u)} · ${formatCourse(p.course)} · ${formatCoordinates(p.lat, p.lon)}`);
    readout.dataset.t = String(Math.floor(clock.t));
    readout.dataset.index = String(p.index);
    const playing = clock.playing;
    const m = t().playback;
    setText(playBtn, playing ? m.pauseButton : m.playButton);
    setAttr(playBtn, "aria-label", playing ? m.pause : m.play);
    setAttr(playBtn, "aria-pressed", String(playing));
  }

  function loop(ms: number): void {
    frame = null;
    if (destroyed) return;
    clock.tick(ms);
    render();
    if (clock.playing) frame = raf(loop);
  }

  function schedule(): void {
    if (frame === null && !destroyed) frame = raf(loop);
  }

  function seek(t: number): void {
    clock.seek(t);
    render();
  }

  function togglePlay(): void {
    if (route.n === 0) return;
    if (clock.playing) clock.pause();
    else clock.play(performance.now());
    render();
    if (clock.playing) schedule();
  }

  function step(dir: -1 | 1): void {
    if (route.n === 0) return;
    clock.pause();
    const i = indexAtTime(route, clock.t);
    const at = route.t[i]!;
    const target = dir < 0 ? (clock.t > at ? at : route.t[Math.max(0, i - 1)]!) : route.t[Math.min(route.n - 1, i + 1)]!;
    seek(target);
  }

  playBtn.addEventListener("click", togglePlay);
  prevBtn.addEventListener("click", () => step(-1));
  nextBtn.addEventListener("click", () => step(1));
  speedSel.addEventListener("change", () => {
    clock.speed = Number(speedSel.value);
  });
  slider.addEventListener("pointerdown", () => {
    scrubbing = true;
  });
  const endScrub = (): void => {
    scrubbing = false;
    render();
  };
  slider.addEventListener("pointerup", endScrub);
  slider.addEventListener("change", endScrub);
  slider.addEventListener("input", () => {
    clock.seek(clock.start + Number(slider.value));
    // While dragging, the map is not moved under the user's eyes (a pan redraws the whole route);
    // follow mode catches up when the slider is let go.
    render(false);
  });
  follow.addEventListener("change", () => render());

  return {
    element,
    readout,
    clock,
    setRoute(r) {
      route = r;
      if (r.n > 0) {
        clock.reset(r.t[0]!, r.t[r.n - 1]!);
        clock.speed = Number(speedSel.value);
        slider.max = String(Math.max(1, Math.round(clock.end - clock.start)));
      }
      for (const el of [playBtn, prevBtn, nextBtn, slider]) el.disabled = r.n === 0;
      render();
    },
    seek,
    render: () => render(),
    pause: () => clock.pause(),
    onKey(ev) {
      const target = ev.target;
      if (target instanceof Element && FIELDS.has(target.tagName)) return;
      if (ev.key === " ") {
        ev.preventDefault();
        togglePlay();
      } else if (ev.key === "ArrowLeft") step(-1);
      else if (ev.key === "ArrowRight") step(1);
    },
    destroy() {
      destroyed = true;
      clock.pause();
    },
  };
}
