//! Creating a geofence at the provider, one request per vehicle, each sent once.

use super::{
    new_id, GeofenceDraft, GeofenceSaveResult, GeofenceStore, Owner, StoredGeofence, VehicleResult,
    MAX_NAME_CHARS,
};
use crate::error::{AppError, IpcError};
use etrack::{Client, GeofenceRequest, Imei, Radius};

/// A draft checked before anything is sent: the requests to make, one per distinct vehicle.
fn requests(draft: &GeofenceDraft) -> Result<Vec<GeofenceRequest>, AppError> {
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(AppError::invalid("Give the geofence a name."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(AppError::invalid(format!(
            "The name is too long: at most {MAX_NAME_CHARS} characters."
        )));
    }
    let radius = Radius::new(draft.radius_m)?;
    let mut imeis: Vec<Imei> = Vec::new();
    for raw in &draft.imeis {
        let imei = Imei::parse(raw)?;
        if !imeis.contains(&imei) {
            imeis.push(imei);
        }
    }
    if imeis.is_empty() {
        return Err(AppError::invalid(
            "Choose at least one vehicle for the geofence.",
        ));
    }
    let all: Vec<GeofenceRequest> = imeis
        .into_iter()
        .map(|imei| GeofenceRequest {
            imei,
            name: name.to_owned(),
            alarm: draft.alarm,
            longitude: draft.longitude,
            latitude: draft.latitude,
            radius,
        })
        .collect();
    if let Some(first) = all.first() {
        first.validate()?;
    }
    Ok(all)
}

/// Creates the geofence at the provider for each vehicle of the draft, one request per vehicle,
/// one after the other, each sent once (a refused or failed vehicle is reported, never re-sent:
/// the user decides). Records what succeeded; says what failed.
///
/// Validation errors (no name, a radius out of range, a bad IMEI, no vehicle) are returned before
/// anything is sent.
pub async fn create(
    client: &Client,
    store: &GeofenceStore,
    owner: &Owner,
    draft: &GeofenceDraft,
    now_ms: i64,
) -> Result<GeofenceSaveResult, AppError> {
    let reqs = requests(draft)?;
    if let Some(id) = &draft.extends {
        if store.get(owner, id).is_none() {
            return Err(AppError::invalid(
                "That geofence is no longer recorded on this computer.",
            ));
        }
    }
    let mut results = Vec::with_capacity(reqs.len());
    for req in &reqs {
        let imei = req.imei.as_str().to_owned();
        results.push(match client.create_geofence(req).await {
            Ok(()) => VehicleResult {
                imei,
                ok: true,
                message: None,
                api_code: None,
            },
            Err(e) => {
                let e = IpcError::from(AppError::from(e));
                tracing::warn!("geofence for {imei} not created: {}", e.message);
                VehicleResult {
                    imei,
                    ok: false,
                    message: Some(e.message),
                    api_code: e.api_code,
                }
            }
        });
    }
    let ok: Vec<String> = results
        .iter()
        .filter(|r| r.ok)
        .map(|r| r.imei.clone())
        .collect();
    let failed = results.len() - ok.len();
    let mut summary = match (ok.len(), failed) {
        (1, 0) => "Saved for the vehicle.".to_owned(),
        (n, 0) => format!("Saved for all {n} vehicles."),
        (0, _) => "Not saved: the provider refused every vehicle (see below).".to_owned(),
        (n, f) => format!(
            "Saved for {n} of {} vehicles; not saved for {f} (see below). Nothing was re-sent.",
            n + f
        ),
    };
    if ok.is_empty() {
        return Ok(GeofenceSaveResult {
            geofence: None,
            results,
            summary,
            store_error: None,
        });
    }
    let recorded = match &draft.extends {
        Some(id) => store
            .extend(owner, id, &ok)
            .map(|g| g.ok_or_else(|| id.clone())),
        None => {
            let g = StoredGeofence {
                id: new_id(&store.list(owner).geofences, now_ms, 0),
                name: draft.name.trim().to_owned(),
                alarm: draft.alarm,
                latitude: draft.latitude,
                longitude: draft.longitude,
                radius_m: draft.radius_m,
                imeis: ok.clone(),
                created_ms: now_ms,
                account: owner.account.clone(),
                provider: owner.provider.clone(),
                from_file: false,
            };
            store.add(g.clone()).map(|()| Ok(g))
        }
    };
    let (geofence, store_error) = match recorded {
        Ok(Ok(g)) => (Some(g), None),
        Ok(Err(id)) => (
            None,
            Some(format!(
                "The provider created it, but the record {id} to add the vehicles to is gone."
            )),
        ),
        Err(e) => {
            summary.push_str(
                " It could not be recorded on this computer, so it will not be drawn on the map.",
            );
            (None, Some(e.to_string()))
        }
    };
    Ok(GeofenceSaveResult {
        geofence,
        results,
        summary,
        store_error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use etrack::GeofenceAlarm;

    #[test]
    fn drafts_are_checked_before_anything_is_sent() {
        let base = GeofenceDraft {
            name: " Depot ".into(),
            alarm: GeofenceAlarm::Both,
            latitude: 22.5,
            longitude: 113.9,
            radius_m: 300,
            imeis: vec!["358899051025339".into(), "358899051025339".into()],
            watch: false,
            extends: None,
        };
        let reqs = requests(&base).expect("valid");
        assert_eq!(reqs.len(), 1, "a vehicle listed twice gets one request");
        assert_eq!(reqs[0].name, "Depot");
        let bad = |d: GeofenceDraft| requests(&d).expect_err("refused").to_string();
        assert!(bad(GeofenceDraft {
            radius_m: 99,
            ..base.clone()
        })
        .contains("100 and 5000"));
        assert!(bad(GeofenceDraft {
            radius_m: 5001,
            ..base.clone()
        })
        .contains("100 and 5000"));
        assert!(bad(GeofenceDraft {
            name: "  ".into(),
            ..base.clone()
        })
        .contains("name"));
        assert!(bad(GeofenceDraft {
            imeis: vec![],
            ..base.clone()
        })
        .contains("vehicle"));
        assert!(bad(GeofenceDraft {
            imeis: vec!["12ab".into()],
            ..base.clone()
        })
        .contains("IMEI"));
        assert!(bad(GeofenceDraft {
            latitude: 91.0,
            ..base
        })
        .contains("not a valid"));
    }
}
