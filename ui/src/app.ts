/**
 * The app's screens and their order: restore the remembered session and show the fleet, else the
 * sign-in screen; sign out goes back to it. Live events are subscribed once, before any sign-in,
 * so the first update after signing in cannot be missed. A change of the language setting applies
 * at once: the screen shown is built again in the new language, keeping the session, the selected
 * vehicle, the search and filter, and the map's centre and zoom.
 */
import type { LiveUpdate, SessionInfo } from "./bindings";
import { toBackendError, type IBackend } from "./backend";
import type { Store } from "./state";
import type { FleetMapOptions } from "./map/fleetMap";
import type { View } from "./views/view";
import { createLoginView } from "./views/login";
import { createFleetView, type FleetView } from "./views/fleet";
import { Updates } from "./updates";
import { onLanguageChange, setLanguage, t } from "./i18n";
import { errorText } from "./i18n/words";
import { AddressBook, setAddressBook } from "./lib/addresses";

export interface AppOptions {
  root: HTMLElement;
  backend: IBackend;
  store: Store;
  /** Map options (tests turn the canvas basemap and tiles off). */
  map?: FleetMapOptions;
  /** 0 turns relative-time timers off (tests). */
  tickMs?: number;
}

/** What the sign-in screen showed, to show again after a change of language. */
interface LoginState {
  notice: string | null;
}

export class App {
  private view: View | null = null;
  /** The fleet view while signed in. */
  fleet: FleetView | null = null;
  private readonly backend: IBackend;
  private readonly store: Store;
  /** The app's own updates: one state, and one quiet check, per app start. */
  readonly updates: Updates;
  /** The sign-in screen's state while it is shown; null while the fleet is. */
  private login: LoginState | null = null;
  private remountQueued = false;
  private readonly stops: Array<() => void> = [];

  constructor(private readonly opts: AppOptions) {
    this.backend = opts.backend;
    this.store = opts.store;
    this.updates = new Updates(opts.backend);
    setAddressBook(new AddressBook(opts.backend, () => this.store.settings));
    // The language setting applies as soon as it is saved; the screen follows the language.
    this.stops.push(
      this.store.subscribe((change, store) => {
        if (change.kind !== "settings") return;
        const next = store.settings.language ?? "system";
        if (next !== (change.previous.language ?? "system")) setLanguage(next);
      }),
      onLanguageChange(() => this.queueRemount()),
    );
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
      notice = errorText(toBackendError(e));
    }
    this.showLogin(notice);
  }

  /** Stops following the language (tests that start several apps). */
  destroy(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.view?.destroy();
    this.view = null;
    this.fleet = null;
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
    this.login = { notice };
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
    const fleet = this.mountFleet();
    // In the background, once per app start and only when the user wants it; never in the way.
    void this.updates.quietCheck(this.store.settings.checkUpdatesAtStart);
    await fleet.load();
  }

  private mountFleet(): FleetView {
    this.login = null;
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
    return fleet;
  }

  /**
   * After a change of language: the screen shown, built again in the new language. Run after the
   * change has been told to everyone (the old views are still listening while it is).
   */
  private queueRemount(): void {
    if (this.remountQueued) return;
    this.remountQueued = true;
    queueMicrotask(() => {
      this.remountQueued = false;
      this.remount();
    });
  }

  /** Builds the screen shown again (the language changed), keeping what the user had. */
  remount(): void {
    if (!this.view) return;
    if (this.login) {
      this.showLogin(this.login.notice);
      return;
    }
    const old = this.fleet;
    if (!old || !this.store.session) return;
    // The session, devices, tracks, selection, search and filter live in the store; the map's
    // view in the old map.
    let centre: ReturnType<FleetView["map"]["map"]["getCenter"]> | null = null;
    let zoom = 0;
    try {
      centre = old.map.map.getCenter();
      zoom = old.map.map.getZoom();
    } catch {
      centre = null; // a map never laid out has no view to keep
    }
    const fleet = this.mountFleet();
    const restore = (): void => {
      if (centre && this.fleet === fleet) fleet.map.map.setView(centre, zoom, { animate: false });
    };
    // Once the new map has measured itself (and made its first fit), the old view comes back.
    requestAnimationFrame(restore);
    // A fleet that had not loaded yet (an error shown, or the first load still under way) loads now.
    if (this.store.order.length === 0) void fleet.load();
  }

  async signOut(): Promise<void> {
    let notice: string | null = null;
    try {
      await this.backend.sessionLogout();
    } catch (e) {
      notice = t().app.signedOutBut({ reason: errorText(toBackendError(e)) });
    }
    this.store.setSession(null);
    this.showLogin(notice);
  }
}
