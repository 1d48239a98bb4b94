/**
 * The settings dialog: provider, refresh interval, units, time zone, theme, language, maps (the
 * provider's datum, custom tile sources, the tile cache), stored history, updates. The active basemap is chosen on
 * the maps themselves and kept as it is.
 */
import type { Settings, Theme, Units } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { localTimeZoneName, timeZoneChoices } from "../lib/time";
import { isTheme, THEME_CHOICES } from "../lib/theme";
import { h } from "../dom";
import { LOCALES, t } from "../i18n";
import { errorText } from "../i18n/words";
import { openDialog } from "./modal";
import { Updates } from "../updates";
import { createUpdateSection } from "./updateSection";
import { createBasemapSection } from "./basemapSettings";
import { createHistorySection } from "./historySettings";
import { createGeocoderSection } from "./geocoderSettings";
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
  const m = t().settings;
  let saved = false;

  const field = (id: string, label: string, input: HTMLElement, hint?: string): HTMLElement =>
    h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("p", { class: "hint" }, hint) : null);

  const provider = h("input", { id: "set-provider", type: "url", spellcheck: "false", "data-testid": "settings-provider" });
  provider.value = current.providerUrl;
  const refresh = h("input", { id: "set-refresh", type: "number", min: "2", max: "3600", step: "1", "data-testid": "settings-refresh" });
  refresh.value = String(current.refreshSecs);
  const unitsBox = h("div", { class: "segmented", role: "radiogroup", "aria-label": m.speedUnits });
  for (const [value, label] of [
    ["kmh", t().common.kmh],
    ["mph", t().common.mph],
  ] as const) {
    const input = h("input", { type: "radio", name: "units", value, id: `set-units-${value}`, "data-testid": `settings-units-${value}` });
    input.checked = current.units === value;
    unitsBox.append(h("label", { for: `set-units-${value}` }, input, h("span", {}, label)));
  }
  const tz = h("select", { id: "set-tz", "data-testid": "settings-timezone" });
  for (const zone of timeZoneChoices()) {
    // Zone names are identifiers (Asia/Shanghai): not for a translator.
    const o =
      zone === "local"
        ? h("option", { value: zone }, m.localZone({ zone: localTimeZoneName() }))
        : h("option", { value: zone, translate: "no" }, zone.replace(/_/g, " "));
    tz.append(o);
  }
  if (![...tz.options].some((o) => o.value === current.timeZone)) tz.append(h("option", { value: current.timeZone, translate: "no" }, current.timeZone));
  tz.value = current.timeZone;
  const theme = h("select", { id: "set-theme", "data-testid": "settings-theme" });
  for (const c of THEME_CHOICES) theme.append(h("option", { value: c.value }, c.label));
  theme.value = current.theme;
  // "System language", then every language the app has, each named in its own language.
  const language = h("select", { id: "set-language", "data-testid": "settings-language" });
  language.append(h("option", { value: "system" }, m.languageSystem));
  for (const [tag, loc] of LOCALES) language.append(h("option", { value: tag, lang: tag, translate: "no" }, loc.name));
  const currentLanguage = current.language ?? "system";
  language.value = [...language.options].some((o) => o.value === currentLanguage) ? currentLanguage : "system";

  const error = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "settings-error" });
  const save = h("button", { type: "submit", class: "btn primary", "data-testid": "settings-save" }, t().common.save);
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "settings-cancel" }, t().common.cancel);
  const updateSection = createUpdateSection({
    updates: opts.updates ?? new Updates(backend),
    checkAtStart: current.checkUpdatesAtStart,
    timeZone: () => tz.value,
  });
  const mapSection = createBasemapSection({ backend, settings: current });
  const historySection = createHistorySection({ backend, settings: current });
  const geocoderSection = createGeocoderSection({ backend, settings: current });
  const dialog = openDialog({
    title: m.title,
    testid: "settings-dialog",
    onSubmit: submit,
    onClose: () => {
      updateSection.destroy();
      mapSection.destroy();
      historySection.destroy();
      geocoderSection.destroy();
      opts.onClosed?.();
    },
  });
  dialog.body.append(
    h("h3", {}, m.provider),
    field("set-provider", m.providerUrl, provider, m.providerHint),
    h("h3", {}, m.display),
    h("div", { class: "row" }, field("set-refresh", m.refresh, refresh), h("div", { class: "field" }, h("span", { class: "label" }, m.speed), unitsBox)),
    field("set-tz", m.timeZone, tz, m.timeZoneHint),
    field("set-theme", m.theme, theme, m.themeHint),
    field("set-language", m.language, language, m.languageHint),
    mapSection.element,
    historySection.element,
    geocoderSection.element,
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
      error.textContent = m.refreshWhole;
      error.hidden = false;
      refresh.focus();
      return;
    }
    const maps = mapSection.read();
    if (!maps.ok) {
      error.textContent = maps.error;
      error.hidden = false;
      return;
    }
    const stored = historySection.read();
    if (!stored.ok) {
      error.textContent = stored.error;
      error.hidden = false;
      return;
    }
    const geocoder = geocoderSection.read();
    if (!geocoder.ok) {
      error.textContent = geocoder.error;
      error.hidden = false;
      return;
    }
    const next: Settings = {
      ...current,
      ...maps.value,
      ...stored.value,
      ...geocoder.value,
      providerUrl: provider.value.trim(),
      refreshSecs: secs,
      units,
      timeZone: tz.value,
      checkUpdatesAtStart: updateSection.auto.checked,
      theme: chosenTheme,
      language: language.value,
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
        error.textContent = errorText(toBackendError(e));
        error.hidden = false;
        save.disabled = false;
      });
  }

  queueMicrotask(() => (opts.section === "updates" ? updateSection.reveal() : provider.focus()));
  return { element: dialog.element, closed: dialog.closed.then(() => saved), close: () => dialog.close(), destroy: () => dialog.close() };
}
