/**
 * WGS-84 ↔ GCJ-02: the offset datum Chinese maps (AutoNavi/Gaode, Tencent) are drawn in.
 *
 * GCJ-02 is WGS-84 plus a smooth, position-dependent offset of a few hundred metres, defined by a
 * published formula (the one implemented by eviltransform, coordtransform and every map SDK) over
 * the Krasovsky 1940 ellipsoid. It has no closed-form inverse: `gcj02ToWgs84` iterates the forward
 * formula (the offset changes by less than 1e-5 of itself per metre, so a fixed-point iteration
 * converges to well under a millimetre in a few steps).
 *
 * Where the offset applies: the common rectangle 73.66–135.05° E, 3.86–53.55° N ("mainland China"
 * in the usual implementations). A finer outline of the mainland would be more faithful to the
 * law, but what matters here is agreeing with the tiles: AutoNavi and Tencent draw the region this
 * rectangle covers in GCJ-02, including Hong Kong, Macau and Taiwan, so points there are shifted
 * like the mainland's. Outside the rectangle both functions return their input unchanged (those
 * providers' tiles are WGS-84 there), and so do the inverse's results for points within the few
 * hundred metres of the rectangle's edge where the two disagree on which side they are.
 */

export type Datum = "wgs84" | "gcj02";

export interface LatLng {
  lat: number;
  lng: number;
}

/** Krasovsky 1940: semi-major axis (m) and first eccentricity squared. */
const A = 6378245.0;
const EE = 0.00669342162296594323;

/** Whether a point is outside the rectangle where GCJ-02 differs from WGS-84 (see above). */
export function outOfChina(lat: number, lng: number): boolean {
  return lng < 73.66 || lng > 135.05 || lat < 3.86 || lat > 53.55;
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function transformLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** GCJ-02 minus WGS-84 at a WGS-84 point, degrees (inside the rectangle). */
function offset(lat: number, lng: number): LatLng {
  const x = lng - 105;
  const y = lat - 35;
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - EE * s * s;
  const sqrtMagic = Math.sqrt(magic);
  return {
    lat: (transformLat(x, y) * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI),
    lng: (transformLng(x, y) * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI),
  };
}

/** A WGS-84 position in GCJ-02 (unchanged outside the rectangle). */
export function wgs84ToGcj02(lat: number, lng: number): LatLng {
  if (outOfChina(lat, lng)) return { lat, lng };
  const d = offset(lat, lng);
  return { lat: lat + d.lat, lng: lng + d.lng };
}

/** Iterations of the inverse: each one shrinks the error by a factor of about 1e5. */
const MAX_STEPS = 10;
/** Stop once a step moves less than this, degrees (about 0.1 mm). */
const CONVERGED_DEG = 1e-9;

/**
 * A GCJ-02 position in WGS-84: the point whose GCJ-02 image is (lat, lng), found by fixed-point
 * iteration of the forward formula (accurate to far below a centimetre).
 */
export function gcj02ToWgs84(lat: number, lng: number): LatLng {
  if (outOfChina(lat, lng)) return { lat, lng };
  let wLat = lat;
  let wLng = lng;
  for (let i = 0; i < MAX_STEPS; i++) {
    const g = wgs84ToGcj02(wLat, wLng);
    const dLat = g.lat - lat;
    const dLng = g.lng - lng;
    wLat -= dLat;
    wLng -= dLng;
    if (Math.abs(dLat) < CONVERGED_DEG && Math.abs(dLng) < CONVERGED_DEG) break;
  }
  return { lat: wLat, lng: wLng };
}

/** A position in datum `from` expressed in datum `to`. */
export function convertDatum(lat: number, lng: number, from: Datum, to: Datum): LatLng {
  if (from === to) return { lat, lng };
  return from === "wgs84" ? wgs84ToGcj02(lat, lng) : gcj02ToWgs84(lat, lng);
}
