// Generated from the IPC contract (src-tauri/src/contract.rs) by `cargo test -p etrack-desktop bindings`. Do not edit.
import type { AboutInfo, AccountActionPreview, AlarmProgress, AlarmQueryResult, AlarmsNewEvent, AuditPage, Basemap, Command, CommandPreview, CommandProgress, CommandResult, DemoClockInfo, DemoRequest, DemoSimGeofence, Device, ErrorKind, ExportDone, ExportFormat, ExportedFile, FleetOpened, FleetScope, GeoPoint, GeofenceDraft, GeofenceImportResult, GeofenceListing, GeofenceSaveResult, HistoryInfo, LiveStatus, LiveUpdate, MessageSendResult, MileageReport, NoticeWords, PlaybackLoaded, PlaybackProgress, ReportFormat, ReportProgress, ReportRequest, ReportResult, RestoreResult, SavedAccount, SessionInfo, Settings, TileCacheInfo, UpdateCheck, UpdateInstalled, UpdateProgress, UserInfo, WatchOverview, WatchSettings, WatchStatus } from "./index";

/** Calls one command of the contract by name; rejects with whatever the backend threw. */
export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the IPC contract, typed, over `invoke`. */
export function contractCommands(invoke: Invoke) {
  return {
    /** Signs in with the remembered account, if the keychain has it. */
    sessionRestore: (): Promise<RestoreResult> => invoke<RestoreResult>("session_restore"),
    /** Signs in with a password (the only time a password crosses IPC, towards the backend). */
    sessionLogin: (providerUrl: string, account: string, password: string, remember: boolean): Promise<SessionInfo> => invoke<SessionInfo>("session_login", { providerUrl, account, password, remember }),
    /** Starts the built-in demo service and signs into it. */
    sessionDemo: (): Promise<SessionInfo> => invoke<SessionInfo>("session_demo"),
    /** Signs out. */
    sessionLogout: (): Promise<void> => invoke<void>("session_logout"),
    /** Who is signed in. */
    sessionCurrent: (): Promise<SessionInfo | null> => invoke<SessionInfo | null>("session_current"),
    /** The accounts that can be switched to. */
    sessionSavedAccounts: (): Promise<Array<SavedAccount>> => invoke<Array<SavedAccount>>("session_saved_accounts"),
    /** Signs in with a saved account. */
    sessionSwitch: (account: string, providerUrl: string): Promise<SessionInfo> => invoke<SessionInfo>("session_switch", { account, providerUrl }),
    /** The account's devices, completed by their detail. */
    fleetDevices: (): Promise<Array<Device>> => invoke<Array<Device>>("fleet_devices"),
    /** Shows a sub-customer's fleet (`null`: the account's own); a refusal changes nothing. */
    fleetOpen: (account: string | null): Promise<FleetOpened> => invoke<FleetOpened>("fleet_open", { account }),
    /** Whose fleet is shown. */
    fleetScope: (): Promise<FleetScope> => invoke<FleetScope>("fleet_scope"),
    /** The latest live update, if any. */
    liveSnapshot: (): Promise<LiveUpdate | null> => invoke<LiveUpdate | null>("live_snapshot"),
    /** Polls now. */
    liveRefreshNow: (): Promise<void> => invoke<void>("live_refresh_now"),
    /** The settings. */
    settingsGet: (): Promise<Settings> => invoke<Settings>("settings_get"),
    /** Validates and saves the settings; the poller restarts with the new interval. */
    settingsSet: (settings: Settings): Promise<Settings> => invoke<Settings>("settings_set", { settings }),
    /** The basemaps: the built-in ones, then the custom ones of the settings. */
    basemapsList: (): Promise<Array<Basemap>> => invoke<Array<Basemap>>("basemaps_list"),
    /** How big the tile cache is. */
    tileCacheInfo: (): Promise<TileCacheInfo> => invoke<TileCacheInfo>("tile_cache_info"),
    /** Removes every cached tile. */
    tileCacheClear: (): Promise<TileCacheInfo> => invoke<TileCacheInfo>("tile_cache_clear"),
    /** How big the signed-in account's stored history is (with a notice about it, if any). */
    historyInfo: (): Promise<HistoryInfo> => invoke<HistoryInfo>("history_info"),
    /** Deletes the signed-in account's stored history; its size afterwards. */
    historyClear: (): Promise<HistoryInfo> => invoke<HistoryInfo>("history_clear"),
    /** Each point's street address in `language` (`null`: off, unknown or not yet), cached first. */
    addressLookup: (points: Array<GeoPoint>, language: string, channel: string): Promise<Array<string | null>> => invoke<Array<string | null>>("address_lookup", { points, language, channel }),
    /** Version, licence and platform, for the About dialog. */
    appAbout: (): Promise<AboutInfo> => invoke<AboutInfo>("app_about"),
    /** Asks the update service whether a newer version is offered. */
    updateCheck: (): Promise<UpdateCheck> => invoke<UpdateCheck>("update_check"),
    /** Downloads, verifies and installs the offered version, with "update-progress" events. */
    updateInstall: (version: string): Promise<UpdateInstalled> => invoke<UpdateInstalled>("update_install", { version }),
    /** Restarts the app to run an installed update. */
    appRestart: (): Promise<void> => invoke<void>("app_restart"),
    /** Loads a device's history, with "playback-progress" events tagged `request_id`. */
    playbackLoad: (requestId: number, imei: string, begin: number, end: number): Promise<PlaybackLoaded> => invoke<PlaybackLoaded>("playback_load", { requestId, imei, begin, end }),
    /** Cancels a load (what it fetched so far is kept and shown). */
    playbackCancel: (requestId: number): Promise<boolean> => invoke<boolean>("playback_cancel", { requestId }),
    /** The loaded points, binary: five little-endian f64 columns. */
    playbackPoints: (imei: string, begin: number, end: number): Promise<ArrayBuffer> => invoke<ArrayBuffer>("playback_points", { imei, begin, end }),
    /** Writes the loaded history to a file the user picks (`null`: dialog dismissed). */
    playbackExport: (imei: string, begin: number, end: number, format: ExportFormat, name: string): Promise<ExportDone | null> => invoke<ExportDone | null>("playback_export", { imei, begin, end, format, name }),
    /** The signed-in account's recorded geofences. */
    geofenceList: (): Promise<GeofenceListing> => invoke<GeofenceListing>("geofence_list"),
    /** Creates a geofence at the provider for each vehicle, once each; records what succeeded. */
    geofenceCreate: (draft: GeofenceDraft): Promise<GeofenceSaveResult> => invoke<GeofenceSaveResult>("geofence_create", { draft }),
    /** Forgets a recorded geofence on this computer. */
    geofenceForget: (id: string): Promise<GeofenceListing> => invoke<GeofenceListing>("geofence_forget", { id }),
    /** Saves the account's geofences as GeoJSON where the user picks. */
    geofenceExport: (): Promise<ExportedFile | null> => invoke<ExportedFile | null>("geofence_export"),
    /** Records the geofences of a GeoJSON text. */
    geofenceImport: (text: string): Promise<GeofenceImportResult> => invoke<GeofenceImportResult>("geofence_import", { text }),
    /** The alarms of vehicles over a period, with "alarms-progress" events. */
    alarmsQuery: (imeis: Array<string>, begin: number, end: number): Promise<AlarmQueryResult> => invoke<AlarmQueryResult>("alarms_query", { imeis, begin, end }),
    /** Cancels the alarm query in flight. */
    alarmsCancel: (): Promise<void> => invoke<void>("alarms_cancel"),
    /** Saves the alarms table's CSV where the user picks. */
    alarmsSaveCsv: (csv: string, rows: number): Promise<ExportedFile | null> => invoke<ExportedFile | null>("alarms_save_csv", { csv, rows }),
    /** The watch settings, the watcher's state and the latest notified alarms. */
    alarmsWatchGet: (): Promise<WatchOverview> => invoke<WatchOverview>("alarms_watch_get"),
    /** Saves the watch settings. */
    alarmsWatchSet: (settings: WatchSettings): Promise<WatchOverview> => invoke<WatchOverview>("alarms_watch_set", { settings }),
    /** The user has seen the new alarms. */
    alarmsMarkRead: (): Promise<void> => invoke<void>("alarms_mark_read"),
    /** The desktop notifications' words in the user's language (templates the backend fills). */
    noticeWordsSet: (words: NoticeWords): Promise<void> => invoke<void>("notice_words_set", { words }),
    /** What a command will do, with a one-time confirmation id. Sends nothing. */
    commandPrepare: (imei: string, command: Command): Promise<CommandPreview> => invoke<CommandPreview>("command_prepare", { imei, command }),
    /** Sends the prepared command and waits for the reply ("command-progress" events). */
    commandConfirm: (confirmationId: string, typed: string | null): Promise<CommandResult> => invoke<CommandResult>("command_confirm", { confirmationId, typed }),
    /** Stops waiting for a sent command's reply. */
    commandStopWaiting: (confirmationId: string): Promise<boolean> => invoke<boolean>("command_stop_waiting", { confirmationId }),
    /** Voids a confirmation id. */
    commandDiscard: (confirmationId: string): Promise<void> => invoke<void>("command_discard", { confirmationId }),
    /** The latest entries of the audit log, oldest first (all of them go into the CSV). */
    auditList: (): Promise<AuditPage> => invoke<AuditPage>("audit_list"),
    /** Saves the audit log as CSV where the user picks. */
    auditExportCsv: (): Promise<string | null> => invoke<string | null>("audit_export_csv"),
    /** Kilometres per vehicle over a period. */
    mileageReport: (imeis: Array<string>, begin: number, end: number): Promise<MileageReport> => invoke<MileageReport>("mileage_report", { imeis, begin, end }),
    /** Cancels the report in flight. */
    mileageCancel: (): Promise<void> => invoke<void>("mileage_cancel"),
    /** Saves the report's CSV where the user picks. */
    mileageSaveCsv: (csv: string, begin: number, end: number): Promise<string | null> => invoke<string | null>("mileage_save_csv", { csv, begin, end }),
    /** Saves the last report as an Excel workbook where the user picks, with the UI's column */
    mileageSaveXlsx: (begin: number, end: number, headers: Array<string>): Promise<ExportedFile | null> => invoke<ExportedFile | null>("mileage_save_xlsx", { begin, end, headers }),
    /** Runs a fleet report with "report-progress" events; a new one cancels the one in flight. */
    reportRun: (request: ReportRequest): Promise<ReportResult> => invoke<ReportResult>("report_run", { request }),
    /** Cancels report `request_id` if it runs (its rows so far come back). */
    reportCancel: (requestId: number): Promise<void> => invoke<void>("report_cancel", { requestId }),
    /** Saves report `request_id`'s last result as XLSX or CSV (column names: the UI's, else English). */
    reportExport: (requestId: number, format: ReportFormat, headers: Array<string>, language: string | null): Promise<ExportedFile | null> => invoke<ExportedFile | null>("report_export", { requestId, format, headers, language }),
    /** The signed-in account's sub-customers. */
    accountsList: (): Promise<Array<UserInfo>> => invoke<Array<UserInfo>>("accounts_list"),
    /** The signed-in account's own information. */
    accountProfile: (): Promise<UserInfo> => invoke<UserInfo>("account_profile"),
    /** What blocking (or unblocking) an account will do, with a one-time confirmation id. */
    accountBlockPrepare: (account: string, block: boolean): Promise<AccountActionPreview> => invoke<AccountActionPreview>("account_block_prepare", { account, block }),
    /** Blocks or unblocks as prepared. */
    accountBlockConfirm: (confirmationId: string): Promise<UserInfo> => invoke<UserInfo>("account_block_confirm", { confirmationId }),
    /** Voids a block/unblock confirmation id. */
    accountBlockDiscard: (confirmationId: string): Promise<void> => invoke<void>("account_block_discard", { confirmationId }),
    /** Sends a message to accounts, 200 a request. */
    messageSend: (accounts: Array<string>, content: string): Promise<MessageSendResult> => invoke<MessageSendResult>("message_send", { accounts, content }),
    /** End-to-end builds only. */
    demoRequestLog: (path: string | null, since: number | null): Promise<Array<DemoRequest>> => invoke<Array<DemoRequest>>("demo_request_log", { path, since }),
    /** End-to-end builds only. */
    demoClockAdvance: (secs: number): Promise<DemoClockInfo> => invoke<DemoClockInfo>("demo_clock_advance", { secs }),
    /** End-to-end builds only. */
    demoSimGeofences: (): Promise<Array<DemoSimGeofence>> => invoke<Array<DemoSimGeofence>>("demo_sim_geofences"),
    /** End-to-end builds only. */
    demoProviderReachable: (reachable: boolean): Promise<void> => invoke<void>("demo_provider_reachable", { reachable }),
  };
}

/** The events the backend sends, with their payloads. */
export interface EventPayloads {
  "live-update": LiveUpdate;
  "live-status": LiveStatus;
  "playback-progress": PlaybackProgress;
  "command-progress": CommandProgress;
  "alarms-new": AlarmsNewEvent;
  "alarm-watch-status": WatchStatus;
  "alarms-progress": AlarmProgress;
  "update-progress": UpdateProgress;
  "report-progress": ReportProgress;
}

/** Every event name of the contract. */
export const EVENT_NAMES = [
  "live-update",
  "live-status",
  "playback-progress",
  "command-progress",
  "alarms-new",
  "alarm-watch-status",
  "alarms-progress",
  "update-progress",
  "report-progress",
] as const satisfies readonly (keyof EventPayloads)[];

/** Every kind of error a command can fail with. */
export const ERROR_KINDS = ["api", "network", "http", "decode", "validation", "keychain", "notSignedIn", "cancelled", "internal"] as const satisfies readonly ErrorKind[];
