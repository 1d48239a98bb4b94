//! Playback review against etrack-sim over loopback HTTP: progress, the session's memory,
//! cancelling, a failure midway, a device without data, and the four export formats; then the
//! same through the session's stored history (a period seen before costs no request, also with
//! the provider stopped; a store that fails falls back to the provider).
#![allow(clippy::unwrap_used)]

use etrack::export::Format;
use etrack::{Client, Imei, PasswordHash, RetryPolicy, TimeRange};
use etrack_app::datum;
use etrack_app::error::ErrorKind;
use etrack_app::gate::Gate;
use etrack_app::history::{self, HistoryStore};
use etrack_app::playback::{HistoryKey, PlaybackProgress, PlaybackService};
use etrack_app::session::{SessionInfo, SignedIn};
use etrack_app::settings::Datum;
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::sync::{Arc, Mutex};
use std::time::Duration;

struct Env {
    sim: SimHandle,
    client: Client,
    session: SignedIn,
    service: PlaybackService,
    _dir: Option<tempfile::TempDir>,
}

/// [`env`] whose session has a stored history (in a temporary folder).
async fn stored_env() -> Env {
    let mut e = env().await;
    let dir = tempfile::tempdir().unwrap();
    let path = history::path_for(dir.path(), &e.sim.base_url(), DEMO_ACCOUNT);
    e.session.history = Some(HistoryStore::open(path, 100 << 20).unwrap());
    e._dir = Some(dir);
    e
}

/// A session without a stored history: everything comes from the provider.
async fn env() -> Env {
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
    let session = SignedIn {
        info: SessionInfo {
            account: DEMO_ACCOUNT.into(),
            provider_url: sim.base_url(),
            demo: true,
            remembered: false,
        },
        client: client.clone(),
        gate: Gate::new(),
        history: None,
    };
    Env {
        sim,
        client,
        session,
        service: PlaybackService::new(),
        _dir: None,
    }
}

/// A whole past day, ending at the last full hour before now.
fn past_day(days: i64) -> TimeRange {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let end = now - now % 3600 - 3600;
    TimeRange::new(end - days * 86_400, end).unwrap()
}

/// The demo's first device: an online taxi reporting every 10 s.
fn taxi(sim: &SimHandle) -> Imei {
    sim.imeis()[0].parse().unwrap()
}

type Seen = Arc<Mutex<Vec<PlaybackProgress>>>;

fn recorder() -> (Seen, impl Fn(PlaybackProgress) + Send + Sync) {
    let seen: Seen = Arc::default();
    let s = seen.clone();
    (seen, move |p| s.lock().unwrap().push(p))
}

fn playback_requests(sim: &SimHandle) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.path == "/api/playback")
        .count()
}

/// Half a day of history: where the cancel and failure tests cut a load short.
const HALF_DAY: i64 = 43_200;

#[tokio::test]
async fn a_day_loads_with_progress_to_the_end_and_matches_the_provider() {
    let e = env().await;
    let imei = taxi(&e.sim);
    let range = past_day(1);
    let (seen, progress) = recorder();
    let loaded = e
        .service
        .load(&e.session, 7, &imei, range, &progress)
        .await
        .unwrap();
    assert!(loaded.complete && loaded.error.is_none());
    assert!(!loaded.from_cache);
    // A 10 s device over a day: about 8640 points.
    assert!((8_000..=8_700).contains(&loaded.count), "{}", loaded.count);
    assert_eq!(loaded.pages as usize, playback_requests(&e.sim));

    let direct = etrack::export::playback_in_order(e.client.playback(&imei, range).await.unwrap());
    let key = HistoryKey::new(&e.session.info, &imei, range);
    let history = e.service.history(&key).unwrap();
    assert_eq!(history.points, direct, "the same points as a plain fetch");
    assert!(history
        .points
        .windows(2)
        .all(|w| w[0].gpstime < w[1].gpstime));

    let seen = seen.lock().unwrap();
    assert!(
        seen.len() >= 10,
        "a progress event per page: {}",
        seen.len()
    );
    assert!(seen
        .iter()
        .all(|p| p.request_id == 7 && p.total_secs == range.secs()));
    assert!(seen
        .windows(2)
        .all(|w| w[1].covered_secs >= w[0].covered_secs));
    let last = seen.last().unwrap();
    assert_eq!(last.covered_secs, range.secs(), "the bar reaches the end");
    assert_eq!(last.records, loaded.count);
}

