/**
 * Reports for the fake backend (view tests, the browser preview): rows computed from the same
 * made-up histories playback serves (fake/playbackFake.ts), by the playback view's own stop and
 * trip rules, with progress per vehicle, cancel, a failure part-way and exports.
 */
import type { Device, ExportedFile, IpcError, PlaybackPoint } from "../bindings";
import { BackendError } from "../backend";
import { analyse, haversineM } from "../lib/playbackAnalysis";
import { routeFromPoints } from "../lib/playbackRoute";
import { startOfDay } from "../lib/playbackTime";
import type { ReportExportFormat, ReportProgress, ReportRequest, ReportResult, ReportRow } from "../lib/reportTable";

export interface FakeReportsDeps {
  devices: () => Device[];
  history: (imei: string, begin: number, end: number) => PlaybackPoint[];
}

export interface FakeReportExport {
  requestId: number;
  format: ReportExportFormat;
  headers: string[];
  rows: number;
  path: string;
}

/** Geofences the fake's vehicles drive through (around the fake histories' centre). */
const FENCES = [
  { name: "Depot", lat: 22.63, lon: 114.0, radiusM: 1500 },
  { name: "Harbour", lat: 22.68, lon: 114.05, radiusM: 2500 },
  { name: "Airport", lat: 22.58, lon: 113.93, radiusM: 3000 },
];

export class FakeReports {
  /** Milliseconds per vehicle (0: as fast as possible). */
  stepMs = 0;
  /** Makes the next run fail after this many vehicles, keeping their rows. */
  failAfter: { vehicles: number; error: IpcError } | null = null;
  /** Makes the next run reject outright. */
  failWith: IpcError | null = null;
  /** Answer of the save dialog: null = dismissed. */
  savePath: string | null = "/home/user/Downloads/etrack-report";
  readonly exports: FakeReportExport[] = [];
  readonly runs: ReportRequest[] = [];
  private readonly results = new Map<number, ReportResult>();
  private readonly cancelled = new Set<number>();
  private readonly handlers = new Set<(p: ReportProgress) => void>();

  constructor(private readonly deps: FakeReportsDeps) {}

