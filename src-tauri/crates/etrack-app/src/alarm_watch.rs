//! Watching alarms: a backend task that polls the recent alarms of the vehicles the user watches
//! and raises a desktop notification and an in-app badge for each new alarm of a type the user
//! marked, never twice for the same alarm, also across restarts.
//!
//! - Spread over time: one request at a time, one vehicle after the other, paced so each vehicle
//!   is read about every `every_secs` but never more often than one request per
//!   [`WatchTiming::min_gap`]; a big fleet just takes longer per round.
//! - Backs off on 10009 ("too frequent") and on network failures, doubling up to a cap.
//! - De-duplication: each vehicle has a cursor (the provider time read up to) and every alarm
//!   notified is remembered by its identity in `alarm-seen.json`, written *before* the
//!   notification is raised, so a restart (or a crash right after) never repeats one.
//!
//! It knows nothing of Tauri: sessions come from a [`SessionSource`], notifications go to an
//! [`AlarmNotifier`], so it is tested against etrack-sim without a window.

use crate::alarms::{alarm_id, alarm_types, is_geofence_alarm, AlarmTypeInfo};
use crate::data_file::{self, Loaded};
use crate::error::AppError;
use crate::gate::Gate;
use crate::geofences::{GeofenceStore, Owner};
use crate::host::Event;
use crate::live::now_ms;
use etrack::{Alarm, AlarmType, Client, FetchOptions, Imei, TimeRange};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The watch settings file in the data dir.
pub const WATCH_FILE: &str = "alarm-watch.json";
/// The alarms already notified, in the data dir.
pub const SEEN_FILE: &str = "alarm-seen.json";

/// The alarm types watched unless the user changes them: SOS, power disconnected, geofence in
/// and out, device removed (disassemble), collision.
pub const DEFAULT_TYPES: &[i64] = &[1, 3, 5, 6, 18, 20];
/// How often each vehicle is read by default, seconds.
pub const DEFAULT_EVERY_SECS: u32 = 60;
/// The shortest per-vehicle interval allowed.
pub const MIN_EVERY_SECS: u32 = 30;
/// The longest per-vehicle interval allowed.
pub const MAX_EVERY_SECS: u32 = 3600;

/// A vehicle read for the first time looks this far back: alarms older than that are history,
/// not news.
pub const FIRST_LOOKBACK_SECS: i64 = 15 * 60;
/// Each read starts this long before the previous one ended, for alarms the provider files late;
/// the seen-set drops the repeats.
pub const OVERLAP_SECS: i64 = 5 * 60;
/// After a long pause (the app closed overnight) at most this much is caught up.
pub const MAX_CATCHUP_SECS: i64 = 24 * 3600;
/// Reads end this far after the provider's "now", for clocks a little apart.
pub const SLACK_SECS: i64 = 120;
/// Alarms remembered per account at most (the oldest are forgotten first).
const MAX_SEEN: usize = 20_000;
/// More new alarms than this from one read make one summary notification instead of one each.
const MAX_SINGLE_NOTIFICATIONS: usize = 3;
/// Notified alarms kept for the in-app list.
const MAX_RECENT: usize = 100;

/// What the user watches (per account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct WatchSettings {
    /// Whether watching is on.
    pub enabled: bool,
    /// The alarm type numbers that raise a notification.
    pub types: Vec<i64>,
    /// The vehicles watched.
    pub imeis: Vec<String>,
    /// Seconds between two reads of the same vehicle (a large fleet may take longer).
    pub every_secs: u32,
}

impl Default for WatchSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            types: DEFAULT_TYPES.to_vec(),
            imeis: Vec::new(),
            every_secs: DEFAULT_EVERY_SECS,
        }
    }
}

