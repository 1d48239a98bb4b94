/** The details panel of the selected device: every field of its track and registration, in words. */
import type { Device, Track } from "../bindings";
import type { Change, Store } from "../state";
import { statusDetail, statusLabel } from "../lib/status";
import { t } from "../i18n";
import { displayName } from "../lib/search";
import { formatBattery, formatCoordinates, formatCourse, formatMileage, formatSpeed } from "../lib/units";
import { formatDate, formatDateTime, formatDuration, relativeTime } from "../lib/time";
import { accWords, chargeWords, defenceWords, doorWords, fuelWords } from "../lib/words";
import { expiryNote, expiryOf, needsAttention, type Expiry } from "../lib/expiry";
import { h, icon, ICONS, morphChildren } from "../dom";
import { commandsSection, type CommandRequest } from "./deviceCommands";
import type { View } from "./view";
import { addressBook, addressElement, isPlace, showAddress, type AddressBook } from "../lib/addresses";

/** How far the selected vehicle moves before its address is looked up again, metres. */
export const ADDRESS_REFRESH_M = 50;

/** Metres between two positions (an equirectangular approximation: fine at these distances). */
function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

/** The provider's `datastatus` in words. */
function datastatusWords(n: number): string {
  const m = t().details;
  return (m.datastatus as Readonly<Record<string, string | undefined>>)[String(n)] ?? m.unknownDatastatus({ n });
}

export interface DeviceDetailsOptions {
  now?: () => number;
  onClose?: () => void;
  /** Called when the panel opens or closes (the map needs to resize). */
  onToggle?: (open: boolean) => void;
  /** "Centre on the map" was pressed. */
  onLocate?: (imei: string) => void;
  /** "Playback" was pressed. */
  onPlaybackOpen?: (imei: string) => void;
  /** A command button was pressed (the dialog asks for confirmation). */
  onCommand?: (request: CommandRequest) => void;
  /** The command log was asked for. */
  onAuditOpen?: () => void;
  /** Where street addresses come from (default: the app's book). */
  addresses?: AddressBook | null;
}

type Value = string | Node;

