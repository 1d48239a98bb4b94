/**
 * Playback, alarms, geofences, commands, the command log, mileage and the operations buttons with
 * pseudo-localised messages: every word on screen must come from the i18n layer (inside ⟦ ⟧) or be
 * data marked translate="no". And the engine-stop confirmation in Chinese and Spanish names the
 * vehicle and the command, with the plate to type shown exactly.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Alarm, PlaybackPoint } from "../src/bindings";
import L from "../src/map/leaflet";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { setLanguage, useMessagesForTest } from "../src/i18n";
import { createPlaybackView, type PlaybackView } from "../src/views/playback";
import { createAlarmsView, type AlarmsView } from "../src/views/alarms";
import { AlarmNotices } from "../src/views/alarmsNotify";
import { openWatchDialog } from "../src/views/alarmsWatch";
import { mountGeofences, type Geofences } from "../src/views/geofencePanel";
import { openCommandDialog } from "../src/views/commandDialog";
import { commandsSection } from "../src/views/deviceCommands";
import { openAuditLog } from "../src/views/auditLog";
import { openMileageReport } from "../src/views/mileageReport";
import { operationsHost } from "../src/views/operationsHost";
import { englishOutside, pseudoMessages } from "./pseudoLocale";
import { sizedContainer } from "./mapDom";

const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);
const NOW_S = NOW / 1000;
const Y_BEGIN = Date.UTC(2024, 4, 2) / 1000;

/**
 * Not words of these views: time-zone abbreviations inside formatted times (lib/time.ts, data of
 * the user's setting) and Leaflet's name in the maps' attribution (a name).
 */
const ALLOW = ["GMT", "UTC", "Leaflet"];

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
});

const cleanups: Array<() => void> = [];
beforeEach(() => useMessagesForTest(pseudoMessages()));
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  document.body.replaceChildren();
  localStorage.clear();
  setLanguage("en");
});

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};
const maybe = (id: string): HTMLElement | null => document.querySelector(`[data-testid="${id}"]`);
const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 2000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function expectAllWords(root: Element): void {
  expect(englishOutside(root, ALLOW)).toEqual([]);
}

/** Yesterday: parked, a drive, a stop, another drive. */
function yesterday(): PlaybackPoint[] {
  const pts: PlaybackPoint[] = [];
  let lat = 22.5;
  const push = (t: number, speed: number): void => {
    lat += ((speed / 3.6) * 10) / 111_195;
    pts.push({ gpstime: t, latitude: +lat.toFixed(7), longitude: 113.9, speed, course: 0 });
  };
  const at = (h: number, m = 0): number => Y_BEGIN + h * 3600 + m * 60;
  for (let t = at(7, 50); t < at(8); t += 10) push(t, 0);
  for (let t = at(8); t < at(8, 30); t += 10) push(t, 36);
  for (let t = at(8, 30); t < at(8, 50); t += 10) push(t, 0);
  for (let t = at(8, 50); t < at(9, 10); t += 10) push(t, 36);
  return pts;
}

function alarm(type: number, secsAgo: number, over: Partial<Alarm> = {}): Alarm {
  return { type, longitude: 113.95, latitude: 22.55, gpstime: NOW_S - secsAgo - 4, systemtime: NOW_S - secsAgo, speed: 35, course: 0, geofence_id: "1", ...over };
}

async function fleet(size = 4): Promise<{ backend: FakeBackend; store: Store }> {
  const backend = new FakeBackend({ fleetSize: size, nowMs: () => NOW, settings: { timeZone: "UTC" } });
  const session = await backend.sessionDemo();
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setSession(session);
  store.setDevices(await backend.fleetDevices());
  return { backend, store };
}

