//! Geofences and alarms against etrack-sim over real loopback HTTP: one geofence request per
//! vehicle with per-vehicle results, only successes recorded, writes never re-sent; alarm history
//! queries; the alarm watcher's notifications (once, also after a restart), its back-off on
//! 10009, its pacing, and a desktop notification service that is missing.
#![allow(clippy::unwrap_used)]

use etrack::{Client, GeofenceAlarm, PasswordHash, RetryPolicy};
use etrack_app::alarm_watch::{
    AlarmNotifier, AlarmWatcher, AlarmsNewEvent, BoxFuture, DesktopNotice, NoticeWords,
    SessionSource, WatchSession, WatchSettings, WatchState, WatchStatus, WatchTiming,
};
use etrack_app::alarms;
use etrack_app::demo::DemoClock;
use etrack_app::gate::Gate;
use etrack_app::geofences::{self, GeofenceDraft, GeofenceStore, Owner};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn sim(devices: usize) -> etrack_sim::SimHandle {
    etrack_sim::spawn(etrack_sim::SimConfig {
        devices,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A client that never retries by itself, so every request the app makes is visible in the log.
async fn client(sim: &etrack_sim::SimHandle, account: &str) -> Client {
    let c = Client::builder(
        account,
        PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .retry(RetryPolicy {
        max_retries: 0,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(10),
    })
    .build()
    .unwrap();
    c.authorize().await.unwrap();
    c
}

fn owner() -> Owner {
    Owner {
        account: etrack_sim::DEMO_ACCOUNT.into(),
        provider: "demo".into(),
    }
}

fn now() -> i64 {
    etrack_app::live::now_ms() / 1000
}

fn requests_to(sim: &etrack_sim::SimHandle, path: &str) -> Vec<etrack_sim::LoggedRequest> {
    sim.request_log()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn param<'a>(r: &'a etrack_sim::LoggedRequest, name: &str) -> &'a str {
    r.params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Devices by the state the provider reports: (reporting, blocked).
async fn reporting_and_blocked(sim: &etrack_sim::SimHandle, c: &Client) -> (Vec<String>, String) {
    let imeis: Vec<etrack::Imei> = sim.imeis().iter().map(|i| i.parse().unwrap()).collect();
    let tracks = c.track(&imeis).await.unwrap();
    let ok: Vec<String> = tracks
        .iter()
        .filter(|t| t.datastatus == 2)
        .map(|t| t.imei.clone())
        .collect();
    let blocked = tracks
        .iter()
        .find(|t| t.datastatus == 5)
        .map(|t| t.imei.clone())
        .expect("the demo fleet has a blocked device");
    (ok, blocked)
}

fn draft(imeis: &[&str]) -> GeofenceDraft {
    GeofenceDraft {
        name: "Depot".into(),
        alarm: GeofenceAlarm::Both,
        latitude: 22.5,
        longitude: 113.909,
        radius_m: 200,
        imeis: imeis.iter().map(|s| (*s).to_owned()).collect(),
        watch: false,
        extends: None,
    }
}

#[tokio::test]
async fn a_geofence_is_created_once_per_vehicle_and_only_successes_are_recorded() {
    let sim = sim(40).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let (ok, blocked) = reporting_and_blocked(&sim, &c).await;
    let dir = tempfile::tempdir().unwrap();
    let store = GeofenceStore::open(dir.path());
    sim.clear_log();

    let asked = [ok[0].as_str(), blocked.as_str(), ok[1].as_str()];
    let r = geofences::create(&c, &store, &owner(), &draft(&asked), 1_000)
        .await
        .unwrap();
    let outcome: Vec<(&str, bool)> = r.results.iter().map(|v| (v.imei.as_str(), v.ok)).collect();
    assert_eq!(
        outcome,
        vec![
            (ok[0].as_str(), true),
            (blocked.as_str(), false),
            (ok[1].as_str(), true)
        ]
    );
    assert_eq!(r.results[1].api_code, Some(20089));
    assert_eq!(
        r.results[1].message.as_deref(),
        Some("The device is blocked.")
    );
    assert!(r.summary.contains("2 of 3"), "{}", r.summary);

    let recorded = store.list(&owner()).geofences;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].imeis, vec![ok[0].clone(), ok[1].clone()]);
    assert_eq!(Some(&recorded[0]), r.geofence.as_ref());

    // The provider was asked exactly once per vehicle, with what the user drew.
    let sent = requests_to(&sim, "/api/geofence/create");
    let sent_imeis: Vec<&str> = sent.iter().map(|r| param(r, "imei")).collect();
    assert_eq!(sent_imeis, asked.to_vec());
    for s in &sent {
        assert_eq!(param(s, "efencename"), "Depot");
        assert_eq!(param(s, "radius"), "200");
        assert_eq!(param(s, "alarmtype"), "2");
    }
    let known: Vec<(String, i64)> = sim
        .geofences()
        .into_iter()
        .map(|g| (g.imei, g.radius))
        .collect();
    assert_eq!(known, vec![(ok[0].clone(), 200), (ok[1].clone(), 200)]);
}

#[tokio::test]
async fn a_failed_write_is_not_re_sent_and_a_retry_adds_to_the_same_record() {
    let sim = sim(40).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let (ok, _) = reporting_and_blocked(&sim, &c).await;
    let dir = tempfile::tempdir().unwrap();
    let store = GeofenceStore::open(dir.path());
    // The first create gets an HTTP 500: was it created? Nobody knows, so it must not be re-sent.
    sim.inject_reply("/api/geofence/create", 500, "", 1);
    sim.clear_log();
    let r = geofences::create(&c, &store, &owner(), &draft(&[&ok[0], &ok[1]]), 1_000)
        .await
        .unwrap();
    assert_eq!(
        r.results.iter().map(|v| v.ok).collect::<Vec<_>>(),
        vec![false, true]
    );
    assert_eq!(
        requests_to(&sim, "/api/geofence/create").len(),
        2,
        "one request each, no retry"
    );
    let g = r.geofence.unwrap();
    assert_eq!(g.imeis, vec![ok[1].clone()]);

    // The user retries the failed vehicle: it joins the same record.
    let retry = GeofenceDraft {
        imeis: vec![ok[0].clone()],
        extends: Some(g.id.clone()),
        ..draft(&[])
    };
    let r2 = geofences::create(&c, &store, &owner(), &retry, 2_000)
        .await
        .unwrap();
    assert!(r2.results[0].ok);
    let all = store.list(&owner()).geofences;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].imeis, vec![ok[1].clone(), ok[0].clone()]);
}