#[tokio::test]
async fn reopening_the_same_period_is_served_from_memory_until_sign_out() {
    let e = env().await;
    let imei = taxi(&e.sim);
    let range = past_day(1);
    let first = e
        .service
        .load(&e.session, 1, &imei, range, &|_| {})
        .await
        .unwrap();
    e.sim.clear_log();
    let (seen, progress) = recorder();
    let again = e
        .service
        .load(&e.session, 2, &imei, range, &progress)
        .await
        .unwrap();
    assert!(again.from_cache);
    assert_eq!(again.count, first.count);
    assert_eq!(again.alarms, first.alarms);
    assert_eq!(
        playback_requests(&e.sim),
        0,
        "nothing asked of the provider"
    );
    assert_eq!(
        seen.lock().unwrap().last().map(|p| p.covered_secs),
        Some(range.secs()),
        "the bar is full at once"
    );

    // Another account's session does not see this history.
    let other = SessionInfo {
        account: "demo-east".into(),
        ..e.session.info.clone()
    };
    assert!(e
        .service
        .history(&HistoryKey::new(&other, &imei, range))
        .is_none());

    e.service.clear();
    assert_eq!(e.service.cached_points(), 0);
    let after = e
        .service
        .load(&e.session, 3, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(!after.from_cache);
    assert!(
        playback_requests(&e.sim) > 0,
        "fetched again after sign-out"
    );
}

#[tokio::test]
async fn cancelling_stops_the_fetch_and_keeps_what_arrived() {
    let e = env().await;
    e.sim.set_latency(Duration::from_millis(60));
    let imei = taxi(&e.sim);
    let range = past_day(7);
    let service = Arc::new(e.service);
    let canceller = service.clone();
    // Cancel once half a day is in: what arrived before must stay usable.
    let piece = HALF_DAY;
    let progress = move |p: PlaybackProgress| {
        if p.covered_secs >= piece {
            canceller.cancel(p.request_id);
        }
    };
    let started = std::time::Instant::now();
    let loaded = service
        .load(&e.session, 9, &imei, range, &progress)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped early: {:?}",
        started.elapsed()
    );
    assert!(!loaded.complete);
    let error = loaded.error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert!(
        error.message.starts_with("Cancelled. Showing the "),
        "{}",
        error.message
    );
    // At least the first page (the probe's 1000 records, less the ones on its last second, which
    // the next page repeats).
    assert!(
        loaded.count >= 900,
        "the points before the cancel are kept: {}",
        loaded.count
    );
    assert!(loaded.covered_secs >= 3600 && loaded.covered_secs < range.secs());
    // Requests already on their way when the load was cancelled reach the provider's log within
    // its latency; none may follow them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let requests = playback_requests(&e.sim);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        playback_requests(&e.sim),
        requests,
        "no request after the cancel"
    );

    // An incomplete history is fetched again next time, not served from memory.
    e.sim.set_latency(Duration::ZERO);
    let again = service
        .load(&e.session, 10, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(again.complete && !again.from_cache);
    assert!(again.count > loaded.count);
}

#[tokio::test]
async fn a_load_still_running_when_the_session_ends_reports_nothing_more_and_keeps_nothing() {
    let e = env().await;
    e.sim.set_latency(Duration::from_millis(60));
    let imei = taxi(&e.sim);
    let range = past_day(3);
    let (seen, progress) = recorder();
    // The user signs out once the bar has started to move.
    let sign_out = async {
        while seen.lock().unwrap().is_empty() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        e.session.gate.close();
        seen.lock().unwrap().len()
    };
    let (loaded, shown) = tokio::join!(
        e.service.load(&e.session, 11, &imei, range, &progress),
        sign_out
    );
    let loaded = loaded.unwrap();
    assert!(
        loaded.pages > 5,
        "the load went on after the sign-out: {}",
        loaded.pages
    );
    assert_eq!(
        seen.lock().unwrap().len(),
        shown,
        "no progress after the session ended"
    );
    assert!(e
        .service
        .history(&HistoryKey::new(&e.session.info, &imei, range))
        .is_none());
    assert_eq!(
        e.service.cached_points(),
        0,
        "nothing kept for a signed-out session"
    );
}