export class DeviceDetails implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private shownImei: string | null = null;
  /** The selected vehicle's address: kept across renders, looked up again after a move. */
  private readonly address = addressElement("span", "details-address");
  private addressFor: { imei: string; lat: number; lon: number } | null = null;

  constructor(
    private readonly store: Store,
    private readonly opts: DeviceDetailsOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.body = h("div", { class: "details-body" });
    this.element = h(
      "aside",
      { class: "details", "data-testid": "device-details", "aria-label": t().details.label, hidden: true },
      this.body,
    );
    this.unsubscribe = store.subscribe((c) => this.onChange(c));
    this.render();
  }

  destroy(): void {
    this.unsubscribe();
  }

  private onChange(change: Change): void {
    switch (change.kind) {
      case "selection":
      case "devices":
      case "session":
      case "settings":
        this.render();
        break;
      case "tracks":
        if (this.store.selected && change.changed.has(this.store.selected)) this.render();
        break;
      default:
        break;
    }
  }

  render(): void {
    const imei = this.store.selected;
    const row = imei ? this.store.row(imei) : undefined;
    const wasOpen = !this.element.hidden;
    if (!imei || !row) {
      this.element.hidden = true;
      this.shownImei = null;
      this.body.replaceChildren();
      if (wasOpen) this.opts.onToggle?.(false);
      return;
    }
    if (this.shownImei === imei) {
      // New values of the same vehicle (a live refresh): the nodes stay, so a focused or pressed
      // button, a selected IMEI and the scroll position survive it.
      morphChildren(this.body, this.content(row.device, row.track));
    } else {
      this.body.replaceChildren(...this.content(row.device, row.track));
      this.body.scrollTop = 0;
    }
    this.element.dataset.imei = imei;
    this.shownImei = imei;
    this.element.hidden = false;
    if (!wasOpen) this.opts.onToggle?.(true);
  }

  /** The address row while a geocoder is set; looks the place up when the vehicle is new or has moved. */
  private addressRow(imei: string, track: Track): Array<[string, Value, string]> {
    const book = bookOf(this.opts);
    if (!book) {
      this.addressFor = null;
      return [];
    }
    const here = { lat: track.latitude, lon: track.longitude };
    if (!isPlace(here)) {
      showAddress(this.address, null);
      this.addressFor = null;
      return [[t().addresses.address, "—", "address"]];
    }
    const last = this.addressFor;
    if (!last || last.imei !== imei || metresBetween(last, here) > ADDRESS_REFRESH_M) {
      this.addressFor = { imei, ...here };
      if (last?.imei !== imei) showAddress(this.address, book.cached(here));
      void book.lookup([here], "vehicle-panel").then(([a]) => {
        if (this.addressFor?.imei === imei) showAddress(this.address, a ?? null);
      });
    }
    return [[t().addresses.address, this.address, "address"]];
  }

  private content(device: Device, track: Track | undefined): Node[] {
    const { units, timeZone: tz } = this.store.settings;
    const now = this.now();
    const status = this.store.statusOf(device.imei);
    const m = t().details;
    const when = (secs: number): Value => {
      if (!secs || secs <= 0) return "—";
      return h("span", {}, formatDateTime(secs, tz), h("small", { class: "muted rel" }, relativeTime(secs * 1000, now)));
    };
    const close = h("button", { type: "button", class: "icon-btn", "aria-label": m.close, title: t().common.close, "data-testid": "details-close" }, icon(ICONS.close));
    close.addEventListener("click", () => {
      this.store.select(null);
      this.opts.onClose?.();
    });
    const locate = h("button", { type: "button", class: "icon-btn", "aria-label": m.locate, title: m.locate, "data-testid": "details-locate" }, icon(ICONS.target));
    locate.addEventListener("click", () => this.opts.onLocate?.(device.imei));

    const playback = h("button", { type: "button", class: "btn secondary small", title: m.playbackTitle, "data-testid": "playback-open" }, m.playback);
    playback.addEventListener("click", () => this.opts.onPlaybackOpen?.(device.imei));

    const subtitle = [device.platenumber.trim(), device.devicetype.trim()].filter(Boolean).join(" · ");
    const header = h(
      "header",
      { class: "details-header" },
      h(
        "div",
        // The name, plate and model are data: not for a translator.
        { class: "details-title", translate: "no" },
        h("h2", { title: displayName(device), "data-testid": "details-name" }, displayName(device)),
        subtitle ? h("div", { class: "muted", title: subtitle }, subtitle) : null,
      ),
      h("div", { class: "details-actions" }, playback, locate, close),
      // Under both, the full width: "Parked, engine off" is not squeezed beside the buttons.
      h(
        "div",
        { class: "details-state" },
        h("span", { class: `chip chip-${status}`, "data-testid": "details-status" }, statusLabel(status)),
        track && status === "stopped" ? h("span", { class: "muted small" }, statusDetail(track)) : null,
      ),
    );

    const platform = expiryOf(device.platformduetime, now);
    const user = expiryOf(device.userduetime, now);
    const warnings: Node[] = [];
    for (const [label, e, secs] of [
      [m.platformService, platform, device.platformduetime],
      [m.userService, user, device.userduetime],
    ] as const) {
      if (needsAttention(e)) {
        warnings.push(
          h(
            "div",
            { class: `expiry-warning ${e.kind}`, role: "status", "data-testid": "expiry-warning" },
            icon(ICONS.warning),
            h("span", {}, m.expiryWarning({ service: label, note: expiryNote(e), date: formatDate(secs, tz) })),
          ),
        );
      }
    }

    const commands = commandsSection({ imei: device.imei, onCommand: this.opts.onCommand, onAuditOpen: this.opts.onAuditOpen });
    const sections: Node[] = [header, ...warnings, commands];
    if (track) {
      const acc = track.accstatus;
      const accText = acc === 1 || acc === 0 ? m.forDuration({ state: accWords(acc), duration: formatDuration(track.acctime) }) : accWords(acc);
      sections.push(
        section(m.position, [
          [m.speed, formatSpeed(track.speed, units), "speed"],
          [m.heading, formatCourse(track.course), "course"],
          [m.coordinates, track.latitude || track.longitude ? formatCoordinates(track.latitude, track.longitude) : m.noFix, "position"],
          ...this.addressRow(device.imei, track),
          [m.lastFix, when(track.gpstime), "gpstime"],
          [m.lastHeartbeat, when(track.hearttime), "hearttime"],
          [m.received, when(track.systemtime), "systemtime"],
          [m.providerClock, formatDateTime(track.servertime, tz), "servertime"],
          [m.connection, datastatusWords(track.datastatus), "datastatus"],
        ]),
        section(m.vehicle, [
          [m.ignition, accText, "accstatus"],
          [m.door, doorWords(track.doorstatus), "doorstatus"],
          [m.fuel, fuelWords(track.oilpowerstatus), "oilpowerstatus"],
          [m.defence, defenceWords(track.defencestatus), "defencestatus"],
          [m.charging, chargeWords(track.chargestatus), "chargestatus"],
          [m.battery, formatBattery(track.battery) === "—" ? t().common.notReported : formatBattery(track.battery), "battery"],
          [m.odometer, formatMileage(track.mileage, units), "mileage"],
        ]),
      );
    } else {
      sections.push(h("p", { class: "muted details-note" }, m.noPosition));
    }
    // The device's own values (name, plate, model, IMEI, SIM) are data: not for a translator.
    const data = (v: string): Value => (v ? h("span", { translate: "no" }, v) : "—");
    sections.push(
      section(m.device, [
        [m.imei, h("span", { class: "mono", translate: "no" }, device.imei), "imei"],
        [m.name, data(device.devicename), "devicename"],
        [m.plate, data(device.platenumber), "platenumber"],
        [m.model, data(device.devicetype), "devicetype"],
        [m.simCard, device.simcard ? h("span", { class: "mono", translate: "no" }, device.simcard) : "—", "simcard"],
        [m.firstOnline, device.onlinetime > 0 ? formatDateTime(device.onlinetime, tz) : m.neverOnline, "onlinetime"],
        [m.activated, formatDateTime(device.activatedtime, tz), "activatedtime"],
        [m.platformExpiry, expiryValue(device.platformduetime, platform, tz), "platformduetime"],
        [m.userExpiry, expiryValue(device.userduetime, user, tz), "userduetime"],
      ]),
    );
    return sections;
  }
}

/** The book in use, if a geocoder is set. */
function bookOf(opts: DeviceDetailsOptions): AddressBook | null {
  const book = opts.addresses === undefined ? addressBook() : opts.addresses;
  return book?.enabled() ? book : null;
}

function expiryValue(secs: number, e: Expiry, tz: string): Value {
  if (e.kind === "none") return t().details.noExpiry;
  const note = expiryNote(e);
  return h(
    "span",
    { class: needsAttention(e) ? `expiry ${e.kind}` : "expiry" },
    formatDate(secs, tz),
    note ? h("strong", {}, ` · ${note}`) : null,
  );
}

function section(title: string, rows: Array<[string, Value, string]>): HTMLElement {
  const dl = h("dl", { class: "fields" });
  for (const [label, value, field] of rows) {
    dl.append(h("dt", {}, label), h("dd", { "data-field": field }, value));
  }
  return h("section", { class: "details-section" }, h("h3", {}, title), dl);
}
