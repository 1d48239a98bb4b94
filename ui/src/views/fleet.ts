/** The fleet view: header, device list, map and details panel, wired to the store. */
import type { IBackend } from "../backend";
import { toBackendError } from "../backend";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import { statusLabel, type DeviceStatus } from "../lib/status";
import type { Store } from "../state";
import { FleetMap, type FleetMapOptions } from "../map/fleetMap";
import { DeviceList } from "./deviceList";
import { DeviceDetails } from "./deviceDetails";
import { Header } from "./header";
import { openSettingsDialog } from "./settingsDialog";
import { openAboutDialog } from "./aboutDialog";
import { Updates } from "../updates";
import { playbackHost } from "./playbackHost";
import { mountGeoAlarms } from "./geoAlarms";
import { operationsHost } from "./operationsHost";
import { reportsHost } from "./reports";
import { WorkspaceSlot } from "./workspaceSlot";
import { FleetScopeBar, fleetOfScope } from "./subfleet";
import { h, icon, ICONS } from "../dom";
import type { View } from "./view";

export interface FleetViewOptions {
  backend: IBackend;
  store: Store;
  onSignOut: () => void;
  /** The app's update state (one per app start: its quiet check runs once); else the view's own. */
  updates?: Updates;
  map?: FleetMapOptions;
  now?: () => number;
  /** Timers for relative times (0 disables them; tests). */
  tickMs?: number;
}

export interface FleetView extends View {
  readonly list: DeviceList;
  readonly map: FleetMap;
  readonly details: DeviceDetails;
  readonly header: Header;
  /** Loads the device list (and the latest snapshot); shows a retry on failure. */
  load(): Promise<void>;
}

