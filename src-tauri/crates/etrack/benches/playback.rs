//! Playback fetch against the sequential lower bound.
//!
//! A 7-day history at a 10 s interval (60 480 points) behind 40 ms of injected latency per
//! request: fetched with the default options (concurrent windows), then one page at a time as the
//! spec describes. Prints wall time, pages, the sequential lower bound (pages x latency) and the
//! ratios. Run: `cargo bench -p etrack --bench playback`.

#[path = "support/playback_week.rs"]
mod playback_week;

use etrack::FetchOptions;
use playback_week::{print_against_bound, Week, DAYS, INTERVAL, LATENCY};
use std::time::{Duration, Instant};

/// Fetches the week with `opts`: wall time and pages.
async fn fetch(week: &Week, opts: FetchOptions) -> (Duration, u32) {
    week.sim.clear_log();
    let started = Instant::now();
    let got = week
        .client
        .playback_with(&week.imei, week.range, &opts, &|_| {})
        .await
        .expect("the week is fetched");
    let wall = started.elapsed();
    assert_eq!(got.len(), week.points, "every point once");
    (wall, week.pages())
}

#[tokio::main]
async fn main() {
    let week = Week::start().await;
    let (wall, pages) = fetch(&week, FetchOptions::default()).await;
    let (seq_wall, seq_pages) = fetch(
        &week,
        FetchOptions {
            concurrency: 1,
            window_secs: Some(week.range.secs()),
            ..FetchOptions::default()
        },
    )
    .await;

    println!(
        "playback: {DAYS} days at {INTERVAL} s = {} points, {LATENCY:?} latency per request",
        week.points
    );
    println!("concurrent windows (default options: concurrency 4, 9000 s windows):");
    print_against_bound(wall, pages);
    println!("spec's sequential paging (one page after another, 1000 records each):");
    print_against_bound(seq_wall, seq_pages);
    let seq_bound = LATENCY * seq_pages;
    println!(
        "speed-up over the spec's paging: {:.2}x measured, {:.2}x against its lower bound",
        seq_wall.as_secs_f64() / wall.as_secs_f64(),
        seq_bound.as_secs_f64() / wall.as_secs_f64()
    );
    week.sim.shutdown();
}
