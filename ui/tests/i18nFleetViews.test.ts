/**
 * The fleet's views in a pseudo-locale (every message wrapped in ⟦ ⟧): any English left on screen
 * bypassed the i18n layer. Then the fleet in Chinese, and a change of language while signed in.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setLanguage, useMessagesForTest } from "../src/i18n";
import { App } from "../src/app";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { Updates } from "../src/updates";
import type { NoticesFile } from "../src/lib/notices";
import { createLoginView } from "../src/views/login";
import { Header } from "../src/views/header";
import { DeviceList } from "../src/views/deviceList";
import { DeviceDetails } from "../src/views/deviceDetails";
import { createFleetView } from "../src/views/fleet";
import { openSettingsDialog } from "../src/views/settingsDialog";
import { confirmAccountAction, openAccounts } from "../src/views/accounts";
import { openAboutDialog } from "../src/views/aboutDialog";
import { createUpdateSection } from "../src/views/updateSection";
import { openDialog } from "../src/views/modal";
import type { DeviceStatus } from "../src/lib/status";
import { device, fleetStore, NOW, NOW_S, track, update } from "./fixtures";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await settle();
  }
}
const q = <T extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): T => {
  const el = root.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};

/** Zone abbreviations are `Intl`'s own (each language has its own, or none). */
const ZONES = ["UTC", "GMT"];

afterEach(() => {
  document.body.replaceChildren();
  setLanguage("en");
});

/** One device in each status the list and the panel know, and the variants of "stopped". */
function everyStatusStore() {
  const { store } = fleetStore(0);
  store.setSettings({ ...store.settings, timeZone: "UTC" });
  const imeis = {
    moving: "358899051000201",
    idling: "358899051000202",
    parked: "358899051000203",
    fuelCut: "358899051000204",
    offline: "358899051000205",
    expired: "358899051000206",
    neverOnline: "358899051000207",
    blocked: "358899051000208",
    unknown: "358899051000209",
  } as const;
  store.setDevices(
    Object.values(imeis).map((imei, i) =>
      device(imei, {
        // One due soon, one expired, one with no expiry: every note of the panel.
        platformduetime: i === 0 ? NOW_S + 5 * 86400 : i === 1 ? NOW_S - 3 * 86400 : i === 2 ? 0 : NOW_S + 300 * 86400,
        onlinetime: i === 6 ? 0 : NOW_S - 400 * 86400,
      }),
    ),
  );
  store.applyLiveUpdate(
    update([
      track(imeis.moving, { speed: 62 }),
      track(imeis.idling, { speed: 0, accstatus: 1 }),
      track(imeis.parked, { speed: 0, accstatus: 0, doorstatus: 1, chargestatus: 1, defencestatus: 1 }),
      track(imeis.fuelCut, { speed: 0, oilpowerstatus: 0, accstatus: -1, doorstatus: -1, battery: -1, mileage: -1 }),
      track(imeis.offline, { datastatus: 4, gpstime: NOW_S - 3 * 86400, hearttime: NOW_S - 2 * 3600 }),
      track(imeis.expired, { datastatus: 3 }),
      track(imeis.blocked, { datastatus: 5, latitude: 0, longitude: 0 }),
      track(imeis.unknown, { datastatus: 9 }),
    ]),
  );
  return { store, imeis };
}

