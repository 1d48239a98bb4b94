//! Playback fetch against the sequential lower bound.
//!
//! A 7-day history at a 10 s interval (60 480 points) behind 40 ms of injected latency per
//! request: fetched with the default options (concurrent windows), then one page at a time as the
//! spec describes. Prints wall time, pages, the sequential lower bound (pages x latency) and the
//! ratios. Run: `cargo bench -p etrack --bench playback`.
#![allow(clippy::unwrap_used)]

use etrack::{Client, FetchOptions, PasswordHash, TimeRange};
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
    .expect("the simulator starts");
    let imei: etrack::Imei = sim.imeis()[0].parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let end = now - now % 3600;
    let begin = end - DAYS * 86_400;
    let points: Vec<(f64, f64, i64, i64, i64)> = (0..DAYS * 86_400 / INTERVAL)
        .map(|i| {
            (
                113.9 + (i % 5000) as f64 * 1e-5,
                22.58,
                begin + i * INTERVAL,
                40,
                90,
            )
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

    let run = |opts: FetchOptions| {
        let client = client.clone();
        let imei = imei.clone();
        let sim = sim.clone();
        async move {
            sim.clear_log();
            let started = Instant::now();
            let got = client
                .playback_with(&imei, range, &opts, &|_| {})
                .await
                .unwrap();
            let wall = started.elapsed();
            let pages = sim
                .request_log()
                .iter()
                .filter(|r| r.path == "/api/playback")
                .count() as u32;
            assert_eq!(got.len(), expected, "every point once");
            (wall, pages)
        }
    };

    let (wall, pages) = run(FetchOptions::default()).await;
    let (seq_wall, seq_pages) = run(FetchOptions {
        concurrency: 1,
        window_secs: Some(range.secs()),
        ..FetchOptions::default()
    })
    .await;

    let bound = LATENCY * pages;
    let seq_bound = LATENCY * seq_pages;
    println!("playback: {DAYS} days at {INTERVAL} s = {expected} points, {LATENCY:?} latency per request");
    println!("concurrent windows (default options: concurrency 4, 9000 s windows):");
    println!("  wall time                 {wall:>10.3?}");
    println!("  pages                     {pages:>10}");
    println!("  sequential lower bound    {bound:>10.3?}  (pages x latency)");
    println!(
        "  ratio                     {:>10.2}x  (lower bound / wall time)",
        bound.as_secs_f64() / wall.as_secs_f64()
    );
    println!("spec's sequential paging (one page after another, 1000 records each):");
    println!("  wall time                 {seq_wall:>10.3?}");
    println!("  pages                     {seq_pages:>10}");
    println!("  sequential lower bound    {seq_bound:>10.3?}  (pages x latency)");
    println!(
        "speed-up over the spec's paging: {:.2}x measured, {:.2}x against its lower bound",
        seq_wall.as_secs_f64() / wall.as_secs_f64(),
        seq_bound.as_secs_f64() / wall.as_secs_f64()
    );
    sim.shutdown();
}
