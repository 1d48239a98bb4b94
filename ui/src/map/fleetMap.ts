/**
 * The fleet map: offline basemap + the chosen tiles, one clustered marker per device with a
 * position. It follows the store and, on a live refresh, touches only the markers that moved or
 * changed look.
 */
import L from "./leaflet";
import type { Track } from "../bindings";
import type { Change, Store } from "../state";
import { STATUS_ORDER, type DeviceStatus } from "../lib/status";
import { markerLabel } from "../lib/search";
import { LabelSpace, labelWidthPx } from "../lib/labelPlacement";
import { createMapFrame } from "./mapFrame";
import { DATUM_CHANGE } from "./basemaps";
import { t } from "../i18n";
import { escapeHtml, VehicleIcon, type VehicleLook } from "./vehicleIcon";

export interface FleetMapOptions {
  /** Draw the bundled country outlines (needs canvas; off in DOM-only tests). */
  offlineBasemap?: boolean;
  /** Add the chosen basemap's tiles. */
  tiles?: boolean;
  /** Cluster markers that are close (default on). */
  cluster?: boolean;
}

interface Entry {
  imei: string;
  marker: L.Marker;
  icon: VehicleIcon;
  /** The latest position. */
  lat: number;
  lng: number;
  /** Where the cluster plugin filed the marker (valid while shown in a clustered layer). */
  cLat: number;
  cLng: number;
  status: DeviceStatus;
  /** Whether it is in the marker layer (passes the search and filter). */
  shown: boolean;
  /** Shown on its own, outside the clusters: the selected vehicle is never hidden in one. */
  pinned: boolean;
}

/** A marker drawn on its own, at its screen point (px at the current zoom). */
interface Placed {
  entry: Entry;
  x: number;
  y: number;
}

/**
 * A clustered marker that moved less than this many screen pixels since it was clustered is moved
 * in place: its cluster cannot have changed visibly (clusters span ~44 px), and re-clustering
 * hundreds of vehicles on every refresh is what makes a big fleet's map stutter.
 */
const RECLUSTER_PX = 8;

/** What the last refresh did to the map, for tests and the benchmark. */
export interface MarkerStats {
  added: number;
  moved: number;
  /** Redrawn in place: status, label or selection changed. */
  restyled: number;
  /** Arrow turned in place. */
  turned: number;
  removed: number;
}

/** Labels under markers are legible only when the map is close enough. */
const LABEL_MIN_ZOOM = 11;

/** A label's place under its marker's centre, px (styles/map.css: .vm-label 31 px down a 28 px icon). */
const LABEL_TOP = 17;
const LABEL_HEIGHT = 18;
/** A marker's disc, px from its centre (a selected one is drawn 1.2 times larger). */
const DISC_RADIUS = 14;
const SELECTED_DISC_RADIUS = 17;

/** A cluster's diameter, px, by how many vehicles it holds. */
function clusterSizePx(total: number): number {
  return total < 10 ? 34 : total < 100 ? 40 : 48;
}

/** A track without a fix reports 0,0 ("null island"): that is no position. */
export function positionOf(track: Track | undefined): { lat: number; lng: number } | null {
  if (!track) return null;
  const lat = track.latitude;
  const lng = track.longitude;
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (lat === 0 && lng === 0) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
  return { lat, lng };
}

export class FleetMap {
  readonly map: L.Map;
  private readonly layer: L.MarkerClusterGroup | L.LayerGroup;
  /** The selected vehicle's marker when markers are clustered: always drawn as itself. */
  private readonly pinnedLayer: L.LayerGroup;
  private readonly clustered: boolean;
  private readonly entries = new Map<string, Entry>();
  private readonly statusOfMarker = new WeakMap<L.Marker, DeviceStatus>();
  private fitted = false;
  private fleetPaintMarked = false;
  private readonly unsubscribe: () => void;
  private readonly resizeObserver: ResizeObserver | null = null;
  /** A fit asked for while the container had no size yet; done once it has one. */
  private fitPending = false;
  /** Set by destroy(): timers and frames queued before must not touch the removed map. */
  private destroyed = false;
  /** A label pass asked for by a zoom or pan, done once on the next frame. */
  private declutterFrame: number | null = null;
  lastStats: MarkerStats = { added: 0, moved: 0, restyled: 0, turned: 0, removed: 0 };

