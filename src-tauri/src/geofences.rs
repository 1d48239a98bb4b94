//! Geofences made in this app: creating them at the provider (one request per vehicle) and the
//! local record of them.
//!
//! The Open API can create a circular geofence but cannot list or delete one, so the app keeps
//! its own record (`geofences.json` in the app's data dir) of what it created, per account, to
//! draw them on the map and export or import them as GeoJSON. Geofences made elsewhere (the
//! provider's web site, another computer) cannot appear here.

use crate::data_file::{self, Loaded};
use crate::error::IpcError;
use crate::session::SessionInfo;
use etrack::{Client, GeofenceAlarm, GeofenceRequest, Imei, Radius};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ts_rs::TS;

/// The file name in the data dir.
pub const FILE_NAME: &str = "geofences.json";

/// The longest geofence name accepted (the provider's field has no documented limit; a short
/// name is what a map label and a notification can show).
pub const MAX_NAME_CHARS: usize = 100;

/// Whose records these are: the account and its provider. The demo runs on a new port at every
/// start, so its provider is the word `demo` rather than its URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner {
    /// The account name.
    pub account: String,
    /// The provider's URL, or `demo`.
    pub provider: String,
}

impl Owner {
    /// The owner of a signed-in session's records.
    pub fn of(session: &SessionInfo) -> Self {
        Self {
            account: session.account.clone(),
            provider: if session.demo {
                "demo".to_owned()
            } else {
                session.provider_url.clone()
            },
        }
    }

    /// `account@provider`, the key of per-account maps in data files.
    pub fn key(&self) -> String {
        format!("{}@{}", self.account, self.provider)
    }
}

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

#[derive(Debug, Default, Serialize, Deserialize)]
struct GeofenceFile {
    version: u32,
    geofences: Vec<StoredGeofence>,
}

struct StoreState {
    file: GeofenceFile,
    notice: Option<String>,
    /// Why the file must not be written (it exists but could not be read or moved aside).
    locked: Option<String>,
}

/// The record of geofences, loaded once and written through on every change.
pub struct GeofenceStore {
    path: PathBuf,
    state: Mutex<StoreState>,
}

impl GeofenceStore {
    /// Opens `dir/geofences.json`. A damaged file is kept aside and reported by
    /// [`Self::list`]'s notice; the store then starts empty, but the old records are still in the
    /// kept file.
    pub fn open(dir: &Path) -> Self {
        let path = dir.join(FILE_NAME);
        let (file, notice, locked) = match data_file::load::<GeofenceFile>(&path) {
            Loaded::Missing => (GeofenceFile::default(), None, None),
            Loaded::Read(f) => (f, None, None),
            Loaded::KeptAside { reason, aside } => (
                GeofenceFile::default(),
                Some(format!(
                    "The saved geofences could not be read ({reason}). The file was kept as {} \
                     and nothing was deleted; geofences saved from now on go to a new file.",
                    aside.display()
                )),
                None,
            ),
            Loaded::Unusable { reason } => {
                let why = format!(
                    "The saved geofences in {} cannot be read ({reason}). New geofences are \
                     not recorded until this is fixed, so the file is not overwritten.",
                    path.display()
                );
                (GeofenceFile::default(), Some(why.clone()), Some(why))
            }
        };
        Self {
            path,
            state: Mutex::new(StoreState {
                file,
                notice,
                locked,
            }),
        }
    }

    /// Where the records live.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StoreState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The owner's geofences, oldest first, with any notice about the file.
    pub fn list(&self, owner: &Owner) -> GeofenceListing {
        let st = self.lock();
        listing(&st, owner, &self.path)
    }

