import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Alarm } from "../src/bindings";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { createAlarmsView, type AlarmsView } from "../src/views/alarms";
import { AlarmNotices } from "../src/views/alarmsNotify";
import { openWatchDialog } from "../src/views/alarmsWatch";

const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);
const NOW_S = NOW / 1000;

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

let view: AlarmsView | null = null;
let notices: AlarmNotices | null = null;
afterEach(() => {
  view?.destroy();
  notices?.destroy();
  view = notices = null;
  document.body.replaceChildren();
});

function alarm(type: number, secsAgo: number, over: Partial<Alarm> = {}): Alarm {
  return { type, longitude: 113.95, latitude: 22.55, gpstime: NOW_S - secsAgo - 4, systemtime: NOW_S - secsAgo, speed: 35, course: 0, geofence_id: "1", ...over };
}

async function setup(): Promise<{ backend: FakeBackend; store: Store; imeis: string[] }> {
  const backend = new FakeBackend({ fleetSize: 4, nowMs: () => NOW, settings: { timeZone: "UTC" } });
  const session = await backend.sessionDemo();
  const store = new Store(backend.settings);
  store.setSession(session);
  store.setDevices(await backend.fleetDevices());
  const [a, b, c] = store.order;
  backend.geo.alarms.set(a!, [alarm(6, 600), alarm(5, 1200), alarm(1, 3000)]);
  backend.geo.alarms.set(b!, [alarm(7, 900, { speed: 120 })]);
  backend.geo.failing.set(c!, "The device is blocked.");
  return { backend, store, imeis: store.order };
}

function mount(backend: FakeBackend, store: Store, imeis?: string[]): AlarmsView {
  view = createAlarmsView({ backend, store, onClose: () => undefined, imeis, now: () => NOW, map: { offlineBasemap: false, tiles: false } });
  document.body.append(view.element);
  return view;
}

describe("the alarms view", () => {
  it("fetches the chosen vehicles over the period and lists them newest first, in words, with failures apart", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 3));
    expect(q<HTMLSelectElement>("alarms-preset").value).toBe("last24h");
    await v.load();
    const call = backend.calls.find((c) => c.cmd === "alarms_query")!.args as { imeis: string[]; begin: number; end: number };
    expect(call.imeis).toEqual(imeis.slice(0, 3));
    expect(call.end - call.begin).toBeGreaterThanOrEqual(86_400);
    const rows = all("alarm-row");
    expect(rows.map((r) => r.dataset.type)).toEqual(["6", "7", "5", "1"]);
    expect(rows[0]!.textContent).toContain("2024-05-03 11:49:56 UTC");
    expect(rows[0]!.textContent).toContain("Left geofence");
    expect(rows[1]!.textContent).toContain("120 km/h");
    expect(q("alarms-count").textContent).toBe("4 alarms");
    expect(q("alarms-message").textContent).toMatch(/could not be read: .*The device is blocked\./);
    expect(all("alarm-marker")).toHaveLength(4);
  });

  it("filters by type and vehicle, flies to a clicked row and exports what is shown", async () => {
    const { backend, store, imeis } = await setup();
    const v = mount(backend, store, imeis.slice(0, 2));
    await v.load();
    const type = q<HTMLSelectElement>("alarms-filter-type");
    expect([...type.options].map((o) => o.textContent)).toEqual(["All alarm types (4)", "SOS (1)", "Entered geofence (1)", "Left geofence (1)", "Speeding (1)"]);
    type.value = "6";
    type.dispatchEvent(new Event("change"));
    expect(all("alarm-row").map((r) => r.dataset.type)).toEqual(["6"]);
    type.value = "all";
    type.dispatchEvent(new Event("change"));
    const vehicle = q<HTMLSelectElement>("alarms-filter-vehicle");
    vehicle.value = imeis[1]!;
    vehicle.dispatchEvent(new Event("change"));
    expect(all("alarm-row").map((r) => r.dataset.imei)).toEqual([imeis[1]]);
    vehicle.value = "all";
    vehicle.dispatchEvent(new Event("change"));

    const second = all("alarm-row")[1]!;
    second.querySelector("td")!.click();
    expect(second.classList.contains("is-selected")).toBe(true);
    const marker = all("alarm-marker").find((m) => m.dataset.id === second.dataset.id);
    expect(marker?.closest(".alarm-marker")?.classList.contains("is-selected")).toBe(true);

    q("alarms-export").click();
    await flush();
    const csv = backend.geo.lastCsv!;
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(5);
    expect(q("alarms-message").textContent).toMatch(/^Saved 4 alarms to /);
  });

  it("refuses to fetch without vehicles or with a backwards period, sending nothing", async () => {
    const { backend, store } = await setup();
    const v = mount(backend, store, []);
    await v.load();
    expect(q("alarms-message").textContent).toBe("Choose at least one vehicle.");
    v.vehicles.value = [store.order[0]!];
    q<HTMLInputElement>("alarms-from").value = "2024-05-03T12:00";
    q<HTMLInputElement>("alarms-to").value = "2024-05-02T12:00";
    await v.load();
    expect(q("alarms-message").textContent).toBe("The period must end after it begins.");
    expect(backend.calls.some((c) => c.cmd === "alarms_query")).toBe(false);
  });
});

