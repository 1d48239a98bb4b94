/**
 * The alarms view: choose vehicles and a period (the same period pickers as playback), fetch their
 * alarms (progress, cancel), read them in a table (local time, vehicle, alarm in words with an
 * icon, speed, place) and on a map, filter by type and vehicle, click a row to fly there, and
 * export what is shown as CSV.
 */
import type { AlarmRow, GeoPoint, StoredGeofence } from "../bindings";
import { addressBook, addressElement, fillAddresses, onScreen } from "../lib/addresses";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { displayName } from "../lib/search";
import { formatDateTime } from "../lib/time";
import { formatSpeed } from "../lib/units";
import { periodOfInputs, PRESETS, presetPeriod, periodProblem, toInputValue, type Period, type PresetId } from "../lib/playbackTime";
import { alarmCategory, alarmsCsv, CATEGORY_ICON, filterRows, placeCoordinates, splitAround, providerNowOfTracks, typeOptions, vehicleOptions, type AlarmFilter } from "../lib/alarmsTable";
import { AlarmsMap, type AlarmsMapOptions } from "../map/alarmsMap";
import { GeofenceLayer } from "../map/geofenceLayer";
import { VehiclePicker } from "./alarmsVehiclePicker";
import { h, icon, setText } from "../dom";
import type { View } from "./view";
import { locale, t } from "../i18n";
import { alarmName, errorText } from "../i18n/words";

/** Rows drawn at most (the CSV has them all). */
export const MAX_TABLE_ROWS = 2000;

export interface AlarmsViewOptions {
  backend: IBackend;
  store: Store;
  onClose: () => void;
  /** Opens the watch settings. */
  onWatch?: () => void;
  /** The vehicles chosen at first (default: the selected vehicle, else the whole fleet). */
  imeis?: string[];
  /** This app's geofences, drawn on the map for context. */
  geofences?: readonly StoredGeofence[];
  /** The preset chosen at first (default: the last 24 hours). */
  preset?: PresetId;
  now?: () => number;
  map?: AlarmsMapOptions;
}

export interface AlarmsView extends View {
  readonly map: AlarmsMap;
  readonly vehicles: VehiclePicker;
  /** All rows of the last query, newest first. */
  readonly rows: readonly AlarmRow[];
  /** Fetches the alarms of the chosen vehicles and period. */
  load(): Promise<void>;
  /** Selects a row and flies the map to it. */
  focus(id: string): void;
}

