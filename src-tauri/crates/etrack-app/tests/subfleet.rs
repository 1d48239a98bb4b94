//! A distributor opens a sub-customer's fleet (spec 2.7 `account`): the live poller, the device
//! list and the fleet scope follow it; back to the own fleet; an account that is not a
//! sub-customer is refused and changes nothing. Against etrack-sim over real loopback HTTP.
#![allow(clippy::unwrap_used)]

mod common;

use common::{drain, fast_live, next_update, sink, Event};
use etrack::Client;
use etrack_app::keychain::MemoryKeychain;
use etrack_app::live::LiveUpdate;
use etrack_app::session::{FleetScope, SessionManager};
use etrack_app::settings::SettingsStore;
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT, DEMO_PASSWORD, EAST_ACCOUNT, WEST_ACCOUNT};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

const WAIT: Duration = Duration::from_secs(20);

/// The IMEIs `account`'s device list names, asked of the provider directly with the session's own
/// client (another client would sign in again and void the session's token).
async fn provider_imeis(sessions: &SessionManager, account: Option<&str>) -> Vec<String> {
    let c: Client = sessions.client().await.unwrap();
    c.device_list(account)
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.imei)
        .collect()
}

fn set(imeis: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    imeis.into_iter().collect()
}

fn imeis_of(u: &LiveUpdate) -> BTreeSet<String> {
    set(u.tracks.iter().map(|t| t.imei.clone()))
}

/// The first live update that is exactly `want` (an update of the old fleet may be in flight).
async fn update_of(rx: &mut UnboundedReceiver<Event>, want: &BTreeSet<String>) -> LiveUpdate {
    for _ in 0..20 {
        let u = next_update(rx, WAIT).await;
        if &imeis_of(&u) == want {
            return u;
        }
    }
    panic!("no live update of exactly {want:?}");
}

fn requests(sim: &SimHandle, path: &str) -> Vec<etrack_sim::LoggedRequest> {
    sim.request_log()
        .into_iter()
        .filter(|r| r.path == path)
        .collect()
}