describe("new alarms", () => {
  it("count on the badge, appear as cards (desktop notification or not) and are cleared when looked at", async () => {
    const { backend, store, imeis } = await setup();
    const tools = document.createElement("div");
    document.body.append(tools);
    const opened: Array<string | null> = [];
    notices = new AlarmNotices({ backend, store, tools, host: document.body, onOpen: (a) => opened.push(a?.id ?? null), toastMs: 0 });
    await flush();
    expect(q("alarms-badge").hidden).toBe(true);
    backend.geo.raise(imeis[0]!, [alarm(6, 5)]);
    expect(q("alarms-badge").hidden).toBe(false);
    expect(q("alarms-badge").textContent).toBe("1");
    const card = q("alarm-toast");
    expect(card.textContent).toMatch(/Left geofence — /);
    expect(card.dataset.desktop).toBe("raised");
    backend.geo.raise(imeis[1]!, [alarm(1, 3)], "failed");
    expect(q("alarms-badge").textContent).toBe("2");
    expect(all("alarm-toast")[1]!.dataset.desktop).toBe("failed");
    card.click();
    expect(opened).toEqual([card.dataset.id]);
    notices.markRead();
    await flush();
    expect(q("alarms-badge").hidden).toBe(true);
    expect(backend.geo.unread).toBe(0);
  });

  it("many at once make three cards and one summary", async () => {
    const { backend, store, imeis } = await setup();
    const tools = document.createElement("div");
    document.body.append(tools);
    notices = new AlarmNotices({ backend, store, tools, host: document.body, onOpen: () => undefined, toastMs: 0 });
    backend.geo.raise(imeis[0]!, [alarm(1, 50), alarm(3, 40), alarm(5, 30), alarm(6, 20), alarm(20, 10)]);
    expect(all("alarm-toast")).toHaveLength(3);
    expect(document.querySelector(".al-toast-more")?.textContent).toBe("2 more new alarms — open Alarms to see them.");
    expect(q("alarms-badge").textContent).toBe("5");
  });

  it("the watch settings show what is watched and save the user's choice", async () => {
    const { backend, store, imeis } = await setup();
    backend.geo.raise(imeis[0]!, [alarm(6, 5)], "failed");
    const { closed } = openWatchDialog({ backend, store, now: () => NOW });
    await flush();
    const types = [...document.querySelectorAll<HTMLInputElement>('[data-testid="alarms-watch-types"] input')];
    expect(types).toHaveLength(27);
    expect(types.filter((b) => b.checked).map((b) => Number(b.dataset.code))).toEqual([1, 3, 5, 6, 18, 20]);
    expect(q("alarms-watch-status").textContent).toBe("No vehicle is watched.");
    const notice = q("alarm-notice");
    expect(notice.dataset.desktop).toBe("failed");
    expect(notice.textContent).toMatch(/shown here only/);
    types.find((b) => b.dataset.code === "7")!.checked = true;
    const box = document.querySelector<HTMLInputElement>(`[data-testid="alarms-watch-vehicles"] input[data-imei="${imeis[1]}"]`)!;
    box.checked = true;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    q<HTMLInputElement>("alarms-watch-every").value = "10";
    q<HTMLFormElement>("alarms-watch").requestSubmit();
    expect(q("alarms-watch-error").textContent).toBe("Read each vehicle every 30 to 3600 seconds.");
    q<HTMLInputElement>("alarms-watch-every").value = "120";
    q<HTMLFormElement>("alarms-watch").requestSubmit();
    expect(await closed).toBe(true);
    expect(backend.geo.watch).toEqual({ enabled: true, types: [1, 3, 5, 6, 7, 18, 20], imeis: [imeis[1]], everySecs: 120 });
  });
});

describe("in the fleet view", () => {
  it("the Alarms button opens the view in the workspace's place, clears the badge, and a card opens its alarm", async () => {
    const { mountGeoAlarms } = await import("../src/views/geoAlarms");
    const L = (await import("../src/map/leaflet")).default;
    const { backend, store, imeis } = await setup();
    const root = document.createElement("div");
    const tools = document.createElement("div");
    const workspace = document.createElement("div");
    workspace.className = "workspace";
    const mapArea = document.createElement("section");
    const mapEl = document.createElement("div");
    mapArea.append(mapEl);
    workspace.append(mapArea);
    root.append(tools, workspace);
    document.body.append(root);
    const map = L.map(mapEl, { center: [22.55, 113.95], zoom: 12 });
    const { WorkspaceSlot } = await import("../src/views/workspaceSlot");
    const slot = new WorkspaceSlot(() => root);
    const geo = mountGeoAlarms({ backend, store, root, slot, tools, mapArea, map, alarmsMap: { offlineBasemap: false, tiles: false }, toastMs: 0 });
    try {
      await flush();
      // The view's periods follow this computer's clock here (no fleet positions yet).
      const recent = alarm(6, 0, { gpstime: Math.floor(Date.now() / 1000) - 604, systemtime: Math.floor(Date.now() / 1000) - 600 });
      backend.geo.alarms.set(imeis[0]!, [recent]);
      const event = backend.geo.raise(imeis[0]!, [recent]);
      expect(q("alarms-badge").textContent).toBe("1");
      q("alarm-toast").click();
      expect(workspace.hidden).toBe(true);
      expect(q("alarms-badge").hidden).toBe(true);
      for (let i = 0; i < 20 && all("alarm-row").length === 0; i++) await flush();
      await flush();
      const id = event.alarms[0]!.id;
      const row = all("alarm-row").find((r) => r.dataset.id === id);
      expect(row?.classList.contains("is-selected")).toBe(true);
      const call = backend.calls.find((c) => c.cmd === "alarms_query")!.args as { imeis: string[] };
      expect(call.imeis).toEqual([imeis[0]]);
      q("alarms-close").click();
      expect(workspace.hidden).toBe(false);
      expect(document.querySelector('[data-testid="alarms-view"]')).toBeNull();
    } finally {
      geo.destroy();
      map.remove();
    }
  });
});
