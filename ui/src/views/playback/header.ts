/**
 * The playback view's header: back to the fleet, which vehicle, and the period (a preset or a
 * custom range in the user's time zone) with its Load button. The load's progress sits at its end
 * but belongs to the load controller.
 */
import { h } from "../../dom";
import { fromInputValue, PRESETS, presetPeriod, toInputValue, type Period, type PresetId } from "../../lib/playbackTime";
import type { TimeZoneChoice } from "../../lib/time";
import { locale, t } from "../../i18n";
import type { View } from "../view";

export interface PlaybackHeaderOptions {
  /** The vehicle as the fleet names it, and its IMEI. */
  title: string;
  imei: string;
  /** The period shown at first. */
  preset: PresetId;
  /** Now, unix ms. */
  now: () => number;
  timeZone: () => TimeZoneChoice;
  /** Put after the period: the load's progress and Cancel. */
  progress: HTMLElement;
  onClose: () => void;
  /** The period shown was asked for: Load pressed, or a preset chosen. */
  onLoad: () => void;
}

export interface PlaybackHeader extends View {
  /** The period in the pickers; null while either is empty or unreadable. */
  period(): Period | null;
  /** While a load is under way, Load waits (Cancel is the way out). */
  setLoading(loading: boolean): void;
}

function presetOf(value: string): PresetId | undefined {
  return PRESETS.find((p) => p.id === value)?.id;
}

export function createPlaybackHeader(opts: PlaybackHeaderOptions): PlaybackHeader {
  const tz = opts.timeZone;
  const m = t().playback;
  const back = h("button", { type: "button", class: "btn ghost pb-back", "data-testid": "playback-close", title: m.backTitle }, m.back);
  const preset = h(
    "select",
    { class: "slot-input", "data-testid": "playback-preset", "aria-label": m.period },
    ...PRESETS.map((p) => h("option", { value: p.id }, p.label)),
    h("option", { value: "custom" }, m.custom),
  );
  // `lang` asks the webview to show the picker's date and time in the app's language (WebView2
  // and WebKitGTK follow it for the picker's own words where they can; the value stays ISO).
  const from = h("input", { type: "datetime-local", class: "slot-input", lang: locale(), "data-testid": "playback-from", "aria-label": m.from });
  const to = h("input", { type: "datetime-local", class: "slot-input", lang: locale(), "data-testid": "playback-to", "aria-label": m.to });
  const loadBtn = h("button", { type: "button", class: "btn primary", "data-testid": "playback-load" }, m.load);
  const element = h(
    "header",
    { class: "slot-header pb-header" },
    back,
    h(
      "div",
      { class: "pb-title" },
      h("h2", { class: "slot-title" }, `${m.heading} · `, h("span", { translate: "no" }, opts.title)),
      h("span", { class: "muted small mono", translate: "no" }, opts.imei),
    ),
    h("div", { class: "slot-group" }, preset, from, h("span", { class: "muted" }, "–"), to, loadBtn),
    opts.progress,
  );

  function applyPreset(id: PresetId): void {
    const p = presetPeriod(id, opts.now() / 1000, tz());
    from.value = toInputValue(p.begin, tz());
    // The pickers show minutes: "now" is rounded up so the last minute is not cut off.
    to.value = toInputValue(Math.ceil(p.end / 60) * 60, tz());
  }

  back.addEventListener("click", () => opts.onClose());
  preset.addEventListener("change", () => {
    const id = presetOf(preset.value);
    if (id) {
      applyPreset(id);
      opts.onLoad();
    }
  });
  // Editing either end makes it a custom period: the preset no longer describes it.
  const toCustom = (): void => {
    preset.value = "custom";
  };
  from.addEventListener("input", toCustom);
  to.addEventListener("input", toCustom);
  loadBtn.addEventListener("click", () => opts.onLoad());

  preset.value = opts.preset;
  applyPreset(opts.preset);

  return {
    element,
    period() {
      const b = fromInputValue(from.value, tz());
      const e = fromInputValue(to.value, tz());
      if (b === null || e === null) return null;
      return { begin: b, end: e };
    },
    setLoading(loading) {
      loadBtn.disabled = loading;
    },
    // Listeners only, on its own elements.
    destroy() {},
  };
}
