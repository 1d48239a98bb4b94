import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../src/i18n";
import { formatDate, formatDateTime, formatDuration, formatTimeOfDay, isValidTimeZone, relativeTime, timeZoneChoices } from "../src/lib/time";

const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);

describe("relativeTime", () => {
  it("reads like a person would say it", () => {
    expect(relativeTime(NOW - 2_000, NOW)).toBe("just now");
    expect(relativeTime(NOW - 12_000, NOW)).toBe("12 s ago");
    expect(relativeTime(NOW - 3 * 60_000 - 20_000, NOW)).toBe("3 min ago");
    expect(relativeTime(NOW - 5 * 3600_000, NOW)).toBe("5 h ago");
    expect(relativeTime(NOW - 3 * 86400_000, NOW)).toBe("3 d ago");
  });

  it("handles missing times and clocks slightly ahead", () => {
    expect(relativeTime(0, NOW)).toBe("never");
    expect(relativeTime(null, NOW)).toBe("never");
    expect(relativeTime(NOW + 10_000, NOW)).toBe("just now");
    expect(relativeTime(NOW + 10 * 60_000, NOW)).toBe("in 10 min");
  });
});

describe("formatDateTime", () => {
  const secs = Date.UTC(2024, 4, 3, 14, 22, 5) / 1000;

  it("formats in UTC", () => {
    expect(formatDateTime(secs, "UTC")).toBe("2024-05-03 14:22:05 UTC");
  });

  it("formats in a named zone with its offset", () => {
    expect(formatDateTime(secs, "Asia/Shanghai")).toBe("2024-05-03 22:22:05 GMT+8");
    expect(formatDate(secs, "Asia/Shanghai")).toBe("2024-05-03");
    // Across midnight the date changes too.
    expect(formatDateTime(secs, "Pacific/Kiritimati").startsWith("2024-05-04 04:22:05")).toBe(true);
  });

  it("says nothing for the provider's 0 and survives an unknown zone", () => {
    expect(formatDateTime(0, "UTC")).toBe("—");
    expect(formatDateTime(secs, "Not/AZone")).toBe("2024-05-03 14:22:05 UTC");
  });

  it("uses the computer's zone for 'local'", () => {
    const local = formatDateTime(secs, "local");
    expect(local).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  });
});

describe("time zones and durations", () => {
  it("offers local, UTC and IANA zones", () => {
    const zones = timeZoneChoices();
    expect(zones.slice(0, 2)).toEqual(["local", "UTC"]);
    expect(zones).toContain("Asia/Shanghai");
    expect(zones.filter((z) => z === "UTC")).toHaveLength(1);
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("formats ACC durations", () => {
    expect(formatDuration(45)).toBe("45 s");
    expect(formatDuration(1400)).toBe("23 min");
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe("2 h 5 min");
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe("3 d 4 h");
    expect(formatDuration(-1)).toBe("—");
  });
});

describe("times in other languages", () => {
  const secs = Date.UTC(2024, 4, 3, 14, 22, 5) / 1000;
  afterEach(() => {
    setLanguage("en");
  });

  it("writes dates and times in Chinese's own numeric order, 24-hour, with the zone", () => {
    setLanguage("zh-CN");
    expect(formatDateTime(secs, "UTC")).toBe("2024/05/03 14:22:05 UTC");
    expect(formatDateTime(secs, "Asia/Shanghai")).toBe("2024/05/03 22:22:05 GMT+8");
    expect(formatDate(secs, "Asia/Shanghai")).toBe("2024/05/03");
    expect(formatTimeOfDay(secs, "Asia/Shanghai")).toBe("22:22");
    expect(relativeTime(NOW - 3 * 60_000 - 20_000, NOW)).toBe("3 分钟前");
    expect(relativeTime(NOW - 2_000, NOW)).toBe("刚刚");
    expect(relativeTime(0, NOW)).toBe("从未");
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe("2 小时 5 分钟");
  });

  it("writes dates and times in Spanish's own numeric order, 24-hour, with the zone", () => {
    setLanguage("es");
    expect(formatDateTime(secs, "UTC")).toBe("03/05/2024, 14:22:05 UTC");
    expect(formatDateTime(Date.UTC(2024, 4, 3, 23, 22, 5) / 1000, "UTC")).toBe("03/05/2024, 23:22:05 UTC");
    expect(formatDate(secs, "Asia/Shanghai")).toBe("03/05/2024");
    expect(relativeTime(NOW - 5 * 3600_000, NOW)).toBe("hace 5 h");
    expect(relativeTime(NOW + 10 * 60_000, NOW)).toBe("dentro de 10 min");
    expect(formatDuration(3 * 86400 + 4 * 3600)).toBe("3 d 4 h");
  });

  it("keeps English year-month-day after switching back, formatters being kept per language", () => {
    setLanguage("es");
    formatDateTime(secs, "UTC");
    setLanguage("en");
    expect(formatDateTime(secs, "UTC")).toBe("2024-05-03 14:22:05 UTC");
    expect(formatTimeOfDay(secs, "UTC", true)).toBe("14:22:05");
  });
});
