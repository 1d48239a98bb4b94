import { afterEach, describe, expect, it } from "vitest";
import type { Theme } from "../src/bindings";
import { FakeBackend } from "../src/backend-fake";
import { isTheme, resolveTheme, THEME_CHOICES } from "../src/lib/theme";
import { Store } from "../src/state";
import { colour, onColoursChange } from "../src/styles/tokens";
import { startTheme, THEME_HINT_KEY, ThemeController, type ThemeEnv } from "../src/theme";
import L from "../src/map/leaflet";
import { offlineBasemap } from "../src/map/basemap";
import { GeofenceLayer } from "../src/map/geofenceLayer";
import { PlaybackMap } from "../src/map/playbackMap";
import { tokenSets, tokensCss } from "./cssText";
import { sizedContainer } from "./mapDom";

/** The operating system's dark setting, as matchMedia gives it, switched by the test. */
class FakeOsDark {
  matches: boolean;
  readonly listeners = new Set<() => void>();
  constructor(dark: boolean) {
    this.matches = dark;
  }
  addEventListener(_type: string, l: () => void): void {
    this.listeners.add(l);
  }
  removeEventListener(_type: string, l: () => void): void {
    this.listeners.delete(l);
  }
  /** The user flips the system's setting. */
  set(dark: boolean): void {
    this.matches = dark;
    for (const l of [...this.listeners]) l();
  }
}

/** A web view's storage: a map. */
function memoryStorage(initial: Record<string, string> = {}): ThemeEnv["hint"] & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

function controller(osDarkNow: boolean, hint = memoryStorage()) {
  const os = new FakeOsDark(osDarkNow);
  const root = document.documentElement;
  const theme = new ThemeController({ root, osDark: os, hint });
  return { os, root, theme, hint };
}

afterEach(() => {
  document.documentElement.removeAttribute("data-theme");
  document.head.replaceChildren();
  document.body.replaceChildren();
});

describe("resolving the theme", () => {
  it("'system' is the system's, an explicit choice is itself", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("light", false)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
    expect(resolveTheme("dark", true)).toBe("dark");
  });

  it("knows the three choices, and nothing else is one", () => {
    expect(THEME_CHOICES.map((c) => c.value)).toEqual(["system", "light", "dark"]);
    for (const c of THEME_CHOICES) expect(isTheme(c.value)).toBe(true);
    for (const v of ["", "Dark", "auto", null, undefined, 1]) expect(isTheme(v)).toBe(false);
  });
});

