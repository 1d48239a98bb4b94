//! Shared by the integration tests: an event sink that collects what the UI would receive, poller
//! paces and signed-in session managers.
#![allow(dead_code, clippy::unwrap_used)]

use etrack_app::keychain::MemoryKeychain;
use etrack_app::live::{EventSink, LiveState, LiveStatus, LiveTiming, LiveUpdate};
use etrack_app::session::SessionManager;
use etrack_app::settings::SettingsStore;
use etrack_sim::{SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// An event the backend sent towards the webview.
#[derive(Debug, Clone)]
pub enum Event {
    Update(LiveUpdate),
    Status(LiveStatus),
}

/// Collects events in a channel, as the webview would receive them.
pub struct ChannelSink(pub mpsc::UnboundedSender<Event>);

impl EventSink for ChannelSink {
    fn live_update(&self, update: &LiveUpdate) {
        let _ = self.0.send(Event::Update(update.clone()));
    }
    fn live_status(&self, status: &LiveStatus) {
        let _ = self.0.send(Event::Status(status.clone()));
    }
}

pub fn sink() -> (std::sync::Arc<ChannelSink>, mpsc::UnboundedReceiver<Event>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (std::sync::Arc::new(ChannelSink(tx)), rx)
}

/// The next event within `within`, or None.
pub async fn next_event(
    rx: &mut mpsc::UnboundedReceiver<Event>,
    within: Duration,
) -> Option<Event> {
    tokio::time::timeout(within, rx.recv()).await.ok().flatten()
}

/// Waits for the next live-update, skipping statuses.
pub async fn next_update(rx: &mut mpsc::UnboundedReceiver<Event>, within: Duration) -> LiveUpdate {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match next_event(rx, left).await {
            Some(Event::Update(u)) => return u,
            Some(Event::Status(_)) => continue,
            None => panic!("no live-update within {within:?}"),
        }
    }
}

/// Waits for a live-status in `state`, skipping everything else.
pub async fn wait_status(
    rx: &mut mpsc::UnboundedReceiver<Event>,
    state: LiveState,
    within: Duration,
) -> LiveStatus {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match next_event(rx, left).await {
            Some(Event::Status(s)) if s.state == state => return s,
            Some(_) => continue,
            None => panic!("no live-status {state:?} within {within:?}"),
        }
    }
}

/// Drops whatever is queued.
pub fn drain(rx: &mut mpsc::UnboundedReceiver<Event>) {
    while rx.try_recv().is_ok() {}
}

/// The poller's pace for tests that watch it: a poll every 300 ms, retries within 100-400 ms.
pub fn fast_live() -> LiveTiming {
    LiveTiming {
        interval: Duration::from_millis(300),
        backoff_min: Duration::from_millis(100),
        backoff_max: Duration::from_millis(400),
        device_list_every: Duration::from_secs(300),
    }
}

/// A session manager (settings in `dir`, an in-memory keychain) whose poller stays out of the
/// way: one poll at sign-in, then none for an hour, failed or not. For tests that read the
/// simulator's request log.
pub fn quiet_manager(dir: &Path) -> SessionManager {
    let (sink, _rx) = sink();
    let hour = Duration::from_secs(3600);
    SessionManager::new(
        SettingsStore::load(dir),
        Arc::new(MemoryKeychain::new()),
        sink,
    )
    .with_live_timing(LiveTiming {
        interval: hour,
        backoff_min: hour,
        backoff_max: hour,
        device_list_every: hour,
    })
}

/// A [`quiet_manager`] signed in to `sim`'s demo account.
pub async fn signed_in(sim: &SimHandle, dir: &Path) -> SessionManager {
    let sessions = quiet_manager(dir);
    sessions
        .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
    sessions
}

/// A base URL where nothing listens: a port just released.
pub fn dead_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}
