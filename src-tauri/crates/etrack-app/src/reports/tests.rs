#![allow(clippy::unwrap_used)]
use super::compute::{self, Rules, Vehicle};
use super::export::{self, ReportFormat};
use super::table;
use super::zone::Zone;
use super::*;
use etrack::report::{Circle, StopOptions};
use etrack::{Alarm, AlarmType, PlaybackPoint};

/// 2024-05-01 00:00 in Shanghai (UTC+8).
const T0: i64 = 1_714_492_800;

fn fix(t: i64, lat: f64, kmh: f64) -> PlaybackPoint {
    PlaybackPoint {
        longitude: 113.9,
        latitude: lat,
        gpstime: T0 + t,
        speed: kmh,
        course: 0.0,
    }
}

fn alarm(t: i64, alarm_type: AlarmType) -> Alarm {
    Alarm {
        alarm_type,
        longitude: 113.9,
        latitude: 22.5,
        gpstime: T0 + t,
        systemtime: T0 + t,
        speed: 0.0,
        course: 0.0,
        geofence_id: String::new(),
    }
}

/// Parked (engine on) from 08:00 for 10 minutes, 1.7 km north at 60 km/h (one fix at 95), parked
/// again for 10 minutes.
fn day() -> (Vec<PlaybackPoint>, Vec<Alarm>) {
    let start = 8 * 3600;
    let mut route: Vec<PlaybackPoint> = (0..=60).map(|i| fix(start + i * 10, 22.5, 0.0)).collect();
    route.extend((1..=10).map(|i| {
        let kmh = if i == 5 { 95.0 } else { 60.0 };
        fix(start + 600 + i * 10, 22.5 + i as f64 * 0.0015, kmh)
    }));
    route.extend((1..=60).map(|i| fix(start + 700 + i * 10, 22.515, 0.0)));
    let alarms = vec![
        alarm(start, AlarmType::EngineOn),
        alarm(start + 1300, AlarmType::EngineOff),
    ];
    (route, alarms)
}

fn rules(kind: ReportKind) -> Rules {
    Rules {
        kind,
        stops: StopOptions::default(),
        min_idle_secs: 300,
        speed_limit_kmh: 80.0,
        min_speeding_secs: 0,
        zone: Zone::parse("Asia/Shanghai").unwrap(),
        circles: vec![Circle {
            id: "g1".into(),
            name: "Depot".into(),
            lat: 22.515,
            lon: 113.9,
            radius_m: 200.0,
        }],
    }
}

fn result_of(kind: ReportKind) -> ReportResult {
    let (points, alarms) = day();
    let rows = compute::rows(
        &rules(kind),
        Vehicle {
            imei: "358899051025339",
            name: "Van, \"north\"",
        },
        &points,
        &alarms,
    );
    ReportResult {
        request_id: 1,
        kind,
        rows,
        complete: true,
        error: None,
        requests: 0,
    }
}

#[test]
fn the_shortest_speeding_leaves_out_a_lone_fast_fix_but_keeps_a_longer_run() {
    let (mut points, alarms) = day();
    let vehicle = Vehicle {
        imei: "358899051025339",
        name: "Van",
    };
    let speeding = |points: &[PlaybackPoint], min_speeding_secs: i64| {
        let rules = Rules {
            min_speeding_secs,
            ..rules(ReportKind::Speeding)
        };
        compute::rows(&rules, vehicle, points, &alarms)
    };
    // The day's one fix at 95 km/h is a 0 s speeding: reported only while the minimum is 0.
    assert_eq!(speeding(&points, 0).len(), 1);
    assert!(speeding(&points, 10).is_empty());
    // Three fast fixes in a row (20 s from first to last) pass a 10 s minimum, not a 30 s one.
    for p in points.iter_mut().filter(|p| p.speed == 60.0).take(3) {
        p.speed = 90.0;
    }
    let rows = speeding(&points, 10);
    assert_eq!(rows.len(), 1, "{rows:?}");
    match &rows[0].values {
        ReportValues::Speeding { duration_secs, .. } => assert_eq!(*duration_secs, 20),
        other => panic!("{other:?}"),
    }
    assert!(speeding(&points, 30).is_empty());
}

