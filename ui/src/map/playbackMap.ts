/**
 * The playback map: the route coloured by speed on Leaflet's canvas renderer, start and end, stops
 * and alarms, the replay marker turned by course, and a hover marker for the speed chart.
 *
 * A 100,000-point route is drawn from a simplified copy per zoom level (see lib/playbackSimplify):
 * at low zoom most fixes fall on the same pixel. The full route stays in the data for replay and
 * export. Each speed class is one multi-part polyline, so the canvas strokes a handful of paths.
 */
import L from "./leaflet";
import type { Settings } from "../bindings";
import type { Route } from "../lib/playbackRoute";
import { SPEED_CLASSES, speedClass, type Stop } from "../lib/playbackAnalysis";
import { project, simplifyIndices, toleranceAtZoom } from "../lib/playbackSimplify";
import { createMapFrame } from "./mapFrame";
import { t } from "../i18n";
import { escapeHtml } from "./vehicleIcon";
import { colour, onColoursChange } from "../styles/tokens";

export interface PlaybackMapOptions {
  /** Bundled country outlines (needs a real canvas). */
  offlineBasemap?: boolean;
  tiles?: boolean;
  /** Canvas renderer (default); SVG where there is no canvas (DOM-only tests). */
  canvas?: boolean;
}

export interface MapAlarm {
  lat: number;
  lon: number;
  gpstime: number;
  label: string;
}

export interface PlaybackMapEvents {
  /** A stop or an alarm on the map was clicked: jump there. */
  onJump?: (t: number) => void;
}

export class PlaybackMap {
  readonly map: L.Map;
  private readonly renderer: L.Renderer;
  private readonly routeLayer = L.layerGroup();
  private readonly stopLayer = L.layerGroup();
  private readonly alarmLayer = L.layerGroup();
  private readonly marker: L.Marker;
  private readonly hover: L.Marker;
  private route: Route | null = null;
  private projected: { x: Float64Array; y: Float64Array } | null = null;
  private speedPrefix: Float64Array | null = null;
  private readonly lods = new Map<number, Uint32Array>();
  private drawnZoom: number | null = null;
  private destroyed = false;
  private readonly stopRepainting: () => void;
  /** Fixes drawn at the current zoom (for tests and the benchmark). */
  drawnPoints = 0;
  /** Where the last setRoute spent its time, ms (for the benchmark). */
  readonly timings: Record<string, number> = {};

  constructor(
    container: HTMLElement,
    /** The settings at the start (the maps then follow the app's: map/basemaps.ts). */
    settings: Partial<Pick<Settings, "providerDatum">>,
    opts: PlaybackMapOptions = {},
    private readonly events: PlaybackMapEvents = {},
  ) {
    const canvas = opts.canvas !== false;
    this.map = createMapFrame(container, {
      center: [22.63, 114.0],
      zoom: 11,
      preferCanvas: canvas,
      offlineBasemap: opts.offlineBasemap,
      tiles: opts.tiles !== false,
      settings,
    }).map;
    this.renderer = canvas ? L.canvas({ padding: 0.3, tolerance: 4 }) : L.svg();
    this.routeLayer.addTo(this.map);
    this.stopLayer.addTo(this.map);
    this.alarmLayer.addTo(this.map);

    const icon = L.divIcon({
      className: "pb-vehicle",
      iconSize: [30, 30],
      iconAnchor: [15, 15],
      html: '<svg class="pb-vehicle-arrow" viewBox="0 0 24 24"><path d="M12 2.5l7 17-7-3.8-7 3.8z"/></svg>',
    });
    this.marker = L.marker([0, 0], { icon, keyboard: false, interactive: false, zIndexOffset: 2000 });
    // A DOM marker: moving it must not make the canvas redraw the whole route.
    this.hover = L.marker([0, 0], {
      icon: L.divIcon({ className: "pb-hover", iconSize: [14, 14], iconAnchor: [7, 7] }),
      keyboard: false,
      interactive: false,
      zIndexOffset: 1500,
    });
    this.map.on("zoomend", () => this.redrawRoute());
    this.stopRepainting = onColoursChange(() => this.repaint());
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.stopRepainting();
    this.map.remove();
  }

  /** Paints the route, stops and alarms again in the current theme's colours. */
  private repaint(): void {
    if (this.destroyed) return;
    this.drawnZoom = null;
    this.redrawRoute();
    const outline = colour("marker-outline");
    const restyle = (layer: L.LayerGroup, fill: string): void => {
      layer.eachLayer((l) => {
        if (l instanceof L.CircleMarker) l.setStyle({ color: outline, fillColor: fill });
      });
    };
    restyle(this.stopLayer, colour("status-stopped"));
    restyle(this.alarmLayer, colour("alarm"));
  }

