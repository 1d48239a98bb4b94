//! `etrack geofence create`.

use super::with_session;
use crate::args::Global;
use crate::failure::Failure;
use etrack::{GeofenceAlarm, GeofenceRequest};

/// Creates a circular geofence.
pub async fn create(g: &Global, req: GeofenceRequest) -> Result<String, Failure> {
    req.validate()?;
    let req = &req;
    with_session(g, |c| async move { Ok(c.create_geofence(req).await?) }).await?;
    let alarm = match req.alarm {
        GeofenceAlarm::In => "in",
        GeofenceAlarm::Out => "out",
        GeofenceAlarm::Both => "both",
    };
    Ok(format!(
        "created geofence {:?} for {}: centre lat {}, lon {}, radius {} m, alarm {alarm}\n",
        req.name,
        req.imei,
        req.latitude,
        req.longitude,
        req.radius.metres()
    ))
}