  constructor(
    readonly container: HTMLElement,
    private readonly store: Store,
    opts: FleetMapOptions = {},
  ) {
    const started = performance.now();
    const frame = createMapFrame(container, {
      center: [20, 0],
      zoom: 2,
      worldCopyJump: true,
      preferCanvas: true,
      offlineBasemap: opts.offlineBasemap,
      tiles: opts.tiles !== false,
      settings: store.settings,
    });
    this.map = frame.map;
    if (opts.offlineBasemap !== false) void frame.basemapDone.then(() => this.markFirstPaint(started));

    this.clustered = opts.cluster !== false;
    this.layer = this.clustered
      ? L.markerClusterGroup({
          maxClusterRadius: 44,
          disableClusteringAtZoom: 15,
          showCoverageOnHover: false,
          spiderfyOnMaxZoom: true,
          chunkedLoading: false,
          iconCreateFunction: (cluster) => this.clusterIcon(cluster),
        })
      : L.layerGroup();
    this.layer.addTo(this.map);
    this.pinnedLayer = L.layerGroup().addTo(this.map);

    // The cluster plugin keeps every marker's projected position per zoom: after the datums
    // change (another layer or provider datum), they are filed again from scratch.
    this.map.on(DATUM_CHANGE, () => this.rebuild());
    this.map.on("zoomend", () => this.syncLabelClass());
    this.syncLabelClass();
    // Which markers stand alone, and how far apart, changes with the view: place labels again
    // (the cluster plugin re-renders on zoom and pan and says when its animation is over).
    this.map.on("zoomend moveend", () => this.scheduleDeclutter());
    if (this.clustered) (this.layer as L.MarkerClusterGroup).on("animationend", () => this.scheduleDeclutter());
    this.unsubscribe = store.subscribe((change) => this.onChange(change));
    // The container is sized by the layout, which changes when the details panel opens or the
    // window is resized; Leaflet only measures when told.
    if (typeof ResizeObserver !== "undefined") {
      this.resizeObserver = new ResizeObserver(() => this.invalidateSize());
      this.resizeObserver.observe(container);
    }
    this.rebuild();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.declutterFrame !== null) cancelAnimationFrame(this.declutterFrame);
    this.unsubscribe();
    this.resizeObserver?.disconnect();
    this.map.remove();
  }

  /** Markers currently managed (devices with a position), by IMEI. */
  markerFor(imei: string): L.Marker | undefined {
    return this.entries.get(imei)?.marker;
  }

  get markerCount(): number {
    return this.entries.size;
  }

  /**
   * Records when the fleet's markers are first on screen, as a time on the page's clock
   * (`performance.now()`; read by the release benchmark, scripts/bench-release.sh).
   */
  private markFirstFleetPaint(): void {
    if (this.fleetPaintMarked || this.entries.size === 0) return;
    this.fleetPaintMarked = true;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (this.destroyed) return;
        document.documentElement.dataset.firstFleetPaintMs = String(Math.round(performance.now()));
        document.documentElement.dataset.firstFleetMarkers = String(this.entries.size);
      }),
    );
  }

  /** Records when the map with its basemap is first on screen (read by the browser benchmark). */
  private markFirstPaint(started: number): void {
    if (this.destroyed) return;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        document.documentElement.dataset.basemapMs = String(Math.round(performance.now() - started));
        document.documentElement.dataset.firstMapPaintMs = String(Math.round(performance.now()));
      }),
    );
  }

  private syncLabelClass(): void {
    this.container.classList.toggle("labels-hidden", this.map.getZoom() < LABEL_MIN_ZOOM);
  }

  private onChange(change: Change): void {
    this.applyChange(change);
    this.markFirstFleetPaint();
  }

  private applyChange(change: Change): void {
    switch (change.kind) {
      case "devices":
      case "session":
        this.rebuild();
        break;
      case "tracks":
        this.applyTracks(change.changed, change.statusChanged);
        break;
      case "filter":
        this.syncVisibility(this.entries.keys());
        break;
      case "selection":
        this.applySelection(change.previous);
        break;
      default:
        break;
    }
  }

  private look(imei: string): VehicleLook | null {
    const row = this.store.row(imei);
    if (!row) return null;
    return {
      imei,
      label: markerLabel(row.device),
      status: row.status,
      course: row.track?.course ?? 0,
      selected: this.store.selected === imei,
    };
  }

  private createEntry(imei: string, pos: { lat: number; lng: number }, look: VehicleLook): Entry {
    const icon = new VehicleIcon(look);
    const marker = L.marker([pos.lat, pos.lng], {
      icon,
      keyboard: false,
      riseOnHover: true,
      zIndexOffset: look.selected ? 1000 : 0,
    });
    marker.on("click", () => this.store.select(imei));
    this.statusOfMarker.set(marker, look.status);
    return {
      imei,
      marker,
      icon,
      lat: pos.lat,
      lng: pos.lng,
      cLat: pos.lat,
      cLng: pos.lng,
      status: look.status,
      shown: false,
      pinned: false,
    };
  }

  /** Drops every marker and creates them again from the store (sign-in, new device list). */
  private rebuild(): void {
    this.layer.clearLayers();
    this.pinnedLayer.clearLayers();
    this.entries.clear();
    const add: Entry[] = [];
    for (const imei of this.store.order) {
      const pos = positionOf(this.store.tracks.get(imei));
      const look = this.look(imei);
      if (!pos || !look) continue;
      const entry = this.createEntry(imei, pos, look);
      this.entries.set(imei, entry);
      if (this.store.isVisible(imei)) add.push(entry);
    }
    this.attach(add);
    this.lastStats = { added: add.length, moved: 0, restyled: 0, turned: 0, removed: 0 };
    if (this.store.order.length === 0) this.fitted = false;
    this.fitOnce();
    this.declutterLabels();
  }

  /** Puts markers on the map at their latest position. */
  private attach(entries: Entry[]): void {
    if (entries.length === 0) return;
    for (const e of entries) {
      // Quietly: the plugin's bulk removal leaves its move listener on the marker, and a 'move'
      // event would make it re-add the marker by itself.
      setLatLngQuietly(e.marker, e.lat, e.lng);
      e.cLat = e.lat;
      e.cLng = e.lng;
      e.shown = true;
    }
    const clustered: L.Marker[] = [];
    for (const e of entries) {
      e.pinned = this.clustered && e.imei === this.store.selected;
      if (e.pinned) this.pinnedLayer.addLayer(e.marker);
      else clustered.push(e.marker);
    }
    if (this.clustered) (this.layer as L.MarkerClusterGroup).addLayers(clustered);
    else for (const m of clustered) this.layer.addLayer(m);
  }

  /** Takes markers off the map. */
  private detach(entries: Entry[]): void {
    if (entries.length === 0) return;
    const markers: L.Marker[] = [];
    for (const e of entries) {
      if (e.pinned) this.pinnedLayer.removeLayer(e.marker);
      else markers.push(e.marker);
      e.shown = false;
      e.pinned = false;
    }
    if (this.clustered) (this.layer as L.MarkerClusterGroup).removeLayers(markers);
    else for (const m of markers) this.layer.removeLayer(m);
  }

  /**
   * Runs bulk cluster changes with every shown marker back at the position the plugin filed it
   * at. The plugin finds markers in its grids by position, and when a cluster dissolves it files
   * the remaining member at that member's current position: markers moved in place must look
   * unmoved to it, then are put back where they really are.
   */
  private withFiledPositions(change: () => void): void {
    if (!this.clustered) {
      change();
      return;
    }
    const drifted: Entry[] = [];
    for (const e of this.entries.values()) {
      if (!e.shown || e.pinned) continue;
      // Compare with where the marker is now, not with the new fix: a vehicle back on the very
      // spot it was filed at is still drawn where it was a moment ago.
      const at = e.marker.getLatLng();
      if (at.lat !== e.cLat || at.lng !== e.cLng) {
        drifted.push(e);
        filePosition(e.marker, e.cLat, e.cLng);
      }
    }
    try {
      change();
    } finally {
      for (const e of drifted) if (e.shown) setLatLngQuietly(e.marker, e.lat, e.lng);
    }
  }

  /** Screen distance at the current zoom between where a marker was clustered and where it is. */
  private driftPx(e: Entry): number {
    const z = this.map.getZoom();
    return this.map.project([e.lat, e.lng], z).distanceTo(this.map.project([e.cLat, e.cLng], z));
  }

  /** One live refresh: only the changed devices are looked at. */
  applyTracks(changed: ReadonlySet<string>, statusChanged: ReadonlySet<string> = new Set()): MarkerStats {
    const stats: MarkerStats = { added: 0, moved: 0, restyled: 0, turned: 0, removed: 0 };
    const detach: Entry[] = [];
    const attach: Entry[] = [];
    const moveInPlace: Entry[] = [];
    const restyled: Entry[] = [];
    const refresh: L.Marker[] = [];
    for (const imei of changed) {
      const look = this.look(imei);
      if (!look) continue;
      const pos = positionOf(this.store.tracks.get(imei));
      let entry = this.entries.get(imei);
      if (!pos) {
        if (entry) {
          if (entry.shown) detach.push(entry);
          this.entries.delete(imei);
          stats.removed++;
        }
        continue;
      }
      if (!entry) {
        entry = this.createEntry(imei, pos, look);
        this.entries.set(imei, entry);
        if (this.store.isVisible(imei)) attach.push(entry);
        stats.added++;
        continue;
      }
      const change = entry.icon.update(look);
      if (change.restyled) {
        stats.restyled++;
        if (entry.status !== look.status) {
          entry.status = look.status;
          this.statusOfMarker.set(entry.marker, look.status);
          restyled.push(entry);
        }
      } else if (change.turned) {
        stats.turned++;
      }
      const moved = pos.lat !== entry.lat || pos.lng !== entry.lng;
      if (moved) {
        entry.lat = pos.lat;
        entry.lng = pos.lng;
        stats.moved++;
      }
      const show = this.store.isVisible(imei);
      if (entry.shown && !show) detach.push(entry);
      else if (!entry.shown && show) attach.push(entry);
      else if (entry.shown && moved) {
        if (this.clustered && !entry.pinned && this.driftPx(entry) > RECLUSTER_PX) {
          detach.push(entry);
          attach.push(entry);
        } else {
          moveInPlace.push(entry);
        }
      } else if (entry.shown && !entry.pinned && statusChanged.has(imei)) {
        refresh.push(entry.marker);
      }
      if (!entry.shown && moved) setLatLngQuietly(entry.marker, pos.lat, pos.lng);
    }
    if (detach.length || attach.length) {
      this.withFiledPositions(() => {
        this.detach(detach);
        this.attach(attach);
      });
    }
    for (const e of moveInPlace) setLatLngQuietly(e.marker, e.lat, e.lng);
    if (this.clustered) {
      const group = this.layer as L.MarkerClusterGroup;
      // Clusters whose members changed status need their colour ring redrawn.
      for (const entry of restyled) if (entry.shown && !entry.pinned && !attach.includes(entry)) refresh.push(entry.marker);
      if (refresh.length) group.refreshClusters(refresh);
    }
    this.lastStats = stats;
    this.fitOnce();
    // Turning in place moves no label; anything else may bring two labels together or apart.
    if (stats.added || stats.moved || stats.removed || stats.restyled || detach.length || attach.length) this.declutterLabels();
    return stats;
  }

  private syncVisibility(imeis: Iterable<string>): void {
    const attach: Entry[] = [];
    const detach: Entry[] = [];
    for (const imei of imeis) {
      const entry = this.entries.get(imei);
      if (!entry) continue;
      const show = this.store.isVisible(imei);
      if (show !== entry.shown) (show ? attach : detach).push(entry);
    }
    this.withFiledPositions(() => {
      this.detach(detach);
      this.attach(attach);
    });
    this.declutterLabels();
  }

  private restyle(imei: string | null): void {
    if (!imei) return;
    const entry = this.entries.get(imei);
    const look = this.look(imei);
    if (!entry || !look) return;
    if (entry.icon.update(look).restyled) entry.marker.setZIndexOffset(look.selected ? 1000 : 0);
  }

  private applySelection(previous: string | null): void {
    this.restyle(previous);
    const imei = this.store.selected;
    this.restyle(imei);
    if (this.clustered) {
      // The vehicle let go joins the clusters again; the one selected leaves them, so neither a
      // filter change nor a drive into a crowd can hide it.
      const refile = [previous, imei]
        .map((i) => (i ? this.entries.get(i) : undefined))
        .filter((e): e is Entry => e !== undefined && e.shown);
      if (refile.length) {
        this.withFiledPositions(() => {
          this.detach(refile);
          this.attach(refile);
        });
      }
    }
    if (imei) this.centreOn(imei);
    // The selected vehicle's label comes first.
    this.declutterLabels();
  }

  private scheduleDeclutter(): void {
    if (this.declutterFrame !== null || this.destroyed) return;
    this.declutterFrame = requestAnimationFrame(() => {
      this.declutterFrame = null;
      this.declutterLabels();
    });
  }

  /**
   * Shows only the labels that keep clear of each other and of other markers and clusters at the
   * current zoom, the selected vehicle's first, then moving vehicles', then the others' in list
   * order; a label left out shows when its marker is hovered. One pass over the markers drawn on
   * their own, with no DOM reads; the DOM is touched only where a label comes or goes.
   */
  declutterLabels(): void {
    if (this.destroyed || this.map.getZoom() < LABEL_MIN_ZOOM) return; // labels-hidden hides them all
    const started = performance.now();
    const z = this.map.getZoom();
    const space = new LabelSpace();
    const selected: Placed[] = [];
    const moving: Placed[] = [];
    const others: Placed[] = [];
    for (const e of this.entries.values()) {
      // In a cluster (or off screen, where the plugin leaves markers out): nothing drawn.
      if (!e.shown || (this.clustered && !this.map.hasLayer(e.marker))) continue;
      const p = this.map.project(e.marker.getLatLng(), z);
      const look = e.icon.current;
      const r = look.selected ? SELECTED_DISC_RADIUS : DISC_RADIUS;
      space.block({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r });
      (look.selected ? selected : e.status === "moving" ? moving : others).push({ entry: e, x: p.x, y: p.y });
    }
    if (this.clustered) {
      this.map.eachLayer((layer) => {
        if (!(layer instanceof L.MarkerCluster)) return;
        const p = this.map.project(layer.getLatLng(), z);
        const r = clusterSizePx(layer.getChildCount()) / 2;
        space.block({ x0: p.x - r, y0: p.y - r, x1: p.x + r, y1: p.y + r });
      });
    }
    for (const group of [selected, moving, others]) {
      for (const { entry, x, y } of group) {
        const half = labelWidthPx(entry.icon.current.label) / 2;
        const label = { x0: x - half, y0: y + LABEL_TOP, x1: x + half, y1: y + LABEL_TOP + LABEL_HEIGHT };
        // The selected vehicle's label always shows (styles/map.css): the others make way for it.
        if (group === selected) space.block(label);
        entry.icon.setLabelHidden(group !== selected && !space.tryTake(label));
      }
    }
    // For the browser benchmark (npm run bench:browser), like the refresh's own time.
    this.container.dataset.labelPassMs = (performance.now() - started).toFixed(2);
  }

  /** Centres the map on a device, opening its cluster first if it is inside one. */
  centreOn(imei: string): void {
    if (this.destroyed) return;
    const entry = this.entries.get(imei);
    if (!entry) return;
    const target = L.latLng(entry.lat, entry.lng);
    const centre = (): void => {
      this.map.setView(target, Math.max(this.map.getZoom(), 13), { animate: false });
    };
    if (this.clustered && entry.shown && !entry.pinned) {
      const group = this.layer as L.MarkerClusterGroup;
      const parent = group.getVisibleParent(entry.marker) as L.Layer | null;
      if (parent !== entry.marker) {
        group.zoomToShowLayer(entry.marker, centre);
        return;
      }
    }
    centre();
  }

  /** Shows the whole fleet (what the "fit" button does; done once after sign-in by itself). */
  fitFleet(): void {
    if (this.destroyed) return;
    const points: L.LatLngExpression[] = [];
    for (const [imei, e] of this.entries) if (this.store.isVisible(imei)) points.push([e.lat, e.lng]);
    if (points.length === 0) for (const e of this.entries.values()) points.push([e.lat, e.lng]);
    if (points.length === 0) return;
    const size = this.map.getSize();
    if (size.x === 0 || size.y === 0) {
      // Not laid out yet (or a DOM without layout): centre on the fleet now, fit once it has a size.
      this.map.setView(L.latLngBounds(points).getCenter(), 11, { animate: false });
      this.fitPending = true;
      return;
    }
    this.fitPending = false;
    this.map.fitBounds(L.latLngBounds(points), { padding: [48, 48], maxZoom: 15, animate: false });
  }

  private fitOnce(): void {
    if (this.fitted || this.entries.size === 0) return;
    this.fitted = true;
    this.fitFleet();
  }

  /** Call after the container changes size (panels opening); keeps the centre in place. */
  invalidateSize(): void {
    if (this.destroyed) return;
    const before = this.map.getSize();
    const centre = this.map.getCenter();
    this.map.invalidateSize({ pan: false });
    const after = this.map.getSize();
    if (after.x === 0 || after.y === 0) return;
    if (this.fitPending) this.fitFleet();
    else if (before.x !== after.x || before.y !== after.y) this.map.setView(centre, this.map.getZoom(), { animate: false });
  }

  private clusterIcon(cluster: L.MarkerCluster): L.DivIcon {
    const children = cluster.getAllChildMarkers();
    const counts = new Map<DeviceStatus, number>();
    for (const m of children) {
      const s = this.statusOfMarker.get(m) ?? "offline";
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const total = children.length;
    const size = clusterSizePx(total);
    const moving = counts.get("moving") ?? 0;
    return new ClusterIcon({
      className: "fleet-cluster",
      iconSize: [size, size],
      html: `${statusRing(counts, total)}<div class="fc-core" title="${escapeHtml(t().maps.clusterTitle({ total, moving }))}">${total}</div>`,
    });
  }

}

