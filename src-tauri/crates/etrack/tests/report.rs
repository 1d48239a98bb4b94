//! The reports engine on hand-made tracks: stops, trips, idling, speeding, geofence visits and
//! daily summaries, bad data, the invariants between them, and parity with the playback view
//! (`ui/tests/fixtures/report-parity.json`, written by `ui/tests/reportParity.test.ts`).

use etrack::report::{
    self, near_m, Circle, DaySummary, Stop, StopOptions, Trip, DEFAULT_MIN_IDLE_SECS,
};
use etrack::{Alarm, AlarmType, PlaybackPoint};

/// 2024-05-01 08:00 UTC (16:00 in Shanghai).
const T0: i64 = 1_714_550_400;
/// 2024-05-02 00:00 in Shanghai (UTC+8).
const SHANGHAI_MIDNIGHT: i64 = 1_714_579_200;
/// One degree of latitude in metres on the mean Earth.
const M_PER_DEG: f64 = 111_195.0;
const LON: f64 = 113.9;

fn pt(t: i64, lat: f64, lon: f64, kmh: f64) -> PlaybackPoint {
    PlaybackPoint {
        longitude: lon,
        latitude: lat,
        gpstime: t,
        speed: kmh,
        course: 0.0,
    }
}

/// A route north from 22.5 N, a fix every 10 s: `(kmh, secs)` per segment (the playback view's
/// test builder).
fn build(plan: &[(f64, i64)]) -> Vec<PlaybackPoint> {
    let mut t = T0;
    let mut lat = 22.5;
    let mut pts = vec![pt(t, lat, LON, plan[0].0)];
    for &(kmh, secs) in plan {
        let mut s = 10;
        while s <= secs {
            t += 10;
            lat += kmh / 3.6 * 10.0 / M_PER_DEG;
            pts.push(pt(t, lat, LON, kmh));
            s += 10;
        }
    }
    pts
}

fn alarm(t: i64, alarm_type: AlarmType) -> Alarm {
    fence_alarm(t, alarm_type, "")
}

fn fence_alarm(t: i64, alarm_type: AlarmType, fence: &str) -> Alarm {
    Alarm {
        alarm_type,
        longitude: LON,
        latitude: 22.5,
        gpstime: t,
        systemtime: t + 5,
        speed: 0.0,
        course: 0.0,
        geofence_id: fence.to_owned(),
    }
}

