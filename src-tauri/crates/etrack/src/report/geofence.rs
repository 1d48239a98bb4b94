//! Geofence visits: when the vehicle entered and left circular geofences, cross-checked with the
//! provider's geofence alarms.

use super::{alarms_in_order, clean, haversine_m, EARTH_RADIUS_M, RAD};
use crate::model::{Alarm, AlarmType, PlaybackPoint};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ts")]
use ts_rs::TS;

/// How far (seconds) a geofence alarm may lie outside the two fixes between which the crossing
/// was computed and still confirm it.
pub const ALARM_MATCH_SECS: i64 = 120;

/// A circular geofence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "GeofenceCircle"))]
#[serde(rename_all = "camelCase")]
pub struct Circle {
    /// The provider's id of the geofence (what its alarms carry as `geofence_id`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Centre, degrees north.
    pub lat: f64,
    /// Centre, degrees east.
    pub lon: f64,
    /// Radius, metres.
    pub radius_m: f64,
}

/// A stay inside a geofence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(rename = "GeofenceVisit"))]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    /// The geofence's id.
    pub geofence_id: String,
    /// The geofence's name.
    pub geofence_name: String,
    /// Unix seconds of the first fix inside (the history's first fix when it began inside).
    pub enter: i64,
    /// Unix seconds of the first fix outside again; `None` when still inside at the last fix.
    pub exit: Option<i64>,
    /// `exit - enter`, or up to the last fix while still inside.
    pub dwell_secs: i64,
    /// Already inside at the history's first fix: `enter` is not a crossing.
    pub began_inside: bool,
    /// A geoFenceInAlarm (type 5) confirms the entry (false when it began inside).
    pub enter_confirmed: bool,
    /// A geoFenceOutAlarm (type 6) confirms the exit (false when still inside).
    pub exit_confirmed: bool,
    /// Every crossing of the visit (an entry, an exit, or both) is confirmed by an alarm; false
    /// for a visit with no crossing at all.
    pub confirmed_by_alarm: bool,
}

/// Visits of `circles`, computed from the fixes: a fix is inside when its great-circle distance
/// from the centre is at most the radius. A visit enters at the first fix inside and exits at the
/// first fix outside again. Ordered by entry time (then by the order of `circles`).
///
/// A computed crossing between fixes at `t0` (old side) and `t1` (new side) is confirmed by an
/// alarm of the right type (5 for an entry, 6 for an exit) with a GPS time in
/// `[t0 - ALARM_MATCH_SECS, t1 + ALARM_MATCH_SECS]`, whose geofence id is the circle's or none
/// (`""` or `"0"`); each alarm confirms at most one crossing of a circle, the earliest first.
///
/// ```
/// use etrack::report::{self, Circle};
/// use etrack::PlaybackPoint;
/// let fix = |t: i64, lat: f64| PlaybackPoint { longitude: 113.9, latitude: lat, gpstime: t, speed: 40.0, course: 0.0 };
/// // North through a 200 m circle centred on 22.5 N, a fix every 10 s (about 111 m).
/// let route: Vec<PlaybackPoint> = (1..10).map(|i| fix(i * 10, 22.495 + i as f64 * 0.001)).collect();
/// let depot = Circle { id: "7".into(), name: "Depot".into(), lat: 22.5, lon: 113.9, radius_m: 200.0 };
/// let visits = report::geofence_visits(&route, &[depot], &[]);
/// assert_eq!((visits[0].enter, visits[0].exit, visits[0].dwell_secs), (40, Some(70), 30));
/// assert!(!visits[0].confirmed_by_alarm);
/// ```
pub fn geofence_visits(
    points: &[PlaybackPoint],
    circles: &[Circle],
    alarms: &[Alarm],
) -> Vec<Visit> {
    let points = clean(points);
    let alarms = alarms_in_order(alarms);
    let mut out: Vec<Visit> = Vec::new();
    for circle in circles {
        out.extend(visits_of(&points, circle, &alarms));
    }
    // Stable: visits at one time keep the order of `circles`.
    out.sort_by_key(|v| v.enter);
    out
}

/// Geofence alarms of one type for one circle: their times and whether one was used.
struct Confirmations {
    times: Vec<i64>,
    used: Vec<bool>,
}

impl Confirmations {
    fn new(alarms: &[&Alarm], alarm_type: AlarmType, circle: &Circle) -> Self {
        let times: Vec<i64> = alarms
            .iter()
            .filter(|a| a.alarm_type == alarm_type && names(a, circle))
            .map(|a| a.gpstime)
            .collect();
        let used = vec![false; times.len()];
        Self { times, used }
    }

    /// Uses the earliest unused alarm in `[lo, hi]`, if any.
    fn confirm(&mut self, lo: i64, hi: i64) -> bool {
        let from = self.times.partition_point(|&t| t < lo);
        for k in from..self.times.len() {
            if self.times[k] > hi {
                break;
            }
            if !self.used[k] {
                self.used[k] = true;
                return true;
            }
        }
        false
    }
}

/// Whether an alarm is about `circle`: its geofence id is the circle's, or it names none.
fn names(alarm: &Alarm, circle: &Circle) -> bool {
    let id = alarm.geofence_id.trim();
    id.is_empty() || id == "0" || id == circle.id.trim()
}

fn visits_of(points: &[PlaybackPoint], circle: &Circle, alarms: &[&Alarm]) -> Vec<Visit> {
    let mut ins = Confirmations::new(alarms, AlarmType::GeofenceIn, circle);
    let mut outs = Confirmations::new(alarms, AlarmType::GeofenceOut, circle);
    // The great circle is never shorter than the difference of latitude: most fixes are ruled
    // out without the trigonometry.
    let lat_reach = circle.radius_m / (EARTH_RADIUS_M * RAD);
    let inside = |p: &PlaybackPoint| {
        (p.latitude - circle.lat).abs() <= lat_reach
            && haversine_m(p.latitude, p.longitude, circle.lat, circle.lon) <= circle.radius_m
    };
    let visit = |enter: i64, began_inside: bool, enter_confirmed: bool| Visit {
        geofence_id: circle.id.clone(),
        geofence_name: circle.name.clone(),
        enter,
        exit: None,
        dwell_secs: 0,
        began_inside,
        enter_confirmed,
        exit_confirmed: false,
        confirmed_by_alarm: false,
    };
    let mut out = Vec::new();
    let mut open: Option<Visit> = None;
    let mut was_inside = false;
    for (k, p) in points.iter().enumerate() {
        let now_inside = inside(p);
        if k == 0 {
            if now_inside {
                open = Some(visit(p.gpstime, true, false));
            }
        } else if now_inside != was_inside {
            let (t0, t1) = (points[k - 1].gpstime, p.gpstime);
            let (lo, hi) = (
                t0.saturating_sub(ALARM_MATCH_SECS),
                t1.saturating_add(ALARM_MATCH_SECS),
            );
            if now_inside {
                open = Some(visit(t1, false, ins.confirm(lo, hi)));
            } else if let Some(mut v) = open.take() {
                v.exit = Some(t1);
                v.dwell_secs = t1 - v.enter;
                v.exit_confirmed = outs.confirm(lo, hi);
                v.confirmed_by_alarm = v.exit_confirmed && (v.began_inside || v.enter_confirmed);
                out.push(v);
            }
        }
        was_inside = now_inside;
    }
    if let (Some(mut v), Some(last)) = (open, points.last()) {
        v.dwell_secs = last.gpstime - v.enter;
        v.confirmed_by_alarm = v.enter_confirmed;
        out.push(v);
    }
    out
}
