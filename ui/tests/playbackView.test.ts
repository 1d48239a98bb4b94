import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PlaybackPoint } from "../src/bindings";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { createPlaybackView, type PlaybackView } from "../src/views/playback";
import { createFleetView } from "../src/views/fleet";

// 2024-05-03 12:00 UTC; "yesterday" in UTC is 2024-05-02.
const NOW = Date.UTC(2024, 4, 3, 12, 0, 0);
const Y_BEGIN = Date.UTC(2024, 4, 2) / 1000;
const Y_END = Date.UTC(2024, 4, 3) / 1000;

/** Yesterday: parked until 08:00, a 30-minute drive at 36 km/h, 20 minutes stopped, 20 more minutes driving. */
function yesterday(): PlaybackPoint[] {
  const pts: PlaybackPoint[] = [];
  let lat = 22.5;
  const push = (t: number, speed: number): void => {
    lat += ((speed / 3.6) * 10) / 111_195;
    pts.push({ gpstime: t, latitude: +lat.toFixed(7), longitude: 113.9, speed, course: speed ? 0 : 0 });
  };
  const at = (h: number, m = 0): number => Y_BEGIN + h * 3600 + m * 60;
  for (let t = at(7, 50); t < at(8); t += 10) push(t, 0);
  for (let t = at(8); t < at(8, 30); t += 10) push(t, 36);
  for (let t = at(8, 30); t < at(8, 50); t += 10) push(t, 0);
  for (let t = at(8, 50); t < at(9, 10); t += 10) push(t, 36);
  return pts;
}

beforeAll(() => {
  // jsdom has no layout; Leaflet needs a size to fit the route.
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
  Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
});

let view: PlaybackView | null = null;
afterEach(() => {
  view?.destroy();
  view = null;
  document.body.replaceChildren();
});

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};

/** Frames run only when the test says so, with the time it says. */
class Frames {
  private queue: FrameRequestCallback[] = [];
  ms = 0;
  raf = (cb: FrameRequestCallback): number => {
    this.queue.push(cb);
    return this.queue.length;
  };
  run(advanceMs = 16): void {
    this.ms += advanceMs;
    const due = this.queue;
    this.queue = [];
    for (const cb of due) cb(this.ms);
  }
}

async function setup(opts: { history?: PlaybackPoint[] } = {}) {
  const backend = new FakeBackend({ fleetSize: 8, nowMs: () => NOW });
  await backend.sessionDemo();
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setDevices(backend.devices);
  const history = opts.history ?? yesterday();
  backend.playback.history = (_imei, begin, end) => history.filter((p) => p.gpstime >= begin && p.gpstime <= end);
  const frames = new Frames();
  const imei = backend.devices[0]!.imei;
  view = createPlaybackView({
    backend,
    store,
    imei,
    onClose: () => undefined,
    map: { offlineBasemap: false, tiles: false, canvas: false },
    chartCanvas: false,
    now: () => NOW,
    preset: "yesterday",
    raf: frames.raf,
  });
  document.body.append(view.element);
  return { backend, store, frames, imei, view };
}

/** Runs frames until `p` settles (drawing waits for two frames). */
async function settle<T>(p: Promise<T>, frames: Frames): Promise<T> {
  let done = false;
  const out = p.finally(() => {
    done = true;
  });
  for (let i = 0; i < 200 && !done; i++) {
    await new Promise((r) => setTimeout(r, 0));
    frames.run(0);
  }
  return out;
}

