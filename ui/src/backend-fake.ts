/**
 * A typed, in-memory stand-in for the Rust backend: the views' tests, the UI benchmark and the
 * browser preview (`?fake=1`, dev builds only) run against it. It answers in the backend's words
 * so what the views show can be asserted; it never touches the network.
 */
import type {
  Device,
  IpcError,
  LiveStatus,
  LiveUpdate,
  RestoreResult,
  SavedAccount,
  SessionInfo,
  Settings,
  Track,
} from "./bindings";
import { BackendError, type IBackend, type LoginArgs, type Unsubscribe } from "./backend";
import type { PlaybackExportArgs } from "./backend";
import type { ExportDone, PlaybackLoaded, PlaybackProgress } from "./bindings";
import { FakePlayback, makeFakeHistory } from "./fake/playbackFake";
import { FakeReports } from "./fake/reportsFake";
import type { ExportedFile as ReportExported, ReportFormat as ReportExportFormat, ReportProgress, ReportRequest, ReportResult } from "./bindings";
import type {
  AccountActionPreview,
  AuditPage,
  Command,
  CommandPreview,
  CommandProgress,
  CommandResult,
  MessageSendResult,
  MileageReport,
  UserInfo,
} from "./bindings";
import { FakeOperations } from "./fake/operationsFake";
import type {
  AlarmProgress,
  AlarmQueryResult,
  AlarmsNewEvent,
  ExportedFile,
  GeofenceDraft,
  GeofenceImportResult,
  GeofenceListing,
  GeofenceSaveResult,
  WatchOverview,
  WatchSettings,
  WatchStatus,
} from "./bindings";
import { FakeGeoAlarms } from "./fake/geoAlarmsFake";
import type { NoticeWords } from "./bindings";
import type { AboutInfo, UpdateCheck, UpdateInstalled, UpdateProgress } from "./bindings";
import { FakeUpdates, type FakeUpdatesOptions } from "./fake/updatesFake";
import { advanceFleet, makeDemoFleet, seededRandom } from "./fake/demoFleet";
import { defaultSettings } from "./lib/defaults";
import { FakeTiles } from "./fake/tilesFake";
import { FakeHistory } from "./fake/historyFake";
import { FakeGeocoder } from "./fake/geocoderFake";
import type { GeoPoint, HistoryInfo } from "./bindings";
import type { Basemap, TileCacheInfo } from "./bindings";
import type { FleetOpened, FleetScope } from "./bindings";
import { FakeSubFleets } from "./fake/subfleetFake";

export { defaultSettings };

export interface FakeAccount {
  account: string;
  password: string;
  providerUrl: string;
}

export interface FakeBackendOptions {
  fleetSize?: number;
  seed?: number;
  accounts?: FakeAccount[];
  /** Accounts remembered in the "keychain" (session_restore signs the first one in). */
  remembered?: SavedAccount[];
  settings?: Partial<Settings>;
  /** Simulated latency of every call, ms. */
  latencyMs?: number;
  /** Whether commands reach the provider; false makes them fail as the backend would offline. */
  reachable?: boolean;
  /** Notice returned by session_restore (e.g. no keychain). */
  restoreNotice?: string | null;
  nowMs?: () => number;
  /** Move the fleet and poll every `refreshSecs` while signed in, like the real poller (preview). */
  autoRefresh?: boolean;
  /** The update service: what it offers, and how checks and installs fail (fake/updatesFake.ts). */
  updates?: FakeUpdatesOptions;
}

export interface FakeCall {
  cmd: string;
  args?: unknown;
}

function ipc(kind: IpcError["kind"], message: string, apiCode: number | null = null): BackendError {
  return new BackendError({ kind, message, apiCode });
}

/** The most command-log entries one page holds (the backend's AUDIT_PAGE). */
const AUDIT_PAGE = 500;

export class FakeBackend implements IBackend {
  /** Every command called, in order (arguments without the password). */
  readonly calls: FakeCall[] = [];