describe("every word of the operations views goes through the i18n layer", () => {
  it("playback: a loaded route, its stops, trips and alarms, playing", async () => {
    const { backend, store } = await fleet(6);
    const history = yesterday();
    backend.playback.history = (_imei, begin, end) => history.filter((p) => p.gpstime >= begin && p.gpstime <= end);
    const queue: FrameRequestCallback[] = [];
    const raf = (cb: FrameRequestCallback): number => queue.push(cb);
    const imei = store.order[0]!;
    backend.geo.alarms.set(imei, [alarm(6, 86_400 - 9 * 3600), alarm(1, 86_400 - 8.5 * 3600)]);
    const view: PlaybackView = createPlaybackView({
      backend,
      store,
      imei,
      onClose: () => undefined,
      map: { offlineBasemap: false, tiles: false, canvas: false },
      chartCanvas: false,
      now: () => NOW,
      preset: "yesterday",
      raf,
    });
    cleanups.push(() => view.destroy());
    document.body.append(view.element);
    let done = false;
    const loading = view.load().finally(() => (done = true));
    for (let i = 0; i < 200 && !done; i++) {
      await flush();
      for (const cb of queue.splice(0)) cb(0);
    }
    await loading;
    expect(view.route.n).toBeGreaterThan(0);
    expect(document.querySelectorAll('[data-testid="playback-stop"]').length).toBeGreaterThan(0);
    expectAllWords(view.element);
    q("playback-tab-trips").click();
    expectAllWords(view.element);
    q("playback-tab-alarms").click();
    expectAllWords(view.element);
    q("playback-play").click();
    expectAllWords(view.element);
  });

  it("playback: a period that cannot be loaded, and one with no positions", async () => {
    const { backend, store } = await fleet();
    backend.playback.history = () => [];
    const view = createPlaybackView({ backend, store, imei: store.order[0]!, onClose: () => undefined, map: { offlineBasemap: false, tiles: false, canvas: false }, chartCanvas: false, now: () => NOW, preset: "yesterday", raf: (cb) => setTimeout(() => cb(0), 0) as unknown as number });
    cleanups.push(() => view.destroy());
    document.body.append(view.element);
    await view.load();
    expect(q("playback-message").hidden).toBe(false);
    expectAllWords(view.element);
    q<HTMLInputElement>("playback-to").value = "2024-01-01T00:00";
    await view.load();
    expectAllWords(view.element);
  });

  it("the alarms view with rows, failures and filters; the cards; the watch settings", async () => {
    const { backend, store } = await fleet();
    const [a, b, c] = store.order;
    backend.geo.alarms.set(a!, [alarm(6, 600, { geofence_id: "1" }), alarm(5, 1200), alarm(1, 3000)]);
    backend.geo.alarms.set(b!, [alarm(7, 900, { speed: 120 })]);
    backend.geo.failing.set(c!, "The device is blocked.");
    const view: AlarmsView = createAlarmsView({ backend, store, onClose: () => undefined, imeis: [a!, b!, c!], now: () => NOW, map: { offlineBasemap: false, tiles: false } });
    cleanups.push(() => view.destroy());
    document.body.append(view.element);
    expectAllWords(view.element);
    await view.load();
    expect(view.rows.length).toBeGreaterThan(0);
    // The failure quotes the backend's reason for that vehicle; the map's markers are titled with
    // the vehicle's name and the time (data, in an attribute that cannot be marked).
    const names = store.order.map((i) => store.devices.get(i)!.devicename);
    expect(englishOutside(view.element, [...ALLOW, "The device is blocked.", ...names])).toEqual([]);

    const tools = document.createElement("div");
    document.body.append(tools);
    const notices = new AlarmNotices({ backend, store, tools, host: document.body, onOpen: () => undefined, toastMs: 0 });
    cleanups.push(() => notices.destroy());
    backend.geo.raise(a!, [alarm(6, 5), alarm(1, 4), alarm(3, 3), alarm(5, 2), alarm(20, 1)]);
    expectAllWords(tools);
    expectAllWords(notices.toasts);

    const dialog = openWatchDialog({ backend, store, now: () => NOW });
    cleanups.push(() => dialog.close());
    await flush();
    await flush();
    expectAllWords(dialog.element);
  });

  it("the geofence panel: the list with geofences, the form, a save's outcome", async () => {
    const { backend, store } = await fleet(6);
    const workspace = document.createElement("div");
    const mapArea = document.createElement("section");
    const tools = document.createElement("div");
    tools.className = "map-tools";
    const container = sizedContainer();
    mapArea.append(container, tools);
    workspace.append(mapArea);
    document.body.append(workspace);
    // The test's stand-in for the fleet map: without Leaflet's own (English) zoom buttons.
    const map = L.map(container, { center: [22.55, 113.95], zoom: 13, zoomControl: false, attributionControl: false });
    const geo: Geofences = mountGeofences({ backend, store, mapArea, map });
    cleanups.push(() => {
      geo.destroy();
      map.remove();
    });
    await flush();
    const imeis = store.order;
    await backend.geofenceCreate({ name: "Depot", alarm: "both", latitude: 22.55, longitude: 113.95, radiusM: 800, imeis: [imeis[0]!], watch: true, extends: null });
    await backend.geofenceCreate({ name: "Port", alarm: "in", latitude: 22.5, longitude: 113.9, radiusM: 300, imeis: [imeis[1]!, imeis[2]!], watch: false, extends: null });
    await geo.refresh();
    geo.openList();
    expect(document.querySelectorAll('[data-testid="geofence-item"]')).toHaveLength(2);
    // The panel, the layer's toggle and the map buttons (the geofences' labels on the map are
    // the map layer's, drawn by map/geofenceLayer.ts).
    const ours = (): Element[] => [geo.element, mapArea.querySelector(".gf-toggle")!, tools];
    for (const el of ours()) expectAllWords(el);
    document.querySelector<HTMLElement>('[data-testid="geofence-item"] button')!.click();
    for (const el of ours()) expectAllWords(el);

    geo.startNew();
    for (const el of ours()) expectAllWords(el);
    geo.tool.setShape(22.55, 113.95, 50);
    q<HTMLInputElement>("geofence-name").value = "Yard";
    for (const i of imeis.slice(0, 2)) {
      const box = document.querySelector<HTMLInputElement>(`[data-testid="geofence-devices"] input[data-imei="${i}"]`)!;
      box.checked = true;
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
    backend.geo.refuse.set(imeis[1]!, { kind: "api", message: "The device is blocked.", apiCode: 20089 });
    q<HTMLFormElement>("geofence-form").requestSubmit();
    await until("the outcome", () => !q("geofence-result").hidden);
    await flush();
    // A vehicle's refusal is the backend's reason for it, shown as it came.
    expect(englishOutside(geo.element, [...ALLOW, "The device is blocked."])).toEqual([]);
  });

  it("the command dialog at each step, the typed confirmation included, and the panel's buttons", async () => {
    const { backend, store } = await fleet(6);
    const imei = store.order[0]!;
    backend.devices = backend.devices.map((d) => (d.imei === imei ? { ...d, devicename: "Taxi 7", platenumber: "粤B-4821" } : d));
    backend.tracks = backend.tracks.map((t) => (t.imei === imei ? { ...t, speed: 52, gpstime: NOW_S - 20, servertime: NOW_S, datastatus: 2 } : t));
    backend.ops.replyAfterPolls = 99;
    backend.ops.pollMs = 20;

    const section = commandsSection({ imei });
    document.body.append(section);
    expectAllWords(section);

    const dialog = openCommandDialog({ backend, store, imei, command: "StopEngine", tickMs: 0 });
    expect(maybe("command-preparing")).not.toBeNull();
    expectAllWords(dialog.element);
    const ok = await until("the confirmation", () => maybe("confirm-ok") as HTMLButtonElement | null);
    expect(maybe("confirm-input")).not.toBeNull();
    expectAllWords(dialog.element);
    const input = q<HTMLInputElement>("confirm-input");
    input.value = "粤B 4821";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    ok.click();
    await until("waiting", () => Number(maybe("command-status")?.dataset.poll ?? 0) >= 1);
    expectAllWords(dialog.element);
    q("command-stop-waiting").click();
    await until("stopped", () => maybe("command-status")?.dataset.state === "stoppedWaiting");
    expectAllWords(dialog.element);
    dialog.close();

    // A parked vehicle: the device replies (its reply is data), then one that does not in time.
    const parked = store.order[1]!;
    backend.ops.pollMs = 1;
    backend.ops.replyAfterPolls = 1;
    const d2 = openCommandDialog({ backend, store, imei: parked, command: "LockDoor", tickMs: 0 });
    (await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null)).click();
    await until("the reply", () => maybe("command-status")?.dataset.state === "replied");
    expectAllWords(d2.element);
    d2.close();
    backend.ops.replyAfterPolls = 99;
    backend.ops.maxPolls = 3;
    const d3 = openCommandDialog({ backend, store, imei: parked, command: "Reset", tickMs: 0 });
    (await until("ok", () => maybe("confirm-ok") as HTMLButtonElement | null)).click();
    await until("no reply", () => maybe("command-status")?.dataset.state === "timedOut");
    expectAllWords(d3.element);
    d3.close();
  });

  it("the command log, the mileage report and the operations buttons", async () => {
    const { backend, store } = await fleet(5);
    backend.ops.replyAfterPolls = 1;
    const imei = store.order[0]!;
    const a = backend.ops.prepare(imei, "LockDoor");
    await backend.commandConfirm(a.confirmationId, null);
    const log = openAuditLog({ backend, store });
    await flush();
    await flush();
    expect(document.querySelectorAll('[data-testid="audit-row"]').length).toBeGreaterThan(0);
    expectAllWords(log.element);
    log.close();

    const report = openMileageReport({ backend, store, now: () => NOW });
    expectAllWords(report.element);
    await report.run();
    expect(document.querySelectorAll('[data-testid="mileage-row"]').length).toBeGreaterThan(0);
    expectAllWords(report.element);
    report.close();

    const tools = document.createElement("div");
    document.body.append(tools);
    operationsHost({ backend, store, tools });
    expectAllWords(tools);
  });
});