impl WatchSettings {
    /// Checks and normalises (sorted, no repeats) the settings.
    pub fn validated(mut self) -> Result<Self, AppError> {
        for t in &self.types {
            if matches!(AlarmType::from_code(*t), AlarmType::Unknown(_)) {
                return Err(AppError::invalid(format!("Unknown alarm type {t}.")));
            }
        }
        self.types.sort_unstable();
        self.types.dedup();
        let mut imeis: Vec<String> = Vec::with_capacity(self.imeis.len());
        for raw in &self.imeis {
            let i = Imei::parse(raw)?.as_str().to_owned();
            if !imeis.contains(&i) {
                imeis.push(i);
            }
        }
        self.imeis = imeis;
        if !(MIN_EVERY_SECS..=MAX_EVERY_SECS).contains(&self.every_secs) {
            return Err(AppError::invalid(format!(
                "Read each vehicle every {MIN_EVERY_SECS} to {MAX_EVERY_SECS} seconds."
            )));
        }
        Ok(self)
    }
}

/// Whether the desktop notification of an alarm was handed to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DesktopNotice {
    /// Raised (alone, or in a summary of several).
    Raised,
    /// The system refused it (no notification service, ...); the in-app badge still shows it.
    Failed,
}

/// A new alarm the watcher told the user about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchedAlarm {
    /// Its identity (see [`crate::alarms::alarm_id`]).
    pub id: String,
    /// The vehicle.
    pub imei: String,
    /// The vehicle's name as the list shows it (name, else plate, else IMEI).
    pub vehicle: String,
    /// The alarm.
    pub alarm: Alarm,
    /// Its type in words.
    pub words: String,
    /// For geofence alarms, the name of this app's geofence it most likely came from.
    pub geofence_name: Option<String>,
    /// When the app noticed it, unix milliseconds.
    pub noticed_ms: i64,
    /// What became of its desktop notification.
    pub desktop: DesktopNotice,
    /// Why the desktop notification failed.
    pub desktop_error: Option<String>,
}

/// What the watcher is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum WatchState {
    /// No session.
    NotSignedIn,
    /// Nothing to watch (off, no vehicle or no type marked).
    Off,
    /// Reading alarms.
    Watching,
    /// The provider asked to slow down or could not be reached: waiting before the next read.
    BackingOff,
}

/// The watcher's state ("alarm-watch-status" event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchStatus {
    /// The state.
    pub state: WatchState,
    /// Details in plain words.
    pub message: Option<String>,
    /// How many vehicles are watched.
    pub watching: u32,
    /// When the last read succeeded, unix milliseconds.
    pub last_poll_ms: Option<i64>,
}

/// Everything the watch settings panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WatchOverview {
    /// The account's settings.
    pub settings: WatchSettings,
    /// Every alarm type, for the picker.
    pub types: Vec<AlarmTypeInfo>,
    /// What the watcher is doing.
    pub status: WatchStatus,
    /// Alarms notified since the user last looked.
    pub unread: u32,
    /// The latest notified alarms, newest first.
    pub recent: Vec<WatchedAlarm>,
}

/// New alarms ("alarms-new" event).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmsNewEvent {
    /// The new alarms, oldest first.
    pub alarms: Vec<WatchedAlarm>,
    /// Alarms notified since the user last looked.
    pub unread: u32,
}

impl Event for AlarmsNewEvent {
    const NAME: &'static str = "alarms-new";
}

impl Event for WatchStatus {
    const NAME: &'static str = "alarm-watch-status";
}

/// Where the watcher's news goes: the desktop and the webview in the app, collectors in tests.
pub trait AlarmNotifier: Send + Sync + 'static {
    /// Raises a desktop notification; an error says why it could not be (it must not block).
    fn desktop(&self, title: &str, body: &str) -> Result<(), String>;
    /// New alarms for the in-app badge and list.
    fn new_alarms(&self, event: &AlarmsNewEvent);
    /// The watcher's state changed.
    fn status(&self, status: &WatchStatus);
}

