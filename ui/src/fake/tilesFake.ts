/**
 * The fake backend's map layers and tile cache: the built-in catalogue as the backend lists it
 * (src-tauri/crates/etrack-app/src/tiles/catalogue.rs) plus the settings' custom maps, and a
 * cache whose size tests set. No tiles are served: only OpenStreetMap has a URL (the browser
 * preview shows it); tests get none unless they ask.
 */
import type { Basemap, Settings, TileCacheInfo } from "../bindings";

/** The backend's built-in layers (ids, names, attribution, zoom, datum). */
export const BUILT_IN_BASEMAPS: readonly Basemap[] = [
  { id: "osm", name: "OpenStreetMap", attribution: "© OpenStreetMap contributors", maxZoom: 19, datum: "wgs84", builtIn: true },
  {
    id: "satellite",
    name: "Satellite (Esri World Imagery)",
    attribution: "Imagery © Esri, Maxar, Earthstar Geographics",
    maxZoom: 19,
    datum: "wgs84",
    builtIn: true,
  },
  { id: "gaode", name: "AutoNavi (Gaode) streets", attribution: "© AutoNavi (高德地图)", maxZoom: 18, datum: "gcj02", builtIn: true },
  { id: "gaode-satellite", name: "AutoNavi (Gaode) satellite", attribution: "© AutoNavi (高德地图)", maxZoom: 18, datum: "gcj02", builtIn: true },
  { id: "tencent", name: "Tencent streets", attribution: "© Tencent (腾讯地图)", maxZoom: 18, datum: "gcj02", builtIn: true },
];

export class FakeTiles {
  bytes = 0;
  tiles = 0;
  /** Layer id → URL template tests want tiles from (default: OpenStreetMap's, for the preview). */
  urls = new Map<string, string>([["osm", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"]]);
  /** Makes the next clear fail with this message. */
  failClear: string | null = null;

  list(settings: Settings): Basemap[] {
    const custom = settings.customBasemaps.map(
      (c): Basemap => ({ id: c.id, name: c.name, attribution: c.attribution, maxZoom: c.maxZoom, datum: c.datum, builtIn: false }),
    );
    return [...BUILT_IN_BASEMAPS.map((b) => ({ ...b })), ...custom];
  }

  info(settings: Settings): TileCacheInfo {
    return { bytes: this.bytes, limitBytes: settings.tileCacheMb * 1024 * 1024, tiles: this.tiles };
  }

  clear(settings: Settings): TileCacheInfo {
    if (this.failClear) {
      const message = this.failClear;
      this.failClear = null;
      throw new Error(message);
    }
    this.bytes = 0;
    this.tiles = 0;
    return this.info(settings);
  }

  urlTemplate(layerId: string): string | null {
    return this.urls.get(layerId) ?? null;
  }
}
