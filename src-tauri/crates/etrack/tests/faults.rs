//! The client's rules under faults injected into etrack-sim: token expiry and replacement,
//! 10009 storms, HTTP 500s, invalid JSON, time-outs; writes never re-sent; validation sends nothing.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use etrack::{
    Command, Error, FetchOptions, GeofenceAlarm, GeofenceRequest, Radius, RetryPolicy, TimeRange,
};
use etrack_sim::SimConfig;
use std::time::Duration;

fn geofence(imei: etrack::Imei) -> GeofenceRequest {
    GeofenceRequest {
        imei,
        name: "yard".into(),
        alarm: GeofenceAlarm::Out,
        longitude: 113.95,
        latitude: 22.57,
        radius: Radius::new(300).unwrap(),
    }
}

#[tokio::test]
async fn a_token_replaced_by_another_sign_in_is_renewed_once_and_the_call_succeeds() {
    let sim = sim().await;
    let a = client(&sim);
    a.authorize().await.unwrap();
    // A second sign-in of the same account invalidates a's token at the provider.
    client(&sim).authorize().await.unwrap();
    assert_eq!(sim.authorizations(), 2);
    sim.clear_log();

    let devices = a.device_list(None).await.unwrap();
    assert!(!devices.is_empty());
    assert_eq!(sim.authorizations(), 3);
    let paths: Vec<String> = sim.request_log().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/api/device/list", "/api/authorization", "/api/device/list"]
    );
}

#[tokio::test]
async fn concurrent_calls_after_the_token_died_share_one_authorization() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await;
    let a = client(&sim);
    a.authorize().await.unwrap();
    client(&sim).authorize().await.unwrap();
    assert_eq!(sim.authorizations(), 2);

    let fleet = imeis(&sim);
    let calls = (0..16).map(|i| {
        let a = a.clone();
        let imei = fleet[i % fleet.len()].clone();
        tokio::spawn(async move { a.track(&[imei]).await })
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap().len(), 1);
    }
    assert_eq!(sim.authorizations(), 3, "exactly one re-authorisation");
}

#[tokio::test]
async fn concurrent_calls_after_the_token_expired_share_one_authorization() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await;
    let a = client(&sim);
    a.authorize().await.unwrap();
    // The client was told 7200 s; the provider now expires tokens after 1 s.
    sim.set_token_lifetime(Duration::from_secs(1));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let fleet = imeis(&sim);
    let calls = (0..16).map(|i| {
        let a = a.clone();
        let imei = fleet[i % fleet.len()].clone();
        tokio::spawn(async move { a.device_detail(&[imei]).await })
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().unwrap().len(), 1);
    }
    assert_eq!(sim.authorizations(), 2, "exactly one re-authorisation");
    assert_eq!(
        requests_to(&sim, "/api/device/detail").len(),
        32,
        "each refused once"
    );
}

#[tokio::test]
async fn concurrent_first_calls_share_one_authorization() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(20),
        ..SimConfig::default()
    })
    .await;
    let a = client(&sim);
    let calls = (0..16).map(|_| {
        let a = a.clone();
        tokio::spawn(async move { a.device_list(None).await })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    assert_eq!(sim.authorizations(), 1);
}

/// A 7200 s token whose provider-side lifetime drops to 1 s after sign-in: the playback meets
/// 10012 part-way, re-authorises, re-sends the refused page and loses nothing.
#[tokio::test]
async fn a_token_expiring_mid_playback_is_renewed_and_nothing_is_lost() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(60),
        ..SimConfig::default()
    })
    .await;
    let imei = driving_imei(&sim, &client(&sim)).await;
    let range = last_days(3);
    // One page at a time: about 30 round trips of 60 ms, well past the 1 s lifetime, and the same
    // pages every time.
    let one_at_a_time = FetchOptions {
        concurrency: 1,
        ..FetchOptions::default()
    };
    sim.clear_log();
    let baseline = client(&sim)
        .playback_with(&imei, range, &one_at_a_time, &|_| {})
        .await
        .unwrap();
    let baseline_pages = requests_to(&sim, "/api/playback").len();

    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.set_token_lifetime(Duration::from_secs(1));
    sim.clear_log();
    let before = sim.authorizations();
    let points = c
        .playback_with(&imei, range, &one_at_a_time, &|_| {})
        .await
        .unwrap();
    assert_eq!(points, baseline);
    assert!(sim.authorizations() > before, "the token was renewed");
    let log = sim.request_log();
    let first_auth = log
        .iter()
        .position(|r| r.path == "/api/authorization")
        .unwrap();
    assert!(
        first_auth > 0,
        "the renewal came part-way through the fetch"
    );
    assert!(
        requests_to(&sim, "/api/playback").len() > baseline_pages,
        "the page refused with 10012 was asked again"
    );
}

