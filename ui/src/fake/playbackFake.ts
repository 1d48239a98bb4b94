/**
 * Playback for the fake backend (view tests, the draw benchmark, the browser preview): a made-up,
 * deterministic history per device, with trips and stops, served the way the real backend serves
 * it (progress events, cancel, binary points, partial history after a failure).
 */
import type { Alarm, ExportDone, ExportFormat, IpcError, PlaybackLoaded, PlaybackPoint, PlaybackProgress } from "../bindings";
import { BackendError } from "../backend";
import { encodeRoute } from "../lib/playbackRoute";
import { seededRandom } from "./demoFleet";

export interface FakeHistoryOptions {
  begin: number;
  end: number;
  intervalSecs?: number;
  seed?: number;
  center?: { lat: number; lng: number };
}

/**
 * A vehicle's history: drives along a street grid at changing speeds, stops for a few minutes
 * every so often and parks for long spells, reporting every `intervalSecs` while it is on.
 */
export function makeFakeHistory(o: FakeHistoryOptions): PlaybackPoint[] {
  const rand = seededRandom(o.seed ?? 3);
  const step = o.intervalSecs ?? 10;
  const centre = o.center ?? { lat: 22.63, lng: 114.0 };
  const points: PlaybackPoint[] = [];
  let lat = centre.lat;
  let lon = centre.lng;
  let course = 90;
  let speed = 0;
  let target = 40;
  let leg = 0; // seconds left on this street
  let stopLeft = 0; // seconds left stopped
  for (let t = Math.ceil(o.begin / step) * step; t < o.end; t += step) {
    if (stopLeft > 0) {
      stopLeft -= step;
      speed = 0;
    } else {
      if (leg <= 0) {
        course = [0, 90, 180, 270][Math.floor(rand() * 4)]!;
        leg = 60 + Math.floor(rand() * 600);
        target = 20 + rand() * 90;
        if (rand() < 0.12) stopLeft = 180 + Math.floor(rand() * (rand() < 0.2 ? 7200 : 900));
      }
      leg -= step;
      speed += Math.max(-15, Math.min(10, target - speed)) + (rand() - 0.5) * 4;
      speed = Math.max(0, speed);
      const metres = (speed / 3.6) * step;
      lat += (Math.cos((course * Math.PI) / 180) * metres) / 111_320;
      lon += (Math.sin((course * Math.PI) / 180) * metres) / (111_320 * Math.cos((lat * Math.PI) / 180));
      // Stay around the centre: turn back once too far.
      if (Math.abs(lat - centre.lat) > 0.15 || Math.abs(lon - centre.lng) > 0.2) {
        course = (course + 180) % 360;
        leg = 300;
      }
    }
    points.push({ gpstime: t, longitude: +lon.toFixed(6), latitude: +lat.toFixed(6), speed: Math.round(speed), course });
  }
  return points;
}

function ipc(kind: IpcError["kind"], message: string, apiCode: number | null = null): BackendError {
  return new BackendError({ kind, message, apiCode });
}

type Key = string;
const keyOf = (imei: string, begin: number, end: number): Key => `${imei}|${begin}|${end}`;

export interface FakeExport {
  path: string;
  points: number;
  format: ExportFormat;
  imei: string;
  name: string;
  text?: string;
}

/** The playback half of the fake backend. */
export class FakePlayback {
  /** Overrides the generated history (tests). */
  history: ((imei: string, begin: number, end: number) => PlaybackPoint[]) | null = null;
  /** Alarms of the period (tests). */
  alarms: Alarm[] = [];
  /** Makes the next load fail after this share of the period, keeping what came before. */
  failAfter: { share: number; error: IpcError } | null = null;
  /** Progress events per load. */
  progressSteps = 5;
  /** Milliseconds between progress events (0: all at once). */
  stepMs = 0;
  /** Answer of the save dialog: null = dismissed. */
  savePath: string | null = "/home/user/route";
  readonly exports: FakeExport[] = [];
  readonly loads: Array<{ imei: string; begin: number; end: number; fromCache: boolean }> = [];
  private readonly cache = new Map<Key, { points: PlaybackPoint[]; complete: boolean }>();
  private readonly cancelled = new Set<number>();
  private readonly handlers = new Set<(p: PlaybackProgress) => void>();

