//! The user's settings.

use crate::error::IpcError;
use crate::session::SessionManager;
use crate::settings::Settings;
use tauri::State;

/// The settings.
#[tauri::command]
pub fn settings_get(sessions: State<'_, SessionManager>) -> Result<Settings, IpcError> {
    Ok(sessions.settings_get())
}

/// Validates and saves the settings; the poller restarts with the new interval.
#[tauri::command]
pub async fn settings_set(
    sessions: State<'_, SessionManager>,
    settings: Settings,
) -> Result<Settings, IpcError> {
    sessions.settings_set(settings).await
}
