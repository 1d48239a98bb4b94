//! How long one live refresh of a 500-device demo fleet takes in the backend: the `/api/track`
//! batches through the client plus the serialisation of the `live-update` payload, as the app's
//! poller does it. Prints figures; asserts nothing.
//!
//! ```text
//! cargo run -p etrack-app --release --example live_bench -- [--devices 500] [--rounds 20] [--latency-ms 0]
//! ```
#![allow(clippy::unwrap_used)]

use etrack::{Client, PasswordHash};
use etrack_app::live::{EventSink, LiveHandle, LiveStatus, LiveTiming, LiveUpdate};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// What one refresh cost.
struct Sample {
    batches_ms: f64,
    serialise_ms: f64,
    bytes: usize,
    tracks: usize,
    wall_ms: f64,
}

/// Serialises the payload as the webview event does, and reports the costs.
struct MeasuringSink(mpsc::UnboundedSender<(f64, f64, usize, usize)>);

impl EventSink for MeasuringSink {
    fn live_update(&self, update: &LiveUpdate) {
        let started = Instant::now();
        let json = serde_json::to_string(update).unwrap();
        let serialise_ms = started.elapsed().as_secs_f64() * 1000.0;
        let _ = self.0.send((
            update.duration_ms,
            serialise_ms,
            json.len(),
            update.tracks.len(),
        ));
    }
    fn live_status(&self, _: &LiveStatus) {}
}

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn stats(label: &str, mut v: Vec<f64>) {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let mean = v.iter().sum::<f64>() / n as f64;
    println!(
        "  {label:<32} min {:>8.2}  median {:>8.2}  mean {:>8.2}  max {:>8.2}",
        v[0],
        v[n / 2],
        mean,
        v[n - 1]
    );
}

#[tokio::main]
async fn main() {
    let devices = arg("--devices", 500) as usize;
    let rounds = arg("--rounds", 20).max(1) as usize;
    let latency = Duration::from_millis(arg("--latency-ms", 0));

    let sim = etrack_sim::spawn(etrack_sim::SimConfig {
        devices,
        latency,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::builder(
        etrack_sim::DEMO_ACCOUNT,
        PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .build()
    .unwrap();
    client.authorize().await.unwrap();

    let (tx, mut rx) = mpsc::unbounded_channel();
    // A long interval: every refresh after the first is triggered here, one at a time.
    let timing = LiveTiming::with_interval(Duration::from_secs(3600));
    let live = LiveHandle::start(client, timing, Arc::new(MeasuringSink(tx)), None);
    let first = rx.recv().await.unwrap(); // includes the device list: not counted

    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        live.refresh_now();
        let (batches_ms, serialise_ms, bytes, tracks) = rx.recv().await.unwrap();
        samples.push(Sample {
            batches_ms,
            serialise_ms,
            bytes,
            tracks,
            wall_ms: started.elapsed().as_secs_f64() * 1000.0,
        });
    }
    live.stop();
    sim.shutdown();

    println!(
        "live refresh of a {}-device demo fleet ({} tracks, {} batches of <= 100), {} rounds, provider latency {:?}:",
        devices,
        first.3,
        devices.div_ceil(100),
        rounds,
        latency
    );
    stats(
        "track batches (ms)",
        samples.iter().map(|s| s.batches_ms).collect(),
    );
    stats(
        "payload serialise (ms)",
        samples.iter().map(|s| s.serialise_ms).collect(),
    );
    stats(
        "refresh, trigger to event (ms)",
        samples.iter().map(|s| s.wall_ms).collect(),
    );
    let last = samples.last().unwrap();
    println!(
        "  payload: {} tracks, {:.1} KiB of JSON per live-update",
        last.tracks,
        last.bytes as f64 / 1024.0
    );
}
