/**
 * A distributor opens a sub-customer's fleet from Accounts: the list, the map's store, the counts
 * and the live positions are that fleet's; a bar says whose it is, and goes back to the own fleet.
 * A refusal changes nothing and says why. Every word through the i18n layer.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { BackendError } from "../src/backend";
import { FakeBackend } from "../src/backend-fake";
import { setLanguage, useMessagesForTest } from "../src/i18n";
import { Store } from "../src/state";
import { openAccounts } from "../src/views/accounts";
import { createFleetView, type FleetView } from "../src/views/fleet";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

const NOW = Date.UTC(2024, 4, 15, 10, 20, 0);
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
const row = (account: string): HTMLElement => q("accounts-table").querySelector<HTMLElement>(`[data-account="${account}"]`)!;
const listed = (fleet: FleetView): string[] =>
  [...fleet.list.element.querySelectorAll<HTMLElement>('[data-testid="device-item"]')].filter((li) => !li.hidden).map((li) => li.dataset.imei!);

let views: FleetView[] = [];
afterEach(() => {
  for (const v of views.splice(0)) v.destroy();
  document.body.replaceChildren();
  setLanguage("en");
});

async function setup() {
  const backend = new FakeBackend({ fleetSize: 12, nowMs: () => NOW });
  const session = await backend.sessionLogin({ providerUrl: backend.settings.providerUrl, account: "fleet-manager", password: "correct horse", remember: false });
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setSession(session);
  await backend.onLiveUpdate((u) => store.applyLiveUpdate(u));
  const fleet = createFleetView({ backend, store, onSignOut: vi.fn(), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
  views.push(fleet);
  document.body.replaceChildren(fleet.element);
  await fleet.load();
  return { backend, store, fleet };
}

async function openFleetOf(backend: FakeBackend, store: Store, account: string): Promise<void> {
  const accounts = openAccounts({ backend, store });
  await accounts.loaded;
  q("account-open-fleet", row(account)).click();
}

describe("a sub-customer's fleet", () => {
  it("opens from Accounts: exactly its devices, its counts, its live positions and a bar naming it", async () => {
    const { backend, store, fleet } = await setup();
    const all = backend.devices.map((d) => d.imei);
    expect(new Set(listed(fleet))).toEqual(new Set(all));
    expect(q("fleet-scope").hidden).toBe(true);

    await openFleetOf(backend, store, "demo-east");
    await until(() => !document.querySelector('[data-testid="accounts-dialog"]'));
    const east = backend.subfleets.devicesOf("demo-east").map((d) => d.imei);
    expect(east.length).toBeGreaterThan(0);
    expect(east.length).toBeLessThan(all.length);
    expect(backend.calls.filter((c) => c.cmd === "fleet_open")).toEqual([{ cmd: "fleet_open", args: { account: "demo-east" } }]);
    expect(new Set(listed(fleet))).toEqual(new Set(east));
    expect(store.fleet).toEqual({ account: "demo-east", username: "East depot" });
    expect(q("status-filter-all").textContent).toContain(String(east.length));
    const bar = q("fleet-scope");
    expect(bar.hidden).toBe(false);
    expect(bar.dataset.account).toBe("demo-east");
    expect(q("fleet-scope-text").textContent).toBe("Fleet of demo-east (East depot)");
    expect(q("fleet-own").textContent).toBe("Back to my fleet");

    // The live positions that follow are the sub-customer's only.
    await until(() => store.tracks.size > 0);
    const polled = backend.poll()!;
    expect(new Set(polled.tracks.map((t) => t.imei))).toEqual(new Set(east));
    expect([...store.tracks.keys()].every((imei) => east.includes(imei))).toBe(true);

    // Back to the own fleet.
    q("fleet-own").click();
    await until(() => store.fleet === null && listed(fleet).length === all.length);
    expect(q("fleet-scope").hidden).toBe(true);
    expect(backend.calls.filter((c) => c.cmd === "fleet_open").at(-1)).toEqual({ cmd: "fleet_open", args: { account: null } });
    expect(new Set(listed(fleet))).toEqual(new Set(all));
  });

  it("a refusal keeps Accounts open, says why, and changes nothing", async () => {
    const { backend, store, fleet } = await setup();
    const before = listed(fleet);
    backend.fleetOpen = (account) =>
      Promise.reject(new BackendError({ kind: "api", message: `Cannot open the fleet of ${account}: 10007 Permission denied.`, apiCode: 10007 }));
    await openFleetOf(backend, store, "demo-west");
    await until(() => !q("accounts-error").hidden);
    expect(q("accounts-error").textContent).toBe("demo-west is not one of your sub-customers. The fleet shown is unchanged.");
    expect(q("accounts-dialog")).toBeTruthy();
    expect(q<HTMLButtonElement>("account-open-fleet", row("demo-west")).disabled).toBe(false);
    expect(store.fleet).toBeNull();
    expect(listed(fleet)).toEqual(before);
    expect(q("fleet-scope").hidden).toBe(true);
  });

  it("the fake refuses an account that is not a sub-customer as the provider does (20005)", async () => {
    const { backend } = await setup();
    await expect(backend.fleetOpen("nobody-here")).rejects.toMatchObject({ apiCode: 20005 });
    expect((await backend.fleetScope()).account).toBeNull();
  });

  it("a new view of the same session shows the fleet the backend keeps", async () => {
    const { backend, store, fleet } = await setup();
    await backend.fleetOpen("demo-west");
    fleet.destroy();
    views = [];
    const again = createFleetView({ backend, store: new Store(store.settings), onSignOut: vi.fn(), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    views.push(again);
    document.body.replaceChildren(again.element);
    await again.load();
    expect(q("fleet-scope").hidden).toBe(false);
    expect(q("fleet-scope-text").textContent).toBe("Fleet of demo-west");
    expect(new Set(listed(again))).toEqual(new Set(backend.subfleets.devicesOf("demo-west").map((d) => d.imei)));
  });

  it("pseudo-locale: the Open fleet button and the bar are all translated", async () => {
    useMessagesForTest(pseudoMessages());
    const { backend, store } = await setup();
    const accounts = openAccounts({ backend, store });
    await accounts.loaded;
    const button = q("account-open-fleet", row("demo-east"));
    expect(englishOutside(button)).toEqual([]);
    expect(button.textContent).toBe("⟦Open fleet⟧");
    button.click();
    await until(() => store.fleet !== null);
    await until(() => !document.querySelector('[data-testid="accounts-dialog"]'));
    const bar = q("fleet-scope");
    expect(bar.hidden).toBe(false);
    expect(englishOutside(bar)).toEqual([]);
    expect(q("fleet-scope-text").textContent).toBe("⟦Fleet of demo-east (East depot)⟧");
  });
});
