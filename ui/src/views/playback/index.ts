/**
 * Playback review of one vehicle: choose a period, load it (progress, cancel), read its route,
 * stops, trips and alarms, replay it (by elapsed time, 1x to 64x, follow mode), and export it.
 *
 * This module puts the parts together and keeps what they share, the route shown and what was read
 * off it: the header (period), the load controller (backend, progress), the side panel (totals,
 * lists, export), the replay controller (clock, controls), the map and the speed chart.
 */
import type { PlaybackLoaded } from "../../bindings";
import type { IBackend } from "../../backend";
import type { Store } from "../../state";
import { h } from "../../dom";
import { displayName } from "../../lib/search";
import { convertSpeed, speedUnitLabel } from "../../lib/units";
import { decodeRoute, EMPTY_ROUTE, type Route } from "../../lib/playbackRoute";
import { analyse, positionAt, type Analysis } from "../../lib/playbackAnalysis";
import { periodProblem, type PresetId } from "../../lib/playbackTime";
import type { ReplayClock } from "../../lib/playbackReplay";
import { PlaybackMap, type PlaybackMapOptions } from "../../map/playbackMap";
import { SpeedChart, type ChartData } from "../playbackChart";
import type { View } from "../view";
import { t } from "../../i18n";
import { shortTime } from "./format";
import { createPlaybackHeader } from "./header";
import { speedLegend } from "./legend";
import { createLoadController } from "./loadController";
import { createReplayController } from "./replayController";
import { createSidePanel } from "./sidePanel";

export interface PlaybackViewOptions {
  backend: IBackend;
  store: Store;
  imei: string;
  onClose: () => void;
  map?: PlaybackMapOptions;
  /** Draw the speed chart on a canvas (off in DOM-only tests). */
  chartCanvas?: boolean;
  /** Now, unix ms (tests). */
  now?: () => number;
  /** The period loaded on opening (default: today). */
  preset?: PresetId;
  /** requestAnimationFrame (tests drive frames themselves). */
  raf?: (cb: FrameRequestCallback) => number;
}

export interface PlaybackView extends View {
  readonly map: PlaybackMap;
  readonly clock: ReplayClock;
  /** Loads the chosen period; resolves when it is drawn (or failed). */
  load(): Promise<void>;
  /** Jumps the replay to route time `t`. */
  seek(t: number): void;
  /** The loaded route and what was read off it. */
  readonly route: Route;
  readonly analysis: Analysis | null;
}

