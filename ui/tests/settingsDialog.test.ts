import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { openSettingsDialog } from "../src/views/settingsDialog";
import { ThemeController } from "../src/theme";

const $ = <T extends HTMLElement = HTMLInputElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!;

afterEach(() => {
  document.body.replaceChildren();
  document.documentElement.removeAttribute("data-theme");
});

function open() {
  const backend = new FakeBackend();
  const store = new Store(backend.settings);
  const dialog = openSettingsDialog({ backend, store });
  return { backend, store, dialog };
}

describe("settings dialog", () => {
  it("shows the current settings", () => {
    open();
    expect($("settings-provider").value).toBe("http://api.etrack.vip");
    expect($("settings-refresh").value).toBe("10");
    expect($("settings-units-kmh").checked).toBe(true);
    expect($<HTMLSelectElement>("settings-timezone").value).toBe("local");
    expect([...$<HTMLSelectElement>("settings-timezone").options].map((o) => o.value)).toContain("Asia/Shanghai");
  });

  it("saves through the backend and applies what it returns", async () => {
    const { backend, store, dialog } = open();
    $("settings-units-mph").checked = true;
    $<HTMLSelectElement>("settings-timezone").value = "Asia/Shanghai";
    $("settings-refresh").value = "30";
    $<HTMLButtonElement>("settings-save").click();
    expect(await dialog.closed).toBe(true);
    expect(store.settings).toMatchObject({ units: "mph", timeZone: "Asia/Shanghai", refreshSecs: 30 });
    expect(backend.settings.refreshSecs).toBe(30);
    expect(document.querySelector('[data-testid="settings-dialog"]')).toBeNull();
  });

  it("keeps the dialog open with the backend's words when a value is refused", async () => {
    const { store } = open();
    $("settings-provider").value = "api.example";
    $<HTMLButtonElement>("settings-save").click();
    await new Promise((r) => setTimeout(r, 0));
    expect($("settings-error").hidden).toBe(false);
    expect($("settings-error").textContent).toBe('"api.example" is not a valid provider URL.');
    expect($("settings-provider").value).toBe("api.example");
    expect(store.settings.providerUrl).toBe("http://api.etrack.vip");
  });

  it("closes from its close button or a click outside, without saving, and gives focus back", async () => {
    const opener = document.createElement("button");
    document.body.append(opener);
    opener.focus();
    const first = open();
    $<HTMLButtonElement>("settings-dialog-close").click();
    expect(await first.dialog.closed).toBe(false);
    expect(document.activeElement).toBe(opener);
    const second = open();
    const overlay = second.dialog.element;
    overlay.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
    expect(await second.dialog.closed).toBe(false);
    expect(document.querySelector('[data-testid="settings-dialog"]')).toBeNull();
    expect(second.backend.calls.some((c) => c.cmd === "settings_set")).toBe(false);
  });

  it("closes with Escape without saving", async () => {
    const { backend, dialog } = open();
    $("settings-refresh").value = "60";
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(await dialog.closed).toBe(false);
    expect(backend.calls.some((c) => c.cmd === "settings_set")).toBe(false);
  });

  it("offers the three themes, shows the saved one, and saves a new one with the other settings", async () => {
    const { backend, store, dialog } = open();
    const select = $<HTMLSelectElement>("settings-theme");
    expect([...select.options].map((o) => [o.value, o.textContent])).toEqual([
      ["system", "Same as the system"],
      ["light", "Light"],
      ["dark", "Dark"],
    ]);
    expect(select.value).toBe("system");
    select.value = "dark";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    $<HTMLButtonElement>("settings-save").click();
    expect(await dialog.closed).toBe(true);
    expect(backend.calls.find((c) => c.cmd === "settings_set")?.args).toMatchObject({ settings: { theme: "dark", refreshSecs: 10 } });
    expect(backend.settings.theme).toBe("dark");
    expect(store.settings.theme).toBe("dark");

    // Opened again, it shows what the backend kept.
    const again = openSettingsDialog({ backend, store: new Store(await backend.settingsGet()) });
    expect($<HTMLSelectElement>("settings-theme").value).toBe("dark");
    again.close();
  });

  it("applies the saved theme at once to a page that follows the settings, and not before Save", async () => {
    const os = { matches: false, addEventListener: () => undefined, removeEventListener: () => undefined };
    const theme = new ThemeController({ root: document.documentElement, osDark: os, hint: null });
    const { store, dialog } = open();
    theme.followSettings(store);
    expect(document.documentElement.dataset.theme).toBe("light");
    $<HTMLSelectElement>("settings-theme").value = "dark";
    expect(document.documentElement.dataset.theme).toBe("light");
    $<HTMLButtonElement>("settings-save").click();
    expect(await dialog.closed).toBe(true);
    expect(document.documentElement.dataset.theme).toBe("dark");

    const second = openSettingsDialog({ backend: new FakeBackend({ settings: store.settings }), store });
    $<HTMLSelectElement>("settings-theme").value = "system";
    $<HTMLButtonElement>("settings-save").click();
    expect(await second.closed).toBe(true);
    expect(store.settings.theme).toBe("system");
    expect(document.documentElement.dataset.theme).toBe("light");
    theme.destroy();
  });

  it("a cancelled change of theme changes nothing", async () => {
    const { backend, store, dialog } = open();
    $<HTMLSelectElement>("settings-theme").value = "dark";
    $<HTMLButtonElement>("settings-cancel").click();
    expect(await dialog.closed).toBe(false);
    expect(store.settings.theme).toBe("system");
    expect(backend.settings.theme).toBe("system");
  });
});