  /** The browser preview has no window of its own: the page's title stands for it. */
  setWindowTitle(title: string): Promise<void> {
    document.title = title;
    return Promise.resolve();
  }
  readonly accounts: FakeAccount[];
  settings: Settings;
  reachable: boolean;
  latencyMs: number;
  restoreNotice: string | null;
  session: SessionInfo | null = null;
  devices: Device[];
  tracks: Track[];
  private remembered: SavedAccount[];
  private readonly updateHandlers = new Set<(u: LiveUpdate) => void>();
  private readonly statusHandlers = new Set<(s: LiveStatus) => void>();
  private last: LiveUpdate | null = null;
  private lastOk: number | null = null;
  private readonly rand: () => number;
  private readonly now: () => number;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly autoRefresh: boolean;
  /** Playback: histories, progress, cancel, exports (see fake/playbackFake.ts). */
  readonly playback = new FakePlayback();
  /** Device commands, audit log, mileage, accounts (see fake/operationsFake.ts). */
  readonly ops: FakeOperations = new FakeOperations({
    devices: () => this.devices,
    tracks: () => this.tracks,
    setTrack: (t) => {
      this.tracks = this.tracks.map((x) => (x.imei === t.imei ? t : x));
    },
    nowMs: () => this.now(),
    account: () => this.session?.account ?? "",
    providerUrl: () => this.session?.providerUrl ?? "",
  });

  /** Geofences and alarms (see fake/geoAlarmsFake.ts). */
  readonly geo: FakeGeoAlarms = new FakeGeoAlarms({
    devices: () => this.devices,
    tracks: () => this.tracks,
    nowMs: () => this.now(),
    account: () => this.session?.account ?? "",
    providerUrl: () => (this.session?.demo ? "demo" : (this.session?.providerUrl ?? "")),
  });

  /** The app's version, update offer, downloads and restarts (see fake/updatesFake.ts). */
  readonly updates: FakeUpdates;

  /** Map layers and the tile cache (see fake/tilesFake.ts). */
  readonly tiles = new FakeTiles();

  /** The signed-in account's stored history (see fake/historyFake.ts). */
  readonly geocoder = new FakeGeocoder();
  readonly storedHistory: FakeHistory = new FakeHistory(() =>
    this.session ? { account: this.session.account, key: `${this.session.account}@${this.session.demo ? "demo" : this.session.providerUrl}` } : null,
  );

  /** Sub-customers' fleets and whose is shown (see fake/subfleetFake.ts). */
  readonly subfleets: FakeSubFleets = new FakeSubFleets({
    devices: () => this.devices,
    subCustomers: () => this.ops.list(),
    account: () => this.session?.account ?? "",
  });

  /** Reports over the same histories playback serves (see fake/reportsFake.ts). */
  readonly reports: FakeReports = new FakeReports({
    devices: () => this.devices,
    history: (imei, begin, end) => (this.playback.history ? this.playback.history(imei, begin, end) : makeFakeHistory({ begin, end, seed: Number(imei.slice(-4)) || 3 })),
  });

  constructor(opts: FakeBackendOptions = {}) {
    this.updates = new FakeUpdates(opts.updates);
    this.now = opts.nowMs ?? (() => Date.now());
    const fleet = makeDemoFleet({ size: opts.fleetSize ?? 40, seed: opts.seed ?? 7, nowMs: this.now() });
    this.devices = fleet.devices;
    this.tracks = fleet.tracks;
    this.rand = seededRandom((opts.seed ?? 7) + 1);
    this.settings = { ...defaultSettings(), ...opts.settings };
    this.accounts = opts.accounts ?? [
      { account: "fleet-manager", password: "correct horse", providerUrl: this.settings.providerUrl },
    ];
    this.remembered = opts.remembered ?? [];
    this.latencyMs = opts.latencyMs ?? 0;
    this.reachable = opts.reachable ?? true;
    this.restoreNotice = opts.restoreNotice ?? null;
    this.autoRefresh = opts.autoRefresh ?? false;
  }

  private async step<T>(cmd: string, args: unknown, body: () => T): Promise<T> {
    this.calls.push(args === undefined ? { cmd } : { cmd, args });
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    else await Promise.resolve();
    return body();
  }

  private requireReachable(providerUrl: string): void {
    if (!this.reachable) throw ipc("network", `Cannot reach the provider at ${providerUrl}: connection refused`);
  }

  private requireSession(): SessionInfo {
    if (!this.session) throw ipc("notSignedIn", "You are not signed in.");
    return this.session;
  }

  private signIn(session: SessionInfo): SessionInfo {
    this.session = session;
    this.last = null;
    this.subfleets.account = null;
    if (this.autoRefresh) this.startAutoRefresh();
    // The real backend polls right after sign-in and emits the first update when it has it.
    setTimeout(() => {
      if (this.session === session) this.poll();
    }, 0);
    return session;
  }

