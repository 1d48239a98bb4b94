//! The Tauri side of geofences and alarms: where their files live, the desktop notifications and
//! events, the session the alarm watcher reads, and the demo's time scale.

use crate::alarm_watch::{
    events, AlarmNotifier, AlarmWatcher, AlarmsNewEvent, BoxFuture, SessionSource, WatchSession,
    WatchStatus, WatchTiming,
};
use crate::demo_clock::{self, DemoClock};
use crate::error::IpcError;
use crate::geofences::{GeofenceStore, Owner};
use crate::session::{SessionManager, SignedIn};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{Emitter, Manager};
use tauri_plugin_notification::NotificationExt;
use tokio_util::sync::CancellationToken;

/// Overrides the data dir (geofences, alarm watch); tests point it at a temporary one.
pub const DATA_DIR_ENV: &str = "ETRACK_DATA_DIR";

/// The managed state of the geofence and alarm features.
pub struct GeoAlarms {
    /// The record of geofences made here.
    pub geofences: Arc<GeofenceStore>,
    /// The alarm watcher (its task runs for the app's life).
    pub watcher: Arc<AlarmWatcher>,
    /// How far the demo's clock was moved ahead.
    pub demo_clock: Arc<DemoClock>,
    /// The demo's time scale (1 = real time).
    pub time_scale: f64,
    /// Cancels the alarm query in flight (a new query replaces it).
    pub query: Mutex<Option<CancellationToken>>,
    /// Where exports go without the Save dialog (`--export-dir` / `ETRACK_EXPORT_DIR`), if
    /// anywhere.
    pub export_dir: Option<PathBuf>,
}

/// The signed-in session and its owner, or "not signed in".
pub async fn signed_in(sessions: &SessionManager) -> Result<(SignedIn, Owner), IpcError> {
    let session = sessions.signed_in().await?;
    let owner = Owner::of(&session.info);
    Ok((session, owner))
}

/// The signed-in account's owner key, or "not signed in".
pub async fn current_owner(sessions: &SessionManager) -> Result<Owner, IpcError> {
    let info = sessions
        .current()
        .await
        .ok_or_else(IpcError::not_signed_in)?;
    Ok(Owner::of(&info))
}

/// Where the app keeps its records (geofences, alarm watch, audit log): `$ETRACK_DATA_DIR`, else
/// the platform's app data dir.
pub fn data_dir(app: &tauri::AppHandle) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => app.path().app_data_dir(),
    }
}

/// Desktop notifications through tauri-plugin-notification, events to the webview.
struct TauriNotifier(tauri::AppHandle);

impl AlarmNotifier for TauriNotifier {
    fn desktop(&self, title: &str, body: &str) -> Result<(), String> {
        // The plugin hands the notification to the system on a background thread, so a missing
        // notification service costs a log line there, never a stall here.
        self.0
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
            .map_err(|e| e.to_string())
    }

    fn new_alarms(&self, event: &AlarmsNewEvent) {
        if let Err(e) = self.0.emit(events::ALARMS_NEW, event) {
            tracing::warn!("cannot send alarms-new: {e}");
        }
    }

    fn status(&self, status: &WatchStatus) {
        if let Err(e) = self.0.emit(events::WATCH_STATUS, status) {
            tracing::warn!("cannot send alarm-watch-status: {e}");
        }
    }
}

/// The app's session, as the watcher reads it.
struct AppSessions {
    app: tauri::AppHandle,
    clock: Arc<DemoClock>,
}

impl SessionSource for AppSessions {
    fn session(&self) -> BoxFuture<'_, Option<WatchSession>> {
        Box::pin(async move {
            let sessions = self.app.try_state::<SessionManager>()?;
            let (session, owner) = signed_in(&sessions).await.ok()?;
            Some(WatchSession {
                owner,
                clock_offset_secs: if session.info.demo {
                    self.clock.offset_secs()
                } else {
                    0
                },
                client: session.client,
                gate: session.gate,
            })
        })
    }
}

/// Opens the stores, starts the alarm watcher (and the demo's faster clock when asked for) and
/// hands the state to Tauri. Call after the [`SessionManager`] is managed.
pub fn setup(app: &tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let handle = app.handle().clone();
    let dir = data_dir(&handle)?;
    let export_dir = crate::playback::export_dir_override();
    let geofences = Arc::new(GeofenceStore::open(&dir));
    tracing::info!("geofences in {}", geofences.path().display());
    let clock = Arc::new(DemoClock::default());
    let watcher = Arc::new(AlarmWatcher::new(
        &dir,
        Arc::new(TauriNotifier(handle.clone())),
        Arc::new(AppSessions {
            app: handle.clone(),
            clock: clock.clone(),
        }),
        Some(geofences.clone()),
        WatchTiming::default(),
    ));
    tauri::async_runtime::spawn(watcher.clone().run());

    let args: Vec<String> = std::env::args().skip(1).collect();
    let scale = demo_clock::time_scale_from(&args, std::env::var(demo_clock::TIME_SCALE_ENV).ok());
    if let Some(scale) = scale.filter(|s| *s > 1.0) {
        tracing::info!("the demo's clock runs {scale}x as fast as real time");
        let clock = clock.clone();
        let handle = handle.clone();
        tauri::async_runtime::spawn(async move {
            let mut carry = 0.0;
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            loop {
                tick.tick().await;
                let Some(sessions) = handle.try_state::<SessionManager>() else {
                    continue;
                };
                // Only once the demo runs: a real provider's clock is never touched.
                if let Some(sim) = sessions.demo_service() {
                    clock.advance(sim, demo_clock::scale_step(scale, &mut carry));
                }
            }
        });
    }

    app.manage(GeoAlarms {
        geofences,
        watcher,
        demo_clock: clock,
        time_scale: scale.unwrap_or(1.0),
        query: Mutex::new(None),
        export_dir,
    });
    Ok(())
}
