//! The live position poller: one task per session polls `/api/track` for every device.

use crate::error::AppError;
use crate::gate::Gate;
use crate::host::Event;
use etrack::{Client, Imei};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// One refresh of every device's latest position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveUpdate {
    /// When the refresh finished, unix milliseconds.
    pub at: i64,
    /// The latest state of each device, in device-list order.
    pub tracks: Vec<etrack::Track>,
    /// How long the refresh took (all batches), milliseconds.
    pub duration_ms: f64,
}

/// Whether live positions are flowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LiveState {
    /// The last poll succeeded.
    Ok,
    /// The provider could not be reached (no connection, DNS, TLS, time-out); retrying.
    Unreachable,
    /// The provider answered, but with an error (an HTTP error, a reply that cannot be read, a
    /// refusal such as "too frequent"); retrying.
    Error,
    /// The provider refused the account itself (wrong password, account blocked): polling has
    /// stopped, as asking again cannot help; the user signs in again.
    Stopped,
}

/// The poller's state, sent after each poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveStatus {
    /// The state.
    pub state: LiveState,
    /// What went wrong, in plain words (`None` when ok).
    pub message: Option<String>,
    /// When the last successful poll finished, unix milliseconds.
    pub last_ok: Option<i64>,
}

/// Where the backend's events go: the webview in the app, a collector in tests.
pub trait EventSink: Send + Sync + 'static {
    /// A successful refresh ("live-update").
    fn live_update(&self, update: &LiveUpdate);
    /// The poller's state after each poll ("live-status").
    fn live_status(&self, status: &LiveStatus);
}

impl Event for LiveUpdate {
    const NAME: &'static str = "live-update";
}

impl Event for LiveStatus {
    const NAME: &'static str = "live-status";
}

/// How the poller paces itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveTiming {
    /// Between successful polls.
    pub interval: Duration,
    /// The first retry delay after a failed poll; it doubles with each failure in a row.
    pub backoff_min: Duration,
    /// The longest retry delay.
    pub backoff_max: Duration,
    /// How often the device list is read again (devices may be added or removed).
    pub device_list_every: Duration,
}

impl LiveTiming {
    /// The app's pacing for a refresh interval.
    pub fn with_interval(interval: Duration) -> Self {
        Self {
            interval,
            backoff_min: Duration::from_secs(2),
            backoff_max: Duration::from_secs(60).max(interval),
            device_list_every: Duration::from_secs(300),
        }
    }

    /// The delay before the next attempt after `failures` failed polls in a row.
    pub fn backoff(&self, failures: u32) -> Duration {
        etrack::Backoff::new(self.backoff_min, self.backoff_max).delay(failures)
    }
}

/// "Refresh now" polls at most this often: a held key or an impatient user cannot make the app
/// ask the provider faster than the shortest refresh interval allowed (it answers 10009).
pub const MANUAL_REFRESH_GAP: Duration = Duration::from_secs(5);

/// The latest update of a running poller, shared with the commands that read it.
pub type Latest = Arc<Mutex<Option<LiveUpdate>>>;

/// A running poller; dropping it stops it.
pub struct LiveHandle {
    cancel: CancellationToken,
    wake: Arc<Notify>,
    latest: Latest,
    /// The poller emits (and updates `latest`) only through it, so [`LiveHandle::stop`] can promise
    /// that nothing is sent after it returns (a stale update must not reach the UI after a
    /// sign-out or an account switch).
    gate: Gate,
}

impl LiveHandle {
    /// Starts polling every device of `client`'s account. `latest` starts as the given snapshot
    /// (so a restart with a new interval keeps what the UI already has).
    pub fn start(
        client: Client,
        timing: LiveTiming,
        sink: Arc<dyn EventSink>,
        initial: Option<LiveUpdate>,
    ) -> Self {
        Self::start_fleet(client, LiveFleet::default(), timing, sink, initial)
    }