describe("the fleet's views show no English outside the messages", () => {
  beforeEach(() => {
    useMessagesForTest(pseudoMessages());
  });

  it("sign-in screen, with saved accounts and an error", async () => {
    const backend = new FakeBackend({ remembered: [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] });
    const store = new Store(backend.settings);
    const view = createLoginView({ backend, store, notice: null, onSignedIn: vi.fn() });
    document.body.replaceChildren(view.element);
    await until(() => !q("saved-accounts").hidden);
    q<HTMLButtonElement>("login-submit").click();
    expect(q("login-error").hidden).toBe(false);
    q("login-advanced").click();
    expect(englishOutside(view.element)).toEqual([]);
    view.destroy();
  });

  it("top bar: demo, unencrypted, update notice, live text and the unreachable banner", () => {
    const { store } = fleetStore(2);
    const header = new Header(store, { onRefresh: vi.fn(), onSettings: vi.fn(), onSignOut: vi.fn(), onAbout: vi.fn() }, { now: () => NOW + 65_000, tickMs: 0 });
    document.body.replaceChildren(header.element, header.banner);
    header.showUpdate("0.2.0");
    expect(englishOutside(header.element)).toEqual([]);
    store.setLiveStatus({ state: "unreachable", message: null, lastOk: NOW });
    expect(header.banner.hidden).toBe(false);
    expect(englishOutside(header.element)).toEqual([]);
    expect(englishOutside(header.banner)).toEqual([]);
    store.setLiveStatus({ state: "stopped", message: null, lastOk: null });
    header.showUpdate("0.2.0", true);
    expect(englishOutside(header.element)).toEqual([]);
    expect(englishOutside(header.banner)).toEqual([]);
    store.setSession({ account: "demo", providerUrl: "http://127.0.0.1:5000", demo: true, remembered: false });
    expect(englishOutside(header.element)).toEqual([]);
    header.destroy();
  });

  it("fleet list: every status, counts, filters, empty states", () => {
    const { store } = everyStatusStore();
    const list = new DeviceList(store, { now: () => NOW, tickMs: 0 });
    document.body.replaceChildren(list.element);
    list.setLoading(false);
    expect(englishOutside(list.element)).toEqual([]);
    // The tooltip of a fix time.
    list.element.querySelector(".di-ago")?.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    expect(englishOutside(list.element)).toEqual([]);
    store.setStatusFilter("moving");
    expect(englishOutside(list.element)).toEqual([]);
    store.setQuery("no such vehicle");
    expect(q("list-empty").hidden).toBe(false);
    expect(englishOutside(list.element)).toEqual([]);
    store.setStatusFilter("all");
    expect(englishOutside(list.element)).toEqual([]);
    list.showError("⟦backend error⟧", () => undefined);
    expect(englishOutside(list.element)).toEqual([]);
    list.destroy();
    // An empty account, and one still loading.
    const empty = new DeviceList(fleetStore(0).store, { now: () => NOW, tickMs: 0 });
    expect(englishOutside(empty.element)).toEqual([]);
    empty.setLoading(false);
    expect(englishOutside(empty.element)).toEqual([]);
    empty.destroy();
  });

  it("details panel of a vehicle in every status", () => {
    const { store, imeis } = everyStatusStore();
    const details = new DeviceDetails(store, { now: () => NOW });
    document.body.replaceChildren(details.element);
    const shown: DeviceStatus[] = [];
    for (const [what, imei] of Object.entries(imeis)) {
      store.select(imei);
      expect(details.element.hidden).toBe(false);
      shown.push(store.statusOf(imei));
      expect(englishOutside(details.element, ZONES), what).toEqual([]);
    }
    expect(new Set(shown)).toEqual(new Set(["moving", "stopped", "offline", "expired", "neverOnline", "blocked"]));
    store.setSettings({ ...store.settings, units: "mph" });
    store.select(imeis.moving);
    expect(englishOutside(details.element, ZONES)).toEqual([]);
    details.destroy();
  });

  it("the fleet view's own parts: map label, whole-fleet button, legend", async () => {
    const backend = new FakeBackend({ fleetSize: 5 });
    await backend.sessionDemo();
    const store = new Store(backend.settings);
    store.setSession({ account: "fleet-manager", providerUrl: "https://api.etrack.vip", demo: false, remembered: false });
    const fleet = createFleetView({ backend, store, onSignOut: vi.fn(), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    document.body.replaceChildren(fleet.element);
    await fleet.load();
    // The map's inside (Leaflet's controls, the markers) is the map module's: only its own label here.
    const mapShell = q("map").cloneNode(false) as HTMLElement;
    for (const el of [mapShell, q("map-fit"), fleet.element.querySelector<HTMLElement>(".map-legend")!, fleet.list.element]) {
      expect(englishOutside(el, ZONES)).toEqual([]);
    }
    expect(englishOutside(fleet.header.element)).toEqual([]);
    fleet.destroy();
  });

  it("settings dialog, with the language choice", async () => {
    const backend = new FakeBackend({ settings: { timeZone: "Asia/Shanghai" } });
    const store = new Store(backend.settings);
    const dialog = openSettingsDialog({ backend, store, updates: new Updates(backend) });
    const lang = q<HTMLSelectElement>("settings-language");
    expect([...lang.options].map((o) => o.value)).toEqual(["system", "en", "es", "zh-CN"]);
    expect(englishOutside(dialog.element)).toEqual([]);
    q<HTMLInputElement>("settings-refresh").value = "2.5";
    q<HTMLButtonElement>("settings-save").click();
    expect(q("settings-error").hidden).toBe(false);
    expect(englishOutside(dialog.element)).toEqual([]);
    dialog.close();
  });

  it("accounts, and the confirmation of a block", async () => {
    const backend = new FakeBackend({ accounts: [{ account: "fleet-manager", password: "pw", providerUrl: "http://p" }] });
    await backend.sessionLogin({ providerUrl: "http://p", account: "fleet-manager", password: "pw", remember: false });
    const store = new Store({ ...backend.settings, timeZone: "UTC" });
    const view = openAccounts({ backend, store });
    await view.loaded;
    expect(englishOutside(view.element, ZONES)).toEqual([]);
    for (const box of document.querySelectorAll<HTMLInputElement>('[data-testid="account-select"]')) box.click();
    q<HTMLTextAreaElement>("message-text").value = "Hello";
    q("message-text").dispatchEvent(new Event("input"));
    expect(englishOutside(view.element, ZONES)).toEqual([]);
    for (const [account, block] of [["demo-east", true], ["demo-blocked", false]] as const) {
      const preview = await backend.accountBlockPrepare(account, block);
      const done = confirmAccountAction(backend, preview);
      const confirm = q("confirm-dialog").closest(".overlay")!;
      expect(englishOutside(confirm)).toEqual([]);
      q<HTMLButtonElement>("confirm-cancel").click();
      await done;
    }
    view.close();
  });

  it("about dialog, with its notices", async () => {
    const notices: NoticesFile = {
      format: 1,
      generatedBy: "test",
      packages: [
        { ecosystem: "crate", name: "serde", version: "1.0.228", licence: "MIT OR Apache-2.0", texts: [{ file: "LICENSE-MIT", text: 0 }] },
        { ecosystem: "npm", name: "leaflet", version: "1.9.4", licence: "BSD-2-Clause", note: "licence text: see https://github.com/Leaflet/Leaflet" },
      ],
      texts: ["MIT License"],
    };
    const dialog = openAboutDialog({ backend: new FakeBackend(), loadNotices: async () => notices });
    await until(() => document.querySelector('[data-testid="about-version"]') !== null && !q<HTMLInputElement>("about-notices-filter").disabled);
    for (const d of document.querySelectorAll<HTMLDetailsElement>("details.notice")) {
      d.open = true;
      d.dispatchEvent(new Event("toggle"));
    }
    expect(englishOutside(dialog.element)).toEqual([]);
    const filter = q<HTMLInputElement>("about-notices-filter");
    filter.value = "serde";
    filter.dispatchEvent(new Event("input"));
    expect(englishOutside(dialog.element)).toEqual([]);
    filter.value = "nothing-like-it";
    filter.dispatchEvent(new Event("input"));
    expect(englishOutside(dialog.element)).toEqual([]);
    dialog.close();
  });

  it("update section, through every state", async () => {
    const backend = new FakeBackend({ updates: { offer: { version: "0.2.0", date: "2026-12-01T00:00:00Z", notes: "Faster playback." } } });
    const updates = new Updates(backend);
    const section = createUpdateSection({ updates, checkAtStart: true, timeZone: () => "UTC" });
    document.body.replaceChildren(section.element);
    const states: string[] = [];
    const stop = updates.subscribe((s) => {
      states.push(s.kind);
      expect(englishOutside(section.element), s.kind).toEqual([]);
    });
    await updates.check();
    expect(updates.state.kind).toBe("available");
    await updates.install();
    await updates.restart();
    stop();
    section.destroy();
    expect(states).toEqual(expect.arrayContaining(["idle", "checking", "available", "downloading", "installed"]));
  });

  it("the modal's own words", () => {
    const dialog = openDialog({ title: "⟦Title⟧", testid: "test-dialog" });
    expect(englishOutside(dialog.element)).toEqual([]);
    dialog.close();
  });
});

describe("the fleet in another language", () => {
  it("shows the list in Chinese", () => {
    setLanguage("zh-CN");
    const { store } = everyStatusStore();
    const list = new DeviceList(store, { now: () => NOW, tickMs: 0 });
    document.body.replaceChildren(list.element);
    expect(q("status-filter-moving").textContent).toContain("行驶");
    expect(q("status-filter-offline").textContent).toContain("离线");
    expect(list.element.textContent).toContain("9 辆车");
    expect(list.search.placeholder).toBe("搜索名称、车牌或 IMEI");
    list.destroy();
  });

  it("a change of the language setting re-mounts the app in the new language, still signed in", async () => {
    const backend = new FakeBackend({ fleetSize: 6, remembered: [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const store = new Store(backend.settings);
    const app = new App({ root, backend, store, map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    await app.start();
    expect(q("sign-out").textContent).toBe("Sign out");
    const first = app.fleet;
    const chosen = store.order[3]!;
    store.select(chosen);
    store.setStatusFilter("moving");

    q<HTMLButtonElement>("open-settings").click();
    q<HTMLSelectElement>("settings-language").value = "es";
    q<HTMLButtonElement>("settings-save").click();
    await until(() => app.fleet !== first && app.fleet !== null);

    expect(document.documentElement.lang).toBe("es");
    expect(store.settings.language).toBe("es");
    expect(backend.settings.language).toBe("es");
    expect(q("sign-out").textContent).toBe("Cerrar sesión");
    expect(q("open-settings").textContent).toBe("Ajustes");
    expect(store.session?.account).toBe("fleet-manager");
    expect(backend.calls.map((c) => c.cmd)).not.toContain("session_logout");
    // What the user had is kept: the vehicle shown, the filter, the list.
    expect(q("device-details").hidden).toBe(false);
    expect(q("device-details").dataset.imei).toBe(chosen);
    expect(store.statusFilter).toBe("moving");
    expect(q("status-filter-moving").getAttribute("aria-pressed")).toBe("true");
    expect(document.querySelectorAll('[data-testid="device-item"]')).toHaveLength(6);
    expect(document.querySelectorAll('[data-testid="settings-dialog"]')).toHaveLength(0);

    // And back, from the sign-in screen too.
    q<HTMLButtonElement>("sign-out").click();
    await until(() => document.querySelector('[data-testid="login-submit"]') !== null);
    expect(q("login-submit").textContent).toBe("Iniciar sesión");
    store.setSettings({ ...store.settings, language: "zh-CN" });
    await settle();
    expect(q("login-submit").textContent).toBe("登录");
    expect(document.documentElement.lang).toBe("zh-CN");
    app.destroy();
  });
});
