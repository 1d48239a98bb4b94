/**
 * The sidebar: search, status filter with counts, and the device list. Rows are created once per
 * device and updated in place; a live refresh touches only rows whose shown values changed.
 */
import type { Change, DeviceRow, Store } from "../state";
import { lastSeen, statusLabel, STATUS_ORDER, type DeviceStatus } from "../lib/status";
import { t } from "../i18n";
import type { StatusFilter } from "../lib/search";
import { displayName } from "../lib/search";
import { formatBattery, formatSpeed } from "../lib/units";
import { formatDateTime, relativeTime } from "../lib/time";
import { h, icon, ICONS, setAttr, setClass, setText } from "../dom";
import type { View } from "./view";

interface RowView {
  li: HTMLLIElement;
  name: HTMLElement;
  sub: HTMLElement;
  chip: HTMLElement;
  speed: HTMLElement;
  battery: HTMLElement;
  batteryFill: HTMLElement;
  batteryText: HTMLElement;
  ago: HTMLElement;
  /** What the row shows, as one string: equal keys mean nothing to redraw. */
  key: string;
  /** The row's class and selection as last written. */
  state: string;
  /** Battery percent as last drawn (NaN before the first draw). */
  battPct: number;
  gpsMs: number;
  /** For an offline device: when it was last heard of at all (fix or heartbeat), ms; else 0. */
  seenMs: number;
}

export interface DeviceListOptions {
  now?: () => number;
  /** How often the "3 min ago" texts are refreshed, ms (0 = never, for tests). */
  tickMs?: number;
}

const FILTERS: readonly StatusFilter[] = ["all", ...STATUS_ORDER];

export class DeviceList implements View {
  readonly element: HTMLElement;
  readonly search: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly chips = new Map<StatusFilter, { button: HTMLButtonElement; count: HTMLElement }>();
  private readonly rows = new Map<string, RowView>();
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private loading = true;
  private errorBox: HTMLElement;
  /** IMEIs whose row was redrawn by the last update (tests, benchmark). */
  lastRendered: string[] = [];