#[tokio::test]
async fn nothing_is_sent_for_a_bad_draft_and_nothing_recorded_when_every_vehicle_fails() {
    let sim = sim(10).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let dir = tempfile::tempdir().unwrap();
    let store = GeofenceStore::open(dir.path());
    let imei = sim.imeis()[0].clone();
    sim.clear_log();
    let too_big = GeofenceDraft {
        radius_m: 5001,
        ..draft(&[&imei])
    };
    let e = geofences::create(&c, &store, &owner(), &too_big, 1)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("100 and 5000"), "{}", e.to_string());
    assert!(requests_to(&sim, "/api/geofence/create").is_empty());

    // A virtual account may look but not change anything: 10007 for every vehicle.
    let viewer = client(&sim, etrack_sim::VIRTUAL_ACCOUNT).await;
    let r = geofences::create(&viewer, &store, &owner(), &draft(&[&imei]), 1)
        .await
        .unwrap();
    assert!(r.geofence.is_none());
    assert_eq!(r.results[0].api_code, Some(10007));
    assert!(r.summary.starts_with("Not saved"), "{}", r.summary);
    assert!(store.list(&owner()).geofences.is_empty());
    assert!(sim.geofences().is_empty());
}

/// A straight drive east through the geofence of [`draft`] (centre 113.909, 22.5, r 200 m),
/// starting a few seconds from now, one report every 2 s (62 m apart), at 40 km/h except a
/// speeding stretch well before the fence.
fn drive_through(sim: &etrack_sim::SimHandle, imei: &str) -> i64 {
    let t0 = now() + 2;
    let points = (0..30)
        .map(|i| {
            let speed = if (3..5).contains(&i) { 130 } else { 40 };
            (
                113.900 + 0.0006 * f64::from(i),
                22.5,
                t0 + 2 * i64::from(i),
                speed,
                90,
            )
        })
        .collect();
    sim.set_history(imei, points);
    t0
}

