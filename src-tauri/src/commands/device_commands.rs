//! Device commands with a confirmation the backend enforces, and the audit log.

use crate::audit::{self, AuditEntry};
use crate::data_file::utc_day;
use crate::device_commands::{CommandPreview, CommandResult};
use crate::error::IpcError;
use crate::live::now_ms;
use crate::ops_host::{save_text, Operations, TauriCommandEvents};
use crate::session::SessionManager;
use etrack::Command;
use std::sync::Arc;
use tauri::{AppHandle, State};

/// Reads the vehicle's state and returns what `command` will do, with a one-time confirmation id.
/// Sends nothing.
#[tauri::command]
pub async fn command_prepare(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    imei: String,
    command: Command,
) -> Result<CommandPreview, IpcError> {
    ops.commands.prepare(&sessions, &imei, command).await
}

/// Sends the prepared command (valid, unused, unexpired id and, when asked for, the typed text)
/// and waits for the device's reply, with "command-progress" events.
#[tauri::command]
pub async fn command_confirm(
    app: AppHandle,
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    confirmation_id: String,
    typed: Option<String>,
) -> Result<CommandResult, IpcError> {
    ops.commands
        .confirm(
            &sessions,
            &confirmation_id,
            typed.as_deref(),
            Arc::new(TauriCommandEvents(app)),
        )
        .await
}

/// Stops waiting for a sent command's reply (it is not withdrawn, and not sent again).
#[tauri::command]
pub fn command_stop_waiting(ops: State<'_, Operations>, confirmation_id: String) -> bool {
    ops.commands.stop_waiting(&confirmation_id)
}

/// Voids a confirmation id: the dialog was cancelled.
#[tauri::command]
pub fn command_discard(ops: State<'_, Operations>, confirmation_id: String) {
    ops.commands.discard(&confirmation_id);
}

/// Every entry of the audit log, oldest first.
#[tauri::command]
pub fn audit_list(ops: State<'_, Operations>) -> Result<Vec<AuditEntry>, IpcError> {
    ops.commands.audit().read().map_err(|e| {
        IpcError::internal(format!(
            "Cannot read the audit log {}: {e}.",
            ops.commands.audit().path().display()
        ))
    })
}

/// Saves the audit log as CSV where the user picks; `None` when the dialog was dismissed.
#[tauri::command]
pub async fn audit_export_csv(
    app: AppHandle,
    ops: State<'_, Operations>,
) -> Result<Option<String>, IpcError> {
    let entries = audit_list(ops.clone())?;
    let day = utc_day(now_ms() / 1000);
    save_text(
        &app,
        ops.export_dir.as_deref(),
        "Export the command log",
        &format!("etrack-command-log-{day}.csv"),
        ("CSV", "csv"),
        audit::to_csv(&entries),
    )
    .await
}