  onProgress(handler: (p: PlaybackProgress) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  clear(): void {
    this.cache.clear();
  }

  private emit(p: PlaybackProgress): void {
    for (const h of this.handlers) h(p);
  }

  async load(requestId: number, imei: string, begin: number, end: number): Promise<PlaybackLoaded> {
    if (end <= begin) throw ipc("validation", "The period must end after it begins.");
    if (end - begin > 31 * 86_400) throw ipc("validation", "The period is longer than 31 days: choose a shorter one.");
    const key = keyOf(imei, begin, end);
    const total = end - begin;
    const started = performance.now();
    const cached = this.cache.get(key);
    const base = { imei, begin, end, alarms: this.alarms, alarmNames: alarmNames(this.alarms), alarmsError: null };
    if (cached?.complete) {
      this.loads.push({ imei, begin, end, fromCache: true });
      this.emit({ requestId, pages: 0, records: cached.points.length, coveredSecs: total, totalSecs: total });
      return { ...base, count: cached.points.length, complete: true, error: null, coveredSecs: total, fromCache: true, pages: 0, elapsedMs: 0 };
    }
    this.loads.push({ imei, begin, end, fromCache: false });
    const all = this.history ? this.history(imei, begin, end) : makeFakeHistory({ begin, end, seed: Number(imei.slice(-4)) || 3 });
    const fail = this.failAfter;
    this.failAfter = null;
    let kept = all;
    let error: IpcError | null = null;
    let covered = total;
    for (let s = 1; s <= this.progressSteps; s++) {
      if (this.stepMs > 0) await new Promise((r) => setTimeout(r, this.stepMs));
      else await Promise.resolve();
      const share = s / this.progressSteps;
      const upTo = begin + total * share;
      const wasCancelled = this.cancelled.delete(requestId);
      const failing = !wasCancelled && fail !== null && share > fail.share;
      if (wasCancelled || failing) {
        covered = Math.round(total * ((s - 1) / this.progressSteps));
        kept = all.filter((p) => p.gpstime < begin + covered);
        const why: IpcError = failing && fail ? fail.error : { kind: "cancelled", message: "Cancelled.", apiCode: null };
        if (kept.length === 0) throw new BackendError(why);
        error = { ...why, message: `${why.message.replace(/\.$/, "")}. Showing the ${kept.length} points fetched before that.` };
        break;
      }
      this.emit({ requestId, pages: s, records: all.filter((p) => p.gpstime <= upTo).length, coveredSecs: Math.round(total * share), totalSecs: total });
    }
    this.cache.set(key, { points: kept, complete: error === null });
    return {
      ...base,
      count: kept.length,
      complete: error === null,
      error,
      coveredSecs: covered,
      fromCache: false,
      pages: this.progressSteps,
      elapsedMs: performance.now() - started,
    };
  }

  cancel(requestId: number): boolean {
    this.cancelled.add(requestId);
    return true;
  }

  points(imei: string, begin: number, end: number): ArrayBuffer {
    const h = this.cache.get(keyOf(imei, begin, end));
    if (!h) throw ipc("validation", "This playback is not loaded.");
    return encodeRoute(h.points);
  }

  export(imei: string, begin: number, end: number, format: ExportFormat, name: string): ExportDone | null {
    const h = this.cache.get(keyOf(imei, begin, end));
    if (!h) throw ipc("validation", "Load the playback before exporting it.");
    if (this.savePath === null) return null;
    const done: FakeExport = { path: `${this.savePath}.${format}`, points: h.points.length, format, imei, name };
    this.exports.push(done);
    return { path: done.path, points: done.points, format };
  }
}

const ALARM_WORDS: Record<number, [string, string]> = {
  1: ["sosAlarm", "SOS"],
  7: ["speedingAlarm", "Speeding"],
  9: ["engineOn", "Engine on"],
  10: ["engineOff", "Engine off"],
  26: ["dooropenAlarm", "Door opened"],
  27: ["doorcloseAlarm", "Door closed"],
};

/** Names as the backend sends them with the alarms (only for the fake's own alarms). */
function alarmNames(alarms: readonly Alarm[]): PlaybackLoaded["alarmNames"] {
  const codes = [...new Set(alarms.map((a) => a.type))].sort((a, b) => a - b);
  return codes.map((code) => {
    const [name, words] = ALARM_WORDS[code] ?? ["unknownAlarm", "Unknown alarm"];
    return { code, name, words };
  });
}
