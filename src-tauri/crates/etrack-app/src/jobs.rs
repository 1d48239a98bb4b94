//! "A new job cancels the previous one": the one rule of the app's long reads (playback, alarm
//! history, mileage), where only the latest request of a view matters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use tokio_util::sync::CancellationToken;

/// The slot of one kind of job: at most one runs; starting another cancels it.
#[derive(Debug, Default)]
pub struct LatestJob {
    current: Mutex<Option<(u64, CancellationToken)>>,
    next_id: AtomicU64,
}

/// A running job; dropping it frees the slot (if no newer job took it meanwhile).
#[derive(Debug)]
pub struct Job<'a> {
    slot: &'a LatestJob,
    id: u64,
    cancel: CancellationToken,
}

impl LatestJob {
    /// An empty slot.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Option<(u64, CancellationToken)>> {
        // Only an id and a token are behind the lock: a panic elsewhere leaves them usable.
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a job with a fresh id, cancelling the one running.
    pub fn start(&self) -> Job<'_> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.start_as(id)
    }

    /// Starts a job with the caller's id (the UI's request id), cancelling the one running.
    pub fn start_as(&self, id: u64) -> Job<'_> {
        let cancel = CancellationToken::new();
        if let Some((_, previous)) = self.lock().replace((id, cancel.clone())) {
            previous.cancel();
        }
        Job {
            slot: self,
            id,
            cancel,
        }
    }

    /// Cancels the running job, if any; true if there was one.
    pub fn cancel(&self) -> bool {
        match self.lock().take() {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancels the running job if it is `id`; true if it was.
    pub fn cancel_id(&self, id: u64) -> bool {
        let mut current = self.lock();
        match current.as_ref() {
            Some((running, token)) if *running == id => {
                token.cancel();
                *current = None;
                true
            }
            _ => false,
        }
    }
}

impl Job<'_> {
    /// The token that tells the job's work to stop.
    pub fn token(&self) -> &CancellationToken {
        &self.cancel
    }
}

impl Drop for Job<'_> {
    fn drop(&mut self) {
        let mut current = self.slot.lock();
        if current.as_ref().is_some_and(|(id, _)| *id == self.id) {
            *current = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_job_cancels_the_previous_one() {
        let slot = LatestJob::new();
        let first = slot.start();
        let second = slot.start();
        assert!(first.token().is_cancelled());
        assert!(!second.token().is_cancelled());
        drop(first);
        assert!(
            slot.cancel(),
            "the second one still runs after the first ended"
        );
        assert!(second.token().is_cancelled());
        assert!(!slot.cancel(), "nothing runs any more");
    }

    #[test]
    fn cancelling_by_id_touches_only_that_job() {
        let slot = LatestJob::new();
        let job = slot.start_as(7);
        assert!(!slot.cancel_id(6));
        assert!(!job.token().is_cancelled());
        assert!(slot.cancel_id(7));
        assert!(job.token().is_cancelled());
    }

    #[test]
    fn a_finished_job_frees_the_slot() {
        let slot = LatestJob::new();
        drop(slot.start_as(1));
        assert!(!slot.cancel_id(1), "nothing left to cancel");
    }
}