/// The signed-in session as the watcher needs it.
pub struct WatchSession {
    /// Whose alarms.
    pub owner: Owner,
    /// The session's client.
    pub client: Client,
    /// Seconds the provider's clock runs ahead of this computer's (the sped-up demo; 0 for real
    /// providers).
    pub clock_offset_secs: i64,
    /// Closed when the session ends. What a read finds is remembered, notified and reported only
    /// through it, so nothing of a signed-out account shows after the sign-out returned, and an
    /// alarm read just as it ended is not lost: the next sign-in reads it again.
    pub gate: Gate,
}

/// A boxed future, so [`SessionSource`] can be used as a trait object.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Tells the watcher who is signed in.
pub trait SessionSource: Send + Sync + 'static {
    /// The current session, if any.
    fn session(&self) -> BoxFuture<'_, Option<WatchSession>>;
}

/// The watcher's pacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchTiming {
    /// The shortest pause between two requests.
    pub min_gap: Duration,
    /// How often to look again when there is nothing to watch.
    pub idle: Duration,
    /// The first back-off delay after a failed read; it doubles with each failure in a row.
    pub backoff_min: Duration,
    /// The longest back-off delay.
    pub backoff_max: Duration,
    /// How often the vehicle names are read again.
    pub names_every: Duration,
}

impl Default for WatchTiming {
    fn default() -> Self {
        Self {
            min_gap: Duration::from_secs(1),
            idle: Duration::from_secs(5),
            backoff_min: Duration::from_secs(5),
            backoff_max: Duration::from_secs(300),
            names_every: Duration::from_secs(600),
        }
    }
}

impl WatchTiming {
    /// The pause after reading one of `vehicles` vehicles: the round of all of them takes about
    /// `every`, one request per `min_gap` at most.
    pub fn gap(&self, every: Duration, vehicles: usize) -> Duration {
        let n = u32::try_from(vehicles.max(1)).unwrap_or(u32::MAX);
        (every / n).max(self.min_gap)
    }

    /// The delay after `failures` failed reads in a row, with jitter so several clients do not
    /// come back in step.
    pub fn backoff(&self, failures: u32) -> Duration {
        etrack::Backoff::new(self.backoff_min, self.backoff_max).delay(failures)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct WatchFile {
    version: u32,
    accounts: BTreeMap<String, WatchSettings>,
}

/// What one account has read and notified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SeenAccount {
    /// Per vehicle: the provider time read up to.
    cursors: BTreeMap<String, i64>,
    /// Alarm identity -> its system time.
    seen: BTreeMap<String, i64>,
}

impl SeenAccount {
    /// Remembers an alarm; false when it was already known.
    fn admit(&mut self, id: String, systemtime: i64) -> bool {
        if self.seen.contains_key(&id) {
            return false;
        }
        self.seen.insert(id, systemtime);
        true
    }

