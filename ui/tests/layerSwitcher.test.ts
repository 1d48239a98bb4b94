import { afterEach, describe, expect, it } from "vitest";
import L from "../src/map/leaflet";
import { FakeBackend } from "../src/backend-fake";
import { tileProtocolUrl } from "../src/backend";
import { Store } from "../src/state";
import type { Datum, Settings, StoredGeofence } from "../src/bindings";
import { connectBasemaps } from "../src/map/basemaps";
import { createMapFrame, type MapFrame } from "../src/map/mapFrame";
import { FleetMap } from "../src/map/fleetMap";
import { GeofenceLayer } from "../src/map/geofenceLayer";
import { GeofenceTool } from "../src/map/geofenceTool";
import { gcj02ToWgs84, wgs84ToGcj02 } from "../src/lib/datum";
import { useMessagesForTest, LOCALES } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";
import { fleetStore } from "./fixtures";
import { sizedContainer } from "./mapDom";

/** A vehicle in Shenzhen, WGS-84. */
const P = { lat: 22.5431, lng: 114.0579 };
const Z = 15;
const MERCATOR = L.CRS.EPSG3857;

let disconnect: (() => void) | null = null;
const frames: MapFrame[] = [];
afterEach(() => {
  for (const f of frames.splice(0)) f.map.remove();
  disconnect?.();
  disconnect = null;
  useMessagesForTest(LOCALES.get("en")!.messages);
  document.body.replaceChildren();
});

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

/** The app's wiring: a fake backend and a store, connected to the maps. */
async function app(settings: Partial<Settings> = {}): Promise<{ backend: FakeBackend; store: Store }> {
  const backend = new FakeBackend({ settings });
  backend.tiles.urls.set("gaode", "etrack-tile://localhost/gaode/{z}/{x}/{y}");
  const store = new Store(backend.settings);
  disconnect = connectBasemaps(backend, store);
  await flush();
  return { backend, store };
}

function frame(centre = P): MapFrame {
  const f = createMapFrame(sizedContainer(), { center: [centre.lat, centre.lng], zoom: Z, offlineBasemap: false, tiles: true });
  frames.push(f);
  return f;
}

/** Where spherical Mercator puts a position at a zoom (Z unless told), px. */
const mercator = (p: { lat: number; lng: number }, zoom = Z): L.Point => MERCATOR.latLngToPoint(L.latLng(p.lat, p.lng), zoom);

const switcher = (root: ParentNode = document): HTMLElement => root.querySelector<HTMLElement>('[data-testid="map-layers"]')!;
const options = (root: ParentNode = document): HTMLElement[] => [...root.querySelectorAll<HTMLElement>('[data-testid="layer-option"]')];
const checked = (root: ParentNode = document): string[] =>
  options(root)
    .filter((o) => o.getAttribute("aria-checked") === "true")
    .map((o) => o.dataset.layer!);

/** A mouse event at a container point, as the user's pointer makes it (jsdom: the container is at 0,0). */
function mouse(map: L.Map, type: string, at: L.Point): void {
  map.getContainer().dispatchEvent(new MouseEvent(type, { bubbles: true, clientX: at.x, clientY: at.y, button: 0 }));
}

/** The container point where spherical Mercator puts a position, on this map. */
function containerPointOf(map: L.Map, p: { lat: number; lng: number }): L.Point {
  return map.layerPointToContainerPoint(mercator(p).subtract(map.getPixelOrigin()));
}

function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  return L.latLng(a.lat, a.lng).distanceTo(L.latLng(b.lat, b.lng));
}

