//! The client: configuration, the access token and the request machinery.
//!
//! Every request goes through [`Client::call`], which owns the rules of the design: one token at a
//! time shared by all callers, re-authorisation once on a token error, bounded back-off on 10009,
//! and retries of network errors and 5xx for reads only (a write whose fate is unknown is never
//! sent again).

use crate::codes;
use crate::envelope::{decode_object, Envelope};
use crate::error::{Error, Result};
use crate::lenient;
use crate::options::RetryPolicy;
use crate::signature::PasswordHash;
use crate::token_store::{StoredToken, TokenStore};
use reqwest::Method;
use serde::Deserialize;
use serde_json::Value;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::Mutex;

/// The vendor's host, used when no other base URL is given.
pub const DEFAULT_BASE_URL: &str = "http://api.etrack.vip";

/// The spec advises a new token every 90 minutes although one lives 2 hours.
const REFRESH_AFTER: Duration = Duration::from_secs(90 * 60);

/// A connection to an Open API provider for one account.
///
/// Cheap to clone (an `Arc` inside); clones share the access token, so concurrent calls from many
/// tasks cause at most one authorisation at a time.
///
/// ```no_run
/// # async fn demo() -> etrack::Result<()> {
/// use etrack::{Client, PasswordHash};
/// let client = Client::builder("demo", PasswordHash::from_password("demo-1234"))
///     .base_url("http://127.0.0.1:8080/")
///     .build()?;
/// client.authorize().await?;
/// for device in client.device_list(None).await? {
///     println!("{} {}", device.imei, device.devicename);
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    http: reqwest::Client,
    base_url: String,
    account: String,
    password: PasswordHash,
    retry: RetryPolicy,
    store: Option<Arc<dyn TokenStore>>,
    token: Mutex<TokenSlot>,
    /// Mirrors `TokenSlot::generation` so `authorize` can tell, without the lock, whether a newer
    /// token arrived while it waited.
    generation: AtomicU64,
}

#[derive(Default)]
struct TokenSlot {
    current: Option<Token>,
    generation: u64,
    /// The last token the provider refused: a stored copy of it is not taken again.
    refused: Option<String>,
}

struct Token {
    value: String,
    obtained: Instant,
    refresh_after: Duration,
}

/// Builds a [`Client`].
///
/// ```
/// use etrack::{Client, PasswordHash, RetryPolicy};
/// use std::time::Duration;
/// let client = Client::builder("demo", PasswordHash::from_password("demo-1234"))
///     .base_url("http://127.0.0.1:8080/")
///     .timeout(Duration::from_secs(10))
///     .retry(RetryPolicy { max_retries: 2, ..Default::default() })
///     .build()
///     .unwrap();
/// assert_eq!(client.base_url(), "http://127.0.0.1:8080");
/// assert!(Client::builder("demo", PasswordHash::from_password("x")).base_url("ftp://x").build().is_err());
/// ```
pub struct ClientBuilder {
    account: String,
    password: PasswordHash,
    base_url: String,
    timeout: Duration,
    retry: RetryPolicy,
    store: Option<Arc<dyn TokenStore>>,
}

/// Whether a request changes something at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Safe to send again.
    Read,
    /// Sent again only when the provider certainly did not act on it.
    Write,
}

/// One request to an endpoint, without the access token.
pub(crate) struct Request<'a> {
    pub method: Method,
    pub path: &'static str,
    pub params: Vec<(&'static str, String)>,
    pub kind: Kind,
    /// Counts 10009 answers, so a caller running many requests can slow down.
    pub throttled: Option<&'a AtomicU32>,
}

