//! The stored history against etrack-sim over loopback HTTP: a stored period costs no request,
//! only the missing part and the recent hours are asked, a fetch cut short stores what it
//! covered, and offline the stored part is served.
#![allow(clippy::unwrap_used)]

use etrack::{Client, FetchOptions, Imei, PasswordHash, RetryPolicy, TimeRange};
use etrack_app::error::ErrorKind;
use etrack_app::history::{HistoryStore, Kind, DEFAULT_LIMIT_BYTES, RECENT_SECS};
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::time::Duration;

const DAY: i64 = 86_400;

struct Env {
    sim: SimHandle,
    client: Client,
    imei: Imei,
    store: HistoryStore,
    _dir: tempfile::TempDir,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The start of the UTC day `days` days before today's.
fn day_start(days: i64) -> i64 {
    let n = now();
    n - n.rem_euclid(DAY) - days * DAY
}

/// A sim whose first device has a fixed history (the demo fleet's depends on the clock and
/// keeps office hours): 10 s fixes over `[begin, end)`, some of them speeding.
async fn env(begin: i64, end: i64) -> Env {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let client = Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(sim.base_url())
        .retry(RetryPolicy {
            max_retries: 1,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
        })
        .build()
        .unwrap();
    client.authorize().await.unwrap();
    let imei: Imei = sim.imeis()[0].parse().unwrap();
    let history = (begin..end)
        .step_by(10)
        .enumerate()
        .map(|(i, t)| {
            let speed = if i % 700 < 30 { 130 } else { 50 };
            (113.9 + i as f64 * 1e-5, 22.58, t, speed, (i % 360) as i64)
        })
        .collect();
    sim.set_history(imei.as_str(), history);
    let dir = tempfile::tempdir().unwrap();
    let path = etrack_app::history::path_for(dir.path(), &sim.base_url(), DEMO_ACCOUNT);
    let store = HistoryStore::open(path, DEFAULT_LIMIT_BYTES).unwrap();
    Env {
        sim,
        client,
        imei,
        store,
        _dir: dir,
    }
}

fn requests(sim: &SimHandle, path: &str) -> Vec<etrack_sim::LoggedRequest> {
    sim.request_log()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn begintime(r: &etrack_sim::LoggedRequest) -> i64 {
    r.params
        .iter()
        .find(|(k, _)| k == "begintime")
        .unwrap()
        .1
        .parse()
        .unwrap()
}

fn opts() -> FetchOptions {
    FetchOptions::default()
}

#[tokio::test]
async fn a_stored_history_is_read_again_without_a_request() {
    let (b, e) = (day_start(5), day_start(3));
    let env = env(b, e).await;
    let range = TimeRange::new(b, e - 1).unwrap();
    let direct = env.client.playback(&env.imei, range).await.unwrap();
    let direct_alarms = env.client.alarms(&env.imei, range).await.unwrap();
    assert_eq!(direct.len(), 17_280);
    assert!(!direct_alarms.is_empty());

    env.sim.clear_log();
    let first = env
        .store
        .fetch_points(&env.client, &env.imei, range, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert!(first.complete(), "{:?}", first.error);
    assert_eq!(first.records, direct);
    assert!(first.pages >= 18, "{}", first.pages);
    let alarms = env
        .store
        .fetch_alarms(&env.client, &env.imei, range, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(alarms.records, direct_alarms);

    env.sim.clear_log();
    let progress = std::sync::Mutex::new(Vec::new());
    let again = env
        .store
        .fetch_points(&env.client, &env.imei, range, now(), &opts(), &|p| {
            progress.lock().unwrap().push(p)
        })
        .await
        .unwrap();
    let alarms_again = env
        .store
        .fetch_alarms(&env.client, &env.imei, range, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(env.sim.request_log().len(), 0, "no request at all");
    assert_eq!(again.records, direct);
    assert!(again.asked.is_empty() && again.pages == 0);
    assert_eq!(alarms_again.records, direct_alarms);
    let last = *progress.lock().unwrap().last().unwrap();
    assert_eq!(last.fraction(), 1.0);
}

#[tokio::test]
async fn only_the_missing_history_and_the_recent_hours_are_asked() {
    let (b, e) = (day_start(4), now() + 3600);
    let env = env(b, e).await;
    let first_day = TimeRange::new(b, b + DAY - 1).unwrap();
    env.store
        .fetch_points(&env.client, &env.imei, first_day, now(), &opts(), &|_| {})
        .await
        .unwrap();

    // Two days: only the second is asked.
    env.sim.clear_log();
    let two = TimeRange::new(b, b + 2 * DAY - 1).unwrap();
    let got = env
        .store
        .fetch_points(&env.client, &env.imei, two, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(got.records.len(), 2 * 8640);
    assert_eq!(got.asked, vec![(b + DAY, b + 2 * DAY)]);
    let asked = requests(&env.sim, "/api/playback");
    assert!(!asked.is_empty());
    assert!(asked.iter().all(|r| begintime(r) >= b + DAY));

    // Up to now: stored or not, the last three hours are asked again, and only they.
    let t = now();
    let to_now = TimeRange::new(b, t).unwrap();
    let full = env
        .store
        .fetch_points(&env.client, &env.imei, to_now, t, &opts(), &|_| {})
        .await
        .unwrap();
    assert!(full.complete());
    assert_eq!(
        full.records,
        env.client.playback(&env.imei, to_now).await.unwrap()
    );
    env.sim.clear_log();
    let again = env
        .store
        .fetch_points(&env.client, &env.imei, to_now, t, &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(again.records, full.records);
    assert_eq!(again.asked, vec![(t - RECENT_SECS, t + 1)]);
    let asked = requests(&env.sim, "/api/playback");
    assert!(!asked.is_empty());
    assert!(asked.iter().all(|r| begintime(r) >= t - RECENT_SECS));
    assert_eq!(
        env.store
            .missing(&env.imei, Kind::Points, to_now, t)
            .await
            .unwrap(),
        vec![(t - RECENT_SECS, t + 1)]
    );
}

#[tokio::test]
async fn a_history_fetch_cut_short_stores_only_the_stretch_it_covered() {
    let (b, e) = (day_start(6), day_start(3));
    let env = env(b, e).await;
    let range = TimeRange::new(b, e - 1).unwrap();
    let o = opts();
    let stop = o.cancel.clone();
    let cut = env
        .store
        .fetch_points(&env.client, &env.imei, range, now(), &o, &|p| {
            if p.records >= 5_000 {
                stop.cancel();
            }
        })
        .await
        .unwrap();
    assert_eq!(cut.error.as_ref().unwrap().kind(), ErrorKind::Cancelled);
    assert!(!cut.records.is_empty());
    let last = cut.records.last().unwrap().gpstime;
    assert_eq!(cut.records.len() as i64, (last - b) / 10 + 1, "no hole");
    let missing = env
        .store
        .missing(&env.imei, Kind::Points, range, now())
        .await
        .unwrap();
    assert_eq!(missing.len(), 1);
    assert!(
        missing[0].0 > last && missing[0].0 <= last + 10,
        "{missing:?}"
    );
    assert_eq!(cut.unfetched, missing);

    env.sim.clear_log();
    let rest = env
        .store
        .fetch_points(&env.client, &env.imei, range, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert!(rest.complete());
    assert_eq!(rest.records.len(), 3 * 8640);
    assert!(requests(&env.sim, "/api/playback")
        .iter()
        .all(|r| begintime(r) >= missing[0].0));
}

#[tokio::test]
async fn offline_stored_history_is_served_and_a_partly_stored_one_says_why() {
    let (b, e) = (day_start(5), day_start(3));
    let env = env(b, e).await;
    let day1 = TimeRange::new(b, b + DAY - 1).unwrap();
    let stored = env
        .store
        .fetch_points(&env.client, &env.imei, day1, now(), &opts(), &|_| {})
        .await
        .unwrap()
        .records;
    let stored_alarms = env
        .store
        .fetch_alarms(&env.client, &env.imei, day1, now(), &opts(), &|_| {})
        .await
        .unwrap()
        .records;
    assert_eq!(stored.len(), 8640);

    env.sim.shutdown();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let offline = env
        .store
        .fetch_points(&env.client, &env.imei, day1, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert!(offline.complete(), "{:?}", offline.error);
    assert_eq!(offline.records, stored);
    let offline_alarms = env
        .store
        .fetch_alarms(&env.client, &env.imei, day1, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert!(offline_alarms.complete());
    assert_eq!(offline_alarms.records, stored_alarms);

    let two = TimeRange::new(b, b + 2 * DAY - 1).unwrap();
    let partly = env
        .store
        .fetch_points(&env.client, &env.imei, two, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(partly.records, stored, "the stored part");
    let error = partly.error.expect("and why the rest is not there");
    assert_eq!(error.kind(), ErrorKind::Network);
    let words = error.to_string();
    assert!(
        words.starts_with("Showing only the stored part of the period: Cannot reach the provider"),
        "{words}"
    );
    assert_eq!(partly.unfetched, vec![(b + DAY, b + 2 * DAY)]);
    let partly_alarms = env
        .store
        .fetch_alarms(&env.client, &env.imei, two, now(), &opts(), &|_| {})
        .await
        .unwrap();
    assert_eq!(partly_alarms.records, stored_alarms);
    assert_eq!(partly_alarms.error.unwrap().kind(), ErrorKind::Network);
}