    /// Forgets what no read can return again: alarms older than the longest catch-up (plus the
    /// overlap), and the oldest beyond [`MAX_SEEN`].
    fn prune(&mut self, now: i64) {
        let horizon = now - MAX_CATCHUP_SECS - 2 * OVERLAP_SECS - 3600;
        self.seen.retain(|_, t| *t >= horizon);
        if self.seen.len() > MAX_SEEN {
            let mut times: Vec<i64> = self.seen.values().copied().collect();
            times.sort_unstable();
            let cut = times[self.seen.len() - MAX_SEEN];
            self.seen.retain(|_, t| *t >= cut);
        }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SeenFile {
    version: u32,
    accounts: BTreeMap<String, SeenAccount>,
}

/// A data file held in memory and written through.
struct Held<T> {
    path: PathBuf,
    data: T,
}

fn load_held<T: Default + serde::de::DeserializeOwned>(dir: &Path, name: &str) -> Held<T> {
    let path = dir.join(name);
    let data = match data_file::load::<T>(&path) {
        Loaded::Read(d) => d,
        Loaded::Missing => T::default(),
        Loaded::KeptAside { reason, aside } => {
            tracing::warn!(
                "{} could not be read ({reason}); kept as {}, starting afresh",
                path.display(),
                aside.display()
            );
            T::default()
        }
        Loaded::Unusable { reason } => {
            tracing::warn!("{} cannot be read: {reason}", path.display());
            T::default()
        }
    };
    Held { path, data }
}

struct Names {
    owner: String,
    at: Instant,
    by_imei: HashMap<String, String>,
}

struct Run {
    owner: Option<String>,
    unread: u32,
    recent: VecDeque<WatchedAlarm>,
    status: WatchStatus,
    next: usize,
    failures: u32,
    names: Option<Names>,
}

/// The alarm watcher. [`Self::run`] is its task; the other methods serve the commands.
pub struct AlarmWatcher {
    watch: Mutex<Held<WatchFile>>,
    seen: Mutex<Held<SeenFile>>,
    notifier: Arc<dyn AlarmNotifier>,
    source: Arc<dyn SessionSource>,
    geofences: Option<Arc<GeofenceStore>>,
    timing: WatchTiming,
    wake: Notify,
    cancel: CancellationToken,
    run: Mutex<Run>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data behind a lock poisoned by a panic is still consistent (written whole): use it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now_secs() -> i64 {
    now_ms() / 1000
}

/// Errors about one vehicle only: the next vehicle is read as usual.
fn vehicle_specific(e: &etrack::Error) -> bool {
    use etrack::codes;
    match e {
        etrack::Error::Api { code, .. } => matches!(
            *code,
            codes::IMEI_NOT_AUTHORIZED
                | codes::TARGET_NOT_EXIST
                | codes::DEVICE_BLOCKED
                | codes::TARGET_EXPIRED
                | codes::NO_DATA
        ),
        etrack::Error::Validation(_) => true,
        _ => false,
    }
}

impl AlarmWatcher {
    /// A watcher keeping its files in `dir`. Start it with [`Self::run`].
    pub fn new(
        dir: &Path,
        notifier: Arc<dyn AlarmNotifier>,
        source: Arc<dyn SessionSource>,
        geofences: Option<Arc<GeofenceStore>>,
        timing: WatchTiming,
    ) -> Self {
        Self {
            watch: Mutex::new(load_held(dir, WATCH_FILE)),
            seen: Mutex::new(load_held(dir, SEEN_FILE)),
            notifier,
            source,
            geofences,
            timing,
            wake: Notify::new(),
            cancel: CancellationToken::new(),
            run: Mutex::new(Run {
                owner: None,
                unread: 0,
                recent: VecDeque::new(),
                status: WatchStatus {
                    state: WatchState::NotSignedIn,
                    message: None,
                    watching: 0,
                    last_poll_ms: None,
                },
                next: 0,
                failures: 0,
                names: None,
            }),
        }
    }

    /// The watcher's task: reads, then waits for the pause the read asked for (or a wake-up),
    /// until [`Self::stop`].
    pub async fn run(self: Arc<Self>) {
        loop {
            let delay = tokio::select! {
                _ = self.cancel.cancelled() => return,
                d = self.step() => d,
            };
            tokio::select! {
                _ = self.cancel.cancelled() => return,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Ends [`Self::run`].
    pub fn stop(&self) {
        self.cancel.cancel();
    }

    /// Makes the task look again now (settings or session changed).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// The owner's settings (the defaults if never saved).
    pub fn settings(&self, owner: &Owner) -> WatchSettings {
        lock(&self.watch)
            .data
            .accounts
            .get(&owner.key())
            .cloned()
            .unwrap_or_default()
    }

    fn save_settings(&self, owner: &Owner, s: WatchSettings) -> Result<WatchSettings, AppError> {
        let key = owner.key();
        {
            let mut held = lock(&self.watch);
            let was_enabled = held.data.accounts.get(&key).is_none_or(|o| o.enabled);
            let mut next = held.data.accounts.clone();
            next.insert(key.clone(), s.clone());
            let file = WatchFile {
                version: 1,
                accounts: next,
            };
            data_file::save(&held.path, &file).map_err(|e| {
                AppError::internal(format!(
                    "Cannot save the watch settings to {}: {e}",
                    held.path.display()
                ))
            })?;
            held.data = file;
            if s.enabled && !was_enabled {
                // Turned back on: what happened while off is not news.
                drop(held);
                let mut seen = lock(&self.seen);
                if let Some(a) = seen.data.accounts.get_mut(&key) {
                    a.cursors.clear();
                }
            }
        }
        self.wake();
        Ok(s)
    }

    /// Validates and saves the owner's settings.
    pub fn set_settings(&self, owner: &Owner, s: WatchSettings) -> Result<WatchSettings, AppError> {
        let s = s.validated()?;
        self.save_settings(owner, s)
    }

    /// Adds vehicles and alarm types to the owner's watch (after saving a geofence) and turns
    /// watching on.
    pub fn watch_vehicles(
        &self,
        owner: &Owner,
        imeis: &[String],
        types: &[i64],
    ) -> Result<WatchSettings, AppError> {
        let mut s = self.settings(owner);
        s.enabled = true;
        s.imeis.extend(imeis.iter().cloned());
        s.types.extend_from_slice(types);
        self.set_settings(owner, s)
    }

    /// Everything the settings panel shows, for `owner` (the status and list are the current
    /// session's).
    pub fn overview(&self, owner: &Owner) -> WatchOverview {
        let run = lock(&self.run);
        let mine = run.owner.as_deref() == Some(owner.key().as_str());
        WatchOverview {
            settings: self.settings(owner),
            types: alarm_types(),
            status: run.status.clone(),
            unread: if mine { run.unread } else { 0 },
            recent: if mine {
                run.recent.iter().cloned().collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The user has seen the alarms: the badge goes back to 0.
    pub fn mark_read(&self) {
        lock(&self.run).unread = 0;
    }

    fn set_status(&self, status: WatchStatus) {
        let changed = {
            let mut run = lock(&self.run);
            let same = run.status.state == status.state
                && run.status.message == status.message
                && run.status.watching == status.watching;
            run.status = status.clone();
            !same
        };
        // Only changes are sent: a status per read would flood the UI with a big fleet.
        if changed {
            self.notifier.status(&status);
        }
    }

    fn last_poll(&self) -> Option<i64> {
        lock(&self.run).status.last_poll_ms
    }

    /// One turn of the task: reads one watched vehicle (or nothing) and returns the pause before
    /// the next turn.
    pub async fn step(&self) -> Duration {
        let Some(sess) = self.source.session().await else {
            lock(&self.run).owner = None;
            self.set_status(WatchStatus {
                state: WatchState::NotSignedIn,
                message: None,
                watching: 0,
                last_poll_ms: None,
            });
            return self.timing.idle;
        };
        let key = sess.owner.key();
        {
            let mut run = lock(&self.run);
            if run.owner.as_deref() != Some(key.as_str()) {
                run.owner = Some(key.clone());
                run.unread = 0;
                run.recent.clear();
                run.next = 0;
                run.failures = 0;
                run.status.last_poll_ms = None;
            }
        }
        let settings = self.settings(&sess.owner);
        let off = if !settings.enabled {
            Some("Watching is off.")
        } else if settings.imeis.is_empty() {
            Some("No vehicle is watched.")
        } else if settings.types.is_empty() {
            Some("No alarm type is marked.")
        } else {
            None
        };
        if let Some(why) = off {
            sess.gate.run(|| {
                self.set_status(WatchStatus {
                    state: WatchState::Off,
                    message: Some(why.to_owned()),
                    watching: 0,
                    last_poll_ms: self.last_poll(),
                })
            });
            return self.timing.idle;
        }
        let n = settings.imeis.len();
        let idx = lock(&self.run).next % n;
        let imei = settings.imeis[idx].clone();
        let now = now_secs() + sess.clock_offset_secs;
        let watching = u32::try_from(n).unwrap_or(u32::MAX);
        let gap = self
            .timing
            .gap(Duration::from_secs(u64::from(settings.every_secs)), n);
        // What a turn does once the read is back happens through the session's gate; a closed
        // gate (signed out meanwhile) leaves everything as it was before the read.
        let said = match self.read_vehicle(&sess, &key, &imei, &settings, now).await {
            Ok(unseen) => {
                // The vehicle names cost a request: only read when there is news.
                let names = if unseen.is_empty() {
                    HashMap::new()
                } else {
                    self.names(&sess).await
                };
                sess.gate.run(|| {
                    {
                        let mut run = lock(&self.run);
                        run.next = idx + 1;
                        run.failures = 0;
                    }
                    let fresh = self.remember(&key, &imei, &settings, now, unseen);
                    if !fresh.is_empty() {
                        self.raise(&sess, &imei, &names, fresh);
                    }
                    self.set_status(WatchStatus {
                        state: WatchState::Watching,
                        message: None,
                        watching,
                        last_poll_ms: Some(now_ms()),
                    });
                    gap
                })
            }
            Err(e) if vehicle_specific(&e) => {
                let words = AppError::from(e).to_string();
                tracing::info!("alarms of {imei} not readable: {words}");
                sess.gate.run(|| {
                    lock(&self.run).next = idx + 1;
                    self.set_status(WatchStatus {
                        state: WatchState::Watching,
                        message: Some(format!("Cannot read the alarms of {imei}: {words}")),
                        watching,
                        last_poll_ms: self.last_poll(),
                    });
                    gap
                })
            }
            Err(e) => {
                let words = AppError::from(e).to_string();
                sess.gate.run(|| {
                    let failures = {
                        let mut run = lock(&self.run);
                        run.failures = run.failures.saturating_add(1);
                        run.failures
                    };
                    let delay = self.timing.backoff(failures);
                    tracing::warn!("alarm watch read failed ({failures} in a row): {words}");
                    self.set_status(WatchStatus {
                        state: WatchState::BackingOff,
                        message: Some(format!(
                            "{} Trying again in {} s.",
                            words.trim_end_matches('.').to_owned() + ".",
                            delay.as_secs().max(1)
                        )),
                        watching,
                        last_poll_ms: self.last_poll(),
                    });
                    delay
                })
            }
        };
        said.unwrap_or(self.timing.idle)
    }

    /// Reads one vehicle's recent alarms and returns those of a watched type not seen before.
    /// Nothing is remembered yet: see [`Self::remember`].
    async fn read_vehicle(
        &self,
        sess: &WatchSession,
        key: &str,
        imei: &str,
        settings: &WatchSettings,
        now: i64,
    ) -> Result<Vec<Alarm>, etrack::Error> {
        let parsed = Imei::parse(imei)?;
        let cursor = lock(&self.seen)
            .data
            .accounts
            .get(key)
            .and_then(|a| a.cursors.get(imei))
            .copied();
        let begin = match cursor {
            Some(c) if c <= now => (c - OVERLAP_SECS).max(now - MAX_CATCHUP_SECS),
            // A cursor ahead of the provider's clock (the clock was corrected, or the demo was
            // restarted after running ahead) would leave nothing to read: start afresh.
            _ => now - FIRST_LOOKBACK_SECS,
        };
        let range = TimeRange::new(begin, now + SLACK_SECS)?;
        let opts = FetchOptions {
            concurrency: 1,
            cancel: self.cancel.child_token(),
            ..FetchOptions::default()
        };
        let alarms = sess
            .client
            .alarms_with(&parsed, range, &opts, &|_| {})
            .await?;
        let held = lock(&self.seen);
        let seen = held.data.accounts.get(key);
        Ok(alarms
            .into_iter()
            .filter(|a| settings.types.contains(&a.alarm_type.code()))
            .filter(|a| seen.is_none_or(|s| !s.seen.contains_key(&alarm_id(imei, a))))
            .collect())
    }

    /// Remembers on disk that `imei` was read up to `now` and which of `unseen` are new, and
    /// returns those.
    fn remember(
        &self,
        key: &str,
        imei: &str,
        settings: &WatchSettings,
        now: i64,
        unseen: Vec<Alarm>,
    ) -> Vec<Alarm> {
        let mut held = lock(&self.seen);
        let account = held.data.accounts.entry(key.to_owned()).or_default();
        let mut fresh = Vec::new();
        for a in unseen {
            // Admitted one by one: a read may hold the same alarm twice.
            if account.admit(alarm_id(imei, &a), a.systemtime) {
                fresh.push(a);
            }
        }
        account.cursors.insert(imei.to_owned(), now);
        // A vehicle no longer watched starts afresh if watched again.
        account
            .cursors
            .retain(|i, _| settings.imeis.iter().any(|w| w == i));
        account.prune(now);
        let file = SeenFile {
            version: 1,
            accounts: std::mem::take(&mut held.data.accounts),
        };
        // Written before any notification: a restart must not notify these again. If it cannot
        // be written, they are still notified (and remembered until the app closes).
        if let Err(e) = data_file::save(&held.path, &file) {
            tracing::warn!("cannot save {}: {e}", held.path.display());
        }
        held.data = file;
        fresh
    }

    /// The account's vehicle names as the list shows them (name, else plate, else IMEI), read
    /// again now and then.
    async fn names(&self, sess: &WatchSession) -> HashMap<String, String> {
        let key = sess.owner.key();
        {
            let run = lock(&self.run);
            if let Some(n) = &run.names {
                if n.owner == key && n.at.elapsed() < self.timing.names_every {
                    return n.by_imei.clone();
                }
            }
        }
        match sess.client.device_list(None).await {
            Ok(devices) => {
                let by_imei: HashMap<String, String> = devices
                    .into_iter()
                    .map(|d| {
                        let name = [&d.devicename, &d.platenumber]
                            .into_iter()
                            .map(|s| s.trim())
                            .find(|s| !s.is_empty())
                            .unwrap_or(d.imei.as_str())
                            .to_owned();
                        (d.imei, name)
                    })
                    .collect();
                lock(&self.run).names = Some(Names {
                    owner: key,
                    at: Instant::now(),
                    by_imei: by_imei.clone(),
                });
                by_imei
            }
            Err(e) => {
                tracing::info!("vehicle names unavailable for notifications: {e}");
                HashMap::new()
            }
        }
    }

    /// Tells the user: desktop notifications, then the in-app list and badge.
    fn raise(
        &self,
        sess: &WatchSession,
        imei: &str,
        names: &HashMap<String, String>,
        fresh: Vec<Alarm>,
    ) {
        let vehicle = names.get(imei).cloned().unwrap_or_else(|| imei.to_owned());
        let noticed_ms = now_ms();
        let mut out: Vec<WatchedAlarm> = fresh
            .into_iter()
            .map(|alarm| {
                let geofence_name = match &self.geofences {
                    Some(store) if is_geofence_alarm(&alarm) => {
                        store.name_near_edge(&sess.owner, imei, alarm.latitude, alarm.longitude)
                    }
                    _ => None,
                };
                WatchedAlarm {
                    id: alarm_id(imei, &alarm),
                    imei: imei.to_owned(),
                    vehicle: vehicle.clone(),
                    words: alarm.alarm_type.words().to_owned(),
                    alarm,
                    geofence_name,
                    noticed_ms,
                    desktop: DesktopNotice::Raised,
                    desktop_error: None,
                }
            })
            .collect();

        let shown: Vec<(String, String)> = if out.len() <= MAX_SINGLE_NOTIFICATIONS {
            out.iter()
                .map(|w| (format!("{} — {}", w.words, w.vehicle), body(w)))
                .collect()
        } else {
            let mut kinds: Vec<&str> = out.iter().map(|w| w.words.as_str()).collect();
            kinds.dedup();
            vec![(
                format!("{} new alarms — {}", out.len(), vehicle),
                kinds.join(", "),
            )]
        };
        let mut failure: Option<String> = None;
        for (title, text) in &shown {
            if let Err(e) = self.notifier.desktop(title, text) {
                tracing::info!("desktop notification not shown: {e}");
                failure = Some(e);
            }
        }
        if let Some(e) = failure {
            for w in &mut out {
                w.desktop = DesktopNotice::Failed;
                w.desktop_error = Some(e.clone());
            }
        }

        let unread = {
            let mut run = lock(&self.run);
            run.unread = run
                .unread
                .saturating_add(u32::try_from(out.len()).unwrap_or(u32::MAX));
            for w in &out {
                run.recent.push_front(w.clone());
            }
            run.recent.truncate(MAX_RECENT);
            run.unread
        };
        self.notifier.new_alarms(&AlarmsNewEvent {
            alarms: out,
            unread,
        });
    }
}

/// A notification's text: where, how fast, which geofence.
fn body(w: &WatchedAlarm) -> String {
    let mut parts = Vec::new();
    if let Some(g) = &w.geofence_name {
        parts.push(format!("Geofence “{g}”"));
    }
    if w.alarm.speed > 0 {
        parts.push(format!("{} km/h", w.alarm.speed));
    }
    parts.push(format!(
        "at {:.5}, {:.5}",
        w.alarm.latitude, w.alarm.longitude
    ));
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alarm_is_admitted_once_and_old_ones_are_forgotten() {
        let mut a = SeenAccount::default();
        assert!(a.admit("x".into(), 1_000_000));
        assert!(!a.admit("x".into(), 1_000_000), "the same alarm twice");
        assert!(a.admit("y".into(), 1_000_000));
        a.prune(1_000_000 + MAX_CATCHUP_SECS);
        assert_eq!(a.seen.len(), 2, "still within reach of a catch-up read");
        a.prune(1_000_000 + 3 * MAX_CATCHUP_SECS);
        assert!(a.seen.is_empty(), "no read can return them any more");
    }

    #[test]
    fn the_seen_set_is_bounded_keeping_the_newest() {
        let mut a = SeenAccount::default();
        for i in 0..(MAX_SEEN + 10) {
            a.admit(
                format!("a{i}"),
                5_000_000 + i64::try_from(i).expect("small"),
            );
        }
        a.prune(5_000_000);
        assert_eq!(a.seen.len(), MAX_SEEN);
        assert!(!a.seen.contains_key("a0") && a.seen.contains_key(&format!("a{}", MAX_SEEN + 9)));
    }

    #[test]
    fn reads_are_spread_over_the_interval_but_never_faster_than_the_gap() {
        let t = WatchTiming::default();
        let minute = Duration::from_secs(60);
        assert_eq!(t.gap(minute, 1), minute);
        assert_eq!(t.gap(minute, 3), Duration::from_secs(20));
        assert_eq!(t.gap(minute, 500), t.min_gap);
        assert_eq!(t.gap(minute, 0), minute);
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_a_little_jitter() {
        let t = WatchTiming::default();
        for (n, ceiling) in [(1u32, 5u64), (2, 10), (3, 20), (7, 300), (40, 300)] {
            let d = t.backoff(n);
            let ceiling = Duration::from_secs(ceiling);
            assert!(d >= ceiling / 2 && d <= ceiling, "{n}: {d:?}");
        }
    }

    #[test]
    fn settings_are_checked_and_normalised() {
        let s = WatchSettings {
            enabled: true,
            types: vec![6, 5, 6],
            imeis: vec!["358899051025339".into(), " 358899051025339".into()],
            every_secs: 60,
        }
        .validated()
        .expect("valid");
        assert_eq!(s.types, vec![5, 6]);
        assert_eq!(s.imeis.len(), 1);
        assert!(WatchSettings {
            types: vec![99],
            ..WatchSettings::default()
        }
        .validated()
        .is_err());
        assert!(WatchSettings {
            every_secs: 5,
            ..WatchSettings::default()
        }
        .validated()
        .is_err());
        assert_eq!(WatchSettings::default().types, DEFAULT_TYPES);
    }
}
