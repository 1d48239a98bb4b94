import { afterEach, describe, expect, it } from "vitest";
import { App } from "../src/app";
import { FakeBackend } from "../src/backend-fake";
import { filterNotices, noticesSummary, type NoticesFile } from "../src/lib/notices";
import { Store } from "../src/state";
import { engineText, loadBundledNotices, openAboutDialog } from "../src/views/aboutDialog";

const settle = () => new Promise((r) => setTimeout(r, 0));
async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > ms) throw new Error("timed out");
    await settle();
  }
}
const q = <T extends HTMLElement = HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`);
const shownItems = () => [...document.querySelectorAll<HTMLElement>('[data-testid="about-notice"]')].filter((e) => !e.hidden).map((e) => e.dataset.name);

const NOTICES: NoticesFile = {
  format: 1,
  generatedBy: "test",
  packages: [
    { ecosystem: "crate", name: "serde", version: "1.0.228", licence: "MIT OR Apache-2.0", texts: [{ file: "LICENSE-APACHE", text: 0 }, { file: "LICENSE-MIT", text: 1 }] },
    { ecosystem: "crate", name: "serde_json", version: "1.0.145", licence: "MIT OR Apache-2.0", texts: [{ file: "LICENSE-APACHE", text: 0 }] },
    { ecosystem: "crate", name: "selectors", version: "0.24.0", licence: "MPL-2.0", note: "licence text: see https://github.com/servo/stylo" },
    { ecosystem: "npm", name: "leaflet", version: "1.9.4", licence: "BSD-2-Clause", texts: [{ file: "LICENSE", text: 2 }] },
  ],
  texts: ["Apache License\nVersion 2.0, January 2004", "MIT License\n\nCopyright (c) serde <b>authors</b>", "BSD 2-Clause License\nCopyright (c) 2010-2023, Volodymyr Agafonkin"],
};

afterEach(() => document.body.replaceChildren());

describe("About dialog", () => {
  it("shows the name, exact version, licence, copyright, platform and web engine", async () => {
    const backend = new FakeBackend({ updates: { currentVersion: "0.1.0" } });
    openAboutDialog({ backend, loadNotices: async () => NOTICES });
    await until(() => q("about-version") !== null);
    expect(q("about-dialog")?.querySelector("h2")?.textContent).toBe("About etrack");
    expect(q("about-version")?.textContent).toBe("0.1.0");
    expect(q("about-licence")?.textContent).toBe("MIT");
    expect(q("about-copyright")?.textContent).toBe("Copyright (c) 2026 etrack developers");
    expect(q("about-platform")?.textContent).toBe("linux x86_64");
    expect(q("about-webview")?.textContent).toBe("WebKitGTK 2.48.3");
    expect(backend.calls.map((c) => c.cmd)).toEqual(["app_about"]);
  });

  it("lists the libraries with versions and licences, and their texts as text when opened", async () => {
    openAboutDialog({ backend: new FakeBackend(), loadNotices: async () => NOTICES });
    await until(() => shownItems().length === 4);
    expect(q("about-notices-count")?.textContent).toBe("4 libraries (3 Rust crates, 1 npm package).");
    const serde = document.querySelector<HTMLElement>('[data-testid="about-notice"][data-name="serde"]')!;
    expect(serde.querySelector("summary")?.textContent).toBe("serde1.0.228MIT OR Apache-2.0Rust crate");
    const details = serde.querySelector<HTMLDetailsElement>("details")!;
    expect(details.querySelector("pre")).toBeNull();
    details.open = true;
    details.dispatchEvent(new Event("toggle"));
    const texts = [...details.querySelectorAll("pre")].map((p) => p.textContent);
    expect(texts).toEqual([NOTICES.texts[0], NOTICES.texts[1]]);
    expect(details.querySelector("b")).toBeNull();
    expect([...details.querySelectorAll(".notice-file")].map((p) => p.textContent)).toEqual(["LICENSE-APACHE", "LICENSE-MIT"]);
    const selectors = document.querySelector<HTMLDetailsElement>('[data-name="selectors"] details')!;
    selectors.open = true;
    selectors.dispatchEvent(new Event("toggle"));
    expect(selectors.textContent).toContain("licence text: see https://github.com/servo/stylo");
  });

  it("filters by name or licence, and says when nothing matches", async () => {
    openAboutDialog({ backend: new FakeBackend(), loadNotices: async () => NOTICES });
    await until(() => shownItems().length === 4);
    const filter = q<HTMLInputElement>("about-notices-filter")!;
    const type = (text: string) => {
      filter.value = text;
      filter.dispatchEvent(new Event("input"));
    };
    type("serde");
    expect(shownItems()).toEqual(["serde", "serde_json"]);
    expect(q("about-notices-count")?.textContent).toBe("2 of 4 libraries match.");
    type("BSD");
    expect(shownItems()).toEqual(["leaflet"]);
    type("apache json");
    expect(shownItems()).toEqual(["serde_json"]);
    type("npm");
    expect(shownItems()).toEqual(["leaflet"]);
    type("nothing-like-this");
    expect(shownItems()).toEqual([]);
    expect(q("about-notices-empty")?.hidden).toBe(false);
    expect(q("about-notices-empty")?.textContent).toBe('No library matches "nothing-like-this".');
    type("");
    expect(shownItems()).toHaveLength(4);
    expect(q("about-notices-empty")?.hidden).toBe(true);
  });

  it("says so when the notices cannot be loaded, and the facts still show", async () => {
    openAboutDialog({ backend: new FakeBackend(), loadNotices: () => Promise.reject(new Error("chunk missing")) });
    await until(() => (q("about-notices-count")?.textContent ?? "").includes("could not"));
    expect(q("about-notices-count")?.textContent).toBe("The notices could not be loaded: chunk missing");
    await until(() => q("about-version") !== null);
  });

  it("opens from the top bar's About button and closes with Escape", async () => {
    const backend = new FakeBackend({ fleetSize: 3 });
    const root = document.createElement("div");
    document.body.replaceChildren(root);
    const app = new App({ root, backend, store: new Store(backend.settings), map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    await app.start();
    q("login-demo")!.click();
    await until(() => q("about-open") !== null);
    expect(q("about-open")?.getAttribute("aria-label")).toBe("About etrack");
    q("about-open")!.focus();
    q("about-open")!.click();
    await until(() => q("about-version")?.textContent === "0.1.0");
    document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(q("about-dialog")).toBeNull();
    expect(document.activeElement).toBe(q("about-open"));
  });

  it("names the web engine by platform", () => {
    expect(engineText("linux x86_64", "2.48.3")).toBe("WebKitGTK 2.48.3");
    expect(engineText("windows x86_64", "131.0.2903.70")).toBe("WebView2 131.0.2903.70");
    expect(engineText("macos aarch64", "20620.1.16")).toBe("WebKit 20620.1.16");
    expect(engineText("linux x86_64", null)).toBe("Unknown");
  });
});

describe("the bundled notices (ui/src/generated/notices.json)", () => {
  it("hold the app's crates and npm packages, sorted, with every text they refer to and no paths", async () => {
    const notices = await loadBundledNotices();
    const names = (eco: string) => notices.packages.filter((p) => p.ecosystem === eco).map((p) => p.name);
    for (const crate of ["tauri", "tauri-plugin-updater", "reqwest", "serde", "keyring"]) expect(names("crate")).toContain(crate);
    for (const pkg of ["leaflet", "leaflet.markercluster", "@tauri-apps/api", "topojson-client", "world-atlas"]) expect(names("npm")).toContain(pkg);
    // Development-only packages and the workspace's own crates are not shipped.
    for (const dev of ["vite", "vitest", "typescript", "jsdom"]) expect(names("npm")).not.toContain(dev);
    for (const own of ["etrack", "etrack-app", "etrack-desktop", "etrack-sim", "etrack-cli"]) expect(names("crate")).not.toContain(own);
    const keys = notices.packages.map((p) => `${p.ecosystem}\u0000${p.name}\u0000${p.version}`);
    expect(keys).toEqual([...keys].sort());
    for (const p of notices.packages) {
      expect(p.licence, p.name).toBeTruthy();
      expect(Boolean(p.texts?.length) !== Boolean(p.note), p.name).toBe(true);
      for (const t of p.texts ?? []) expect(notices.texts[t.text], `${p.name} ${t.file}`).toBeTruthy();
    }
    expect(new Set(notices.texts).size).toBe(notices.texts.length);
    const referenced = new Set(notices.packages.flatMap((p) => (p.texts ?? []).map((t) => t.text)));
    expect(referenced.size).toBe(notices.texts.length);
    const all = JSON.stringify(notices);
    expect(all).not.toMatch(/\/home\/|\/root\/|\/Users\/|\.cargo\/registry|[A-Z]:\\\\/);
  });

  it("filter helpers count and match as the dialog shows", () => {
    expect(noticesSummary(NOTICES.packages)).toBe("4 libraries (3 Rust crates, 1 npm package)");
    expect(filterNotices(NOTICES.packages, "  ").map((p) => p.name)).toHaveLength(4);
    expect(filterNotices(NOTICES.packages, "MPL").map((p) => p.name)).toEqual(["selectors"]);
    expect(filterNotices(NOTICES.packages, "1.9").map((p) => p.name)).toEqual(["leaflet"]);
  });
});
