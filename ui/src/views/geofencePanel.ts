/**
 * Geofences on the fleet map: the layer of geofences made in this app (with its toggle), the
 * "New geofence" tool with its side form, and the list with GeoJSON export and import.
 *
 * Saving sends one create per vehicle, once; the form shows each vehicle's outcome and only the
 * vehicles that succeeded are recorded. Failed ones are re-sent only when the user asks.
 */
import L from "../map/leaflet";
import type { GeofenceAlarm, GeofenceDraft, GeofenceListing, GeofenceSaveResult, StoredGeofence } from "../bindings";
import { toBackendError, type IBackend } from "../backend";
import type { Store } from "../state";
import { displayName } from "../lib/search";
import { ALARM_CHOICES, alarmLabel, formatMetres, parseCoordinate, parseRadius, radiusHint, RADIUS_MAX, RADIUS_MIN, type RadiusLimit } from "../lib/geofenceGeometry";
import { GeofenceLayer } from "../map/geofenceLayer";
import { GeofenceTool, type ToolPhase, type ToolShape } from "../map/geofenceTool";
import { VehiclePicker } from "./alarmsVehiclePicker";
import { h, icon, ICONS, setText } from "../dom";
import type { View } from "./view";
import { t } from "../i18n";
import { errorText } from "../i18n/words";

/** What the map and the list say about geofences made elsewhere (in the language in use). */
export const elsewhereNote = (): string => t().geofences.elsewhere;

const VISIBLE_KEY = "etrack.geofences.visible";
const CIRCLE_ICON = "M12 4a8 8 0 1 0 0 16a8 8 0 1 0 0-16z|M12 11.5v1";
const NEW_ICON = "M11 5a7 7 0 1 0 0 14|M15 5.6a7 7 0 0 1 2.4 2.4|M18 11v8|M14 15h8";

/** What to do next while drawing, by the tool's phase. */
function stepText(phase: ToolPhase): string {
  return phase === "idle" ? "" : t().geofences.steps[phase];
}

export interface GeofencesOptions {
  backend: IBackend;
  store: Store;
  /** The fleet map's area (the toggle and buttons go in it; the panel goes over its left neighbour). */
  mapArea: HTMLElement;
  /** The fleet map. */
  map: L.Map;
}

/** `element`: the side panel (list or form); the toggle and map buttons go in the map's area. */
export interface Geofences extends View {
  readonly layer: GeofenceLayer;
  readonly tool: GeofenceTool;
  /** The account's recorded geofences, as last loaded. */
  readonly listing: GeofenceListing | null;
  /** Loads the list again and redraws the layer. */
  refresh(): Promise<void>;
  /** Opens the form and starts drawing. */
  startNew(): void;
  /** Opens the list. */
  openList(): void;
  close(): void;
}

function readVisible(): boolean {
  try {
    return localStorage.getItem(VISIBLE_KEY) !== "0";
  } catch {
    return true;
  }
}

function saveVisible(on: boolean): void {
  try {
    localStorage.setItem(VISIBLE_KEY, on ? "1" : "0");
  } catch {
    // Not worth bothering anyone: it only resets to "shown" next time.
  }
}

