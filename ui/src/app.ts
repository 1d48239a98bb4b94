/**
 * The app's screens and their order: restore the remembered session and show the fleet, else the
 * sign-in screen; sign out goes back to it. Live events are subscribed once, before any sign-in,
 * so the first update after signing in cannot be missed.
 */
import type { LiveUpdate, SessionInfo } from "./bindings";
import { toBackendError, type IBackend } from "./backend";
import type { Store } from "./state";
import type { FleetMapOptions } from "./map/fleetMap";
import type { View } from "./views/view";
import { createLoginView } from "./views/login";
import { createFleetView, type FleetView } from "./views/fleet";
import { Updates } from "./updates";

export interface AppOptions {
  root: HTMLElement;
  backend: IBackend;
  store: Store;
  /** Map options (tests turn the canvas basemap and tiles off). */
  map?: FleetMapOptions;
  /** 0 turns relative-time timers off (tests). */
  tickMs?: number;
}

export class App {
  private view: View | null = null;
  /** The fleet view while signed in. */
  fleet: FleetView | null = null;
  private readonly backend: IBackend;
  private readonly store: Store;
  /** The app's own updates: one state, and one quiet check, per app start. */
  readonly updates: Updates;

  constructor(private readonly opts: AppOptions) {
    this.backend = opts.backend;
    this.store = opts.store;
    this.updates = new Updates(opts.backend);
  }

  async start(): Promise<void> {
    await this.backend.onLiveUpdate((u) => this.applyUpdate(u));
    await this.backend.onLiveStatus((s) => {
      if (this.store.session) this.store.setLiveStatus(s);
    });
    let notice: string | null = null;
    try {
      const restored = await this.backend.sessionRestore();
      notice = restored.notice;
      if (restored.session) {
        await this.showFleet(restored.session);
        return;
      }
    } catch (e) {
      notice = toBackendError(e).message;
    }
    this.showLogin(notice);
  }

  /** Applies a refresh and records how long the UI took (state + list + markers), for benchmarks. */
  private applyUpdate(update: LiveUpdate): void {
    if (!this.store.session) return;
    const t0 = performance.now();
    this.store.applyLiveUpdate(update);
    const ms = performance.now() - t0;
    const ds = document.documentElement.dataset;
    ds.liveApplyMs = ms.toFixed(2);
    ds.liveTracks = String(update.tracks.length);
    ds.liveFetchMs = update.durationMs.toFixed(1);
  }

  private mount(view: View): void {
    this.view?.destroy();
    this.view = view;
    this.opts.root.replaceChildren(view.element);
  }

  showLogin(notice: string | null = null): void {
    this.fleet = null;
    this.mount(
      createLoginView({
        backend: this.backend,
        store: this.store,
        notice,
        onSignedIn: (s) => void this.showFleet(s),
      }),
    );
  }

  /** Shows the fleet of a signed-in session; resolves once its device list is loaded. */
  async showFleet(session: SessionInfo): Promise<void> {
    this.store.setSession(session);
    const fleet = createFleetView({
      backend: this.backend,
      store: this.store,
      onSignOut: () => void this.signOut(),
      updates: this.updates,
      map: this.opts.map,
      tickMs: this.opts.tickMs,
    });
    this.fleet = fleet;
    this.mount(fleet);
    requestAnimationFrame(() => fleet.map.invalidateSize());
    // In the background, once per app start and only when the user wants it; never in the way.
    void this.updates.quietCheck(this.store.settings.checkUpdatesAtStart);
    await fleet.load();
  }

  async signOut(): Promise<void> {
    let notice: string | null = null;
    try {
      await this.backend.sessionLogout();
    } catch (e) {
      notice = `Signed out, but: ${toBackendError(e).message}`;
    }
    this.store.setSession(null);
    this.showLogin(notice);
  }
}
