//! The Tauri side of device commands, accounts and mileage: where the audit log lives, progress
//! events to the webview, and saving exports through the system's Save dialog.

use crate::accounts::AccountDesk;
use crate::audit::AuditLog;
use crate::device_commands::{CommandDesk, CommandEvents, CommandProgress, COMMAND_PROGRESS_EVENT};
use crate::error::IpcError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tauri::{Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use tokio_util::sync::CancellationToken;

/// The managed state of commands, accounts and mileage.
pub struct Operations {
    /// Device commands and the audit log.
    pub commands: CommandDesk,
    /// Account actions.
    pub accounts: AccountDesk,
    /// Cancels the mileage report in flight (a new report replaces it).
    pub mileage: Mutex<Option<CancellationToken>>,
    /// Where exports go without asking (`--export-dir=DIR` / `ETRACK_EXPORT_DIR`), if anywhere.
    pub export_dir: Option<PathBuf>,
}

/// Progress of a command, as the "command-progress" event.
pub struct TauriCommandEvents(pub tauri::AppHandle);

impl CommandEvents for TauriCommandEvents {
    fn progress(&self, progress: &CommandProgress) {
        if let Err(e) = self.0.emit(COMMAND_PROGRESS_EVENT, progress) {
            tracing::warn!("cannot send {COMMAND_PROGRESS_EVENT}: {e}");
        }
    }
}

/// Opens the audit log in the data dir and hands the state to Tauri.
pub fn setup(app: &tauri::App) -> Result<(), Box<dyn std::error::Error>> {
    let dir = crate::geo_alarm_host::data_dir(app.handle())?;
    let audit = Arc::new(AuditLog::in_dir(&dir));
    tracing::info!("audit log in {}", audit.path().display());
    app.manage(Operations {
        commands: CommandDesk::new(audit.clone()),
        accounts: AccountDesk::new(audit),
        mileage: Mutex::new(None),
        export_dir: crate::playback::export_dir_override(),
    });
    Ok(())
}

/// Where an export goes: `file_name` in the export directory when the app has one
/// (`--export-dir=DIR` / `ETRACK_EXPORT_DIR`: tests, as WebDriver cannot drive a native dialog),
/// else the file the user picks in the Save dialog (`title`, suggesting `file_name` in the
/// Downloads folder, filtered to `(label, extension)`). `None` when the dialog was dismissed. The
/// dialog is opened from Rust, so the webview is granted none of the dialog plugin's commands.
pub async fn pick_save_path(
    app: &tauri::AppHandle,
    export_dir: Option<&Path>,
    title: &str,
    file_name: &str,
    (label, extension): (&str, &str),
) -> Result<Option<PathBuf>, IpcError> {
    if let Some(dir) = export_dir {
        return Ok(Some(dir.join(file_name)));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(label, &[extension]);
    if let Ok(downloads) = app.path().download_dir() {
        dialog = dialog.set_directory(downloads);
    }
    dialog.save_file(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx
        .await
        .map_err(|_| IpcError::internal("The save dialog closed unexpectedly."))?;
    picked
        .map(|p| {
            p.into_path()
                .map_err(|e| IpcError::internal(format!("The chosen file cannot be written: {e}.")))
        })
        .transpose()
}

/// Writes `text` where [`pick_save_path`] says; `None` when the dialog was dismissed. The command
/// log, mileage, alarm and geofence exports go through here.
pub async fn save_text(
    app: &tauri::AppHandle,
    export_dir: Option<&Path>,
    title: &str,
    file_name: &str,
    filter: (&str, &str),
    text: String,
) -> Result<Option<String>, IpcError> {
    let Some(path) = pick_save_path(app, export_dir, title, file_name, filter).await? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    let write = tokio::task::spawn_blocking(move || {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)
    });
    match write.await {
        Ok(Ok(())) => Ok(Some(shown)),
        Ok(Err(e)) => Err(IpcError::internal(format!("Cannot write {shown}: {e}."))),
        Err(e) => Err(IpcError::internal(format!("The export failed: {e}."))),
    }
}
