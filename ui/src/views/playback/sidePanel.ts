/**
 * The side of the playback view: a message about the period, its totals, the export, and the
 * stops, trips and alarms as lists to jump from. What it shows comes from the view (`showPeriod`,
 * `showAnalysis`); what the user picks goes back through the callbacks.
 */
import type { ExportFormat, GeoPoint, PlaybackLoaded } from "../../bindings";
import { addressBook, addressElement, fillAddresses, type AddressBook } from "../../lib/addresses";
import { toBackendError, type IBackend } from "../../backend";
import type { Store } from "../../state";
import { h, setAttr, setText } from "../../dom";
import { formatDateTime, formatDuration } from "../../lib/time";
import { formatCoordinates, formatSpeed } from "../../lib/units";
import { EMPTY_ROUTE, type Route } from "../../lib/playbackRoute";
import type { Analysis, Stop, Trip } from "../../lib/playbackAnalysis";
import type { MapAlarm } from "../../map/playbackMap";
import type { View } from "../view";
import { t } from "../../i18n";
import { alarmName, errorText } from "../../i18n/words";
import { formatNumber } from "../../i18n/format";
import { formatDistance, shortTime, type Notice } from "./format";

export interface SidePanelOptions {
  /** Where street addresses come from (default: the app's book). */
  addresses?: AddressBook | null;
  backend: IBackend;
  store: Store;
  imei: string;
  /** The vehicle's name: the exported file is named after it. */
  title: string;
  /** A stop, trip or alarm was chosen in its list. */
  onStop: (stop: Stop) => void;
  onTrip: (trip: Trip) => void;
  onAlarm: (gpstime: number) => void;
  /** The shortest stop changed: the period needs analysing again (then `showAnalysis`). */
  onStopMinChange: () => void;
  /** The alarm type filter changed: `mapAlarms()` now lists other alarms. */
  onAlarmFilterChange: () => void;
}

export interface SidePanel extends View {
  showMessage(notice: Notice | null): void;
  /** The shortest stop asked for, seconds. */
  readonly minStopSecs: number;
  /** A newly loaded period: its alarms (the filter back to all of them), totals and lists. */
  showPeriod(loaded: PlaybackLoaded, route: Route, analysis: Analysis): void;
  /** The same period analysed again (another shortest stop). */
  showAnalysis(analysis: Analysis): void;
  /** The alarms the filter lets through, as the map marks them. */
  mapAlarms(): MapAlarm[];
  /** Clears what the last export said (a new load began). */
  resetExport(): void;
}

type TabId = "stops" | "trips" | "alarms";

const EXPORT_FORMATS: ReadonlyArray<[ExportFormat, string]> = [
  ["gpx", "GPX"],
  ["kml", "KML"],
  ["csv", "CSV"],
  ["geojson", "GeoJSON"],
];

/** Items drawn at first in a list; "Show all" draws the rest. */
const LIST_LIMIT = 50;

