/** The parts of the playback view on their own (the whole view: playbackView.test.ts). */
import { afterEach, describe, expect, it } from "vitest";
import type { PlaybackLoaded } from "../src/bindings";
import { FakeBackend } from "../src/backend-fake";
import { Store } from "../src/state";
import { defaultSettings } from "../src/lib/defaults";
import { routeFromPoints, type Route } from "../src/lib/playbackRoute";
import { analyse, type ReplayPosition } from "../src/lib/playbackAnalysis";
import { createPlaybackHeader } from "../src/views/playback/header";
import { createLoadController } from "../src/views/playback/loadController";
import { createReplayController } from "../src/views/playback/replayController";
import { createSidePanel } from "../src/views/playback/sidePanel";
import type { Notice } from "../src/views/playback/format";
import { NOW } from "./fixtures";

// 2024-05-03 12:00 UTC.
const DAY = Date.UTC(2024, 4, 2) / 1000;

afterEach(() => document.body.replaceChildren());

const q = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!el) throw new Error(`no ${id}`);
  return el;
};

async function demo(): Promise<{ backend: FakeBackend; store: Store; imei: string }> {
  const backend = new FakeBackend({ fleetSize: 3, nowMs: () => NOW });
  await backend.sessionDemo();
  const store = new Store({ ...backend.settings, timeZone: "UTC" });
  store.setDevices(backend.devices);
  return { backend, store, imei: backend.devices[0]!.imei };
}

/** `n` fixes 10 s apart from 08:00, driving north at `speed` km/h. */
function drive(n: number, speed = 36): Route {
  return routeFromPoints(Array.from({ length: n }, (_, i) => ({ gpstime: DAY + 8 * 3600 + i * 10, latitude: 22.5 + i * 0.001, longitude: 113.9, speed, course: 0 })));
}

describe("playback header", () => {
  function header(tz: string) {
    const asked: string[] = [];
    const h = createPlaybackHeader({ title: "Truck 7", imei: "358899051000100", preset: "today", now: () => NOW, timeZone: () => tz, progress: document.createElement("div"), onClose: () => asked.push("close"), onLoad: () => asked.push("load") });
    document.body.append(h.element);
    return { h, asked };
  }

  it("a preset fills the pickers in the user's zone and loads it", () => {
    const { h, asked } = header("Asia/Shanghai");
    const preset = q<HTMLSelectElement>("playback-preset");
    preset.value = "yesterday";
    preset.dispatchEvent(new Event("change"));
    expect(q<HTMLInputElement>("playback-from").value).toBe("2024-05-02T00:00");
    expect(q<HTMLInputElement>("playback-to").value).toBe("2024-05-03T00:00");
    // Midnight in Shanghai is 16:00 UTC the day before.
    expect(h.period()).toEqual({ begin: Date.UTC(2024, 4, 1, 16) / 1000, end: Date.UTC(2024, 4, 2, 16) / 1000 });
    expect(asked).toEqual(["load"]);
  });

  it("editing a date makes the period custom without loading; Load and back report themselves", () => {
    const { h, asked } = header("UTC");
    const from = q<HTMLInputElement>("playback-from");
    from.value = "2024-05-03T06:00";
    from.dispatchEvent(new Event("input"));
    expect(q<HTMLSelectElement>("playback-preset").value).toBe("custom");
    expect(asked).toEqual([]);
    h.setLoading(true);
    expect(q<HTMLButtonElement>("playback-load").disabled).toBe(true);
    h.setLoading(false);
    q("playback-load").click();
    q("playback-close").click();
    expect(asked).toEqual(["load", "close"]);
  });

  it("has no period while a picker is empty", () => {
    const { h } = header("UTC");
    q<HTMLInputElement>("playback-to").value = "";
    expect(h.period()).toBeNull();
  });
});