export function createAlarmsView(opts: AlarmsViewOptions): AlarmsView {
  const { backend, store } = opts;
  const now = opts.now ?? (() => Date.now());
  const tz = (): string => store.settings.timeZone;
  const name = (imei: string): string => {
    const d = store.devices.get(imei);
    return d ? displayName(d) : imei;
  };

  // ---- header: vehicles, period, show, progress, watch, export ----
  const m = t().alarmsView;
  const pm = t().playback;
  const back = h("button", { type: "button", class: "btn ghost", "data-testid": "alarms-close", title: m.backTitle }, m.back);
  const vehicles = new VehiclePicker({
    store,
    testid: "alarms-vehicles",
    selected: opts.imeis ?? (store.selected ? [store.selected] : store.order),
    rows: 10,
    onChange: () => renderVehicleSummary(),
  });
  const vehicleSummary = h("summary", { class: "btn secondary", "data-testid": "alarms-vehicles-toggle" });
  const vehicleBox = h("details", { class: "al-vehicles" }, vehicleSummary, h("div", { class: "al-vehicles-pop" }, vehicles.element));
  const preset = h(
    "select",
    { class: "slot-input", "data-testid": "alarms-preset", "aria-label": pm.period },
    ...PRESETS.map((p) => h("option", { value: p.id }, p.label)),
    h("option", { value: "custom" }, pm.custom),
  );
  const from = h("input", { type: "datetime-local", class: "slot-input", lang: locale(), "data-testid": "alarms-from", "aria-label": pm.from });
  const to = h("input", { type: "datetime-local", class: "slot-input", lang: locale(), "data-testid": "alarms-to", "aria-label": pm.to });
  const show = h("button", { type: "button", class: "btn primary", "data-testid": "alarms-load" }, m.show);
  const progress = h("span", { class: "al-progress muted small", "data-testid": "alarms-progress", "aria-live": "polite" });
  const cancel = h("button", { type: "button", class: "btn secondary small", "data-testid": "alarms-cancel", hidden: true }, t().common.cancel);
  const watchBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "alarms-watch-open" }, icon(BELL), h("span", {}, m.watchSettings));
  const exportBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "alarms-export", disabled: true }, m.exportCsv);
  const header = h(
    "header",
    { class: "slot-header al-header" },
    back,
    h("h2", { class: "slot-title" }, m.title),
    vehicleBox,
    h("div", { class: "slot-group" }, preset, from, h("span", { class: "muted" }, "–"), to, show),
    h("div", { class: "slot-group" }, progress, cancel),
    h("div", { class: "spacer" }),
    watchBtn,
    exportBtn,
  );

  // ---- table side: filters, message, table ----
  const typeFilter = h("select", { class: "slot-input", "data-testid": "alarms-filter-type", "aria-label": m.alarmType });
  const vehicleFilter = h("select", { class: "slot-input", "data-testid": "alarms-filter-vehicle", "aria-label": m.vehicle });
  const count = h("span", { class: "muted small", "data-testid": "alarms-count" });
  const filters = h("div", { class: "al-filters", "data-testid": "alarms-filter", role: "group", "aria-label": m.filter }, h("span", { class: "label small" }, m.showLabel), typeFilter, vehicleFilter, count);
  const message = h("div", { class: "al-message", role: "status", "data-testid": "alarms-message", hidden: true });
  const tbody = h("tbody");
  const table = h(
    "table",
    { class: "al-table", "data-testid": "alarms-table" },
    h("thead", {}, h("tr", {}, h("th", {}, m.columns.time), h("th", {}, m.columns.vehicle), h("th", {}, m.columns.alarm), h("th", { class: "num" }, m.columns.speed), h("th", {}, m.columns.place))),
    tbody,
  );
  const tableWrap = h("div", { class: "al-table-wrap" }, table);
  tableWrap.addEventListener("scroll", () => queueAddresses(), { passive: true });
  const mapEl = h("div", { class: "al-map", "data-testid": "alarms-map", role: "region", "aria-label": m.map });
  const element = h(
    "section",
    { class: "slot-view alarms-view", "data-testid": "alarms-view", tabindex: "-1", "aria-label": m.title },
    header,
    h("div", { class: "al-body" }, h("div", { class: "al-side" }, filters, message, tableWrap), mapEl),
  );
  const map = new AlarmsMap(mapEl, store.settings, opts.map, (id) => focus(id, true));
  const fences = new GeofenceLayer(map.map, { vehicleName: name });
  fences.set(opts.geofences ?? []);

  let rows: AlarmRow[] = [];
  let shown: AlarmRow[] = [];
  let filter: AlarmFilter = { type: "all", imei: "all" };
  let selected: string | null = null;
  let running = false;

  function renderVehicleSummary(): void {
    const n = vehicles.value.length;
    const total = store.order.length;
    // One vehicle is shown by its name: data, left as it is.
    if (n === 1 && n !== total) vehicleSummary.setAttribute("translate", "no");
    else vehicleSummary.removeAttribute("translate");
    setText(vehicleSummary, n === 0 ? m.chooseVehicles : n === total ? m.allVehicles({ n: total }) : n === 1 ? name(vehicles.value[0]!) : m.someVehicles({ n }));
  }

  function providerNow(): number {
    return providerNowOfTracks(store.tracks.values(), store.lastUpdateAt, now());
  }

  function applyPreset(id: PresetId): void {
    const p = presetPeriod(id, providerNow() / 1000, tz());
    from.value = toInputValue(p.begin, tz());
    // The pickers show minutes: "now" is rounded up so the last minute is not cut off.
    to.value = toInputValue(Math.ceil(p.end / 60) * 60, tz());
  }

  function period(): Period | null {
    return periodOfInputs(from.value, to.value, tz());
  }

  function showMessage(text: string | null, kind: "info" | "error" = "info"): void {
    message.hidden = text === null;
    message.dataset.kind = kind;
    setText(message, text ?? "");
  }

  function renderFilters(): void {
    const types = typeOptions(rows);
    typeFilter.replaceChildren(h("option", { value: "all" }, m.allTypes({ n: rows.length })), ...types.map((ty) => h("option", { value: String(ty.code) }, m.optionCount({ name: ty.words, n: ty.count }))));
    const vs = vehicleOptions(rows, name);
    // Vehicle names are data (an option cannot hold a marked span: the whole option is left as it is).
    vehicleFilter.replaceChildren(h("option", { value: "all" }, m.allVehiclesOption), ...vs.map((v) => h("option", { value: v.imei, translate: "no" }, m.optionCount({ name: v.name, n: v.count }))));
    if (filter.type !== "all" && !types.some((t) => t.code === filter.type)) filter = { ...filter, type: "all" };
    if (filter.imei !== "all" && !vs.some((v) => v.imei === filter.imei)) filter = { ...filter, imei: "all" };
    typeFilter.value = String(filter.type);
    vehicleFilter.value = filter.imei;
  }

  function renderRows(): void {
    shown = filterRows(rows, filter);
    const drawn = shown.slice(0, MAX_TABLE_ROWS);
    addressRows = [];
    tbody.replaceChildren(...drawn.map(rowElement));
    queueAddresses();
    const more = shown.length > drawn.length ? m.countCapped({ listed: drawn.length }) : "";
    setText(count, `${m.count({ n: shown.length })}${more}`);
    map.setRows(drawn, (r) => `${name(r.imei)} · ${formatDateTime(r.alarm.gpstime, tz())}`);
    exportBtn.disabled = shown.length === 0;
    if (selected && !shown.some((r) => r.id === selected)) selected = null;
  }

  /** The rows drawn with their address element (filled for the rows on screen). */
  let addressRows: Array<{ row: HTMLElement; el: HTMLElement; point: GeoPoint }> = [];
  let addressTimer: ReturnType<typeof setTimeout> | null = null;
  function queueAddresses(): void {
    const book = addressBook();
    if (!book?.enabled()) return;
    if (addressTimer !== null) clearTimeout(addressTimer);
    addressTimer = setTimeout(() => {
      addressTimer = null;
      void fillAddresses(book, onScreen(addressRows), "alarms");
    }, 150);
  }

  function rowElement(r: AlarmRow): HTMLElement {
    const cat = alarmCategory(r.alarm.type);
    const address = addressBook()?.enabled() ? addressElement("div", "alarm-address") : null;
    const tr = h(
      "tr",
      { "data-testid": "alarm-row", "data-id": r.id, "data-imei": r.imei, "data-type": String(r.alarm.type), class: selected === r.id ? "is-selected" : "", tabindex: "0" },
      h("td", { class: "al-time mono" }, formatDateTime(r.alarm.gpstime, tz())),
      h("td", { class: "al-vehicle", translate: "no" }, name(r.imei)),
      // The flex box sits inside the cell: a flex <td> stops being a table cell.
      h("td", {}, h("span", { class: "al-kind" }, h("span", { class: `al-icon cat-${cat}` }, icon(CATEGORY_ICON[cat])), h("span", {}, alarmName(r.alarm.type)))),
      h("td", { class: "num" }, formatSpeed(r.alarm.speed, store.settings.units)),
      h("td", { class: "al-place" }, ...placeCell(r), address),
    );
    if (address) addressRows.push({ row: tr, el: address, point: { lat: r.alarm.latitude, lon: r.alarm.longitude } });
    return tr;
  }

  /** The place: the geofence (its name is data) and the coordinates, as `placeText` words it. */
  function placeCell(r: AlarmRow): Array<Node | string> {
    const at = placeCoordinates(r);
    if (!r.geofenceName) return [at];
    // The message is split around the name so the name can be marked as data.
    const [before, after] = splitAround((name) => t().alarmsView.geofence({ name }));
    return [before, h("span", { translate: "no" }, r.geofenceName), `${after} · ${at}`];
  }

  function focus(id: string, fromMap = false): void {
    selected = id;
    for (const tr of tbody.querySelectorAll<HTMLElement>("tr.is-selected")) tr.classList.remove("is-selected");
    const tr = [...tbody.querySelectorAll<HTMLElement>("tr[data-id]")].find((r) => r.dataset.id === id);
    tr?.classList.add("is-selected");
    if (fromMap) tr?.scrollIntoView({ block: "nearest" });
    else map.focus(id);
  }

  tbody.addEventListener("click", (ev) => {
    const tr = (ev.target as HTMLElement).closest<HTMLElement>("tr[data-id]");
    if (tr?.dataset.id) focus(tr.dataset.id);
  });
  tbody.addEventListener("keydown", (ev) => {
    const tr = (ev.target as HTMLElement).closest<HTMLElement>("tr[data-id]");
    if (!tr) return;
    if (ev.key === "Enter" && tr.dataset.id) focus(tr.dataset.id);
    else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const next = (ev.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling) as HTMLElement | null;
      if (next?.dataset.id) {
        next.focus();
        focus(next.dataset.id);
      }
    }
  });
  typeFilter.addEventListener("change", () => {
    filter = { ...filter, type: typeFilter.value === "all" ? "all" : Number(typeFilter.value) };
    renderRows();
  });
  vehicleFilter.addEventListener("change", () => {
    filter = { ...filter, imei: vehicleFilter.value };
    renderRows();
  });
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") applyPreset(preset.value as PresetId);
  });
  for (const input of [from, to]) input.addEventListener("change", () => (preset.value = "custom"));

  const unsubscribeProgress = backend.onAlarmsProgress((p) => {
    if (running) setText(progress, t().alarmsView.progress({ done: p.vehiclesDone, total: p.vehiclesTotal, records: p.records }));
  });

  async function load(): Promise<void> {
    const p = period();
    const problem = p ? periodProblem(p) : t().playback.periodMissing;
    const imeis = vehicles.value;
    if (problem || !p) {
      showMessage(problem, "error");
      return;
    }
    if (imeis.length === 0) {
      showMessage(m.chooseOne, "error");
      vehicleBox.open = true;
      return;
    }
    vehicleBox.open = false;
    running = true;
    show.disabled = true;
    cancel.hidden = false;
    element.dataset.state = "loading";
    setText(progress, m.reading({ n: imeis.length }));
    showMessage(null);
    try {
      const r = await backend.alarmsQuery(imeis, p.begin, p.end);
      rows = r.rows;
      renderFilters();
      renderRows();
      const failed = r.failures.map((f) => m.failure({ name: name(f.imei), error: f.message }));
      if (failed.length) showMessage(m.failures({ n: failed.length, list: failed.join("; ") }), "error");
      else if (rows.length === 0) showMessage(m.empty);
      setText(progress, "");
      element.dataset.state = "loaded";
    } catch (e) {
      const err = toBackendError(e);
      showMessage(err.kind === "cancelled" ? m.cancelled : errorText(err), err.kind === "cancelled" ? "info" : "error");
      setText(progress, "");
      element.dataset.state = "failed";
    } finally {
      running = false;
      show.disabled = false;
      cancel.hidden = true;
    }
  }

  show.addEventListener("click", () => void load());
  cancel.addEventListener("click", () => void backend.alarmsCancel());
  back.addEventListener("click", () => opts.onClose());
  watchBtn.addEventListener("click", () => opts.onWatch?.());
  exportBtn.addEventListener("click", () => {
    const csv = alarmsCsv(shown, name, tz(), store.settings.units);
    exportBtn.disabled = true;
    backend
      .alarmsSaveCsv(csv, shown.length)
      .then((f) => {
        if (f) showMessage(m.saved({ n: f.count, path: f.path }));
      })
      .catch((e: unknown) => showMessage(errorText(toBackendError(e)), "error"))
      .finally(() => (exportBtn.disabled = shown.length === 0));
  });
  const unsubscribeStore = store.subscribe((c) => {
    if (c.kind === "devices") {
      vehicles.render();
      renderVehicleSummary();
    }
  });

  preset.value = opts.preset ?? "last24h";
  applyPreset(preset.value as PresetId);
  renderVehicleSummary();
  renderFilters();
  setText(count, "");

  return {
    element,
    map,
    vehicles,
    get rows() {
      return rows;
    },
    load,
    focus: (id: string) => focus(id),
    destroy() {
      if (addressTimer !== null) clearTimeout(addressTimer);
      if (running) void backend.alarmsCancel();
      void unsubscribeProgress.then((u) => u());
      unsubscribeStore();
      fences.destroy();
      map.destroy();
    },
  };
}

/** A bell, for the alarm buttons. */
export const BELL = "M6 16V11a6 6 0 0 1 12 0v5l2 2H4z|M10 20a2 2 0 0 0 4 0";