  invalidateSize(): void {
    if (!this.destroyed) this.map.invalidateSize();
  }

  /** Draws a route (replacing the previous one) and fits the map to it. */
  setRoute(route: Route, stops: readonly Stop[], alarms: readonly MapAlarm[]): void {
    const started = performance.now();
    this.route = route;
    this.projected = project(route);
    this.speedPrefix = new Float64Array(route.n + 1);
    for (let i = 0; i < route.n; i++) this.speedPrefix[i + 1] = this.speedPrefix[i]! + route.speed[i]!;
    this.lods.clear();
    this.drawnZoom = null;
    this.stopLayer.clearLayers();
    this.alarmLayer.clearLayers();
    this.marker.remove();
    this.hover.remove();
    if (route.n === 0) {
      this.routeLayer.clearLayers();
      this.drawnPoints = 0;
      return;
    }
    let mark = started;
    const phase = (name: string): void => {
      const now = performance.now();
      this.timings[name] = Math.round((now - mark) * 10) / 10;
      mark = now;
    };
    phase("project");
    const bounds = this.bounds(0, route.n - 1);
    this.map.fitBounds(bounds, { padding: [36, 36], maxZoom: 16, animate: false });
    phase("fit");
    this.redrawRoute();
    phase("route");
    for (const [i, cls, text] of [
      [0, "pb-end pb-start", "A"],
      [route.n - 1, "pb-end pb-finish", "B"],
    ] as const) {
      L.marker([route.lat[i]!, route.lon[i]!], {
        icon: L.divIcon({ className: cls, iconSize: [22, 22], iconAnchor: [11, 11], html: text }),
        keyboard: false,
        interactive: false,
        zIndexOffset: 500,
      }).addTo(this.stopLayer);
    }
    this.setStops(stops);
    this.setAlarms(alarms);
    this.marker.addTo(this.map);
    this.setVehicle(route.lat[0]!, route.lon[0]!, route.course[0]!);
    phase("markers");
  }

  /** Marks the stops (replacing the previous ones); the view stays where it is. */
  setStops(stops: readonly Stop[]): void {
    this.stopLayer.eachLayer((l) => {
      if (l instanceof L.CircleMarker) this.stopLayer.removeLayer(l);
    });
    // Circles on the canvas, not DOM markers: a month of a busy vehicle has hundreds of stops.
    const outline = colour("marker-outline");
    const fill = colour("status-stopped");
    stops.forEach((s, k) => {
      const m = L.circleMarker([s.lat, s.lon], { renderer: this.renderer, radius: 6, color: outline, weight: 2, fillColor: fill, fillOpacity: 1 });
      m.bindTooltip(escapeHtml(t().maps.stop({ n: k + 1 })), { direction: "top", offset: [0, -6] });
      m.on("click", () => this.events.onJump?.(s.start));
      m.addTo(this.stopLayer);
    });
  }

  /** Marks the alarms (replacing the previous ones); the view stays where it is. */
  setAlarms(alarms: readonly MapAlarm[]): void {
    this.alarmLayer.clearLayers();
    const outline = colour("marker-outline");
    const fill = colour("alarm");
    for (const a of alarms) {
      const m = L.circleMarker([a.lat, a.lon], { renderer: this.renderer, radius: 5, color: outline, weight: 1.5, fillColor: fill, fillOpacity: 1 });
      m.bindTooltip(escapeHtml(a.label), { direction: "top", offset: [0, -6] });
      m.on("click", () => this.events.onJump?.(a.gpstime));
      m.addTo(this.alarmLayer);
    }
  }

  /** The bounds of fixes `first..last`. */
  bounds(first: number, last: number): L.LatLngBounds {
    const r = this.route;
    if (!r || r.n === 0) return L.latLngBounds([[0, 0], [0, 0]]);
    let s = 90;
    let n = -90;
    let w = 180;
    let e = -180;
    for (let i = Math.max(0, first); i <= Math.min(r.n - 1, last); i++) {
      const lat = r.lat[i]!;
      const lon = r.lon[i]!;
      if (lat < s) s = lat;
      if (lat > n) n = lat;
      if (lon < w) w = lon;
      if (lon > e) e = lon;
    }
    return L.latLngBounds([s, w], [n, e]);
  }

