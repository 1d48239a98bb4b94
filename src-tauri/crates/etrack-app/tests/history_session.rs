//! The stored history as the session wires it: one store per account at a provider (the demo
//! too), opened at sign-in and closed at sign-out, bounded by the settings, cleared on request;
//! a damaged file is told once, an unusable one leaves the session without a store.
#![allow(clippy::unwrap_used)]

mod common;

use etrack::TimeRange;
use etrack_app::error::ErrorKind;
use etrack_app::history;
use etrack_app::playback::PlaybackService;
use etrack_app::session::SessionManager;
use etrack_app::settings::Settings;
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::path::Path;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Six hours of yesterday's working day, well before the hours always asked again.
fn settled() -> TimeRange {
    let n = now();
    let day = n - n % 86_400 - 86_400;
    TimeRange::new(day + 2 * 3600, day + 8 * 3600).unwrap()
}

fn playback_requests(sim: &SimHandle) -> usize {
    sim.request_log()
        .iter()
        .filter(|r| r.path == "/api/playback")
        .count()
}

/// A quiet manager keeping its files under `dir` (settings in `dir`, the rest in `dir/data`).
fn manager(dir: &Path) -> SessionManager {
    common::quiet_manager(dir).with_data_dir(dir.join("data"))
}

async fn login(sessions: &SessionManager, sim: &SimHandle) {
    sessions
        .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_sign_in_opens_its_accounts_store_and_a_period_seen_before_costs_no_request() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sessions = manager(dir.path());
    assert!(sessions.history().await.is_none());
    let info = sessions.history_info().await.unwrap();
    assert_eq!((info.account, info.bytes), (None, 0));

    login(&sessions, &sim).await;
    let session = sessions.signed_in().await.unwrap();
    let store = session.history().unwrap();
    let expected = history::path_for(&dir.path().join("data"), &sim.base_url(), DEMO_ACCOUNT);
    assert_eq!(store.path(), expected);
    assert_eq!(store.limit(), 2048 << 20, "the settings' default bound");
    let empty = sessions.history_info().await.unwrap();
    assert_eq!(empty.account.as_deref(), Some(DEMO_ACCOUNT));
    assert_eq!(empty.limit_bytes, 2048 << 20);
    assert_eq!(empty.notice, None);

    let imei = sim.imeis()[0].parse().unwrap();
    let range = settled();
    let service = PlaybackService::new();
    let first = service
        .load(&session, 1, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(first.complete && first.count > 1000, "{first:?}");
    assert!(sessions.history_info().await.unwrap().bytes > empty.bytes);

    // Signed out: the store is closed with the session.
    sessions.logout().await.unwrap();
    service.clear();
    assert!(sessions.history().await.is_none());
    assert_eq!(sessions.history_info().await.unwrap().account, None);
    drop(session);

    // Signed in again: the period comes from the file, without a request.
    login(&sessions, &sim).await;
    let session = sessions.signed_in().await.unwrap();
    sim.clear_log();
    let again = service
        .load(&session, 2, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(again.from_cache && again.complete, "{again:?}");
    assert_eq!(again.count, first.count);
    assert_eq!(playback_requests(&sim), 0);

    // Cleared: asked of the provider again.
    let cleared = sessions.history_clear().await.unwrap();
    assert!(cleared.bytes <= empty.bytes, "{cleared:?} vs {empty:?}");
    service.clear();
    let fetched = service
        .load(&session, 3, &imei, range, &|_| {})
        .await
        .unwrap();
    assert!(!fetched.from_cache);
    assert!(playback_requests(&sim) > 0);
}

#[tokio::test]
async fn the_settings_bound_the_open_store_and_refuse_a_bad_size() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sessions = manager(dir.path());
    login(&sessions, &sim).await;
    let store = sessions.history().await.unwrap();

    let saved = sessions
        .settings_set(Settings {
            history_limit_mb: 100,
            ..sessions.settings_get()
        })
        .await
        .unwrap();
    assert_eq!(saved.history_limit_mb, 100);
    assert_eq!(store.limit(), 100 << 20);
    assert_eq!(
        sessions.history_info().await.unwrap().limit_bytes,
        100 << 20
    );

    let e = sessions
        .settings_set(Settings {
            history_limit_mb: 99,
            ..sessions.settings_get()
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(
        e.to_string()
            .contains("stored history's size must be between 100 and 100000 MB"),
        "{e}"
    );
    assert_eq!(store.limit(), 100 << 20, "unchanged");

    // The next sign-in opens the store with the saved bound.
    sessions.logout().await.unwrap();
    drop(store);
    login(&sessions, &sim).await;
    assert_eq!(sessions.history().await.unwrap().limit(), 100 << 20);
}

#[tokio::test]
async fn a_damaged_store_is_kept_aside_and_told_once() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = history::path_for(&dir.path().join("data"), &sim.base_url(), DEMO_ACCOUNT);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, b"not a database, not at all, whatever it once was").unwrap();

    let sessions = manager(dir.path());
    login(&sessions, &sim).await;
    assert!(sessions.history().await.is_some(), "a fresh store is used");
    let first = sessions.history_info().await.unwrap();
    let notice = first.notice.unwrap();
    assert!(notice.contains("was damaged"), "{notice}");
    assert!(notice.contains(".corrupt-"), "{notice}");
    assert_eq!(sessions.history_info().await.unwrap().notice, None, "once");
}

#[tokio::test]
async fn an_unusable_store_leaves_the_session_without_one_and_playback_still_works() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A file where the history folder should be: nothing can be created there.
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data").join("history"), b"in the way").unwrap();

    let sessions = manager(dir.path());
    login(&sessions, &sim).await;
    let session = sessions.signed_in().await.unwrap();
    assert!(session.history.is_none());
    for _ in 0..2 {
        let info = sessions.history_info().await.unwrap();
        assert_eq!(info.bytes, 0);
        let notice = info.notice.unwrap();
        assert!(notice.contains("cannot be used"), "{notice}");
    }
    let loaded = PlaybackService::new()
        .load(
            &session,
            1,
            &sim.imeis()[0].parse().unwrap(),
            settled(),
            &|_| {},
        )
        .await
        .unwrap();
    assert!(loaded.complete && loaded.count > 1000);
    // Clearing has nothing to clear, and says so the same way.
    assert!(sessions.history_clear().await.unwrap().notice.is_some());
}

