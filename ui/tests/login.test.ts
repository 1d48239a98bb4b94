import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { createLoginView } from "../src/views/login";
import type { SessionInfo } from "../src/bindings";

const $ = <T extends HTMLElement = HTMLInputElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!;
const settle = () => new Promise((r) => setTimeout(r, 0));

async function until(cond: () => boolean, ms = 1000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error("timed out waiting for the view");
    await settle();
  }
}

function setup(backend = new FakeBackend()) {
  const store = new Store(backend.settings);
  const onSignedIn = vi.fn<(s: SessionInfo) => void>();
  const view = createLoginView({ backend, store, onSignedIn });
  document.body.replaceChildren(view.element);
  return { backend, store, onSignedIn, view };
}

function type(id: string, value: string): void {
  const input = $(id);
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}

afterEach(() => document.body.replaceChildren());

describe("sign-in view", () => {
  it("has every field, with the provider URL from settings under Advanced", () => {
    setup();
    for (const id of ["login-account", "login-password", "login-provider", "login-remember", "login-submit", "login-demo"]) {
      expect($(id)).not.toBeNull();
    }
    expect($("login-provider").value).toBe("http://api.etrack.vip");
    expect($("login-provider").closest("details")?.open).toBe(false);
    // The disclosure the user opens to reach the provider field is what e2e tests click.
    expect($("login-advanced").textContent).toBe("Advanced");
    expect($("login-advanced").parentElement).toBe($("login-provider").closest("details"));
    expect($("login-error").hidden).toBe(true);
  });

  it("words a wrong password in the user's language, with the provider's code, and keeps what was typed", async () => {
    const { onSignedIn } = setup();
    type("login-account", "fleet-manager");
    type("login-password", "not it");
    $("login-remember").checked = true;
    $<HTMLButtonElement>("login-submit").click();
    await until(() => !$("login-error").hidden);
    expect($("login-error").textContent).toBe("The account or password is wrong. (code 20001)");
    expect($("login-account").value).toBe("fleet-manager");
    expect($("login-password").value).toBe("not it");
    expect($("login-remember").checked).toBe(true);
    expect($<HTMLButtonElement>("login-submit").disabled).toBe(false);
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("names the provider it cannot reach and opens Advanced to show the URL", async () => {
    const { backend } = setup(new FakeBackend({ reachable: false }));
    type("login-account", "fleet-manager");
    type("login-password", "correct horse");
    $<HTMLButtonElement>("login-submit").click();
    await until(() => !$("login-error").hidden);
    expect($("login-error").textContent).toBe("Cannot reach the provider at http://api.etrack.vip: connection refused");
    expect($("login-provider").closest("details")?.open).toBe(true);
    expect(backend.calls.at(-1)).toEqual({
      cmd: "session_login",
      args: { providerUrl: "http://api.etrack.vip", account: "fleet-manager", remember: false },
    });
  });

  it("signs in with the typed provider, account, password and Remember me", async () => {
    const backend = new FakeBackend({ accounts: [{ account: "ops", password: "pw", providerUrl: "http://tracker.example:8080" }] });
    const { onSignedIn } = setup(backend);
    $<HTMLDetailsElement>("login-provider").closest("details")!.open = true;
    type("login-provider", "http://tracker.example:8080");
    type("login-account", "ops");
    type("login-password", "pw");
    $("login-remember").checked = true;
    $<HTMLButtonElement>("login-submit").click();
    await until(() => onSignedIn.mock.calls.length > 0);
    expect(onSignedIn.mock.calls[0]?.[0]).toEqual({ account: "ops", providerUrl: "http://tracker.example:8080", demo: false, remembered: true });
    expect(await backend.sessionSavedAccounts()).toEqual([{ account: "ops", providerUrl: "http://tracker.example:8080" }]);
  });

  it("asks for missing fields without calling the backend", async () => {
    const { backend } = setup();
    $<HTMLButtonElement>("login-submit").click();
    expect($("login-error").textContent).toBe("Enter your account name.");
    type("login-account", "fleet-manager");
    $<HTMLButtonElement>("login-submit").click();
    expect($("login-error").textContent).toBe("Enter your password.");
    await settle();
    expect(backend.calls.filter((c) => c.cmd === "session_login")).toHaveLength(0);
  });

  it("starts the demo with one click", async () => {
    const { onSignedIn, backend } = setup();
    $<HTMLButtonElement>("login-demo").click();
    expect($<HTMLButtonElement>("login-demo").textContent).toBe("Starting the demo…");
    expect($<HTMLButtonElement>("login-submit").disabled).toBe(true);
    await until(() => onSignedIn.mock.calls.length > 0);
    expect(onSignedIn.mock.calls[0]?.[0].demo).toBe(true);
    expect(backend.calls.map((c) => c.cmd)).toContain("session_demo");
  });

  it("lists saved accounts and switches to one; a missing keychain entry is explained", async () => {
    const backend = new FakeBackend({ remembered: [{ account: "north-depot", providerUrl: "http://api.etrack.vip" }] });
    const { onSignedIn } = setup(backend);
    await until(() => document.querySelectorAll('[data-testid="saved-account"]').length === 1);
    const btn = document.querySelector<HTMLButtonElement>('[data-testid="saved-account"]')!;
    expect(btn.textContent).toContain("north-depot");
    expect(btn.textContent).toContain("api.etrack.vip");
    btn.click();
    await until(() => onSignedIn.mock.calls.length > 0);
    expect(onSignedIn.mock.calls[0]?.[0]).toMatchObject({ account: "north-depot", remembered: true });

    // The same button after the keychain lost the entry: the backend's reason, account kept.
    await backend.sessionLogout();
    backend.sessionSwitch = () => Promise.reject({ kind: "keychain", message: "No keychain available: sign in each time, or unlock your keyring", apiCode: null });
    btn.click();
    await until(() => !$("login-error").hidden);
    expect($("login-error").textContent).toBe("No keychain available: sign in each time, or unlock your keyring");
    expect($("login-account").value).toBe("north-depot");
  });
});
