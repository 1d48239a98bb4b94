/**
 * The mileage report: choose vehicles (one, many, all) and a period; the backend snaps it to :00
 * or :30, fetches it in 7-day windows and sums. A table per vehicle, a bar chart, the total, CSV.
 */
import type { MileageReport } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { h } from "../dom";
import { displayName } from "../lib/search";
import { fromInputValue, toInputValue } from "../lib/playbackTime";
import { formatDistance, MILEAGE_PRESETS, mileageCsv, mileagePreset, reportTime } from "../lib/mileage";
import { openModal, type Modal } from "./operationsModal";
import { locale, t } from "../i18n";
import { errorText } from "../i18n/words";

export interface MileageReportOptions {
  backend: IBackend;
  store: Store;
  /** Vehicles ticked at first (default: all). */
  preselect?: string[];
  now?: () => number;
}

export interface MileageView extends Modal {
  /** Runs the report with what the form holds; resolves when it is shown. */
  run(): Promise<void>;
}

/** How many bars the chart draws before summing the rest as "others". */
const CHART_BARS = 25;

export function openMileageReport(opts: MileageReportOptions): MileageView {
  const { backend, store } = opts;
  const now = opts.now ?? (() => Date.now());
  const tz = (): string => store.settings.timeZone;
  const m = t().mileage;
  const modal = openModal({
    title: m.title,
    testid: "mileage-dialog",
    size: "wide",
    onClose: () => {
      if (running) void backend.mileageCancel().catch(() => undefined);
    },
  });
  let running = false;
  let report: MileageReport | null = null;

  // ---- vehicles ----
  const chosen = new Set(opts.preselect?.length ? opts.preselect : store.order);
  const filter = h("input", { type: "search", placeholder: m.filter, "data-testid": "mileage-filter", "aria-label": m.filter });
  const count = h("span", { class: "muted small", "data-testid": "mileage-count" });
  const list = h("div", { class: "mileage-vehicles", role: "group", "aria-label": m.vehicles });
  const boxes = new Map<string, HTMLInputElement>();
  for (const imei of store.order) {
    const d = store.devices.get(imei);
    if (!d) continue;
    const box = h("input", { type: "checkbox", value: imei, "data-testid": "mileage-vehicle", "data-imei": imei });
    box.checked = chosen.has(imei);
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(imei);
      else chosen.delete(imei);
      updateCount();
    });
    boxes.set(imei, box);
    list.append(
      // A vehicle's name and plate are data, left as they are.
      h("label", { class: "mileage-vehicle", "data-imei": imei, translate: "no" }, box, h("span", {}, displayName(d)), h("small", { class: "muted" }, d.platenumber || d.imei)),
    );
  }
  const all = h("button", { type: "button", class: "btn link small", "data-testid": "mileage-all" }, m.all);
  const none = h("button", { type: "button", class: "btn link small", "data-testid": "mileage-none" }, m.none);
  const setShown = (on: boolean): void => {
    for (const [imei, box] of boxes) {
      if ((box.parentElement as HTMLElement).hidden) continue;
      box.checked = on;
      if (on) chosen.add(imei);
      else chosen.delete(imei);
    }
    updateCount();
  };
  all.addEventListener("click", () => setShown(true));
  none.addEventListener("click", () => setShown(false));
  filter.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    for (const [imei, box] of boxes) {
      const d = store.devices.get(imei);
      const text = `${d?.devicename ?? ""} ${d?.platenumber ?? ""} ${imei}`.toLowerCase();
      (box.parentElement as HTMLElement).hidden = q !== "" && !text.includes(q);
    }
  });
  function updateCount(): void {
    count.textContent = m.selected({ n: chosen.size, total: boxes.size });
    runBtn.disabled = running || chosen.size === 0;
  }

  // ---- period ----
  const begin = h("input", { type: "datetime-local", id: "mileage-begin", lang: locale(), "data-testid": "mileage-begin", step: "1800" });
  const end = h("input", { type: "datetime-local", id: "mileage-end", lang: locale(), "data-testid": "mileage-end", step: "1800" });
  const setPeriod = (b: number, e: number): void => {
    begin.value = toInputValue(b, tz());
    end.value = toInputValue(e, tz());
  };
  const first = mileagePreset("last7d", now() / 1000, tz());
  setPeriod(first.begin, first.end);
  const presets = h(
    "div",
    { class: "preset-row" },
    ...MILEAGE_PRESETS.map((p) => {
      const b = h("button", { type: "button", class: "btn secondary small", "data-preset": p.id }, p.label);
      b.addEventListener("click", () => {
        const period = mileagePreset(p.id, now() / 1000, tz());
        setPeriod(period.begin, period.end);
      });
      return b;
    }),
  );

  const runBtn = h("button", { type: "button", class: "btn primary", "data-testid": "mileage-run" }, m.run);
  const cancelBtn = h("button", { type: "button", class: "btn secondary", hidden: true, "data-testid": "mileage-cancel" }, t().common.cancel);
  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "mileage-error" });
  const status = h("p", { class: "muted small", "data-testid": "mileage-status", "aria-live": "polite" });
  const results = h("div", { class: "mileage-results", "data-testid": "mileage-results" });
  const exportBtn = h("button", { type: "button", class: "btn secondary", disabled: true, "data-testid": "mileage-export" }, m.exportCsv);
  const exportResult = h("p", { class: "form-notice", hidden: true, "data-testid": "mileage-export-result" });
  const close = h("button", { type: "button", class: "btn primary" }, t().common.close);
  close.addEventListener("click", () => modal.close());

  modal.body.classList.add("mileage-body");
  modal.body.append(
    h(
      "div",
      { class: "mileage-layout" },
      h("div", { class: "mileage-side" }, h("h3", {}, m.vehicles), filter, h("div", { class: "mileage-tools" }, all, none, count), list),
      h(
        "div",
        { class: "mileage-main" },
        h("h3", {}, m.period),
        presets,
        h(
          "div",
          { class: "row" },
          h("div", { class: "field" }, h("label", { for: "mileage-begin" }, m.from), begin),
          h("div", { class: "field" }, h("label", { for: "mileage-end" }, m.to), end),
        ),
        h("p", { class: "hint" }, m.hint),
        h("div", { class: "mileage-actions" }, runBtn, cancelBtn, status),
        error,
        results,
        exportResult,
      ),
    ),
  );
  modal.footer.append(exportBtn, close);
  updateCount();

  async function run(): Promise<void> {
    const b = fromInputValue(begin.value, tz());
    const e = fromInputValue(end.value, tz());
    error.hidden = true;
    if (b === null || e === null) {
      error.textContent = m.periodMissing;
      error.hidden = false;
      return;
    }
    const imeis = store.order.filter((i) => chosen.has(i));
    running = true;
    runBtn.disabled = true;
    cancelBtn.hidden = false;
    exportBtn.disabled = true;
    exportResult.hidden = true;
    status.textContent = m.fetching({ n: imeis.length });
    try {
      report = await backend.mileageReport(imeis, b, e);
      render(report);
      exportBtn.disabled = false;
      status.textContent = "";
    } catch (err) {
      const be = toBackendError(err);
      status.textContent = "";
      if (be.kind !== "cancelled") {
        error.textContent = errorText(be);
        error.hidden = false;
      }
    } finally {
      running = false;
      cancelBtn.hidden = true;
      updateCount();
    }
  }

  function render(r: MileageReport): void {
    const units = store.settings.units;
    const name = (imei: string): string => {
      const d = store.devices.get(imei);
      return d ? displayName(d) : imei;
    };
    const summary = h(
      "div",
      { class: "mileage-summary", "data-testid": "mileage-summary" },
      h("div", { class: "mileage-total" }, h("span", { class: "muted" }, m.total), h("strong", { "data-testid": "mileage-total", "data-km": r.totalKm.toFixed(2) }, formatDistance(r.totalKm, units))),
      h(
        "p",
        { class: "small" },
        m.periodUsed,
        h("strong", { "data-testid": "mileage-period", "data-begin": String(r.begin), "data-end": String(r.end) }, `${reportTime(r.begin, tz())} → ${reportTime(r.end, tz())}`),
        h("span", { class: "muted" }, m.details({ vehicles: r.rows.length, windows: r.windows })),
        r.withoutData > 0
          ? h("span", { class: "muted", "data-testid": "mileage-without-data" }, m.withoutData({ n: r.withoutData }))
          : null,
      ),
    );
    // The chart shows the vehicles with data; those without are listed in the table as such.
    const sorted = r.rows
      .flatMap((x) => (x.km === null ? [] : [{ imei: x.imei, km: x.km }]))
      .sort((a, b) => b.km - a.km);
    const max = Math.max(1e-9, ...sorted.map((x) => x.km));
    const shown = sorted.slice(0, CHART_BARS);
    const rest = sorted.slice(CHART_BARS).reduce((s, x) => s + x.km, 0);
    const bars = shown.map((x) =>
      h(
        "div",
        { class: "bar-row", "data-imei": x.imei },
        h("span", { class: "bar-label", title: name(x.imei), translate: "no" }, name(x.imei)),
        h("span", { class: "bar-track" }, h("span", { class: "bar", style: `width: ${((x.km / max) * 100).toFixed(1)}%` })),
        h("span", { class: "bar-value" }, formatDistance(x.km, units)),
      ),
    );
    const chart = h(
      "div",
      { class: "mileage-chart", "data-testid": "mileage-chart", role: "img", "aria-label": m.chart },
      ...bars,
      rest > 0 ? h("p", { class: "muted small" }, m.others({ n: sorted.length - CHART_BARS, distance: formatDistance(rest, units) })) : null,
    );
    const table = h(
      "table",
      { class: "ops-table", "data-testid": "mileage-table" },
      h("thead", {}, h("tr", {}, h("th", {}, m.columns.vehicle), h("th", {}, m.columns.plate), h("th", {}, m.columns.imei), h("th", { class: "num" }, m.columns.distance))),
      h(
        "tbody",
        {},
        ...r.rows.map((x) => {
          const d = store.devices.get(x.imei);
          return h(
            "tr",
            { "data-testid": "mileage-row", "data-imei": x.imei, "data-km": x.km === null ? "" : x.km.toFixed(2) },
            h("td", { translate: "no" }, name(x.imei)),
            h("td", { translate: "no" }, d?.platenumber || "—"),
            h("td", { class: "mono", translate: "no" }, x.imei),
            h("td", { class: x.km === null ? "num muted" : "num" }, x.km === null ? m.noData : formatDistance(x.km, units)),
          );
        }),
      ),
      h("tfoot", {}, h("tr", {}, h("th", { colspan: "3" }, m.total), h("th", { class: "num" }, formatDistance(r.totalKm, units)))),
    );
    results.replaceChildren(summary, chart, h("div", { class: "table-scroll" }, table));
  }

  runBtn.addEventListener("click", () => void run());
  cancelBtn.addEventListener("click", () => void backend.mileageCancel().catch(() => undefined));
  exportBtn.addEventListener("click", () => {
    if (!report) return;
    const r = report;
    exportBtn.disabled = true;
    backend
      .mileageSaveCsv(mileageCsv(r, store.devices, tz()), r.begin, r.end)
      .then((path) => {
        exportResult.hidden = path === null;
        if (path) exportResult.textContent = m.savedTo({ path });
      })
      .catch((e: unknown) => {
        exportResult.hidden = false;
        exportResult.textContent = errorText(toBackendError(e));
      })
      .finally(() => {
        exportBtn.disabled = false;
      });
  });

  return { ...modal, run };
}
