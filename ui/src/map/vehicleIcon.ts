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

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function normaliseCourse(course: number): number {
  return ((Math.round(course) % 360) + 360) % 360;
}

function className(look: VehicleLook, labelOff: boolean): string {
  return `vehicle-marker status-${look.status}${look.selected ? " is-selected" : ""}${labelOff ? " label-off" : ""}`;
}

function html(look: VehicleLook): string {
  return (
    `<div class="vm-disc"><svg class="vm-arrow" viewBox="0 0 24 24">` +
    `<path transform="rotate(${normaliseCourse(look.course)} 12 12)" d="M12 3.5l6.5 16-6.5-3.6-6.5 3.6z"/></svg></div>` +
    `<div class="vm-label">${escapeHtml(look.label)}</div>`
  );
}

/** What changed between two looks, as the icon redraws it. */
export interface LookChange {
  turned: boolean;
  restyled: boolean;
}

/**
 * A divIcon that also marks its element with `data-testid="marker"` and `data-imei`, so tests and
 * assistive tech can find a vehicle on the map the way they find it in the list. One icon lives as
 * long as its marker and updates its element in place: a refresh never rebuilds a marker's DOM.
 */
export class VehicleIcon extends L.DivIcon {
  private look: VehicleLook;
  private element: HTMLElement | null = null;
  private labelOff = false;

  constructor(look: VehicleLook) {
    super({ className: className(look, false), iconSize: [28, 28], iconAnchor: [14, 14], html: html(look) });
    this.look = look;
  }

  get current(): VehicleLook {
    return this.look;
  }

  /** Whether the label is left out to keep labels apart (the marker shows it on hover). */
  get labelHidden(): boolean {
    return this.labelOff;
  }

  /** Leaves the label out (or shows it again); touches the element only when that changes. */
  setLabelHidden(hidden: boolean): void {
    if (hidden === this.labelOff) return;
    this.labelOff = hidden;
    this.options.className = className(this.look, hidden);
    this.element?.classList.toggle("label-off", hidden);
  }

  /** Brings the icon (and its element, if drawn) to a new look; says what had to change. */
  update(next: VehicleLook): LookChange {
    const prev = this.look;
    const turned = normaliseCourse(prev.course) !== normaliseCourse(next.course);
    const restyled = prev.status !== next.status || prev.selected !== next.selected || prev.label !== next.label;
    if (!turned && !restyled) return { turned, restyled };
    this.look = next;
    // Leaflet rebuilds the element from the options when the marker is added again.
    this.options.className = className(next, this.labelOff);
    this.options.html = html(next);
    const el = this.element;
    if (el) {
      if (turned) {
        // An SVG attribute, not a style: no CSS to parse on every turn of every vehicle.
        el.querySelector(".vm-arrow path")?.setAttribute("transform", `rotate(${normaliseCourse(next.course)} 12 12)`);
      }
      if (restyled) {
        el.classList.remove(`status-${prev.status}`);
        el.classList.add(`status-${next.status}`);
        el.classList.toggle("is-selected", next.selected);
        this.decorate(el);
        const label = el.querySelector(".vm-label");
        if (label && label.textContent !== next.label) label.textContent = next.label;
      }
    }
    return { turned, restyled };
  }

  private decorate(el: HTMLElement): void {
    el.setAttribute("data-testid", "marker");
    el.setAttribute("data-imei", this.look.imei);
    el.setAttribute("data-status", this.look.status);
    el.setAttribute("title", `${this.look.label} · ${STATUS_LABEL[this.look.status]}`);
  }

  override createIcon(oldIcon?: HTMLElement): HTMLElement {
    // Leaflet asks again each time the marker is (re)added, e.g. when a cluster splits or a moved
    // marker is re-clustered; the element is already up to date.
    if (!oldIcon && this.element) return this.element;
    const el = super.createIcon(oldIcon);
    this.decorate(el);
    this.element = el;
    return el;
  }
}
