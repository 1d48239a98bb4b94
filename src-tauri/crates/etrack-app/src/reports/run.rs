//! Running a report: each vehicle's history fetched (through the stored history when there is
//! one), a few vehicles at a time, the engine run on it, the rows put in the order asked.

use super::compute::{self, Rules, Vehicle};
use super::zone::Zone;
use super::{ReportKind, ReportProgress, ReportRequest, ReportResult, ReportRow};
use crate::error::{AppError, AppResult, IpcError};
use crate::history::HistoryStore;
use etrack::report::{Circle, StopOptions};
use etrack::{Alarm, Client, FetchOptions, Imei, PlaybackPoint, Progress, TimeRange};
use futures::stream::{self, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio_util::sync::CancellationToken;

/// Vehicles fetched at once. Each vehicle's fetch keeps at most [`FETCH_CONCURRENCY`] requests
/// in flight (and halves that on 10009, the client's adaptive limit), so a report has at most
/// `VEHICLES_AT_ONCE * FETCH_CONCURRENCY` requests in flight: enough to hide the round trip,
/// few enough not to be told "too frequent" by the provider.
pub const VEHICLES_AT_ONCE: usize = 3;
/// Requests in flight for one vehicle's history.
pub const FETCH_CONCURRENCY: usize = 2;
/// The longest period of a report.
pub const MAX_REPORT_DAYS: i64 = 92;

/// What a report runs against.
pub struct ReportEnv<'a> {
    /// The signed-in client.
    pub client: &'a Client,
    /// The stored history, when there is one: asked first, the provider only for what it lacks.
    pub store: Option<&'a HistoryStore>,
    /// The provider's "now", unix seconds (the store always asks the last hours before it again).
    pub now: i64,
    /// Vehicle names by IMEI (the IMEI stands in for a vehicle without one).
    pub names: &'a HashMap<String, String>,
    /// The geofences of the geofence report.
    pub circles: Vec<Circle>,
    /// Stops the report; what is done so far comes back.
    pub cancel: CancellationToken,
    /// Told after each vehicle.
    pub progress: &'a (dyn Fn(ReportProgress) + Send + Sync),
}

/// The period of a report: `begin` before `end`, at most [`MAX_REPORT_DAYS`].
pub fn period(begin: i64, end: i64) -> AppResult<TimeRange> {
    if end <= begin {
        return Err(AppError::invalid("The period must end after it begins."));
    }
    if end - begin > MAX_REPORT_DAYS * 86_400 {
        return Err(AppError::invalid(format!(
            "A report covers at most {MAX_REPORT_DAYS} days: choose a shorter period."
        )));
    }
    Ok(TimeRange::new(begin, end)?)
}

/// The rules a request asks for (its zone checked).
pub fn rules(req: &ReportRequest, circles: Vec<Circle>) -> AppResult<Rules> {
    if !(req.speed_limit_kmh.is_finite() && req.speed_limit_kmh >= 0.0)
        && req.kind == ReportKind::Speeding
    {
        return Err(AppError::invalid("The speed limit must be 0 km/h or more."));
    }
    Ok(Rules {
        kind: req.kind,
        stops: StopOptions {
            min_stop_secs: i64::from(req.min_stop_secs),
            ..StopOptions::default()
        },
        min_idle_secs: i64::from(req.min_idle_secs),
        speed_limit_kmh: req.speed_limit_kmh,
        min_speeding_secs: i64::from(req.min_speeding_secs),
        zone: Zone::parse(&req.time_zone)?,
        circles,
    })
}