/// A small deterministic generator for GPS wander (xorshift).
struct Noise(u64);
impl Noise {
    /// In [-1, 1).
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

fn opts() -> StopOptions {
    StopOptions::default()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

fn analyse(points: &[PlaybackPoint]) -> (Vec<Stop>, Vec<Trip>) {
    let stops = report::stops(points, &opts());
    let trips = report::trips(points, &stops);
    (stops, trips)
}

// ---------------------------------------------------------------- stops and trips

#[test]
fn defaults_are_the_playback_views() {
    let o = StopOptions::default();
    assert_eq!(
        (o.min_stop_secs, o.stationary_kmh, o.radius_m, o.gap_secs),
        (180, 3.0, 60.0, 120)
    );
    let json = serde_json::to_value(o).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({"minStopSecs": 180, "stationaryKmh": 3.0, "radiusM": 60.0, "gapSecs": 120})
    );
    // Missing fields take the defaults.
    let partial: StopOptions = serde_json::from_str(r#"{"radiusM": 80}"#).expect("deserialises");
    assert_eq!(partial.radius_m, 80.0);
    assert_eq!(partial.min_stop_secs, 180);
}

#[test]
fn a_drive_a_ten_minute_stop_a_drive() {
    let route = build(&[(60.0, 600), (0.0, 600), (40.0, 300)]);
    let (stops, trips) = analyse(&route);
    assert_eq!(stops.len(), 1);
    let s = stops[0];
    // From the first fix at rest (the step 600 -> 610 is still a 60 km/h fix) to the last one.
    assert_eq!(
        (s.start, s.end, s.duration_secs),
        (T0 + 610, T0 + 1200, 590)
    );
    assert_eq!((s.first, s.last), (61, 120));
    assert_eq!(trips.len(), 2);
    let (a, b) = (trips[0], trips[1]);
    assert_eq!((a.start, a.end, a.first, a.last), (T0, T0 + 610, 0, 61));
    assert!(close(a.distance_m, 10_000.0, 1.0), "{}", a.distance_m);
    assert_eq!(a.max_kmh, 60.0);
    assert!(close(a.avg_kmh, 10.0 / (610.0 / 3600.0), 0.01));
    assert_eq!((b.start, b.end), (T0 + 1200, T0 + 1500));
    assert!(close(b.distance_m, 40.0 / 3.6 * 300.0, 1.0));
    assert_eq!(b.max_kmh, 40.0);
    assert_eq!(
        (a.end_lat, a.end_lon, b.start_lat, b.start_lon),
        (s.lat, s.lon, s.lat, s.lon)
    );
}

#[test]
fn a_short_halt_is_not_a_stop() {
    let route = build(&[(50.0, 300), (0.0, 170), (50.0, 300)]);
    let (stops, trips) = analyse(&route);
    assert!(stops.is_empty());
    assert_eq!(trips.len(), 1);
    assert_eq!((trips[0].start, trips[0].end), (T0, T0 + 770));
}

#[test]
fn gps_wander_while_parked_is_one_stop() {
    let mut route = build(&[(50.0, 300)]);
    let (mut t, lat) = (
        route[route.len() - 1].gpstime,
        route[route.len() - 1].latitude,
    );
    let mut noise = Noise(7);
    // 20 minutes parked, fixes wandering up to 20 m around the spot at up to 2.5 km/h.
    for _ in 0..120 {
        t += 10;
        let (dy, dx) = (noise.next() * 20.0, noise.next() * 20.0);
        route.push(pt(
            t,
            lat + dy / M_PER_DEG,
            LON + dx / M_PER_DEG,
            (noise.next() + 1.0) * 1.25,
        ));
    }
    let parked_end = t;
    for k in 1..=30 {
        t += 10;
        route.push(pt(t, lat + k as f64 * 0.0015, LON, 55.0));
    }
    let (stops, trips) = analyse(&route);
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert_eq!(stops[0].end, parked_end);
    // The wander adds nothing to the distance: the trips are the drives.
    let total: f64 = trips.iter().map(|tr| tr.distance_m).sum();
    assert!(
        close(total, 50.0 / 3.6 * 300.0 + 30.0 * 0.0015 * M_PER_DEG, 60.0),
        "{total}"
    );
}

#[test]
fn wander_beyond_the_radius_ends_the_stop() {
    let mut route = build(&[(50.0, 100)]);
    let (mut t, lat) = (
        route[route.len() - 1].gpstime,
        route[route.len() - 1].latitude,
    );
    // Parked 5 minutes, then creeping north 4.5 m per fix at 1 km/h: 63 m after 14 fixes.
    for _ in 0..30 {
        t += 10;
        route.push(pt(t, lat, LON, 0.0));
    }
    let parked_end = t;
    for k in 1..=14 {
        t += 10;
        route.push(pt(t, lat + k as f64 * 4.5 / M_PER_DEG, LON, 1.0));
    }
    let stops = report::stops(&route, &opts());
    // The stop ends at the last fix within 60 m of where it began (13 x 4.5 m).
    assert_eq!(stops[0].end, parked_end + 130);
}

#[test]
fn a_sleeping_tracker_at_one_place_is_a_stop() {
    let mut route = build(&[(50.0, 300), (0.0, 10)]);
    // The first fix at rest (the one before it was at 50 km/h).
    let last = route[route.len() - 1];
    // The tracker sleeps 30 minutes and wakes 10 m away, still parked, then drives off.
    let woke = last.gpstime + 1800;
    route.push(pt(woke, last.latitude + 10.0 / M_PER_DEG, LON, 0.0));
    for k in 1..=30 {
        route.push(pt(
            woke + k * 10,
            last.latitude + k as f64 * 0.0012,
            LON,
            45.0,
        ));
    }
    let (stops, trips) = analyse(&route);
    assert_eq!(stops.len(), 1);
    assert_eq!((stops[0].start, stops[0].end), (last.gpstime, woke));
    assert_eq!(trips.len(), 2);

    // The same silence at a different place (a data gap while driving) is no stop.
    let mut gap = build(&[(50.0, 300)]);
    let end = gap[gap.len() - 1];
    gap.push(pt(end.gpstime + 1800, end.latitude + 0.05, LON, 50.0));
    let (stops, trips) = analyse(&gap);
    assert!(stops.is_empty());
    assert_eq!(trips.len(), 1);
}

#[test]
fn shuffling_a_few_metres_is_not_a_trip() {
    let mut route: Vec<PlaybackPoint> = (0..30).map(|k| pt(T0 + k * 10, 22.5, LON, 0.0)).collect();
    // 30 m across the car park at 6 km/h, then parked again.
    for k in 1..=3 {
        route.push(pt(
            T0 + 290 + k * 10,
            22.5 + k as f64 * 10.0 / M_PER_DEG,
            LON,
            6.0,
        ));
    }
    for k in 1..=30 {
        route.push(pt(T0 + 320 + k * 10, 22.5 + 30.0 / M_PER_DEG, LON, 0.0));
    }
    let (stops, trips) = analyse(&route);
    assert_eq!(stops.len(), 2);
    assert!(trips.is_empty(), "{trips:?}");
}

// ---------------------------------------------------------------- bad data

#[test]
fn empty_and_single_fix_histories() {
    for route in [vec![], vec![pt(T0, 22.5, LON, 0.0)]] {
        let (stops, trips) = analyse(&route);
        assert!(stops.is_empty() && trips.is_empty());
        assert!(
            report::idling(&route, &[alarm(T0 - 10, AlarmType::EngineOn)], &opts(), 0).is_empty()
        );
        assert!(report::speeding(&route, 0.0, 0).is_empty() || route.len() == 1);
        let days =
            report::daily_summary(&route, &[], &opts(), 180, &report::fixed_offset(8 * 3600));
        assert_eq!(days.len(), route.len());
    }
    let one = [pt(T0, 22.5, LON, 90.0)];
    assert_eq!(report::speeding(&one, 80.0, 0).len(), 1);
    assert!(report::speeding(&one, 80.0, 1).is_empty());
}

#[test]
fn bad_fixes_are_dropped_without_panicking() {
    let good = build(&[(60.0, 600), (0.0, 600), (40.0, 300)]);
    let mut bad = good.clone();
    // NaN and infinite positions, (0, 0), off the Earth, time zero or negative.
    bad.insert(5, pt(T0 + 45, f64::NAN, LON, 60.0));
    bad.insert(20, pt(T0 + 195, 22.51, f64::INFINITY, 60.0));
    bad.insert(40, pt(T0 + 395, 0.0, 0.0, 60.0));
    bad.insert(70, pt(T0 + 695, 95.0, LON, 0.0));
    bad.push(pt(0, 22.5, LON, 0.0));
    bad.push(pt(-5, 22.5, LON, 0.0));
    assert_eq!(report::clean(&bad).as_ref(), good.as_slice());
    assert_eq!(analyse(&bad), analyse(&good));
    assert_eq!(
        report::speeding(&bad, 50.0, 0),
        report::speeding(&good, 50.0, 0)
    );
    // A NaN or negative speed reads as 0 km/h; the fix itself is kept.
    let mut nan_speed = good.clone();
    nan_speed[3].speed = f64::NAN;
    nan_speed[4].speed = -7.0;
    let cleaned = report::clean(&nan_speed);
    assert_eq!(cleaned.len(), good.len());
    assert_eq!((cleaned[3].speed, cleaned[4].speed), (0.0, 0.0));
    let (_, trips) = analyse(&nan_speed);
    assert_eq!(trips[0].max_kmh, 60.0);
    // Options that make no sense give no stops, not a panic.
    let silly = StopOptions {
        min_stop_secs: -1,
        stationary_kmh: f64::NAN,
        radius_m: f64::NAN,
        gap_secs: i64::MIN,
    };
    assert!(report::stops(&good, &silly).is_empty());
    assert!(report::speeding(&good, f64::NAN, 0).is_empty());
}

#[test]
fn repeats_and_unsorted_input_give_the_same_answers() {
    let good = build(&[(60.0, 600), (0.0, 600), (40.0, 300)]);
    let alarms = [
        alarm(T0 + 700, AlarmType::EngineOn),
        alarm(T0 + 1100, AlarmType::EngineOff),
    ];
    // Exact repeats (as the provider's own example has), and the order scrambled.
    let mut messy: Vec<PlaybackPoint> = good.iter().flat_map(|p| [*p, *p]).collect();
    messy.reverse();
    messy.swap(3, 50);
    assert_eq!(report::clean(&messy).as_ref(), good.as_slice());
    assert_eq!(analyse(&messy), analyse(&good));
    assert_eq!(
        report::idling(&messy, &alarms, &opts(), 60),
        report::idling(&good, &alarms, &opts(), 60)
    );
    let fence = [Circle {
        id: "1".into(),
        name: "Yard".into(),
        lat: good[61].latitude,
        lon: LON,
        radius_m: 300.0,
    }];
    assert_eq!(
        report::geofence_visits(&messy, &fence, &[]),
        report::geofence_visits(&good, &fence, &[])
    );
    let zone = report::fixed_offset(8 * 3600);
    assert_eq!(
        report::daily_summary(&messy, &alarms, &opts(), 60, &zone),
        report::daily_summary(&good, &alarms, &opts(), 60, &zone)
    );
    // A clean history is borrowed, not copied.
    assert!(matches!(
        report::clean(&good),
        std::borrow::Cow::Borrowed(_)
    ));
}

#[test]
fn fixes_at_one_second_with_different_positions_are_kept() {
    let route = [
        pt(T0, 22.5, LON, 0.0),
        pt(T0 + 10, 22.5, LON, 0.0),
        pt(T0 + 10, 22.5001, LON, 0.0),
        pt(T0 + 10, 22.5, LON, 0.0),
    ];
    assert_eq!(report::clean(&route).len(), 3);
}

#[test]
fn stops_from_another_history_do_not_panic_trips() {
    let route = build(&[(60.0, 600)]);
    let foreign = Stop {
        first: 500,
        last: 900,
        start: 0,
        end: 0,
        duration_secs: 0,
        lat: 0.0,
        lon: 0.0,
    };
    let backwards = Stop {
        first: 10,
        last: 5,
        ..foreign
    };
    let trips = report::trips(&route, &[foreign, backwards]);
    assert_eq!(trips.len(), 1);
    assert_eq!((trips[0].first, trips[0].last), (0, route.len() - 1));
}

// ---------------------------------------------------------------- idling

/// Driving 5 minutes, parked 20 minutes (fixes every 10 s), driving 5 minutes.
fn parked_twenty_minutes() -> Vec<PlaybackPoint> {
    build(&[(40.0, 300), (0.0, 1200), (40.0, 300)])
}

#[test]
fn engine_on_while_parked_is_idling() {
    let route = parked_twenty_minutes();
    let stop = report::stops(&route, &opts())[0];
    assert_eq!((stop.start, stop.end), (T0 + 310, T0 + 1500));
    let alarms = [
        alarm(T0, AlarmType::EngineOn),
        alarm(T0 + 600, AlarmType::EngineOff),
        alarm(T0 + 1200, AlarmType::EngineOn),
    ];
    let idle = report::idling(&route, &alarms, &opts(), 60);
    // Engine on from the start of the stop to the engineOff, and again from the engineOn to
    // the end of the stop.
    let spans: Vec<(i64, i64)> = idle.iter().map(|i| (i.start, i.end)).collect();
    assert_eq!(spans, [(T0 + 310, T0 + 600), (T0 + 1200, T0 + 1500)]);
    assert_eq!(idle[0].duration_secs, 290);
    assert_eq!((idle[0].lat, idle[0].lon), (stop.lat, stop.lon));
    // min_idle_secs filters.
    assert_eq!(report::idling(&route, &alarms, &opts(), 295).len(), 1);
    // Engine off all along: no idling.
    let off = [alarm(T0, AlarmType::EngineOff)];
    assert!(report::idling(&route, &off, &opts(), 0).is_empty());
}

#[test]
fn engine_state_before_the_first_engine_alarm_counts_as_off() {
    let route = parked_twenty_minutes();
    // No engine alarm at all, or only an engineOff after the stop: the state during the stop is
    // unknown, and no idling is claimed.
    assert!(report::idling(&route, &[], &opts(), 0).is_empty());
    let late = [alarm(T0 + 1700, AlarmType::EngineOff)];
    assert!(report::idling(&route, &late, &opts(), 0).is_empty());
    // An engineOn in the middle of the stop: idling from it.
    let mid = [alarm(T0 + 1000, AlarmType::EngineOn)];
    let idle = report::idling(&route, &mid, &opts(), 0);
    assert_eq!(
        idle.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>(),
        [(T0 + 1000, T0 + 1500)]
    );
    // Other alarm types do not change the engine state.
    let noise = [
        alarm(T0 + 1000, AlarmType::EngineOn),
        alarm(T0 + 1100, AlarmType::Vibration),
    ];
    assert_eq!(report::idling(&route, &noise, &opts(), 0), idle);
}

#[test]
fn a_wait_shorter_than_a_stop_still_idles() {
    // Four minutes at a level crossing with the engine on: below min_stop_secs, but stationary.
    let route = build(&[(40.0, 300), (0.0, 240), (40.0, 300)]);
    let on = [alarm(T0 - 60, AlarmType::EngineOn)];
    let idle = report::idling(&route, &on, &opts(), 120);
    assert_eq!(idle.len(), 1);
    assert_eq!((idle[0].start, idle[0].end), (T0 + 310, T0 + 540));
    // The default minimum is a stop's: 230 s counts.
    assert_eq!(
        report::idling(&route, &on, &opts(), DEFAULT_MIN_IDLE_SECS).len(),
        1
    );
    assert!(report::idling(&route, &on, &opts(), 231).is_empty());
}

#[test]
fn engine_alarms_out_of_order_and_in_one_second() {
    let route = parked_twenty_minutes();
    // Received in the wrong order; an off and an on in one second (the later-received one wins).
    let mut off_then_on = [
        alarm(T0 + 800, AlarmType::EngineOff),
        alarm(T0 + 800, AlarmType::EngineOn),
        alarm(T0 + 400, AlarmType::EngineOn),
    ];
    off_then_on[1].systemtime = off_then_on[0].systemtime + 1;
    let idle = report::idling(&route, &off_then_on, &opts(), 0);
    assert_eq!(
        idle.iter().map(|i| (i.start, i.end)).collect::<Vec<_>>(),
        [(T0 + 400, T0 + 1500)]
    );
}

// ---------------------------------------------------------------- speeding

#[test]
fn speeding_periods() {
    let route = build(&[
        (60.0, 300),
        (95.0, 120),
        (130.0, 30),
        (95.0, 60),
        (60.0, 300),
        (100.0, 20),
    ]);
    let fast = report::speeding(&route, 90.0, 30);
    assert_eq!(fast.len(), 1, "{fast:?}");
    let f = fast[0];
    // From the first fix above 90 km/h to the last one.
    assert_eq!((f.start, f.end, f.duration_secs), (T0 + 310, T0 + 510, 200));
    assert_eq!(f.max_kmh, 130.0);
    // Where it went fastest: the first 130 km/h fix.
    let top = route
        .iter()
        .find(|p| p.speed == 130.0)
        .expect("a 130 km/h fix");
    assert_eq!((f.lat, f.lon), (top.latitude, top.longitude));
    // The short burst at the end counts with a lower minimum.
    assert_eq!(report::speeding(&route, 90.0, 10).len(), 2);
    // Exactly at the limit is not above it.
    assert_eq!(report::speeding(&route, 95.0, 0).len(), 2);
    assert!(report::speeding(&route, 130.0, 0).is_empty());
}

#[test]
fn a_silence_breaks_a_speeding_period() {
    let mut route: Vec<PlaybackPoint> = (0..10)
        .map(|k| pt(T0 + k * 10, 22.5 + k as f64 * 0.003, LON, 110.0))
        .collect();
    // 121 s without a fix, still fast on both sides: two periods; 120 s: one.
    for (gap, periods) in [(121, 2), (120, 1)] {
        let mut r = route.clone();
        let last = r[r.len() - 1];
        r.extend((0..10).map(|k| {
            pt(
                last.gpstime + gap + k * 10,
                last.latitude + 0.01,
                LON,
                110.0,
            )
        }));
        assert_eq!(report::speeding(&r, 100.0, 0).len(), periods, "gap {gap}");
    }
    route.truncate(1);
    assert_eq!(report::speeding(&route, 100.0, 0)[0].duration_secs, 0);
}

// ---------------------------------------------------------------- geofences

/// North at 100 m a fix through a 300 m circle centred 2050 m up the road, and on to 4 km.
fn through_the_depot() -> (Vec<PlaybackPoint>, Circle) {
    let route = build(&[(36.0, 400)]);
    let depot = Circle {
        id: "42".into(),
        name: "Depot".into(),
        lat: 22.5 + 2050.0 / M_PER_DEG,
        lon: LON,
        radius_m: 300.0,
    };
    (route, depot)
}

#[test]
fn a_geofence_entered_and_left_without_alarms() {
    let (route, depot) = through_the_depot();
    let visits = report::geofence_visits(&route, std::slice::from_ref(&depot), &[]);
    assert_eq!(visits.len(), 1);
    let v = &visits[0];
    // 10 m a second: the first fix inside is at 1800 m (180 s), the first outside at 2400 m.
    assert_eq!(
        (v.enter, v.exit, v.dwell_secs),
        (T0 + 180, Some(T0 + 240), 60)
    );
    assert_eq!(
        (v.geofence_id.as_str(), v.geofence_name.as_str()),
        ("42", "Depot")
    );
    assert!(!v.began_inside && !v.enter_confirmed && !v.exit_confirmed && !v.confirmed_by_alarm);
}

#[test]
fn geofence_alarms_confirm_the_crossings() {
    let (route, depot) = through_the_depot();
    let depot = [depot];
    let confirmed = [
        fence_alarm(T0 + 175, AlarmType::GeofenceIn, "42"),
        fence_alarm(T0 + 300, AlarmType::GeofenceOut, "0"),
    ];
    let v = &report::geofence_visits(&route, &depot, &confirmed)[0];
    assert!(v.enter_confirmed && v.exit_confirmed && v.confirmed_by_alarm);

    // The entry alarm of another geofence, and an exit alarm 3 minutes late, confirm nothing.
    let wrong = [
        fence_alarm(T0 + 175, AlarmType::GeofenceIn, "43"),
        fence_alarm(T0 + 240 + 121, AlarmType::GeofenceOut, "42"),
    ];
    let v = &report::geofence_visits(&route, &depot, &wrong)[0];
    assert!(!v.enter_confirmed && !v.exit_confirmed && !v.confirmed_by_alarm);

    // Only the entry confirmed: the visit is not.
    let half = [fence_alarm(T0 + 50, AlarmType::GeofenceIn, "42")];
    let v = &report::geofence_visits(&route, &depot, &half)[0];
    assert!(v.enter_confirmed && !v.exit_confirmed && !v.confirmed_by_alarm);
    // The window is the two fixes around the crossing, widened by 120 s: 170 - 120 = 50.
    let early = [fence_alarm(T0 + 49, AlarmType::GeofenceIn, "42")];
    assert!(!report::geofence_visits(&route, &depot, &early)[0].enter_confirmed);
}

#[test]
fn a_vehicle_inside_at_the_start_or_the_end() {
    let (route, depot) = through_the_depot();
    // Starting at 1800 m: inside from the first fix.
    let from_inside: Vec<PlaybackPoint> = route[18..].to_vec();
    let v = &report::geofence_visits(&from_inside, std::slice::from_ref(&depot), &[])[0];
    assert!(v.began_inside);
    assert_eq!((v.enter, v.exit), (T0 + 180, Some(T0 + 240)));
    // Ending at 2000 m: still inside, dwelling up to the last fix.
    let still_inside: Vec<PlaybackPoint> = route[..=20].to_vec();
    let alarms = [fence_alarm(T0 + 170, AlarmType::GeofenceIn, "")];
    let v = &report::geofence_visits(&still_inside, std::slice::from_ref(&depot), &alarms)[0];
    assert_eq!((v.enter, v.exit, v.dwell_secs), (T0 + 180, None, 20));
    assert!(v.enter_confirmed && v.confirmed_by_alarm);
    // Inside throughout: a visit with no crossing is not "confirmed".
    let v = &report::geofence_visits(&route[18..=22], std::slice::from_ref(&depot), &alarms)[0];
    assert!(v.began_inside && v.exit.is_none() && !v.confirmed_by_alarm);
}

#[test]
fn visits_of_several_geofences_in_time_order() {
    let (route, depot) = through_the_depot();
    let gate = Circle {
        id: "1".into(),
        name: "Gate".into(),
        lat: 22.5 + 500.0 / M_PER_DEG,
        lon: LON,
        radius_m: 100.0,
    };
    let bad = Circle {
        id: "2".into(),
        name: "Broken".into(),
        lat: f64::NAN,
        lon: LON,
        radius_m: 100.0,
    };
    let visits = report::geofence_visits(&route, &[depot, bad, gate], &[]);
    let ids: Vec<&str> = visits.iter().map(|v| v.geofence_id.as_str()).collect();
    assert_eq!(ids, ["1", "42"]);
    // Each alarm confirms one crossing: two entries of one geofence need two alarms.
    let there_and_back: Vec<PlaybackPoint> = route
        .iter()
        .copied()
        .chain(route.iter().rev().enumerate().map(|(k, p)| PlaybackPoint {
            gpstime: T0 + 410 + k as i64 * 10,
            ..*p
        }))
        .collect();
    let depot = [through_the_depot().1];
    let one_alarm = [fence_alarm(T0 + 170, AlarmType::GeofenceIn, "42")];
    let visits = report::geofence_visits(&there_and_back, &depot, &one_alarm);
    assert_eq!(visits.len(), 2);
    assert_eq!(
        visits.iter().map(|v| v.enter_confirmed).collect::<Vec<_>>(),
        [true, false]
    );
}

// ---------------------------------------------------------------- daily summaries

/// Seconds east of UTC in Asia/Shanghai (no daylight saving time since 1991).
fn shanghai(_: i64) -> i32 {
    8 * 3600
}

#[test]
fn a_trip_across_midnight_in_shanghai_is_split_there() {
    // Leaves at 23:40 local, drives 40 minutes at 36 km/h (24 km), parks 10 minutes.
    let leave = SHANGHAI_MIDNIGHT - 1200;
    let mut route: Vec<PlaybackPoint> = (0..=30)
        .map(|k| pt(leave - 300 + k * 10, 22.5, LON, 0.0))
        .collect();
    let mut lat = 22.5;
    for k in 1..=240 {
        lat += 100.0 / M_PER_DEG;
        route.push(pt(leave + k * 10, lat, LON, 36.0));
    }
    let arrive = leave + 2400;
    for k in 1..=60 {
        route.push(pt(arrive + k * 10, lat, LON, 0.0));
    }
    let alarms = [
        alarm(leave - 60, AlarmType::EngineOn),
        alarm(arrive + 300, AlarmType::EngineOff),
        alarm(SHANGHAI_MIDNIGHT - 1, AlarmType::Speeding),
        alarm(SHANGHAI_MIDNIGHT, AlarmType::Speeding),
        alarm(SHANGHAI_MIDNIGHT + 5, AlarmType::Speeding),
    ];
    let (stops, trips) = analyse(&route);
    assert_eq!(trips.len(), 1);
    let trip = trips[0];
    // The stop after it begins at the first fix at rest, 10 s after the last one at 36 km/h.
    let parked = arrive + 10;
    assert_eq!((trip.start, trip.end), (leave, parked));
    assert!(close(trip.distance_m, 24_000.0, 2.0));

    let days = report::daily_summary(&route, &alarms, &opts(), 60, &shanghai);
    assert_eq!(days.len(), 2);
    let (d1, d2) = (&days[0], &days[1]);
    assert_eq!(
        (d1.date.as_str(), d2.date.as_str()),
        ("2024-05-01", "2024-05-02")
    );
    assert_eq!(
        (d1.start, d1.end, d2.start),
        (
            SHANGHAI_MIDNIGHT - 86_400,
            SHANGHAI_MIDNIGHT,
            SHANGHAI_MIDNIGHT
        )
    );
    assert_eq!(d1.utc_offset_secs, 28_800);
    // 20 minutes before midnight, 20 after (and the 10 s to the first fix at rest): 12 km each.
    assert_eq!((d1.driving_secs, d2.driving_secs), (1200, 1210));
    assert!(close(d1.distance_m, 12_000.0, 1.0) && close(d2.distance_m, 12_000.0, 1.0));
    assert!(close(d1.distance_m + d2.distance_m, trip.distance_m, 1e-6));
    assert_eq!((d1.trips, d2.trips), (1, 1));
    // The departure belongs to the first day, the arrival to the second.
    assert_eq!((d1.first_start, d1.last_stop), (Some(leave), None));
    assert_eq!((d2.first_start, d2.last_stop), (None, Some(parked)));
    // Stops: 5 minutes before leaving, 590 s after arriving; idling 60 s of the first (engine on
    // at leave - 60), 290 s of the second (engine off at arrive + 300).
    assert_eq!(stops.len(), 2);
    assert_eq!((d1.stopped_secs, d2.stopped_secs), (300, 590));
    assert_eq!((d1.idle_secs, d2.idle_secs), (60, 290));
    // The fix at midnight belongs to the new day.
    assert_eq!((d1.points, d2.points), (31 + 119, 121 + 60));
    assert_eq!((d1.max_kmh, d2.max_kmh), (36.0, 36.0));
    let count = |d: &DaySummary, t: AlarmType| {
        d.alarms
            .iter()
            .find(|c| c.alarm_type == t)
            .map_or(0, |c| c.count)
    };
    assert_eq!(
        (
            count(d1, AlarmType::Speeding),
            count(d2, AlarmType::Speeding)
        ),
        (1, 2)
    );
    assert_eq!(
        (
            count(d1, AlarmType::EngineOn),
            count(d2, AlarmType::EngineOff)
        ),
        (1, 1)
    );

    // In UTC the whole evening is one day (2024-05-01, 15:35 to 16:50 UTC).
    let utc = report::daily_summary(&route, &alarms, &opts(), 60, &report::fixed_offset(0));
    assert_eq!(utc.len(), 1);
    assert_eq!(utc[0].date, "2024-05-01");
    assert_eq!(utc[0].driving_secs, 2410);
}

#[test]
fn a_day_of_23_hours_and_a_day_whose_midnight_is_skipped() {
    // New York, 2024-03-10: clocks go from 02:00 EST to 03:00 EDT at 07:00 UTC.
    let new_york = |t: i64| {
        if t >= 1_710_054_000 {
            -4 * 3600
        } else {
            -5 * 3600
        }
    };
    let route: Vec<PlaybackPoint> = (0..48)
        .map(|h| {
            pt(
                1_710_046_800 - 3600 + h * 1800,
                40.7 + h as f64 * 0.01,
                -74.0,
                50.0,
            )
        })
        .collect();
    let days = report::daily_summary(&route, &[], &opts(), 60, &new_york);
    let march_10 = days
        .iter()
        .find(|d| d.date == "2024-03-10")
        .expect("the day");
    assert_eq!(
        (march_10.start, march_10.end),
        (1_710_046_800, 1_710_129_600)
    );
    assert_eq!(march_10.end - march_10.start, 23 * 3600);
    assert_eq!(march_10.utc_offset_secs, -5 * 3600);
    // Every fix counted once, every day's driving within its bounds.
    assert_eq!(days.iter().map(|d| d.points).sum::<u32>(), 48);
    assert!(days.iter().all(|d| d.driving_secs <= d.end - d.start));

    // A zone that springs forward at midnight (-4 h to -3 h at local 00:00): the day begins at
    // 01:00 local, the instant of the change.
    let change = 1_725_768_000; // 2024-09-08 04:00 UTC = 00:00 at -4 h
    let santiago = move |t: i64| if t >= change { -3 * 3600 } else { -4 * 3600 };
    let route = [
        pt(change - 600, -33.4, -70.6, 0.0),
        pt(change + 600, -33.4, -70.6, 0.0),
    ];
    let days = report::daily_summary(&route, &[], &opts(), 60, &santiago);
    assert_eq!(days.len(), 2);
    assert_eq!(
        (days[1].date.as_str(), days[1].start),
        ("2024-09-08", change)
    );
    assert_eq!(days[0].end, change);
    assert_eq!(days[0].end - days[0].start, 24 * 3600);
}

#[test]
fn a_silly_offset_function_does_not_hang_or_panic() {
    let route = build(&[(60.0, 600), (0.0, 600), (40.0, 300)]);
    let days = report::daily_summary(&route, &[], &opts(), 60, &|t| {
        ((t % 7919) as i32).wrapping_mul(1_000_000)
    });
    assert!(!days.is_empty());
    let extreme = report::daily_summary(&route, &[], &opts(), 60, &|_| i32::MAX);
    assert_eq!(
        extreme.iter().map(|d| d.points).sum::<u32>(),
        route.len() as u32
    );
}

// ---------------------------------------------------------------- invariants

/// The parity day (a realistic day of fixes) from the shared fixture.
struct Fixture {
    points: Vec<PlaybackPoint>,
    json: serde_json::Value,
}

fn fixture() -> Fixture {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../ui/tests/fixtures/report-parity.json"
    );
    let text = std::fs::read_to_string(path)
        .expect("the parity fixture (ui/tests/reportParity.test.ts writes it)");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let points = json["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|row| {
            let f = |k: usize| row[k].as_f64().expect("a number");
            pt(f(0) as i64, f(2), f(1), f(3))
        })
        .map(|p| PlaybackPoint { course: 0.0, ..p })
        .collect();
    Fixture { points, json }
}