describe("the engine-stop confirmation in other languages", () => {
  for (const [tag, command, typeWords] of [
    ["zh-CN", "断油电", "车牌"],
    ["es", "Corte de motor", "matrícula"],
  ] as const) {
    it(`names the vehicle and the command in ${tag}, and shows the plate to type exactly`, async () => {
      setLanguage(tag);
      const { backend, store } = await fleet(4);
      const imei = store.order[0]!;
      backend.devices = backend.devices.map((d) => (d.imei === imei ? { ...d, devicename: "Taxi 7", platenumber: "粤B-4821" } : d));
      backend.tracks = backend.tracks.map((t) => (t.imei === imei ? { ...t, speed: 52, gpstime: NOW_S - 20, servertime: NOW_S, datastatus: 2 } : t));
      const dialog = openCommandDialog({ backend, store, imei, command: "StopEngine", tickMs: 0 });
      cleanups.push(() => dialog.close());
      const ok = await until("the confirmation", () => maybe("confirm-ok") as HTMLButtonElement | null);
      const title = q("confirm-dialog").querySelector("h2")!.textContent ?? "";
      expect(title).toContain(command);
      expect(ok.textContent).toBe(command);
      const effect = q("confirm-effect").textContent ?? "";
      expect(effect).toContain("Taxi 7 · 粤B-4821");
      const warning = q("confirm-warning").textContent ?? "";
      expect(warning).toContain("Taxi 7 · 粤B-4821");
      expect(warning).toContain("52");
      // What to type is the plate itself, never translated.
      const label = document.querySelector('label[for="confirm-input"]')!;
      expect(label.textContent).toContain(typeWords);
      expect(q("confirm-typed-text").textContent).toBe("粤B-4821");
      expect(q("confirm-typed-text").getAttribute("translate")).toBe("no");
      // No English left in the confirmation (the vehicle's data apart).
      expect(q("confirm-dialog").textContent).not.toMatch(/Cuts the fuel|MOVING|To confirm|Vehicle\b|Last speed/);
    });
  }
});
