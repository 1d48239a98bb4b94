//! The record of geofences made (or imported) here, per account, in `geofences.json`.

use super::geojson;
use super::{
    distance_m, new_id, owns, GeofenceImportResult, GeofenceListing, Owner, StoredGeofence,
    FILE_NAME,
};
use crate::datum;
use crate::error::AppError;
use crate::json_store::{FileTrouble, JsonStore};
use crate::settings::Datum;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct GeofenceFile {
    version: u32,
    geofences: Vec<StoredGeofence>,
}

/// The record of geofences, loaded once and written through on every change.
pub struct GeofenceStore {
    file: JsonStore<GeofenceFile>,
}

impl GeofenceStore {
    /// Opens `dir/geofences.json`. A damaged file is kept aside and reported by
    /// [`Self::list`]'s notice; the store then starts empty, but the old records are still in the
    /// kept file.
    pub fn open(dir: &Path) -> Self {
        Self {
            file: JsonStore::open(dir.join(FILE_NAME)),
        }
    }

    /// Where the records live.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// What to tell the user about the file, if anything.
    fn notice(&self) -> Option<String> {
        match self.file.trouble()? {
            FileTrouble::KeptAside { reason, aside } => Some(format!(
                "The saved geofences could not be read ({reason}). The file was kept as {} \
                 and nothing was deleted; geofences saved from now on go to a new file.",
                aside.display()
            )),
            FileTrouble::Unusable { reason } => Some(format!(
                "The saved geofences in {} cannot be read ({reason}). New geofences are \
                 not recorded until this is fixed, so the file is not overwritten.",
                self.path().display()
            )),
        }
    }

    /// The owner's geofences, oldest first, with any notice about the file.
    pub fn list(&self, owner: &Owner) -> GeofenceListing {
        GeofenceListing {
            geofences: self.file.read(|f| {
                f.geofences
                    .iter()
                    .filter(|g| owns(owner, g))
                    .cloned()
                    .collect()
            }),
            notice: self.notice(),
            path: self.path().display().to_string(),
        }
    }

    /// Applies `change` to a copy of the records and writes it; the records change only if the
    /// write succeeded.
    fn update<R>(&self, change: impl FnOnce(&mut Vec<StoredGeofence>) -> R) -> Result<R, AppError> {
        self.file.update("record the geofence in", |f| {
            f.version = 1;
            change(&mut f.geofences)
        })
    }

    /// Records a geofence.
    pub fn add(&self, g: StoredGeofence) -> Result<(), AppError> {
        self.update(|all| all.push(g))
    }

    /// Adds vehicles to a recorded geofence of `owner`; returns it, or `None` if no such record.
    pub fn extend(
        &self,
        owner: &Owner,
        id: &str,
        imeis: &[String],
    ) -> Result<Option<StoredGeofence>, AppError> {
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
        self.file.read(|f| {
            f.geofences
                .iter()
                .find(|g| g.id == id && owns(owner, g))
                .cloned()
        })
    }

    /// Forgets a recorded geofence (the provider keeps it: the Open API cannot delete one).
    pub fn remove(&self, owner: &Owner, id: &str) -> Result<bool, AppError> {
        self.update(|all| {
            let before = all.len();
            all.retain(|g| !(g.id == id && owns(owner, g)));
            all.len() != before
        })
    }

    /// The owner's geofences as a GeoJSON FeatureCollection: one Point feature per geofence, its
    /// radius in metres in `properties.radius` (GeoJSON has no circles). The centres are
    /// recorded as sent to the provider, in `provider_datum`; the file is always WGS-84.
    pub fn export_geojson(&self, owner: &Owner, provider_datum: Datum) -> String {
        let mut geofences = self.list(owner).geofences;
        for g in &mut geofences {
            (g.latitude, g.longitude) = datum::to_wgs84(provider_datum, g.latitude, g.longitude);
        }
        geojson::document(&geofences)
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
        provider_datum: Datum,
    ) -> Result<GeofenceImportResult, AppError> {
        let (mut found, mut skipped) = geojson::circles(text)?;
        // A GeoJSON file is WGS-84 (as the export writes it); the store keeps the provider's datum.
        for c in &mut found {
            (c.latitude, c.longitude) = datum::from_wgs84(provider_datum, c.latitude, c.longitude);
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
        self.file.read(|f| {
            f.geofences
                .iter()
                .filter(|g| owns(owner, g) && g.imeis.iter().any(|i| i == imei))
                .map(|g| {
                    let off = (distance_m(g.latitude, g.longitude, lat, lon)
                        - f64::from(g.radius_m))
                    .abs();
                    (off, g)
                })
                .filter(|(off, g)| *off <= (f64::from(g.radius_m) * 0.3).max(250.0))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, g)| g.name.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use etrack::GeofenceAlarm;

    #[test]
    fn exported_centres_are_wgs84_whatever_datum_the_provider_uses() {
        let dir = tempfile::tempdir().unwrap();
        let store = GeofenceStore::open(dir.path());
        let owner = Owner {
            account: "demo".into(),
            provider: "https://provider.example".into(),
        };
        // As sent to the provider (and recorded): in the provider's datum.
        let (lat, lon) = (22.543_096, 114.057_865);
        store
            .add(StoredGeofence {
                id: "g1".into(),
                name: "Depot".into(),
                alarm: GeofenceAlarm::Both,
                latitude: lat,
                longitude: lon,
                radius_m: 300,
                imeis: vec!["358899051025339".into()],
                created_ms: 1,
                account: owner.account.clone(),
                provider: owner.provider.clone(),
                from_file: false,
            })
            .unwrap();
        let centre = |provider_datum| {
            let v: serde_json::Value =
                serde_json::from_str(&store.export_geojson(&owner, provider_datum)).unwrap();
            let c = &v["features"][0]["geometry"]["coordinates"];
            (c[1].as_f64().unwrap(), c[0].as_f64().unwrap())
        };
        assert_eq!(centre(Datum::Wgs84), (lat, lon));
        let (w_lat, w_lon) = datum::gcj02_to_wgs84(lat, lon);
        assert!((w_lat - lat).abs() > 1e-4 && (w_lon - lon).abs() > 1e-4);
        let (e_lat, e_lon) = centre(Datum::Gcj02);
        assert!((e_lat - w_lat).abs() < 1e-7 && (e_lon - w_lon).abs() < 1e-7);
        // The record itself stays in the provider's datum.
        let kept = &store.list(&owner).geofences[0];
        assert_eq!((kept.latitude, kept.longitude), (lat, lon));

        // Imported again (into another account's list) with the same provider datum: the file's
        // WGS-84 centre comes back in the provider's datum, where the geofence was, within 1 cm.
        let other = Owner {
            account: "other".into(),
            provider: owner.provider.clone(),
        };
        let file = store.export_geojson(&owner, Datum::Gcj02);
        let result = store
            .import_geojson(&other, &file, 2, Datum::Gcj02)
            .unwrap();
        assert_eq!(result.added, 1, "{result:?}");
        let back = &store.list(&other).geofences[0];
        assert!(
            (back.latitude - lat).abs() < 1e-7 && (back.longitude - lon).abs() < 1e-7,
            "{back:?}"
        );
    }
}
