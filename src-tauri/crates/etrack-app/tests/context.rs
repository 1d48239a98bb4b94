//! The application context as the shell uses it: each IPC command is one method, events and Save
//! dialogs go through the host. Driven here with a recording host against the built-in demo.
#![allow(clippy::unwrap_used)]

use etrack_app::context::Dirs;
use etrack_app::error::ErrorKind;
use etrack_app::host::{BoxFuture, Host, SaveRequest};
use etrack_app::keychain::MemoryKeychain;
use etrack_app::launch::LaunchOptions;
use etrack_app::{AppContext, AppError};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the shell would have shown: events, notifications, Save dialogs (answered with `save_to`).
#[derive(Default)]
struct RecordingHost {
    events: Mutex<Vec<(&'static str, serde_json::Value)>>,
    dialogs: Mutex<Vec<SaveRequest>>,
    save_to: Mutex<Option<PathBuf>>,
}

impl RecordingHost {
    fn events_named(&self, name: &str) -> Vec<serde_json::Value> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, p)| p.clone())
            .collect()
    }
}

impl Host for RecordingHost {
    fn emit_json(&self, name: &'static str, payload: serde_json::Value) {
        self.events.lock().unwrap().push((name, payload));
    }

    fn pick_save_path(
        &self,
        request: SaveRequest,
    ) -> BoxFuture<'_, Result<Option<PathBuf>, AppError>> {
        self.dialogs.lock().unwrap().push(request);
        let picked = self.save_to.lock().unwrap().clone();
        Box::pin(async move { Ok(picked) })
    }

    fn notify(&self, _title: &str, _body: &str) -> Result<(), String> {
        Ok(())
    }
}

fn context(dir: &std::path::Path) -> (Arc<AppContext>, Arc<RecordingHost>) {
    let host = Arc::new(RecordingHost::default());
    let dirs = Dirs {
        config: dir.join("config"),
        data: dir.join("data"),
    };
    let options = LaunchOptions {
        demo_devices: Some(8),
        ..LaunchOptions::default()
    };
    let ctx = AppContext::new(
        &options,
        &dirs,
        Arc::new(MemoryKeychain::new()),
        host.clone(),
    );
    (ctx, host)
}

async fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    for _ in 0..100 {
        if ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not happen within 5 s");
}

#[tokio::test(flavor = "multi_thread")]
async fn live_positions_reach_the_webview_as_contract_events() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, host) = context(dir.path());
    let info = ctx.session_demo().await.unwrap();
    assert!(info.demo);
    wait_for("a live-update event", || {
        !host.events_named("live-update").is_empty()
    })
    .await;
    let update = &host.events_named("live-update")[0];
    assert_eq!(update["tracks"].as_array().unwrap().len(), 8, "{update}");
    let status = &host.events_named("live-status")[0];
    assert_eq!(status["state"], "ok");
    assert_eq!(ctx.fleet_devices().await.unwrap().len(), 8);
    ctx.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_go_where_the_user_picks_and_a_dismissed_dialog_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, host) = context(dir.path());
    ctx.session_demo().await.unwrap();

    // Dismissed: nothing written, no error.
    assert_eq!(ctx.geofence_export().await.unwrap(), None);
    let asked = host.dialogs.lock().unwrap()[0].clone();
    assert_eq!(asked.title, "Export the geofences");
    assert!(asked.file_name.ends_with(".geojson"), "{asked:?}");
    assert_eq!(asked.extension, "geojson");

    let target = dir.path().join("out").join("fences.geojson");
    *host.save_to.lock().unwrap() = Some(target.clone());
    let done = ctx.geofence_export().await.unwrap().unwrap();
    assert_eq!(done.path, target.display().to_string());
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.contains("FeatureCollection"), "{text}");

    let csv = ctx
        .alarms_save_csv("type,name\n1,sosAlarm\n".into(), 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(csv.count, 1);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "type,name\n1,sosAlarm\n"
    );
    ctx.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_alarm_query_cancels_the_one_in_flight() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, _host) = context(dir.path());
    ctx.session_demo().await.unwrap();
    let imeis: Vec<String> = ctx
        .fleet_devices()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.imei)
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    // Every request takes 40 ms: a month of every vehicle's alarms is still running when the
    // second query starts.
    ctx.sessions()
        .demo_service()
        .unwrap()
        .set_latency(Duration::from_millis(40));
    let first = {
        let ctx = ctx.clone();
        let imeis = imeis.clone();
        tokio::spawn(async move { ctx.alarms_query(&imeis, now - 30 * 86_400, now).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = ctx.alarms_query(&imeis[..1], now - 3600, now).await;
    assert!(second.is_ok(), "{second:?}");
    let e = first.await.unwrap().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Cancelled, "{e}");
    ctx.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_forgets_the_sessions_histories_and_demo_hooks_refuse_without_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let (ctx, host) = context(dir.path());
    assert_eq!(
        ctx.demo_clock_advance(0).await.unwrap_err().kind(),
        ErrorKind::NotSignedIn
    );
    assert!(
        ctx.demo_request_log(None, 0).is_err(),
        "no log before the demo runs"
    );

    ctx.session_demo().await.unwrap();
    let imei = ctx.fleet_devices().await.unwrap()[0].imei.clone();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let loaded = ctx.playback_load(7, &imei, now - 3600, now).await.unwrap();
    assert!(loaded.complete);
    let bytes = ctx.playback_points(&imei, now - 3600, now).await.unwrap();
    assert_eq!(bytes.len(), loaded.count * 40, "five f64 columns");
    assert!(!host.events_named("playback-progress").is_empty());
    let log = ctx.demo_request_log(Some("/api/playback"), 0).unwrap();
    assert!(!log.is_empty());
    assert!(ctx.demo_clock_advance(60).await.unwrap().offset_secs >= 60);

    ctx.session_logout().await.unwrap();
    let e = ctx
        .playback_points(&imei, now - 3600, now)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSignedIn);
    ctx.shutdown().await;
}
