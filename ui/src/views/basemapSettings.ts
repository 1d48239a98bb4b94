/**
 * The Settings dialog's Map section: the datum the provider reports positions in, the user's own
 * tile sources (add, edit, remove), and the tile cache (size in use, largest size, clear). The
 * dialog places `element` and, on Save, merges `read()` into the settings it sends; the cache is
 * cleared at once (that is not a setting).
 */
import type { CustomBasemap, Datum, Settings, TileCacheInfo } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import { h } from "../dom";
import { t } from "../i18n";
import { errorText } from "../i18n/words";
import type { View } from "./view";

/** The settings' own limits (src-tauri/crates/etrack-app/src/settings.rs). */
export const TILE_CACHE_MIN_MB = 50;
export const TILE_CACHE_MAX_MB = 20_000;
export const MAX_CUSTOM_BASEMAPS = 20;
const MAX_NAME_CHARS = 60;
const MB = 1024 * 1024;

/** The part of the settings this section edits. */
export type BasemapSettings = Pick<Settings, "basemap" | "customBasemaps" | "providerDatum" | "tileCacheMb">;

/** What `read()` gives: the section's settings, or what is wrong (its field has the focus). */
export type BasemapRead = { ok: true; value: BasemapSettings } | { ok: false; error: string };

export interface BasemapSectionOptions {
  backend: IBackend;
  /** The settings the dialog opened with. */
  settings: Settings;
}

export interface BasemapSection extends View {
  read(): BasemapRead;
  /** Settles once the cache size is shown (tests). */
  readonly ready: Promise<void>;
}

const PLACEHOLDERS = ["{s}", "{z}", "{x}", "{y}", "{-y}", "{r}"];

/** What is wrong with a custom map, or null. `others` are the other custom maps. */
export function customMapError(c: CustomBasemap, others: readonly CustomBasemap[]): { field: keyof CustomBasemap; error: string } | null {
  const m = t().maps.settings;
  const name = c.name.trim();
  if (!name || [...name].length > MAX_NAME_CHARS) return { field: "name", error: m.errName };
  if (others.some((o) => o.name.trim().toLowerCase() === name.toLowerCase())) return { field: "name", error: m.errNameTaken };
  const url = c.url.trim();
  if (!url.includes("{z}") || !url.includes("{x}") || !(url.includes("{y}") || url.includes("{-y}"))) {
    return { field: "url", error: m.errUrlPlaceholders };
  }
  let rest = url;
  for (const p of PLACEHOLDERS) rest = rest.split(p).join("");
  const unknown = /\{[^}]*\}?/.exec(rest);
  if (unknown) return { field: "url", error: m.errUrlUnknown({ placeholder: unknown[0] }) };
  const subdomains = c.subdomains.trim();
  if (!/^[A-Za-z0-9]{0,20}$/.test(subdomains) || (url.includes("{s}") && !subdomains)) return { field: "subdomains", error: m.errSubdomains };
  try {
    const probe = new URL(url.replace("{s}", subdomains[0] ?? "a").replace(/\{-?[a-z]\}/g, "1"));
    if (!["http:", "https:"].includes(probe.protocol) || !probe.hostname) throw new Error("scheme");
  } catch {
    return { field: "url", error: m.errUrlScheme };
  }
  if (!Number.isInteger(c.maxZoom) || c.maxZoom < 1 || c.maxZoom > 22) return { field: "maxZoom", error: m.errMaxZoom };
  return null;
}

