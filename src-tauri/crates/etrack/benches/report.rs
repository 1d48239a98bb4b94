//! The reports engine alone (no fetching): 500 vehicles x 1 day of fixes 10 s apart
//! (4.32 million fixes), each vehicle driving and stopping through the day with GPS wander, a
//! sleeping tracker overnight, engine alarms and 5 geofences.
//!
//! Prints the wall time and fixes per second of each report over the fleet (one thread), and of
//! all of them together on one thread and on every core. Asserts only that the reports agree with
//! each other (the days' distance is the trips'). Run: `cargo bench -p etrack --bench report`.

use etrack::report::{self, Circle, StopOptions};
use etrack::{Alarm, AlarmType, PlaybackPoint};
use std::hint::black_box;
use std::time::{Duration, Instant};

const VEHICLES: usize = 500;
const STEP: i64 = 10;
/// 2024-05-01 00:00 in Shanghai.
const MIDNIGHT: i64 = 1_714_492_800;
const M_PER_DEG: f64 = 111_195.0;

struct Vehicle {
    points: Vec<PlaybackPoint>,
    alarms: Vec<Alarm>,
}

/// A small deterministic generator (xorshift), in [0, 1).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One vehicle's day: a fix every 10 s from midnight to midnight; drives of 5 to 40 minutes at
/// 20 to 100 km/h between stops of 2 to 60 minutes (wander within 20 m); engine alarms at each
/// drive's ends.
fn vehicle(seed: u64) -> Vehicle {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let (mut lat, mut lon) = (22.4 + rng.next() * 0.3, 113.8 + rng.next() * 0.4);
    let mut heading: f64 = rng.next() * 360.0;
    let mut points = Vec::with_capacity(8640);
    let mut alarms = Vec::new();
    let alarm = |t: i64, alarm_type: AlarmType, lat: f64, lon: f64| Alarm {
        alarm_type,
        longitude: lon,
        latitude: lat,
        gpstime: t,
        systemtime: t + 3,
        speed: 0.0,
        course: 0.0,
        geofence_id: String::new(),
    };
    let mut t = MIDNIGHT;
    let end = MIDNIGHT + 86_400;
    // Parked overnight until 6 to 9 am.
    let mut stop_until = MIDNIGHT + 6 * 3600 + (rng.next() * 3.0 * 3600.0) as i64;
    let mut drive_until = 0;
    let mut kmh: f64 = 0.0;
    while t < end {
        if t < stop_until {
            let wander = |r: f64| (r - 0.5) * 40.0 / M_PER_DEG;
            points.push(PlaybackPoint {
                longitude: lon + wander(rng.next()),
                latitude: lat + wander(rng.next()),
                gpstime: t,
                speed: (rng.next() * 2.0).floor(),
                course: heading,
            });
            if t + STEP >= stop_until {
                drive_until = stop_until + 300 + (rng.next() * 2100.0) as i64;
                alarms.push(alarm(t, AlarmType::EngineOn, lat, lon));
                kmh = 30.0;
            }
        } else if t < drive_until {
            kmh = (kmh + (rng.next() - 0.5) * 15.0).clamp(20.0, 100.0);
            heading += (rng.next() - 0.5) * 40.0;
            let metres = kmh / 3.6 * STEP as f64;
            lat += metres * heading.to_radians().cos() / M_PER_DEG;
            lon += metres * heading.to_radians().sin() / (M_PER_DEG * lat.to_radians().cos());
            points.push(PlaybackPoint {
                longitude: lon,
                latitude: lat,
                gpstime: t,
                speed: kmh.round(),
                course: heading.rem_euclid(360.0).round(),
            });
            if t + STEP >= drive_until {
                stop_until = drive_until + 120 + (rng.next() * 3480.0) as i64;
                // Some drivers leave the engine running for the first minutes.
                let off = if rng.next() < 0.3 { 600 } else { 30 };
                alarms.push(alarm(t + off, AlarmType::EngineOff, lat, lon));
            }
        } else {
            stop_until = t + 600;
        }
        t += STEP;
    }
    Vehicle { points, alarms }
}

fn circles() -> Vec<Circle> {
    (0..5)
        .map(|k| Circle {
            id: k.to_string(),
            name: format!("Site {k}"),
            lat: 22.45 + k as f64 * 0.05,
            lon: 113.85 + k as f64 * 0.07,
            radius_m: 500.0,
        })
        .collect()
}

fn shanghai(_: i64) -> i32 {
    8 * 3600
}

