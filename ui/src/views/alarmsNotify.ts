/**
 * New alarms, wherever the user is: the "Alarms" button in the top bar with a badge counting
 * those not yet looked at, and a short-lived card per alarm in the corner of the window. The
 * backend raises the desktop notification itself; this is the in-app side.
 */
import type { AlarmsNewEvent, WatchedAlarm } from "../bindings";
import type { IBackend, Unsubscribe } from "../backend";
import type { Store } from "../state";
import { formatDateTime } from "../lib/time";
import { alarmCategory, CATEGORY_ICON, splitAround } from "../lib/alarmsTable";
import { t } from "../i18n";
import { alarmName } from "../i18n/words";
import { BELL } from "./alarms";
import { h, icon, ICONS, setText } from "../dom";
import type { View } from "./view";

/** Cards shown at once; more are summed up in one line. */
const MAX_TOASTS = 3;
/** How long a card stays, ms. */
const TOAST_MS = 15_000;

export interface AlarmNoticesOptions {
  backend: IBackend;
  store: Store;
  /** The top bar's place for feature buttons: the Alarms button goes first. */
  tools: HTMLElement;
  /** Where the cards go (the fleet view, so they leave with it). */
  host: HTMLElement;
  /** The Alarms button or a card was clicked. */
  onOpen: (alarm: WatchedAlarm | null) => void;
  /** 0 keeps cards until closed (tests). */
  toastMs?: number;
}

export class AlarmNotices implements View {
  /** The Alarms button, first of the top bar's tools; the cards go in `toasts`. */
  readonly element: HTMLButtonElement;
  readonly badge: HTMLElement;
  readonly toasts: HTMLElement;
  private unread = 0;
  private readonly subscriptions: Array<Promise<Unsubscribe>> = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(private readonly opts: AlarmNoticesOptions) {
    const m = t().alarmsView;
    this.badge = h("span", { class: "al-badge", "data-testid": "alarms-badge", hidden: true, "aria-label": m.newAlarms });
    this.element = h("button", { type: "button", class: "btn ghost al-open", "data-testid": "alarms-open", title: m.title }, icon(BELL), h("span", {}, m.title), this.badge);
    this.element.addEventListener("click", () => opts.onOpen(null));
    opts.tools.prepend(this.element);
    this.toasts = h("div", { class: "al-toasts", "data-testid": "alarm-toasts", "aria-live": "polite" });
    opts.host.append(this.toasts);
    this.subscriptions.push(opts.backend.onAlarmsNew((e) => this.onNew(e)));
    opts.backend
      .alarmsWatchGet()
      .then((o) => this.setUnread(Math.max(this.unread, o.unread)))
      .catch(() => undefined);
  }

  get count(): number {
    return this.unread;
  }

  setUnread(n: number): void {
    this.unread = n;
    this.badge.hidden = n === 0;
    setText(this.badge, n > 99 ? "99+" : String(n));
    this.element.classList.toggle("has-unread", n > 0);
  }

  /** The user is looking at the alarms: the badge goes back to 0 here and in the backend, and the cards go. */
  markRead(): void {
    this.setUnread(0);
    this.toasts.replaceChildren();
    this.opts.backend.alarmsMarkRead().catch(() => undefined);
  }

  private onNew(e: AlarmsNewEvent): void {
    this.setUnread(e.unread);
    const shown = e.alarms.slice(-MAX_TOASTS);
    for (const w of shown) this.toast(w);
    const rest = e.alarms.length - shown.length;
    if (rest > 0) this.summary(rest);
  }

  private remember(card: HTMLElement): void {
    const ms = this.opts.toastMs ?? TOAST_MS;
    if (ms <= 0) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      card.remove();
    }, ms);
    this.timers.add(t);
  }

  private toast(w: WatchedAlarm): void {
    const cat = alarmCategory(w.alarm.type);
    const m = t().alarmsView;
    const close = h("button", { type: "button", class: "icon-btn small", "aria-label": m.dismiss }, icon(ICONS.close));
    // Names (the vehicle's, the geofence's) are data: in elements of their own, left as they are.
    const [before, after] = splitAround((name) => m.geofence({ name }));
    const where = w.geofenceName ? [before, h("span", { translate: "no" }, w.geofenceName), `${after} · `] : [];
    const card = h(
      "div",
      { class: `al-toast cat-${cat}`, role: "alert", "data-testid": "alarm-toast", "data-id": w.id, "data-imei": w.imei, "data-type": String(w.alarm.type), "data-desktop": w.desktop },
      h("span", { class: `al-icon cat-${cat}` }, icon(CATEGORY_ICON[cat])),
      h(
        "div",
        { class: "al-toast-text" },
        h("strong", {}, `${alarmName(w.alarm.type)} — `, h("span", { translate: "no" }, w.vehicle)),
        h("span", { class: "small" }, ...where, formatDateTime(w.alarm.gpstime, this.opts.store.settings.timeZone)),
      ),
      close,
    );
    close.addEventListener("click", (ev) => {
      ev.stopPropagation();
      card.remove();
    });
    card.addEventListener("click", () => {
      card.remove();
      this.opts.onOpen(w);
    });
    this.toasts.append(card);
    // Oldest cards go first when many arrive.
    while (this.toasts.children.length > MAX_TOASTS + 1) this.toasts.firstElementChild?.remove();
    this.remember(card);
  }

  private summary(n: number): void {
    const card = h("div", { class: "al-toast al-toast-more", role: "status" }, t().alarmsView.more({ n }));
    card.addEventListener("click", () => {
      card.remove();
      this.opts.onOpen(null);
    });
    this.toasts.append(card);
    this.remember(card);
  }

  destroy(): void {
    for (const s of this.subscriptions) void s.then((u) => u());
    for (const t of this.timers) clearTimeout(t);
    this.element.remove();
    this.toasts.remove();
  }
}
