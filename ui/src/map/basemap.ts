/**
 * The offline basemap: land and country borders from Natural Earth (world-atlas, bundled), drawn on
 * a canvas over a sea-coloured map background. It sits under the chosen basemap's tiles, so when
 * tiles cannot load (no network, a blocked tile server) the map still shows where things are.
 */
import type { FeatureCollection, MultiLineString, Geometry } from "geojson";
import type { GeometryCollection, Topology } from "topojson-specification";
import { feature, mesh } from "topojson-client";
import L from "./leaflet";
import { colour } from "../styles/tokens";
import type { Datum } from "../bindings";
import { wgs84ToGcj02 } from "../lib/datum";

export interface OfflineShapes {
  land: FeatureCollection<Geometry>;
  borders: MultiLineString;
}

/** Land polygons and inner country borders from a world-atlas countries topology. */
export function shapesFromTopology(topology: Topology): OfflineShapes {
  const countries = topology.objects.countries as GeometryCollection;
  const land = feature(topology, countries) as FeatureCollection<Geometry>;
  // Shared arcs only (a !== b): coastlines are already the land's edge.
  const borders = mesh(topology, countries, (a, b) => a !== b);
  return { land, borders };
}

let loading: Promise<OfflineShapes> | null = null;

/**
 * Loads the bundled topology (a separate chunk, so the first paint of the app is not held up by
 * it); once. main.ts starts it at boot so it is ready by the time the fleet view shows.
 */
export function loadOfflineShapes(): Promise<OfflineShapes> {
  loading ??= import("world-atlas/countries-50m.json").then((mod) => shapesFromTopology(mod.default));
  loading.catch(() => {
    loading = null;
  });
  return loading;
}

/** The offline basemap's layers, and how to paint them again in the current theme's colours. */
export interface OfflineBasemap {
  layers: L.Layer[];
  /** Restyles land and borders from tokens.css (the sea is the map's CSS background). */
  repaint(): void;
}

/**
 * The Leaflet layers of the offline basemap, drawn on one canvas (or the renderer given), with
 * positions in `datum` (the map's: the outlines themselves are WGS-84).
 */
export function offlineBasemap(
  shapes: OfflineShapes,
  pane: string,
  renderer: L.Renderer = L.canvas({ padding: 0.5, pane }),
  datum: Datum = "wgs84",
): OfflineBasemap {
  // Read once per paint, not per country: the style functions run for every one of them.
  let land = "";
  let landEdge = "";
  let border = "";
  const read = (): void => {
    land = colour("map-land");
    landEdge = colour("map-land-edge");
    border = colour("map-border");
  };
  read();
  const landStyle = (): L.PathOptions => ({ stroke: true, color: landEdge, weight: 0.6, fill: true, fillColor: land, fillOpacity: 1 });
  const borderStyle = (): L.PathOptions => ({ color: border, weight: 0.9, dashArray: "3 3", fill: false });
  const coordsToLatLng =
    datum === "gcj02"
      ? (c: [number, number] | [number, number, number]): L.LatLng => {
          const p = wgs84ToGcj02(c[1], c[0]);
          return L.latLng(p.lat, p.lng);
        }
      : undefined;
  const landLayer = L.geoJSON(shapes.land, { pane, renderer, interactive: false, style: landStyle, coordsToLatLng } as L.GeoJSONOptions);
  const borders = L.geoJSON(
    { type: "Feature", properties: {}, geometry: shapes.borders } as GeoJSON.Feature,
    { pane, renderer, interactive: false, style: borderStyle, coordsToLatLng } as L.GeoJSONOptions,
  );
  return {
    layers: [landLayer, borders],
    repaint() {
      read();
      landLayer.setStyle(landStyle);
      borders.setStyle(borderStyle);
    },
  };
}

/** A transparent pixel for tiles that fail to load: the offline basemap shows through. */
export const TRANSPARENT_TILE = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7";
