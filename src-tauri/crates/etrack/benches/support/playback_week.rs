//! What the playback benchmarks share: a simulated provider with 40 ms of latency per request and
//! a week of fixes 10 s apart for one device, a signed-in client, and the report of a fetch against
//! the sequential lower bound (pages x latency).
//!
//! Used by `cargo bench -p etrack --bench playback` (the client alone) and by the desktop app's
//! `playback_fetch` example (the app's load path), so both measure the same history.

use etrack::{Client, Imei, PasswordHash, TimeRange};
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::time::Duration;

/// Latency the simulator adds to every request.
pub const LATENCY: Duration = Duration::from_millis(40);
/// Days of history.
pub const DAYS: i64 = 7;
/// Seconds between two fixes.
pub const INTERVAL: i64 = 10;

/// The provider, the device and its week.
pub struct Week {
    /// The simulator (its request log counts the pages).
    pub sim: SimHandle,
    /// A client signed in to it.
    pub client: Client,
    /// The device.
    pub imei: Imei,
    /// The week, ending at the last full hour.
    pub range: TimeRange,
    /// Fixes in the week.
    pub points: usize,
}

impl Week {
    /// Starts the simulator, gives the first device its week and signs in.
    pub async fn start() -> Self {
        let sim = etrack_sim::spawn(SimConfig {
            latency: LATENCY,
            ..SimConfig::default()
        })
        .await
        .expect("the simulator starts");
        let imei: Imei = sim.imeis()[0]
            .parse()
            .expect("the simulator's IMEIs are valid");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("the clock is after 1970")
            .as_secs() as i64;
        let end = now - now % 3600;
        let begin = end - DAYS * 86_400;
        let fixes: Vec<(f64, f64, i64, i64, i64)> = (0..DAYS * 86_400 / INTERVAL)
            .map(|i| {
                let lon = 113.9 + (i % 5000) as f64 * 1e-5;
                (lon, 22.58, begin + i * INTERVAL, 40, 90)
            })
            .collect();
        let points = fixes.len();
        sim.set_history(imei.as_str(), fixes);
        let client = Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
            .base_url(sim.base_url())
            .build()
            .expect("a valid client");
        client.authorize().await.expect("the demo account signs in");
        Self {
            range: TimeRange::new(begin, end).expect("a week is a valid range"),
            sim,
            client,
            imei,
            points,
        }
    }

    /// `/api/playback` requests since the log was last cleared.
    pub fn pages(&self) -> u32 {
        let n = self
            .sim
            .request_log()
            .iter()
            .filter(|r| r.path == "/api/playback")
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Prints a fetch's wall time and pages against the sequential lower bound.
pub fn print_against_bound(wall: Duration, pages: u32) {
    let bound = LATENCY * pages;
    println!("  wall time                 {wall:>10.3?}");
    println!("  pages                     {pages:>10}");
    println!("  sequential lower bound    {bound:>10.3?}  (pages x latency)");
    println!(
        "  ratio                     {:>10.2}x  (lower bound / wall time)",
        bound.as_secs_f64() / wall.as_secs_f64()
    );
}
