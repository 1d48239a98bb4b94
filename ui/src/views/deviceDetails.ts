/** The details panel of the selected device: every field of its track and registration, in words. */
import type { Device, Track } from "../bindings";
import type { Change, Store } from "../state";
import { STATUS_LABEL, statusDetail } from "../lib/status";
import { displayName } from "../lib/search";
import { formatBattery, formatCoordinates, formatCourse, formatMileage, formatSpeed } from "../lib/units";
import { formatDateTime, formatDuration, relativeTime } from "../lib/time";
import { accWords, chargeWords, defenceWords, doorWords, fuelWords } from "../lib/words";
import { expiryNote, expiryOf, needsAttention, type Expiry } from "../lib/expiry";
import { h, icon, ICONS } from "../dom";
import { commandsSection, type CommandRequest } from "./deviceCommands";
import type { View } from "./view";

const DATASTATUS_WORDS: Record<number, string> = {
  1: "Never online",
  2: "Online",
  3: "Service expired",
  4: "Offline",
  5: "Blocked",
};

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
}

type Value = string | Node;

export class DeviceDetails implements View {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private shownImei: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly opts: DeviceDetailsOptions = {},
  ) {
    this.now = opts.now ?? (() => Date.now());
    this.body = h("div", { class: "details-body" });
    this.element = h(
      "aside",
      { class: "details", "data-testid": "device-details", "aria-label": "Device details", hidden: true },
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
    const scroll = this.shownImei === imei ? this.body.scrollTop : 0;
    this.body.replaceChildren(...this.content(row.device, row.track));
    this.body.scrollTop = scroll;
    this.element.dataset.imei = imei;
    this.shownImei = imei;
    this.element.hidden = false;
    if (!wasOpen) this.opts.onToggle?.(true);
  }

  private content(device: Device, track: Track | undefined): Node[] {
    const { units, timeZone: tz } = this.store.settings;
    const now = this.now();
    const status = this.store.statusOf(device.imei);
    const when = (secs: number): Value => {
      if (!secs || secs <= 0) return "—";
      return h("span", {}, formatDateTime(secs, tz), h("small", { class: "muted rel" }, relativeTime(secs * 1000, now)));
    };
    const close = h("button", { type: "button", class: "icon-btn", "aria-label": "Close details", title: "Close", "data-testid": "details-close" }, icon(ICONS.close));
    close.addEventListener("click", () => {
      this.store.select(null);
      this.opts.onClose?.();
    });
    const locate = h("button", { type: "button", class: "icon-btn", "aria-label": "Centre on the map", title: "Centre on the map", "data-testid": "details-locate" }, icon(ICONS.target));
    locate.addEventListener("click", () => this.opts.onLocate?.(device.imei));

    const playback = h("button", { type: "button", class: "btn secondary small", title: "Review where this vehicle went", "data-testid": "playback-open" }, "Playback");
    playback.addEventListener("click", () => this.opts.onPlaybackOpen?.(device.imei));

    const subtitle = [device.platenumber.trim(), device.devicetype.trim()].filter(Boolean).join(" · ");
    const header = h(
      "header",
      { class: "details-header" },
      h(
        "div",
        { class: "details-title" },
        h("h2", { title: displayName(device), "data-testid": "details-name" }, displayName(device)),
        subtitle ? h("div", { class: "muted", title: subtitle }, subtitle) : null,
      ),
      h("div", { class: "details-actions" }, playback, locate, close),
      // Under both, the full width: "Parked, engine off" is not squeezed beside the buttons.
      h(
        "div",
        { class: "details-state" },
        h("span", { class: `chip chip-${status}`, "data-testid": "details-status" }, STATUS_LABEL[status]),
        track && status === "stopped" ? h("span", { class: "muted small" }, statusDetail(track)) : null,
      ),
    );

    const platform = expiryOf(device.platformduetime, now);
    const user = expiryOf(device.userduetime, now);
    const warnings: Node[] = [];
    for (const [label, e, secs] of [
      ["Platform service", platform, device.platformduetime],
      ["User service", user, device.userduetime],
    ] as const) {
      if (needsAttention(e)) {
        warnings.push(
          h(
            "div",
            { class: `expiry-warning ${e.kind}`, role: "status", "data-testid": "expiry-warning" },
            icon(ICONS.warning),
            h("span", {}, `${label} ${expiryNote(e)} (${formatDateTime(secs, tz).slice(0, 10)}).`),
          ),
        );
      }
    }

    const commands = commandsSection({ imei: device.imei, onCommand: this.opts.onCommand, onAuditOpen: this.opts.onAuditOpen });
    const sections: Node[] = [header, ...warnings, commands];
    if (track) {
      const acc = track.accstatus;
      const accText = acc === 1 || acc === 0 ? `${accWords(acc)} · for ${formatDuration(track.acctime)}` : accWords(acc);
      sections.push(
        section("Position", [
          ["Speed", formatSpeed(track.speed, units), "speed"],
          ["Heading", formatCourse(track.course), "course"],
          ["Coordinates", track.latitude || track.longitude ? formatCoordinates(track.latitude, track.longitude) : "No fix", "position"],
          ["Last GPS fix", when(track.gpstime), "gpstime"],
          ["Last heartbeat", when(track.hearttime), "hearttime"],
          ["Received by provider", when(track.systemtime), "systemtime"],
          ["Provider clock", formatDateTime(track.servertime, tz), "servertime"],
          ["Connection", DATASTATUS_WORDS[track.datastatus] ?? `Unknown (${track.datastatus})`, "datastatus"],
        ]),
        section("Vehicle", [
          ["Ignition (ACC)", accText, "accstatus"],
          ["Door", doorWords(track.doorstatus), "doorstatus"],
          ["Fuel / power", fuelWords(track.oilpowerstatus), "oilpowerstatus"],
          ["Alarm (defence)", defenceWords(track.defencestatus), "defencestatus"],
          ["Charging", chargeWords(track.chargestatus), "chargestatus"],
          ["Battery", formatBattery(track.battery) === "—" ? "Not reported" : formatBattery(track.battery), "battery"],
          ["Odometer", formatMileage(track.mileage, units), "mileage"],
        ]),
      );
    } else {
      sections.push(h("p", { class: "muted details-note" }, "The provider has no position for this device yet."));
    }
    sections.push(
      section("Device", [
        ["IMEI", h("span", { class: "mono" }, device.imei), "imei"],
        ["Name", device.devicename || "—", "devicename"],
        ["Plate", device.platenumber || "—", "platenumber"],
        ["Model", device.devicetype || "—", "devicetype"],
        ["SIM card", device.simcard ? h("span", { class: "mono" }, device.simcard) : "—", "simcard"],
        ["First online", device.onlinetime > 0 ? formatDateTime(device.onlinetime, tz) : "Never", "onlinetime"],
        ["Activated", formatDateTime(device.activatedtime, tz), "activatedtime"],
        ["Platform expiry", expiryValue(device.platformduetime, platform, tz), "platformduetime"],
        ["User expiry", expiryValue(device.userduetime, user, tz), "userduetime"],
      ]),
    );
    return sections;
  }
}

function expiryValue(secs: number, e: Expiry, tz: string): Value {
  if (e.kind === "none") return "No expiry";
  const note = expiryNote(e);
  return h(
    "span",
    { class: needsAttention(e) ? `expiry ${e.kind}` : "expiry" },
    formatDateTime(secs, tz).slice(0, 10),
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
