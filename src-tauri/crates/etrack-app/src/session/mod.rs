//! The signed-in session: the one `etrack::Client` of the app.

mod fleet;
mod history;
mod owner;

pub use fleet::{FleetOpened, FleetScope};
pub use history::HistoryInfo;
pub use owner::Owner;

use crate::error::AppError;
use crate::gate::Gate;
use crate::history::HistoryStore;
use crate::keychain::{KeychainError, SecretStore};
use crate::live::{imeis_of, EventSink, LiveFleet, LiveHandle, LiveTiming, LiveUpdate};
use crate::settings::{normalize_provider_url, SavedAccount, Settings, SettingsStore};
use crate::token_store::SharedToken;
use etrack::{Client, PasswordHash, RetryPolicy};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OnceCell};
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

/// How long a keychain call may take before it counts as unavailable: a locked keyring may wait
/// for an unlock prompt nobody answers.
const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(20);

/// How a session signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SignIn {
    /// With a password just typed: afresh, so a wrong one shows.
    Typed,
    /// With the keychain's hash: the token other processes share, while it is good.
    Saved,
    /// Into the built-in demo: no token is shared.
    Demo,
}

/// The signed-in session, as the work started in it needs it.
#[derive(Clone)]
pub struct SignedIn {
    /// Who.
    pub info: SessionInfo,
    /// The session's client.
    pub client: Client,
    /// Closed when the session ends (sign-out, another account, exit). Events of work started in
    /// the session go through it, so none arrives after the sign-out returned.
    pub gate: Gate,
    /// The account's stored history (see [`crate::history`]): ask it before the provider, with
    /// [`HistoryStore::fetch_points`] and [`HistoryStore::fetch_alarms`]. `None` when it could not
    /// be opened (or the manager keeps no files): then fetch from the provider directly.
    pub history: Option<HistoryStore>,
}

impl SignedIn {
    /// The session's stored history, if it has one (a clone of [`Self::history`]; clones share
    /// the one connection).
    pub fn history(&self) -> Option<HistoryStore> {
        self.history.clone()
    }
}

/// The signed-in account with its client and live poller.
struct Active {
    info: SessionInfo,
    client: Client,
    live: LiveHandle,
    gate: Gate,
    /// The account's stored history, or why there is none.
    history: history::SessionHistory,
    /// The sub-customer whose fleet is on screen (`None`: the account's own); see `fleet.rs`.
    fleet: Option<String>,
}

impl Active {
    /// No event of this session is sent once this returns.
    fn end(&self) {
        self.live.stop();
        self.gate.close();
    }
}

/// Everything the commands work on: settings, keychain, the session and its poller.
///
/// It knows nothing of Tauri: events go to an [`EventSink`], so the sign-in flows and the poller
/// are tested without a window.
pub struct SessionManager {
    settings: SettingsStore,
    keychain: Arc<dyn SecretStore>,
    sink: Arc<dyn EventSink>,
    timing: Option<LiveTiming>,
    demo_config: etrack_sim::SimConfig,
    demo_at_start: bool,
    /// Where the shared token's lock (and its file, without a keychain) lives; `None` shares
    /// nothing.
    data_dir: Option<PathBuf>,
    demo: OnceCell<etrack_sim::SimHandle>,
    /// Whether the demo's stored history is still to be emptied: the demo service starts anew
    /// (its clock, its idle vehicles) with each run of the app, so last run's history is not its.
    demo_history_stale: AtomicBool,
    active: Mutex<Option<Active>>,
}

impl SessionManager {
    /// A manager with no session.
    pub fn new(
        settings: SettingsStore,
        keychain: Arc<dyn SecretStore>,
        sink: Arc<dyn EventSink>,
    ) -> Self {
        Self {
            settings,
            keychain,
            sink,
            timing: None,
            demo_config: etrack_sim::SimConfig::default(),
            demo_at_start: false,
            data_dir: None,
            demo: OnceCell::new(),
            demo_history_stale: AtomicBool::new(true),
            active: Mutex::new(None),
        }
    }

    /// Uses this poller pacing instead of the one derived from the settings (tests).
    pub fn with_live_timing(mut self, timing: LiveTiming) -> Self {
        self.timing = Some(timing);
        self
    }

    /// The demo service's configuration (e.g. a 500-device fleet).
    pub fn with_demo_config(mut self, config: etrack_sim::SimConfig) -> Self {
        self.demo_config = config;
        self
    }

