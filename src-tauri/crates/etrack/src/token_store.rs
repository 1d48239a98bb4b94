//! Sharing the access token with other processes.
//!
//! A new token makes the previous one invalid at once (spec 2.1), so two processes that sign in
//! on their own knock each other out: the app's live map and a scheduled `etrack track`, or a long
//! `etrack playback` export. A [`TokenStore`] keeps the account's current token where every
//! process of this user finds it, with a lock that lets one process sign in at a time. With a
//! store the client takes a valid stored token before signing in, and after the provider refused
//! its token it reads the store again (another process may have renewed it) before signing in.

/// A token as the store keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredToken {
    /// The access token.
    pub value: String,
    /// Unix seconds from which it should no longer be used (its refresh time, before expiry).
    pub use_until: i64,
}

/// Where the processes of this user share an account's token; implementations block (a keychain
/// or file access), and the client calls them from a blocking thread.
pub trait TokenStore: Send + Sync + 'static {
    /// The stored token, if any (expired or not).
    fn load(&self) -> Option<StoredToken>;
    /// Replaces the stored token.
    fn save(&self, token: &StoredToken);
    /// Takes the sign-in lock shared by every process; it is held until the guard is dropped.
    /// `None` when no lock can be had (then signing in goes on without it).
    fn lock(&self) -> Option<Box<dyn Send>>;
}
