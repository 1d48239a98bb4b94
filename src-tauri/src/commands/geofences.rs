//! Geofences: create per vehicle, the local record, GeoJSON export and import.

use crate::data_file::{self, ExportedFile};
use crate::demo_clock::DemoSimGeofence;
use crate::error::IpcError;
use crate::geo_alarm_host::{current_owner, signed_in, GeoAlarms};
use crate::geofences::{
    self, GeofenceDraft, GeofenceImportResult, GeofenceListing, GeofenceSaveResult,
};
use crate::live::now_ms;
use crate::session::SessionManager;
use etrack::GeofenceAlarm;
use tauri::{AppHandle, State};

/// The signed-in account's recorded geofences.
#[tauri::command]
pub async fn geofence_list(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
) -> Result<GeofenceListing, IpcError> {
    Ok(geo.geofences.list(&current_owner(&sessions).await?))
}

/// Creates the geofence at the provider, one request per vehicle, each sent once; records what
/// succeeded and, if asked, watches those vehicles for its alarms.
#[tauri::command]
pub async fn geofence_create(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    draft: GeofenceDraft,
) -> Result<GeofenceSaveResult, IpcError> {
    let (session, owner) = signed_in(&sessions).await?;
    let mut result =
        geofences::create(&session.client, &geo.geofences, &owner, &draft, now_ms()).await?;
    if draft.watch {
        let ok: Vec<String> = result
            .results
            .iter()
            .filter(|r| r.ok)
            .map(|r| r.imei.clone())
            .collect();
        if !ok.is_empty() {
            let types: &[i64] = match draft.alarm {
                GeofenceAlarm::In => &[5],
                GeofenceAlarm::Out => &[6],
                GeofenceAlarm::Both => &[5, 6],
            };
            if let Err(e) = geo.watcher.watch_vehicles(&owner, &ok, types) {
                result.summary.push_str(&format!(
                    " Notifications could not be turned on: {}",
                    e.message
                ));
            }
        }
    }
    Ok(result)
}

/// Forgets a recorded geofence on this computer (the Open API cannot delete it at the provider).
#[tauri::command]
pub async fn geofence_forget(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    id: String,
) -> Result<GeofenceListing, IpcError> {
    let owner = current_owner(&sessions).await?;
    geo.geofences.remove(&owner, &id)?;
    Ok(geo.geofences.list(&owner))
}

/// Saves the account's geofences as GeoJSON where the user picks (`None` if the Save dialog was
/// dismissed).
#[tauri::command]
pub async fn geofence_export(
    app: AppHandle,
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
) -> Result<Option<ExportedFile>, IpcError> {
    let owner = current_owner(&sessions).await?;
    let count = u32::try_from(geo.geofences.list(&owner).geofences.len()).unwrap_or(u32::MAX);
    let text = geo.geofences.export_geojson(&owner);
    let name = format!(
        "etrack-geofences-{}.geojson",
        data_file::utc_stamp(now_ms() / 1000)
    );
    let saved = crate::ops_host::save_text(
        &app,
        geo.export_dir.as_deref(),
        "Export the geofences",
        &name,
        ("GeoJSON", "geojson"),
        text,
    )
    .await?;
    Ok(saved.map(|path| ExportedFile { path, count }))
}

/// Records the geofences of a GeoJSON text (a file the user picked) for the account.
#[tauri::command]
pub async fn geofence_import(
    sessions: State<'_, SessionManager>,
    geo: State<'_, GeoAlarms>,
    text: String,
) -> Result<GeofenceImportResult, IpcError> {
    let owner = current_owner(&sessions).await?;
    geo.geofences.import_geojson(&owner, &text, now_ms())
}

/// Demo only: the geofences the built-in simulator was asked to create (what the provider knows).
#[tauri::command]
pub async fn demo_sim_geofences(
    sessions: State<'_, SessionManager>,
) -> Result<Vec<DemoSimGeofence>, IpcError> {
    let info = sessions
        .current()
        .await
        .ok_or_else(IpcError::not_signed_in)?;
    let sim = sessions
        .demo_service()
        .filter(|_| info.demo)
        .ok_or_else(|| IpcError::validation("Only the demo can show the simulator's geofences."))?;
    Ok(sim.geofences().into_iter().map(Into::into).collect())
}