    /// Shares each account's token with the other processes of this user, through the keychain
    /// and a lock in `dir` (the app's data dir).
    pub fn with_data_dir(mut self, dir: PathBuf) -> Self {
        self.data_dir = Some(dir);
        self
    }

    /// Makes [`Self::restore`] sign into the demo when no account is remembered.
    pub fn with_demo_at_start(mut self, yes: bool) -> Self {
        self.demo_at_start = yes;
        self
    }

    /// The settings store.
    pub fn settings_store(&self) -> &SettingsStore {
        &self.settings
    }

    /// The demo service, once started.
    pub fn demo_service(&self) -> Option<&etrack_sim::SimHandle> {
        self.demo.get()
    }

    fn timing(&self) -> LiveTiming {
        self.timing.unwrap_or_else(|| {
            LiveTiming::with_interval(Duration::from_secs(u64::from(
                self.settings.settings().refresh_secs,
            )))
        })
    }

    /// A client for the account, signed in now, so a wrong password or an unreachable provider
    /// shows at once. Outside the demo the token is shared with the other processes of this user
    /// (the CLI, see [`crate::token_store`]): a typed password signs in afresh, a saved one takes
    /// the shared token while it is good.
    async fn sign_in(
        &self,
        provider_url: &str,
        account: &str,
        hash: PasswordHash,
        how: SignIn,
    ) -> Result<Client, AppError> {
        let mut builder = Client::builder(account, hash);
        if let (Some(dir), false) = (&self.data_dir, how == SignIn::Demo) {
            let who = SavedAccount {
                account: account.to_owned(),
                provider_url: provider_url.to_owned(),
            };
            builder =
                builder.token_store(Arc::new(SharedToken::new(self.keychain.clone(), dir, who)));
        }
        let client = builder
            .base_url(provider_url)
            .timeout(Duration::from_secs(20))
            // The poller retries on its own schedule and the UI wants a prompt answer, so the
            // client gives up sooner than its default.
            .retry(RetryPolicy {
                max_retries: 2,
                base_delay: Duration::from_millis(300),
                max_delay: Duration::from_secs(2),
            })
            .build()?;
        let signed = match how {
            SignIn::Typed => client.sign_in().await,
            SignIn::Saved | SignIn::Demo => client.authorize().await,
        };
        signed?;
        Ok(client)
    }

    /// Makes this the session and starts its poller, stopping the previous one.
    async fn activate(&self, info: SessionInfo, client: Client) {
        // The account's stored history first (the one open already when it is the same file).
        let history = self.open_history(&info).await;
        let mut active = self.active.lock().await;
        // The old poller is stopped first, so none of its updates follows the new session's.
        if let Some(previous) = active.take() {
            previous.end();
        }
        let live = LiveHandle::start(client.clone(), self.timing(), self.sink.clone(), None);
        *active = Some(Active {
            info,
            client,
            live,
            gate: Gate::new(),
            history,
            fleet: None,
        });
    }

    /// The stored history of `info`'s account: none without a data dir; the store of the session
    /// running when it is the same file; else opened now (a failure is logged and noted).
    async fn open_history(&self, info: &SessionInfo) -> history::SessionHistory {
        let Some(dir) = &self.data_dir else {
            return history::SessionHistory::default();
        };
        let path = history::path_of(dir, info);
        let running = self.active.lock().await.as_ref().and_then(|a| {
            let store = a.history.store.as_ref()?;
            (store.path() == path).then(|| a.history.clone())
        });
        let opened = match running {
            Some(same) => same,
            None => {
                let limit = self.settings.settings().history_limit_bytes();
                history::open(dir, info, limit).await
            }
        };
        if info.demo && self.demo_history_stale.swap(false, Ordering::SeqCst) {
            if let Some(store) = &opened.store {
                if let Err(e) = store.clear().await {
                    tracing::warn!("cannot empty the demo's stored history: {e}");
                }
            }
        }
        opened
    }

