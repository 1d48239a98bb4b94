import { afterEach, describe, expect, it } from "vitest";
import L from "../src/map/leaflet";
import { GeofenceTool, type ToolPhase, type ToolShape } from "../src/map/geofenceTool";
import { destination } from "../src/lib/geofenceGeometry";
import { sizedContainer } from "./mapDom";
import { LOCALES, useMessagesForTest } from "../src/i18n";
import { englishOutside, pseudoMessages } from "./pseudoLocale";

const CENTRE = { lat: 22.5, lng: 113.9 };

let map: L.Map | null = null;
afterEach(() => {
  useMessagesForTest(LOCALES.get("en")!.messages);
  map?.remove();
  map = null;
  document.body.replaceChildren();
});

function setup(): { tool: GeofenceTool; changes: Array<[ToolShape | null, ToolPhase]>; container: HTMLElement } {
  const container = sizedContainer();
  map = L.map(container, { center: [CENTRE.lat, CENTRE.lng], zoom: 14 });
  const changes: Array<[ToolShape | null, ToolPhase]> = [];
  const tool = new GeofenceTool(map, { onChange: (s, p) => changes.push([s, p]) });
  return { tool, changes, container };
}

/** A mouse event on the map at a place `metres` east of the centre (as Leaflet fires it). */
function fire(type: "mousedown" | "mousemove" | "mouseup", metresEast: number, button = 0): void {
  const m = map!;
  const p = metresEast === 0 ? CENTRE : destination(CENTRE, metresEast, 90);
  const latlng = L.latLng(p.lat, p.lng);
  m.fire(type, { latlng, containerPoint: m.latLngToContainerPoint(latlng), originalEvent: { button } });
}

const label = (): HTMLElement | null => document.querySelector('[data-testid="geofence-radius-label"]');

describe("the geofence drawing tool", () => {
  it("press, drag and let go: the centre where pressed, the radius where let go, live on the way", () => {
    const { tool, changes } = setup();
    tool.start();
    expect(tool.phase).toBe("centre");
    expect(map!.dragging.enabled()).toBe(false);
    fire("mousedown", 0);
    expect(tool.phase).toBe("sizing");
    expect(tool.shape?.lat).toBeCloseTo(CENTRE.lat, 6);
    fire("mousemove", 400);
    expect(tool.shape?.radius).toBeCloseTo(400, -1);
    expect(label()?.textContent).toMatch(/^\d+ m$/);
    fire("mousemove", 800);
    fire("mouseup", 800);
    expect(tool.phase).toBe("editing");
    expect(tool.shape?.radius).toBeGreaterThan(790);
    expect(tool.shape?.radius).toBeLessThan(810);
    expect(tool.shape?.limit).toBeNull();
    expect(map!.dragging.enabled()).toBe(true);
    expect(document.querySelector('[data-testid="geofence-draft"]')).not.toBeNull();
    expect(changes.at(-1)?.[1]).toBe("editing");
  });

  it("holds the radius at 5000 m and at 100 m while dragging, marking the limit", () => {
    const { tool } = setup();
    tool.start();
    fire("mousedown", 0);
    fire("mousemove", 12_000);
    expect(tool.shape).toMatchObject({ radius: 5000, limit: "max" });
    expect(label()?.classList.contains("gf-radius-max")).toBe(true);
    expect(label()?.dataset.radius).toBe("5000");
    fire("mousemove", 30);
    expect(tool.shape).toMatchObject({ radius: 100, limit: "min" });
    expect(label()?.classList.contains("gf-radius-min")).toBe(true);
    fire("mousemove", 2500);
    expect(tool.shape?.limit).toBeNull();
    expect(label()?.classList.contains("gf-radius-limit")).toBe(false);
  });

  it("a click instead of a drag: the radius follows the mouse until the next click", () => {
    const { tool } = setup();
    tool.start();
    fire("mousedown", 0);
    fire("mouseup", 0);
    expect(tool.phase).toBe("following");
    fire("mousemove", 600);
    expect(tool.shape?.radius).toBeCloseTo(600, -1);
    fire("mousemove", 1200);
    fire("mousedown", 1200);
    expect(tool.phase).toBe("editing");
    expect(tool.shape?.radius).toBeCloseTo(1200, -1);
    // Once placed, moving the mouse changes nothing.
    fire("mousemove", 3000);
    expect(tool.shape?.radius).toBeCloseTo(1200, -1);
  });

  it("ignores other mouse buttons, hides its handles while placing and shows them after", () => {
    const { tool } = setup();
    tool.start();
    fire("mousedown", 0, 2);
    expect(tool.phase).toBe("centre");
    fire("mousedown", 0);
    const edge = document.querySelector('[data-testid="geofence-handle-edge"]')?.parentElement;
    expect(edge?.classList.contains("gf-handle-hidden")).toBe(true);
    fire("mouseup", 500);
    expect(edge?.classList.contains("gf-handle-hidden")).toBe(false);
  });

  it("takes typed values (clamped) and can be stopped, leaving the map as it was", () => {
    const { tool, container } = setup();
    const shape = tool.setShape(22.51, 113.91, 9000);
    expect(shape).toEqual({ lat: 22.51, lng: 113.91, radius: 5000, limit: "max" });
    expect(tool.phase).toBe("editing");
    tool.setShape(22.51, 113.91, 640);
    expect(label()?.dataset.radius).toBe("640");
    tool.stop();
    expect(tool.phase).toBe("idle");
    expect(tool.shape).toBeNull();
    expect(document.querySelector('[data-testid="geofence-draft"]')).toBeNull();
    expect(container.classList.contains("gf-drawing")).toBe(false);
    expect(map!.dragging.enabled()).toBe(true);
  });

  it("titles its handles in the user's language", () => {
    useMessagesForTest(pseudoMessages());
    const { tool } = setup();
    tool.setShape(CENTRE.lat, CENTRE.lng, 500);
    const handles = [...document.querySelectorAll(".gf-handle")];
    expect(handles).toHaveLength(2);
    for (const h of handles) expect(englishOutside(h)).toEqual([]);
    expect(handles.map((h) => h.getAttribute("title"))).toEqual(["⟦Drag to move the geofence⟧", "⟦Drag to change the radius⟧"]);
  });
});
