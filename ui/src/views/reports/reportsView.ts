/**
 * The reports view: choose a kind (trips, stops, idling, daily summary, speeding, geofence visits,
 * mileage), vehicles and a period; the backend computes it per vehicle (progress over vehicles
 * and requests, cancel, partial rows with the error); a table sortable by every column with a
 * totals row; a row shown on the view's map; Excel or CSV export under the headers shown.
 */
import { toBackendError, type IBackend } from "../../backend";
import type { GeoPoint, MileageReport } from "../../bindings";
import { addressBook, addressElement, fillAddresses, onScreen } from "../../lib/addresses";
import type { Store } from "../../state";
import { h, setAttr, setText } from "../../dom";
import { displayName } from "../../lib/search";
import { formatDateTime } from "../../lib/time";
import { convertSpeed, speedUnitLabel } from "../../lib/units";
import { mileageCsv } from "../../lib/mileage";
import { providerNowOfTracks } from "../../lib/alarmsTable";
import { decodeRoute } from "../../lib/playbackRoute";
import { periodOfInputs, periodProblem, toInputValue, type Period } from "../../lib/playbackTime";
import {
  alarmBreakdown,
  columnsOf,
  defaultSort,
  exportHeaders,
  kindOptions,
  placeKnown,
  nextSort,
  sortRows,
  TABLE_KINDS,
  totals,
  totalText,
  type FormatContext,
  type ReportExportFormat,
  type ReportResult,
  type SortState,
  type TableKind,
  type TableRow,
  addressColumnsOf,
  type AddressColumn,
} from "../../lib/reportTable";
import { VehiclePicker } from "../alarmsVehiclePicker";
import type { View } from "../view";
import { locale, t } from "../../i18n";
import { errorText } from "../../i18n/words";
import { REPORT_PRESETS, reportPreset, type ReportPresetId } from "./reportPeriod";
import { ReportMap, type ReportMapOptions } from "./reportMap";

/** Rows drawn at most (the export has them all). */
export const MAX_REPORT_ROWS = 3000;

export interface ReportsViewOptions {
  backend: IBackend;
  store: Store;
  onClose: () => void;
  kind?: TableKind;
  /** Vehicles chosen at first (default: the selected vehicle, else the whole fleet). */
  imeis?: string[];
  preset?: ReportPresetId;
  now?: () => number;
  map?: ReportMapOptions;
}

export interface ReportsView extends View {
  readonly map: ReportMap;
  readonly vehicles: VehiclePicker;
  /** The rows of the last run, in the order shown. */
  readonly rows: readonly TableRow[];
  /** Runs the report the form describes; resolves once its rows are shown. */
  run(): Promise<void>;
  /** Shows a row (its index in `rows`) on the map. */
  show(index: number): Promise<void>;
}

/** Report request ids: numbers of this view's own (playback's loads have theirs). */
let nextRequestId = 1;
/** Playback loads for a trip's route, apart from the playback view's ids. */
let nextRouteId = 1_000_000_000;

