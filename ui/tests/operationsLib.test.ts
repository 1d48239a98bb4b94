import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "../src/lib/csv";
import { typedMatches } from "../src/lib/confirmText";
import { ageWords } from "../src/lib/deviceCommands";
import { formatDistance, mileageCsv, mileagePreset, reportTime } from "../src/lib/mileage";
import { device } from "./fixtures";

describe("typed confirmation text", () => {
  it("ignores case, spaces and dashes only", () => {
    expect(typedMatches("粤B-12345", "粤b 12345")).toBe(true);
    expect(typedMatches("SZ-4821", "sz4821")).toBe(true);
    expect(typedMatches("SZ-4821", "SZ-482")).toBe(false);
    expect(typedMatches("5339", "5393")).toBe(false);
    expect(typedMatches("", "")).toBe(false);
  });
});

describe("CSV", () => {
  it("quotes what needs it and defuses formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=SUM(A1)")).toBe("'=SUM(A1)");
    expect(csvField(-3.5)).toBe("-3.5");
    expect(toCsv([["a", "b"], [1, "x\ny"]])).toBe('a,b\r\n1,"x\ny"\r\n');
  });
});

describe("mileage helpers", () => {
  // 2024-05-15 10:20 UTC
  const now = Date.UTC(2024, 4, 15, 10, 20) / 1000;

  it("presets are whole days and months in the chosen zone", () => {
    expect(mileagePreset("last7d", now, "UTC")).toEqual({ begin: Date.UTC(2024, 4, 8) / 1000, end: Date.UTC(2024, 4, 15) / 1000 });
    expect(mileagePreset("lastMonth", now, "UTC")).toEqual({ begin: Date.UTC(2024, 3, 1) / 1000, end: Date.UTC(2024, 4, 1) / 1000 });
    expect(mileagePreset("thisMonth", now, "Asia/Shanghai").begin).toBe(Date.UTC(2024, 3, 30, 16) / 1000);
  });

  it("distances read in km or miles with two decimals", () => {
    expect(formatDistance(1234.5, "kmh")).toBe("1,234.50 km");
    expect(formatDistance(160.9344, "mph")).toBe("100.00 mi");
    expect(reportTime(Date.UTC(2024, 4, 1, 8, 30) / 1000, "UTC")).toBe("2024-05-01 08:30 UTC");
  });

  it("the CSV has a row per vehicle and the total; no data is an empty cell, not 0", () => {
    const devices = new Map([["358899051000101", device("358899051000101", { devicename: "Taxi, 7", platenumber: "SZ-1" })]]);
    const csv = mileageCsv(
      {
        requestedBegin: 0,
        requestedEnd: 0,
        begin: 1714550400,
        end: 1714557600,
        windows: 1,
        rows: [
          { imei: "358899051000101", km: 12.5 },
          { imei: "358899051000102", km: 0 },
          { imei: "358899051000103", km: null },
        ],
        totalKm: 12.5,
        withoutData: 1,
      },
      devices,
      "UTC",
    );
    expect(csv.split("\r\n")).toEqual([
      "Vehicle,Plate,IMEI,Kilometres,Period begins,Period ends",
      '"Taxi, 7",SZ-1,358899051000101,12.50,2024-05-01 08:00 UTC,2024-05-01 10:00 UTC',
      ",,358899051000102,0.00,2024-05-01 08:00 UTC,2024-05-01 10:00 UTC",
      ",,358899051000103,,2024-05-01 08:00 UTC,2024-05-01 10:00 UTC",
      "Total,,,12.50,2024-05-01 08:00 UTC,2024-05-01 10:00 UTC",
      "",
    ]);
  });

  it("fix ages read as words", () => {
    expect([ageWords(12), ageWords(150), ageWords(7200), ageWords(3 * 86400), ageWords(null)]).toEqual(["12 s", "2 min", "2 h", "3 d", "no fix"]);
  });
});
