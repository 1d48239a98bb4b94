//! Playback review: load a device's history with progress, cancel, read its points, export.

use crate::error::IpcError;
use crate::ops_host::pick_save_path;
use crate::playback::{
    self, suggested_file_name, ExportDone, HistoryKey, PlaybackLoaded, PlaybackService,
};
use crate::session::SessionManager;
use etrack::export::Format;
use etrack::{Imei, TimeRange};
use tauri::{AppHandle, Emitter, State};

/// The device and period the UI asked for, checked.
fn target(imei: &str, begin: i64, end: i64) -> Result<(Imei, TimeRange), IpcError> {
    Ok((Imei::parse(imei)?, playback::period(begin, end)?))
}

/// The signed-in session's history of the device over the period.
async fn key(
    sessions: &SessionManager,
    imei: &str,
    begin: i64,
    end: i64,
) -> Result<(HistoryKey, TimeRange), IpcError> {
    let session = sessions
        .current()
        .await
        .ok_or_else(IpcError::not_signed_in)?;
    let (imei, range) = target(imei, begin, end)?;
    Ok((HistoryKey::new(&session, &imei, range), range))
}

/// Loads `imei`'s history over `[begin, end)` (unix seconds), emitting "playback-progress"
/// events tagged with `request_id` while it runs.
#[tauri::command]
pub async fn playback_load(
    app: AppHandle,
    sessions: State<'_, SessionManager>,
    playback: State<'_, PlaybackService>,
    request_id: u32,
    imei: String,
    begin: i64,
    end: i64,
) -> Result<PlaybackLoaded, IpcError> {
    let session = sessions.signed_in().await?;
    let (imei, range) = target(&imei, begin, end)?;
    let emit = move |p: playback::PlaybackProgress| {
        if let Err(e) = app.emit(playback::PROGRESS_EVENT, p) {
            tracing::warn!("cannot send playback-progress: {e}");
        }
    };
    playback
        .load(&session, request_id, &imei, range, &emit)
        .await
}

/// Cancels the load `request_id` (what it fetched so far is kept and shown).
#[tauri::command]
pub fn playback_cancel(playback: State<'_, PlaybackService>, request_id: u32) -> bool {
    playback.cancel(request_id)
}

/// The loaded points of `imei` over `[begin, end)`, binary (see `playback::encode_points`).
#[tauri::command]
pub async fn playback_points(
    sessions: State<'_, SessionManager>,
    playback: State<'_, PlaybackService>,
    imei: String,
    begin: i64,
    end: i64,
) -> Result<tauri::ipc::Response, IpcError> {
    let (key, _) = key(&sessions, &imei, begin, end).await?;
    let history = playback
        .history(&key)
        .ok_or_else(|| IpcError::validation("This playback is not loaded."))?;
    Ok(tauri::ipc::Response::new(playback::encode_points(
        &history.points,
    )))
}

/// Writes the loaded history to a file the user picks in the save dialog (or, when the app was
/// started with an export directory, to that directory). `None` when the dialog was dismissed.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn playback_export(
    app: AppHandle,
    sessions: State<'_, SessionManager>,
    playback: State<'_, PlaybackService>,
    imei: String,
    begin: i64,
    end: i64,
    format: Format,
    name: String,
) -> Result<Option<ExportDone>, IpcError> {
    let (key, range) = key(&sessions, &imei, begin, end).await?;
    if playback.history(&key).is_none() {
        return Err(IpcError::validation(
            "Load the playback before exporting it.",
        ));
    }
    let file_name = suggested_file_name(&name, range.begin(), format);
    let Some(path) = pick_save_path(
        &app,
        playback.export_dir(),
        "Export the route",
        &file_name,
        (format.label(), format.extension()),
    )
    .await?
    else {
        return Ok(None);
    };
    playback.export(&key, format, &name, path).await.map(Some)
}
