//! Knobs of the client: retry policy, fetch options for long histories, command polling.

use serde::Serialize;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// How often and how patiently the client retries what is safe to retry.
///
/// Retries cover 10009 ("too frequent") answers for every request, and network errors and HTTP
/// 5xx for reads only: a write whose outcome is unknown is never sent a second time.
///
/// ```
/// let p = etrack::RetryPolicy::default();
/// assert_eq!(p.max_retries, 5);
/// ```
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub max_retries: u32,
    /// The first back-off delay; it doubles on each retry.
    pub base_delay: Duration,
    /// The longest back-off delay.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// The back-off between retries: from `base_delay`, doubling up to `max_delay`.
    pub fn backoff(&self) -> crate::Backoff {
        crate::Backoff::new(self.base_delay, self.max_delay)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// Options of a long history fetch ([`crate::Client::playback_with`], [`crate::Client::alarms_with`]).
///
/// ```
/// let opts = etrack::FetchOptions { concurrency: 2, ..Default::default() };
/// opts.cancel.cancel(); // a fetch with these options now ends with Error::Cancelled
/// assert!(opts.cancel.is_cancelled());
/// ```
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// The most requests in flight at once (at least 1; default 8). Without `window_secs` the
    /// fetch starts with 6 (or fewer, if this is lower), halves on 10009 and grows back slowly
    /// up to this; with `window_secs`, this many windows run at once, one fewer after each 10009.
    pub concurrency: usize,
    /// `None` (the default): adaptive paging, sized by the density a first page shows (one
    /// request for a range with less than a page). `Some(secs)`: fixed windows of that length.
    pub window_secs: Option<i64>,
    /// Cancels the fetch.
    pub cancel: CancellationToken,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            window_secs: None,
            cancel: CancellationToken::new(),
        }
    }
}

/// Options of [`crate::Client::run_command`].
///
/// ```
/// let o = etrack::CommandOptions::default();
/// assert_eq!((o.max_polls, o.poll_interval.as_secs()), (30, 1));
/// ```
#[derive(Clone, Debug)]
pub struct CommandOptions {
    /// How many times the command status is queried before giving up (default 30, as the spec).
    pub max_polls: u32,
    /// The pause between queries (default 1 s, as the spec).
    pub poll_interval: Duration,
    /// Stops polling (the command, once sent, is not withdrawn).
    pub cancel: CancellationToken,
}

impl Default for CommandOptions {
    fn default() -> Self {
        Self {
            max_polls: 30,
            poll_interval: Duration::from_secs(1),
            cancel: CancellationToken::new(),
        }
    }
}

/// How far a long fetch has come.
///
/// ```
/// let p = etrack::Progress { pages: 3, records: 2500, covered_secs: 3600, total_secs: 7200 };
/// assert_eq!(p.fraction(), 0.5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Pages received so far.
    pub pages: u32,
    /// Records kept so far (repeats dropped).
    pub records: usize,
    /// Seconds of the range fully fetched.
    pub covered_secs: i64,
    /// Seconds in the whole range.
    pub total_secs: i64,
}

impl Progress {
    /// `covered_secs / total_secs`, 0.0 to 1.0.
    pub fn fraction(&self) -> f64 {
        if self.total_secs <= 0 {
            1.0
        } else {
            (self.covered_secs as f64 / self.total_secs as f64).clamp(0.0, 1.0)
        }
    }
}
