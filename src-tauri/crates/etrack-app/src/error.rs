//! The app's one error type, [`AppError`], and what kind of failure each is.
//!
//! Stores and services return typed errors; the words a fleet manager reads are written here, in
//! each variant's `Display`, and nowhere deeper. The IPC edge (the Tauri shell) turns an
//! [`AppError`] into its serialisable error with [`AppError::kind`], [`AppError::api_code`] and
//! that text.

use crate::confirmations::Refusal;
use crate::keychain::KeychainError;
use etrack::codes;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use ts_rs::TS;

/// What kind of failure an error is; the UI may react differently (e.g. a banner for `network`,
/// a field hint for `validation`).
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

impl ErrorKind {
    /// Every kind, in declaration order (the UI checks a rejected call's kind against it).
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::Api,
        ErrorKind::Network,
        ErrorKind::Http,
        ErrorKind::Decode,
        ErrorKind::Validation,
        ErrorKind::Keychain,
        ErrorKind::NotSignedIn,
        ErrorKind::Cancelled,
        ErrorKind::Internal,
    ];
}

/// An error as the UI receives it: a kind, the message for people, and the provider's code when
/// there is one. Every command fails with one; payloads that report a partial failure (a playback
/// cut short) carry one. Made only from an [`AppError`], so its words come from one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// What kind of failure this is.
    pub kind: ErrorKind,
    /// The message to show, in plain words.
    pub message: String,
    /// The Open API's error code, for `api` errors.
    pub api_code: Option<i64>,
    /// Which failure this is, where the kind alone does not say enough to word it (an update's
    /// bad signature, say): a stable name the UI words in the user's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
}

impl From<AppError> for IpcError {
    fn from(e: AppError) -> Self {
        Self::from(&e)
    }
}

impl From<&AppError> for IpcError {
    fn from(e: &AppError) -> Self {
        Self {
            kind: e.kind(),
            message: e.to_string(),
            api_code: e.api_code(),
            reason: e.reason().map(str::to_owned),
        }
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IpcError {}

/// The message shown when the OS keychain cannot be used.
pub const NO_KEYCHAIN: &str = "No keychain available: sign in each time, or unlock your keyring";

/// Everything that can go wrong in the app's domain.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// The provider refused, could not be reached, or answered something unreadable; or the
    /// client refused the input before sending.
    #[error("{}", client_words(.0))]
    Client(#[from] etrack::Error),
    /// The OS keychain could not be used.
    #[error("{}", keychain_words(.0))]
    Keychain(#[from] KeychainError),
    /// The call needs a signed-in session.
    #[error("You are not signed in.")]
    NotSignedIn,
    /// The input was refused before anything was sent or stored; the sentence says why.
    #[error("{0}")]
    Invalid(String),
    /// A one-time confirmation was refused; `nothing` says what did not happen
    /// ("Nothing was sent").
    #[error("{}", refusal_words(.refusal, .nothing))]
    Refused {
        /// Why.
        refusal: Refusal,
        /// What did not happen, as a sentence without its full stop.
        nothing: &'static str,
    },
    /// A device command that was not carried out, or whose fate is unknown.
    #[error("{}", command_words(.command, *.sent, .source))]
    Command {
        /// The command's name ("Stop engine").
        command: String,
        /// Whether it left before the failure (then it is never sent again).
        sent: bool,
        /// What went wrong.
        source: etrack::Error,
    },
    /// A provider failure, with what it means for the action in hand: `lead`, the failure in
    /// words, then `tail`.
    #[error("{lead}{}{tail}", client_words(.source))]
    During {
        /// Before the failure's words ("The message was not sent: ").
        lead: String,
        /// After them.
        tail: String,
        /// What went wrong.
        source: etrack::Error,
    },
    /// A long read cut short (by a failure or a cancel): the points fetched before are shown.
    #[error(
        "{}. Showing the {kept} points fetched before that (up to {up_to} UTC, {share_percent:.0}% of the period).",
        .source.to_string().trim_end_matches('.')
    )]
    CutShort {
        /// What cut it short.
        source: Box<AppError>,
        /// Points kept.
        kept: usize,
        /// The last point's time, `YYYY-MM-DD HH:MM:SS`.
        up_to: String,
        /// How much of the period they cover.
        share_percent: f64,
    },
    /// A file of the app's could not be written.
    #[error("Cannot {action} {}: {source}.", .path.display())]
    Storage {
        /// What was being done ("save the settings to").
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file of the user's records exists but can be neither read nor moved aside, so it is not
    /// written over.
    #[error(
        "{} cannot be read ({reason}). Nothing is recorded there until this is fixed, so the file is not overwritten.",
        .path.display()
    )]
    Unwritable {
        /// The file.
        path: PathBuf,
        /// Why it cannot be read.
        reason: String,
    },
    /// Checking for or installing an update of the app failed.
    #[error("{0}")]
    Update(crate::updates::UpdateFailure),
    /// The work was cancelled.
    #[error("Cancelled.")]
    Cancelled,
    /// A local failure that should not happen.
    #[error("{}", sentence(.0))]
    Internal(String),
}