/// Runs the report `req`. `Err` only for a request refused before anything is sent (no vehicle,
/// a bad IMEI, period or zone, no geofence); a vehicle that fails or a cancel gives the rows
/// of the others with [`ReportResult::error`].
pub async fn run(env: &ReportEnv<'_>, req: &ReportRequest) -> AppResult<ReportResult> {
    let mut imeis: Vec<Imei> = Vec::with_capacity(req.imeis.len());
    for raw in &req.imeis {
        let imei = Imei::parse(raw.trim())?;
        if !imeis.contains(&imei) {
            imeis.push(imei);
        }
    }
    if imeis.is_empty() {
        return Err(AppError::invalid("Choose at least one vehicle."));
    }
    let range = period(req.begin, req.end)?;
    if req.kind == ReportKind::Geofences && env.circles.is_empty() {
        return Err(AppError::invalid(
            "No geofence is recorded in this app for this account: draw one first.",
        ));
    }
    let rules = rules(req, env.circles.clone())?;

    let total = u32::try_from(imeis.len()).unwrap_or(u32::MAX);
    let requests = AtomicU32::new(0);
    let done = AtomicU32::new(0);
    let tell = || {
        (env.progress)(ReportProgress {
            request_id: req.request_id,
            vehicles_done: done.load(Ordering::Relaxed),
            vehicles_total: total,
            requests: requests.load(Ordering::Relaxed),
        })
    };
    tell();

    let outcomes: Vec<(usize, Vec<ReportRow>, Option<AppError>)> =
        // By index, not by reference: the future stays `Send` for any caller (a Tauri command).
        stream::iter(0..imeis.len())
            .map(|i| {
                let (rules, requests, done, tell) = (&rules, &requests, &done, &tell);
                let imei = &imeis[i];
                async move {
                    let name = env
                        .names
                        .get(imei.as_str())
                        .filter(|n| !n.trim().is_empty())
                        .map_or(imei.as_str(), String::as_str);
                    let history =
                        history(env, imei, range, rules.kind.needs_alarms(), requests).await;
                    let rows = compute::rows(
                        rules,
                        Vehicle {
                            imei: imei.as_str(),
                            name,
                        },
                        &history.points,
                        &history.alarms,
                    );
                    done.fetch_add(1, Ordering::Relaxed);
                    tell();
                    (i, rows, history.error)
                }
            })
            .buffer_unordered(VEHICLES_AT_ONCE)
            .collect()
            .await;

    let mut outcomes = outcomes;
    outcomes.sort_by_key(|(i, _, _)| *i);
    let mut rows = Vec::new();
    let mut error: Option<IpcError> = None;
    for (i, vehicle_rows, failure) in outcomes {
        rows.extend(vehicle_rows);
        if let (None, Some(e)) = (&error, failure) {
            let mut ipc = IpcError::from(&e);
            if !matches!(e, AppError::Cancelled) {
                let imei = imeis[i].as_str();
                let name = env.names.get(imei).map_or(imei, String::as_str);
                ipc.message = format!("{name}: {}", ipc.message);
            }
            error = Some(ipc);
        }
    }
    if env.cancel.is_cancelled() {
        error = Some(IpcError::from(&AppError::Cancelled));
    }
    Ok(ReportResult {
        request_id: req.request_id,
        kind: req.kind,
        rows,
        complete: error.is_none(),
        error,
        requests: requests.load(Ordering::Relaxed),
    })
}

/// One vehicle's history: what could be had, and why not all of it.
struct History {
    points: Vec<PlaybackPoint>,
    alarms: Vec<Alarm>,
    error: Option<AppError>,
}

async fn history(
    env: &ReportEnv<'_>,
    imei: &Imei,
    range: TimeRange,
    with_alarms: bool,
    requests: &AtomicU32,
) -> History {
    if env.cancel.is_cancelled() {
        return History {
            points: Vec::new(),
            alarms: Vec::new(),
            error: Some(AppError::Cancelled),
        };
    }
    let opts = FetchOptions {
        concurrency: FETCH_CONCURRENCY,
        cancel: env.cancel.clone(),
        ..FetchOptions::default()
    };
    let (mut points, mut error) = points(env, imei, range, &opts, requests).await;
    // The period is half-open: a fix at its very end belongs to the next period (it would start
    // a day of its own in the daily summary).
    points.retain(|p| p.gpstime < range.end());
    let alarms = if with_alarms && error.is_none() {
        let (alarms, e) = alarms(env, imei, range, &opts, requests).await;
        error = e;
        alarms
    } else {
        Vec::new()
    };
    History {
        points,
        alarms,
        error,
    }
}

/// Counts the pages a fetch reports into `requests` as they come.
fn counter(requests: &AtomicU32) -> impl Fn(Progress) + Send + Sync + '_ {
    let seen = AtomicU32::new(0);
    move |p: Progress| {
        let before = seen.swap(p.pages, Ordering::Relaxed);
        if p.pages > before {
            requests.fetch_add(p.pages - before, Ordering::Relaxed);
        }
    }
}

fn no_data_is_none(e: Option<etrack::Error>) -> Option<AppError> {
    match e {
        None => None,
        Some(e) if e.is_no_data() => None,
        Some(etrack::Error::Cancelled) => Some(AppError::Cancelled),
        Some(e) => Some(AppError::from(e)),
    }
}

async fn points(
    env: &ReportEnv<'_>,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    requests: &AtomicU32,
) -> (Vec<PlaybackPoint>, Option<AppError>) {
    let count = counter(requests);
    if let Some(store) = env.store {
        match store
            .fetch_points(env.client, imei, range, env.now, opts, &count)
            .await
        {
            Ok(stored) => return (stored.records, stored.error),
            Err(e) => tracing::warn!("the stored history failed, fetching directly: {e}"),
        }
    }
    let fetched = env
        .client
        .playback_fetched(imei, range, opts, &counter(requests))
        .await;
    (fetched.records, no_data_is_none(fetched.error))
}

async fn alarms(
    env: &ReportEnv<'_>,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    requests: &AtomicU32,
) -> (Vec<Alarm>, Option<AppError>) {
    let count = counter(requests);
    if let Some(store) = env.store {
        match store
            .fetch_alarms(env.client, imei, range, env.now, opts, &count)
            .await
        {
            Ok(stored) => return (stored.records, stored.error),
            Err(e) => tracing::warn!("the stored alarms failed, fetching directly: {e}"),
        }
    }
    match env
        .client
        .alarms_with(imei, range, opts, &counter(requests))
        .await
    {
        Ok(list) => (list, None),
        Err(e) => (Vec::new(), no_data_is_none(Some(e))),
    }
}