#[tokio::test]
async fn a_failure_midway_keeps_the_points_fetched_with_a_clear_message() {
    let e = env().await;
    let imei = taxi(&e.sim);
    let range = past_day(3);
    let sim = e.sim.clone();
    let progress = move |p: PlaybackProgress| {
        if p.covered_secs >= HALF_DAY {
            // The provider goes down after half a day has arrived.
            sim.set_server_error_share(1.0);
        }
    };
    let loaded = e
        .service
        .load(&e.session, 4, &imei, range, &progress)
        .await
        .unwrap();
    assert!(!loaded.complete);
    let error = loaded.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Http);
    assert!(error.message.contains("HTTP 500"), "{}", error.message);
    assert!(error
        .message
        .contains(&format!("Showing the {} points", loaded.count)));
    assert!(loaded.count > 0);

    // Nothing fetched at all: the load fails with the reason.
    let failed = e
        .service
        .load(&e.session, 5, &imei, past_day(2), &|_| {})
        .await
        .unwrap_err();
    assert_eq!(failed.kind(), ErrorKind::Http);
}

#[tokio::test]
async fn a_device_that_was_never_online_has_an_empty_history() {
    let e = env().await;
    let imeis: Vec<Imei> = e.sim.imeis().iter().map(|i| i.parse().unwrap()).collect();
    let tracks = e.client.track(&imeis).await.unwrap();
    let never = tracks.iter().find(|t| t.datastatus == 1).unwrap();
    let loaded = e
        .service
        .load(
            &e.session,
            6,
            &never.imei.parse().unwrap(),
            past_day(1),
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(loaded.count, 0);
    assert!(
        loaded.complete,
        "no data (20023) is an answer, not a failure"
    );
}

#[tokio::test]
async fn exports_write_every_loaded_point_in_each_format() {
    let e = env().await;
    let imei = taxi(&e.sim);
    let range = past_day(1);
    let loaded = e
        .service
        .load(&e.session, 8, &imei, range, &|_| {})
        .await
        .unwrap();
    let key = HistoryKey::new(&e.session.info, &imei, range);
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let path = dir.path().join(format!("route.{}", format.extension()));
        let done = e
            .service
            .export(&key, format, "Taxi 1", path.clone(), Datum::Wgs84)
            .await
            .unwrap();
        assert_eq!(done.points, loaded.count);
        let text = std::fs::read_to_string(&path).unwrap();
        let written = match format {
            Format::Gpx => text.matches("<trkpt ").count(),
            Format::Csv => text.lines().count() - 1,
            Format::Kml => text
                .split("<coordinates>")
                .nth(1)
                .unwrap()
                .split("</coordinates>")
                .next()
                .unwrap()
                .split_whitespace()
                .count(),
            Format::Geojson => {
                let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                v["features"][0]["geometry"]["coordinates"]
                    .as_array()
                    .unwrap()
                    .len()
            }
        };
        assert_eq!(written, loaded.count, "{format:?}");
    }
    let missing = HistoryKey::new(&e.session.info, &imei, past_day(2));
    let err = e
        .service
        .export(
            &missing,
            Format::Gpx,
            "x",
            dir.path().join("x.gpx"),
            Datum::Wgs84,
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
}

#[tokio::test]
async fn exports_are_wgs84_whatever_datum_the_provider_reports_in() {
    let e = env().await;
    let imei = taxi(&e.sim);
    let range = past_day(1);
    e.service
        .load(&e.session, 9, &imei, range, &|_| {})
        .await
        .unwrap();
    let key = HistoryKey::new(&e.session.info, &imei, range);
    let stored = e.service.history(&key).unwrap();
    assert!(!stored.points.is_empty());
    let dir = tempfile::tempdir().unwrap();
    for provider in [Datum::Wgs84, Datum::Gcj02] {
        let expected: Vec<(f64, f64)> = stored
            .points
            .iter()
            .map(|p| match provider {
                Datum::Wgs84 => (p.latitude, p.longitude),
                Datum::Gcj02 => datum::gcj02_to_wgs84(p.latitude, p.longitude),
            })
            .collect();
        if provider == Datum::Gcj02 {
            let (lat, lon) = (stored.points[0].latitude, stored.points[0].longitude);
            assert!(
                (expected[0].0 - lat).abs() > 1e-4,
                "the sim's points are in China, where the datums differ"
            );
            assert!((expected[0].1 - lon).abs() > 1e-4);
        }
        let csv = dir.path().join("route.csv");
        e.service
            .export(&key, Format::Csv, "Taxi 1", csv.clone(), provider)
            .await
            .unwrap();
        let text = std::fs::read_to_string(&csv).unwrap();
        let written: Vec<(f64, f64)> = text
            .lines()
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f[2].parse().unwrap(), f[1].parse().unwrap())
            })
            .collect();
        let json = dir.path().join("route.geojson");
        e.service
            .export(&key, Format::Geojson, "Taxi 1", json.clone(), provider)
            .await
            .unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let coords = v["features"][0]["geometry"]["coordinates"]
            .as_array()
            .unwrap();
        assert_eq!(written.len(), expected.len(), "{provider:?}");
        assert_eq!(coords.len(), expected.len(), "{provider:?}");
        for ((w, c), x) in written.iter().zip(coords).zip(&expected) {
            let c = (c[1].as_f64().unwrap(), c[0].as_f64().unwrap());
            for got in [*w, c] {
                assert!(
                    (got.0 - x.0).abs() < 1e-7 && (got.1 - x.1).abs() < 1e-7,
                    "{provider:?}: {got:?} vs {x:?}"
                );
            }
        }
    }
}

