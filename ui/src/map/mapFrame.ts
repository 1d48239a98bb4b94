/**
 * What every map of the app starts with: Leaflet with its zoom buttons bottom right, a plain-text
 * attribution prefix, the bundled offline basemap on its own pane under everything (repainted when
 * the theme changes), and the configured tiles over it.
 */
import L from "./leaflet";
import type { Settings } from "../bindings";
import { loadOfflineShapes, offlineBasemap, tileLayer } from "./basemap";
import { onColoursChange } from "../styles/tokens";

export interface MapFrameOptions {
  center: L.LatLngExpression;
  zoom: number;
  /** Draw the bundled country outlines (needs a real canvas; off in DOM-only tests). */
  offlineBasemap?: boolean;
  /** The configured tile layer, added once; null for none (or when the caller manages tiles). */
  tiles?: Pick<Settings, "tileUrl" | "tileAttribution"> | null;
  /** Vector layers on canvas rather than SVG. */
  preferCanvas?: boolean;
  worldCopyJump?: boolean;
}

export interface MapFrame {
  map: L.Map;
  /** Settles once the offline basemap is drawn, could not be, was not asked for, or the map is gone. */
  basemapDone: Promise<void>;
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
  L.control.zoom({ position: "bottomright" }).addTo(map);
  // Plain text prefix: a link would navigate the app's only window away from the app.
  map.attributionControl.setPrefix("Leaflet");
  map.createPane("offline").style.zIndex = "150";
  const basemapDone = opts.offlineBasemap === false ? Promise.resolve() : addOfflineBasemap(map);
  if (opts.tiles?.tileUrl.trim()) tileLayer(opts.tiles.tileUrl, opts.tiles.tileAttribution).addTo(map);
  return { map, basemapDone };
}

async function addOfflineBasemap(map: L.Map): Promise<void> {
  // The shapes load asynchronously; a map removed meanwhile must not get layers.
  let removed = false;
  map.once("unload", () => {
    removed = true;
  });
  try {
    const shapes = await loadOfflineShapes();
    if (removed) return;
    const basemap = offlineBasemap(shapes, "offline");
    for (const l of basemap.layers) l.addTo(map);
    // Land and borders in the new theme's colours when it changes (the sea follows by CSS).
    const stop = onColoursChange(() => basemap.repaint());
    map.once("unload", stop);
  } catch (e) {
    // The map still works over tiles alone; this is not worth interrupting the user for.
    console.warn("offline basemap unavailable", e);
  }
}
