/**
 * The alarms view's map: one marker per alarm shown in the table (icon by kind), the geofences of
 * this app, and a fly-to when a row is clicked.
 */
import L from "./leaflet";
import { alarmName } from "../i18n/words";
import type { AlarmRow, Settings } from "../bindings";
import { alarmCategory, CATEGORY_ICON } from "../lib/alarmsTable";
import { createMapFrame } from "./mapFrame";
import { escapeHtml } from "./vehicleIcon";

export interface AlarmsMapOptions {
  offlineBasemap?: boolean;
  tiles?: boolean;
}

function iconSvg(paths: string): string {
  return `<svg viewBox="0 0 24 24" aria-hidden="true">${paths
    .split("|")
    .map((d) => `<path d="${d}"/>`)
    .join("")}</svg>`;
}

export class AlarmsMap {
  readonly map: L.Map;
  private readonly layer = L.featureGroup();
  private readonly markers = new Map<string, L.Marker>();
  private selected: string | null = null;
  private destroyed = false;

  constructor(
    container: HTMLElement,
    /** The settings at the start (the maps then follow the app's: map/basemaps.ts). */
    settings: Partial<Pick<Settings, "providerDatum">>,
    opts: AlarmsMapOptions = {},
    private readonly onPick?: (id: string) => void,
  ) {
    this.map = createMapFrame(container, {
      center: [22.63, 114.0],
      zoom: 11,
      offlineBasemap: opts.offlineBasemap,
      tiles: opts.tiles !== false,
      settings,
    }).map;
    this.layer.addTo(this.map);
  }

  /** Shows exactly these alarms and fits them in view. */
  setRows(rows: readonly AlarmRow[], label: (r: AlarmRow) => string): void {
    this.layer.clearLayers();
    this.markers.clear();
    for (const r of rows) {
      const cat = alarmCategory(r.alarm.type);
      const icon = L.divIcon({
        className: `alarm-marker cat-${cat}`,
        iconSize: [26, 26],
        iconAnchor: [13, 13],
        html: `<div class="am-dot" data-testid="alarm-marker" data-id="${escapeHtml(r.id)}" title="${escapeHtml(label(r))}">${iconSvg(CATEGORY_ICON[cat])}</div>`,
      });
      const m = L.marker([r.alarm.latitude, r.alarm.longitude], { icon, keyboard: false, riseOnHover: true });
      m.bindPopup(() => `<strong>${escapeHtml(alarmName(r.alarm.type))}</strong><div>${escapeHtml(label(r))}</div>`);
      m.on("click", () => this.onPick?.(r.id));
      this.layer.addLayer(m);
      this.markers.set(r.id, m);
    }
    this.selected = null;
    this.fit();
  }

  fit(): void {
    if (this.destroyed || this.markers.size === 0) return;
    const size = this.map.getSize();
    const bounds = this.layer.getBounds();
    if (size.x === 0 || size.y === 0) {
      this.map.setView(bounds.getCenter(), 12, { animate: false });
      return;
    }
    this.map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16, animate: false });
  }

  /** Flies to an alarm and opens its popup. */
  focus(id: string): void {
    const m = this.markers.get(id);
    if (!m || this.destroyed) return;
    if (this.selected) this.markers.get(this.selected)?.getElement()?.classList.remove("is-selected");
    this.selected = id;
    m.getElement()?.classList.add("is-selected");
    m.setZIndexOffset(1000);
    this.map.setView(m.getLatLng(), Math.max(this.map.getZoom(), 15), { animate: false });
    m.openPopup();
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
