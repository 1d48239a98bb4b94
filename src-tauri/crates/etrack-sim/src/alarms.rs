//! Alarms derived from the same reports as the playback: ignition on/off, speeding, door, geofence
//! in/out (for geofences created through the API, from their creation on), plus occasional SOS,
//! power disconnection and low battery.

use crate::fleet::{day_start, local_day};
use crate::geo;
use crate::history::{Point, Source};
use crate::plan::SPEED_LIMIT_KMH;
use crate::rng::{key, Rng};
use crate::timeline::{Sample, Timeline};

/// The spec's alarm type numbers used here.
pub mod kind {
    /// sosAlarm.
    pub const SOS: i64 = 1;
    /// lowBatteryAlarm.
    pub const LOW_BATTERY: i64 = 2;
    /// powerDisconnectAlarm.
    pub const POWER_DISCONNECT: i64 = 3;
    /// geoFenceInAlarm.
    pub const GEOFENCE_IN: i64 = 5;
    /// geoFenceOutAlarm.
    pub const GEOFENCE_OUT: i64 = 6;
    /// speedingAlarm.
    pub const SPEEDING: i64 = 7;
    /// engineOn.
    pub const ENGINE_ON: i64 = 9;
    /// engineOff.
    pub const ENGINE_OFF: i64 = 10;
    /// dooropenAlarm.
    pub const DOOR_OPEN: i64 = 26;
    /// doorcloseAlarm.
    pub const DOOR_CLOSE: i64 = 27;
}

/// The longest delay between an alarm's GPS time and its system time.
const MAX_DELAY: i64 = 12;

/// One alarm record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Alarm {
    /// The spec's type number.
    pub kind: i64,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// GPS time.
    pub gpstime: i64,
    /// When the platform received it; pages chain on it.
    pub systemtime: i64,
    /// km/h.
    pub speed: i64,
    /// Degrees.
    pub course: i64,
    /// The geofence that raised it, 0 for none.
    pub geofence: i64,
}

impl Alarm {
    /// The record as the spec writes it.
    pub fn wire(&self) -> String {
        format!(
            "{},{},{},{},{},{},{},{}",
            self.kind,
            geo::fmt_coord(self.lon),
            geo::fmt_coord(self.lat),
            self.gpstime,
            self.systemtime,
            self.speed,
            self.course,
            self.geofence
        )
    }
}

/// A circular geofence as alarms need it.
#[derive(Clone, Copy, Debug)]
pub struct Fence {
    /// Its id (alarm field 8).
    pub id: i64,
    /// Centre longitude.
    pub lon: f64,
    /// Centre latitude.
    pub lat: f64,
    /// Metres.
    pub radius: f64,
    /// 0 out, 1 in, 2 both.
    pub alarm_type: i64,
    /// Creation time: no alarms before.
    pub created: i64,
}

impl Fence {
    fn inside(&self, lon: f64, lat: f64) -> bool {
        geo::distance_m(self.lon, self.lat, lon, lat) <= self.radius
    }

    fn wants(&self, entering: bool) -> bool {
        match self.alarm_type {
            0 => !entering,
            1 => entering,
            _ => true,
        }
    }
}

/// What an alarm needs of a report.
#[derive(Clone, Copy)]
struct Report {
    p: Point,
    acc: Option<bool>,
    door: Option<bool>,
}

struct Ctx<'f> {
    seed: u64,
    device: u32,
    fences: &'f [Fence],
}

impl Ctx<'_> {
    fn alarm(&self, kind: i64, p: &Point, geofence: i64) -> Alarm {
        let delay =
            2 + (key(&[self.seed, u64::from(self.device), p.t as u64, kind as u64]) % 11) as i64;
        Alarm {
            kind,
            lon: p.lon,
            lat: p.lat,
            gpstime: p.t,
            systemtime: p.t + delay,
            speed: p.speed,
            course: p.course,
            geofence,
        }
    }

    /// Alarms raised going from report `a` to the next report `b`.
    fn transitions(&self, a: &Report, b: &Report, out: &mut Vec<Alarm>) {
        if let (Some(x), Some(y)) = (a.acc, b.acc) {
            if x != y {
                let k = if y { kind::ENGINE_ON } else { kind::ENGINE_OFF };
                out.push(self.alarm(k, &b.p, 0));
            }
        }
        if let (Some(x), Some(y)) = (a.door, b.door) {
            if x != y {
                let k = if y { kind::DOOR_OPEN } else { kind::DOOR_CLOSE };
                out.push(self.alarm(k, &b.p, 0));
            }
        }
        if b.p.speed > SPEED_LIMIT_KMH && a.p.speed <= SPEED_LIMIT_KMH {
            out.push(self.alarm(kind::SPEEDING, &b.p, 0));
        }
        for f in self.fences.iter().filter(|f| a.p.t >= f.created) {
            let (was, is) = (f.inside(a.p.lon, a.p.lat), f.inside(b.p.lon, b.p.lat));
            if was != is && f.wants(is) {
                let k = if is {
                    kind::GEOFENCE_IN
                } else {
                    kind::GEOFENCE_OUT
                };
                out.push(self.alarm(k, &b.p, f.id));
            }
        }
    }
}

