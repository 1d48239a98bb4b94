/**
 * The reports view in the fleet view: it takes the workspace's slot while open (like playback and
 * the alarms view; live updates go on underneath). Opened from the top bar's Reports button.
 */
import type { IBackend } from "../../backend";
import type { Store } from "../../state";
import type { WorkspaceSlot } from "../workspaceSlot";
import { createReportsView, type ReportsView } from "./reportsView";
import type { ReportMapOptions } from "./reportMap";
import type { TableKind } from "../../lib/reportTable";

export { createReportsView, type ReportsView } from "./reportsView";

export interface ReportsHostOptions {
  backend: IBackend;
  store: Store;
  slot: WorkspaceSlot;
  /** Options of the view's map (tests turn the basemap and tiles off). */
  map?: ReportMapOptions;
  /** After the view closes (the fleet map measures itself again). */
  onClosed?: () => void;
}

export interface ReportsHost {
  readonly view: ReportsView | null;
  open(kind?: TableKind): ReportsView;
  close(): void;
}

export function reportsHost(opts: ReportsHostOptions): ReportsHost {
  let view: ReportsView | null = null;
  let opener: HTMLElement | null = null;
  const close = (): void => {
    if (view) opts.slot.close(view);
  };
  return {
    get view() {
      return view;
    },
    open(kind) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const v = createReportsView({ backend: opts.backend, store: opts.store, onClose: close, kind, map: opts.map });
      opts.slot.show(v, () => {
        if (view === v) view = null;
        opts.onClosed?.();
        // Back where the user opened it from (the top bar's button), for keyboard users.
        if (opener?.isConnected) opener.focus();
      });
      view = v;
      v.map.invalidateSize();
      v.element.focus();
      return v;
    },
    close,
  };
}