export function createSidePanel(opts: SidePanelOptions): SidePanel {
  const { backend, store, imei } = opts;
  const tz = (): string => store.settings.timeZone;
  let route: Route = EMPTY_ROUTE;
  let analysis: Analysis | null = null;
  let loaded: PlaybackLoaded | null = null;

  const message = h("div", { class: "pb-message", role: "status", "data-testid": "playback-message", hidden: true });
  const stats = h("dl", { class: "pb-stats", "data-testid": "playback-stats" });
  const m = t().playback;
  // The formats' names (GPX, KML...) are names, the same in every language.
  const formatSel = h("select", { class: "slot-input", "data-testid": "playback-export-format", "aria-label": m.exportFormat, translate: "no" }, ...EXPORT_FORMATS.map(([v, l]) => h("option", { value: v }, l)));
  const exportBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "playback-export", disabled: true }, m.export);
  const exportStatus = h("span", { class: "pb-export-status muted small", "data-testid": "playback-export-status", "aria-live": "polite" });
  const stopMin = h("input", { type: "number", class: "slot-input pb-stopmin", min: 1, max: 120, step: 1, value: 3, "data-testid": "playback-stop-min", "aria-label": m.shortestStop });
  const stopsList = h("ol", { class: "pb-list", "data-testid": "playback-stops" });
  const tripsList = h("ol", { class: "pb-list", "data-testid": "playback-trips" });
  const alarmFilter = h("select", { class: "slot-input", "data-testid": "playback-alarm-filter", "aria-label": m.alarmType });
  const alarmsList = h("ol", { class: "pb-list", "data-testid": "playback-alarms" });

  const tabPanels: ReadonlyArray<[TabId, string, HTMLElement]> = [
    ["stops", m.tabs.stops, h("div", { class: "pb-tab" }, h("label", { class: "pb-stopmin-label small muted" }, m.stopsAtLeast, stopMin, m.stopsMinutes), stopsList)],
    ["trips", m.tabs.trips, h("div", { class: "pb-tab" }, tripsList)],
    ["alarms", m.tabs.alarms, h("div", { class: "pb-tab" }, alarmFilter, alarmsList)],
  ];
  const tabs = tabPanels.map(([id, label, panel]) => {
    const count = h("span", { class: "pb-count" });
    const button = h("button", { type: "button", class: "pb-tab-btn", role: "tab", "data-tab": id, "data-testid": `playback-tab-${id}` }, label, count);
    return { id, panel, button, count };
  });

  const element = h(
    "aside",
    { class: "pb-side" },
    message,
    stats,
    h("div", { class: "pb-export" }, h("span", { class: "small muted" }, m.exportAs), formatSel, exportBtn),
    exportStatus,
    h("div", { class: "pb-tabs", role: "tablist" }, ...tabs.map((t) => t.button)),
    ...tabs.map((t) => t.panel),
  );

  // Lists are drawn when their tab is shown: a month of history has hundreds of stops and trips,
  // and laying them all out would hold up the route.
  const dirty = new Set<TabId>();
  const listLimit = new Map<TabId, number>();
  let activeTab: TabId = "stops";

  function renderTab(id: TabId): void {
    dirty.delete(id);
    if (id === "stops") renderStops();
    else if (id === "trips") renderTrips();
    else renderAlarms();
  }

  function showTab(id: TabId): void {
    activeTab = id;
    for (const t of tabs) {
      t.panel.hidden = t.id !== id;
      t.button.classList.toggle("is-active", t.id === id);
      setAttr(t.button, "aria-selected", String(t.id === id));
    }
    if (dirty.has(id)) renderTab(id);
  }

  function setCount(id: TabId, n: number): void {
    const tab = tabs.find((t) => t.id === id);
    if (tab) setText(tab.count, ` ${formatNumber(n)}`);
  }

  function refreshLists(): void {
    for (const t of tabs) dirty.add(t.id);
    renderTab(activeTab);
    setCount("stops", analysis?.stops.length ?? 0);
    setCount("trips", analysis?.trips.length ?? 0);
    setCount("alarms", loaded?.alarms.length ?? 0);
  }

  /** The first items of a long list, and a button for the rest. */
  function capped<T>(id: TabId, items: readonly T[], list: HTMLElement): readonly T[] {
    const limit = listLimit.get(id) ?? LIST_LIMIT;
    if (items.length <= limit) return items;
    const more = h("button", { type: "button", class: "btn link pb-more small" }, t().playback.showAll({ n: items.length }));
    more.addEventListener("click", () => {
      listLimit.set(id, Infinity);
      renderTab(id);
    });
    queueMicrotask(() => list.after(more));
    list.dataset.more = "1";
    return items.slice(0, limit);
  }

  function clearMore(list: HTMLElement): void {
    if (list.dataset.more && list.nextElementSibling?.classList.contains("pb-more")) list.nextElementSibling.remove();
    delete list.dataset.more;
  }

  const listTime = (t: number): string => shortTime(route, t, tz());

  /** An alarm type's name in the language in use (not the backend's English words). */
  const alarmWords = (type: number): string => alarmName(type);

  function visibleAlarms(): PlaybackLoaded["alarms"] {
    const all = loaded?.alarms ?? [];
    const f = alarmFilter.value;
    return f === "" || f === "all" ? all : all.filter((a) => String(a.type) === f);
  }

  function renderStats(): void {
    stats.replaceChildren();
    if (!analysis || route.n === 0) return;
    const t = analysis.totals;
    const u = store.settings.units;
    const s = m.stats;
    const rows: Array<[string, string, string]> = [
      [s.distance, formatDistance(t.distanceM, u), "distance"],
      [s.driving, formatDuration(t.drivingSecs), "driving"],
      [s.stopped, formatDuration(t.stoppedSecs), "stopped"],
      [s.maxSpeed, formatSpeed(t.maxKmh, u), "max-speed"],
      [s.points, formatNumber(t.points), "points"],
    ];
    for (const [label, value, field] of rows) stats.append(h("dt", {}, label), h("dd", { "data-field": field }, value));
    stats.dataset.points = String(t.points);
  }

  function renderStops(): void {
    const a = analysis;
    clearMore(stopsList);
    stopsList.replaceChildren();
    if (!a) return;
    const places: Array<{ el: HTMLElement; point: GeoPoint }> = [];
    capped("stops", a.stops, stopsList).forEach((s, k) => {
      const address = addressElement("div", "playback-stop-address");
      address.classList.add("small");
      places.push({ el: address, point: { lat: s.lat, lon: s.lon } });
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": s.start, "data-testid": "playback-stop" },
        h("span", { class: "pb-badge stop" }, String(k + 1)),
        h("div", {}, h("strong", {}, `${listTime(s.start)} – ${listTime(s.end)}`), h("span", { class: "muted" }, ` · ${formatDuration(s.durationSecs)}`), h("div", { class: "muted small mono" }, formatCoordinates(s.lat, s.lon)), address),
      );
      li.addEventListener("click", () => opts.onStop(s));
      stopsList.append(li);
    });
    void fillAddresses(opts.addresses ?? addressBook(), places, "playback-stops");
    if (a.stops.length === 0) stopsList.append(h("li", { class: "muted small pb-empty" }, route.n ? t().playback.noStops : "—"));
  }

  function renderTrips(): void {
    const a = analysis;
    clearMore(tripsList);
    tripsList.replaceChildren();
    if (!a) return;
    const u = store.settings.units;
    const places: Array<{ el: HTMLElement; point: GeoPoint }> = [];
    const at = (i: number): GeoPoint => ({ lat: route.lat[i] ?? Number.NaN, lon: route.lon[i] ?? Number.NaN });
    capped("trips", a.trips, tripsList).forEach((tr) => {
      const from = addressElement("div", "playback-trip-start-address");
      const to = addressElement("div", "playback-trip-end-address");
      for (const el of [from, to]) el.classList.add("small");
      places.push({ el: from, point: at(tr.first) }, { el: to, point: at(tr.last) });
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": tr.start, "data-testid": "playback-trip" },
        h("span", { class: "pb-badge trip" }, "→"),
        h(
          "div",
          {},
          h("strong", {}, `${listTime(tr.start)} – ${listTime(tr.end)}`),
          h("span", { class: "muted" }, ` · ${formatDistance(tr.distanceM, u)} · ${formatDuration(tr.durationSecs)}`),
          h("div", { class: "muted small" }, t().playback.tripSpeeds({ max: formatSpeed(tr.maxKmh, u), avg: formatSpeed(tr.avgKmh, u) })),
          from,
          to,
        ),
      );
      li.addEventListener("click", () => opts.onTrip(tr));
      tripsList.append(li);
    });
    void fillAddresses(opts.addresses ?? addressBook(), places, "playback-trips");
    if (a.trips.length === 0) tripsList.append(h("li", { class: "muted small pb-empty" }, t().playback.noTrips));
  }

  function renderAlarms(): void {
    clearMore(alarmsList);
    alarmsList.replaceChildren();
    const list = visibleAlarms();
    const u = store.settings.units;
    for (const a of capped("alarms", list, alarmsList)) {
      const li = h(
        "li",
        { class: "pb-item", tabindex: 0, "data-t": a.gpstime, "data-type": a.type, "data-testid": "playback-alarm" },
        h("span", { class: "pb-badge alarm" }, "!"),
        h("div", {}, h("strong", {}, alarmWords(a.type)), h("span", { class: "muted" }, ` · ${listTime(a.gpstime)}`), h("div", { class: "muted small" }, formatSpeed(a.speed, u))),
      );
      li.addEventListener("click", () => opts.onAlarm(a.gpstime));
      alarmsList.append(li);
    }
    if (loaded?.alarmsError) alarmsList.append(h("li", { class: "pb-empty small warn" }, t().playback.alarmsFailed({ error: errorText(loaded.alarmsError) })));
    else if (list.length === 0) alarmsList.append(h("li", { class: "muted small pb-empty" }, t().playback.noAlarms));
  }

  function fillAlarmFilter(): void {
    const names = loaded?.alarmNames ?? [];
    alarmFilter.replaceChildren(
      h("option", { value: "all" }, t().playback.allAlarms({ n: loaded?.alarms.length ?? 0 })),
      ...names.map((n) => h("option", { value: String(n.code) }, t().playback.typeCount({ name: alarmName(n.code), n: loaded?.alarms.filter((a) => a.type === n.code).length ?? 0 }))),
    );
    alarmFilter.disabled = names.length === 0;
  }

  function showAnalysis(a: Analysis): void {
    analysis = a;
    renderStats();
    listLimit.clear();
    refreshLists();
  }

  async function doExport(): Promise<void> {
    const p = loaded;
    const format = EXPORT_FORMATS.find(([f]) => f === formatSel.value)?.[0];
    if (!p || !format) return;
    exportBtn.disabled = true;
    setText(exportStatus, t().playback.exporting);
    try {
      const done = await backend.playbackExport({ imei, begin: p.begin, end: p.end, format, name: opts.title });
      if (done) {
        setText(exportStatus, t().playback.exported({ points: done.points, path: done.path }));
        exportStatus.dataset.path = done.path;
        exportStatus.dataset.points = String(done.points);
      } else {
        setText(exportStatus, "");
      }
    } catch (e) {
      setText(exportStatus, t().playback.exportFailed({ error: errorText(toBackendError(e)) }));
    } finally {
      exportBtn.disabled = route.n === 0;
    }
  }

  for (const t of tabs) t.button.addEventListener("click", () => showTab(t.id));
  showTab("stops");
  exportBtn.addEventListener("click", () => void doExport());
  stopMin.addEventListener("change", () => opts.onStopMinChange());
  alarmFilter.addEventListener("change", () => {
    listLimit.delete("alarms");
    renderAlarms();
    opts.onAlarmFilterChange();
  });

  return {
    element,
    showMessage(notice) {
      message.hidden = notice === null;
      setAttr(message, "data-kind", notice?.kind ?? null);
      setText(message, notice?.text ?? "");
    },
    get minStopSecs() {
      const mins = Number(stopMin.value);
      return Number.isFinite(mins) && mins > 0 ? mins * 60 : 180;
    },
    showPeriod(l, r, a) {
      loaded = l;
      route = r;
      fillAlarmFilter();
      showAnalysis(a);
      exportBtn.disabled = route.n === 0;
    },
    showAnalysis,
    mapAlarms() {
      return visibleAlarms().map((a) => ({ lat: a.latitude, lon: a.longitude, gpstime: a.gpstime, label: `${alarmWords(a.type)} · ${formatDateTime(a.gpstime, tz())}` }));
    },
    resetExport() {
      setText(exportStatus, "");
    },
    // Listeners only, on its own elements.
    destroy() {},
  };
}
