//! Fleet reports computed from a vehicle's playback points and alarms: stops, trips, idling,
//! speeding, geofence visits and a summary per calendar day.
//!
//! Pure functions, no I/O: the desktop app and the command-line tool fetch the history and call
//! these. Stops and trips follow exactly the rules of the playback view
//! (`ui/src/lib/playbackAnalysis.ts`, checked by a shared fixture), so the numbers a fleet manager
//! reads on the replay and in a report agree.
//!
//! Every function first puts its input in order with [`clean`] (ascending time, exact repeats and
//! fixes without a usable position dropped); for a history that is already clean that is one
//! pass that copies nothing. Indices in the results (`first`, `last`) are indices into
//! `clean(points)`, which is `points` itself when it was clean. Bad data (NaN, zero coordinates,
//! repeats, time going backwards) never panics.
//!
//! ```
//! use etrack::report::{self, StopOptions};
//! use etrack::PlaybackPoint;
//! const T0: i64 = 1_714_550_400;
//! let fix = |t: i64, lat: f64, kmh: f64| PlaybackPoint { longitude: 113.9, latitude: lat, gpstime: T0 + t, speed: kmh, course: 0.0 };
//! // Ten minutes parked, then 1.7 km north in 100 s.
//! let mut route: Vec<PlaybackPoint> = (0..=60).map(|i| fix(i * 10, 22.5, 0.0)).collect();
//! route.extend((1..=10).map(|i| fix(600 + i * 10, 22.5 + i as f64 * 0.0015, 60.0)));
//! let stops = report::stops(&route, &StopOptions::default());
//! assert_eq!((stops[0].start - T0, stops[0].end - T0), (0, 600));
//! let trips = report::trips(&route, &stops);
//! assert_eq!((trips[0].start - T0, trips[0].end - T0), (600, 700));
//! assert!((trips[0].distance_m - 1668.0).abs() < 1.0);
//! ```

use crate::model::{Alarm, PlaybackPoint};
use std::borrow::Cow;

mod daily;
mod geofence;
mod idling;
mod speeding;
mod stops;

pub use daily::{daily_summary, fixed_offset, local_offset, AlarmCount, DaySummary};
pub use geofence::{geofence_visits, Circle, Visit, ALARM_MATCH_SECS};
pub use idling::{acc_intervals, idling, Idle, DEFAULT_MIN_IDLE_SECS};
pub use speeding::{speeding, Speeding};
pub use stops::{cumulative_distance, stops, trips, Stop, StopOptions, Trip, MIN_TRIP_M};

const EARTH_RADIUS_M: f64 = 6_371_008.8;
const RAD: f64 = std::f64::consts::PI / 180.0;

/// Great-circle distance in metres (the playback view's `haversineM`).
///
/// ```
/// let m = etrack::report::haversine_m(22.5, 113.9, 23.5, 113.9);
/// assert!((m - 111_195.0).abs() < 1.0);
/// ```
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let d_lat = (lat2 - lat1) * RAD;
    let d_lon = (lon2 - lon1) * RAD;
    let a = (d_lat / 2.0).sin().powi(2)
        + (lat1 * RAD).cos() * (lat2 * RAD).cos() * (d_lon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Distance in metres between two nearby fixes on the local flat approximation, the great circle
/// beyond 20 km (the playback view's `nearM`, operation for operation, so sums agree to the bit
/// or nearly).
///
/// ```
/// let flat = etrack::report::near_m(22.5, 113.9, 22.501, 113.902);
/// let exact = etrack::report::haversine_m(22.5, 113.9, 22.501, 113.902);
/// assert!((flat - exact).abs() / exact < 1e-4);
/// ```
pub fn near_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let x = (lon2 - lon1) * RAD * ((lat1 + lat2) * 0.5 * RAD).cos();
    let y = (lat2 - lat1) * RAD;
    let d = EARTH_RADIUS_M * (x * x + y * y).sqrt();
    if d < 20_000.0 {
        d
    } else {
        haversine_m(lat1, lon1, lat2, lon2)
    }
}

/// Fixes and alarms at or after this time (2200-01-01) are bad data.
const MAX_TIME: i64 = 7_258_118_400;

/// Whether a fix can be used: a finite position on Earth other than (0, 0) (what trackers send
/// without a fix) and a time after 1970 and before 2200.
fn usable(p: &PlaybackPoint) -> bool {
    p.latitude.is_finite()
        && p.longitude.is_finite()
        && (-90.0..=90.0).contains(&p.latitude)
        && (-180.0..=180.0).contains(&p.longitude)
        && !(p.latitude == 0.0 && p.longitude == 0.0)
        && p.gpstime > 0
        && p.gpstime < MAX_TIME
}

/// A speed the rules can compare: NaN, infinite or negative speeds read as 0 km/h (the position
/// of such a fix is still good, and its distance still counts).
fn usable_speed(kmh: f64) -> f64 {
    if kmh.is_finite() && kmh > 0.0 {
        kmh
    } else {
        0.0
    }
}

/// A history the reports can read: fixes without a usable position dropped (non-finite, off the
/// Earth, exactly (0, 0), or at a time before 1970 or after 2200), NaN or negative speeds read as 0, stably
/// sorted by GPS time, exact repeats dropped (fixes at one second with different positions are
/// kept, as the playback view keeps them). Borrows when the history is already like that.
///
/// ```
/// use etrack::PlaybackPoint;
/// let fix = |t: i64, lat: f64| PlaybackPoint { longitude: 113.9, latitude: lat, gpstime: t, speed: 0.0, course: 0.0 };
/// let raw = [fix(20, 22.5), fix(10, 22.5), fix(20, 22.5), fix(30, f64::NAN), fix(40, 0.0)];
/// let clean = etrack::report::clean(&raw);
/// assert_eq!(clean.iter().map(|p| p.gpstime).collect::<Vec<_>>(), [10, 20, 40]);
/// ```
pub fn clean(points: &[PlaybackPoint]) -> Cow<'_, [PlaybackPoint]> {
    if is_clean(points) {
        return Cow::Borrowed(points);
    }
    let mut kept: Vec<PlaybackPoint> = points
        .iter()
        .filter(|p| usable(p))
        .map(|p| PlaybackPoint {
            speed: usable_speed(p.speed),
            ..*p
        })
        .collect();
    // Same as export::playback_in_order, which takes the vector by value.
    kept.sort_by_key(|p| p.gpstime);
    let mut out: Vec<PlaybackPoint> = Vec::with_capacity(kept.len());
    let mut run_start = 0;
    for p in kept {
        if out.last().is_some_and(|last| last.gpstime != p.gpstime) {
            run_start = out.len();
        }
        if !out[run_start..].contains(&p) {
            out.push(p);
        }
    }
    Cow::Owned(out)
}

fn is_clean(points: &[PlaybackPoint]) -> bool {
    let mut run_start = 0;
    for (k, p) in points.iter().enumerate() {
        if !usable(p) || usable_speed(p.speed) != p.speed {
            return false;
        }
        if k > 0 {
            let prev = points[k - 1].gpstime;
            if p.gpstime < prev {
                return false;
            }
            if p.gpstime != prev {
                run_start = k;
            }
            if points[run_start..k].contains(p) {
                return false;
            }
        }
    }
    true
}

/// Alarms ascending by GPS time (then by the time the provider received them), stably, so the
/// last of several alarms in one second is the last one sent.
fn alarms_in_order(alarms: &[Alarm]) -> Vec<&Alarm> {
    let mut sorted: Vec<&Alarm> = alarms.iter().collect();
    sorted.sort_by_key(|a| (a.gpstime, a.systemtime));
    sorted
}
