/**
 * The one door to the Rust backend: every Tauri command and event goes through `IBackend`.
 * Views and state never import @tauri-apps/api; tests hand them the fake in backend-fake.ts.
 */
import { convertFileSrc, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";
import type {
  Device,
  ErrorKind,
  IpcError,
  LiveStatus,
  LiveUpdate,
  RestoreResult,
  SavedAccount,
  SessionInfo,
  Settings,
} from "./bindings";
import { contractCommands, ERROR_KINDS, type EventPayloads } from "./bindings/commands";
import type { ExportDone, ExportFormat, PlaybackLoaded, PlaybackProgress } from "./bindings";
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
import type { AboutInfo, UpdateCheck, UpdateInstalled, UpdateProgress } from "./bindings";
import type { Basemap, TileCacheInfo } from "./bindings";
import type { GeoPoint, HistoryInfo } from "./bindings";
import type { FleetOpened, FleetScope } from "./bindings";
import type { NoticeWords } from "./bindings";
import type { ExportedFile as ReportExported, ReportFormat as ReportExportFormat, ReportProgress, ReportRequest, ReportResult } from "./bindings";

/** Stops an event subscription. */
export type Unsubscribe = () => void;

export interface PlaybackExportArgs {
  imei: string;
  begin: number;
  end: number;
  format: ExportFormat;
  /** Names the track and the suggested file. */
  name: string;
}

export interface LoginArgs {
  providerUrl: string;
  account: string;
  password: string;
  remember: boolean;
}

/** Every command of the IPC contract, typed; all reject with a `BackendError` (an `IpcError`). */
export interface IBackend {
  /** The window's title bar, in the user's language. */
  setWindowTitle(title: string): Promise<void>;
  sessionRestore(): Promise<RestoreResult>;
  sessionLogin(args: LoginArgs): Promise<SessionInfo>;
  sessionDemo(): Promise<SessionInfo>;
  sessionLogout(): Promise<void>;
  sessionCurrent(): Promise<SessionInfo | null>;
  sessionSavedAccounts(): Promise<SavedAccount[]>;
  sessionSwitch(account: string, providerUrl: string): Promise<SessionInfo>;
  fleetDevices(): Promise<Device[]>;
  /**
   * Shows a sub-customer's fleet (null: the account's own): its devices, and the poller follows
   * it. Rejects (nothing changed) when the provider refuses the account.
   */
  fleetOpen(account: string | null): Promise<FleetOpened>;
  /** Whose fleet is shown. */
  fleetScope(): Promise<FleetScope>;
  liveSnapshot(): Promise<LiveUpdate | null>;
  liveRefreshNow(): Promise<void>;
  settingsGet(): Promise<Settings>;
  settingsSet(settings: Settings): Promise<Settings>;
  // The app itself: About facts, updates (check -> install the offered version -> restart).
  appAbout(): Promise<AboutInfo>;
  /** Asks the update service; `available` is null when this version is the latest. */
  updateCheck(): Promise<UpdateCheck>;
  /**
   * Downloads, verifies and installs `version` (the one the last check offered); "update-progress"
   * events on the way. Rejects, nothing installed, when e.g. the signature does not match.
   */
  updateInstall(version: string): Promise<UpdateInstalled>;
  /** Restarts the app to run an installed update. */
  appRestart(): Promise<void>;
  onUpdateProgress(handler: (progress: UpdateProgress) => void): Promise<Unsubscribe>;
  onLiveUpdate(handler: (update: LiveUpdate) => void): Promise<Unsubscribe>;
  onLiveStatus(handler: (status: LiveStatus) => void): Promise<Unsubscribe>;
  /** Loads a device's history; "playback-progress" events tagged `requestId` report on the way. */
  playbackLoad(requestId: number, imei: string, begin: number, end: number): Promise<PlaybackLoaded>;
  /** The loaded points, binary (see lib/playbackRoute.ts decodeRoute). */
  playbackPoints(imei: string, begin: number, end: number): Promise<ArrayBuffer>;
  playbackCancel(requestId: number): Promise<boolean>;
  /** Writes the loaded history through the save dialog; null when the dialog was dismissed. */
  playbackExport(args: PlaybackExportArgs): Promise<ExportDone | null>;
  onPlaybackProgress(handler: (progress: PlaybackProgress) => void): Promise<Unsubscribe>;
  // Device commands: prepare (sends nothing) -> confirm with the id (sends once) -> reply.
  commandPrepare(imei: string, command: Command): Promise<CommandPreview>;
  /** Sends and waits for the reply; "command-progress" events tagged with the id on the way. */
  commandConfirm(confirmationId: string, typed: string | null): Promise<CommandResult>;
  commandStopWaiting(confirmationId: string): Promise<boolean>;
  /** Voids the id (the dialog was cancelled). */
  commandDiscard(confirmationId: string): Promise<void>;
  onCommandProgress(handler: (progress: CommandProgress) => void): Promise<Unsubscribe>;
  /** The latest entries (a page), oldest first; `more` when older ones exist (they are in the CSV). */
  auditList(): Promise<AuditPage>;
  /** Saves the audit log as CSV through the save dialog; the path, or null when dismissed. */
  auditExportCsv(): Promise<string | null>;
  mileageReport(imeis: string[], begin: number, end: number): Promise<MileageReport>;
  mileageCancel(): Promise<void>;
  mileageSaveCsv(csv: string, begin: number, end: number): Promise<string | null>;
  /** Saves the last mileage report (of `begin`..`end`) as an Excel workbook through the save dialog, with the
   * six column names then the total row's label; the file, or null when dismissed. */
  mileageSaveXlsx(begin: number, end: number, headers: string[]): Promise<ReportExported | null>;
  accountsList(): Promise<UserInfo[]>;
  accountProfile(): Promise<UserInfo>;
  accountBlockPrepare(account: string, block: boolean): Promise<AccountActionPreview>;
  accountBlockConfirm(confirmationId: string): Promise<UserInfo>;
  accountBlockDiscard(confirmationId: string): Promise<void>;
  messageSend(accounts: string[], content: string): Promise<MessageSendResult>;
  // Geofences made in this app (the provider cannot list them) and alarms.
  geofenceList(): Promise<GeofenceListing>;
  /** One create request per vehicle, each sent once; per-vehicle results; only successes recorded. */
  geofenceCreate(draft: GeofenceDraft): Promise<GeofenceSaveResult>;
  /** Forgets a recorded geofence on this computer (the provider keeps it). */
  geofenceForget(id: string): Promise<GeofenceListing>;
  /** Saves the account's geofences as GeoJSON through the save dialog; null when dismissed. */
  geofenceExport(): Promise<ExportedFile | null>;
  geofenceImport(text: string): Promise<GeofenceImportResult>;
  /** Alarms of vehicles over a period, newest first; "alarms-progress" events on the way. */
  alarmsQuery(imeis: string[], begin: number, end: number): Promise<AlarmQueryResult>;
  alarmsCancel(): Promise<void>;
  /** Saves the alarms table as CSV through the save dialog; null when dismissed. */
  alarmsSaveCsv(csv: string, rows: number): Promise<ExportedFile | null>;
  alarmsWatchGet(): Promise<WatchOverview>;
  alarmsWatchSet(settings: WatchSettings): Promise<WatchOverview>;
  /** The user looked at the new alarms: the badge goes back to 0. */
  alarmsMarkRead(): Promise<void>;
  /** The desktop notifications' words in the language in use (lib/noticeWords.ts). */
  noticeWordsSet(words: NoticeWords): Promise<void>;
  onAlarmsNew(handler: (event: AlarmsNewEvent) => void): Promise<Unsubscribe>;
  onAlarmWatchStatus(handler: (status: WatchStatus) => void): Promise<Unsubscribe>;
  onAlarmsProgress(handler: (progress: AlarmProgress) => void): Promise<Unsubscribe>;
  // Maps: the layers (built-in and the settings' custom ones) and the tile cache.
  basemapsList(): Promise<Basemap[]>;
  tileCacheInfo(): Promise<TileCacheInfo>;
  /** Empties the tile cache; its size afterwards. */
  tileCacheClear(): Promise<TileCacheInfo>;
  /** How big the signed-in account's stored history is (playback points and alarms), with a notice about it. */
  historyInfo(): Promise<HistoryInfo>;
  /** Deletes the signed-in account's stored history; its size afterwards. */
  historyClear(): Promise<HistoryInfo>;
  /**
   * Street addresses of positions from the Settings' geocoder (null: none set, unknown, or not
   * looked up yet), in `language`; a newer call on the same `channel` stops an older one.
   */
  addressLookup(points: GeoPoint[], language: string, channel: string): Promise<Array<string | null>>;
  /**
   * The `{z}/{x}/{y}` URL template a map layer's tiles load from, or null when there are none
   * (the offline basemap shows alone). Synchronous: no command, only the URL of the backend's
   * tile protocol.
   */
  tileUrlTemplate(layerId: string): string | null;
  // Reports (views/reports): computed by the backend from the stored history, per vehicle.
  /** Runs a report; "report-progress" events tagged `requestId` on the way; partial rows with the error when it stops early. */
  reportRun(request: ReportRequest): Promise<ReportResult>;
  reportCancel(requestId: number): Promise<void>;
  /** Saves the rows of a report run with `requestId` through the save dialog, under `headers`; null when dismissed. */
  reportExport(requestId: number, format: ReportExportFormat, headers: string[], language: string | null): Promise<ReportExported | null>;
  onReportProgress(handler: (progress: ReportProgress) => void): Promise<Unsubscribe>;
}


/** A failed command, carrying the backend's `IpcError` as is (its message is for people). */
export class BackendError extends Error implements IpcError {
  readonly kind: ErrorKind;
  readonly apiCode: number | null;
  readonly reason?: string;

  constructor(err: IpcError) {
    super(err.message);
    this.name = "BackendError";
    this.kind = err.kind;
    this.apiCode = err.apiCode ?? null;
    if (typeof err.reason === "string") this.reason = err.reason;
  }

  /** The plain IpcError, e.g. to compare in tests. */
  toJSON(): IpcError {
    return this.reason === undefined
      ? { kind: this.kind, message: this.message, apiCode: this.apiCode }
      : { kind: this.kind, message: this.message, apiCode: this.apiCode, reason: this.reason };
  }
}

function isIpcError(v: unknown): v is IpcError {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.message === "string" && typeof o.kind === "string" && ERROR_KINDS.includes(o.kind as ErrorKind);
}

/**
 * Whatever a rejected invoke() produced, as a BackendError. Tauri itself rejects with a bare string
 * when a command is missing or its arguments do not deserialise: that is our bug, "internal".
 */
export function toBackendError(e: unknown): BackendError {
  if (e instanceof BackendError) return e;
  if (isIpcError(e)) return new BackendError(e);
  const message =
    typeof e === "string" ? e : e instanceof Error ? e.message : "Something went wrong in the app.";
  return new BackendError({ kind: "internal", message, apiCode: null });
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toBackendError(e);
  }
}

