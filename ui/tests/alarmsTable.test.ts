import { describe, expect, it } from "vitest";
import type { AlarmRow } from "../src/bindings";
import { alarmCategory, alarmsCsv, filterRows, placeText, providerNowMs, typeOptions, vehicleOptions } from "../src/lib/alarmsTable";

function row(imei: string, type: number, words: string, systemtime: number, geofenceName: string | null = null): AlarmRow {
  return {
    id: `${imei}:${type}:${systemtime}`,
    imei,
    alarm: { type, longitude: 113.95, latitude: 22.55, gpstime: systemtime - 5, systemtime, speed: 42, course: 90, geofence_id: "0" },
    words,
    geofenceName,
  };
}

const ROWS = [
  row("111111111111111", 6, "Left geofence", 1_714_737_600, "Depot"),
  row("222222222222222", 1, "SOS", 1_714_737_000),
  row("111111111111111", 6, "Left geofence", 1_714_736_000, "Depot"),
  row("111111111111111", 7, "Speeding", 1_714_735_000),
];

describe("the alarms table", () => {
  it("filters by type and by vehicle", () => {
    expect(filterRows(ROWS, { type: "all", imei: "all" })).toHaveLength(4);
    expect(filterRows(ROWS, { type: 6, imei: "all" }).map((r) => r.alarm.type)).toEqual([6, 6]);
    expect(filterRows(ROWS, { type: "all", imei: "222222222222222" }).map((r) => r.words)).toEqual(["SOS"]);
    expect(filterRows(ROWS, { type: 7, imei: "222222222222222" })).toEqual([]);
  });

  it("offers the types and vehicles present, with counts", () => {
    expect(typeOptions(ROWS)).toEqual([
      { code: 6, words: "Left geofence", count: 2 },
      { code: 1, words: "SOS", count: 1 },
      { code: 7, words: "Speeding", count: 1 },
    ]);
    const names: Record<string, string> = { "111111111111111": "Truck 10", "222222222222222": "Truck 9" };
    expect(vehicleOptions(ROWS, (i) => names[i]!).map((v) => [v.name, v.count])).toEqual([
      ["Truck 9", 1],
      ["Truck 10", 3],
    ]);
  });

  it("says where: the geofence when there is one, and the coordinates", () => {
    expect(placeText(ROWS[0]!)).toBe("Geofence “Depot” · 22.55000, 113.95000");
    expect(placeText(ROWS[1]!)).toBe("22.55000, 113.95000");
    expect(alarmCategory(1)).toBe("sos");
    expect(alarmCategory(5)).toBe("geofence");
    expect(alarmCategory(99)).toBe("other");
  });

  it("exports what is shown as CSV, times in the chosen zone, numbers machine-readable", () => {
    const csv = alarmsCsv(ROWS.slice(0, 2), (i) => (i.startsWith("1") ? "Truck, 10" : "=Truck 9"), "UTC", "kmh");
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("Time,Vehicle,IMEI,Alarm,Alarm type,Speed (km/h),Latitude,Longitude,Geofence,Received (provider time)");
    expect(lines[1]).toBe('2024-05-03 11:59:55 UTC,"Truck, 10",111111111111111,Left geofence,6,42,22.55,113.95,Depot,2024-05-03 12:00:00 UTC');
    // A name that looks like a formula is defused.
    expect(lines[2]).toContain("'=Truck 9");
    expect(lines).toHaveLength(4);
  });

  it("the provider's now follows its last clock reading, never behind this computer's", () => {
    const now = 1_000_000_000;
    expect(providerNowMs(null, null, now)).toBe(now);
    // The demo ran an hour ahead when the last update came 10 s ago.
    expect(providerNowMs(now / 1000 + 3600 - 10, now - 10_000, now)).toBe(now + 3_600_000);
    // A provider clock a little behind does not pull the periods back.
    expect(providerNowMs(now / 1000 - 30, now, now)).toBe(now);
  });
});