  sessionRestore(): Promise<RestoreResult> {
    return this.step("session_restore", undefined, () => {
      const first = this.remembered[0];
      if (!first) return { session: null, notice: this.restoreNotice };
      const session = this.signIn({ account: first.account, providerUrl: first.providerUrl, demo: false, remembered: true });
      return { session, notice: this.restoreNotice };
    });
  }

  sessionLogin(args: LoginArgs): Promise<SessionInfo> {
    const { password: _omitted, ...logged } = args;
    return this.step("session_login", logged, () => {
      const url = args.providerUrl.trim();
      if (!/^https?:\/\/[^\s/]+/i.test(url)) throw ipc("validation", `"${url}" is not a valid provider URL.`);
      if (!args.account.trim()) throw ipc("validation", "Enter your account name.");
      this.requireReachable(url);
      const acct = this.accounts.find((a) => a.account === args.account.trim() && a.providerUrl === url);
      if (!acct || acct.password !== args.password) throw ipc("api", "Wrong account or password.", 20001);
      if (args.remember && !this.remembered.some((r) => r.account === acct.account && r.providerUrl === url)) {
        this.remembered.push({ account: acct.account, providerUrl: url });
      }
      return this.signIn({ account: acct.account, providerUrl: url, demo: false, remembered: args.remember });
    });
  }

  sessionDemo(): Promise<SessionInfo> {
    return this.step("session_demo", undefined, () =>
      this.signIn({ account: "demo", providerUrl: "http://127.0.0.1:43117", demo: true, remembered: false }),
    );
  }

  sessionLogout(): Promise<void> {
    return this.step("session_logout", undefined, () => {
      const s = this.session;
      if (s) this.remembered = this.remembered.filter((r) => !(r.account === s.account && r.providerUrl === s.providerUrl));
      this.session = null;
      this.last = null;
      this.playback.clear();
      this.stopAutoRefresh();
    });
  }

  sessionCurrent(): Promise<SessionInfo | null> {
    return this.step("session_current", undefined, () => this.session);
  }

  sessionSavedAccounts(): Promise<SavedAccount[]> {
    return this.step("session_saved_accounts", undefined, () => this.remembered.map((r) => ({ ...r })));
  }

  sessionSwitch(account: string, providerUrl: string): Promise<SessionInfo> {
    return this.step("session_switch", { account, providerUrl }, () => {
      const saved = this.remembered.find((r) => r.account === account && r.providerUrl === providerUrl);
      if (!saved) throw ipc("keychain", `No saved password for ${account}: sign in with your password.`);
      this.requireReachable(providerUrl);
      return this.signIn({ account, providerUrl, demo: false, remembered: true });
    });
  }

  fleetDevices(): Promise<Device[]> {
    return this.step("fleet_devices", undefined, () => {
      const s = this.requireSession();
      this.requireReachable(s.providerUrl);
      return this.subfleets.shown().map((d) => ({ ...d }));
    });
  }

  fleetOpen(account: string | null): Promise<FleetOpened> {
    return this.step("fleet_open", { account }, () => {
      const s = this.requireSession();
      this.requireReachable(s.providerUrl);
      const opened = this.subfleets.open(account);
      // As the backend: a new poller for the fleet, polling at once.
      this.last = null;
      setTimeout(() => {
        if (this.session === s) this.poll();
      }, 0);
      return opened;
    });
  }

  fleetScope(): Promise<FleetScope> {
    return this.step("fleet_scope", undefined, () => {
      this.requireSession();
      return this.subfleets.scope();
    });
  }

  liveSnapshot(): Promise<LiveUpdate | null> {
    return this.step("live_snapshot", undefined, () => {
      this.requireSession();
      return this.last;
    });
  }

  liveRefreshNow(): Promise<void> {
    return this.step("live_refresh_now", undefined, () => {
      this.requireSession();
      setTimeout(() => this.poll(), 0);
    });
  }

  settingsGet(): Promise<Settings> {
    return this.step("settings_get", undefined, () => ({ ...this.settings }));
  }

