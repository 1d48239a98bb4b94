/**
 * Where the playback view lives: it takes the fleet view's place under the top bar until it is
 * closed (live updates go on underneath, so the fleet is current when it comes back).
 */
import type { IBackend } from "../backend";
import type { Store } from "../state";
import type { PlaybackMapOptions } from "../map/playbackMap";
import { createPlaybackView, type PlaybackView } from "./playback";

export interface PlaybackHostOptions {
  backend: IBackend;
  store: Store;
  /** The fleet view's root; its `.workspace` is hidden while playback is open. */
  root: () => HTMLElement;
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
  const workspace = (): HTMLElement | null => opts.root().querySelector<HTMLElement>(".workspace");

  function close(): void {
    if (!view) return;
    view.destroy();
    view.element.remove();
    view = null;
    const ws = workspace();
    if (ws) ws.hidden = false;
    opts.onClosed?.();
  }

  function open(imei: string): PlaybackView {
    close();
    const v = createPlaybackView({
      backend: opts.backend,
      store: opts.store,
      imei,
      onClose: close,
      map: opts.map ? { ...opts.map, canvas: opts.map.offlineBasemap !== false } : undefined,
      chartCanvas: opts.chartCanvas,
    });
    view = v;
    const ws = workspace();
    if (ws) ws.hidden = true;
    opts.root().append(v.element);
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