/// A provider announcing a 2 s token lifetime (the fetch takes about 2.5 s): the client renews
/// before expiry, so no request is refused and none is sent twice.
#[tokio::test]
async fn a_short_announced_token_lifetime_is_renewed_ahead_of_time() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(60),
        ..SimConfig::default()
    })
    .await;
    let imei = driving_imei(&sim, &client(&sim)).await;
    let range = last_days(4);
    let one_at_a_time = FetchOptions {
        concurrency: 1,
        ..FetchOptions::default()
    };
    sim.clear_log();
    let baseline = client(&sim)
        .playback_with(&imei, range, &one_at_a_time, &|_| {})
        .await
        .unwrap();
    let baseline_pages = requests_to(&sim, "/api/playback").len();

    sim.set_token_lifetime(Duration::from_secs(2));
    sim.clear_log();
    let points = client(&sim)
        .playback_with(&imei, range, &one_at_a_time, &|_| {})
        .await
        .unwrap();
    assert_eq!(points, baseline);
    assert!(requests_to(&sim, "/api/authorization").len() >= 2);
    assert_eq!(requests_to(&sim, "/api/playback").len(), baseline_pages);
}

#[tokio::test]
async fn a_10009_storm_slows_the_fetch_but_loses_nothing() {
    let sim = sim().await;
    let imei = driving_imei(&sim, &client(&sim)).await;
    let range = last_days(2);
    // The fewest pages this history takes: one page after the other, nothing asked twice.
    sim.clear_log();
    let baseline = client(&sim)
        .playback_with(
            &imei,
            range,
            &FetchOptions {
                concurrency: 1,
                ..FetchOptions::default()
            },
            &|_| {},
        )
        .await
        .unwrap();
    let clean_requests = requests_to(&sim, "/api/playback").len();
    sim.clear_log();

    sim.set_too_frequent_share(0.4);
    let patient = client_with(
        &sim,
        RetryPolicy {
            max_retries: 12,
            ..quick_retries()
        },
    );
    patient.authorize().await.unwrap();
    let points = patient.playback(&imei, range).await.unwrap();
    assert_eq!(points, baseline);
    assert!(requests_to(&sim, "/api/playback").len() > clean_requests);
}

#[tokio::test]
async fn a_provider_that_keeps_saying_10009_is_given_up_on_after_the_retry_budget() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.clear_log();
    sim.set_too_frequent_share(1.0);
    let e = c.device_list(None).await.unwrap_err();
    assert_eq!(e.api_code(), Some(10009));
    assert_eq!(
        requests_to(&sim, "/api/device/list").len(),
        6,
        "1 + 5 retries"
    );
}

#[tokio::test]
async fn a_write_refused_with_10009_is_sent_again_because_nothing_happened() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.inject_reply(
        "/api/geofence/create",
        200,
        r#"{"code":10009,"message":""}"#,
        2,
    );
    c.create_geofence(&geofence(imeis(&sim)[0].clone()))
        .await
        .unwrap();
    assert_eq!(requests_to(&sim, "/api/geofence/create").len(), 3);
    assert_eq!(sim.geofences().len(), 1);
}

