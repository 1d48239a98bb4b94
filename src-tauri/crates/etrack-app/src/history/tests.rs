//! The store without a provider: opening damaged files, storing, what is missing, eviction.
#![allow(clippy::unwrap_used)]

use super::*;
use etrack::{Alarm, AlarmType, Imei, PlaybackPoint, TimeRange};
use std::path::Path;

const T0: i64 = 1_700_006_400; // a UTC midnight
const LONG_AGO: i64 = T0 + 365 * DAY_SECS; // "now", far after the test data

fn imei(n: u32) -> Imei {
    format!("35889905{n:07}").parse().unwrap()
}

fn range(b: i64, e: i64) -> TimeRange {
    TimeRange::new(b, e).unwrap()
}

fn pt(t: i64) -> PlaybackPoint {
    PlaybackPoint {
        longitude: 113.9 + (t % 1000) as f64 * 1e-6,
        latitude: 22.58,
        gpstime: t,
        speed: 40.0,
        course: (t % 360) as f64,
    }
}

/// Fixes `step` seconds apart over `[b, e)`.
fn track(b: i64, e: i64, step: i64) -> Vec<PlaybackPoint> {
    (b..e).step_by(step as usize).map(pt).collect()
}

fn alarm(t: i64) -> Alarm {
    Alarm {
        alarm_type: AlarmType::Speeding,
        longitude: 113.9,
        latitude: 22.5,
        gpstime: t - 5,
        systemtime: t,
        speed: 95.5,
        course: 10.0,
        geofence_id: "0".into(),
    }
}

fn file_len(p: &Path) -> u64 {
    let wal = schema::sidecar(p, "-wal");
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

fn asides(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn a_garbage_file_is_moved_aside_untouched_and_a_fresh_store_works() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history").join("0123456789abcdef.sqlite");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let garbage: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();

    let store = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
    let kept = store
        .kept_aside()
        .expect("the damaged file is reported")
        .clone();
    assert!(kept.reason.contains("not a database"), "{}", kept.reason);
    let aside = asides(path.parent().unwrap());
    assert_eq!(aside, vec![kept.aside.clone()]);
    let name = kept
        .aside
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("0123456789abcdef.corrupt-") && name.ends_with(".sqlite"),
        "{name}"
    );
    assert_eq!(
        std::fs::read(&kept.aside).unwrap(),
        garbage,
        "not written over"
    );

    let v = imei(1);
    store
        .put_points(&v, (T0, T0 + 100), track(T0, T0 + 100, 10))
        .await
        .unwrap();
    assert_eq!(
        store.points(&v, range(T0, T0 + 99)).await.unwrap().len(),
        10
    );
    drop(store);
    // Opened again: the new file is healthy, nothing more is moved.
    let again = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
    assert!(again.kept_aside().is_none());
    assert_eq!(
        again.points(&v, range(T0, T0 + 99)).await.unwrap().len(),
        10
    );
    assert_eq!(asides(path.parent().unwrap()).len(), 1);
}

