//! Fleet reports against etrack-sim over loopback HTTP: the figures agree with the engine run on
//! the same points and with the simulator's own mileage, a re-run over stored history asks the
//! provider nothing, a failing vehicle leaves the others' rows, a cancel stops the run.
//!
//! The demo fleet keeps office hours (commuters on weekdays, vans Monday to Saturday), so the
//! tests look for a vehicle and a past day with real driving rather than assume one.
#![allow(clippy::unwrap_used)]

use etrack::report::{self, Circle, StopOptions};
use etrack::{Client, Imei, PasswordHash, RetryPolicy, TimeRange};
use etrack_app::error::ErrorKind;
use etrack_app::history::{HistoryStore, DEFAULT_LIMIT_BYTES};
use etrack_app::reports::{
    self, ReportEnv, ReportKind, ReportProgress, ReportRequest, ReportResult, ReportValues,
};
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

const DAY: i64 = 86_400;
/// The simulated fleet lives in Shenzhen (UTC+8).
const SHENZHEN: &str = "Asia/Shanghai";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Local (UTC+8) midnight starting the day `days` days before today's.
fn local_day_start(days: i64) -> i64 {
    let local_today = (now() + 8 * 3600).div_euclid(DAY);
    (local_today - days) * DAY - 8 * 3600
}

fn client(sim: &SimHandle) -> Client {
    Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(sim.base_url())
        .retry(RetryPolicy {
            max_retries: 0,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap()
}

async fn names(c: &Client) -> HashMap<String, String> {
    c.device_list(None)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.imei, d.devicename))
        .collect()
}

fn request(kind: ReportKind, imeis: &[String], begin: i64, end: i64) -> ReportRequest {
    ReportRequest {
        request_id: 7,
        kind,
        imeis: imeis.to_vec(),
        begin,
        end,
        time_zone: SHENZHEN.into(),
        min_stop_secs: 180,
        min_idle_secs: 300,
        speed_limit_kmh: 80.0,
        min_speeding_secs: 0,
    }
}

struct Run<'a> {
    client: &'a Client,
    store: Option<&'a HistoryStore>,
    names: &'a HashMap<String, String>,
    circles: Vec<Circle>,
    cancel: CancellationToken,
}

impl Run<'_> {
    async fn go(&self, req: &ReportRequest) -> (ReportResult, Vec<ReportProgress>) {
        let seen = Mutex::new(Vec::new());
        let progress = |p: ReportProgress| seen.lock().unwrap().push(p);
        let env = ReportEnv {
            client: self.client,
            store: self.store,
            now: now(),
            names: self.names,
            circles: self.circles.clone(),
            cancel: self.cancel.clone(),
            progress: &progress,
        };
        let r = reports::run(&env, req).await.unwrap();
        (r, seen.into_inner().unwrap())
    }
}

fn total_distance(r: &ReportResult) -> f64 {
    r.rows
        .iter()
        .filter_map(|row| row.values.distance_m())
        .sum()
}

/// A vehicle and a local day (its start) on which it drove more than 5 km.
async fn a_driving_day(
    sim: &SimHandle,
    c: &Client,
    names: &HashMap<String, String>,
) -> (String, i64) {
    for days in 2..9 {
        let begin = local_day_start(days);
        let imeis: Vec<String> = sim.imeis().into_iter().take(8).collect();
        let run = Run {
            client: c,
            store: None,
            names,
            circles: vec![],
            cancel: CancellationToken::new(),
        };
        let (r, _) = run
            .go(&request(
                ReportKind::Summary,
                &imeis,
                begin,
                begin + DAY - 1,
            ))
            .await;
        assert!(r.complete, "{:?}", r.error);
        if let Some(row) = r
            .rows
            .iter()
            .find(|row| row.values.distance_m().unwrap_or(0.0) > 5_000.0)
        {
            return (row.imei.clone(), begin);
        }
    }
    panic!("no demo vehicle drove 5 km on any of the last days");
}

