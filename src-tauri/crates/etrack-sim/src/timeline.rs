//! A device's reports in real time: day plans joined together, engine cuts (RELAY,1) applied, and
//! sampled at the device's report interval. Only what is asked for is computed.

use crate::fleet::{day_start, local_day, Activity, DeviceSpec, Fleet, Status, SLEEP_HEARTBEAT};
use crate::geo;
use crate::plan::{self, DayPlan, PlanState};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Locks a mutex, carrying on after a panic elsewhere: the simulator's state stays usable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Day plans and odometer sums computed before: cheap to recompute, but live tracking of a big
/// fleet asks for the same ones every few seconds.
#[derive(Default, Debug)]
pub struct PlanCache {
    plans: Mutex<HashMap<(u32, i64), Arc<DayPlan>>>,
    /// Per device: metres driven from the odometer anchor day to the start of each later day.
    odometer: Mutex<HashMap<u32, Vec<f64>>>,
}

const PLAN_CACHE_MAX: usize = 4096;

impl PlanCache {
    fn plan(&self, fleet: &Fleet, dev: &DeviceSpec, day: i64) -> Arc<DayPlan> {
        if let Some(p) = lock(&self.plans).get(&(dev.index, day)) {
            return p.clone();
        }
        let p = Arc::new(plan::generate(dev, fleet.seed, day));
        let mut plans = lock(&self.plans);
        if plans.len() >= PLAN_CACHE_MAX {
            plans.clear();
        }
        plans.insert((dev.index, day), p.clone());
        p
    }

    /// Metres driven from the anchor day's midnight to `day`'s midnight.
    fn driven_before(&self, fleet: &Fleet, dev: &DeviceSpec, day: i64) -> f64 {
        let n = (day - fleet.odometer_anchor_day).max(0) as usize;
        let mut all = lock(&self.odometer);
        let sums = all.entry(dev.index).or_insert_with(|| vec![0.0]);
        while sums.len() <= n {
            let d = fleet.odometer_anchor_day + sums.len() as i64 - 1;
            let last = sums.last().copied().unwrap_or(0.0);
            // Not kept in the plan cache: these days are needed once.
            sums.push(last + plan::generate(dev, fleet.seed, d).distance);
        }
        sums[n]
    }
}

/// One report.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    /// GPS time.
    pub t: i64,
    /// Longitude, 6 decimals.
    pub lon: f64,
    /// Latitude, 6 decimals.
    pub lat: f64,
    /// km/h.
    pub speed: i64,
    /// Degrees.
    pub course: i64,
    /// Ignition.
    pub acc: bool,
    /// Door open.
    pub door: bool,
    /// The fuel supply is cut (RELAY,1).
    pub cut: bool,
    /// Position, ignition and door stay as they are until this time (inclusive).
    pub still_until: i64,
}

/// Periods with the fuel supply cut, `[cut, restore)`, in order; `restore` is `i64::MAX` while
/// still cut.
pub type CutPeriods = Vec<(i64, i64)>;

/// The cut periods from a device's RELAY commands (time, true = cut).
pub fn cut_periods(events: &[(i64, bool)]) -> CutPeriods {
    let mut out = Vec::new();
    let mut open: Option<i64> = None;
    for &(t, cut) in events {
        match (cut, open) {
            (true, None) => open = Some(t),
            (false, Some(c)) => {
                if t > c {
                    out.push((c, t));
                }
                open = None;
            }
            _ => {}
        }
    }
    if let Some(c) = open {
        out.push((c, i64::MAX));
    }
    out
}

/// A device's reports over time.
pub struct Timeline<'a> {
    fleet: &'a Fleet,
    /// The device.
    pub dev: &'a DeviceSpec,
    cache: &'a PlanCache,
    cuts: CutPeriods,
    current: Option<(i64, Arc<DayPlan>)>,
}

impl<'a> Timeline<'a> {
    /// The timeline of `dev` with these fuel cuts.
    pub fn new(
        fleet: &'a Fleet,
        dev: &'a DeviceSpec,
        cache: &'a PlanCache,
        cuts: CutPeriods,
    ) -> Self {
        Timeline {
            fleet,
            dev,
            cache,
            cuts,
            current: None,
        }
    }

