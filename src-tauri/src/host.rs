//! The shell's side of the host traits: events to the webview, the system's Save dialog,
//! desktop notifications.

use crate::updater::Updates;
use etrack_app::host::{BoxFuture, Host, SaveRequest};
use etrack_app::updates::{AvailableUpdate, UpdateFailure, UpdateInstalled};
use etrack_app::AppError;
use std::path::PathBuf;
use tauri::{Emitter, Manager};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_notification::NotificationExt;

/// The app's [`Host`] through Tauri.
pub struct TauriHost {
    app: tauri::AppHandle,
    updates: Updates,
    /// Where exports go without a dialog: end-to-end builds only, as WebDriver cannot drive a
    /// native dialog.
    #[cfg(feature = "e2e")]
    export_dir: Option<PathBuf>,
}

impl TauriHost {
    /// The host of `app`; `export_dir` is honoured only by an end-to-end build.
    pub fn new(app: tauri::AppHandle, export_dir: Option<PathBuf>) -> Self {
        #[cfg(not(feature = "e2e"))]
        if let Some(dir) = export_dir {
            tracing::warn!(
                "ignoring the export directory {}: only end-to-end test builds have it",
                dir.display()
            );
        }
        Self {
            updates: Updates::new(app.clone()),
            app,
            #[cfg(feature = "e2e")]
            export_dir,
        }
    }
}

impl Host for TauriHost {
    fn emit_json(&self, name: &'static str, payload: serde_json::Value) {
        if let Err(e) = self.app.emit(name, payload) {
            tracing::warn!("cannot send {name}: {e}");
        }
    }

    fn pick_save_path(
        &self,
        request: SaveRequest,
    ) -> BoxFuture<'_, Result<Option<PathBuf>, AppError>> {
        Box::pin(async move {
            #[cfg(feature = "e2e")]
            if let Some(dir) = &self.export_dir {
                return Ok(Some(dir.join(&request.file_name)));
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            // Opened from Rust, so the webview is granted none of the dialog plugin's commands.
            let mut dialog = self
                .app
                .dialog()
                .file()
                .set_title(&request.title)
                .set_file_name(&request.file_name)
                .add_filter(&request.filter_label, &[request.extension.as_str()]);
            if let Ok(downloads) = self.app.path().download_dir() {
                dialog = dialog.set_directory(downloads);
            }
            dialog.save_file(move |picked| {
                let _ = tx.send(picked);
            });
            let picked = rx
                .await
                .map_err(|_| AppError::internal("the save dialog closed unexpectedly"))?;
            picked
                .map(|p| {
                    p.into_path().map_err(|e| {
                        AppError::internal(format!("the chosen file cannot be written: {e}"))
                    })
                })
                .transpose()
        })
    }

    fn notify(&self, title: &str, body: &str) -> Result<(), String> {
        // The plugin hands the notification to the system on a background thread, so a missing
        // notification service costs a log line there, never a stall here.
        self.app
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
            .map_err(|e| e.to_string())
    }

    fn check_update(&self) -> BoxFuture<'_, Result<Option<AvailableUpdate>, UpdateFailure>> {
        Box::pin(self.updates.check())
    }

    fn install_update(
        &self,
        version: String,
        progress: Box<dyn Fn(u64, Option<u64>) + Send + Sync>,
    ) -> BoxFuture<'_, Result<UpdateInstalled, UpdateFailure>> {
        Box::pin(async move { self.updates.install(&version, progress).await })
    }

    fn restart(&self) {
        tracing::info!("restarting to run the installed update");
        self.app.restart();
    }

    fn webview_version(&self) -> Option<String> {
        tauri::webview_version().ok()
    }
}
