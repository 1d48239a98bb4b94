//! The application context: everything the IPC commands work on, built once at start from the
//! [`LaunchOptions`] and the shell's [`Host`]. Each IPC command is one method here, so the shell's
//! command functions are one line each and every flow is tested without Tauri.

use crate::accounts::{AccountActionPreview, AccountDesk, MessageSendResult};
use crate::alarm_watch::{
    AlarmNotifier, AlarmWatcher, AlarmsNewEvent, SessionSource, WatchOverview, WatchSession,
    WatchSettings, WatchStatus, WatchTiming,
};
use crate::alarms::{self, AlarmProgress, AlarmQueryResult};
use crate::audit::{self, AuditLog, AuditPage};
use crate::data_file::{utc_day, utc_stamp, ExportedFile};
use crate::demo::{self, DemoClock, DemoClockInfo, DemoRequest, DemoSimGeofence, MAX_ADVANCE_SECS};
use crate::device_commands::{
    CommandDesk, CommandEvents, CommandPreview, CommandProgress, CommandResult,
};
use crate::error::{AppError, AppResult};
use crate::geocoder::{self, GeoPoint, Geocoder};
use crate::geofences::{
    self, GeofenceDraft, GeofenceImportResult, GeofenceListing, GeofenceSaveResult, GeofenceStore,
};
use crate::host::{emit, BoxFuture, Host, SaveRequest};
use crate::jobs::LatestJob;
use crate::keychain::SecretStore;
use crate::launch::LaunchOptions;
use crate::live::{now_ms, EventSink, LiveStatus, LiveUpdate};
use crate::mileage::{self, MileageReport};
use crate::playback::{
    self, encode_points, suggested_file_name, ExportDone, HistoryKey, PlaybackLoaded,
    PlaybackProgress, PlaybackService,
};
use crate::reports::{self, ReportDesk, ReportEnv, ReportProgress, ReportRequest, ReportResult};
use crate::session::{
    FleetOpened, FleetScope, HistoryInfo, Owner, RestoreResult, SessionInfo, SessionManager,
    SignedIn,
};
use crate::settings::{SavedAccount, Settings, SettingsStore};
use crate::tiles::{Basemap, Tile, TileCacheInfo, TileError, TileService};
use crate::updates::{AboutInfo, UpdateCheck, UpdateInstalled, UpdateProgress};
use etrack::export::Format;
use etrack::{Command, GeofenceAlarm, Imei, TimeRange, UserInfo};
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// The most entries of the command log the view gets at once (all of them go into the CSV).
pub const AUDIT_PAGE: usize = 500;

/// Where the app keeps its files, resolved by the shell (launch overrides, else the platform's
/// directories).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dirs {
    /// settings.json.
    pub config: PathBuf,
    /// Geofences, alarm watch, audit log.
    pub data: PathBuf,
}

/// The app's state and its IPC commands.
pub struct AppContext {
    host: Arc<dyn Host>,
    sessions: SessionManager,
    playback: PlaybackService,
    geofences: Arc<GeofenceStore>,
    watcher: Arc<AlarmWatcher>,
    commands: CommandDesk,
    accounts: AccountDesk,
    demo_clock: Arc<DemoClock>,
    time_scale: Option<f64>,
    alarm_query: LatestJob,
    mileage: mileage::MileageDesk,
    reports: ReportDesk,
    tiles: TileService,
    geocoder: Arc<Geocoder>,
}

/// The host's events as the domain's sinks see them.
struct HostEvents(Arc<dyn Host>);

impl EventSink for HostEvents {
    fn live_update(&self, update: &LiveUpdate) {
        emit(self.0.as_ref(), update);
    }

    fn live_status(&self, status: &LiveStatus) {
        emit(self.0.as_ref(), status);
    }
}

impl AlarmNotifier for HostEvents {
    fn desktop(&self, title: &str, body: &str) -> Result<(), String> {
        self.0.notify(title, body)
    }

    fn new_alarms(&self, event: &AlarmsNewEvent) {
        emit(self.0.as_ref(), event);
    }

    fn status(&self, status: &WatchStatus) {
        emit(self.0.as_ref(), status);
    }
}

impl CommandEvents for HostEvents {
    fn progress(&self, progress: &CommandProgress) {
        emit(self.0.as_ref(), progress);
    }
}

/// The signed-in session as the alarm watcher reads it.
struct ContextSessions(Weak<AppContext>);

impl SessionSource for ContextSessions {
    fn session(&self) -> BoxFuture<'_, Option<WatchSession>> {
        Box::pin(async move {
            let ctx = self.0.upgrade()?;
            let session = ctx.sessions.signed_in().await.ok()?;
            Some(WatchSession {
                owner: Owner::of(&session.info),
                clock_offset_secs: if session.info.demo {
                    ctx.demo_clock.offset_secs()
                } else {
                    0
                },
                client: session.client,
                gate: session.gate,
            })
        })
    }
}

