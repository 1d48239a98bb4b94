import { afterEach, describe, expect, it } from "vitest";
import { STATUS_ORDER, type DeviceStatus } from "../src/lib/status";
import { SPEED_CLASSES } from "../src/lib/playbackAnalysis";
import { statusRing } from "../src/map/fleetMap";
import { PlaybackMap } from "../src/map/playbackMap";
import { colour, COLOUR_TOKENS, STATUS_TOKEN } from "../src/styles/tokens";
import { speedLegend } from "../src/views/playback/legend";
import { COLOUR_LITERAL, rules, tokenSets, tokensCss, withoutComments } from "./cssText";
import { sourceFile, sourceFiles } from "./sourceFiles";

const { light, dark } = tokenSets();

/** Loads tokens.css into the page, as the app's stylesheet does. */
function loadTokens(): void {
  const style = document.createElement("style");
  style.textContent = tokensCss();
  document.head.append(style);
}

afterEach(() => {
  document.head.replaceChildren();
  document.body.replaceChildren();
  document.documentElement.removeAttribute("data-theme");
});

describe("colours in TypeScript", () => {
  it("no TypeScript in ui/src writes a colour: it reads tokens.css or uses its classes", () => {
    const found = sourceFiles(".", ".ts").flatMap(([path, text]) =>
      withoutComments(text)
        .split("\n")
        .filter((line) => COLOUR_LITERAL.test(line))
        .map((line) => `${path}: ${line.trim()}`),
    );
    expect(found).toEqual([]);
  });

  it("every colour TypeScript reads is in tokens.css, light and dark", () => {
    for (const t of COLOUR_TOKENS) {
      expect(light.get(`--${t}`), t).toMatch(COLOUR_LITERAL);
      expect(dark.get(`--${t}`), t).toMatch(COLOUR_LITERAL);
    }
  });

  it("the status colours the map paints with are the CSS's, in either theme", () => {
    loadTokens();
    for (const s of STATUS_ORDER) {
      expect(colour(STATUS_TOKEN[s]), s).toBe(light.get(`--${STATUS_TOKEN[s]}`));
    }
    document.documentElement.dataset.theme = "dark";
    for (const s of STATUS_ORDER) {
      expect(colour(STATUS_TOKEN[s]), s).toBe(dark.get(`--${STATUS_TOKEN[s]}`));
    }
  });

  it("a status class paints with the same token the map reads for that status", () => {
    const slot = new Map<string, string>();
    for (const r of rules(tokensCss())) {
      const c = r.declarations.find(([p]) => p === "--c");
      if (c) for (const sel of r.selector.split(",")) slot.set(sel.trim(), c[1]);
    }
    for (const s of STATUS_ORDER) expect(slot.get(`.status-${s}`), s).toBe(`var(--${STATUS_TOKEN[s]})`);
  });

  it("a cluster's ring is split by status with the status classes, not colour values", () => {
    const counts = new Map<DeviceStatus, number>([
      ["moving", 3],
      ["offline", 1],
    ]);
    const host = document.createElement("div");
    host.innerHTML = statusRing(counts, 4);
    const arcs = [...host.querySelectorAll("circle")];
    expect(arcs.map((c) => c.getAttribute("class"))).toEqual(["status-moving", "status-offline"]);
    expect(arcs.every((c) => !c.hasAttribute("stroke"))).toBe(true);
    const ring = rules(sourceFile("styles/map.css")).find((r) => r.selector === ".fc-ring circle");
    expect(ring?.declarations).toContainEqual(["stroke", "var(--c)"]);
  });

  it("playback draws stops in the stopped colour and alarms in the alarm colour", () => {
    loadTokens();
    const el = document.createElement("div");
    document.body.append(el);
    const map = new PlaybackMap(el, {}, { offlineBasemap: false, tiles: false, canvas: false });
    map.setStops([{ first: 0, last: 1, start: 0, end: 60, durationSecs: 60, lat: 22.5, lon: 113.9 }]);
    map.setAlarms([{ lat: 22.6, lon: 113.9, gpstime: 30, label: "SOS" }]);
    const fills = [...el.querySelectorAll("path")].map((p) => p.getAttribute("fill"));
    expect(fills).toEqual([light.get("--status-stopped"), light.get("--alarm")]);
    map.destroy();
  });

  it("the speed legend's swatches are the route's colours", () => {
    const swatches = [...speedLegend("kmh").querySelectorAll("i")].map((i) => i.getAttribute("style"));
    expect(swatches).toEqual(SPEED_CLASSES.map((c) => `background:var(--${c.token})`));
  });
});
