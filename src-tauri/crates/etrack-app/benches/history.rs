//! The history store at fleet scale: a week of 10 s fixes for 50 vehicles (3 024 000 points),
//! written one vehicle-day at a time as fetches would store them, then read back one
//! vehicle-week at a time; the file's size and bytes per point; then the limit halved (eviction
//! and shrinking) and the store cleared.
//!
//! Prints figures; asserts only that every point comes back. Run:
//! `cargo bench -p etrack-app --bench history` (optimised), or add `--profile dev` for a quick
//! unoptimised run (SQLite itself is then compiled without optimisation too: slower).
#![allow(clippy::unwrap_used)]

use etrack::{Imei, PlaybackPoint, TimeRange};
use etrack_app::history::{HistoryStore, DAY_SECS};
use std::time::Instant;

const VEHICLES: u32 = 50;
const DAYS: i64 = 7;
const STEP: i64 = 10;
const T0: i64 = 1_700_006_400;

fn imei(n: u32) -> Imei {
    format!("35889905{n:07}").parse().unwrap()
}

/// A plausible drive: 6-decimal coordinates, whole speeds and courses (what providers send).
fn day(n: u32, d: i64) -> Vec<PlaybackPoint> {
    let b = T0 + d * DAY_SECS;
    (0..DAY_SECS / STEP)
        .map(|i| {
            let k = i + d * 8640;
            PlaybackPoint {
                longitude: ((113.9 + n as f64 * 0.01 + k as f64 * 3e-6) * 1e6).round() / 1e6,
                latitude: ((22.5 + (k as f64 * 0.001).sin() * 0.05) * 1e6).round() / 1e6,
                gpstime: b + i * STEP,
                speed: (i % 90) as f64,
                course: (i % 360) as f64,
            }
        })
        .collect()
}

fn file_len(p: &std::path::Path) -> u64 {
    let mut wal = p.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.sqlite");
    let store = HistoryStore::open(&path, u64::MAX).unwrap();
    let points = VEHICLES as u64 * DAYS as u64 * (DAY_SECS / STEP) as u64;

    let started = Instant::now();
    for d in 0..DAYS {
        for n in 0..VEHICLES {
            let b = T0 + d * DAY_SECS;
            store
                .put_points(&imei(n), (b, b + DAY_SECS), day(n, d))
                .await
                .unwrap();
        }
    }
    let write = started.elapsed();
    let size = store.size_bytes().await.unwrap();
    println!(
        "write: {points} points in {:.2} s ({:.0} points/s, {:.1} ms per vehicle-day)",
        write.as_secs_f64(),
        points as f64 / write.as_secs_f64(),
        write.as_secs_f64() * 1000.0 / (VEHICLES as f64 * DAYS as f64)
    );
    println!(
        "size: {:.1} MB ({:.1} MB on disk with the log), {:.1} bytes per point",
        mb(size),
        mb(file_len(&path)),
        size as f64 / points as f64
    );

    let week = TimeRange::new(T0, T0 + DAYS * DAY_SECS - 1).unwrap();
    let started = Instant::now();
    let mut read = 0usize;
    for n in 0..VEHICLES {
        read += store.points(&imei(n), week).await.unwrap().len();
    }
    let elapsed = started.elapsed();
    assert_eq!(read as u64, points, "every point comes back");
    println!(
        "read: {read} points in {:.2} s ({:.1} ms per vehicle-week of {} points)",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / VEHICLES as f64,
        read / VEHICLES as usize
    );

    let started = Instant::now();
    let evicted = store.set_limit(size / 2).await.unwrap();
    println!(
        "limit halved: {} vehicle-days removed in {:.2} s, {:.1} -> {:.1} MB (file {:.1} MB)",
        evicted.vehicle_days,
        started.elapsed().as_secs_f64(),
        mb(evicted.bytes_before),
        mb(evicted.bytes_after),
        mb(file_len(&path))
    );

    let started = Instant::now();
    store.clear().await.unwrap();
    println!(
        "cleared in {:.2} s: file {:.3} MB",
        started.elapsed().as_secs_f64(),
        mb(file_len(&path))
    );

    // The same points written vehicle after vehicle: each write appends to the vehicle's end of
    // the b-tree, so pages fill up (days interleaved split pages in the middle instead).
    store.set_limit(u64::MAX).await.unwrap();
    let started = Instant::now();
    for n in 0..VEHICLES {
        for d in 0..DAYS {
            let b = T0 + d * DAY_SECS;
            store
                .put_points(&imei(n), (b, b + DAY_SECS), day(n, d))
                .await
                .unwrap();
        }
    }
    let size = store.size_bytes().await.unwrap();
    println!(
        "written vehicle by vehicle: {:.2} s, {:.1} MB, {:.1} bytes per point",
        started.elapsed().as_secs_f64(),
        mb(size),
        size as f64 / points as f64
    );
}
