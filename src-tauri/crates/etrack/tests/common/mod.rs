//! Shared set-up of the integration tests: a simulated provider on loopback and a client for it.
#![allow(dead_code, clippy::unwrap_used)]

use etrack::{Client, Imei, PasswordHash, RetryPolicy, TimeRange};
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A retry policy with the default attempt count but short pauses, so fault tests stay fast.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 5,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
    }
}

pub async fn sim_with(config: SimConfig) -> SimHandle {
    etrack_sim::spawn(config)
        .await
        .expect("the simulator starts")
}

pub async fn sim() -> SimHandle {
    sim_with(SimConfig::default()).await
}

pub fn client(sim: &SimHandle) -> Client {
    client_with(sim, quick_retries())
}

pub fn client_with(sim: &SimHandle, retry: RetryPolicy) -> Client {
    Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(format!("{}/", sim.base_url()))
        .retry(retry)
        .build()
        .expect("a valid client")
}

pub fn imeis(sim: &SimHandle) -> Vec<Imei> {
    sim.imeis().iter().map(|s| s.parse().unwrap()).collect()
}

/// The first device of the fleet that reports positions (some are never online or expired).
pub async fn driving_imei(sim: &SimHandle, client: &Client) -> Imei {
    let all = imeis(sim);
    let tracks = client.track(&all).await.unwrap();
    let t = tracks
        .iter()
        .find(|t| t.datastatus == 2 && t.gpstime > 0)
        .expect("at least one device online");
    t.imei.parse().unwrap()
}

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `days` days ending at the last full hour, so repeated fetches ask for the same range.
pub fn last_days(days: i64) -> TimeRange {
    let end = now() - now() % 3600;
    TimeRange::new(end - days * 86_400, end).unwrap()
}

/// Requests the sim received for `path`.
pub fn requests_to(sim: &SimHandle, path: &str) -> Vec<etrack_sim::LoggedRequest> {
    sim.request_log()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

pub fn param<'a>(r: &'a etrack_sim::LoggedRequest, name: &str) -> Option<&'a str> {
    r.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A synthetic history: `n` points `step` seconds apart from `t0`, each with a distinct position.
pub fn straight_history(t0: i64, n: usize, step: i64) -> Vec<(f64, f64, i64, i64, i64)> {
    (0..n)
        .map(|i| (113.9 + i as f64 * 1e-5, 22.58, t0 + i as i64 * step, 40, 90))
        .collect()
}
