//! Every endpoint of the Open API, through the client, against etrack-sim over loopback HTTP.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use etrack::{
    Command, CommandOptions, CommandOutcome, Error, FetchOptions, GeofenceAlarm, GeofenceRequest,
    Imei, Radius, TimeRange,
};
use etrack_sim::SimConfig;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test]
async fn authorize_accepts_the_demo_account_and_names_a_wrong_password() {
    let sim = sim().await;
    client(&sim).authorize().await.unwrap();
    assert_eq!(sim.authorizations(), 1);

    let wrong = etrack::Client::builder("demo", etrack::PasswordHash::from_password("nope"))
        .base_url(sim.base_url())
        .build()
        .unwrap();
    let e = wrong.authorize().await.unwrap_err();
    assert_eq!(e.api_code(), Some(20001));
    assert_eq!(e.to_string(), "20001 Account or password error");
    assert_eq!(sim.authorizations(), 1);

    let blocked = etrack::Client::builder(
        "demo-blocked",
        etrack::PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .build()
    .unwrap();
    assert_eq!(
        blocked.authorize().await.unwrap_err().api_code(),
        Some(10016)
    );
}

#[tokio::test]
async fn an_unreachable_provider_is_a_network_error_naming_the_url() {
    // Bind and drop a listener to get a port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let client = etrack::Client::builder("demo", etrack::PasswordHash::from_password("x"))
        .base_url(&base)
        .retry(quick_retries())
        .build()
        .unwrap();
    match client.device_list(None).await {
        Err(Error::Network { url, reason }) => {
            assert_eq!(url, base);
            assert!(!reason.is_empty());
            assert!(!reason.contains("access_token"), "{reason}");
        }
        other => panic!("expected a network error, got {other:?}"),
    }
}

#[tokio::test]
async fn network_failures_read_as_a_few_words() {
    // A closed loopback port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let closed = format!("http://127.0.0.1:{port}");
    // TLS spoken to a plain-HTTP provider.
    let sim = sim().await;
    let not_tls = sim.base_url().replacen("http://", "https://", 1);
    for (base, reason) in [(closed, "connection refused"), (not_tls, "TLS failure")] {
        let client = etrack::Client::builder("demo", etrack::PasswordHash::from_password("x"))
            .base_url(&base)
            .retry(quick_retries())
            .build()
            .unwrap();
        let e = client.device_list(None).await.unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("cannot reach the provider at {base}: {reason}")
        );
    }
}

#[tokio::test]
async fn device_list_is_the_fleet_in_order_and_sub_accounts_see_theirs() {
    let sim = sim().await;
    let client = client(&sim);
    let all = client.device_list(None).await.unwrap();
    let listed: Vec<&str> = all.iter().map(|d| d.imei.as_str()).collect();
    assert_eq!(listed, sim.imeis());
    assert!(all.iter().all(|d| !d.devicename.is_empty()));

    let east = client.device_list(Some("demo-east")).await.unwrap();
    assert!(!east.is_empty() && east.len() < all.len());
    let fleet: HashSet<&str> = listed.iter().copied().collect();
    assert!(east.iter().all(|d| fleet.contains(d.imei.as_str())));
}

