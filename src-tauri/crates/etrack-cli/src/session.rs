//! The signed-in client for one run: a real provider, or an in-process simulated one (`--demo`).

use crate::args::Global;
use crate::credentials;
use crate::failure::Failure;
use etrack::{Client, PasswordHash, TokenStore};
use etrack_app::keychain::OsKeychain;
use etrack_app::settings::SavedAccount;
use etrack_app::token_store::SharedToken;
use etrack_sim::SimHandle;
use std::sync::Arc;

/// Which account at which provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The account name.
    pub account: String,
    /// The provider's base URL.
    pub base_url: String,
}

impl Target {
    /// The account and provider named on the command line; exit 2 without an account.
    pub fn from_args(global: &Global) -> Result<Self, Failure> {
        let account = global
            .account
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .ok_or_else(|| {
                Failure::usage(
                    "no account: pass --account NAME or set ETRACK_ACCOUNT (or try --demo)",
                )
            })?;
        let base_url = global
            .base_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(etrack::DEFAULT_BASE_URL);
        Ok(Self {
            account: account.to_owned(),
            base_url: base_url.to_owned(),
        })
    }
}

/// A client ready to use, and the simulated provider behind it in demo mode.
pub struct Session {
    /// The client.
    pub client: Client,
    /// Where the password came from (`None` in demo mode).
    pub source: Option<credentials::Source>,
    demo: Option<SimHandle>,
}

impl Session {
    /// Opens the session the command line asks for. Credentials are looked up (and maybe prompted
    /// for) here; nothing is sent yet.
    pub async fn open(global: &Global) -> Result<Self, Failure> {
        if global.demo {
            return Self::demo().await;
        }
        let target = Target::from_args(global)?;
        let (hash, source) = credentials::for_command(&target.account, &target.base_url)?;
        Ok(Self {
            client: build(&target, hash)?,
            source: Some(source),
            demo: None,
        })
    }

    async fn demo() -> Result<Self, Failure> {
        let sim = etrack_sim::spawn(etrack_sim::SimConfig::default())
            .await
            .map_err(|e| Failure::Other(format!("could not start the demo service: {e}")))?;
        let target = Target {
            account: etrack_sim::DEMO_ACCOUNT.to_owned(),
            base_url: sim.base_url(),
        };
        let hash = PasswordHash::from_password(etrack_sim::DEMO_PASSWORD);
        // The demo's provider lives for this run only: nothing to share.
        let client = Client::builder(target.account, hash)
            .base_url(target.base_url)
            .build()
            .map_err(Failure::from)?;
        Ok(Self {
            client,
            source: None,
            demo: Some(sim),
        })
    }

    /// Adds what to do when the provider refuses a password saved by `etrack login` (it was
    /// changed since): the bare 20001 would not say which password was wrong.
    pub fn explain(&self, failure: Failure) -> Failure {
        match failure {
            Failure::Remote(e)
                if self.source == Some(credentials::Source::Keychain)
                    && e.api_code() == Some(etrack::codes::ACCOUNT_OR_PASSWORD_ERROR) =>
            {
                Failure::Other(format!(
                    "{e}\nhint: the password saved by `etrack login` was refused; run `etrack \
                     login` again"
                ))
            }
            other => other,
        }
    }

    /// Stops the demo service, if any.
    pub fn close(self) {
        if let Some(sim) = self.demo {
            sim.shutdown();
        }
    }
}

/// A client for `target` signing in with `hash`, sharing the account's token with the desktop app
/// and the other `etrack` runs of this user (a new token would end theirs: spec 2.1).
pub fn build(target: &Target, hash: PasswordHash) -> Result<Client, Failure> {
    let mut builder =
        Client::builder(target.account.clone(), hash).base_url(target.base_url.clone());
    if let Some(store) = shared_token(target) {
        builder = builder.token_store(store);
    }
    builder.build().map_err(Failure::from)
}

/// The account's shared token: in the OS keychain next to the app's, with the sign-in lock in
/// the app's data dir (`$ETRACK_DATA_DIR` to change it).
fn shared_token(target: &Target) -> Option<Arc<dyn TokenStore>> {
    let dir = etrack_app::launch::shared_data_dir()?;
    let provider_url = etrack_app::settings::normalize_provider_url(&target.base_url).ok()?;
    let who = SavedAccount {
        account: target.account.trim().to_owned(),
        provider_url,
    };
    Some(Arc::new(SharedToken::new(Arc::new(OsKeychain), &dir, who)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn global(account: Option<&str>, base_url: Option<&str>) -> Global {
        Global {
            base_url: base_url.map(str::to_owned),
            account: account.map(str::to_owned),
            demo: false,
        }
    }

    #[test]
    fn the_spec_host_is_the_default_provider() {
        let t = Target::from_args(&global(Some("demo"), None)).unwrap();
        assert_eq!(t.base_url, etrack::DEFAULT_BASE_URL);
        assert_eq!(t.account, "demo");
    }

    #[test]
    fn a_missing_account_is_a_usage_error() {
        let f = Target::from_args(&global(None, Some("http://x"))).unwrap_err();
        assert_eq!(f.exit_code(), 2);
        let f = Target::from_args(&global(Some("  "), None)).unwrap_err();
        assert_eq!(f.exit_code(), 2);
    }
}
