/**
 * The reports view's map: the chosen row's place as a marker, or for a trip its route (from the
 * playback history of that vehicle and time, when it loads) between a start and an end marker.
 */
import L from "../../map/leaflet";
import type { Settings } from "../../bindings";
import { createMapFrame } from "../../map/mapFrame";
import { escapeHtml } from "../../map/vehicleIcon";
import { colour } from "../../styles/tokens";
import type { Route } from "../../lib/playbackRoute";

export interface ReportMapOptions {
  offlineBasemap?: boolean;
  tiles?: boolean;
}

export interface MapPlace {
  lat: number;
  lon: number;
  label: string;
}

export class ReportMap {
  readonly map: L.Map;
  private readonly layer = L.featureGroup();
  private destroyed = false;

  constructor(container: HTMLElement, settings: Partial<Pick<Settings, "providerDatum">>, opts: ReportMapOptions = {}) {
    this.map = createMapFrame(container, {
      center: [22.63, 114.0],
      zoom: 10,
      offlineBasemap: opts.offlineBasemap,
      tiles: opts.tiles !== false,
      settings,
    }).map;
    this.layer.addTo(this.map);
  }

  /** Nothing shown. */
  clear(): void {
    this.layer.clearLayers();
  }

  /** One place (a stop, an idling, a speeding peak, a geofence visit). */
  showPlace(p: MapPlace): void {
    if (this.destroyed) return;
    this.layer.clearLayers();
    this.marker(p, "place").addTo(this.layer);
    this.map.setView([p.lat, p.lon], Math.max(this.map.getZoom(), 15), { animate: false });
  }

  /** A trip: start and end markers, the route between them when given (else a straight dashed line). */
  showTrip(start: MapPlace, end: MapPlace, route: Route | null): void {
    if (this.destroyed) return;
    this.layer.clearLayers();
    const line: L.LatLngExpression[] = [];
    if (route && route.n > 1) for (let i = 0; i < route.n; i++) line.push([route.lat[i]!, route.lon[i]!]);
    else line.push([start.lat, start.lon], [end.lat, end.lon]);
    L.polyline(line, {
      color: colour("speed-3") || "currentColor",
      weight: 4,
      opacity: 0.9,
      dashArray: route && route.n > 1 ? undefined : "6 6",
      interactive: false,
      className: "rp-route",
    }).addTo(this.layer);
    this.marker(start, "start").addTo(this.layer);
    this.marker(end, "end").addTo(this.layer);
    this.fit();
  }

  private marker(p: MapPlace, role: "place" | "start" | "end"): L.Marker {
    const icon = L.divIcon({
      className: `report-marker rp-${role}`,
      iconSize: [18, 18],
      iconAnchor: [9, 9],
      // The label is a vehicle's name and a time: data, left as it is.
      html: `<div class="rp-dot" data-testid="report-marker" data-role="${role}" translate="no" title="${escapeHtml(p.label)}"></div>`,
    });
    return L.marker([p.lat, p.lon], { icon, keyboard: false });
  }

  private fit(): void {
    const size = this.map.getSize();
    const bounds = this.layer.getBounds();
    if (!bounds.isValid()) return;
    if (size.x === 0 || size.y === 0) this.map.setView(bounds.getCenter(), 13, { animate: false });
    else this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16, animate: false });
  }

  invalidateSize(): void {
    if (!this.destroyed) this.map.invalidateSize();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.map.remove();
  }
}
