//! Stops and the trips between them: the playback view's rules (`detectStops`, `tripsBetween` in
//! `ui/src/lib/playbackAnalysis.ts`), step for step.

use super::{clean, near_m};
use crate::model::PlaybackPoint;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

/// Shortest trip, metres: a few metres of shuffle between two stops are not a trip.
pub const MIN_TRIP_M: f64 = 50.0;

/// What counts as a stop (the playback view's `DEFAULT_STOP_OPTIONS`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "ReportStopOptions"))]
#[serde(rename_all = "camelCase", default)]
pub struct StopOptions {
    /// Shortest stop, seconds (default 3 minutes).
    pub min_stop_secs: i64,
    /// At or below this speed (km/h) a fix counts as stationary (GPS speed is rarely exactly 0).
    pub stationary_kmh: f64,
    /// A stop stays within this distance (m) of where it began (GPS wander while parked).
    pub radius_m: f64,
    /// No fix for this long, at the same place, is a stop too (trackers sleep while parked).
    pub gap_secs: i64,
}

impl Default for StopOptions {
    fn default() -> Self {
        Self {
            min_stop_secs: 180,
            stationary_kmh: 3.0,
            radius_m: 60.0,
            gap_secs: 120,
        }
    }
}

/// A stop: the vehicle stayed at one place.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "ReportStop"))]
#[serde(rename_all = "camelCase")]
pub struct Stop {
    /// Index of its first fix in the cleaned history.
    pub first: usize,
    /// Index of its last fix.
    pub last: usize,
    /// Unix seconds of its first fix.
    pub start: i64,
    /// Unix seconds of its last fix.
    pub end: i64,
    /// `end - start`.
    pub duration_secs: i64,
    /// Where it began (its first fix).
    pub lat: f64,
    /// Where it began.
    pub lon: f64,
}

/// A trip: the driving between the history's ends and its stops.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "ReportTrip"))]
#[serde(rename_all = "camelCase")]
pub struct Trip {
    /// Index of its first fix in the cleaned history (the last fix of the stop before it).
    pub first: usize,
    /// Index of its last fix (the first fix of the stop after it).
    pub last: usize,
    /// Unix seconds of its first fix.
    pub start: i64,
    /// Unix seconds of its last fix.
    pub end: i64,
    /// Where it started.
    pub start_lat: f64,
    /// Where it started.
    pub start_lon: f64,
    /// Where it ended.
    pub end_lat: f64,
    /// Where it ended.
    pub end_lon: f64,
    /// Metres along its fixes ([`near_m`](super::near_m) between consecutive fixes).
    pub distance_m: f64,
    /// `end - start`.
    pub duration_secs: i64,
    /// Distance over duration, km/h (0 for a trip of no duration).
    pub avg_kmh: f64,
    /// Highest speed of its fixes, km/h.
    pub max_kmh: f64,
}

/// Distance from the first fix to each fix, metres (the playback view's `cumulativeDistance`),
/// over the history as given (call it on [`clean`](super::clean)'s result to match the indices of
/// stops and trips).
pub fn cumulative_distance(points: &[PlaybackPoint]) -> Vec<f64> {
    let mut along = Vec::with_capacity(points.len());
    let mut sum = 0.0;
    for (k, p) in points.iter().enumerate() {
        if k > 0 {
            let q = &points[k - 1];
            sum += near_m(q.latitude, q.longitude, p.latitude, p.longitude);
        }
        along.push(sum);
    }
    along
}

/// Stops: maximal runs of fixes that stay within `radius_m` of the run's first fix, where each
/// step is stationary (both fixes at or below `stationary_kmh`) or a long silence (`gap_secs`) at
/// the same place, lasting at least `min_stop_secs`.
///
/// A run ends at the fix where the next step fails, and the search goes on from that fix, so a
/// stop may begin at the fix where the one before it ended.
pub fn stops(points: &[PlaybackPoint], opts: &StopOptions) -> Vec<Stop> {
    let points = clean(points);
    runs(&points, opts, opts.min_stop_secs)
}

/// The stationary runs of a clean history lasting at least `min_secs` (0: every run of two fixes
/// or more). The runs themselves do not depend on `min_secs`: it only filters them.
pub(super) fn runs(p: &[PlaybackPoint], opts: &StopOptions, min_secs: i64) -> Vec<Stop> {
    let n = p.len();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < n {
        let mut j = i;
        while j + 1 < n {
            let near = near_m(
                p[i].latitude,
                p[i].longitude,
                p[j + 1].latitude,
                p[j + 1].longitude,
            ) <= opts.radius_m;
            let still = p[j].speed <= opts.stationary_kmh && p[j + 1].speed <= opts.stationary_kmh;
            let silent = p[j + 1].gpstime.saturating_sub(p[j].gpstime) >= opts.gap_secs;
            if !near || !(still || silent) {
                break;
            }
            j += 1;
        }
        let duration_secs = p[j].gpstime.saturating_sub(p[i].gpstime);
        if j > i && duration_secs >= min_secs {
            found.push(Stop {
                first: i,
                last: j,
                start: p[i].gpstime,
                end: p[j].gpstime,
                duration_secs,
                lat: p[i].latitude,
                lon: p[i].longitude,
            });
        }
        i = if j > i { j } else { i + 1 };
    }
    found
}

/// Trips: the driving between the history's ends and its `stops` (from [`stops`] over the same
/// points); a stretch shorter than [`MIN_TRIP_M`] is not a trip. Distance is summed over the
/// trip's fixes; average speed is distance over duration; top speed is that of its fastest fix.
/// Stops that do not fit the history (out of range, out of order) are skipped.
pub fn trips(points: &[PlaybackPoint], stops: &[Stop]) -> Vec<Trip> {
    let points = clean(points);
    let along = cumulative_distance(&points);
    trips_along(&points, stops, &along)
}

pub(super) fn trips_along(p: &[PlaybackPoint], stops: &[Stop], along: &[f64]) -> Vec<Trip> {
    let n = p.len();
    if n < 2 {
        return Vec::new();
    }
    let mut bounds = Vec::with_capacity(stops.len() + 1);
    let mut from = 0;
    for s in stops {
        if s.last >= n || s.first > s.last || s.first < from {
            continue;
        }
        if s.first > from {
            bounds.push((from, s.first));
        }
        from = s.last;
    }
    if from < n - 1 {
        bounds.push((from, n - 1));
    }
    let mut out = Vec::with_capacity(bounds.len());
    for (a, b) in bounds {
        let distance_m = along[b] - along[a];
        if distance_m.is_nan() || distance_m < MIN_TRIP_M {
            continue;
        }
        let max_kmh = p[a..=b].iter().fold(0.0_f64, |m, q| m.max(q.speed));
        let duration_secs = p[b].gpstime - p[a].gpstime;
        out.push(Trip {
            first: a,
            last: b,
            start: p[a].gpstime,
            end: p[b].gpstime,
            start_lat: p[a].latitude,
            start_lon: p[a].longitude,
            end_lat: p[b].latitude,
            end_lon: p[b].longitude,
            distance_m,
            duration_secs,
            avg_kmh: if duration_secs > 0 {
                distance_m / 1000.0 / (duration_secs as f64 / 3600.0)
            } else {
                0.0
            },
            max_kmh,
        });
    }
    out
}
