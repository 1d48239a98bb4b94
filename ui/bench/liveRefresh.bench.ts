/**
 * Time for the UI to apply one live refresh of a 500-device fleet: state diff + list rows +
 * clustered map markers. Runs in jsdom (no browser needed): DOM work without layout or paint, and
 * jsdom's DOM is several times slower than a browser's, so read the figures relative to each
 * other; `npm run bench:browser` measures the same in Chromium. Run: `npm run bench`.
 */
import { bench, describe } from "vitest";
import type { LiveUpdate, Track } from "../src/bindings";
import { Store } from "../src/state";
import { defaultSettings } from "../src/lib/defaults";
import { advanceFleet, makeDemoFleet, seededRandom } from "../src/fake/demoFleet";
import { DeviceList } from "../src/views/deviceList";
import { FleetMap } from "../src/map/fleetMap";

const FLEET = 500;
const UPDATES = 60;
const NOW = Date.UTC(2024, 4, 3, 12);

function sized(el: HTMLElement, w: number, h: number): HTMLElement {
  Object.defineProperty(el, "clientWidth", { get: () => w });
  Object.defineProperty(el, "clientHeight", { get: () => h });
  return el;
}

function setup(kind: "driving" | "all-moved" | "quiet", zoom: number | null = null) {
  const fleet = makeDemoFleet({ size: FLEET, seed: 11, nowMs: NOW });
  const store = new Store(defaultSettings());
  store.setSession({ account: "bench", providerUrl: "http://127.0.0.1:1", demo: true, remembered: false });
  store.setDevices(fleet.devices);
  store.applyLiveUpdate({ at: NOW, tracks: fleet.tracks, durationMs: 0 });
  const list = new DeviceList(store, { now: () => NOW, tickMs: 0 });
  document.body.replaceChildren(list.element);
  const mapEl = sized(document.createElement("div"), 1200, 800);
  document.body.append(mapEl);
  const map = new FleetMap(mapEl, store, { offlineBasemap: false, tiles: false });
  // As the app does after sign-in: the whole fleet in view (or closer, where labels show).
  map.fitFleet();
  if (zoom !== null) map.map.setView([22.63, 114.0], zoom, { animate: false });

  // Pre-computed refreshes so the benchmark times the UI, not the simulator.
  const rand = seededRandom(5);
  const updates: LiveUpdate[] = [];
  let tracks: Track[] = fleet.tracks;
  for (let i = 1; i <= UPDATES; i++) {
    const at = NOW + i * 10_000;
    if (kind === "driving") tracks = advanceFleet(tracks, 10, rand, at);
    else if (kind === "all-moved") tracks = tracks.map((t) => ({ ...t, latitude: t.latitude + 0.0005, longitude: t.longitude + 0.0005, course: (t.course + 7) % 360, gpstime: t.gpstime + 10 }));
    else tracks = tracks.map((t) => ({ ...t, servertime: t.servertime + 10 }));
    updates.push({ at, tracks, durationMs: 0 });
  }
  let next = 0;
  const refresh = (): void => {
    const u = updates[next % updates.length]!;
    next++;
    store.applyLiveUpdate(u);
  };
  return Object.assign(refresh, { map });
}

describe(`one live refresh of ${FLEET} devices (state + list + markers)`, () => {
  const driving = setup("driving");
  bench("typical: ~60% of the fleet driving", driving, { iterations: UPDATES, warmupIterations: 5, time: 0 });

  const allMoved = setup("all-moved");
  bench("worst: every device moved and turned", allMoved, { iterations: UPDATES, warmupIterations: 5, time: 0 });

  // Zoom 12: markers are labelled (from 11) and many stand alone, outside clusters.
  const labelled = setup("driving", 12);
  bench("typical, zoomed in to zoom 12 (labels shown)", labelled, { iterations: UPDATES, warmupIterations: 5, time: 0 });
  // What the labels add to a refresh at that zoom: the placement pass on its own.
  bench("label placement pass alone, zoom 12", () => labelled.map.declutterLabels(), { iterations: UPDATES, warmupIterations: 5, time: 0 });

  const quiet = setup("quiet");
  bench("quiet: nothing changed but the provider clock", quiet, { iterations: UPDATES, warmupIterations: 5, time: 0 });
});
