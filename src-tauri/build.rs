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
    "geofence_list",
    "geofence_create",
    "geofence_forget",
    "geofence_export",
    "geofence_import",
    "demo_sim_geofences",
    "alarms_query",
    "alarms_cancel",
    "alarms_save_csv",
    "alarms_watch_get",
    "alarms_watch_set",
    "alarms_mark_read",
    "demo_clock_advance",
    "demo_request_log",
    "command_prepare",
    "command_confirm",
    "command_stop_waiting",
    "command_discard",
    "audit_list",
    "audit_export_csv",
    "mileage_report",
    "mileage_cancel",
    "mileage_save_csv",
    "accounts_list",
    "account_profile",
    "account_block_prepare",
    "account_block_confirm",
    "account_block_discard",
    "message_send",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