/// The domain's results.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// `source` with what it means for the action in hand (see [`Self::During`]).
    pub fn during(lead: impl Into<String>, source: etrack::Error, tail: impl Into<String>) -> Self {
        Self::During {
            lead: lead.into(),
            tail: tail.into(),
            source,
        }
    }

    /// Input refused before anything was sent, with the reason as a sentence.
    pub fn invalid(why: impl Into<String>) -> Self {
        Self::Invalid(why.into())
    }

    /// A local failure that should not happen.
    pub fn internal(why: impl Into<String>) -> Self {
        Self::Internal(why.into())
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::CutShort { source, .. } => source.kind(),
            Self::Client(e) | Self::Command { source: e, .. } | Self::During { source: e, .. } => {
                client_kind(e)
            }
            Self::Keychain(_) => ErrorKind::Keychain,
            Self::NotSignedIn => ErrorKind::NotSignedIn,
            Self::Invalid(_) | Self::Refused { .. } => ErrorKind::Validation,
            Self::Cancelled => ErrorKind::Cancelled,
            Self::Update(f) => {
                use crate::updates::UpdateFailure as F;
                match f {
                    F::Unreachable(_) => ErrorKind::Network,
                    F::BadManifest(_) => ErrorKind::Decode,
                    F::BadSignature | F::NothingOffered => ErrorKind::Validation,
                    F::NotConfigured | F::InstallFailed(_) => ErrorKind::Internal,
                }
            }
            Self::Storage { .. } | Self::Unwritable { .. } | Self::Internal(_) => {
                ErrorKind::Internal
            }
        }
    }

    /// A stable name for failures the kind does not describe well enough to word (see
    /// [`IpcError::reason`]).
    pub fn reason(&self) -> Option<&'static str> {
        use crate::updates::UpdateFailure as F;
        match self {
            Self::CutShort { source, .. } => source.reason(),
            Self::Update(f) => Some(match f {
                F::NotConfigured => "updateNotConfigured",
                F::Unreachable(_) => "updateUnreachable",
                F::BadManifest(_) => "updateBadManifest",
                F::BadSignature => "updateBadSignature",
                F::NothingOffered => "updateNothingOffered",
                F::InstallFailed(_) => "updateInstallFailed",
            }),
            _ => None,
        }
    }

    /// The Open API's error code, when the provider refused.
    pub fn api_code(&self) -> Option<i64> {
        match self {
            Self::CutShort { source, .. } => source.api_code(),
            Self::Client(etrack::Error::Api { code, .. })
            | Self::Command {
                source: etrack::Error::Api { code, .. },
                ..
            }
            | Self::During {
                source: etrack::Error::Api { code, .. },
                ..
            } => Some(*code),
            _ => None,
        }
    }
}

