//! The simulated city's map: a grid of roads in local metres, gently warped so that roads curve,
//! placed over Shenzhen; and distances on the Earth.
//!
//! The grid (26.4 x 17.4 km, see [`crate::plan`]) spans lon 113.870-114.127, lat 22.548-22.705:
//! Nanshan north of Shenzhen Bay, Futian and Luohu north of the Shenzhen River, eastern Bao'an,
//! Longhua and western Longgang. Every road is on land, at least 500 m from the sea and from
//! Hong Kong by Natural Earth 1:10m (see the tests in `coast.rs`): the grid's south-west corner is
//! as far south-west as that allows (further west is the Pearl River estuary, further south
//! Shenzhen Bay and Hong Kong).

use std::f64::consts::PI;

/// Longitude of the grid's south-west corner (Bao'an, east of the estuary's coast).
pub const LON0: f64 = 113.87;
/// Latitude of the grid's south-west corner (north of Shenzhen Bay and the Shenzhen River).
pub const LAT0: f64 = 22.548;
/// Metres per degree of latitude around 22.5 N.
const M_PER_DEG_LAT: f64 = 110_574.0;
/// Metres per degree of longitude at 22.625 N, the grid's middle (111 320 m x cos 22.625).
const M_PER_DEG_LON: f64 = 102_753.0;
/// Mean Earth radius used for every distance the simulator reports.
pub const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// East-west displacement of the warp, metres, as a function of northing (keeps north-south roads
/// gently curved while east-west roads stay on their line).
fn warp_x(y: f64) -> f64 {
    55.0 * (2.0 * PI * y / 4100.0 + 0.7).sin() + 25.0 * (2.0 * PI * y / 1700.0 + 2.1).sin()
}

fn warp_x_dy(y: f64) -> f64 {
    55.0 * (2.0 * PI / 4100.0) * (2.0 * PI * y / 4100.0 + 0.7).cos()
        + 25.0 * (2.0 * PI / 1700.0) * (2.0 * PI * y / 1700.0 + 2.1).cos()
}

fn warp_y(x: f64) -> f64 {
    55.0 * (2.0 * PI * x / 4700.0 + 1.3).sin() + 25.0 * (2.0 * PI * x / 1900.0 + 0.4).sin()
}

fn warp_y_dx(x: f64) -> f64 {
    55.0 * (2.0 * PI / 4700.0) * (2.0 * PI * x / 4700.0 + 1.3).cos()
        + 25.0 * (2.0 * PI / 1900.0) * (2.0 * PI * x / 1900.0 + 0.4).cos()
}

/// Longitude and latitude of grid point (x east, y north) in metres, rounded to 6 decimals as the
/// provider reports them.
pub fn to_lonlat(x: f64, y: f64) -> (f64, f64) {
    let lon = LON0 + (x + warp_x(y)) / M_PER_DEG_LON;
    let lat = LAT0 + (y + warp_y(x)) / M_PER_DEG_LAT;
    (round6(lon), round6(lat))
}

/// Heading in whole degrees (north 0, clockwise, 0..359) of motion along unit grid direction
/// (ux, uy) at (x, y).
pub fn course(x: f64, y: f64, ux: f64, uy: f64) -> i64 {
    let east = ux + uy * warp_x_dy(y);
    let north = uy + ux * warp_y_dx(x);
    let deg = east.atan2(north).to_degrees().rem_euclid(360.0).round() as i64;
    deg % 360
}

/// Rounds to 6 decimals (about 0.1 m), the precision of the provider's coordinates.
pub fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// Formats a coordinate as the provider does: at most 6 decimals, no trailing zeros.
pub fn fmt_coord(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0');
    s.trim_end_matches('.').to_owned()
}

/// Great-circle distance in metres between two points (haversine, radius [`EARTH_RADIUS_M`]).
pub fn distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    if lon1 == lon2 && lat1 == lat2 {
        return 0.0;
    }
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_sits_on_shenzhen_and_distances_match_the_grid() {
        // The grid's middle is in Longhua / Minzhi, north of Futian.
        let (lon, lat) = to_lonlat(13_200.0, 8_700.0);
        assert!(
            (lon - 114.0).abs() < 0.01 && (lat - 22.627).abs() < 0.01,
            "{lon} {lat}"
        );
        // 600 m along an east-west road measures about 600 m on the Earth.
        let (a, b) = (to_lonlat(6000.0, 3000.0), to_lonlat(6600.0, 3000.0));
        let d = distance_m(a.0, a.1, b.0, b.1);
        assert!((d - 600.0).abs() < 12.0, "{d}");
    }

    #[test]
    fn courses_follow_the_direction() {
        assert!(matches!(course(100.0, 100.0, 0.0, 1.0), 0..=10 | 350..=359));
        assert!((80..=100).contains(&course(100.0, 100.0, 1.0, 0.0)));
        assert!((170..=190).contains(&course(100.0, 100.0, 0.0, -1.0)));
        assert!((260..=280).contains(&course(100.0, 100.0, -1.0, 0.0)));
    }

    #[test]
    fn coordinates_print_like_the_provider_and_parse_back_exactly() {
        assert_eq!(fmt_coord(22.56861), "22.56861");
        assert_eq!(fmt_coord(113.0), "113");
        let v = round6(113.971_962_4);
        assert_eq!(fmt_coord(v).parse::<f64>().ok(), Some(v));
    }
}