    /// Applies `change` to a copy of the records and writes it; the records change only if the
    /// write succeeded.
    fn update<R>(&self, change: impl FnOnce(&mut Vec<StoredGeofence>) -> R) -> Result<R, IpcError> {
        let mut st = self.lock();
        if let Some(why) = &st.locked {
            return Err(IpcError::internal(why.clone()));
        }
        let mut next = st.file.geofences.clone();
        let r = change(&mut next);
        let file = GeofenceFile {
            version: 1,
            geofences: next,
        };
        data_file::save(&self.path, &file).map_err(|e| {
            IpcError::internal(format!(
                "Cannot record the geofence in {}: {e}",
                self.path.display()
            ))
        })?;
        st.file = file;
        Ok(r)
    }

    /// Records a geofence.
    pub fn add(&self, g: StoredGeofence) -> Result<(), IpcError> {
        self.update(|all| all.push(g))
    }

    /// Adds vehicles to a recorded geofence of `owner`; returns it, or `None` if no such record.
    pub fn extend(
        &self,
        owner: &Owner,
        id: &str,
        imeis: &[String],
    ) -> Result<Option<StoredGeofence>, IpcError> {
        self.update(|all| {
            let g = all.iter_mut().find(|g| g.id == id && owns(owner, g))?;
            for i in imeis {
                if !g.imeis.contains(i) {
                    g.imeis.push(i.clone());
                }
            }
            Some(g.clone())
        })
    }

    /// One recorded geofence of `owner`.
    pub fn get(&self, owner: &Owner, id: &str) -> Option<StoredGeofence> {
        self.lock()
            .file
            .geofences
            .iter()
            .find(|g| g.id == id && owns(owner, g))
            .cloned()
    }

    /// Forgets a recorded geofence (the provider keeps it: the Open API cannot delete one).
    pub fn remove(&self, owner: &Owner, id: &str) -> Result<bool, IpcError> {
        self.update(|all| {
            let before = all.len();
            all.retain(|g| !(g.id == id && owns(owner, g)));
            all.len() != before
        })
    }

    /// The owner's geofences as a GeoJSON FeatureCollection: one Point feature per geofence, its
    /// radius in metres in `properties.radius` (GeoJSON has no circles).
    pub fn export_geojson(&self, owner: &Owner) -> String {
        let features: Vec<serde_json::Value> = self
            .list(owner)
            .geofences
            .iter()
            .map(|g| {
                serde_json::json!({
                    "type": "Feature",
                    "id": g.id,
                    "geometry": {"type": "Point", "coordinates": [g.longitude, g.latitude]},
                    "properties": {
                        "name": g.name,
                        "radius": g.radius_m,
                        "alarm": alarm_word(g.alarm),
                        "imeis": g.imeis,
                        "createdMs": g.created_ms,
                        "account": g.account,
                        "provider": g.provider,
                        "fromFile": g.from_file,
                    }
                })
            })
            .collect();
        let doc = serde_json::json!({
            "type": "FeatureCollection",
            "name": "etrack geofences",
            "features": features,
        });
        serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads geofences from GeoJSON text and records them for `owner`, marked as imported (they
    /// are drawn on the map; the provider is not told). Features that are not a usable circle are
    /// skipped with a reason; a geofence already recorded (same name, centre, radius, alarm) is
    /// not added twice.
    pub fn import_geojson(
        &self,
        owner: &Owner,
        text: &str,
        now_ms: i64,
    ) -> Result<GeofenceImportResult, IpcError> {
        let doc: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| IpcError::validation(format!("The file is not valid GeoJSON ({e}).")))?;
        let features: Vec<&serde_json::Value> = match doc.get("type").and_then(|t| t.as_str()) {
            Some("FeatureCollection") => doc
                .get("features")
                .and_then(|f| f.as_array())
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            Some("Feature") => vec![&doc],
            _ => {
                return Err(IpcError::validation(
                    "The file is not a GeoJSON Feature or FeatureCollection.",
                ))
            }
        };
        let mut skipped = Vec::new();
        let mut found = Vec::new();
        for (n, f) in features.iter().enumerate() {
            match feature_to_geofence(f) {
                Ok(c) => found.push(c),
                Err(why) => skipped.push(format!("Feature {}: {why}", n + 1)),
            }
        }
        let added = self.update(|all| {
            let mut added = 0u32;
            for (i, c) in found.into_iter().enumerate() {
                let same = all.iter().any(|g| {
                    owns(owner, g)
                        && g.name == c.name
                        && g.radius_m == c.radius_m
                        && g.alarm == c.alarm
                        && (g.latitude - c.latitude).abs() < 1e-6
                        && (g.longitude - c.longitude).abs() < 1e-6
                });
                if same {
                    skipped.push(format!("\"{}\": already on the map", c.name));
                    continue;
                }
                let id = new_id(all, now_ms, i);
                all.push(StoredGeofence {
                    id,
                    name: c.name,
                    alarm: c.alarm,
                    latitude: c.latitude,
                    longitude: c.longitude,
                    radius_m: c.radius_m,
                    imeis: c.imeis,
                    created_ms: now_ms,
                    account: owner.account.clone(),
                    provider: owner.provider.clone(),
                    from_file: true,
                });
                added += 1;
            }
            added
        })?;
        Ok(GeofenceImportResult {
            added,
            skipped,
            listing: self.list(owner),
        })
    }

    /// The name of the owner's geofence of `imei` whose edge is nearest to where an alarm was
    /// raised, if one is near enough to be the one that raised it (a report comes up to a few
    /// hundred metres after the crossing).
    pub fn name_near_edge(&self, owner: &Owner, imei: &str, lat: f64, lon: f64) -> Option<String> {
        let st = self.lock();
        st.file
            .geofences
            .iter()
            .filter(|g| owns(owner, g) && g.imeis.iter().any(|i| i == imei))
            .map(|g| {
                let off =
                    (distance_m(g.latitude, g.longitude, lat, lon) - f64::from(g.radius_m)).abs();
                (off, g)
            })
            .filter(|(off, g)| *off <= (f64::from(g.radius_m) * 0.3).max(250.0))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, g)| g.name.clone())
    }
}

