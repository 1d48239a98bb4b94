//! The mileage report and its CSV.

use crate::data_file::utc_day;
use crate::error::IpcError;
use crate::mileage::{self, MileageReport};
use crate::ops_host::{save_text, Operations};
use crate::session::SessionManager;
use tauri::{AppHandle, State};
use tokio_util::sync::CancellationToken;

/// Kilometres per vehicle between `begin` and `end` (unix seconds, snapped to :00/:30). A new
/// report cancels the one in flight.
#[tauri::command]
pub async fn mileage_report(
    sessions: State<'_, SessionManager>,
    ops: State<'_, Operations>,
    imeis: Vec<String>,
    begin: i64,
    end: i64,
) -> Result<MileageReport, IpcError> {
    let client = sessions.client().await?;
    let cancel = CancellationToken::new();
    if let Some(previous) = ops
        .mileage
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .replace(cancel.clone())
    {
        previous.cancel();
    }
    mileage::report(&client, &imeis, begin, end, &cancel).await
}

/// Cancels the report in flight, if any.
#[tauri::command]
pub fn mileage_cancel(ops: State<'_, Operations>) {
    if let Some(c) = ops.mileage.lock().unwrap_or_else(|p| p.into_inner()).take() {
        c.cancel();
    }
}

/// Saves the report's CSV (made by the UI from the table it shows) where the user picks; the file
/// name carries the period. `None` when the dialog was dismissed.
#[tauri::command]
pub async fn mileage_save_csv(
    app: AppHandle,
    ops: State<'_, Operations>,
    csv: String,
    begin: i64,
    end: i64,
) -> Result<Option<String>, IpcError> {
    save_text(
        &app,
        ops.export_dir.as_deref(),
        "Export the mileage report",
        &format!("etrack-mileage-{}-to-{}.csv", utc_day(begin), utc_day(end)),
        ("CSV", "csv"),
        csv,
    )
    .await
}
