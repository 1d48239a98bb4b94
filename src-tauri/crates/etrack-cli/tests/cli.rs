//! The `etrack` binary against etrack-sim over loopback HTTP: output and exit codes of every
//! subcommand.
#![allow(clippy::unwrap_used)]

mod common;

use common::{aligned_now, now, run_with, Sim};
use etrack_sim::SimConfig;
use serde_json::Value;
use std::collections::HashSet;
use std::time::Duration;

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

fn sorted(names: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

// ---------------------------------------------------------------- options and credentials

#[test]
fn devices_json_lists_the_demo_fleet_with_the_spec_field_names() {
    let sim = Sim::start();
    let r = sim.run(&["devices", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let list = v.as_array().unwrap();
    let imeis: Vec<&str> = list.iter().map(|d| d["imei"].as_str().unwrap()).collect();
    assert_eq!(imeis, sim.handle.imeis());
    assert_eq!(
        keys(&list[0]),
        sorted(&[
            "imei",
            "devicename",
            "devicetype",
            "platenumber",
            "onlinetime",
            "platformduetime",
            "simcard",
            "activatedtime",
            "userduetime"
        ])
    );
}

#[test]
fn devices_table_has_a_header_and_a_row_per_device() {
    let sim = Sim::start();
    let r = sim.run(&["devices"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("IMEI"), "{}", lines[0]);
    assert_eq!(lines.len(), 1 + sim.handle.imeis().len());
    for imei in sim.handle.imeis() {
        assert!(lines.iter().any(|l| l.starts_with(&imei)), "{imei} missing");
    }
}

#[test]
fn global_options_may_stand_after_the_subcommand_or_come_from_the_environment() {
    let sim = Sim::start();
    let url = sim.url();
    let after = run_with(
        &[
            "devices",
            "--format",
            "json",
            "--account",
            "demo",
            "--base-url",
            &url,
        ],
        &[("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD)],
    );
    assert_eq!(after.code, 0, "{}", after.stderr);
    let env = run_with(
        &["devices", "--format", "json"],
        &[
            ("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD),
            ("ETRACK_ACCOUNT", "demo"),
            ("ETRACK_BASE_URL", &url),
        ],
    );
    assert_eq!(env.code, 0, "{}", env.stderr);
    assert_eq!(after.stdout, env.stdout);
    assert_eq!(json(&env.stdout).as_array().unwrap().len(), 40);
}

#[test]
fn a_wrong_password_exits_1_naming_the_code_and_its_description() {
    let sim = Sim::start();
    let url = sim.url();
    let r = run_with(
        &["--base-url", &url, "--account", "demo", "devices"],
        &[("ETRACK_PASSWORD", "not-the-password")],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("error: 20001 Account or password error"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn no_password_and_no_terminal_exits_2_without_sending() {
    let sim = Sim::start();
    let url = sim.url();
    // A private HOME and no session bus: no keychain entry can be found.
    let home = tempfile::tempdir().unwrap();
    let r = run_with(
        &["--base-url", &url, "--account", "demo", "devices"],
        &[
            ("HOME", home.path().to_str().unwrap()),
            ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent"),
        ],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("ETRACK_PASSWORD"), "{}", r.stderr);
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
}

#[test]
fn a_missing_account_exits_2_and_help_exits_0() {
    let r = run_with(&["--base-url", "http://127.0.0.1:9", "devices"], &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("--account"), "{}", r.stderr);
    let r = run_with(&["--help"], &[]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("playback"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("in English whatever the system's language"),
        "{}",
        r.stdout
    );
    let r = run_with(&[], &[]);
    assert_eq!(r.code, 2);
}

#[test]
fn an_unreachable_provider_is_a_network_error() {
    // Bind and drop a listener so the port is closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let r = run_with(
        &["--base-url", &url, "--account", "demo", "devices"],
        &[("ETRACK_PASSWORD", "x")],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[test]
fn demo_mode_needs_no_account_or_provider() {
    let r = run_with(&["--demo", "devices", "--format", "json"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(json(&r.stdout).as_array().unwrap().len(), 40);
    let r = run_with(&["users", "--demo"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("demo-east"), "{}", r.stdout);
}

// ---------------------------------------------------------------- track and device detail

#[test]
fn track_json_carries_every_field_of_spec_2_2_in_the_asked_order() {
    let sim = Sim::start();
    let imeis = sim.handle.imeis();
    let asked = [imeis[3].as_str(), imeis[0].as_str(), imeis[7].as_str()];
    let mut args = vec!["track", "--format", "json"];
    args.extend(asked);
    let r = sim.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let list = v.as_array().unwrap();
    let got: Vec<&str> = list.iter().map(|t| t["imei"].as_str().unwrap()).collect();
    assert_eq!(got, asked);
    let spec = sorted(&[
        "imei",
        "servertime",
        "gpstime",
        "hearttime",
        "systemtime",
        "longitude",
        "latitude",
        "course",
        "speed",
        "acctime",
        "accstatus",
        "doorstatus",
        "chargestatus",
        "oilpowerstatus",
        "defencestatus",
        "datastatus",
        "battery",
        "mileage",
    ]);
    for t in list {
        assert_eq!(keys(t), spec);
    }
}

#[test]
fn track_table_shows_status_and_position() {
    let sim = Sim::start();
    let imei = sim.online_imei();
    let r = sim.run(&["track", &imei]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(lines[0].contains("STATUS") && lines[0].contains("LONGITUDE"));
    assert!(
        lines[1].starts_with(&imei) && lines[1].contains("online"),
        "{}",
        lines[1]
    );
}

#[test]
fn device_detail_in_json_and_table() {
    let sim = Sim::start();
    let imeis = sim.handle.imeis();
    let r = sim.run(&["device", "detail", &imeis[1], &imeis[2], "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let got: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["imei"].as_str().unwrap())
        .collect();
    assert_eq!(got, [imeis[1].as_str(), imeis[2].as_str()]);
    assert!(v[0].get("devicename").is_some());
    let r = sim.run(&["device", "detail", &imeis[1]]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 2);
}

#[test]
fn an_invalid_imei_exits_2_and_sends_nothing() {
    let sim = Sim::start();
    for args in [
        &["track", "12ab"][..],
        &["device", "detail", "358899051025339", "x"],
        &["playback", "123", "--from", "0", "--to", "10"],
        &["command", "send", "35889905102533Z", "RESET"],
    ] {
        let r = sim.run(args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
        assert!(r.stderr.contains("IMEI"), "{args:?}: {}", r.stderr);
    }
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
}

// ---------------------------------------------------------------- playback

fn playback_rows(stdout: &str) -> Vec<(i64, String)> {
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("gpstime,longitude,latitude,speed,course")
    );
    lines
        .map(|l| {
            let t: i64 = l.split(',').next().unwrap().parse().unwrap();
            (t, l.to_owned())
        })
        .collect()
}

#[test]
fn playback_csv_is_ascending_without_repeated_rows_across_pages() {
    let sim = Sim::start();
    let imei = sim.online_imei();
    let to = now() - 600;
    let from = to - 8 * 3600; // about 2000 points at 10-20 s: several pages of 1000
    let r = sim.run(&[
        "playback",
        &imei,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let rows = playback_rows(&r.stdout);
    assert!(rows.len() > 1000, "only {} rows", rows.len());
    assert!(rows.windows(2).all(|w| w[0].0 <= w[1].0), "not ascending");
    let unique: HashSet<&String> = rows.iter().map(|(_, l)| l).collect();
    assert_eq!(unique.len(), rows.len(), "repeated rows");
    assert!(rows.iter().all(|(t, _)| (from..=to).contains(t)));
    for (_, l) in &rows {
        assert_eq!(l.split(',').count(), 5, "{l}");
    }
}

#[test]
fn playback_drops_repeats_the_provider_sends_inside_a_page() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    // The spec's own example: one row repeated four times, plus rows out of order.
    let p = |t, lon| (lon, 22.56861, t, 0, 228);
    sim.handle.set_history(
        &imei,
        vec![
            p(1_406_858_664, 113.97196),
            p(1_406_858_684, 113.97196),
            p(1_406_858_724, 113.97196),
            p(1_406_858_724, 113.97196),
            p(1_406_858_724, 113.97196),
            p(1_406_858_724, 113.97196),
            p(1_406_858_780, 113.971934),
        ],
    );
    let r = sim.run(&[
        "playback",
        &imei,
        "--from",
        "1406858000",
        "--to",
        "1406859000",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "gpstime,longitude,latitude,speed,course\n\
         1406858664,113.97196,22.56861,0,228\n\
         1406858684,113.97196,22.56861,0,228\n\
         1406858724,113.97196,22.56861,0,228\n\
         1406858780,113.971934,22.56861,0,228\n"
    );
}

#[test]
fn playback_rfc3339_times_equal_unix_seconds_and_json_gpx_agree() {
    let sim = Sim::start();
    let imei = sim.online_imei();
    let to = aligned_now() - 3600;
    let from = to - 3600;
    let iso = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .unwrap()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    let unix = sim.run(&[
        "playback",
        &imei,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
    ]);
    let rfc = sim.run(&["playback", &imei, "--from", &iso(from), "--to", &iso(to)]);
    assert_eq!(unix.code, 0, "{}", unix.stderr);
    assert_eq!(unix.stdout, rfc.stdout);
    let csv_rows = playback_rows(&unix.stdout);
    assert!(
        !csv_rows.is_empty(),
        "an online device has an hour of history"
    );

    let j = sim.run(&[
        "playback",
        &imei,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    let v = json(&j.stdout);
    let pts = v.as_array().unwrap();
    assert_eq!(pts.len(), csv_rows.len());
    assert_eq!(pts[0]["gpstime"], csv_rows[0].0);
    assert_eq!(
        keys(&pts[0]),
        sorted(&["longitude", "latitude", "gpstime", "speed", "course"])
    );

    let g = sim.run(&[
        "playback",
        &imei,
        "--from",
        &from.to_string(),
        "--to",
        &to.to_string(),
        "--format",
        "gpx",
    ]);
    assert_eq!(g.code, 0, "{}", g.stderr);
    assert!(g.stdout.contains("<gpx version=\"1.1\""));
    assert_eq!(g.stdout.matches("<trkpt ").count(), csv_rows.len());
    assert!(g
        .stdout
        .contains(&format!("<time>{}</time>", iso(csv_rows[0].0))));
}

#[test]
fn an_empty_history_is_the_header_alone_in_every_form_of_no_data() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    sim.handle.set_history(&imei, Vec::new());
    let to = now();
    let from = to - 3600;
    let args = [
        "playback".to_owned(),
        imei.clone(),
        "--from".into(),
        from.to_string(),
        "--to".into(),
        to.to_string(),
    ];
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let header = "gpstime,longitude,latitude,speed,course\n";

    let r = sim.run(&args);
    assert_eq!((r.code, r.stdout.as_str()), (0, header), "{}", r.stderr);

    for body in [
        r#"{"code":20023,"message":""}"#,
        r#"{"code":0,"record":""}"#,
    ] {
        sim.handle.inject_reply("/api/playback", 200, body, 50);
        let r = sim.run(&args);
        assert_eq!(
            (r.code, r.stdout.as_str()),
            (0, header),
            "{body}: {}",
            r.stderr
        );
    }

    sim.handle
        .inject_reply("/api/alarm/list", 200, r#"{"code":20023}"#, 50);
    let mut alarm_args = args.clone();
    alarm_args[0] = "alarms";
    let r = sim.run(&alarm_args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "type,name,longitude,latitude,gpstime,systemtime,speed,course,geofence_id\n"
    );
}

// ---------------------------------------------------------------- alarms and mileage

#[test]
fn alarms_csv_is_ascending_by_system_time_with_spec_names() {
    let sim = Sim::start();
    let imei = sim.online_imei();
    let to = now();
    let from = to - 3 * 86_400;
    let (f, t) = (from.to_string(), to.to_string());
    let r = sim.run(&["alarms", &imei, "--from", &f, "--to", &t]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("type,name,longitude,latitude,gpstime,systemtime,speed,course,geofence_id")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty(), "three days of driving raise some alarm");
    let names = [
        "sosAlarm",
        "lowBatteryAlarm",
        "powerDisconnectAlarm",
        "vibrationAlarm",
        "geoFenceInAlarm",
        "geoFenceOutAlarm",
        "speedingAlarm",
        "carMoveAlarm",
        "engineOn",
        "engineOff",
    ];
    let mut last = i64::MIN;
    for row in &rows {
        assert_eq!(row.len(), 9, "{row:?}");
        let code: usize = row[0].parse().unwrap();
        if (1..=names.len()).contains(&code) {
            assert_eq!(row[1], names[code - 1], "{row:?}");
        }
        let sys: i64 = row[5].parse().unwrap();
        assert!(sys >= last, "not ascending at {row:?}");
        last = sys;
    }
    let unique: HashSet<&Vec<&str>> = rows.iter().collect();
    assert_eq!(unique.len(), rows.len(), "repeated rows");

    let j = sim.run(&[
        "alarms", &imei, "--from", &f, "--to", &t, "--format", "json",
    ]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    let v = json(&j.stdout);
    assert_eq!(v.as_array().unwrap().len(), rows.len());
    assert_eq!(v[0]["name"], rows[0][1]);
    assert_eq!(v[0]["systemtime"].as_i64().unwrap().to_string(), rows[0][5]);
}

#[test]
fn mileage_csv_and_json_one_row_per_asked_imei() {
    let sim = Sim::start();
    let imeis = sim.handle.imeis();
    let to = aligned_now() - 1800;
    let from = to - 86_400;
    let (f, t) = (from.to_string(), to.to_string());
    let r = sim.run(&["mileage", &imeis[2], &imeis[0], "--from", &f, "--to", &t]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines[0], "imei,mileage_km");
    assert_eq!(lines.len(), 3, "{}", r.stdout);
    assert!(lines[1].starts_with(&format!("{},", imeis[2])));
    assert!(lines[2].starts_with(&format!("{},", imeis[0])));
    for l in &lines[1..] {
        let km: f64 = l.split(',').nth(1).unwrap().parse().unwrap();
        assert!((0.0..2000.0).contains(&km), "{l}");
    }
    let j = sim.run(&[
        "mileage", &imeis[2], &imeis[0], "--from", &f, "--to", &t, "--format", "json",
    ]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    let v = json(&j.stdout);
    assert_eq!(v[0]["imei"], imeis[2].as_str());
    assert_eq!(
        v[0]["mileage"].as_f64().unwrap().to_string(),
        lines[1].split(',').nth(1).unwrap()
    );
}

#[test]
fn unaligned_mileage_times_exit_2_and_send_nothing() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    let to = aligned_now();
    for (from, to) in [
        (to - 86_400 + 60, to),
        (to - 86_400, to - 1),
        (to, to - 1800),
    ] {
        let r = sim.run(&[
            "mileage",
            &imei,
            "--from",
            &from.to_string(),
            "--to",
            &to.to_string(),
        ]);
        assert_eq!(r.code, 2, "{from}..{to}: {r:?}");
    }
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
}

// ---------------------------------------------------------------- geofence

fn geofence(sim: &Sim, imei: &str, radius: &str, alarm: &str) -> common::Run {
    sim.run(&[
        "geofence", "create", imei, "--name", "depot", "--lat", "22.58", "--lon", "113.91",
        "--radius", radius, "--alarm", alarm,
    ])
}

#[test]
fn geofence_radius_bounds_100_and_5000_are_allowed() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    let r = geofence(&sim, &imei, "100", "in");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = geofence(&sim, &imei, "5000", "both");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = geofence(&sim, &imei, "300", "out");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let fences = sim.handle.geofences();
    let got: Vec<(i64, i64)> = fences.iter().map(|g| (g.radius, g.alarm_type)).collect();
    assert_eq!(got, [(100, 1), (5000, 2), (300, 0)]);
    assert!(fences.iter().all(|g| g.imei == imei && g.name == "depot"));
    assert!(
        (fences[0].latitude - 22.58).abs() < 1e-9 && (fences[0].longitude - 113.91).abs() < 1e-9
    );
}

#[test]
fn geofence_radius_99_or_5001_or_a_bad_alarm_exit_2_and_send_nothing() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    for (radius, alarm) in [("99", "in"), ("5001", "out"), ("300", "sideways")] {
        let r = geofence(&sim, &imei, radius, alarm);
        assert_eq!(r.code, 2, "{radius} {alarm}: {r:?}");
    }
    let r = sim.run(&[
        "geofence", "create", &imei, "--name", "x", "--lat", "95", "--lon", "113.9", "--radius",
        "300", "--alarm", "in",
    ]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
    assert!(sim.handle.geofences().is_empty());
}

// ---------------------------------------------------------------- commands

#[test]
fn command_send_prints_the_device_reply_and_shows_polls_on_stderr() {
    let sim = Sim::with(SimConfig {
        command_reply_delay: Duration::from_millis(1500),
        ..SimConfig::default()
    });
    let imei = sim.online_imei();
    let r = sim.run(&[
        "command",
        "send",
        &imei,
        "RELAY,0",
        "--poll-interval-ms",
        "200",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.trim().is_empty(), "no reply printed");
    assert!(r.stderr.contains("poll 1/30"), "{}", r.stderr);
    let sends = sim
        .paths()
        .iter()
        .filter(|p| p.as_str() == "/api/command/send")
        .count();
    assert_eq!(sends, 1);
}

#[test]
fn relay_1_without_yes_and_no_terminal_exits_2_and_sends_nothing() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    for text in ["RELAY,1", "relay, 1"] {
        let r = sim.run(&["command", "send", &imei, text]);
        assert_eq!(r.code, 2, "{r:?}");
        assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    }
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
}

#[test]
fn relay_1_with_yes_is_sent_once_and_the_reply_printed() {
    let sim = Sim::with(SimConfig {
        command_reply_delay: Duration::from_millis(500),
        ..SimConfig::default()
    });
    let imei = sim.online_imei();
    sim.handle.clear_log();
    let r = sim.run(&[
        "command",
        "send",
        &imei,
        "RELAY,1",
        "--yes",
        "--poll-interval-ms",
        "200",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.trim().is_empty());
    let log = sim.handle.request_log();
    let sends: Vec<_> = log
        .iter()
        .filter(|l| l.path == "/api/command/send")
        .collect();
    assert_eq!(sends.len(), 1);
    assert!(
        sends[0]
            .params
            .iter()
            .any(|(k, v)| k == "command" && v == "RELAY,1"),
        "{:?}",
        sends[0].params
    );
}

#[test]
fn no_reply_after_30_polls_exits_1_timed_out() {
    let sim = Sim::with(SimConfig {
        command_reply_delay: Duration::from_secs(3600),
        ..SimConfig::default()
    });
    let imei = sim.online_imei();
    sim.handle.clear_log();
    let r = sim.run(&[
        "command",
        "send",
        &imei,
        "RESET",
        "--poll-interval-ms",
        "10",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("timed out"), "{}", r.stderr);
    assert!(r.stderr.contains("poll 30/30"), "{}", r.stderr);
    let paths = sim.paths();
    let count = |p: &str| paths.iter().filter(|x| x.as_str() == p).count();
    assert_eq!(count("/api/command/send"), 1);
    assert_eq!(count("/api/command/query"), 30);
}

#[test]
fn an_offline_device_exits_1_with_20017() {
    let sim = Sim::start();
    let imei = sim.handle.imeis()[0].clone();
    sim.handle.inject_reply(
        "/api/command/send",
        200,
        r#"{"code":20017,"message":""}"#,
        1,
    );
    let r = sim.run(&["command", "send", &imei, "LOCKDOOR"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("20017 Device is offline."),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------- users and messages

#[test]
fn users_list_and_info_in_table_and_json() {
    let sim = Sim::start();
    let r = sim.run(&["users", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let accounts: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["account"].as_str().unwrap())
        .collect();
    assert!(accounts.contains(&"demo-east"), "{accounts:?}");
    assert_eq!(
        keys(&v[0]),
        sorted(&[
            "account",
            "username",
            "email",
            "mobile",
            "telephone",
            "createtime",
            "roletype",
            "blockstatus"
        ])
    );
    let r = sim.run(&["users"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("ACCOUNT"));
    assert_eq!(r.stdout.lines().count(), 1 + accounts.len());

    let r = sim.run(&["user", "info", "demo-east", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["account"], "demo-east");
    assert_eq!(v["roletype"], 2);
}

#[test]
fn block_then_unblock_shows_in_user_info() {
    let sim = Sim::start();
    let status = |sim: &Sim| {
        let r = sim.run(&["user", "info", "demo-west", "--format", "json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        json(&r.stdout)["blockstatus"].as_i64().unwrap()
    };
    assert_eq!(status(&sim), 1);
    let r = sim.run(&["user", "block", "demo-west"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "blocked demo-west\n");
    assert_eq!(status(&sim), 0);
    let r = sim.run(&["user", "unblock", "demo-west"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(status(&sim), 1);
    // The account named after the subcommand is the target, never the one signing in.
    for req in sim.handle.request_log() {
        if req.path == "/api/authorization" {
            assert!(
                req.params
                    .iter()
                    .any(|(k, v)| k == "account" && v == "demo"),
                "{:?}",
                req.params
            );
        }
    }
}

#[test]
fn message_is_sent_and_limits_are_checked_before_sending() {
    let sim = Sim::start();
    let long = "x".repeat(301);
    let many: Vec<String> = (0..201).map(|i| format!("acc{i}")).collect();
    let many = many.join(",");
    for args in [
        &["message", "--to", "demo-east", "--text", &long][..],
        &["message", "--to", &many, "--text", "hi"],
        &["message", "--to", "demo-east", "--text", ""],
    ] {
        let r = sim.run(args);
        assert_eq!(r.code, 2, "{r:?}");
    }
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());

    let exact = "y".repeat(300);
    let r = sim.run(&["message", "--to", "demo-east,demo-west", "--text", &exact]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "message sent to 2 accounts\n");
    let log = sim.handle.request_log();
    let sent = log
        .iter()
        .find(|l| l.path == "/api/message/send")
        .expect("the message was sent");
    assert!(sent
        .params
        .iter()
        .any(|(k, v)| k == "accounts" && v == "demo-east,demo-west"));
}

// ---------------------------------------------------------------- provider failures

#[test]
fn an_http_error_exits_1_naming_the_status() {
    let sim = Sim::start();
    sim.handle
        .inject_reply("/api/device/list", 404, "not here", 20);
    let r = sim.run(&["devices"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("HTTP 404"), "{}", r.stderr);
}

#[test]
fn a_reply_that_is_not_json_exits_1_saying_so() {
    let sim = Sim::start();
    sim.handle
        .inject_reply("/api/device/list", 200, "<html>oops</html>", 20);
    let r = sim.run(&["devices"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("not valid JSON"), "{}", r.stderr);
}

#[test]
fn an_api_error_with_an_empty_message_still_has_the_spec_words() {
    let sim = Sim::start();
    sim.handle
        .inject_reply("/api/user/info", 200, r#"{"code":10007,"message":""}"#, 1);
    let r = sim.run(&["user", "info", "demo-east"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("10007 Permission denied"), "{}", r.stderr);
}