    /// Plan time of real time `t`: the plan pauses while the fuel is cut. Also the end of the cut
    /// period `t` falls in, if any.
    fn plan_time(&self, t: i64) -> (f64, Option<i64>) {
        let mut paused = 0i64;
        for &(c, r) in &self.cuts {
            if t < c {
                break;
            }
            if t < r {
                return ((c - paused) as f64, Some(r));
            }
            paused += r - c;
        }
        ((t - paused) as f64, None)
    }

    /// Real time at which the plan reaches plan time `tau`.
    fn real_time(&self, tau: f64) -> f64 {
        let mut paused = 0i64;
        for &(c, r) in &self.cuts {
            if tau < (c - paused) as f64 || r == i64::MAX {
                break;
            }
            paused += r - c;
        }
        tau + paused as f64
    }

    fn plan(&mut self, day: i64) -> Arc<DayPlan> {
        if let Some((d, p)) = &self.current {
            if *d == day {
                return p.clone();
            }
        }
        let p = self.cache.plan(self.fleet, self.dev, day);
        self.current = Some((day, p.clone()));
        p
    }

    fn plan_state(&mut self, tau: f64) -> PlanState {
        let day = local_day(tau.floor() as i64);
        self.plan(day).state(tau)
    }

    /// Whether the fuel supply is cut at `t`.
    pub fn is_cut(&self, t: i64) -> bool {
        self.cuts.iter().any(|&(c, r)| c <= t && t < r)
    }

    /// The report the device gives (or would give) at `t`.
    pub fn sample(&mut self, t: i64) -> Sample {
        let (tau, cut_until) = self.plan_time(t);
        let s = self.plan_state(tau);
        let (lon, lat) = geo::to_lonlat(s.x, s.y);
        match cut_until {
            Some(r) => Sample {
                t,
                lon,
                lat,
                speed: 0,
                course: s.course,
                acc: s.acc,
                door: s.door,
                cut: true,
                still_until: r,
            },
            None => Sample {
                t,
                lon,
                lat,
                speed: (s.speed * 3.6).round() as i64,
                course: s.course,
                acc: s.acc,
                door: s.door,
                cut: false,
                still_until: if s.stationary {
                    t + (s.until - tau).floor().max(0.0) as i64
                } else {
                    t
                },
            },
        }
    }

    /// The first report time at or after `t`.
    pub fn at_or_after(&self, t: i64) -> i64 {
        let k = (t - self.dev.phase + self.dev.interval - 1).div_euclid(self.dev.interval);
        k * self.dev.interval + self.dev.phase
    }

    /// The last report time at or before `t`.
    pub fn at_or_before(&self, t: i64) -> i64 {
        (t - self.dev.phase).div_euclid(self.dev.interval) * self.dev.interval + self.dev.phase
    }

    /// The last moment the platform has heard of the device by `now`, if it was ever online.
    fn heard_until(&self, now: i64) -> Option<i64> {
        if self.dev.status == Status::NeverOnline {
            return None;
        }
        let mut last = now - self.dev.delay;
        if let Some(c) = self.dev.status.cutoff() {
            last = last.min(c);
        }
        (last >= self.dev.onlinetime).then_some(last)
    }

    /// The stretches of reports the platform has received by `now` that reach into `[a, b]`, as
    /// their first and last report times (not cut to `[a, b]`), in order. One stretch from the
    /// first time online for most devices; none after a parked device's last day, one per run of
    /// working days for a seasonal one.
    pub fn spans(&self, a: i64, b: i64, now: i64) -> Vec<(i64, i64)> {
        let Some(heard) = self.heard_until(now) else {
            return Vec::new();
        };
        let stretches: Vec<(i64, i64)> = match &self.dev.activity {
            Activity::Daily => vec![(i64::MIN, i64::MAX)],
            Activity::Parked { since } => vec![(i64::MIN, day_start(*since) - 1)],
            Activity::Seasonal { days } => {
                let mut runs: Vec<(i64, i64)> = Vec::new();
                for &d in days {
                    let (s, e) = (day_start(d), day_start(d + 1) - 1);
                    match runs.last_mut() {
                        Some(last) if last.1 + 1 == s => last.1 = e,
                        _ => runs.push((s, e)),
                    }
                }
                runs
            }
        };
        stretches
            .into_iter()
            .filter_map(|(s, e)| {
                let first = self.at_or_after(s.max(self.dev.onlinetime));
                let last = self.at_or_before(e.min(heard));
                (first <= last && first <= b && last >= a).then_some((first, last))
            })
            .collect()
    }

