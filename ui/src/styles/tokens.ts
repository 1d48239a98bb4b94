/**
 * The colours TypeScript paints with, by their names in tokens.css. A canvas or a Leaflet path
 * needs a colour value, not `var(--x)`, so it is read from the document's computed style when
 * drawing: tokens.css stays the only place a colour is written, and the dark set applies to the
 * maps as it does to the CSS (what painted with `colour()` repaints through `onColoursChange` when
 * the theme changes). Markup that can carry a class or a style (markers, cluster rings,
 * legends) uses the CSS directly instead.
 */
import type { DeviceStatus } from "../lib/status";

/** Every token read from TypeScript; ui/tests/styleTokens.test.ts checks each is in both sets. */
export const COLOUR_TOKENS = [
  "status-moving",
  "status-stopped",
  "status-offline",
  "status-expired",
  "status-never-online",
  "status-blocked",
  "alarm",
  "geofence",
  "map-land",
  "map-land-edge",
  "map-border",
  "marker-outline",
  "route-casing",
  "speed-0",
  "speed-1",
  "speed-2",
  "speed-3",
  "speed-4",
  "speed-5",
  "speed-6",
  "chart-stop",
  "chart-grid",
  "chart-text",
  "chart-fill",
  "chart-line",
] as const;

export type ColourToken = (typeof COLOUR_TOKENS)[number];

/** The token of each vehicle status (the CSS classes `status-<status>` set `--c` from the same). */
export const STATUS_TOKEN: Readonly<Record<DeviceStatus, ColourToken>> = {
  moving: "status-moving",
  stopped: "status-stopped",
  offline: "status-offline",
  expired: "status-expired",
  neverOnline: "status-never-online",
  blocked: "status-blocked",
};

/** `var(--token)`, for an inline style. */
export function cssVar(token: ColourToken): string {
  return `var(--${token})`;
}

/**
 * The token's current value, e.g. "#15803d". Empty where no stylesheet is loaded (DOM-only tests):
 * Leaflet and the canvas then draw nothing in that colour rather than a guess.
 */
export function colour(token: ColourToken, from: Element = document.documentElement): string {
  return getComputedStyle(from).getPropertyValue(`--${token}`).trim();
}

/**
 * Calls `repaint` after the theme changed the tokens' values (`<html data-theme>`, set by
 * theme.ts), so what was painted with `colour()` is painted again in the new set. Returns the
 * unsubscribe; call it when the canvas or layer goes away.
 */
export function onColoursChange(repaint: () => void, root: HTMLElement = document.documentElement): () => void {
  let theme = root.dataset.theme;
  const observer = new MutationObserver(() => {
    if (root.dataset.theme === theme) return;
    theme = root.dataset.theme;
    repaint();
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-theme"] });
  return () => observer.disconnect();
}
