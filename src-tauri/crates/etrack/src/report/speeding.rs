//! Speeding: periods above a speed limit.

use super::{clean, StopOptions};
use crate::model::PlaybackPoint;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

/// A period above the limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "SpeedingPeriod"))]
#[serde(rename_all = "camelCase")]
pub struct Speeding {
    /// Unix seconds of its first fix above the limit.
    pub start: i64,
    /// Unix seconds of its last fix above the limit.
    pub end: i64,
    /// `end - start`.
    pub duration_secs: i64,
    /// Its top speed, km/h.
    pub max_kmh: f64,
    /// Where it reached its top speed (the first fix at that speed).
    pub lat: f64,
    /// Where it reached its top speed.
    pub lon: f64,
}

/// Speeding: maximal runs of consecutive fixes faster than `limit_kmh` (strictly), lasting at
/// least `min_secs` from the first to the last of them. A silence of more than the default
/// `gap_secs` (120 s) between two fast fixes ends a period: nobody knows how fast the vehicle went
/// meanwhile. A single fast fix lasts 0 s (reported only with `min_secs` 0).
///
/// ```
/// use etrack::PlaybackPoint;
/// let fix = |t: i64, kmh: f64| PlaybackPoint { longitude: 113.9, latitude: 22.5 + t as f64 * 1e-4, gpstime: t, speed: kmh, course: 0.0 };
/// let route = [fix(5, 60.0), fix(10, 95.0), fix(20, 110.0), fix(30, 98.0), fix(40, 70.0)];
/// let fast = etrack::report::speeding(&route, 90.0, 20);
/// assert_eq!((fast[0].start, fast[0].end, fast[0].max_kmh), (10, 30, 110.0));
/// ```
pub fn speeding(points: &[PlaybackPoint], limit_kmh: f64, min_secs: i64) -> Vec<Speeding> {
    let points = clean(points);
    let gap_secs = StopOptions::default().gap_secs;
    let mut out = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None; // first, last, fastest
    let close = |run: (usize, usize, usize), out: &mut Vec<Speeding>| {
        let (first, last, top) = run;
        let duration_secs = points[last].gpstime - points[first].gpstime;
        if duration_secs >= min_secs {
            out.push(Speeding {
                start: points[first].gpstime,
                end: points[last].gpstime,
                duration_secs,
                max_kmh: points[top].speed,
                lat: points[top].latitude,
                lon: points[top].longitude,
            });
        }
    };
    for (k, p) in points.iter().enumerate() {
        let fast = p.speed > limit_kmh;
        if !fast {
            if let Some(run) = current.take() {
                close(run, &mut out);
            }
            continue;
        }
        current = match current {
            Some((first, last, top)) if p.gpstime - points[last].gpstime <= gap_secs => {
                Some((first, k, if p.speed > points[top].speed { k } else { top }))
            }
            other => {
                if let Some(run) = other {
                    close(run, &mut out);
                }
                Some((k, k, k))
            }
        };
    }
    if let Some(run) = current {
        close(run, &mut out);
    }
    out
}