/// Requests of `path` the provider received.
fn requests_of(sim: &SimHandle, path: &str) -> usize {
    sim.request_log().iter().filter(|r| r.path == path).count()
}

/// A past day that ends well before the hours always asked again.
fn settled_day() -> TimeRange {
    let r = past_day(1);
    TimeRange::new(r.begin() - 86_400, r.end() - 86_400).unwrap()
}

#[tokio::test]
async fn a_period_seen_before_comes_from_the_stored_history_without_a_request_even_offline() {
    let e = stored_env().await;
    let imei = taxi(&e.sim);
    let range = settled_day();
    let first = e
        .service
        .load(&e.session, 1, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(first.complete && !first.from_cache);
    assert!(first.pages > 0 && first.count > 8_000, "{first:?}");
    let direct = etrack::export::playback_in_order(e.client.playback(&imei, range).await.unwrap());
    let key = HistoryKey::new(&e.session.info, &imei, range);
    assert_eq!(e.service.history(&key).unwrap().points, direct);

    // Signed out and in again: the memory is gone, the store is not.
    e.service.clear();
    e.sim.clear_log();
    let (seen, progress) = recorder();
    let started = std::time::Instant::now();
    let again = e
        .service
        .load(&e.session, 2, &imei, range, &progress)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(again.complete && again.from_cache, "{again:?}");
    assert_eq!((again.count, again.pages), (first.count, 0));
    assert_eq!(again.alarms, first.alarms);
    assert_eq!(
        requests_of(&e.sim, "/api/playback"),
        0,
        "no playback request"
    );
    assert_eq!(
        requests_of(&e.sim, "/api/alarm/list"),
        0,
        "no alarm request"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.last().map(|p| (p.request_id, p.covered_secs)),
        Some((2, range.secs()))
    );
    assert_eq!(e.service.history(&key).unwrap().points, direct);

    // The provider stopped: the stored period is still shown.
    e.sim.shutdown();
    e.service.clear();
    let offline = e
        .service
        .load(&e.session, 3, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(offline.complete && offline.from_cache);
    assert_eq!(offline.count, first.count);
}

#[tokio::test]
async fn through_the_store_a_cancel_keeps_what_arrived_and_the_next_load_asks_only_the_rest() {
    let e = stored_env().await;
    e.sim.set_latency(Duration::from_millis(60));
    let imei = taxi(&e.sim);
    let range = past_day(7);
    let service = Arc::new(e.service);
    let canceller = service.clone();
    let progress = move |p: PlaybackProgress| {
        if p.covered_secs >= HALF_DAY {
            canceller.cancel(p.request_id);
        }
    };
    let loaded = service
        .load(&e.session, 9, &imei, range, &progress)
        .await
        .unwrap();
    assert!(!loaded.complete);
    let error = loaded.error.clone().unwrap();
    assert_eq!(error.kind, ErrorKind::Cancelled);
    assert!(
        error.message.starts_with("Cancelled. Showing the "),
        "{}",
        error.message
    );
    assert!(loaded.count >= 900, "{}", loaded.count);
    assert!(loaded.covered_secs >= 3600 && loaded.covered_secs < range.secs());

    tokio::time::sleep(Duration::from_millis(300)).await;
    e.sim.set_latency(Duration::ZERO);
    e.sim.clear_log();
    let again = service
        .load(&e.session, 10, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(again.complete && !again.from_cache, "{again:?}");
    assert!(again.count > loaded.count);
    let first_asked = e
        .sim
        .request_log()
        .iter()
        .filter(|r| r.path == "/api/playback")
        .filter_map(|r| r.params.iter().find(|(k, _)| k == "begintime"))
        .filter_map(|(_, v)| v.parse::<i64>().ok())
        .min()
        .unwrap();
    assert!(
        first_asked >= range.begin() + 3600,
        "the stored start is not asked again: {first_asked} vs {}",
        range.begin()
    );
}

#[tokio::test]
async fn through_the_store_a_failure_midway_keeps_the_points_with_the_same_message() {
    let e = stored_env().await;
    let imei = taxi(&e.sim);
    let range = past_day(3);
    let sim = e.sim.clone();
    let progress = move |p: PlaybackProgress| {
        if p.covered_secs >= HALF_DAY {
            sim.set_server_error_share(1.0);
        }
    };
    let loaded = e
        .service
        .load(&e.session, 4, &imei, range, &progress)
        .await
        .unwrap();
    assert!(!loaded.complete && loaded.count > 0);
    let error = loaded.error.unwrap();
    assert_eq!(error.kind, ErrorKind::Http);
    assert!(error.message.contains("HTTP 500"), "{}", error.message);
    assert!(
        error
            .message
            .contains(&format!("Showing the {} points", loaded.count)),
        "{}",
        error.message
    );
    assert!(!error.message.contains("stored part"), "{}", error.message);

    // The provider is back: the rest arrives, the stored part is not asked again.
    e.sim.set_server_error_share(0.0);
    let again = e
        .service
        .load(&e.session, 5, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(again.complete, "{again:?}");
    let direct = e.client.playback(&imei, range).await.unwrap();
    assert_eq!(again.count, etrack::export::playback_in_order(direct).len());
}

#[tokio::test]
async fn a_store_that_fails_falls_back_to_the_provider() {
    let e = stored_env().await;
    let imei = taxi(&e.sim);
    let range = settled_day();
    // Another process damages the open database: its tables are gone.
    let store = e.session.history.clone().unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute_batch("DROP TABLE fetched; DROP TABLE days;")
        .unwrap();
    drop(conn);
    e.sim.clear_log();
    let loaded = e
        .service
        .load(&e.session, 6, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(loaded.complete && !loaded.from_cache, "{loaded:?}");
    let direct = etrack::export::playback_in_order(e.client.playback(&imei, range).await.unwrap());
    assert_eq!(loaded.count, direct.len());
    assert!(requests_of(&e.sim, "/api/playback") > 0);
    assert!(requests_of(&e.sim, "/api/alarm/list") > 0);
}