  settingsSet(settings: Settings): Promise<Settings> {
    return this.step("settings_set", { settings }, () => {
      if (!/^https?:\/\/\S+$/i.test(settings.providerUrl.trim())) {
        throw ipc("validation", `"${settings.providerUrl}" is not a valid provider URL.`);
      }
      // Settings from before the basemap catalogue had one tile URL.
      const tileUrl = (settings as { tileUrl?: string }).tileUrl;
      if (tileUrl !== undefined && (!tileUrl.includes("{z}") || !tileUrl.includes("{x}") || !tileUrl.includes("{y}"))) {
        throw ipc("validation", "The tile URL needs {z}, {x} and {y} placeholders.");
      }
      const maps = settings;
      if (!this.tiles.list(settings).some((b) => b.id === maps.basemap)) {
        throw ipc("validation", `Unknown basemap "${maps.basemap}": choose a built-in map or one of your custom maps.`);
      }
      if (!Number.isInteger(maps.tileCacheMb) || maps.tileCacheMb < 50 || maps.tileCacheMb > 20_000) {
        throw ipc("validation", `The tile cache size must be between 50 and 20000 MB, not ${maps.tileCacheMb}.`);
      }
      if (!Number.isInteger(settings.historyLimitMb) || settings.historyLimitMb < 100 || settings.historyLimitMb > 100_000) {
        throw ipc("validation", `The stored history's size must be between 100 and 100000 MB, not ${settings.historyLimitMb}.`);
      }
      const secs = settings.refreshSecs;
      if (!Number.isInteger(secs) || secs < 2 || secs > 3600) {
        throw ipc("validation", "The refresh interval must be between 2 and 3600 seconds.");
      }
      this.settings = { ...settings, providerUrl: settings.providerUrl.trim() };
      if (this.timer) this.startAutoRefresh();
      return { ...this.settings };
    });
  }

  appAbout(): Promise<AboutInfo> {
    return this.step("app_about", undefined, () => this.updates.about());
  }

  updateCheck(): Promise<UpdateCheck> {
    return this.step("update_check", undefined, () => this.updates.check());
  }

  async updateInstall(version: string): Promise<UpdateInstalled> {
    return await this.step("update_install", { version }, () => this.updates.install(version));
  }

  appRestart(): Promise<void> {
    return this.step("app_restart", undefined, () => this.updates.restart());
  }

  async onUpdateProgress(handler: (progress: UpdateProgress) => void): Promise<Unsubscribe> {
    return this.updates.onProgress(handler);
  }

  async onLiveUpdate(handler: (update: LiveUpdate) => void): Promise<Unsubscribe> {
    this.updateHandlers.add(handler);
    return () => this.updateHandlers.delete(handler);
  }

  async onLiveStatus(handler: (status: LiveStatus) => void): Promise<Unsubscribe> {
    this.statusHandlers.add(handler);
    return () => this.statusHandlers.delete(handler);
  }

  async playbackLoad(requestId: number, imei: string, begin: number, end: number): Promise<PlaybackLoaded> {
    return await this.step("playback_load", { requestId, imei, begin, end }, () => {
      this.requireSession();
      return this.playback.load(requestId, imei, begin, end);
    });
  }

  playbackPoints(imei: string, begin: number, end: number): Promise<ArrayBuffer> {
    return this.step("playback_points", { imei, begin, end }, () => this.playback.points(imei, begin, end));
  }

  playbackCancel(requestId: number): Promise<boolean> {
    // Answers at once, like the backend, even while the load it cancels is still running.
    this.calls.push({ cmd: "playback_cancel", args: { requestId } });
    return Promise.resolve(this.playback.cancel(requestId));
  }

  playbackExport(args: PlaybackExportArgs): Promise<ExportDone | null> {
    return this.step("playback_export", args, () => this.playback.export(args.imei, args.begin, args.end, args.format, args.name));
  }

  async onPlaybackProgress(handler: (progress: PlaybackProgress) => void): Promise<Unsubscribe> {
    return this.playback.onProgress(handler);
  }

  commandPrepare(imei: string, command: Command): Promise<CommandPreview> {
    return this.step("command_prepare", { imei, command }, () => {
      this.requireSession();
      return this.ops.prepare(imei, command);
    });
  }

  async commandConfirm(confirmationId: string, typed: string | null): Promise<CommandResult> {
    return await this.step("command_confirm", { confirmationId, typed }, () => {
      this.requireSession();
      return this.ops.confirm(confirmationId, typed);
    });
  }

  commandStopWaiting(confirmationId: string): Promise<boolean> {
    this.calls.push({ cmd: "command_stop_waiting", args: { confirmationId } });
    return Promise.resolve(this.ops.stopWaiting(confirmationId));
  }

  commandDiscard(confirmationId: string): Promise<void> {
    return this.step("command_discard", { confirmationId }, () => this.ops.discard(confirmationId));
  }

