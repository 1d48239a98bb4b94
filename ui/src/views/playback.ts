/**
 * Playback review of one vehicle: choose a period, load it (progress, cancel), read its route,
 * stops, trips and alarms, replay it (by elapsed time, 1x to 64x, follow mode), and export it.
 */
import type { ExportFormat, IpcError, PlaybackLoaded, PlaybackProgress } from "../bindings";
import { toBackendError, type IBackend, type Unsubscribe } from "../backend";
import type { Store } from "../state";
import { h, setAttr, setText } from "../dom";
import { displayName } from "../lib/search";
import { formatDateTime, formatDuration } from "../lib/time";
import { convertSpeed, formatCoordinates, formatCourse, formatSpeed, speedUnitLabel } from "../lib/units";
import { decodeRoute, EMPTY_ROUTE, indexAtTime, type Route } from "../lib/playbackRoute";
import { analyse, positionAt, SPEED_CLASSES, type Analysis } from "../lib/playbackAnalysis";
import { fromInputValue, PRESETS, presetPeriod, periodProblem, toInputValue, type Period, type PresetId } from "../lib/playbackTime";
import { REPLAY_SPEEDS, ReplayClock } from "../lib/playbackReplay";
import { PlaybackMap, type MapAlarm, type PlaybackMapOptions } from "../map/playbackMap";
import { SpeedChart, type ChartData } from "./playbackChart";
import "../styles/playback.css";

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

export interface PlaybackView {
  readonly element: HTMLElement;
  readonly map: PlaybackMap;
  readonly clock: ReplayClock;
  /** Loads the chosen period; resolves when it is drawn (or failed). */
  load(): Promise<void>;
  /** Jumps the replay to route time `t`. */
  seek(t: number): void;
  /** The loaded route and what was read off it. */
  readonly route: Route;
  readonly analysis: Analysis | null;
  destroy(): void;
}

const EXPORT_FORMATS: ReadonlyArray<[ExportFormat, string]> = [
  ["gpx", "GPX"],
  ["kml", "KML"],
  ["csv", "CSV"],
  ["geojson", "GeoJSON"],
];

let nextRequestId = 1;

function groupThousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function formatDistance(metres: number, units: string): string {
  if (units === "mph") return `${(metres / 1609.344).toFixed(1)} mi`;
  return metres < 1000 ? `${Math.round(metres)} m` : `${(metres / 1000).toFixed(1)} km`;
}

