//! GCJ-02 → WGS-84, for positions leaving the app: the reverse geocoder (Nominatim and its kind
//! work in WGS-84) and exported files (GPX, KML, GeoJSON, CSV, reports), which are always
//! WGS-84. A GCJ-02 position is a few hundred metres off, often another street. The same
//! published formula as the UI's `lib/datum.ts`.

use crate::settings::Datum;
use std::f64::consts::PI;

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn out_of_china(lat: f64, lon: f64) -> bool {
    !(73.66..=135.05).contains(&lon) || !(3.86..=53.55).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

fn to_gcj(lat: f64, lon: f64) -> (f64, f64) {
    if out_of_china(lat, lon) {
        return (lat, lon);
    }
    let (x, y) = (lon - 105.0, lat - 35.0);
    let s = (lat / 180.0 * PI).sin();
    let magic = 1.0 - EE * s * s;
    let sqrt_magic = magic.sqrt();
    let d_lat = transform_lat(x, y) * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lon = transform_lon(x, y) * 180.0 / (A / sqrt_magic * (lat / 180.0 * PI).cos() * PI);
    (lat + d_lat, lon + d_lon)
}

/// A WGS-84 position in datum `to` (unchanged when `to` is WGS-84).
pub fn from_wgs84(to: Datum, lat: f64, lon: f64) -> (f64, f64) {
    match to {
        Datum::Wgs84 => (lat, lon),
        Datum::Gcj02 => to_gcj(lat, lon),
    }
}

/// A position given in datum `from`, in WGS-84 (unchanged when `from` is WGS-84).
pub fn to_wgs84(from: Datum, lat: f64, lon: f64) -> (f64, f64) {
    match from {
        Datum::Wgs84 => (lat, lon),
        Datum::Gcj02 => gcj02_to_wgs84(lat, lon),
    }
}

/// A GCJ-02 position in WGS-84 (fixed-point iteration of the forward formula).
pub fn gcj02_to_wgs84(lat: f64, lon: f64) -> (f64, f64) {
    if out_of_china(lat, lon) {
        return (lat, lon);
    }
    let (mut w_lat, mut w_lon) = (lat, lon);
    for _ in 0..10 {
        let (g_lat, g_lon) = to_gcj(w_lat, w_lon);
        let (d_lat, d_lon) = (g_lat - lat, g_lon - lon);
        w_lat -= d_lat;
        w_lon -= d_lon;
        if d_lat.abs() < 1e-9 && d_lon.abs() < 1e-9 {
            break;
        }
    }
    (w_lat, w_lon)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips_in_china_and_leaves_elsewhere_alone() {
        let (lat, lon) = super::to_gcj(39.9, 116.4);
        assert!((lat - 39.9).abs() > 1e-4);
        let (w_lat, w_lon) = super::gcj02_to_wgs84(lat, lon);
        assert!((w_lat - 39.9).abs() < 1e-8 && (w_lon - 116.4).abs() < 1e-8);
        assert_eq!(super::gcj02_to_wgs84(48.85, 2.35), (48.85, 2.35));
        use crate::settings::Datum;
        assert_eq!(super::to_wgs84(Datum::Wgs84, lat, lon), (lat, lon));
        assert_eq!(super::to_wgs84(Datum::Gcj02, lat, lon), (w_lat, w_lon));
    }
}
