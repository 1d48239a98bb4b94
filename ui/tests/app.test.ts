import { afterEach, describe, expect, it } from "vitest";
import { App } from "../src/app";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await settle();
  }
}
const q = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function start(backend: FakeBackend): { app: App; store: Store; root: HTMLElement } {
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const store = new Store(backend.settings);
  const app = new App({ root, backend, store, map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
  return { app, store, root };
}

afterEach(() => document.body.replaceChildren());

describe("app", () => {
  it("shows the sign-in screen when no session can be restored, with the backend's notice", async () => {
    const backend = new FakeBackend({ restoreNotice: "No keychain available: sign in each time, or unlock your keyring" });
    const { app } = start(backend);
    await app.start();
    expect(q("login-submit")).not.toBeNull();
    expect(document.querySelector(".form-notice")?.textContent).toBe("No keychain available: sign in each time, or unlock your keyring");
  });

  it("goes straight to the fleet when the remembered session is restored", async () => {
    const backend = new FakeBackend({ fleetSize: 12, remembered: [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] });
    const { app } = start(backend);
    await app.start();
    expect(q("login-submit")).toBeNull();
    expect(q("header-account")?.textContent).toBe("fleet-manager");
    expect(document.querySelectorAll('[data-testid="device-item"]')).toHaveLength(12);
    // The backend's first live update arrives by event and lands on the map.
    await until(() => (app.fleet?.map.markerCount ?? 0) === backend.tracks.length);
    expect(q("last-refresh")?.textContent).toMatch(/^Updated/);
  });

  it("demo -> fleet -> select -> sign out -> sign-in screen", async () => {
    const backend = new FakeBackend({ fleetSize: 20 });
    const { app, store } = start(backend);
    await app.start();
    q("login-demo")!.click();
    await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 20);
    expect(q("demo-badge")?.hidden).toBe(false);
    await until(() => store.tracks.size > 0);
    const item = document.querySelectorAll<HTMLElement>('[data-testid="device-item"]')[4]!;
    item.click();
    expect(q("device-details")?.hidden).toBe(false);
    expect(q("device-details")?.dataset.imei).toBe(item.dataset.imei);
    q("sign-out")!.click();
    await until(() => q("login-submit") !== null);
    expect(store.session).toBeNull();
    expect(backend.calls.map((c) => c.cmd)).toContain("session_logout");
  });

  it("shows the provider-unreachable banner from live-status events and recovers", async () => {
    const backend = new FakeBackend({ fleetSize: 5, remembered: [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] });
    const { app } = start(backend);
    await app.start();
    backend.reachable = false;
    backend.poll();
    expect(q("live-banner")?.hidden).toBe(false);
    expect(q("live-banner")?.textContent).toContain("Cannot reach the provider at http://api.etrack.vip");
    backend.reachable = true;
    backend.poll();
    expect(q("live-banner")?.hidden).toBe(true);
  });

  it("offers to retry when the device list cannot be loaded", async () => {
    const backend = new FakeBackend({ fleetSize: 3, remembered: [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] });
    const original = backend.fleetDevices.bind(backend);
    let fail = true;
    backend.fleetDevices = () => (fail ? Promise.reject({ kind: "network", message: "Cannot reach the provider at http://api.etrack.vip: timed out", apiCode: null }) : original());
    const { app } = start(backend);
    await app.start();
    expect(q("list-error")?.textContent).toContain("Cannot reach the provider at http://api.etrack.vip: timed out");
    fail = false;
    q("list-error")!.querySelector("button")!.click();
    await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 3);
    expect(q("list-error")?.hidden).toBe(true);
  });
});
