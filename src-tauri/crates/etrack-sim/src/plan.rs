//! One local day of one vehicle: parked at home over night, trips along the road grid with stops
//! between them, back home in the evening. A day plan is a pure function of (seed, device, day) and
//! answers "where, how fast, engine on?" for any instant of that day without stepping through it.
//!
//! Motion along a straight piece of road (a *run*) is a speed profile: accelerate, cruise with a
//! gentle speed wobble, brake; runs end at turns (slowing down), at red lights (stopping for a
//! while) or at the destination. Every day begins and ends parked at home, so days join seamlessly.

use crate::fleet::{day_start, DeviceSpec, Profile, DAY};
use crate::geo;
use crate::rng::{key, Rng};
use std::f64::consts::PI;

/// Grid spacing, metres.
pub const CELL_M: f64 = 600.0;
/// Grid nodes east-west.
pub const NX: i32 = 45;
/// Grid nodes north-south.
pub const NY: i32 = 30;
/// Above this reported speed (km/h) a device raises a speeding alarm.
pub const SPEED_LIMIT_KMH: i64 = 100;

const ACCEL: f64 = 1.5;
const DECEL: f64 = 2.0;
const TURN_SPEED: f64 = 4.5;
/// Relative amplitude of the speed wobble while cruising.
const WOBBLE: f64 = 0.05;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RoadClass {
    Local,
    Arterial,
    Expressway,
}

/// The east-west road along grid row `j`.
fn row_class(j: i32) -> RoadClass {
    if j == 8 || j == 22 {
        RoadClass::Expressway
    } else if j % 5 == 0 {
        RoadClass::Arterial
    } else {
        RoadClass::Local
    }
}

/// The north-south road along grid column `i`.
fn col_class(i: i32) -> RoadClass {
    if i == 12 || i == 32 {
        RoadClass::Expressway
    } else if i % 5 == 0 {
        RoadClass::Arterial
    } else {
        RoadClass::Local
    }
}

/// Driving along one straight piece of road, then possibly waiting at its end.
#[derive(Clone, Debug)]
pub struct Run {
    t0: f64,
    x0: f64,
    y0: f64,
    ux: f64,
    uy: f64,
    len: f64,
    v0: f64,
    vp: f64,
    v1: f64,
    ta: f64,
    tc: f64,
    td: f64,
    dwell: f64,
    amp: f64,
    omega: f64,
    /// Distance driven in the drive before this run.
    dist0: f64,
}

impl Run {
    #[allow(clippy::too_many_arguments)]
    fn new(
        t0: f64,
        (x0, y0): (f64, f64),
        (ux, uy): (f64, f64),
        len: f64,
        v0: f64,
        vc: f64,
        v1: f64,
        dwell: f64,
        dist0: f64,
    ) -> Self {
        let acc_dist = |vp: f64| (vp * vp - v0 * v0) / (2.0 * ACCEL);
        let dec_dist = |vp: f64| (vp * vp - v1 * v1) / (2.0 * DECEL);
        let vp = if acc_dist(vc) + dec_dist(vc) <= len {
            vc
        } else {
            let num = len + v0 * v0 / (2.0 * ACCEL) + v1 * v1 / (2.0 * DECEL);
            let den = 1.0 / (2.0 * ACCEL) + 1.0 / (2.0 * DECEL);
            (num / den).sqrt().max(v0.max(v1)).max(0.5)
        };
        let cruise = (len - acc_dist(vp) - dec_dist(vp)).max(0.0);
        let (ta, td, tc) = ((vp - v0) / ACCEL, (vp - v1) / DECEL, cruise / vp);
        let (amp, omega) = if tc > 40.0 {
            let k = (tc / 70.0).round().max(1.0);
            (WOBBLE * vp, 2.0 * PI * k / tc)
        } else {
            (0.0, 0.0)
        };
        Run {
            t0,
            x0,
            y0,
            ux,
            uy,
            len,
            v0,
            vp,
            v1,
            ta,
            tc,
            td,
            dwell,
            amp,
            omega,
            dist0,
        }
    }

    fn moving(&self) -> f64 {
        self.ta + self.tc + self.td
    }

    fn end(&self) -> f64 {
        self.t0 + self.moving() + self.dwell
    }