impl<'a> Request<'a> {
    pub fn get(path: &'static str, params: Vec<(&'static str, String)>) -> Self {
        Self {
            method: Method::GET,
            path,
            params,
            kind: Kind::Read,
            throttled: None,
        }
    }

    /// A POST that only reads (the spec makes command queries POSTs).
    pub fn post_read(path: &'static str, params: Vec<(&'static str, String)>) -> Self {
        Self {
            method: Method::POST,
            ..Self::get(path, params)
        }
    }

    pub fn write(path: &'static str, params: Vec<(&'static str, String)>) -> Self {
        Self {
            method: Method::POST,
            kind: Kind::Write,
            ..Self::get(path, params)
        }
    }

    pub fn throttled(mut self, counter: &'a AtomicU32) -> Self {
        self.throttled = Some(counter);
        self
    }
}

/// How one attempt failed, which decides whether another attempt is allowed.
#[derive(Debug)]
enum Failure {
    /// The connection could not be made: the request was certainly not sent.
    Connect(Error),
    /// The request may have reached the provider (time-out, reset, truncated reply).
    Ambiguous(Error),
    /// HTTP 5xx: the provider may or may not have acted.
    Server(Error),
    /// 10009: the provider refused without acting.
    TooFrequent(Error),
    /// 10010/10011/10012: the provider refused the token without acting.
    Token(Error),
    /// Anything else: no retry helps.
    Final(Error),
}

impl Failure {
    fn retryable(&self, kind: Kind) -> bool {
        match self {
            Failure::Connect(_) | Failure::TooFrequent(_) => true,
            Failure::Ambiguous(_) | Failure::Server(_) => kind == Kind::Read,
            Failure::Token(_) | Failure::Final(_) => false,
        }
    }

    fn into_error(self) -> Error {
        match self {
            Failure::Connect(e)
            | Failure::Ambiguous(e)
            | Failure::Server(e)
            | Failure::TooFrequent(e)
            | Failure::Token(e)
            | Failure::Final(e) => e,
        }
    }
}

impl Client {
    /// Starts building a client for `account` with its hashed password.
    ///
    /// ```
    /// let b = etrack::Client::builder("demo", etrack::PasswordHash::from_password("demo-1234"));
    /// let client = b.build().unwrap();
    /// assert_eq!(client.base_url(), etrack::DEFAULT_BASE_URL);
    /// assert_eq!(client.account(), "demo");
    /// ```
    pub fn builder(account: impl Into<String>, password: PasswordHash) -> ClientBuilder {
        ClientBuilder {
            account: account.into(),
            password,
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
            store: None,
        }
    }

    /// The account this client signs in as.
    pub fn account(&self) -> &str {
        &self.inner.account
    }

    /// The provider's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Gets a new access token now: the sign-in check.
    ///
    /// Errors: `Api{20001}` for a wrong account or password, `Api{10016}` for a blocked account,
    /// `Network` when the provider cannot be reached. Concurrent calls share one authorisation.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) {
    /// match client.authorize().await {
    ///     Ok(()) => println!("signed in"),
    ///     Err(e) if e.api_code() == Some(20001) => println!("wrong password"),
    ///     Err(e) => println!("{e}"),
    /// }
    /// # }
    /// ```
    pub async fn authorize(&self) -> Result<()> {
        let seen = self.inner.generation.load(Ordering::Acquire);
        let mut slot = self.inner.token.lock().await;
        if slot.generation != seen && slot.current.is_some() {
            // Someone else signed in while this call waited: that token is as fresh as ours.
            return Ok(());
        }
        self.install_new_token(&mut slot).await.map(|_| ())
    }

    /// Signs in with the password now, even when another process shares a good token: what a
    /// sign-in form does, so a wrong password shows at once. The new token is shared.
    pub async fn sign_in(&self) -> Result<()> {
        let mut slot = self.inner.token.lock().await;
        self.install_token(&mut slot, true).await.map(|_| ())
    }

    /// A valid token and its generation, authorising first when there is none or it is old.
    async fn token(&self) -> Result<(String, u64)> {
        let mut slot = self.inner.token.lock().await;
        if let Some(t) = &slot.current {
            if t.obtained.elapsed() < t.refresh_after {
                return Ok((t.value.clone(), slot.generation));
            }
        }
        self.install_new_token(&mut slot).await
    }

