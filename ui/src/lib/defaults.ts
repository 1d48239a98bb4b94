import type { Settings } from "../bindings";

/**
 * The contract's default settings. The backend owns the real values (settings_get); the UI needs
 * these only to draw the sign-in form if the backend could not be asked.
 */
export function defaultSettings(): Settings {
  return {
    providerUrl: "http://api.etrack.vip",
    tileUrl: "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    tileAttribution: "© OpenStreetMap contributors",
    refreshSecs: 10,
    units: "kmh",
    timeZone: "local",
    checkUpdatesAtStart: true,
    theme: "system",
  };
}
