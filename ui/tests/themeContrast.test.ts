/**
 * WCAG 2 contrast of the design tokens, read from tokens.css, in both themes: 4.5:1 for text,
 * 3:1 for the parts of controls and the graphics a user must make out (WCAG 1.4.3 and 1.4.11).
 * Each pair is a foreground token on a background token as the stylesheets pair them; a
 * background with transparency is laid over what it sits on (a map label over the land).
 */
import { describe, expect, it } from "vitest";
import { tokenSets } from "./cssText";

type Rgba = [r: number, g: number, b: number, a: number];

/** `#rgb`, `#rrggbb`, `rgb(…)` or `rgba(…)`. */
function parseColour(value: string): Rgba {
  const v = value.trim();
  const long = /^#([0-9a-f]{6})$/i.exec(v);
  if (long) {
    const n = parseInt(long[1]!, 16);
    return [n >> 16, (n >> 8) & 255, n & 255, 1];
  }
  const short = /^#([0-9a-f]{3})$/i.exec(v);
  if (short) {
    const [r, g, b] = [...short[1]!].map((c) => parseInt(c + c, 16)) as [number, number, number];
    return [r, g, b, 1];
  }
  const fn = /^rgba?\(([^)]+)\)$/.exec(v);
  if (fn) {
    const [r, g, b, a] = fn[1]!.split(",").map((p) => Number(p.trim()));
    return [r!, g!, b!, a ?? 1];
  }
  throw new Error(`not a colour: ${value}`);
}

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const sets = tokenSets();
type ThemeName = "light" | "dark";

function token(theme: ThemeName, name: string): Rgba {
  const value = (theme === "dark" ? sets.dark.get(name) : undefined) ?? sets.light.get(name);
  if (!value) throw new Error(`${name} is not in tokens.css`);
  return parseColour(value);
}

/** A background: one token, or tokens from the top down to an opaque one. */
type Background = string | readonly string[];

function background(theme: ThemeName, bg: Background): Rgba {
  const layers = typeof bg === "string" ? [bg] : [...bg];
  let colour = token(theme, layers.pop()!);
  for (const t of layers.reverse()) colour = over(token(theme, t), colour);
  return colour;
}

/** [foreground, background, where the stylesheets pair them]. */
type Pair = [fg: string, bg: Background, where: string];

/** Text: 4.5:1 in both themes. */
const TEXT: Pair[] = [
  ["--text", "--bg", "page text"],
  ["--text", "--surface", "panels, dialogs, the list"],
  ["--text", "--surface-hover", "a hovered row or button"],
  ["--text", "--surface-subtle", "a hovered vehicle, table heads"],
  ["--text", "--surface-sunken", "the search field, notes"],
  ["--text", "--surface-muted", "messages"],
  ["--text", "--surface-neutral", "geofence results"],
  ["--text", "--row-hover", "a hovered table row"],
  ["--text", "--primary-soft", "the selected vehicle"],
  ["--text-label", "--surface", "field labels, filter chips"],
  ["--text-label", ["--map-panel", "--map-land"], "the map legend over land"],
  ["--text-label", ["--map-panel", "--map-sea"], "the map legend over sea"],
  ["--muted", "--surface", "secondary text, hints"],
  ["--muted", "--bg", "secondary text on the page"],
  ["--muted", "--surface-subtle", "table heads"],
  ["--muted", "--surface-sunken", "alarm table heads"],
  ["--muted", "--primary-soft", "the selected vehicle's details"],
  ["--chart-text", "--surface", "the speed chart's labels"],
  ["--primary", "--surface", "links, the open tab"],
  ["--on-accent", "--primary", "primary buttons, the selected vehicle's label"],
  ["--on-accent", "--primary-hover", "a hovered primary button"],
  ["--on-accent", "--danger", "danger buttons, the engine-stop warning"],
  ["--on-accent", "--danger-strong", "a hovered danger button"],
  ["--on-accent", "--alarm", "the unread alarms badge"],
  ["--on-accent", "--warning", "the radius held at a limit"],
  ["--on-accent", "--status-stopped", "a stop's number in playback"],
  ["--on-accent", "--success-strong", "a trip's number, the route's start"],
  ["--on-accent", "--ink", "the speed chart's time tip, the route's finish"],
  ["--on-accent", "--geofence-ink", "the radius while drawing a geofence"],
  ["--on-accent", ["--geofence-label", "--map-land"], "a geofence's name on the map"],
  ["--text", ["--map-label", "--map-land"], "vehicle names on the map, over land"],
  ["--text", ["--map-label", "--map-sea"], "vehicle names on the map, over sea"],
  ["--text-inverse", "--text", "a pressed status filter"],
  ["--danger", "--surface", "error text"],
  ["--danger", "--danger-soft", "error messages"],
  ["--danger-strong", "--danger-soft", "the no-connection banner"],
  ["--warning", "--surface", "warnings in the details"],
  ["--warning", "--warning-soft", "warning messages"],
  ["--warning-strong", "--warning-soft", "the unencrypted badge, the error banner"],
  ["--success", "--surface", "a command's reply"],
  ["--success-ink", "--success-tint", "the alarm watch's status"],
  ["--success-text", "--success-soft", "a replied command"],
  ["--neutral-ink", "--neutral-soft", "a plain chip"],
  ["--neutral-ink", "--surface-muted", "the alarm watch when off"],
  ["--geofence-ink", "--geofence-tint", "the geofence tool's steps"],
  ["--geofence-ink", "--surface", "geofence names in the panel"],
  ["--geofence-strong", "--geofence-soft", "the pressed geofence button"],
  ["--topbar-text", "--topbar", "the top bar"],
  ["--topbar-muted", "--topbar", "the provider in the top bar"],
  ["--topbar-control", "--topbar", "the top bar's buttons"],
  ["--demo-text", "--demo-bg", "the demo badge"],
  ["--avatar-text", "--avatar-bg", "saved accounts' initials"],
  ...["moving", "stopped", "offline", "expired", "never-online", "blocked"].map(
    (s): Pair => [`--status-${s}-ink`, `--status-${s}-soft`, `the ${s} status chip`],
  ),
];

