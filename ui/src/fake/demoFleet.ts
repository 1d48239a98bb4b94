/**
 * A made-up fleet for the fake backend (tests, benchmarks, the browser preview): deterministic
 * from a seed, with every status represented and vehicles that drive between refreshes.
 */
import type { Device, Track } from "../bindings";

/** Small, fast, seedable PRNG (mulberry32) so fleets and their moves repeat exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoFleetOptions {
  size: number;
  seed?: number;
  /** Centre of the fleet's area. */
  center?: { lat: number; lng: number };
  /** Now, unix ms. */
  nowMs?: number;
}

export interface DemoFleet {
  devices: Device[];
  tracks: Track[];
}

const KINDS = ["Truck", "Van", "Bus", "Car", "Trailer", "Reefer"] as const;
const MODELS = ["VT05S", "GT06N", "TK303", "ET300", "VL02"] as const;
const DAY = 86_400;

/** A fleet of `size` devices around Shenzhen (the spec's examples are there). */
export function makeDemoFleet(opts: DemoFleetOptions): DemoFleet {
  const rand = seededRandom(opts.seed ?? 7);
  const nowS = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const center = opts.center ?? { lat: 22.63, lng: 114.0 };
  const devices: Device[] = [];
  const tracks: Track[] = [];
  for (let i = 0; i < opts.size; i++) {
    const imei = String(358899051000000 + i * 37);
    const kind = KINDS[i % KINDS.length] ?? "Truck";
    const model = MODELS[Math.floor(rand() * MODELS.length)] ?? "VT05S";
    const roll = rand();
    // Roughly a working day's mix; every status shows up even in small fleets.
    const datastatus =
      i === 3 ? 1 : i === 4 ? 3 : i === 5 ? 5 : i === 6 ? 4 : roll < 0.05 ? 4 : roll < 0.07 ? 3 : roll < 0.09 ? 1 : roll < 0.1 ? 5 : 2;
    const moving = datastatus === 2 && rand() < 0.6;
    const plate = i % 11 === 10 ? "" : `SZ-${String(1000 + ((i * 7919) % 9000)).padStart(4, "0")}`;
    const firstOnline = datastatus === 1 ? 0 : nowS - Math.floor(rand() * 900 + 30) * DAY;
    const expiresSoon = i % 17 === 2;
    const userdue = expiresSoon ? nowS + Math.floor(rand() * 25 + 2) * DAY : nowS + Math.floor(rand() * 700 + 40) * DAY;
    devices.push({
      imei,
      devicename: `${kind} ${String(i + 1).padStart(2, "0")}`,
      devicetype: model,
      platenumber: plate,
      onlinetime: firstOnline,
      platformduetime: datastatus === 3 ? nowS - 12 * DAY : nowS + Math.floor(rand() * 900 + 60) * DAY,
      simcard: `86${String(13800000000 + i * 101)}`,
      activatedtime: firstOnline ? firstOnline - DAY : 0,
      userduetime: datastatus === 3 ? nowS - 3 * DAY : userdue,
    });
    if (datastatus === 1) continue;
    const angle = rand() * Math.PI * 2;
    const dist = Math.sqrt(rand()) * 0.35;
    const stale = datastatus === 4 ? Math.floor(rand() * 3 * DAY + 3600) : datastatus === 2 ? Math.floor(rand() * 40) : Math.floor(rand() * 30 * DAY);
    const accOn = moving || rand() < 0.3;
    tracks.push({
      imei,
      servertime: nowS,
      gpstime: nowS - stale,
      hearttime: nowS - Math.min(stale, 60),
      systemtime: nowS - stale + 2,
      longitude: round6(center.lng + Math.cos(angle) * dist * 1.1),
      latitude: round6(center.lat + Math.sin(angle) * dist * 0.7),
      course: Math.floor(rand() * 360),
      speed: moving ? Math.floor(rand() * 70 + 15) : 0,
      acctime: Math.floor(rand() * 7200),
      accstatus: i % 13 === 0 ? -1 : accOn ? 1 : 0,
      doorstatus: i % 5 === 0 ? -1 : rand() < 0.1 ? 1 : 0,
      chargestatus: rand() < 0.2 ? 1 : 0,
      oilpowerstatus: i % 23 === 0 ? 0 : 1,
      defencestatus: accOn ? 0 : 1,
      datastatus,
      battery: i % 9 === 0 ? -1 : Math.floor(rand() * 80 + 20),
      mileage: Math.floor(rand() * 250_000_000),
    });
  }
  return { devices, tracks };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The fleet `dtSecs` later: moving vehicles advance along their course (and turn a little), a few
 * stop or start. Returns new track objects, leaving the input untouched like a fresh poll would.
 */
export function advanceFleet(tracks: readonly Track[], dtSecs: number, rand: () => number, nowMs: number): Track[] {
  const nowS = Math.floor(nowMs / 1000);
  return tracks.map((t) => {
    if (t.datastatus !== 2) return { ...t, servertime: nowS };
    let speed = t.speed;
    let course = t.course;
    let acc = t.accstatus;
    const r = rand();
    if (speed > 0 && r < 0.04) {
      speed = 0;
    } else if (speed === 0 && r < 0.06) {
      speed = Math.floor(rand() * 50 + 20);
      acc = 1;
    } else if (speed > 0) {
      speed = Math.max(5, Math.min(110, speed + Math.floor(rand() * 21 - 10)));
      course = (course + Math.floor(rand() * 41 - 20) + 360) % 360;
    }
    const metres = (speed / 3.6) * dtSecs;
    const rad = (course * Math.PI) / 180;
    const lat = t.latitude + (metres * Math.cos(rad)) / 111_320;
    const lng = t.longitude + (metres * Math.sin(rad)) / (111_320 * Math.cos((t.latitude * Math.PI) / 180));
    return {
      ...t,
      servertime: nowS,
      gpstime: speed > 0 ? nowS - 2 : t.gpstime,
      hearttime: nowS - 1,
      systemtime: speed > 0 ? nowS - 1 : t.systemtime,
      latitude: round6(lat),
      longitude: round6(lng),
      course,
      speed,
      accstatus: acc,
      mileage: t.mileage >= 0 ? Math.round(t.mileage + metres) : t.mileage,
    };
  });
}