  async onCommandProgress(handler: (progress: CommandProgress) => void): Promise<Unsubscribe> {
    return this.ops.onProgress(handler);
  }

  auditList(): Promise<AuditPage> {
    // As the backend: the latest page, oldest first.
    return this.step("audit_list", undefined, () => ({
      entries: this.ops.audit.slice(-AUDIT_PAGE).map((e) => ({ ...e })),
      more: this.ops.audit.length > AUDIT_PAGE,
    }));
  }

  auditExportCsv(): Promise<string | null> {
    return this.step("audit_export_csv", undefined, () => "/home/user/Downloads/etrack-command-log.csv");
  }

  mileageReport(imeis: string[], begin: number, end: number): Promise<MileageReport> {
    return this.step("mileage_report", { imeis, begin, end }, () => {
      this.requireSession();
      return this.ops.mileage(imeis, begin, end);
    });
  }

  mileageCancel(): Promise<void> {
    return this.step("mileage_cancel", undefined, () => undefined);
  }

  mileageSaveCsv(csv: string, begin: number, end: number): Promise<string | null> {
    return this.step("mileage_save_csv", { csv, begin, end }, () => "/home/user/Downloads/etrack-mileage.csv");
  }

  mileageSaveXlsx(begin: number, end: number, headers: string[]): Promise<ReportExported | null> {
    return this.step("mileage_save_xlsx", { begin, end, headers }, () => ({ path: "/home/user/Downloads/etrack-mileage.xlsx", count: 0 }));
  }

  accountsList(): Promise<UserInfo[]> {
    return this.step("accounts_list", undefined, () => {
      this.requireSession();
      return this.ops.list();
    });
  }

  accountProfile(): Promise<UserInfo> {
    return this.step("account_profile", undefined, () => {
      this.requireSession();
      return this.ops.profile();
    });
  }

  accountBlockPrepare(account: string, block: boolean): Promise<AccountActionPreview> {
    return this.step("account_block_prepare", { account, block }, () => this.ops.prepareBlock(account, block));
  }

  accountBlockConfirm(confirmationId: string): Promise<UserInfo> {
    return this.step("account_block_confirm", { confirmationId }, () => this.ops.confirmBlock(confirmationId));
  }

  accountBlockDiscard(confirmationId: string): Promise<void> {
    return this.step("account_block_discard", { confirmationId }, () => this.ops.discard(confirmationId));
  }

  messageSend(accounts: string[], content: string): Promise<MessageSendResult> {
    return this.step("message_send", { accounts, content }, () => this.ops.sendMessage(accounts, content));
  }

  geofenceList(): Promise<GeofenceListing> {
    return this.step("geofence_list", undefined, () => {
      this.requireSession();
      return this.geo.listing();
    });
  }

  geofenceCreate(draft: GeofenceDraft): Promise<GeofenceSaveResult> {
    return this.step("geofence_create", { draft }, () => {
      const s = this.requireSession();
      this.requireReachable(s.providerUrl);
      return this.geo.create(draft);
    });
  }

  geofenceForget(id: string): Promise<GeofenceListing> {
    return this.step("geofence_forget", { id }, () => this.geo.forget(id));
  }

  geofenceExport(): Promise<ExportedFile | null> {
    return this.step("geofence_export", undefined, () => this.geo.exportFile());
  }

  geofenceImport(text: string): Promise<GeofenceImportResult> {
    return this.step("geofence_import", { text }, () => this.geo.import(text));
  }

  alarmsQuery(imeis: string[], begin: number, end: number): Promise<AlarmQueryResult> {
    return this.step("alarms_query", { imeis, begin, end }, () => {
      const s = this.requireSession();
      this.requireReachable(s.providerUrl);
      return this.geo.query(imeis, begin, end);
    });
  }

  alarmsCancel(): Promise<void> {
    return this.step("alarms_cancel", undefined, () => undefined);
  }

  alarmsSaveCsv(csv: string, rows: number): Promise<ExportedFile | null> {
    return this.step("alarms_save_csv", { rows }, () => {
      this.geo.lastCsv = csv;
      return this.geo.exportPath === null ? null : { path: `${this.geo.exportPath}.csv`, count: rows };
    });
  }

  alarmsWatchGet(): Promise<WatchOverview> {
    return this.step("alarms_watch_get", undefined, () => this.geo.overview());
  }

  alarmsWatchSet(settings: WatchSettings): Promise<WatchOverview> {
    return this.step("alarms_watch_set", { settings }, () => this.geo.setWatch(settings));
  }

