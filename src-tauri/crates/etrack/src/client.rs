//! The client: configuration, the access token and the request machinery.

use crate::error::{Error, Result};
use crate::options::RetryPolicy;
use crate::signature::PasswordHash;
use std::sync::Arc;
use std::time::Duration;

/// The vendor's host, used when no other base URL is given.
pub const DEFAULT_BASE_URL: &str = "http://api.etrack.vip";

/// A signed-in connection to an Open API provider. Cheap to clone; clones share the token.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) base_url: String,
    pub(crate) account: String,
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    account: String,
    password: PasswordHash,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
}

impl Client {
    /// Starts building a client for `account`.
    pub fn builder(account: impl Into<String>, password: PasswordHash) -> ClientBuilder {
        ClientBuilder {
            account: account.into(),
            password,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }

    /// The account signed in.
    pub fn account(&self) -> &str {
        &self.inner.account
    }

    /// The provider's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Gets a token now (sign-in check).
    pub async fn authorize(&self) -> Result<()> {
        todo!()
    }
}

impl ClientBuilder {
    /// The provider's base URL; a trailing slash is tolerated.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }
    /// Per-request time-out (default 30 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
    /// Retry policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }
    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let _ = (&self.account, &self.password, self.timeout, &self.retry);
        Err(Error::validation("not yet"))
    }
}