/** A new custom map's id: "custom-" and its name in a-z, 0-9 and -, unique among `taken`. */
export function customMapId(name: string, taken: ReadonlySet<string>): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/, "");
  const base = `custom-${slug || "map"}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function datumOptions(select: HTMLSelectElement, value: Datum): void {
  const m = t().maps.settings;
  select.append(h("option", { value: "wgs84" }, m.datumWgs84), h("option", { value: "gcj02" }, m.datumGcj02));
  select.value = value;
}

export function createBasemapSection(opts: BasemapSectionOptions): BasemapSection {
  const { backend } = opts;
  const m = t().maps.settings;
  let customs: CustomBasemap[] = opts.settings.customBasemaps.map((c) => ({ ...c }));
  /** The custom map being edited (null: a new one), while the form is open. */
  let editing: CustomBasemap | null = null;
  let destroyed = false;

  const field = (id: string, label: string, input: HTMLElement, hint?: string): HTMLElement => {
    if (hint) input.setAttribute("aria-describedby", `${id}-hint`);
    return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
  };

  // The provider's datum.
  const datum = h("select", { id: "set-provider-datum", "data-testid": "settings-provider-datum" });
  datumOptions(datum, opts.settings.providerDatum);

  // Custom maps: the list, and the form that adds or edits one.
  const list = h("ul", { class: "custom-maps", "data-testid": "custom-maps" });
  const none = h("p", { class: "hint", "data-testid": "custom-maps-none" }, m.customNone);
  const add = h("button", { type: "button", class: "btn secondary small", "data-testid": "custom-map-add" }, m.customAdd);
  const fName = h("input", { id: "set-custom-name", type: "text", maxlength: String(MAX_NAME_CHARS), "data-testid": "custom-map-name" });
  const fUrl = h("input", { id: "set-custom-url", type: "url", spellcheck: "false", "data-testid": "custom-map-url" });
  const fSub = h("input", { id: "set-custom-subdomains", type: "text", spellcheck: "false", maxlength: "20", "data-testid": "custom-map-subdomains" });
  const fAttr = h("input", { id: "set-custom-attribution", type: "text", maxlength: "500", "data-testid": "custom-map-attribution" });
  const fZoom = h("input", { id: "set-custom-max-zoom", type: "number", min: "1", max: "22", step: "1", "data-testid": "custom-map-max-zoom" });
  const fDatum = h("select", { id: "set-custom-datum", "data-testid": "custom-map-datum" });
  datumOptions(fDatum, "wgs84");
  const formError = h("p", { class: "form-error", role: "alert", hidden: true, "data-testid": "custom-map-error" });
  const keep = h("button", { type: "button", class: "btn primary small", "data-testid": "custom-map-keep" }, m.customDone);
  const cancelEdit = h("button", { type: "button", class: "btn secondary small", "data-testid": "custom-map-cancel" }, m.customCancel);
  const form = h(
    "div",
    { class: "custom-map-form", role: "group", "aria-labelledby": "settings-custom-maps", hidden: true, "data-testid": "custom-map-form" },
    field("set-custom-name", m.customName, fName),
    field("set-custom-url", m.customUrl, fUrl, m.customUrlHint),
    h("div", { class: "row" }, field("set-custom-subdomains", m.customSubdomains, fSub, m.customSubdomainsHint), field("set-custom-max-zoom", m.customMaxZoom, fZoom)),
    field("set-custom-attribution", m.customAttribution, fAttr),
    field("set-custom-datum", m.customDatum, fDatum),
    formError,
    h("div", { class: "row" }, cancelEdit, keep),
  );
  const inputs: Record<"name" | "url" | "subdomains" | "attribution" | "maxZoom" | "datum", HTMLInputElement | HTMLSelectElement> = {
    name: fName,
    url: fUrl,
    subdomains: fSub,
    attribution: fAttr,
    maxZoom: fZoom,
    datum: fDatum,
  };

  function renderList(): void {
    list.replaceChildren(
      ...customs.map((c) => {
        const edit = h("button", { type: "button", class: "btn link small", "data-testid": "custom-map-edit", "aria-label": m.customEditLabel({ name: c.name }) }, m.customEdit);
        const remove = h(
          "button",
          { type: "button", class: "btn link small", "data-testid": "custom-map-remove", "aria-label": m.customRemoveLabel({ name: c.name }) },
          m.customRemove,
        );
        edit.addEventListener("click", () => openForm(c));
        remove.addEventListener("click", () => {
          customs = customs.filter((x) => x !== c);
          if (editing === c) closeForm();
          renderList();
          add.focus();
        });
        return h("li", { class: "custom-map", "data-testid": "custom-map", "data-id": c.id }, h("span", { class: "custom-map-name", translate: "no" }, c.name), edit, remove);
      }),
    );
    none.hidden = customs.length > 0;
    add.disabled = customs.length >= MAX_CUSTOM_BASEMAPS;
  }

  function showFormError(fieldName: keyof typeof inputs | null, error: string): void {
    formError.textContent = error;
    formError.hidden = false;
    for (const [k, el] of Object.entries(inputs)) {
      if (k === fieldName) el.setAttribute("aria-invalid", "true");
      else el.removeAttribute("aria-invalid");
    }
    if (fieldName) inputs[fieldName].focus();
  }

  function openForm(c: CustomBasemap | null): void {
    editing = c;
    fName.value = c?.name ?? "";
    fUrl.value = c?.url ?? "";
    fSub.value = c?.subdomains ?? "";
    fAttr.value = c?.attribution ?? "";
    fZoom.value = String(c?.maxZoom ?? 19);
    fDatum.value = c?.datum ?? "wgs84";
    formError.hidden = true;
    for (const el of Object.values(inputs)) el.removeAttribute("aria-invalid");
    form.hidden = false;
    add.hidden = true;
    fName.focus();
  }

  function closeForm(): void {
    editing = null;
    form.hidden = true;
    add.hidden = false;
  }

  add.addEventListener("click", () => {
    if (customs.length >= MAX_CUSTOM_BASEMAPS) return;
    openForm(null);
  });
  cancelEdit.addEventListener("click", () => {
    closeForm();
    add.focus();
  });
  keep.addEventListener("click", () => void commitForm());
  form.addEventListener("keydown", (e) => {
    // Enter in a field keeps this map rather than submitting the whole dialog.
    if (e.key === "Enter" && e.target instanceof HTMLInputElement) {
      e.preventDefault();
      commitForm();
    }
  });

  /** Checks the form and keeps the map in the list; false (and the error shown) when it is not valid. */
  function commitForm(): boolean {
    if (form.hidden) return true;
    const others = customs.filter((c) => c !== editing);
    const candidate: CustomBasemap = {
      id: editing?.id ?? customMapId(fName.value, new Set(others.map((c) => c.id))),
      name: fName.value.trim(),
      url: fUrl.value.trim(),
      subdomains: fSub.value.trim(),
      attribution: fAttr.value.trim(),
      maxZoom: fZoom.value.trim() === "" ? Number.NaN : Number(fZoom.value),
      datum: fDatum.value === "gcj02" ? "gcj02" : "wgs84",
    };
    const wrong = customMapError(candidate, others);
    if (wrong) {
      showFormError(wrong.field === "id" ? null : wrong.field, wrong.error);
      return false;
    }
    if (!editing && customs.length >= MAX_CUSTOM_BASEMAPS) {
      showFormError(null, m.errTooMany({ n: MAX_CUSTOM_BASEMAPS }));
      return false;
    }
    customs = editing ? customs.map((c) => (c === editing ? candidate : c)) : [...customs, candidate];
    closeForm();
    renderList();
    add.focus();
    return true;
  }

  // The tile cache.
  const size = h("output", { class: "tile-cache-size", "data-testid": "tile-cache-size", "aria-live": "polite", id: "set-tile-cache-size" }, m.cacheUnknown);
  const limit = h("input", { id: "set-tile-cache-mb", type: "number", min: String(TILE_CACHE_MIN_MB), max: String(TILE_CACHE_MAX_MB), step: "1", "data-testid": "settings-tile-cache-mb" });
  limit.value = String(opts.settings.tileCacheMb);
  const clear = h("button", { type: "button", class: "btn secondary small", "data-testid": "tile-cache-clear" }, m.cacheClear);
  const cacheStatus = h("p", { class: "hint", role: "status", "data-testid": "tile-cache-status" });

  function showSize(info: TileCacheInfo): void {
    const bytes = Number(info.bytes);
    size.dataset.bytes = String(bytes);
    size.dataset.tiles = String(Number(info.tiles));
    size.textContent = m.cacheSize({ mb: bytes / MB, tiles: Number(info.tiles) });
  }

  const ready = backend.tileCacheInfo().then(
    (info) => {
      if (!destroyed) showSize(info);
    },
    () => undefined,
  );

  clear.addEventListener("click", () => {
    clear.disabled = true;
    cacheStatus.textContent = "";
    backend
      .tileCacheClear()
      .then((info) => {
        if (destroyed) return;
        showSize(info);
        cacheStatus.textContent = m.cacheCleared;
      })
      .catch((e: unknown) => {
        if (!destroyed) cacheStatus.textContent = m.cacheClearFailed({ error: errorText(toBackendError(e)) });
      })
      .finally(() => {
        clear.disabled = false;
      });
  });

  const element = h(
    "section",
    { class: "basemap-settings", "aria-labelledby": "settings-map", "data-testid": "settings-map" },
    h("h3", { id: "settings-map" }, m.heading),
    field("set-provider-datum", m.datum, datum, m.datumHint),
    h("h4", { id: "settings-custom-maps" }, m.custom),
    list,
    none,
    form,
    add,
    h("p", { class: "hint" }, m.customUnsaved),
    h("h4", {}, m.cache),
    h("p", { class: "hint" }, m.cacheHint),
    h("div", { class: "tile-cache" }, h("label", { for: "set-tile-cache-size" }, m.cacheInUse), size, clear),
    cacheStatus,
    field("set-tile-cache-mb", m.cacheLimit, limit),
  );
  renderList();

  return {
    element,
    ready,
    read(): BasemapRead {
      if (!form.hidden && !commitForm()) return { ok: false, error: formError.textContent ?? m.errEditing };
      const mb = Number(limit.value);
      if (!Number.isInteger(mb) || mb < TILE_CACHE_MIN_MB || mb > TILE_CACHE_MAX_MB) {
        limit.setAttribute("aria-invalid", "true");
        limit.focus();
        return { ok: false, error: m.errCacheLimit({ min: TILE_CACHE_MIN_MB, max: TILE_CACHE_MAX_MB }) };
      }
      limit.removeAttribute("aria-invalid");
      // A custom map removed while it was the one shown: back to OpenStreetMap.
      const basemap = opts.settings.basemap;
      const keepsBasemap = !basemap.startsWith("custom-") || customs.some((c) => c.id === basemap);
      return {
        ok: true,
        value: {
          basemap: keepsBasemap ? basemap : "osm",
          customBasemaps: customs.map((c) => ({ ...c })),
          providerDatum: datum.value === "gcj02" ? "gcj02" : "wgs84",
          tileCacheMb: mb,
        },
      };
    },
    destroy() {
      destroyed = true;
    },
  };
}