impl AppContext {
    /// Opens the stores in `dirs` and builds the context. Start its background work (the alarm
    /// watcher, the demo's faster clock) with [`Self::background`].
    pub fn new(
        options: &LaunchOptions,
        dirs: &Dirs,
        keychain: Arc<dyn SecretStore>,
        host: Arc<dyn Host>,
    ) -> Arc<Self> {
        Self::with_parts(options, dirs, keychain, host, WatchTiming::default())
    }

    /// [`Self::new`] with the alarm watcher's pacing (tests).
    pub fn with_parts(
        options: &LaunchOptions,
        dirs: &Dirs,
        keychain: Arc<dyn SecretStore>,
        host: Arc<dyn Host>,
        timing: WatchTiming,
    ) -> Arc<Self> {
        let settings = SettingsStore::load(&dirs.config);
        tracing::info!("settings in {}", settings.path().display());
        let events = Arc::new(HostEvents(host.clone()));
        let sessions = SessionManager::new(settings, keychain, events.clone())
            .with_demo_config(options.demo_config())
            .with_demo_at_start(options.demo_at_start)
            .with_data_dir(dirs.data.clone());
        let geofences = Arc::new(GeofenceStore::open(&dirs.data));
        tracing::info!("geofences in {}", geofences.path().display());
        let audit = Arc::new(AuditLog::in_dir(&dirs.data));
        tracing::info!("audit log in {}", audit.path().display());
        let geocoder = Arc::new(Geocoder::new(&dirs.data));
        tracing::info!("address cache in {}", geocoder.cache().path().display());
        Arc::new_cyclic(|me| Self {
            geocoder,
            tiles: {
                let me: Weak<Self> = me.clone();
                TileService::new(
                    &dirs.data,
                    Arc::new(move || {
                        // Only while the context is being built or torn down is it gone.
                        me.upgrade()
                            .map(|ctx| ctx.settings_get())
                            .unwrap_or_default()
                    }),
                )
            },
            watcher: Arc::new(AlarmWatcher::new(
                &dirs.data,
                events,
                Arc::new(ContextSessions(me.clone())),
                Some(geofences.clone()),
                timing,
            )),
            host,
            sessions,
            playback: PlaybackService::new(),
            geofences,
            commands: CommandDesk::new(audit.clone()),
            accounts: AccountDesk::new(audit),
            demo_clock: Arc::new(DemoClock::default()),
            time_scale: options.time_scale.filter(|s| *s > 1.0),
            alarm_query: LatestJob::new(),
            mileage: mileage::MileageDesk::new(),
            reports: ReportDesk::new(),
        })
    }

