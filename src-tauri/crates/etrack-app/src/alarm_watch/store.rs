//! Where each vehicle's read got to and which alarms were already notified, per account, kept in
//! `alarm-seen.json` and written before a notification is raised.

use super::{AlarmWatcher, WatchSettings, MAX_CATCHUP_SECS, OVERLAP_SECS};
use crate::alarms::alarm_id;
use etrack::Alarm;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Alarms remembered per account at most (the oldest are forgotten first).
const MAX_SEEN: usize = 20_000;
/// What one account has read and notified.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct SeenAccount {
    /// Per vehicle: the provider time read up to.
    cursors: BTreeMap<String, i64>,
    /// Alarm identity -> its system time.
    seen: BTreeMap<String, i64>,
}

impl SeenAccount {
    /// Remembers an alarm; false when it was already known.
    fn admit(&mut self, id: String, systemtime: i64) -> bool {
        if self.seen.contains_key(&id) {
            return false;
        }
        self.seen.insert(id, systemtime);
        true
    }

    /// Forgets what no read can return again: alarms older than the longest catch-up (plus the
    /// overlap), and the oldest beyond [`MAX_SEEN`].
    fn prune(&mut self, now: i64) {
        let horizon = now - MAX_CATCHUP_SECS - 2 * OVERLAP_SECS - 3600;
        self.seen.retain(|_, t| *t >= horizon);
        if self.seen.len() > MAX_SEEN {
            let mut times: Vec<i64> = self.seen.values().copied().collect();
            times.sort_unstable();
            let cut = times[self.seen.len() - MAX_SEEN];
            self.seen.retain(|_, t| *t >= cut);
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct SeenFile {
    version: u32,
    accounts: BTreeMap<String, SeenAccount>,
}

impl AlarmWatcher {
    /// Remembers on disk that `imei` was read up to `now` and which of `unseen` are new, and
    /// returns those.
    pub(super) fn remember(
        &self,
        key: &str,
        imei: &str,
        settings: &WatchSettings,
        now: i64,
        unseen: Vec<Alarm>,
    ) -> Vec<Alarm> {
        // Written before any notification: a restart must not notify these again. If it cannot
        // be written, they are still notified (and remembered until the app closes).
        let (fresh, failed) = self
            .seen
            .update_in_memory("save the notified alarms to", |f| {
                f.version = 1;
                let account = f.accounts.entry(key.to_owned()).or_default();
                let mut fresh = Vec::new();
                for a in unseen {
                    // Admitted one by one: a read may hold the same alarm twice.
                    if account.admit(alarm_id(imei, &a), a.systemtime) {
                        fresh.push(a);
                    }
                }
                account.cursors.insert(imei.to_owned(), now);
                // A vehicle no longer watched starts afresh if watched again.
                account
                    .cursors
                    .retain(|i, _| settings.imeis.iter().any(|w| w == i));
                account.prune(now);
                fresh
            });
        if let Some(e) = failed {
            tracing::warn!("{e}");
        }
        fresh
    }

    /// Where the read of `imei` got to, by the provider's clock.
    pub(super) fn cursor(&self, key: &str, imei: &str) -> Option<i64> {
        self.seen.read(|f| {
            f.accounts
                .get(key)
                .and_then(|a| a.cursors.get(imei))
                .copied()
        })
    }

    /// The alarms of `alarms` not notified before.
    pub(super) fn not_seen(&self, key: &str, imei: &str, alarms: Vec<Alarm>) -> Vec<Alarm> {
        self.seen.read(|f| {
            let seen = f.accounts.get(key);
            alarms
                .into_iter()
                .filter(|a| seen.is_none_or(|s| !s.seen.contains_key(&alarm_id(imei, a))))
                .collect()
        })
    }

    /// Forgets where each vehicle's read got to: the next reads start afresh.
    pub(super) fn forget_cursors(&self, key: &str) {
        let ((), failed) = self
            .seen
            .update_in_memory("save the notified alarms to", |f| {
                if let Some(a) = f.accounts.get_mut(key) {
                    a.cursors.clear();
                }
            });
        if let Some(e) = failed {
            tracing::warn!("{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alarm_is_admitted_once_and_old_ones_are_forgotten() {
        let mut a = SeenAccount::default();
        assert!(a.admit("x".into(), 1_000_000));
        assert!(!a.admit("x".into(), 1_000_000), "the same alarm twice");
        assert!(a.admit("y".into(), 1_000_000));
        a.prune(1_000_000 + MAX_CATCHUP_SECS);
        assert_eq!(a.seen.len(), 2, "still within reach of a catch-up read");
        a.prune(1_000_000 + 3 * MAX_CATCHUP_SECS);
        assert!(a.seen.is_empty(), "no read can return them any more");
    }

    #[test]
    fn the_seen_set_is_bounded_keeping_the_newest() {
        let mut a = SeenAccount::default();
        for i in 0..(MAX_SEEN + 10) {
            a.admit(
                format!("a{i}"),
                5_000_000 + i64::try_from(i).expect("small"),
            );
        }
        a.prune(5_000_000);
        assert_eq!(a.seen.len(), MAX_SEEN);
        assert!(!a.seen.contains_key("a0") && a.seen.contains_key(&format!("a{}", MAX_SEEN + 9)));
    }
}
