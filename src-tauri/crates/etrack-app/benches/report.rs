//! Fleet reports at scale, against etrack-sim with 40 ms of latency per request:
//!
//! 1. the daily summary of 50 vehicles over 7 days from an empty history store: wall time,
//!    requests, and the sequential bound (requests x latency) that one request at a time costs;
//! 2. the same report again, from the store (target: under 1 s, no request);
//! 3. the computation alone (the engine and the rows, no I/O) for 500 vehicle-days.
//!
//! Prints figures; asserts only that the second run sends nothing. Run:
//! `cargo bench -p etrack-app --bench report` (optimised), or add `--profile dev` for a quick
//! unoptimised run.
#![allow(clippy::unwrap_used)]

use etrack::{Client, PasswordHash, TimeRange};
use etrack_app::history::{HistoryStore, DEFAULT_LIMIT_BYTES};
use etrack_app::reports::compute::{self, Vehicle};
use etrack_app::reports::{self, ReportEnv, ReportKind, ReportProgress, ReportRequest};
use etrack_sim::{SimConfig, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

const VEHICLES: usize = 50;
const DAYS: i64 = 7;
const LATENCY: Duration = Duration::from_millis(40);
const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::main]
async fn main() {
    let sim = etrack_sim::spawn(SimConfig {
        devices: VEHICLES,
        latency: LATENCY,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let client = Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(sim.base_url())
        .build()
        .unwrap();
    client.authorize().await.unwrap();
    let names: HashMap<String, String> = client
        .device_list(None)
        .await
        .unwrap()
        .into_iter()
        .map(|d| (d.imei, d.devicename))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open(dir.path().join("bench.sqlite"), DEFAULT_LIMIT_BYTES).unwrap();

    // Seven full local (UTC+8) days, ending two days ago: settled history.
    let today = (now() + 8 * 3600).div_euclid(DAY) * DAY - 8 * 3600;
    let (begin, end) = (today - (DAYS + 2) * DAY, today - 2 * DAY - 1);
    let imeis = sim.imeis();
    let request = ReportRequest {
        request_id: 1,
        kind: ReportKind::Summary,
        imeis: imeis.clone(),
        begin,
        end,
        time_zone: "Asia/Shanghai".into(),
        min_stop_secs: 180,
        min_idle_secs: 300,
        speed_limit_kmh: 80.0,
        min_speeding_secs: 0,
    };
    let progress = |_: ReportProgress| {};
    let env = ReportEnv {
        client: &client,
        store: Some(&store),
        now: now(),
        names: &names,
        circles: Vec::new(),
        cancel: CancellationToken::new(),
        progress: &progress,
    };

    println!(
        "Daily summary of {} vehicles over {DAYS} days, {LATENCY:?} latency per request",
        imeis.len()
    );
    sim.clear_log();
    let started = Instant::now();
    let cold = reports::run(&env, &request).await.unwrap();
    let cold_wall = started.elapsed();
    let sent = sim.request_log().len();
    let bound = LATENCY * u32::try_from(sent).unwrap();
    println!(
        "1. empty store: {:.2} s, {sent} requests ({} counted by the report), {} rows, {} \
         vehicles refused ({:?}); sequential bound {:.2} s, ratio {:.2}",
        cold_wall.as_secs_f64(),
        cold.requests,
        cold.rows.len(),
        if cold.complete { 0 } else { 1 },
        cold.error.as_ref().map(|e| e.message.as_str()),
        bound.as_secs_f64(),
        cold_wall.as_secs_f64() / bound.as_secs_f64()
    );

    sim.clear_log();
    let started = Instant::now();
    let warm = reports::run(&env, &request).await.unwrap();
    let warm_wall = started.elapsed();
    let sent = sim.request_log().len();
    println!(
        "2. from the store: {:.3} s, {sent} requests, {} rows (target < 1 s, 0 requests)",
        warm_wall.as_secs_f64(),
        warm.rows.len()
    );
    // Only a vehicle the provider refused (nothing stored for it) is asked again.
    let with_rows: std::collections::HashSet<&str> =
        cold.rows.iter().map(|r| r.imei.as_str()).collect();
    let again: std::collections::HashSet<String> = sim
        .request_log()
        .iter()
        .filter_map(|r| {
            r.params
                .iter()
                .find(|(k, _)| k == "imei")
                .map(|(_, v)| v.clone())
        })
        .collect();
    println!("   asked again: {again:?} (refused the first time)");
    assert!(
        again.iter().all(|i| !with_rows.contains(i.as_str())),
        "a re-run over stored history asks nothing for the vehicles it has"
    );

    // 3. The computation alone: each vehicle's busiest stored day, ten times over.
    let mut days = Vec::new();
    for imei in &imeis {
        let parsed = imei.parse().unwrap();
        let mut best = (Vec::new(), Vec::new());
        for d in 0..DAYS {
            let b = begin + d * DAY;
            let range = TimeRange::new(b, b + DAY - 1).unwrap();
            let points = store.points(&parsed, range).await.unwrap();
            if points.len() > best.0.len() {
                best = (points, store.alarms(&parsed, range).await.unwrap());
            }
        }
        days.push((imei.clone(), best));
    }
    let rules = reports::run::rules(&request, Vec::new()).unwrap();
    let fixes: usize = days.iter().map(|(_, (p, _))| p.len()).sum::<usize>() * 10;
    let started = Instant::now();
    let mut rows = 0;
    for _ in 0..10 {
        for (imei, (points, alarms)) in &days {
            let vehicle = Vehicle { imei, name: imei };
            rows += compute::rows(&rules, vehicle, points, alarms).len();
        }
    }
    let took = started.elapsed();
    println!(
        "3. computation alone: {} vehicle-days ({fixes} fixes) in {:.1} ms ({:.0} us a \
         vehicle-day), {rows} rows",
        days.len() * 10,
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / (days.len() * 10) as f64
    );
    sim.shutdown();
}
