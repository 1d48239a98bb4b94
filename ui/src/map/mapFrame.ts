/**
 * What every map of the app starts with: Leaflet with its zoom buttons bottom right, a plain-text
 * attribution prefix, the bundled offline basemap on its own pane under everything (repainted when
 * the theme changes), and the chosen basemap over it with its layer switcher and its datum
 * (map/basemaps.ts).
 */
import L from "./leaflet";
import type { Datum, Settings } from "../bindings";
import { loadOfflineShapes, offlineBasemap } from "./basemap";
import { DATUM_CHANGE, MapBasemaps, type DatumChangeEvent } from "./basemaps";
import { onColoursChange } from "../styles/tokens";
import { onLanguageChange, t } from "../i18n";

export interface MapFrameOptions {
  center: L.LatLngExpression;
  zoom: number;
  /** Draw the bundled country outlines (needs a real canvas; off in DOM-only tests). */
  offlineBasemap?: boolean;
  /** Show the chosen basemap's tiles (off in DOM-only tests; the datum and switcher stay). */
  tiles?: boolean;
  /** Settings to start with while no basemap source is connected (map/basemaps.ts). */
  settings?: Partial<Pick<Settings, "providerDatum">>;
  /** Vector layers on canvas rather than SVG. */
  preferCanvas?: boolean;
  worldCopyJump?: boolean;
}

export interface MapFrame {
  map: L.Map;
  /** Settles once the offline basemap is drawn, could not be, was not asked for, or the map is gone. */
  basemapDone: Promise<void>;
  /** The basemap, its datum and its layer switcher. */
  basemaps: MapBasemaps;
}

export function createMapFrame(container: HTMLElement, opts: MapFrameOptions): MapFrame {
  const map = L.map(container, {
    center: opts.center,
    zoom: opts.zoom,
    minZoom: 2,
    maxZoom: 19,
    worldCopyJump: opts.worldCopyJump ?? false,
    zoomControl: false,
    attributionControl: true,
    preferCanvas: opts.preferCanvas ?? false,
  });
  // The sea colour under the offline basemap's land, and the app's font (styles/map.css .app-map).
  container.classList.add("app-map");
  const zoom = L.control.zoom({ position: "bottomright", zoomInTitle: t().maps.zoomIn, zoomOutTitle: t().maps.zoomOut }).addTo(map);
  const stopLanguage = onLanguageChange(() => {
    const c = zoom.getContainer();
    for (const [cls, title] of [
      [".leaflet-control-zoom-in", t().maps.zoomIn],
      [".leaflet-control-zoom-out", t().maps.zoomOut],
    ] as const) {
      const a = c?.querySelector(cls);
      a?.setAttribute("title", title);
      a?.setAttribute("aria-label", title);
    }
  });
  map.once("unload", stopLanguage);
  // Plain text prefix: a link would navigate the app's only window away from the app.
  map.attributionControl.setPrefix("Leaflet");
  map.createPane("offline").style.zIndex = "150";
  const basemaps = new MapBasemaps(map, { tiles: opts.tiles ?? true, initial: opts.settings });
  const basemapDone = opts.offlineBasemap === false ? Promise.resolve() : addOfflineBasemap(map, () => basemaps.datum);
  return { map, basemapDone, basemaps };
}

async function addOfflineBasemap(map: L.Map, datum: () => Datum): Promise<void> {
  // The shapes load asynchronously; a map removed meanwhile must not get layers.
  let removed = false;
  map.once("unload", () => {
    removed = true;
  });
  try {
    const shapes = await loadOfflineShapes();
    if (removed) return;
    // The outlines are WGS-84; the map's positions are in the provider's datum, so they are
    // drawn in it too (again when it changes), and the CRS takes them to the tiles' datum.
    let drawnIn = datum();
    let basemap = offlineBasemap(shapes, "offline", undefined, drawnIn);
    for (const l of basemap.layers) l.addTo(map);
    map.on(DATUM_CHANGE, (e) => {
      const next = (e as DatumChangeEvent).providerDatum;
      if (next === drawnIn || removed) return;
      drawnIn = next;
      for (const l of basemap.layers) l.remove();
      basemap = offlineBasemap(shapes, "offline", undefined, drawnIn);
      for (const l of basemap.layers) l.addTo(map);
    });
    // Land and borders in the new theme's colours when it changes (the sea follows by CSS).
    const stop = onColoursChange(() => basemap.repaint());
    map.once("unload", stop);
  } catch (e) {
    // The map still works over tiles alone; this is not worth interrupting the user for.
    console.warn("offline basemap unavailable", e);
  }
}