  /** Shows fixes `first..last` (a trip). */
  fitRange(first: number, last: number): void {
    this.map.fitBounds(this.bounds(first, last), { padding: [48, 48], maxZoom: 17, animate: false });
  }

  /** The kept indices at a zoom level. */
  private lod(zoom: number): Uint32Array {
    let kept = this.lods.get(zoom);
    if (!kept && this.projected) {
      kept = simplifyIndices(this.projected.x, this.projected.y, toleranceAtZoom(zoom));
      this.lods.set(zoom, kept);
    }
    return kept ?? new Uint32Array(0);
  }

  private redrawRoute(): void {
    const r = this.route;
    if (!r || r.n === 0 || !this.speedPrefix) return;
    const zoom = Math.round(this.map.getZoom());
    if (zoom === this.drawnZoom) return;
    this.drawnZoom = zoom;
    const kept = this.lod(zoom);
    const prefix = this.speedPrefix;
    const parts: L.LatLng[][][] = SPEED_CLASSES.map(() => []);
    const lastEnd: number[] = SPEED_CLASSES.map(() => -1);
    const casing: L.LatLng[] = [];
    const ll = (i: number): L.LatLng => L.latLng(r.lat[i]!, r.lon[i]!);
    for (let k = 0; k + 1 < kept.length; k++) {
      const a = kept[k]!;
      const b = kept[k + 1]!;
      // The mean speed over the fixes a segment stands for.
      const mean = (prefix[b + 1]! - prefix[a]!) / (b + 1 - a);
      const c = speedClass(mean);
      const cls = parts[c]!;
      if (lastEnd[c] === a && cls.length) cls[cls.length - 1]!.push(ll(b));
      else cls.push([ll(a), ll(b)]);
      lastEnd[c] = b;
      casing.push(ll(a));
    }
    if (kept.length) casing.push(ll(kept[kept.length - 1]!));
    this.drawnPoints = kept.length;
    this.routeLayer.clearLayers();
    L.polyline(casing, { renderer: this.renderer, color: colour("route-casing"), weight: 7, opacity: 0.85, interactive: false, smoothFactor: 0 }).addTo(this.routeLayer);
    parts.forEach((p, c) => {
      if (p.length === 0) return;
      L.polyline(p, {
        renderer: this.renderer,
        color: colour(SPEED_CLASSES[c]!.token),
        weight: 4,
        opacity: 1,
        interactive: false,
        smoothFactor: 0,
        lineCap: "round",
        lineJoin: "round",
      }).addTo(this.routeLayer);
    });
  }

  /** Moves the replay marker; with `follow`, keeps it in view. */
  setVehicle(lat: number, lon: number, course: number, follow = false): void {
    this.marker.setLatLng([lat, lon]);
    const el = this.marker.getElement();
    const arrow = el?.firstElementChild as SVGElement | null | undefined;
    if (arrow) arrow.style.transform = `rotate(${((Math.round(course) % 360) + 360) % 360}deg)`;
    if (follow && !this.destroyed) {
      const size = this.map.getSize();
      const p = this.map.latLngToContainerPoint([lat, lon]);
      const margin = Math.min(size.x, size.y) * 0.2;
      if (p.x < margin || p.y < margin || p.x > size.x - margin || p.y > size.y - margin) {
        this.map.panTo([lat, lon], { animate: false });
      }
    }
  }

  /** The course the marker shows, degrees (tests). */
  get vehicleCourse(): number {
    const arrow = this.marker.getElement()?.firstElementChild as SVGElement | null | undefined;
    const m = /rotate\((-?\d+)deg\)/.exec(arrow?.style.transform ?? "");
    return m ? Number(m[1]) : 0;
  }

  get vehicleLatLng(): L.LatLng {
    return this.marker.getLatLng();
  }

  /** Shows (or, with null, hides) the chart's hover position. */
  setHover(pos: { lat: number; lon: number } | null): void {
    if (!pos) {
      this.hover.remove();
      return;
    }
    this.hover.setLatLng([pos.lat, pos.lon]);
    if (!this.map.hasLayer(this.hover)) this.hover.addTo(this.map);
  }

  /** Counts of what is on the map (tests). */
  get counts(): { stops: number; alarms: number; routeLayers: number } {
    return {
      stops: this.stopLayer.getLayers().length - (this.route && this.route.n ? 2 : 0),
      alarms: this.alarmLayer.getLayers().length,
      routeLayers: this.routeLayer.getLayers().length,
    };
  }

}
