import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { useMessagesForTest, setLanguage } from "../src/i18n";
import { createReportsView, type ReportsView } from "../src/views/reports";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
});

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const all = (id: string): HTMLElement[] => [...document.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`)];
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
const choose = (id: string, value: string): void => {
  const s = q<HTMLSelectElement>(id);
  s.value = value;
  s.dispatchEvent(new Event("change", { bubbles: true }));
};

let view: ReportsView | null = null;
afterEach(() => {
  view?.destroy();
  view = null;
  document.body.replaceChildren();
  setLanguage("en");
});

async function setup(): Promise<{ backend: FakeBackend; store: Store; imeis: string[] }> {
  const backend = new FakeBackend({ fleetSize: 4, nowMs: () => NOW, settings: { timeZone: "UTC" } });
  const session = await backend.sessionDemo();
  const store = new Store(backend.settings);
  store.setSession(session);
  store.setDevices(await backend.fleetDevices());
  return { backend, store, imeis: store.order };
}

function mount(backend: FakeBackend, store: Store, imeis?: string[]): ReportsView {
  view = createReportsView({ backend, store, onClose: () => undefined, imeis, now: () => NOW, map: { offlineBasemap: false, tiles: false } });
  document.body.append(view.element);
  return view;
}

describe("the reports view", () => {
  it("offers every kind, the presets, and the options that apply", async () => {
    const { backend, store } = await setup();
    mount(backend, store);
    expect([...q<HTMLSelectElement>("report-kind").options].map((o) => o.value)).toEqual(["trips", "stops", "idling", "summary", "speeding", "geofences", "mileage"]);
    expect([...q<HTMLSelectElement>("report-preset").options].map((o) => o.value)).toEqual(["today", "yesterday", "last7d", "thisMonth", "custom"]);
    expect(q<HTMLInputElement>("report-from").value).toBe("2024-05-02T00:00");
    expect(q<HTMLInputElement>("report-to").value).toBe("2024-05-03T00:00");
    expect(q("report-option-min-stop").hidden).toBe(false);
    expect(q("report-option-speed-limit").hidden).toBe(true);
    expect(q("report-option-min-speeding").hidden).toBe(true);
    choose("report-kind", "speeding");
    expect(q("report-option-min-stop").hidden).toBe(true);
    expect(q("report-option-speed-limit").hidden).toBe(false);
    expect(q("report-option-min-speeding").hidden).toBe(false);
    choose("report-kind", "summary");
    expect(q("report-option-min-idle").hidden).toBe(false);
    choose("report-preset", "today");
    expect(q<HTMLInputElement>("report-from").value).toBe("2024-05-03T00:00");
    expect(q<HTMLInputElement>("report-to").value).toBe("2024-05-03T12:00");
  });

  it("runs trips for the chosen vehicles: progress, rows with their vehicle, totals that add up", async () => {
    const { backend, store, imeis } = await setup();
    const progress: number[] = [];
    void backend.onReportProgress((p) => progress.push(p.vehiclesDone));
    const v = mount(backend, store, imeis.slice(0, 2));
    await v.run();
    const req = backend.reports.runs[0]!;
    expect(req).toMatchObject({ kind: "trips", imeis: imeis.slice(0, 2), begin: NOW / 1000 - 43_200 - 86_400, end: NOW / 1000 - 43_200, timeZone: "UTC", minStopSecs: 180 });
    expect(progress).toEqual([0, 1, 2]);
    const bar = q("report-progress");
    expect(bar.dataset.state).toBe("done");
    expect(bar.getAttribute("aria-valuenow")).toBe("100");
    expect(bar.textContent).toMatch(/^2 of 2 vehicles · \d+ requests? to the provider$/);
    const rows = all("report-row");
    expect(rows.length).toBeGreaterThan(2);
    expect(new Set(rows.map((r) => r.dataset.imei))).toEqual(new Set(imeis.slice(0, 2)));
    const sum = rows.reduce((s, r) => s + Number(r.querySelector<HTMLElement>('[data-column="distance"]')!.dataset.value), 0);
    const total = q("report-total");
    expect(Number(total.querySelector<HTMLElement>('[data-column="distance"]')!.dataset.value)).toBeCloseTo(sum, 6);
    expect(total.textContent).toContain(`Total · ${rows.length} rows`);
    expect(total.querySelector('[data-column="distance"]')!.textContent).toMatch(/^[\d,]+\.\d\d km$/);
    expect(q("report-empty").hidden).toBe(true);
    expect(q("report-message").hidden).toBe(true);
  });

  it("speeding asks for the shortest speeding the user set; a bad one sends nothing", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 2));
    choose("report-kind", "speeding");
    const minSpeeding = q<HTMLInputElement>("report-min-speeding");
    expect(minSpeeding.value).toBe("0");
    await v.run();
    const allFast = all("report-row").length;
    expect(backend.reports.runs[0]).toMatchObject({ kind: "speeding", minSpeedingSecs: 0 });
    minSpeeding.value = "2.5";
    await v.run();
    expect(backend.reports.runs).toHaveLength(1);
    expect(q("report-message").dataset.kind).toBe("error");
    expect(q("report-message").textContent).toContain("speeding");
    minSpeeding.value = "60";
    await v.run();
    expect(backend.reports.runs[1]).toMatchObject({ kind: "speeding", minSpeedingSecs: 60 });
    const longRows = all("report-row");
    expect(longRows.length).toBeLessThan(allFast);
    for (const r of longRows) expect(Number(r.querySelector<HTMLElement>('[data-column="duration"]')!.dataset.value)).toBeGreaterThanOrEqual(60);
  });

  it("sorts by any column with a click or Enter, saying so with aria-sort", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 3));
    await v.run();
    const th = (id: string) => q("report-table").querySelector<HTMLElement>(`th[data-column="${id}"]`)!;
    expect(th("start").getAttribute("aria-sort")).toBe("ascending");
    expect(th("distance").getAttribute("aria-sort")).toBe("none");
    th("distance").querySelector("button")!.click();
    expect(th("distance").getAttribute("aria-sort")).toBe("descending");
    const values = () => all("report-row").map((r) => Number(r.querySelector<HTMLElement>('[data-column="distance"]')!.dataset.value));
    const d = values();
    expect(d).toEqual([...d].sort((a, b) => b - a));
    // A <button> in each header: Enter and Space activate it as a click does.
    const btn = th("distance").querySelector("button")!;
    expect(btn.type).toBe("button");
    btn.click();
    expect(th("distance").getAttribute("aria-sort")).toBe("ascending");
    expect(values()).toEqual([...d].sort((a, b) => a - b));
    th("vehicle").querySelector("button")!.click();
    expect(th("vehicle").getAttribute("aria-sort")).toBe("ascending");
    expect(document.activeElement).toBe(th("vehicle").querySelector("button"));
  });

  it("shows a clicked trip's route on the map, and a stop's place", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 1));
    await v.run();
    const row = all("report-row")[0]!;
    row.click();
    await flush();
    await flush();
    expect(row.classList.contains("is-selected")).toBe(true);
    expect(backend.calls.some((c) => c.cmd === "playback_load")).toBe(true);
    expect(v.element.dataset.map).toBe("route");
    expect(Number(v.element.dataset.routePoints)).toBeGreaterThan(2);
    expect(all("report-marker").map((m) => m.dataset.role)).toEqual(["start", "end"]);
    choose("report-kind", "stops");
    await v.run();
    const stop = all("report-row")[1]!;
    stop.focus();
    stop.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
    await flush();
    expect(v.element.dataset.map).toBe("place");
    expect(all("report-marker").map((m) => m.dataset.role)).toEqual(["place"]);
  });

  it("keeps a trip's start and end when its route cannot be loaded", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 1));
    await v.run();
    backend.playback.failAfter = { share: 0, error: { kind: "network", message: "down", apiCode: null } };
    await v.show(0);
    expect(v.element.dataset.map).toBe("ends");
    expect(q("report-map-note").textContent).toMatch(/only the start and end/);
    expect(all("report-marker")).toHaveLength(2);
  });

  it("cancels a run: the rows so far stay, with the words for it", async () => {
    const { backend, store, imeis } = await setup();
    backend.reports.stepMs = 5;
    const v = mount(backend, store, imeis);
    const run = v.run();
    await new Promise((r) => setTimeout(r, 12));
    expect(q("report-cancel").hidden).toBe(false);
    expect(q<HTMLButtonElement>("report-run").disabled).toBe(true);
    q("report-cancel").click();
    await run;
    expect(backend.calls.some((c) => c.cmd === "report_cancel")).toBe(true);
    expect(q("report-message").textContent).toBe("The report was cancelled.");
    expect(q("report-progress").dataset.state).toBe("stopped");
    expect(Number(q("report-progress").dataset.done)).toBeLessThan(imeis.length);
    expect(q("report-cancel").hidden).toBe(true);
    expect(v.element.dataset.state).toBe("partial");
  });

  it("shows the error with the partial results, and a failed run's error alone", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis);
    backend.reports.failAfter = { vehicles: 2, error: { kind: "api", message: "Too frequent", apiCode: 10009 } };
    await v.run();
    expect(new Set(all("report-row").map((r) => r.dataset.imei))).toEqual(new Set(imeis.slice(0, 2)));
    const msg = q("report-message");
    expect(msg.dataset.kind).toBe("error");
    expect(msg.getAttribute("role")).toBe("alert");
    expect(msg.textContent).toMatch(/^Only part of the report could be made: .*10009.*The rows below/);
    expect(all("report-total")).toHaveLength(1);
    backend.reports.failWith = { kind: "network", message: "Cannot reach the provider.", apiCode: null };
    await v.run();
    expect(q("report-message").textContent).toBe("Cannot reach the provider.");
  });

  it("says so when there is nothing to report", async () => {
    const { backend, store, imeis } = await setup();
    backend.playback.history = () => [];
    const v = mount(backend, store, imeis.slice(0, 2));
    expect(q("report-empty").hidden).toBe(true);
    await v.run();
    expect(all("report-row")).toHaveLength(0);
    expect(q("report-empty").hidden).toBe(false);
    expect(all("report-total")).toHaveLength(0);
    expect(q<HTMLButtonElement>("report-export-csv").disabled).toBe(true);
  });

  it("exports Excel and CSV of the run under the translated headers", async () => {
    const { backend, store, imeis } = await setup();
    setLanguage("es");
    const v = mount(backend, store, imeis.slice(0, 2));
    choose("report-kind", "stops");
    await v.run();
    q("report-export-xlsx").click();
    await flush();
    q("report-export-csv").click();
    await flush();
    const [x, c] = backend.reports.exports;
    const id = backend.reports.runs[0]!.requestId;
    expect(x).toMatchObject({ requestId: id, format: "xlsx", headers: ["Vehículo", "IMEI", "Inicio", "Fin", "Duración", "Latitud", "Longitud"] });
    expect(c).toMatchObject({ requestId: id, format: "csv" });
    expect(q("report-message").textContent).toBe("Guardado en /home/user/Downloads/etrack-report.csv");
  });

  it("makes the mileage report a kind: mileage_report, its CSV and Excel with the headers", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 3));
    choose("report-kind", "mileage");
    await v.run();
    expect(backend.calls.find((c) => c.cmd === "mileage_report")?.args).toMatchObject({ imeis: imeis.slice(0, 3) });
    expect(all("report-row")).toHaveLength(3);
    expect(q("report-table").querySelector('th[data-column="plate"]')).not.toBeNull();
    expect(q<HTMLButtonElement>("report-export-xlsx").disabled).toBe(false);
    q("report-export-csv").click();
    await flush();
    expect(backend.calls.some((c) => c.cmd === "mileage_save_csv")).toBe(true);
    q("report-export-xlsx").click();
    await flush();
    const report = backend.calls.find((c) => c.cmd === "mileage_report")!;
    const xlsx = backend.calls.find((c) => c.cmd === "mileage_save_xlsx");
    expect(xlsx?.args).toEqual({
      begin: expect.any(Number),
      end: expect.any(Number),
      headers: ["Vehicle", "Plate", "IMEI", "Kilometres", "Period begins", "Period ends", "Total"],
    });
    expect((xlsx?.args as { begin: number }).begin).toBeLessThanOrEqual((report.args as { begin: number }).begin);
    expect(q("report-message").textContent).toContain("etrack-mileage.xlsx");
  });

  it("runs every kind over the fake fleet with rows whose values match it", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 2));
    choose("report-preset", "last7d");
    const distance = new Map<string, number>();
    for (const kind of ["stops", "idling", "speeding", "geofences", "trips", "summary"]) {
      choose("report-kind", kind);
      await v.run();
      expect(v.element.dataset.kind).toBe(kind);
      const valueKind = { trips: "trip", stops: "stop", idling: "idle", summary: "summary", speeding: "speeding", geofences: "geofenceVisit" }[kind];
      expect(v.rows.every((r) => r.values.kind === valueKind)).toBe(true);
      expect(v.rows.length, kind).toBeGreaterThan(0);
      if (kind === "trips") for (const r of v.rows) if (r.values.kind === "trip") distance.set(r.imei, (distance.get(r.imei) ?? 0) + r.values.distanceM);
    }
    // One summary row per vehicle and day (today included); its distance is the sum of its trips.
    expect(v.rows).toHaveLength(2 * 7);
    const summed = new Map<string, number>();
    for (const r of v.rows) if (r.values.kind === "summary") summed.set(r.imei, (summed.get(r.imei) ?? 0) + r.values.distanceM);
    for (const imei of imeis.slice(0, 2)) expect(summed.get(imei)).toBeCloseTo(distance.get(imei)!, 6);
  }, 30_000);

  it("asks for vehicles before running, and reads the period it shows", async () => {
    const { backend, store } = await setup();
    const v = mount(backend, store, []);
    await v.run();
    expect(q("report-message").textContent).toBe("Choose at least one vehicle.");
    expect(backend.reports.runs).toHaveLength(0);
  });

  it("shows no English under a pseudo-locale", async () => {
    const { backend, store, imeis } = await setup();
    useMessagesForTest(pseudoMessages());
    const v = mount(backend, store, imeis.slice(0, 2));
    choose("report-kind", "summary");
    await v.run();
    await v.show(0);
    // Time zones' abbreviations and Leaflet's name in the attribution are names, not English.
    expect(englishOutside(v.element, ["GMT", "UTC", "Leaflet"])).toEqual([]);
  });
});