  alarmsMarkRead(): Promise<void> {
    return this.step("alarms_mark_read", undefined, () => this.geo.markRead());
  }

  /** The notification words the UI sent last (null: none yet, the backend's English). */
  noticeWords: NoticeWords | null = null;

  noticeWordsSet(words: NoticeWords): Promise<void> {
    return this.step("notice_words_set", { words }, () => {
      this.noticeWords = words;
    });
  }

  async onAlarmsNew(handler: (event: AlarmsNewEvent) => void): Promise<Unsubscribe> {
    return this.geo.onNew(handler);
  }

  async onAlarmWatchStatus(handler: (status: WatchStatus) => void): Promise<Unsubscribe> {
    return this.geo.onStatus(handler);
  }

  async onAlarmsProgress(handler: (progress: AlarmProgress) => void): Promise<Unsubscribe> {
    return this.geo.onProgress(handler);
  }

  basemapsList(): Promise<Basemap[]> {
    return this.step("basemaps_list", undefined, () => this.tiles.list(this.settings));
  }

  tileCacheInfo(): Promise<TileCacheInfo> {
    return this.step("tile_cache_info", undefined, () => this.tiles.info(this.settings));
  }

  tileCacheClear(): Promise<TileCacheInfo> {
    return this.step("tile_cache_clear", undefined, () => this.tiles.clear(this.settings));
  }

  historyInfo(): Promise<HistoryInfo> {
    return this.step("history_info", undefined, () => this.storedHistory.info(this.settings));
  }

  historyClear(): Promise<HistoryInfo> {
    return this.step("history_clear", undefined, () => {
      this.requireSession();
      return this.storedHistory.clear(this.settings);
    });
  }

  addressLookup(points: GeoPoint[], language: string, channel: string): Promise<Array<string | null>> {
    return this.step("address_lookup", { points, language, channel }, () => this.geocoder.lookup(this.settings, points, language, channel));
  }

  tileUrlTemplate(layerId: string): string | null {
    return this.tiles.urlTemplate(layerId);
  }

  async reportRun(request: ReportRequest): Promise<ReportResult> {
    return await this.step("report_run", { request }, () => {
      this.requireSession();
      return this.reports.run(request);
    });
  }

  reportCancel(requestId: number): Promise<void> {
    // Answers at once, like the backend, while the run it cancels goes on to its next vehicle.
    this.calls.push({ cmd: "report_cancel", args: { requestId } });
    this.reports.cancel(requestId);
    return Promise.resolve();
  }

  reportExport(requestId: number, format: ReportExportFormat, headers: string[], language: string | null = null): Promise<ReportExported | null> {
    return this.step("report_export", { requestId, format, headers, language }, () => this.reports.export(requestId, format, headers));
  }

  async onReportProgress(handler: (progress: ReportProgress) => void): Promise<Unsubscribe> {
    return this.reports.onProgress(handler);
  }

  // ---- test and preview controls ----

  /** Emits a live-update as the backend's poller would (or a live-status failure when unreachable). */
  poll(): LiveUpdate | null {
    if (!this.session) return null;
    const started = performance.now();
    if (!this.reachable) {
      this.emitStatus({
        state: "unreachable",
        message: `Cannot reach the provider at ${this.session.providerUrl}: connection refused`,
        lastOk: this.lastOk,
      });
      return null;
    }
    const update = {
      at: this.now(),
      tracks: this.subfleets.tracksShown(this.tracks).map((t) => ({ ...t })),
      durationMs: performance.now() - started,
    };
    this.last = update;
    this.lastOk = update.at as number;
    for (const h of this.updateHandlers) h(update);
    this.emitStatus({ state: "ok", message: null, lastOk: this.lastOk });
    return update;
  }

  /** Moves the fleet on by `dtSecs` (the next poll reports it). */
  advance(dtSecs: number): void {
    this.tracks = advanceFleet(this.tracks, dtSecs, this.rand, this.now());
  }

  emitStatus(status: LiveStatus): void {
    for (const h of this.statusHandlers) h(status);
  }

  /** Drives the fleet like the real poller, every `settings.refreshSecs` (browser preview). */
  startAutoRefresh(): void {
    this.stopAutoRefresh();
    const secs = this.settings.refreshSecs || 10;
    this.timer = setInterval(() => {
      this.advance(secs);
      this.poll();
    }, secs * 1000);
  }

  stopAutoRefresh(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
