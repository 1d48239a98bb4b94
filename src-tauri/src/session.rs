//! The signed-in session: the one `etrack::Client` of the app.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Who is signed in, as the UI may know it (no secret in here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The account name.
    pub account: String,
    /// The provider's base URL.
    pub provider_url: String,
    /// Whether this is the built-in demo service.
    pub demo: bool,
    /// Whether the keychain holds this account's password hash (signs in at the next start).
    pub remembered: bool,
}

/// The outcome of signing in with the remembered account at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    /// The session, when the remembered account could sign in.
    pub session: Option<SessionInfo>,
    /// Why there is no session although an account was remembered (keychain unavailable,
    /// provider unreachable, password changed).
    pub notice: Option<String>,
}
