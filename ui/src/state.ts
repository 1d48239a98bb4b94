/**
 * The app's state and its change notifications. Views subscribe and get told *what* changed
 * (e.g. which devices' tracks), so a live refresh re-renders only the rows and markers it moved.
 */
import type { Device, LiveStatus, LiveUpdate, SavedAccount, SessionInfo, Settings, Track } from "./bindings";
import { deriveStatus, type DeviceStatus, type StatusCounts } from "./lib/status";
import { compareDevices, countStatuses, matchesQuery, matchesStatus, queryTokens, type StatusFilter } from "./lib/search";

export type Change =
  | { kind: "session" }
  | { kind: "savedAccounts" }
  | { kind: "devices" }
  | {
      kind: "tracks";
      /** Devices whose track differs from the previous one (besides the provider's clock). */
      changed: ReadonlySet<string>;
      /** The subset whose derived status changed (counts and filters need a look). */
      statusChanged: ReadonlySet<string>;
    }
  | { kind: "selection"; previous: string | null }
  | { kind: "filter" }
  | { kind: "live" }
  | { kind: "settings"; previous: Settings };

export type Listener = (change: Change, store: Store) => void;

/** A sub-customer whose fleet is shown instead of the signed-in account's own. */
export interface SubFleet {
  account: string;
  /** Its user name, when known (the Accounts view knows it); "" otherwise. */
  username: string;
}

/** One device as the views draw it. */
export interface DeviceRow {
  device: Device;
  track: Track | undefined;
  status: DeviceStatus;
}

/**
 * The provider stamps every reply with its own clock (`servertime`): a new value alone is not a
 * change anyone can see, and treating it as one would re-render the whole fleet on every refresh.
 */
const IGNORED_TRACK_FIELDS: ReadonlySet<string> = new Set(["servertime"]);

export function trackChanged(prev: Track | undefined, next: Track): boolean {
  if (!prev) return true;
  const a = prev as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    if (!IGNORED_TRACK_FIELDS.has(key) && a[key] !== b[key]) return true;
  }
  return false;
}

export class Store {
  session: SessionInfo | null = null;
  savedAccounts: SavedAccount[] = [];
  settings: Settings;
  /** Devices by IMEI. */
  readonly devices = new Map<string, Device>();
  /** IMEIs in list order. */
  order: string[] = [];
  /** Latest track by IMEI. */
  readonly tracks = new Map<string, Track>();
  /** Derived status by IMEI, kept in step with `tracks`. */
  readonly statuses = new Map<string, DeviceStatus>();
  selected: string | null = null;
  /** Whose fleet the list and the map show: a sub-customer's, or null for the account's own. */
  fleet: SubFleet | null = null;
  query = "";
  statusFilter: StatusFilter = "all";
  live: LiveStatus | null = null;
  /** When the last live update was taken (unix ms). */
  lastUpdateAt: number | null = null;
  /** How long the backend took to fetch it. */
  lastUpdateFetchMs: number | null = null;
  private tokens: string[] = [];
  private readonly listeners = new Set<Listener>();

  constructor(settings: Settings) {
    this.settings = settings;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: Change): void {
    for (const l of [...this.listeners]) l(change, this);
  }

  setSession(session: SessionInfo | null): void {
    const same =
      session && this.session && session.account === this.session.account && session.providerUrl === this.session.providerUrl;
    this.session = session;
    if (!same) this.clearFleet();
    this.emit({ kind: "session" });
  }

  setSavedAccounts(accounts: SavedAccount[]): void {
    this.savedAccounts = accounts;
    this.emit({ kind: "savedAccounts" });
  }

  /**
   * Shows another fleet (a sub-customer's, or null: the own): its devices replace the list, and
   * the old fleet's positions, selection, search and filter go (its counts are its own). Listeners
   * hear "devices" twice: the empty fleet (the map forgets its fit), then the new one.
   */
  setFleet(fleet: SubFleet | null, devices: readonly Device[]): void {
    const live = this.live;
    this.clearFleet();
    this.live = live;
    this.fleet = fleet;
    this.emit({ kind: "filter" });
    this.emit({ kind: "devices" });
    this.setDevices(devices);
  }