describe("datum on the map", () => {
  it("draws a WGS-84 marker on a GCJ-02 layer at the GCJ-02 pixel", async () => {
    await app({ basemap: "gaode", providerDatum: "wgs84" });
    const { map } = frame();
    const g = wgs84ToGcj02(P.lat, P.lng);
    // The tiles are laid out in spherical Mercator of GCJ-02: the marker lands where its GCJ-02 position is.
    const drawn = map.project([P.lat, P.lng], Z);
    expect(drawn.distanceTo(mercator(g))).toBeLessThan(0.01);
    // ...which is far from where plain Mercator of the WGS-84 position would be (hundreds of metres).
    expect(drawn.distanceTo(mercator(P))).toBeGreaterThan(50);
    const marker = L.marker([P.lat, P.lng]).addTo(map);
    const pos = L.DomUtil.getPosition(marker.getElement()!);
    expect(pos.distanceTo(mercator(g).subtract(map.getPixelOrigin()))).toBeLessThan(1);
  });

  it("gives a click at the GCJ-02 pixel back as the WGS-84 position, within a metre", async () => {
    await app({ basemap: "gaode", providerDatum: "wgs84" });
    const { map } = frame();
    const g = wgs84ToGcj02(P.lat, P.lng);
    let clicked: L.LatLng | null = null;
    map.on("click", (e) => {
      clicked = (e as L.LeafletMouseEvent).latlng;
    });
    const at = containerPointOf(map, g);
    mouse(map, "click", at.round());
    expect(clicked).not.toBeNull();
    // A whole pixel is ~4 m here at most: the click lands within that of the vehicle.
    expect(metres(clicked!, P)).toBeLessThan(4);
    // Exactly: the pixel's own position goes back within a metre.
    expect(metres(map.containerPointToLatLng(at), P)).toBeLessThan(1);
  });

  it("gives a geofence drawn on the vehicle's GCJ-02 pixel a WGS-84 centre and edge", async () => {
    await app({ basemap: "gaode", providerDatum: "wgs84" });
    const { map } = frame();
    const tool = new GeofenceTool(map);
    tool.start();
    const centre = map.latLngToContainerPoint([P.lat, P.lng]);
    // That pixel is where the GCJ-02 tiles show the vehicle's street.
    expect(centre.distanceTo(containerPointOf(map, wgs84ToGcj02(P.lat, P.lng)))).toBeLessThan(1);
    mouse(map, "mousedown", centre);
    mouse(map, "mousemove", centre.add([80, 0]));
    mouse(map, "mouseup", centre.add([80, 0]));
    expect(tool.phase).toBe("editing");
    expect(metres(tool.shape!, P)).toBeLessThan(1);
    // The radius is measured between positions in one datum: 80 px at zoom 15 near 22.5° N.
    const expected = (80 * 40_075_016.686 * Math.cos((P.lat * Math.PI) / 180)) / (256 * 2 ** Z);
    expect(Math.abs(tool.shape!.radius - expected)).toBeLessThan(3);
    tool.stop();
  });

  it.each<[string, Datum, string]>([
    ["OpenStreetMap with WGS-84 positions", "wgs84", "osm"],
    ["AutoNavi with GCJ-02 positions", "gcj02", "gaode"],
  ])("shifts nothing on %s", async (_name, providerDatum, basemap) => {
    await app({ basemap, providerDatum });
    const { map } = frame();
    expect(map.options.crs).toBe(MERCATOR);
    expect(map.project([P.lat, P.lng], Z).distanceTo(mercator(P))).toBeLessThan(1e-6);
  });

  it("draws GCJ-02 positions on a WGS-84 layer where their WGS-84 position is", async () => {
    await app({ basemap: "osm", providerDatum: "gcj02" });
    const { map } = frame();
    const g = wgs84ToGcj02(P.lat, P.lng);
    expect(map.project([g.lat, g.lng], Z).distanceTo(mercator(P))).toBeLessThan(0.01);
    const back = map.unproject(mercator(P), Z);
    expect(metres(back, g)).toBeLessThan(0.01);
  });

  it("follows a change of layer at run time: markers, paths and clusters move, the centre stays", async () => {
    const { backend, store } = await app({ basemap: "osm" });
    const fleet = fleetStore(12);
    // The fleet map on the app's store (its settings are the backend's).
    fleet.store.setSettings(store.settings);
    const fleetMap = new FleetMap(sizedContainer(), fleet.store, { offlineBasemap: false, tiles: false });
    const map = fleetMap.map;
    map.setView([22.505, 113.905], 16, { animate: false });
    const fences = new GeofenceLayer(map);
    const fence: StoredGeofence = {
      id: "g1",
      name: "Depot",
      alarm: "both",
      latitude: 22.505,
      longitude: 113.905,
      radiusM: 300,
      imeis: [],
      createdMs: 0,
      account: "demo",
      provider: "demo",
      fromFile: false,
    };
    fences.set([fence]);
    const route = L.polyline(
      [
        [22.5, 113.9],
        [22.51, 113.91],
      ],
      { renderer: L.svg() },
    ).addTo(map);
    const centreBefore = map.getCenter();
    const imei = fleet.imeis[3]!;
    const pos = fleet.store.tracks.get(imei)!;
    const g = wgs84ToGcj02(pos.latitude, pos.longitude);
    const drawnAt = (): L.Point => L.DomUtil.getPosition(fleetMap.markerFor(imei)!.getElement()!);
    expect(drawnAt().distanceTo(mercator({ lat: pos.latitude, lng: pos.longitude }, 16).subtract(map.getPixelOrigin()))).toBeLessThan(1);
    const circleD = document.querySelector('[data-testid="geofence-circle"]')!.getAttribute("d");

    // Choose AutoNavi on the map's own switcher.
    const root = switcher(map.getContainer());
    options(root).find((o) => o.dataset.layer === "gaode")!.click();
    await flush();
    expect(backend.calls.find((c) => c.cmd === "settings_set")?.args).toMatchObject({ settings: { basemap: "gaode" } });
    expect(store.settings.basemap).toBe("gaode");
    expect(checked(root)).toEqual(["gaode"]);

    expect(metres(map.getCenter(), centreBefore)).toBeLessThan(1);
    expect(drawnAt().distanceTo(mercator(g, 16).subtract(map.getPixelOrigin()))).toBeLessThan(1);
    expect(document.querySelector('[data-testid="geofence-circle"]')!.getAttribute("d")).not.toBe(circleD);
    const start = (route as unknown as { _parts: L.Point[][] })._parts[0]![0]!;
    const g0 = wgs84ToGcj02(22.5, 113.9);
    expect(start.distanceTo(mercator(g0, 16).subtract(map.getPixelOrigin()))).toBeLessThan(1);

    // The clusters were filed again: out and back in, every vehicle is where it should be.
    map.setZoom(11, { animate: false });
    map.setZoom(16, { animate: false });
    await flush();
    for (const i of fleet.imeis) {
      const el = fleetMap.markerFor(i)?.getElement();
      if (!el?.isConnected) continue;
      const t = fleet.store.tracks.get(i)!;
      const gi = wgs84ToGcj02(t.latitude, t.longitude);
      expect(L.DomUtil.getPosition(el).distanceTo(mercator(gi, 16).subtract(map.getPixelOrigin()))).toBeLessThan(1);
    }

    // And back to OpenStreetMap: no shift.
    options(root).find((o) => o.dataset.layer === "osm")!.click();
    await flush();
    expect(map.options.crs).toBe(MERCATOR);
    expect(drawnAt().distanceTo(mercator({ lat: pos.latitude, lng: pos.longitude }, 16).subtract(map.getPixelOrigin()))).toBeLessThan(1);
    fences.destroy();
    fleetMap.destroy();
  });

  it("draws from the layer's protocol URL, with its attribution as text and its zoom", async () => {
    const { backend, store } = await app({ basemap: "gaode" });
    const { map } = frame();
    const tiles = map.getContainer().querySelector<HTMLElement>(".basemap-tiles")!;
    expect(tiles.dataset.layer).toBe("gaode");
    const img = tiles.querySelector("img")!;
    expect(img.getAttribute("src")).toMatch(/^etrack-tile:\/\/localhost\/gaode\/15\/\d+\/\d+$/);
    const attribution = map.getContainer().querySelector(".leaflet-control-attribution")!;
    expect(attribution.textContent).toContain("© AutoNavi (高德地图)");
    let layer: L.TileLayer | null = null;
    map.eachLayer((l) => {
      if (l instanceof L.TileLayer) layer = l;
    });
    expect(layer!.options.maxNativeZoom).toBe(18);

    // A custom map's attribution is the user's text: never markup.
    const custom = { id: "custom-mine", name: "Mine", url: "http://127.0.0.1:9/{z}/{x}/{y}.png", subdomains: "", attribution: "<b>Me</b> & co", maxZoom: 12, datum: "wgs84" as const };
    backend.tiles.urls.set("custom-mine", "etrack-tile://localhost/custom-mine/{z}/{x}/{y}");
    store.setSettings(await backend.settingsSet({ ...store.settings, customBasemaps: [custom], basemap: "custom-mine" }));
    await flush();
    expect(attribution.querySelector("b")).toBeNull();
    expect(attribution.textContent).toContain("<b>Me</b> & co");
    expect(map.getContainer().querySelector<HTMLElement>(".basemap-tiles")!.dataset.layer).toBe("custom-mine");
    expect(options().map((o) => o.dataset.layer)).toEqual(["osm", "satellite", "gaode", "gaode-satellite", "tencent", "custom-mine"]);
    expect(options().at(-1)!.textContent).toBe("Mine");
  });

  it("builds the protocol URL the platform's webview takes", () => {
    const linux = (path: string, protocol: string): string => `${protocol}://localhost/${encodeURIComponent(path)}`;
    const windows = (path: string, protocol: string): string => `http://${protocol}.localhost/${encodeURIComponent(path)}`;
    expect(tileProtocolUrl("gaode-satellite", linux)).toBe("etrack-tile://localhost/gaode-satellite/{z}/{x}/{y}");
    expect(tileProtocolUrl("custom-x", windows)).toBe("http://etrack-tile.localhost/custom-x/{z}/{x}/{y}");
  });
});