/// Five vehicles, the first of which drives through the depot geofence of [`draft`] (created at
/// the provider and recorded in `dir`) a few seconds from now.
struct DepotDrive {
    sim: etrack_sim::SimHandle,
    c: Client,
    imei: String,
    dir: tempfile::TempDir,
    store: Arc<GeofenceStore>,
}

async fn depot_drive() -> DepotDrive {
    let sim = sim(5).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let imei = sim.imeis()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(GeofenceStore::open(dir.path()));
    let saved = geofences::create(&c, &store, &owner(), &draft(&[&imei]), 1)
        .await
        .unwrap();
    assert!(saved.results[0].ok);
    drive_through(&sim, &imei);
    DepotDrive {
        sim,
        c,
        imei,
        dir,
        store,
    }
}

struct Fixed {
    client: Client,
    /// The provider's clock ahead of this computer's, seconds.
    offset: std::sync::atomic::AtomicI64,
    /// The session's gate (a new one is a new sign-in).
    gate: Mutex<Gate>,
}

impl Fixed {
    fn new(client: &Client, offset: i64) -> Self {
        Self {
            client: client.clone(),
            offset: std::sync::atomic::AtomicI64::new(offset),
            gate: Mutex::new(Gate::new()),
        }
    }
}

impl SessionSource for Fixed {
    fn session(&self) -> BoxFuture<'_, Option<WatchSession>> {
        Box::pin(async move {
            Some(WatchSession {
                owner: owner(),
                client: self.client.clone(),
                clock_offset_secs: self.offset.load(Ordering::SeqCst),
                gate: self.gate.lock().unwrap().clone(),
            })
        })
    }
}

#[derive(Default)]
struct Collect {
    desktop: Mutex<Vec<(String, String)>>,
    events: Mutex<Vec<AlarmsNewEvent>>,
    statuses: Mutex<Vec<WatchStatus>>,
    /// Like a desktop with no notification service.
    no_daemon: bool,
}

impl AlarmNotifier for Collect {
    fn desktop(&self, title: &str, body: &str) -> Result<(), String> {
        if self.no_daemon {
            return Err(
                "org.freedesktop.Notifications was not provided by any .service files".into(),
            );
        }
        self.desktop
            .lock()
            .unwrap()
            .push((title.to_owned(), body.to_owned()));
        Ok(())
    }
    fn new_alarms(&self, event: &AlarmsNewEvent) {
        self.events.lock().unwrap().push(event.clone());
    }
    fn status(&self, status: &WatchStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
}

fn fast() -> WatchTiming {
    WatchTiming {
        min_gap: Duration::from_millis(5),
        idle: Duration::from_millis(50),
        backoff_min: Duration::from_millis(40),
        backoff_max: Duration::from_millis(400),
        names_every: Duration::from_secs(600),
    }
}

fn watcher(
    dir: &std::path::Path,
    c: &Client,
    notifier: Arc<Collect>,
    store: Option<Arc<GeofenceStore>>,
) -> AlarmWatcher {
    watcher_at(dir, c, notifier, store, 0)
}

fn watcher_at(
    dir: &std::path::Path,
    c: &Client,
    notifier: Arc<Collect>,
    store: Option<Arc<GeofenceStore>>,
    offset: i64,
) -> AlarmWatcher {
    AlarmWatcher::new(
        dir,
        notifier,
        Arc::new(Fixed::new(c, offset)),
        store,
        fast(),
    )
}

fn watch(imeis: &[String]) -> WatchSettings {
    WatchSettings {
        imeis: imeis.to_vec(),
        every_secs: 60,
        ..WatchSettings::default()
    }
}

#[tokio::test]
async fn the_watcher_notifies_each_geofence_alarm_once_also_after_a_restart() {
    let DepotDrive {
        sim,
        c,
        imei,
        dir,
        store,
    } = depot_drive().await;

    // Ground truth: the provider has the entry, the exit and a speeding alarm (not watched).
    let range = etrack::TimeRange::new(now() - 60, now() + 300).unwrap();
    let truth = c.alarms(&imei.parse().unwrap(), range).await.unwrap();
    let codes: Vec<i64> = truth.iter().map(|a| a.alarm_type.code()).collect();
    assert_eq!(codes, vec![7, 5, 6], "{truth:?}");

    let seen = Arc::new(Collect::default());
    let w = watcher(dir.path(), &c, seen.clone(), Some(store.clone()));
    w.set_settings(&owner(), watch(std::slice::from_ref(&imei)))
        .unwrap();
    w.step().await;

    let desktop = seen.desktop.lock().unwrap().clone();
    let titles: Vec<&str> = desktop.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(titles.len(), 2, "{desktop:?}");
    assert!(titles[0].starts_with("Entered geofence — "), "{titles:?}");
    assert!(titles[1].starts_with("Left geofence — "), "{titles:?}");
    assert!(
        desktop
            .iter()
            .all(|(_, body)| body.contains("Geofence “Depot”")),
        "{desktop:?}"
    );
    let events = seen.events.lock().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].unread, 2);
    assert_eq!(events[0].alarms[1].geofence_name.as_deref(), Some("Depot"));
    assert!(events[0]
        .alarms
        .iter()
        .all(|a| a.desktop == DesktopNotice::Raised));

    // Reading again finds the same alarms: nothing new.
    w.step().await;
    w.step().await;
    assert_eq!(seen.desktop.lock().unwrap().len(), 2);
    let overview = w.overview(&owner());
    assert_eq!(overview.unread, 2);
    assert_eq!(overview.recent.len(), 2);
    assert_eq!(overview.status.state, WatchState::Watching);
    w.mark_read();
    assert_eq!(w.overview(&owner()).unread, 0);

    // A restart (a new watcher on the same files) reads them again and says nothing.
    drop(w);
    let after = Arc::new(Collect::default());
    let w2 = watcher(dir.path(), &c, after.clone(), Some(store));
    assert_eq!(
        w2.settings(&owner()).imeis,
        vec![imei.clone()],
        "settings kept"
    );
    sim.clear_log();
    w2.step().await;
    assert_eq!(requests_to(&sim, "/api/alarm/list").len(), 1, "it did read");
    assert!(after.desktop.lock().unwrap().is_empty());
    assert!(after.events.lock().unwrap().is_empty());
}