    async fn keychain_call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&dyn SecretStore) -> Result<T, KeychainError> + Send + 'static,
    ) -> Result<T, KeychainError> {
        let store = self.keychain.clone();
        let call = tokio::task::spawn_blocking(move || f(store.as_ref()));
        match tokio::time::timeout(KEYCHAIN_TIMEOUT, call).await {
            Ok(Ok(r)) => r,
            Ok(Err(join)) => Err(KeychainError::Failed(join.to_string())),
            Err(_) => Err(KeychainError::Unavailable(
                "the keychain did not answer".into(),
            )),
        }
    }

    /// Signs in with the remembered account, if any (or into the demo when started that way).
    /// A session already running is returned as is, so a reloaded UI does not sign in again.
    pub async fn restore(&self) -> Result<RestoreResult, AppError> {
        if let Some(info) = self.current().await {
            return Ok(RestoreResult {
                session: Some(info),
                notice: None,
            });
        }
        let Some(saved) = self.settings.last_account() else {
            if self.demo_at_start {
                return Ok(RestoreResult {
                    session: Some(self.demo().await?),
                    notice: None,
                });
            }
            return Ok(RestoreResult {
                session: None,
                notice: None,
            });
        };
        let who = saved.clone();
        let hash = match self.keychain_call(move |k| k.get(&who)).await {
            Ok(Some(h)) => h,
            Ok(None) => {
                // Removed from the keychain behind our back: nothing to sign in with.
                self.settings.forget_account(&saved)?;
                return Ok(RestoreResult {
                    session: None,
                    notice: None,
                });
            }
            Err(e) => {
                tracing::warn!("cannot read the keychain: {e}");
                return Ok(RestoreResult {
                    session: None,
                    notice: Some(AppError::from(e).to_string()),
                });
            }
        };
        match self
            .sign_in(&saved.provider_url, &saved.account, hash, SignIn::Saved)
            .await
        {
            Ok(client) => {
                let info = SessionInfo {
                    account: saved.account.clone(),
                    provider_url: saved.provider_url.clone(),
                    demo: false,
                    remembered: true,
                };
                self.activate(info.clone(), client).await;
                Ok(RestoreResult {
                    session: Some(info),
                    notice: None,
                })
            }
            Err(e) if e.api_code() == Some(etrack::codes::ACCOUNT_OR_PASSWORD_ERROR) => {
                // The password was changed elsewhere: the saved hash will never work again.
                let who = saved.clone();
                if let Err(e) = self.keychain_call(move |k| k.delete(&who)).await {
                    tracing::warn!("cannot remove the refused keychain entry: {e}");
                }
                self.settings.forget_account(&saved)?;
                Ok(RestoreResult {
                    session: None,
                    notice: Some(format!(
                        "The saved password of {} was refused. Sign in again.",
                        saved.account
                    )),
                })
            }
            Err(e) => Ok(RestoreResult {
                session: None,
                notice: Some(e.to_string()),
            }),
        }
    }

    /// Signs in with a password. With `remember`, the password's hash goes to the keychain and
    /// the account to the saved list; if the keychain is unavailable the sign-in still succeeds
    /// with `remembered: false`.
    pub async fn login(
        &self,
        provider_url: &str,
        account: &str,
        password: &str,
        remember: bool,
    ) -> Result<SessionInfo, AppError> {
        let provider_url = normalize_provider_url(provider_url)?;
        let account = account.trim();
        if account.is_empty() {
            return Err(AppError::invalid("Enter the account name."));
        }
        if password.is_empty() {
            return Err(AppError::invalid("Enter the password."));
        }
        let hash = PasswordHash::from_password(password);
        let client = self
            .sign_in(&provider_url, account, hash.clone(), SignIn::Typed)
            .await?;

        let saved = SavedAccount {
            account: account.to_owned(),
            provider_url: provider_url.clone(),
        };
        let who = saved.clone();
        let remembered = if remember {
            match self.keychain_call(move |k| k.set(&who, &hash)).await {
                Ok(()) => {
                    self.settings.remember_account(&saved)?;
                    true
                }
                Err(e) => {
                    tracing::warn!("signed in, but cannot remember the account: {e}");
                    false
                }
            }
        } else {
            // "Remember me" unticked: an older entry must not sign in at the next start.
            if self.settings.accounts().contains(&saved) {
                if let Err(e) = self.keychain_call(move |k| k.delete(&who)).await {
                    tracing::warn!("cannot remove the keychain entry: {e}");
                }
                self.settings.forget_account(&saved)?;
            }
            false
        };
        if let Err(e) = self.settings.set_provider_url(&provider_url) {
            tracing::warn!("cannot save the provider URL: {e}");
        }
        let info = SessionInfo {
            account: saved.account,
            provider_url,
            demo: false,
            remembered,
        };
        self.activate(info.clone(), client).await;
        Ok(info)
    }

    /// Starts the demo service (once for the app's life) and signs into it.
    pub async fn demo(&self) -> Result<SessionInfo, AppError> {
        let sim = self
            .demo
            .get_or_try_init(|| etrack_sim::spawn(self.demo_config.clone()))
            .await
            .map_err(|e| AppError::internal(format!("cannot start the demo service: {e}")))?;
        let base = sim.base_url();
        let client = self
            .sign_in(
                &base,
                etrack_sim::DEMO_ACCOUNT,
                PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
                SignIn::Demo,
            )
            .await?;
        let info = SessionInfo {
            account: etrack_sim::DEMO_ACCOUNT.to_owned(),
            provider_url: base,
            demo: true,
            remembered: false,
        };
        self.activate(info.clone(), client).await;
        Ok(info)
    }

    /// Signs out: stops the poller, silences the session's other work (see [`SignedIn::gate`]),
    /// closes the stored history (once the work still holding it is done) and forgets the account's keychain entry, so the next start asks for the password. Signing
    /// out without a session is not an error.
    pub async fn logout(&self) -> Result<(), AppError> {
        let Some(active) = self.active.lock().await.take() else {
            return Ok(());
        };
        active.end();
        if active.info.demo {
            return Ok(());
        }
        let saved = SavedAccount {
            account: active.info.account,
            provider_url: active.info.provider_url,
        };
        let who = saved.clone();
        if let Err(e) = self.keychain_call(move |k| k.delete(&who)).await {
            // Signed out all the same; the entry stays until the keychain can be reached.
            tracing::warn!("cannot remove the keychain entry: {e}");
        }
        self.settings.forget_account(&saved)
    }

    /// Who is signed in.
    pub async fn current(&self) -> Option<SessionInfo> {
        self.active.lock().await.as_ref().map(|a| a.info.clone())
    }

    /// The accounts that can be switched to.
    pub fn saved_accounts(&self) -> Vec<SavedAccount> {
        self.settings.accounts()
    }

    /// Signs in with a saved account's keychain entry and makes it the current session.
    pub async fn switch(&self, account: &str, provider_url: &str) -> Result<SessionInfo, AppError> {
        let saved = SavedAccount {
            account: account.trim().to_owned(),
            provider_url: normalize_provider_url(provider_url)?,
        };
        let who = saved.clone();
        let hash = match self.keychain_call(move |k| k.get(&who)).await? {
            Some(h) => h,
            None => {
                self.settings.forget_account(&saved)?;
                return Err(KeychainError::Missing(saved.account).into());
            }
        };
        let client = self
            .sign_in(&saved.provider_url, &saved.account, hash, SignIn::Saved)
            .await?;
        self.settings.set_last_account(Some(&saved))?;
        let info = SessionInfo {
            account: saved.account,
            provider_url: saved.provider_url,
            demo: false,
            remembered: true,
        };
        self.activate(info.clone(), client).await;
        Ok(info)
    }

    /// The signed-in session: who, its client and its gate, read together (an account switch
    /// cannot pair one account's name with another's client).
    pub async fn signed_in(&self) -> Result<SignedIn, AppError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| SignedIn {
                info: a.info.clone(),
                client: a.client.clone(),
                gate: a.gate.clone(),
                history: a.history.store.clone(),
            })
            .ok_or(AppError::NotSignedIn)
    }

    /// The signed-in account's stored history, if it has one (see [`SignedIn::history`]).
    pub async fn history(&self) -> Option<HistoryStore> {
        self.active
            .lock()
            .await
            .as_ref()
            .and_then(|a| a.history.store.clone())
    }

    /// How big the signed-in account's stored history is, with the notice about it (a damaged
    /// file kept aside is told once).
    pub async fn history_info(&self) -> Result<HistoryInfo, AppError> {
        let (account, store, notice) = match self.active.lock().await.as_mut() {
            Some(a) => (
                Some(a.info.account.clone()),
                a.history.store.clone(),
                a.history
                    .notice
                    .take()
                    .or_else(|| a.history.unusable.clone()),
            ),
            None => (None, None, None),
        };
        Ok(HistoryInfo {
            bytes: match &store {
                Some(s) => s.size_bytes().await?,
                None => 0,
            },
            limit_bytes: store.as_ref().map_or_else(
                || self.settings.settings().history_limit_bytes(),
                HistoryStore::limit,
            ),
            account,
            notice,
        })
    }

    /// Deletes the signed-in account's stored history; its size afterwards.
    pub async fn history_clear(&self) -> Result<HistoryInfo, AppError> {
        let store = match self.active.lock().await.as_ref() {
            Some(a) => a.history.store.clone(),
            None => return Err(AppError::NotSignedIn),
        };
        if let Some(store) = store {
            store.clear().await?;
            tracing::info!("stored history cleared: {}", store.path().display());
        }
        self.history_info().await
    }

    /// The signed-in client.
    pub async fn client(&self) -> Result<Client, AppError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| a.client.clone())
            .ok_or(AppError::NotSignedIn)
    }

    /// The account's devices: the device list, completed by the device detail (which has the
    /// SIM card, activation and expiry times). If the detail fails, the list alone is returned.
    pub async fn devices(&self) -> Result<Vec<etrack::Device>, AppError> {
        let (client, fleet) = self.fleet_client().await?;
        let devices = client.device_list(fleet.as_deref()).await?;
        Ok(with_detail(&client, devices).await)
    }

    /// The latest live update of the session.
    pub async fn live_snapshot(&self) -> Option<LiveUpdate> {
        self.active
            .lock()
            .await
            .as_ref()
            .and_then(|a| a.live.snapshot())
    }

    /// Polls now.
    pub async fn live_refresh_now(&self) -> Result<(), AppError> {
        match self.active.lock().await.as_ref() {
            Some(a) => {
                a.live.refresh_now();
                Ok(())
            }
            None => Err(AppError::NotSignedIn),
        }
    }

    /// The settings.
    pub fn settings_get(&self) -> Settings {
        self.settings.settings()
    }

    /// Validates and saves the settings, restarts the poller with the new interval and bounds the
    /// stored history to its new size (evicting at once when it is over it).
    pub async fn settings_set(&self, settings: Settings) -> Result<Settings, AppError> {
        let saved = self.settings.set_settings(settings)?;
        let mut active = self.active.lock().await;
        if let Some(a) = active.as_mut() {
            let snapshot = a.live.snapshot();
            a.live.stop();
            // The fleet on screen stays (its devices are listed again by the new poller).
            let fleet = LiveFleet {
                account: a.fleet.clone(),
                listed: None,
            };
            a.live = LiveHandle::start_fleet(
                a.client.clone(),
                fleet,
                self.timing(),
                self.sink.clone(),
                snapshot,
            );
        }
        let store = active.as_ref().and_then(|a| a.history.store.clone());
        drop(active);
        if let Some(store) = store.filter(|s| s.limit() != saved.history_limit_bytes()) {
            // Saved all the same: the bound is applied again after the next write.
            if let Err(e) = store.set_limit(saved.history_limit_bytes()).await {
                tracing::warn!("cannot bound the stored history to its new size: {e}");
            }
        }
        Ok(saved)
    }

    /// Stops the poller and silences the session's work (at exit).
    pub async fn shutdown(&self) {
        if let Some(a) = self.active.lock().await.as_ref() {
            a.end();
        }
        if let Some(sim) = self.demo.get() {
            sim.shutdown();
        }
    }
}