export function createPlaybackView(opts: PlaybackViewOptions): PlaybackView {
  const { backend, store, imei } = opts;
  const now = opts.now ?? (() => Date.now());
  const raf = opts.raf ?? ((cb: FrameRequestCallback) => requestAnimationFrame(cb));
  const tz = (): string => store.settings.timeZone;
  const units = (): string => store.settings.units;
  const device = store.devices.get(imei);
  const title = device ? displayName(device) : imei;

  // ---- header: period, load, progress, export ----
  const back = h("button", { type: "button", class: "btn ghost pb-back", "data-testid": "playback-close", title: "Back to the fleet" }, "← Fleet");
  const preset = h(
    "select",
    { class: "slot-input", "data-testid": "playback-preset", "aria-label": "Period" },
    ...PRESETS.map((p) => h("option", { value: p.id }, p.label)),
    h("option", { value: "custom" }, "Custom…"),
  );
  const from = h("input", { type: "datetime-local", class: "slot-input", "data-testid": "playback-from", "aria-label": "From" });
  const to = h("input", { type: "datetime-local", class: "slot-input", "data-testid": "playback-to", "aria-label": "To" });
  const loadBtn = h("button", { type: "button", class: "btn primary", "data-testid": "playback-load" }, "Load");
  const bar = h("div", { class: "pb-progress-bar" });
  const progressText = h("span", { class: "pb-progress-text" });
  const progress = h(
    "div",
    { class: "pb-progress", role: "progressbar", "aria-valuemin": 0, "aria-valuemax": 100, "aria-valuenow": 0, "data-testid": "playback-progress", "data-state": "idle" },
    bar,
  );
  const cancelBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-cancel", disabled: true }, "Cancel");
  const formatSel = h("select", { class: "slot-input", "data-testid": "playback-export-format", "aria-label": "Export format" }, ...EXPORT_FORMATS.map(([v, l]) => h("option", { value: v }, l)));
  const exportBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "playback-export", disabled: true }, "Export…");
  const exportStatus = h("span", { class: "pb-export-status muted small", "data-testid": "playback-export-status", "aria-live": "polite" });
  const header = h(
    "header",
    { class: "slot-header pb-header" },
    back,
    h("div", { class: "pb-title" }, h("h2", { class: "slot-title" }, `Playback · ${title}`), h("span", { class: "muted small mono" }, imei)),
    h("div", { class: "slot-group" }, preset, from, h("span", { class: "muted" }, "–"), to, loadBtn),
    h("div", { class: "slot-group" }, progress, progressText, cancelBtn),
  );

  // ---- side panel: message, stats, stops, trips, alarms ----
  const message = h("div", { class: "pb-message", role: "status", "data-testid": "playback-message", hidden: true });
  const stats = h("dl", { class: "pb-stats", "data-testid": "playback-stats" });
  const stopMin = h("input", { type: "number", class: "slot-input pb-stopmin", min: 1, max: 120, step: 1, value: 3, "data-testid": "playback-stop-min", "aria-label": "Shortest stop in minutes" });
  const stopsList = h("ol", { class: "pb-list", "data-testid": "playback-stops" });
  const tripsList = h("ol", { class: "pb-list", "data-testid": "playback-trips" });
  const alarmFilter = h("select", { class: "slot-input", "data-testid": "playback-alarm-filter", "aria-label": "Alarm type" });
  const alarmsList = h("ol", { class: "pb-list", "data-testid": "playback-alarms" });
  const tabs: Array<[string, string, HTMLElement]> = [
    ["stops", "Stops", h("div", { class: "pb-tab" }, h("label", { class: "pb-stopmin-label small muted" }, "Stops of at least ", stopMin, " min"), stopsList)],
    ["trips", "Trips", h("div", { class: "pb-tab" }, tripsList)],
    ["alarms", "Alarms", h("div", { class: "pb-tab" }, alarmFilter, alarmsList)],
  ];
  const tabButtons = tabs.map(([id, label]) => h("button", { type: "button", class: "pb-tab-btn", role: "tab", "data-tab": id, "data-testid": `playback-tab-${id}` }, label));
  const tabCounts = new Map<string, HTMLElement>();
  tabButtons.forEach((b) => {
    const c = h("span", { class: "pb-count" });
    tabCounts.set(b.dataset.tab!, c);
    b.append(c);
  });
  const side = h(
    "aside",
    { class: "pb-side" },
    message,
    stats,
    h("div", { class: "pb-export" }, h("span", { class: "small muted" }, "Export as"), formatSel, exportBtn),
    exportStatus,
    h("div", { class: "pb-tabs", role: "tablist" }, ...tabButtons),
    ...tabs.map(([, , el]) => el),
  );
  // Lists are drawn when their tab is shown: a month of history has hundreds of stops and trips,
  // and laying them all out would hold up the route.
  const dirty = new Set<string>();
  const listLimit = new Map<string, number>();
  let activeTab = "stops";
  const renderTab = (id: string): void => {
    dirty.delete(id);
    if (id === "stops") renderStops();
    else if (id === "trips") renderTrips();
    else renderAlarms();
  };
  const showTab = (id: string): void => {
    activeTab = id;
    tabs.forEach(([tid, , el], k) => {
      el.hidden = tid !== id;
      tabButtons[k]!.classList.toggle("is-active", tid === id);
      setAttr(tabButtons[k]!, "aria-selected", String(tid === id));
    });
    if (dirty.has(id)) renderTab(id);
  };
  const refreshLists = (): void => {
    for (const [id] of tabs) dirty.add(id);
    renderTab(activeTab);
    setText(tabCounts.get("stops")!, ` ${analysis?.stops.length ?? 0}`);
    setText(tabCounts.get("trips")!, ` ${analysis?.trips.length ?? 0}`);
    setText(tabCounts.get("alarms")!, ` ${loaded?.alarms.length ?? 0}`);
  };
  /** The first items of a long list, and a button for the rest. */
  const capped = <T,>(id: string, items: readonly T[], list: HTMLElement): readonly T[] => {
    const limit = listLimit.get(id) ?? 50;
    if (items.length <= limit) return items;
    const more = h("button", { type: "button", class: "btn link pb-more small" }, `Show all ${items.length}`);
    more.addEventListener("click", () => {
      listLimit.set(id, Infinity);
      renderTab(id);
    });
    queueMicrotask(() => list.after(more));
    list.dataset.more = "1";
    return items.slice(0, limit);
  };
  tabButtons.forEach((b) => b.addEventListener("click", () => showTab(b.dataset.tab!)));
  showTab("stops");

  // ---- map, replay bar, chart ----
  // Positioned inline: Leaflet, created before the view is in the document, would otherwise see no
  // computed position and make the container relative (and zero-high).
  const mapEl = h("div", { class: "pb-map", style: "position:absolute;inset:0", "data-testid": "playback-map", role: "region", "aria-label": "Route map" });
  const legend = h("div", { class: "pb-legend", "data-testid": "playback-legend" });
  const playBtn = h("button", { type: "button", class: "btn primary pb-play", "data-testid": "playback-play", "aria-label": "Play", disabled: true }, "▶ Play");
  const prevBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-prev", title: "Previous point", "aria-label": "Previous point", disabled: true }, "◀");
  const nextBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "playback-next", title: "Next point", "aria-label": "Next point", disabled: true }, "▶");
  const slider = h("input", { type: "range", class: "pb-slider", min: 0, max: 1, step: 1, value: 0, "data-testid": "playback-slider", "aria-label": "Replay time", disabled: true });
  const speedSel = h("select", { class: "slot-input", "data-testid": "playback-speed", "aria-label": "Replay speed" }, ...REPLAY_SPEEDS.map((s) => h("option", { value: s }, `${s}×`)));
  const follow = h("input", { type: "checkbox", "data-testid": "playback-follow", checked: true });
  const readout = h("div", { class: "pb-readout", "data-testid": "playback-readout", "aria-live": "off" });
  const replay = h(
    "div",
    { class: "pb-replay" },
    playBtn,
    prevBtn,
    nextBtn,
    slider,
    speedSel,
    h("label", { class: "pb-follow small" }, follow, " Keep in view"),
  );
  const chart = new SpeedChart({
    canvas: opts.chartCanvas,
    onHover: (t) => {
      if (t === null || route.n === 0) map.setHover(null);
      else {
        const p = positionAt(route, t);
        map.setHover(p ? { lat: p.lat, lon: p.lon } : null);
      }
    },
    onJump: (t) => seek(t),
  });
  const main = h("div", { class: "pb-main" }, h("div", { class: "pb-map-wrap" }, mapEl, legend), replay, readout, chart.element);
  const element = h("section", { class: "slot-view playback-view", "data-testid": "playback-view", "data-imei": imei }, header, h("div", { class: "pb-body" }, side, main));

  const map = new PlaybackMap(mapEl, store.settings, opts.map, { onJump: (t) => seek(t) });
  const clock = new ReplayClock(0, 1);
  speedSel.value = String(clock.speed);

  // ---- state ----
  let route: Route = EMPTY_ROUTE;
  let analysis: Analysis | null = null;
  let loaded: PlaybackLoaded | null = null;
  let current: { requestId: number; period: Period } | null = null;
  let frame: number | null = null;
  let scrubbing = false;
  let destroyed = false;
  let unlisten: Unsubscribe | null = null;
  const ready = backend.onPlaybackProgress((p) => onProgress(p)).then((u) => {
    if (destroyed) u();
    else unlisten = u;
  });

  function showMessage(text: string | null, kind: "info" | "warning" | "error" = "info"): void {
    message.hidden = text === null;
    setAttr(message, "data-kind", text === null ? null : kind);
    setText(message, text ?? "");
  }

  function period(): Period | null {
    const b = fromInputValue(from.value, tz());
    const e = fromInputValue(to.value, tz());
    if (b === null || e === null) return null;
    return { begin: b, end: e };
  }

  function applyPreset(id: PresetId): void {
    const p = presetPeriod(id, now() / 1000, tz());
    from.value = toInputValue(p.begin, tz());
    // The pickers show minutes: "now" is rounded up so the last minute is not cut off.
    to.value = toInputValue(Math.ceil(p.end / 60) * 60, tz());
  }

  function renderLegend(): void {
    const u = units() === "mph" ? "mph" : "kmh";
    const edges = SPEED_CLASSES.map((c) => convertSpeed(c.fromKmh, u));
    legend.replaceChildren(
      h("span", { class: "muted small" }, speedUnitLabel(u)),
      ...SPEED_CLASSES.map((c, k) => {
        const next = edges[k + 1];
        const label = next === undefined ? `≥ ${edges[k]}` : k === 0 ? `< ${next}` : `${edges[k]}–${next}`;
        return h("span", { class: "pb-legend-item" }, h("i", { style: `background:${c.color}` }), label);
      }),
    );
  }

  function onProgress(p: PlaybackProgress): void {
    if (!current || p.requestId !== current.requestId) return;
    const pct = p.totalSecs > 0 ? Math.min(100, Math.round((p.coveredSecs / p.totalSecs) * 100)) : 100;
    bar.style.width = `${pct}%`;
    setAttr(progress, "aria-valuenow", String(pct));
    setText(progressText, `${groupThousands(p.records)} points · ${pct}%`);
  }

  function timeText(t: number): string {
    return formatDateTime(t, tz());
  }

  /** Times in lists: the date only when the period spans several days. */
  function shortTime(t: number): string {
    const full = formatDateTime(t, tz());
    const multiDay = route.n > 0 && route.t[route.n - 1]! - route.t[0]! > 86_400;
    return multiDay ? full.slice(5, 16) : full.slice(11, 16);
  }

  function alarmWords(type: number): string {
    return loaded?.alarmNames.find((n) => n.code === type)?.words ?? `Alarm ${type}`;
  }

  function visibleAlarms(): PlaybackLoaded["alarms"] {
    const all = loaded?.alarms ?? [];
    const f = alarmFilter.value;
    return f === "" || f === "all" ? all : all.filter((a) => String(a.type) === f);
  }

  function mapAlarms(): MapAlarm[] {
    return visibleAlarms().map((a) => ({ lat: a.latitude, lon: a.longitude, gpstime: a.gpstime, label: `${alarmWords(a.type)} · ${timeText(a.gpstime)}` }));
  }

  function renderStats(): void {
    stats.replaceChildren();
    if (!analysis || route.n === 0) return;
    const t = analysis.totals;
    const u = units() === "mph" ? "mph" : "kmh";
    const rows: Array<[string, string, string]> = [
      ["Distance", formatDistance(t.distanceM, u), "distance"],
      ["Driving", formatDuration(t.drivingSecs), "driving"],
      ["Stopped", formatDuration(t.stoppedSecs), "stopped"],
      ["Max speed", formatSpeed(t.maxKmh, u), "max-speed"],
      ["Points", groupThousands(t.points), "points"],
    ];
    for (const [label, value, field] of rows) stats.append(h("dt", {}, label), h("dd", { "data-field": field }, value));
    stats.dataset.points = String(t.points);
  }

  function clearMore(list: HTMLElement): void {
    if (list.dataset.more && list.nextElementSibling?.classList.contains("pb-more")) list.nextElementSibling.remove();
    delete list.dataset.more;
  }

  function renderStops(): void {
    const a = analysis;
    clearMore(stopsList);
    stopsList.replaceChildren();
    if (!a) return;
    capped("stops", a.stops, stopsList).forEach((s, k) => {
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": s.start, "data-testid": "playback-stop" },
        h("span", { class: "pb-badge stop" }, String(k + 1)),
        h("div", {}, h("strong", {}, `${shortTime(s.start)} – ${shortTime(s.end)}`), h("span", { class: "muted" }, ` · ${formatDuration(s.durationSecs)}`), h("div", { class: "muted small mono" }, formatCoordinates(s.lat, s.lon))),
      );
      li.addEventListener("click", () => {
        seek(s.start);
        map.map.setView([s.lat, s.lon], Math.max(map.map.getZoom(), 15), { animate: false });
      });
      stopsList.append(li);
    });
    if (a.stops.length === 0) stopsList.append(h("li", { class: "muted small pb-empty" }, route.n ? "No stops this long in the period." : "—"));
  }

  function renderTrips(): void {
    const a = analysis;
    clearMore(tripsList);
    tripsList.replaceChildren();
    if (!a) return;
    const u = units() === "mph" ? "mph" : "kmh";
    capped("trips", a.trips, tripsList).forEach((tr) => {
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": tr.start, "data-testid": "playback-trip" },
        h("span", { class: "pb-badge trip" }, "→"),
        h(
          "div",
          {},
          h("strong", {}, `${shortTime(tr.start)} – ${shortTime(tr.end)}`),
          h("span", { class: "muted" }, ` · ${formatDistance(tr.distanceM, u)} · ${formatDuration(tr.durationSecs)}`),
          h("div", { class: "muted small" }, `max ${formatSpeed(tr.maxKmh, u)} · avg ${formatSpeed(tr.avgKmh, u)}`),
        ),
      );
      li.addEventListener("click", () => {
        seek(tr.start);
        map.fitRange(tr.first, tr.last);
      });
      tripsList.append(li);
    });
    if (a.trips.length === 0) tripsList.append(h("li", { class: "muted small pb-empty" }, "No trips in the period."));
  }

  function renderAlarms(): void {
    clearMore(alarmsList);
    alarmsList.replaceChildren();
    const list = visibleAlarms();
    const u = units() === "mph" ? "mph" : "kmh";
    for (const a of capped("alarms", list, alarmsList)) {
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": a.gpstime, "data-type": a.type, "data-testid": "playback-alarm" },
        h("span", { class: "pb-badge alarm" }, "!"),
        h("div", {}, h("strong", {}, alarmWords(a.type)), h("span", { class: "muted" }, ` · ${shortTime(a.gpstime)}`), h("div", { class: "muted small" }, formatSpeed(a.speed, u))),
      );
      li.addEventListener("click", () => seek(a.gpstime));
      alarmsList.append(li);
    }
    if (loaded?.alarmsError) alarmsList.append(h("li", { class: "pb-empty small warn" }, `Alarms could not be loaded: ${loaded.alarmsError.message}`));
    else if (list.length === 0) alarmsList.append(h("li", { class: "muted small pb-empty" }, "No alarms in the period."));
  }

  function fillAlarmFilter(): void {
    const names = loaded?.alarmNames ?? [];
    alarmFilter.replaceChildren(
      h("option", { value: "all" }, `All alarms (${loaded?.alarms.length ?? 0})`),
      ...names.map((n) => h("option", { value: String(n.code) }, `${n.words} (${loaded?.alarms.filter((a) => a.type === n.code).length ?? 0})`)),
    );
    alarmFilter.disabled = names.length === 0;
  }

  function setReplayEnabled(on: boolean): void {
    for (const el of [playBtn, prevBtn, nextBtn, slider]) el.disabled = !on;
  }

  /** Draws the replay's current moment: marker, slider, chart cursor, readout. */
  function render(followNow = follow.checked): void {
    if (route.n === 0) {
      setText(readout, "");
      return;
    }
    const p = positionAt(route, clock.t);
    if (!p) return;
    map.setVehicle(p.lat, p.lon, p.course, followNow);
    if (!scrubbing) slider.value = String(Math.round(clock.t - clock.start));
    chart.setCursor(clock.t);
    const u = units() === "mph" ? "mph" : "kmh";
    setText(readout, `${timeText(clock.t)} · ${formatSpeed(p.speed, u)} · ${formatCourse(p.course)} · ${formatCoordinates(p.lat, p.lon)}`);
    readout.dataset.t = String(Math.floor(clock.t));
    readout.dataset.index = String(p.index);
    const playing = clock.playing;
    setText(playBtn, playing ? "❚❚ Pause" : "▶ Play");
    setAttr(playBtn, "aria-label", playing ? "Pause" : "Play");
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

  function reanalyse(): void {
    const mins = Number(stopMin.value);
    analysis = analyse(route, { minStopSecs: Number.isFinite(mins) && mins > 0 ? mins * 60 : 180 });
    renderStats();
    listLimit.clear();
    refreshLists();
  }

  function chartData(): ChartData | null {
    if (!loaded) return null;
    const u = units() === "mph" ? "mph" : "kmh";
    return {
      route,
      stops: analysis?.stops ?? [],
      alarmTimes: loaded.alarms.map((a) => a.gpstime),
      convert: (kmh) => convertSpeed(kmh, u),
      unit: speedUnitLabel(u),
      formatTime: shortTime,
    };
  }

  async function drawLoaded(l: PlaybackLoaded, buffer: ArrayBuffer): Promise<void> {
    const started = performance.now();
    const phases: Record<string, number> = {};
    let mark = started;
    const phase = (name: string): void => {
      const t = performance.now();
      phases[name] = Math.round((t - mark) * 10) / 10;
      mark = t;
    };
    loaded = l;
    route = decodeRoute(buffer);
    fillAlarmFilter();
    reanalyse();
    phase("analyse");
    map.setRoute(route, analysis?.stops ?? [], mapAlarms());
    phase("map");
    chart.setData(chartData());
    if (route.n > 0) {
      clock.reset(route.t[0]!, route.t[route.n - 1]!);
      clock.speed = Number(speedSel.value);
      slider.max = String(Math.max(1, Math.round(clock.end - clock.start)));
    }
    setReplayEnabled(route.n > 0);
    exportBtn.disabled = route.n === 0;
    render();
    phase("chart");
    // Measured to the second frame: the canvas renderer paints on the next animation frame.
    await new Promise<void>((r) => raf(() => raf(() => r())));
    phase("frames");
    const ms = performance.now() - started;
    element.dataset.drawMs = ms.toFixed(1);
    element.dataset.drawPhases = JSON.stringify({ ...phases, mapDetail: map.timings, drawnPoints: map.drawnPoints });
    element.dataset.points = String(route.n);
  }

  function describe(l: PlaybackLoaded): void {
    if (l.error) {
      showMessage(l.error.message, "warning");
    } else if (l.count === 0) {
      showMessage("No positions were recorded for this vehicle in this period (it may have been switched off, or never online).", "info");
    } else {
      showMessage(null);
    }
  }

  async function load(): Promise<void> {
    await ready;
    if (destroyed) return;
    const p = period();
    const problem = p ? periodProblem(p) : "Choose when the period begins and ends.";
    if (!p || problem) {
      showMessage(problem, "error");
      return;
    }
    if (current) void backend.playbackCancel(current.requestId).catch(() => undefined);
    const requestId = nextRequestId++;
    const mine = { requestId, period: p };
    current = mine;
    clock.pause();
    showMessage(null);
    setText(exportStatus, "");
    progress.dataset.state = "loading";
    bar.style.width = "0%";
    setAttr(progress, "aria-valuenow", "0");
    setText(progressText, "Loading…");
    cancelBtn.disabled = false;
    loadBtn.disabled = true;
    let l: PlaybackLoaded;
    let buffer: ArrayBuffer;
    try {
      l = await backend.playbackLoad(requestId, imei, p.begin, p.end);
      if (current !== mine) return;
      const asked = performance.now();
      buffer = l.count > 0 ? await backend.playbackPoints(imei, p.begin, p.end) : new ArrayBuffer(0);
      // For the benchmarks: the backend's load time and the points' trip across IPC.
      progress.dataset.loadMs = l.elapsedMs.toFixed(0);
      progress.dataset.pointsMs = (performance.now() - asked).toFixed(1);
    } catch (e) {
      if (current !== mine) return;
      const err: IpcError = toBackendError(e);
      // What was on screen before stays: the failure does not wipe a route the user is reading.
      showMessage(err.kind === "cancelled" ? "Cancelled before any point arrived." : err.message, err.kind === "cancelled" ? "info" : "error");
      progress.dataset.state = err.kind === "cancelled" ? "cancelled" : "failed";
      setText(progressText, err.kind === "cancelled" ? "Cancelled" : "Failed");
      cancelBtn.disabled = true;
      loadBtn.disabled = false;
      current = null;
      return;
    }
    if (current !== mine) return;
    current = null;
    cancelBtn.disabled = true;
    loadBtn.disabled = false;
    const pct = l.complete ? 100 : Math.round((l.coveredSecs / Math.max(1, p.end - p.begin)) * 100);
    bar.style.width = `${pct}%`;
    setAttr(progress, "aria-valuenow", String(pct));
    progress.dataset.state = l.complete ? "done" : "partial";
    setText(progressText, `${groupThousands(l.count)} points${l.fromCache ? " (already loaded)" : ""}${l.complete ? "" : ` · ${pct}%`}`);
    progress.dataset.count = String(l.count);
    describe(l);
    await drawLoaded(l, buffer);
  }

  async function doExport(): Promise<void> {
    const p = loaded;
    if (!p) return;
    exportBtn.disabled = true;
    setText(exportStatus, "Exporting…");
    try {
      const done = await backend.playbackExport({ imei, begin: p.begin, end: p.end, format: formatSel.value as ExportFormat, name: title });
      if (done) {
        setText(exportStatus, `Saved ${groupThousands(done.points)} points to ${done.path}`);
        exportStatus.dataset.path = done.path;
        exportStatus.dataset.points = String(done.points);
      } else {
        setText(exportStatus, "");
      }
    } catch (e) {
      setText(exportStatus, `Export failed: ${toBackendError(e).message}`);
    } finally {
      exportBtn.disabled = route.n === 0;
    }
  }

  // ---- wiring ----
  back.addEventListener("click", () => opts.onClose());
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") {
      applyPreset(preset.value as PresetId);
      void load();
    }
  });
  const toCustom = (): void => {
    preset.value = "custom";
  };
  from.addEventListener("input", toCustom);
  to.addEventListener("input", toCustom);
  loadBtn.addEventListener("click", () => void load());
  cancelBtn.addEventListener("click", () => {
    if (current) {
      setText(progressText, "Cancelling…");
      void backend.playbackCancel(current.requestId).catch(() => undefined);
    }
  });
  exportBtn.addEventListener("click", () => void doExport());
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
  stopMin.addEventListener("change", () => {
    reanalyse();
    map.setStops(analysis?.stops ?? []);
    chart.setData(chartData());
    render();
  });
  alarmFilter.addEventListener("change", () => {
    listLimit.delete("alarms");
    renderAlarms();
    map.setAlarms(mapAlarms());
    render();
  });
  const onKey = (ev: KeyboardEvent): void => {
    const target = ev.target as HTMLElement | null;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
    if (ev.key === " ") {
      ev.preventDefault();
      togglePlay();
    } else if (ev.key === "ArrowLeft") step(-1);
    else if (ev.key === "ArrowRight") step(1);
  };
  element.addEventListener("keydown", onKey);
  element.tabIndex = -1;

  renderLegend();
  const first = opts.preset ?? "today";
  preset.value = first;
  applyPreset(first);

  return {
    element,
    map,
    clock,
    load,
    seek,
    get route() {
      return route;
    },
    get analysis() {
      return analysis;
    },
    destroy() {
      destroyed = true;
      clock.pause();
      if (current) void backend.playbackCancel(current.requestId).catch(() => undefined);
      // A load still under way sees it is no longer current and draws nothing on the removed map.
      current = null;
      unlisten?.();
      chart.destroy();
      map.destroy();
    },
  };
}
