//! The watcher's task: one vehicle a turn, paced over the interval, backing off on failures.

use super::{
    lock, now_secs, AlarmWatcher, Names, WatchSession, WatchSettings, WatchState, WatchStatus,
    FIRST_LOOKBACK_SECS, MAX_CATCHUP_SECS, OVERLAP_SECS, SLACK_SECS,
};
use crate::error::AppError;
use crate::live::now_ms;
use etrack::{Alarm, FetchOptions, Imei, TimeRange};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The watcher's pacing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchTiming {
    /// The shortest pause between two requests.
    pub min_gap: Duration,
    /// How often to look again when there is nothing to watch.
    pub idle: Duration,
    /// The first back-off delay after a failed read; it doubles with each failure in a row.
    pub backoff_min: Duration,
    /// The longest back-off delay.
    pub backoff_max: Duration,
    /// How often the vehicle names are read again.
    pub names_every: Duration,
}

impl Default for WatchTiming {
    fn default() -> Self {
        Self {
            min_gap: Duration::from_secs(1),
            idle: Duration::from_secs(5),
            backoff_min: Duration::from_secs(5),
            backoff_max: Duration::from_secs(300),
            names_every: Duration::from_secs(600),
        }
    }
}

impl WatchTiming {
    /// The pause after reading one of `vehicles` vehicles: the round of all of them takes about
    /// `every`, one request per `min_gap` at most.
    pub fn gap(&self, every: Duration, vehicles: usize) -> Duration {
        let n = u32::try_from(vehicles.max(1)).unwrap_or(u32::MAX);
        (every / n).max(self.min_gap)
    }

    /// The delay after `failures` failed reads in a row, with jitter so several clients do not
    /// come back in step.
    pub fn backoff(&self, failures: u32) -> Duration {
        etrack::Backoff::new(self.backoff_min, self.backoff_max).delay(failures)
    }
}

/// Errors about one vehicle only: the next vehicle is read as usual.
fn vehicle_specific(e: &etrack::Error) -> bool {
    use etrack::codes;
    match e {
        etrack::Error::Api { code, .. } => matches!(
            *code,
            codes::IMEI_NOT_AUTHORIZED
                | codes::TARGET_NOT_EXIST
                | codes::DEVICE_BLOCKED
                | codes::TARGET_EXPIRED
                | codes::NO_DATA
        ),
        etrack::Error::Validation(_) => true,
        _ => false,
    }
}

impl AlarmWatcher {
    /// One turn of the task: reads one watched vehicle (or nothing) and returns the pause before
    /// the next turn.
    pub async fn step(&self) -> Duration {
        let Some(sess) = self.source.session().await else {
            lock(&self.run).owner = None;
            self.set_status(WatchStatus {
                state: WatchState::NotSignedIn,
                message: None,
                watching: 0,
                last_poll_ms: None,
            });
            return self.timing.idle;
        };
        let key = sess.owner.key();
        {
            let mut run = lock(&self.run);
            if run.owner.as_deref() != Some(key.as_str()) {
                run.owner = Some(key.clone());
                run.unread = 0;
                run.recent.clear();
                run.next = 0;
                run.failures = 0;
                run.status.last_poll_ms = None;
            }
        }
        let settings = self.settings(&sess.owner);
        let off = if !settings.enabled {
            Some("Watching is off.")
        } else if settings.imeis.is_empty() {
            Some("No vehicle is watched.")
        } else if settings.types.is_empty() {
            Some("No alarm type is marked.")
        } else {
            None
        };
        if let Some(why) = off {
            sess.gate.run(|| {
                self.set_status(WatchStatus {
                    state: WatchState::Off,
                    message: Some(why.to_owned()),
                    watching: 0,
                    last_poll_ms: self.last_poll(),
                })
            });
            return self.timing.idle;
        }
        let n = settings.imeis.len();
        let idx = lock(&self.run).next % n;
        let imei = settings.imeis[idx].clone();
        let now = now_secs() + sess.clock_offset_secs;
        let watching = u32::try_from(n).unwrap_or(u32::MAX);
        let gap = self
            .timing
            .gap(Duration::from_secs(u64::from(settings.every_secs)), n);
        // What a turn does once the read is back happens through the session's gate; a closed
        // gate (signed out meanwhile) leaves everything as it was before the read.
        let said = match self.read_vehicle(&sess, &key, &imei, &settings, now).await {
            Ok(unseen) => {
                // The vehicle names cost a request: only read when there is news.
                let names = if unseen.is_empty() {
                    HashMap::new()
                } else {
                    self.names(&sess).await
                };
                sess.gate.run(|| {
                    {
                        let mut run = lock(&self.run);
                        run.next = idx + 1;
                        run.failures = 0;
                    }
                    let fresh = self.remember(&key, &imei, &settings, now, unseen);
                    if !fresh.is_empty() {
                        self.raise(&sess, &imei, &names, fresh);
                    }
                    self.set_status(WatchStatus {
                        state: WatchState::Watching,
                        message: None,
                        watching,
                        last_poll_ms: Some(now_ms()),
                    });
                    gap
                })
            }
            Err(e) if vehicle_specific(&e) => {
                let words = AppError::from(e).to_string();
                tracing::info!("alarms of {imei} not readable: {words}");
                sess.gate.run(|| {
                    lock(&self.run).next = idx + 1;
                    self.set_status(WatchStatus {
                        state: WatchState::Watching,
                        message: Some(format!("Cannot read the alarms of {imei}: {words}")),
                        watching,
                        last_poll_ms: self.last_poll(),
                    });
                    gap
                })
            }
            Err(e) => {
                let words = AppError::from(e).to_string();
                sess.gate.run(|| {
                    let failures = {
                        let mut run = lock(&self.run);
                        run.failures = run.failures.saturating_add(1);
                        run.failures
                    };
                    let delay = self.timing.backoff(failures);
                    tracing::warn!("alarm watch read failed ({failures} in a row): {words}");
                    self.set_status(WatchStatus {
                        state: WatchState::BackingOff,
                        message: Some(format!(
                            "{} Trying again in {} s.",
                            words.trim_end_matches('.').to_owned() + ".",
                            delay.as_secs().max(1)
                        )),
                        watching,
                        last_poll_ms: self.last_poll(),
                    });
                    delay
                })
            }
        };
        said.unwrap_or(self.timing.idle)
    }

