/**
 * The playback view and the Rust reports engine (`etrack::report`) must find the same stops and
 * trips. This test builds a realistic day of fixes deterministically, runs the view's
 * `playbackAnalysis` over it, and keeps points and answers in `fixtures/report-parity.json`;
 * the Rust test `src-tauri/crates/etrack/tests/report.rs` reads the same file and asserts the same
 * stops and trips.
 *
 * `UPDATE_PARITY=1 npx vitest run ui/tests/reportParity.test.ts` rewrites the file (after a change
 * of the rules or of the generator, on purpose); otherwise the test compares.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { PlaybackPoint } from "../src/bindings";
import { analyse, DEFAULT_STOP_OPTIONS, type Stop, type Trip } from "../src/lib/playbackAnalysis";
import { routeFromPoints } from "../src/lib/playbackRoute";

const FIXTURE = decodeURIComponent(import.meta.url.replace(/^file:\/\//, "").replace(/\/tests\/[^/]*$/, "/tests/fixtures/report-parity.json"));

/** 2024-05-01 00:00 in Asia/Shanghai (UTC+8). */
const MIDNIGHT = 1_714_492_800;
const M_PER_DEG = 111_195;
const RAD = Math.PI / 180;

/** mulberry32: a small seeded generator, so the day is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixes as the provider sends them: 6 decimals of position, speeds to 0.1 km/h, whole courses. */
function fix(t: number, lat: number, lon: number, kmh: number, course: number): PlaybackPoint {
  return {
    gpstime: Math.round(t),
    latitude: Math.round(lat * 1e6) / 1e6,
    longitude: Math.round(lon * 1e6) / 1e6,
    speed: Math.max(0, Math.round(kmh * 10) / 10),
    course: ((Math.round(course) % 360) + 360) % 360,
  };
}

/** A delivery van's day around Shenzhen: drives, traffic lights, stops with GPS wander, a sleeping tracker. */
function parityDay(): PlaybackPoint[] {
  const rnd = seeded(20240501);
  const pts: PlaybackPoint[] = [];
  let t = MIDNIGHT;
  let lat = 22.5431;
  let lon = 114.0579;
  let heading = 40;
  let kmh = 0;
  const push = (speed: number, wanderM = 0) => {
    const dLat = ((rnd() - 0.5) * 2 * wanderM) / M_PER_DEG;
    const dLon = ((rnd() - 0.5) * 2 * wanderM) / (M_PER_DEG * Math.cos(lat * RAD));
    pts.push(fix(t, lat + dLat, lon + dLon, speed, heading));
  };
  /** Parked for `secs`: a fix every `every` s within `wanderM` of the spot, GPS speed 0 to `noiseKmh`. */
  const park = (secs: number, every: number, wanderM: number, noiseKmh = 1.5) => {
    const end = t + secs;
    while (t + every <= end) {
      t += every;
      push(rnd() * noiseKmh, wanderM);
    }
    t = end;
  };
  /** Drives for `secs`, a fix every 10 s, speed wandering between `lo` and `hi` km/h. */
  const drive = (secs: number, lo: number, hi: number) => {
    const end = t + secs;
    if (kmh < lo) kmh = lo + (hi - lo) * 0.3;
    while (t + 10 <= end) {
      const next = Math.min(hi, Math.max(lo, kmh + (rnd() - 0.5) * 12));
      const metres = (((kmh + next) / 2) / 3.6) * 10;
      heading += (rnd() - 0.5) * 30;
      lat += (metres * Math.cos(heading * RAD)) / M_PER_DEG;
      lon += (metres * Math.sin(heading * RAD)) / (M_PER_DEG * Math.cos(lat * RAD));
      kmh = next;
      t += 10;
      push(kmh);
    }
  };
  /** A halt at a traffic light: `secs` at the same place, fixes every 10 s at 0 km/h. */
  const halt = (secs: number) => {
    kmh = 0;
    const end = t + secs;
    while (t + 10 <= end) {
      t += 10;
      push(0, 2);
    }
  };
  /** A slow drift away from the spot: `secs` of fixes 10 s apart, `metresPerFix` each, at 1 km/h. */
  const drift = (secs: number, metresPerFix: number) => {
    const end = t + secs;
    while (t + 10 <= end) {
      t += 10;
      lat += metresPerFix / M_PER_DEG;
      push(1);
    }
  };

  push(0);
  // Overnight: the tracker wakes every half hour.
  park(7 * 3600 + 10 * 60, 1800, 15, 0);
  // Engine on, warming up (fixes every 10 s at 0 km/h).
  park(240, 10, 5, 0);
  drive(600, 20, 60);
  halt(60);
  drive(400, 25, 70);
  halt(90);
  drive(500, 30, 65);
  // First customer: 10 minutes with GPS wander (speeds up to 2.9 km/h), a fix every 10 s.
  kmh = 0;
  park(600, 10, 25, 2.9);
  drive(900, 20, 60);
  // Second customer: the tracker sleeps for 25 minutes (a silence at the same place).
  kmh = 0;
  t += 20;
  push(0);
  t += 1500;
  push(0, 10);
  park(60, 10, 5, 0);
  drive(600, 25, 60);
  // Crawling in traffic: 3 to 8 km/h.
  drive(180, 3, 8);
  drive(420, 30, 55);
  // Short stop of 150 s: not a stop.
  kmh = 0;
  park(150, 10, 8, 1);
  drive(1800, 60, 110);
  // Lunch: 45 minutes, a fix a minute, wander up to 40 m.
  kmh = 0;
  park(2700, 60, 40, 2);
  // Moving the van 30 m across the car park, then parked again for 5 minutes.
  drive(20, 5, 6);
  kmh = 0;
  park(300, 10, 3, 0);
  drive(2400, 30, 90);
  // Parked, then the van rolls slowly away (GPS says 1 km/h): the stop ends at 60 m.
  kmh = 0;
  park(200, 10, 3, 0.5);
  drift(240, 4);
  drive(600, 20, 50);
  // Speed exactly at the stationary threshold for 4 minutes.
  for (let k = 0; k < 24; k++) {
    t += 10;
    push(3, 3);
  }
  drive(300, 15, 40);
  // Home: fixes every 10 s for 5 minutes, then the tracker sleeps; one fix before midnight.
  kmh = 0;
  park(300, 10, 4, 0.5);
  t = MIDNIGHT + 86_400 - 600;
  push(0, 10);
  return pts;
}

