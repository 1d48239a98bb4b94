/**
 * Boot: ask the backend to restore the remembered session; show the fleet when it did, else the
 * sign-in screen. Live events are subscribed once, before any sign-in, so no update is missed.
 */
import "./styles.css";
import type { LiveUpdate, SessionInfo, Settings } from "./bindings";
import { TauriBackend, toBackendError, type IBackend } from "./backend";
import { Store } from "./state";
import { defaultSettings } from "./lib/defaults";
import { createLoginView, type View } from "./views/login";
import { createFleetView } from "./views/fleet";
import { h } from "./dom";

async function pickBackend(): Promise<IBackend> {
  // The fake backend exists for the browser preview only. In a production build both conditions
  // are constant false, so the bundler drops the import and the fake never ships in the app.
  if (import.meta.env.DEV || import.meta.env.MODE === "fake") {
    const params = new URLSearchParams(location.search);
    if (params.has("fake")) {
      const { FakeBackend } = await import("./backend-fake");
      const fake = new FakeBackend({
        fleetSize: Number(params.get("fleet")) || 150,
        latencyMs: 200,
        reachable: !params.has("unreachable"),
        remembered: params.has("restore") ? [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] : [],
        autoRefresh: true,
      });
      (window as unknown as { __fake?: unknown }).__fake = fake;
      return fake;
    }
  }
  return new TauriBackend();
}

class App {
  private view: View | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly backend: IBackend,
    private readonly store: Store,
  ) {}

  async start(): Promise<void> {
    await this.backend.onLiveUpdate((u) => this.applyUpdate(u));
    await this.backend.onLiveStatus((s) => {
      if (this.store.session) this.store.setLiveStatus(s);
    });
    let notice: string | null = null;
    try {
      const restored = await this.backend.sessionRestore();
      notice = restored.notice ?? null;
      if (restored.session) {
        this.showFleet(restored.session);
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
    this.root.replaceChildren(view.element);
  }

  showLogin(notice: string | null = null): void {
    this.mount(
      createLoginView({
        backend: this.backend,
        store: this.store,
        notice,
        onSignedIn: (s) => this.showFleet(s),
      }),
    );
  }

  showFleet(session: SessionInfo): void {
    this.store.setSession(session);
    const fleet = createFleetView({
      backend: this.backend,
      store: this.store,
      onSignOut: () => void this.signOut(),
    });
    this.mount(fleet);
    requestAnimationFrame(() => fleet.map.invalidateSize());
    void fleet.load();
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

async function boot(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  const backend = await pickBackend();
  let settings: Settings;
  try {
    settings = await backend.settingsGet();
  } catch {
    // Unreadable settings must not keep anyone out: the form still works with the defaults.
    settings = defaultSettings();
  }
  const store = new Store(settings);
  const app = new App(root, backend, store);
  try {
    await app.start();
  } catch (e) {
    root.replaceChildren(
      h("div", { class: "fatal", role: "alert" }, h("h1", {}, "etrack could not start"), h("p", {}, toBackendError(e).message)),
    );
  }
}

void boot();
