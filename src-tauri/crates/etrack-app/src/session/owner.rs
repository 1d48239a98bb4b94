//! Whose records these are: the key under which the app keeps an account's geofences, watch
//! settings and notified alarms.

use super::SessionInfo;

/// Whose records these are: the account and its provider. The demo runs on a new port at every
/// start, so its provider is the word `demo` rather than its URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Owner {
    /// The account name.
    pub account: String,
    /// The provider's URL, or `demo`.
    pub provider: String,
}

impl Owner {
    /// The owner of a signed-in session's records.
    pub fn of(session: &SessionInfo) -> Self {
        Self {
            account: session.account.clone(),
            provider: if session.demo {
                "demo".to_owned()
            } else {
                session.provider_url.clone()
            },
        }
    }

    /// `account@provider`, the key of per-account maps in data files.
    pub fn key(&self) -> String {
        format!("{}@{}", self.account, self.provider)
    }
}