export function createFleetView(opts: FleetViewOptions): FleetView {
  const { backend, store } = opts;
  // 0 turns the relative-time timers off (tests drive time themselves); otherwise their defaults.
  const tick = opts.tickMs === 0 ? 0 : undefined;
  const updates = opts.updates ?? new Updates(backend);
  const header = new Header(
    store,
    {
      onRefresh: () => {
        backend.liveRefreshNow().catch((e: unknown) => {
          store.setLiveStatus({ state: "error", message: toBackendError(e).message, lastOk: store.lastUpdateAt });
        });
      },
      onSettings: () => void openSettingsDialog({ backend, store, updates }),
      onSignOut: opts.onSignOut,
      onAbout: () => void openAboutDialog({ backend }),
      onUpdate: () => void openSettingsDialog({ backend, store, updates, section: "updates" }),
      onReports: () => void reports.open(),
    },
    { now: opts.now, tickMs: tick },
  );
  // The top bar's notice while a newer version is on offer (the quiet check at start finds it).
  const stopUpdates = updates.subscribe((u) => {
    if (u.kind === "available" || u.kind === "downloading") header.showUpdate(u.offer.version);
    else if (u.kind === "installed" && u.restartNeeded) header.showUpdate(u.version, true);
    else header.showUpdate(null);
  });
  const list = new DeviceList(store, { now: opts.now, tickMs: tick });
  // Whose fleet is shown, when it is a sub-customer's (opened from Accounts), and the way back.
  const scopeBar = new FleetScopeBar({ backend, store });

  const m = t().fleet;
  const mapEl = h("div", { class: "map", id: "map", "data-testid": "map", role: "region", "aria-label": m.mapLabel });
  const fit = h("button", { type: "button", class: "map-btn", title: m.fitFleet, "aria-label": m.fitFleet, "data-testid": "map-fit" }, icon(ICONS.fit));
  const mapArea = h("section", { class: "map-area" }, mapEl, h("div", { class: "map-tools" }, fit), legend());

  let map: FleetMap | null = null;
  // Playback and the operations open from the panel; both are made below, once the view exists.
  const details = new DeviceDetails(store, {
    now: opts.now,
    onToggle: () => {
      // The details column changes the map's width: let Leaflet measure again, then re-centre.
      requestAnimationFrame(() => {
        map?.invalidateSize();
        if (store.selected) map?.centreOn(store.selected);
      });
    },
    onLocate: (imei) => map?.centreOn(imei),
    onPlaybackOpen: (imei) => void playback.open(imei),
    onCommand: ({ imei, command }) => void operations.openCommand(imei, command),
    onAuditOpen: () => void operations.openAuditLog(),
  });

  const element = h(
    "div",
    { class: "fleet-view" },
    header.element,
    header.banner,
    scopeBar.element,
    h("div", { class: "workspace" }, list.element, mapArea, details.element),
  );
  // Playback and the alarms view take the workspace's place, one at a time; the fleet map
  // measures itself again when they close.
  const slot = new WorkspaceSlot(() => element);
  const playback = playbackHost({
    backend,
    store,
    slot,
    map: opts.map,
    chartCanvas: opts.map?.offlineBasemap !== false,
    onClosed: () => requestAnimationFrame(() => map?.invalidateSize()),
  });
  // Reports (trips, stops, idling, summary, speeding, geofence visits, mileage): the top bar's Reports button.
  const reports = reportsHost({
    backend,
    store,
    slot,
    map: opts.map ? { offlineBasemap: opts.map.offlineBasemap, tiles: opts.map.tiles } : undefined,
    onClosed: () => requestAnimationFrame(() => map?.invalidateSize()),
  });
  // Commands, command log, mileage, accounts: top-bar buttons and the panel's command buttons.
  const operations = operationsHost({ backend, store, tools: header.tools });
  // Leaflet measures its container when created: build it once the view is in the document.
  map = new FleetMap(mapEl, store, opts.map);
  // Geofences on this map, the Alarms button and cards, and the alarms view (views/geoAlarms.ts).
  const geoAlarms = mountGeoAlarms({
    backend,
    store,
    root: element,
    slot,
    tools: header.tools,
    mapArea,
    map: map.map,
    alarmsMap: opts.map ? { offlineBasemap: opts.map.offlineBasemap, tiles: opts.map.tiles } : undefined,
    onClosed: () => requestAnimationFrame(() => map?.invalidateSize()),
  });
  fit.addEventListener("click", () => map?.fitFleet());

  const onKey = (ev: KeyboardEvent): void => {
    const target = ev.target as HTMLElement | null;
    const typing = target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
    if ((ev.key === "/" && !typing) || (ev.key.toLowerCase() === "f" && (ev.ctrlKey || ev.metaKey))) {
      ev.preventDefault();
      list.search.focus();
      list.search.select();
    } else if (ev.key === "Escape" && !typing && store.selected && !document.querySelector(".overlay")) {
      store.select(null);
    }
  };
  document.addEventListener("keydown", onKey);

  async function load(): Promise<void> {
    list.showError(null);
    list.setLoading(true);
    try {
      // The backend keeps whose fleet is shown (a reloaded window shows the same one).
      const [devices, scope] = await Promise.all([backend.fleetDevices(), backend.fleetScope()]);
      store.fleet = fleetOfScope(store, scope);
      store.setDevices(devices);
      const snap = await backend.liveSnapshot();
      if (snap) store.applyLiveUpdate(snap);
    } catch (e) {
      list.showError(errorText(toBackendError(e)), () => void load());
    } finally {
      list.setLoading(false);
    }
  }

  return {
    element,
    list,
    map,
    details,
    header,
    load,
    destroy() {
      document.removeEventListener("keydown", onKey);
      playback.close();
      reports.close();
      geoAlarms.destroy();
      operations.close();
      stopUpdates();
      scopeBar.destroy();
      header.destroy();
      list.destroy();
      details.destroy();
      map?.destroy();
    },
  };
}

function legend(): HTMLElement {
  const items: readonly DeviceStatus[] = ["moving", "stopped", "offline", "expired", "blocked"];
  return h(
    "div",
    { class: "map-legend", "aria-hidden": "true" },
    ...items.map((s) => h("span", { class: `legend-item status-${s}` }, h("span", { class: "dot" }), statusLabel(s))),
  );
}