describe("playback load controller", () => {
  it("a newer request replaces one still under way: only its period is drawn", async () => {
    const { backend, imei } = await demo();
    backend.playback.stepMs = 20;
    const drawn: PlaybackLoaded[] = [];
    const busy: boolean[] = [];
    const loads = createLoadController({ backend, imei, onStarted: () => undefined, onBusy: (b) => busy.push(b), onNotice: () => undefined, onLoaded: async (l) => void drawn.push(l) });
    document.body.append(loads.element);
    await loads.ready;
    const first = loads.load({ begin: DAY, end: DAY + 86_400 });
    await new Promise((r) => setTimeout(r, 30));
    const second = loads.load({ begin: DAY + 3600, end: DAY + 86_400 });
    await Promise.all([first, second]);
    expect(drawn.map((l) => l.begin)).toEqual([DAY + 3600]);
    expect(loads.loaded?.begin).toBe(DAY + 3600);
    expect(backend.calls.filter((c) => c.cmd === "playback_cancel")).toHaveLength(1);
    expect(q("playback-progress").dataset.state).toBe("done");
    expect(q<HTMLButtonElement>("playback-cancel").disabled).toBe(true);
    expect(busy.at(-1)).toBe(false);
    loads.destroy();
  });

  it("Cancel before anything arrived says so and keeps what was shown", async () => {
    const { backend, imei } = await demo();
    backend.playback.stepMs = 30;
    const notices: Array<Notice | null> = [];
    let drawn = 0;
    const loads = createLoadController({ backend, imei, onStarted: () => undefined, onBusy: () => undefined, onNotice: (n) => notices.push(n), onLoaded: async () => void drawn++ });
    document.body.append(loads.element);
    await loads.ready;
    const loading = loads.load({ begin: DAY, end: DAY + 86_400 });
    await new Promise((r) => setTimeout(r, 10));
    q("playback-cancel").click();
    expect(document.querySelector(".pb-progress-text")?.textContent).toBe("Cancelling…");
    await loading;
    expect(q("playback-progress").dataset.state).toBe("cancelled");
    expect(document.querySelector(".pb-progress-text")?.textContent).toBe("Cancelled");
    expect(notices.at(-1)).toEqual({ text: "Cancelled before any point arrived.", kind: "info" });
    expect(drawn).toBe(0);
    expect(loads.loaded).toBeNull();
    loads.destroy();
  });
});