#[test]
fn stops_and_trips_agree_with_the_playback_view() {
    let fx = fixture();
    let o: StopOptions = serde_json::from_value(fx.json["options"].clone()).expect("options");
    assert_eq!(o, StopOptions::default());
    assert!(matches!(
        report::clean(&fx.points),
        std::borrow::Cow::Borrowed(_)
    ));
    let stops = report::stops(&fx.points, &o);
    let trips = report::trips(&fx.points, &stops);
    let want_stops = fx.json["stops"].as_array().expect("stops");
    let want_trips = fx.json["trips"].as_array().expect("trips");
    assert!(want_stops.len() >= 7 && want_trips.len() >= 7);
    let int = |v: &serde_json::Value| v.as_i64().expect("an integer");
    let got: Vec<[i64; 4]> = stops
        .iter()
        .map(|s| [s.first as i64, s.last as i64, s.start, s.end])
        .collect();
    let want: Vec<[i64; 4]> = want_stops
        .iter()
        .map(|s| {
            [
                int(&s["first"]),
                int(&s["last"]),
                int(&s["start"]),
                int(&s["end"]),
            ]
        })
        .collect();
    assert_eq!(got, want);
    for (s, w) in stops.iter().zip(want_stops) {
        assert_eq!(s.duration_secs, int(&w["durationSecs"]));
        assert_eq!(
            (s.lat, s.lon),
            (
                w["lat"].as_f64().expect("lat"),
                w["lon"].as_f64().expect("lon")
            )
        );
    }
    assert_eq!(trips.len(), want_trips.len());
    for (t, w) in trips.iter().zip(want_trips) {
        assert_eq!(
            [
                t.first as i64,
                t.last as i64,
                t.start,
                t.end,
                t.duration_secs
            ],
            [
                int(&w["first"]),
                int(&w["last"]),
                int(&w["start"]),
                int(&w["end"]),
                int(&w["durationSecs"])
            ]
        );
        let want_m = w["distanceM"].as_f64().expect("distanceM");
        assert!(
            close(t.distance_m, want_m, 0.1),
            "{} vs {want_m}",
            t.distance_m
        );
        assert_eq!(t.max_kmh, w["maxKmh"].as_f64().expect("maxKmh"));
        assert!(close(
            t.avg_kmh,
            w["avgKmh"].as_f64().expect("avgKmh"),
            1e-3
        ));
    }
    let total: f64 = trips.iter().map(|t| t.distance_m).sum();
    let want_total = fx.json["totals"]["distanceM"].as_f64().expect("total");
    assert!(close(total, want_total, 0.1), "{total} vs {want_total}");
}

