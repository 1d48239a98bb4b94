//! One-time confirmation ids for dangerous actions (engine stop, account block).
//!
//! The backend, not the dialog, decides whether something is sent: *prepare* stores the action
//! under a random id that lives for a short time; *confirm* must bring that id back (and, when the
//! action asks for it, the typed text) before the action is taken out and run. An id works once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a confirmation id stays valid: long enough to read the dialog, short enough that a
/// stale dialog (the vehicle has moved on) cannot send.
pub const CONFIRMATION_TTL: Duration = Duration::from_secs(60);

/// Wrong typed texts allowed before the id is voided (a slip is forgiven, guessing is not).
pub const MAX_WRONG_TYPED: u32 = 3;

/// Why a confirmation was refused. Nothing is sent in any of these cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The id was never issued (or belongs to another kind of action).
    Unknown,
    /// The id was already used, discarded, or voided.
    Used,
    /// The id is older than its time to live.
    Expired,
    /// The typed text does not match; `attempts_left` more tries before the id is voided.
    WrongText {
        /// What had to be typed.
        expected: String,
        /// Tries left (0: the id is now void).
        attempts_left: u32,
    },
}

struct Pending<T> {
    action: T,
    expires: Instant,
    must_type: Option<String>,
    wrong: u32,
}

struct Inner<T> {
    pending: HashMap<String, Pending<T>>,
    /// Ids used, voided or expired, and when: a second use reads "already used". Forgotten after
    /// [`SPENT_MEMORY`] (then it reads "not valid", which is as refused), so the set stays small.
    spent: HashMap<String, Instant>,
}

/// How long a spent id is remembered as spent.
pub const SPENT_MEMORY: Duration = Duration::from_secs(30 * 60);

impl<T> Inner<T> {
    fn spend(&mut self, id: String, now: Instant) {
        self.spent.insert(id, now);
    }
}

/// Issued, not yet used confirmations of one kind of action.
pub struct Confirmations<T> {
    ttl: Duration,
    inner: Mutex<Inner<T>>,
}

impl<T> Default for Confirmations<T> {
    fn default() -> Self {
        Self::new(CONFIRMATION_TTL)
    }
}

impl<T> Confirmations<T> {
    /// A store whose ids expire after `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            inner: Mutex::new(Inner {
                pending: HashMap::new(),
                spent: HashMap::new(),
            }),
        }
    }

    /// How long an id lives.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<T>> {
        // A panic while holding the lock leaves consistent data (every change is one insert or
        // remove), so a poisoned lock is still usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores `action` under a new random id; confirming it will need `must_type` when given.
    pub fn issue(&self, action: T, must_type: Option<String>) -> String {
        let id = format!("{:032x}", rand::random::<u128>());
        let now = Instant::now();
        let mut inner = self.lock();
        let expired: Vec<String> = inner
            .pending
            .iter()
            .filter(|(_, p)| p.expires <= now)
            .map(|(k, _)| k.clone())
            .collect();
        for k in expired {
            inner.pending.remove(&k);
            inner.spend(k, now);
        }
        inner
            .spent
            .retain(|_, at| now.saturating_duration_since(*at) < SPENT_MEMORY);
        inner.pending.insert(
            id.clone(),
            Pending {
                action,
                expires: now + self.ttl,
                must_type,
                wrong: 0,
            },
        );
        id
    }

    /// Takes the action out if `id` is valid and `typed` matches what it asks for; the id is then
    /// spent. A wrong text leaves the id usable until [`MAX_WRONG_TYPED`] wrong tries.
    pub fn redeem(&self, id: &str, typed: Option<&str>) -> Result<T, Refusal> {
        let mut inner = self.lock();
        let Some(p) = inner.pending.get_mut(id) else {
            return Err(if inner.spent.contains_key(id) {
                Refusal::Used
            } else {
                Refusal::Unknown
            });
        };
        let now = Instant::now();
        if p.expires <= now {
            inner.pending.remove(id);
            inner.spend(id.to_owned(), now);
            return Err(Refusal::Expired);
        }
        if let Some(expected) = &p.must_type {
            if !typed_matches(expected, typed.unwrap_or_default()) {
                p.wrong += 1;
                let expected = expected.clone();
                let attempts_left = MAX_WRONG_TYPED.saturating_sub(p.wrong);
                if attempts_left == 0 {
                    inner.pending.remove(id);
                    inner.spend(id.to_owned(), now);
                }
                return Err(Refusal::WrongText {
                    expected,
                    attempts_left,
                });
            }
        }
        let p = inner.pending.remove(id);
        inner.spend(id.to_owned(), now);
        p.map(|p| p.action).ok_or(Refusal::Unknown)
    }

    /// Voids an id (the dialog was cancelled). Unknown ids are ignored.
    pub fn discard(&self, id: &str) {
        let mut inner = self.lock();
        if inner.pending.remove(id).is_some() {
            inner.spend(id.to_owned(), Instant::now());
        }
    }

    /// Whether `id` is issued, unused and unexpired.
    pub fn is_pending(&self, id: &str) -> bool {
        self.lock()
            .pending
            .get(id)
            .is_some_and(|p| p.expires > Instant::now())
    }
}