describe("the theme on the page", () => {
  it("starts in the system's theme when nothing was chosen yet", () => {
    const dark = controller(true);
    expect(dark.root.dataset.theme).toBe("dark");
    expect(dark.theme.choice).toBe("system");
    dark.theme.destroy();
    const light = controller(false);
    expect(light.root.dataset.theme).toBe("light");
    light.theme.destroy();
  });

  it("starts in the last choice applied (the hint), before the settings arrive", () => {
    const { root, theme } = controller(false, memoryStorage({ [THEME_HINT_KEY]: "dark" }));
    expect(theme.choice).toBe("dark");
    expect(root.dataset.theme).toBe("dark");
    theme.destroy();
  });

  it("ignores a hint that is not a choice", () => {
    const { root, theme } = controller(true, memoryStorage({ [THEME_HINT_KEY]: "sepia" }));
    expect(theme.choice).toBe("system");
    expect(root.dataset.theme).toBe("dark");
    theme.destroy();
  });

  it("applies an explicit choice whatever the system says, and keeps it as the next start's hint", () => {
    const { root, theme, hint } = controller(false);
    theme.set("dark");
    expect(root.dataset.theme).toBe("dark");
    expect(theme.applied).toBe("dark");
    expect(hint.data.get(THEME_HINT_KEY)).toBe("dark");
    theme.set("light");
    expect(root.dataset.theme).toBe("light");
    expect(hint.data.get(THEME_HINT_KEY)).toBe("light");
    theme.destroy();
  });

  it("follows the system's changes while on 'system'", () => {
    const { os, root, theme } = controller(false);
    expect(root.dataset.theme).toBe("light");
    os.set(true);
    expect(root.dataset.theme).toBe("dark");
    os.set(false);
    expect(root.dataset.theme).toBe("light");
    theme.destroy();
    expect(os.listeners.size).toBe(0);
  });

  it("does not follow the system while a theme is chosen, and picks it up again on 'system'", () => {
    const { os, root, theme } = controller(false);
    theme.set("light");
    expect(os.listeners.size).toBe(0);
    os.set(true);
    expect(root.dataset.theme).toBe("light");
    theme.set("dark");
    os.set(false);
    expect(root.dataset.theme).toBe("dark");
    // Back to the system: its setting now (light), and its changes from then on.
    theme.set("system");
    expect(root.dataset.theme).toBe("light");
    os.set(true);
    expect(root.dataset.theme).toBe("dark");
    expect(os.listeners.size).toBe(1);
    theme.destroy();
  });

  it("says the same to native controls through the color-scheme meta tag", () => {
    const meta = document.createElement("meta");
    meta.name = "color-scheme";
    meta.content = "light";
    document.head.append(meta);
    const { theme } = controller(false);
    theme.set("dark");
    expect(meta.content).toBe("dark");
    theme.set("light");
    expect(meta.content).toBe("light");
    theme.destroy();
  });

  it("applies the settings' theme and every change of it, without a restart", () => {
    const { os, root, theme } = controller(true);
    const backend = new FakeBackend({ settings: { theme: "light" } });
    const store = new Store(backend.settings);
    const stop = theme.followSettings(store);
    expect(root.dataset.theme).toBe("light");
    store.setSettings({ ...store.settings, theme: "dark" });
    expect(root.dataset.theme).toBe("dark");
    store.setSettings({ ...store.settings, theme: "system" });
    expect(root.dataset.theme).toBe("dark");
    os.set(false);
    expect(root.dataset.theme).toBe("light");
    stop();
    store.setSettings({ ...store.settings, theme: "dark" });
    expect(root.dataset.theme).toBe("light");
    theme.destroy();
  });

  it("starts where the page has no matchMedia and no storage: light", () => {
    const win = {
      document,
      get localStorage(): Storage {
        throw new Error("denied");
      },
    } as unknown as Window;
    const theme = startTheme(win);
    expect(document.documentElement.dataset.theme).toBe("light");
    theme.set("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
    theme.destroy();
  });
});

describe("repainting on a theme change", () => {
  function loadTokens(): void {
    const style = document.createElement("style");
    style.textContent = tokensCss();
    document.head.append(style);
  }
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it("tells painters when the theme changes the colours, once per change, and reads the new set", async () => {
    loadTokens();
    const { dark } = tokenSets();
    const { theme } = controller(false);
    const seen: string[] = [];
    const stop = onColoursChange(() => seen.push(colour("map-land")));
    theme.set("dark");
    await flush();
    theme.set("dark");
    await flush();
    expect(seen).toEqual([dark.get("--map-land")]);
    theme.set("system");
    await flush();
    stop();
    theme.set("dark");
    await flush();
    expect(seen).toHaveLength(2);
    theme.destroy();
  });

  it.each<[Theme, string]>([
    ["dark", "dark"],
    ["light", "light"],
  ])("a %s choice paints the map's land in the %s set's colour", async (choice, set) => {
    loadTokens();
    const sets = tokenSets();
    const { theme } = controller(choice === "light");
    theme.set(choice);
    expect(colour("map-land")).toBe((set === "dark" ? sets.dark : sets.light).get("--map-land"));
    theme.destroy();
  });

  it("the offline basemap's land and borders are painted again in the dark set", async () => {
    loadTokens();
    const { light, dark } = tokenSets();
    const { theme } = controller(false);
    const map = L.map(sizedContainer(), { center: [0.5, 0.5], zoom: 6 });
    const shapes = {
      land: {
        type: "FeatureCollection" as const,
        features: [
          {
            type: "Feature" as const,
            properties: {},
            geometry: { type: "Polygon" as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] },
          },
        ],
      },
      borders: { type: "MultiLineString" as const, coordinates: [[[0.5, 0], [0.5, 1]]] },
    };
    const basemap = offlineBasemap(shapes, "overlayPane", L.svg());
    for (const l of basemap.layers) l.addTo(map);
    const stop = onColoursChange(() => basemap.repaint());
    const paths = () => [...map.getPane("overlayPane")!.querySelectorAll("path")].map((p) => [p.getAttribute("fill"), p.getAttribute("stroke")]);
    expect(paths()).toEqual([
      [light.get("--map-land"), light.get("--map-land-edge")],
      ["none", light.get("--map-border")],
    ]);
    theme.set("dark");
    await flush();
    expect(paths()).toEqual([
      [dark.get("--map-land"), dark.get("--map-land-edge")],
      ["none", dark.get("--map-border")],
    ]);
    stop();
    map.remove();
    theme.destroy();
  });

  it("playback's stops and alarms, and geofence outlines, are painted again in the dark set", async () => {
    loadTokens();
    const { light, dark } = tokenSets();
    const { theme } = controller(false);
    const el = sizedContainer();
    const pb = new PlaybackMap(el, {}, { offlineBasemap: false, tiles: false, canvas: false });
    pb.setStops([{ first: 0, last: 1, start: 0, end: 60, durationSecs: 60, lat: 22.5, lon: 113.9 }]);
    pb.setAlarms([{ lat: 22.6, lon: 113.9, gpstime: 30, label: "SOS" }]);
    const fills = () => [...el.querySelectorAll("path")].map((p) => [p.getAttribute("fill"), p.getAttribute("stroke")]);
    expect(fills()).toEqual([
      [light.get("--status-stopped"), light.get("--marker-outline")],
      [light.get("--alarm"), light.get("--marker-outline")],
    ]);
    const fenceMap = L.map(sizedContainer(), { center: [22.55, 114.05], zoom: 12 });
    const fences = new GeofenceLayer(fenceMap);
    fences.set([
      {
        id: "g1",
        name: "Depot",
        alarm: "both",
        latitude: 22.55,
        longitude: 114.05,
        radiusM: 1500,
        imeis: [],
        createdMs: 0,
        account: "demo",
        provider: "http://127.0.0.1:47311",
        fromFile: false,
      },
    ]);
    const fence = () => fenceMap.getContainer().querySelector('[data-testid="geofence-circle"]')?.getAttribute("stroke");
    expect(fence()).toBe(light.get("--geofence"));

    theme.set("dark");
    await flush();
    expect(fills()).toEqual([
      [dark.get("--status-stopped"), dark.get("--marker-outline")],
      [dark.get("--alarm"), dark.get("--marker-outline")],
    ]);
    expect(fence()).toBe(dark.get("--geofence"));

    // Gone maps stop listening.
    pb.destroy();
    fences.destroy();
    fenceMap.remove();
    theme.set("light");
    await flush();
    theme.destroy();
  });
});
