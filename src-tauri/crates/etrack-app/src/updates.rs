//! Updates of the app itself: what the update service offers, and installing it. The shell does
//! the work through the Tauri updater (signed manifests, the signature checked against the public
//! key in the app's configuration before anything is installed); this module holds the types the
//! UI sees, the failures in a fleet manager's words, and the About facts.

use crate::host::Event;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a check for updates found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCheck {
    /// The running version.
    pub current_version: String,
    /// A newer version, when the update service offers one.
    pub available: Option<AvailableUpdate>,
}

/// A newer version on offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AvailableUpdate {
    /// Its version ("0.2.0").
    pub version: String,
    /// When it was published, as the manifest gives it (RFC 3339), if it does.
    pub date: Option<String>,
    /// Its release notes, plain text.
    pub notes: Option<String>,
}

/// How far the download of an update has come ("update-progress").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateProgress {
    /// Bytes received so far.
    pub downloaded: u64,
    /// The package's size, when the server says.
    pub total: Option<u64>,
}

impl Event for UpdateProgress {
    const NAME: &'static str = "update-progress";
}

/// What installing an update did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UpdateInstalled {
    /// The version now installed.
    pub version: String,
    /// Whether the app must be restarted to run it (every system but Windows, whose installer
    /// restarts the app itself).
    pub restart_needed: bool,
}

/// Why an update could not be checked for or installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateFailure {
    /// This build has no update service (a development build, or updates not configured).
    NotConfigured,
    /// The update service could not be reached, or answered with an error status.
    Unreachable(String),
    /// The service's manifest could not be read, or has nothing for this system.
    BadManifest(String),
    /// The package's signature does not match the app's public key: nothing was installed.
    BadSignature,
    /// The offered version changed since the check, or there was none.
    NothingOffered,
    /// The package was verified but could not be installed (for example, the system refused the
    /// administrator password, or this kind of installation cannot update itself).
    InstallFailed(String),
}

impl std::fmt::Display for UpdateFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotConfigured => write!(f, "This build of etrack has no update service."),
            Self::Unreachable(why) => {
                write!(f, "Cannot reach the update service ({why}). Try again later.")
            }
            Self::BadManifest(why) => {
                write!(f, "The update service's answer cannot be used ({why}).")
            }
            Self::BadSignature => write!(
                f,
                "The update's signature does not match etrack's signing key, so it was not installed. \
                 The download may be damaged or not from the etrack developers."
            ),
            Self::NothingOffered => write!(
                f,
                "That update is no longer offered: check for updates again."
            ),
            Self::InstallFailed(why) => write!(
                f,
                "The update was downloaded and verified but could not be installed ({why}). \
                 The installed version is unchanged."
            ),
        }
    }
}

/// Facts for the About dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AboutInfo {
    /// The product's name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its licence (SPDX).
    pub licence: String,
    /// Its copyright line.
    pub copyright: String,
    /// The system it runs on ("linux x86_64").
    pub platform: String,
    /// The web engine's version, as the shell reports it.
    pub webview: Option<String>,
}

impl AboutInfo {
    /// The facts of this build; `webview` comes from the shell.
    pub fn of_this_build(webview: Option<String>) -> Self {
        Self {
            name: "etrack".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            licence: env!("CARGO_PKG_LICENSE").to_owned(),
            copyright: "Copyright (c) 2026 etrack developers".to_owned(),
            platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
            webview,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_gives_this_builds_version_and_licence() {
        let a = AboutInfo::of_this_build(Some("2.44".into()));
        assert_eq!(a.version, env!("CARGO_PKG_VERSION"));
        assert_eq!(a.licence, "MIT");
        assert!(a.platform.contains(std::env::consts::OS));
    }

    #[test]
    fn a_bad_signature_says_nothing_was_installed() {
        let words = UpdateFailure::BadSignature.to_string();
        assert!(words.contains("signature"), "{words}");
        assert!(words.contains("not installed"), "{words}");
    }
}
