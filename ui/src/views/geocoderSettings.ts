/**
 * The Settings dialog's Street addresses section: the reverse geocoder's URL (empty: off, the
 * default) and a note on the public service's usage policy. The dialog places `element` and, on
 * Save, merges `read()` into the settings it sends.
 */
import type { Settings } from "../bindings";
import type { IBackend } from "../backend";
import { h } from "../dom";
import { t } from "../i18n";
import type { View } from "./view";

/** The part of the settings this section edits. */
export type GeocoderSettings = Pick<Settings, "geocoderUrl">;

/** What `read()` gives: the section's settings, or what is wrong (its field has the focus). */
export type GeocoderRead = { ok: true; value: GeocoderSettings } | { ok: false; error: string };

export interface GeocoderSectionOptions {
  backend: IBackend;
  /** The settings the dialog opened with. */
  settings: Settings;
}

export interface GeocoderSection extends View {
  read(): GeocoderRead;
}

/** Whether `raw` (trimmed) is empty or an http(s) URL with a host and no query, as the backend checks. */
export function geocoderUrlProblem(raw: string): boolean {
  const v = raw.trim();
  if (v === "") return false;
  try {
    const u = new URL(v);
    return !(u.protocol === "http:" || u.protocol === "https:") || u.hostname === "" || u.search !== "" || u.username !== "" || u.password !== "";
  } catch {
    return true;
  }
}

export function createGeocoderSection(opts: GeocoderSectionOptions): GeocoderSection {
  const m = t().addresses;
  const url = h("input", {
    id: "set-geocoder-url",
    type: "url",
    inputmode: "url",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: "https://nominatim.example.org",
    translate: "no",
    "aria-describedby": "set-geocoder-url-hint set-geocoder-policy",
    "data-testid": "settings-geocoder-url",
  });
  url.value = opts.settings.geocoderUrl ?? "";
  const element = h(
    "section",
    { class: "geocoder-settings", "aria-labelledby": "settings-geocoder", "data-testid": "settings-geocoder" },
    h("h3", { id: "settings-geocoder" }, m.heading),
    h("p", { class: "hint" }, m.hint),
    h(
      "div",
      { class: "field" },
      h("label", { for: "set-geocoder-url" }, m.url),
      url,
      h("p", { class: "hint", id: "set-geocoder-url-hint" }, m.urlHint),
    ),
    // The policy's address as text: the app opens no web page.
    h("p", { class: "hint", id: "set-geocoder-policy", "data-testid": "settings-geocoder-policy" }, `${m.policy} `, h("span", { class: "mono", translate: "no" }, m.policyLink)),
  );
  return {
    element,
    read(): GeocoderRead {
      if (geocoderUrlProblem(url.value)) {
        url.setAttribute("aria-invalid", "true");
        url.focus();
        return { ok: false, error: m.errUrl };
      }
      url.removeAttribute("aria-invalid");
      return { ok: true, value: { geocoderUrl: url.value.trim().replace(/\/+$/, "") } };
    },
    destroy() {},
  };
}