#[tokio::test]
async fn device_list_of_an_account_that_is_not_a_sub_customer_is_refused_with_the_specs_code() {
    let sim = sim().await;
    let unknown = client(&sim)
        .device_list(Some("nobody-here"))
        .await
        .unwrap_err();
    assert_eq!(unknown.api_code(), Some(20005), "{unknown}");
    assert_eq!(unknown.to_string(), "20005 Target doesn't exist.");

    // An end user asking for a sibling's fleet: the account exists but is not under it.
    let east = etrack::Client::builder(
        etrack_sim::EAST_ACCOUNT,
        etrack::PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .build()
    .unwrap();
    let sibling = east
        .device_list(Some(etrack_sim::WEST_ACCOUNT))
        .await
        .unwrap_err();
    assert_eq!(sibling.api_code(), Some(10007), "{sibling}");
    let own = east
        .device_list(Some(etrack_sim::EAST_ACCOUNT))
        .await
        .unwrap();
    assert_eq!(own, east.device_list(None).await.unwrap());
}

#[tokio::test]
async fn track_and_detail_batch_by_100_and_keep_the_callers_order() {
    let sim = sim_with(SimConfig {
        devices: 230,
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let mut wanted = imeis(&sim);
    wanted.reverse();
    sim.clear_log();

    let tracks = client.track(&wanted).await.unwrap();
    let got: Vec<&str> = tracks.iter().map(|t| t.imei.as_str()).collect();
    let asked: Vec<&str> = wanted.iter().map(Imei::as_str).collect();
    assert_eq!(got, asked);
    let sizes: Vec<usize> = requests_to(&sim, "/api/track")
        .iter()
        .map(|r| param(r, "imeis").unwrap().split(',').count())
        .collect();
    assert_eq!(sizes.iter().sum::<usize>(), 230);
    assert!(sizes.iter().all(|&n| n <= 100), "{sizes:?}");
    assert_eq!(sizes.len(), 3);

    let details = client.device_detail(&wanted).await.unwrap();
    let got: Vec<&str> = details.iter().map(|d| d.imei.as_str()).collect();
    assert_eq!(got, asked);
    assert_eq!(requests_to(&sim, "/api/device/detail").len(), 3);
}

#[tokio::test]
async fn track_reports_positions_near_the_city_with_spec_statuses() {
    let sim = sim().await;
    let client = client(&sim);
    let tracks = client.track(&imeis(&sim)).await.unwrap();
    assert_eq!(tracks.len(), sim.imeis().len());
    let online: Vec<_> = tracks.iter().filter(|t| t.datastatus == 2).collect();
    assert!(!online.is_empty());
    for t in online {
        assert!((113.0..115.0).contains(&t.longitude), "{t:?}");
        assert!((22.0..23.5).contains(&t.latitude), "{t:?}");
        assert!([-1, 0, 1].contains(&t.accstatus));
        assert!(t.gpstime <= t.servertime + 60);
    }
}

#[tokio::test]
async fn playback_is_ascending_without_repeats_and_matches_a_sequential_fetch() {
    let sim = sim().await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let range = last_days(2);

    let windowed = client.playback(&imei, range).await.unwrap();
    assert!(windowed.len() > 2000, "{} points", windowed.len());
    assert!(windowed.windows(2).all(|w| w[0].gpstime <= w[1].gpstime));
    assert!(windowed.windows(2).all(|w| w[0] != w[1]));
    assert!(windowed
        .iter()
        .all(|p| p.gpstime >= range.begin() && p.gpstime <= range.end()));

    // One window, one page at a time: exactly the spec's own procedure.
    let sequential = FetchOptions {
        concurrency: 1,
        window_secs: Some(range.secs()),
        ..FetchOptions::default()
    };
    let pages = client
        .playback_with(&imei, range, &sequential, &|_| {})
        .await
        .unwrap();
    assert_eq!(windowed, pages);
}

#[tokio::test]
async fn playback_returns_a_set_history_exactly_once() {
    let sim = sim().await;
    let client = client(&sim);
    let imei = imeis(&sim)[0].clone();
    let t0 = last_days(1).begin();
    let history = straight_history(t0, 2_500, 10);
    sim.set_history(imei.as_str(), history.clone());

    let got = client
        .playback(&imei, TimeRange::new(t0 - 100, t0 + 30_000).unwrap())
        .await
        .unwrap();
    let times: Vec<i64> = got.iter().map(|p| p.gpstime).collect();
    let want: Vec<i64> = history.iter().map(|h| h.2).collect();
    assert_eq!(times, want);
    assert!((got[1234].longitude - history[1234].0).abs() < 1e-6);
    assert_eq!((got[0].speed, got[0].course), (40.0, 90.0));
}

#[tokio::test]
async fn playback_reports_progress_up_to_the_whole_range() {
    let sim = sim().await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let range = last_days(1);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let points = client
        .playback_with(&imei, range, &FetchOptions::default(), &move |p| {
            sink.lock().unwrap().push(p)
        })
        .await
        .unwrap();
    let seen = seen.lock().unwrap();
    let last = *seen.last().unwrap();
    assert_eq!(last.records, points.len());
    assert_eq!(last.covered_secs, range.secs());
    assert_eq!(last.total_secs, range.secs());
    assert!(seen.windows(2).all(|w| w[0].pages <= w[1].pages));
    assert!(seen.iter().all(|p| p.covered_secs <= p.total_secs));
    let sent = requests_to(&sim, "/api/playback").len() as u32;
    assert_eq!(last.pages, sent);
}

#[tokio::test]
async fn alarms_are_ascending_by_system_time_and_match_a_sequential_fetch() {
    let sim = sim().await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let range = last_days(30);
    let alarms = client.alarms(&imei, range).await.unwrap();
    assert!(!alarms.is_empty());
    assert!(alarms
        .windows(2)
        .all(|w| w[0].systemtime <= w[1].systemtime));
    assert!(alarms.windows(2).all(|w| w[0] != w[1]));
    assert!(alarms
        .iter()
        .all(|a| !matches!(a.alarm_type, etrack::AlarmType::Unknown(_))));

    let sequential = FetchOptions {
        concurrency: 1,
        window_secs: Some(range.secs()),
        ..FetchOptions::default()
    };
    let again = client
        .alarms_with(&imei, range, &sequential, &|_| {})
        .await
        .unwrap();
    assert_eq!(alarms, again);
}

#[tokio::test]
async fn mileage_splits_weeks_and_batches_and_sums_per_device() {
    let sim = sim_with(SimConfig {
        devices: 130,
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let fleet = imeis(&sim);
    let end = now() - now() % 1800;
    let range = TimeRange::new(end - 10 * 86_400, end).unwrap();
    sim.clear_log();
    let total = client.mileage(&fleet, range).await.unwrap();
    let got: Vec<&str> = total.iter().map(|m| m.imei.as_str()).collect();
    assert_eq!(got, sim.imeis());
    assert!(total.iter().any(|m| m.mileage.is_some_and(|km| km > 1.0)));

    let sent = requests_to(&sim, "/api/device/mileage");
    assert_eq!(sent.len(), 4, "2 periods x 2 batches");
    for r in &sent {
        let b: i64 = param(r, "begintime").unwrap().parse().unwrap();
        let e: i64 = param(r, "endtime").unwrap().parse().unwrap();
        assert!(e - b <= 7 * 86_400 && b % 1800 == 0 && e % 1800 == 0);
        assert!(param(r, "imeis").unwrap().split(',').count() <= 100);
    }

    // The sum equals the two periods asked separately.
    let split = end - 3 * 86_400;
    let first = client
        .mileage(&fleet, TimeRange::new(range.begin(), split).unwrap())
        .await
        .unwrap();
    let second = client
        .mileage(&fleet, TimeRange::new(split, end).unwrap())
        .await
        .unwrap();
    let km = |m: &etrack::Mileage| m.mileage.unwrap_or(0.0);
    for ((t, a), b) in total.iter().zip(&first).zip(&second) {
        assert!((km(t) - (km(a) + km(b))).abs() < 1e-6, "{t:?}");
    }
}

#[tokio::test]
async fn a_device_the_mileage_reply_leaves_out_has_no_data_not_zero_km() {
    let sim = sim().await;
    let client = client(&sim);
    let fleet = imeis(&sim);
    let end = now() - now() % 1800;
    let range = TimeRange::new(end - 86_400, end).unwrap();
    // The provider answers for the first device only, and with a fraction as a string.
    let body = format!(
        r#"{{"code":0,"record":[{{"imei":"{}","mileage":"12.5"}}]}}"#,
        fleet[0]
    );
    sim.inject_reply("/api/device/mileage", 200, &body, 1);
    let got = client.mileage(&fleet[..2], range).await.unwrap();
    assert_eq!(got[0].mileage, Some(12.5));
    assert_eq!(got[1].mileage, None, "left out: no data");
}

#[tokio::test]
async fn geofences_are_created_with_the_given_shape() {
    let sim = sim().await;
    let client = client(&sim);
    let imei = imeis(&sim)[0].clone();
    for (name, metres, alarm) in [
        ("depot", 100, GeofenceAlarm::In),
        ("city", 5000, GeofenceAlarm::Both),
    ] {
        client
            .create_geofence(&GeofenceRequest {
                imei: imei.clone(),
                name: name.into(),
                alarm,
                longitude: 113.97196,
                latitude: 22.56861,
                radius: Radius::new(metres).unwrap(),
            })
            .await
            .unwrap();
    }
    let fences = sim.geofences();
    assert_eq!(fences.len(), 2);
    assert_eq!(fences[0].imei, imei.as_str());
    assert_eq!(
        (
            fences[0].name.as_str(),
            fences[0].radius,
            fences[0].alarm_type
        ),
        ("depot", 100, 1)
    );
    assert_eq!((fences[1].radius, fences[1].alarm_type), (5000, 2));
    assert!((fences[1].latitude - 22.56861).abs() < 1e-9);
}

#[tokio::test]
async fn a_command_is_sent_once_and_its_reply_is_polled() {
    let sim = sim_with(SimConfig {
        command_reply_delay: Duration::from_millis(300),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let polls = Arc::new(Mutex::new(Vec::new()));
    let seen = polls.clone();
    let opts = CommandOptions {
        poll_interval: Duration::from_millis(100),
        ..CommandOptions::default()
    };
    let (id, outcome) = client
        .run_command(&imei, &Command::RestoreEngine, &opts, &move |n| {
            seen.lock().unwrap().push(n)
        })
        .await
        .unwrap();
    assert!(!id.is_empty());
    match outcome {
        CommandOutcome::Responded(text) => assert!(!text.is_empty()),
        CommandOutcome::TimedOut => panic!("the device should answer within 300 ms"),
    }
    let polls = polls.lock().unwrap().clone();
    assert!(polls.len() >= 2 && polls.len() < 30, "{polls:?}");
    assert_eq!(polls, (1..=polls.len() as u32).collect::<Vec<_>>());
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);
    assert_eq!(requests_to(&sim, "/api/command/query").len(), polls.len());

    let status = client.query_command(&id).await.unwrap();
    assert!(status.responded());
}

#[tokio::test]
async fn a_silent_device_times_out_after_max_polls() {
    let sim = sim_with(SimConfig {
        command_reply_delay: Duration::from_secs(60),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let opts = CommandOptions {
        max_polls: 3,
        poll_interval: Duration::from_millis(20),
        ..CommandOptions::default()
    };
    let (_, outcome) = client
        .run_command(&imei, &Command::RestoreEngine, &opts, &|_| {})
        .await
        .unwrap();
    assert_eq!(outcome, CommandOutcome::TimedOut);
    assert_eq!(requests_to(&sim, "/api/command/query").len(), 3);
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);
}

#[tokio::test]
async fn cancelling_a_command_stops_polling_without_resending() {
    let sim = sim_with(SimConfig {
        command_reply_delay: Duration::from_secs(60),
        ..SimConfig::default()
    })
    .await;
    let client = client(&sim);
    let imei = driving_imei(&sim, &client).await;
    let opts = CommandOptions {
        poll_interval: Duration::from_millis(20),
        ..CommandOptions::default()
    };
    let cancel = opts.cancel.clone();
    let r = client
        .run_command(&imei, &Command::RestoreEngine, &opts, &move |n| {
            if n == 2 {
                cancel.cancel()
            }
        })
        .await;
    assert_eq!(r.unwrap_err(), Error::Cancelled);
    assert_eq!(requests_to(&sim, "/api/command/send").len(), 1);
    assert!(requests_to(&sim, "/api/command/query").len() <= 2);
}

#[tokio::test]
async fn users_are_listed_described_blocked_and_unblocked() {
    let sim = sim().await;
    let client = client(&sim);
    let me = client.user_info("demo").await.unwrap();
    assert_eq!((me.account.as_str(), me.roletype), ("demo", 1));
    assert!(!me.is_blocked());

    let subs = client.user_list(None).await.unwrap();
    let names: HashSet<&str> = subs.iter().map(|u| u.account.as_str()).collect();
    for want in ["demo-east", "demo-west", "demo-virtual", "demo-blocked"] {
        assert!(names.contains(want), "{want} missing from {names:?}");
    }
    let virt = subs.iter().find(|u| u.account == "demo-virtual").unwrap();
    assert_eq!(virt.roletype, 3);
    assert!(subs
        .iter()
        .any(|u| u.account == "demo-blocked" && u.is_blocked()));

    client.block_user("demo-east").await.unwrap();
    assert!(client.user_info("demo-east").await.unwrap().is_blocked());
    client.unblock_user("demo-east").await.unwrap();
    assert!(!client.user_info("demo-east").await.unwrap().is_blocked());
}

#[tokio::test]
async fn a_message_reaches_the_provider_with_its_recipients_and_text() {
    let sim = sim().await;
    let client = client(&sim);
    let text = "Service at 9:00 — bitte pünktlich";
    client
        .send_message(&["demo-east".into(), "demo-west".into()], text)
        .await
        .unwrap();
    let sent = requests_to(&sim, "/api/message/send");
    assert_eq!(sent.len(), 1);
    assert_eq!(param(&sent[0], "accounts"), Some("demo-east,demo-west"));
    assert_eq!(param(&sent[0], "content"), Some(text));
    assert_eq!(sent[0].method, "POST");
    let delivered = sim.messages();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].to, ["demo-east", "demo-west"]);
    assert_eq!(delivered[0].content, text);
}

#[tokio::test]
async fn a_batch_refused_for_one_device_is_halved_until_that_device_is_found() {
    let sim = sim().await;
    let east = etrack::Client::builder(
        etrack_sim::EAST_ACCOUNT,
        etrack::PasswordHash::from_password(etrack_sim::DEMO_PASSWORD),
    )
    .base_url(sim.base_url())
    .build()
    .unwrap();
    let own: Vec<Imei> = east
        .device_list(None)
        .await
        .unwrap()
        .iter()
        .map(|d| d.imei.parse().unwrap())
        .collect();
    let all = imeis(&sim);
    let foreign = all.iter().find(|i| !own.contains(i)).unwrap().clone();
    let mut asked = own.clone();
    asked.insert(own.len() / 2, foreign.clone());

    let each = east.track_each(&asked).await.unwrap();
    assert_eq!(each.found.len(), own.len(), "every own device answered");
    assert_eq!(each.refused.len(), 1);
    assert_eq!(each.refused[0].0, foreign);
    assert_eq!(each.refused[0].1.api_code(), Some(10013));
    // The plain call keeps the rest too; alone, the refused device is the error.
    assert_eq!(east.track(&asked).await.unwrap().len(), own.len());
    assert_eq!(
        east.device_detail(std::slice::from_ref(&foreign))
            .await
            .unwrap_err()
            .api_code(),
        Some(10013)
    );
}