    /// Distance from the run's start and speed (m/s) at `t`.
    fn at(&self, t: f64) -> (f64, f64) {
        let u = (t - self.t0).max(0.0);
        if u < self.ta {
            let a = (self.vp - self.v0) / self.ta;
            return (self.v0 * u + a * u * u / 2.0, self.v0 + a * u);
        }
        let sa = (self.v0 + self.vp) / 2.0 * self.ta;
        let w = u - self.ta;
        if w < self.tc {
            let (s, v) = if self.omega > 0.0 {
                (
                    self.vp * w + self.amp / self.omega * (1.0 - (self.omega * w).cos()),
                    self.vp + self.amp * (self.omega * w).sin(),
                )
            } else {
                (self.vp * w, self.vp)
            };
            return ((sa + s).min(self.len), v);
        }
        let sc = self.vp * self.tc;
        let w = w - self.tc;
        if w < self.td {
            let d = (self.vp - self.v1) / self.td;
            return (
                (sa + sc + self.vp * w - d * w * w / 2.0).min(self.len),
                self.vp - d * w,
            );
        }
        (self.len, if self.dwell > 0.0 { 0.0 } else { self.v1 })
    }

    fn end_course(&self) -> i64 {
        geo::course(
            self.x0 + self.ux * self.len,
            self.y0 + self.uy * self.len,
            self.ux,
            self.uy,
        )
    }
}

/// Where a parked vehicle stands and how.
#[derive(Clone, Debug)]
struct Parked {
    x: f64,
    y: f64,
    course: i64,
    acc: bool,
    door: bool,
}

#[derive(Clone, Debug)]
enum SegKind {
    Parked(Parked),
    Drive(Vec<Run>),
}

#[derive(Clone, Debug)]
struct Seg {
    t0: f64,
    t1: f64,
    /// Distance driven earlier this day.
    dist0: f64,
    kind: SegKind,
}

impl Seg {
    fn acc(&self) -> bool {
        match &self.kind {
            SegKind::Parked(p) => p.acc,
            SegKind::Drive(_) => true,
        }
    }
}

/// A vehicle's day.
#[derive(Clone, Debug)]
pub struct DayPlan {
    /// Unix time of the day's local midnight.
    pub start: f64,
    segs: Vec<Seg>,
    /// Metres driven over the whole day.
    pub distance: f64,
}

/// The state of the plan at one instant.
#[derive(Clone, Copy, Debug)]
pub struct PlanState {
    /// Grid metres east.
    pub x: f64,
    /// Grid metres north.
    pub y: f64,
    /// m/s.
    pub speed: f64,
    /// Heading, degrees.
    pub course: i64,
    /// Ignition on.
    pub acc: bool,
    /// Door open.
    pub door: bool,
    /// Nothing changes (position, ignition, door) until `until`.
    pub stationary: bool,
    /// End of the stretch without change, when `stationary`.
    pub until: f64,
    /// Metres driven since the day's midnight.
    pub dist: f64,
}

impl DayPlan {
    fn seg_index(&self, t: f64) -> usize {
        self.segs.partition_point(|s| s.t0 <= t).saturating_sub(1)
    }

    /// The state at `t` (clamped to the day).
    pub fn state(&self, t: f64) -> PlanState {
        let Some(seg) = self.segs.get(self.seg_index(t)) else {
            return PlanState {
                x: 0.0,
                y: 0.0,
                speed: 0.0,
                course: 0,
                acc: false,
                door: false,
                stationary: true,
                until: self.start + DAY as f64,
                dist: 0.0,
            };
        };
        match &seg.kind {
            SegKind::Parked(p) => PlanState {
                x: p.x,
                y: p.y,
                speed: 0.0,
                course: p.course,
                acc: p.acc,
                door: p.door,
                stationary: true,
                until: seg.t1,
                dist: seg.dist0,
            },
            SegKind::Drive(runs) => {
                let i = runs.partition_point(|r| r.t0 <= t).saturating_sub(1);
                let Some(r) = runs.get(i) else {
                    return self.state(seg.t1);
                };
                let (s, v) = r.at(t);
                let (x, y) = (r.x0 + r.ux * s, r.y0 + r.uy * s);
                let waiting = t >= r.t0 + r.moving() && r.dwell > 0.0;
                PlanState {
                    x,
                    y,
                    speed: v.max(0.0),
                    course: geo::course(x, y, r.ux, r.uy),
                    acc: true,
                    door: false,
                    stationary: waiting,
                    until: if waiting { r.end() } else { t },
                    dist: seg.dist0 + r.dist0 + s,
                }
            }
        }
    }

