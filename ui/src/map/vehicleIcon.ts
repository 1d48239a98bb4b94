/** The marker of one vehicle: a status-coloured disc with an arrow turned to its course, and a label. */
import L from "./leaflet";
import type { DeviceStatus } from "../lib/status";
import { STATUS_LABEL } from "../lib/status";

export interface VehicleLook {
  imei: string;
  label: string;
  status: DeviceStatus;
  course: number;
  selected: boolean;
}

/** Everything the icon draws; two looks with the same key render identically. */
export function lookKey(look: VehicleLook): string {
  return `${look.status}|${Math.round(look.course)}|${look.label}|${look.selected ? 1 : 0}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A divIcon that also marks its element with `data-testid="marker"` and `data-imei`, so tests and
 * assistive tech can find a vehicle on the map the way they find it in the list.
 */
export class VehicleIcon extends L.DivIcon {
  private readonly look: VehicleLook;

  constructor(look: VehicleLook) {
    const course = ((Math.round(look.course) % 360) + 360) % 360;
    super({
      className: `vehicle-marker status-${look.status}${look.selected ? " is-selected" : ""}`,
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      html:
        `<div class="vm-disc"><svg class="vm-arrow" viewBox="0 0 24 24" style="transform:rotate(${course}deg)">` +
        `<path d="M12 3.5l6.5 16-6.5-3.6-6.5 3.6z"/></svg></div>` +
        `<div class="vm-label">${escapeHtml(look.label)}</div>`,
    });
    this.look = look;
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    const el = super.createIcon(oldIcon);
    el.setAttribute("data-testid", "marker");
    el.setAttribute("data-imei", this.look.imei);
    el.setAttribute("data-status", this.look.status);
    el.setAttribute("title", `${this.look.label} · ${STATUS_LABEL[this.look.status]}`);
    return el;
  }
}
