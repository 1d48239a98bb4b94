import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "../src/app";
import { FakeBackend, type FakeBackendOptions } from "../src/backend-fake";
import { UPDATE_FAILURES } from "../src/fake/updatesFake";
import { Store } from "../src/state";

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await settle();
  }
}
const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);
const OFFER = { version: "0.2.0", date: "2026-12-01T00:00:00Z", notes: "Faster playback." };

async function startDemo(opts: FakeBackendOptions) {
  const backend = new FakeBackend({ fleetSize: 6, ...opts });
  const root = document.createElement("div");
  document.body.replaceChildren(root);
  const app = new App({ root, backend, store: new Store(backend.settings), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
  await app.start();
  q("login-demo")!.click();
  await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 6);
  return { backend, app };
}
const checks = (b: FakeBackend) => b.calls.filter((c) => c.cmd === "update_check").length;

afterEach(() => document.body.replaceChildren());

describe("the quiet update check at start", () => {
  it("runs once after signing in and shows a notice in the top bar that opens Settings at Updates", async () => {
    const { backend } = await startDemo({ updates: { offer: OFFER } });
    await until(() => q("update-notice")?.hidden === false);
    expect(checks(backend)).toBe(1);
    const notice = q<HTMLButtonElement>("update-notice")!;
    expect(notice.textContent).toBe("Update 0.2.0 available");
    expect(notice.getAttribute("aria-label")).toBe("Update 0.2.0 available");
    expect(notice.closest("header")).not.toBeNull();
    // Nothing else is in the way: no dialog opened by itself.
    expect(q("settings-dialog")).toBeNull();
    notice.click();
    expect(q("settings-dialog")).not.toBeNull();
    await settle();
    expect(q("update-status")?.textContent).toMatch(/^Version 0\.2\.0 is available \(published .+\)\.$/);
    expect(q("update-notes")?.textContent).toBe("Faster playback.");
    expect(document.activeElement).toBe(q("update-install"));
    // No second request: the dialog shows what the quiet check found.
    expect(checks(backend)).toBe(1);
  });

  it("runs once per app start, not again after signing out and in", async () => {
    const { backend } = await startDemo({ updates: { offer: OFFER } });
    await until(() => checks(backend) === 1);
    q("sign-out")!.click();
    await until(() => q("login-demo") !== null);
    q("login-demo")!.click();
    await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 6);
    await settle();
    expect(checks(backend)).toBe(1);
    // The offer found at start is still announced.
    expect(q("update-notice")?.hidden).toBe(false);
  });

  it("does not run when the setting is off", async () => {
    const { backend } = await startDemo({ settings: { checkUpdatesAtStart: false }, updates: { offer: OFFER } });
    await settle();
    await settle();
    expect(checks(backend)).toBe(0);
    expect(q("update-notice")?.hidden).toBe(true);
  });

  it("is decided at the first sign-in: turning it on later waits for the next start", async () => {
    const { backend } = await startDemo({ settings: { checkUpdatesAtStart: false }, updates: { offer: OFFER } });
    q("open-settings")!.click();
    q<HTMLInputElement>("settings-update-auto")!.click();
    q("settings-save")!.click();
    await until(() => backend.settings.checkUpdatesAtStart);
    q("sign-out")!.click();
    await until(() => q("login-demo") !== null);
    q("login-demo")!.click();
    await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 6);
    await settle();
    expect(checks(backend)).toBe(0);
  });

  it("shows nothing when this version is the latest", async () => {
    const { backend } = await startDemo({});
    await until(() => checks(backend) === 1);
    await settle();
    expect(q("update-notice")?.hidden).toBe(true);
  });

  it("fails silently: a debug line, no notice, no error on screen", async () => {
    const debug = vi.spyOn(console, "debug").mockImplementation(() => undefined);
    const { backend } = await startDemo({ updates: { checkError: UPDATE_FAILURES.unreachable } });
    await until(() => debug.mock.calls.length > 0);
    expect(checks(backend)).toBe(1);
    expect(String(debug.mock.calls[0]?.join(" "))).toContain("Cannot reach the update service");
    expect(q("update-notice")?.hidden).toBe(true);
    expect(document.body.textContent).not.toContain("update service");
    expect([...document.querySelectorAll<HTMLElement>('[role="alert"]')].filter((e) => !e.hidden)).toEqual([]);
  });

  it("never holds up the start, even when the update service does not answer", async () => {
    const backend = new FakeBackend({ fleetSize: 6 });
    backend.updateCheck = () => new Promise(() => undefined);
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const app = new App({ root, backend, store: new Store(backend.settings), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    await app.start();
    q("login-demo")!.click();
    await until(() => document.querySelectorAll('[data-testid="device-item"]').length === 6);
    expect(q("update-notice")?.hidden).toBe(true);
  });

  it("after an install from Settings the notice asks for the restart", async () => {
    const { app } = await startDemo({ updates: { offer: OFFER } });
    await until(() => q("update-notice")?.hidden === false);
    await app.updates.install();
    expect(q("update-notice")?.textContent).toBe("Restart for 0.2.0");
  });
});
