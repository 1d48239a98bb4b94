import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../src/i18n";
import { convertSpeed, formatBattery, formatCourse, formatMileage, formatSpeed } from "../src/lib/units";

describe("units", () => {
  it("shows speed in the chosen unit", () => {
    expect(formatSpeed(100, "kmh")).toBe("100 km/h");
    expect(formatSpeed(100, "mph")).toBe("62 mph");
    expect(convertSpeed(161, "mph")).toBe(100);
    expect(formatSpeed(-1, "kmh")).toBe("—");
  });

  it("shows the odometer (metres) in km, with miles when asked", () => {
    expect(formatMileage(51654, "kmh")).toBe("51.7 km");
    expect(formatMileage(1_234_567_000, "kmh")).toBe("1,234,567.0 km");
    expect(formatMileage(160934, "mph")).toBe("100.0 mi (160.9 km)");
    expect(formatMileage(-1, "kmh")).toBe("Not reported");
  });

  it("shows battery and heading", () => {
    expect(formatBattery(85)).toBe("85 %");
    expect(formatBattery(-1)).toBe("—");
    expect(formatCourse(195)).toBe("S (195°)");
    expect(formatCourse(230)).toBe("SW (230°)");
    expect(formatCourse(360)).toBe("N (0°)");
  });
});

describe("units in other languages", () => {
  afterEach(() => {
    setLanguage("en");
  });

  it("Chinese: its unit words and compass points", () => {
    setLanguage("zh-CN");
    expect(formatSpeed(100, "kmh")).toBe("100 公里/时");
    expect(formatMileage(1_234_567_000, "kmh")).toBe("1,234,567.0 公里");
    expect(formatMileage(-1, "kmh")).toBe("未上报");
    expect(formatCourse(230)).toBe("西南 (230°)");
  });

  it("Spanish: its decimal comma and grouping, and compass points", () => {
    setLanguage("es");
    expect(formatMileage(51654, "kmh")).toBe("51,7 km");
    expect(formatMileage(1_234_567_000, "kmh")).toBe("1.234.567,0 km");
    expect(formatMileage(160934, "mph")).toBe("100,0 mi (160,9 km)");
    expect(formatCourse(270)).toBe("O (270°)");
    expect(formatBattery(85)).toBe("85 %");
  });
});
