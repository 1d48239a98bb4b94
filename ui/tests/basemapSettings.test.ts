import { afterEach, describe, expect, it } from "vitest";
import { FakeBackend } from "../src/backend-fake";
import type { CustomBasemap } from "../src/bindings";
import { createBasemapSection, customMapError, customMapId, type BasemapSection } from "../src/views/basemapSettings";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

let section: BasemapSection | null = null;
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

function mount(backend = new FakeBackend()): { backend: FakeBackend; s: BasemapSection } {
  const s = createBasemapSection({ backend, settings: backend.settings });
  document.body.append(s.element);
  section = s;
  return { backend, s };
}

function type(id: string, value: string): void {
  const el = $<HTMLInputElement | HTMLSelectElement>(id);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

const mine: CustomBasemap = {
  id: "custom-mine",
  name: "Mine",
  url: "https://tiles.example.com/{z}/{x}/{y}.png",
  subdomains: "",
  attribution: "© Me",
  maxZoom: 18,
  datum: "wgs84",
};

describe("map settings", () => {
  it("edits the provider's datum, with its explanation", () => {
    const { s } = mount();
    const datum = $<HTMLSelectElement>("settings-provider-datum");
    expect(datum.value).toBe("wgs84");
    expect([...datum.options].map((o) => o.value)).toEqual(["wgs84", "gcj02"]);
    expect(document.querySelector(`label[for="${datum.id}"]`)?.textContent).toBe("Positions from the provider");
    expect(document.getElementById(datum.getAttribute("aria-describedby")!)?.textContent).toMatch(/datum your provider reports/);
    datum.value = "gcj02";
    expect(s.read()).toEqual({ ok: true, value: { basemap: "osm", customBasemaps: [], providerDatum: "gcj02", tileCacheMb: 500 } });
  });

  it("adds, edits and removes custom maps, each field labelled", () => {
    const { s } = mount();
    expect($("custom-maps-none").hidden).toBe(false);
    $("custom-map-add").click();
    expect(document.activeElement).toBe($("custom-map-name"));
    for (const id of ["custom-map-name", "custom-map-url", "custom-map-subdomains", "custom-map-attribution", "custom-map-max-zoom", "custom-map-datum"]) {
      expect(document.querySelector(`label[for="${$(id).id}"]`)?.textContent, id).toBeTruthy();
    }
    type("custom-map-name", "Stub tiles");
    type("custom-map-url", "http://127.0.0.1:8099/{z}/{x}/{y}.png");
    type("custom-map-attribution", "© Stub");
    type("custom-map-max-zoom", "17");
    $<HTMLSelectElement>("custom-map-datum").value = "gcj02";
    $("custom-map-keep").click();
    expect($("custom-map-form").hidden).toBe(true);
    const items = [...document.querySelectorAll<HTMLElement>('[data-testid="custom-map"]')];
    expect(items.map((i) => [i.dataset.id, i.querySelector(".custom-map-name")?.textContent])).toEqual([["custom-stub-tiles", "Stub tiles"]]);
    expect(items[0]!.querySelector('[data-testid="custom-map-remove"]')?.getAttribute("aria-label")).toBe("Remove Stub tiles");
    let read = s.read();
    expect(read.ok && read.value.customBasemaps).toEqual([
      { id: "custom-stub-tiles", name: "Stub tiles", url: "http://127.0.0.1:8099/{z}/{x}/{y}.png", subdomains: "", attribution: "© Stub", maxZoom: 17, datum: "gcj02" },
    ]);

    // Edit: the id stays.
    items[0]!.querySelector<HTMLButtonElement>('[data-testid="custom-map-edit"]')!.click();
    expect($("custom-map-name").value).toBe("Stub tiles");
    type("custom-map-name", "Stub");
    $("custom-map-keep").click();
    read = s.read();
    expect(read.ok && read.value.customBasemaps.map((c) => [c.id, c.name])).toEqual([["custom-stub-tiles", "Stub"]]);

    document.querySelector<HTMLButtonElement>('[data-testid="custom-map-remove"]')!.click();
    read = s.read();
    expect(read.ok && read.value.customBasemaps).toEqual([]);
    expect($("custom-maps-none").hidden).toBe(false);
  });

  it("says clearly what is wrong with a custom map, on its field", () => {
    mount();
    $("custom-map-add").click();
    const keep = (): string => {
      $("custom-map-keep").click();
      return $("custom-map-error").textContent ?? "";
    };
    expect(keep()).toBe("Give the map a name (60 characters at most).");
    expect($("custom-map-name").getAttribute("aria-invalid")).toBe("true");
    type("custom-map-name", "X");
    type("custom-map-url", "https://tiles.example.com/{z}/{x}.png");
    expect(keep()).toBe("The URL template needs {z}, {x} and {y} (or {-y}).");
    expect(document.activeElement).toBe($("custom-map-url"));
    type("custom-map-url", "ftp://tiles.example.com/{z}/{x}/{y}.png");
    expect(keep()).toBe("The URL template must be an http:// or https:// address.");
    type("custom-map-url", "https://tiles.example.com/{z}/{x}/{y}.png?key={key}");
    expect(keep()).toBe("Unknown placeholder {key}: only {s}, {z}, {x}, {y} and {-y} are filled in.");
    type("custom-map-url", "https://{s}.tiles.example.com/{z}/{x}/{-y}.png");
    expect(keep()).toBe("The URL uses {s}: list its subdomains (letters or digits, like abc).");
    type("custom-map-subdomains", "abc");
    type("custom-map-max-zoom", "23");
    expect(keep()).toBe("The maximum zoom is a whole number from 1 to 22.");
    type("custom-map-max-zoom", "20");
    $("custom-map-keep").click();
    expect($("custom-map-form").hidden).toBe(true);
  });

  it("will not save with a custom map half edited and invalid", () => {
    const { s } = mount();
    $("custom-map-add").click();
    type("custom-map-name", "Half");
    const read = s.read();
    expect(read).toEqual({ ok: false, error: "The URL template needs {z}, {x} and {y} (or {-y})." });
  });

  it("falls back to OpenStreetMap when the custom map shown is removed", () => {
    const backend = new FakeBackend({ settings: { customBasemaps: [mine], basemap: "custom-mine" } });
    const { s } = mount(backend);
    document.querySelector<HTMLButtonElement>('[data-testid="custom-map-remove"]')!.click();
    const read = s.read();
    expect(read.ok && read.value.basemap).toBe("osm");
  });

  it("shows the tile cache in MB and clears it", async () => {
    const backend = new FakeBackend();
    backend.tiles.bytes = 3.5 * 1024 * 1024;
    backend.tiles.tiles = 120;
    const { s } = mount(backend);
    await s.ready;
    expect($("tile-cache-size").textContent).toBe("3.5 MB (120 tiles)");
    expect($("tile-cache-size").dataset.bytes).toBe(String(3.5 * 1024 * 1024));
    $<HTMLButtonElement>("tile-cache-clear").click();
    expect($<HTMLButtonElement>("tile-cache-clear").disabled).toBe(true);
    await flush();
    expect(backend.calls.some((c) => c.cmd === "tile_cache_clear")).toBe(true);
    expect($("tile-cache-size").textContent).toBe("0 MB (0 tiles)");
    expect($("tile-cache-status").textContent).toBe("Cleared.");
    expect($<HTMLButtonElement>("tile-cache-clear").disabled).toBe(false);

    backend.tiles.failClear = "the cache folder is read-only";
    $<HTMLButtonElement>("tile-cache-clear").click();
    await flush();
    expect($("tile-cache-status").textContent).toBe("The tile cache could not be cleared: the cache folder is read-only");
  });

  it("checks the cache limit", () => {
    const { s } = mount();
    type("settings-tile-cache-mb", "10");
    expect(s.read()).toEqual({ ok: false, error: "The tile cache size must be between 50 and 20,000 MB." });
    expect(document.activeElement).toBe($("settings-tile-cache-mb"));
    type("settings-tile-cache-mb", "1000");
    const read = s.read();
    expect(read.ok && read.value.tileCacheMb).toBe(1000);
  });

  it("shows no English through the pseudo-locale", async () => {
    useMessagesForTest(pseudoMessages());
    const backend = new FakeBackend({ settings: { customBasemaps: [mine] } });
    const { s } = mount(backend);
    await s.ready;
    $("custom-map-add").click();
    $("custom-map-keep").click();
    // The custom map's name is the user's ("Mine"), marked translate="no".
    expect(englishOutside(s.element)).toEqual([]);
  });
});

describe("custom map checks", () => {
  it("makes ids the backend accepts, unique", () => {
    expect(customMapId("My Tiles!", new Set())).toBe("custom-my-tiles");
    expect(customMapId("My Tiles", new Set(["custom-my-tiles"]))).toBe("custom-my-tiles-2");
    expect(customMapId("天地图", new Set())).toBe("custom-map");
    expect(customMapId("a".repeat(80), new Set())).toMatch(/^custom-[a-z0-9-]{1,40}$/);
  });

  it("accepts a TMS template with subdomains and refuses a duplicate name", () => {
    const tms = { ...mine, url: "https://{s}.example.com/{z}/{x}/{-y}.png", subdomains: "ab" };
    expect(customMapError(tms, [])).toBeNull();
    expect(customMapError(tms, [{ ...mine, id: "custom-other", name: "mine" }])?.field).toBe("name");
  });
});