    /// Starts polling the devices of `fleet` (the signed-in account's own, or a sub-customer's).
    pub fn start_fleet(
        client: Client,
        fleet: LiveFleet,
        timing: LiveTiming,
        sink: Arc<dyn EventSink>,
        initial: Option<LiveUpdate>,
    ) -> Self {
        let cancel = CancellationToken::new();
        let wake = Arc::new(Notify::new());
        let latest: Latest = Arc::new(Mutex::new(initial));
        let gate = Gate::new();
        let poller = Poller {
            account: fleet.account,
            listed: fleet.listed,
            polled: Mutex::new(None),
            gate: gate.clone(),
            client,
            timing,
            sink,
            latest: latest.clone(),
            cancel: cancel.clone(),
            wake: wake.clone(),
        };
        tokio::spawn(poller.run());
        Self {
            cancel,
            wake,
            latest,
            gate,
        }
    }

    /// The latest successful refresh.
    pub fn snapshot(&self) -> Option<LiveUpdate> {
        self.latest
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Polls now instead of waiting for the interval (or the retry delay); when a poll started
    /// less than [`MANUAL_REFRESH_GAP`] ago, as soon as that much time has passed. Many calls in a
    /// row make one poll.
    pub fn refresh_now(&self) {
        self.wake.notify_one();
    }

    /// Stops the poller; no event is sent and the snapshot does not change after this returns.
    pub fn stop(&self) {
        self.gate.close();
        self.cancel.cancel();
    }
}

impl Drop for LiveHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Whose vehicles a poller follows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveFleet {
    /// The sub-customer whose device list (spec 2.7 `account`) is polled; `None`: the signed-in
    /// account's own.
    pub account: Option<String>,
    /// Its devices as just listed (the fleet was opened with this list), so the first poll does
    /// not ask for the list again: one device list per switch.
    pub listed: Option<Vec<Imei>>,
}

struct Poller {
    /// The sub-customer whose devices are polled (`None`: the account's own).
    account: Option<String>,
    /// The device list the poller starts with, taken by its first poll.
    listed: Option<Vec<Imei>>,
    /// When the last poll began ("refresh now" waits for the gap after it).
    polled: Mutex<Option<Instant>>,
    gate: Gate,
    client: Client,
    timing: LiveTiming,
    sink: Arc<dyn EventSink>,
    latest: Latest,
    cancel: CancellationToken,
    wake: Arc<Notify>,
}

/// The devices to poll and when they were listed.
struct Fleet {
    imeis: Vec<Imei>,
    listed: Instant,
}

impl Poller {
    async fn run(mut self) {
        let mut fleet: Option<Fleet> = self.listed.take().map(|imeis| Fleet {
            imeis,
            listed: Instant::now(),
        });
        let mut last_ok: Option<i64> = None;
        let mut failures = 0u32;
        loop {
            let outcome = tokio::select! {
                _ = self.cancel.cancelled() => return,
                r = self.poll(&mut fleet) => r,
            };
            let delay = match outcome {
                Ok(update) => {
                    failures = 0;
                    last_ok = Some(update.at);
                    let sent = self.emit(|| {
                        *self.latest.lock().unwrap_or_else(|p| p.into_inner()) =
                            Some(update.clone());
                        self.sink.live_update(&update);
                        self.sink.live_status(&LiveStatus {
                            state: LiveState::Ok,
                            message: None,
                            last_ok,
                        });
                    });
                    if !sent {
                        return;
                    }
                    self.timing.interval
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let state = match &e {
                        etrack::Error::Network { .. } => LiveState::Unreachable,
                        etrack::Error::Api { code, .. } if is_account_refused(*code) => {
                            LiveState::Stopped
                        }
                        _ => LiveState::Error,
                    };
                    let message = AppError::from(e).to_string();
                    let sent = self.emit(|| {
                        tracing::warn!("live refresh failed ({failures} in a row): {message}");
                        self.sink.live_status(&LiveStatus {
                            state,
                            message: Some(message.clone()),
                            last_ok,
                        });
                    });
                    if !sent || state == LiveState::Stopped {
                        return;
                    }
                    // The device list is read again after a failure: the account may have changed.
                    fleet = None;
                    self.timing.backoff(failures)
                }
            };
            tokio::select! {
                _ = self.cancel.cancelled() => return,
                _ = self.wake.notified() => {
                    // Asked for at once: not sooner than the gap after the last poll began.
                    let since = self
                        .polled
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .map(|at| at.elapsed());
                    if let Some(wait) = since.and_then(|s| MANUAL_REFRESH_GAP.checked_sub(s)) {
                        tokio::select! {
                            _ = self.cancel.cancelled() => return,
                            _ = tokio::time::sleep(wait) => {}
                        }
                    }
                }
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// Runs `f` (which emits) unless stopped; false when stopped.
    fn emit(&self, f: impl FnOnce()) -> bool {
        self.gate.run(f).is_some()
    }

    /// One refresh: the device list when due, then `/api/track` for every device.
    async fn poll(&self, fleet: &mut Option<Fleet>) -> etrack::Result<LiveUpdate> {
        *self.polled.lock().unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        let due = fleet
            .as_ref()
            .is_none_or(|f| f.listed.elapsed() >= self.timing.device_list_every);
        if due {
            let devices = self.client.device_list(self.account.as_deref()).await?;
            *fleet = Some(Fleet {
                imeis: imeis_of(&devices),
                listed: Instant::now(),
            });
        }
        let imeis = fleet
            .as_ref()
            .map(|f| f.imeis.as_slice())
            .unwrap_or_default();
        let started = Instant::now();
        let tracks = if imeis.is_empty() {
            Vec::new()
        } else {
            let each = self.client.track_each(imeis).await?;
            if !each.refused.is_empty() {
                // No longer the account's (10013): left out until the device list is read again,
                // so one stale device neither stops the fleet nor costs a bisection every poll.
                if let Some(f) = fleet.as_mut() {
                    f.imeis.retain(|i| each.refused.iter().all(|(r, _)| r != i));
                }
            }
            each.or_first_error()?
        };
        Ok(LiveUpdate {
            at: now_ms(),
            tracks,
            duration_ms: started.elapsed().as_secs_f64() * 1000.0,
        })
    }
}

/// Refusals of the account itself: signing in again with the same password cannot help.
fn is_account_refused(code: i64) -> bool {
    matches!(
        code,
        etrack::codes::ACCOUNT_OR_PASSWORD_ERROR | etrack::codes::ACCOUNT_BLOCKED
    )
}

/// The valid IMEIs of a device list, in its order; a malformed one is skipped (and logged) rather
/// than failing the whole fleet.
pub fn imeis_of(devices: &[etrack::Device]) -> Vec<Imei> {
    devices
        .iter()
        .filter_map(|d| match Imei::parse(&d.imei) {
            Ok(i) => Some(i),
            Err(e) => {
                tracing::warn!("skipping a device: {e}");
                None
            }
        })
        .collect()
}

/// Now, unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let t = LiveTiming::with_interval(Duration::from_secs(10));
        for (n, ceiling) in [
            (1u32, 2u64),
            (2, 4),
            (3, 8),
            (4, 16),
            (5, 32),
            (6, 60),
            (8, 60),
        ] {
            let d = t.backoff(n);
            let ceiling = Duration::from_secs(ceiling);
            assert!(d >= ceiling / 2 && d <= ceiling, "{n}: {d:?}");
        }
        assert!(t.backoff(u32::MAX) <= Duration::from_secs(60));
        let slow = LiveTiming::with_interval(Duration::from_secs(600));
        assert!(slow.backoff(30) >= Duration::from_secs(300));
    }

    #[test]
    fn live_events_use_camel_case_and_the_contract_names() {
        let s = LiveStatus {
            state: LiveState::Unreachable,
            message: Some("Cannot reach".into()),
            last_ok: Some(5),
        };
        assert_eq!(
            serde_json::to_value(&s).expect("json"),
            serde_json::json!({"state": "unreachable", "message": "Cannot reach", "lastOk": 5})
        );
        assert_eq!(LiveUpdate::NAME, "live-update");
        assert_eq!(LiveStatus::NAME, "live-status");
    }
}
