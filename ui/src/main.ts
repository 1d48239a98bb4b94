/** Entry point: pick the backend, read the settings, start the app. */
// First: the theme is set before anything else runs (see themeAtStart.ts).
import { theme } from "./themeAtStart";
import "./styles/index.css";
import type { Settings } from "./bindings";
import { TauriBackend, toBackendError, type IBackend } from "./backend";
import { Store } from "./state";
import { defaultSettings } from "./lib/defaults";
import { App } from "./app";
import { loadOfflineShapes } from "./map/basemap";
import { connectBasemaps } from "./map/basemaps";
import { followNoticeWords } from "./lib/noticeWords";
import { h } from "./dom";
import { onLanguageChange, setLanguage, t } from "./i18n";
import { errorText } from "./i18n/words";

async function pickBackend(): Promise<IBackend> {
  // The fake backend exists for the browser preview only. In a production build both conditions
  // are constant false, so the bundler drops the import and the fake never ships in the app.
  if (import.meta.env.DEV || import.meta.env.MODE === "fake") {
    const params = new URLSearchParams(location.search);
    if (params.has("fake")) {
      const { FakeBackend } = await import("./backend-fake");
      const fake = new FakeBackend({
        fleetSize: Number(params.get("fleet")) || 150,
        latencyMs: Number(params.get("latency") ?? 200),
        reachable: !params.has("unreachable"),
        remembered: params.has("restore") ? [{ account: "fleet-manager", providerUrl: "http://api.etrack.vip" }] : [],
        autoRefresh: true,
        // ?update=0.2.0 offers that version (Settings > Updates, the top bar's notice).
        updates: params.has("update")
          ? {
              offer: {
                version: params.get("update") || "0.2.0",
                date: "2026-12-01T00:00:00Z",
                notes: "Faster playback of long periods.\nThe <b>alarm</b> list remembers its filters.",
              },
            }
          : undefined,
      });
      (window as unknown as { __fake?: unknown }).__fake = fake;
      return fake;
    }
  }
  return new TauriBackend();
}

async function boot(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  // Parse the offline basemap while the backend restores the session.
  void loadOfflineShapes().catch(() => undefined);
  const backend = await pickBackend();
  let settings: Settings;
  try {
    settings = await backend.settingsGet();
  } catch {
    // Unreadable settings must not keep anyone out: the form still works with the defaults.
    settings = defaultSettings();
  }
  // The language before the first view: every word of it is built in the user's language.
  setLanguage(settings.language ?? "system");
  const store = new Store(settings);
  // Every map's tiles, datum and layer switcher follow the settings from here on.
  connectBasemaps(backend, store);
  // The desktop notifications follow the language (and the speed units) from here on.
  followNoticeWords(backend, store);
  // So does the window's title bar.
  const title = (): void => void backend.setWindowTitle(t().app.windowTitle).catch(() => undefined);
  title();
  onLanguageChange(title);
  // The saved choice replaces the start-up guess, and every later change applies at once.
  theme.followSettings(store);
  const app = new App({ root, backend, store });
  try {
    await app.start();
  } catch (e) {
    root.replaceChildren(
      h("div", { class: "fatal", role: "alert" }, h("h1", {}, t().app.couldNotStart), h("p", {}, errorText(toBackendError(e)))),
    );
  }
}

void boot();
