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
//!
//! - [`settings`]: what the user watches, per account (`alarm-watch.json`);
//! - [`store`]: where each vehicle's read got to and the alarms already notified;
//! - [`scheduler`]: the task's turns, pacing and back-off;
//! - [`notify`]: desktop notifications and the in-app badge;
//! - [`words`]: the notifications' words in the user's language, as the UI gives them.

mod notify;
mod scheduler;
mod settings;
mod store;
mod words;

pub use crate::host::BoxFuture;
pub use notify::AlarmNotifier;
pub use scheduler::WatchTiming;
pub use settings::{
    WatchSettings, DEFAULT_EVERY_SECS, DEFAULT_TYPES, MAX_EVERY_SECS, MIN_EVERY_SECS,
};
pub use words::{fill, CountedTemplate, NoticeWords, PluralCategory, PLURAL_TABLE_LEN};

use crate::alarms::{alarm_types, AlarmTypeInfo};
use crate::gate::Gate;
use crate::geofences::{GeofenceStore, Owner};
use crate::host::Event;
use crate::json_store::JsonStore;
use crate::live::now_ms;
use etrack::{Alarm, Client};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The watch settings file in the data dir.
pub const WATCH_FILE: &str = "alarm-watch.json";
/// The alarms already notified, in the data dir.
pub const SEEN_FILE: &str = "alarm-seen.json";

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

/// Tells the watcher who is signed in.
pub trait SessionSource: Send + Sync + 'static {
    /// The current session, if any.
    fn session(&self) -> BoxFuture<'_, Option<WatchSession>>;
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
    watch: JsonStore<settings::WatchFile>,
    seen: JsonStore<store::SeenFile>,
    notifier: Arc<dyn AlarmNotifier>,
    source: Arc<dyn SessionSource>,
    geofences: Option<Arc<GeofenceStore>>,
    timing: WatchTiming,
    wake: Notify,
    cancel: CancellationToken,
    run: Mutex<Run>,
    words: Mutex<Arc<NoticeWords>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data behind a lock poisoned by a panic is still consistent (written whole): use it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn now_secs() -> i64 {
    now_ms() / 1000
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
            watch: JsonStore::open(dir.join(WATCH_FILE)),
            seen: JsonStore::open(dir.join(SEEN_FILE)),
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
            words: Mutex::new(Arc::new(NoticeWords::default())),
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

    /// The notifications' words from now on (the UI's, in the user's language).
    pub fn set_notice_words(&self, words: NoticeWords) {
        *lock(&self.words) = Arc::new(words);
    }

    /// The notifications' words in use.
    pub fn notice_words(&self) -> Arc<NoticeWords> {
        lock(&self.words).clone()
    }

    pub(super) fn set_status(&self, status: WatchStatus) {
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

    pub(super) fn last_poll(&self) -> Option<i64> {
        lock(&self.run).status.last_poll_ms
    }
}