/** The generated commands of the contract, over `call`. */
const ipc = contractCommands(call);

/** Subscribes to a contract event; the payload type follows from the name. */
function on<K extends keyof EventPayloads>(name: K, handler: (payload: EventPayloads[K]) => void): Promise<Unsubscribe> {
  return listen<EventPayloads[K]>(name, (e) => handler(e.payload));
}

/** The real backend, over Tauri IPC: every method is a command or event of the generated contract. */
export class TauriBackend implements IBackend {
  setWindowTitle(title: string): Promise<void> {
    document.title = title;
    return getCurrentWindow().setTitle(title);
  }
  sessionRestore = ipc.sessionRestore;
  sessionLogin(args: LoginArgs): Promise<SessionInfo> {
    return ipc.sessionLogin(args.providerUrl, args.account, args.password, args.remember);
  }
  sessionDemo = ipc.sessionDemo;
  sessionLogout = ipc.sessionLogout;
  sessionCurrent = ipc.sessionCurrent;
  sessionSavedAccounts = ipc.sessionSavedAccounts;
  sessionSwitch = ipc.sessionSwitch;
  fleetDevices = ipc.fleetDevices;
  fleetOpen = ipc.fleetOpen;
  fleetScope = ipc.fleetScope;
  liveSnapshot = ipc.liveSnapshot;
  liveRefreshNow = ipc.liveRefreshNow;
  settingsGet = ipc.settingsGet;
  settingsSet = ipc.settingsSet;
  appAbout = ipc.appAbout;
  updateCheck = ipc.updateCheck;
  updateInstall = ipc.updateInstall;
  appRestart = ipc.appRestart;
  onUpdateProgress(handler: (progress: UpdateProgress) => void): Promise<Unsubscribe> {
    return on("update-progress", handler);
  }
  onLiveUpdate(handler: (update: LiveUpdate) => void): Promise<Unsubscribe> {
    return on("live-update", handler);
  }
  onLiveStatus(handler: (status: LiveStatus) => void): Promise<Unsubscribe> {
    return on("live-status", handler);
  }
  playbackLoad = ipc.playbackLoad;
  playbackPoints = ipc.playbackPoints;
  playbackCancel = ipc.playbackCancel;
  playbackExport(args: PlaybackExportArgs): Promise<ExportDone | null> {
    return ipc.playbackExport(args.imei, args.begin, args.end, args.format, args.name);
  }
  onPlaybackProgress(handler: (progress: PlaybackProgress) => void): Promise<Unsubscribe> {
    return on("playback-progress", handler);
  }
  commandPrepare = ipc.commandPrepare;
  commandConfirm = ipc.commandConfirm;
  commandStopWaiting = ipc.commandStopWaiting;
  commandDiscard = ipc.commandDiscard;
  onCommandProgress(handler: (progress: CommandProgress) => void): Promise<Unsubscribe> {
    return on("command-progress", handler);
  }
  auditList = ipc.auditList;
  auditExportCsv = ipc.auditExportCsv;
  mileageReport = ipc.mileageReport;
  mileageCancel = ipc.mileageCancel;
  mileageSaveCsv = ipc.mileageSaveCsv;
  mileageSaveXlsx = ipc.mileageSaveXlsx;
  accountsList = ipc.accountsList;
  accountProfile = ipc.accountProfile;
  accountBlockPrepare = ipc.accountBlockPrepare;
  accountBlockConfirm = ipc.accountBlockConfirm;
  accountBlockDiscard = ipc.accountBlockDiscard;
  messageSend = ipc.messageSend;
  geofenceList = ipc.geofenceList;
  geofenceCreate = ipc.geofenceCreate;
  geofenceForget = ipc.geofenceForget;
  geofenceExport = ipc.geofenceExport;
  geofenceImport = ipc.geofenceImport;
  alarmsQuery = ipc.alarmsQuery;
  alarmsCancel = ipc.alarmsCancel;
  alarmsSaveCsv = ipc.alarmsSaveCsv;
  alarmsWatchGet = ipc.alarmsWatchGet;
  alarmsWatchSet = ipc.alarmsWatchSet;
  alarmsMarkRead = ipc.alarmsMarkRead;
  noticeWordsSet = ipc.noticeWordsSet;
  onAlarmsNew(handler: (event: AlarmsNewEvent) => void): Promise<Unsubscribe> {
    return on("alarms-new", handler);
  }
  onAlarmWatchStatus(handler: (status: WatchStatus) => void): Promise<Unsubscribe> {
    return on("alarm-watch-status", handler);
  }
  onAlarmsProgress(handler: (progress: AlarmProgress) => void): Promise<Unsubscribe> {
    return on("alarms-progress", handler);
  }
  basemapsList = ipc.basemapsList;
  tileCacheInfo = ipc.tileCacheInfo;
  tileCacheClear = ipc.tileCacheClear;
  historyInfo = ipc.historyInfo;
  addressLookup = ipc.addressLookup;
  historyClear = ipc.historyClear;
  tileUrlTemplate(layerId: string): string {
    return tileProtocolUrl(layerId, (path, protocol) => convertFileSrc(path, protocol));
  }
  reportRun = ipc.reportRun;
  reportCancel = ipc.reportCancel;
  reportExport = ipc.reportExport;
  onReportProgress(handler: (progress: ReportProgress) => void): Promise<Unsubscribe> {
    return on("report-progress", handler);
  }
}

/**
 * The backend's `etrack-tile` protocol URL of a layer's tiles: `etrack-tile://localhost/<id>/…` on
 * Linux and macOS, `http://etrack-tile.localhost/<id>/…` on Windows. Tauri's own convertFileSrc
 * knows which form the platform's webview takes; it percent-encodes the whole path, so it is asked
 * for the base only and the template is appended (Leaflet fills in the braces).
 */
export function tileProtocolUrl(layerId: string, convert: (path: string, protocol: string) => string): string {
  const base = convert("", "etrack-tile");
  return `${base.endsWith("/") ? base : `${base}/`}${encodeURIComponent(layerId)}/{z}/{x}/{y}`;
}
