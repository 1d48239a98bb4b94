/** The settings dialog: provider, map tiles, refresh interval, units, time zone, theme, updates. */
import type { Settings, Theme, Units } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { localTimeZoneName, timeZoneChoices } from "../lib/time";
import { isTheme, THEME_CHOICES } from "../lib/theme";
import { defaultSettings } from "../lib/defaults";
import { h } from "../dom";
import { openDialog } from "./modal";
import { Updates } from "../updates";
import { createUpdateSection } from "./updateSection";
import type { DialogView } from "./view";

export interface SettingsDialogOptions {
  backend: IBackend;
  store: Store;
  /** The app's update state (one per app start); a dialog of its own when not given. */
  updates?: Updates;
  /** Opens at this section ("updates": the update notice in the top bar). */
  section?: "updates";
  onClosed?: () => void;
}

/** Opens the dialog over the app; resolves when it closes (saved or not). */
export function openSettingsDialog(opts: SettingsDialogOptions): DialogView<boolean> {
  const { backend, store } = opts;
  const current = store.settings;
  let saved = false;

  const field = (id: string, label: string, input: HTMLElement, hint?: string): HTMLElement =>
    h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("p", { class: "hint" }, hint) : null);

  const provider = h("input", { id: "set-provider", type: "url", spellcheck: "false", "data-testid": "settings-provider" });
  provider.value = current.providerUrl;
  const tileUrl = h("input", { id: "set-tiles", type: "url", spellcheck: "false", "data-testid": "settings-tile-url" });
  tileUrl.value = current.tileUrl;
  const attribution = h("input", { id: "set-attribution", type: "text", "data-testid": "settings-tile-attribution" });
  attribution.value = current.tileAttribution;
  const refresh = h("input", { id: "set-refresh", type: "number", min: "2", max: "3600", step: "1", "data-testid": "settings-refresh" });
  refresh.value = String(current.refreshSecs);
  const unitsBox = h("div", { class: "segmented", role: "radiogroup", "aria-label": "Speed units" });
  for (const [value, label] of [
    ["kmh", "km/h"],
    ["mph", "mph"],
  ] as const) {
    const input = h("input", { type: "radio", name: "units", value, id: `set-units-${value}`, "data-testid": `settings-units-${value}` });
    input.checked = current.units === value;
    unitsBox.append(h("label", { for: `set-units-${value}` }, input, h("span", {}, label)));
  }
  const tz = h("select", { id: "set-tz", "data-testid": "settings-timezone" });
  for (const zone of timeZoneChoices()) {
    const o = h("option", { value: zone }, zone === "local" ? `This computer's time (${localTimeZoneName()})` : zone.replace(/_/g, " "));
    tz.append(o);
  }
  if (![...tz.options].some((o) => o.value === current.timeZone)) tz.append(h("option", { value: current.timeZone }, current.timeZone));
  tz.value = current.timeZone;
  const theme = h("select", { id: "set-theme", "data-testid": "settings-theme" });
  for (const c of THEME_CHOICES) theme.append(h("option", { value: c.value }, c.label));
  theme.value = current.theme;

  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "settings-error" });
  const save = h("button", { type: "submit", class: "btn primary", "data-testid": "settings-save" }, "Save");
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "settings-cancel" }, "Cancel");
  const resetTiles = h("button", { type: "button", class: "btn link small" }, "Use OpenStreetMap");
  resetTiles.addEventListener("click", () => {
    const d = defaultSettings();
    tileUrl.value = d.tileUrl;
    attribution.value = d.tileAttribution;
  });
  const updateSection = createUpdateSection({
    updates: opts.updates ?? new Updates(backend),
    checkAtStart: current.checkUpdatesAtStart,
    timeZone: () => tz.value,
  });
  const dialog = openDialog({
    title: "Settings",
    testid: "settings-dialog",
    onSubmit: submit,
    onClose: () => {
      updateSection.destroy();
      opts.onClosed?.();
    },
  });
  dialog.body.append(
    h("h3", {}, "Provider"),
    field("set-provider", "Provider URL", provider, "Used the next time you sign in."),
    h("h3", {}, "Map"),
    field("set-tiles", "Tile URL", tileUrl, "A {z}/{x}/{y} template. When tiles cannot load, the built-in outline map shows instead."),
    field("set-attribution", "Tile attribution", attribution),
    resetTiles,
    h("h3", {}, "Display"),
    h("div", { class: "row" }, field("set-refresh", "Refresh every (seconds)", refresh), h("div", { class: "field" }, h("span", { class: "label" }, "Speed"), unitsBox)),
    field("set-tz", "Time zone", tz, "Times in the app are shown in this zone."),
    field("set-theme", "Theme", theme, "“Same as the system” follows the computer's light or dark setting, also when it changes."),
    updateSection.element,
    error,
  );
  dialog.footer.append(cancel, save);
  cancel.addEventListener("click", () => dialog.close());

  function submit(): void {
    const units = (unitsBox.querySelector<HTMLInputElement>('input[name="units"]:checked')?.value ?? current.units) as Units;
    const chosenTheme: Theme = isTheme(theme.value) ? theme.value : current.theme;
    const secs = Number(refresh.value);
    if (!Number.isInteger(secs)) {
      error.textContent = "The refresh interval must be a whole number of seconds.";
      error.hidden = false;
      refresh.focus();
      return;
    }
    const next: Settings = {
      ...current,
      providerUrl: provider.value.trim(),
      tileUrl: tileUrl.value.trim(),
      tileAttribution: attribution.value.trim(),
      refreshSecs: secs,
      units,
      timeZone: tz.value,
      checkUpdatesAtStart: updateSection.auto.checked,
      theme: chosenTheme,
    };
    save.disabled = true;
    error.hidden = true;
    backend
      .settingsSet(next)
      .then((applied) => {
        store.setSettings(applied);
        saved = true;
        dialog.close();
      })
      .catch((e: unknown) => {
        error.textContent = toBackendError(e).message;
        error.hidden = false;
        save.disabled = false;
      });
  }

  queueMicrotask(() => (opts.section === "updates" ? updateSection.reveal() : provider.focus()));
  return { element: dialog.element, closed: dialog.closed.then(() => saved), close: () => dialog.close(), destroy: () => dialog.close() };
}
