//! A vehicle's day in figures: distance, driving, stopped and idle time, top speed, first start,
//! last stop and alarms, per calendar day in the user's time zone.

use super::idling::{acc_intervals, idle_in};
use super::stops::{cumulative_distance, runs, trips_along};
use super::{alarms_in_order, clean, StopOptions, MAX_TIME};
use crate::model::{Alarm, AlarmType, PlaybackPoint};
use chrono::{Local, NaiveDate, Offset, TimeZone};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[cfg(feature = "ts")]
use ts_rs::TS;

const DAY: i64 = 86_400;
/// Offsets beyond this (seconds) are clamped: no zone has ever been further from UTC.
const MAX_OFFSET: i64 = 18 * 3600;

/// How many alarms of one type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct AlarmCount {
    /// The type (the spec's number).
    #[serde(rename = "type")]
    pub alarm_type: AlarmType,
    /// How many.
    pub count: u32,
}

/// One calendar day of one vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct DaySummary {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// Unix seconds of the day's first instant (local midnight, or the first instant of the date
    /// when a clock change skips midnight).
    pub start: i64,
    /// Unix seconds of the next day's first instant (the day is `[start, end)`).
    pub end: i64,
    /// The zone's offset from UTC at `start`, seconds east.
    pub utc_offset_secs: i32,
    /// Metres driven: the day's parts of the trips.
    pub distance_m: f64,
    /// Seconds driving: the day's parts of the trips.
    pub driving_secs: i64,
    /// Seconds stopped: the day's parts of the stops.
    pub stopped_secs: i64,
    /// Seconds idling: the day's parts of the idle periods.
    pub idle_secs: i64,
    /// Top speed of the day's fixes, km/h (0 without fixes).
    pub max_kmh: f64,
    /// Trips with a part in the day.
    pub trips: u32,
    /// Stops with a part in the day.
    pub stops: u32,
    /// Start of the first trip that began in the day.
    pub first_start: Option<i64>,
    /// End of the last trip that ended in the day.
    pub last_stop: Option<i64>,
    /// Fixes in the day.
    pub points: u32,
    /// Alarms in the day (by GPS time), by type, ascending type.
    pub alarms: Vec<AlarmCount>,
}

/// The offset of a fixed zone (`secs` east of UTC), e.g. `fixed_offset(8 * 3600)` for
/// Asia/Shanghai, which has no daylight saving time.
///
/// ```
/// let shanghai = etrack::report::fixed_offset(8 * 3600);
/// assert_eq!(shanghai(1_714_550_400), 28_800);
/// ```
pub fn fixed_offset(secs: i32) -> impl Fn(i64) -> i32 {
    move |_| secs
}

/// The offset of the computer's own zone at an instant (the app's "local" time zone setting).
pub fn local_offset(t: i64) -> i32 {
    Local
        .timestamp_opt(t, 0)
        .single()
        .map_or(0, |d| d.offset().fix().local_minus_utc())
}

/// A summary per calendar day of one vehicle's history, days in ascending order; only days with
/// fixes, alarms, or a part of a trip, stop or idle period appear.
///
/// `offset` gives the user's zone: seconds east of UTC at an instant (see [`fixed_offset`],
/// [`local_offset`], or a closure over a time-zone database for an IANA name). A day is the
/// half-open span `[start, end)` between two local midnights.
///
/// Stops and trips are those of [`stops`](super::stops) and [`trips`](super::trips) with `opts`,
/// idling that of [`idling`](super::idling) with `min_idle_secs`. A trip, stop or idle period
/// that crosses midnight is split there: each day gets the seconds of its part, and a trip's
/// distance is shared out fix to fix (the step across midnight in proportion to its time on each
/// side), so a day's `distance_m` is the sum of its trip parts and the days of a history add up to
/// its trips. `first_start` and `last_stop` are real departures and arrivals: a trip under way at
/// midnight starts on the day before and ends on the day after.
pub fn daily_summary(
    points: &[PlaybackPoint],
    alarms: &[Alarm],
    opts: &StopOptions,
    min_idle_secs: i64,
    offset: &dyn Fn(i64) -> i32,
) -> Vec<DaySummary> {
    let p = clean(points);
    let along = cumulative_distance(&p);
    let stops = runs(&p, opts, opts.min_stop_secs);
    let trips = trips_along(&p, &stops, &along);
    let idle = idle_in(&runs(&p, opts, 0), &acc_intervals(alarms), min_idle_secs);

    let mut cal = Calendar::new(offset);
    let mut days: BTreeMap<i64, Acc> = BTreeMap::new();

    for q in p.iter() {
        let day = days.entry(cal.day_of(q.gpstime)).or_default();
        day.points += 1;
        day.max_kmh = day.max_kmh.max(q.speed);
    }
    for trip in &trips {
        let first_day = cal.day_of(trip.start);
        let first = days.entry(first_day).or_default();
        first.first_start = Some(first.first_start.map_or(trip.start, |s| s.min(trip.start)));
        let last = days.entry(cal.day_of(trip.end)).or_default();
        last.last_stop = Some(last.last_stop.map_or(trip.end, |s| s.max(trip.end)));
        let mut counted = None;
        for k in trip.first..trip.last {
            let (t0, t1) = (p[k].gpstime, p[k + 1].gpstime);
            let metres = along[k + 1] - along[k];
            cal.split(t0, t1, |d, s, e| {
                let day = days.entry(d).or_default();
                day.distance_m += if t1 > t0 {
                    metres * ((e - s) as f64 / (t1 - t0) as f64)
                } else {
                    metres
                };
                day.driving_secs += e - s;
                if counted != Some(d) {
                    day.trips += 1;
                    counted = Some(d);
                }
            });
        }
    }
    for stop in &stops {
        cal.split(stop.start, stop.end, |d, s, e| {
            let day = days.entry(d).or_default();
            day.stopped_secs += e - s;
            day.stops += 1;
        });
    }
    for part in &idle {
        cal.split(part.start, part.end, |d, s, e| {
            days.entry(d).or_default().idle_secs += e - s;
        });
    }
    for a in alarms_in_order(alarms) {
        if a.gpstime <= 0 || a.gpstime >= MAX_TIME {
            continue;
        }
        let counts = &mut days.entry(cal.day_of(a.gpstime)).or_default().alarms;
        counts
            .entry(a.alarm_type.code())
            .or_insert(AlarmCount {
                alarm_type: a.alarm_type,
                count: 0,
            })
            .count += 1;
    }

    days.into_iter()
        .map(|(d, acc)| {
            let start = cal.start(d);
            DaySummary {
                date: date_of(d),
                start,
                end: cal.start(d + 1),
                utc_offset_secs: cal.offset_at(start) as i32,
                distance_m: acc.distance_m,
                driving_secs: acc.driving_secs,
                stopped_secs: acc.stopped_secs,
                idle_secs: acc.idle_secs,
                max_kmh: acc.max_kmh,
                trips: acc.trips,
                stops: acc.stops,
                first_start: acc.first_start,
                last_stop: acc.last_stop,
                points: acc.points,
                alarms: acc.alarms.into_values().collect(),
            }
        })
        .collect()
}

