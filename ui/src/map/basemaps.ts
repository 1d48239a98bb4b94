/**
 * Which basemap every map shows, and in which datum: the settings' `basemap` and `providerDatum`
 * and the backend's layer list, applied to each open map (its tile layer, its CRS, its layer
 * switcher). The app connects the source once (`connectBasemaps`, at start); every map made by
 * createMapFrame follows it from then on, so choosing a layer on one map changes them all.
 */
import L from "./leaflet";
import type { Basemap, Datum, Settings } from "../bindings";
import type { IBackend } from "../backend";
import type { Change, Store } from "../state";
import { datumCrs } from "./datumCrs";
import { TRANSPARENT_TILE } from "./basemap";
import { LayerSwitcher } from "./layerSwitcher";

/** Where maps read their basemap from and save the user's choice to. */
export interface BasemapSource {
  /** The settings now. */
  readonly settings: Settings;
  /** The layers the backend lists (built-in, then custom); null until it has answered. */
  readonly layers: readonly Basemap[] | null;
  /** Calls `f` when the settings or the layer list change; returns the unsubscribe function. */
  subscribe(f: () => void): () => void;
  /** The URL template of a layer's tiles (null: none). */
  tileUrl(id: string): string | null;
  /** Makes `id` the basemap: saved in the settings, which every map then follows. */
  choose(id: string): Promise<void>;
}

