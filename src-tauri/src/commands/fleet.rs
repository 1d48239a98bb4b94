//! The fleet: devices and live positions.

use crate::error::IpcError;
use crate::live::LiveUpdate;
use crate::session::SessionManager;
use tauri::State;

/// The account's devices, completed by their detail.
#[tauri::command]
pub async fn fleet_devices(
    sessions: State<'_, SessionManager>,
) -> Result<Vec<etrack::Device>, IpcError> {
    sessions.devices().await
}

/// The latest live update, if any.
#[tauri::command]
pub async fn live_snapshot(
    sessions: State<'_, SessionManager>,
) -> Result<Option<LiveUpdate>, IpcError> {
    Ok(sessions.live_snapshot().await)
}

/// Polls now.
#[tauri::command]
pub async fn live_refresh_now(sessions: State<'_, SessionManager>) -> Result<(), IpcError> {
    sessions.live_refresh_now().await
}
