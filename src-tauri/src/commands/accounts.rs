//! Sub-customer accounts: list, profile, block and unblock (confirmed), messages.

use crate::accounts::{AccountActionPreview, MessageSendResult};
use crate::error::IpcError;
use crate::ops_host::Operations;
use crate::session::SessionManager;
use etrack::UserInfo;
use tauri::State;

/// The signed-in account's sub-customers.
#[tauri::command]
pub async fn accounts_list(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
) -> Result<Vec<UserInfo>, IpcError> {
    ops.accounts.list(&sessions).await
}

/// The signed-in account's own information.
#[tauri::command]
pub async fn account_profile(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
) -> Result<UserInfo, IpcError> {
    ops.accounts.profile(&sessions).await
}

/// What blocking (or unblocking) `account` will do, with a one-time confirmation id. Changes
/// nothing.
#[tauri::command]
pub async fn account_block_prepare(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    account: String,
    block: bool,
) -> Result<AccountActionPreview, IpcError> {
    ops.accounts.prepare_block(&sessions, &account, block).await
}

/// Blocks or unblocks as prepared; returns the account afterwards.
#[tauri::command]
pub async fn account_block_confirm(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    confirmation_id: String,
) -> Result<UserInfo, IpcError> {
    ops.accounts
        .confirm_block(&sessions, &confirmation_id)
        .await
}

/// Voids a block/unblock confirmation id: the dialog was cancelled.
#[tauri::command]
pub fn account_block_discard(ops: State<'_, Operations>, confirmation_id: String) {
    ops.accounts.discard(&confirmation_id);
}

/// Sends a message to the accounts, 200 a request.
#[tauri::command]
pub async fn message_send(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    accounts: Vec<String>,
    content: String,
) -> Result<MessageSendResult, IpcError> {
    ops.accounts
        .send_message(&sessions, &accounts, &content)
        .await
}