#[tokio::test]
async fn reads_retry_http_500_and_succeed() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.inject_reply("/api/track", 500, "Internal Server Error", 2);
    let t = c.track(&imeis(&sim)[..3]).await.unwrap();
    assert_eq!(t.len(), 3);
    assert_eq!(requests_to(&sim, "/api/track").len(), 3);
}

#[tokio::test]
async fn playback_under_random_500s_is_complete() {
    let sim = sim().await;
    let imei = driving_imei(&sim, &client(&sim)).await;
    let range = last_days(1);
    let baseline = client(&sim).playback(&imei, range).await.unwrap();
    sim.set_server_error_share(0.3);
    let patient = client_with(
        &sim,
        RetryPolicy {
            max_retries: 12,
            ..quick_retries()
        },
    );
    // The sign-in itself may meet a 500; it is a read and retried too.
    assert_eq!(patient.playback(&imei, range).await.unwrap(), baseline);
}

#[tokio::test]
async fn reads_give_up_on_persistent_500_with_the_status() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.inject_reply("/api/user/list", 503, "busy", 100);
    assert_eq!(
        c.user_list(None).await.unwrap_err(),
        Error::Http { status: 503 }
    );
    assert_eq!(requests_to(&sim, "/api/user/list").len(), 6);
}

#[tokio::test]
async fn writes_are_not_re_sent_after_a_500() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    let imei = imeis(&sim)[0].clone();
    sim.clear_log();

    sim.inject_reply("/api/command/send", 500, "", 1);
    let e = c
        .send_command(&imei, &Command::StopEngine)
        .await
        .unwrap_err();
    assert_eq!(e, Error::Http { status: 500 });
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);

    sim.inject_reply("/api/geofence/create", 502, "", 1);
    assert!(c.create_geofence(&geofence(imei.clone())).await.is_err());
    assert_eq!(requests_to(&sim, "/api/geofence/create").len(), 1);

    sim.inject_reply("/api/user/block", 500, "", 1);
    assert!(c.block_user("demo-east").await.is_err());
    assert_eq!(requests_to(&sim, "/api/user/block").len(), 1);

    sim.inject_reply("/api/user/unblock", 500, "", 1);
    assert!(c.unblock_user("demo-east").await.is_err());
    assert_eq!(requests_to(&sim, "/api/user/unblock").len(), 1);

    sim.inject_reply("/api/message/send", 500, "", 1);
    assert!(c.send_message(&["demo-east".into()], "hi").await.is_err());
    assert_eq!(requests_to(&sim, "/api/message/send").len(), 1);
}