#[tokio::test(flavor = "multi_thread")]
async fn trips_agree_with_the_engine_the_summary_and_the_simulators_mileage() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = client(&sim);
    let names = names(&c).await;
    let (imei, begin) = a_driving_day(&sim, &c, &names).await;
    let end = begin + DAY - 1;
    let run = Run {
        client: &c,
        store: None,
        names: &names,
        circles: vec![],
        cancel: CancellationToken::new(),
    };
    let one = [imei.clone()];

    let (trips, progress) = run.go(&request(ReportKind::Trips, &one, begin, end)).await;
    assert!(trips.complete, "{:?}", trips.error);
    assert!(trips.requests >= 1);
    assert_eq!(progress.last().unwrap().vehicles_done, 1);
    assert_eq!(
        trips.rows[0].vehicle, names[&imei],
        "rows carry the vehicle's name"
    );
    assert!(trips
        .rows
        .windows(2)
        .all(|w| w[0].start <= w[1].start && w[0].end <= w[1].start));

    // The engine over the same points.
    let parsed = Imei::parse(&imei).unwrap();
    let points = c
        .playback(&parsed, TimeRange::new(begin, end).unwrap())
        .await
        .unwrap();
    let clean = report::clean(&points);
    let engine: f64 = report::trips(&clean, &report::stops(&clean, &StopOptions::default()))
        .iter()
        .map(|t| t.distance_m)
        .sum();
    let reported = total_distance(&trips);
    assert!(
        (reported - engine).abs() < 1e-6 * engine.max(1.0),
        "report {reported} m, engine {engine} m"
    );

    // The simulator's mileage for the day: metres between consecutive fixes, also those a parked
    // vehicle makes (none: a parked vehicle's fixes are all at one spot) and those inside stops,
    // on the great circle. The trips count only moves between stops, on the flat approximation.
    let sim_km = c
        .mileage(
            std::slice::from_ref(&parsed),
            TimeRange::new(begin, begin + DAY).unwrap(),
        )
        .await
        .unwrap()[0]
        .mileage
        .unwrap();
    let ratio = reported / 1000.0 / sim_km;
    assert!(
        (0.97..=1.01).contains(&ratio),
        "trips {:.3} km vs the simulator's mileage {sim_km} km",
        reported / 1000.0
    );

    // The daily summary of that day: its distance is the sum of the day's trips.
    let (summary, _) = run
        .go(&request(ReportKind::Summary, &one, begin, end))
        .await;
    assert_eq!(summary.rows.len(), 1, "{:?}", summary.rows);
    match &summary.rows[0].values {
        ReportValues::Summary {
            date,
            distance_m,
            trips: n,
            ..
        } => {
            assert_eq!(
                summary.rows[0].start,
                Some(begin),
                "the day starts at local midnight"
            );
            assert_eq!(date.len(), 10);
            assert!(
                (distance_m - reported).abs() < 1e-6 * reported,
                "summary {distance_m} m, trips {reported} m"
            );
            assert_eq!(*n as usize, trips.rows.len());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rerun_over_stored_history_sends_no_request() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = client(&sim);
    let names = names(&c).await;
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open(
        etrack_app::history::path_for(dir.path(), &sim.base_url(), DEMO_ACCOUNT),
        DEFAULT_LIMIT_BYTES,
    )
    .unwrap();
    let imeis: Vec<String> = sim.imeis().into_iter().take(6).collect();
    // Three full local days, ending two days ago: settled history, never "recent".
    let begin = local_day_start(4);
    let end = local_day_start(1) - 1;
    let run = Run {
        client: &c,
        store: Some(&store),
        names: &names,
        circles: vec![],
        cancel: CancellationToken::new(),
    };
    let req = request(ReportKind::Summary, &imeis, begin, end);
    sim.clear_log();
    let (first, progress) = run.go(&req).await;
    assert!(first.complete, "{:?}", first.error);
    assert!(!first.rows.is_empty());
    let asked = sim.request_log().len();
    assert!(
        asked >= imeis.len() * 2,
        "points and alarms of each vehicle: {asked}"
    );
    assert_eq!(
        first.requests as usize, asked,
        "the result counts what was sent"
    );
    assert_eq!(progress.first().unwrap().vehicles_done, 0);
    assert_eq!(progress.last().unwrap().vehicles_done, 6);
    assert_eq!(progress.last().unwrap().vehicles_total, 6);

    sim.clear_log();
    let (again, _) = run.go(&req).await;
    assert_eq!(sim.request_log().len(), 0, "{:?}", sim.request_log());
    assert_eq!(again.requests, 0);
    assert_eq!(again.rows, first.rows);

    // Another kind over part of the period is stored too.
    let (trips, _) = run
        .go(&request(ReportKind::Trips, &imeis, begin + DAY, end))
        .await;
    assert_eq!(sim.request_log().len(), 0);
    assert!(trips.complete);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_vehicle_leaves_the_others_rows_and_names_itself() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = client(&sim);
    let names = names(&c).await;
    let (imei, begin) = a_driving_day(&sim, &c, &names).await;
    let other = sim.imeis().into_iter().find(|i| *i != imei).unwrap();
    let run = Run {
        client: &c,
        store: None,
        names: &names,
        circles: vec![],
        cancel: CancellationToken::new(),
    };
    // Of the two vehicles, whichever asks first is refused.
    sim.inject_reply("/api/playback", 500, "down", 1);
    let (r, _) = run
        .go(&request(
            ReportKind::Trips,
            &[imei.clone(), other.clone()],
            begin,
            begin + DAY - 1,
        ))
        .await;
    assert!(!r.complete);
    let e = r.error.clone().unwrap();
    let failed = if e.message.starts_with(&format!("{}:", names[&imei])) {
        &imei
    } else {
        assert!(
            e.message.starts_with(&format!("{}:", names[&other])),
            "{e:?}"
        );
        &other
    };
    assert!(r.rows.iter().all(|row| row.imei != *failed));
    if failed == &other {
        assert!(!r.rows.is_empty(), "the driving vehicle's trips are kept");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancelled_and_refused_reports() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = client(&sim);
    let names = names(&c).await;
    let imeis: Vec<String> = sim.imeis().into_iter().take(4).collect();
    let begin = local_day_start(3);
    let cancel = CancellationToken::new();
    cancel.cancel();
    let run = Run {
        client: &c,
        store: None,
        names: &names,
        circles: vec![],
        cancel,
    };
    sim.clear_log();
    let (r, _) = run
        .go(&request(ReportKind::Stops, &imeis, begin, begin + DAY))
        .await;
    assert!(!r.complete);
    assert_eq!(r.error.unwrap().kind, ErrorKind::Cancelled);
    assert!(sim.request_log().is_empty());

    let env_progress = |_: ReportProgress| {};
    let env = ReportEnv {
        client: &c,
        store: None,
        now: now(),
        names: &names,
        circles: vec![],
        cancel: CancellationToken::new(),
        progress: &env_progress,
    };
    let mut bad = request(ReportKind::Geofences, &imeis, begin, begin + DAY);
    let e = reports::run(&env, &bad).await.unwrap_err();
    assert!(e.to_string().contains("geofence"), "{e}");
    bad.kind = ReportKind::Trips;
    bad.time_zone = "Nowhere/Special".into();
    assert_eq!(
        reports::run(&env, &bad).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
    bad.time_zone = "local".into();
    bad.imeis.clear();
    assert!(reports::run(&env, &bad).await.is_err());
    assert!(
        sim.request_log().is_empty(),
        "nothing sent for a refused report"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn geofence_visits_of_a_circle_on_the_route() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let c = client(&sim);
    let names = names(&c).await;
    let (imei, begin) = a_driving_day(&sim, &c, &names).await;
    let end = begin + DAY - 1;
    let points = c
        .playback(&imei.parse().unwrap(), TimeRange::new(begin, end).unwrap())
        .await
        .unwrap();
    // A circle around a fix in the middle of the day's driving.
    let moving: Vec<_> = points.iter().filter(|p| p.speed > 20.0).collect();
    let at = moving[moving.len() / 2];
    let run = Run {
        client: &c,
        store: None,
        names: &names,
        circles: vec![Circle {
            id: "g1".into(),
            name: "Crossroads".into(),
            lat: at.latitude,
            lon: at.longitude,
            radius_m: 300.0,
        }],
        cancel: CancellationToken::new(),
    };
    let (r, _) = run
        .go(&request(ReportKind::Geofences, &[imei], begin, end))
        .await;
    assert!(r.complete, "{:?}", r.error);
    assert!(!r.rows.is_empty());
    let visit = r
        .rows
        .iter()
        .find(|row| row.start <= Some(at.gpstime) && row.end.is_none_or(|e| e >= at.gpstime))
        .expect("a visit around the fix");
    match &visit.values {
        ReportValues::GeofenceVisit { geofence_name, .. } => {
            assert_eq!(geofence_name, "Crossroads")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(visit.lat, Some(at.latitude));
}
