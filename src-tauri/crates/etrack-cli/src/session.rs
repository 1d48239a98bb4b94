//! The signed-in client for one run: a real provider, or an in-process simulated one (`--demo`).

use crate::args::Global;
use crate::credentials;
use crate::failure::Failure;
use etrack::{Client, PasswordHash};
use etrack_sim::SimHandle;

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
        let client = build(&target, hash)?;
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

/// A client for `target` signing in with `hash`.
pub fn build(target: &Target, hash: PasswordHash) -> Result<Client, Failure> {
    Client::builder(target.account.clone(), hash)
        .base_url(target.base_url.clone())
        .build()
        .map_err(Failure::from)
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
