//! The live poller against etrack-sim over real loopback HTTP.
#![allow(clippy::unwrap_used)]

mod common;

use common::{fast_live, next_update, sink, wait_status};
use etrack::{Client, PasswordHash, RetryPolicy};
use etrack_app::live::{LiveHandle, LiveState, LiveTiming};
use etrack_sim::{SimConfig, DEMO_ACCOUNT, DEMO_PASSWORD};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

async fn client(base: &str) -> Client {
    let c = Client::builder(DEMO_ACCOUNT, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(base)
        .retry(RetryPolicy {
            max_retries: 1,
            base_delay: Duration::from_millis(50),
            max_delay: Duration::from_millis(100),
        })
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    c.authorize().await.unwrap();
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn a_500_device_fleet_is_polled_in_batches_of_at_most_100() {
    let sim = etrack_sim::spawn(SimConfig {
        devices: 500,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let c = client(&sim.base_url()).await;
    let (sink, mut rx) = sink();
    sim.clear_log();
    let live = LiveHandle::start(c, fast_live(), sink, None);

    let update = next_update(&mut rx, WAIT).await;
    let got: Vec<String> = update.tracks.iter().map(|t| t.imei.clone()).collect();
    assert_eq!(got.len(), 500);
    assert_eq!(got, sim.imeis(), "every device once, in list order");
    assert!(update.duration_ms > 0.0);
    let status = wait_status(&mut rx, LiveState::Ok, WAIT).await;
    assert_eq!(status.message, None);
    assert_eq!(status.last_ok, Some(update.at));

    live.stop();
    let tracks: Vec<usize> = sim
        .request_log()
        .iter()
        .filter(|r| r.path == "/api/track")
        .map(|r| {
            let imeis = r
                .params
                .iter()
                .find(|(k, _)| k == "imeis")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            imeis.split(',').filter(|s| !s.is_empty()).count()
        })
        .collect();
    assert!(tracks.len() >= 5, "{tracks:?}");
    assert!(tracks.iter().all(|&n| (1..=100).contains(&n)), "{tracks:?}");
    assert_eq!(tracks[..5].iter().sum::<usize>(), 500, "{tracks:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_unreachable_when_the_provider_stops_and_recovers_by_itself() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let addr = sim.addr();
    let base = sim.base_url();
    let (sink, mut rx) = sink();
    let live = LiveHandle::start(client(&base).await, fast_live(), sink, None);
    let first = next_update(&mut rx, WAIT).await;
    assert_eq!(first.tracks.len(), sim.imeis().len());

    sim.shutdown();
    let down = wait_status(&mut rx, LiveState::Unreachable, WAIT).await;
    let message = down.message.unwrap();
    assert!(
        message.starts_with(&format!("Cannot reach the provider at {base}")),
        "{message}"
    );
    assert_eq!(
        down.last_ok,
        Some(first.at),
        "the UI can say when it last refreshed"
    );
    assert_eq!(
        live.snapshot().map(|u| u.at),
        Some(first.at),
        "the last positions stay"
    );

    // The provider comes back on the same address (with no memory of the old token).
    let mut again = None;
    for _ in 0..50 {
        match etrack_sim::spawn_on(SimConfig::default(), addr).await {
            Ok(s) => {
                again = Some(s);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    let again = again.expect("the address can be bound again");
    let ok = wait_status(&mut rx, LiveState::Ok, WAIT).await;
    assert!(ok.last_ok.unwrap() > first.at);
    let update = next_update(&mut rx, WAIT).await;
    assert_eq!(update.tracks.len(), again.imeis().len());
    live.stop();
    again.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_poll_is_an_error_in_plain_words_and_is_retried() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let (sink, mut rx) = sink();
    let live = LiveHandle::start(client(&sim.base_url()).await, fast_live(), sink, None);
    next_update(&mut rx, WAIT).await;

    // The provider refuses the next polls with "permission denied" (never retried by the client).
    sim.inject_reply(
        "/api/track",
        200,
        r#"{"code":10007,"message":"Permission denied"}"#,
        3,
    );
    let refused = wait_status(&mut rx, LiveState::Error, WAIT).await;
    assert_eq!(
        refused.message.as_deref(),
        Some("This account is not allowed to do that.")
    );
    let back = wait_status(&mut rx, LiveState::Ok, WAIT).await;
    assert_eq!(back.message, None);
    live.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn an_http_error_is_not_called_unreachable() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let (sink, mut rx) = sink();
    let live = LiveHandle::start(client(&sim.base_url()).await, fast_live(), sink, None);
    next_update(&mut rx, WAIT).await;
    // More server errors in a row than the client retries.
    sim.inject_reply("/api/track", 500, "internal error", 20);
    let failed = wait_status(&mut rx, LiveState::Error, WAIT).await;
    let message = failed.message.unwrap();
    assert!(message.contains("HTTP 500"), "{message}");
    assert!(!message.contains("Cannot reach"), "{message}");
    live.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_blocked_account_stops_the_poller_instead_of_asking_every_interval() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let (sink, mut rx) = sink();
    let live = LiveHandle::start(client(&sim.base_url()).await, fast_live(), sink, None);
    next_update(&mut rx, WAIT).await;
    sim.inject_reply(
        "/api/track",
        200,
        r#"{"code":10016,"message":"Account is blocked"}"#,
        1,
    );
    let stopped = wait_status(&mut rx, LiveState::Stopped, WAIT).await;
    assert!(
        stopped.message.unwrap().contains("blocked"),
        "the banner says why"
    );
    sim.clear_log();
    // Ten poll intervals later: not one request more.
    tokio::time::sleep(fast_live().interval * 10).await;
    let asked = sim
        .request_log()
        .iter()
        .filter(|r| r.path == "/api/track" || r.path == "/api/authorization")
        .count();
    assert_eq!(asked, 0, "the poller stopped");
    live.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_now_is_not_a_way_to_flood_the_provider() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let (sink, mut rx) = sink();
    let hour = Duration::from_secs(3600);
    let timing = LiveTiming {
        interval: hour,
        backoff_min: hour,
        backoff_max: hour,
        device_list_every: hour,
    };
    let live = LiveHandle::start(client(&sim.base_url()).await, timing, sink, None);
    next_update(&mut rx, WAIT).await;
    sim.clear_log();
    let clicked = std::time::Instant::now();
    for _ in 0..20 {
        live.refresh_now();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let polls = || {
        sim.request_log()
            .iter()
            .filter(|r| r.path == "/api/track")
            .count()
    };
    assert_eq!(
        polls(),
        0,
        "twenty clicks right after a poll: no request yet"
    );
    // The click is not lost: one poll comes once the gap has passed, and only one.
    let update = next_update(&mut rx, WAIT).await;
    assert!(clicked.elapsed() >= etrack_app::live::MANUAL_REFRESH_GAP - Duration::from_millis(500));
    assert!(update.at > 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(polls(), 1, "one poll for twenty clicks");
    live.stop();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_device_the_provider_no_longer_answers_for_leaves_the_rest_of_the_fleet_live() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    // The east depot's account, whose device list (as a provider may serve it for a while)
    // still names one vehicle that went to the west depot: /api/track refuses the whole batch
    // with 10013.
    let east = Client::builder(
        etrack_sim::EAST_ACCOUNT,
        PasswordHash::from_password(DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .build()
    .unwrap();
    let west = client(&sim.base_url()).await;
    let mut listed = serde_json::to_value(east.device_list(None).await.unwrap()).unwrap();
    let own = listed.as_array().unwrap().len();
    let moved = west
        .device_list(Some(etrack_sim::WEST_ACCOUNT))
        .await
        .unwrap()[0]
        .imei
        .clone();
    listed
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({ "imei": moved }));
    let body = serde_json::json!({ "code": 0, "record": listed }).to_string();
    sim.inject_reply("/api/device/list", 200, &body, 1);

    let (sink, mut rx) = sink();
    let live = LiveHandle::start(east, fast_live(), sink, None);
    let first = next_update(&mut rx, WAIT).await;
    assert_eq!(first.tracks.len(), own, "everyone else is live");
    assert!(first.tracks.iter().all(|t| t.imei != moved));
    sim.clear_log();
    next_update(&mut rx, WAIT).await;
    let polls = sim
        .request_log()
        .iter()
        .filter(|r| r.path == "/api/track")
        .count();
    assert_eq!(
        polls, 1,
        "the next poll is one request: the refused device is left out"
    );
    live.stop();
}