/** Controls and marks a user must make out: 3:1 in both themes. */
const UI: Pair[] = [
  ["--primary", "--surface", "the focus outline, checked boxes"],
  ["--icon", "--surface", "icons"],
  ["--chart-line", "--surface", "the speed curve"],
  ["--alarm", "--surface", "alarm ticks on the chart"],
  ["--on-brand", "--brand-from", "the brand mark's glyph"],
  ["--on-brand", "--brand-to", "the brand mark's glyph"],
  ["--live-ok", "--topbar", "the live dot"],
  ["--live-down", "--topbar", "the live dot when down"],
];

/** The maps' marks on the map, in both themes: 3:1 against land, sea and the list. */
const MAP_ON_DARK: Pair[] = [
  ...["moving", "stopped", "offline", "expired", "never-online", "blocked"].flatMap((s): Pair[] => [
    [`--status-${s}`, "--map-land", `a ${s} vehicle on land`],
    [`--status-${s}`, "--map-sea", `a ${s} vehicle on sea`],
    [`--status-${s}`, "--surface", `the ${s} bar in the list`],
    ["--on-accent", `--status-${s}`, `the ${s} marker's arrow`],
  ]),
  ...[0, 1, 2, 3, 4, 5, 6].flatMap((k): Pair[] => [
    [`--speed-${k}`, "--route-casing", `speed class ${k} on the route's casing`],
    [`--speed-${k}`, "--map-land", `speed class ${k} on land`],
  ]),
  ["--geofence", "--map-land", "a geofence's outline"],
  ["--alarm", "--map-land", "an alarm on the playback map"],
  ["--status-stopped", "--map-land", "a stop on the playback map"],
  ...["sos", "crash", "power", "geofence", "speed", "engine", "tire", "door", "gps", "driving", "other"].map(
    (k): Pair => [`--alarm-${k}`, `--alarm-${k}-soft`, `the ${k} alarm icon`],
  ),
];

function failures(theme: ThemeName, pairs: readonly Pair[], min: number): string[] {
  return pairs.flatMap(([fg, bg, where]) => {
    const b = background(theme, bg);
    const ratio = contrast(over(token(theme, fg), b), b);
    return ratio < min ? [`${theme}: ${fg} on ${String(bg)} (${where}) is ${ratio.toFixed(2)}:1, under ${min}:1`] : [];
  });
}

describe("contrast of the design tokens (WCAG AA)", () => {
  it("measures contrast as WCAG does", () => {
    expect(contrast(parseColour("#000"), parseColour("#ffffff"))).toBeCloseTo(21, 5);
    expect(contrast(parseColour("#767676"), parseColour("#fff"))).toBeCloseTo(4.54, 2);
    expect(over(parseColour("rgba(0, 0, 0, 0.5)"), parseColour("#ffffff"))).toEqual([127.5, 127.5, 127.5, 1]);
  });

  it("checks tokens that exist in both themes", () => {
    for (const [fg, bg] of [...TEXT, ...UI, ...MAP_ON_DARK]) {
      for (const t of [fg, ...(typeof bg === "string" ? [bg] : bg)]) {
        expect(sets.light.has(t), t).toBe(true);
        expect(sets.dark.has(t), t).toBe(true);
      }
    }
  });

  it.each<ThemeName>(["light", "dark"])("text is 4.5:1 on its background in the %s theme", (theme) => {
    expect(failures(theme, TEXT, 4.5)).toEqual([]);
  });

  it.each<ThemeName>(["light", "dark"])("controls and icons are 3:1 in the %s theme", (theme) => {
    expect(failures(theme, UI, 3)).toEqual([]);
  });

  it.each<ThemeName>(["light", "dark"])("vehicles, routes, stops, alarms and geofences stand out 3:1 on the %s map", (theme) => {
    expect(failures(theme, MAP_ON_DARK, 3)).toEqual([]);
  });

  it("land, sea and borders of the dark offline map can be told apart", () => {
    expect(contrast(token("dark", "--map-land"), token("dark", "--map-sea"))).toBeGreaterThanOrEqual(1.2);
    expect(contrast(token("dark", "--map-border"), token("dark", "--map-land"))).toBeGreaterThanOrEqual(2);
    expect(luminance(token("dark", "--map-sea"))).toBeLessThan(luminance(token("dark", "--map-land")));
  });
});
