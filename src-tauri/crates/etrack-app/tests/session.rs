//! Sign-in flows against etrack-sim over real loopback HTTP, as the commands run them.
#![allow(clippy::unwrap_used)]

mod common;

use common::{drain, fast_live, next_event, next_update, sink, Event};
use etrack_app::error::{ErrorKind, NO_KEYCHAIN};
use etrack_app::keychain::{MemoryKeychain, SecretStore};
use etrack_app::session::SessionManager;
use etrack_app::settings::{SavedAccount, Settings, SettingsStore};
use etrack_sim::{SimConfig, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

struct Rig {
    dir: tempfile::TempDir,
    keychain: Arc<MemoryKeychain>,
}

impl Rig {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            keychain: Arc::new(MemoryKeychain::new()),
        }
    }

    /// A manager as the app builds one at start: same config dir and keychain as before.
    fn start(&self) -> (SessionManager, tokio::sync::mpsc::UnboundedReceiver<Event>) {
        let (sink, rx) = sink();
        let m = SessionManager::new(
            SettingsStore::load(self.dir.path()),
            self.keychain.clone(),
            sink,
        )
        .with_live_timing(fast_live());
        (m, rx)
    }

    /// What an earlier start left after signing in as `saved` with "Remember me".
    fn remembered(&self, saved: &SavedAccount, password: &str) {
        self.keychain
            .set(saved, &etrack::PasswordHash::from_password(password))
            .unwrap();
        SettingsStore::load(self.dir.path())
            .remember_account(saved)
            .unwrap();
    }
}

