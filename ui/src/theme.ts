/**
 * The theme on the page: `<html data-theme="light|dark">`, which switches tokens.css's colour set
 * (and with it `color-scheme`, so native inputs, selects, date pickers and scrollbars follow);
 * canvases and map paths repaint on it through styles/tokens.ts `onColoursChange`. It is resolved
 * from the user's choice (Settings → Display → Theme) and, for "Same as the system", from the
 * operating system's setting, followed while it changes.
 *
 * The choice is kept in the backend's settings, which arrive only after the page could have been
 * painted: so the page starts in the last choice this window applied (a hint kept in the web
 * view's storage, so a dark choice on a light system does not flash white at start) or else the
 * system's theme, and the backend's settings have the last word as soon as they are read.
 */
import type { Theme } from "./bindings";
import type { Store } from "./state";
import { isTheme, OS_DARK_QUERY, resolveTheme, type AppliedTheme } from "./lib/theme";

/** The storage key of the start-up hint. Not a setting: the backend's settings are those. */
export const THEME_HINT_KEY = "etrack.theme";

/** The system's dark setting: what `matchMedia(OS_DARK_QUERY)` gives. */
export interface OsDarkSetting {
  readonly matches: boolean;
  addEventListener(type: "change", listener: () => void): void;
  removeEventListener(type: "change", listener: () => void): void;
}

/** What a theme controller needs from the page; tests give fakes. */
export interface ThemeEnv {
  /** The element that carries `data-theme` (the document's `<html>`). */
  root: HTMLElement;
  /** True while the system is dark; null where it cannot be asked (then: light). */
  osDark: OsDarkSetting | null;
  /** Where the last choice is kept for the next start; null for nowhere. */
  hint: Pick<Storage, "getItem" | "setItem"> | null;
}

export class ThemeController {
  private chosen: Theme;
  private current: AppliedTheme = "light";
  private following = false;
  private readonly onOsChange = (): void => this.apply();

  constructor(private readonly env: ThemeEnv) {
    this.chosen = readHint(env.hint) ?? "system";
    this.follow(this.chosen === "system");
    this.apply();
  }

  /** The user's choice as last set. */
  get choice(): Theme {
    return this.chosen;
  }

  /** What the page is painted in now. */
  get applied(): AppliedTheme {
    return this.current;
  }

  /** Applies a choice at once and keeps it as the hint for the next start. */
  set(choice: Theme): void {
    this.chosen = choice;
    writeHint(this.env.hint, choice);
    this.follow(choice === "system");
    this.apply();
  }

  /** Applies the settings' theme now and on every change of the settings; returns the unsubscribe. */
  followSettings(store: Store): () => void {
    this.set(store.settings.theme);
    return store.subscribe((change, s) => {
      if (change.kind === "settings") this.set(s.settings.theme);
    });
  }

  /** Stops following the system. */
  destroy(): void {
    this.follow(false);
  }

  /** Listens to the system's setting only while it decides: an explicit choice ignores it. */
  private follow(on: boolean): void {
    const os = this.env.osDark;
    if (!os || on === this.following) return;
    this.following = on;
    if (on) os.addEventListener("change", this.onOsChange);
    else os.removeEventListener("change", this.onOsChange);
  }

  private apply(): void {
    const theme = resolveTheme(this.chosen, this.env.osDark?.matches ?? false);
    this.current = theme;
    const root = this.env.root;
    // Written only on a change: each write tells every canvas and map path to repaint.
    if (root.dataset.theme !== theme) root.dataset.theme = theme;
    // tokens.css sets `color-scheme` with the colours; the meta tag says the same for the moments
    // before a stylesheet applies.
    const meta = root.ownerDocument.querySelector<HTMLMetaElement>('meta[name="color-scheme"]');
    if (meta && meta.content !== theme) meta.content = theme;
  }
}

/** The controller of this window's document, started as early as the page's script runs. */
export function startTheme(win: Window = window): ThemeController {
  let osDark: ThemeEnv["osDark"] = null;
  try {
    osDark = typeof win.matchMedia === "function" ? win.matchMedia(OS_DARK_QUERY) : null;
  } catch {
    osDark = null;
  }
  let hint: ThemeEnv["hint"] = null;
  try {
    hint = win.localStorage;
  } catch {
    // Storage refused (a locked-down web view): start from the system's theme each time.
    hint = null;
  }
  return new ThemeController({ root: win.document.documentElement, osDark, hint });
}

function readHint(hint: ThemeEnv["hint"]): Theme | null {
  try {
    const v = hint?.getItem(THEME_HINT_KEY);
    return isTheme(v) ? v : null;
  } catch {
    return null;
  }
}

function writeHint(hint: ThemeEnv["hint"], choice: Theme): void {
  try {
    hint?.setItem(THEME_HINT_KEY, choice);
  } catch {
    // Only the next start's first paint depends on it.
  }
}
