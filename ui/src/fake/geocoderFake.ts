/**
 * The fake backend's reverse geocoder (src-tauri's `geocoder`): a made-up street per rounded
 * place while a geocoder URL is set, nothing otherwise; every call and place asked is recorded.
 */
import type { GeoPoint, Settings } from "../bindings";
import { placeKey } from "../lib/addresses";

export interface FakeLookup {
  points: GeoPoint[];
  language: string;
  channel: string;
}

export class FakeGeocoder {
  /** Every address_lookup call that reached the service (a URL was set). */
  readonly calls: FakeLookup[] = [];
  /** Places asked of the "service", by key, with how often. */
  readonly asked = new Map<string, number>();
  /** When set, every lookup answers null (a failing service). */
  failing = false;

  /** A place's made-up address. */
  static address(p: GeoPoint): string {
    return `${Math.round(Math.abs(p.lat * 1000)) % 97} Fake Street, ${placeKey(p.lat, p.lon)}`;
  }

  lookup(settings: Settings, points: GeoPoint[], language: string, channel: string): Array<string | null> {
    if ((settings.geocoderUrl ?? "").trim() === "") return points.map(() => null);
    this.calls.push({ points, language, channel });
    return points.map((p) => {
      const k = placeKey(p.lat, p.lon);
      this.asked.set(k, (this.asked.get(k) ?? 0) + 1);
      return this.failing ? null : FakeGeocoder.address(p);
    });
  }
}