fn owns(owner: &Owner, g: &StoredGeofence) -> bool {
    g.account == owner.account && g.provider == owner.provider
}

fn listing(st: &StoreState, owner: &Owner, path: &Path) -> GeofenceListing {
    GeofenceListing {
        geofences: st
            .file
            .geofences
            .iter()
            .filter(|g| owns(owner, g))
            .cloned()
            .collect(),
        notice: st.notice.clone(),
        path: path.display().to_string(),
    }
}

/// A local id, unique among `all`.
fn new_id(all: &[StoredGeofence], now_ms: i64, salt: usize) -> String {
    let mut n = salt;
    loop {
        let id = format!("g{now_ms:x}-{n}");
        if !all.iter().any(|g| g.id == id) {
            return id;
        }
        n += 1;
    }
}

fn alarm_word(a: GeofenceAlarm) -> &'static str {
    match a {
        GeofenceAlarm::In => "in",
        GeofenceAlarm::Out => "out",
        GeofenceAlarm::Both => "both",
    }
}

/// A circle read from a GeoJSON feature.
struct Circle {
    name: String,
    alarm: GeofenceAlarm,
    latitude: f64,
    longitude: f64,
    radius_m: u32,
    imeis: Vec<String>,
}

fn feature_to_geofence(f: &serde_json::Value) -> Result<Circle, String> {
    let geom = f.get("geometry").ok_or("no geometry")?;
    if geom.get("type").and_then(|t| t.as_str()) != Some("Point") {
        return Err("not a Point (a geofence is a centre and a radius)".to_owned());
    }
    let coords = geom
        .get("coordinates")
        .and_then(|c| c.as_array())
        .ok_or("no coordinates")?;
    let (lon, lat) = match (
        coords.first().and_then(|v| v.as_f64()),
        coords.get(1).and_then(|v| v.as_f64()),
    ) {
        (Some(lon), Some(lat)) => (lon, lat),
        _ => return Err("the coordinates are not numbers".to_owned()),
    };
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(format!("({lat}, {lon}) is not on Earth"));
    }
    let empty = serde_json::Map::new();
    let props = f
        .get("properties")
        .and_then(|p| p.as_object())
        .unwrap_or(&empty);
    let radius = ["radius", "radius_m", "radiusM"]
        .iter()
        .find_map(|k| props.get(*k).and_then(|v| v.as_f64()))
        .ok_or("no radius in its properties")?;
    let radius_m = radius.round();
    if !(f64::from(Radius::MIN)..=f64::from(Radius::MAX)).contains(&radius_m) {
        return Err(format!(
            "radius {radius} m is outside {}..{} m",
            Radius::MIN,
            Radius::MAX
        ));
    }
    let name = props
        .get("name")
        .and_then(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or("no name")?;
    let alarm = match props.get("alarm") {
        None | Some(serde_json::Value::Null) => GeofenceAlarm::Both,
        Some(serde_json::Value::String(s)) => s.parse().map_err(|_| format!("alarm {s:?}"))?,
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .and_then(GeofenceAlarm::from_code)
            .ok_or(format!("alarm {n}"))?,
        Some(other) => return Err(format!("alarm {other}")),
    };
    let imeis = props
        .get("imeis")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .filter_map(|s| Imei::parse(s).ok())
                .map(|i| i.as_str().to_owned())
                .collect()
        })
        .unwrap_or_default();
    Ok(Circle {
        name: name.chars().take(MAX_NAME_CHARS).collect(),
        alarm,
        latitude: lat,
        longitude: lon,
        radius_m: radius_m as u32,
        imeis,
    })
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

