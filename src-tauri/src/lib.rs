//! The etrack desktop app: the Tauri shell around the `etrack` client.
//!
//! The shell is thin: [`session::SessionManager`] holds the sign-in flows, the keychain, the
//! settings and the live poller, and knows nothing of Tauri; [`commands`] hand IPC calls to it and
//! [`TauriSink`] forwards its events to the webview.

pub mod accounts;
pub mod alarm_watch;
pub mod alarms;
pub mod audit;
pub mod bindings;
pub mod commands;
pub mod confirmations;
pub mod data_file;
pub mod demo_clock;
pub mod device_commands;
pub mod error;
pub mod gate;
pub mod geo_alarm_host;
pub mod geofences;
pub mod keychain;
pub mod live;
pub mod mileage;
pub mod ops_host;
pub mod playback;
pub mod session;
pub mod settings;

use live::{events, EventSink, LiveStatus, LiveUpdate};
use session::SessionManager;
use std::path::PathBuf;
use std::sync::Arc;
use tauri::{Emitter, Manager};

/// Overrides the settings directory (tests point it at a temporary one).
pub const CONFIG_DIR_ENV: &str = "ETRACK_CONFIG_DIR";
/// `1`: sign into the demo at start when no account is remembered (same as `--demo`).
pub const DEMO_ENV: &str = "ETRACK_DEMO";
/// How many devices the demo fleet has (1..=500; the simulator's default otherwise).
pub const DEMO_DEVICES_ENV: &str = "ETRACK_DEMO_DEVICES";

/// Sends the backend's events to every webview.
pub struct TauriSink(pub tauri::AppHandle);

impl EventSink for TauriSink {
    fn live_update(&self, update: &LiveUpdate) {
        if let Err(e) = self.0.emit(events::LIVE_UPDATE, update) {
            tracing::warn!("cannot send live-update: {e}");
        }
    }

    fn live_status(&self, status: &LiveStatus) {
        if let Err(e) = self.0.emit(events::LIVE_STATUS, status) {
            tracing::warn!("cannot send live-status: {e}");
        }
    }
}

/// Where settings.json lives: `$ETRACK_CONFIG_DIR`, else the platform's app config dir.
fn config_dir(app: &tauri::AppHandle) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os(CONFIG_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_config_dir(),
    }
}

fn demo_at_start() -> bool {
    std::env::args().skip(1).any(|a| a == "--demo")
        || std::env::var(DEMO_ENV).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

fn demo_config() -> etrack_sim::SimConfig {
    let mut config = etrack_sim::SimConfig::default();
    if let Some(n) = std::env::var(DEMO_DEVICES_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=500).contains(n))
    {
        config.devices = n;
    }
    config
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Save dialogs are opened by the backend (playback export): the webview is granted none of
        // the plugin's commands.
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (alarm notifications): the webview is granted none of its commands.
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let dir = config_dir(app.handle())?;
            let store = settings::SettingsStore::load(&dir);
            tracing::info!("settings in {}", store.path().display());
            let manager = SessionManager::new(
                store,
                Arc::new(keychain::OsKeychain),
                Arc::new(TauriSink(app.handle().clone())),
            )
            .with_demo_config(demo_config())
            .with_demo_at_start(demo_at_start());
            app.manage(manager);
            app.manage(playback::PlaybackService::new(
                playback::export_dir_override(),
            ));
            geo_alarm_host::setup(app)?;
            ops_host::setup(app)?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::session_restore,
            commands::session::session_login,
            commands::session::session_demo,
            commands::session::session_logout,
            commands::session::session_current,
            commands::session::session_saved_accounts,
            commands::session::session_switch,
            commands::fleet::fleet_devices,
            commands::fleet::live_snapshot,
            commands::fleet::live_refresh_now,
            commands::settings::settings_get,
            commands::settings::settings_set,
            commands::playback::playback_load,
            commands::playback::playback_cancel,
            commands::playback::playback_points,
            commands::playback::playback_export,
            commands::geofences::geofence_list,
            commands::geofences::geofence_create,
            commands::geofences::geofence_forget,
            commands::geofences::geofence_export,
            commands::geofences::geofence_import,
            commands::geofences::demo_sim_geofences,
            commands::alarms::alarms_query,
            commands::alarms::alarms_cancel,
            commands::alarms::alarms_save_csv,
            commands::alarms::alarms_watch_get,
            commands::alarms::alarms_watch_set,
            commands::alarms::alarms_mark_read,
            commands::alarms::demo_clock_advance,
            commands::demo::demo_request_log,
            commands::device_commands::command_prepare,
            commands::device_commands::command_confirm,
            commands::device_commands::command_stop_waiting,
            commands::device_commands::command_discard,
            commands::device_commands::audit_list,
            commands::device_commands::audit_export_csv,
            commands::mileage::mileage_report,
            commands::mileage::mileage_cancel,
            commands::mileage::mileage_save_csv,
            commands::accounts::accounts_list,
            commands::accounts::account_profile,
            commands::accounts::account_block_prepare,
            commands::accounts::account_block_confirm,
            commands::accounts::account_block_discard,
            commands::accounts::message_send,
        ])
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(manager) = handle.try_state::<SessionManager>() {
                    tauri::async_runtime::block_on(manager.shutdown());
                }
            }
        }),
        Err(e) => {
            eprintln!("etrack cannot start: {e}");
            std::process::exit(1);
        }
    }
}
