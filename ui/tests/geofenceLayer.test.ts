import { afterEach, describe, expect, it } from "vitest";
import L from "../src/map/leaflet";
import { GeofenceLayer } from "../src/map/geofenceLayer";
import type { StoredGeofence } from "../src/bindings";
import { sizedContainer } from "./mapDom";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

let map: L.Map | null = null;
afterEach(() => {
  useMessagesForTest(LOCALES.get("en")!.messages);
  map?.remove();
  map = null;
  document.body.replaceChildren();
});

const depot: StoredGeofence = {
  id: "g1",
  name: "Depot <North>",
  alarm: "both",
  latitude: 22.55,
  longitude: 114.05,
  radiusM: 1500,
  imeis: ["358899051000100"],
  createdMs: 0,
  account: "demo",
  provider: "http://127.0.0.1:47311",
  fromFile: false,
};

describe("geofence layer", () => {
  it("names each circle just inside its top edge, clear of the vehicle at its centre", () => {
    map = L.map(sizedContainer(), { center: [22.55, 114.05], zoom: 14 });
    const layer = new GeofenceLayer(map);
    layer.set([depot]);
    expect(document.querySelectorAll('[data-testid="geofence-circle"]')).toHaveLength(1);
    const label = document.querySelector<HTMLElement>(".gf-label")!;
    expect(label.textContent).toBe("Depot <North>");
    const centre = map.latLngToLayerPoint([depot.latitude, depot.longitude]);
    const top = map.latLngToLayerPoint([depot.latitude + depot.radiusM / 111_320, depot.longitude]);
    const labelY = L.DomUtil.getPosition(label).y;
    // Within a few pixels of the top edge, far from the centre (1500 m is ~115 px here).
    expect(Math.abs(labelY - top.y)).toBeLessThan(12);
    expect(centre.y - labelY).toBeGreaterThan(90);
    layer.setVisible(false);
    expect(document.querySelector(".gf-label")).toBeNull();
  });

  it("says in its popup what the geofence does, as text, with no English outside the messages", () => {
    map = L.map(sizedContainer(), { center: [22.55, 114.05], zoom: 14 });
    const layer = new GeofenceLayer(map, { vehicleName: () => "Truck <7>" });
    layer.set([{ ...depot, fromFile: true }]);
    const circle = document.querySelector('[data-testid="geofence-circle"]')!;
    circle.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const popup = document.querySelector<HTMLElement>(".gf-popup")!;
    expect(popup.querySelector("strong")?.textContent).toBe("Depot <North>");
    expect(popup.textContent).toContain("Vehicles: Truck <7>");
    expect(popup.textContent).toContain("From a file: the provider may not know it.");
    layer.destroy();

    useMessagesForTest(pseudoMessages());
    const again = new GeofenceLayer(map, { vehicleName: () => "Truck 7" });
    again.set([{ ...depot, fromFile: true }]);
    document.querySelectorAll('[data-testid="geofence-circle"]')[0]!.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    // The radius comes from lib/geofenceGeometry ("m") and the alarm kind from its own words.
    const el = document.querySelector<HTMLElement>(".gf-popup")!;
    expect(englishOutside(el)).toEqual([]);
    again.destroy();
  });
});
