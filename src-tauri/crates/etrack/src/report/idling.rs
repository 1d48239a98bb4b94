//! Idling: stopped with the engine on.

use super::stops::runs;
use super::{alarms_in_order, clean, Stop, StopOptions};
use crate::model::{Alarm, AlarmType, PlaybackPoint};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

/// Shortest idle period worth a line in a report, seconds: as long as the shortest stop.
pub const DEFAULT_MIN_IDLE_SECS: i64 = 180;

/// A period stopped with the engine on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "IdlePeriod"))]
#[serde(rename_all = "camelCase")]
pub struct Idle {
    /// Unix seconds.
    pub start: i64,
    /// Unix seconds.
    pub end: i64,
    /// `end - start`.
    pub duration_secs: i64,
    /// Where the vehicle stood (the first fix of its stop).
    pub lat: f64,
    /// Where the vehicle stood.
    pub lon: f64,
}

/// When the engine was on, from the engine on/off alarms (types 9 and 10): half-open intervals
/// `[from, to)` in unix seconds, ascending; `to` is `i64::MAX` when no engineOff followed.
///
/// The state at a time is that of the last engine alarm at or before it (of several in one
/// second, the last the provider received). Before the first engine alarm the state is unknown
/// and counts as off: a report never claims idling it cannot show.
///
/// ```
/// use etrack::{Alarm, AlarmType};
/// let alarm = |t: i64, alarm_type| Alarm { alarm_type, longitude: 113.9, latitude: 22.5, gpstime: t, systemtime: t, speed: 0.0, course: 0.0, geofence_id: String::new() };
/// let alarms = [alarm(100, AlarmType::EngineOff), alarm(200, AlarmType::EngineOn), alarm(250, AlarmType::EngineOn), alarm(900, AlarmType::EngineOff), alarm(1000, AlarmType::EngineOn)];
/// assert_eq!(etrack::report::acc_intervals(&alarms), [(200, 900), (1000, i64::MAX)]);
/// ```
pub fn acc_intervals(alarms: &[Alarm]) -> Vec<(i64, i64)> {
    // The state each second with engine alarms ends in.
    let mut changes: Vec<(i64, bool)> = Vec::new();
    for a in alarms_in_order(alarms) {
        let on = match a.alarm_type {
            AlarmType::EngineOn => true,
            AlarmType::EngineOff => false,
            _ => continue,
        };
        match changes.last_mut() {
            Some(last) if last.0 == a.gpstime => last.1 = on,
            _ => changes.push((a.gpstime, on)),
        }
    }
    let mut out = Vec::new();
    let mut on_since: Option<i64> = None;
    for (t, on) in changes {
        if on {
            on_since.get_or_insert(t);
        } else if let Some(from) = on_since.take() {
            out.push((from, t));
        }
    }
    if let Some(from) = on_since {
        out.push((from, i64::MAX));
    }
    out
}

/// Idling: the parts of the stationary periods during which the engine was on (see
/// [`acc_intervals`]), each lasting at least `min_idle_secs` (and more than 0 s).
///
/// The stationary periods are the runs of [`stops`](super::stops) with `opts` except that
/// `opts.min_stop_secs` is not applied (`min_idle_secs` takes its place): a stop of 10 minutes
/// and a 4-minute wait at a level crossing both count, and every stop is such a run, with the
/// same bounds. A stop during which the engine went off and on again gives one idle period per
/// engine-on part.
pub fn idling(
    points: &[PlaybackPoint],
    alarms: &[Alarm],
    opts: &StopOptions,
    min_idle_secs: i64,
) -> Vec<Idle> {
    let points = clean(points);
    let stationary = runs(&points, opts, 0);
    idle_in(&stationary, &acc_intervals(alarms), min_idle_secs)
}

/// The engine-on parts of `stationary` (ascending, as `runs` returns them).
pub(super) fn idle_in(stationary: &[Stop], on: &[(i64, i64)], min_idle_secs: i64) -> Vec<Idle> {
    let mut out = Vec::new();
    for run in stationary {
        let mut k = on.partition_point(|&(_, to)| to <= run.start);
        while k < on.len() && on[k].0 < run.end {
            let start = run.start.max(on[k].0);
            let end = run.end.min(on[k].1);
            let duration_secs = end - start;
            if duration_secs > 0 && duration_secs >= min_idle_secs {
                out.push(Idle {
                    start,
                    end,
                    duration_secs,
                    lat: run.lat,
                    lon: run.lon,
                });
            }
            k += 1;
        }
    }
    out
}