fn report(s: Sample, door_sensor: bool) -> Report {
    Report {
        p: Point::from(s),
        acc: Some(s.acc),
        door: door_sensor.then_some(s.door),
    }
}

/// Alarms of one local day's reports within `[c0, c1]` (GPS time).
fn day_alarms(
    tl: &mut Timeline,
    ctx: &Ctx,
    day: i64,
    first: i64,
    (c0, c1): (i64, i64),
    out: &mut Vec<Alarm>,
) {
    let door = tl.dev.door_sensor;
    let step = tl.dev.interval;
    let mut t = tl.at_or_after(c0);
    let mut prev = (t - step >= first).then(|| report(tl.sample(t - step), door));
    while t <= c1 {
        let s = tl.sample(t);
        let r = report(s, door);
        if let Some(p) = &prev {
            ctx.transitions(p, &r, out);
        }
        prev = Some(r);
        // Nothing changes while standing still: jump to the stretch's last report.
        let skip_to = tl.at_or_before(s.still_until.min(c1));
        t = if skip_to > t { skip_to } else { t + step };
    }

    // Events that are not transitions: a few a month at most.
    let mut rng = Rng::new(key(&[ctx.seed, u64::from(ctx.device), day as u64, 0xA1A4]));
    let start = day_start(day);
    let mut events = Vec::new();
    if rng.chance(0.03) {
        events.push((kind::SOS, start + 8 * 3600 + rng.range_i64(0, 12 * 3600)));
    }
    if !tl.dev.battery_powered && rng.chance(0.03) {
        events.push((kind::POWER_DISCONNECT, start + rng.range_i64(0, 86_399)));
    }
    for probe in [start, start + 86_399] {
        if let Some(at) = tl.low_battery_at(probe) {
            if (start..start + 86_400).contains(&at) && !events.contains(&(kind::LOW_BATTERY, at)) {
                events.push((kind::LOW_BATTERY, at));
            }
        }
    }
    for (k, at) in events {
        let ts = tl.at_or_after(at);
        if (c0..=c1).contains(&ts) {
            let p = Point::from(tl.sample(ts));
            out.push(ctx.alarm(k, &p, 0));
        }
    }
}

fn order(a: &Alarm, b: &Alarm) -> std::cmp::Ordering {
    (a.systemtime, a.gpstime, a.kind, a.geofence).cmp(&(
        b.systemtime,
        b.gpstime,
        b.kind,
        b.geofence,
    ))
}

