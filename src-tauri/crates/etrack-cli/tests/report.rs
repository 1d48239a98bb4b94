//! `etrack report` against etrack-sim: the desktop app's reports as CSV, JSON, a table and an
//! Excel file; a second run over the same period reads the stored history; bad input is refused
//! before anything is sent.
#![allow(clippy::unwrap_used)]

mod common;

use common::{now, run_with, Run, Sim};

const DAY: i64 = 86_400;

/// Local (UTC+8, the simulated fleet's zone) midnight `days` days before today's.
fn local_day_start(days: i64) -> i64 {
    ((now() + 8 * 3600).div_euclid(DAY) - days) * DAY - 8 * 3600
}

/// `etrack report ARGS...` against the sim, with its own data dir (the stored history).
fn report(sim: &Sim, data_dir: &std::path::Path, args: &[&str]) -> Run {
    let url = sim.url();
    let mut full = vec![
        "--base-url",
        url.as_str(),
        "--account",
        etrack_sim::DEMO_ACCOUNT,
        "report",
    ];
    full.extend_from_slice(args);
    run_with(
        &full,
        &[
            ("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD),
            ("ETRACK_DATA_DIR", data_dir.to_str().unwrap()),
        ],
    )
}

#[test]
fn summary_and_trips_of_the_fleet_agree_and_a_second_run_reads_the_stored_history() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let begin = local_day_start(3);
    let (from, to) = (begin.to_string(), (begin + DAY - 1).to_string());
    let common = ["--from", &from, "--to", &to, "--tz", "Asia/Shanghai"];

    // The whole fleet: a blocked device's history is refused; the others' rows are written and
    // the run fails, naming it.
    let mut args = vec!["summary", "--all", "--format", "json"];
    args.extend_from_slice(&common);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("incomplete") && r.stderr.contains("blocked"),
        "{}",
        r.stderr
    );
    let fleet: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(fleet["complete"], false);
    assert!(!fleet["rows"].as_array().unwrap().is_empty());

    let imeis = sim.handle.imeis();
    let mut args = vec!["summary", "--format", "json"];
    for imei in &imeis[..4] {
        args.extend_from_slice(&["--imei", imei]);
    }
    args.extend_from_slice(&common);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let summary: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["complete"], true);
    let rows = summary["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    // The busiest vehicle of the day.
    let busiest = rows
        .iter()
        .max_by(|a, b| {
            let d = |r: &serde_json::Value| r["values"]["distanceM"].as_f64().unwrap();
            d(a).total_cmp(&d(b))
        })
        .unwrap();
    let imei = busiest["imei"].as_str().unwrap().to_owned();
    let day_m = busiest["values"]["distanceM"].as_f64().unwrap();
    assert!(day_m > 1000.0, "somebody drove that day");
    assert_eq!(busiest["values"]["date"].as_str().unwrap().len(), 10);

    // Its trips, now from the stored history: no playback or alarm request.
    sim.handle.clear_log();
    let mut args = vec!["trips", "--imei", &imei, "--format", "json"];
    args.extend_from_slice(&common);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let paths = sim.paths();
    assert!(
        !paths
            .iter()
            .any(|p| p == "/api/playback" || p == "/api/alarm/list"),
        "{paths:?}"
    );
    let trips: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(trips["requests"], 0);
    let sum: f64 = trips["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["values"]["distanceM"].as_f64().unwrap())
        .sum();
    assert!(
        (sum - day_m).abs() < 1e-6 * day_m,
        "trips {sum} m, day {day_m} m"
    );

    // The same as CSV: ISO times in the zone, km with two decimals.
    let mut args = vec!["trips", "--imei", &imei, "--format", "csv"];
    args.extend_from_slice(&common);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("Vehicle,IMEI,Start,End,Duration,Distance (km)"));
    let first = lines.next().unwrap();
    assert!(first.contains("+08:00,"), "{first}");
    let km = first.split(',').nth(5).unwrap();
    assert_eq!(km.split('.').nth(1).unwrap().len(), 2, "{first}");

    // And as a table for people.
    let mut args = vec!["stops", "--imei", &imei, "--min-stop", "10m"];
    args.extend_from_slice(&common);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("Vehicle"), "{}", r.stdout);
}

#[test]
fn an_excel_report_needs_an_output_file_and_is_a_workbook() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let imei = sim.handle.imeis()[0].clone();
    let begin = local_day_start(3);
    let (from, to) = (begin.to_string(), (begin + DAY - 1).to_string());
    let base = ["--imei", &imei, "--from", &from, "--to", &to];

    let mut args = vec!["speeding", "--format", "xlsx"];
    args.extend_from_slice(&base);
    sim.handle.clear_log();
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--output"), "{}", r.stderr);
    assert!(sim.paths().is_empty(), "nothing sent");

    let file = dir.path().join("speeding.xlsx");
    args.extend_from_slice(&["--output", file.to_str().unwrap(), "--speed-limit", "60"]);
    let r = report(&sim, dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..2], b"PK", "a zip container");
}

#[test]
fn the_shortest_speeding_keeps_exactly_the_longer_periods() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let imeis = sim.handle.imeis();
    let begin = local_day_start(2);
    let (from, to) = (begin.to_string(), (begin + DAY - 1).to_string());
    let speeding = |min: &str| {
        let mut args = vec!["speeding", "--format", "json", "--speed-limit", "60"];
        for imei in &imeis[..4] {
            args.extend_from_slice(&["--imei", imei]);
        }
        args.extend_from_slice(&["--from", &from, "--to", &to, "--min-speeding", min]);
        let r = report(&sim, dir.path(), &args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let secs = r["values"]["durationSecs"].as_i64().unwrap();
                (
                    r["imei"].as_str().unwrap().to_owned(),
                    r["start"].as_i64().unwrap(),
                    secs,
                )
            })
            .collect::<Vec<_>>()
    };
    let every = speeding("0");
    assert!(
        every.iter().any(|r| r.2 < 60),
        "the day has short speeding: {every:?}"
    );
    let long: Vec<_> = every.iter().filter(|r| r.2 >= 60).cloned().collect();
    assert_eq!(speeding("1m"), long);

    let r = report(
        &sim,
        dir.path(),
        &["speeding", "--imei", &imeis[0], "--min-speeding", "fast"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not a duration"), "{}", r.stderr);
}

#[test]
fn bad_report_input_is_a_usage_error_and_sends_nothing() {
    let sim = Sim::start();
    let dir = tempfile::tempdir().unwrap();
    let imei = sim.handle.imeis()[0].clone();
    for args in [
        &["trips", "--imei", &imei, "--from", "1000", "--to", "900"][..],
        &[
            "trips",
            "--imei",
            &imei,
            "--from",
            "0",
            "--to",
            "9",
            "--tz",
            "Mars/Base",
        ],
        &["trips", "--from", "0", "--to", "9"],
        &[
            "trips", "--all", "--imei", &imei, "--from", "0", "--to", "9",
        ],
        &[
            "stops",
            "--imei",
            &imei,
            "--from",
            "0",
            "--to",
            "9",
            "--min-stop",
            "3x",
        ],
        &["weekly", "--imei", &imei, "--from", "0", "--to", "9"],
    ] {
        let r = report(&sim, dir.path(), args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
    }
    assert!(sim.paths().is_empty(), "{:?}", sim.paths());
}
