//! Updates of the app through tauri-plugin-updater: the manifest at the configured endpoint
//! (`plugins.updater` in tauri.conf.json), the package's minisign signature checked against the
//! public key there before anything is installed.
//!
//! End-to-end builds (`e2e` feature) may point at a local update server and a test key through
//! the environment variables `ETRACK_UPDATE_ENDPOINT` and `ETRACK_UPDATE_PUBKEY` (the e2e harness
//! starts the app with them); a release build honours neither.

use etrack_app::updates::{AvailableUpdate, UpdateFailure, UpdateInstalled};
use std::sync::Mutex;
use tauri_plugin_updater::{Error as UpdaterError, Update, UpdaterExt};

/// The update on offer since the last check, kept so that "Install" installs exactly that one.
pub struct Updates {
    app: tauri::AppHandle,
    offered: Mutex<Option<Update>>,
}

impl Updates {
    pub fn new(app: tauri::AppHandle) -> Self {
        Self {
            app,
            offered: Mutex::new(None),
        }
    }

    fn updater(&self) -> Result<tauri_plugin_updater::Updater, UpdateFailure> {
        #[allow(unused_mut)]
        let mut builder = self.app.updater_builder();
        #[cfg(feature = "e2e")]
        {
            let given = |var: &str| std::env::var(var).ok().filter(|v| !v.is_empty());
            if let Some(url) = given("ETRACK_UPDATE_ENDPOINT") {
                let url = tauri::Url::parse(&url)
                    .map_err(|e| UpdateFailure::BadManifest(format!("bad endpoint: {e}")))?;
                builder = builder.endpoints(vec![url]).map_err(failure)?;
            }
            if let Some(key) = given("ETRACK_UPDATE_PUBKEY") {
                builder = builder.pubkey(key);
            }
        }
        builder.build().map_err(failure)
    }

    /// Asks the update service for a newer version.
    pub async fn check(&self) -> Result<Option<AvailableUpdate>, UpdateFailure> {
        let update = self.updater()?.check().await.map_err(failure)?;
        let available = update.as_ref().map(|u| AvailableUpdate {
            version: u.version.clone(),
            // As the manifest wrote it (RFC 3339), without parsing and formatting it again.
            date: u
                .raw_json
                .get("pub_date")
                .and_then(|d| d.as_str())
                .map(str::to_owned),
            notes: u.body.clone().filter(|b| !b.trim().is_empty()),
        });
        *self.offered.lock().unwrap_or_else(|p| p.into_inner()) = update;
        Ok(available)
    }

    /// Downloads, verifies and installs `version`, the one the last check offered.
    pub async fn install(
        &self,
        version: &str,
        progress: Box<dyn Fn(u64, Option<u64>) + Send + Sync>,
    ) -> Result<UpdateInstalled, UpdateFailure> {
        let update = self
            .offered
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .filter(|u| u.version == version)
            .ok_or(UpdateFailure::NothingOffered)?;
        let mut downloaded = 0_u64;
        let bytes = update
            .download(
                |chunk, total| {
                    downloaded += chunk as u64;
                    progress(downloaded, total);
                },
                || {},
            )
            .await
            .map_err(failure)?;
        tracing::info!(
            "update {version}: {} bytes downloaded, signature verified",
            bytes.len()
        );
        update.install(&bytes).map_err(failure)?;
        Ok(UpdateInstalled {
            version: update.version.clone(),
            restart_needed: !cfg!(windows),
        })
    }
}

/// The updater's errors as the app's update failures.
fn failure(e: UpdaterError) -> UpdateFailure {
    tracing::warn!("updater: {e}");
    use UpdaterError as E;
    match e {
        E::EmptyEndpoints | E::InsecureTransportProtocol => UpdateFailure::NotConfigured,
        E::Reqwest(e) => UpdateFailure::Unreachable(if e.is_timeout() {
            "no answer in time".to_owned()
        } else if e.is_connect() {
            "connection refused or no network".to_owned()
        } else if let Some(status) = e.status() {
            format!("HTTP {status}")
        } else {
            e.without_url().to_string()
        }),
        E::Network(why) => UpdateFailure::Unreachable(why),
        E::ReleaseNotFound => {
            UpdateFailure::BadManifest("no release manifest was found".to_owned())
        }
        E::Serialization(e) => UpdateFailure::BadManifest(e.to_string()),
        E::Semver(e) => UpdateFailure::BadManifest(format!("bad version: {e}")),
        E::UrlParse(e) => UpdateFailure::BadManifest(format!("bad download address: {e}")),
        E::TargetNotFound(t) => {
            UpdateFailure::BadManifest(format!("it has no package for this system ({t})"))
        }
        E::TargetsNotFound(t) => UpdateFailure::BadManifest(format!(
            "it has no package for this system ({})",
            t.join(", ")
        )),
        E::Minisign(_)
        | E::Base64(_)
        | E::SignatureUtf8(_)
        | E::SignedVersionMismatch { .. }
        | E::MissingSignedVersion => UpdateFailure::BadSignature,
        E::AuthenticationFailed => UpdateFailure::InstallFailed(
            "the administrator password was refused or not given".to_owned(),
        ),
        E::InvalidUpdaterFormat => UpdateFailure::InstallFailed(
            "the package does not suit how etrack is installed here".to_owned(),
        ),
        E::UnsupportedOs | E::UnsupportedArch => {
            UpdateFailure::InstallFailed("this system cannot update etrack by itself".to_owned())
        }
        other => UpdateFailure::InstallFailed(other.to_string()),
    }
}