/// Everything for one vehicle; returns something to keep the work alive.
fn all_reports(v: &Vehicle, fences: &[Circle], opts: &StopOptions) -> usize {
    let stops = report::stops(&v.points, opts);
    let trips = report::trips(&v.points, &stops);
    let idle = report::idling(&v.points, &v.alarms, opts, report::DEFAULT_MIN_IDLE_SECS);
    let fast = report::speeding(&v.points, 80.0, 30);
    let visits = report::geofence_visits(&v.points, fences, &v.alarms);
    let days = report::daily_summary(
        &v.points,
        &v.alarms,
        opts,
        report::DEFAULT_MIN_IDLE_SECS,
        &shanghai,
    );
    stops.len() + trips.len() + idle.len() + fast.len() + visits.len() + days.len()
}

fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let started = Instant::now();
    let out = f();
    (started.elapsed(), out)
}

fn print(name: &str, wall: Duration, fixes: usize) {
    println!(
        "  {name:<34} {:>9.1} ms  {:>7.1} M fixes/s",
        wall.as_secs_f64() * 1000.0,
        fixes as f64 / wall.as_secs_f64() / 1e6
    );
}

fn main() {
    let (gen, fleet) = time(|| (0..VEHICLES as u64).map(vehicle).collect::<Vec<_>>());
    let fixes: usize = fleet.iter().map(|v| v.points.len()).sum();
    let alarms: usize = fleet.iter().map(|v| v.alarms.len()).sum();
    println!(
        "{VEHICLES} vehicles x 1 day at {STEP} s: {fixes} fixes, {alarms} engine alarms (generated in {gen:.2?})"
    );
    let opts = StopOptions::default();
    let fences = circles();

    println!("one thread, each report over the fleet:");
    let (wall, stops) = time(|| {
        fleet
            .iter()
            .map(|v| report::stops(&v.points, &opts))
            .collect::<Vec<_>>()
    });
    print("stops", wall, fixes);
    let (wall, trips) = time(|| {
        fleet
            .iter()
            .zip(&stops)
            .map(|(v, s)| report::trips(&v.points, s))
            .collect::<Vec<_>>()
    });
    print("trips", wall, fixes);
    let (wall, _) = time(|| {
        for v in &fleet {
            black_box(report::idling(&v.points, &v.alarms, &opts, 180));
        }
    });
    print("idling", wall, fixes);
    let (wall, _) = time(|| {
        for v in &fleet {
            black_box(report::speeding(&v.points, 80.0, 30));
        }
    });
    print("speeding", wall, fixes);
    let (wall, _) = time(|| {
        for v in &fleet {
            black_box(report::geofence_visits(&v.points, &fences, &v.alarms));
        }
    });
    print("geofence visits (5 circles)", wall, fixes);
    let (wall, days) = time(|| {
        fleet
            .iter()
            .map(|v| report::daily_summary(&v.points, &v.alarms, &opts, 180, &shanghai))
            .collect::<Vec<_>>()
    });
    print("daily summary (all of its own)", wall, fixes);

    let (wall, n) = time(|| {
        fleet
            .iter()
            .map(|v| all_reports(v, &fences, &opts))
            .sum::<usize>()
    });
    println!("all reports:");
    print("one thread", wall, fixes);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (par_wall, par_n) = time(|| {
        let chunk = VEHICLES.div_ceil(cores);
        std::thread::scope(|s| {
            let handles: Vec<_> = fleet
                .chunks(chunk)
                .map(|part| {
                    let (fences, opts) = (&fences, &opts);
                    s.spawn(move || {
                        part.iter()
                            .map(|v| all_reports(v, fences, opts))
                            .sum::<usize>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a worker"))
                .sum::<usize>()
        })
    });
    print(&format!("{cores} threads"), par_wall, fixes);
    assert_eq!(n, par_n);

    let trip_count: usize = trips.iter().map(Vec::len).sum();
    let stop_count: usize = stops.iter().map(Vec::len).sum();
    let km: f64 = trips.iter().flatten().map(|t| t.distance_m).sum::<f64>() / 1000.0;
    let day_km: f64 = days.iter().flatten().map(|d| d.distance_m).sum::<f64>() / 1000.0;
    println!(
        "fleet: {stop_count} stops, {trip_count} trips, {km:.0} km ({:.0} km a vehicle)",
        km / VEHICLES as f64
    );
    assert!((km - day_km).abs() < 1e-3 * km.max(1.0), "{km} vs {day_km}");
}
