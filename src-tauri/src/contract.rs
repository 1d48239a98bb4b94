// The IPC contract: every command the UI may call and every event it may hear, declared once.
//
// Each row: the command's name, its arguments (the UI sends them in camelCase), its result and
// the one call into `etrack_app::AppContext` that serves it. `src/ipc.rs` turns the table into the
// Tauri commands, the invoke handler and the description that generates
// `ui/src/bindings/commands.ts` and `capabilities/`; `build.rs` includes this file too, for the
// per-command permissions. Rows under `#[cfg(feature = "e2e")]` are demo-only test hooks that a
// build without the `e2e` feature does not contain.
//
// This file is plain tokens for both readers: keep it to the one `ipc_contract!` call.

ipc_contract! {
    commands {
        /// Signs in with the remembered account, if the keychain has it.
        fn session_restore() -> RestoreResult = |ctx| ctx.session_restore().await;
        /// Signs in with a password (the only time a password crosses IPC, towards the backend).
        fn session_login(provider_url: String, account: String, password: String, remember: bool) -> SessionInfo
            = |ctx| {
                // Wiped from memory once the hash is made and the sign-in is done.
                let password = zeroize::Zeroizing::new(password);
                ctx.session_login(&provider_url, &account, &password, remember).await
            };
        /// Starts the built-in demo service and signs into it.
        fn session_demo() -> SessionInfo = |ctx| ctx.session_demo().await;
        /// Signs out.
        fn session_logout() -> () = |ctx| ctx.session_logout().await;
        /// Who is signed in.
        fn session_current() -> Option<SessionInfo> = |ctx| Ok(ctx.session_current().await);
        /// The accounts that can be switched to.
        fn session_saved_accounts() -> Vec<SavedAccount> = |ctx| Ok(ctx.session_saved_accounts());
        /// Signs in with a saved account.
        fn session_switch(account: String, provider_url: String) -> SessionInfo
            = |ctx| ctx.session_switch(&account, &provider_url).await;

        /// The account's devices, completed by their detail.
        fn fleet_devices() -> Vec<Device> = |ctx| ctx.fleet_devices().await;
        /// Shows a sub-customer's fleet (`null`: the account's own); a refusal changes nothing.
        fn fleet_open(account: Option<String>) -> FleetOpened = |ctx| ctx.fleet_open(account.as_deref()).await;
        /// Whose fleet is shown.
        fn fleet_scope() -> FleetScope = |ctx| ctx.fleet_scope().await;
        /// The latest live update, if any.
        fn live_snapshot() -> Option<LiveUpdate> = |ctx| Ok(ctx.live_snapshot().await);
        /// Polls now.
        fn live_refresh_now() -> () = |ctx| ctx.live_refresh_now().await;
        /// The settings.
        fn settings_get() -> Settings = |ctx| Ok(ctx.settings_get());
        /// Validates and saves the settings; the poller restarts with the new interval.
        fn settings_set(settings: Settings) -> Settings = |ctx| ctx.settings_set(settings).await;
        /// The basemaps: the built-in ones, then the custom ones of the settings.
        fn basemaps_list() -> Vec<Basemap> = |ctx| Ok(ctx.basemaps());
        /// How big the tile cache is.
        fn tile_cache_info() -> TileCacheInfo = |ctx| Ok(ctx.tile_cache_info().await);
        /// Removes every cached tile.
        fn tile_cache_clear() -> TileCacheInfo = |ctx| ctx.tile_cache_clear().await;
        /// How big the signed-in account's stored history is (with a notice about it, if any).
        fn history_info() -> HistoryInfo = |ctx| ctx.history_info().await;
        /// Deletes the signed-in account's stored history; its size afterwards.
        fn history_clear() -> HistoryInfo = |ctx| ctx.history_clear().await;

        /// Each point's street address in `language` (`null`: off, unknown or not yet), cached first.
        /// Then the service for a few places; a newer call on the same `channel` stops this
        /// one asking.
        fn address_lookup(points: Vec<GeoPoint>, language: String, channel: String) -> Vec<Option<String>>
            = |ctx| ctx.address_lookup(points, &language, &channel).await;

        /// Version, licence and platform, for the About dialog.
        fn app_about() -> AboutInfo = |ctx| Ok(ctx.app_about());
        /// Asks the update service whether a newer version is offered.
        fn update_check() -> UpdateCheck = |ctx| ctx.update_check().await;
        /// Downloads, verifies and installs the offered version, with "update-progress" events.
        fn update_install(version: String) -> UpdateInstalled = |ctx| ctx.update_install(version).await;
        /// Restarts the app to run an installed update.
        fn app_restart() -> () = |ctx| { ctx.app_restart(); Ok(()) };

        /// Loads a device's history, with "playback-progress" events tagged `request_id`.
        fn playback_load(request_id: u32, imei: String, begin: i64, end: i64) -> PlaybackLoaded
            = |ctx| ctx.playback_load(request_id, &imei, begin, end).await;
        /// Cancels a load (what it fetched so far is kept and shown).
        fn playback_cancel(request_id: u32) -> bool = |ctx| Ok(ctx.playback_cancel(request_id));
        /// The loaded points, binary: five little-endian f64 columns.
        fn playback_points(imei: String, begin: i64, end: i64) -> Binary
            = |ctx| ctx.playback_points(&imei, begin, end).await.map(Binary);
        /// Writes the loaded history to a file the user picks (`null`: dialog dismissed).
        fn playback_export(imei: String, begin: i64, end: i64, format: Format, name: String) -> Option<ExportDone>
            = |ctx| ctx.playback_export(&imei, begin, end, format, &name).await;

        /// The signed-in account's recorded geofences.
        fn geofence_list() -> GeofenceListing = |ctx| ctx.geofence_list().await;
        /// Creates a geofence at the provider for each vehicle, once each; records what succeeded.
        fn geofence_create(draft: GeofenceDraft) -> GeofenceSaveResult = |ctx| ctx.geofence_create(draft).await;
        /// Forgets a recorded geofence on this computer.
        fn geofence_forget(id: String) -> GeofenceListing = |ctx| ctx.geofence_forget(&id).await;
        /// Saves the account's geofences as GeoJSON where the user picks.
        fn geofence_export() -> Option<ExportedFile> = |ctx| ctx.geofence_export().await;
        /// Records the geofences of a GeoJSON text.
        fn geofence_import(text: String) -> GeofenceImportResult = |ctx| ctx.geofence_import(&text).await;

        /// The alarms of vehicles over a period, with "alarms-progress" events.
        fn alarms_query(imeis: Vec<String>, begin: i64, end: i64) -> AlarmQueryResult
            = |ctx| ctx.alarms_query(&imeis, begin, end).await;
        /// Cancels the alarm query in flight.
        fn alarms_cancel() -> () = |ctx| {
            ctx.alarms_cancel();
            Ok(())
        };
        /// Saves the alarms table's CSV where the user picks.
        fn alarms_save_csv(csv: String, rows: u32) -> Option<ExportedFile> = |ctx| ctx.alarms_save_csv(csv, rows).await;
        /// The watch settings, the watcher's state and the latest notified alarms.
        fn alarms_watch_get() -> WatchOverview = |ctx| ctx.alarms_watch_get().await;
        /// Saves the watch settings.
        fn alarms_watch_set(settings: WatchSettings) -> WatchOverview = |ctx| ctx.alarms_watch_set(settings).await;
        /// The user has seen the new alarms.
        fn alarms_mark_read() -> () = |ctx| {
            ctx.alarms_mark_read();
            Ok(())
        };
        /// The desktop notifications' words in the user's language (templates the backend fills).
        fn notice_words_set(words: NoticeWords) -> () = |ctx| {
            ctx.notice_words_set(words);
            Ok(())
        };

        /// What a command will do, with a one-time confirmation id. Sends nothing.
        fn command_prepare(imei: String, command: Command) -> CommandPreview
            = |ctx| ctx.command_prepare(&imei, command).await;
        /// Sends the prepared command and waits for the reply ("command-progress" events).
        fn command_confirm(confirmation_id: String, typed: Option<String>) -> CommandResult
            = |ctx| ctx.command_confirm(&confirmation_id, typed.as_deref()).await;
        /// Stops waiting for a sent command's reply.
        fn command_stop_waiting(confirmation_id: String) -> bool = |ctx| Ok(ctx.command_stop_waiting(&confirmation_id));
        /// Voids a confirmation id.
        fn command_discard(confirmation_id: String) -> () = |ctx| {
            ctx.command_discard(&confirmation_id);
            Ok(())
        };
        /// The latest entries of the audit log, oldest first (all of them go into the CSV).
        fn audit_list() -> AuditPage = |ctx| ctx.audit_list();
        /// Saves the audit log as CSV where the user picks.
        fn audit_export_csv() -> Option<String> = |ctx| ctx.audit_export_csv().await;

        /// Kilometres per vehicle over a period.
        fn mileage_report(imeis: Vec<String>, begin: i64, end: i64) -> MileageReport
            = |ctx| ctx.mileage_report(&imeis, begin, end).await;
        /// Cancels the report in flight.
        fn mileage_cancel() -> () = |ctx| {
            ctx.mileage_cancel();
            Ok(())
        };
        /// Saves the report's CSV where the user picks.
        fn mileage_save_csv(csv: String, begin: i64, end: i64) -> Option<String>
            = |ctx| ctx.mileage_save_csv(csv, begin, end).await;
        /// Saves the last report as an Excel workbook where the user picks, with the UI's column
        /// names (then the total row's label).
        fn mileage_save_xlsx(begin: i64, end: i64, headers: Vec<String>) -> Option<ExportedFile>
            = |ctx| ctx.mileage_save_xlsx(begin, end, headers).await;

        /// Runs a fleet report with "report-progress" events; a new one cancels the one in flight.
        fn report_run(request: ReportRequest) -> ReportResult = |ctx| ctx.report_run(request).await;
        /// Cancels report `request_id` if it runs (its rows so far come back).
        fn report_cancel(request_id: u32) -> () = |ctx| {
            ctx.report_cancel(request_id);
            Ok(())
        };
        /// Saves report `request_id`'s last result as XLSX or CSV (column names: the UI's, else English).
        /// With a geocoder set, the kinds with places get address columns (in `language`).
        fn report_export(request_id: u32, format: ReportFormat, headers: Vec<String>, language: Option<String>) -> Option<ExportedFile>
            = |ctx| ctx.report_export(request_id, format, headers, language.as_deref().unwrap_or("")).await;

        /// The signed-in account's sub-customers.
        fn accounts_list() -> Vec<UserInfo> = |ctx| ctx.accounts_list().await;
        /// The signed-in account's own information.
        fn account_profile() -> UserInfo = |ctx| ctx.account_profile().await;
        /// What blocking (or unblocking) an account will do, with a one-time confirmation id.
        fn account_block_prepare(account: String, block: bool) -> AccountActionPreview
            = |ctx| ctx.account_block_prepare(&account, block).await;
        /// Blocks or unblocks as prepared.
        fn account_block_confirm(confirmation_id: String) -> UserInfo
            = |ctx| ctx.account_block_confirm(&confirmation_id).await;
        /// Voids a block/unblock confirmation id.
        fn account_block_discard(confirmation_id: String) -> () = |ctx| {
            ctx.account_block_discard(&confirmation_id);
            Ok(())
        };
        /// Sends a message to accounts, 200 a request.
        fn message_send(accounts: Vec<String>, content: String) -> MessageSendResult
            = |ctx| ctx.message_send(&accounts, &content).await;

        /// Demo only: what the built-in simulator received.
        #[cfg(feature = "e2e")]
        fn demo_request_log(path: Option<String>, since: Option<u32>) -> Vec<DemoRequest>
            = |ctx| ctx.demo_request_log(path.as_deref(), since.unwrap_or(0));
        /// Demo only: moves the demo clock ahead (0 just reads it).
        #[cfg(feature = "e2e")]
        fn demo_clock_advance(secs: u64) -> DemoClockInfo = |ctx| ctx.demo_clock_advance(secs).await;
        /// Demo only: the geofences the simulator was asked to create.
        #[cfg(feature = "e2e")]
        fn demo_sim_geofences() -> Vec<DemoSimGeofence> = |ctx| ctx.demo_sim_geofences().await;
        /// Demo only: takes the demo's provider down (server errors) or brings it back.
        #[cfg(feature = "e2e")]
        fn demo_provider_reachable(reachable: bool) -> () = |ctx| ctx.demo_provider_reachable(reachable).await;
    }
    events {
        LiveUpdate,
        LiveStatus,
        PlaybackProgress,
        CommandProgress,
        AlarmsNewEvent,
        WatchStatus,
        AlarmProgress,
        UpdateProgress,
        ReportProgress,
    }
}