#[test]
fn every_kind_finds_the_days_events_in_typed_fields() {
    let trips = result_of(ReportKind::Trips);
    assert_eq!(trips.rows.len(), 1);
    let trip = &trips.rows[0];
    assert_eq!(trip.start, Some(T0 + 8 * 3600 + 600));
    match &trip.values {
        ReportValues::Trip { distance_m, .. } => assert!((distance_m - 1668.0).abs() < 5.0),
        other => panic!("{other:?}"),
    }
    assert_eq!(result_of(ReportKind::Stops).rows.len(), 2);
    let idle = result_of(ReportKind::Idling);
    assert_eq!(idle.rows.len(), 2, "{:?}", idle.rows);
    let fast = result_of(ReportKind::Speeding);
    assert_eq!(fast.rows.len(), 1);
    let summary = result_of(ReportKind::Summary);
    assert_eq!(summary.rows.len(), 1);
    match &summary.rows[0].values {
        ReportValues::Summary {
            date,
            utc_offset_secs,
            trips,
            alarms,
            ..
        } => {
            assert_eq!(date, "2024-05-01");
            assert_eq!(*utc_offset_secs, 8 * 3600);
            assert_eq!(*trips, 1);
            assert_eq!(alarms.iter().map(|a| a.count).sum::<u32>(), 2);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(summary.rows[0].start, Some(T0));
    let visits = result_of(ReportKind::Geofences);
    assert_eq!(visits.rows.len(), 1);
    assert_eq!(visits.rows[0].lat, Some(22.515));
}

#[test]
fn rows_serialise_with_a_kind_tag_and_camel_case_figures() {
    let v = serde_json::to_value(result_of(ReportKind::Trips)).unwrap();
    assert_eq!(v["kind"], "trips");
    assert_eq!(v["requestId"], 1);
    assert_eq!(v["rows"][0]["values"]["kind"], "trip");
    assert!(v["rows"][0]["values"]["distanceM"].as_f64().unwrap() > 1600.0);
    let v = serde_json::to_value(result_of(ReportKind::Geofences)).unwrap();
    assert_eq!(v["rows"][0]["values"]["kind"], "geofenceVisit");
    assert_eq!(v["rows"][0]["values"]["geofenceName"], "Depot");
    let req: ReportRequest = serde_json::from_value(serde_json::json!({
        "requestId": 3, "kind": "summary", "imeis": ["358899051025339"], "begin": 1, "end": 2,
        "timeZone": "local", "minStopSecs": 180, "minIdleSecs": 300, "speedLimitKmh": 80.0,
        "minSpeedingSecs": 30
    }))
    .unwrap();
    assert_eq!(req.kind, ReportKind::Summary);
    assert_eq!(req.min_speeding_secs, 30);
}

#[test]
fn every_row_has_a_cell_per_column() {
    for kind in ReportKind::ALL {
        let r = result_of(kind);
        assert!(!r.rows.is_empty(), "{kind:?}");
        for row in &r.rows {
            assert_eq!(
                table::cells(row).len(),
                table::columns(kind).len(),
                "{kind:?}"
            );
        }
    }
}

#[test]
fn csv_has_iso_times_in_the_zone_dot_decimals_and_quoted_names() {
    let r = result_of(ReportKind::Trips);
    let zone = Zone::parse("Asia/Shanghai").unwrap();
    let headers = export::headers(&r, &[], false).unwrap();
    let text = export::csv(&r, &zone, &headers, None);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "Vehicle,IMEI,Start,End,Duration,Distance (km),Average speed (km/h),Top speed (km/h),\
         Start latitude,Start longitude,End latitude,End longitude"
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with(
            "\"Van, \"\"north\"\"\",358899051025339,2024-05-01T08:10:00+08:00,\
             2024-05-01T08:11:50+08:00,0:01:50,1.67,"
        ),
        "{row}"
    );
    assert!(export::headers(&r, &["only one".into()], false).is_err());
}

#[test]
fn the_workbook_reads_back_with_a_frozen_header_dates_and_numbers() {
    use calamine::{Data, Reader, Xlsx};
    let r = result_of(ReportKind::Trips);
    let zone = Zone::parse("Asia/Shanghai").unwrap();
    let mut headers = table::english(ReportKind::Trips);
    headers[0] = "Fahrzeug".into();
    let bytes = export::xlsx(&r, &zone, &headers, None).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Trips"]);
    let sheet = book.worksheet_range("Trips").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("Fahrzeug".into()))
    );
    assert_eq!(
        sheet.get_value((0, 5)),
        Some(&Data::String("Distance (km)".into()))
    );
    // Start: 2024-05-01 08:10:00 in Shanghai, an Excel date-time.
    match sheet.get_value((1, 2)) {
        Some(Data::DateTime(d)) => {
            assert!(d.is_datetime());
            let want = 45_413.0 + (8.0 * 3600.0 + 600.0) / 86_400.0;
            assert!((d.as_f64() - want).abs() < 1e-6, "{}", d.as_f64());
        }
        other => panic!("not a date: {other:?}"),
    }
    match sheet.get_value((1, 5)) {
        Some(Data::Float(km)) => assert!((km - 1.668).abs() < 0.01, "{km}"),
        other => panic!("not a number: {other:?}"),
    }
    // The duration is a time of day in Excel's terms ([h]:mm:ss).
    match sheet.get_value((1, 4)) {
        Some(Data::DateTime(d)) => assert!((d.as_f64() * 86_400.0 - 110.0).abs() < 1e-6),
        other => panic!("not a duration: {other:?}"),
    }
    assert_eq!(ReportFormat::Xlsx.extension(), "xlsx");
    assert_eq!(
        export::file_name(&r, &zone, T0, T0 + 86_400, ReportFormat::Csv),
        "etrack-trips-2024-05-01-to-2024-05-02.csv"
    );
}

