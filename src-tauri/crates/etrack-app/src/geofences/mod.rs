//! Geofences made in this app: creating them at the provider (one request per vehicle) and the
//! local record of them.
//!
//! The Open API can create a circular geofence but cannot list or delete one, so the app keeps
//! its own record (`geofences.json` in the app's data dir) of what it created, per account, to
//! draw them on the map and export or import them as GeoJSON. Geofences made elsewhere (the
//! provider's web site, another computer) cannot appear here.
//!
//! - [`store`]: the record, in `geofences.json`;
//! - [`geojson`]: the record as GeoJSON, out and in;
//! - [`create`]: creating a geofence at the provider for one or more vehicles.

mod create;
mod geojson;
mod store;

pub use crate::session::Owner;
pub use create::create;
pub use store::GeofenceStore;

use etrack::GeofenceAlarm;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The file name in the data dir.
pub const FILE_NAME: &str = "geofences.json";

/// The longest geofence name accepted (the provider's field has no documented limit; a short
/// name is what a map label and a notification can show).
pub const MAX_NAME_CHARS: usize = 100;

/// A geofence as the user drew it, to create for one or more vehicles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeofenceDraft {
    /// Its name.
    pub name: String,
    /// When it raises an alarm.
    pub alarm: GeofenceAlarm,
    /// Centre latitude.
    pub latitude: f64,
    /// Centre longitude.
    pub longitude: f64,
    /// Radius in metres (100 to 5000).
    pub radius_m: u32,
    /// The vehicles it applies to.
    pub imeis: Vec<String>,
    /// Also watch these vehicles for the geofence's alarms (desktop notifications).
    pub watch: bool,
    /// The id of a recorded geofence these vehicles are added to (a retry of the vehicles that
    /// failed); `None` records a new geofence.
    pub extends: Option<String>,
}

/// The outcome for one vehicle of a geofence save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VehicleResult {
    /// The vehicle.
    pub imei: String,
    /// Whether the provider created the geofence for it.
    pub ok: bool,
    /// Why not, in plain words.
    pub message: Option<String>,
    /// The provider's error code, when it refused.
    pub api_code: Option<i64>,
}

/// A geofence this app created (or imported), as recorded on this computer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StoredGeofence {
    /// Local id (the provider gives none).
    pub id: String,
    /// Its name.
    pub name: String,
    /// When it raises an alarm.
    pub alarm: GeofenceAlarm,
    /// Centre latitude.
    pub latitude: f64,
    /// Centre longitude.
    pub longitude: f64,
    /// Radius in metres.
    pub radius_m: u32,
    /// The vehicles the provider accepted it for.
    pub imeis: Vec<String>,
    /// When it was created (or imported), unix milliseconds.
    pub created_ms: i64,
    /// The account it belongs to.
    pub account: String,
    /// The provider's URL, or `demo`.
    pub provider: String,
    /// Read from a GeoJSON file rather than created from this app: the provider may not know it.
    #[serde(default)]
    pub from_file: bool,
}

/// What a save did: per vehicle, and what was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeofenceSaveResult {
    /// The record, holding only the vehicles that succeeded (`None` when none did).
    pub geofence: Option<StoredGeofence>,
    /// One entry per vehicle, in the order asked.
    pub results: Vec<VehicleResult>,
    /// One sentence for the user: what was saved and what was not.
    pub summary: String,
    /// Set when the provider accepted the geofence but this computer could not record it.
    pub store_error: Option<String>,
}

/// The account's recorded geofences.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeofenceListing {
    /// Oldest first.
    pub geofences: Vec<StoredGeofence>,
    /// A problem with the file to show the user (e.g. a damaged file kept aside).
    pub notice: Option<String>,
    /// Where the records are kept.
    pub path: String,
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GeofenceImportResult {
    /// How many geofences were added.
    pub added: u32,
    /// Features left out, each with the reason.
    pub skipped: Vec<String>,
    /// The account's geofences after the import.
    pub listing: GeofenceListing,
}

pub(crate) fn owns(owner: &Owner, g: &StoredGeofence) -> bool {
    g.account == owner.account && g.provider == owner.provider
}

/// A local id, unique among `all`.
pub(crate) fn new_id(all: &[StoredGeofence], now_ms: i64, salt: usize) -> String {
    let mut n = salt;
    loop {
        let id = format!("g{now_ms:x}-{n}");
        if !all.iter().any(|g| g.id == id) {
            return id;
        }
        n += 1;
    }
}

/// Great-circle distance in metres (haversine), enough to tell which geofence edge is nearest.
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const R: f64 = 6_371_000.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().atan2((1.0 - a).sqrt())
}