    async fn install_new_token(&self, slot: &mut TokenSlot) -> Result<(String, u64)> {
        self.install_token(slot, false).await
    }

    /// [`Self::install_new_token`]; `fresh`: sign in even when the store has a good token.
    async fn install_token(&self, slot: &mut TokenSlot, fresh: bool) -> Result<(String, u64)> {
        let stale = slot.current.take().map(|t| t.value).or(slot.refused.take());
        let token = match &self.inner.store {
            Some(store) => self.shared_token(store.clone(), stale, fresh).await?,
            None => self.fetch_token().await?,
        };
        let value = token.value.clone();
        slot.current = Some(token);
        slot.generation += 1;
        self.inner
            .generation
            .store(slot.generation, Ordering::Release);
        Ok((value, slot.generation))
    }

    /// Drops the token of `generation` after the provider refused it; a newer one is kept.
    async fn invalidate(&self, generation: u64) {
        let mut slot = self.inner.token.lock().await;
        if slot.generation == generation {
            slot.refused = slot.current.take().map(|t| t.value);
        }
    }

    /// A token through the shared store: under its lock, the stored one when it is still good
    /// (and not the `stale` one this process just gave up), else a new sign-in, stored for the
    /// others.
    async fn shared_token(
        &self,
        store: Arc<dyn TokenStore>,
        stale: Option<String>,
        fresh: bool,
    ) -> Result<Token> {
        let (lock_store, guard) = {
            let store = store.clone();
            tokio::task::spawn_blocking(move || {
                let guard = store.lock();
                let stored = store.load();
                (stored, guard)
            })
            .await
            .map_err(|e| Error::Decode(format!("the token store failed: {e}")))?
        };
        let now = unix_now();
        let usable = |t: &StoredToken| t.use_until > now && Some(&t.value) != stale.as_ref();
        if let Some(t) = lock_store.filter(|t| !fresh && usable(t)) {
            tracing::debug!("using the token another process signed in with");
            let left = u64::try_from(t.use_until - now).unwrap_or(0);
            return Ok(Token {
                value: t.value,
                obtained: Instant::now(),
                refresh_after: Duration::from_secs(left),
            });
        }
        let token = self.fetch_token().await;
        if let Ok(t) = &token {
            let stored = StoredToken {
                value: t.value.clone(),
                use_until: now + i64::try_from(t.refresh_after.as_secs()).unwrap_or(0),
            };
            let _ = tokio::task::spawn_blocking(move || {
                store.save(&stored);
                drop(guard);
            })
            .await;
        } else {
            drop(guard);
        }
        token
    }

    async fn fetch_token(&self) -> Result<Token> {
        #[derive(Deserialize)]
        struct Record {
            #[serde(deserialize_with = "lenient::string")]
            access_token: String,
            #[serde(default, deserialize_with = "lenient::i64_or_zero")]
            expires_in: i64,
        }
        let mut retries = 0;
        loop {
            let time = unix_now();
            let params = vec![
                ("time", time.to_string()),
                ("account", self.inner.account.clone()),
                ("signature", self.inner.password.sign(time)),
            ];
            let req = Request::get("/api/authorization", params);
            // The provider starts the token's clock somewhere during this request: counting from
            // before it was sent keeps the refresh on the safe side.
            let sent_at = Instant::now();
            match self.send_once(&req, None).await {
                Ok(record) => {
                    let r: Record =
                        decode_object(record, "authorization").map_err(without_reply)?;
                    if r.access_token.is_empty() {
                        return Err(Error::Decode(
                            "authorization: the reply has no access_token".to_owned(),
                        ));
                    }
                    tracing::debug!(expires_in = r.expires_in, "signed in");
                    return Ok(Token {
                        value: r.access_token,
                        obtained: sent_at,
                        refresh_after: refresh_after(r.expires_in),
                    });
                }
                Err(f) if f.retryable(Kind::Read) && retries < self.inner.retry.max_retries => {
                    self.pause(req.path, retries, &f).await;
                    retries += 1;
                }
                Err(f) => return Err(without_reply(f.into_error())),
            }
        }
    }

