/**
 * The layer switcher on every map: a button naming the map shown, which opens a radio group of the
 * layers (built-in, then the user's own). Choosing one saves it in the settings, and every open
 * map follows. Keyboard: Tab to the button, Enter/Space/Down opens the list on the layer shown,
 * arrows move, Enter/Space chooses, Escape closes.
 */
import L from "./leaflet";
import type { Basemap } from "../bindings";
import { onLanguageChange, t } from "../i18n";
import { toBackendError } from "../backend";

export interface LayerSwitcherOptions {
  /** Saves the choice; rejects with the reason it could not be. */
  choose(id: string): Promise<void>;
}

/** The name a layer is shown by: the built-in ones' in the user's language, a custom one's own. */
export function layerName(layer: Pick<Basemap, "id" | "name" | "builtIn">): string {
  return (layer.builtIn ? t().maps.layerNames[layer.id] : undefined) ?? layer.name;
}

const ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3 2 8.5l10 5.5 10-5.5z" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>' +
  '<path d="m2 13 10 5.5L22 13" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/></svg>';

export class LayerSwitcher extends L.Control {
  private readonly root: HTMLElement;
  private readonly toggle: HTMLButtonElement;
  private readonly toggleText: HTMLElement;
  private readonly list: HTMLElement;
  private readonly error: HTMLElement;
  private layers: readonly Basemap[] = [];
  private active: string | null = null;
  /** The layer being saved (shown checked meanwhile). */
  private pending: string | null = null;

