import { afterEach, describe, expect, it } from "vitest";
import { FleetMap, positionOf } from "../src/map/fleetMap";
import { fleetStore, NOW, track, update } from "./fixtures";
import { sizedContainer } from "./mapDom";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

const markers = () => [...document.querySelectorAll<HTMLElement>('[data-testid="marker"]')];

let map: FleetMap | null = null;
afterEach(() => {
  useMessagesForTest(LOCALES.get("en")!.messages);
  map?.destroy();
  map = null;
  document.body.replaceChildren();
});

describe("fleet map", () => {
  it("puts one marker per device with a position, coloured by status and turned by course", () => {
    const { store, imeis } = fleetStore(4);
    store.applyLiveUpdate(
      update([
        track(imeis[0]!, { course: 195, latitude: 22.5, longitude: 113.9 }),
        track(imeis[1]!, { datastatus: 4, latitude: 22.51, longitude: 113.91 }),
        track(imeis[2]!, { latitude: 0, longitude: 0 }), // no fix
      ]),
    );
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false, cluster: false });
    expect(map.markerCount).toBe(3);
    expect(markers().map((m) => m.dataset.imei).sort()).toEqual([imeis[0], imeis[1], imeis[3]].sort());
    const m0 = markers().find((m) => m.dataset.imei === imeis[0])!;
    expect(m0.classList.contains("status-moving")).toBe(true);
    expect(m0.querySelector(".vm-arrow path")?.getAttribute("transform")).toBe("rotate(195 12 12)");
    expect(m0.querySelector(".vm-label")?.textContent).toBe("SZ-0100");
    const m1 = markers().find((m) => m.dataset.imei === imeis[1])!;
    expect(m1.classList.contains("status-offline")).toBe(true);
  });

  it("selects a device when its marker is clicked and marks it selected", () => {
    const { store, imeis } = fleetStore(3);
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false, cluster: false });
    const target = markers().find((m) => m.dataset.imei === imeis[2])!;
    target.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(store.selected).toBe(imeis[2]);
    const again = markers().find((m) => m.dataset.imei === imeis[2])!;
    expect(again.classList.contains("is-selected")).toBe(true);
    const centre = map.map.getCenter();
    // Leaflet centres on whole pixels: within a few metres.
    expect(centre.lat).toBeCloseTo(store.tracks.get(imeis[2]!)!.latitude, 4);
    expect(centre.lng).toBeCloseTo(store.tracks.get(imeis[2]!)!.longitude, 4);
  });

  it("on a live refresh touches only the markers that moved, turned or changed status", async () => {
    const { store, imeis } = fleetStore(40);
    const container = sizedContainer();
    map = new FleetMap(container, store, { offlineBasemap: false, tiles: false, cluster: false });
    const before = new Map(markers().map((m) => [m.dataset.imei!, m]));
    const touched = new Set<string>();
    const collect = (records: MutationRecord[]): void => {
      for (const r of records) {
        const el = (r.target instanceof Element ? r.target : r.target.parentElement)?.closest<HTMLElement>('[data-testid="marker"]');
        if (el?.dataset.imei) touched.add(el.dataset.imei);
      }
    };
    const obs = new MutationObserver(collect);
    obs.observe(container, { subtree: true, attributes: true, childList: true, characterData: true });

    const tracks = store.order.map((imei) => store.tracks.get(imei)!);
    const next = tracks.map((t, i) =>
      i === 5
        ? { ...t, latitude: t.latitude + 0.002 }
        : i === 9
          ? { ...t, course: 180 }
          : i === 12
            ? { ...t, battery: 12 }
            : i === 20
              ? { ...t, speed: 0 }
              : { ...t, servertime: t.servertime + 10 },
    );
    store.applyLiveUpdate(update(next, NOW + 10_000));
    await Promise.resolve();
    collect(obs.takeRecords());
    obs.disconnect();

    expect(map.lastStats).toEqual({ added: 0, moved: 1, restyled: 1, turned: 1, removed: 0 });
    // Battery (12) is not drawn on the map: that marker is left alone like the unchanged ones.
    expect([...touched].sort()).toEqual([imeis[5], imeis[9], imeis[20]].sort());
    // Every marker keeps its element: moves, turns and status changes are drawn in place.
    const after = new Map(markers().map((m) => [m.dataset.imei!, m]));
    for (const imei of imeis) expect(after.get(imei)).toBe(before.get(imei));
    expect(after.get(imeis[9]!)!.querySelector(".vm-arrow path")!.getAttribute("transform")).toBe("rotate(180 12 12)");
    const stopped = after.get(imeis[20]!)!;
    expect(stopped.dataset.status).toBe("stopped");
    expect(stopped.classList.contains("status-stopped")).toBe(true);
    expect(stopped.classList.contains("status-moving")).toBe(false);
    expect(map.markerFor(imeis[5]!)!.getLatLng().lat).toBeCloseTo(tracks[5]!.latitude + 0.002, 6);
  });

  it("keeps clusters consistent while vehicles drive, near and far", async () => {
    const { store, imeis } = fleetStore(60);
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false });
    map.map.setView([22.53, 113.93], 11, { animate: false });
    const start = store.order.map((imei) => store.tracks.get(imei)!);
    // Many refreshes of small moves (in place) and a few long jumps (re-clustered).
    for (let round = 1; round <= 12; round++) {
      const next = store.order.map((imei, i) => {
        const t = store.tracks.get(imei)!;
        const jump = i % 15 === round % 15;
        return { ...t, latitude: t.latitude + (jump ? 0.05 : 0.0002), longitude: t.longitude + (jump ? -0.05 : 0.0002) };
      });
      store.applyLiveUpdate(update(next, NOW + round * 10_000));
    }
    // Every vehicle back where it started: for most, exactly where the plugin filed it.
    store.applyLiveUpdate(update(start.map((t) => ({ ...t })), NOW + 13 * 10_000));
    store.applyLiveUpdate(update(start.map((t, i) => (i % 2 ? { ...t, latitude: t.latitude + 0.04 } : t)), NOW + 14 * 10_000));
    await new Promise((r) => setTimeout(r, 400));
    const counted = () =>
      [...document.querySelectorAll(".fleet-cluster")].reduce((n, c) => n + Number(c.textContent), 0) + markers().length;
    expect(counted()).toBe(60);
    for (const imei of imeis) {
      const t = store.tracks.get(imei)!;
      expect(map.markerFor(imei)!.getLatLng().lat).toBeCloseTo(t.latitude, 6);
    }
    // Filtering everything out leaves no ghost behind, and bringing it back shows all again.
    store.setQuery("nothing matches this");
    await new Promise((r) => setTimeout(r, 400));
    expect(document.querySelectorAll(".fleet-cluster").length + markers().length).toBe(0);
    store.setQuery("");
    await new Promise((r) => setTimeout(r, 400));
    expect(counted()).toBe(60);
  });

  it("adds a marker when a device gets its first fix and drops it when the fix is lost", () => {
    const { store, imeis } = fleetStore(2);
    store.applyLiveUpdate(update([track(imeis[1]!, { latitude: 0, longitude: 0 })]));
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false, cluster: false });
    expect(map.markerCount).toBe(1);
    store.applyLiveUpdate(update([track(imeis[1]!, { latitude: 22.7, longitude: 114.1 })]));
    expect(map.lastStats.added).toBe(1);
    expect(markers().map((m) => m.dataset.imei)).toContain(imeis[1]);
    store.applyLiveUpdate(update([track(imeis[0]!, { latitude: 0, longitude: 0 })]));
    expect(map.lastStats.removed).toBe(1);
    expect(markers().map((m) => m.dataset.imei)).toEqual([imeis[1]]);
  });

  it("shows only the devices the list shows (search and status filter)", () => {
    const { store, imeis } = fleetStore(10);
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false, cluster: false });
    expect(markers()).toHaveLength(10);
    store.setQuery(imeis[4]!);
    expect(markers().map((m) => m.dataset.imei)).toEqual([imeis[4]]);
    store.setQuery("");
    store.setStatusFilter("stopped");
    expect(markers()).toHaveLength(0);
    store.applyLiveUpdate(update([track(imeis[2]!, { latitude: 22.502, longitude: 113.902, speed: 0 })]));
    expect(markers().map((m) => m.dataset.imei)).toEqual([imeis[2]]);
  });

  it("clusters markers that are close together", async () => {
    const { store } = fleetStore(60);
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false });
    map.map.setView([22.53, 113.93], 8, { animate: false });
    // The plugin removes the previous zoom's icons after its (short) animation.
    await new Promise((r) => setTimeout(r, 400));
    const clusters = document.querySelectorAll(".fleet-cluster");
    expect(clusters.length).toBeGreaterThan(0);
    const shown = [...clusters].reduce((n, c) => n + Number(c.textContent), 0) + markers().length;
    expect(shown).toBe(60);
    const titled = [...clusters].map((c) => c.querySelector(".fc-core")!.getAttribute("title"));
    expect(titled.every((t) => /^\d+ vehicles, \d+ moving$/.test(t ?? ""))).toBe(true);
  });

  it("titles clusters in the user's language", async () => {
    useMessagesForTest(pseudoMessages());
    const { store } = fleetStore(20);
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false });
    map.map.setView([22.53, 113.93], 8, { animate: false });
    await new Promise((r) => setTimeout(r, 400));
    const clusters = [...document.querySelectorAll(".fleet-cluster")];
    expect(clusters.length).toBeGreaterThan(0);
    for (const c of clusters) expect(englishOutside(c)).toEqual([]);
  });

  it("never hides the selected vehicle in a cluster, whatever the filter or its neighbours do", async () => {
    const { store, imeis } = fleetStore(3);
    const [a, b, c] = imeis as [string, string, string];
    // Three vehicles a few metres apart: one cluster at any zoom below 15.
    store.applyLiveUpdate(
      update([
        track(a, { latitude: 22.5, longitude: 113.9, speed: 40 }),
        track(b, { latitude: 22.5001, longitude: 113.9001, speed: 0 }),
        track(c, { latitude: 22.5002, longitude: 113.9002, speed: 0 }),
      ]),
    );
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false });
    map.map.setView([22.5, 113.9], 10, { animate: false });
    await new Promise((r) => setTimeout(r, 400));
    expect(markers()).toHaveLength(0);
    // Selected while only moving vehicles are listed, then the filter widens: its neighbours come
    // back around it, and it stays a marker of its own.
    store.setStatusFilter("moving");
    store.select(a);
    store.setStatusFilter("all");
    map.map.setView([22.5, 113.9], 10, { animate: false });
    await new Promise((r) => setTimeout(r, 400));
    expect(markers().map((m) => m.dataset.imei)).toEqual([a]);
    expect(Number(document.querySelector(".fleet-cluster")?.textContent)).toBe(2);
    // A neighbour drives onto it: still its own marker.
    store.applyLiveUpdate(update([track(b, { latitude: 22.5, longitude: 113.9, speed: 10 })], NOW + 10_000));
    await new Promise((r) => setTimeout(r, 400));
    expect(markers().map((m) => m.dataset.imei)).toContain(a);
    // Let go: it joins the cluster again, nothing is lost.
    store.select(null);
    map.map.setView([22.5, 113.9], 10, { animate: false });
    await new Promise((r) => setTimeout(r, 400));
    const shown = [...document.querySelectorAll(".fleet-cluster")].reduce((n, el) => n + Number(el.textContent), 0) + markers().length;
    expect(shown).toBe(3);
    expect(markers()).toHaveLength(0);
  });

  it("leaves out labels that would pile onto another, the moving vehicle's kept, and shows them again when there is room", () => {
    const { store, imeis } = fleetStore(3);
    const [stopped, moving, far] = imeis as [string, string, string];
    // About 60 m apart: at zoom 15 the two markers nearly touch; the third is a kilometre away.
    store.applyLiveUpdate(
      update([
        track(stopped, { latitude: 22.5, longitude: 113.9, speed: 0 }),
        track(moving, { latitude: 22.4996, longitude: 113.9004, speed: 35 }),
        track(far, { latitude: 22.51, longitude: 113.91, speed: 0 }),
      ]),
    );
    map = new FleetMap(sizedContainer(), store, { offlineBasemap: false, tiles: false, cluster: false });
    map.map.setView([22.505, 113.905], 15, { animate: false });
    map.declutterLabels();
    const labelOff = () => markers().filter((m) => m.classList.contains("label-off")).map((m) => m.dataset.imei);
    expect(labelOff()).toEqual([stopped]);
    // The one left out still says who it is on hover (its title).
    expect(markers().find((m) => m.dataset.imei === stopped)!.title).toContain("SZ-");

    // The selected vehicle's label comes first.
    store.select(stopped);
    map.map.setView([22.505, 113.905], 15, { animate: false });
    map.declutterLabels();
    expect(labelOff()).toEqual([moving]);
    store.select(null);

    // Close enough to see the gap between them: both labels.
    map.map.setView([22.4998, 113.9002], 19, { animate: false });
    map.declutterLabels();
    expect(labelOff()).toEqual([]);

    // Or the moving one drives off: both labels at zoom 15 too, on the refresh itself.
    map.map.setView([22.505, 113.905], 15, { animate: false });
    map.declutterLabels();
    expect(labelOff()).toEqual([stopped]);
    store.applyLiveUpdate(update([track(moving, { latitude: 22.503, longitude: 113.903, speed: 35 })], NOW + 10_000));
    expect(labelOff()).toEqual([]);
  });

  it("treats 0,0 and out-of-range coordinates as no position", () => {
    expect(positionOf(track("1", { latitude: 0, longitude: 0 }))).toBeNull();
    expect(positionOf(track("1", { latitude: 91, longitude: 10 }))).toBeNull();
    expect(positionOf(undefined)).toBeNull();
    expect(positionOf(track("1", { latitude: 22.5, longitude: 0 }))).toEqual({ lat: 22.5, lng: 0 });
  });
});
