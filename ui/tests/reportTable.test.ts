import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../src/i18n";
import { columnsOf, defaultSort, exportHeaders, kindOptions, nextSort, sortRows, totals, totalText, TABLE_KINDS, type FormatContext, type TableRow } from "../src/lib/reportTable";

const T0 = Date.UTC(2024, 4, 3, 8, 0, 0) / 1000;
const ctx: FormatContext = { tz: "UTC", units: "kmh", name: (imei) => ({ "1": "Taxi 2", "2": "Taxi 10", "3": "Ómnibus" })[imei] ?? "" };

function trip(imei: string, startOff: number, distanceM: number, durationSecs: number, maxKmh: number): TableRow {
  return {
    imei,
    vehicle: `v${imei}`,
    start: T0 + startOff,
    end: T0 + startOff + durationSecs,
    lat: 22.5,
    lon: 114,
    values: { kind: "trip", distanceM, durationSecs, avgKmh: distanceM / 1000 / (durationSecs / 3600), maxKmh, endLat: 22.6, endLon: 114.1 },
  };
}

const rows = [trip("1", 600, 12_345, 1800, 71), trip("2", 0, 2_000, 300, 95.4), trip("3", 3600, 40_000.5, 3600, 88)];

afterEach(() => setLanguage("en"));

describe("report columns", () => {
  it("gives each kind its columns, in the export's order, translated", () => {
    expect(TABLE_KINDS).toEqual(["trips", "stops", "idling", "summary", "speeding", "geofences", "mileage"]);
    expect(columnsOf("trips").map((c) => c.id)).toEqual(["vehicle", "start", "end", "duration", "distance", "avgSpeed", "maxSpeed"]);
    expect(columnsOf("geofences").map((c) => c.id)).toEqual(["vehicle", "geofence", "enter", "exit", "dwell", "confirmed"]);
    expect(columnsOf("stops").map((c) => c.label())).toEqual(["Vehicle", "Start", "End", "Duration", "Place"]);
    // The export's headers follow the backend's columns (etrack-app reports/table.rs), translated.
    expect(exportHeaders("stops")).toEqual(["Vehicle", "IMEI", "Start", "End", "Duration", "Latitude", "Longitude"]);
    expect(exportHeaders("trips")).toHaveLength(12);
    expect(exportHeaders("summary")).toHaveLength(14);
    expect(exportHeaders("geofences")).toHaveLength(9);
    setLanguage("es");
    expect(exportHeaders("stops")).toEqual(["Vehículo", "IMEI", "Inicio", "Fin", "Duración", "Latitud", "Longitud"]);
    expect(columnsOf("mileage").map((c) => c.label())).toEqual(["Vehículo", "Matrícula", "IMEI", "Distancia"]);
  });

  it("shows the options that apply to a kind", () => {
    expect(kindOptions("trips")).toEqual({ minStop: true, minIdle: false, speedLimit: false });
    expect(kindOptions("summary")).toEqual({ minStop: true, minIdle: true, speedLimit: false });
    expect(kindOptions("idling")).toEqual({ minStop: false, minIdle: true, speedLimit: false });
    expect(kindOptions("speeding")).toEqual({ minStop: false, minIdle: false, speedLimit: true });
    expect(kindOptions("mileage")).toEqual({ minStop: false, minIdle: false, speedLimit: false });
  });

  it("formats cells in the language, units and zone in use", () => {
    const cols = columnsOf("trips");
    const text = (r: TableRow, c: FormatContext = ctx) => cols.map((col) => col.text(r, c));
    expect(text(rows[0]!)).toEqual(["Taxi 2", "2024-05-03 08:10:00 UTC", "2024-05-03 08:40:00 UTC", "30 min", "12.35 km", "25 km/h", "71 km/h"]);
    expect(text(rows[2]!, { ...ctx, units: "mph" }).slice(4)).toEqual(["24.86 mi", "25 mph", "55 mph"]);
    setLanguage("es");
    expect(text(rows[2]!)[4]).toBe("40,00 km");
    expect(text(rows[0]!)[1]).toBe("03/05/2024, 08:10:00 UTC");
  });

  it("writes a visit still inside and a summary's alarms", () => {
    const visit: TableRow = { imei: "1", vehicle: "", start: T0, end: null, lat: 1, lon: 1, values: { kind: "geofenceVisit", geofenceId: "7", geofenceName: "Depot", dwellSecs: 60, beganInside: false, confirmedByAlarm: false } };
    const cols = columnsOf("geofences");
    expect(cols.map((c) => c.text(visit, ctx))).toEqual(["Taxi 2", "Depot", "2024-05-03 08:00:00 UTC", "Still inside", "1 min", "No"]);
    const day: TableRow = {
      imei: "1",
      vehicle: "",
      start: T0,
      end: T0 + 86_400,
      lat: 1,
      lon: 1,
      values: { kind: "summary", date: "2024-05-03", utcOffsetSecs: 0, distanceM: 1000, drivingSecs: 60, stoppedSecs: 120, idleSecs: 0, maxKmh: 50, trips: 1, stops: 2, firstStart: null, lastStop: null, points: 10, alarms: [{ type: 7, count: 2 }, { type: 1, count: 1 }] },
    };
    const s = columnsOf("summary");
    expect(s.find((c) => c.id === "alarms")!.text(day, ctx)).toBe("3");
    expect(s.find((c) => c.id === "firstStart")!.text(day, ctx)).toBe("—");
  });
});

