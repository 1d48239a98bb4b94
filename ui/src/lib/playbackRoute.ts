/**
 * A device's history as the playback view holds it: one typed array per field, so 100,000 points
 * cost a few megabytes and a scan over them is a tight loop, not a walk over objects.
 */
import type { PlaybackPoint } from "../bindings";

export interface Route {
  readonly n: number;
  /** GPS time, unix seconds, ascending. */
  readonly t: Float64Array;
  readonly lon: Float64Array;
  readonly lat: Float64Array;
  /** km/h. */
  readonly speed: Float64Array;
  /** Degrees, 0 = north, clockwise. */
  readonly course: Float64Array;
}

export const EMPTY_ROUTE: Route = routeFromColumns(new Float64Array(0));

function routeFromColumns(all: Float64Array): Route {
  const n = Math.floor(all.length / 5);
  return {
    n,
    t: all.subarray(0, n),
    lon: all.subarray(n, 2 * n),
    lat: all.subarray(2 * n, 3 * n),
    speed: all.subarray(3 * n, 4 * n),
    course: all.subarray(4 * n, 5 * n),
  };
}

/**
 * Reads the backend's binary form (`playback_points`): five little-endian float64 columns, one
 * after the other (gpstime, longitude, latitude, speed, course).
 */
export function decodeRoute(buffer: ArrayBuffer): Route {
  if (buffer.byteLength % 40 !== 0) throw new Error(`playback points: ${buffer.byteLength} bytes is not a whole number of points`);
  // Every platform the app runs on is little-endian, so the bytes are read in place.
  return routeFromColumns(new Float64Array(buffer));
}

/** The binary form of a route (the fake backend and tests produce what the backend sends). */
export function encodeRoute(points: readonly PlaybackPoint[]): ArrayBuffer {
  const n = points.length;
  const all = new Float64Array(5 * n);
  points.forEach((p, i) => {
    all[i] = p.gpstime;
    all[n + i] = p.longitude;
    all[2 * n + i] = p.latitude;
    all[3 * n + i] = p.speed;
    all[4 * n + i] = p.course;
  });
  return all.buffer;
}

export function routeFromPoints(points: readonly PlaybackPoint[]): Route {
  return decodeRoute(encodeRoute(points));
}

export function pointAt(route: Route, i: number): PlaybackPoint {
  return {
    gpstime: route.t[i]!,
    longitude: route.lon[i]!,
    latitude: route.lat[i]!,
    speed: route.speed[i]!,
    course: route.course[i]!,
  };
}

/** The last index whose time is at or before `t` (0 before the start; -1 for an empty route). */
export function indexAtTime(route: Route, t: number): number {
  const { n } = route;
  if (n === 0) return -1;
  if (t <= route.t[0]!) return 0;
  if (t >= route.t[n - 1]!) return n - 1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (route.t[mid]! <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
