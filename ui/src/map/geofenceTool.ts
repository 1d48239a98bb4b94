/**
 * The "New geofence" drawing tool on a Leaflet map.
 *
 * Press on the map to place the centre, then either drag out to the radius and let go, or let go
 * at once, move the mouse and click to fix the radius. The circle and its radius in metres show
 * live, always within the provider's 100-5000 m. Afterwards the centre and the edge have handles
 * to drag, and `setShape` takes typed values.
 */
import L from "./leaflet";
import { colour, onColoursChange } from "../styles/tokens";
import { t } from "../i18n";
import { clampRadius, destination, distanceM, formatMetres, type RadiusLimit } from "../lib/geofenceGeometry";

export type ToolPhase = "idle" | "centre" | "sizing" | "following" | "editing";

export interface ToolShape {
  lat: number;
  lng: number;
  /** Whole metres, 100-5000. */
  radius: number;
  /** The limit the last change was held at, if any. */
  limit: RadiusLimit;
}

export interface GeofenceToolOptions {
  /** Called on every change of the shape or the phase. */
  onChange?: (shape: ToolShape | null, phase: ToolPhase) => void;
}

/** Screen pixels a press may move and still count as a click (then the radius follows the mouse). */
const CLICK_SLOP_PX = 5;
/** The panes the tool draws in: the circle under the markers, its handles above them. */
export const DRAFT_PANE = "geofenceDraft";
export const HANDLE_PANE = "geofenceHandles";

function ensurePane(map: L.Map, name: string, z: number): void {
  if (!map.getPane(name)) map.createPane(name).style.zIndex = String(z);
}

function handleIcon(kind: "centre" | "edge"): L.DivIcon {
  return L.divIcon({
    className: `gf-handle gf-handle-${kind}`,
    iconSize: [16, 16],
    html: `<span data-testid="geofence-handle-${kind}"></span>`,
  });
}

export class GeofenceTool {
  phase: ToolPhase = "idle";
  shape: ToolShape | null = null;
  private readonly renderer: L.Renderer;
  private circle: L.Circle | null = null;
  private centreHandle: L.Marker | null = null;
  private edgeHandle: L.Marker | null = null;
  private label: L.Marker | null = null;
  private downAt: L.Point | null = null;
  /** While a draft is drawn: repaints it when the theme changes. */
  private stopRepainting: (() => void) | null = null;
  private readonly handlers: Record<string, L.LeafletEventHandlerFn>;

  constructor(
    readonly map: L.Map,
    private readonly opts: GeofenceToolOptions = {},
  ) {
    ensurePane(map, DRAFT_PANE, 420);
    ensurePane(map, HANDLE_PANE, 660);
    // SVG, not the map's canvas: the draft stays crisp and is a DOM element tests can find.
    this.renderer = L.svg({ pane: DRAFT_PANE });
    this.handlers = {
      mousedown: (e) => this.onDown(e as L.LeafletMouseEvent),
      mousemove: (e) => this.onMove(e as L.LeafletMouseEvent),
      mouseup: (e) => this.onUp(e as L.LeafletMouseEvent),
    };
  }

  /** Waits for the centre: presses on the map (and on vehicle markers) now place it. */
  start(): void {
    this.clear();
    this.map.on(this.handlers);
    this.setPhase("centre");
  }

  /** Removes the draft and gives the map its usual behaviour back. */
  stop(): void {
    this.clear();
    this.setPhase("idle");
  }

  /** Typed values: moves the circle there (the radius clamped) and allows dragging. */
  setShape(lat: number, lng: number, radius: number): ToolShape {
    if (this.phase === "idle") this.map.on(this.handlers);
    const c = clampRadius(radius);
    this.shape = { lat, lng, radius: c.radius, limit: c.limit };
    this.draw();
    this.setPhase("editing");
    return this.shape;
  }

  /** Brings the draft into view. */
  fit(): void {
    if (!this.circle) return;
    this.map.fitBounds(this.circle.getBounds(), { padding: [40, 40], maxZoom: 17, animate: false });
  }

  private clear(): void {
    this.map.off(this.handlers);
    for (const l of [this.circle, this.centreHandle, this.edgeHandle, this.label]) l?.remove();
    this.stopRepainting?.();
    this.stopRepainting = null;
    this.circle = this.centreHandle = this.edgeHandle = this.label = null;
    this.shape = null;
    this.downAt = null;
  }

  private setPhase(phase: ToolPhase): void {
    this.phase = phase;
    const placing = phase === "centre" || phase === "sizing" || phase === "following";
    const c = this.map.getContainer();
    c.classList.toggle("gf-drawing", placing);
    c.dataset.geofencePhase = phase;
    // While placing, a press must reach the map rather than pan it or open a marker.
    if (placing) {
      this.map.dragging.disable();
      this.map.doubleClickZoom.disable();
      this.map.boxZoom.disable();
    } else {
      this.map.dragging.enable();
      this.map.doubleClickZoom.enable();
      this.map.boxZoom.enable();
    }
    this.syncHandles();
    this.opts.onChange?.(this.shape ? { ...this.shape } : null, phase);
  }