async fn sim() -> etrack_sim::SimHandle {
    etrack_sim::spawn(SimConfig::default()).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_right_password_signs_in_and_live_positions_follow() {
    let sim = sim().await;
    let rig = Rig::new();
    let (m, mut rx) = rig.start();
    let info = m
        .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
    assert_eq!(info.account, DEMO_ACCOUNT);
    assert_eq!(info.provider_url, sim.base_url());
    assert!(!info.demo && !info.remembered);
    assert_eq!(m.current().await, Some(info));

    let update = next_update(&mut rx, WAIT).await;
    let imeis: Vec<String> = update.tracks.iter().map(|t| t.imei.clone()).collect();
    assert_eq!(imeis, sim.imeis(), "every device, in list order");
    assert!(update.tracks.iter().any(|t| t.latitude != 0.0));
    let snapshot = m.live_snapshot().await.unwrap();
    assert_eq!(snapshot.tracks.len(), update.tracks.len());
    assert!(
        rig.keychain.is_empty(),
        "nothing remembered without Remember me"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_password_reads_wrong_account_or_password() {
    let sim = sim().await;
    let rig = Rig::new();
    let (m, _rx) = rig.start();
    let e = m
        .login(&sim.base_url(), DEMO_ACCOUNT, "not-the-password", true)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Api);
    assert_eq!(e.api_code(), Some(20001));
    assert_eq!(e.to_string(), "Wrong account or password.");
    assert_eq!(m.current().await, None);
    assert!(rig.keychain.is_empty());
    assert!(m.saved_accounts().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_provider_is_named_in_the_message() {
    let rig = Rig::new();
    let (m, _rx) = rig.start();
    let url = common::dead_url();
    let e = m.login(&url, "someone", "secret", false).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    assert!(
        e.to_string()
            .starts_with(&format!("Cannot reach the provider at {url}")),
        "{}",
        e.to_string()
    );
    assert_eq!(
        e.to_string(),
        format!("Cannot reach the provider at {url}: connection refused.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_before_anything_is_sent() {
    let rig = Rig::new();
    let (m, _rx) = rig.start();
    let e = m
        .login("api.example.com", "a", "b", false)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(e.to_string().contains("provider URL"), "{}", e.to_string());
    let e = m
        .login("http://127.0.0.1:1", " ", "b", false)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "Enter the account name.");
    let e = m
        .login("http://127.0.0.1:1", "a", "", false)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "Enter the password.");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_runs_in_process_with_its_fleet() {
    let rig = Rig::new();
    let (m, mut rx) = rig.start();
    let info = m.demo().await.unwrap();
    assert!(info.demo && !info.remembered);
    assert_eq!(info.account, DEMO_ACCOUNT);
    assert!(
        info.provider_url.starts_with("http://127.0.0.1:"),
        "{}",
        info.provider_url
    );

    let sim = m.demo_service().unwrap().clone();
    let devices = m.devices().await.unwrap();
    assert_eq!(devices.len(), SimConfig::default().devices);
    assert_eq!(
        devices.iter().map(|d| d.imei.clone()).collect::<Vec<_>>(),
        sim.imeis()
    );
    assert!(devices.iter().all(|d| !d.devicename.is_empty()));
    let update = next_update(&mut rx, WAIT).await;
    assert_eq!(update.tracks.len(), devices.len());

    // A second demo sign-in reuses the running service.
    let again = m.demo().await.unwrap();
    assert_eq!(again.provider_url, info.provider_url);
    m.logout().await.unwrap();
    assert!(rig.keychain.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn remember_me_signs_in_at_the_next_start_and_sign_out_forgets() {
    let sim = sim().await;
    let rig = Rig::new();
    {
        let (m, _rx) = rig.start();
        let info = m
            .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, true)
            .await
            .unwrap();
        assert!(info.remembered);
        assert_eq!(rig.keychain.len(), 1);
        assert_eq!(
            m.saved_accounts(),
            vec![SavedAccount {
                account: DEMO_ACCOUNT.into(),
                provider_url: sim.base_url()
            }]
        );
        m.shutdown().await;
    }
    let text = std::fs::read_to_string(rig.dir.path().join("settings.json")).unwrap();
    let hash = etrack::PasswordHash::from_password(DEMO_PASSWORD);
    assert!(!text.contains(DEMO_PASSWORD) && !text.contains(hash.as_hex()));

    // The next start: no password asked.
    let (m, mut rx) = rig.start();
    let restored = m.restore().await.unwrap();
    let info = restored.session.unwrap();
    assert_eq!(restored.notice, None);
    assert_eq!(info.account, DEMO_ACCOUNT);
    assert!(info.remembered && !info.demo);
    next_update(&mut rx, WAIT).await;

    // Restoring again (a reloaded UI) keeps the same session without signing in again.
    let before = sim.authorizations();
    assert_eq!(m.restore().await.unwrap().session, Some(info));
    assert_eq!(sim.authorizations(), before);

    m.logout().await.unwrap();
    assert_eq!(m.current().await, None);
    assert!(
        rig.keychain.is_empty(),
        "sign out forgets the keychain entry"
    );
    assert!(m.saved_accounts().is_empty());

    let (m, _rx) = rig.start();
    let restored = m.restore().await.unwrap();
    assert_eq!(restored.session, None);
    assert_eq!(restored.notice, None);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keychain_sign_in_works_and_restore_explains() {
    let sim = sim().await;
    let rig = Rig::new();
    let (m, _rx) = rig.start();
    m.login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, true)
        .await
        .unwrap();
    m.shutdown().await;

    rig.keychain.set_unavailable(true);
    let (m, _rx) = rig.start();
    let restored = m.restore().await.unwrap();
    assert_eq!(restored.session, None);
    assert_eq!(restored.notice.as_deref(), Some(NO_KEYCHAIN));

    let info = m
        .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, true)
        .await
        .unwrap();
    assert!(!info.remembered, "signed in, but could not be remembered");

    let e = m.switch(DEMO_ACCOUNT, &sim.base_url()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Keychain);
    assert_eq!(e.to_string(), NO_KEYCHAIN);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_password_changed_elsewhere_asks_to_sign_in_again() {
    let sim = sim().await;
    let rig = Rig::new();
    let saved = SavedAccount {
        account: DEMO_ACCOUNT.into(),
        provider_url: sim.base_url(),
    };
    rig.remembered(&saved, "the old one");

    let (m, _rx) = rig.start();
    let restored = m.restore().await.unwrap();
    assert_eq!(restored.session, None);
    assert_eq!(
        restored.notice.as_deref(),
        Some("The saved password of demo was refused. Sign in again.")
    );
    assert!(rig.keychain.is_empty());
    assert!(m.saved_accounts().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_remembered_provider_gives_a_notice_and_keeps_the_entry() {
    let rig = Rig::new();
    let saved = SavedAccount {
        account: "fleet".into(),
        provider_url: common::dead_url(),
    };
    rig.remembered(&saved, "pw");
    let (m, _rx) = rig.start();
    let restored = m.restore().await.unwrap();
    assert_eq!(restored.session, None);
    let notice = restored.notice.unwrap();
    assert!(
        notice.starts_with(&format!(
            "Cannot reach the provider at {}",
            saved.provider_url
        )),
        "{notice}"
    );
    assert_eq!(rig.keychain.len(), 1, "kept for when the network is back");
}

#[tokio::test(flavor = "multi_thread")]
async fn saved_accounts_can_be_switched() {
    let east = sim().await;
    let west = sim().await;
    let rig = Rig::new();
    let (m, mut rx) = rig.start();
    for s in [&east, &west] {
        m.login(&s.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, true)
            .await
            .unwrap();
    }
    assert_eq!(m.saved_accounts().len(), 2);
    assert_eq!(m.current().await.unwrap().provider_url, west.base_url());

    let info = m.switch(DEMO_ACCOUNT, &east.base_url()).await.unwrap();
    assert_eq!(info.provider_url, east.base_url());
    assert!(info.remembered);
    drain(&mut rx);
    east.clear_log();
    // The second update after the switch comes from a poll made after the log was cleared.
    next_update(&mut rx, WAIT).await;
    next_update(&mut rx, WAIT).await;
    assert!(
        east.request_log().iter().any(|r| r.path == "/api/track"),
        "the poller now reads the switched-to provider"
    );

    // The last used account is the one restored at the next start.
    let (m2, _rx2) = rig.start();
    assert_eq!(
        m2.restore().await.unwrap().session.unwrap().provider_url,
        east.base_url()
    );

    let e = m.switch("nobody", &east.base_url()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Keychain);
    assert!(
        e.to_string().contains("No saved password for nobody"),
        "{}",
        e.to_string()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_stops_the_live_updates() {
    let sim = sim().await;
    let rig = Rig::new();
    let (m, mut rx) = rig.start();
    m.login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
    next_update(&mut rx, WAIT).await;
    m.logout().await.unwrap();
    drain(&mut rx);
    assert!(
        next_event(&mut rx, Duration::from_millis(1500))
            .await
            .is_none(),
        "no event after sign out"
    );
    assert_eq!(m.live_snapshot().await, None);
    let e = m.devices().await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotSignedIn);
    assert_eq!(
        m.live_refresh_now().await.unwrap_err().kind(),
        ErrorKind::NotSignedIn
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_now_and_new_settings_poll_at_once() {
    let sim = sim().await;
    let rig = Rig::new();
    let (sink, mut rx) = sink();
    // Pacing from the settings, as in the app: an hour between polls.
    let m = SessionManager::new(
        SettingsStore::load(rig.dir.path()),
        rig.keychain.clone(),
        sink,
    );
    m.settings_set(Settings {
        refresh_secs: 3600,
        ..Settings::default()
    })
    .await
    .unwrap();
    m.login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
    let first = next_update(&mut rx, WAIT).await;

    // "Refresh now" right after a poll waits for the gap, then polls.
    m.live_refresh_now().await.unwrap();
    let second = next_update(&mut rx, Duration::from_secs(10)).await;
    assert!(second.at >= first.at);

    // New settings restart the poller: an update comes at once, and the snapshot is kept.
    let saved = m
        .settings_set(Settings {
            refresh_secs: 5,
            units: etrack_app::settings::Units::Mph,
            ..Settings::default()
        })
        .await
        .unwrap();
    assert_eq!(saved.refresh_secs, 5);
    assert!(m.live_snapshot().await.is_some());
    next_update(&mut rx, Duration::from_secs(5)).await;
    assert_eq!(m.settings_get().units, etrack_app::settings::Units::Mph);

    let e = m
        .settings_set(Settings {
            refresh_secs: 1,
            ..Settings::default()
        })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(
        m.settings_get().refresh_secs,
        5,
        "a refused change keeps the old settings"
    );
}
