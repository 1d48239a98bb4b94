/**
 * The map's one place for datums: a Leaflet CRS per (provider datum, layer datum).
 *
 * Everything the app puts on a map (markers, routes, stops, alarms, geofence circles, the replay
 * marker, the offline outlines) is in the provider's datum, the datum of the data. When a layer's
 * tiles are drawn in another datum (AutoNavi and Tencent draw GCJ-02), the CRS's projection
 * converts a position to the layer's datum before spherical Mercator, and converts back when a
 * pixel is turned into a position. So every layer is drawn shifted onto the right street with no
 * change to the code that adds it, and every click (`e.latlng`, a geofence's centre and edge, a
 * dragged handle) comes back in the provider's datum, as the data and the provider expect.
 */
import L from "./leaflet";
import type { Datum } from "../bindings";
import { convertDatum } from "../lib/datum";

const cache = new Map<string, L.CRS>();

/** The CRS that draws positions in `provider`'s datum on tiles drawn in `layer`'s. */
export function datumCrs(provider: Datum, layer: Datum): L.CRS {
  if (provider === layer) return L.CRS.EPSG3857;
  const key = `${provider}>${layer}`;
  let crs = cache.get(key);
  if (!crs) {
    const merc = L.Projection.SphericalMercator;
    const projection: L.Projection = {
      bounds: merc.bounds,
      project(ll: L.LatLng): L.Point {
        const c = convertDatum(ll.lat, ll.lng, provider, layer);
        return merc.project(L.latLng(c.lat, c.lng));
      },
      unproject(p: L.Point): L.LatLng {
        const ll = merc.unproject(p);
        const c = convertDatum(ll.lat, ll.lng, layer, provider);
        return L.latLng(c.lat, c.lng);
      },
    };
    // Everything else (scale, distance, wrapping, bounds) is EPSG:3857's: distances are measured
    // between positions, which stay in one datum.
    crs = L.Util.extend({}, L.CRS.EPSG3857, { code: `EPSG:3857/${key}`, projection }) as L.CRS;
    cache.set(key, crs);
  }
  return crs;
}

