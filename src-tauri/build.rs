//! Builds the Tauri context. The app's own commands are declared here so each gets a permission
//! (`allow-session-login`, ...) and capabilities/ can grant exactly the ones the UI uses.

/// Every command of the IPC contract.
const COMMANDS: &[&str] = &[
    "session_restore",
    "session_login",
    "session_demo",
    "session_logout",
    "session_current",
    "session_saved_accounts",
    "session_switch",
    "fleet_devices",
    "live_snapshot",
    "live_refresh_now",
    "settings_get",
    "settings_set",
    "playback_load",
    "playback_cancel",
    "playback_points",
    "playback_export",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
