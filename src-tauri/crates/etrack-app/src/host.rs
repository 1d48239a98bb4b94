//! What only the desktop shell can do, as small traits: send an event to the webview, ask the
//! user where to save a file, raise a desktop notification. The shell implements [`Host`] with
//! Tauri; tests implement it with collectors, so the domain is tested without a window.

use crate::error::AppError;
use crate::updates::{AvailableUpdate, UpdateFailure, UpdateInstalled};
use serde::Serialize;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

/// A boxed future, so the host traits can be used as trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A payload the backend sends to the webview, with its event name: the name is declared once,
/// next to the payload type.
pub trait Event: Serialize {
    /// The event name of the IPC contract ("live-update").
    const NAME: &'static str;
}

/// A Save dialog to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaveRequest {
    /// The dialog's title ("Export the route").
    pub title: String,
    /// The file name suggested.
    pub file_name: String,
    /// The file type's label ("CSV").
    pub filter_label: String,
    /// The file type's extension, without the dot ("csv").
    pub extension: String,
}

/// The shell's side of the app.
pub trait Host: Send + Sync + 'static {
    /// Sends `payload` to the webview as the event `name`. Must not block.
    fn emit_json(&self, name: &'static str, payload: serde_json::Value);

    /// Where to save a file: the user's pick, `None` when the dialog was dismissed.
    fn pick_save_path(
        &self,
        request: SaveRequest,
    ) -> BoxFuture<'_, Result<Option<PathBuf>, AppError>>;

    /// Raises a desktop notification; an error says why it could not be. Must not block.
    fn notify(&self, title: &str, body: &str) -> Result<(), String>;

    /// Asks the update service whether a newer version of the app is offered. A host without
    /// an update service (tests, builds without one) says so.
    fn check_update(&self) -> BoxFuture<'_, Result<Option<AvailableUpdate>, UpdateFailure>> {
        Box::pin(async { Err(UpdateFailure::NotConfigured) })
    }

    /// Downloads the version the last [`Host::check_update`] offered, checks its signature and
    /// installs it, telling `progress` (bytes so far, total) as the download goes.
    fn install_update(
        &self,
        version: String,
        progress: Box<dyn Fn(u64, Option<u64>) + Send + Sync>,
    ) -> BoxFuture<'_, Result<UpdateInstalled, UpdateFailure>> {
        let _ = (version, progress);
        Box::pin(async { Err(UpdateFailure::NotConfigured) })
    }

    /// Restarts the app (to run an installed update).
    fn restart(&self) {}

    /// The web engine's version, for the About dialog.
    fn webview_version(&self) -> Option<String> {
        None
    }
}

/// Sends a typed event through `host`.
pub fn emit<E: Event>(host: &dyn Host, event: &E) {
    match serde_json::to_value(event) {
        Ok(payload) => host.emit_json(E::NAME, payload),
        Err(e) => tracing::error!("cannot serialise {}: {e}", E::NAME),
    }
}
