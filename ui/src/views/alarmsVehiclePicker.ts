/**
 * Choosing vehicles (one or many) from the fleet: a search box, "all shown" / "none", and a
 * checkbox per vehicle. Used by the geofence form, the alarms view and the watch settings.
 */
import type { Store } from "../state";
import { displayName, matchesQuery, queryTokens } from "../lib/search";
import { h } from "../dom";
import type { View } from "./view";
import { t } from "../i18n";

export interface VehiclePickerOptions {
  store: Store;
  /** Checked at first. */
  selected?: Iterable<string>;
  /** data-testid of the picker's root. */
  testid: string;
  /** Called after every change. */
  onChange?: (imeis: string[]) => void;
  /** Rows shown before scrolling (sets the list height). */
  rows?: number;
}

export class VehiclePicker implements View {
  readonly element: HTMLElement;
  private readonly chosen = new Set<string>();
  private readonly list: HTMLElement;
  private readonly search: HTMLInputElement;
  private readonly count: HTMLElement;

  constructor(private readonly opts: VehiclePickerOptions) {
    for (const i of opts.selected ?? []) this.chosen.add(i);
    const m = t().alarmsView.picker;
    this.search = h("input", { type: "search", class: "vp-search", placeholder: m.find, "aria-label": m.find, "data-testid": `${opts.testid}-search` });
    this.search.addEventListener("input", () => this.render());
    const all = h("button", { type: "button", class: "btn link small", "data-testid": `${opts.testid}-all` }, m.allShown);
    all.addEventListener("click", () => {
      for (const imei of this.shown()) this.chosen.add(imei);
      this.render();
      this.changed();
    });
    const none = h("button", { type: "button", class: "btn link small", "data-testid": `${opts.testid}-none` }, m.none);
    none.addEventListener("click", () => {
      this.chosen.clear();
      this.render();
      this.changed();
    });
    this.count = h("span", { class: "vp-count muted small" });
    this.list = h("ul", { class: "vp-list", role: "group", "aria-label": m.vehicles });
    if (opts.rows) this.list.style.maxHeight = `${opts.rows * 28}px`;
    this.list.addEventListener("change", (ev) => {
      const box = ev.target;
      const imei = box instanceof HTMLInputElement ? box.dataset.imei : undefined;
      if (!(box instanceof HTMLInputElement) || !imei) return;
      if (box.checked) this.chosen.add(imei);
      else this.chosen.delete(imei);
      this.updateCount();
      this.changed();
    });
    this.element = h(
      "div",
      { class: "vehicle-picker", "data-testid": opts.testid },
      h("div", { class: "vp-bar" }, this.search, all, none),
      this.list,
      this.count,
    );
    this.render();
  }

  /** Nothing to release: the store is read when drawing, not subscribed to. */
  destroy(): void {}

  /** The chosen IMEIs, in list order. */
  get value(): string[] {
    const order = this.opts.store.order.filter((i) => this.chosen.has(i));
    // Vehicles no longer in the list (another account's, removed) stay chosen until unticked.
    for (const i of this.chosen) if (!order.includes(i)) order.push(i);
    return order;
  }

  set value(imeis: Iterable<string>) {
    this.chosen.clear();
    for (const i of imeis) this.chosen.add(i);
    this.render();
  }

  private shown(): string[] {
    const tokens = queryTokens(this.search.value);
    return this.opts.store.order.filter((imei) => {
      const d = this.opts.store.devices.get(imei);
      return d !== undefined && matchesQuery(d, tokens);
    });
  }

  private changed(): void {
    this.opts.onChange?.(this.value);
  }

  private updateCount(): void {
    const total = this.opts.store.order.length;
    const chosen = this.value;
    const names = chosen.length > 0 && chosen.length <= 3 ? chosen.map((i) => this.nameOf(i)).join(", ") : "";
    // The names are data: in a span of their own, left as they are.
    this.count.replaceChildren(t().alarmsView.picker.chosen({ n: chosen.length, total }), ...(names ? [": ", h("span", { translate: "no" }, names)] : []));
  }

  private nameOf(imei: string): string {
    const d = this.opts.store.devices.get(imei);
    return d ? displayName(d) : imei;
  }

  /**
   * Redraws the rows (after a search, or when the fleet changed), the chosen vehicles first so a
   * long fleet does not hide them. Ticking a box does not redraw: rows never jump under the mouse.
   */
  render(): void {
    const shown = this.shown();
    const ordered = [...shown.filter((i) => this.chosen.has(i)), ...shown.filter((i) => !this.chosen.has(i))];
    const rows = ordered.map((imei) => {
      const d = this.opts.store.devices.get(imei);
      const name = this.nameOf(imei);
      const plate = d && d.platenumber.trim() && d.platenumber.trim() !== name ? d.platenumber.trim() : "";
      const box = h("input", { type: "checkbox", "data-imei": imei, "aria-label": name });
      box.checked = this.chosen.has(imei);
      // A row shows a vehicle's name and plate: data, left as they are.
      return h("li", { "data-imei": imei }, h("label", { class: "vp-row", translate: "no" }, box, h("span", { class: "vp-name" }, name), plate ? h("span", { class: "vp-plate muted small" }, plate) : null));
    });
    if (rows.length === 0) rows.push(h("li", { class: "muted small vp-empty" }, this.opts.store.order.length ? t().alarmsView.picker.noMatch : t().alarmsView.picker.noVehicles));
    this.list.replaceChildren(...rows);
    this.updateCount();
  }
}