    /// The first and last report times the platform has received by `now`, if any.
    pub fn available(&self, now: i64) -> Option<(i64, i64)> {
        let spans = self.spans(i64::MIN, i64::MAX, now);
        Some((spans.first()?.0, spans.last()?.1))
    }

    /// When the platform last heard from the device by `now`, given its last report: that report
    /// for a device reporting at its interval; for a sleeping one (parked, off season), its last
    /// heartbeat if later.
    pub fn heart_time(&self, now: i64, last_report: i64) -> i64 {
        let fix = last_report + self.dev.delay;
        if self.dev.activity == Activity::Daily {
            return fix;
        }
        let Some(heard) = self.heard_until(now) else {
            return fix;
        };
        let phase = self.dev.phase;
        let beat = (heard - phase).div_euclid(SLEEP_HEARTBEAT) * SLEEP_HEARTBEAT + phase;
        fix.max(beat + self.dev.delay)
    }

    /// Odometer at `t`, metres.
    pub fn odometer_m(&mut self, t: i64) -> f64 {
        let (tau, _) = self.plan_time(t);
        let day = local_day(tau.floor() as i64);
        let before = self.cache.driven_before(self.fleet, self.dev, day);
        self.dev.odometer_base_m + before + self.plan(day).state(tau).dist
    }

    /// When the ignition last changed at or before `t` (looking back a week at most).
    pub fn acc_since(&mut self, t: i64) -> i64 {
        let (tau, _) = self.plan_time(t);
        let mut day = local_day(tau.floor() as i64);
        let plan = self.plan(day);
        let acc = plan.state(tau).acc;
        if let Some(at) = plan.acc_changed_at(tau) {
            return self.real_time(at).floor() as i64;
        }
        for _ in 0..7 {
            day -= 1;
            let p = self.plan(day);
            if p.acc_at_end() != acc {
                return self.real_time(day_start(day + 1) as f64) as i64;
            }
            if let Some(at) = p.acc_changed_at(day_start(day + 1) as f64 - 0.5) {
                return self.real_time(at).floor() as i64;
            }
        }
        self.real_time(day_start(day) as f64) as i64
    }

    /// Battery percent and charging state at `t`.
    pub fn battery(&self, t: i64) -> (i64, i64) {
        if self.dev.battery_powered {
            let cycle = self.dev.battery_cycle;
            let frac = (t - self.dev.battery_offset).rem_euclid(cycle) as f64 / cycle as f64;
            (((1.0 - frac) * 100.0).round().max(1.0) as i64, 0)
        } else {
            (100, 1)
        }
    }