describe("report sorting", () => {
  it("sorts by every column, both ways, numbers as numbers and names as people read them", () => {
    const byStart = sortRows(rows, defaultSort("trips"), ctx, "en");
    expect(byStart.map((r) => r.imei)).toEqual(["2", "1", "3"]);
    const byName = sortRows(rows, { column: "vehicle", direction: "ascending" }, ctx, "en");
    expect(byName.map((r) => ctx.name(r.imei))).toEqual(["Ómnibus", "Taxi 2", "Taxi 10"]);
    const byDistance = sortRows(rows, { column: "distance", direction: "descending" }, ctx, "en");
    expect(byDistance.map((r) => r.imei)).toEqual(["3", "1", "2"]);
    for (const col of columnsOf("trips")) {
      for (const direction of ["ascending", "descending"] as const) expect(sortRows(rows, { column: col.id, direction }, ctx, "en")).toHaveLength(3);
    }
  });

  it("flips the same column and starts numbers high, text low", () => {
    const cols = columnsOf("trips");
    const dist = cols.find((c) => c.id === "distance")!;
    const vehicle = cols.find((c) => c.id === "vehicle")!;
    const s1 = nextSort(defaultSort("trips"), dist);
    expect(s1).toEqual({ column: "distance", direction: "descending" });
    expect(nextSort(s1, dist)).toEqual({ column: "distance", direction: "ascending" });
    expect(nextSort(s1, vehicle)).toEqual({ column: "vehicle", direction: "ascending" });
  });

  it("puts rows without a value last, whichever the direction", () => {
    const mileage = (imei: string, km: number | null): TableRow => ({ imei, vehicle: "", start: T0, end: T0 + 1, lat: Number.NaN, lon: Number.NaN, values: { kind: "mileage", distanceM: km === null ? null : km * 1000, plate: "" } });
    const m = [mileage("1", null), mileage("2", 5), mileage("3", 7)];
    expect(sortRows(m, { column: "distance", direction: "ascending" }, ctx, "en").map((r) => r.imei)).toEqual(["2", "3", "1"]);
    expect(sortRows(m, { column: "distance", direction: "descending" }, ctx, "en").map((r) => r.imei)).toEqual(["3", "2", "1"]);
    expect(totals("mileage", m, ctx).get("distance")).toBe(12_000);
  });
});

describe("report totals", () => {
  it("sums distances and durations, keeps the top speed", () => {
    const sums = totals("trips", rows, ctx);
    expect(sums.get("distance")).toBeCloseTo(54_345.5, 6);
    expect(sums.get("duration")).toBe(5700);
    expect(sums.get("maxSpeed")).toBe(95.4);
    expect(sums.has("avgSpeed")).toBe(false);
    const col = (id: string) => columnsOf("trips").find((c) => c.id === id)!;
    expect(totalText(col("distance"), sums.get("distance")!, ctx)).toBe("54.35 km");
    expect(totalText(col("duration"), 5700, ctx)).toBe("1 h 35 min");
    expect(totalText(col("maxSpeed"), 95.4, ctx)).toBe("95 km/h");
    setLanguage("es");
    expect(totalText(col("distance"), 1_234_567, ctx)).toBe("1234,57 km");
  });
});