/// Typed confirmation text compared as people type it: case, spaces and the usual separators of
/// plates ("粤B-123 45", "sz 1234") do not matter; every letter and digit does.
pub fn typed_matches(expected: &str, typed: &str) -> bool {
    fn norm(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '.' | '·' | '•'))
            .flat_map(char::to_uppercase)
            .collect()
    }
    let want = norm(expected);
    !want.is_empty() && want == norm(typed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn an_id_works_once() {
        let c = Confirmations::default();
        let id = c.issue("stop", None);
        assert!(c.is_pending(&id));
        assert_eq!(c.redeem(&id, None), Ok("stop"));
        assert_eq!(c.redeem(&id, None), Err(Refusal::Used));
        assert!(!c.is_pending(&id));
    }

    #[test]
    fn unknown_and_discarded_ids_are_refused() {
        let c = Confirmations::default();
        assert_eq!(c.redeem("nope", None), Err(Refusal::Unknown));
        let id = c.issue(1, None);
        c.discard(&id);
        assert_eq!(c.redeem(&id, None), Err(Refusal::Used));
    }

    #[test]
    fn ids_expire() {
        let c = Confirmations::new(Duration::from_millis(20));
        let id = c.issue(1, None);
        std::thread::sleep(Duration::from_millis(40));
        assert!(!c.is_pending(&id));
        assert_eq!(c.redeem(&id, None), Err(Refusal::Expired));
        assert_eq!(c.redeem(&id, None), Err(Refusal::Used));
    }

    #[test]
    fn spent_ids_are_forgotten_after_a_while_and_stay_refused() {
        let c = Confirmations::new(Duration::from_secs(60));
        let id = c.issue(1u32, None);
        assert_eq!(c.redeem(&id, None), Ok(1));
        assert_eq!(c.redeem(&id, None), Err(Refusal::Used));
        // As if SPENT_MEMORY had passed: the next issue prunes it.
        if let Some(at) = c.lock().spent.get_mut(&id) {
            *at = Instant::now() - SPENT_MEMORY - Duration::from_secs(1);
        }
        let _ = c.issue(2, None);
        assert_eq!(
            c.lock().spent.len(),
            0,
            "the spent set does not grow for ever"
        );
        assert_eq!(c.redeem(&id, None), Err(Refusal::Unknown), "still refused");
    }

    #[test]
    fn typed_text_must_match_and_wrong_tries_are_limited() {
        let c = Confirmations::default();
        let id = c.issue(1, Some("SZ-4821".to_owned()));
        assert_eq!(
            c.redeem(&id, None),
            Err(Refusal::WrongText {
                expected: "SZ-4821".into(),
                attempts_left: 2
            })
        );
        assert!(matches!(
            c.redeem(&id, Some("SZ-4820")),
            Err(Refusal::WrongText {
                attempts_left: 1,
                ..
            })
        ));
        assert_eq!(c.redeem(&id, Some(" sz 4821 ")), Ok(1));

        let id = c.issue(2, Some("1234".to_owned()));
        for _ in 0..MAX_WRONG_TYPED {
            assert!(c.redeem(&id, Some("4321")).is_err());
        }
        assert_eq!(
            c.redeem(&id, Some("1234")),
            Err(Refusal::Used),
            "voided after {MAX_WRONG_TYPED} wrong tries"
        );
    }

    #[test]
    fn typing_ignores_case_spaces_and_separators_only() {
        assert!(typed_matches("粤B12345", "粤b 123-45"));
        assert!(!typed_matches("粤B12345", "B12345"));
        assert!(!typed_matches("", ""));
        assert!(!typed_matches("1234", "12 3"));
    }
}