export function mountGeofences(opts: GeofencesOptions): Geofences {
  const { backend, store, mapArea, map } = opts;
  const vehicleName = (imei: string): string => {
    const d = store.devices.get(imei);
    return d ? displayName(d) : imei;
  };
  const layer = new GeofenceLayer(map, { vehicleName, hidden: !readVisible() });
  let listing: GeofenceListing | null = null;
  let lastSave: GeofenceSaveResult | null = null;

  // ---- the layer toggle (top left of the map) ----
  const m = t().geofences;
  const toggle = h("input", { type: "checkbox", "data-testid": "geofence-layer", "aria-label": m.showLayer });
  toggle.checked = layer.visible;
  const toggleCount = h("span", { class: "gf-toggle-count muted" });
  const chip = h("label", { class: "gf-toggle", title: m.elsewhere }, toggle, h("span", {}, m.layer), toggleCount);
  // A map control in the top left corner, under the layer switcher: Leaflet stacks the two.
  const chipControl = h("div", { class: "leaflet-control gf-toggle-control" }, chip);
  L.DomEvent.disableClickPropagation(chipControl);
  toggle.addEventListener("change", () => {
    layer.setVisible(toggle.checked);
    saveVisible(toggle.checked);
  });

  // ---- buttons with the map tools ----
  const newBtn = h("button", { type: "button", class: "map-btn", title: m.newGeofence, "aria-label": m.newGeofence, "data-testid": "geofence-new" }, icon(NEW_ICON));
  const listBtn = h("button", { type: "button", class: "map-btn", title: m.listTitle, "aria-label": m.panel, "data-testid": "geofence-list-open" }, icon(CIRCLE_ICON));
  const tools = mapArea.querySelector(".map-tools") ?? mapArea;
  tools.append(newBtn, listBtn);

  // ---- the panel: over the device list, so the whole map stays free to draw on ----
  const panel = h("aside", { class: "gf-panel", "data-testid": "geofence-panel", hidden: true, "aria-label": m.panel });
  (map.getContainer().querySelector(".leaflet-top.leaflet-left") ?? mapArea).append(chipControl);
  (mapArea.parentElement ?? mapArea).append(panel);

  // The form's fields live as long as the panel, so a half-typed form survives switching views.
  const name = h("input", { type: "text", id: "gf-name", maxlength: 100, autocomplete: "off", "data-testid": "geofence-name", placeholder: m.namePlaceholder });
  const lat = h("input", { type: "text", id: "gf-lat", inputmode: "decimal", class: "mono", "data-testid": "geofence-lat", "aria-label": m.centreLatitude });
  const lng = h("input", { type: "text", id: "gf-lng", inputmode: "decimal", class: "mono", "data-testid": "geofence-lng", "aria-label": m.centreLongitude });
  const radius = h("input", { type: "number", id: "gf-radius", min: RADIUS_MIN, max: RADIUS_MAX, step: 10, class: "mono", "data-testid": "geofence-radius" });
  const radiusHintEl = h("p", { class: "hint gf-radius-hint", role: "status", "data-testid": "geofence-radius-hint", hidden: true });
  const alarm = h("select", { id: "gf-alarm", "data-testid": "geofence-alarm" }, ...ALARM_CHOICES.map((c) => h("option", { value: c.value }, c.label)));
  const watch = h("input", { type: "checkbox", "data-testid": "geofence-watch" });
  watch.checked = true;
  const step = h("p", { class: "gf-step", "data-testid": "geofence-step", "aria-live": "polite" });
  const formError = h("div", { class: "form-error", role: "alert", hidden: true, "data-testid": "geofence-error" });
  const result = h("div", { class: "gf-result", "data-testid": "geofence-result", hidden: true, "aria-live": "polite" });
  // Outlives the list's redraws, so an import's outcome stays in view after the list reloads.
  const ioStatus = h("p", { class: "hint", role: "status", "data-testid": "geofence-io-status" });
  const save = h("button", { type: "submit", class: "btn primary", "data-testid": "geofence-save", disabled: true }, t().common.save);
  const cancel = h("button", { type: "button", class: "btn secondary", "data-testid": "geofence-cancel" }, t().common.cancel);
  let picker: VehiclePicker | null = null;

  const field = (label: string, forId: string, ...inputs: HTMLElement[]): HTMLElement =>
    h("div", { class: "field" }, h("label", { for: forId }, label), ...inputs);

  let mode: "closed" | "list" | "draw" = "closed";

  function closeX(): HTMLElement {
    const x = h("button", { type: "button", class: "icon-btn", "aria-label": t().common.close, "data-testid": "geofence-close" }, icon(ICONS.close));
    x.addEventListener("click", () => close());
    return x;
  }

  function setLimitHint(limit: RadiusLimit): void {
    const text = radiusHint(limit);
    radiusHintEl.hidden = text === null;
    setText(radiusHintEl, text ?? "");
    radiusHintEl.dataset.limit = limit ?? "";
  }

  function showError(text: string | null): void {
    formError.hidden = text === null;
    setText(formError, text ?? "");
  }

  const tool = new GeofenceTool(map, {
    onChange: (shape: ToolShape | null, phase: ToolPhase) => {
      setText(step, stepText(phase));
      step.dataset.phase = phase;
      if (shape) {
        if (document.activeElement !== lat) lat.value = shape.lat.toFixed(6);
        if (document.activeElement !== lng) lng.value = shape.lng.toFixed(6);
        if (document.activeElement !== radius) radius.value = String(shape.radius);
        setLimitHint(shape.limit);
      }
      save.disabled = !shape || phase !== "editing" || savedWhole();
    },
  });

  /** After a save where every vehicle succeeded, Save stays off until a new geofence is begun. */
  function savedWhole(): boolean {
    return lastSave !== null && lastSave.geofence !== null && lastSave.results.every((r) => r.ok);
  }

  function typed(): void {
    const r = parseRadius(radius.value);
    const la = parseCoordinate(lat.value, "lat");
    const lo = parseCoordinate(lng.value, "lng");
    if (la === null || lo === null) {
      showError(m.badCentre);
      return;
    }
    if (r === null) {
      showError(m.badRadius({ min: RADIUS_MIN, max: RADIUS_MAX }));
      return;
    }
    showError(null);
    // A centre typed somewhere else is brought into view; a new radius leaves the view alone.
    const before = tool.shape;
    const moved = !before || lat.value.trim() !== before.lat.toFixed(6) || lng.value.trim() !== before.lng.toFixed(6);
    const shape = tool.setShape(la, lo, r.radius);
    // Typing keeps its own limit: setShape only knows the clamped number.
    setLimitHint(r.limit);
    radius.value = String(shape.radius);
    if (moved) tool.fit();
  }
  for (const input of [lat, lng, radius]) {
    input.addEventListener("change", typed);
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") {
        ev.preventDefault();
        typed();
      }
    });
  }

  function renderResult(r: GeofenceSaveResult): void {
    const rows = r.results.map((v) =>
      h(
        "li",
        { class: v.ok ? "ok" : "failed", "data-imei": v.imei, "data-ok": String(v.ok), "data-testid": "geofence-result-vehicle" },
        h("span", { class: "gf-result-mark", "aria-hidden": "true" }, v.ok ? "✓" : "✕"),
        h("span", { class: "gf-result-name", translate: "no" }, vehicleName(v.imei)),
        // A refusal is the backend's words for it (the provider's reason); ours when it gave none.
        h("span", { class: "gf-result-msg muted small" }, v.ok ? m.vehicleSaved : (v.message ?? m.vehicleNotSaved)),
      ),
    );
    const failed = r.results.filter((v) => !v.ok).map((v) => v.imei);
    const children: HTMLElement[] = [h("p", { class: "gf-summary", "data-testid": "geofence-summary" }, summaryOf(r)), h("ul", { class: "gf-result-list" }, ...rows)];
    if (r.storeError) children.push(h("p", { class: "form-error", role: "alert" }, r.storeError));
    if (failed.length && r.geofence) {
      const retry = h("button", { type: "button", class: "btn secondary small", "data-testid": "geofence-retry" }, m.retry({ n: failed.length }));
      retry.addEventListener("click", () => void submit(failed, r.geofence?.id ?? null));
      children.push(retry);
    }
    if (r.geofence && failed.length === 0) {
      const done = h("button", { type: "button", class: "btn secondary small", "data-testid": "geofence-done" }, m.done);
      done.addEventListener("click", () => openList());
      const again = h("button", { type: "button", class: "btn link small" }, m.newGeofence);
      again.addEventListener("click", () => startNew());
      children.push(h("div", { class: "gf-result-actions" }, done, again));
    }
    result.replaceChildren(...children);
    result.hidden = false;
    result.dataset.state = r.geofence ? (failed.length ? "partial" : "saved") : "failed";
    result.scrollIntoView?.({ block: "nearest" });
  }

  /** The outcome in words, from the per-vehicle results (as the backend words it, in the language in use). */
  function summaryOf(r: GeofenceSaveResult): string {
    const ok = r.results.filter((v) => v.ok).length;
    const failed = r.results.length - ok;
    if (r.results.length === 0) return r.summary;
    if (failed === 0) return ok === 1 ? m.summaryOne : m.summaryAll({ n: ok });
    if (ok === 0) return m.summaryNone;
    return m.summarySome({ ok, total: r.results.length, failed });
  }

  /** What to send: the form and the drawn circle, or for a retry, the geofence already saved. */
  function draft(imeis: string[], extendsId: string | null): GeofenceDraft | null {
    const saved = extendsId && lastSave?.geofence?.id === extendsId ? lastSave.geofence : null;
    if (saved) {
      return { name: saved.name, alarm: saved.alarm, latitude: saved.latitude, longitude: saved.longitude, radiusM: saved.radiusM, imeis, watch: watch.checked, extends: extendsId };
    }
    const shape = tool.shape;
    if (!name.value.trim()) {
      showError(m.needName);
      name.focus();
      return null;
    }
    if (!shape) {
      showError(m.drawFirst);
      return null;
    }
    return { name: name.value.trim(), alarm: alarm.value as GeofenceAlarm, latitude: shape.lat, longitude: shape.lng, radiusM: shape.radius, imeis, watch: watch.checked, extends: null };
  }

  async function submit(imeis: string[], extendsId: string | null): Promise<void> {
    const d = draft(imeis, extendsId);
    if (!d) return;
    if (imeis.length === 0) {
      showError(m.chooseOne);
      return;
    }
    showError(null);
    save.disabled = true;
    const label = save.textContent;
    setText(save, m.saving);
    try {
      const r = await backend.geofenceCreate(d);
      // A retry only adds to the first save's record: keep the outcomes of both in view.
      lastSave = extendsId && lastSave ? merge(lastSave, r) : r;
      renderResult(lastSave);
      if (lastSave.geofence) {
        await refresh();
        // The saved geofence is drawn by the layer now; the draft has done its job.
        tool.stop();
        setText(step, m.savedOnMap);
      }
    } catch (e) {
      showError(errorText(toBackendError(e)));
    } finally {
      setText(save, label ?? t().common.save);
      save.disabled = !tool.shape || tool.phase !== "editing" || savedWhole();
    }
  }

  function merge(first: GeofenceSaveResult, retry: GeofenceSaveResult): GeofenceSaveResult {
    const byImei = new Map(first.results.map((v) => [v.imei, v]));
    for (const v of retry.results) byImei.set(v.imei, v);
    const results = [...byImei.values()];
    const ok = results.filter((v) => v.ok).length;
    const summary = ok === results.length ? `Saved for all ${ok} vehicles.` : `Saved for ${ok} of ${results.length} vehicles; not saved for ${results.length - ok} (see below). Nothing was re-sent.`;
    return { geofence: retry.geofence ?? first.geofence, results, summary, storeError: retry.storeError ?? first.storeError };
  }

  function renderDraw(): void {
    const form = h("form", { class: "gf-form", novalidate: true, "data-testid": "geofence-form" });
    picker = new VehiclePicker({ store, testid: "geofence-devices", selected: picker?.value ?? (store.selected ? [store.selected] : []), rows: 6 });
    form.append(
      step,
      field(m.name, "gf-name", name),
      h("div", { class: "gf-row" }, field(m.centreLatitude, "gf-lat", lat), field(m.longitude, "gf-lng", lng)),
      field(m.radius, "gf-radius", h("div", { class: "gf-radius-row" }, radius, h("span", { class: "muted" }, m.radiusRange({ min: RADIUS_MIN, max: RADIUS_MAX }))), radiusHintEl),
      field(m.alarmOn, "gf-alarm", alarm),
      h("div", { class: "field" }, h("span", { class: "label" }, m.vehicles), picker.element),
      h("label", { class: "check" }, watch, h("span", {}, m.notify)),
      formError,
      h("div", { class: "gf-actions" }, cancel, save),
      result,
      h("p", { class: "hint gf-note" }, m.elsewhere),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      void submit(picker?.value ?? [], null);
    });
    panel.replaceChildren(h("header", { class: "gf-panel-header" }, h("h2", {}, m.newGeofence), closeX()), form);
  }

  function renderList(): void {
    const items = (listing?.geofences ?? []).map((g) => listItem(g));
    const list = h("ul", { class: "gf-list", "data-testid": "geofence-items" }, ...items);
    if (items.length === 0) list.append(h("li", { class: "muted small gf-empty" }, m.empty));
    const exportBtn = h("button", { type: "button", class: "btn secondary small", "data-testid": "geofence-export", disabled: !listing?.geofences.length }, m.exportGeoJson);
    exportBtn.addEventListener("click", () => {
      exportBtn.disabled = true;
      backend
        .geofenceExport()
        .then((f) => setText(ioStatus, f ? m.exported({ n: f.count, path: f.path }) : ""))
        .catch((e: unknown) => setText(ioStatus, errorText(toBackendError(e))))
        .finally(() => (exportBtn.disabled = false));
    });
    const file = h("input", { type: "file", accept: ".geojson,.json,application/geo+json,application/json", class: "visually-hidden", "data-testid": "geofence-import" });
    file.addEventListener("change", () => {
      const f = file.files?.[0];
      if (!f) return;
      void f
        .text()
        .then((text) => backend.geofenceImport(text))
        .then(async (r) => {
          await refresh();
          const skipped = r.skipped.length ? m.skipped({ n: r.skipped.length, list: r.skipped.join("; ") }) : "";
          setText(ioStatus, `${m.imported({ n: r.added })}${skipped}`);
        })
        .catch((e: unknown) => setText(ioStatus, errorText(toBackendError(e))))
        .finally(() => (file.value = ""));
    });
    const importLabel = h("label", { class: "btn secondary small gf-import" }, m.importGeoJson, file);
    const create = h("button", { type: "button", class: "btn primary small" }, m.newGeofence);
    create.addEventListener("click", () => startNew());
    const notice = listing?.notice ? h("div", { class: "form-notice", role: "alert", "data-testid": "geofence-notice" }, listing.notice) : null;
    panel.replaceChildren(
      h("header", { class: "gf-panel-header" }, h("h2", {}, m.panel), closeX()),
      h("p", { class: "hint gf-note", "data-testid": "geofence-elsewhere-note" }, m.elsewhere),
      notice ?? "",
      list,
      h("div", { class: "gf-actions gf-list-actions" }, create, exportBtn, importLabel),
      ioStatus,
    );
  }

  function listItem(g: StoredGeofence): HTMLElement {
    const one = g.imeis.length === 1;
    const vehicles = one ? h("span", { translate: "no" }, vehicleName(g.imeis[0]!)) : m.nVehicles({ n: g.imeis.length });
    const forget = h("button", { type: "button", class: "btn link small", title: m.forgetTitle }, m.forget);
    const li = h(
      "li",
      { class: "gf-item", "data-testid": "geofence-item", "data-id": g.id, tabindex: "0" },
      h("span", { class: "gf-swatch", "aria-hidden": "true" }),
      h(
        "span",
        { class: "gf-item-text" },
        h("strong", { translate: "no" }, g.name),
        h("span", { class: "muted small" }, `${formatMetres(g.radiusM)} · ${alarmLabel(g.alarm)} · `, vehicles),
        g.fromFile ? h("span", { class: "chip small" }, m.fromFile) : null,
      ),
      forget,
    );
    li.addEventListener("click", (ev) => {
      if ((ev.target as HTMLElement).closest("button")) return;
      layer.flyTo(g.id);
      toggle.checked = true;
    });
    forget.addEventListener("click", () => {
      const yes = h("button", { type: "button", class: "btn link small danger" }, m.forgetYes);
      const no = h("button", { type: "button", class: "btn link small" }, m.forgetNo);
      const ask = h("span", { class: "gf-forget-ask small" }, m.forgetAsk, yes, no);
      forget.replaceWith(ask);
      no.addEventListener("click", () => ask.replaceWith(forget));
      yes.addEventListener("click", () => {
        backend
          .geofenceForget(g.id)
          .then((l) => apply(l))
          .catch((e: unknown) => setText(ask, errorText(toBackendError(e))));
      });
    });
    return li;
  }

  function apply(l: GeofenceListing): void {
    listing = l;
    layer.set(l.geofences);
    setText(toggleCount, l.geofences.length ? `(${l.geofences.length})` : "");
    chip.classList.toggle("has-notice", Boolean(l.notice));
    if (mode === "list") renderList();
  }

  async function refresh(): Promise<void> {
    try {
      apply(await backend.geofenceList());
    } catch (e) {
      // The map works without them; the list says why when opened.
      listing = { geofences: listing?.geofences ?? [], notice: errorText(toBackendError(e)), path: "" };
      if (mode === "list") renderList();
    }
  }

  function open(m: "list" | "draw"): void {
    mode = m;
    panel.hidden = false;
    panel.dataset.mode = m;
    newBtn.setAttribute("aria-pressed", String(m === "draw"));
  }

  function startNew(): void {
    lastSave = null;
    result.hidden = true;
    result.replaceChildren();
    showError(null);
    name.value = "";
    setLimitHint(null);
    open("draw");
    renderDraw();
    tool.start();
    name.focus();
  }

  function openList(): void {
    tool.stop();
    open("list");
    renderList();
  }

  function close(): void {
    tool.stop();
    mode = "closed";
    panel.hidden = true;
    newBtn.setAttribute("aria-pressed", "false");
  }

  newBtn.addEventListener("click", () => (mode === "draw" ? close() : startNew()));
  listBtn.addEventListener("click", () => (mode === "list" ? close() : openList()));
  cancel.addEventListener("click", () => close());
  const onKey = (ev: KeyboardEvent): void => {
    if (ev.key === "Escape" && mode === "draw" && tool.phase !== "editing" && tool.phase !== "idle") {
      // Escape while placing starts the drawing over rather than closing the form.
      tool.start();
    }
  };
  document.addEventListener("keydown", onKey);
  // The fleet list arrives after the panel: the pickers follow it.
  const unsubscribe = store.subscribe((c) => {
    if (c.kind === "devices") picker?.render();
  });
  // The zoom level on the map element, for styles and tests that need to know the scale.
  const syncZoom = (): void => {
    map.getContainer().dataset.zoom = String(map.getZoom());
  };
  map.on("zoomend", syncZoom);
  syncZoom();
  void refresh();

  return {
    element: panel,
    layer,
    tool,
    get listing() {
      return listing;
    },
    refresh,
    startNew,
    openList,
    close,
    destroy() {
      document.removeEventListener("keydown", onKey);
      map.off("zoomend", syncZoom);
      unsubscribe();
      tool.stop();
      layer.destroy();
      chipControl.remove();
      panel.remove();
      newBtn.remove();
      listBtn.remove();
    },
  };
}