fn param<'a>(r: &'a etrack_sim::LoggedRequest, key: &str) -> Option<&'a str> {
    r.params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn manager(
    sim: &SimHandle,
    dir: &std::path::Path,
    account: &str,
) -> (SessionManager, UnboundedReceiver<Event>) {
    let (sink, rx) = sink();
    let sessions = SessionManager::new(
        SettingsStore::load(dir),
        Arc::new(MemoryKeychain::new()),
        sink,
    )
    .with_live_timing(fast_live());
    sessions
        .login(&sim.base_url(), account, DEMO_PASSWORD, false)
        .await
        .unwrap();
    (sessions, rx)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_poller_follows_a_sub_customers_fleet_and_comes_back_to_the_own_one() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (sessions, mut rx) = manager(&sim, dir.path(), DEMO_ACCOUNT).await;
    let own = set(provider_imeis(&sessions, None).await);
    let east = provider_imeis(&sessions, Some(EAST_ACCOUNT)).await;
    assert!(!east.is_empty() && east.len() < own.len(), "{east:?}");
    update_of(&mut rx, &own).await;
    assert_eq!(
        sessions.fleet_scope().await.unwrap(),
        FleetScope { account: None }
    );

    sim.clear_log();
    let opened = sessions.open_fleet(Some(EAST_ACCOUNT)).await.unwrap();
    assert_eq!(opened.account.as_deref(), Some(EAST_ACCOUNT));
    let listed: Vec<String> = opened.devices.iter().map(|d| d.imei.clone()).collect();
    assert_eq!(
        listed, east,
        "exactly the sub-customer's devices, in the provider's order"
    );
    let east_set = set(east.clone());
    let first = update_of(&mut rx, &east_set).await;
    let got: Vec<&str> = first.tracks.iter().map(|t| t.imei.as_str()).collect();
    assert_eq!(got, east, "live positions for its devices, in list order");
    // A few more polls: still the sub-customer's fleet.
    for _ in 0..2 {
        assert_eq!(imeis_of(&next_update(&mut rx, WAIT).await), east_set);
    }
    assert_eq!(
        sessions.fleet_scope().await.unwrap().account.as_deref(),
        Some(EAST_ACCOUNT)
    );
    let devices: Vec<String> = sessions
        .devices()
        .await
        .unwrap()
        .into_iter()
        .map(|d| d.imei)
        .collect();
    assert_eq!(devices, east, "the device list follows the fleet on screen");

    // The request budget: one device list for the switch (with the account), none by the poller;
    // the track batches name only the sub-customer's devices.
    let lists = requests(&sim, "/api/device/list");
    assert_eq!(
        lists.len(),
        2,
        "the switch's list and the devices() call above: {lists:?}"
    );
    assert!(lists
        .iter()
        .all(|r| param(r, "account") == Some(EAST_ACCOUNT)));
    let tracks = requests(&sim, "/api/track");
    assert!(tracks.len() >= 3);
    for r in &tracks {
        let asked = set(param(r, "imeis").unwrap().split(',').map(str::to_owned));
        assert!(asked.is_subset(&east_set), "{asked:?}");
    }

    // Back to the own fleet.
    drain(&mut rx);
    let back = sessions.open_fleet(None).await.unwrap();
    assert_eq!(back.account, None);
    assert_eq!(set(back.devices.into_iter().map(|d| d.imei)), own);
    update_of(&mut rx, &own).await;
    assert_eq!(
        sessions.fleet_scope().await.unwrap(),
        FleetScope { account: None }
    );

    // Its own name is the own fleet too.
    let mine = sessions.open_fleet(Some(DEMO_ACCOUNT)).await.unwrap();
    assert_eq!(mine.account, None);
    sessions.logout().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_that_is_not_a_sub_customer_is_refused_and_changes_nothing() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (sessions, mut rx) = manager(&sim, dir.path(), DEMO_ACCOUNT).await;
    let west = set(provider_imeis(&sessions, Some(WEST_ACCOUNT)).await);
    sessions.open_fleet(Some(WEST_ACCOUNT)).await.unwrap();
    update_of(&mut rx, &west).await;

    let e = sessions.open_fleet(Some("nobody-here")).await.unwrap_err();
    assert_eq!(e.api_code(), Some(20005));
    let words = e.to_string();
    assert!(words.contains("nobody-here"), "{words}");
    assert!(words.contains("The fleet shown is unchanged."), "{words}");
    assert_eq!(
        sessions.fleet_scope().await.unwrap().account.as_deref(),
        Some(WEST_ACCOUNT)
    );
    drain(&mut rx);
    for _ in 0..2 {
        assert_eq!(
            imeis_of(&next_update(&mut rx, WAIT).await),
            west,
            "the poller keeps the fleet on screen"
        );
    }
    let empty = sessions.open_fleet(Some("   ")).await.unwrap();
    assert_eq!(empty.account, None, "a blank name is the own fleet");
    sessions.logout().await.unwrap();

    // An end user asking for a sibling's fleet: 10007, and its own fleet stays.
    let dir = tempfile::tempdir().unwrap();
    let (east, mut rx) = manager(&sim, dir.path(), EAST_ACCOUNT).await;
    let own = set(east.devices().await.unwrap().into_iter().map(|d| d.imei));
    let e = east.open_fleet(Some(WEST_ACCOUNT)).await.unwrap_err();
    assert_eq!(e.api_code(), Some(10007), "{e}");
    assert_eq!(east.fleet_scope().await.unwrap().account, None);
    update_of(&mut rx, &own).await;
    east.logout().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_in_again_starts_with_the_own_fleet() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (sessions, _rx) = manager(&sim, dir.path(), DEMO_ACCOUNT).await;
    sessions.open_fleet(Some(EAST_ACCOUNT)).await.unwrap();
    sessions
        .login(&sim.base_url(), DEMO_ACCOUNT, DEMO_PASSWORD, false)
        .await
        .unwrap();
    assert_eq!(sessions.fleet_scope().await.unwrap().account, None);
    sessions.logout().await.unwrap();
    assert!(sessions.fleet_scope().await.is_err());
}