  onProgress(handler: (p: ReportProgress) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  cancel(requestId: number): void {
    this.cancelled.add(requestId);
  }

  async run(req: ReportRequest): Promise<ReportResult> {
    this.runs.push(req);
    if (req.end <= req.begin) throw new BackendError({ kind: "validation", message: "The period must end after it begins.", apiCode: null });
    if (req.imeis.length === 0) throw new BackendError({ kind: "validation", message: "Choose at least one vehicle.", apiCode: null });
    const failWith = this.failWith;
    this.failWith = null;
    if (failWith) throw new BackendError(failWith);
    const fail = this.failAfter;
    this.failAfter = null;
    const names = new Map(this.deps.devices().map((d) => [d.imei, d.devicename || d.imei]));
    const rows: ReportRow[] = [];
    let requests = 0;
    let error: IpcError | null = null;
    const total = req.imeis.length;
    this.emit({ requestId: req.requestId, vehiclesDone: 0, vehiclesTotal: total, requests: 0 });
    for (const [i, imei] of req.imeis.entries()) {
      if (this.stepMs > 0) await new Promise((r) => setTimeout(r, this.stepMs));
      else await Promise.resolve();
      if (this.cancelled.delete(req.requestId)) {
        error = { kind: "cancelled", message: "Cancelled.", apiCode: null };
        break;
      }
      if (fail && i >= fail.vehicles) {
        error = fail.error;
        break;
      }
      const points = this.deps.history(imei, req.begin, req.end);
      requests += Math.max(1, Math.ceil(points.length / 1000));
      rows.push(...rowsOf(req, imei, names.get(imei) ?? imei, points));
      this.emit({ requestId: req.requestId, vehiclesDone: i + 1, vehiclesTotal: total, requests });
    }
    const result: ReportResult = { requestId: req.requestId, kind: req.kind, rows, complete: error === null, error, requests };
    this.results.set(req.requestId, result);
    return result;
  }

  export(requestId: number, format: ReportExportFormat, headers: string[]): ExportedFile | null {
    const r = this.results.get(requestId);
    if (!r) throw new BackendError({ kind: "validation", message: "Run the report before exporting it.", apiCode: null });
    if (this.savePath === null) return null;
    const done: FakeReportExport = { requestId, format, headers, rows: r.rows.length, path: `${this.savePath}.${format}` };
    this.exports.push(done);
    return { path: done.path, count: done.rows };
  }

  private emit(p: ReportProgress): void {
    for (const h of this.handlers) h(p);
  }
}

/** One vehicle's rows of a report. */
function rowsOf(req: ReportRequest, imei: string, vehicle: string, points: PlaybackPoint[]): ReportRow[] {
  const route = routeFromPoints(points);
  const a = analyse(route, { minStopSecs: req.minStopSecs });
  const base = { imei, vehicle };
  switch (req.kind) {
    case "trips":
      return a.trips.map((tr) => ({
        ...base,
        start: tr.start,
        end: tr.end,
        lat: route.lat[tr.first]!,
        lon: route.lon[tr.first]!,
        values: { kind: "trip", distanceM: tr.distanceM, durationSecs: tr.durationSecs, avgKmh: tr.avgKmh, maxKmh: tr.maxKmh, endLat: route.lat[tr.last]!, endLon: route.lon[tr.last]! },
      }));
    case "stops":
      return a.stops.map((s) => ({ ...base, start: s.start, end: s.end, lat: s.lat, lon: s.lon, values: { kind: "stop", durationSecs: s.durationSecs } }));
    case "idling":
      return idles(points, req).map((s) => ({ ...base, start: s.start, end: s.end, lat: s.lat, lon: s.lon, values: { kind: "idle", durationSecs: s.durationSecs } }));
    case "speeding":
      return speeding(points, req.speedLimitKmh, req.minSpeedingSecs).map((s) => ({ ...base, ...s, values: { kind: "speeding", durationSecs: s.end - s.start, maxKmh: s.maxKmh, limitKmh: req.speedLimitKmh } }));
    case "geofences":
      return visits(points).map((v) => ({
        ...base,
        start: v.enter,
        end: v.exit,
        lat: v.lat,
        lon: v.lon,
        values: { kind: "geofenceVisit", geofenceId: v.name.toLowerCase(), geofenceName: v.name, dwellSecs: (v.exit ?? v.last) - v.enter, beganInside: false, confirmedByAlarm: v.exit !== null },
      }));
    case "summary": {
      const out: ReportRow[] = [];
      const idle = idles(points, req);
      const fast = speeding(points, 100, 10);
      for (let day = startOfDay(req.begin, req.timeZone); day < req.end; day = startOfDay(day + 36 * 3600, req.timeZone)) {
        const next = startOfDay(day + 36 * 3600, req.timeZone);
        const inDay = <T extends { start: number }>(xs: readonly T[]): T[] => xs.filter((x) => x.start >= day && x.start < next);
        const trips = inDay(a.trips);
        const stops = inDay(a.stops);
        let maxKmh = 0;
        for (const p of points) if (p.gpstime >= day && p.gpstime < next) maxKmh = Math.max(maxKmh, p.speed);
        const speedingAlarms = inDay(fast).length;
        const first = points.find((p) => p.gpstime >= day);
        out.push({
          ...base,
          start: day,
          end: next,
          lat: first?.latitude ?? Number.NaN,
          lon: first?.longitude ?? Number.NaN,
          values: {
            kind: "summary",
            date: new Date(day * 1000).toISOString().slice(0, 10),
            utcOffsetSecs: 0,
            lastStop: stops[stops.length - 1]?.start ?? null,
            points: points.filter((p) => p.gpstime >= day && p.gpstime < next).length,
            distanceM: trips.reduce((s, x) => s + x.distanceM, 0),
            drivingSecs: trips.reduce((s, x) => s + x.durationSecs, 0),
            stoppedSecs: stops.reduce((s, x) => s + x.durationSecs, 0),
            idleSecs: inDay(idle).reduce((s, x) => s + x.durationSecs, 0),
            maxKmh,
            trips: trips.length,
            stops: stops.length,
            firstStart: trips[0]?.start ?? null,
            alarms: speedingAlarms > 0 ? [{ type: 7, count: speedingAlarms }] : [],
          },
        });
      }
      return out;
    }
  }
}

/** Every third stop was spent with the engine on (the fake has no engine alarms). */
function idles(points: PlaybackPoint[], req: ReportRequest): Array<{ start: number; end: number; durationSecs: number; lat: number; lon: number }> {
  const a = analyse(routeFromPoints(points), { minStopSecs: Math.min(req.minStopSecs, req.minIdleSecs) });
  return a.stops.filter((s, i) => i % 3 === 0 && s.durationSecs >= req.minIdleSecs);
}

function speeding(points: PlaybackPoint[], limitKmh: number, minSecs: number): Array<{ start: number; end: number; lat: number; lon: number; maxKmh: number }> {
  const out: Array<{ start: number; end: number; lat: number; lon: number; maxKmh: number }> = [];
  let run: { start: number; end: number; lat: number; lon: number; maxKmh: number } | null = null;
  for (const p of points) {
    if (p.speed > limitKmh && (!run || p.gpstime - run.end <= 120)) {
      if (!run) run = { start: p.gpstime, end: p.gpstime, lat: p.latitude, lon: p.longitude, maxKmh: p.speed };
      run.end = p.gpstime;
      if (p.speed > run.maxKmh) Object.assign(run, { maxKmh: p.speed, lat: p.latitude, lon: p.longitude });
    } else if (run) {
      if (run.end - run.start >= minSecs) out.push(run);
      run = p.speed > limitKmh ? { start: p.gpstime, end: p.gpstime, lat: p.latitude, lon: p.longitude, maxKmh: p.speed } : null;
    }
  }
  if (run && run.end - run.start >= minSecs) out.push(run);
  return out;
}

function visits(points: PlaybackPoint[]): Array<{ name: string; enter: number; exit: number | null; last: number; lat: number; lon: number }> {
  const out: Array<{ name: string; enter: number; exit: number | null; last: number; lat: number; lon: number }> = [];
  for (const f of FENCES) {
    let inside: { enter: number; lat: number; lon: number } | null = null;
    for (const p of points) {
      const isIn = haversineM(f.lat, f.lon, p.latitude, p.longitude) <= f.radiusM;
      if (isIn && !inside) inside = { enter: p.gpstime, lat: p.latitude, lon: p.longitude };
      else if (!isIn && inside) {
        out.push({ name: f.name, ...inside, exit: p.gpstime, last: p.gpstime });
        inside = null;
      }
    }
    const last = points[points.length - 1];
    if (inside && last) out.push({ name: f.name, ...inside, exit: null, last: last.gpstime });
  }
  return out.sort((a, b) => a.enter - b.enter);
}