#[test]
fn trips_add_up_to_the_distance_of_the_moving_parts() {
    let fx = fixture();
    let (stops, trips) = analyse(&fx.points);
    // Distance of every step outside the stops, summed step by step.
    let inside_stop = |k: usize| stops.iter().any(|s| s.first <= k && k < s.last);
    let moving: f64 = (0..fx.points.len() - 1)
        .filter(|&k| !inside_stop(k))
        .map(|k| {
            let (a, b) = (&fx.points[k], &fx.points[k + 1]);
            near_m(a.latitude, a.longitude, b.latitude, b.longitude)
        })
        .sum();
    let short: f64 = {
        // Stretches between stops shorter than MIN_TRIP_M are not trips: the difference.
        let mut bounds = vec![];
        let mut from = 0;
        for s in &stops {
            if s.first > from {
                bounds.push((from, s.first));
            }
            from = s.last;
        }
        bounds.push((from, fx.points.len() - 1));
        bounds
            .iter()
            .filter(|(a, _)| !trips.iter().any(|t| t.first == *a))
            .map(|&(a, b)| {
                (a..b)
                    .map(|k| {
                        let (p, q) = (&fx.points[k], &fx.points[k + 1]);
                        near_m(p.latitude, p.longitude, q.latitude, q.longitude)
                    })
                    .sum::<f64>()
            })
            .sum()
    };
    let trips_m: f64 = trips.iter().map(|t| t.distance_m).sum();
    assert!(
        close(trips_m + short, moving, 1e-6),
        "{trips_m} + {short} vs {moving}"
    );
    // Driving and stopped time tile the history between the trips' and stops' ends.
    let driving: i64 = trips.iter().map(|t| t.duration_secs).sum();
    let stopped: i64 = stops.iter().map(|s| s.duration_secs).sum();
    let span = fx.points[fx.points.len() - 1].gpstime - fx.points[0].gpstime;
    assert!(driving + stopped <= span);
}

