//! The app's playback load end to end, against the sequential lower bound, and what the points
//! cost to hand to the webview.
//!
//! 7 days at a 10 s interval (60,480 points) behind 40 ms of latency per request, loaded through
//! `PlaybackService::load` (pieces of concurrent windows, progress callbacks, the session cache),
//! i.e. what the app does before the route is drawn. `cargo bench -p etrack --bench playback`
//! measures the client alone on the same history. Then the same points encoded as JSON objects
//! (what a plain `Vec<PlaybackPoint>` return would send) and as the binary columns the app sends.
//! Run: `cargo run --release -p etrack-desktop --example playback_fetch`.
#![allow(clippy::unwrap_used)]

use etrack::{Client, PasswordHash, TimeRange};
use etrack_desktop_lib::gate::Gate;
use etrack_desktop_lib::playback::{encode_points, HistoryKey, PlaybackService};
use etrack_desktop_lib::session::{SessionInfo, SignedIn};
use etrack_sim::{SimConfig, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::time::{Duration, Instant};

const LATENCY: Duration = Duration::from_millis(40);
const DAYS: i64 = 7;
const INTERVAL: i64 = 10;

#[tokio::main]
async fn main() {
    let sim = etrack_sim::spawn(SimConfig {
        latency: LATENCY,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let imei: etrack::Imei = sim.imeis()[0].parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let end = now - now % 3600;
    let begin = end - DAYS * 86_400;
    let points: Vec<(f64, f64, i64, i64, i64)> = (0..DAYS * 86_400 / INTERVAL)
        .map(|i| {
            let t = begin + i * INTERVAL;
            (113.9 + (i % 5000) as f64 * 1e-5, 22.58, t, 40, 90)
        })
        .collect();
    let expected = points.len();
    sim.set_history(imei.as_str(), points);
    let range = TimeRange::new(begin, end).unwrap();
    let client = Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(sim.base_url())
        .build()
        .unwrap();
    client.authorize().await.unwrap();
    let session = SignedIn {
        info: SessionInfo {
            account: DEMO_ACCOUNT.into(),
            provider_url: sim.base_url(),
            demo: true,
            remembered: false,
        },
        client: client.clone(),
        gate: Gate::new(),
    };
    let service = PlaybackService::new(None);

    sim.clear_log();
    let started = Instant::now();
    let loaded = service
        .load(&session, 1, &imei, range, &|_| {})
        .await
        .unwrap();
    let wall = started.elapsed();
    let pages = sim
        .request_log()
        .iter()
        .filter(|r| r.path == "/api/playback")
        .count() as u32;
    assert_eq!(loaded.count, expected, "every point once");
    let bound = LATENCY * pages;

    let again = Instant::now();
    let cached = service
        .load(&session, 2, &imei, range, &|_| {})
        .await
        .unwrap();
    let cached_wall = again.elapsed();
    assert!(cached.from_cache);

    let history = service
        .history(&HistoryKey::new(&session.info, &imei, range))
        .unwrap();
    let t = Instant::now();
    let json = serde_json::to_vec(&history.points).unwrap();
    let json_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let binary = encode_points(&history.points);
    let binary_ms = t.elapsed().as_secs_f64() * 1000.0;

    println!("app playback load: {DAYS} days at {INTERVAL} s = {expected} points, {LATENCY:?} latency per request");
    println!("  wall time                 {wall:>10.3?}");
    println!("  pages                     {pages:>10}");
    println!("  sequential lower bound    {bound:>10.3?}  (pages x latency)");
    println!(
        "  ratio                     {:>10.2}x  (lower bound / wall time)",
        bound.as_secs_f64() / wall.as_secs_f64()
    );
    println!("  reopened (session cache)  {cached_wall:>10.3?}  (no request)");
    println!("handing {expected} points to the webview:");
    println!(
        "  JSON objects              {:>7.1} MB  encoded in {json_ms:.1} ms",
        json.len() as f64 / 1e6
    );
    println!(
        "  binary columns (the app)  {:>7.1} MB  encoded in {binary_ms:.1} ms",
        binary.len() as f64 / 1e6
    );
    sim.shutdown();
}