export function createPlaybackView(opts: PlaybackViewOptions): PlaybackView {
  const { backend, store, imei } = opts;
  const raf = opts.raf ?? ((cb: FrameRequestCallback) => requestAnimationFrame(cb));
  const device = store.devices.get(imei);
  const title = device ? displayName(device) : imei;

  let route: Route = EMPTY_ROUTE;
  let analysis: Analysis | null = null;
  let destroyed = false;

  const loads = createLoadController({
    backend,
    imei,
    onStarted: () => {
      replay.pause();
      side.resetExport();
    },
    onBusy: (busy) => header.setLoading(busy),
    onNotice: (notice) => side.showMessage(notice),
    onLoaded: (l, points) => draw(l, points),
  });
  const header = createPlaybackHeader({
    title,
    imei,
    preset: opts.preset ?? "today",
    now: opts.now ?? (() => Date.now()),
    timeZone: () => store.settings.timeZone,
    progress: loads.element,
    onClose: opts.onClose,
    onLoad: () => void load(),
  });
  const side = createSidePanel({
    backend,
    store,
    imei,
    title,
    onStop: (s) => {
      replay.seek(s.start);
      map.map.setView([s.lat, s.lon], Math.max(map.map.getZoom(), 15), { animate: false });
    },
    onTrip: (tr) => {
      replay.seek(tr.start);
      map.fitRange(tr.first, tr.last);
    },
    onAlarm: (t) => replay.seek(t),
    onStopMinChange: () => {
      analysis = analyse(route, { minStopSecs: side.minStopSecs });
      side.showAnalysis(analysis);
      map.setStops(analysis.stops);
      chart.setData(chartData());
      replay.render();
    },
    onAlarmFilterChange: () => {
      map.setAlarms(side.mapAlarms());
      replay.render();
    },
  });
  const replay = createReplayController({
    store,
    raf,
    onMoment: (p, follow) => {
      map.setVehicle(p.lat, p.lon, p.course, follow);
      chart.setCursor(p.t);
    },
  });
  const chart = new SpeedChart({
    canvas: opts.chartCanvas,
    onHover: (t) => {
      if (t === null || route.n === 0) map.setHover(null);
      else {
        const p = positionAt(route, t);
        map.setHover(p ? { lat: p.lat, lon: p.lon } : null);
      }
    },
    onJump: (t) => replay.seek(t),
  });

  // Positioned inline: Leaflet, created before the view is in the document, would otherwise see no
  // computed position and make the container relative (and zero-high).
  const mapEl = h("div", { class: "pb-map", style: "position:absolute;inset:0", "data-testid": "playback-map", role: "region", "aria-label": t().playback.routeMap });
  const main = h("div", { class: "pb-main" }, h("div", { class: "pb-map-wrap" }, mapEl, speedLegend(store.settings.units)), replay.element, replay.readout, chart.element);
  const element = h("section", { class: "slot-view playback-view", "data-testid": "playback-view", "data-imei": imei }, header.element, h("div", { class: "pb-body" }, side.element, main));
  const map = new PlaybackMap(mapEl, store.settings, opts.map, { onJump: (t) => replay.seek(t) });

  function chartData(): ChartData | null {
    const l = loads.loaded;
    if (!l) return null;
    const u = store.settings.units;
    return {
      route,
      stops: analysis?.stops ?? [],
      alarmTimes: l.alarms.map((a) => a.gpstime),
      convert: (kmh) => convertSpeed(kmh, u),
      unit: speedUnitLabel(u),
      formatTime: (t) => shortTime(route, t, store.settings.timeZone),
    };
  }

  async function draw(l: PlaybackLoaded, points: ArrayBuffer): Promise<void> {
    const started = performance.now();
    const phases: Record<string, number> = {};
    let mark = started;
    const phase = (name: string): void => {
      const t = performance.now();
      phases[name] = Math.round((t - mark) * 10) / 10;
      mark = t;
    };
    route = decodeRoute(points);
    analysis = analyse(route, { minStopSecs: side.minStopSecs });
    side.showPeriod(l, route, analysis);
    phase("analyse");
    map.setRoute(route, analysis.stops, side.mapAlarms());
    phase("map");
    chart.setData(chartData());
    replay.setRoute(route);
    phase("chart");
    // Measured to the second frame: the canvas renderer paints on the next animation frame.
    await new Promise<void>((r) => raf(() => raf(() => r())));
    phase("frames");
    const ms = performance.now() - started;
    element.dataset.drawMs = ms.toFixed(1);
    element.dataset.drawPhases = JSON.stringify({ ...phases, mapDetail: map.timings, drawnPoints: map.drawnPoints });
    element.dataset.points = String(route.n);
  }

  async function load(): Promise<void> {
    await loads.ready;
    if (destroyed) return;
    const refuse = (text: string): void => side.showMessage({ text, kind: "error" });
    const p = header.period();
    if (p === null) return refuse(t().playback.periodMissing);
    const problem = periodProblem(p);
    if (problem !== null) return refuse(problem);
    await loads.load(p);
  }

  element.addEventListener("keydown", (ev) => replay.onKey(ev));
  element.tabIndex = -1;

  return {
    element,
    map,
    clock: replay.clock,
    load,
    seek: (t) => replay.seek(t),
    get route() {
      return route;
    },
    get analysis() {
      return analysis;
    },
    destroy() {
      destroyed = true;
      replay.destroy();
      loads.destroy();
      side.destroy();
      header.destroy();
      chart.destroy();
      map.destroy();
    },
  };
}