#[tokio::test]
async fn other_schemas_and_other_sqlite_files_are_moved_aside_and_an_empty_file_is_used() {
    let dir = tempfile::tempdir().unwrap();
    // Our file at another schema version.
    let old = dir.path().join("old.sqlite");
    drop(HistoryStore::open(&old, DEFAULT_LIMIT_BYTES).unwrap());
    {
        let c = rusqlite::Connection::open(&old).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let s = HistoryStore::open(&old, DEFAULT_LIMIT_BYTES).unwrap();
    assert!(s.kept_aside().unwrap().reason.contains("schema version 99"));

    // Another program's database.
    let other = dir.path().join("other.sqlite");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let s = HistoryStore::open(&other, DEFAULT_LIMIT_BYTES).unwrap();
    assert!(s
        .kept_aside()
        .unwrap()
        .reason
        .contains("not an etrack history"));

    // An empty file (created, then the app stopped): simply used.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let s = HistoryStore::open(&empty, DEFAULT_LIMIT_BYTES).unwrap();
    assert!(s.kept_aside().is_none());
    s.put_points(&imei(1), (T0, T0 + 10), vec![pt(T0)])
        .await
        .unwrap();
    assert_eq!(asides(dir.path()).len(), 2);
}

#[tokio::test]
async fn points_are_stored_once_per_second_and_read_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open(dir.path().join("h.sqlite"), DEFAULT_LIMIT_BYTES).unwrap();
    let v = imei(1);
    let mut odd = pt(T0 + 5);
    odd.longitude = 113.123456789; // more than 6 decimals: kept as a REAL
    odd.speed = 12.25;
    let mut points = track(T0, T0 + 1000, 10);
    points[0] = pt(T0); // same
    points.insert(1, odd);
    store
        .put_points(&v, (T0, T0 + 1000), points.clone())
        .await
        .unwrap();
    // Twice, and an overlapping batch: still once each.
    store
        .put_points(&v, (T0, T0 + 1000), points.clone())
        .await
        .unwrap();
    store
        .put_points(&v, (T0 + 500, T0 + 2000), track(T0 + 500, T0 + 2000, 10))
        .await
        .unwrap();
    let got = store.points(&v, range(T0, T0 + 1999)).await.unwrap();
    assert_eq!(got.len(), 201);
    assert_eq!(got[..101], points[..]);
    assert!(got.windows(2).all(|w| w[0].gpstime < w[1].gpstime));
    // Ends included, other vehicles apart.
    assert_eq!(
        store
            .points(&v, range(T0 + 10, T0 + 20))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(store
        .points(&imei(2), range(T0, T0 + 1999))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn alarms_are_stored_by_system_time_once_each() {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open(dir.path().join("h.sqlite"), DEFAULT_LIMIT_BYTES).unwrap();
    let v = imei(1);
    let mut door = alarm(T0 + 100);
    door.alarm_type = AlarmType::Unknown(99);
    door.geofence_id = String::new();
    let alarms = vec![alarm(T0 + 50), door, alarm(T0 + 100), alarm(T0 + 3000)];
    store
        .put_alarms(&v, (T0, T0 + 3600), alarms.clone())
        .await
        .unwrap();
    store
        .put_alarms(&v, (T0, T0 + 3600), alarms.clone())
        .await
        .unwrap();
    let got = store.alarms(&v, range(T0, T0 + 3599)).await.unwrap();
    assert_eq!(got.len(), 4);
    for a in &alarms {
        assert!(got.contains(a), "{a:?}");
    }
    assert!(got.windows(2).all(|w| w[0].systemtime <= w[1].systemtime));
    assert_eq!(
        store
            .missing(&v, Kind::Alarms, range(T0, T0 + 3599), LONG_AGO)
            .await
            .unwrap(),
        vec![]
    );
    assert_eq!(
        store
            .missing(&v, Kind::Points, range(T0, T0 + 3599), LONG_AGO)
            .await
            .unwrap(),
        vec![(T0, T0 + 3600)],
        "kinds are apart"
    );
}

#[tokio::test]
async fn missing_merges_stored_spans_and_always_names_the_recent_hours() {
    let dir = tempfile::tempdir().unwrap();
    let store = HistoryStore::open(dir.path().join("h.sqlite"), DEFAULT_LIMIT_BYTES).unwrap();
    let v = imei(1);
    let day = range(T0, T0 + DAY_SECS - 1);
    assert_eq!(
        store
            .missing(&v, Kind::Points, day, LONG_AGO)
            .await
            .unwrap(),
        vec![(T0, T0 + DAY_SECS)]
    );
    store
        .put_points(&v, (T0 + 3600, T0 + 7200), vec![])
        .await
        .unwrap();
    store
        .put_points(&v, (T0 + 7200, T0 + 10_800), vec![])
        .await
        .unwrap();
    store
        .put_points(&v, (T0 + 20_000, T0 + 30_000), vec![])
        .await
        .unwrap();
    assert_eq!(
        store
            .missing(&v, Kind::Points, day, LONG_AGO)
            .await
            .unwrap(),
        vec![
            (T0, T0 + 3600),
            (T0 + 10_800, T0 + 20_000),
            (T0 + 30_000, T0 + DAY_SECS)
        ]
    );
    // Touching spans were merged into one row.
    store
        .put_points(&v, (T0, T0 + DAY_SECS), vec![])
        .await
        .unwrap();
    assert_eq!(
        store
            .missing(&v, Kind::Points, day, LONG_AGO)
            .await
            .unwrap(),
        vec![]
    );
    // Stored, but within RECENT_SECS of now: asked again.
    let now = T0 + 20 * 3600;
    assert_eq!(
        store.missing(&v, Kind::Points, day, now).await.unwrap(),
        vec![(now - RECENT_SECS, T0 + DAY_SECS)]
    );
}

/// A day of 10 s fixes for vehicle `n` on day `d` after T0.
async fn put_day(store: &HistoryStore, n: u32, d: i64) {
    let b = T0 + d * DAY_SECS;
    store
        .put_points(&imei(n), (b, b + DAY_SECS), track(b, b + DAY_SECS, 10))
        .await
        .unwrap();
}

#[tokio::test]
async fn over_its_limit_the_store_drops_the_least_recently_used_vehicle_days_and_shrinks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    let store = HistoryStore::open(&path, u64::MAX).unwrap();
    for n in 0..4 {
        for d in 0..3 {
            put_day(&store, n, d).await;
        }
    }
    let full = store.size_bytes().await.unwrap();
    let per_day = full / 12;
    // Vehicle 0's days were written first, but reading day 0 of it makes that day recent.
    assert_eq!(
        store
            .points(&imei(0), range(T0, T0 + DAY_SECS - 1))
            .await
            .unwrap()
            .len(),
        8640
    );
    let limit = full / 2;
    let evicted = store.set_limit(limit).await.unwrap();
    assert!(evicted.vehicle_days >= 6, "{evicted:?}");
    let size = store.size_bytes().await.unwrap();
    assert!(
        size <= limit / 10 * 9 + per_day / 2,
        "{size} > 90% of {limit}"
    );
    assert!(
        file_len(&path) <= size,
        "the file shrank: {}",
        file_len(&path)
    );

    // The read day survived; vehicle 0's other days went first (oldest use).
    let v0 = imei(0);
    let first = range(T0, T0 + DAY_SECS - 1);
    assert_eq!(store.points(&v0, first).await.unwrap().len(), 8640);
    let second = range(T0 + DAY_SECS, T0 + 2 * DAY_SECS - 1);
    assert!(store.points(&v0, second).await.unwrap().is_empty());
    // An evicted day is missing again, its neighbours not.
    assert_eq!(
        store
            .missing(
                &v0,
                Kind::Points,
                range(T0, T0 + 3 * DAY_SECS - 1),
                LONG_AGO
            )
            .await
            .unwrap(),
        vec![(T0 + DAY_SECS, T0 + 3 * DAY_SECS)]
    );
    // The last vehicle written keeps all its days.
    for d in 0..3 {
        let b = T0 + d * DAY_SECS;
        assert_eq!(
            store
                .points(&imei(3), range(b, b + DAY_SECS - 1))
                .await
                .unwrap()
                .len(),
            8640
        );
    }

    // Writing more keeps it bounded.
    for d in 3..6 {
        put_day(&store, 3, d).await;
    }
    assert!(store.size_bytes().await.unwrap() <= limit);
}

#[tokio::test]
async fn clearing_empties_the_store_and_shrinks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.sqlite");
    let store = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
    let empty = store.size_bytes().await.unwrap();
    for d in 0..5 {
        put_day(&store, 1, d).await;
    }
    store
        .put_alarms(&imei(1), (T0, T0 + DAY_SECS), vec![alarm(T0 + 9)])
        .await
        .unwrap();
    assert!(store.size_bytes().await.unwrap() > 1_000_000);
    store.clear().await.unwrap();
    assert_eq!(store.size_bytes().await.unwrap(), empty);
    assert!(
        file_len(&path) <= empty,
        "{} bytes on disk",
        file_len(&path)
    );
    let all = range(T0, T0 + 5 * DAY_SECS);
    assert!(store.points(&imei(1), all).await.unwrap().is_empty());
    assert!(store.alarms(&imei(1), all).await.unwrap().is_empty());
    assert_eq!(
        store
            .missing(&imei(1), Kind::Points, all, LONG_AGO)
            .await
            .unwrap(),
        vec![(T0, T0 + 5 * DAY_SECS + 1)]
    );
}

#[test]
fn each_account_at_each_provider_has_its_own_file() {
    let d = Path::new("/data");
    let a = path_for(d, "https://api.etrack.vip", "fleet");
    assert_eq!(a.parent().unwrap(), d.join("history"));
    assert_ne!(a, path_for(d, "https://api.etrack.vip", "fleet2"));
    assert_ne!(a, path_for(d, "http://127.0.0.1:8080", "fleet"));
    let name = a.file_stem().unwrap().to_string_lossy().into_owned();
    assert_eq!(name.len(), 16);
    assert!(name.chars().all(|c| c.is_ascii_hexdigit()));
}

#[tokio::test]
async fn a_file_with_damaged_pages_is_found_by_the_page_check_and_set_aside_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history").join("0123456789abcdef.sqlite");
    {
        let store = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
        let v = imei(1);
        store
            .put_points(&v, (T0, T0 + 20_000), track(T0, T0 + 20_000, 10))
            .await
            .unwrap();
    }
    // Garbage over the pages after the first few; the header and the schema stay readable.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 32_768, "{} bytes", bytes.len());
    for (i, b) in bytes.iter_mut().enumerate().skip(16_384) {
        *b = (i * 13 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();

    // The page check (run in the background by open_async) finds the damage and marks it...
    assert!(!schema::check_pages(&path));
    // ...and the next opening sets the file aside and starts a fresh store.
    let store = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
    let kept = store.kept_aside().expect("set aside at the next start");
    assert!(kept.reason.contains("integrity check"), "{}", kept.reason);
    assert_eq!(
        std::fs::read(&kept.aside).unwrap(),
        bytes,
        "not written over"
    );
    assert!(schema::check_pages(&path), "the fresh store is sound");
    drop(store);
    // The mark went with the damaged file.
    let again = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
    assert!(again.kept_aside().is_none());
}

#[tokio::test]
async fn a_damaged_page_met_while_opening_sets_the_file_aside_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history").join("0123456789abcdef.sqlite");
    {
        let store = HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).unwrap();
        store
            .put_points(&imei(1), (T0, T0 + 20_000), track(T0, T0 + 20_000, 10))
            .await
            .unwrap();
    }
    let mut bytes = std::fs::read(&path).unwrap();
    for (i, b) in bytes.iter_mut().enumerate().skip(16_384) {
        *b = (i * 13 % 251) as u8;
    }
    std::fs::write(&path, &bytes).unwrap();
    let store =
        HistoryStore::open(&path, DEFAULT_LIMIT_BYTES).expect("a fresh store, not an error");
    let kept = store.kept_aside().expect("the damaged file is reported");
    assert_eq!(
        std::fs::read(&kept.aside).unwrap(),
        bytes,
        "not written over"
    );
    store
        .put_points(&imei(2), (T0, T0 + 100), track(T0, T0 + 100, 10))
        .await
        .unwrap();
    assert_eq!(
        store
            .points(&imei(2), range(T0, T0 + 100))
            .await
            .unwrap()
            .len(),
        track(T0, T0 + 100, 10).len(),
        "the fresh store works"
    );
}