#[test]
fn the_desk_keeps_the_last_results_by_request() {
    let desk = ReportDesk::new();
    let req = |id: u32| ReportRequest {
        request_id: id,
        kind: ReportKind::Stops,
        imeis: vec![],
        begin: 0,
        end: 1,
        time_zone: "local".into(),
        min_stop_secs: 180,
        min_idle_secs: 300,
        speed_limit_kmh: 80.0,
        min_speeding_secs: 0,
    };
    for id in 0..20 {
        let mut r = result_of(ReportKind::Stops);
        r.request_id = id;
        desk.keep(req(id), r);
    }
    assert!(desk.result(3).is_none(), "old results are dropped");
    assert_eq!(desk.result(19).unwrap().1.request_id, 19);
    desk.clear();
    assert!(desk.result(19).is_none());
}

#[test]
fn addresses_follow_the_columns_of_the_kinds_with_a_place() {
    use calamine::{Data, Reader, Xlsx};
    let r = result_of(ReportKind::Trips);
    let zone = Zone::parse("UTC").unwrap();
    let addresses: Vec<Vec<Option<String>>> = r
        .rows
        .iter()
        .enumerate()
        .map(|(k, _)| vec![Some(format!("{k} Start St, Town")), None])
        .collect();
    let headers = export::headers(&r, &[], true).unwrap();
    assert_eq!(
        headers[headers.len() - 2..],
        ["Start address", "End address"]
    );
    let text = export::csv(&r, &zone, &headers, Some(&addresses));
    let first = text.lines().nth(1).unwrap();
    assert!(first.ends_with(",\"0 Start St, Town\","), "{first}");
    let bytes = export::xlsx(&r, &zone, &headers, Some(&addresses)).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Trips").unwrap();
    let at = u32::try_from(table::columns(ReportKind::Trips).len()).unwrap();
    assert_eq!(
        sheet.get_value((0, at)),
        Some(&Data::String("Start address".into()))
    );
    assert_eq!(
        sheet.get_value((1, at)),
        Some(&Data::String("0 Start St, Town".into()))
    );
    // The UI's names for the other columns alone: the address columns are named in English.
    let ui: Vec<String> = table::english(ReportKind::Trips);
    assert_eq!(export::headers(&r, &ui, true).unwrap().len(), ui.len() + 2);
    assert!(table::address_columns(ReportKind::Summary).is_empty());
}

#[test]
fn exported_positions_are_wgs84_whatever_datum_the_provider_uses() {
    use crate::datum;
    use crate::settings::Datum;
    use calamine::{Data, Reader, Xlsx};
    let r = result_of(ReportKind::Trips);
    let zone = Zone::parse("Asia/Shanghai").unwrap();
    let headers = export::headers(&r, &[], false).unwrap();
    let row = &r.rows[0];
    let ReportValues::Trip {
        end_lat, end_lon, ..
    } = row.values
    else {
        panic!("{:?}", row.values)
    };
    let stored = [row.lat.unwrap(), row.lon.unwrap(), end_lat, end_lon];
    for provider in [Datum::Wgs84, Datum::Gcj02] {
        let (s_lat, s_lon) = datum::to_wgs84(provider, stored[0], stored[1]);
        let (e_lat, e_lon) = datum::to_wgs84(provider, stored[2], stored[3]);
        let expected = [s_lat, s_lon, e_lat, e_lon];
        if provider == Datum::Gcj02 {
            let (g_lat, g_lon) = datum::gcj02_to_wgs84(stored[0], stored[1]);
            assert_eq!((s_lat, s_lon), (g_lat, g_lon));
            assert!((s_lat - stored[0]).abs() > 1e-4, "the datums differ there");
        } else {
            assert_eq!(expected, stored);
        }
        let out = export::in_wgs84(&r, provider);
        // CSV: six decimals.
        let text = export::csv(&out, &zone, &headers, None);
        let cells: Vec<&str> = text.lines().nth(1).unwrap().rsplit(',').take(4).collect();
        let want: Vec<String> = expected.iter().rev().map(|x| format!("{x:.6}")).collect();
        assert_eq!(cells, want, "{provider:?}");
        // The workbook: full precision.
        let bytes = export::xlsx(&out, &zone, &headers, None).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range("Trips").unwrap();
        for (k, x) in expected.iter().enumerate() {
            match sheet.get_value((1, 8 + k as u32)) {
                Some(Data::Float(v)) => assert!((v - x).abs() < 1e-7, "{provider:?} {k}: {v}"),
                other => panic!("{provider:?} {k}: {other:?}"),
            }
        }
    }
    // The result kept for the UI is untouched.
    assert_eq!(r, result_of(ReportKind::Trips));
}