    /// Sends a request with the token rules and the retry policy; returns the `record`.
    pub(crate) async fn call(&self, req: &Request<'_>) -> Result<Value> {
        let mut retries = 0;
        let mut reauthorised = false;
        loop {
            let (token, generation) = self.token().await?;
            match self.send_once(req, Some(&token)).await {
                Ok(record) => return Ok(record),
                Err(Failure::Token(e)) => {
                    if reauthorised {
                        return Err(e);
                    }
                    tracing::debug!(path = req.path, "token refused; authorising again");
                    reauthorised = true;
                    self.invalidate(generation).await;
                }
                Err(f) => {
                    if let (Failure::TooFrequent(_), Some(counter)) = (&f, req.throttled) {
                        counter.fetch_add(1, Ordering::Relaxed);
                    }
                    if !f.retryable(req.kind) || retries >= self.inner.retry.max_retries {
                        return Err(f.into_error());
                    }
                    self.pause(req.path, retries, &f).await;
                    retries += 1;
                }
            }
        }
    }

    async fn pause(&self, path: &str, retries: u32, why: &Failure) {
        let delay = self.inner.retry.backoff().delay(retries.saturating_add(1));
        tracing::debug!(path, retry = retries + 1, ?delay, ?why, "retrying");
        tokio::time::sleep(delay).await;
    }

    async fn send_once(
        &self,
        req: &Request<'_>,
        token: Option<&str>,
    ) -> std::result::Result<Value, Failure> {
        let url = format!("{}{}", self.inner.base_url, req.path);
        let mut query: Vec<(&str, &str)> = Vec::with_capacity(req.params.len() + 1);
        if let Some(t) = token {
            query.push(("access_token", t));
        }
        query.extend(req.params.iter().map(|(k, v)| (*k, v.as_str())));
        let sent = self
            .inner
            .http
            .request(req.method.clone(), &url)
            .query(&query)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_connect() => return Err(Failure::Connect(self.network_error(&e))),
            Err(e) => return Err(Failure::Ambiguous(self.network_error(&e))),
        };
        let status = response.status().as_u16();
        if status != 200 {
            let err = Error::Http { status };
            return Err(if (500..600).contains(&status) {
                Failure::Server(err)
            } else {
                Failure::Final(err)
            });
        }
        let body = self.read_capped(response).await?;
        let envelope = Envelope::parse(&body).map_err(Failure::Final)?;
        match envelope.code {
            codes::TOO_FREQUENT => Err(Failure::TooFrequent(envelope.into_error())),
            c if codes::is_session_gone(c) => Err(Failure::Token(envelope.into_error())),
            _ => envelope.into_result().map_err(Failure::Final),
        }
    }

    /// The reply's body, refused past [`MAX_REPLY_BYTES`]: a broken or hostile provider cannot
    /// make the app hold an endless reply in memory.
    async fn read_capped(&self, mut response: reqwest::Response) -> Result<Vec<u8>, Failure> {
        let too_big = || {
            Failure::Final(Error::Decode(format!(
                "the reply is larger than {} MiB",
                MAX_REPLY_BYTES / (1024 * 1024)
            )))
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_REPLY_BYTES as u64)
        {
            return Err(too_big());
        }
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_REPLY_BYTES {
                        return Err(too_big());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(body),
                Err(e) => return Err(Failure::Ambiguous(self.network_error(&e))),
            }
        }
    }

    fn network_error(&self, e: &reqwest::Error) -> Error {
        Error::Network {
            url: self.inner.base_url.clone(),
            reason: crate::network::reason(e),
        }
    }
}