  constructor(private readonly opts: LayerSwitcherOptions) {
    super({ position: "topleft" });
    const root = (this.root = L.DomUtil.create("div", "leaflet-control map-layers"));
    root.dataset.testid = "map-layers";
    const toggle = (this.toggle = L.DomUtil.create("button", "map-layers-toggle", root) as HTMLButtonElement);
    toggle.type = "button";
    toggle.setAttribute("aria-expanded", "false");
    toggle.dataset.testid = "map-layers-toggle";
    toggle.innerHTML = ICON;
    this.toggleText = L.DomUtil.create("span", "map-layers-current", toggle);
    const list = (this.list = L.DomUtil.create("div", "map-layers-list", root));
    list.setAttribute("role", "radiogroup");
    list.id = `map-layers-${L.Util.stamp(this)}`;
    toggle.setAttribute("aria-controls", list.id);
    list.hidden = true;
    const error = (this.error = L.DomUtil.create("div", "map-layers-error", root));
    error.setAttribute("role", "alert");
    error.hidden = true;
    // Presses, wheel turns and double clicks on the control are not the map's.
    L.DomEvent.disableClickPropagation(root);
    L.DomEvent.disableScrollPropagation(root);
    toggle.addEventListener("click", () => this.setOpen(list.hidden, true));
    toggle.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" && list.hidden) {
        e.preventDefault();
        this.setOpen(true, true);
      }
    });
    list.addEventListener("keydown", (e) => this.onKey(e));
    list.addEventListener("click", (e) => {
      const item = (e.target as HTMLElement).closest<HTMLElement>('[data-testid="layer-option"]');
      if (item?.dataset.layer) void this.choose(item.dataset.layer);
    });
    root.addEventListener("focusout", (e) => {
      if (!root.contains(e.relatedTarget as Node | null) && e.relatedTarget !== null) this.setOpen(false, false);
    });
    this.label();
  }

  private stopLanguage: (() => void) | null = null;

  override onAdd(): HTMLElement {
    this.stopLanguage = onLanguageChange(() => this.label());
    return this.root;
  }

  override onRemove(): void {
    this.stopLanguage?.();
    this.stopLanguage = null;
  }

  /** The element (tests). */
  get element(): HTMLElement {
    return this.root;
  }

  get open(): boolean {
    return !this.list.hidden;
  }

  /** Shows these layers with `active` checked. */
  update(layers: readonly Basemap[], active: string | null): void {
    const same =
      layers.length === this.layers.length &&
      layers.every((l, i) => l.id === this.layers[i]?.id && l.name === this.layers[i]?.name) &&
      active === this.active;
    this.layers = layers;
    this.active = active;
    if (this.pending === active) this.pending = null;
    if (same) return;
    const focused = this.list.contains(document.activeElement) ? (document.activeElement as HTMLElement).dataset.layer : undefined;
    this.list.replaceChildren(
      ...layers.map((l) => {
        const item = L.DomUtil.create("div", "map-layers-option");
        item.setAttribute("role", "radio");
        item.dataset.testid = "layer-option";
        item.dataset.layer = l.id;
        const name = L.DomUtil.create("span", "map-layers-name", item);
        name.textContent = layerName(l);
        // A custom map's name is the user's: not translated.
        if (!l.builtIn) name.setAttribute("translate", "no");
        return item;
      }),
    );
    this.mark();
    if (focused) this.item(focused)?.focus();
  }

  /** Shows the texts again in the language in use. */
  label(): void {
    this.list.setAttribute("aria-label", t().maps.layers);
    this.toggle.title = t().maps.layers;
    const current = this.layers.find((l) => l.id === (this.pending ?? this.active));
    this.toggleText.textContent = current ? layerName(current) : t().maps.layers;
    this.toggle.setAttribute("aria-label", current ? t().maps.layerChosen({ name: layerName(current) }) : t().maps.layers);
    for (const el of this.items()) {
      const l = this.layers.find((x) => x.id === el.dataset.layer);
      const name = el.querySelector(".map-layers-name");
      if (l && l.builtIn && name) name.textContent = layerName(l);
    }
  }

  private items(): HTMLElement[] {
    return [...this.list.querySelectorAll<HTMLElement>('[data-testid="layer-option"]')];
  }

  private item(id: string): HTMLElement | undefined {
    return this.items().find((el) => el.dataset.layer === id);
  }

  /** aria-checked and the roving tab stop on the layer shown (or being saved). */
  private mark(): void {
    const checked = this.pending ?? this.active;
    const items = this.items();
    const stop = items.find((el) => el.dataset.layer === checked) ?? items[0];
    for (const el of items) {
      el.setAttribute("aria-checked", String(el.dataset.layer === checked));
      el.tabIndex = el === stop ? 0 : -1;
    }
    this.root.toggleAttribute("aria-busy", this.pending !== null);
    this.label();
  }

  private setOpen(open: boolean, focus: boolean): void {
    this.list.hidden = !open;
    this.toggle.setAttribute("aria-expanded", String(open));
    this.root.classList.toggle("is-open", open);
    if (!focus) return;
    if (open) this.items().find((el) => el.tabIndex === 0)?.focus();
    else this.toggle.focus();
  }

  private onKey(e: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const move = (i: number): void => {
      const next = items[(i + items.length) % items.length];
      if (!next) return;
      for (const el of items) el.tabIndex = el === next ? 0 : -1;
      next.focus();
    };
    switch (e.key) {
      case "ArrowDown":
      case "ArrowRight":
        move(at + 1);
        break;
      case "ArrowUp":
      case "ArrowLeft":
        move(at - 1);
        break;
      case "Home":
        move(0);
        break;
      case "End":
        move(items.length - 1);
        break;
      case "Enter":
      case " ": {
        const id = items[at]?.dataset.layer;
        if (id) void this.choose(id, true);
        break;
      }
      case "Escape":
        this.setOpen(false, true);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  }

  /** Saves a choice; the list closes once it is made (focus back on the button from the keyboard). */
  private async choose(id: string, fromKeyboard = false): Promise<void> {
    this.error.hidden = true;
    if (id !== (this.pending ?? this.active)) {
      this.pending = id;
      this.mark();
      try {
        await this.opts.choose(id);
      } catch (e) {
        this.error.textContent = t().maps.layerSaveFailed({ error: toBackendError(e).message });
        this.error.hidden = false;
      } finally {
        // Whatever the settings now say is shown (update() already did so on success).
        this.pending = null;
        this.mark();
      }
    }
    this.setOpen(false, fromKeyboard);
  }
}