export function createReportsView(opts: ReportsViewOptions): ReportsView {
  const { backend, store } = opts;
  const now = opts.now ?? (() => Date.now());
  const tz = (): string => store.settings.timeZone;
  const m = t().reports;
  const name = (imei: string): string => {
    const d = store.devices.get(imei);
    return d ? displayName(d) : "";
  };
  const ctx = (): FormatContext => ({ tz: tz(), units: store.settings.units, name });

  // ---- the form ----
  const back = h("button", { type: "button", class: "btn ghost", "data-testid": "reports-close", title: m.backTitle }, m.back);
  const kind = h(
    "select",
    { class: "slot-input", id: "report-kind", "data-testid": "report-kind" },
    ...TABLE_KINDS.map((k) => h("option", { value: k }, m.kinds[k])),
  );
  kind.value = opts.kind ?? "trips";
  const vehicles = new VehiclePicker({
    store,
    testid: "report-vehicles",
    selected: opts.imeis ?? (store.selected ? [store.selected] : store.order),
    rows: 10,
    onChange: () => renderVehicleSummary(),
  });
  const vehicleSummary = h("summary", { class: "btn secondary", "data-testid": "report-vehicles-toggle", "aria-label": m.vehicles });
  const vehicleBox = h("details", { class: "al-vehicles rp-vehicles" }, vehicleSummary, h("div", { class: "al-vehicles-pop" }, vehicles.element));
  const preset = h(
    "select",
    { class: "slot-input", id: "report-preset", "data-testid": "report-preset" },
    ...REPORT_PRESETS.map((p) => h("option", { value: p }, m.presets[p])),
    h("option", { value: "custom" }, m.presets.custom),
  );
  const from = h("input", { type: "datetime-local", class: "slot-input", id: "report-from", lang: locale(), "data-testid": "report-from" });
  const to = h("input", { type: "datetime-local", class: "slot-input", id: "report-to", lang: locale(), "data-testid": "report-to" });
  const minStop = h("input", { type: "number", class: "slot-input rp-num", id: "report-min-stop", min: "0", max: "1440", step: "1", value: "3", "data-testid": "report-min-stop" });
  const minIdle = h("input", { type: "number", class: "slot-input rp-num", id: "report-min-idle", min: "0", max: "1440", step: "1", value: "3", "data-testid": "report-min-idle" });
  const speedLimit = h("input", { type: "number", class: "slot-input rp-num", id: "report-speed-limit", min: "1", max: "300", step: "1", "data-testid": "report-speed-limit" });
  speedLimit.value = String(convertSpeed(100, store.settings.units));
  const minSpeeding = h("input", { type: "number", class: "slot-input rp-num", id: "report-min-speeding", min: "0", max: "3600", step: "1", value: "0", "data-testid": "report-min-speeding" });
  const field = (id: string, label: string, input: HTMLElement, testid?: string): HTMLElement =>
    h("div", { class: "rp-field", "data-testid": testid }, h("label", { for: id, class: "small" }, label), input);
  const minStopField = field("report-min-stop", m.minStop, minStop, "report-option-min-stop");
  const minIdleField = field("report-min-idle", m.minIdle, minIdle, "report-option-min-idle");
  const speedLimitLabel = h("label", { for: "report-speed-limit", class: "small" }, m.speedLimit({ unit: speedUnitLabel(store.settings.units) }));
  const speedLimitField = h("div", { class: "rp-field", "data-testid": "report-option-speed-limit" }, speedLimitLabel, speedLimit);
  const minSpeedingField = field("report-min-speeding", m.minSpeeding, minSpeeding, "report-option-min-speeding");
  const runBtn = h("button", { type: "button", class: "btn primary", "data-testid": "report-run" }, m.run);
  const cancelBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "report-cancel", hidden: true }, m.cancel);
  const bar = h("span", { class: "rp-bar-fill" });
  const progressText = h("span", { class: "rp-progress-text small muted", "data-testid": "report-progress-text" });
  const progress = h(
    "div",
    { class: "rp-progress", role: "progressbar", "aria-label": m.progressLabel, "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "data-testid": "report-progress", "data-state": "idle", hidden: true },
    h("span", { class: "rp-bar" }, bar),
    progressText,
  );
  const status = h("span", { class: "small muted", "data-testid": "report-status", "aria-live": "polite" });
  const xlsxBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "report-export-xlsx", title: m.exportXlsxTitle, disabled: true }, m.exportXlsx);
  const csvBtn = h("button", { type: "button", class: "btn secondary", "data-testid": "report-export-csv", title: m.exportCsvTitle, disabled: true }, m.exportCsv);

  const header = h(
    "header",
    { class: "slot-header rp-header" },
    back,
    h("h2", { class: "slot-title", id: "reports-title" }, m.title),
    field("report-kind", m.kind, kind),
    h("div", { class: "rp-field" }, h("span", { class: "small", id: "report-vehicles-label" }, m.vehicles), vehicleBox),
    h(
      "div",
      { class: "rp-field" },
      h("label", { for: "report-preset", class: "small" }, m.period),
      h("div", { class: "slot-group" }, preset, from, h("span", { class: "muted", "aria-hidden": "true" }, "–"), to),
    ),
    minStopField,
    minIdleField,
    speedLimitField,
    minSpeedingField,
    h("div", { class: "slot-group rp-actions" }, runBtn, cancelBtn),
    h("div", { class: "spacer" }),
    // The two exports wrap together, never one on each line.
    h("div", { class: "slot-group rp-exports" }, xlsxBtn, csvBtn),
  );
  from.setAttribute("aria-label", m.from);
  to.setAttribute("aria-label", m.to);

  // ---- results: message, table, map ----
  const message = h("div", { class: "rp-message", role: "status", "data-testid": "report-message", "data-kind": "info" }, m.notRun);
  const empty = h("div", { class: "rp-empty muted", "data-testid": "report-empty", hidden: true }, m.empty);
  const thead = h("thead");
  const tbody = h("tbody");
  const tfoot = h("tfoot");
  const caption = h("caption", { class: "rp-caption" });
  const table = h("table", { class: "rp-table", "data-testid": "report-table" }, caption, thead, tbody, tfoot);
  const tableWrap = h("div", { class: "rp-table-wrap" }, table);
  tableWrap.addEventListener("scroll", () => queueAddresses(), { passive: true });
  const mapEl = h("div", { class: "rp-map", "data-testid": "report-map", role: "region", "aria-label": m.map });
  const mapNote = h("p", { class: "rp-map-note small muted", "data-testid": "report-map-note", "aria-live": "polite" }, m.mapHint);
  const element = h(
    "section",
    { class: "slot-view reports-view", "data-testid": "reports-view", tabindex: "-1", "aria-labelledby": "reports-title", "data-state": "idle" },
    header,
    h("div", { class: "rp-body" }, h("div", { class: "rp-side" }, h("div", { class: "rp-status-row" }, progress, status), message, empty, tableWrap), h("div", { class: "rp-map-side" }, mapEl, mapNote)),
  );
  const map = new ReportMap(mapEl, store.settings, opts.map);

  // ---- state ----
  let shownKind: TableKind = kind.value as TableKind;
  let rows: TableRow[] = [];
  let sorted: TableRow[] = [];
  let sort: SortState = defaultSort(shownKind);
  let running: { requestId: number; kind: TableKind } | null = null;
  let lastRequestId: number | null = null;
  let lastMileage: MileageReport | null = null;
  let selected: TableRow | null = null;
  let mapToken = 0;

  function renderVehicleSummary(): void {
    const n = vehicles.value.length;
    const total = store.order.length;
    if (n === 1 && n !== total) vehicleSummary.setAttribute("translate", "no");
    else vehicleSummary.removeAttribute("translate");
    setText(vehicleSummary, n === 0 ? m.chooseVehicles : n === total ? m.allVehicles({ n: total }) : n === 1 ? name(vehicles.value[0]!) || vehicles.value[0]! : m.someVehicles({ n }));
  }

  function renderOptions(): void {
    const o = kindOptions(kind.value as TableKind);
    minStopField.hidden = !o.minStop;
    minIdleField.hidden = !o.minIdle;
    speedLimitField.hidden = !o.speedLimit;
    minSpeedingField.hidden = !o.speedLimit;
  }

  function providerNow(): number {
    return providerNowOfTracks(store.tracks.values(), store.lastUpdateAt, now());
  }

  function applyPreset(id: ReportPresetId): void {
    const p = reportPreset(id, providerNow() / 1000, tz());
    from.value = toInputValue(p.begin, tz());
    to.value = toInputValue(Math.ceil(p.end / 60) * 60, tz());
  }

  function period(): Period | null {
    return periodOfInputs(from.value, to.value, tz());
  }

  function showMessage(text: string | null, kindOf: "info" | "error" = "info"): void {
    message.hidden = text === null;
    message.dataset.kind = kindOf;
    message.setAttribute("role", kindOf === "error" ? "alert" : "status");
    setText(message, text ?? "");
  }

  function setProgress(done: number, total: number, requests: number, state: "running" | "done" | "stopped"): void {
    progress.hidden = false;
    const pct = total > 0 ? Math.round((done / total) * 100) : state === "done" ? 100 : 0;
    progress.dataset.state = state;
    progress.dataset.done = String(done);
    progress.dataset.total = String(total);
    progress.dataset.requests = String(requests);
    setAttr(progress, "aria-valuenow", String(pct));
    const text = m.progress({ done, total, requests });
    setAttr(progress, "aria-valuetext", text);
    bar.style.width = `${pct}%`;
    setText(progressText, text);
  }

  // ---- the table ----
  function renderHead(): void {
    const cols = columnsOf(shownKind);
    thead.replaceChildren(
      h(
        "tr",
        {},
        ...cols.map((c) => {
          const active = sort.column === c.id;
          const btn = h("button", { type: "button", class: "rp-sort", "data-column": c.id, title: m.sortBy({ column: c.label() }) }, c.label(), h("span", { class: "rp-sort-mark", "aria-hidden": "true" }, active ? (sort.direction === "ascending" ? "▲" : "▼") : ""));
          return h("th", { scope: "col", class: c.numeric ? "num" : "", "aria-sort": active ? sort.direction : "none", "data-column": c.id }, btn);
        }),
        ...addressCols().map((a) => h("th", { scope: "col", class: "rp-address-head", "data-column": a.id }, a.label())),
      ),
    );
  }

  /** The address columns shown: the kind's, while a geocoder is set. */
  function addressCols(): AddressColumn[] {
    return addressBook()?.enabled() && shownKind !== "mileage" ? addressColumnsOf(shownKind) : [];
  }
  let addressRows: Array<{ row: HTMLElement; el: HTMLElement; point: GeoPoint }> = [];
  let addressTimer: ReturnType<typeof setTimeout> | null = null;
  function queueAddresses(): void {
    const book = addressBook();
    if (!book?.enabled() || addressRows.length === 0) return;
    if (addressTimer !== null) clearTimeout(addressTimer);
    addressTimer = setTimeout(() => {
      addressTimer = null;
      // A row's cells on screen: the start and end of a trip are two items of one row.
      const rowsOnScreen = new Set(onScreen(addressRows.filter((a, k) => addressRows.findIndex((b) => b.row === a.row) === k)).map((a) => a.row));
      void fillAddresses(book, addressRows.filter((a) => rowsOnScreen.has(a.row)), "report");
    }, 150);
  }

  function renderBody(): void {
    const c = ctx();
    const cols = columnsOf(shownKind);
    sorted = sortRows(rows, sort, c, locale());
    const drawn = sorted.slice(0, MAX_REPORT_ROWS);
    const addrCols = addressCols();
    addressRows = [];
    tbody.replaceChildren(
      ...drawn.map((r, i) => {
        const tr = h(
          "tr",
          { "data-testid": "report-row", "data-imei": r.imei, "data-index": String(i), "data-start": String(r.start), tabindex: "0", class: r === selected ? "is-selected" : "", "aria-selected": r === selected ? "true" : "false" },
          ...cols.map((col) => {
            const key = col.key(r, c);
            const title = col.id === "alarms" ? alarmBreakdown(r) : "";
            return h("td", { class: col.numeric ? "num" : "", "data-column": col.id, "data-value": typeof key === "number" ? String(key) : null, translate: col.data ? "no" : null, title: title || null }, col.text(r, c));
          }),
        );
        for (const a of addrCols) {
          const el = addressElement("span", `report-${a.id}`);
          tr.append(h("td", { class: "rp-address", "data-column": a.id }, el));
          const point = a.point(r);
          if (point) addressRows.push({ row: tr, el, point });
        }
        return tr;
      }),
    );
    queueAddresses();
    const sums = totals(shownKind, rows, c);
    tfoot.replaceChildren(
      rows.length === 0
        ? ""
        : h(
            "tr",
            { "data-testid": "report-total" },
            ...cols.map((col, i) => {
              const v = sums.get(col.id);
              if (i === 0) return h("th", { scope: "row" }, m.totalRows({ n: rows.length }));
              return h("td", { class: col.numeric ? "num" : "", "data-column": col.id, "data-value": v === undefined ? null : String(v) }, v === undefined ? "" : totalText(col, v, c));
            }),
            ...addrCols.map(() => h("td", {})),
          ),
    );
    setText(caption, m.table({ kind: m.kinds[shownKind] }));
    empty.hidden = !(lastRequestId !== null || lastMileage !== null) || rows.length > 0;
  }

  function render(): void {
    renderHead();
    renderBody();
  }

  function sortBy(columnId: string): void {
    const col = columnsOf(shownKind).find((c) => c.id === columnId);
    if (!col) return;
    sort = nextSort(sort, col);
    render();
    thead.querySelector<HTMLButtonElement>(`button[data-column="${col.id}"]`)?.focus();
  }

  // ---- running ----
  /** The whole number in `input`, from 0 to `max`; null for anything else. */
  function whole(input: HTMLInputElement, max: number): number | null {
    const v = Number(input.value);
    return input.value.trim() !== "" && Number.isInteger(v) && v >= 0 && v <= max ? v : null;
  }

  function minutes(input: HTMLInputElement): number | null {
    const v = whole(input, 1440);
    return v === null ? null : v * 60;
  }

  async function run(): Promise<void> {
    if (running) return;
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
    const k = kind.value as TableKind;
    const minStopSecs = minutes(minStop);
    const minIdleSecs = minutes(minIdle);
    const limit = Number(speedLimit.value);
    const minSpeedingSecs = whole(minSpeeding, 3600);
    const o = kindOptions(k);
    if ((o.minStop && minStopSecs === null) || (o.minIdle && minIdleSecs === null) || (o.speedLimit && (!(limit > 0) || minSpeedingSecs === null))) {
      showMessage(m.optionProblem, "error");
      return;
    }
    vehicleBox.open = false;
    const requestId = nextRequestId++;
    running = { requestId, kind: k };
    runBtn.disabled = true;
    cancelBtn.hidden = false;
    xlsxBtn.disabled = csvBtn.disabled = true;
    element.dataset.state = "running";
    showMessage(null);
    setText(status, m.starting({ n: imeis.length }));
    setProgress(0, imeis.length, 0, "running");
    try {
      if (k === "mileage") {
        const r = await backend.mileageReport(imeis, p.begin, p.end);
        lastMileage = r;
        lastRequestId = null;
        showRows(k, mileageRows(r));
        setProgress(imeis.length, imeis.length, 0, "done");
        setText(status, m.done({ rows: r.rows.length }));
        element.dataset.state = "done";
      } else {
        const unitsKmh = store.settings.units === "mph" ? limit * 1.609344 : limit;
        const result: ReportResult = await backend.reportRun({
          requestId,
          kind: k,
          imeis,
          begin: p.begin,
          end: p.end,
          timeZone: tz() === "local" ? Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC" : tz(),
          minStopSecs: minStopSecs ?? 180,
          minIdleSecs: minIdleSecs ?? 180,
          speedLimitKmh: Math.round(unitsKmh * 10) / 10,
          minSpeedingSecs: minSpeedingSecs ?? 0,
        });
        lastRequestId = result.requestId;
        lastMileage = null;
        showRows(k, result.rows);
        const done = Number(progress.dataset.done ?? 0);
        setProgress(result.complete ? imeis.length : done, imeis.length, result.requests, result.complete ? "done" : "stopped");
        setText(status, m.done({ rows: result.rows.length }));
        if (result.error) {
          const cancelled = result.error.kind === "cancelled";
          showMessage(cancelled ? m.cancelled : m.partial({ error: errorText(result.error).replace(/\s*$/, "") }), cancelled ? "info" : "error");
        }
        element.dataset.state = result.complete ? "done" : "partial";
      }
    } catch (e) {
      const err = toBackendError(e);
      const cancelled = err.kind === "cancelled";
      // No rows of this run: the table is of the kind asked for, empty, and the error says why.
      lastRequestId = null;
      lastMileage = null;
      showRows(k, []);
      showMessage(cancelled ? m.cancelled : errorText(err), cancelled ? "info" : "error");
      setText(status, "");
      progress.dataset.state = "stopped";
      element.dataset.state = "failed";
    } finally {
      running = null;
      runBtn.disabled = false;
      cancelBtn.hidden = true;
      updateExport();
    }
  }

  function mileageRows(r: MileageReport): TableRow[] {
    return r.rows.map((x) => {
      const d = store.devices.get(x.imei);
      const tr = store.tracks.get(x.imei);
      return {
        imei: x.imei,
        vehicle: d?.devicename ?? x.imei,
        start: r.begin,
        end: r.end,
        lat: tr?.latitude ?? Number.NaN,
        lon: tr?.longitude ?? Number.NaN,
        values: { kind: "mileage", distanceM: x.km === null ? null : x.km * 1000, plate: d?.platenumber ?? "" },
      };
    });
  }

  function showRows(k: TableKind, next: TableRow[]): void {
    if (k !== shownKind) sort = defaultSort(k);
    shownKind = k;
    rows = next;
    selected = null;
    mapToken++;
    map.clear();
    setText(mapNote, m.mapHint);
    element.dataset.rows = String(rows.length);
    element.dataset.kind = k;
    render();
  }

  function updateExport(): void {
    const has = rows.length > 0;
    csvBtn.disabled = !has;
    xlsxBtn.disabled = !has;
    xlsxBtn.title = m.exportXlsxTitle;
  }

  async function exportAs(format: ReportExportFormat): Promise<void> {
    const btn = format === "xlsx" ? xlsxBtn : csvBtn;
    btn.disabled = true;
    try {
      if (shownKind === "mileage") {
        const r = lastMileage;
        if (!r) return;
        if (format === "xlsx") {
          const c = t().mileage.csv;
          const f = await backend.mileageSaveXlsx(r.begin, r.end, [c.vehicle, c.plate, c.imei, c.km, c.begins, c.ends, c.total]);
          if (f) {
            showMessage(m.saved({ path: f.path }));
            message.dataset.path = f.path;
          }
        } else {
          const path = await backend.mileageSaveCsv(mileageCsv(r, store.devices, tz()), r.begin, r.end);
          if (path) showMessage(m.saved({ path }));
        }
      } else if (lastRequestId !== null) {
        const withAddresses = addressBook()?.enabled() ?? false;
        const f = await backend.reportExport(lastRequestId, format, exportHeaders(shownKind, withAddresses), withAddresses ? locale() : null);
        if (f) {
          showMessage(m.saved({ path: f.path }));
          message.dataset.path = f.path;
        }
      }
    } catch (e) {
      showMessage(errorText(toBackendError(e)), "error");
    } finally {
      updateExport();
    }
  }

  // ---- the map ----
  async function show(index: number): Promise<void> {
    const r = sorted[index];
    if (!r) return;
    selected = r;
    for (const tr of tbody.querySelectorAll<HTMLElement>("tr")) {
      const on = tr.dataset.index === String(index);
      tr.classList.toggle("is-selected", on);
      tr.setAttribute("aria-selected", on ? "true" : "false");
    }
    const token = ++mapToken;
    const label = `${name(r.imei) || r.vehicle} · ${formatDateTime(r.start, tz())}`;
    const v = r.values;
    element.dataset.mapRow = String(index);
    if (v.kind === "trip" && placeKnown(r) && r.start !== null && r.end !== null) {
      const start = { lat: r.lat, lon: r.lon, label };
      const end = { lat: v.endLat, lon: v.endLon, label: `${name(r.imei) || r.vehicle} · ${formatDateTime(r.end, tz())}` };
      map.showTrip(start, end, null);
      setText(mapNote, m.routeLoading);
      element.dataset.map = "loading";
      try {
        const id = nextRouteId++;
        await backend.playbackLoad(id, r.imei, r.start, r.end);
        const route = decodeRoute(await backend.playbackPoints(r.imei, r.start, r.end));
        if (token !== mapToken) return;
        map.showTrip(start, end, route);
        noteLabel(label);
        element.dataset.map = "route";
        element.dataset.routePoints = String(route.n);
      } catch {
        if (token !== mapToken) return;
        setText(mapNote, m.routeUnavailable);
        element.dataset.map = "ends";
      }
    } else if (placeKnown(r)) {
      map.showPlace({ lat: r.lat, lon: r.lon, label });
      noteLabel(label);
      element.dataset.map = "place";
    } else {
      map.clear();
      setText(mapNote, m.noData);
      element.dataset.map = "none";
    }
  }

  /** The map's note naming the row shown: a vehicle and a time, data. */
  function noteLabel(label: string): void {
    mapNote.replaceChildren(h("span", { translate: "no" }, label));
  }

  // ---- events ----
  thead.addEventListener("click", (ev) => {
    const btn = (ev.target as HTMLElement).closest<HTMLButtonElement>("button[data-column]");
    if (btn?.dataset.column) sortBy(btn.dataset.column);
  });
  tbody.addEventListener("click", (ev) => {
    const tr = (ev.target as HTMLElement).closest<HTMLElement>("tr[data-index]");
    if (tr) void show(Number(tr.dataset.index));
  });
  tbody.addEventListener("keydown", (ev) => {
    const tr = (ev.target as HTMLElement).closest<HTMLElement>("tr[data-index]");
    if (!tr) return;
    if (ev.key === "Enter" || ev.key === " ") {
      ev.preventDefault();
      void show(Number(tr.dataset.index));
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      const next = (ev.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling) as HTMLElement | null;
      next?.focus();
    }
  });
  kind.addEventListener("change", renderOptions);
  preset.addEventListener("change", () => {
    if (preset.value !== "custom") applyPreset(preset.value as ReportPresetId);
  });
  for (const input of [from, to]) {
    input.addEventListener("change", () => (preset.value = "custom"));
    input.addEventListener("input", () => (preset.value = "custom"));
  }
  runBtn.addEventListener("click", () => void run());
  cancelBtn.addEventListener("click", () => {
    const r = running;
    if (!r) return;
    cancelRun(r);
  });
  function cancelRun(r: { requestId: number; kind: TableKind }): void {
    if (r.kind === "mileage") void backend.mileageCancel().catch(() => undefined);
    else void backend.reportCancel(r.requestId).catch(() => undefined);
  }
  xlsxBtn.addEventListener("click", () => void exportAs("xlsx"));
  csvBtn.addEventListener("click", () => void exportAs("csv"));
  back.addEventListener("click", () => opts.onClose());
  element.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape" || ev.defaultPrevented) return;
    if (vehicleBox.open) {
      vehicleBox.open = false;
      vehicleSummary.focus();
      ev.preventDefault();
      return;
    }
    const target = ev.target as HTMLElement;
    if (target.tagName === "SELECT") return;
    ev.preventDefault();
    opts.onClose();
  });

  const unsubscribeProgress = backend.onReportProgress((p) => {
    if (running && p.requestId === running.requestId) setProgress(p.vehiclesDone, p.vehiclesTotal, p.requests, "running");
  });
  const unsubscribeStore = store.subscribe((c) => {
    if (c.kind === "devices") {
      vehicles.render();
      renderVehicleSummary();
    } else if (c.kind === "settings") {
      setText(speedLimitLabel, t().reports.speedLimit({ unit: speedUnitLabel(store.settings.units) }));
      if (rows.length) renderBody();
    }
  });

  preset.value = opts.preset ?? "yesterday";
  applyPreset(preset.value as ReportPresetId);
  renderVehicleSummary();
  renderOptions();
  render();

  return {
    element,
    map,
    vehicles,
    get rows() {
      return sorted;
    },
    run,
    show,
    destroy() {
      const r = running;
      if (r) cancelRun(r);
      mapToken++;
      void unsubscribeProgress.then((u) => u());
      unsubscribeStore();
      vehicles.destroy();
      map.destroy();
    },
  };
}