describe("playback view", () => {
  it("loads yesterday in the user's zone: the progress bar completes, stats and stops appear", async () => {
    const { backend, frames, view: v, imei } = await setup();
    expect(q<HTMLInputElement>("playback-from").value).toBe("2024-05-02T00:00");
    expect(q<HTMLInputElement>("playback-to").value).toBe("2024-05-03T00:00");
    const seen: number[] = [];
    await backend.onPlaybackProgress((p) => seen.push(p.coveredSecs));
    await settle(v.load(), frames);

    expect(backend.calls.find((c) => c.cmd === "playback_load")?.args).toMatchObject({ imei, begin: Y_BEGIN, end: Y_END });
    expect(seen.length).toBeGreaterThan(1);
    const bar = q("playback-progress");
    expect(bar.dataset.state).toBe("done");
    expect(bar.getAttribute("aria-valuenow")).toBe("100");
    const count = yesterday().length;
    expect(bar.dataset.count).toBe(String(count));

    const stats = q("playback-stats");
    expect(stats.querySelector('[data-field="points"]')?.textContent).toBe(count.toLocaleString("en-US"));
    // Two drives at 36 km/h: 30 + 20 minutes = 30 km.
    expect(stats.querySelector('[data-field="distance"]')?.textContent).toBe("30.0 km");
    expect(stats.querySelector('[data-field="max-speed"]')?.textContent).toBe("36 km/h");
    const stops = q("playback-stops").querySelectorAll('[data-testid="playback-stop"]');
    expect(stops).toHaveLength(2);
    expect(stops[1]!.textContent).toContain("08:30 – 08:49");
    // The other lists are drawn when their tab is opened.
    expect(q("playback-trips").children).toHaveLength(0);
    q("playback-tab-trips").click();
    expect(q("playback-trips").querySelectorAll('[data-testid="playback-trip"]')).toHaveLength(2);
    expect(q("playback-tab-trips").textContent).toBe("Trips 2");
    expect(v.map.counts.stops).toBe(2);
    expect(q("playback-message").hidden).toBe(true);
  });

  it("replays by elapsed time at the chosen speed, and the readout follows", async () => {
    const { frames, view: v } = await setup();
    await settle(v.load(), frames);
    const readout = q("playback-readout");
    const start = Number(readout.dataset.t);
    expect(readout.textContent).toContain("2024-05-02 07:50:00");
    const speed = q<HTMLSelectElement>("playback-speed");
    speed.value = "64";
    speed.dispatchEvent(new Event("change"));
    q("playback-play").click();
    expect(q("playback-play").getAttribute("aria-pressed")).toBe("true");
    // Two seconds of wall time at 64x: 128 s of route time.
    frames.run(0);
    frames.run(1000);
    frames.run(1000);
    expect(Number(readout.dataset.t) - start).toBeCloseTo(128, 0);
    expect(readout.textContent).toMatch(/07:52:08 .* 0 km\/h/);
    q("playback-play").click();
    expect(q("playback-play").getAttribute("aria-pressed")).toBe("false");
    frames.run(1000);
    expect(Number(readout.dataset.t) - start).toBeCloseTo(128, 0);
  });

  it("scrubs with the slider, steps point by point, and jumps to a stop", async () => {
    const { frames, view: v } = await setup();
    await settle(v.load(), frames);
    const slider = q<HTMLInputElement>("playback-slider");
    const readout = q("playback-readout");
    slider.value = String(15 * 60); // 08:05, driving
    slider.dispatchEvent(new Event("input"));
    expect(readout.textContent).toContain("08:05:00");
    expect(readout.textContent).toContain("36 km/h");
    q("playback-next").click();
    expect(readout.textContent).toContain("08:05:10");
    q("playback-prev").click();
    q("playback-prev").click();
    expect(readout.textContent).toContain("08:04:50");
    (q("playback-stops").querySelectorAll<HTMLElement>('[data-testid="playback-stop"]')[1]!).click();
    expect(readout.textContent).toContain("08:30:00");
    expect(Number(slider.value)).toBe(40 * 60);
  });

  it("the shortest stop is configurable: lists, map and totals follow without moving the map", async () => {
    const { frames, view: v } = await setup();
    await settle(v.load(), frames);
    const centre = v.map.map.getCenter();
    const stopMin = q<HTMLInputElement>("playback-stop-min");
    stopMin.value = "15";
    stopMin.dispatchEvent(new Event("change"));
    expect(q("playback-stops").querySelectorAll('[data-testid="playback-stop"]')).toHaveLength(1);
    expect(v.map.counts.stops).toBe(1);
    expect(q("playback-tab-stops").textContent).toBe("Stops 1");
    expect(q("playback-stats").querySelector('[data-field="stopped"]')?.textContent).toBe("19 min");
    expect(v.map.map.getCenter()).toEqual(centre);
  });

  it("reopening the same period is served from memory", async () => {
    const { backend, frames, view: v } = await setup();
    await settle(v.load(), frames);
    await settle(v.load(), frames);
    expect(backend.playback.loads.map((l) => l.fromCache)).toEqual([false, true]);
    expect(q("playback-progress").textContent ?? "").toBe("");
    expect(document.querySelector(".pb-progress-text")?.textContent).toContain("already loaded");
  });

  it("a network failure midway keeps what arrived and says so", async () => {
    const { backend, frames, view: v } = await setup();
    backend.playback.progressSteps = 48;
    backend.playback.failAfter = { share: 0.35, error: { kind: "network", message: "Cannot reach the provider at http://x: connection reset.", apiCode: null } };
    await settle(v.load(), frames);
    const msg = q("playback-message");
    expect(msg.hidden).toBe(false);
    expect(msg.dataset.kind).toBe("warning");
    expect(msg.textContent).toMatch(/^Cannot reach the provider at http:\/\/x: connection reset\. Showing the \d+ points/);
    expect(q("playback-progress").dataset.state).toBe("partial");
    expect(v.route.n).toBeGreaterThan(0);
    expect(v.route.n).toBeLessThan(yesterday().length);
    expect(q<HTMLButtonElement>("playback-play").disabled).toBe(false);
  });

  it("a failure before anything arrived leaves the route on screen", async () => {
    const { backend, frames, view: v } = await setup();
    await settle(v.load(), frames);
    const n = v.route.n;
    backend.playback.failAfter = { share: 0, error: { kind: "network", message: "Cannot reach the provider at http://x: connection refused.", apiCode: null } };
    // A different period, so it is not served from memory.
    const from = q<HTMLInputElement>("playback-from");
    from.value = "2024-05-02T06:00";
    from.dispatchEvent(new Event("input"));
    await settle(v.load(), frames);
    expect(q("playback-message").dataset.kind).toBe("error");
    expect(q("playback-message").textContent).toBe("Cannot reach the provider at http://x: connection refused.");
    expect(q("playback-progress").dataset.state).toBe("failed");
    expect(v.route.n).toBe(n);
    expect(q<HTMLSelectElement>("playback-preset").value).toBe("custom");
  });

  it("an empty period (or a device without data) says so", async () => {
    const { frames, view: v } = await setup({ history: [] });
    await settle(v.load(), frames);
    expect(q("playback-message").textContent).toMatch(/^No positions were recorded/);
    expect(q<HTMLButtonElement>("playback-play").disabled).toBe(true);
    expect(q<HTMLButtonElement>("playback-export").disabled).toBe(true);
  });

  it("refuses a period longer than 31 days before asking the backend", async () => {
    const { backend, frames, view: v } = await setup();
    q<HTMLInputElement>("playback-from").value = "2024-03-01T00:00";
    await settle(v.load(), frames);
    expect(q("playback-message").textContent).toMatch(/31 days/);
    expect(backend.calls.some((c) => c.cmd === "playback_load")).toBe(false);
  });

  it("cancel stops the load and keeps the part fetched", async () => {
    const { backend, frames, view: v } = await setup();
    backend.playback.stepMs = 30;
    const loading = v.load();
    await new Promise((r) => setTimeout(r, 80));
    expect(q("playback-progress").dataset.state).toBe("loading");
    q("playback-cancel").click();
    await settle(loading, frames);
    expect(backend.calls.some((c) => c.cmd === "playback_cancel")).toBe(true);
    const state = q("playback-progress").dataset.state;
    expect(["partial", "cancelled"]).toContain(state);
    expect(q("playback-message").textContent).toMatch(/^Cancelled/);
  });

  it("exports in the chosen format through the backend and tells where the file went", async () => {
    const { backend, frames, view: v, imei } = await setup();
    await settle(v.load(), frames);
    const fmt = q<HTMLSelectElement>("playback-export-format");
    fmt.value = "kml";
    q("playback-export").click();
    await settle(Promise.resolve().then(() => new Promise((r) => setTimeout(r, 10))), frames);
    expect(backend.playback.exports).toHaveLength(1);
    expect(backend.playback.exports[0]).toMatchObject({ imei, format: "kml", points: yesterday().length });
    const status = q("playback-export-status");
    expect(status.textContent).toBe(`Saved ${yesterday().length.toLocaleString("en-US")} points to /home/user/route.kml`);
    // A dismissed dialog exports nothing and says nothing.
    backend.playback.savePath = null;
    q("playback-export").click();
    await new Promise((r) => setTimeout(r, 10));
    expect(status.textContent).toBe("");
  });

  it("lists the period's alarms in words, filters them by type, and jumps to one", async () => {
    const { backend, frames, view: v } = await setup();
    const alarm = (type: number, t: number) => ({ type, longitude: 113.9, latitude: 22.5, gpstime: t, systemtime: t + 5, speed: 40, course: 0, geofence_id: "0" });
    backend.playback.alarms = [alarm(7, Y_BEGIN + 8 * 3600 + 600), alarm(1, Y_BEGIN + 9 * 3600), alarm(7, Y_BEGIN + 9 * 3600 + 60)];
    await settle(v.load(), frames);
    expect(q("playback-tab-alarms").textContent).toBe("Alarms 3");
    q("playback-tab-alarms").click();
    const items = () => [...q("playback-alarms").querySelectorAll<HTMLElement>('[data-testid="playback-alarm"]')];
    expect(items().map((li) => li.querySelector("strong")?.textContent)).toEqual(["Speeding", "SOS", "Speeding"]);
    expect(v.map.counts.alarms).toBe(3);
    const filter = q<HTMLSelectElement>("playback-alarm-filter");
    expect([...filter.options].map((o) => o.textContent)).toEqual(["All alarms (3)", "SOS (1)", "Speeding (2)"]);
    filter.value = "1";
    filter.dispatchEvent(new Event("change"));
    expect(items()).toHaveLength(1);
    expect(v.map.counts.alarms).toBe(1);
    items()[0]!.click();
    expect(q("playback-readout").textContent).toContain("2024-05-02 09:00:00");
  });
});

