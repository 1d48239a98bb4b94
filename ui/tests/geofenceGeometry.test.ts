import { describe, expect, it } from "vitest";
import { clampRadius, destination, distanceM, formatMetres, parseCoordinate, parseRadius, radiusHint, RADIUS_MAX, RADIUS_MIN } from "../src/lib/geofenceGeometry";

describe("radius clamping", () => {
  it("keeps a radius inside 100-5000 m in whole metres and says which limit held it", () => {
    expect(clampRadius(750.4)).toEqual({ radius: 750, limit: null });
    expect(clampRadius(100)).toEqual({ radius: 100, limit: null });
    expect(clampRadius(5000)).toEqual({ radius: 5000, limit: null });
    expect(clampRadius(99.6)).toEqual({ radius: 100, limit: "min" });
    expect(clampRadius(0)).toEqual({ radius: 100, limit: "min" });
    expect(clampRadius(-20)).toEqual({ radius: 100, limit: "min" });
    expect(clampRadius(5000.4)).toEqual({ radius: 5000, limit: null });
    expect(clampRadius(5000.6)).toEqual({ radius: 5000, limit: "max" });
    expect(clampRadius(1e9)).toEqual({ radius: 5000, limit: "max" });
    expect(clampRadius(Number.NaN)).toEqual({ radius: 100, limit: "min" });
    expect(clampRadius(Number.POSITIVE_INFINITY)).toEqual({ radius: 100, limit: "min" });
  });

  it("hints at each limit and only there", () => {
    expect(radiusHint("min")).toBe(`At least ${RADIUS_MIN} m: the provider's smallest geofence.`);
    expect(radiusHint("max")).toBe(`At most ${RADIUS_MAX} m: the provider's largest geofence.`);
    expect(radiusHint(null)).toBeNull();
  });

  it("reads typed radii, clamped, and refuses what is not a number", () => {
    expect(parseRadius("650")).toEqual({ radius: 650, limit: null });
    expect(parseRadius(" 1200 m ")).toEqual({ radius: 1200, limit: null });
    expect(parseRadius("20000")).toEqual({ radius: 5000, limit: "max" });
    expect(parseRadius("20")).toEqual({ radius: 100, limit: "min" });
    expect(parseRadius("250,5")).toEqual({ radius: 251, limit: null });
    expect(parseRadius("")).toBeNull();
    expect(parseRadius("far")).toBeNull();
  });

  it("shows radii in whole metres", () => {
    expect(formatMetres(650.2)).toBe("650 m");
    expect(formatMetres(5000)).toBe("5000 m");
    expect(formatMetres(Number.NaN)).toBe("—");
  });
});

describe("centre and distance", () => {
  it("measures great-circle metres and walks back the same distance", () => {
    const depot = { lat: 22.5, lng: 113.9 };
    // One degree of latitude is about 111.2 km.
    expect(distanceM(depot, { lat: 23.5, lng: 113.9 })).toBeCloseTo(111_195, -1);
    for (const bearing of [0, 90, 200]) {
      const p = destination(depot, 1500, bearing);
      expect(distanceM(depot, p)).toBeCloseTo(1500, 3);
    }
    const east = destination(depot, 1000, 90);
    expect(east.lat).toBeCloseTo(22.5, 3);
    expect(east.lng).toBeGreaterThan(113.9);
  });

  it("reads typed coordinates only when they are on Earth", () => {
    expect(parseCoordinate("22.543556", "lat")).toBe(22.543556);
    expect(parseCoordinate("-33,9", "lat")).toBe(-33.9);
    expect(parseCoordinate("113.888311", "lng")).toBe(113.888311);
    expect(parseCoordinate("91", "lat")).toBeNull();
    expect(parseCoordinate("181", "lng")).toBeNull();
    expect(parseCoordinate("22.5N", "lat")).toBeNull();
    expect(parseCoordinate("", "lng")).toBeNull();
  });
});
