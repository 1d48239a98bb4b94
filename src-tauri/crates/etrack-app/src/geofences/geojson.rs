//! The geofence record as GeoJSON: one Point feature per circle, its radius in metres in
//! `properties.radius` (GeoJSON has no circles).

use super::{StoredGeofence, MAX_NAME_CHARS};
use crate::error::AppError;
use etrack::{GeofenceAlarm, Imei, Radius};

/// The alarm setting as a word.
fn alarm_word(a: GeofenceAlarm) -> &'static str {
    match a {
        GeofenceAlarm::In => "in",
        GeofenceAlarm::Out => "out",
        GeofenceAlarm::Both => "both",
    }
}

/// A circle read from a GeoJSON feature.
pub(super) struct Circle {
    pub name: String,
    pub alarm: GeofenceAlarm,
    pub latitude: f64,
    pub longitude: f64,
    pub radius_m: u32,
    pub imeis: Vec<String>,
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

/// The geofences as a GeoJSON FeatureCollection.
pub(super) fn document(geofences: &[StoredGeofence]) -> String {
    let features: Vec<serde_json::Value> = geofences
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

/// The largest GeoJSON file imported (a thousand circles take about 400 KB).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// The most features one import reads.
pub const MAX_IMPORT_FEATURES: usize = 2_000;

/// The usable circles of a GeoJSON text, and the features left out, each with the reason.
pub(super) fn circles(text: &str) -> Result<(Vec<Circle>, Vec<String>), AppError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(AppError::invalid(format!(
            "The file is too large to be geofences ({} MB; at most {} MB).",
            text.len() / (1024 * 1024),
            MAX_IMPORT_BYTES / (1024 * 1024)
        )));
    }
    let doc: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| AppError::invalid(format!("The file is not valid GeoJSON ({e}).")))?;
    let features: Vec<&serde_json::Value> = match doc.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => doc
            .get("features")
            .and_then(|f| f.as_array())
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        Some("Feature") => vec![&doc],
        _ => {
            return Err(AppError::invalid(
                "The file is not a GeoJSON Feature or FeatureCollection.",
            ))
        }
    };
    if features.len() > MAX_IMPORT_FEATURES {
        return Err(AppError::invalid(format!(
            "The file holds {} features; at most {MAX_IMPORT_FEATURES} are imported at once.",
            features.len()
        )));
    }
    let mut skipped = Vec::new();
    let mut found = Vec::new();
    for (n, f) in features.iter().enumerate() {
        match feature_to_geofence(f) {
            Ok(c) => found.push(c),
            Err(why) => skipped.push(format!("Feature {}: {why}", n + 1)),
        }
    }
    Ok((found, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oversized_imports_are_refused_before_anything_is_read() {
        let huge = " ".repeat(MAX_IMPORT_BYTES + 1);
        let e = circles(&huge).err().expect("refused");
        assert!(e.to_string().contains("too large"), "{e}");
        let feature = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[113.9,22.5]},"properties":{"name":"x","radius":300}}"#;
        let many = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            vec![feature; MAX_IMPORT_FEATURES + 1].join(",")
        );
        let e = circles(&many).err().expect("refused");
        assert!(e.to_string().contains("at most 2000"), "{e}");
        let fine = format!(r#"{{"type":"FeatureCollection","features":[{feature}]}}"#);
        assert_eq!(circles(&fine).expect("read").0.len(), 1);
    }
}