#[tokio::test]
async fn a_write_that_times_out_is_not_re_sent() {
    let sim = sim().await;
    let imei = imeis(&sim)[0].clone();
    let c = etrack::Client::builder(
        etrack_sim::DEMO_ACCOUNT,
        etrack::PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .timeout(Duration::from_millis(300))
    .retry(quick_retries())
    .build()
    .unwrap();
    c.authorize().await.unwrap();
    sim.set_latency(Duration::from_millis(800));
    sim.clear_log();
    match c.send_command(&imei, &Command::StopEngine).await {
        Err(Error::Network { url, reason }) => {
            assert_eq!(url, sim.base_url());
            assert!(reason.contains("timed out"), "{reason}");
        }
        other => panic!("expected a time-out, got {other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);
    // A read in the same situation is retried (and fails the same way).
    sim.clear_log();
    assert!(c.user_info("demo").await.is_err());
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_eq!(requests_to(&sim, "/api/user/info").len(), 6);
}

#[tokio::test]
async fn invalid_json_is_a_decode_error_not_a_panic() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    let imei = imeis(&sim)[0].clone();
    for body in [
        "<html>gateway</html>",
        "",
        "{\"code\":0,\"record\":[",
        "[]",
        "{\"record\":[]}",
        "{\"code\":0,\"record\":[{\"no\":\"imei\"}]}",
        "{\"code\":0,\"record\":42}",
    ] {
        sim.inject_reply("/api/track", 200, body, 1);
        let r = c.track(std::slice::from_ref(&imei)).await;
        assert!(matches!(r, Err(Error::Decode(_))), "{body:?}: {r:?}");
    }
    sim.inject_reply("/api/playback", 200, "{\"code\":0,\"record\":\"1,2\"}", 1);
    let r = c
        .playback(&imei, TimeRange::new(1_700_000_000, 1_700_003_600).unwrap())
        .await;
    assert!(matches!(r, Err(Error::Decode(_))), "{r:?}");
    // The client still works afterwards.
    assert_eq!(c.track(&[imei]).await.unwrap().len(), 1);
}

#[tokio::test]
async fn odd_but_readable_replies_are_decoded_leniently() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    let imei = imeis(&sim)[0].clone();
    sim.inject_reply(
        "/api/track",
        200,
        &format!(
            r#"{{"code":"0","message":null,"extra":1,"record":[{{"imei":{imei},"speed":"42",
            "latitude":"22.5","longitude":113.9,"battery":null,"gpstime":"1700000000","new":{{}}}}]}}"#
        ),
        1,
    );
    let t = c.track(std::slice::from_ref(&imei)).await.unwrap();
    assert_eq!(t[0].imei, imei.as_str());
    assert_eq!(
        (t[0].speed, t[0].battery, t[0].gpstime),
        (42.0, -1, 1_700_000_000)
    );
    assert_eq!(t[0].latitude, 22.5);

    sim.inject_reply("/api/device/list", 200, r#"{"code":0,"record":""}"#, 1);
    assert!(c.device_list(None).await.unwrap().is_empty());
    sim.inject_reply("/api/device/list", 200, r#"{"code":0}"#, 1);
    assert!(c.device_list(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn api_errors_carry_the_code_and_the_spec_words() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    sim.inject_reply(
        "/api/command/send",
        200,
        r#"{"code":20017,"message":""}"#,
        1,
    );
    let e = c
        .send_command(&imeis(&sim)[0], &Command::StopEngine)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "20017 Device is offline.");
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);
}

#[tokio::test]
async fn validation_errors_send_nothing() {
    let sim = sim().await;
    let c = client(&sim);
    let imei = imeis(&sim)[0].clone();
    let to = vec!["demo-east".to_owned()];

    let too_long = "x".repeat(301);
    let crowd: Vec<String> = (0..201).map(|i| format!("user{i}")).collect();
    let checks: Vec<(&str, etrack::Result<()>)> = vec![
        ("301 chars", c.send_message(&to, &too_long).await),
        ("201 accounts", c.send_message(&crowd, "hi").await),
        ("no accounts", c.send_message(&[], "hi").await),
        ("blank account", c.send_message(&[" ".into()], "hi").await),
        ("block blank", c.block_user("  ").await),
        ("unblock blank", c.unblock_user("").await),
        ("info blank", c.user_info("").await.map(drop)),
        (
            "mileage :15",
            c.mileage(
                std::slice::from_ref(&imei),
                TimeRange::new(1_631_721_600 + 900, 1_631_808_000).unwrap(),
            )
            .await
            .map(drop),
        ),
        (
            "geofence without name",
            c.create_geofence(&GeofenceRequest {
                name: " ".into(),
                ..geofence(imei.clone())
            })
            .await,
        ),
        (
            "geofence off the globe",
            c.create_geofence(&GeofenceRequest {
                latitude: 95.0,
                ..geofence(imei.clone())
            })
            .await,
        ),
        ("empty command id", c.query_command(" ").await.map(drop)),
    ];
    for (what, r) in checks {
        assert!(matches!(r, Err(Error::Validation(_))), "{what}: {r:?}");
    }
    // A 300-character message in a non-ASCII script is allowed (characters, not bytes).
    assert!(etrack::validate::message(&to, &"ж".repeat(300)).is_ok());
    assert!(
        sim.request_log().is_empty(),
        "sent: {:?}",
        sim.request_log()
    );
}

#[tokio::test]
async fn empty_histories_in_both_forms_are_empty_lists() {
    let sim = sim().await;
    let c = client(&sim);
    c.authorize().await.unwrap();
    let imei = imeis(&sim)[0].clone();
    // Shorter than one window, so each call is exactly one request.
    let range = TimeRange::new(1_700_000_000, 1_700_003_600).unwrap();
    for (path, body) in [
        ("/api/playback", r#"{"code":0,"record":""}"#),
        ("/api/playback", r#"{"code":20023,"message":"No Data."}"#),
        ("/api/playback", r#"{"code":0}"#),
    ] {
        sim.inject_reply(path, 200, body, 1);
        assert!(c.playback(&imei, range).await.unwrap().is_empty(), "{body}");
    }
    for body in [
        r#"{"code":0,"record":""}"#,
        r#"{"code":20023,"message":""}"#,
    ] {
        sim.inject_reply("/api/alarm/list", 200, body, 1);
        assert!(c.alarms(&imei, range).await.unwrap().is_empty(), "{body}");
    }
    // And the simulator's own empty answer for a device with no history.
    sim.set_history(imei.as_str(), Vec::new());
    assert!(c.playback(&imei, last_days(2)).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_same_second_flood_terminates_with_the_reachable_records_once() {
    let sim = sim().await;
    let c = client(&sim);
    let imei = imeis(&sim)[0].clone();
    let t0 = last_days(1).begin();
    let mut history = straight_history(t0, 50, 10);
    let flood_at = t0 + 500;
    history.extend((0..2_500).map(|k| (114.0 + k as f64 * 1e-5, 22.6, flood_at, 0, 0)));
    history.extend(straight_history(flood_at + 10, 50, 10));
    sim.set_history(imei.as_str(), history);

    let range = TimeRange::new(t0, t0 + 2_000).unwrap();
    let points = tokio::time::timeout(Duration::from_secs(20), c.playback(&imei, range))
        .await
        .expect("the fetch terminates")
        .unwrap();
    let at_flood: Vec<_> = points.iter().filter(|p| p.gpstime == flood_at).collect();
    // The spec pages by time, so only the first 1000 records of one second are reachable.
    assert_eq!(at_flood.len(), 1000);
    let distinct: std::collections::HashSet<u64> =
        at_flood.iter().map(|p| p.longitude.to_bits()).collect();
    assert_eq!(distinct.len(), 1000, "no record twice");
    assert_eq!(
        points.len() - at_flood.len(),
        100,
        "everything around the flood"
    );
    assert!(points.windows(2).all(|w| w[0].gpstime <= w[1].gpstime));
    // The probe, the flood's page, the rest, and at most one sliding window of requests that
    // were already on their way when the flood showed.
    assert!(requests_to(&sim, "/api/playback").len() <= 10);
}

#[tokio::test]
async fn cancelling_a_playback_stops_it() {
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(30),
        ..SimConfig::default()
    })
    .await;
    let c = client(&sim);
    let imei = driving_imei(&sim, &c).await;
    let opts = FetchOptions::default();
    opts.cancel.cancel();
    sim.clear_log();
    assert_eq!(
        c.playback_with(&imei, last_days(7), &opts, &|_| {})
            .await
            .unwrap_err(),
        Error::Cancelled
    );
    assert!(sim.request_log().is_empty());

    let opts = FetchOptions::default();
    let cancel = opts.cancel.clone();
    let r = c
        .playback_with(&imei, last_days(7), &opts, &move |p| {
            if p.pages >= 3 {
                cancel.cancel()
            }
        })
        .await;
    assert_eq!(r.unwrap_err(), Error::Cancelled);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(requests_to(&sim, "/api/playback").len() < 20);
}
