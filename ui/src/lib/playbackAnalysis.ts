/**
 * What a fleet manager reads off a route: where the vehicle stopped and for how long, the trips
 * between the stops, and the totals. Pure functions over a {@link Route}.
 */
import { indexAtTime, type Route } from "./playbackRoute";
import type { ColourToken } from "../styles/tokens";

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres. */
export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Distance in metres between two nearby fixes (a few kilometres at most), on the local flat
 * approximation: within 0.01 % of the great circle at these distances, and several times cheaper
 * than {@link haversineM} over 100,000 fixes.
 */
export function nearM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const x = (lon2 - lon1) * RAD * Math.cos((lat1 + lat2) * 0.5 * RAD);
  const y = (lat2 - lat1) * RAD;
  const d = EARTH_RADIUS_M * Math.sqrt(x * x + y * y);
  // Long jumps (a data gap across a city) get the exact formula.
  return d < 20_000 ? d : haversineM(lat1, lon1, lat2, lon2);
}

export interface StopOptions {
  /** Shortest stop, seconds (default 3 minutes). */
  minStopSecs: number;
  /** At or below this speed (km/h) a fix counts as stationary (GPS speed is rarely exactly 0). */
  stationaryKmh: number;
  /** A stop stays within this distance (m) of where it began (GPS wander while parked). */
  radiusM: number;
  /** No fix for this long, at the same place, is a stop too (trackers sleep while parked). */
  gapSecs: number;
}

export const DEFAULT_STOP_OPTIONS: StopOptions = { minStopSecs: 180, stationaryKmh: 3, radiusM: 60, gapSecs: 120 };

export interface Stop {
  /** Index of the first and last fix of the stop. */
  first: number;
  last: number;
  /** Unix seconds. */
  start: number;
  end: number;
  durationSecs: number;
  lat: number;
  lon: number;
}

export interface Trip {
  first: number;
  last: number;
  start: number;
  end: number;
  durationSecs: number;
  distanceM: number;
  maxKmh: number;
  /** Distance over duration. */
  avgKmh: number;
}

export interface Totals {
  distanceM: number;
  drivingSecs: number;
  stoppedSecs: number;
  maxKmh: number;
  points: number;
}

export interface Analysis {
  stops: Stop[];
  trips: Trip[];
  totals: Totals;
  /** Distance from the first fix to each fix, metres (Float64Array of route.n). */
  along: Float64Array;
}

/** Distance from the first fix to each fix, metres. */
export function cumulativeDistance(route: Route): Float64Array {
  const along = new Float64Array(route.n);
  for (let i = 1; i < route.n; i++) {
    along[i] = along[i - 1]! + nearM(route.lat[i - 1]!, route.lon[i - 1]!, route.lat[i]!, route.lon[i]!);
  }
  return along;
}

/**
 * Stops: maximal runs of fixes that stay within `radiusM` of the run's first fix, where each step
 * is stationary (both fixes at or below `stationaryKmh`) or a long silence (`gapSecs`) at the same
 * place, lasting at least `minStopSecs`.
 */
export function detectStops(route: Route, options: Partial<StopOptions> = {}): Stop[] {
  const o = { ...DEFAULT_STOP_OPTIONS, ...options };
  const { n, t, lat, lon, speed } = route;
  const stops: Stop[] = [];
  let i = 0;
  while (i < n - 1) {
    let j = i;
    while (j + 1 < n) {
      const near = nearM(lat[i]!, lon[i]!, lat[j + 1]!, lon[j + 1]!) <= o.radiusM;
      const still = speed[j]! <= o.stationaryKmh && speed[j + 1]! <= o.stationaryKmh;
      const silent = t[j + 1]! - t[j]! >= o.gapSecs;
      if (!near || !(still || silent)) break;
      j++;
    }
    if (j > i && t[j]! - t[i]! >= o.minStopSecs) {
      stops.push({ first: i, last: j, start: t[i]!, end: t[j]!, durationSecs: t[j]! - t[i]!, lat: lat[i]!, lon: lon[i]! });
      i = j;
    } else {
      i = j > i ? j : i + 1;
    }
  }
  return stops;
}

