//! The etrack desktop app: a thin Tauri shell around [`etrack_app`].
//!
//! The shell builds the one [`etrack_app::AppContext`] from the launch options, registers the
//! plugins and the commands of the IPC contract (`contract.rs`, one table), and implements the
//! host traits ([`host::TauriHost`]). Everything else lives in `etrack-app`.

pub mod bindings;
pub mod host;
pub mod ipc;
pub mod tiles;
mod updater;
mod webview;

/// The IPC contract table and what [`ipc_contract!`] makes of it.
mod contract {
    use crate::ipc::Binary;
    use crate::ipc_contract;
    use etrack::export::Format;
    use etrack::{Command, Device, UserInfo};
    use etrack_app::accounts::{AccountActionPreview, MessageSendResult};
    use etrack_app::alarm_watch::{
        AlarmsNewEvent, NoticeWords, WatchOverview, WatchSettings, WatchStatus,
    };
    use etrack_app::alarms::{AlarmProgress, AlarmQueryResult};
    use etrack_app::audit::AuditPage;
    use etrack_app::data_file::ExportedFile;
    use etrack_app::demo::{DemoClockInfo, DemoRequest, DemoSimGeofence};
    use etrack_app::device_commands::{CommandPreview, CommandProgress, CommandResult};
    use etrack_app::geocoder::GeoPoint;
    use etrack_app::geofences::{
        GeofenceDraft, GeofenceImportResult, GeofenceListing, GeofenceSaveResult,
    };
    use etrack_app::live::{LiveStatus, LiveUpdate};
    use etrack_app::mileage::MileageReport;
    use etrack_app::playback::{ExportDone, PlaybackLoaded, PlaybackProgress};
    use etrack_app::reports::export::ReportFormat;
    use etrack_app::reports::{ReportProgress, ReportRequest, ReportResult};
    use etrack_app::session::{FleetOpened, FleetScope, HistoryInfo, RestoreResult, SessionInfo};
    use etrack_app::settings::{SavedAccount, Settings};
    use etrack_app::tiles::{Basemap, TileCacheInfo};
    use etrack_app::updates::{AboutInfo, UpdateCheck, UpdateInstalled, UpdateProgress};

    include!("contract.rs");
}

pub use contract::{commands, contract, handler};

use etrack_app::context::Dirs;
use etrack_app::keychain::OsKeychain;
use etrack_app::launch::LaunchOptions;
use etrack_app::AppContext;
use std::io::IsTerminal;
use std::sync::Arc;
use tauri::Manager;

/// Where the app keeps its files: the launch overrides, else the platform's directories.
fn dirs(app: &tauri::AppHandle, options: &LaunchOptions) -> Result<Dirs, tauri::Error> {
    Ok(Dirs {
        config: match &options.config_dir {
            Some(dir) => dir.clone(),
            None => app.path().app_config_dir()?,
        },
        data: match &options.data_dir {
            Some(dir) => dir.clone(),
            None => app.path().app_data_dir()?,
        },
    })
}

/// Brings the main window to the front (un-minimised), as a second launch asks.
fn focus_main_window(app: &tauri::AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        tracing::warn!("cannot bring the window forward: {e}");
    }
    tracing::info!("a second launch: the open window was brought forward");
}

/// Builds and runs the app; returns when the last window closes.
pub fn run() {
    // Plain text when stderr is a file (end-to-end logs, a user's redirect), colour on a terminal.
    let _ = tracing_subscriber::fmt()
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .try_init();
    webview::prepare();
    let options = LaunchOptions::from_process();

    let app = tiles::register(tauri::Builder::default())
        // First: a second launch (a double click on the icon, a desktop entry) shows this window
        // instead of a second app whose session would take over the account's token.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Save dialogs are opened by the backend: the webview is granted none of the plugin's
        // commands.
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (alarm notifications): the webview is granted none of its commands.
        .plugin(tauri_plugin_notification::init())
        // Used from Rust only (Settings' "Check for updates", the quiet check at start): the
        // webview is granted none of its commands.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .setup(move |app| {
            let handle = app.handle().clone();
            let dirs = dirs(&handle, &options)?;
            let host = host::TauriHost::new(handle, options.export_dir.clone());
            let ctx = AppContext::new(&options, &dirs, Arc::new(OsKeychain), Arc::new(host));
            tauri::async_runtime::spawn(ctx.clone().background());
            app.manage(ctx);
            #[cfg(feature = "e2e")]
            app.add_capability(include_str!("../capabilities-e2e/e2e.json"))?;
            Ok(())
        })
        .invoke_handler(handler())
        .build(tauri::generate_context!());

    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                if let Some(ctx) = handle.try_state::<Arc<AppContext>>() {
                    tauri::async_runtime::block_on(ctx.shutdown());
                }
            }
        }),
        Err(e) => {
            eprintln!("etrack cannot start: {e}");
            std::process::exit(1);
        }
    }
}