#[derive(Default)]
struct Acc {
    distance_m: f64,
    driving_secs: i64,
    stopped_secs: i64,
    idle_secs: i64,
    max_kmh: f64,
    trips: u32,
    stops: u32,
    first_start: Option<i64>,
    last_stop: Option<i64>,
    points: u32,
    alarms: BTreeMap<i64, AlarmCount>,
}

/// `YYYY-MM-DD` of a local day number (days since 1970-01-01).
fn date_of(day: i64) -> String {
    i32::try_from(day + 719_163)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map_or_else(|| format!("day {day}"), |d| d.to_string())
}

/// Local days of a zone: day `d` is `[start(d), start(d + 1))`, where `start(d)` is the first
/// instant whose local date is `d` or later. Boundaries are cached, and so is the day last asked
/// for, so the fixes of one day cost no call of the offset function after the first.
struct Calendar<'a> {
    offset: &'a dyn Fn(i64) -> i32,
    starts: HashMap<i64, i64>,
    last: Option<(i64, i64, i64)>,
}

impl<'a> Calendar<'a> {
    fn new(offset: &'a dyn Fn(i64) -> i32) -> Self {
        Self {
            offset,
            starts: HashMap::new(),
            last: None,
        }
    }

    fn offset_at(&self, t: i64) -> i64 {
        i64::from((self.offset)(t)).clamp(-MAX_OFFSET, MAX_OFFSET)
    }

    /// The local date of an instant, as a day number.
    fn local_day(&self, t: i64) -> i64 {
        t.saturating_add(self.offset_at(t)).div_euclid(DAY)
    }

    fn start(&mut self, d: i64) -> i64 {
        if let Some(&t) = self.starts.get(&d) {
            return t;
        }
        let midnight = d.saturating_mul(DAY);
        let (mut lo, mut hi) = (
            midnight.saturating_sub(MAX_OFFSET + 1),
            midnight.saturating_add(MAX_OFFSET + 1),
        );
        // Smallest t in (lo, hi] with local_day(t) >= d.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.local_day(mid) >= d {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        self.starts.insert(d, hi);
        hi
    }

    fn day_of(&mut self, t: i64) -> i64 {
        if let Some((d, lo, hi)) = self.last {
            if lo <= t && t < hi {
                return d;
            }
        }
        let mut d = self.local_day(t);
        // A clock going back across midnight makes local dates non-monotonic; the boundaries
        // decide. A few steps at most.
        for _ in 0..4 {
            if t < self.start(d) {
                d -= 1;
            } else if t >= self.start(d + 1) {
                d += 1;
            } else {
                break;
            }
        }
        let (lo, hi) = (self.start(d), self.start(d + 1));
        self.last = Some((d, lo, hi));
        d
    }

    /// Calls `f(day, from, to)` for each day's part of `[s, e]` (once, with `from == to`, for an
    /// empty span).
    fn split(&mut self, mut s: i64, e: i64, mut f: impl FnMut(i64, i64, i64)) {
        loop {
            let d = self.day_of(s);
            let next = self.start(d + 1).max(s + 1);
            if e <= next {
                f(d, s, e.max(s));
                return;
            }
            f(d, s, next);
            s = next;
        }
    }
}
