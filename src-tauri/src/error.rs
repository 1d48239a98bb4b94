//! The one error type that crosses IPC.
//!
//! Every failure the UI can see arrives as an [`IpcError`] whose `message` is already in words a
//! fleet manager understands, so the UI shows it as is and never has to interpret codes.

use etrack::codes;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// What kind of failure an [`IpcError`] is; the UI may react differently (e.g. a banner for
/// `network`, a field hint for `validation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// The provider refused the request with an API code (see `apiCode`).
    Api,
    /// The provider could not be reached.
    Network,
    /// The provider answered with an HTTP error status.
    Http,
    /// The provider's reply could not be read.
    Decode,
    /// The input was refused before anything was sent.
    Validation,
    /// The OS keychain is unavailable or failed.
    Keychain,
    /// The command needs a signed-in session.
    NotSignedIn,
    /// The operation was cancelled.
    Cancelled,
    /// A bug or an unexpected local failure.
    Internal,
}

/// An error for the UI: a kind, a message for people, and the provider's code when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The message to show, in plain words.
    pub message: String,
    /// The Open API's error code, for `api` errors.
    pub api_code: Option<i64>,
}

/// The message shown when the OS keychain cannot be used.
pub const NO_KEYCHAIN: &str = "No keychain available: sign in each time, or unlock your keyring";

impl IpcError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            api_code: None,
        }
    }

    /// Input refused before anything was sent.
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// A command that needs a session was called without one.
    pub fn not_signed_in() -> Self {
        Self::new(ErrorKind::NotSignedIn, "You are not signed in.")
    }

    /// A local failure that should not happen.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, message)
    }
}

impl fmt::Display for IpcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}

impl From<etrack::Error> for IpcError {
    fn from(e: etrack::Error) -> Self {
        use etrack::Error as E;
        match e {
            E::Api { code, message } => Self {
                kind: ErrorKind::Api,
                message: api_words(code, &message),
                api_code: Some(code),
            },
            E::Network { url, reason } => Self::new(
                ErrorKind::Network,
                format!("Cannot reach the provider at {url}: {reason}."),
            ),
            E::Http { status } => Self::new(
                ErrorKind::Http,
                format!("The provider answered with an error (HTTP {status}). Try again later."),
            ),
            E::Decode(why) => Self::new(
                ErrorKind::Decode,
                format!("The provider's reply could not be read ({why})."),
            ),
            E::Validation(why) => Self::validation(sentence(&why)),
            E::Cancelled => Self::new(ErrorKind::Cancelled, "Cancelled."),
            other => Self::internal(sentence(&other.to_string())),
        }
    }
}

/// Words for an API code. The codes a fleet manager meets at sign-in or during polling get their
/// own sentence; the rest keep the spec's description behind a short lead-in.
fn api_words(code: i64, message: &str) -> String {
    let words = match code {
        codes::ACCOUNT_OR_PASSWORD_ERROR => "Wrong account or password.",
        codes::ACCOUNT_BLOCKED => "This account is blocked. Contact your provider.",
        codes::TOO_FREQUENT => "The provider is busy (too many requests). Try again in a moment.",
        codes::LOGIN_TIMEOUT
        | codes::NOT_LOGIN
        | codes::TOKEN_NOT_EXIST
        | codes::TOKEN_INVALID
        | codes::TOKEN_EXPIRED => "The provider ended the session. Sign in again.",
        codes::REQUEST_TIME_ERROR => {
            "The provider refused the request time: check this computer's clock."
        }
        codes::PERMISSION_DENIED => "This account is not allowed to do that.",
        codes::IMEI_NOT_AUTHORIZED => "That device does not belong to this account.",
        codes::SYSTEM_ERROR => "The provider had a system error. Try again later.",
        codes::DEVICE_OFFLINE => "The device is offline.",
        codes::NO_DATA => "No data for this period.",
        codes::TARGET_EXPIRED => "The device's service has expired.",
        codes::DEVICE_BLOCKED => "The device is blocked.",
        codes::UNSUPPORTED_COMMAND => "The device does not support this command.",
        _ => {
            let spec = etrack::Error::Api {
                code,
                message: message.to_owned(),
            };
            return format!("The provider refused the request: {spec}");
        }
    };
    words.to_owned()
}

/// Capitalises the first letter and ends with a full stop, so library texts read as sentences.
fn sentence(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    let mut out = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => return "Unknown error.".to_owned(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i64) -> IpcError {
        etrack::Error::Api {
            code,
            message: String::new(),
        }
        .into()
    }

    #[test]
    fn sign_in_codes_read_as_plain_words() {
        let e = api(20001);
        assert_eq!(e.message, "Wrong account or password.");
        assert_eq!(e.kind, ErrorKind::Api);
        assert_eq!(e.api_code, Some(20001));
        assert!(api(10016).message.contains("blocked"));
        assert!(api(10009).message.contains("busy"));
        assert!(api(10014).message.contains("clock"));
    }

    #[test]
    fn unlisted_codes_keep_the_providers_words() {
        let e: IpcError = etrack::Error::Api {
            code: 77777,
            message: "quota used up".into(),
        }
        .into();
        assert_eq!(
            e.message,
            "The provider refused the request: 77777 quota used up"
        );
        assert_eq!(e.api_code, Some(77777));
    }

    #[test]
    fn network_errors_name_the_url() {
        let e: IpcError = etrack::Error::Network {
            url: "http://127.0.0.1:9".into(),
            reason: "connection refused".into(),
        }
        .into();
        assert_eq!(e.kind, ErrorKind::Network);
        assert_eq!(
            e.message,
            "Cannot reach the provider at http://127.0.0.1:9: connection refused."
        );
    }

    #[test]
    fn validation_texts_become_sentences() {
        let e: IpcError =
            etrack::Error::validation("the radius must be between 100 and 5000 m").into();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(e.message, "The radius must be between 100 and 5000 m.");
    }

    #[test]
    fn serialises_with_camel_case_keys_for_the_ui() {
        let v = serde_json::to_value(IpcError::not_signed_in()).expect("serialises");
        assert_eq!(
            v,
            serde_json::json!({"kind": "notSignedIn", "message": "You are not signed in.", "apiCode": null})
        );
    }
}