interface Fixture {
  note: string;
  options: typeof DEFAULT_STOP_OPTIONS;
  /** [gpstime, longitude, latitude, speed, course] */
  points: Array<[number, number, number, number, number]>;
  stops: Stop[];
  trips: Trip[];
  totals: { distanceM: number; drivingSecs: number; stoppedSecs: number; maxKmh: number; points: number };
}

function build(): Fixture {
  const points = parityDay();
  const a = analyse(routeFromPoints(points));
  return {
    note: "Generated by ui/tests/reportParity.test.ts (UPDATE_PARITY=1 rewrites it); read by src-tauri/crates/etrack/tests/report.rs. Stops and trips of the playback view over a day of fixes.",
    options: DEFAULT_STOP_OPTIONS,
    points: points.map((p) => [p.gpstime, p.longitude, p.latitude, p.speed, p.course]),
    stops: a.stops,
    trips: a.trips,
    totals: a.totals,
  };
}

describe("report parity fixture", () => {
  const update = import.meta.env.UPDATE_PARITY === "1";

  it("the generated day is a realistic one", () => {
    const points = parityDay();
    for (let k = 1; k < points.length; k++) expect(points[k]!.gpstime).toBeGreaterThan(points[k - 1]!.gpstime);
    const a = analyse(routeFromPoints(points));
    // Overnight, warm-up, two customers, lunch, the car park, the drift, the threshold, home.
    expect(a.stops.length).toBeGreaterThanOrEqual(7);
    expect(a.trips.length).toBeGreaterThanOrEqual(7);
    expect(a.totals.distanceM / 1000).toBeGreaterThan(100);
    expect(a.totals.maxKmh).toBeLessThanOrEqual(110);
    // The 25-minute silence is one stop.
    expect(a.stops.some((s) => s.durationSecs >= 1500 && s.durationSecs < 1700 && s.last - s.first <= 10)).toBe(true);
  });

  it(update ? "writes the fixture" : "matches the fixture", () => {
    const fresh = build();
    if (update) {
      writeFileSync(FIXTURE, `${JSON.stringify(fresh, null, 1)}\n`);
      return;
    }
    expect(existsSync(FIXTURE), `${FIXTURE} is missing: run with UPDATE_PARITY=1`).toBe(true);
    const kept = JSON.parse(readFileSync(FIXTURE, "utf8")) as Fixture;
    expect(kept.options).toEqual(DEFAULT_STOP_OPTIONS);
    // Same day generated, and the playback view's answers unchanged for it.
    expect(fresh.points).toEqual(kept.points);
    expect(fresh.stops).toEqual(kept.stops);
    expect(fresh.trips.map(({ distanceM: _d, avgKmh: _a, ...rest }) => rest)).toEqual(kept.trips.map(({ distanceM: _d, avgKmh: _a, ...rest }) => rest));
    fresh.trips.forEach((tr, k) => expect(Math.abs(tr.distanceM - kept.trips[k]!.distanceM)).toBeLessThan(1e-6));
  });
});