/** Trips: the driving between the route's ends and its stops (a few metres of shuffle are not a trip). */
export function tripsBetween(route: Route, stops: readonly Stop[], along: Float64Array, minTripM = 50): Trip[] {
  if (route.n < 2) return [];
  const trips: Trip[] = [];
  const bounds: Array<[number, number]> = [];
  let from = 0;
  for (const s of stops) {
    if (s.first > from) bounds.push([from, s.first]);
    from = s.last;
  }
  if (from < route.n - 1) bounds.push([from, route.n - 1]);
  for (const [a, b] of bounds) {
    const distanceM = along[b]! - along[a]!;
    if (distanceM < minTripM) continue;
    let maxKmh = 0;
    for (let k = a; k <= b; k++) maxKmh = Math.max(maxKmh, route.speed[k]!);
    const durationSecs = route.t[b]! - route.t[a]!;
    trips.push({
      first: a,
      last: b,
      start: route.t[a]!,
      end: route.t[b]!,
      durationSecs,
      distanceM,
      maxKmh,
      avgKmh: durationSecs > 0 ? distanceM / 1000 / (durationSecs / 3600) : 0,
    });
  }
  return trips;
}

/** Stops, trips and totals of a route. Distance counts the trips only: GPS wander at a stop is not driving. */
export function analyse(route: Route, options: Partial<StopOptions> = {}): Analysis {
  const along = cumulativeDistance(route);
  const stops = detectStops(route, options);
  const trips = tripsBetween(route, stops, along);
  let maxKmh = 0;
  for (let i = 0; i < route.n; i++) maxKmh = Math.max(maxKmh, route.speed[i]!);
  const totals: Totals = {
    distanceM: trips.reduce((s, tr) => s + tr.distanceM, 0),
    drivingSecs: trips.reduce((s, tr) => s + tr.durationSecs, 0),
    stoppedSecs: stops.reduce((s, st) => s + st.durationSecs, 0),
    maxKmh,
    points: route.n,
  };
  return { stops, trips, totals, along };
}

/** The stop under time `t`, if the vehicle was stopped then. */
export function stopAt(stops: readonly Stop[], t: number): Stop | undefined {
  let lo = 0;
  let hi = stops.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = stops[mid]!;
    if (t < s.start) hi = mid - 1;
    else if (t > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Speed classes of the route's colours, km/h lower bounds, slowest first; colours in tokens.css. */
export const SPEED_CLASSES: ReadonlyArray<{ fromKmh: number; token: ColourToken }> = [
  { fromKmh: 0, token: "speed-0" },
  { fromKmh: 5, token: "speed-1" },
  { fromKmh: 30, token: "speed-2" },
  { fromKmh: 50, token: "speed-3" },
  { fromKmh: 70, token: "speed-4" },
  { fromKmh: 90, token: "speed-5" },
  { fromKmh: 110, token: "speed-6" },
];

/** The class of a speed, 0 (crawling) to SPEED_CLASSES.length - 1. */
export function speedClass(kmh: number): number {
  let c = 0;
  for (let k = 1; k < SPEED_CLASSES.length; k++) if (kmh >= SPEED_CLASSES[k]!.fromKmh) c = k;
  return c;
}

/** Where the replay is: the fix at or before `t`, and the position between it and the next fix. */
export interface ReplayPosition {
  index: number;
  lat: number;
  lon: number;
  speed: number;
  course: number;
  t: number;
}

/**
 * Longest silence across which the position is interpolated; beyond it the vehicle is shown where
 * it was last seen (a gap in the data is not a straight drive).
 */
export const MAX_INTERPOLATE_SECS = 300;

/** The position at time `t`: moves smoothly between fixes, holds still through a gap. */
export function positionAt(route: Route, t: number): ReplayPosition | null {
  const i = indexAtTime(route, t);
  if (i < 0) return null;
  const { lat, lon, speed, course } = route;
  const t0 = route.t[i]!;
  if (i + 1 < route.n) {
    const t1 = route.t[i + 1]!;
    const dt = t1 - t0;
    if (t > t0 && dt > 0 && dt <= MAX_INTERPOLATE_SECS) {
      const f = Math.min(1, (t - t0) / dt);
      return {
        index: i,
        lat: lat[i]! + (lat[i + 1]! - lat[i]!) * f,
        lon: lon[i]! + (lon[i + 1]! - lon[i]!) * f,
        speed: speed[i]! + (speed[i + 1]! - speed[i]!) * f,
        course: course[i]!,
        t,
      };
    }
  }
  return { index: i, lat: lat[i]!, lon: lon[i]!, speed: speed[i]!, course: course[i]!, t: Math.max(t, t0) };
}