describe("opening playback from the fleet", () => {
  /** The fleet view signed into a fake demo, with one vehicle selected; returns that vehicle. */
  async function fleetWithSelection() {
    const backend = new FakeBackend({ fleetSize: 6, nowMs: () => NOW });
    await backend.sessionDemo();
    const store = new Store({ ...backend.settings, timeZone: "UTC" });
    const fleet = createFleetView({ backend, store, onSignOut: () => undefined, map: { offlineBasemap: false, tiles: false }, tickMs: 0 });
    document.body.append(fleet.element);
    await fleet.load();
    const imei = backend.devices[1]!.imei;
    store.select(imei);
    return { backend, fleet, imei };
  }

  it("the details panel opens it in place of the workspace, and closing brings the fleet back", async () => {
    const { backend, fleet, imei } = await fleetWithSelection();
    q("playback-open").click();
    const pv = q("playback-view");
    expect(pv.dataset.imei).toBe(imei);
    expect(document.querySelector<HTMLElement>(".workspace")!.hidden).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.calls.some((c) => c.cmd === "playback_load")).toBe(true);
    q("playback-close").click();
    expect(document.querySelector('[data-testid="playback-view"]')).toBeNull();
    expect(document.querySelector<HTMLElement>(".workspace")!.hidden).toBe(false);
    fleet.destroy();
  });

  it("the Alarms button while playback is open shows the alarms in its place; closing them brings the fleet back", async () => {
    const { fleet } = await fleetWithSelection();
    q("playback-open").click();
    expect(document.querySelectorAll('[data-testid="playback-view"]')).toHaveLength(1);
    q("alarms-open").click();
    expect(document.querySelector('[data-testid="playback-view"]')).toBeNull();
    expect(document.querySelectorAll('[data-testid="alarms-view"]')).toHaveLength(1);
    expect(document.querySelector<HTMLElement>(".workspace")!.hidden).toBe(true);
    q("alarms-close").click();
    expect(document.querySelector('[data-testid="alarms-view"]')).toBeNull();
    expect(document.querySelector<HTMLElement>(".workspace")!.hidden).toBe(false);
    fleet.destroy();
  });
});