    /// When the ignition last changed at or before `t` within this day; `None` when it has not
    /// changed since midnight.
    pub fn acc_changed_at(&self, t: f64) -> Option<f64> {
        let i = self.seg_index(t);
        let acc = self.segs.get(i)?.acc();
        let mut j = i;
        while j > 0 && self.segs[j - 1].acc() == acc {
            j -= 1;
        }
        (j > 0).then(|| self.segs[j].t0)
    }

    /// The ignition state at the very end of the day.
    pub fn acc_at_end(&self) -> bool {
        self.segs.last().is_some_and(Seg::acc)
    }
}

fn node_xy(n: (i32, i32)) -> (f64, f64) {
    (f64::from(n.0) * CELL_M, f64::from(n.1) * CELL_M)
}

/// A line (row or column index) to drive along between `from` and `to`: an expressway when the
/// detour is small, else an arterial road near the middle.
fn pick_line(from: i32, to: i32, fast: &[i32], n: i32) -> i32 {
    let direct = (from - to).abs();
    let fastest = fast
        .iter()
        .map(|&f| ((from - f).abs() + (to - f).abs() - direct, f))
        .filter(|&(detour, _)| detour <= 6)
        .min();
    if let Some((_, f)) = fastest {
        return f;
    }
    let mid = (from + to) / 2;
    let arterial = ((mid + 2) / 5) * 5;
    arterial.clamp(0, n - 1)
}