/** The app's source: the store's settings, saved through the backend like the settings dialog does. */
class StoreBasemapSource implements BasemapSource {
  layers: readonly Basemap[] | null = null;
  private readonly listeners = new Set<() => void>();
  private listedFor: string | null = null;
  private listing = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly backend: IBackend,
    private readonly store: Store,
  ) {
    this.unsubscribe = store.subscribe((c: Change) => {
      if (c.kind !== "settings") return;
      this.list();
      this.emit();
    });
    this.list();
  }

  get settings(): Settings {
    return this.store.settings;
  }

  subscribe(f: () => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  tileUrl(id: string): string | null {
    return this.backend.tileUrlTemplate(id);
  }

  async choose(id: string): Promise<void> {
    if (this.store.settings.basemap === id) return;
    const applied = await this.backend.settingsSet({ ...this.store.settings, basemap: id });
    this.store.setSettings(applied);
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  /** Asks the backend for the layers again when the custom ones changed. */
  private list(): void {
    const key = JSON.stringify(this.store.settings.customBasemaps);
    if (key === this.listedFor) return;
    this.listedFor = key;
    const seq = ++this.listing;
    this.backend.basemapsList().then(
      (layers) => {
        if (seq !== this.listing) return;
        this.layers = layers;
        this.emit();
      },
      (e: unknown) => {
        // Maps keep their current layer (or the offline basemap alone); listing is tried again on the next settings change.
        if (seq === this.listing) this.listedFor = null;
        console.warn("map layers unavailable", e);
      },
    );
  }

  private emit(): void {
    for (const f of [...this.listeners]) f();
  }
}

let source: BasemapSource | null = null;
const sourceListeners = new Set<() => void>();

/**
 * Connects the maps to the app's settings and backend (once, at start; again after a reset).
 * Returns the disconnect function (tests).
 */
export function connectBasemaps(backend: IBackend, store: Store): () => void {
  const s = new StoreBasemapSource(backend, store);
  setBasemapSource(s);
  return () => {
    s.dispose();
    if (source === s) setBasemapSource(null);
  };
}

/** Uses another source (tests), or none. */
export function setBasemapSource(next: BasemapSource | null): void {
  source = next;
  for (const f of [...sourceListeners]) f();
}

export function basemapSource(): BasemapSource | null {
  return source;
}

/** The layer a settings object chooses: its `basemap`, else OpenStreetMap, else the first. */
export function activeLayer(layers: readonly Basemap[], basemap: string): Basemap | null {
  return layers.find((l) => l.id === basemap) ?? layers.find((l) => l.id === "osm") ?? layers[0] ?? null;
}

/** The map's event after its datums changed: positions were projected again. */
export const DATUM_CHANGE = "etrack:datumchange";

export interface DatumChangeEvent extends L.LeafletEvent {
  providerDatum: Datum;
  layerDatum: Datum;
}

export interface MapBasemapsOptions {
  /** Add the active layer's tiles (off in DOM-only tests). */
  tiles: boolean;
  /** Settings to use while no source is connected (the provider's datum). */
  initial?: Partial<Pick<Settings, "providerDatum">>;
}

/**
 * One map's basemap: its tile layer, its CRS and its layer switcher, kept in step with the source.
 * Made by createMapFrame; removed with the map.
 */
export class MapBasemaps {
  private tileLayer: L.TileLayer | null = null;
  private tilesKey = "";
  private switcher: LayerSwitcher | null = null;
  private stopSource: (() => void) | null = null;
  private providerDatum: Datum;
  private layerDatum: Datum = "wgs84";
  private readonly baseMaxZoom: number;

  constructor(
    readonly map: L.Map,
    private readonly opts: MapBasemapsOptions,
  ) {
    this.baseMaxZoom = map.getMaxZoom();
    this.providerDatum = opts.initial?.providerDatum ?? "wgs84";
    const onSource = (): void => this.connect();
    sourceListeners.add(onSource);
    map.once("unload", () => {
      sourceListeners.delete(onSource);
      this.stopSource?.();
      this.stopSource = null;
    });
    this.connect();
  }

  /** The datum positions on this map are in (the data's). */
  get datum(): Datum {
    return this.providerDatum;
  }

  /** The datum of the tiles drawn. */
  get tilesDatum(): Datum {
    return this.layerDatum;
  }

  /** The active layer's id, or null when there is none. */
  activeId: string | null = null;

  private connect(): void {
    this.stopSource?.();
    this.stopSource = null;
    const s = source;
    if (s) this.stopSource = s.subscribe(() => this.sync());
    this.sync();
  }

  /** Brings the tiles, the CRS and the switcher to the source's settings and layers. */
  sync(): void {
    const s = source;
    const settings = s?.settings;
    const layers = s?.layers ?? null;
    const layer = layers && settings ? activeLayer(layers, settings.basemap) : null;
    this.activeId = layer?.id ?? null;
    this.setDatums(settings?.providerDatum ?? this.providerDatum, layer?.datum ?? "wgs84");
    this.syncTiles(s, layer);
    this.syncSwitcher(s, layers, layer);
  }

  private setDatums(provider: Datum, layer: Datum): void {
    const crs = datumCrs(provider, layer);
    const changed = provider !== this.providerDatum || layer !== this.layerDatum || crs !== this.map.options.crs;
    this.providerDatum = provider;
    this.layerDatum = layer;
    if (!changed) return;
    if (crs !== this.map.options.crs) {
      // The same position stays in the middle: vehicles keep their place on screen and the
      // tiles move under them. A reset projects every layer again (markers, paths, tiles).
      const centre = this.map.getCenter();
      const zoom = this.map.getZoom();
      this.map.options.crs = crs;
      this.map.setView(centre, zoom, { reset: true } as L.ZoomPanOptions);
    }
    this.map.fire(DATUM_CHANGE, { providerDatum: provider, layerDatum: layer });
  }

  private syncTiles(s: BasemapSource | null, layer: Basemap | null): void {
    if (!this.opts.tiles) return;
    const url = s && layer ? s.tileUrl(layer.id) : null;
    const key = url && layer ? JSON.stringify([url, layer.attribution, layer.maxZoom]) : "";
    if (key === this.tilesKey) return;
    this.tilesKey = key;
    this.tileLayer?.remove();
    this.tileLayer = null;
    // A layer deeper than the app's usual maximum allows zooming further; a shallower one is
    // stretched beyond its last level rather than leaving the map blank.
    const maxZoom = Math.max(this.baseMaxZoom, layer?.maxZoom ?? 0);
    this.map.setMaxZoom(maxZoom);
    if (!url || !layer) return;
    this.tileLayer = L.tileLayer(url, {
      attribution: escapeAttribution(layer.attribution),
      maxNativeZoom: layer.maxZoom,
      maxZoom,
      errorTileUrl: TRANSPARENT_TILE,
      crossOrigin: false,
      className: "basemap-tiles",
    });
    // Which tile an image is, also after a failed load replaced its URL (tests read it).
    this.tileLayer.on("tileloadstart", (e) => {
      const { tile, coords } = e as L.TileEvent;
      tile.dataset.tile = `${coords.z}/${coords.x}/${coords.y}`;
    });
    this.tileLayer.addTo(this.map);
    this.tileLayer.getContainer()?.setAttribute("data-layer", layer.id);
  }

  private syncSwitcher(s: BasemapSource | null, layers: readonly Basemap[] | null, layer: Basemap | null): void {
    if (!s || !layers || layers.length === 0) {
      this.switcher?.remove();
      this.switcher = null;
      return;
    }
    if (!this.switcher) {
      this.switcher = new LayerSwitcher({ choose: (id) => (source ? source.choose(id) : Promise.resolve()) });
      this.switcher.addTo(this.map);
    }
    this.switcher.update(layers, layer?.id ?? null);
  }
}

/** The attribution comes from the backend's catalogue or the user: shown as text, never as markup. */
export function escapeAttribution(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
