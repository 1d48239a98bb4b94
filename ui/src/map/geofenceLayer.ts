/**
 * The geofences this app made, drawn on a map as labelled circles (a layer the user can hide).
 * The provider cannot list geofences, so these are the app's own records only.
 */
import L from "./leaflet";
import type { StoredGeofence } from "../bindings";
import { alarmLabel, formatMetres } from "../lib/geofenceGeometry";
import { escapeHtml } from "./vehicleIcon";
import { colour, onColoursChange } from "../styles/tokens";
import { t } from "../i18n";

export const GEOFENCE_PANE = "geofences";

/** An element with text (never markup). */
function h(tag: string, text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

/** Metres in a degree of latitude (close enough everywhere for placing a label). */
const METRES_PER_DEGREE_LAT = 111_320;

export interface GeofenceLayerOptions {
  /** A vehicle's name for the popups. */
  vehicleName?: (imei: string) => string;
  /** Start hidden. */
  hidden?: boolean;
}

export class GeofenceLayer {
  private readonly group: L.FeatureGroup;
  private readonly renderer: L.Renderer;
  private readonly circles = new Map<string, L.Circle>();
  private shown: boolean;
  /** Outlines in the new theme's colour when it changes. */
  private readonly stopRepainting = onColoursChange(() => {
    const stroke = colour("geofence");
    for (const c of this.circles.values()) c.setStyle({ color: stroke, fillColor: stroke });
  });

  constructor(
    readonly map: L.Map,
    private readonly opts: GeofenceLayerOptions = {},
  ) {
    if (!map.getPane(GEOFENCE_PANE)) map.createPane(GEOFENCE_PANE).style.zIndex = "410";
    this.renderer = L.svg({ pane: GEOFENCE_PANE });
    this.group = L.featureGroup();
    this.shown = !opts.hidden;
    if (this.shown) this.group.addTo(map);
  }

  get visible(): boolean {
    return this.shown;
  }

  get count(): number {
    return this.circles.size;
  }

  setVisible(on: boolean): void {
    if (on === this.shown) return;
    this.shown = on;
    if (on) {
      this.group.addTo(this.map);
      this.tagElements();
    } else {
      this.group.remove();
    }
  }

  /** Draws exactly these geofences. */
  set(list: readonly StoredGeofence[]): void {
    this.group.clearLayers();
    this.circles.clear();
    const stroke = colour("geofence");
    for (const g of list) {
      const circle = L.circle([g.latitude, g.longitude], {
        radius: g.radiusM,
        renderer: this.renderer,
        pane: GEOFENCE_PANE,
        className: `gf-circle${g.fromFile ? " gf-from-file" : ""}`,
        color: stroke,
        weight: 2,
        fillColor: stroke,
        fillOpacity: 0.08,
      });
      circle.bindPopup(() => this.popup(g));
      // The name just inside the top edge: at the centre it would cover the vehicle the geofence
      // was drawn around (labels sit above markers).
      const top = L.latLng(g.latitude + g.radiusM / METRES_PER_DEGREE_LAT, g.longitude);
      const label = L.tooltip({ permanent: true, direction: "bottom", offset: [0, 2], className: "gf-label", interactive: false })
        .setLatLng(top)
        .setContent(escapeHtml(g.name));
      this.group.addLayer(circle);
      this.group.addLayer(label);
      this.circles.set(g.id, circle);
    }
    this.tagElements();
  }

  /** Marks each circle's SVG path with its geofence id (tests and styles find them by it). */
  private tagElements(): void {
    for (const [id, c] of this.circles) {
      const el = c.getElement();
      if (el) {
        el.setAttribute("data-geofence-id", id);
        el.setAttribute("data-testid", "geofence-circle");
      }
    }
  }

  private popup(g: StoredGeofence): HTMLElement {
    const name = this.opts.vehicleName ?? ((i: string) => i);
    const el = document.createElement("div");
    el.className = "gf-popup";
    const m = t().maps;
    const strong = h("strong", g.name);
    strong.setAttribute("translate", "no");
    const vehicles = document.createElement("div");
    vehicles.className = "muted";
    vehicles.textContent = m.geofenceVehicles({ list: g.imeis.length ? g.imeis.map(name).join(", ") : m.geofenceNoVehicles });
    el.append(
      strong,
      h("div", `${formatMetres(g.radiusM)} · ${m.geofenceAlarm({ alarm: alarmLabel(g.alarm).toLowerCase() })}`),
      vehicles,
    );
    if (g.fromFile) el.append(Object.assign(h("div", m.geofenceFromFile), { className: "muted" }));
    return el;
  }

  /** Shows a geofence whole. */
  flyTo(id: string): void {
    const c = this.circles.get(id);
    if (!c) return;
    if (!this.shown) this.setVisible(true);
    this.map.fitBounds(c.getBounds(), { padding: [40, 40], maxZoom: 16, animate: false });
  }

  destroy(): void {
    this.stopRepainting();
    this.group.remove();
    this.circles.clear();
  }
}