/// Up to `limit` alarms with `begin <= systemtime <= end`, ascending by system time, as known by
/// `now`.
pub fn page(
    src: &mut Source,
    seed: u64,
    device: u32,
    fences: &[Fence],
    (begin, end): (i64, i64),
    now: i64,
    limit: usize,
) -> Vec<Alarm> {
    let ctx = Ctx {
        seed,
        device,
        fences,
    };
    let (gps_from, gps_to) = (begin - MAX_DELAY, end);
    let mut out = Vec::new();
    match src {
        Source::Generated(tl) => {
            'spans: for (first, last) in tl.spans(gps_from, gps_to, now) {
                let (a, b) = (gps_from.max(first), gps_to.min(last));
                let mut day = local_day(a);
                while day_start(day) <= b {
                    let chunk = (a.max(day_start(day)), b.min(day_start(day + 1) - 1));
                    let mut found = Vec::new();
                    day_alarms(tl, &ctx, day, first, chunk, &mut found);
                    out.extend(
                        found
                            .into_iter()
                            .filter(|x| (begin..=end).contains(&x.systemtime)),
                    );
                    out.sort_by(order);
                    // Later days' alarms come after everything found so far: stop once the page
                    // is full.
                    if out.len() >= limit && out[limit - 1].systemtime < day_start(day + 1) {
                        break 'spans;
                    }
                    day += 1;
                }
            }
        }
        Source::Explicit(points) => {
            let from = points.partition_point(|p| p.t < gps_from);
            let mut prev = from.checked_sub(1).map(|i| points[i]);
            for p in points[from..].iter().take_while(|p| p.t <= gps_to) {
                let r = Report {
                    p: *p,
                    acc: None,
                    door: None,
                };
                if let Some(q) = prev {
                    let q = Report {
                        p: q,
                        acc: None,
                        door: None,
                    };
                    ctx.transitions(&q, &r, &mut out);
                }
                prev = Some(*p);
            }
            out.retain(|x| (begin..=end).contains(&x.systemtime));
            out.sort_by(order);
        }
    }
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::Fleet;
    use crate::timeline::PlanCache;

    const NOW: i64 = 1_700_000_000;

    #[test]
    fn a_week_of_a_taxi_has_ignition_and_speeding_alarms_in_order() {
        let f = Fleet::new(7, 1, NOW);
        let cache = PlanCache::default();
        let dev = &f.devices[0];
        let mut src = Source::Generated(Timeline::new(&f, dev, &cache, Vec::new()));
        let all = page(
            &mut src,
            7,
            0,
            &[],
            (NOW - 7 * 86_400, NOW),
            NOW,
            usize::MAX,
        );
        let count = |k: i64| all.iter().filter(|a| a.kind == k).count();
        assert!(count(kind::ENGINE_ON) >= 20, "{}", count(kind::ENGINE_ON));
        assert!(count(kind::ENGINE_ON).abs_diff(count(kind::ENGINE_OFF)) <= 1);
        assert!(count(kind::SPEEDING) >= 1);
        assert!(all.windows(2).all(|w| w[0].systemtime <= w[1].systemtime));
        for a in all.iter().filter(|a| a.kind == kind::SPEEDING) {
            assert!(a.speed > SPEED_LIMIT_KMH);
        }
        // Paging: a limit of 100 returns the first 100 of the same list.
        let first = page(&mut src, 7, 0, &[], (NOW - 7 * 86_400, NOW), NOW, 100);
        assert_eq!(first[..], all[..100]);
    }

    #[test]
    fn geofence_alarms_follow_the_track_after_creation_only() {
        let f = Fleet::new(7, 1, NOW);
        let cache = PlanCache::default();
        let dev = &f.devices[0];
        let mut tl = Timeline::new(&f, dev, &cache, Vec::new());
        // Centre a fence on a spot the taxi passes while driving yesterday.
        let from = NOW - 86_400;
        let mut t = tl.at_or_after(from + 10 * 3600);
        while tl.sample(t).speed < 30 {
            t += dev.interval;
        }
        let s = tl.sample(t);
        let fence = Fence {
            id: 4,
            lon: s.lon,
            lat: s.lat,
            radius: 200.0,
            alarm_type: 2,
            created: t - 3600,
        };
        let mut src = Source::Generated(tl);
        let alarms = page(&mut src, 7, 0, &[fence], (from, NOW), NOW, usize::MAX);
        let fa: Vec<&Alarm> = alarms.iter().filter(|a| a.geofence == 4).collect();
        let entry = fa
            .iter()
            .find(|a| a.kind == kind::GEOFENCE_IN && a.gpstime <= t);
        let exit = fa
            .iter()
            .find(|a| a.kind == kind::GEOFENCE_OUT && a.gpstime > t);
        assert!(entry.is_some() && exit.is_some(), "{fa:?}");
        assert!(fa.iter().all(|a| a.gpstime > fence.created));
        // The same fence created after the crossing raises nothing for it.
        let late = Fence {
            created: NOW,
            ..fence
        };
        let alarms = page(&mut src, 7, 0, &[late], (from, NOW), NOW, usize::MAX);
        assert!(alarms.iter().all(|a| a.geofence == 0));
    }

    #[test]
    fn idle_vehicles_raise_alarms_on_the_days_they_report_only() {
        use crate::fleet::{local_day, Activity, PARKED_INDEX, SEASONAL_INDEX};
        let f = Fleet::new(7, 40, NOW);
        let cache = PlanCache::default();
        let month = (NOW - 31 * 86_400, NOW);
        let parked = &f.devices[PARKED_INDEX];
        let mut src = Source::Generated(Timeline::new(&f, parked, &cache, Vec::new()));
        let i = PARKED_INDEX as u32;
        assert!(page(&mut src, 7, i, &[], month, NOW, usize::MAX).is_empty());
        let seasonal = &f.devices[SEASONAL_INDEX];
        let Activity::Seasonal { days } = &seasonal.activity else {
            panic!("{:?}", seasonal.activity);
        };
        let mut src = Source::Generated(Timeline::new(&f, seasonal, &cache, Vec::new()));
        let i = SEASONAL_INDEX as u32;
        let all = page(&mut src, 7, i, &[], month, NOW, usize::MAX);
        let mut alarm_days: Vec<i64> = all.iter().map(|a| local_day(a.gpstime)).collect();
        alarm_days.dedup();
        assert_eq!(
            &alarm_days, days,
            "ignition alarms on each working day, none else"
        );
    }

    #[test]
    fn explicit_history_alarms_for_speeding_and_fences() {
        let pts: Vec<Point> = (0..20)
            .map(|i| Point {
                lon: 113.9 + f64::from(i) * 0.001,
                lat: 22.5,
                t: 1000 + i64::from(i) * 10,
                speed: if (5..8).contains(&i) { 120 } else { 60 },
                course: 90,
            })
            .collect();
        let fence = Fence {
            id: 1,
            lon: 113.91,
            lat: 22.5,
            radius: 300.0,
            alarm_type: 1,
            created: 0,
        };
        let mut src = Source::Explicit(&pts);
        let a = page(&mut src, 1, 0, &[fence], (0, 5000), 0, 100);
        assert_eq!(a.iter().filter(|x| x.kind == kind::SPEEDING).count(), 1);
        assert_eq!(a.iter().filter(|x| x.kind == kind::GEOFENCE_IN).count(), 1);
        assert_eq!(a.iter().filter(|x| x.kind == kind::GEOFENCE_OUT).count(), 0);
    }
}
