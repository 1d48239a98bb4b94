import { describe, expect, it } from "vitest";
import type { PlaybackPoint } from "../src/bindings";
import { analyse, cumulativeDistance, detectStops, haversineM, nearM, MAX_INTERPOLATE_SECS, positionAt, speedClass, stopAt, SPEED_CLASSES } from "../src/lib/playbackAnalysis";
import { decodeRoute, encodeRoute, indexAtTime, routeFromPoints } from "../src/lib/playbackRoute";

const T0 = 1_714_550_400;
/** One degree of latitude in metres on the mean Earth. */
const M_PER_DEG = 111_195;

/** Builds a route from segments: drive north at `kmh` for `secs`, or stand still, every `step` s. */
function build(plan: Array<{ kmh: number; secs: number }>, step = 10): PlaybackPoint[] {
  const pts: PlaybackPoint[] = [];
  let t = T0;
  let lat = 22.5;
  pts.push({ gpstime: t, latitude: lat, longitude: 113.9, speed: plan[0]!.kmh, course: 0 });
  for (const seg of plan) {
    for (let s = step; s <= seg.secs; s += step) {
      t += step;
      lat += (seg.kmh / 3.6) * step / M_PER_DEG;
      pts.push({ gpstime: t, latitude: lat, longitude: 113.9, speed: seg.kmh, course: 0 });
    }
  }
  return pts;
}

describe("distance", () => {
  it("measures great-circle distance in metres", () => {
    expect(haversineM(22.5, 113.9, 23.5, 113.9)).toBeCloseTo(M_PER_DEG, -1);
    // Shenzhen to Hong Kong airport, about 33 km.
    expect(haversineM(22.5431, 114.0579, 22.308, 113.9185) / 1000).toBeCloseTo(29.7, 0);
    expect(haversineM(1, 2, 1, 2)).toBe(0);
  });

  it("the flat approximation for nearby fixes agrees with the great circle", () => {
    for (const [dLat, dLon] of [[0.0001, 0], [0.001, 0.002], [0.01, -0.02], [0.05, 0.05]] as const) {
      const exact = haversineM(22.5, 113.9, 22.5 + dLat, 113.9 + dLon);
      expect(Math.abs(nearM(22.5, 113.9, 22.5 + dLat, 113.9 + dLon) - exact) / exact).toBeLessThan(1e-4);
    }
    // A jump across a data gap is measured exactly.
    expect(nearM(22.5, 113.9, 23.5, 114.9)).toBe(haversineM(22.5, 113.9, 23.5, 114.9));
  });

  it("accumulates along the route", () => {
    const route = routeFromPoints(build([{ kmh: 36, secs: 100 }]));
    const along = cumulativeDistance(route);
    expect(along[0]).toBe(0);
    // 36 km/h for 100 s = 1000 m.
    expect(along[route.n - 1]).toBeCloseTo(1000, 0);
  });
});

