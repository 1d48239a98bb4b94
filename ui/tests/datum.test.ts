import { describe, expect, it } from "vitest";
import { convertDatum, gcj02ToWgs84, outOfChina, wgs84ToGcj02 } from "../src/lib/datum";

/** Metres between two nearby points (equirectangular: exact enough under a kilometre). */
function metres(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * r;
}

/**
 * The GCJ-02 algorithm's published test vectors: eviltransform's test suites (go/transform_test.go
 * and its ports), WGS-84 → GCJ-02.
 */
const VECTORS: Array<[name: string, wgs: [number, number], gcj: [number, number]]> = [
  ["Shanghai", [31.1774276, 121.5272106], [31.17530398364597, 121.531541859215]],
  ["Shenzhen", [22.543847, 113.912316], [22.540796131694766, 113.9171764808363]],
  ["Beijing", [39.911954, 116.377817], [39.91334545536069, 116.38404722455657]],
];

describe("WGS-84 ↔ GCJ-02", () => {
  it.each(VECTORS)("matches the published vector for %s", (_name, [wLat, wLng], [gLat, gLng]) => {
    const g = wgs84ToGcj02(wLat, wLng);
    expect(g.lat).toBeCloseTo(gLat, 9);
    expect(g.lng).toBeCloseTo(gLng, 9);
  });

  it.each(VECTORS)("turns %s's GCJ-02 point back into its WGS-84 one within a centimetre", (_name, [wLat, wLng], [gLat, gLng]) => {
    const w = gcj02ToWgs84(gLat, gLng);
    expect(metres(w, { lat: wLat, lng: wLng })).toBeLessThan(0.01);
  });

  it("round-trips everywhere in the region to well under a centimetre", () => {
    let worst = 0;
    for (let lat = 18; lat <= 53; lat += 2.5) {
      for (let lng = 74; lng <= 135; lng += 3.5) {
        const g = wgs84ToGcj02(lat, lng);
        const back = gcj02ToWgs84(g.lat, g.lng);
        worst = Math.max(worst, metres(back, { lat, lng }));
      }
    }
    expect(worst).toBeLessThan(0.001);
  });

  it("shifts Shenzhen by a few hundred metres", () => {
    const wgs = { lat: 22.5431, lng: 114.0579 };
    const g = wgs84ToGcj02(wgs.lat, wgs.lng);
    const d = metres(wgs, g);
    expect(d).toBeGreaterThan(300);
    expect(d).toBeLessThan(800);
    // Around Shenzhen, GCJ-02 is east and a little south of WGS-84.
    expect(g.lng).toBeGreaterThan(wgs.lng);
    expect(g.lat).toBeLessThan(wgs.lat);
  });

  it("changes nothing outside the region", () => {
    for (const [lat, lng] of [
      [51.5074, -0.1278], // London
      [35.6812, 139.7671], // Tokyo (east of 135.05° E)
      [-33.8688, 151.2093], // Sydney
      [1.3521, 103.8198], // Singapore (south of 3.86° N)
      [55.7558, 37.6173], // Moscow
    ] as const) {
      expect(outOfChina(lat, lng)).toBe(true);
      expect(wgs84ToGcj02(lat, lng)).toEqual({ lat, lng });
      expect(gcj02ToWgs84(lat, lng)).toEqual({ lat, lng });
    }
  });

  it("shifts Hong Kong, Macau and Taiwan like the mainland (the tiles of AutoNavi and Tencent are GCJ-02 there)", () => {
    for (const [lat, lng] of [
      [22.3193, 114.1694], // Hong Kong
      [22.1987, 113.5439], // Macau
      [25.033, 121.5654], // Taipei
    ] as const) {
      expect(outOfChina(lat, lng)).toBe(false);
      expect(metres({ lat, lng }, wgs84ToGcj02(lat, lng))).toBeGreaterThan(100);
    }
  });

  it("converts between datums by name, and not at all within one", () => {
    expect(convertDatum(22.5, 114, "wgs84", "wgs84")).toEqual({ lat: 22.5, lng: 114 });
    expect(convertDatum(22.5, 114, "gcj02", "gcj02")).toEqual({ lat: 22.5, lng: 114 });
    expect(convertDatum(22.5, 114, "wgs84", "gcj02")).toEqual(wgs84ToGcj02(22.5, 114));
    expect(convertDatum(22.5, 114, "gcj02", "wgs84")).toEqual(gcj02ToWgs84(22.5, 114));
  });
});
