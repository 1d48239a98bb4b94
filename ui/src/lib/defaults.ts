import type { Settings } from "../bindings";

/**
 * The contract's default settings. The backend owns the real values (settings_get); the UI needs
 * these only to draw the sign-in form if the backend could not be asked.
 */
export function defaultSettings(): Settings {
  return {
    providerUrl: "http://api.etrack.vip",
    basemap: "osm",
    customBasemaps: [],
    providerDatum: "wgs84",
    tileCacheMb: 500,
    historyLimitMb: 2048,
    refreshSecs: 10,
    units: "kmh",
    timeZone: "local",
    checkUpdatesAtStart: true,
    theme: "system",
    language: "system",
    geocoderUrl: "",
  };
}
