//! The mileage report against etrack-sim: a period of several weeks is snapped to :00/:30, fetched
//! in 7-day windows, and its sums equal what the simulator reports for those windows.
#![allow(clippy::unwrap_used)]

use etrack::{Client, Imei, PasswordHash, TimeRange};
use etrack_app::error::ErrorKind;
use etrack_app::mileage;
use etrack_sim::{SimConfig, DEMO_ACCOUNT, DEMO_PASSWORD, VIRTUAL_ACCOUNT};
use tokio_util::sync::CancellationToken;

fn client(base: &str, account: &str) -> Client {
    Client::builder(account, PasswordHash::from_password(DEMO_PASSWORD))
        .base_url(base)
        .build()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_multi_week_report_equals_the_simulators_window_sums() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let app = client(&sim.base_url(), DEMO_ACCOUNT);
    let imeis: Vec<String> = sim.imeis().into_iter().take(3).collect();

    // Ends three days ago, off the half hour; begins 22 days and a bit earlier.
    let end_asked = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 3 * 86_400
        + 611;
    let begin_asked = end_asked - 22 * 86_400 - 1_234;
    let report = mileage::report(
        &app,
        &imeis,
        begin_asked,
        end_asked,
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(report.begin % 1800, 0);
    assert_eq!(report.end % 1800, 0);
    assert!(report.begin <= begin_asked && begin_asked - report.begin < 1800);
    assert!(report.end >= end_asked && report.end - end_asked < 1800);
    assert_eq!(
        (report.requested_begin, report.requested_end),
        (begin_asked, end_asked)
    );
    assert_eq!(report.windows, 4, "22+ days take four 7-day windows");

    let sent: Vec<(i64, i64)> = sim
        .request_log()
        .iter()
        .filter(|q| q.path == "/api/device/mileage")
        .map(|q| {
            let get = |k: &str| -> i64 {
                q.params
                    .iter()
                    .find(|(n, _)| n == k)
                    .unwrap()
                    .1
                    .parse()
                    .unwrap()
            };
            (get("begintime"), get("endtime"))
        })
        .collect();
    assert_eq!(sent.len(), 4);
    assert!(sent
        .iter()
        .all(|(b, e)| b % 1800 == 0 && e % 1800 == 0 && e - b <= 7 * 86_400));

    // Ground truth from another account that sees the fleet (a second token for "demo" would
    // end the app's), window by window as the spec allows, summed.
    let truth = client(&sim.base_url(), VIRTUAL_ACCOUNT);
    let parsed: Vec<Imei> = imeis.iter().map(|i| Imei::parse(i).unwrap()).collect();
    let mut want = vec![0.0f64; imeis.len()];
    let mut b = report.begin;
    while b < report.end {
        let e = (b + 7 * 86_400).min(report.end);
        let part = truth
            .mileage(&parsed, TimeRange::new(b, e).unwrap())
            .await
            .unwrap();
        for (i, m) in part.iter().enumerate() {
            assert_eq!(m.imei, imeis[i]);
            want[i] += m.mileage.unwrap_or(0.0);
        }
        b = e;
    }
    assert!(
        want.iter().any(|km| *km > 1.0),
        "the fleet drove in that period: {want:?}"
    );
    for (row, km) in report.rows.iter().zip(&want) {
        let got = row.km.expect("the simulator reports every device it knows");
        assert!((got - km).abs() < 0.006, "{}: {got} vs {km}", row.imei);
    }
    assert_eq!(report.without_data, 0);
    let total: f64 = want.iter().sum();
    assert!(
        (report.total_km - total).abs() < 0.02,
        "{} vs {total}",
        report.total_km
    );
    sim.shutdown();
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_periods_and_empty_selections_send_nothing() {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let app = client(&sim.base_url(), DEMO_ACCOUNT);
    let imeis = vec![sim.imeis()[0].clone()];
    let cancel = CancellationToken::new();
    for (imeis, b, e, words) in [
        (
            imeis.clone(),
            1_714_550_400,
            1_714_550_400,
            "end after it begins",
        ),
        (imeis.clone(), 0, 400 * 86_400, "at most 366 days"),
        (
            Vec::new(),
            1_714_550_400,
            1_714_636_800,
            "at least one vehicle",
        ),
        (vec!["12".to_owned()], 1_714_550_400, 1_714_636_800, "IMEI"),
    ] {
        let err = mileage::report(&app, &imeis, b, e, &cancel)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert!(err.to_string().contains(words), "{}", err.to_string());
    }
    assert!(sim
        .request_log()
        .iter()
        .all(|q| q.path != "/api/device/mileage"));
    sim.shutdown();
}
