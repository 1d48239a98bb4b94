//! The request budget of long histories against `etrack-sim`: adaptive paging asks about as often
//! as the spec's one-page-after-another chain, never once per empty window.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use etrack::{FetchOptions, TimeRange};

/// The spec's chain: one page after another over the whole range.
fn sequential(range: TimeRange) -> FetchOptions {
    FetchOptions {
        concurrency: 1,
        window_secs: Some(range.secs()),
        ..FetchOptions::default()
    }
}

/// The period fetched by the spec's chain and by adaptive paging: (chain points, chain requests,
/// adaptive points, adaptive requests).
async fn chain_and_adaptive(
    sim: &etrack_sim::SimHandle,
    c: &etrack::Client,
    imei: &etrack::Imei,
    range: TimeRange,
) -> (
    Vec<etrack::PlaybackPoint>,
    usize,
    Vec<etrack::PlaybackPoint>,
    usize,
) {
    sim.clear_log();
    let chain = c
        .playback_with(imei, range, &sequential(range), &|_| {})
        .await
        .unwrap();
    let chain_pages = requests_to(sim, "/api/playback").len();
    sim.clear_log();
    let adaptive = c.playback(imei, range).await.unwrap();
    let adaptive_pages = requests_to(sim, "/api/playback").len();
    (chain, chain_pages, adaptive, adaptive_pages)
}

#[tokio::test]
async fn a_month_without_data_costs_one_request() {
    let sim = sim().await;
    let c = client(&sim);
    let imei = imeis(&sim)[0].clone();
    sim.set_history(imei.as_str(), Vec::new());
    c.authorize().await.unwrap();
    sim.clear_log();
    let month = last_days(30);
    assert!(c.playback(&imei, month).await.unwrap().is_empty());
    assert_eq!(requests_to(&sim, "/api/playback").len(), 1);
    sim.clear_log();
    assert!(c.alarms(&imei, month).await.unwrap().is_empty());
    assert_eq!(requests_to(&sim, "/api/alarm/list").len(), 1);
}

#[tokio::test]
async fn a_month_with_three_busy_days_costs_about_the_spec_chain_and_loses_nothing() {
    let sim = sim().await;
    let c = client(&sim);
    let imei = imeis(&sim)[0].clone();
    let month = last_days(30);
    let mut history = Vec::new();
    for day in [2, 15, 28] {
        history.extend(straight_history(month.begin() + day * 86_400, 8_640, 10));
    }
    let points = history.len();
    sim.set_history(imei.as_str(), history);
    c.authorize().await.unwrap();

    let (chain, chain_pages, adaptive, adaptive_pages) =
        chain_and_adaptive(&sim, &c, &imei, month).await;
    assert_eq!(adaptive.len(), points, "every point once");
    assert_eq!(adaptive, chain);
    assert!(
        adaptive_pages <= chain_pages + 16,
        "{adaptive_pages} requests where the chain takes {chain_pages}"
    );
}

#[tokio::test]
async fn a_cancelled_fetch_keeps_the_stretch_it_had_from_the_start() {
    let sim = sim().await;
    let c = client(&sim);
    let imei = imeis(&sim)[0].clone();
    let range = last_days(3);
    sim.set_history(
        imei.as_str(),
        straight_history(range.begin(), 3 * 8_640, 10),
    );
    c.authorize().await.unwrap();
    let opts = FetchOptions::default();
    let stop = opts.cancel.clone();
    let fetched = c
        .playback_fetched(&imei, range, &opts, &|p| {
            if p.records >= 5_000 {
                stop.cancel();
            }
        })
        .await;
    assert!(matches!(fetched.error, Some(etrack::Error::Cancelled)));
    assert!(!fetched.records.is_empty());
    // The records are exactly the history's first covered seconds, without a hole.
    let last = fetched.records.last().unwrap().gpstime;
    assert!(last < range.begin() + fetched.covered_secs);
    assert_eq!(
        fetched.records.len() as i64,
        (last - range.begin()) / 10 + 1,
        "no hole"
    );
}

#[tokio::test]
async fn the_demo_trailer_parked_for_a_month_costs_one_request() {
    let sim = sim().await;
    let c = client(&sim);
    let imei: etrack::Imei = sim
        .imei_of(etrack_sim::PARKED_NAME)
        .unwrap()
        .parse()
        .unwrap();
    c.authorize().await.unwrap();
    sim.clear_log();
    let month = last_days(30);
    assert!(c.playback(&imei, month).await.unwrap().is_empty());
    assert_eq!(requests_to(&sim, "/api/playback").len(), 1);
}

#[tokio::test]
async fn the_demo_seasonal_loader_costs_about_the_spec_chain_and_keeps_its_three_days() {
    let sim = sim().await;
    let c = client(&sim);
    let imei: etrack::Imei = sim
        .imei_of(etrack_sim::SEASONAL_NAME)
        .unwrap()
        .parse()
        .unwrap();
    c.authorize().await.unwrap();
    let month = last_days(30);

    let (chain, chain_pages, adaptive, adaptive_pages) =
        chain_and_adaptive(&sim, &c, &imei, month).await;
    assert_eq!(adaptive, chain, "the same points as the chain, each once");
    let days: std::collections::BTreeSet<i64> = adaptive
        .iter()
        .map(|p| (p.gpstime + 8 * 3600) / 86_400)
        .collect();
    assert!(
        (2..=4).contains(&days.len()),
        "points on {} days (3 working days, one may straddle midnight)",
        days.len()
    );
    assert!(
        adaptive_pages <= chain_pages + 16,
        "{adaptive_pages} requests where the chain takes {chain_pages}"
    );
}