#[tokio::test]
async fn alarms_read_as_the_session_ends_are_not_shown_then_and_not_lost() {
    let DepotDrive {
        sim, c, imei, dir, ..
    } = depot_drive().await;
    let seen = Arc::new(Collect::default());
    let source = Arc::new(Fixed::new(&c, 0));
    let w = AlarmWatcher::new(dir.path(), seen.clone(), source.clone(), None, fast());
    w.set_settings(&owner(), watch(std::slice::from_ref(&imei)))
        .unwrap();

    // The read is made, but the session has ended by the time it is back.
    source.gate.lock().unwrap().close();
    sim.clear_log();
    w.step().await;
    assert_eq!(requests_to(&sim, "/api/alarm/list").len(), 1, "it did read");
    assert!(seen.desktop.lock().unwrap().is_empty());
    assert!(seen.events.lock().unwrap().is_empty());
    assert!(seen.statuses.lock().unwrap().is_empty());
    assert_eq!(w.overview(&owner()).unread, 0);

    // Signed in again: the same alarms are news, once.
    *source.gate.lock().unwrap() = Gate::new();
    w.step().await;
    w.step().await;
    assert_eq!(
        seen.desktop.lock().unwrap().len(),
        2,
        "the entry and the exit"
    );
    assert_eq!(seen.events.lock().unwrap().len(), 1);
    assert_eq!(w.overview(&owner()).unread, 2);
}

#[tokio::test]
async fn with_no_notification_service_the_badge_still_counts_and_nothing_breaks() {
    // The simulator stops when its last handle is dropped: keep it.
    let DepotDrive {
        sim: _sim,
        c,
        imei,
        dir,
        ..
    } = depot_drive().await;
    let seen = Arc::new(Collect {
        no_daemon: true,
        ..Collect::default()
    });
    let w = watcher(dir.path(), &c, seen.clone(), None);
    w.set_settings(&owner(), watch(&[imei])).unwrap();
    w.step().await;
    let events = seen.events.lock().unwrap().clone();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].unread, 2);
    for a in &events[0].alarms {
        assert_eq!(a.desktop, DesktopNotice::Failed);
        assert!(a
            .desktop_error
            .as_deref()
            .unwrap()
            .contains("Notifications"));
    }
    assert_eq!(w.overview(&owner()).status.state, WatchState::Watching);
}