  private clearFleet(): void {
    this.fleet = null;
    this.devices.clear();
    this.order = [];
    this.tracks.clear();
    this.statuses.clear();
    this.selected = null;
    this.query = "";
    this.tokens = [];
    this.statusFilter = "all";
    this.live = null;
    this.lastUpdateAt = null;
    this.lastUpdateFetchMs = null;
  }

  setDevices(devices: readonly Device[]): void {
    this.devices.clear();
    for (const d of devices) this.devices.set(d.imei, d);
    this.order = [...this.devices.values()].sort(compareDevices).map((d) => d.imei);
    const nowSecs = Math.floor(Date.now() / 1000);
    for (const imei of this.order) this.statuses.set(imei, deriveStatus(this.tracks.get(imei), nowSecs));
    if (this.selected && !this.devices.has(this.selected)) this.selected = null;
    this.emit({ kind: "devices" });
  }

  /** Applies one refresh; returns the IMEIs whose track changed. */
  applyLiveUpdate(update: LiveUpdate): ReadonlySet<string> {
    const changed = new Set<string>();
    const statusChanged = new Set<string>();
    // Ages are measured on the provider's clock; the refresh's own time when it sent none.
    const nowSecs = Math.floor(update.at / 1000);
    for (const t of update.tracks) {
      const prev = this.tracks.get(t.imei);
      // Keep the newest object anyway so `servertime` stays current for the details panel.
      this.tracks.set(t.imei, t);
      // A track that did not change still ages: a silent "moving" vehicle stops being one.
      const status = deriveStatus(t, nowSecs);
      const restatused = this.statuses.get(t.imei) !== status;
      this.statuses.set(t.imei, status);
      if (!trackChanged(prev, t) && !restatused) continue;
      changed.add(t.imei);
      if (restatused) statusChanged.add(t.imei);
    }
    this.lastUpdateAt = update.at;
    this.lastUpdateFetchMs = update.durationMs;
    this.emit({ kind: "tracks", changed, statusChanged });
    return changed;
  }

  setLiveStatus(status: LiveStatus): void {
    this.live = status;
    this.emit({ kind: "live" });
  }

  setSettings(settings: Settings): void {
    const previous = this.settings;
    this.settings = settings;
    this.emit({ kind: "settings", previous });
  }

  select(imei: string | null): void {
    if (imei !== null && !this.devices.has(imei)) return;
    const previous = this.selected;
    if (previous === imei) return;
    this.selected = imei;
    this.emit({ kind: "selection", previous });
  }

  setQuery(query: string): void {
    if (query === this.query) return;
    this.query = query;
    this.tokens = queryTokens(query);
    this.emit({ kind: "filter" });
  }

  setStatusFilter(filter: StatusFilter): void {
    if (filter === this.statusFilter) return;
    this.statusFilter = filter;
    this.emit({ kind: "filter" });
  }

  // ---- derived ----

  row(imei: string): DeviceRow | undefined {
    const device = this.devices.get(imei);
    if (!device) return undefined;
    return { device, track: this.tracks.get(imei), status: this.statuses.get(imei) ?? "neverOnline" };
  }

  statusOf(imei: string): DeviceStatus {
    return this.statuses.get(imei) ?? "neverOnline";
  }

  matchesSearch(imei: string): boolean {
    const d = this.devices.get(imei);
    return d !== undefined && matchesQuery(d, this.tokens);
  }

  /** Whether the device passes both the search and the status filter. */
  isVisible(imei: string): boolean {
    return this.matchesSearch(imei) && matchesStatus(this.statusOf(imei), this.statusFilter);
  }

  /** IMEIs shown in the list, in order. */
  visibleImeis(): string[] {
    return this.order.filter((imei) => this.isVisible(imei));
  }

  /** Counts per status among the devices matching the search. */
  counts(): StatusCounts {
    const statuses: DeviceStatus[] = [];
    for (const imei of this.order) if (this.matchesSearch(imei)) statuses.push(this.statusOf(imei));
    return countStatuses(statuses);
  }
}