  private changed(): void {
    this.opts.onChange?.(this.shape ? { ...this.shape } : null, this.phase);
  }

  private setRadiusTowards(p: L.LatLng): void {
    if (!this.shape) return;
    const c = clampRadius(distanceM(this.shape, { lat: p.lat, lng: p.lng }));
    this.shape = { ...this.shape, radius: c.radius, limit: c.limit };
    this.draw();
    this.changed();
  }

  private onDown(e: L.LeafletMouseEvent): void {
    if (((e.originalEvent as MouseEvent | undefined)?.button ?? 0) > 0) return;
    if (this.phase === "centre") {
      this.shape = { lat: e.latlng.lat, lng: e.latlng.lng, radius: clampRadius(0).radius, limit: "min" };
      this.downAt = e.containerPoint;
      this.draw();
      this.setPhase("sizing");
    } else if (this.phase === "following") {
      this.setRadiusTowards(e.latlng);
      this.setPhase("editing");
    }
  }

  private onMove(e: L.LeafletMouseEvent): void {
    if (this.phase === "sizing" || this.phase === "following") this.setRadiusTowards(e.latlng);
  }

  private onUp(e: L.LeafletMouseEvent): void {
    if (this.phase !== "sizing") return;
    const moved = this.downAt ? this.downAt.distanceTo(e.containerPoint) : 0;
    this.downAt = null;
    if (moved > CLICK_SLOP_PX) {
      this.setRadiusTowards(e.latlng);
      this.setPhase("editing");
    } else {
      // A click: the radius follows the mouse until the next click.
      this.setPhase("following");
    }
  }

  /** Draws the circle, its handles and the radius label for the current shape. */
  private draw(): void {
    const s = this.shape;
    if (!s) return;
    const centre = L.latLng(s.lat, s.lng);
    const edge = destination(s, s.radius, 90);
    if (!this.circle) {
      this.circle = L.circle(centre, {
        radius: s.radius,
        renderer: this.renderer,
        pane: DRAFT_PANE,
        className: "gf-draft",
        color: colour("geofence"),
        weight: 2,
        dashArray: "6 4",
        fillColor: colour("geofence"),
        fillOpacity: 0.12,
        interactive: false,
      }).addTo(this.map);
      this.circle.getElement()?.setAttribute("data-testid", "geofence-draft");
      this.stopRepainting = onColoursChange(() => this.circle?.setStyle({ color: colour("geofence"), fillColor: colour("geofence") }));
    } else {
      this.circle.setLatLng(centre);
      this.circle.setRadius(s.radius);
    }
    const text = formatMetres(s.radius);
    if (!this.label) {
      this.label = L.marker(edge, { pane: HANDLE_PANE, interactive: false, keyboard: false, icon: this.labelIcon(text, s.limit) }).addTo(this.map);
    } else {
      this.label.setLatLng(edge);
      this.label.setIcon(this.labelIcon(text, s.limit));
    }
    if (!this.centreHandle) {
      this.centreHandle = L.marker(centre, { pane: HANDLE_PANE, draggable: true, keyboard: false, icon: handleIcon("centre"), title: t().maps.dragCentre }).addTo(this.map);
      this.centreHandle.on("drag", () => {
        const p = this.centreHandle?.getLatLng();
        if (!p || !this.shape) return;
        this.shape = { ...this.shape, lat: p.lat, lng: p.lng, limit: null };
        this.draw();
        this.changed();
      });
      this.edgeHandle = L.marker(edge, { pane: HANDLE_PANE, draggable: true, keyboard: false, icon: handleIcon("edge"), title: t().maps.dragEdge }).addTo(this.map);
      this.edgeHandle.on("drag", () => {
        const p = this.edgeHandle?.getLatLng();
        if (p) this.setRadiusTowards(p);
      });
      // Held at a limit, the handle may sit off the circle: put it back on the edge.
      this.edgeHandle.on("dragend", () => this.draw());
    } else {
      if (!this.isDragging(this.centreHandle)) this.centreHandle.setLatLng(centre);
      if (this.edgeHandle && !this.isDragging(this.edgeHandle)) this.edgeHandle.setLatLng(edge);
    }
    this.syncHandles();
  }

  /** Handles only once the circle is placed: while placing, a press must reach the map. */
  private syncHandles(): void {
    const hidden = this.phase !== "editing";
    for (const h of [this.centreHandle, this.edgeHandle]) h?.getElement()?.classList.toggle("gf-handle-hidden", hidden);
  }

  private isDragging(m: L.Marker): boolean {
    return Boolean((m as L.Marker & { dragging?: { _draggable?: { _moving?: boolean } } }).dragging?._draggable?._moving);
  }

  private labelIcon(text: string, limit: RadiusLimit): L.DivIcon {
    const cls = limit ? ` gf-radius-limit gf-radius-${limit}` : "";
    return L.divIcon({
      className: "gf-radius-label-icon",
      iconSize: [0, 0],
      html: `<div class="gf-radius-label${cls}" data-testid="geofence-radius-label" data-radius="${this.shape?.radius ?? ""}">${text}</div>`,
    });
  }
}
