/**
 * Geofences and alarms in the fleet view: the geofence layer and tool on the fleet map, the
 * Alarms button with its badge and cards, and the alarms view, which takes the workspace's slot
 * while open (live updates go on underneath).
 */
import type L from "../map/leaflet";
import type { WatchedAlarm } from "../bindings";
import type { IBackend } from "../backend";
import type { Store } from "../state";
import type { AlarmsMapOptions } from "../map/alarmsMap";
import { createAlarmsView, type AlarmsView } from "./alarms";
import { openWatchDialog } from "./alarmsWatch";
import { AlarmNotices } from "./alarmsNotify";
import { mountGeofences, type Geofences } from "./geofencePanel";
import type { WorkspaceSlot } from "./workspaceSlot";

export interface GeoAlarmsOptions {
  backend: IBackend;
  store: Store;
  /** The fleet view's root: the alarm cards show over it. */
  root: HTMLElement;
  /** Where full-screen views are shown (shared with playback, which the alarms view replaces). */
  slot: WorkspaceSlot;
  /** The top bar's place for feature buttons. */
  tools: HTMLElement;
  /** The fleet map's area and map. */
  mapArea: HTMLElement;
  map: L.Map;
  /** Options of the alarms view's map (tests turn the basemap and tiles off). */
  alarmsMap?: AlarmsMapOptions;
  /** Called after the alarms view closes (the fleet map measures itself again). */
  onClosed?: () => void;
  toastMs?: number;
}

export interface GeoAlarms {
  readonly geofences: Geofences;
  readonly notices: AlarmNotices;
  /** The alarms view while open. */
  readonly view: AlarmsView | null;
  /** Opens the alarms view (showing `alarm` when given, after loading). */
  open(alarm?: WatchedAlarm | null): AlarmsView;
  close(): void;
  destroy(): void;
}

export function mountGeoAlarms(opts: GeoAlarmsOptions): GeoAlarms {
  const { backend, store } = opts;
  const geofences = mountGeofences({ backend, store, mapArea: opts.mapArea, map: opts.map });
  let view: AlarmsView | null = null;

  function close(): void {
    if (view) opts.slot.close(view);
  }

  function open(alarm: WatchedAlarm | null = null): AlarmsView {
    const v = createAlarmsView({
      backend,
      store,
      onClose: close,
      onWatch: () => void openWatchDialog({ backend, store }),
      imeis: alarm ? [alarm.imei] : undefined,
      geofences: geofences.listing?.geofences ?? [],
      map: opts.alarmsMap,
    });
    // Whatever full-screen view is open (playback, the alarms themselves) gives way.
    opts.slot.show(v, () => {
      if (view === v) view = null;
      opts.onClosed?.();
    });
    view = v;
    v.map.invalidateSize();
    v.element.focus();
    notices.markRead();
    void v.load().then(() => {
      if (alarm && view === v && v.rows.some((r) => r.id === alarm.id)) v.focus(alarm.id);
    });
    return v;
  }

  const notices = new AlarmNotices({ backend, store, tools: opts.tools, host: opts.root, onOpen: (a) => void open(a), toastMs: opts.toastMs });

  return {
    geofences,
    notices,
    get view() {
      return view;
    },
    open,
    close,
    destroy() {
      close();
      notices.destroy();
      geofences.destroy();
    },
  };
}