#[tokio::test]
async fn the_watchers_alarm_notifications_take_the_words_the_ui_sent() {
    let DepotDrive {
        sim: _sim,
        c,
        imei,
        dir,
        store,
    } = depot_drive().await;
    let seen = Arc::new(Collect::default());
    let w = watcher(dir.path(), &c, seen.clone(), Some(store));
    // The UI in Chinese: its templates and names (a JSON message, as over IPC).
    let mut words: NoticeWords =
        serde_json::from_value(serde_json::to_value(NoticeWords::default()).unwrap()).unwrap();
    words.single = "{alarm}：{vehicle}".into();
    words.geofence = "围栏“{name}”".into();
    words.place = "位置 {coordinates}".into();
    words.alarm_names.insert(5, "进入围栏".into());
    words.alarm_names.insert(6, "离开围栏".into());
    w.set_notice_words(words);
    w.set_settings(&owner(), watch(std::slice::from_ref(&imei)))
        .unwrap();
    w.step().await;

    let desktop = seen.desktop.lock().unwrap().clone();
    assert_eq!(desktop.len(), 2, "{desktop:?}");
    assert!(desktop[0].0.starts_with("进入围栏："), "{desktop:?}");
    assert!(desktop[1].0.starts_with("离开围栏："), "{desktop:?}");
    assert!(
        desktop
            .iter()
            .all(|(_, body)| body.starts_with("围栏“Depot”") && body.contains("位置 ")),
        "{desktop:?}"
    );
}

#[tokio::test]
async fn the_watcher_backs_off_on_10009_and_recovers() {
    let sim = sim(5).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let dir = tempfile::tempdir().unwrap();
    let seen = Arc::new(Collect::default());
    let w = watcher(dir.path(), &c, seen.clone(), None);
    w.set_settings(&owner(), watch(&sim.imeis()[..2])).unwrap();
    sim.set_too_frequent_share(1.0);
    sim.clear_log();
    let first = w.step().await;
    let second = w.step().await;
    let third = w.step().await;
    // Doubling delays with equal jitter: each between half and all of 40, 80, 160 ms.
    for (delay, ceiling) in [(first, 40), (second, 80), (third, 160)] {
        let ceiling = Duration::from_millis(ceiling);
        assert!(delay >= ceiling / 2 && delay <= ceiling, "{delay:?}");
    }
    assert_eq!(
        requests_to(&sim, "/api/alarm/list").len(),
        3,
        "one request per turn, no burst of retries"
    );
    let status = w.overview(&owner()).status;
    assert_eq!(status.state, WatchState::BackingOff);
    assert!(status.message.unwrap().contains("busy"));
    // The same vehicle is read again after backing off, not skipped.
    let imeis: Vec<String> = requests_to(&sim, "/api/alarm/list")
        .iter()
        .map(|r| param(r, "imei").to_owned())
        .collect();
    assert!(imeis.iter().all(|i| *i == sim.imeis()[0]), "{imeis:?}");

    sim.set_too_frequent_share(0.0);
    let gap = w.step().await;
    assert_eq!(
        gap,
        Duration::from_secs(30),
        "back to every 60 s for 2 vehicles"
    );
    assert_eq!(w.overview(&owner()).status.state, WatchState::Watching);
    assert!(seen
        .statuses
        .lock()
        .unwrap()
        .iter()
        .any(|s| s.state == WatchState::BackingOff));
}

#[tokio::test]
async fn the_watched_vehicles_are_read_in_turn_spread_over_the_interval() {
    let sim = sim(8).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let dir = tempfile::tempdir().unwrap();
    let w = watcher(dir.path(), &c, Arc::new(Collect::default()), None);
    let three: Vec<String> = sim.imeis()[..3].to_vec();
    w.set_settings(&owner(), watch(&three)).unwrap();
    sim.clear_log();
    let mut gaps = Vec::new();
    for _ in 0..6 {
        gaps.push(w.step().await);
    }
    assert!(
        gaps.iter().all(|g| *g == Duration::from_secs(20)),
        "{gaps:?}"
    );
    let read: Vec<String> = requests_to(&sim, "/api/alarm/list")
        .iter()
        .map(|r| param(r, "imei").to_owned())
        .collect();
    let want: Vec<String> = three.iter().chain(three.iter()).cloned().collect();
    assert_eq!(read, want);
    // A first read looks back a quarter of an hour, not over the whole history.
    let first = &requests_to(&sim, "/api/alarm/list")[0];
    let begin: i64 = param(first, "begintime").parse().unwrap();
    assert!((now() - begin - 15 * 60).abs() <= 5, "{begin}");

    // Nothing watched: no requests at all.
    w.set_settings(&owner(), watch(&[])).unwrap();
    sim.clear_log();
    w.step().await;
    assert!(requests_to(&sim, "/api/alarm/list").is_empty());
    assert_eq!(w.overview(&owner()).status.state, WatchState::Off);
}

