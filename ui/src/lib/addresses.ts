/**
 * Street addresses of positions, from the reverse geocoder set in Settings (src-tauri's
 * `geocoder`): nothing is asked while none is set. Only what is on screen is looked up; the
 * backend caches each place and paces the service (one request a second), and answers at most
 * a few new places per call, so a list asks in small batches, the newest call on a channel
 * (the vehicle panel, a list) taking the place of older ones.
 */
import type { GeoPoint, Settings } from "../bindings";
import type { IBackend } from "../backend";
import { locale } from "../i18n";
import { h } from "../dom";

/** New places the backend looks up per call (its `MAX_REQUESTS_PER_CALL`). */
export const PLACES_PER_CALL = 8;

/** A place as the backend rounds it: 4 decimals, about 11 m. */
export function placeKey(lat: number, lon: number): string {
  return `${lat.toFixed(4)},${lon.toFixed(4)}`;
}

/** Whether a position can have an address (0,0 is a device without a fix). */
export function isPlace(p: GeoPoint): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && !(p.lat === 0 && p.lon === 0);
}

export class AddressBook {
  private readonly known = new Map<string, string>();
  private readonly latest = new Map<string, number>();
  private seq = 0;

  constructor(
    private readonly backend: Pick<IBackend, "addressLookup">,
    private readonly settings: () => Pick<Settings, "geocoderUrl">,
  ) {}

  /** Whether a geocoder is set. */
  enabled(): boolean {
    return (this.settings().geocoderUrl ?? "").trim() !== "";
  }

  private key(p: GeoPoint): string {
    return `${this.settings().geocoderUrl.trim()}|${locale()}|${placeKey(p.lat, p.lon)}`;
  }

  /** The address of `p` if it is already known here. */
  cached(p: GeoPoint): string | null {
    return this.enabled() && isPlace(p) ? (this.known.get(this.key(p)) ?? null) : null;
  }

  /**
   * The addresses of `points` (null: off, unknown, or not looked up yet); `onBatch` hears each
   * batch's answers as they come. A newer call on the same `channel` stops this one.
   */
  async lookup(points: readonly GeoPoint[], channel: string, onBatch?: (found: Array<string | null>) => void): Promise<Array<string | null>> {
    const answer = (): Array<string | null> => points.map((p) => this.cached(p));
    if (!this.enabled() || points.length === 0) return points.map(() => null);
    const id = ++this.seq;
    this.latest.set(channel, id);
    const wanted: GeoPoint[] = [];
    const seen = new Set<string>();
    for (const p of points) {
      if (!isPlace(p)) continue;
      const k = this.key(p);
      if (this.known.has(k) || seen.has(k)) continue;
      seen.add(k);
      wanted.push(p);
    }
    const lang = locale();
    for (let i = 0; i < wanted.length; i += PLACES_PER_CALL) {
      if (this.latest.get(channel) !== id) break;
      const batch = wanted.slice(i, i + PLACES_PER_CALL);
      let found: Array<string | null>;
      try {
        found = await this.backend.addressLookup(batch, lang, channel);
      } catch {
        break;
      }
      batch.forEach((p, k) => {
        const a = found[k];
        if (typeof a === "string" && a !== "") this.known.set(this.key(p), a);
      });
      onBatch?.(answer());
      // The backend answered fewer than asked (its limit, or the service failing): stop here.
      if (found.slice(0, batch.length).some((a) => a === null)) break;
    }
    return answer();
  }
}

let book: AddressBook | null = null;

/** The app's address book (set once by the app; null in tests that set none). */
export function addressBook(): AddressBook | null {
  return book;
}

/** Sets the app's address book. */
export function setAddressBook(b: AddressBook | null): void {
  book = b;
}

/** An element that shows an address (data: not for a translator); hidden while there is none. */
export function addressElement(tag: "div" | "span" = "div", testid = "address"): HTMLElement {
  return h(tag, { class: "address", translate: "no", "data-testid": testid, hidden: true });
}

/** Shows `text` in an {@link addressElement}, or hides it. */
export function showAddress(el: HTMLElement, text: string | null): void {
  el.textContent = text ?? "";
  el.title = text ?? "";
  el.hidden = !text;
}

/**
 * Fills address elements (from {@link addressElement}) with their points' addresses: known ones
 * at once, the rest as the backend answers. Nothing happens without a book or a geocoder.
 */
export async function fillAddresses(
  book: AddressBook | null,
  items: ReadonlyArray<{ el: HTMLElement; point: GeoPoint }>,
  channel: string,
): Promise<void> {
  if (!book || !book.enabled() || items.length === 0) return;
  const points = items.map((i) => i.point);
  const show = (found: Array<string | null>): void => items.forEach((i, k) => showAddress(i.el, found[k] ?? null));
  show(points.map((p) => book.cached(p)));
  await book.lookup(points, channel, show);
}

/** The nearest ancestor that scrolls (else the document's viewport). */
function scrollParent(el: HTMLElement): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowY;
    if (o === "auto" || o === "scroll") return p;
  }
  return null;
}

/** The items whose element is on screen (all of them where nothing is laid out, as in tests), at most `max`. */
export function onScreen<T extends { row: HTMLElement }>(items: readonly T[], max = 40): T[] {
  const first = items[0];
  if (!first) return [];
  const box = scrollParent(first.row)?.getBoundingClientRect();
  const top = box ? box.top : 0;
  const bottom = box && box.height > 0 ? box.bottom : (typeof window === "undefined" ? Infinity : window.innerHeight || Infinity);
  const out: T[] = [];
  for (const i of items) {
    const r = i.row.getBoundingClientRect();
    const laidOut = r.height > 0 || r.width > 0;
    if (!laidOut || (r.bottom >= top && r.top <= bottom)) out.push(i);
    if (out.length >= max) break;
  }
  return out;
}