fn client_kind(e: &etrack::Error) -> ErrorKind {
    use etrack::Error as E;
    match e {
        E::Api { .. } => ErrorKind::Api,
        E::Network { .. } => ErrorKind::Network,
        E::Http { .. } => ErrorKind::Http,
        E::Decode(_) => ErrorKind::Decode,
        E::Validation(_) => ErrorKind::Validation,
        E::Cancelled => ErrorKind::Cancelled,
        _ => ErrorKind::Internal,
    }
}

/// The client's errors in a fleet manager's words.
fn client_words(e: &etrack::Error) -> String {
    use etrack::Error as E;
    match e {
        E::Api { code, message } => api_words(*code, message),
        E::Network { url, reason } => format!("Cannot reach the provider at {url}: {reason}."),
        E::Http { status } => {
            format!("The provider answered with an error (HTTP {status}). Try again later.")
        }
        E::Decode(why) => format!("The provider's reply could not be read ({why})."),
        E::Validation(why) => sentence(why),
        E::Cancelled => "Cancelled.".to_owned(),
        other => sentence(&other.to_string()),
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

fn keychain_words(e: &KeychainError) -> String {
    match e {
        KeychainError::Unavailable(_) => NO_KEYCHAIN.to_owned(),
        KeychainError::Missing(account) => {
            format!("No saved password for {account}: sign in with the password.")
        }
        KeychainError::Failed(why) => format!("The keychain failed: {why}"),
    }
}

/// A refused confirmation in words.
fn refusal_words(r: &Refusal, nothing: &str) -> String {
    match r {
        Refusal::Unknown => format!("This confirmation is not valid. {nothing}."),
        Refusal::Used => format!("This confirmation was already used or cancelled. {nothing}."),
        Refusal::Expired => format!(
            "This confirmation expired (it lasts a minute). {nothing}: start again to see the vehicle's state now."
        ),
        Refusal::WrongText {
            expected,
            attempts_left: 0,
        } => format!(
            "That does not match \"{expected}\". {nothing}, and this confirmation is now void: start again."
        ),
        Refusal::WrongText {
            expected,
            attempts_left,
        } => format!(
            "That does not match \"{expected}\". {nothing}. {attempts_left} {} left.",
            if *attempts_left == 1 { "try" } else { "tries" }
        ),
    }
}

/// A failed send or poll of `what` in words; `sent`: the command left before the failure.
fn command_words(what: &str, sent: bool, e: &etrack::Error) -> String {
    match e {
        etrack::Error::Api { code, .. } if !sent => match *code {
            codes::DEVICE_OFFLINE => format!(
                "The device is offline (20017): \"{what}\" was not delivered. Try again when it is back online."
            ),
            codes::SEND_COMMAND_FAIL => format!(
                "The provider could not send \"{what}\" to the device (20018). Nothing was done; you may try again."
            ),
            codes::UNSUPPORTED_COMMAND => {
                format!("This device does not support \"{what}\" (20048).")
            }
            _ => format!("\"{what}\" was refused: {}", client_words(e)),
        },
        etrack::Error::Validation(_) => client_words(e),
        _ if sent => format!(
            "\"{what}\" was sent, but its reply could not be read: {} It is not sent again; check the vehicle before trying again.",
            client_words(e)
        ),
        _ => format!(
            "No clear answer from the provider while sending \"{what}\": it may or may not have been sent. It is not sent again automatically; check the vehicle (and the audit log) before trying again. ({})",
            client_words(e)
        ),
    }
}

/// Capitalises the first letter and ends with a full stop, so library texts read as sentences.
pub fn sentence(s: &str) -> String {
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

    fn api(code: i64) -> AppError {
        etrack::Error::Api {
            code,
            message: String::new(),
        }
        .into()
    }

    #[test]
    fn sign_in_codes_read_as_plain_words() {
        let e = api(20001);
        assert_eq!(e.to_string(), "Wrong account or password.");
        assert_eq!(e.kind(), ErrorKind::Api);
        assert_eq!(e.api_code(), Some(20001));
        assert!(api(10016).to_string().contains("blocked"));
        assert!(api(10009).to_string().contains("busy"));
        assert!(api(10014).to_string().contains("clock"));
    }

    #[test]
    fn unlisted_codes_keep_the_providers_words() {
        let e: AppError = etrack::Error::Api {
            code: 77777,
            message: "quota used up".into(),
        }
        .into();
        assert_eq!(
            e.to_string(),
            "The provider refused the request: 77777 quota used up"
        );
        assert_eq!(e.api_code(), Some(77777));
    }

    #[test]
    fn network_errors_name_the_url() {
        let e: AppError = etrack::Error::Network {
            url: "http://127.0.0.1:9".into(),
            reason: "connection refused".into(),
        }
        .into();
        assert_eq!(e.kind(), ErrorKind::Network);
        assert_eq!(
            e.to_string(),
            "Cannot reach the provider at http://127.0.0.1:9: connection refused."
        );
    }

    #[test]
    fn validation_texts_become_sentences() {
        let e: AppError =
            etrack::Error::validation("the radius must be between 100 and 5000 m").into();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.to_string(), "The radius must be between 100 and 5000 m.");
        let e = AppError::invalid("demo-east is already blocked.");
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(
            e.to_string(),
            "demo-east is already blocked.",
            "names keep their case"
        );
    }

    #[test]
    fn an_unavailable_keychain_reads_as_the_plain_message() {
        let e: AppError = KeychainError::Unavailable("org.freedesktop.DBus.Error".into()).into();
        assert_eq!(e.kind(), ErrorKind::Keychain);
        assert_eq!(e.to_string(), NO_KEYCHAIN);
    }

    #[test]
    fn command_failures_say_whether_the_command_left() {
        let cmd = |code, sent| AppError::Command {
            command: "Stop engine".into(),
            sent,
            source: etrack::Error::Api {
                code,
                message: String::new(),
            },
        };
        let e = cmd(20017, false);
        assert!(e.to_string().contains("offline"), "{e}");
        assert_eq!(e.api_code(), Some(20017));
        assert_eq!(e.kind(), ErrorKind::Api);
        assert!(cmd(20018, false)
            .to_string()
            .contains("could not send \"Stop engine\""));
        assert!(cmd(20048, false)
            .to_string()
            .contains("does not support \"Stop engine\""));
        let net = |sent| AppError::Command {
            command: "Stop engine".into(),
            sent,
            source: etrack::Error::Network {
                url: "http://x".into(),
                reason: "timed out".into(),
            },
        };
        assert!(net(false)
            .to_string()
            .contains("may or may not have been sent"));
        assert!(net(true)
            .to_string()
            .contains("was sent, but its reply could not be read"));
    }

    #[test]
    fn every_kind_is_listed_once() {
        // A new variant fails to compile here until it is listed in ErrorKind::ALL too.
        let listed = |k: ErrorKind| match k {
            ErrorKind::Api
            | ErrorKind::Network
            | ErrorKind::Http
            | ErrorKind::Decode
            | ErrorKind::Validation
            | ErrorKind::Keychain
            | ErrorKind::NotSignedIn
            | ErrorKind::Cancelled
            | ErrorKind::Internal => ErrorKind::ALL.iter().filter(|a| **a == k).count(),
        };
        for k in ErrorKind::ALL {
            assert_eq!(listed(k), 1, "{k:?}");
        }
    }

    #[test]
    fn serialises_with_camel_case_keys_for_the_ui() {
        let v = serde_json::to_value(IpcError::from(AppError::NotSignedIn)).expect("serialises");
        assert_eq!(
            v,
            serde_json::json!({"kind": "notSignedIn", "message": "You are not signed in.", "apiCode": null})
        );
    }

    #[test]
    fn refusals_say_what_did_not_happen() {
        let e = AppError::Refused {
            refusal: Refusal::Used,
            nothing: "Nothing was sent",
        };
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(e.to_string().contains("already used"), "{e}");
        assert!(e.to_string().contains("Nothing was sent."), "{e}");
    }
}
