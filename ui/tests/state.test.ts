import { describe, expect, it, vi } from "vitest";
import type { Change } from "../src/state";
import { Store, trackChanged } from "../src/state";
import { defaultSettings } from "../src/lib/defaults";
import { device, fleetStore, NOW, NOW_S, track, update } from "./fixtures";

describe("Store.applyLiveUpdate", () => {
  it("reports only the devices whose track changed", () => {
    const { store, imeis } = fleetStore(5);
    const [a, b, c, d, e] = imeis as [string, string, string, string, string];
    const changes: Change[] = [];
    store.subscribe((ch) => changes.push(ch));
    const next = [
      track(a, { latitude: 22.5, longitude: 113.9, servertime: NOW_S + 10 }), // only the provider's clock moved
      track(b, { latitude: 22.6, longitude: 113.901 }), // moved
      track(c, { latitude: 22.502, longitude: 113.902, speed: 0 }), // stopped: status change
      track(d, { latitude: 22.503, longitude: 113.903 }), // unchanged
      track(e, { latitude: 22.504, longitude: 113.904, battery: 79 }), // battery only
    ];
    const changed = store.applyLiveUpdate(update(next, NOW + 10_000));
    expect([...changed].sort()).toEqual([b, c, e].sort());
    const last = changes.at(-1);
    expect(last?.kind).toBe("tracks");
    if (last?.kind === "tracks") expect([...last.statusChanged]).toEqual([c]);
    expect(store.statusOf(c)).toBe("stopped");
    expect(store.lastUpdateAt).toBe(NOW + 10_000);
    // The newest servertime is kept even when nothing visible changed.
    expect(store.tracks.get(a)?.servertime).toBe(NOW_S + 10);
  });

  it("lets a silent vehicle age out of 'moving' although its track did not change", () => {
    const { store, imeis } = fleetStore(1);
    const a = imeis[0]!;
    const driving = track(a, { speed: 60, gpstime: NOW_S - 30, hearttime: NOW_S - 10, servertime: NOW_S });
    store.applyLiveUpdate(update([driving], NOW));
    expect(store.statusOf(a)).toBe("moving");
    // The tracker went silent: the provider repeats its last state, only its clock moves on.
    const later = store.applyLiveUpdate(update([{ ...driving, servertime: NOW_S + 600 }], NOW + 600_000));
    expect(store.statusOf(a)).toBe("stopped");
    expect([...later]).toEqual([a]);
    store.applyLiveUpdate(update([{ ...driving, servertime: NOW_S + 3 * 3600 }], NOW + 3 * 3_600_000));
    expect(store.statusOf(a)).toBe("offline");
  });

  it("ignores the provider clock when comparing tracks", () => {
    expect(trackChanged(track("1", { servertime: 1 }), track("1", { servertime: 2 }))).toBe(false);
    expect(trackChanged(track("1"), track("1", { course: 91 }))).toBe(true);
    expect(trackChanged(undefined, track("1"))).toBe(true);
  });
});

describe("Store filtering", () => {
  function mixed(): Store {
    const store = new Store(defaultSettings());
    store.setSession({ account: "x", providerUrl: "http://p", demo: false, remembered: false });
    store.setDevices([
      device("358899051000001", { devicename: "Van 1", platenumber: "AB-100" }),
      device("358899051000002", { devicename: "Van 2", platenumber: "AB-200" }),
      device("358899051000003", { devicename: "Truck 3", platenumber: "CD-300" }),
      device("358899051000004", { devicename: "Truck 4", platenumber: "" }),
    ]);
    store.applyLiveUpdate(
      update([
        track("358899051000001", { speed: 50 }),
        track("358899051000002", { speed: 0 }),
        track("358899051000003", { datastatus: 4 }),
        // 4 has no track at all: never online
      ]),
    );
    return store;
  }

  it("counts statuses among the devices matching the search", () => {
    const store = mixed();
    expect(store.counts()).toMatchObject({ all: 4, moving: 1, stopped: 1, offline: 1, neverOnline: 1 });
    store.setQuery("van");
    expect(store.counts()).toMatchObject({ all: 2, moving: 1, stopped: 1, offline: 0, neverOnline: 0 });
  });

  it("combines search and status filter for the visible list, in name order", () => {
    const store = mixed();
    expect(store.visibleImeis()).toEqual(["358899051000003", "358899051000004", "358899051000001", "358899051000002"]);
    store.setStatusFilter("stopped");
    expect(store.visibleImeis()).toEqual(["358899051000002"]);
    store.setStatusFilter("all");
    store.setQuery("ab 200");
    expect(store.visibleImeis()).toEqual(["358899051000002"]);
  });

  it("forgets the fleet when another account signs in, keeps it for the same one", () => {
    const store = mixed();
    store.select("358899051000001");
    store.setSession({ account: "x", providerUrl: "http://p", demo: false, remembered: true });
    expect(store.devices.size).toBe(4);
    expect(store.selected).toBe("358899051000001");
    store.setSession({ account: "other", providerUrl: "http://p", demo: false, remembered: false });
    expect(store.devices.size).toBe(0);
    expect(store.tracks.size).toBe(0);
    expect(store.selected).toBeNull();
  });

  it("selects only known devices and notifies once per change", () => {
    const store = mixed();
    const listener = vi.fn();
    store.subscribe(listener);
    store.select("999");
    expect(store.selected).toBeNull();
    store.select("358899051000002");
    store.select("358899051000002");
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]?.[0]).toEqual({ kind: "selection", previous: null });
  });
});
