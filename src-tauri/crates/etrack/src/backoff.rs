//! Exponential back-off with jitter: the one rule for "wait longer after each failure" used by the
//! client's retries, the app's live poller and its alarm watcher.

use rand::Rng;
use std::time::Duration;

/// Delays that double from `base` up to `max`, with "equal jitter": the delay after the n-th
/// failure in a row lies between half and all of `base * 2^(n-1)` (capped at `max`), so clients
/// that failed together do not come back together.
///
/// ```
/// use std::time::Duration;
/// let b = etrack::Backoff::new(Duration::from_secs(2), Duration::from_secs(60));
/// assert_eq!(b.ceiling(1), Duration::from_secs(2));
/// assert_eq!(b.ceiling(3), Duration::from_secs(8));
/// assert_eq!(b.ceiling(40), Duration::from_secs(60));
/// let d = b.delay(3);
/// assert!(d >= Duration::from_secs(4) && d <= Duration::from_secs(8));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The delay ceiling after the first failure.
    pub base: Duration,
    /// The longest delay.
    pub max: Duration,
}

impl Backoff {
    /// Delays from `base` doubling up to `max`.
    pub const fn new(base: Duration, max: Duration) -> Self {
        Self { base, max }
    }

    /// The longest delay after `failures` failures in a row (0 counts as 1).
    pub fn ceiling(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        let factor = 1u32.checked_shl(doublings).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The delay after `failures` failures in a row: between half and all of
    /// [`Self::ceiling`], at random.
    pub fn delay(&self, failures: u32) -> Duration {
        self.delay_with(failures, &mut rand::rng())
    }

    /// [`Self::delay`] with the caller's random source (tests pass a seeded one).
    pub fn delay_with(&self, failures: u32, rng: &mut impl Rng) -> Duration {
        let full = self.ceiling(failures);
        let half = full / 2;
        let jitter_nanos = u64::try_from((full - half).as_nanos()).unwrap_or(u64::MAX);
        half + Duration::from_nanos(rng.random_range(0..=jitter_nanos))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn doubles_stays_within_bounds_and_jitters() {
        let b = Backoff::new(Duration::from_millis(100), Duration::from_secs(1));
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for failures in 1..40 {
            let d = b.delay_with(failures, &mut rng);
            let full = (Duration::from_millis(100) * 2u32.pow((failures - 1).min(10)))
                .min(Duration::from_secs(1));
            assert_eq!(b.ceiling(failures), full);
            assert!(d >= full / 2 && d <= full, "failure {failures}: {d:?}");
        }
        let samples: std::collections::HashSet<Duration> =
            (0..20).map(|_| b.delay_with(4, &mut rng)).collect();
        assert!(samples.len() > 10, "no jitter: {samples:?}");
    }

    #[test]
    fn huge_failure_counts_stay_at_the_cap() {
        let b = Backoff::new(Duration::from_secs(5), Duration::from_secs(300));
        assert_eq!(b.ceiling(0), Duration::from_secs(5));
        assert_eq!(b.ceiling(u32::MAX), Duration::from_secs(300));
    }
}
