//! A switch that closes once, for what must not be seen after its owner ends: the events of a
//! stopped poller, of a signed-out session, of a command the user stopped waiting for.
//!
//! Checking "still open?" and then emitting leaves a window in which the close lands between the
//! two and the event still arrives after it. Here the work runs while holding the gate's lock and
//! [`Gate::close`] takes the same lock, so once `close` returns, whatever was running has finished
//! and nothing runs again.

use std::sync::{Arc, Mutex, MutexGuard};

/// An open gate until [`Gate::close`]; clones share the same state.
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<Mutex<bool>>);

impl Gate {
    /// An open gate.
    pub fn new() -> Self {
        Self::default()
    }

    fn closed(&self) -> MutexGuard<'_, bool> {
        // Nothing but the flag is behind the lock, so a panic elsewhere cannot leave it half set.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes the gate, after whatever runs through it has finished.
    pub fn close(&self) {
        *self.closed() = true;
    }

    /// Whether [`Gate::close`] has not been called yet.
    pub fn is_open(&self) -> bool {
        !*self.closed()
    }

    /// Runs `f` unless the gate is closed; `None` when it is. [`Gate::close`] waits for `f`, so
    /// `f` must be short and must not wait for anything (it holds a lock).
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> Option<R> {
        let closed = self.closed();
        if *closed {
            return None;
        }
        Some(f())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    #[test]
    fn runs_while_open_and_never_after_close() {
        let g = Gate::new();
        assert_eq!(g.run(|| 1), Some(1));
        let other = g.clone();
        other.close();
        assert!(!g.is_open());
        assert_eq!(g.run(|| 2), None);
    }

    #[test]
    fn close_waits_for_the_work_in_progress() {
        let g = Gate::new();
        let finished = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = std::sync::mpsc::channel();
        let worker = {
            let g = g.clone();
            let finished = finished.clone();
            std::thread::spawn(move || {
                g.run(|| {
                    started_tx.send(()).expect("the test waits");
                    std::thread::sleep(Duration::from_millis(200));
                    finished.store(true, Ordering::SeqCst);
                })
            })
        };
        started_rx.recv().expect("the work started");
        g.close();
        assert!(
            finished.load(Ordering::SeqCst),
            "close returned while the work was still running"
        );
        assert_eq!(worker.join().expect("no panic"), Some(()));
    }
}