describe("playback replay controller", () => {
  function replay() {
    const store = new Store({ ...defaultSettings(), timeZone: "UTC" });
    const moments: Array<{ p: ReplayPosition; follow: boolean }> = [];
    const frames: FrameRequestCallback[] = [];
    const r = createReplayController({ store, raf: (cb) => frames.push(cb), onMoment: (p, follow) => moments.push({ p, follow }) });
    document.body.append(r.element, r.readout);
    return { r, moments, frames };
  }
  const key = (k: string, target: EventTarget = document.body): KeyboardEvent => {
    const ev = new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true });
    target.dispatchEvent(ev);
    return ev;
  };

  it("is off until a route with points arrives, then starts at its beginning", () => {
    const { r } = replay();
    expect(q<HTMLButtonElement>("playback-play").disabled).toBe(true);
    r.setRoute(drive(0));
    expect(q<HTMLButtonElement>("playback-play").disabled).toBe(true);
    expect(q("playback-readout").textContent).toBe("");
    r.setRoute(drive(30));
    expect(q<HTMLButtonElement>("playback-play").disabled).toBe(false);
    expect(q("playback-readout").textContent).toContain("2024-05-02 08:00:00");
    expect(q<HTMLInputElement>("playback-slider").max).toBe("290");
  });

  it("space plays and pauses, arrows step point by point, but not while typing in a field", () => {
    const { r } = replay();
    document.body.addEventListener("keydown", (ev) => r.onKey(ev));
    r.setRoute(drive(30));
    expect(key(" ").defaultPrevented).toBe(true);
    expect(r.clock.playing).toBe(true);
    key(" ");
    expect(r.clock.playing).toBe(false);
    key("ArrowRight");
    key("ArrowRight");
    expect(q("playback-readout").textContent).toContain("08:00:20");
    key("ArrowLeft");
    expect(q("playback-readout").textContent).toContain("08:00:10");
    const field = document.createElement("input");
    document.body.append(field);
    key("ArrowRight", field);
    expect(key(" ", field).defaultPrevented).toBe(false);
    expect(q("playback-readout").textContent).toContain("08:00:10");
    expect(r.clock.playing).toBe(false);
  });

  it("while the slider is dragged the map is not moved; letting go brings the vehicle back into view", () => {
    const { r, moments } = replay();
    r.setRoute(drive(30));
    const slider = q<HTMLInputElement>("playback-slider");
    slider.dispatchEvent(new Event("pointerdown"));
    slider.value = "100";
    slider.dispatchEvent(new Event("input"));
    expect(moments.at(-1)).toMatchObject({ follow: false, p: { t: DAY + 8 * 3600 + 100 } });
    slider.dispatchEvent(new Event("change"));
    expect(moments.at(-1)?.follow).toBe(true);
    q<HTMLInputElement>("playback-follow").click();
    expect(moments.at(-1)?.follow).toBe(false);
  });

  it("plays at the chosen speed, frame by frame, and stops at the end", () => {
    const { r, frames } = replay();
    r.setRoute(drive(30));
    const speed = q<HTMLSelectElement>("playback-speed");
    speed.value = "64";
    speed.dispatchEvent(new Event("change"));
    q("playback-play").click();
    const run = (ms: number): void => {
      const due = frames.splice(0);
      for (const cb of due) cb(ms);
    };
    run(performance.now());
    run(performance.now() + 1000);
    expect(Number(q("playback-readout").dataset.t)).toBeGreaterThanOrEqual(DAY + 8 * 3600 + 63);
    for (let i = 2; i < 10 && frames.length; i++) run(performance.now() + i * 1000);
    expect(r.clock.playing).toBe(false);
    expect(Number(q("playback-readout").dataset.t)).toBe(DAY + 8 * 3600 + 290);
    expect(q("playback-play").textContent).toBe("▶ Play");
  });
});

