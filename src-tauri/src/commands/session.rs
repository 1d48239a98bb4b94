//! Signing in and out, saved accounts.

use crate::error::IpcError;
use crate::session::{RestoreResult, SessionInfo, SessionManager};
use crate::settings::SavedAccount;
use tauri::State;

/// Signs in with the remembered account, if the keychain has it.
#[tauri::command]
pub async fn session_restore(
    sessions: State<'_, SessionManager>,
) -> Result<RestoreResult, IpcError> {
    sessions.restore().await
}

/// Signs in with a password (the only time a password crosses IPC, towards the backend).
#[tauri::command]
pub async fn session_login(
    sessions: State<'_, SessionManager>,
    provider_url: String,
    account: String,
    password: String,
    remember: bool,
) -> Result<SessionInfo, IpcError> {
    sessions
        .login(&provider_url, &account, &password, remember)
        .await
}

/// Starts the built-in demo service and signs into it.
#[tauri::command]
pub async fn session_demo(sessions: State<'_, SessionManager>) -> Result<SessionInfo, IpcError> {
    sessions.demo().await
}

/// Signs out and forgets the account's keychain entry, and the histories loaded for playback.
#[tauri::command]
pub async fn session_logout(
    sessions: State<'_, SessionManager>,
    playback: State<'_, crate::playback::PlaybackService>,
) -> Result<(), IpcError> {
    // The session ends first: a playback load still running cannot refill the cache after it.
    let signed_out = sessions.logout().await;
    playback.clear();
    signed_out
}

/// Who is signed in.
#[tauri::command]
pub async fn session_current(
    sessions: State<'_, SessionManager>,
) -> Result<Option<SessionInfo>, IpcError> {
    Ok(sessions.current().await)
}

/// The accounts that can be switched to.
#[tauri::command]
pub fn session_saved_accounts(
    sessions: State<'_, SessionManager>,
) -> Result<Vec<SavedAccount>, IpcError> {
    Ok(sessions.saved_accounts())
}

/// Signs in with a saved account.
#[tauri::command]
pub async fn session_switch(
    sessions: State<'_, SessionManager>,
    account: String,
    provider_url: String,
) -> Result<SessionInfo, IpcError> {
    sessions.switch(&account, &provider_url).await
}