    /// When the battery drops below 20 % in the cycle containing `t`, for battery devices.
    pub fn low_battery_at(&self, t: i64) -> Option<i64> {
        if !self.dev.battery_powered {
            return None;
        }
        let cycle = self.dev.battery_cycle;
        let start = t - (t - self.dev.battery_offset).rem_euclid(cycle);
        Some(start + cycle * 4 / 5 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moving_time(tl: &mut Timeline, from: i64) -> i64 {
        let mut t = tl.at_or_after(from);
        while tl.sample(t).speed < 20 {
            t += tl.dev.interval;
        }
        t
    }

    #[test]
    fn report_times_follow_the_interval() {
        let f = Fleet::new(7, 3, 1_700_000_000);
        let cache = PlanCache::default();
        for dev in &f.devices {
            let tl = Timeline::new(&f, dev, &cache, Vec::new());
            let t = tl.at_or_after(1_699_000_001);
            assert!(t >= 1_699_000_001 && t < 1_699_000_001 + dev.interval);
            assert_eq!((t - dev.phase) % dev.interval, 0);
            assert_eq!(tl.at_or_before(t), t);
            assert_eq!(tl.at_or_before(t - 1), t - dev.interval);
        }
    }

    #[test]
    fn a_fuel_cut_freezes_the_vehicle_and_a_restore_resumes_where_it_stood() {
        let f = Fleet::new(7, 1, 1_700_000_000);
        let cache = PlanCache::default();
        let dev = &f.devices[0];
        let mut free = Timeline::new(&f, dev, &cache, Vec::new());
        let c = moving_time(&mut free, 1_699_950_000);
        let r = c + 600;
        let mut cut = Timeline::new(&f, dev, &cache, cut_periods(&[(c, true), (r, false)]));
        let before = cut.sample(c - dev.interval);
        assert_eq!(
            before,
            free.sample(c - dev.interval),
            "history before the cut is unchanged"
        );
        let frozen = cut.sample(c);
        assert_eq!(frozen.speed, 0);
        assert!(frozen.cut);
        for k in 1..(600 / dev.interval) {
            let s = cut.sample(c + k * dev.interval);
            assert_eq!((s.lon, s.lat, s.speed), (frozen.lon, frozen.lat, 0));
        }
        // The free vehicle moved meanwhile; after the restore the plan resumes from the frozen spot.
        let later = free.sample(c + 60);
        assert_ne!((later.lon, later.lat), (frozen.lon, frozen.lat));
        let resumed = cut.sample(r + 60);
        assert_eq!((resumed.lon, resumed.lat), (later.lon, later.lat));
        assert!(!cut.sample(r).cut);
    }

    #[test]
    fn odometer_grows_with_driving_only() {
        let f = Fleet::new(7, 1, 1_700_000_000);
        let cache = PlanCache::default();
        let dev = &f.devices[0];
        let mut tl = Timeline::new(&f, dev, &cache, Vec::new());
        let t = moving_time(&mut tl, 1_699_950_000);
        let (a, b) = (tl.odometer_m(t), tl.odometer_m(t + 60));
        assert!(b > a + 100.0, "{a} {b}");
        let night = day_start(local_day(t)) + 3 * 3600;
        assert_eq!(tl.odometer_m(night), tl.odometer_m(night + 1800));
        assert!(tl.odometer_m(night + crate::fleet::DAY) > tl.odometer_m(night));
    }

    #[test]
    fn sleeping_trackers_report_only_on_their_days_and_keep_a_heartbeat() {
        let now = 1_700_000_000;
        let f = Fleet::new(7, 40, now);
        let cache = PlanCache::default();
        let today = local_day(now);
        let mut dev = f.devices[crate::fleet::SEASONAL_INDEX].clone();
        // Two days in a row report as one stretch, through midnight.
        let days = vec![today - 9, today - 8, today - 5];
        dev.activity = Activity::Seasonal { days };
        let tl = Timeline::new(&f, &dev, &cache, Vec::new());
        let spans = tl.spans(i64::MIN, i64::MAX, now);
        let expect = [
            (day_start(today - 9), day_start(today - 7) - 1),
            (day_start(today - 5), day_start(today - 4) - 1),
        ];
        assert_eq!(spans.len(), 2);
        for ((first, last), (a, b)) in spans.iter().zip(expect) {
            assert_eq!((*first, *last), (tl.at_or_after(a), tl.at_or_before(b)));
        }
        assert_eq!(tl.spans(0, day_start(today - 6), now), spans[..1]);
        assert!(tl.spans(day_start(today - 4), now, now).is_empty());
        assert_eq!(tl.available(now), Some((spans[0].0, spans[1].1)));
        // Its last fix is old, its heartbeat fresh.
        let heart = tl.heart_time(now, spans[1].1);
        assert!(heart <= now && now - heart < crate::fleet::SLEEP_HEARTBEAT + dev.delay);
        assert_eq!(
            (heart - dev.phase - dev.delay) % crate::fleet::SLEEP_HEARTBEAT,
            0
        );
        // A device reporting every day was last heard of at its last fix.
        let taxi = &f.devices[0];
        let tl = Timeline::new(&f, taxi, &cache, Vec::new());
        let (_, last) = tl.available(now).unwrap_or_default();
        assert!(now - last <= taxi.interval + taxi.delay);
        assert_eq!(tl.heart_time(now, last), last + taxi.delay);
    }

    #[test]
    fn acc_since_points_at_the_last_ignition_change() {
        let f = Fleet::new(7, 1, 1_700_000_000);
        let cache = PlanCache::default();
        let dev = &f.devices[0];
        let mut tl = Timeline::new(&f, dev, &cache, Vec::new());
        let t = moving_time(&mut tl, 1_699_950_000);
        let since = tl.acc_since(t);
        assert!(since <= t && t - since < 6 * 3600);
        assert!(tl.sample(since + 1).acc);
        assert!(!tl.sample(since - 2).acc || tl.sample(since - 2).speed == 0);
        let night = day_start(local_day(t)) + 3 * 3600;
        let since = tl.acc_since(night);
        assert!(
            since < day_start(local_day(t)),
            "off since the evening before"
        );
    }
}
