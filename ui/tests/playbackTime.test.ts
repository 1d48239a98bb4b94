import { describe, expect, it } from "vitest";
import { fromInputValue, offsetAt, periodOfInputs, periodProblem, presetPeriod, startOfDay, toInputValue } from "../src/lib/playbackTime";

// 2024-05-03 (a Friday) 12:00:00 UTC = 20:00 in Shanghai.
const NOW = Date.UTC(2024, 4, 3, 12, 0, 0) / 1000;

describe("periods in the user's time zone", () => {
  it("today and yesterday start at midnight in the chosen zone, not the computer's", () => {
    const sh = presetPeriod("today", NOW, "Asia/Shanghai");
    expect(sh.begin).toBe(Date.UTC(2024, 4, 2, 16, 0, 0) / 1000);
    expect(sh.end).toBe(NOW);
    const y = presetPeriod("yesterday", NOW, "Asia/Shanghai");
    expect(y).toEqual({ begin: Date.UTC(2024, 4, 1, 16) / 1000, end: Date.UTC(2024, 4, 2, 16) / 1000 });
    const utc = presetPeriod("yesterday", NOW, "UTC");
    expect(utc).toEqual({ begin: Date.UTC(2024, 4, 2) / 1000, end: Date.UTC(2024, 4, 3) / 1000 });
  });

  it("rolling periods and this week (from Monday)", () => {
    expect(presetPeriod("last24h", NOW, "UTC")).toEqual({ begin: NOW - 86_400, end: NOW });
    expect(presetPeriod("last7d", NOW, "UTC")).toEqual({ begin: NOW - 7 * 86_400, end: NOW });
    expect(presetPeriod("thisWeek", NOW, "UTC").begin).toBe(Date.UTC(2024, 3, 29) / 1000);
    // Sunday evening in New York is still the week that began on Monday the 29th.
    const sunday = Date.UTC(2024, 4, 6, 1, 0, 0) / 1000; // Sun 5 May 21:00 EDT
    expect(presetPeriod("thisWeek", sunday, "America/New_York").begin).toBe(Date.UTC(2024, 3, 29, 4) / 1000);
  });

  it("a day across a DST change is 23 hours long", () => {
    // 10 March 2024: New York springs forward.
    const noon = Date.UTC(2024, 2, 10, 16) / 1000;
    const begin = startOfDay(noon, "America/New_York");
    const end = startOfDay(noon, "America/New_York", 1);
    expect(begin).toBe(Date.UTC(2024, 2, 10, 5) / 1000);
    expect(end - begin).toBe(23 * 3600);
    expect(offsetAt(noon, "America/New_York")).toBe(-4 * 3600);
  });

  it("date-time pickers read and show wall-clock time in the zone", () => {
    expect(toInputValue(NOW, "Asia/Shanghai")).toBe("2024-05-03T20:00");
    expect(fromInputValue("2024-05-03T20:00", "Asia/Shanghai")).toBe(NOW);
    expect(fromInputValue("2024-05-03T12:00", "UTC")).toBe(NOW);
    expect(fromInputValue("not a time", "UTC")).toBeNull();
    expect(fromInputValue("2024-13-03T12:00", "UTC")).toBeNull();
  });

  it("says what is wrong with a period", () => {
    expect(periodProblem({ begin: 10, end: 10 })).toMatch(/end after/);
    expect(periodProblem({ begin: 0, end: 32 * 86_400 })).toMatch(/31 days/);
    expect(periodProblem({ begin: 0, end: 31 * 86_400 })).toBeNull();
  });
});

describe("periodOfInputs", () => {
  it("reads both pickers in the zone, and gives nothing while one is empty", () => {
    expect(periodOfInputs("2026-12-05T00:00", "2026-12-06T00:00", "UTC")).toEqual({ begin: 1_796_428_800, end: 1_796_515_200 });
    expect(periodOfInputs("2026-12-05T08:00", "2026-12-06T08:00", "Asia/Shanghai")).toEqual({ begin: 1_796_428_800, end: 1_796_515_200 });
    expect(periodOfInputs("", "2026-12-06T00:00", "UTC")).toBeNull();
  });
});