/**
 * Moves a marker without telling the cluster plugin, which would otherwise take it out and put it
 * back (re-clustering one marker at a time). Leaflet's own position update still runs.
 */
function setLatLngQuietly(marker: L.Marker, lat: number, lng: number): void {
  filePosition(marker, lat, lng);
  (marker as L.Marker & { update(): L.Marker }).update();
}

/** Sets the position the cluster plugin reads, drawing nothing. */
function filePosition(marker: L.Marker, lat: number, lng: number): void {
  (marker as L.Marker & { _latlng: L.LatLng })._latlng = L.latLng(lat, lng);
}

/**
 * A ring split by status share, as SVG circles (radius chosen so the circumference is 100, so
 * dash lengths are percentages). Attributes only: cheap to build for every cluster redraw. Each arc
 * takes its colour from its `status-<status>` class (styles/map.css, tokens.css), like the markers.
 */
export function statusRing(counts: ReadonlyMap<DeviceStatus, number>, total: number): string {
  let offset = 0;
  const arcs: string[] = [];
  for (const s of STATUS_ORDER) {
    const n = counts.get(s) ?? 0;
    if (!n || total <= 0) continue;
    const pct = (n / total) * 100;
    // Start at 12 o'clock (a dash offset of 25 on a circle drawn from 3 o'clock) and go clockwise.
    arcs.push(
      `<circle class="status-${s}" r="15.915" cx="18" cy="18" fill="none" stroke-width="4" ` +
        `stroke-dasharray="${pct.toFixed(2)} ${(100 - pct).toFixed(2)}" stroke-dashoffset="${(25 - offset).toFixed(2)}"/>`,
    );
    offset += pct;
  }
  return `<svg class="fc-ring" viewBox="0 0 36 36" aria-hidden="true">${arcs.join("")}</svg>`;
}

/** The markup each cluster element was last drawn with. */
const clusterHtml = new WeakMap<HTMLElement, string>();

/**
 * The plugin redraws every cluster whose members were touched, and while a fleet drives most
 * clusters keep their count and status mix: then the element already shows the right thing.
 */
class ClusterIcon extends L.DivIcon {
  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const html = String(this.options.html ?? "");
    if (oldIcon && clusterHtml.get(oldIcon) === html) return oldIcon;
    const el = super.createIcon(oldIcon);
    clusterHtml.set(el, html);
    return el;
  }
}
