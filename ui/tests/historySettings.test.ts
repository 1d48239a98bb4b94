import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { createHistorySection, type HistorySection } from "../src/views/historySettings";
import { openSettingsDialog } from "../src/views/settingsDialog";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

let section: HistorySection | null = null;
afterEach(() => {
  section?.destroy();
  section = null;
  useMessagesForTest(LOCALES.get("en")!.messages);
  document.body.replaceChildren();
});

const $ = <T extends HTMLElement = HTMLInputElement>(id: string): T => document.querySelector<T>(`[data-testid="${id}"]`)!;
const flush = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};
const MB = 1024 * 1024;

/** A backend signed in to the demo, whose stored history holds `bytes`. */
async function signedIn(bytes = 0): Promise<FakeBackend> {
  const backend = new FakeBackend();
  await backend.sessionDemo();
  if (bytes) backend.storedHistory.bytes.set(`${backend.session!.account}@demo`, bytes);
  return backend;
}

function mount(backend: FakeBackend): HistorySection {
  const s = createHistorySection({ backend, settings: backend.settings });
  document.body.append(s.element);
  section = s;
  return s;
}

function type(id: string, value: string): void {
  const el = $(id);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

describe("stored history settings", () => {
  it("shows the size in use and the largest size, each labelled", async () => {
    const backend = await signedIn(12.5 * MB);
    const s = mount(backend);
    expect($("history-size").textContent).toBe("Unknown");
    await s.ready;
    expect($("history-size").textContent).toBe("12.5 MB");
    expect($("history-size").dataset.bytes).toBe(String(12.5 * MB));
    expect($("settings-history-limit").value).toBe("2048");
    expect(document.querySelector(`label[for="${$("settings-history-limit").id}"]`)?.textContent).toBe("Largest size (MB)");
    expect(document.querySelector(`label[for="${$("history-size").id}"]`)?.textContent).toBe("In use");
    expect(document.querySelector("h3")?.textContent).toBe("Stored history");
    expect($("history-notice").hidden).toBe(true);
    expect(s.read()).toEqual({ ok: true, value: { historyLimitMb: 2048 } });
  });

  it("checks the largest size", () => {
    const backend = new FakeBackend();
    const s = mount(backend);
    for (const bad of ["99", "100001", "1.5", ""]) {
      type("settings-history-limit", bad);
      expect(s.read()).toEqual({ ok: false, error: "The stored history's size must be between 100 and 100,000 MB." });
      expect(document.activeElement).toBe($("settings-history-limit"));
      expect($("settings-history-limit").getAttribute("aria-invalid")).toBe("true");
    }
    type("settings-history-limit", "5000");
    expect(s.read()).toEqual({ ok: true, value: { historyLimitMb: 5000 } });
    expect($("settings-history-limit").hasAttribute("aria-invalid")).toBe(false);
  });

  it("clears only after a confirmation naming the account, then shows the new size", async () => {
    const backend = await signedIn(300 * MB);
    const s = mount(backend);
    await s.ready;
    $<HTMLButtonElement>("history-clear").click();
    expect($("history-clear-question").hidden).toBe(false);
    expect($("history-clear-question").textContent).toContain(`Delete the stored history of ${backend.session!.account} on this computer?`);
    expect(document.activeElement).toBe($("history-clear-cancel"));

    // Kept: nothing cleared.
    $<HTMLButtonElement>("history-clear-cancel").click();
    await flush();
    expect($("history-clear-question").hidden).toBe(true);
    expect(backend.calls.some((c) => c.cmd === "history_clear")).toBe(false);
    expect($("history-size").textContent).toBe("300 MB");

    $<HTMLButtonElement>("history-clear").click();
    $<HTMLButtonElement>("history-clear-confirm").click();
    expect($<HTMLButtonElement>("history-clear-confirm").disabled).toBe(true);
    await flush();
    expect(backend.calls.filter((c) => c.cmd === "history_clear")).toHaveLength(1);
    expect($("history-size").textContent).toBe("0 MB");
    expect($("history-size").dataset.bytes).toBe(String(backend.storedHistory.emptyBytes));
    expect($("history-status").textContent).toBe("Cleared.");
    expect($("history-clear-question").hidden).toBe(true);
    expect(document.activeElement).toBe($("history-clear"));

    backend.storedHistory.failClear = "the disk is full";
    $<HTMLButtonElement>("history-clear").click();
    $<HTMLButtonElement>("history-clear-confirm").click();
    await flush();
    expect($("history-status").textContent).toBe("The stored history could not be cleared: the disk is full");
  });

  it("shows the backend's notice about the store once", async () => {
    const backend = await signedIn();
    backend.storedHistory.notice = "The stored history of demo was damaged (not a database) and was kept as x.corrupt-1.sqlite.";
    const s = mount(backend);
    await s.ready;
    expect($("history-notice").hidden).toBe(false);
    expect($("history-notice").textContent).toMatch(/was damaged/);
    s.destroy();
    document.body.replaceChildren();
    const again = mount(backend);
    await again.ready;
    expect($("history-notice").hidden).toBe(true);
  });

  it("is part of the settings dialog, and its size is saved with the rest", async () => {
    const backend = await signedIn();
    const store = new Store(backend.settings);
    const dialog = openSettingsDialog({ backend, store });
    expect($("settings-history")).not.toBeNull();
    type("settings-history-limit", "50");
    $<HTMLButtonElement>("settings-save").click();
    await flush();
    expect($("settings-error").textContent).toBe("The stored history's size must be between 100 and 100,000 MB.");
    expect(backend.calls.some((c) => c.cmd === "settings_set")).toBe(false);
    type("settings-history-limit", "4096");
    $<HTMLButtonElement>("settings-save").click();
    expect(await dialog.closed).toBe(true);
    expect(backend.settings.historyLimitMb).toBe(4096);
    expect(store.settings.historyLimitMb).toBe(4096);
  });

  it("shows no English through the pseudo-locale", async () => {
    useMessagesForTest(pseudoMessages());
    const backend = await signedIn(2 * MB);
    const s = mount(backend);
    await s.ready;
    $<HTMLButtonElement>("history-clear").click();
    expect(englishOutside(s.element)).toEqual([]);
    $<HTMLButtonElement>("history-clear-confirm").click();
    await flush();
    type("settings-history-limit", "1");
    s.read();
    expect(englishOutside(s.element)).toEqual([]);
  });
});
