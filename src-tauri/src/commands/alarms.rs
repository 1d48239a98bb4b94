//! Alarms: history queries, CSV export, the watcher's settings, the demo clock.

use crate::alarm_watch::{events, WatchOverview, WatchSettings};
use crate::alarms::{self, AlarmQueryResult};
use crate::data_file::{self, ExportedFile};
use crate::demo_clock::{DemoClockInfo, MAX_ADVANCE_SECS};
use crate::error::IpcError;
use crate::geo_alarm_host::{current_owner, signed_in, GeoAlarms};
use crate::session::SessionManager;
use std::sync::Arc;
use tauri::{AppHandle, Emitter, State};
use tokio_util::sync::CancellationToken;

/// The alarms of vehicles over a period, newest first; progress goes out as "alarms-progress".
/// A new query cancels the one in flight.
#[tauri::command]
pub async fn alarms_query(
    app: AppHandle,
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    imeis: Vec<String>,
    begin: i64,
    end: i64,
) -> Result<AlarmQueryResult, IpcError> {
    let (session, owner) = signed_in(&sessions).await?;
    let cancel = CancellationToken::new();
    if let Some(previous) = geo
        .query
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .replace(cancel.clone())
    {
        previous.cancel();
    }
    // Through the session's gate: no progress of this query reaches the UI after a sign-out.
    let gate = session.gate.clone();
    let progress = Arc::new(move |p: alarms::AlarmProgress| {
        gate.run(|| {
            if let Err(e) = app.emit(events::ALARMS_PROGRESS, p) {
                tracing::warn!("cannot send alarms-progress: {e}");
            }
        });
    });
    alarms::query(
        &session.client,
        &imeis,
        begin,
        end,
        cancel,
        Some((geo.geofences.clone(), owner)),
        progress,
    )
    .await
}

/// Cancels the alarm query in flight, if any.
#[tauri::command]
pub fn alarms_cancel(geo: State<'_, GeoAlarms>) -> Result<(), IpcError> {
    if let Some(c) = geo.query.lock().unwrap_or_else(|p| p.into_inner()).take() {
        c.cancel();
    }
    Ok(())
}

/// Saves the alarms table (CSV the UI made of what it shows) where the user picks (`None` if the
/// Save dialog was dismissed).
#[tauri::command]
pub async fn alarms_save_csv(
    app: AppHandle,
    geo: State<'_, GeoAlarms>,
    csv: String,
    rows: u32,
) -> Result<Option<ExportedFile>, IpcError> {
    let name = format!(
        "etrack-alarms-{}.csv",
        data_file::utc_stamp(crate::live::now_ms() / 1000)
    );
    let saved = crate::ops_host::save_text(
        &app,
        geo.export_dir.as_deref(),
        "Export the alarms",
        &name,
        ("CSV", "csv"),
        csv,
    )
    .await?;
    Ok(saved.map(|path| ExportedFile { path, count: rows }))
}

/// The watch settings, the watcher's state and the latest notified alarms.
#[tauri::command]
pub async fn alarms_watch_get(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
) -> Result<WatchOverview, IpcError> {
    Ok(geo.watcher.overview(&current_owner(&sessions).await?))
}

/// Saves the watch settings.
#[tauri::command]
pub async fn alarms_watch_set(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    settings: WatchSettings,
) -> Result<WatchOverview, IpcError> {
    let owner = current_owner(&sessions).await?;
    geo.watcher.set_settings(&owner, settings)?;
    Ok(geo.watcher.overview(&owner))
}

/// The user has seen the new alarms: the badge is cleared.
#[tauri::command]
pub fn alarms_mark_read(geo: State<'_, GeoAlarms>) -> Result<(), IpcError> {
    geo.watcher.mark_read();
    Ok(())
}

/// Demo only: the demo clock, moved `secs` ahead first (0 just reads it).
#[tauri::command]
pub async fn demo_clock_advance(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    secs: u64,
) -> Result<DemoClockInfo, IpcError> {
    let info = sessions
        .current()
        .await
        .ok_or_else(IpcError::not_signed_in)?;
    let sim = sessions
        .demo_service()
        .filter(|_| info.demo)
        .ok_or_else(|| IpcError::validation("Only the demo's clock can be moved."))?;
    if secs > MAX_ADVANCE_SECS {
        return Err(IpcError::validation(format!(
            "Move the demo clock at most {MAX_ADVANCE_SECS} seconds at a time."
        )));
    }
    geo.demo_clock.advance(sim, secs);
    geo.watcher.wake();
    Ok(DemoClockInfo {
        offset_secs: geo.demo_clock.offset_secs(),
        time_scale: geo.time_scale,
    })
}