impl ClientBuilder {
    /// The provider's base URL (default [`DEFAULT_BASE_URL`]); a trailing slash is tolerated.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The time-out of each HTTP request (default 30 s).
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }

    /// What is retried and how long to wait ([`RetryPolicy::default`] otherwise).
    /// Shares the token with the other processes of this user through `store` (see
    /// [`crate::TokenStore`]): a valid stored token is used before signing in, and a refused one
    /// is looked up again (another process may have renewed it) before signing in, under the
    /// store's lock.
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Retries: see [`RetryPolicy`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client. Errors with [`Error::Validation`] on an empty account or a base URL that
    /// is not an `http(s)://host[:port][/path]` address. Nothing is sent yet.
    pub fn build(self) -> Result<Client> {
        let account = self.account.trim().to_owned();
        if account.is_empty() {
            return Err(Error::validation("the account name is empty"));
        }
        let base_url = normalise_base_url(&self.base_url)?;
        let timeout = if self.timeout.is_zero() {
            Duration::from_secs(30)
        } else {
            self.timeout
        };
        let http = reqwest::Client::builder()
            // A redirect is an error, never followed: a 307/308 would send a command again, to
            // wherever the provider points.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .user_agent(concat!("etrack/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::validation(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                account,
                password: self.password,
                retry: self.retry,
                store: self.store,
                token: Mutex::new(TokenSlot::default()),
                generation: AtomicU64::new(0),
            }),
        })
    }
}

fn normalise_base_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    let bad = |why: &str| Error::validation(format!("invalid provider URL {raw:?}: {why}"));
    let url = url::Url::parse(raw).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("expected http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a query or fragment is not allowed"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// A sign-in error without any part of the reply: a broken authorization reply may hold the token,
/// and errors are shown and logged.
fn without_reply(e: Error) -> Error {
    match e {
        Error::Decode(_) => Error::Decode(
            "authorization: the reply could not be read (not shown: it may hold the token)"
                .to_owned(),
        ),
        other => other,
    }
}

/// The largest reply read (a month of playback is about 2.6 MB).
pub const MAX_REPLY_BYTES: usize = 32 * 1024 * 1024;

/// When to refresh a token the provider says lives `expires_in` seconds.
fn refresh_after(expires_in: i64) -> Duration {
    if expires_in > 0 {
        let secs = u64::try_from(expires_in).unwrap_or(u64::MAX);
        // Leave a quarter of the lifetime as margin for clock skew and slow requests.
        REFRESH_AFTER.min(Duration::from_secs(secs) * 3 / 4)
    } else {
        REFRESH_AFTER
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn base_urls_are_normalised_or_refused() {
        assert_eq!(
            normalise_base_url("http://api.etrack.vip/").unwrap(),
            "http://api.etrack.vip"
        );
        assert_eq!(
            normalise_base_url(" https://h:8443/open/ ").unwrap(),
            "https://h:8443/open"
        );
        for bad in ["", "api.etrack.vip", "ftp://h", "http://h/?x=1", "http://"] {
            assert!(
                matches!(normalise_base_url(bad), Err(Error::Validation(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn tokens_refresh_at_90_minutes_or_earlier_when_short_lived() {
        assert_eq!(refresh_after(7200), Duration::from_secs(90 * 60));
        assert_eq!(refresh_after(0), Duration::from_secs(90 * 60));
        assert_eq!(refresh_after(4), Duration::from_secs(3));
    }

    #[test]
    fn only_unambiguous_failures_of_writes_are_retried() {
        let e = || Error::Http { status: 500 };
        assert!(Failure::Server(e()).retryable(Kind::Read));
        assert!(!Failure::Server(e()).retryable(Kind::Write));
        assert!(!Failure::Ambiguous(e()).retryable(Kind::Write));
        assert!(Failure::Connect(e()).retryable(Kind::Write));
        assert!(Failure::TooFrequent(e()).retryable(Kind::Write));
        assert!(!Failure::Final(e()).retryable(Kind::Read));
    }
}