#[tokio::test]
async fn alarm_history_comes_through_the_paging_with_geofence_names_and_failures_apart() {
    let sim = sim(40).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let (ok, blocked) = reporting_and_blocked(&sim, &c).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(GeofenceStore::open(dir.path()));
    let imei = ok[0].clone();
    geofences::create(&c, &store, &owner(), &draft(&[&imei]), 1)
        .await
        .unwrap();
    drive_through(&sim, &imei);

    let progress = Arc::new(AtomicUsize::new(0));
    let p = progress.clone();
    let result = alarms::query(
        &c,
        &[imei.clone(), blocked.clone()],
        now() - 3600,
        now() + 600,
        tokio_util::sync::CancellationToken::new(),
        Some((store, owner())),
        Arc::new(move |_| {
            p.fetch_add(1, Ordering::SeqCst);
        }),
    )
    .await
    .unwrap();
    assert_eq!(progress.load(Ordering::SeqCst), 2, "one report per vehicle");
    let words: Vec<&str> = result.rows.iter().map(|r| r.words.as_str()).collect();
    assert_eq!(
        words,
        vec!["Left geofence", "Entered geofence", "Speeding"],
        "newest first"
    );
    assert_eq!(result.rows[0].geofence_name.as_deref(), Some("Depot"));
    assert_eq!(result.rows[2].geofence_name, None);
    assert_eq!(result.failures.len(), 1);
    assert_eq!(result.failures[0].imei, blocked);
    assert_eq!(result.failures[0].message, "The device is blocked.");

    let cancel = tokio_util::sync::CancellationToken::new();
    cancel.cancel();
    let e = alarms::query(
        &c,
        &[imei],
        now() - 3600,
        now(),
        cancel,
        None,
        Arc::new(|_| {}),
    )
    .await
    .unwrap_err();
    assert_eq!(e.kind(), etrack_app::error::ErrorKind::Cancelled);
}

#[tokio::test]
async fn the_demo_clock_moves_the_simulators_time_only() {
    let sim = sim(3).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let clock = DemoClock::default();
    clock.advance(&sim, 7200);
    assert_eq!(clock.offset_secs(), 7200);
    let imei: etrack::Imei = sim.imeis()[0].parse().unwrap();
    let t = c.track(&[imei]).await.unwrap();
    let ahead = t[0].servertime - now();
    assert!((7195..=7205).contains(&ahead), "{ahead}");
}

#[tokio::test]
async fn a_restart_on_a_clock_that_went_back_still_reads_recent_alarms() {
    let sim = sim(3).await;
    let c = client(&sim, etrack_sim::DEMO_ACCOUNT).await;
    let imei = sim.imeis()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    // The demo ran two hours ahead, then the app was restarted with the demo back on real time.
    let ahead = watcher_at(dir.path(), &c, Arc::new(Collect::default()), None, 7200);
    ahead
        .set_settings(&owner(), watch(std::slice::from_ref(&imei)))
        .unwrap();
    ahead.step().await;
    drop(ahead);
    let store = GeofenceStore::open(dir.path());
    geofences::create(&c, &store, &owner(), &draft(&[&imei]), 1)
        .await
        .unwrap();
    drive_through(&sim, &imei);
    sim.clear_log();
    let seen = Arc::new(Collect::default());
    let w = watcher(dir.path(), &c, seen.clone(), None);
    w.step().await;
    let read = requests_to(&sim, "/api/alarm/list");
    assert_eq!(read.len(), 1);
    let begin: i64 = param(&read[0], "begintime").parse().unwrap();
    assert!(
        (now() - begin - 15 * 60).abs() <= 5,
        "looks back from now: {begin}"
    );
    assert_eq!(
        seen.desktop.lock().unwrap().len(),
        2,
        "the entry and the exit"
    );
}