/// The turning points of a route from `a` to `b` over the grid.
fn route(a: (i32, i32), b: (i32, i32), rng: &mut Rng) -> Vec<(i32, i32)> {
    let (di, dj) = (b.0 - a.0, b.1 - a.1);
    let mut pts = vec![a];
    if di.abs() + dj.abs() > 10 {
        if di.abs() >= dj.abs() {
            let r = pick_line(a.1, b.1, &[8, 22], NY);
            pts.extend([(a.0, r), (b.0, r)]);
        } else {
            let c = pick_line(a.0, b.0, &[12, 32], NX);
            pts.extend([(c, a.1), (c, b.1)]);
        }
    } else if rng.chance(0.5) {
        pts.push((b.0, a.1));
    } else {
        pts.push((a.0, b.1));
    }
    pts.push(b);
    pts.dedup();
    // Merge straight continuations so a run does not stop where the road goes on.
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(pts.len());
    for p in pts {
        if out.len() >= 2 {
            let (q, r) = (out[out.len() - 2], out[out.len() - 1]);
            let same_line = (q.0 == r.0 && r.0 == p.0) || (q.1 == r.1 && r.1 == p.1);
            let onward = (r.0 - q.0).signum() == (p.0 - r.0).signum()
                && (r.1 - q.1).signum() == (p.1 - r.1).signum();
            if same_line && onward {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

/// The cruising speed (m/s) for a piece of road, kept clear of the speed limit so that one run
/// gives at most one speeding episode.
fn cruise(class: RoadClass, driver: f64, profile: Profile, rng: &mut Rng) -> f64 {
    let base = match class {
        RoadClass::Local => 36.0,
        RoadClass::Arterial => 58.0,
        RoadClass::Expressway => 92.0,
    };
    let mut kmh = base * driver * rng.range_f64(0.93, 1.07);
    match profile {
        Profile::Truck => kmh = kmh.min(85.0),
        Profile::Loader => kmh = kmh.min(40.0),
        _ => {}
    }
    let limit = SPEED_LIMIT_KMH as f64;
    if kmh * (1.0 + WOBBLE) >= limit && kmh * (1.0 - WOBBLE) <= limit + 1.0 {
        kmh = if kmh < limit + 0.5 {
            (limit - 1.0) / (1.0 + WOBBLE)
        } else {
            (limit + 2.0) / (1.0 - WOBBLE)
        };
    }
    kmh / 3.6
}

fn build_runs(
    path: &[(i32, i32)],
    t0: f64,
    driver: f64,
    profile: Profile,
    rng: &mut Rng,
) -> Vec<Run> {
    let mut runs = Vec::new();
    let (mut t, mut v_prev, mut dist) = (t0, 0.0, 0.0);
    let legs = path.len().saturating_sub(1);
    for (li, w) in path.windows(2).enumerate() {
        let (a, b) = (w[0], w[1]);
        let horizontal = a.1 == b.1;
        let class = if horizontal {
            row_class(a.1)
        } else {
            col_class(a.0)
        };
        let (ux, uy) = ((b.0 - a.0).signum(), (b.1 - a.1).signum());
        let n = (b.0 - a.0).abs() + (b.1 - a.1).abs();
        let mut cuts = Vec::new();
        for k in 1..n {
            let crossing = if horizontal {
                col_class(a.0 + ux * k)
            } else {
                row_class(a.1 + uy * k)
            };
            if crossing != RoadClass::Local && rng.chance(0.22) {
                cuts.push(k);
            }
        }
        cuts.push(n);
        let mut k_prev = 0;
        for (ci, &k) in cuts.iter().enumerate() {
            let len = f64::from(k - k_prev) * CELL_M;
            let (v1, dwell) = if ci + 1 < cuts.len() {
                (0.0, rng.range_f64(10.0, 70.0))
            } else if li + 1 == legs {
                (0.0, 0.0)
            } else if rng.chance(0.3) {
                (0.0, rng.range_f64(10.0, 60.0))
            } else {
                (TURN_SPEED, 0.0)
            };
            let vc = cruise(class, driver, profile, rng);
            let start = node_xy((a.0 + ux * k_prev, a.1 + uy * k_prev));
            let run = Run::new(
                t,
                start,
                (f64::from(ux), f64::from(uy)),
                len,
                v_prev,
                vc,
                v1,
                dwell,
                dist,
            );
            t = run.end();
            dist += len;
            v_prev = v1;
            runs.push(run);
            k_prev = k;
        }
    }
    runs
}

struct Builder<'a> {
    dev: &'a DeviceSpec,
    rng: Rng,
    start: f64,
    end: f64,
    segs: Vec<Seg>,
    t: f64,
    pos: (i32, i32),
    course: i64,
    dist: f64,
}

impl<'a> Builder<'a> {
    fn new(dev: &'a DeviceSpec, rng: Rng, start: f64, home_course: i64) -> Self {
        Builder {
            dev,
            rng,
            start,
            end: start + DAY as f64,
            segs: Vec::new(),
            t: start,
            pos: dev.home,
            course: home_course,
            dist: 0.0,
        }
    }

    fn h(&self, hours: f64) -> f64 {
        self.start + hours * 3600.0
    }

    /// A random time of day in `[from, from + span)` hours.
    fn hr(&mut self, from: f64, span: f64) -> f64 {
        let x = self.rng.range_f64(0.0, span);
        self.h(from + x)
    }

    fn push_parked(&mut self, t1: f64, acc: bool, door: bool) {
        if t1 > self.t {
            let (x, y) = node_xy(self.pos);
            self.segs.push(Seg {
                t0: self.t,
                t1,
                dist0: self.dist,
                kind: SegKind::Parked(Parked {
                    x,
                    y,
                    course: self.course,
                    acc,
                    door,
                }),
            });
            self.t = t1;
        }
    }

    /// Parked with the engine off until `until`; vans open their door while stopped on a round.
    fn park(&mut self, until: f64) {
        let span = until - self.t;
        if self.dev.door_sensor && self.pos != self.dev.home && span > 150.0 {
            let t = self.t;
            self.push_parked(t + 20.0, false, false);
            self.push_parked(until - 60.0, false, true);
        }
        self.push_parked(until, false, false);
    }

    /// Drives to `dest`, leaving at `depart` or as soon as possible after; adds nothing and says
    /// false when the vehicle would arrive after `latest`.
    fn trip(&mut self, depart: f64, dest: (i32, i32), latest: f64) -> bool {
        if dest == self.pos {
            return true;
        }
        let mut warm = self.rng.range_f64(30.0, 90.0);
        // One departure in four, the driver waits with the engine running first (a taxi for its
        // fare, a van while loading): 4 to 12 minutes of idling, the kind an idling report finds.
        // Chosen by a hash of the planned time, so the day's random draws stay as they were.
        let idle_key = key(&[u64::from(self.dev.index), depart.to_bits(), 0x1D_1E]);
        if idle_key.is_multiple_of(4) {
            warm = 240.0 + (idle_key >> 8) as f64 % 480.0;
        }
        let depart = depart.min(self.h(22.0)).max(self.t + warm + 60.0);
        let path = route(self.pos, dest, &mut self.rng);
        let runs = build_runs(
            &path,
            depart,
            self.dev.driver,
            self.dev.profile,
            &mut self.rng,
        );
        let Some(last) = runs.last() else {
            return true;
        };
        let arrive = last.end();
        if arrive > latest {
            return false;
        }
        let course = last.end_course();
        let length: f64 = runs.iter().map(|r| r.len).sum();
        self.park(depart - warm);
        self.push_parked(depart, true, false);
        self.segs.push(Seg {
            t0: depart,
            t1: arrive,
            dist0: self.dist,
            kind: SegKind::Drive(runs),
        });
        self.dist += length;
        self.t = arrive;
        self.pos = dest;
        self.course = course;
        let idle = self.rng.range_f64(10.0, 40.0);
        self.push_parked(arrive + idle, true, false);
        true
    }

    /// Home (leaving no earlier than `depart`) and parked until midnight; `None` when that does
    /// not fit in the day.
    fn finish(mut self, depart: f64, home_course: i64) -> Option<DayPlan> {
        let home = self.dev.home;
        let latest = self.end - 120.0;
        if !self.trip(depart, home, latest) {
            return None;
        }
        self.course = home_course;
        let end = self.end;
        self.push_parked(end, false, false);
        Some(DayPlan {
            start: self.start,
            segs: self.segs,
            distance: self.dist,
        })
    }
}

fn near(p: (i32, i32), r: i32, rng: &mut Rng) -> (i32, i32) {
    for _ in 0..6 {
        let q = (
            (p.0 + rng.range_i64(-i64::from(r), i64::from(r)) as i32).clamp(0, NX - 1),
            (p.1 + rng.range_i64(-i64::from(r), i64::from(r)) as i32).clamp(0, NY - 1),
        );
        if (q.0 - p.0).abs() + (q.1 - p.1).abs() >= 2 {
            return q;
        }
    }
    ((p.0 + 3).clamp(0, NX - 1), (p.1 + 2).clamp(0, NY - 1))
}

fn anywhere(rng: &mut Rng) -> (i32, i32) {
    (
        rng.range_i64(0, i64::from(NX) - 1) as i32,
        rng.range_i64(0, i64::from(NY) - 1) as i32,
    )
}

/// The heading a vehicle stands at when parked at home.
fn home_course(dev: &DeviceSpec, seed: u64) -> i64 {
    let (x, y) = node_xy(dev.home);
    let dirs = [(0.0, 1.0), (1.0, 0.0), (0.0, -1.0), (-1.0, 0.0)];
    let (ux, uy) = dirs[(key(&[seed, u64::from(dev.index), 0x40_3E]) % 4) as usize];
    geo::course(x, y, ux, uy)
}

/// A day parked at home, engine off.
fn parked_all_day(dev: &DeviceSpec, start: f64, hc: i64) -> DayPlan {
    let b = Builder::new(dev, Rng::new(0), start, hc);
    let t = b.t;
    b.finish(t, hc).unwrap_or(DayPlan {
        start,
        segs: Vec::new(),
        distance: 0.0,
    })
}

/// The plan of `dev` for local day `day`.
pub fn generate(dev: &DeviceSpec, seed: u64, day: i64) -> DayPlan {
    let start = day_start(day) as f64;
    let hc = home_course(dev, seed);
    if !dev.activity.reports_on(day) {
        return parked_all_day(dev, start, hc);
    }
    let rng = Rng::new(key(&[seed, u64::from(dev.index), day as u64, 0x91A4]));
    let mut b = Builder::new(dev, rng, start, hc);
    // Local day 0 (1 January 1970) was a Thursday; 0 = Monday.
    let weekday = (day + 3).rem_euclid(7);
    let latest = b.h(21.5);
    let home = dev.home;
    let mut depart_home = b.t;
    match dev.profile {
        Profile::Commuter if weekday < 5 => {
            if b.rng.chance(0.94) {
                let t = b.hr(7.0, 1.8);
                b.trip(t, dev.work, latest);
                if b.rng.chance(0.35) {
                    let t = b.hr(12.0, 0.5);
                    let p = near(dev.work, 5, &mut b.rng);
                    if b.trip(t, p, latest) {
                        let t = b.t + b.rng.range_f64(1800.0, 4200.0);
                        b.trip(t, dev.work, latest);
                    }
                }
                depart_home = b.hr(17.2, 1.8);
                if b.rng.chance(0.3) {
                    b.trip(depart_home, home, b.end - 120.0);
                    let t = b.hr(19.5, 1.0);
                    let p = near(home, 12, &mut b.rng);
                    if b.trip(t, p, latest) {
                        depart_home = b.t + b.rng.range_f64(2400.0, 7200.0);
                    }
                }
            }
        }
        Profile::Commuter => {
            let n = b.rng.range_i64(0, 3);
            let mut t = b.hr(9.5, 1.5);
            for _ in 0..n {
                let p = near(b.pos, 12, &mut b.rng);
                if !b.trip(t, p, latest) {
                    break;
                }
                t = b.t + b.rng.range_f64(1200.0, 9000.0);
            }
            depart_home = t;
        }
        Profile::Van if weekday < 6 => {
            let mut t = b.hr(7.5, 1.0);
            let stops = b.rng.range_i64(6, 12);
            let mut lunch = false;
            for _ in 0..stops {
                let p = near(b.pos, 8, &mut b.rng);
                if !b.trip(t, p, b.h(18.0)) {
                    break;
                }
                let mut stay = b.rng.range_f64(300.0, 1200.0);
                if !lunch && b.t > b.h(12.0) {
                    stay = b.rng.range_f64(2400.0, 3600.0);
                    lunch = true;
                }
                t = b.t + stay;
                if t > b.h(17.5) {
                    break;
                }
            }
            depart_home = t;
        }
        Profile::Taxi => {
            let mut t = b.hr(6.5, 1.5);
            let end = b.hr(20.5, 1.0);
            let mut rested = false;
            loop {
                let p = near(b.pos, 14, &mut b.rng);
                if !b.trip(t, p, latest) {
                    break;
                }
                let mut wait = b.rng.range_f64(180.0, 900.0);
                if !rested && b.t > b.h(13.0) {
                    wait = b.rng.range_f64(2700.0, 4200.0);
                    rested = true;
                }
                t = b.t + wait;
                if t > end {
                    break;
                }
            }
            depart_home = t;
        }
        Profile::Truck if weekday < 6 => {
            let mut t = b.hr(6.0, 1.0);
            for _ in 0..b.rng.range_i64(3, 5) {
                let p = anywhere(&mut b.rng);
                if !b.trip(t, p, b.h(19.5)) {
                    break;
                }
                t = b.t + b.rng.range_f64(1800.0, 5400.0);
                if t > b.h(18.0) {
                    break;
                }
            }
            depart_home = t;
        }
        Profile::Loader => {
            let mut t = b.hr(7.0, 1.0);
            for _ in 0..b.rng.range_i64(4, 7) {
                let p = near(home, 5, &mut b.rng);
                if !b.trip(t, p, b.h(18.5)) {
                    break;
                }
                t = b.t + b.rng.range_f64(2400.0, 6000.0);
                if t > b.h(17.5) {
                    break;
                }
            }
            depart_home = t;
        }
        Profile::Van | Profile::Truck => {}
    }
    b.finish(depart_home, hc)
        .unwrap_or_else(|| parked_all_day(dev, start, hc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fleet::Fleet;

    fn check_plan(p: &DayPlan, dev: &DeviceSpec) {
        assert!(!p.segs.is_empty());
        assert_eq!(p.segs[0].t0, p.start);
        assert!((p.segs[p.segs.len() - 1].t1 - (p.start + DAY as f64)).abs() < 1e-6);
        for w in p.segs.windows(2) {
            assert!((w[0].t1 - w[1].t0).abs() < 1e-6, "gap in the plan");
        }
        let (hx, hy) = node_xy(dev.home);
        for t in [p.start, p.start + DAY as f64 - 1.0] {
            let s = p.state(t);
            assert_eq!((s.x, s.y), (hx, hy), "not at home at {t}");
            assert!(!s.acc && s.speed == 0.0);
        }
    }

    #[test]
    fn every_day_starts_and_ends_at_home_without_gaps() {
        let f = Fleet::new(7, 40, 1_700_000_000);
        for dev in &f.devices {
            for day in 19_670..19_680 {
                let p = generate(dev, 7, day);
                check_plan(&p, dev);
            }
        }
    }

    #[test]
    fn motion_is_continuous_and_speeds_plausible() {
        let f = Fleet::new(3, 12, 1_700_000_000);
        for dev in &f.devices {
            let p = generate(dev, 3, 19_675);
            let mut prev = p.state(p.start);
            let mut moved = 0.0;
            for k in 1..(DAY / 5) {
                let s = p.state(p.start + (k * 5) as f64);
                let step = ((s.x - prev.x).powi(2) + (s.y - prev.y).powi(2)).sqrt();
                // 5 s at most ~130 km/h.
                assert!(step < 185.0, "jump of {step} m");
                assert!(s.speed * 3.6 < 130.0);
                if s.speed > 0.1 {
                    assert!(s.acc, "moving with the engine off");
                }
                moved += step;
                prev = s;
            }
            // Path length along the grid equals the plan's distance.
            assert!((moved - p.distance).abs() < 0.01 * p.distance + 1.0);
        }
    }

    #[test]
    fn some_departures_idle_with_the_engine_on_for_minutes() {
        // An idling report needs stops with the engine running: about one departure in four.
        let f = Fleet::new(7, 40, 1_700_000_000);
        let (mut departures, mut idles) = (0, 0);
        for dev in &f.devices {
            for day in 19_670..19_677 {
                let p = generate(dev, 7, day);
                for w in p.segs.windows(2) {
                    if let (SegKind::Parked(a), SegKind::Drive(_)) = (&w[0].kind, &w[1].kind) {
                        departures += 1;
                        let span = w[0].t1 - w[0].t0;
                        if a.acc && span >= 240.0 {
                            assert!(span <= 720.0 + 1.0, "an idle of {span} s");
                            idles += 1;
                        }
                    }
                }
            }
        }
        let share = f64::from(idles) / f64::from(departures);
        assert!(
            (0.15..0.35).contains(&share),
            "{idles} idles in {departures} departures"
        );
    }

    #[test]
    fn taxis_drive_every_day_and_vans_every_working_day() {
        let f = Fleet::new(5, 60, 1_700_000_000);
        for dev in &f.devices {
            for day in 19_600i64..19_660 {
                let weekday = (day + 3).rem_euclid(7);
                let p = generate(dev, 5, day);
                let drives = dev.activity.reports_on(day)
                    && match dev.profile {
                        Profile::Taxi | Profile::Loader => true,
                        Profile::Van | Profile::Truck => weekday < 6,
                        Profile::Commuter => false,
                    };
                if drives {
                    assert!(
                        p.distance > 5_000.0,
                        "{:?} parked on day {day}",
                        dev.profile
                    );
                }
                // Nobody drives more than a taxi could in a day.
                assert!(p.distance < 700_000.0);
            }
        }
    }

    #[test]
    fn idle_vehicles_stand_at_home_on_the_days_they_do_not_work() {
        use crate::fleet::{Activity, PARKED_INDEX, SEASONAL_INDEX};
        let f = Fleet::new(7, 40, 1_700_000_000);
        let today = crate::fleet::local_day(1_700_000_000);
        let parked = &f.devices[PARKED_INDEX];
        let Activity::Parked { since } = parked.activity else {
            panic!("{:?}", parked.activity);
        };
        assert!((today - 35..=today - 32).contains(&since), "{since}");
        assert!(
            generate(parked, 7, since - 3).distance > 0.0,
            "drove before"
        );
        let seasonal = &f.devices[SEASONAL_INDEX];
        assert_eq!(seasonal.profile, Profile::Loader);
        for day in today - 40..=today {
            for dev in [parked, seasonal] {
                let p = generate(dev, 7, day);
                check_plan(&p, dev);
                if dev.activity.reports_on(day) {
                    if dev.profile == Profile::Loader {
                        assert!(p.distance > 2_000.0, "works on day {day}");
                    }
                } else {
                    assert_eq!(p.distance, 0.0, "{} drove on day {day}", dev.name);
                    assert_eq!(p.segs.len(), 1, "parked all day");
                }
            }
        }
    }

    #[test]
    fn a_working_day_has_trips_stops_and_night_parking() {
        let f = Fleet::new(7, 1, 1_700_000_000);
        let dev = &f.devices[0];
        // A taxi drives every day.
        let p = generate(dev, 7, 19_675);
        let drives = p
            .segs
            .iter()
            .filter(|s| matches!(s.kind, SegKind::Drive(_)))
            .count();
        assert!(drives >= 5, "{drives} trips");
        assert!(p.distance > 30_000.0);
        let s = p.state(p.start + 3.0 * 3600.0);
        assert!(!s.acc && s.speed == 0.0, "parked at 3 am");
    }
}