describe("playback side panel", () => {
  async function panel() {
    const { backend, store, imei } = await demo();
    const picked: string[] = [];
    const side = createSidePanel({
      backend,
      store,
      imei,
      title: "Truck 7",
      onStop: (s) => picked.push(`stop ${s.start}`),
      onTrip: (t) => picked.push(`trip ${t.start}`),
      onAlarm: (t) => picked.push(`alarm ${t}`),
      onStopMinChange: () => picked.push("stop-min"),
      onAlarmFilterChange: () => picked.push("filter"),
    });
    document.body.append(side.element);
    return { side, picked };
  }
  const loadedOf = (route: Route, alarmTypes: number[] = []): PlaybackLoaded => ({
    imei: "x",
    begin: DAY,
    end: DAY + 86_400,
    count: route.n,
    complete: true,
    error: null,
    coveredSecs: 86_400,
    fromCache: false,
    pages: 1,
    elapsedMs: 1,
    alarms: alarmTypes.map((type, k) => ({ type, longitude: 113.9, latitude: 22.5, gpstime: DAY + 8 * 3600 + k * 10, systemtime: DAY + 8 * 3600 + k * 10, speed: 30, course: 0, geofence_id: "0" })),
    alarmNames: [...new Set(alarmTypes)].map((code) => ({ code, name: code === 1 ? "sos" : `type${code}`, words: code === 1 ? "SOS" : `Alarm type ${code}` })),
    alarmsError: null,
  });

  /** Parked 10 min, then 20 short hops with a 4-minute stop after each: 20 stops, 20 trips. */
  function stopAndGo(): Route {
    const pts = [];
    let t = DAY + 7 * 3600;
    let lat = 22.5;
    for (let k = 0; k < 60; k++) pts.push({ gpstime: (t += 10), latitude: lat, longitude: 113.9, speed: 0, course: 0 });
    for (let hop = 0; hop < 20; hop++) {
      for (let k = 0; k < 12; k++) pts.push({ gpstime: (t += 10), latitude: (lat += 0.001), longitude: 113.9, speed: 36, course: 0 });
      for (let k = 0; k < 24; k++) pts.push({ gpstime: (t += 10), latitude: lat, longitude: 113.9, speed: 0, course: 0 });
    }
    return routeFromPoints(pts);
  }

  it("export waits for a period with points", async () => {
    const { side } = await panel();
    expect(q<HTMLButtonElement>("playback-export").disabled).toBe(true);
    const empty = drive(0);
    side.showPeriod(loadedOf(empty), empty, analyse(empty));
    expect(q<HTMLButtonElement>("playback-export").disabled).toBe(true);
    const route = drive(30);
    side.showPeriod(loadedOf(route), route, analyse(route));
    expect(q<HTMLButtonElement>("playback-export").disabled).toBe(false);
  });

  it("lists stops and trips with their counts; choosing one reports it", async () => {
    const { side, picked } = await panel();
    const route = stopAndGo();
    const a = analyse(route, { minStopSecs: side.minStopSecs });
    side.showPeriod(loadedOf(route), route, a);
    expect(q("playback-tab-stops").textContent).toBe(`Stops ${a.stops.length}`);
    expect(a.stops.length).toBeGreaterThan(10);
    document.querySelectorAll<HTMLElement>('[data-testid="playback-stop"]')[2]!.click();
    q("playback-tab-trips").click();
    document.querySelectorAll<HTMLElement>('[data-testid="playback-trip"]')[0]!.click();
    expect(picked).toEqual([`stop ${a.stops[2]!.start}`, `trip ${a.trips[0]!.start}`]);
  });

  it("a long list shows its first 50 and a button for the rest", async () => {
    const { side } = await panel();
    const route = drive(10);
    const types = Array.from({ length: 60 }, (_, k) => (k % 2 ? 1 : 7));
    side.showPeriod(loadedOf(route, types), route, analyse(route));
    q("playback-tab-alarms").click();
    await Promise.resolve();
    const items = () => document.querySelectorAll('[data-testid="playback-alarm"]');
    expect(items()).toHaveLength(50);
    const more = document.querySelector<HTMLButtonElement>(".pb-more");
    expect(more?.textContent).toBe("Show all 60");
    more!.click();
    expect(items()).toHaveLength(60);
    expect(document.querySelector(".pb-more")).toBeNull();
  });

  it("the alarm filter narrows the list and the map's alarms", async () => {
    const { side, picked } = await panel();
    const route = drive(10);
    side.showPeriod(loadedOf(route, [1, 7, 7]), route, analyse(route));
    expect(side.mapAlarms()).toHaveLength(3);
    const filter = q<HTMLSelectElement>("playback-alarm-filter");
    filter.value = "1";
    filter.dispatchEvent(new Event("change"));
    expect(side.mapAlarms().map((a) => a.label)).toEqual(["SOS · 2024-05-02 08:00:00 UTC"]);
    expect(picked).toEqual(["filter"]);
  });

  it("shows messages by kind, and hides when there is none", async () => {
    const { side } = await panel();
    const message = q("playback-message");
    expect(message.hidden).toBe(true);
    side.showMessage({ text: "Cancelled before any point arrived.", kind: "info" });
    expect([message.hidden, message.dataset.kind, message.textContent]).toEqual([false, "info", "Cancelled before any point arrived."]);
    side.showMessage(null);
    expect([message.hidden, message.dataset.kind]).toEqual([true, undefined]);
  });
});