/// A draft checked before anything is sent: the requests to make, one per distinct vehicle.
fn requests(draft: &GeofenceDraft) -> Result<Vec<GeofenceRequest>, IpcError> {
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(IpcError::validation("Give the geofence a name."));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(IpcError::validation(format!(
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
        return Err(IpcError::validation(
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
) -> Result<GeofenceSaveResult, IpcError> {
    let reqs = requests(draft)?;
    if let Some(id) = &draft.extends {
        if store.get(owner, id).is_none() {
            return Err(IpcError::validation(
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
                let e = IpcError::from(e);
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
            (None, Some(e.message))
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

    fn owner() -> Owner {
        Owner {
            account: "demo".into(),
            provider: "demo".into(),
        }
    }

    fn g(id: &str, name: &str) -> StoredGeofence {
        StoredGeofence {
            id: id.into(),
            name: name.into(),
            alarm: GeofenceAlarm::Both,
            latitude: 22.55,
            longitude: 113.95,
            radius_m: 500,
            imeis: vec!["358899051025339".into()],
            created_ms: 1_700_000_000_000,
            account: "demo".into(),
            provider: "demo".into(),
            from_file: false,
        }
    }

    #[test]
    fn records_survive_a_reopen_and_are_kept_per_account() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GeofenceStore::open(dir.path());
        store.add(g("a", "Depot")).expect("add");
        let mut other = g("b", "Elsewhere");
        other.account = "demo-east".into();
        store.add(other).expect("add");
        let again = GeofenceStore::open(dir.path());
        let mine = again.list(&owner());
        assert_eq!(mine.geofences.len(), 1);
        assert_eq!(mine.geofences[0].name, "Depot");
        assert_eq!(mine.notice, None);
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_with_a_clear_message_and_never_emptied() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GeofenceStore::open(dir.path());
        store.add(g("a", "Depot")).expect("add");
        store.add(g("b", "Port")).expect("add");
        let path = dir.path().join(FILE_NAME);
        // Damage it as a crash of another program or a bad hand edit would.
        let mut bytes = std::fs::read(&path).expect("read");
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, &bytes).expect("write");

        let reopened = GeofenceStore::open(dir.path());
        let listing = reopened.list(&owner());
        assert!(listing.geofences.is_empty());
        let notice = listing.notice.expect("the user is told");
        assert!(
            notice.contains("could not be read") && notice.contains("kept as"),
            "{notice}"
        );
        let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "the damaged file is kept: {aside:?}");
        assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
        assert_eq!(
            std::fs::read(&aside[0]).expect("aside"),
            bytes,
            "byte for byte"
        );

        // Saving again writes a new file and leaves the kept one alone.
        reopened.add(g("c", "New")).expect("add");
        assert_eq!(std::fs::read(&aside[0]).expect("aside"), bytes);
        assert_eq!(
            GeofenceStore::open(dir.path()).list(&owner()).geofences[0].name,
            "New"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_cannot_be_read_or_moved_is_not_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        // A directory where the file should be: unreadable as a file, and not ours to replace.
        std::fs::create_dir(dir.path().join(FILE_NAME)).expect("mkdir");
        std::fs::write(dir.path().join(FILE_NAME).join("keep"), b"x").expect("write");
        let store = GeofenceStore::open(dir.path());
        let notice = store.list(&owner()).notice.expect("the user is told");
        assert!(notice.contains("cannot be read"), "{notice}");
        let e = store.add(g("a", "Depot")).expect_err("refused");
        assert!(e.message.contains("cannot be read"), "{}", e.message);
        assert!(
            dir.path().join(FILE_NAME).join("keep").exists(),
            "left as it was"
        );
    }

    #[test]
    fn geojson_round_trips_and_import_skips_what_is_not_a_circle() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GeofenceStore::open(dir.path());
        store.add(g("a", "Depot")).expect("add");
        let text = store.export_geojson(&owner());
        let doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(doc["type"], "FeatureCollection");
        assert_eq!(
            doc["features"][0]["geometry"]["coordinates"],
            serde_json::json!([113.95, 22.55])
        );
        assert_eq!(doc["features"][0]["properties"]["radius"], 500);

        let other_dir = tempfile::tempdir().expect("tempdir");
        let other = GeofenceStore::open(other_dir.path());
        let r = other.import_geojson(&owner(), &text, 5).expect("import");
        assert_eq!(r.added, 1);
        let got = &r.listing.geofences[0];
        assert_eq!(
            (got.name.as_str(), got.radius_m, got.from_file),
            ("Depot", 500, true)
        );
        assert_eq!(got.imeis, vec!["358899051025339".to_owned()]);
        // The same file again adds nothing.
        let again = other.import_geojson(&owner(), &text, 6).expect("import");
        assert_eq!(again.added, 0);
        assert_eq!(again.listing.geofences.len(), 1);

        let mixed = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{"name":"x","radius":300}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[113.9,22.5]},"properties":{"name":"too big","radius":9000}},
            {"type":"Feature","geometry":{"type":"Point","coordinates":[113.9,22.5]},"properties":{"name":"ok","radius":150,"alarm":"in"}}
        ]}"#;
        let r = other.import_geojson(&owner(), mixed, 7).expect("import");
        assert_eq!(r.added, 1);
        assert_eq!(r.skipped.len(), 2, "{:?}", r.skipped);
        assert!(r.skipped[1].contains("9000"), "{:?}", r.skipped);
        assert!(other.import_geojson(&owner(), "not json", 8).is_err());
    }

    #[test]
    fn an_alarm_is_named_after_the_geofence_whose_edge_it_is_near() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = GeofenceStore::open(dir.path());
        store.add(g("a", "Depot")).expect("add");
        // ~520 m north of the centre: just outside the 500 m edge.
        let lat = 22.55 + 520.0 / 111_195.0;
        assert_eq!(
            store.name_near_edge(&owner(), "358899051025339", lat, 113.95),
            Some("Depot".to_owned())
        );
        assert_eq!(
            store.name_near_edge(&owner(), "358899051025339", 22.55, 113.95),
            None,
            "the centre is far from the edge"
        );
        assert_eq!(
            store.name_near_edge(&owner(), "111111111111111", lat, 113.95),
            None
        );
    }

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
        let bad = |d: GeofenceDraft| requests(&d).expect_err("refused").message;
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