    /// The work that runs for the app's life: the alarm watcher and, when asked for, the demo's
    /// faster clock. The shell spawns it once on its runtime.
    pub async fn background(self: Arc<Self>) {
        let watcher = self.watcher.clone().run();
        let clock = async {
            let Some(scale) = self.time_scale else {
                return;
            };
            tracing::info!("the demo's clock runs {scale}x as fast as real time");
            let mut carry = 0.0;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                // Only once the demo runs: a real provider's clock is never touched.
                if let Some(sim) = self.sessions.demo_service() {
                    self.demo_clock
                        .advance(sim, demo::scale_step(scale, &mut carry));
                }
            }
        };
        tokio::join!(watcher, clock);
    }

    /// Stops the poller, the watcher and the demo service (at exit).
    pub async fn shutdown(&self) {
        self.watcher.stop();
        self.sessions.shutdown().await;
    }

    /// The session manager (sign-in flows, the live poller).
    pub fn sessions(&self) -> &SessionManager {
        &self.sessions
    }

    async fn signed_in(&self) -> AppResult<(SignedIn, Owner)> {
        let session = self.sessions.signed_in().await?;
        let owner = Owner::of(&session.info);
        Ok((session, owner))
    }

    async fn owner(&self) -> AppResult<Owner> {
        let info = self.sessions.current().await.ok_or(AppError::NotSignedIn)?;
        Ok(Owner::of(&info))
    }

    /// Writes `text` where the user picks in the Save dialog; `None` when it was dismissed.
    async fn save_text(
        &self,
        title: &str,
        file_name: &str,
        (label, extension): (&str, &str),
        text: String,
    ) -> AppResult<Option<String>> {
        let Some(path) = self.pick(title, file_name, (label, extension)).await? else {
            return Ok(None);
        };
        let shown = path.display().to_string();
        let write = tokio::task::spawn_blocking(move || {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, text)
        });
        match write.await {
            Ok(Ok(())) => Ok(Some(shown)),
            Ok(Err(source)) => Err(AppError::Storage {
                action: "write",
                path: PathBuf::from(shown),
                source,
            }),
            Err(e) => Err(AppError::internal(format!("the export failed: {e}"))),
        }
    }

    async fn pick(
        &self,
        title: &str,
        file_name: &str,
        (label, extension): (&str, &str),
    ) -> AppResult<Option<PathBuf>> {
        self.host
            .pick_save_path(SaveRequest {
                title: title.to_owned(),
                file_name: file_name.to_owned(),
                filter_label: label.to_owned(),
                extension: extension.to_owned(),
            })
            .await
    }

    // ---- session ----------------------------------------------------------------------------

    /// Signs in with the remembered account, if the keychain has it.
    pub async fn session_restore(&self) -> AppResult<RestoreResult> {
        let r = self.sessions.restore().await;
        self.watcher.wake();
        r
    }

    /// Signs in with a password (the only time a password crosses IPC, towards the backend).
    pub async fn session_login(
        &self,
        provider_url: &str,
        account: &str,
        password: &str,
        remember: bool,
    ) -> AppResult<SessionInfo> {
        let r = self
            .sessions
            .login(provider_url, account, password, remember)
            .await;
        self.watcher.wake();
        r
    }

    /// Starts the built-in demo service and signs into it.
    pub async fn session_demo(&self) -> AppResult<SessionInfo> {
        let r = self.sessions.demo().await;
        self.watcher.wake();
        r
    }

    /// Signs out; the session's playback histories are forgotten.
    pub async fn session_logout(&self) -> AppResult<()> {
        // The session ends first: a playback load still running cannot refill the cache after it.
        let signed_out = self.sessions.logout().await;
        self.playback.clear();
        self.reports.clear();
        self.mileage.clear();
        self.watcher.wake();
        signed_out
    }

    /// Who is signed in.
    pub async fn session_current(&self) -> Option<SessionInfo> {
        self.sessions.current().await
    }

    /// The accounts that can be switched to.
    pub fn session_saved_accounts(&self) -> Vec<SavedAccount> {
        self.sessions.saved_accounts()
    }

    /// Signs in with a saved account.
    pub async fn session_switch(
        &self,
        account: &str,
        provider_url: &str,
    ) -> AppResult<SessionInfo> {
        let r = self.sessions.switch(account, provider_url).await;
        self.watcher.wake();
        r
    }

    // ---- fleet and settings -----------------------------------------------------------------

    /// The account's devices, completed by their detail.
    pub async fn fleet_devices(&self) -> AppResult<Vec<etrack::Device>> {
        self.sessions.devices().await
    }

    /// Shows a sub-customer's fleet (`None`: the account's own); a refusal changes nothing.
    pub async fn fleet_open(&self, account: Option<&str>) -> AppResult<FleetOpened> {
        self.sessions.open_fleet(account).await
    }

    /// Whose fleet is shown.
    pub async fn fleet_scope(&self) -> AppResult<FleetScope> {
        self.sessions.fleet_scope().await
    }

    /// The latest live update, if any.
    pub async fn live_snapshot(&self) -> Option<LiveUpdate> {
        self.sessions.live_snapshot().await
    }

    /// Polls now.
    pub async fn live_refresh_now(&self) -> AppResult<()> {
        self.sessions.live_refresh_now().await
    }

    /// The settings.
    pub fn settings_get(&self) -> Settings {
        self.sessions.settings_get()
    }

    /// Validates and saves the settings; the poller restarts with the new interval, and the tile
    /// cache and the stored history take their new sizes.
    pub async fn settings_set(&self, settings: Settings) -> AppResult<Settings> {
        let saved = self.sessions.settings_set(settings).await?;
        self.tiles.apply_limit().await;
        Ok(saved)
    }

    // ---- stored history ---------------------------------------------------------------------

    /// How big the signed-in account's stored history is (with a notice when it cannot be used,
    /// or once after a damaged file was kept aside).
    pub async fn history_info(&self) -> AppResult<HistoryInfo> {
        self.sessions.history_info().await
    }

    /// Deletes the signed-in account's stored history; its size afterwards.
    pub async fn history_clear(&self) -> AppResult<HistoryInfo> {
        self.sessions.history_clear().await
    }

    // ---- map tiles --------------------------------------------------------------------------

    /// The basemaps: the built-in ones, then the custom ones of the settings.
    pub fn basemaps(&self) -> Vec<Basemap> {
        self.tiles.basemaps()
    }

    /// A tile of a basemap, from the cache or its server (the `etrack-tile` protocol).
    pub async fn tile(&self, layer_id: &str, z: u8, x: u32, y: u32) -> Result<Tile, TileError> {
        self.tiles.get(layer_id, z, x, y).await
    }

    /// How big the tile cache is.
    pub async fn tile_cache_info(&self) -> TileCacheInfo {
        self.tiles.info().await
    }

    /// Removes every cached tile.
    pub async fn tile_cache_clear(&self) -> AppResult<TileCacheInfo> {
        self.tiles
            .clear()
            .await
            .map_err(|source| AppError::Storage {
                action: "clear the tile cache in",
                path: self.tiles.cache().root().to_path_buf(),
                source,
            })
    }

    // ---- street addresses -------------------------------------------------------------------

    /// The geocoder as the settings have it (an empty URL: off).
    fn geocoder_service(&self) -> geocoder::Service {
        let settings = self.settings_get();
        geocoder::Service {
            url: settings.geocoder_url,
            datum: settings.provider_datum,
        }
    }

    /// The street address of each point, in `language` (`None`: no geocoder set, unknown, or
    /// not looked up yet): the cache first, then the service for a few places. A newer call on
    /// the same `channel` makes this one stop asking the service.
    pub async fn address_lookup(
        &self,
        points: Vec<GeoPoint>,
        language: &str,
        channel: &str,
    ) -> AppResult<Vec<Option<String>>> {
        if points.len() > geocoder::MAX_POINTS_PER_CALL {
            return Err(AppError::invalid(format!(
                "At most {} places can be looked up at once, not {}.",
                geocoder::MAX_POINTS_PER_CALL,
                points.len()
            )));
        }
        Ok(self
            .geocoder
            .lookup(
                &self.geocoder_service(),
                language,
                channel,
                &points,
                geocoder::MAX_REQUESTS_PER_CALL,
            )
            .await)
    }

    /// The addresses of a report's rows for its export (`None` without a geocoder or for a
    /// kind without places).
    async fn report_addresses(
        &self,
        result: &ReportResult,
        language: &str,
    ) -> Option<Vec<Vec<Option<String>>>> {
        let service = self.geocoder_service();
        if service.url.is_empty() || reports::table::address_columns(result.kind).is_empty() {
            return None;
        }
        let places: Vec<Vec<Option<(f64, f64)>>> = result
            .rows
            .iter()
            .map(reports::table::address_places)
            .collect();
        let points: Vec<GeoPoint> = places
            .iter()
            .flatten()
            .map(|p| {
                let (lat, lon) = p.unwrap_or((f64::NAN, f64::NAN));
                GeoPoint { lat, lon }
            })
            .collect();
        let mut found = Vec::with_capacity(points.len());
        for chunk in points.chunks(geocoder::MAX_POINTS_PER_CALL) {
            found.extend(
                self.geocoder
                    .lookup(
                        &service,
                        language,
                        "report-export",
                        chunk,
                        geocoder::MAX_REQUESTS_PER_EXPORT,
                    )
                    .await,
            );
        }
        let mut found = found.into_iter();
        Some(
            places
                .iter()
                .map(|row| row.iter().map(|_| found.next().flatten()).collect())
                .collect(),
        )
    }

    // ---- the app itself ---------------------------------------------------------------------

    /// Version, licence and platform, for the About dialog.
    pub fn app_about(&self) -> AboutInfo {
        AboutInfo::of_this_build(self.host.webview_version())
    }

    /// Asks the update service whether a newer version is offered.
    pub async fn update_check(&self) -> AppResult<UpdateCheck> {
        let available = self.host.check_update().await.map_err(AppError::Update)?;
        if let Some(a) = &available {
            tracing::info!("update service offers version {}", a.version);
        }
        Ok(UpdateCheck {
            current_version: env!("CARGO_PKG_VERSION").to_owned(),
            available,
        })
    }

    /// Downloads, verifies and installs `version` (the one the last check offered), with
    /// "update-progress" events; nothing is installed unless its signature matches.
    pub async fn update_install(&self, version: String) -> AppResult<UpdateInstalled> {
        let version = version.trim().to_owned();
        if version.is_empty() {
            return Err(AppError::invalid("No version to install was given."));
        }
        let host = self.host.clone();
        let events = host.clone();
        let progress = Box::new(move |downloaded: u64, total: Option<u64>| {
            emit(events.as_ref(), &UpdateProgress { downloaded, total });
        });
        let installed = host
            .install_update(version, progress)
            .await
            .map_err(AppError::Update)?;
        tracing::info!("installed version {}", installed.version);
        Ok(installed)
    }

    /// Restarts the app, to run an installed update.
    pub fn app_restart(&self) {
        self.host.restart();
    }

    // ---- playback ---------------------------------------------------------------------------

    async fn history_key(
        &self,
        imei: &str,
        begin: i64,
        end: i64,
    ) -> AppResult<(HistoryKey, TimeRange)> {
        let session = self.sessions.current().await.ok_or(AppError::NotSignedIn)?;
        let imei = Imei::parse(imei)?;
        let range = playback::period(begin, end)?;
        Ok((HistoryKey::new(&session, &imei, range), range))
    }

    /// Loads `imei`'s history over `[begin, end)` (unix seconds), with "playback-progress" events
    /// tagged `request_id`. A new load cancels the one in flight.
    pub async fn playback_load(
        &self,
        request_id: u32,
        imei: &str,
        begin: i64,
        end: i64,
    ) -> AppResult<PlaybackLoaded> {
        let session = self.sessions.signed_in().await?;
        let imei = Imei::parse(imei)?;
        let range = playback::period(begin, end)?;
        let host = self.host.clone();
        let progress = move |p: PlaybackProgress| emit(host.as_ref(), &p);
        // The provider's now: the demo's clock may have been moved ahead.
        let mut now = now_ms() / 1000;
        if session.info.demo {
            now += self.demo_clock.offset_secs();
        }
        self.playback
            .load_at(&session, request_id, &imei, range, now, &progress)
            .await
    }

    /// Cancels the load `request_id` (what it fetched so far is kept and shown).
    pub fn playback_cancel(&self, request_id: u32) -> bool {
        self.playback.cancel(request_id)
    }

    /// The loaded points of `imei` over `[begin, end)`, binary (see [`encode_points`]).
    pub async fn playback_points(&self, imei: &str, begin: i64, end: i64) -> AppResult<Vec<u8>> {
        let (key, _) = self.history_key(imei, begin, end).await?;
        let history = self
            .playback
            .history(&key)
            .ok_or_else(|| AppError::invalid("This playback is not loaded."))?;
        Ok(encode_points(&history.points))
    }

    /// Writes the loaded history to a file the user picks; `None` when the dialog was dismissed.
    pub async fn playback_export(
        &self,
        imei: &str,
        begin: i64,
        end: i64,
        format: Format,
        name: &str,
    ) -> AppResult<Option<ExportDone>> {
        let (key, range) = self.history_key(imei, begin, end).await?;
        if self.playback.history(&key).is_none() {
            return Err(AppError::invalid("Load the playback before exporting it."));
        }
        let file_name = suggested_file_name(name, range.begin(), format);
        let Some(path) = self
            .pick(
                "Export the route",
                &file_name,
                (format.label(), format.extension()),
            )
            .await?
        else {
            return Ok(None);
        };
        let provider_datum = self.settings_get().provider_datum;
        self.playback
            .export(&key, format, name, path, provider_datum)
            .await
            .map(Some)
    }

    // ---- geofences --------------------------------------------------------------------------

    /// The signed-in account's recorded geofences.
    pub async fn geofence_list(&self) -> AppResult<GeofenceListing> {
        Ok(self.geofences.list(&self.owner().await?))
    }

    /// Creates the geofence at the provider, one request per vehicle, each sent once; records
    /// what succeeded and, if asked, watches those vehicles for its alarms.
    pub async fn geofence_create(&self, draft: GeofenceDraft) -> AppResult<GeofenceSaveResult> {
        let (session, owner) = self.signed_in().await?;
        let mut result =
            geofences::create(&session.client, &self.geofences, &owner, &draft, now_ms()).await?;
        let ok: Vec<String> = result
            .results
            .iter()
            .filter(|r| r.ok)
            .map(|r| r.imei.clone())
            .collect();
        if draft.watch && !ok.is_empty() {
            let types: &[i64] = match draft.alarm {
                GeofenceAlarm::In => &[5],
                GeofenceAlarm::Out => &[6],
                GeofenceAlarm::Both => &[5, 6],
            };
            if let Err(e) = self.watcher.watch_vehicles(&owner, &ok, types) {
                result
                    .summary
                    .push_str(&format!(" Notifications could not be turned on: {e}"));
            }
        }
        Ok(result)
    }

    /// Forgets a recorded geofence on this computer (the Open API cannot delete it).
    pub async fn geofence_forget(&self, id: &str) -> AppResult<GeofenceListing> {
        let owner = self.owner().await?;
        self.geofences.remove(&owner, id)?;
        Ok(self.geofences.list(&owner))
    }

    /// Saves the account's geofences as GeoJSON where the user picks.
    pub async fn geofence_export(&self) -> AppResult<Option<ExportedFile>> {
        let owner = self.owner().await?;
        let count = u32::try_from(self.geofences.list(&owner).geofences.len()).unwrap_or(u32::MAX);
        let name = format!("etrack-geofences-{}.geojson", utc_stamp(now_ms() / 1000));
        let provider_datum = self.settings_get().provider_datum;
        let saved = self
            .save_text(
                "Export the geofences",
                &name,
                ("GeoJSON", "geojson"),
                self.geofences.export_geojson(&owner, provider_datum),
            )
            .await?;
        Ok(saved.map(|path| ExportedFile { path, count }))
    }

    /// Records the geofences of a GeoJSON text (a file the user picked) for the account.
    pub async fn geofence_import(&self, text: &str) -> AppResult<GeofenceImportResult> {
        let owner = self.owner().await?;
        let datum = self.settings_get().provider_datum;
        self.geofences.import_geojson(&owner, text, now_ms(), datum)
    }

    // ---- alarms -----------------------------------------------------------------------------

    /// The alarms of vehicles over a period, newest first, with "alarms-progress" events. A new
    /// query cancels the one in flight.
    pub async fn alarms_query(
        &self,
        imeis: &[String],
        begin: i64,
        end: i64,
    ) -> AppResult<AlarmQueryResult> {
        let (session, owner) = self.signed_in().await?;
        let job = self.alarm_query.start();
        // Through the session's gate: no progress of this query reaches the UI after a sign-out.
        let gate = session.gate.clone();
        let host = self.host.clone();
        let progress = Arc::new(move |p: AlarmProgress| {
            gate.run(|| emit(host.as_ref(), &p));
        });
        alarms::query(
            &session.client,
            imeis,
            begin,
            end,
            job.token().clone(),
            Some((self.geofences.clone(), owner)),
            progress,
        )
        .await
    }

    /// Cancels the alarm query in flight, if any.
    pub fn alarms_cancel(&self) {
        self.alarm_query.cancel();
    }

    /// Saves the alarms table (CSV the UI made of what it shows) where the user picks.
    pub async fn alarms_save_csv(&self, csv: String, rows: u32) -> AppResult<Option<ExportedFile>> {
        let name = format!("etrack-alarms-{}.csv", utc_stamp(now_ms() / 1000));
        let saved = self
            .save_text("Export the alarms", &name, ("CSV", "csv"), csv)
            .await?;
        Ok(saved.map(|path| ExportedFile { path, count: rows }))
    }

    /// The watch settings, the watcher's state and the latest notified alarms.
    pub async fn alarms_watch_get(&self) -> AppResult<WatchOverview> {
        Ok(self.watcher.overview(&self.owner().await?))
    }

    /// Saves the watch settings.
    pub async fn alarms_watch_set(&self, settings: WatchSettings) -> AppResult<WatchOverview> {
        let owner = self.owner().await?;
        self.watcher.set_settings(&owner, settings)?;
        Ok(self.watcher.overview(&owner))
    }

    /// The user has seen the new alarms: the badge is cleared.
    pub fn alarms_mark_read(&self) {
        self.watcher.mark_read();
    }

    /// The desktop notifications' words in the user's language, from the UI.
    pub fn notice_words_set(&self, words: crate::alarm_watch::NoticeWords) {
        self.watcher.set_notice_words(words);
    }

    // ---- device commands and the audit log --------------------------------------------------

    /// What `command` will do to `imei`, with a one-time confirmation id. Sends nothing.
    pub async fn command_prepare(&self, imei: &str, command: Command) -> AppResult<CommandPreview> {
        self.commands.prepare(&self.sessions, imei, command).await
    }

    /// Sends the prepared command and waits for the device's reply ("command-progress" events).
    pub async fn command_confirm(
        &self,
        confirmation_id: &str,
        typed: Option<&str>,
    ) -> AppResult<CommandResult> {
        let events = Arc::new(HostEvents(self.host.clone()));
        self.commands
            .confirm(&self.sessions, confirmation_id, typed, events)
            .await
    }

    /// Stops waiting for a sent command's reply (it is not withdrawn, and not sent again).
    pub fn command_stop_waiting(&self, confirmation_id: &str) -> bool {
        self.commands.stop_waiting(confirmation_id)
    }

    /// Voids a confirmation id: the dialog was cancelled.
    pub fn command_discard(&self, confirmation_id: &str) {
        self.commands.discard(confirmation_id);
    }

    /// The latest entries of the audit log (at most [`AUDIT_PAGE`]), oldest first.
    pub fn audit_list(&self) -> AppResult<AuditPage> {
        let log = self.commands.audit();
        let (entries, more) = log
            .read_latest(AUDIT_PAGE)
            .map_err(|source| AppError::Storage {
                action: "read the audit log",
                path: log.path().to_path_buf(),
                source,
            })?;
        Ok(AuditPage { entries, more })
    }

    /// Saves the audit log as CSV where the user picks.
    pub async fn audit_export_csv(&self) -> AppResult<Option<String>> {
        let log = self.commands.audit();
        let entries = log.read().map_err(|source| AppError::Storage {
            action: "read the audit log",
            path: log.path().to_path_buf(),
            source,
        })?;
        let day = utc_day(now_ms() / 1000);
        self.save_text(
            "Export the command log",
            &format!("etrack-command-log-{day}.csv"),
            ("CSV", "csv"),
            audit::to_csv(&entries),
        )
        .await
    }

    // ---- mileage ----------------------------------------------------------------------------

    /// Kilometres per vehicle between `begin` and `end`. A new report cancels the one in flight.
    pub async fn mileage_report(
        &self,
        imeis: &[String],
        begin: i64,
        end: i64,
    ) -> AppResult<MileageReport> {
        let client = self.sessions.client().await?;
        let job = self.mileage.job().start();
        let report = mileage::report(&client, imeis, begin, end, job.token()).await?;
        self.mileage.keep(report.clone());
        Ok(report)
    }

    /// Cancels the report in flight, if any.
    pub fn mileage_cancel(&self) {
        self.mileage.job().cancel();
    }

    /// Saves the report's CSV where the user picks; the file name carries the period.
    pub async fn mileage_save_csv(
        &self,
        csv: String,
        begin: i64,
        end: i64,
    ) -> AppResult<Option<String>> {
        self.save_text(
            "Export the mileage report",
            &format!("etrack-mileage-{}-to-{}.csv", utc_day(begin), utc_day(end)),
            ("CSV", "csv"),
            csv,
        )
        .await
    }

    /// Writes the last mileage report (the one of `begin`..`end`) where the user picks, as an
    /// Excel workbook with the UI's column names (English when `headers` is empty; a seventh
    /// name labels the total row) and the period in the settings' time zone; `None` when the
    /// dialog was dismissed.
    pub async fn mileage_save_xlsx(
        &self,
        begin: i64,
        end: i64,
        headers: Vec<String>,
    ) -> AppResult<Option<ExportedFile>> {
        let report = self
            .mileage
            .last()
            .filter(|r| {
                (r.begin, r.end) == (begin, end)
                    || (r.requested_begin, r.requested_end) == (begin, end)
            })
            .ok_or_else(|| AppError::invalid("Run the report before exporting it."))?;
        let (headers, total) = mileage::headers(&headers)?;
        let zone = reports::zone::Zone::parse(&self.settings_get().time_zone)?;
        // Names and plates from the device list; without it the rows still have their IMEIs.
        let vehicles: std::collections::HashMap<String, (String, String)> =
            match self.sessions.client().await?.device_list(None).await {
                Ok(devices) => devices
                    .into_iter()
                    .map(|d| (d.imei, (d.devicename, d.platenumber)))
                    .collect(),
                Err(e) => {
                    tracing::warn!("vehicle names unavailable for the mileage export: {e}");
                    Default::default()
                }
            };
        let bytes = mileage::xlsx(&report, &vehicles, &zone, &headers, &total)?;
        let name = mileage::xlsx_file_name(&zone, report.begin, report.end);
        let Some(path) = self
            .pick(
                "Export the mileage report",
                &name,
                ("Excel workbook", "xlsx"),
            )
            .await?
        else {
            return Ok(None);
        };
        let path = reports::export::write_file(path, bytes).await?;
        let count = u32::try_from(report.rows.len()).unwrap_or(u32::MAX);
        Ok(Some(ExportedFile { path, count }))
    }

    // ---- fleet reports ----------------------------------------------------------------------

    /// Runs a fleet report (trips, stops, idling, daily summary, speeding, geofence visits) with
    /// "report-progress" events, through the stored history. A new report cancels the one in
    /// flight; a vehicle that fails leaves the others' rows, with the error.
    pub async fn report_run(&self, request: ReportRequest) -> AppResult<ReportResult> {
        let (session, owner) = self.signed_in().await?;
        let job = self.reports.job().start_as(u64::from(request.request_id));
        let key = format!("{}\n{}", owner.provider, owner.account);
        let names = self
            .reports
            .names(&session.client, &key, &request.imeis)
            .await;
        let circles = reports::circles(&self.geofences.list(&owner).geofences);
        let store = session.history();
        // The provider's now: the demo's clock may have been moved ahead.
        let mut now = now_ms() / 1000;
        if session.info.demo {
            now += self.demo_clock.offset_secs();
        }
        let (gate, host) = (session.gate.clone(), self.host.clone());
        let progress = move |p: ReportProgress| {
            gate.run(|| emit(host.as_ref(), &p));
        };
        let env = ReportEnv {
            client: &session.client,
            store: store.as_ref(),
            now,
            names: &names,
            circles,
            cancel: job.token().clone(),
            progress: &progress,
        };
        let result = reports::run(&env, &request).await?;
        self.reports.keep(request, result.clone());
        Ok(result)
    }

    /// Cancels the report `request_id` if it is running (its rows so far come back).
    pub fn report_cancel(&self, request_id: u32) {
        self.reports.job().cancel_id(u64::from(request_id));
    }

    /// Writes the last result of report `request_id` where the user picks, as an Excel workbook
    /// or CSV, with the UI's column names (English when `headers` is empty); `None` when the
    /// dialog was dismissed.
    pub async fn report_export(
        &self,
        request_id: u32,
        format: reports::export::ReportFormat,
        headers: Vec<String>,
        language: &str,
    ) -> AppResult<Option<ExportedFile>> {
        use reports::export::{self, ReportFormat};
        let (request, result) = self
            .reports
            .result(request_id)
            .ok_or_else(|| AppError::invalid("Run the report before exporting it."))?;
        let zone = reports::zone::Zone::parse(&request.time_zone)?;
        // Addresses from the provider's positions (the geocoder converts them itself); the file
        // has them in WGS-84.
        let addresses = self.report_addresses(&result, language).await;
        let result = export::in_wgs84(&result, self.settings_get().provider_datum);
        let headers = export::headers(&result, &headers, addresses.is_some())?;
        let addresses = addresses.as_deref();
        let bytes = match format {
            ReportFormat::Csv => export::csv(&result, &zone, &headers, addresses).into_bytes(),
            ReportFormat::Xlsx => export::xlsx(&result, &zone, &headers, addresses)?,
        };
        let name = export::file_name(&result, &zone, request.begin, request.end, format);
        let Some(path) = self
            .pick(
                "Export the report",
                &name,
                (format.label(), format.extension()),
            )
            .await?
        else {
            return Ok(None);
        };
        let path = export::write_file(path, bytes).await?;
        let count = u32::try_from(result.rows.len()).unwrap_or(u32::MAX);
        Ok(Some(ExportedFile { path, count }))
    }

    // ---- accounts ---------------------------------------------------------------------------

    /// The signed-in account's sub-customers.
    pub async fn accounts_list(&self) -> AppResult<Vec<UserInfo>> {
        self.accounts.list(&self.sessions).await
    }

    /// The signed-in account's own information.
    pub async fn account_profile(&self) -> AppResult<UserInfo> {
        self.accounts.profile(&self.sessions).await
    }

    /// What blocking (or unblocking) `account` will do, with a one-time confirmation id.
    pub async fn account_block_prepare(
        &self,
        account: &str,
        block: bool,
    ) -> AppResult<AccountActionPreview> {
        self.accounts
            .prepare_block(&self.sessions, account, block)
            .await
    }

    /// Blocks or unblocks as prepared; returns the account afterwards.
    pub async fn account_block_confirm(&self, confirmation_id: &str) -> AppResult<UserInfo> {
        self.accounts
            .confirm_block(&self.sessions, confirmation_id)
            .await
    }

    /// Voids a block/unblock confirmation id: the dialog was cancelled.
    pub fn account_block_discard(&self, confirmation_id: &str) {
        self.accounts.discard(confirmation_id);
    }

    /// Sends a message to the accounts, 200 a request.
    pub async fn message_send(
        &self,
        accounts: &[String],
        content: &str,
    ) -> AppResult<MessageSendResult> {
        self.accounts
            .send_message(&self.sessions, accounts, content)
            .await
    }

    // ---- demo only (end-to-end tests) -------------------------------------------------------

    /// The demo service, when the demo is the signed-in session.
    async fn demo_sim(&self, what: &str) -> AppResult<&etrack_sim::SimHandle> {
        let info = self.sessions.current().await.ok_or(AppError::NotSignedIn)?;
        self.sessions
            .demo_service()
            .filter(|_| info.demo)
            .ok_or_else(|| AppError::invalid(format!("Only the demo {what}.")))
    }

    /// The requests the demo service received (see [`demo::request_log`]).
    pub fn demo_request_log(&self, path: Option<&str>, since: u32) -> AppResult<Vec<DemoRequest>> {
        let sim = self
            .sessions
            .demo_service()
            .ok_or_else(|| AppError::invalid("The request log exists in demo mode only."))?;
        Ok(demo::request_log(sim, path, since))
    }

    /// The demo clock, moved `secs` ahead first (0 just reads it).
    pub async fn demo_clock_advance(&self, secs: u64) -> AppResult<DemoClockInfo> {
        let sim = self.demo_sim("clock can be moved").await?;
        if secs > MAX_ADVANCE_SECS {
            return Err(AppError::invalid(format!(
                "Move the demo clock at most {MAX_ADVANCE_SECS} seconds at a time."
            )));
        }
        self.demo_clock.advance(sim, secs);
        self.watcher.wake();
        Ok(DemoClockInfo {
            offset_secs: self.demo_clock.offset_secs(),
            time_scale: self.time_scale.unwrap_or(1.0),
        })
    }

    /// The geofences the built-in simulator was asked to create (what the provider knows).
    pub async fn demo_sim_geofences(&self) -> AppResult<Vec<DemoSimGeofence>> {
        let sim = self.demo_sim("can show the simulator's geofences").await?;
        Ok(sim.geofences().into_iter().map(Into::into).collect())
    }

    /// Takes the demo's provider down (every request answered with a server error) or brings it
    /// back: what a provider outage looks like to the app, for the end-to-end tests.
    pub async fn demo_provider_reachable(&self, reachable: bool) -> AppResult<()> {
        let sim = self.demo_sim("provider can be taken down").await?;
        sim.set_server_error_share(if reachable { 0.0 } else { 1.0 });
        Ok(())
    }
}