    /// Reads one vehicle's recent alarms and returns those of a watched type not seen before.
    /// Nothing is remembered yet: see [`Self::remember`].
    async fn read_vehicle(
        &self,
        sess: &WatchSession,
        key: &str,
        imei: &str,
        settings: &WatchSettings,
        now: i64,
    ) -> Result<Vec<Alarm>, etrack::Error> {
        let parsed = Imei::parse(imei)?;
        let cursor = self.cursor(key, imei);
        let begin = match cursor {
            Some(c) if c <= now => (c - OVERLAP_SECS).max(now - MAX_CATCHUP_SECS),
            // A cursor ahead of the provider's clock (the clock was corrected, or the demo was
            // restarted after running ahead) would leave nothing to read: start afresh.
            _ => now - FIRST_LOOKBACK_SECS,
        };
        let range = TimeRange::new(begin, now + SLACK_SECS)?;
        let opts = FetchOptions {
            concurrency: 1,
            cancel: self.cancel.child_token(),
            ..FetchOptions::default()
        };
        let alarms = sess
            .client
            .alarms_with(&parsed, range, &opts, &|_| {})
            .await?;
        let read = alarms.len();
        let watched: Vec<Alarm> = alarms
            .into_iter()
            .filter(|a| settings.types.contains(&a.alarm_type.code()))
            .collect();
        let unseen = self.not_seen(key, imei, watched);
        tracing::debug!(
            imei,
            begin = range.begin(),
            end = range.end(),
            read,
            unseen = unseen.len(),
            types = ?settings.types,
            "alarm watch read"
        );
        Ok(unseen)
    }

    /// The account's vehicle names as the list shows them (name, else plate, else IMEI), read
    /// again now and then.
    async fn names(&self, sess: &WatchSession) -> HashMap<String, String> {
        let key = sess.owner.key();
        {
            let run = lock(&self.run);
            if let Some(n) = &run.names {
                if n.owner == key && n.at.elapsed() < self.timing.names_every {
                    return n.by_imei.clone();
                }
            }
        }
        match sess.client.device_list(None).await {
            Ok(devices) => {
                let by_imei: HashMap<String, String> = devices
                    .into_iter()
                    .map(|d| {
                        let name = [&d.devicename, &d.platenumber]
                            .into_iter()
                            .map(|s| s.trim())
                            .find(|s| !s.is_empty())
                            .unwrap_or(d.imei.as_str())
                            .to_owned();
                        (d.imei, name)
                    })
                    .collect();
                lock(&self.run).names = Some(Names {
                    owner: key,
                    at: Instant::now(),
                    by_imei: by_imei.clone(),
                });
                by_imei
            }
            Err(e) => {
                tracing::info!("vehicle names unavailable for notifications: {e}");
                HashMap::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_spread_over_the_interval_but_never_faster_than_the_gap() {
        let t = WatchTiming::default();
        let minute = Duration::from_secs(60);
        assert_eq!(t.gap(minute, 1), minute);
        assert_eq!(t.gap(minute, 3), Duration::from_secs(20));
        assert_eq!(t.gap(minute, 500), t.min_gap);
        assert_eq!(t.gap(minute, 0), minute);
    }

    #[test]
    fn backoff_doubles_to_a_cap_with_a_little_jitter() {
        let t = WatchTiming::default();
        for (n, ceiling) in [(1u32, 5u64), (2, 10), (3, 20), (7, 300), (40, 300)] {
            let d = t.backoff(n);
            let ceiling = Duration::from_secs(ceiling);
            assert!(d >= ceiling / 2 && d <= ceiling, "{n}: {d:?}");
        }
    }
}