#[test]
fn the_daily_summary_is_the_sum_of_the_trips_of_each_day() {
    let fx = fixture();
    let (stops, trips) = analyse(&fx.points);
    let alarms = [
        alarm(fx.points[0].gpstime + 7 * 3600, AlarmType::EngineOn),
        alarm(fx.points[0].gpstime + 13 * 3600, AlarmType::EngineOff),
    ];
    // In Shanghai the fixture is one day, 2024-05-01: the day is exactly the trips.
    let days = report::daily_summary(&fx.points, &alarms, &opts(), 60, &shanghai);
    assert_eq!(days.len(), 1);
    let d = &days[0];
    assert_eq!(d.date, "2024-05-01");
    assert!(close(
        d.distance_m,
        trips.iter().map(|t| t.distance_m).sum(),
        1e-6
    ));
    assert_eq!(
        d.driving_secs,
        trips.iter().map(|t| t.duration_secs).sum::<i64>()
    );
    assert_eq!(
        d.stopped_secs,
        stops.iter().map(|s| s.duration_secs).sum::<i64>()
    );
    assert_eq!(d.trips as usize, trips.len());
    assert_eq!(d.stops as usize, stops.len());
    assert_eq!(d.first_start, Some(trips[0].start));
    assert_eq!(d.last_stop, Some(trips[trips.len() - 1].end));
    assert_eq!(d.points as usize, fx.points.len());
    let idle: i64 = report::idling(&fx.points, &alarms, &opts(), 60)
        .iter()
        .map(|i| i.duration_secs)
        .sum();
    assert_eq!(d.idle_secs, idle);
    assert!(idle > 0);

    // In UTC, midnight is 08:00 in Shanghai: a drive straddles it. Two days, and still the
    // trips, per day and in all.
    let days = report::daily_summary(&fx.points, &alarms, &opts(), 60, &report::fixed_offset(0));
    assert!(days.len() >= 2);
    assert!(trips
        .iter()
        .any(|t| t.start < days[1].start && t.end > days[1].start));
    let per_day: f64 = days.iter().map(|d| d.distance_m).sum();
    assert!(close(
        per_day,
        trips.iter().map(|t| t.distance_m).sum(),
        1e-6
    ));
    assert_eq!(
        days.iter().map(|d| d.driving_secs).sum::<i64>(),
        trips.iter().map(|t| t.duration_secs).sum::<i64>()
    );
    for d in &days {
        // A day's distance is that of the trips (or their parts) within it.
        let within: f64 = trips
            .iter()
            .filter(|t| t.start >= d.start && t.end <= d.end)
            .map(|t| t.distance_m)
            .sum();
        let crossing = trips
            .iter()
            .any(|t| (t.start < d.start && t.end > d.start) || (t.start < d.end && t.end > d.end));
        if !crossing {
            assert!(
                close(d.distance_m, within, 1e-6),
                "{}: {} vs {within}",
                d.date,
                d.distance_m
            );
        }
    }
}

// ---------------------------------------------------------------- serialisation

#[test]
fn reports_serialise_in_camel_case() {
    let (route, depot) = through_the_depot();
    let trip = report::trips(&route, &[])[0];
    let json = serde_json::to_value(trip).expect("trip");
    for key in [
        "startLat",
        "endLon",
        "distanceM",
        "durationSecs",
        "avgKmh",
        "maxKmh",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    let visit = &report::geofence_visits(&route, &[depot], &[])[0];
    let json = serde_json::to_value(visit).expect("visit");
    for key in [
        "geofenceId",
        "enter",
        "exit",
        "dwellSecs",
        "beganInside",
        "confirmedByAlarm",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    let days = report::daily_summary(&route, &[alarm(T0, AlarmType::Sos)], &opts(), 60, &shanghai);
    let json = serde_json::to_value(&days[0]).expect("day");
    assert_eq!(json["alarms"], serde_json::json!([{"type": 1, "count": 1}]));
    assert!(json.get("firstStart").is_some() && json.get("utcOffsetSecs").is_some());
    let back: DaySummary = serde_json::from_value(json).expect("round trip");
    assert_eq!(back, days[0]);
}
