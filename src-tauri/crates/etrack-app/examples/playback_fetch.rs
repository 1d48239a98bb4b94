//! The app's playback load end to end, against the sequential lower bound, and what the points
//! cost to hand to the webview.
//!
//! The week of `cargo bench -p etrack --bench playback` (7 days at a 10 s interval, 60,480 points,
//! 40 ms of latency per request; same set-up, shared), loaded through `PlaybackService::load`
//! (adaptive paging, progress callbacks, the session cache), i.e. what the app does
//! before the route is drawn, where the bench measures the client alone. Then the same points
//! encoded as JSON objects (what a plain `Vec<PlaybackPoint>` return would send) and as the binary
//! columns the app sends.
//! Run: `cargo run --release -p etrack-app --example playback_fetch`.
#![allow(clippy::unwrap_used)]

#[path = "../../etrack/benches/support/playback_week.rs"]
mod playback_week;

use etrack_app::gate::Gate;
use etrack_app::playback::{encode_points, HistoryKey, PlaybackService};
use etrack_app::session::{SessionInfo, SignedIn};
use etrack_sim::DEMO_ACCOUNT;
use playback_week::{print_against_bound, Week, DAYS, INTERVAL, LATENCY};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let week = Week::start().await;
    let (imei, range) = (&week.imei, week.range);
    let session = SignedIn {
        info: SessionInfo {
            account: DEMO_ACCOUNT.into(),
            provider_url: week.sim.base_url(),
            demo: true,
            remembered: false,
        },
        client: week.client.clone(),
        gate: Gate::new(),
        // The provider's bound: no stored history.
        history: None,
    };
    let service = PlaybackService::new();

    week.sim.clear_log();
    let started = Instant::now();
    let loaded = service
        .load(&session, 1, imei, range, &|_| {})
        .await
        .unwrap();
    let wall = started.elapsed();
    let pages = week.pages();
    assert_eq!(loaded.count, week.points, "every point once");

    let again = Instant::now();
    let cached = service
        .load(&session, 2, imei, range, &|_| {})
        .await
        .unwrap();
    let cached_wall = again.elapsed();
    assert!(cached.from_cache);

    let history = service
        .history(&HistoryKey::new(&session.info, imei, range))
        .unwrap();
    let t = Instant::now();
    let json = serde_json::to_vec(&history.points).unwrap();
    let json_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let binary = encode_points(&history.points);
    let binary_ms = t.elapsed().as_secs_f64() * 1000.0;

    println!(
        "app playback load: {DAYS} days at {INTERVAL} s = {} points, {LATENCY:?} latency per request",
        week.points
    );
    print_against_bound(wall, pages);
    println!("  reopened (session cache)  {cached_wall:>10.3?}  (no request)");
    println!("handing {} points to the webview:", week.points);
    println!(
        "  JSON objects              {:>7.1} MB  encoded in {json_ms:.1} ms",
        json.len() as f64 / 1e6
    );
    println!(
        "  binary columns (the app)  {:>7.1} MB  encoded in {binary_ms:.1} ms",
        binary.len() as f64 / 1e6
    );
    week.sim.shutdown();
}