describe("stops and trips", () => {
  it("finds a stop of three minutes or more and the trips around it", () => {
    const route = routeFromPoints(build([{ kmh: 60, secs: 600 }, { kmh: 0, secs: 300 }, { kmh: 40, secs: 300 }]));
    const a = analyse(route);
    expect(a.stops).toHaveLength(1);
    const stop = a.stops[0]!;
    // From the first fix at rest to the last one.
    expect(stop.start).toBe(T0 + 610);
    expect(stop.end).toBe(T0 + 900);
    expect(stop.durationSecs).toBe(290);
    expect(a.trips).toHaveLength(2);
    expect(a.trips[0]!.distanceM).toBeCloseTo(10_000, -1);
    expect(a.trips[0]!.durationSecs).toBe(610);
    expect(a.trips[0]!.avgKmh).toBeCloseTo(10 / (610 / 3600), 2);
    expect(a.trips[0]!.maxKmh).toBe(60);
    expect(a.trips[1]!.distanceM).toBeCloseTo(3_333, -1);
    expect(a.totals.distanceM).toBeCloseTo(13_333, -1);
    expect(a.totals.drivingSecs).toBe(610 + 300);
    expect(a.totals.stoppedSecs).toBe(290);
    expect(a.totals.maxKmh).toBe(60);
    expect(a.totals.points).toBe(route.n);
    expect(stopAt(a.stops, T0 + 700)).toBe(stop);
    expect(stopAt(a.stops, T0 + 100)).toBeUndefined();
  });

  it("ignores short halts (a red light) unless the minimum is lowered", () => {
    const route = routeFromPoints(build([{ kmh: 50, secs: 300 }, { kmh: 0, secs: 90 }, { kmh: 50, secs: 300 }]));
    expect(detectStops(route)).toHaveLength(0);
    expect(analyse(route).trips).toHaveLength(1);
    expect(detectStops(route, { minStopSecs: 60 })).toHaveLength(1);
  });

  it("counts a long silence at the same place as a stop (trackers sleep while parked)", () => {
    const pts = build([{ kmh: 50, secs: 300 }]);
    const last = pts[pts.length - 1]!;
    // Arrives at 5 km/h, nothing for 40 minutes, then drives off from the same spot.
    pts[pts.length - 1] = { ...last, speed: 5 };
    pts.push({ ...last, gpstime: last.gpstime + 2400, speed: 20 });
    const route = routeFromPoints(pts);
    const stops = detectStops(route);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.durationSecs).toBe(2400);
  });

  it("does not call slow driving a stop, nor GPS wander while parked a trip", () => {
    // Crawling at 2 km/h for 10 min moves 333 m: stationary by speed, but not in one place.
    const crawl = routeFromPoints(build([{ kmh: 2, secs: 600 }]));
    expect(detectStops(crawl)).toHaveLength(0);
    // Parked with a few metres of wander: one stop, no trip, no distance.
    const pts: PlaybackPoint[] = [];
    for (let i = 0; i <= 60; i++) pts.push({ gpstime: T0 + i * 10, latitude: 22.5 + (i % 3) * 0.00003, longitude: 113.9, speed: 0, course: 0 });
    const a = analyse(routeFromPoints(pts));
    expect(a.stops).toHaveLength(1);
    expect(a.trips).toHaveLength(0);
    expect(a.totals.distanceM).toBe(0);
  });

  it("handles empty and one-point routes", () => {
    expect(analyse(routeFromPoints([])).totals).toEqual({ distanceM: 0, drivingSecs: 0, stoppedSecs: 0, maxKmh: 0, points: 0 });
    const one = analyse(routeFromPoints(build([{ kmh: 10, secs: 0 }])));
    expect(one.stops).toEqual([]);
    expect(one.trips).toEqual([]);
  });
});

describe("replay position", () => {
  const route = routeFromPoints([
    { gpstime: T0, latitude: 22.5, longitude: 113.9, speed: 20, course: 0 },
    { gpstime: T0 + 10, latitude: 22.6, longitude: 113.9, speed: 40, course: 90 },
    { gpstime: T0 + 10 + MAX_INTERPOLATE_SECS + 600, latitude: 23, longitude: 114, speed: 0, course: 180 },
  ]);

  it("moves smoothly between fixes by time", () => {
    const p = positionAt(route, T0 + 5)!;
    expect(p.index).toBe(0);
    expect(p.lat).toBeCloseTo(22.55, 6);
    expect(p.speed).toBeCloseTo(30, 6);
  });

  it("holds still through a gap in the data and clamps to the ends", () => {
    const p = positionAt(route, T0 + 400)!;
    expect(p.index).toBe(1);
    expect(p.lat).toBe(22.6);
    expect(positionAt(route, T0 - 50)!.lat).toBe(22.5);
    expect(positionAt(route, T0 + 99_999)!.lat).toBe(23);
    expect(positionAt(routeFromPoints([]), T0)).toBeNull();
  });
});

describe("route data", () => {
  it("round-trips the backend's binary columns and finds indices by time", () => {
    const pts = build([{ kmh: 30, secs: 50 }]);
    const route = decodeRoute(encodeRoute(pts));
    expect(route.n).toBe(pts.length);
    expect(route.t[3]).toBe(pts[3]!.gpstime);
    expect(route.lat[3]).toBe(pts[3]!.latitude);
    expect(route.lon[3]).toBe(113.9);
    expect(route.speed[3]).toBe(30);
    expect(indexAtTime(route, T0 + 25)).toBe(2);
    expect(indexAtTime(route, T0 + 30)).toBe(3);
    expect(indexAtTime(route, 0)).toBe(0);
    expect(() => decodeRoute(new ArrayBuffer(12))).toThrow(/whole number/);
  });

  it("puts speeds in classes from slowest to fastest", () => {
    expect(speedClass(0)).toBe(0);
    expect(speedClass(29.9)).toBe(1);
    expect(speedClass(30)).toBe(2);
    expect(speedClass(500)).toBe(SPEED_CLASSES.length - 1);
  });
});
