import { afterEach, describe, expect, it, vi } from "vitest";
import { Header } from "../src/views/header";
import { fleetStore, NOW } from "./fixtures";

afterEach(() => document.body.replaceChildren());

function setup(now: () => number) {
  const { store } = fleetStore(2);
  const actions = { onRefresh: vi.fn(), onSettings: vi.fn(), onSignOut: vi.fn() };
  const header = new Header(store, actions, { now, tickMs: 0 });
  document.body.replaceChildren(header.element, header.banner);
  return { store, header, actions };
}

describe("header", () => {
  it("shows the account, and the demo badge only in demo mode", () => {
    const { store } = setup(() => NOW);
    expect(document.querySelector('[data-testid="header-account"]')?.textContent).toBe("fleet-manager");
    expect(document.querySelector<HTMLElement>('[data-testid="demo-badge"]')!.hidden).toBe(true);
    store.setSession({ account: "demo", providerUrl: "http://127.0.0.1:5000", demo: true, remembered: false });
    expect(document.querySelector<HTMLElement>('[data-testid="demo-badge"]')!.hidden).toBe(false);
  });

  it("says how long ago the fleet was refreshed", () => {
    let now = NOW + 12_000;
    const { header } = setup(() => now);
    expect(document.querySelector('[data-testid="last-refresh"]')?.textContent).toBe("Updated 12 s ago");
    now = NOW + 125_000;
    header.renderLive();
    expect(document.querySelector('[data-testid="last-refresh"]')?.textContent).toBe("Updated 2 min ago");
  });

  it("shows a banner while the provider is unreachable and clears it on recovery", () => {
    const { store, actions } = setup(() => NOW + 60_000);
    const banner = document.querySelector<HTMLElement>('[data-testid="live-banner"]')!;
    expect(banner.hidden).toBe(true);
    store.setLiveStatus({ state: "unreachable", message: "Cannot reach the provider at http://api.etrack.vip: connection refused", lastOk: NOW });
    expect(banner.hidden).toBe(false);
    expect(banner.textContent).toContain("Cannot reach the provider at http://api.etrack.vip: connection refused");
    expect(banner.textContent).toContain("retrying every 10 s");
    expect(banner.textContent).toContain("Positions shown are from 1 min ago");
    banner.querySelector("button")!.click();
    expect(actions.onRefresh).toHaveBeenCalledOnce();
    store.setLiveStatus({ state: "ok", message: null, lastOk: NOW + 60_000 });
    expect(banner.hidden).toBe(true);
  });

  it("names the provider even when the backend gave no reason", () => {
    const { store } = setup(() => NOW);
    store.setLiveStatus({ state: "unreachable", message: null, lastOk: null });
    expect(document.querySelector('[data-testid="live-banner-text"]')?.textContent).toMatch(/^Cannot reach the provider at http:\/\/api\.etrack\.vip — retrying/);
  });

  it("words an HTTP error, a busy provider and a refused account in their own words", () => {
    const { store } = setup(() => NOW);
    const text = () => document.querySelector('[data-testid="live-banner-text"]')?.textContent ?? "";
    store.setLiveStatus({ state: "error", message: "The provider answered with an error (HTTP 500). Try again later.", lastOk: NOW });
    expect(text()).toMatch(/^The provider answered with an error \(HTTP 500\)\. Try again later — retrying every 10 s\./);
    expect(text()).not.toContain("Cannot reach");
    store.setLiveStatus({ state: "error", message: "The provider is busy (too many requests). Try again in a moment.", lastOk: NOW });
    expect(text()).toContain("The provider is busy (too many requests)");
    expect(text()).not.toContain("Cannot reach");
    store.setLiveStatus({ state: "stopped", message: "This account is blocked. Contact your provider.", lastOk: NOW });
    expect(text()).toContain("This account is blocked. Contact your provider — live positions have stopped: sign out and sign in again.");
    expect(text()).not.toContain("retrying");
  });

  it("marks a provider reached over plain http for as long as the session lasts, never the demo", () => {
    const { store } = setup(() => NOW);
    const badge = document.querySelector<HTMLElement>('[data-testid="insecure-badge"]')!;
    store.setSession({ account: "fleet", providerUrl: "http://api.etrack.vip", demo: false, remembered: false });
    expect(badge.hidden).toBe(false);
    expect(badge.title).toContain("unencrypted");
    store.setSession({ account: "fleet", providerUrl: "https://api.etrack.vip", demo: false, remembered: false });
    expect(badge.hidden).toBe(true);
    store.setSession({ account: "demo", providerUrl: "http://127.0.0.1:4000", demo: true, remembered: false });
    expect(badge.hidden).toBe(true);
  });
});
