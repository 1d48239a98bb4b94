import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import type { FakeUpdatesOptions } from "../src/fake/updatesFake";
import { UPDATE_FAILURES } from "../src/fake/updatesFake";
import { Store } from "../src/state";
import { progressText, publishedDate, Updates } from "../src/updates";
import { openSettingsDialog } from "../src/views/settingsDialog";

const $ = <T extends HTMLElement = HTMLButtonElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)!;
const status = () => $<HTMLElement>("update-status");
const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error(`timed out; status: ${status()?.textContent}`);
    await settle();
  }
}

afterEach(() => document.body.replaceChildren());

const OFFER = {
  version: "0.2.0",
  date: "2026-11-30T20:00:00Z",
  notes: 'Faster playback.\n<img src="x" onerror="alert(1)"> <b>bold</b> & more',
};

function open(updates: FakeUpdatesOptions = {}, section?: "updates") {
  const backend = new FakeBackend({ updates, settings: { timeZone: "Asia/Shanghai" } });
  const store = new Store(backend.settings);
  const controller = new Updates(backend);
  const dialog = openSettingsDialog({ backend, store, updates: controller, section });
  return { backend, store, controller, dialog };
}

describe("settings: updates", () => {
  it("has the section with the start-up check on by default, and nothing to say yet", () => {
    open();
    expect($("settings-updates").querySelector("h3")?.textContent).toBe("Updates");
    expect($<HTMLInputElement>("settings-update-auto").checked).toBe(true);
    expect($<HTMLInputElement>("settings-update-auto").closest("label")?.textContent).toBe("Check for updates when etrack starts");
    expect($("update-check").textContent).toBe("Check for updates");
    expect(status().getAttribute("aria-live")).toBe("polite");
    expect(status().textContent).toBe("");
    expect($("update-install").hidden).toBe(true);
    expect($("update-restart").hidden).toBe(true);
  });

  it("says it is checking, then that this version is up to date", async () => {
    const { backend } = open();
    $("update-check").click();
    expect(status().textContent).toBe("Checking for updates…");
    expect($("update-check").disabled).toBe(true);
    await until(() => status().dataset.state === "current");
    expect(status().textContent).toBe("etrack 0.1.0 is up to date.");
    expect($("update-check").disabled).toBe(false);
    expect($("update-install").hidden).toBe(true);
    expect(backend.calls.filter((c) => c.cmd === "update_check")).toHaveLength(1);
  });

  it("shows an offered version with its date in the user's zone and its notes as text, never HTML", async () => {
    open({ offer: OFFER });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    const date = publishedDate(OFFER.date, "Asia/Shanghai")!;
    expect(status().textContent).toBe(`Version 0.2.0 is available (published ${date}).`);
    const notes = $<HTMLElement>("update-notes");
    expect(notes.hidden).toBe(false);
    expect(notes.textContent).toBe(OFFER.notes.trim());
    expect(notes.querySelector("img, b")).toBeNull();
    expect(document.querySelector('[data-testid="settings-dialog"] img')).toBeNull();
    expect($("update-install").hidden).toBe(false);
    expect($("update-install").textContent).toBe("Install and restart");
  });

  it("leaves out the date when the release has none, and the notes when there are none", async () => {
    open({ offer: { version: "0.3.0", date: null, notes: null } });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    expect(status().textContent).toBe("Version 0.3.0 is available.");
    expect($<HTMLElement>("update-notes").hidden).toBe(true);
  });

  it("shows the download's progress in percent, then the installed version and Restart now", async () => {
    const { backend } = open({ offer: OFFER, sizeBytes: 8_000_000, chunks: 4 });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    const release = backend.updates.holdDownload();
    $("update-install").focus();
    $("update-install").click();
    await until(() => status().textContent === "Downloading version 0.2.0… 50 %");
    expect($<HTMLProgressElement>("update-progress").hidden).toBe(false);
    expect($<HTMLProgressElement>("update-progress").value).toBe(50);
    expect($("update-install").disabled).toBe(true);
    expect($("update-check").disabled).toBe(true);
    release();
    await until(() => status().dataset.state === "installed");
    expect(status().textContent).toBe("Version 0.2.0 is installed.");
    expect($("update-restart").hidden).toBe(false);
    expect($("update-restart").textContent).toBe("Restart now");
    expect($("update-install").hidden).toBe(true);
    expect($<HTMLProgressElement>("update-progress").hidden).toBe(true);
    expect(backend.calls.find((c) => c.cmd === "update_install")?.args).toEqual({ version: "0.2.0" });
    expect(backend.updates.installed).toBe("0.2.0");
    // The keyboard user is taken to the next step, not dropped on the page.
    expect(document.activeElement).toBe($("update-restart"));
  });

  it("counts megabytes when the server does not give the size", async () => {
    const { backend } = open({ offer: OFFER, sizeBytes: null, chunks: 4 });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    const release = backend.updates.holdDownload();
    $("update-install").click();
    await until(() => status().dataset.state === "downloading");
    await until(() => /MB$/.test(status().textContent ?? ""));
    expect(status().textContent).toBe("Downloading version 0.2.0… 2.6 MB");
    expect($<HTMLProgressElement>("update-progress").hasAttribute("value")).toBe(false);
    release();
    await until(() => status().dataset.state === "installed");
  });

  it("the restart button restarts the app through app_restart", async () => {
    const { backend } = open({ offer: OFFER });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    $("update-install").click();
    await until(() => status().dataset.state === "installed");
    $("update-restart").click();
    await until(() => backend.updates.restarts === 1);
    expect(backend.calls.map((c) => c.cmd)).toContain("app_restart");
    expect(status().textContent).toBe("Restarting into version 0.2.0…");
  });

  it("shows the backend's words when the signature does not match, and installs nothing", async () => {
    const { backend } = open({ offer: OFFER, installError: UPDATE_FAILURES.badSignature });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    $("update-install").focus();
    $("update-install").click();
    await until(() => status().dataset.state === "error");
    expect(status().textContent).toBe(UPDATE_FAILURES.badSignature.message);
    expect(status().textContent).toContain("so it was not installed");
    expect($("update-install").hidden).toBe(true);
    expect($("update-restart").hidden).toBe(true);
    expect($("update-check").disabled).toBe(false);
    expect(backend.updates.installed).toBeNull();
    expect(document.activeElement).toBe($("update-check"));
  });

  it("shows why a check failed (no service, no network) and can try again", async () => {
    const { backend } = open({ checkError: UPDATE_FAILURES.notConfigured });
    $("update-check").click();
    await until(() => status().dataset.state === "error");
    expect(status().textContent).toBe("This build of etrack has no update service.");
    backend.updates.checkError = UPDATE_FAILURES.unreachable;
    $("update-check").click();
    await until(() => status().textContent === UPDATE_FAILURES.unreachable.message);
    backend.updates.checkError = null;
    $("update-check").click();
    await until(() => status().dataset.state === "current");
  });

  it("saves the start-up check with the other settings", async () => {
    const { backend, store, dialog } = open();
    $<HTMLInputElement>("settings-update-auto").click();
    $("settings-save").click();
    expect(await dialog.closed).toBe(true);
    expect(backend.settings.checkUpdatesAtStart).toBe(false);
    expect(store.settings.checkUpdatesAtStart).toBe(false);
    expect(backend.calls.find((c) => c.cmd === "settings_set")?.args).toMatchObject({ settings: { checkUpdatesAtStart: false, timeZone: "Asia/Shanghai" } });
  });

  it("opened at the Updates section with a known offer, it shows it and focuses Install", async () => {
    const backend = new FakeBackend({ updates: { offer: OFFER } });
    const store = new Store(backend.settings);
    const controller = new Updates(backend);
    await controller.check();
    openSettingsDialog({ backend, store, updates: controller, section: "updates" });
    await settle();
    expect(status().dataset.state).toBe("available");
    expect(document.activeElement).toBe($("update-install"));
  });

  it("closes with Escape even during a download, which goes on and is shown when it opens again", async () => {
    const { backend, store, controller, dialog } = open({ offer: OFFER });
    $("update-check").click();
    await until(() => status().dataset.state === "available");
    const release = backend.updates.holdDownload();
    $("update-install").click();
    await until(() => status().dataset.state === "downloading");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(await dialog.closed).toBe(false);
    openSettingsDialog({ backend, store, updates: controller });
    expect(status().textContent).toBe("Downloading version 0.2.0… 50 %");
    release();
    await until(() => status().dataset.state === "installed");
  });
});

describe("update helpers", () => {
  it("words progress in percent or megabytes", () => {
    expect(progressText(0, 1000)).toBe("0 %");
    expect(progressText(999, 1000)).toBe("99 %");
    expect(progressText(1000, 1000)).toBe("100 %");
    expect(progressText(3_150_000, null)).toBe("3.1 MB");
    expect(progressText(3_150_000, 0)).toBe("3.1 MB");
  });

  it("gives the release date in the chosen zone", () => {
    expect(publishedDate("2026-11-30T20:00:00Z", "Asia/Shanghai", "en-US")).toBe("December 1, 2026");
    expect(publishedDate("2026-11-30T20:00:00Z", "UTC", "en-US")).toBe("November 30, 2026");
    expect(publishedDate("2026-11-30T20:00:00Z", "Not/AZone", "en-US")).toMatch(/2026/);
    expect(publishedDate(null, "UTC")).toBeNull();
    expect(publishedDate("not a date", "UTC")).toBeNull();
  });
});
