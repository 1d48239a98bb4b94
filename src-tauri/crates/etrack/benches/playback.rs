//! Playback fetch against the spec's sequential paging, at 40 ms of latency per request.
//!
//! Three histories of one device, fetched with the default (adaptive) options and then one page
//! after the other as the spec describes:
//! - 7 days of fixes 10 s apart (60 480 points): wall time against the sequential lower bound
//!   (pages x latency); target at most 0.30 of it;
//! - a month in which the vehicle reports on 3 days only: requests against the sequential pages;
//!   target at most 16 more;
//! - an empty month: target 1 request.
//!
//! Prints figures; asserts only that every point arrives once. Run:
//! `cargo bench -p etrack --bench playback`.

#[path = "support/playback_week.rs"]
mod playback_week;

use etrack::{FetchOptions, TimeRange};
use playback_week::{print_against_bound, Week, DAYS, INTERVAL, LATENCY};
use std::time::{Duration, Instant};

/// Fetches `range` with `opts`: wall time and requests.
async fn fetch(
    week: &Week,
    range: TimeRange,
    points: usize,
    opts: FetchOptions,
) -> (Duration, u32) {
    week.sim.clear_log();
    let started = Instant::now();
    let got = week
        .client
        .playback_with(&week.imei, range, &opts, &|_| {})
        .await
        .expect("the history is fetched");
    let wall = started.elapsed();
    assert_eq!(got.len(), points, "every point once");
    (wall, week.pages())
}

/// The spec's paging: one page after another over the whole range.
fn sequential(range: TimeRange) -> FetchOptions {
    FetchOptions {
        concurrency: 1,
        window_secs: Some(range.secs()),
        ..FetchOptions::default()
    }
}

/// Fixes 10 s apart over `[begin, begin + secs)`.
fn fixes(begin: i64, secs: i64) -> Vec<(f64, f64, i64, i64, i64)> {
    (0..secs / INTERVAL)
        .map(|i| {
            let lon = 113.9 + (i % 5000) as f64 * 1e-5;
            (lon, 22.58, begin + i * INTERVAL, 40, 90)
        })
        .collect()
}

#[tokio::main]
async fn main() {
    let week = Week::start().await;

    // 1. A week of 10 s fixes.
    let (wall, pages) = fetch(&week, week.range, week.points, FetchOptions::default()).await;
    let (seq_wall, seq_pages) = fetch(&week, week.range, week.points, sequential(week.range)).await;
    let bound = LATENCY * seq_pages;
    println!(
        "1. {DAYS} days at {INTERVAL} s = {} points, {LATENCY:?} latency per request",
        week.points
    );
    println!("adaptive (default options: probe, then a sliding window of open-ended requests):");
    print_against_bound(wall, pages);
    println!("spec's sequential paging (one page after another, 1000 records each):");
    print_against_bound(seq_wall, seq_pages);
    println!(
        "  => wall time {:.2} of the sequential bound ({} pages x {LATENCY:?} = {bound:.3?}); target <= 0.30",
        wall.as_secs_f64() / bound.as_secs_f64(),
        seq_pages
    );

    // 2. A month in which the vehicle reports on 3 days only (days 3, 14 and 27).
    let month_end = week.range.end();
    let month = TimeRange::new(month_end - 30 * 86_400, month_end).expect("a month");
    let mut sparse = Vec::new();
    for day in [3, 14, 27] {
        sparse.extend(fixes(month.begin() + day * 86_400, 86_400));
    }
    let sparse_points = sparse.len();
    week.sim.set_history(week.imei.as_str(), sparse);
    let (wall, pages) = fetch(&week, month, sparse_points, FetchOptions::default()).await;
    let (seq_wall, seq_pages) = fetch(&week, month, sparse_points, sequential(month)).await;
    println!("\n2. a month in which the vehicle reports on 3 days only: {sparse_points} points");
    println!("  adaptive      {pages:>4} requests  {wall:>10.3?}");
    println!("  sequential    {seq_pages:>4} requests  {seq_wall:>10.3?}");
    println!(
        "  => {} requests more than the spec's paging; target <= 16",
        i64::from(pages) - i64::from(seq_pages)
    );

    // 3. An empty month (a vehicle parked all month reports nothing).
    week.sim.set_history(week.imei.as_str(), Vec::new());
    let (wall, pages) = fetch(&week, month, 0, FetchOptions::default()).await;
    println!("\n3. an empty month");
    println!("  adaptive      {pages:>4} requests  {wall:>10.3?}  (target: 1 request)");
    week.sim.shutdown();
}