  constructor(
    private readonly store: Store,
    opts: DeviceListOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    const m = t().fleet;
    this.search = h("input", {
      type: "search",
      class: "search-input",
      placeholder: m.searchPlaceholder,
      "aria-label": m.searchLabel,
      "data-testid": "device-search",
      spellcheck: "false",
      autocomplete: "off",
    });
    this.search.value = store.query;
    this.search.addEventListener("input", () => store.setQuery(this.search.value));
    this.search.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape" && this.search.value) {
        this.search.value = "";
        store.setQuery("");
      } else if (ev.key === "ArrowDown") {
        ev.preventDefault();
        this.moveSelection(1);
      }
    });

    const filterBar = h("div", { class: "status-filter", role: "group", "aria-label": m.filterLabel, "data-testid": "status-filter" });
    for (const f of FILTERS) {
      const count = h("span", { class: "count" }, "0");
      const button = h(
        "button",
        {
          type: "button",
          class: `filter-chip${f === "all" ? "" : ` chip-${f}`}`,
          "data-status": f,
          "data-testid": `status-filter-${f}`,
          "aria-pressed": store.statusFilter === f ? "true" : "false",
        },
        f === "all" ? null : h("span", { class: "dot" }),
        h("span", { class: "label" }, f === "all" ? m.all : statusLabel(f)),
        count,
      );
      button.addEventListener("click", () => store.setStatusFilter(store.statusFilter === f && f !== "all" ? "all" : f));
      this.chips.set(f, { button, count });
      filterBar.append(button);
    }

    this.list = h("ul", { class: "device-list", role: "listbox", "aria-label": m.listLabel, "data-testid": "device-list", tabindex: "-1" });
    this.list.addEventListener("click", (ev) => {
      const li = (ev.target as Element).closest<HTMLElement>("[data-imei]");
      if (li?.dataset.imei) store.select(li.dataset.imei);
    });
    // The exact fix time as a tooltip, worked out on hover: formatting it for every row on every
    // refresh would cost more than the rest of the row together.
    this.list.addEventListener("mouseover", (ev) => {
      const ago = (ev.target as Element).closest<HTMLElement>(".di-ago");
      const imei = ago?.closest<HTMLElement>("[data-imei]")?.dataset.imei;
      const view = imei ? this.rows.get(imei) : undefined;
      if (ago && view) setAttr(ago, "title", view.gpsMs ? t().fleet.lastFixAt({ time: formatDateTime(view.gpsMs / 1000, this.store.settings.timeZone) }) : null);
    });
    this.list.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        this.moveSelection(ev.key === "ArrowDown" ? 1 : -1);
      } else if (ev.key === "Escape") {
        store.select(null);
      }
    });
    this.empty = h("div", { class: "list-empty", hidden: true, "data-testid": "list-empty" });
    this.errorBox = h("div", { class: "list-error", role: "alert", hidden: true, "data-testid": "list-error" });
    this.summary = h("div", { class: "list-summary", "aria-live": "polite" });

    this.element = h(
      "aside",
      { class: "sidebar", "aria-label": m.sidebar },
      h("div", { class: "search" }, icon(ICONS.search, "icon search-icon"), this.search),
      filterBar,
      this.summary,
      this.errorBox,
      this.empty,
      this.list,
    );

    this.unsubscribe = store.subscribe((c) => {
      this.onChange(c);
      this.syncTabStop();
    });
    this.rebuild();
    this.syncTabStop();
    const tick = opts.tickMs ?? 10_000;
    if (tick > 0) this.timer = setInterval(() => this.refreshAges(), tick);
  }

  destroy(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  /** Shown while the device list cannot be loaded; `retry` offers a button. */
  showError(message: string | null, retry?: () => void): void {
    this.errorBox.replaceChildren();
    this.errorBox.hidden = !message;
    if (!message) return;
    this.errorBox.append(h("p", {}, message));
    if (retry) {
      const b = h("button", { type: "button", class: "btn secondary small" }, t().common.retry);
      b.addEventListener("click", retry);
      this.errorBox.append(b);
    }
  }

  setLoading(on: boolean): void {
    this.loading = on;
    this.syncEmpty();
  }

  private onChange(change: Change): void {
    switch (change.kind) {
      case "devices":
      case "session":
        this.rebuild();
        break;
      case "tracks": {
        const rendered: string[] = [];
        for (const imei of change.changed) if (this.renderRow(imei)) rendered.push(imei);
        this.lastRendered = rendered;
        if (change.statusChanged.size > 0) {
          if (this.store.statusFilter !== "all") for (const imei of change.statusChanged) this.syncHidden(imei);
          this.renderCounts();
          this.syncEmpty();
        }
        break;
      }
      case "filter":
        if (this.search.value !== this.store.query) this.search.value = this.store.query;
        for (const imei of this.rows.keys()) this.syncHidden(imei);
        this.renderCounts();
        this.syncEmpty();
        break;
      case "selection":
        this.renderRow(change.previous);
        this.renderRow(this.store.selected);
        this.scrollToSelected();
        break;
      case "settings":
        if (change.previous.units !== this.store.settings.units || change.previous.timeZone !== this.store.settings.timeZone) {
          for (const imei of this.rows.keys()) this.renderRow(imei);
        }
        break;
      default:
        break;
    }
  }

  private rebuild(): void {
    this.rows.clear();
    const items: HTMLLIElement[] = [];
    for (const imei of this.store.order) {
      const row = this.createRow(imei);
      this.rows.set(imei, row);
      this.renderRow(imei);
      this.syncHidden(imei);
      items.push(row.li);
    }
    this.list.replaceChildren(...items);
    this.lastRendered = [...this.store.order];
    if (this.store.order.length > 0) this.loading = false;
    this.renderCounts();
    this.syncEmpty();
  }

  private createRow(imei: string): RowView {
    // The name, plate and IMEI are data: not for a translator.
    const name = h("div", { class: "di-name", translate: "no" });
    const sub = h("div", { class: "di-sub", translate: "no" });
    const chip = h("span", { class: "chip" });
    const speed = h("span", { class: "di-speed" });
    const batteryFill = h("span", { class: "batt-fill" });
    const batteryText = h("span", {});
    const battery = h("span", { class: "di-battery", title: t().fleet.battery }, h("span", { class: "batt", "aria-hidden": "true" }, batteryFill), batteryText);
    const ago = h("span", { class: "di-ago" });
    const li = h(
      "li",
      { class: "device-item", role: "option", "aria-selected": "false", tabindex: "-1", "data-testid": "device-item", "data-imei": imei },
      h("span", { class: "status-bar", "aria-hidden": "true" }),
      h("div", { class: "di-main" }, name, h("div", { class: "di-line" }, sub, ago)),
      h("div", { class: "di-side" }, chip, h("div", { class: "di-metrics" }, speed, battery)),
    );
    return { li, name, sub, chip, speed, battery, batteryFill, batteryText, ago, key: "", state: "", battPct: Number.NaN, gpsMs: 0, seenMs: 0 };
  }

  private rowKey(r: DeviceRow, selected: boolean): string {
    const t = r.track;
    const s = this.store.settings;
    return [
      r.device.devicename,
      r.device.platenumber,
      r.status,
      t ? t.speed : "",
      t ? t.battery : "",
      t ? t.gpstime : "",
      selected ? 1 : 0,
      s.units,
      s.timeZone,
    ].join("|");
  }

  /** Redraws one row if what it shows changed; returns whether it did. */
  private renderRow(imei: string | null): boolean {
    if (!imei) return false;
    const view = this.rows.get(imei);
    const r = this.store.row(imei);
    if (!view || !r) return false;
    const selected = this.store.selected === imei;
    const key = this.rowKey(r, selected);
    if (key === view.key) return false;
    view.key = key;
    const { device, track, status } = r;
    const units = this.store.settings.units;
    setText(view.name, displayName(device));
    const subParts = [device.platenumber.trim(), device.devicename.trim() && device.platenumber.trim() ? "" : device.imei].filter(Boolean);
    setText(view.sub, subParts.join(" · ") || device.imei);
    const state = `${status}|${selected ? 1 : 0}`;
    if (state !== view.state) {
      view.state = state;
      setAttr(view.chip, "class", `chip chip-${status}`);
      setText(view.chip, statusLabel(status));
      setAttr(view.li, "class", `device-item status-${status}${selected ? " is-selected" : ""}`);
      setAttr(view.li, "aria-selected", selected ? "true" : "false");
      setAttr(view.li, "tabindex", selected ? "0" : "-1");
    }
    const showSpeed = track !== undefined && (status === "moving" || status === "stopped");
    setText(view.speed, showSpeed ? formatSpeed(track.speed, units) : "");
    const pct = track ? track.battery : -1;
    if (pct !== view.battPct) {
      view.battPct = pct;
      const battery = formatBattery(pct);
      view.battery.hidden = battery === "—";
      setText(view.batteryText, battery);
      view.batteryFill.style.width = `${Math.max(0, Math.min(100, pct))}%`;
      setClass(view.battery, "is-low", pct >= 0 && pct < 20);
    }
    view.gpsMs = track && track.gpstime > 0 ? track.gpstime * 1000 : 0;
    // An offline vehicle says when it was last heard of: its last fix may be older still.
    view.seenMs = status === "offline" && track ? lastSeen(track) * 1000 : 0;
    setText(view.ago, this.ageText(view, this.now()));
    return true;
  }

  private ageText(view: RowView, now: number): string {
    if (view.seenMs) return t().fleet.lastSeen({ ago: relativeTime(view.seenMs, now) });
    return view.gpsMs ? relativeTime(view.gpsMs, now) : t().fleet.noFixYet;
  }

  private syncHidden(imei: string): void {
    const view = this.rows.get(imei);
    if (!view) return;
    const hide = !this.store.isVisible(imei);
    if (view.li.hidden !== hide) view.li.hidden = hide;
  }

  private renderCounts(): void {
    const counts = this.store.counts();
    for (const [f, { button, count }] of this.chips) {
      const n = f === "all" ? counts.all : counts[f as DeviceStatus];
      setText(count, String(n));
      setAttr(button, "aria-pressed", this.store.statusFilter === f ? "true" : "false");
      setClass(button, "is-empty", n === 0 && f !== "all");
    }
    const shown = this.store.statusFilter === "all" ? counts.all : counts[this.store.statusFilter];
    const total = this.store.order.length;
    const m = t().fleet;
    setText(this.summary, total === 0 ? "" : shown === total ? m.count({ n: total }) : m.countOf({ shown, total }));
  }

  private syncEmpty(): void {
    const total = this.store.order.length;
    const m = t().fleet;
    let message = "";
    if (total === 0) message = this.loading ? m.loadingFleet : m.noDevices;
    else if (!this.list.querySelector(".device-item:not([hidden])")) {
      const query = this.store.query.trim();
      const f = this.store.statusFilter;
      if (query) message = f === "all" ? m.noMatch({ query }) : m.noMatchAmong({ query, status: m.statusInText[f] });
      else message = f === "all" ? m.noneNow : m.noneWithStatus({ status: m.statusInText[f] });
    }
    this.empty.replaceChildren();
    this.empty.hidden = !message;
    if (!message) return;
    this.empty.append(h("p", {}, message));
    if (this.store.query || this.store.statusFilter !== "all") {
      const clear = h("button", { type: "button", class: "btn link" }, m.clearFilters);
      clear.addEventListener("click", () => {
        this.store.setStatusFilter("all");
        this.store.setQuery("");
        this.search.focus();
      });
      this.empty.append(clear);
    }
  }

  /** Refreshes "3 min ago" texts without touching anything else. */
  refreshAges(): void {
    const now = this.now();
    for (const view of this.rows.values()) {
      if ((view.gpsMs || view.seenMs) && !view.li.hidden) setText(view.ago, this.ageText(view, now));
    }
  }

  /**
   * The list is one Tab stop: the selected vehicle's row (roving tabindex), or the list itself
   * while no shown row is selected, where ArrowDown selects the first vehicle.
   */
  private syncTabStop(): void {
    const selected = this.store.selected ? this.rows.get(this.store.selected) : undefined;
    const rowIsStop = selected !== undefined && !selected.li.hidden;
    setAttr(this.list, "tabindex", rowIsStop ? "-1" : "0");
  }

  private moveSelection(step: 1 | -1): void {
    const visible = this.store.visibleImeis();
    if (visible.length === 0) return;
    const at = this.store.selected ? visible.indexOf(this.store.selected) : -1;
    const next = visible[at === -1 ? (step === 1 ? 0 : visible.length - 1) : Math.min(visible.length - 1, Math.max(0, at + step))];
    if (next) {
      this.store.select(next);
      this.rows.get(next)?.li.focus({ preventScroll: true });
    }
  }

  private scrollToSelected(): void {
    const imei = this.store.selected;
    const li = imei ? this.rows.get(imei)?.li : undefined;
    if (li && typeof li.scrollIntoView === "function") li.scrollIntoView({ block: "nearest" });
  }
}
