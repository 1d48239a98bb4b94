/** Builders for test data: a device or a track with sensible values, overridden per test. */
import type { Device, LiveUpdate, Track } from "../src/bindings";
import { defaultSettings } from "../src/lib/defaults";
import { Store } from "../src/state";

export const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);
export const NOW_S = NOW / 1000;

export function device(imei: string, over: Partial<Device> = {}): Device {
  return {
    imei,
    devicename: `Truck ${imei.slice(-2)}`,
    devicetype: "VT05S",
    platenumber: `SZ-${imei.slice(-4)}`,
    onlinetime: NOW_S - 400 * 86400,
    platformduetime: NOW_S + 300 * 86400,
    simcard: "8613800000000",
    activatedtime: NOW_S - 401 * 86400,
    userduetime: NOW_S + 300 * 86400,
    ...over,
  };
}

export function track(imei: string, over: Partial<Track> = {}): Track {
  return {
    imei,
    servertime: NOW_S,
    gpstime: NOW_S - 30,
    hearttime: NOW_S - 10,
    systemtime: NOW_S - 28,
    longitude: 113.9,
    latitude: 22.5,
    course: 90,
    speed: 40,
    acctime: 1400,
    accstatus: 1,
    doorstatus: 0,
    chargestatus: 0,
    oilpowerstatus: 1,
    defencestatus: 0,
    datastatus: 2,
    battery: 80,
    mileage: 51654,
    ...over,
  };
}

export function update(tracks: Track[], at = NOW): LiveUpdate {
  return { at, tracks, durationMs: 12 };
}

/** A store signed in with `n` devices (IMEIs 358899051000100 + i), all moving near Shenzhen. */
export function fleetStore(n: number): { store: Store; imeis: string[] } {
  const store = new Store(defaultSettings());
  store.setSession({ account: "fleet-manager", providerUrl: "http://api.etrack.vip", demo: false, remembered: false });
  const imeis = Array.from({ length: n }, (_, i) => String(358899051000100 + i));
  store.setDevices(imeis.map((imei) => device(imei)));
  store.applyLiveUpdate(
    update(imeis.map((imei, i) => track(imei, { latitude: 22.5 + i * 0.001, longitude: 113.9 + i * 0.001 }))),
  );
  return { store, imeis };
}
