/**
 * Where the playback view lives: the workspace's slot, in the fleet view's place under the top bar
 * until it is closed (or another full-screen view takes the slot).
 */
import type { IBackend } from "../backend";
import type { Store } from "../state";
import type { PlaybackMapOptions } from "../map/playbackMap";
import { createPlaybackView, type PlaybackView } from "./playback";
import type { WorkspaceSlot } from "./workspaceSlot";

export interface PlaybackHostOptions {
  backend: IBackend;
  store: Store;
  /** Where full-screen views are shown (shared with the alarms view). */
  slot: WorkspaceSlot;
  /** Called after playback closes (the fleet map needs to measure itself again). */
  onClosed?: () => void;
  map?: PlaybackMapOptions;
  chartCanvas?: boolean;
}

export interface PlaybackHost {
  readonly view: PlaybackView | null;
  /** Opens the playback of `imei` and loads the default period. */
  open(imei: string): PlaybackView;
  close(): void;
}

export function playbackHost(opts: PlaybackHostOptions): PlaybackHost {
  let view: PlaybackView | null = null;

  function close(): void {
    if (view) opts.slot.close(view);
  }

  function open(imei: string): PlaybackView {
    const v = createPlaybackView({
      backend: opts.backend,
      store: opts.store,
      imei,
      onClose: close,
      map: opts.map ? { ...opts.map, canvas: opts.map.offlineBasemap !== false } : undefined,
      chartCanvas: opts.chartCanvas,
    });
    opts.slot.show(v, () => {
      if (view === v) view = null;
      opts.onClosed?.();
    });
    view = v;
    // Leaflet measured an unattached container: measure again now that it is laid out.
    v.map.invalidateSize();
    v.element.focus();
    void v.load();
    return v;
  }

  return {
    get view() {
      return view;
    },
    open,
    close,
  };
}