describe("layer switcher", () => {
  it("lists one radio per layer, the chosen one checked, with names in the user's language", async () => {
    await app({ basemap: "satellite" });
    frame();
    const root = switcher();
    expect(root.querySelector('[role="radiogroup"]')?.getAttribute("aria-label")).toBe("Map layers");
    expect(options().map((o) => [o.dataset.layer, o.getAttribute("role"), o.textContent])).toEqual([
      ["osm", "radio", "OpenStreetMap"],
      ["satellite", "radio", "Satellite"],
      ["gaode", "radio", "高德地图 AutoNavi"],
      ["gaode-satellite", "radio", "高德卫星 AutoNavi satellite"],
      ["tencent", "radio", "腾讯地图 Tencent"],
    ]);
    expect(checked()).toEqual(["satellite"]);
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="map-layers-toggle"]')!;
    expect(toggle.getAttribute("aria-label")).toBe("Map: Satellite");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
  });

  it("works from the keyboard: open, arrows, Enter saves, every open map follows", async () => {
    const { backend, store } = await app({ basemap: "osm" });
    const a = frame();
    const b = frame();
    const root = switcher(a.map.getContainer());
    const toggle = root.querySelector<HTMLButtonElement>('[data-testid="map-layers-toggle"]')!;
    toggle.focus();
    toggle.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true }));
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    // Focus on the layer shown, the only tab stop.
    expect(document.activeElement).toBe(options(root)[0]);
    expect(options(root).map((o) => o.tabIndex)).toEqual([0, -1, -1, -1, -1]);
    const key = (k: string): void => {
      document.activeElement!.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
    };
    key("ArrowDown");
    key("ArrowDown");
    expect((document.activeElement as HTMLElement).dataset.layer).toBe("gaode");
    expect(backend.calls.some((c) => c.cmd === "settings_set")).toBe(false);
    key("Enter");
    await flush();
    expect(store.settings.basemap).toBe("gaode");
    expect(backend.settings.basemap).toBe("gaode");
    expect(checked(root)).toEqual(["gaode"]);
    // The list closes and the focus goes back to the button.
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(toggle);
    // The other map follows.
    expect(checked(b.map.getContainer())).toEqual(["gaode"]);
    expect(b.map.options.crs).not.toBe(MERCATOR);
    expect(b.map.project([P.lat, P.lng], Z).distanceTo(mercator(wgs84ToGcj02(P.lat, P.lng)))).toBeLessThan(0.01);
    // Space works too; Escape closes.
    toggle.click();
    key("End");
    key(" ");
    await flush();
    expect(store.settings.basemap).toBe("tencent");
    toggle.click();
    key("Escape");
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    expect(document.activeElement).toBe(toggle);
  });

  it("says so when the choice cannot be saved, and keeps the layer shown", async () => {
    const { backend, store } = await app({ basemap: "osm" });
    frame();
    backend.settingsSet = () => Promise.reject(new Error("disk full"));
    options().find((o) => o.dataset.layer === "tencent")!.click();
    await flush();
    expect(store.settings.basemap).toBe("osm");
    expect(checked()).toEqual(["osm"]);
    const error = switcher().querySelector<HTMLElement>('[role="alert"]')!;
    expect(error.hidden).toBe(false);
    expect(error.textContent).toContain("disk full");
  });

  it("shows no English through the pseudo-locale (only layer and map names, which are names)", async () => {
    useMessagesForTest(pseudoMessages());
    await app({ basemap: "osm" });
    const { map } = frame();
    switcher().querySelector<HTMLButtonElement>('[data-testid="map-layers-toggle"]')!.click();
    const controls = [switcher(), ...map.getContainer().querySelectorAll(".leaflet-control-zoom")];
    for (const el of controls) expect(englishOutside(el)).toEqual([]);
  });

  it("is not shown while no layers are known", () => {
    createMapFrame(sizedContainer(), { center: [P.lat, P.lng], zoom: Z, offlineBasemap: false });
    expect(document.querySelector('[data-testid="map-layers"]')).toBeNull();
  });
});

// The inverse used by the CRS, checked here at the map's own level of accuracy too.
it("the CRS's unproject is the inverse of its project within a millimetre", async () => {
  await app({ basemap: "gaode" });
  const { map } = frame();
  for (const [lat, lng] of [
    [22.5, 114],
    [31.2, 121.5],
    [39.9, 116.4],
  ] as const) {
    const back = map.unproject(map.project([lat, lng], 18), 18);
    expect(metres(back, { lat, lng })).toBeLessThan(0.001);
    expect(metres(gcj02ToWgs84(...(Object.values(wgs84ToGcj02(lat, lng)) as [number, number])), { lat, lng })).toBeLessThan(0.001);
  }
});