#[tokio::test]
async fn the_demo_has_one_store_emptied_once_per_run_of_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = history::path_for(&data, "demo", DEMO_ACCOUNT);
    // Last run's demo history.
    {
        let store = history::HistoryStore::open(&path, 100 << 20).unwrap();
        let imei = "868120000000001".parse().unwrap();
        store
            .put_points(&imei, (1000, 2000), vec![point(1500)])
            .await
            .unwrap();
    }
    let sessions = manager(dir.path()).with_demo_config(SimConfig {
        devices: 4,
        ..SimConfig::default()
    });
    sessions.demo().await.unwrap();
    let store = sessions.history().await.unwrap();
    assert_eq!(store.path(), path, "not keyed by the demo's port");
    let imei = "868120000000001".parse().unwrap();
    let range = TimeRange::new(1000, 1999).unwrap();
    assert!(
        store.points(&imei, range).await.unwrap().is_empty(),
        "emptied"
    );

    // Within the run, the demo's history stays across sign-outs.
    store
        .put_points(&imei, (1000, 2000), vec![point(1500)])
        .await
        .unwrap();
    sessions.logout().await.unwrap();
    drop(store);
    sessions.demo().await.unwrap();
    let store = sessions.history().await.unwrap();
    assert_eq!(store.points(&imei, range).await.unwrap().len(), 1);
    sessions.shutdown().await;
}

fn point(t: i64) -> etrack::PlaybackPoint {
    etrack::PlaybackPoint {
        longitude: 113.9,
        latitude: 22.5,
        gpstime: t,
        speed: 30.0,
        course: 90.0,
    }
}