/// `devices` completed by their detail (which has the SIM card, activation and expiry times); the
/// list alone when the detail fails.
async fn with_detail(client: &Client, mut devices: Vec<etrack::Device>) -> Vec<etrack::Device> {
    let imeis = imeis_of(&devices);
    if imeis.is_empty() {
        return devices;
    }
    match client.device_detail(&imeis).await {
        Ok(details) => {
            let by_imei: std::collections::HashMap<&str, &etrack::Device> =
                details.iter().map(|d| (d.imei.as_str(), d)).collect();
            for d in &mut devices {
                if let Some(detail) = by_imei.get(d.imei.as_str()) {
                    complete(d, detail);
                }
            }
        }
        Err(e) => tracing::warn!("device detail failed, showing the list only: {e}"),
    }
    devices
}

/// Fills what the device list left empty from the device detail.
fn complete(d: &mut etrack::Device, detail: &etrack::Device) {
    fn text(into: &mut String, from: &str) {
        if into.trim().is_empty() && !from.trim().is_empty() {
            from.clone_into(into);
        }
    }
    fn time(into: &mut i64, from: i64) {
        if *into == 0 {
            *into = from;
        }
    }
    text(&mut d.devicename, &detail.devicename);
    text(&mut d.devicetype, &detail.devicetype);
    text(&mut d.platenumber, &detail.platenumber);
    text(&mut d.simcard, &detail.simcard);
    time(&mut d.onlinetime, detail.onlinetime);
    time(&mut d.platformduetime, detail.platformduetime);
    time(&mut d.activatedtime, detail.activatedtime);
    time(&mut d.userduetime, detail.userduetime);
}
