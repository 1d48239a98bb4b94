//! Fleet reports (trips, stops, idling, daily summary, speeding, geofence visits) over several
//! vehicles and a period, for the desktop app and the `etrack report` command alike.
//!
//! The figures come from [`etrack::report`] (the engine, pure functions); this module fetches
//! each vehicle's history (through the [`HistoryStore`](crate::history::HistoryStore) when there
//! is one, so a period stored once costs no request), runs the engine on it, and turns what it
//! found into typed rows: metres, seconds, km/h, unix seconds. No words in the rows: the UI
//! formats and translates them; only the export's fallback column names are English
//! ([`table`]).
//!
//! - [`run`]: one report, vehicle by vehicle, a few at a time, cancellable, partial on failure;
//! - [`compute`]: the rows of one vehicle from its points and alarms (no I/O);
//! - [`zone`]: the user's time zone (day boundaries, Excel dates, ISO times);
//! - [`table`]: the columns of each kind, as the exports and the CLI's table write them;
//! - [`export`]: CSV and XLSX files;
//! - [`ReportDesk`]: the app's side: the running report and the last results, for export.

pub mod compute;
pub mod export;
pub mod run;
pub mod table;
pub mod zone;

pub use run::{run, ReportEnv, VEHICLES_AT_ONCE};

use crate::error::IpcError;
use crate::geofences::StoredGeofence;
use crate::host::Event;
use crate::jobs::LatestJob;
use etrack::report::{AlarmCount, Circle};
use etrack::Client;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use ts_rs::TS;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReportKind {
    /// Journeys between stops.
    Trips,
    /// Stops of at least `minStopSecs`.
    Stops,
    /// Standing with the engine on for at least `minIdleSecs`.
    Idling,
    /// One row per vehicle and calendar day (in the report's time zone).
    Summary,
    /// Faster than `speedLimitKmh`.
    Speeding,
    /// Visits of the account's geofences recorded in this app.
    Geofences,
}

impl ReportKind {
    /// Every kind, in declaration order.
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Trips,
        ReportKind::Stops,
        ReportKind::Idling,
        ReportKind::Summary,
        ReportKind::Speeding,
        ReportKind::Geofences,
    ];

    /// The kind's identifier (`trips`, ...), as in IPC and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            ReportKind::Trips => "trips",
            ReportKind::Stops => "stops",
            ReportKind::Idling => "idling",
            ReportKind::Summary => "summary",
            ReportKind::Speeding => "speeding",
            ReportKind::Geofences => "geofences",
        }
    }

    /// Whether the report needs the vehicles' alarms (engine on/off, geofence in/out).
    pub fn needs_alarms(self) -> bool {
        matches!(
            self,
            ReportKind::Idling | ReportKind::Summary | ReportKind::Geofences
        )
    }
}

/// What to report on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportRequest {
    /// The UI's id of this run: progress events and the result carry it; cancel and export name
    /// it.
    pub request_id: u32,
    /// Which report.
    pub kind: ReportKind,
    /// The vehicles, in the order the rows should follow.
    pub imeis: Vec<String>,
    /// The period's begin, unix seconds (included).
    pub begin: i64,
    /// The period's end, unix seconds (included, as the provider's ranges).
    pub end: i64,
    /// `"local"` (the computer's zone) or an IANA name (`"Asia/Shanghai"`): where days begin, and
    /// the zone of the exports' times.
    pub time_zone: String,
    /// Shortest stop, seconds (stops, trips, summary).
    pub min_stop_secs: u32,
    /// Shortest idle period, seconds (idling, summary).
    pub min_idle_secs: u32,
    /// Speed limit, km/h (speeding).
    pub speed_limit_kmh: f64,
    /// Shortest speeding, seconds from its first fast fix to its last (speeding; 0: a single
    /// fast fix counts).
    pub min_speeding_secs: u32,
}

/// How far a report has come ("report-progress"), after each vehicle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportProgress {
    /// The run.
    pub request_id: u32,
    /// Vehicles finished (with or without error).
    pub vehicles_done: u32,
    /// Vehicles in the report.
    pub vehicles_total: u32,
    /// Requests sent to the provider so far (0 when all came from the stored history).
    pub requests: u32,
}

impl Event for ReportProgress {
    const NAME: &'static str = "report-progress";
}

/// One row: an event (trip, stop, idle period, speeding, visit) or a day of one vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    /// The vehicle.
    pub imei: String,
    /// Its name (the device name, else the IMEI).
    pub vehicle: String,
    /// When the row begins, unix seconds (a day's first instant for the summary, the entry for
    /// a visit).
    pub start: Option<i64>,
    /// When it ends, unix seconds (the next day's first instant for the summary; `None` for a
    /// visit still going on at the period's end).
    pub end: Option<i64>,
    /// Where: a trip's start, a stop's or idle period's place, the fastest fix of a speeding,
    /// a geofence's centre; `None` for a day.
    pub lat: Option<f64>,
    /// Longitude of `lat`'s place.
    pub lon: Option<f64>,
    /// The kind's figures.
    pub values: ReportValues,
}

/// The figures of a row, by kind: metres, seconds, km/h, unix seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ReportValues {
    /// A trip.
    #[serde(rename_all = "camelCase")]
    Trip {
        /// Metres driven.
        distance_m: f64,
        /// Seconds from start to end.
        duration_secs: i64,
        /// Average speed, km/h (distance over duration).
        avg_kmh: f64,
        /// Top speed of its fixes, km/h.
        max_kmh: f64,
        /// Where it ended.
        end_lat: f64,
        /// Where it ended.
        end_lon: f64,
    },
    /// A stop.
    #[serde(rename_all = "camelCase")]
    Stop {
        /// Seconds stopped.
        duration_secs: i64,
    },
    /// An idle period.
    #[serde(rename_all = "camelCase")]
    Idle {
        /// Seconds idling.
        duration_secs: i64,
    },
    /// A speeding period.
    #[serde(rename_all = "camelCase")]
    Speeding {
        /// Seconds from the first to the last fast fix.
        duration_secs: i64,
        /// Top speed, km/h.
        max_kmh: f64,
        /// The limit it was over, km/h.
        limit_kmh: f64,
    },
    /// A vehicle's calendar day.
    #[serde(rename_all = "camelCase")]
    Summary {
        /// The local date, `YYYY-MM-DD`.
        date: String,
        /// The zone's offset from UTC at the day's start, seconds east.
        utc_offset_secs: i32,
        /// Metres driven (the day's parts of the trips).
        distance_m: f64,
        /// Seconds driving.
        driving_secs: i64,
        /// Seconds stopped.
        stopped_secs: i64,
        /// Seconds idling.
        idle_secs: i64,
        /// Top speed, km/h.
        max_kmh: f64,
        /// Trips with a part in the day.
        trips: u32,
        /// Stops with a part in the day.
        stops: u32,
        /// First departure of the day.
        first_start: Option<i64>,
        /// Last arrival of the day.
        last_stop: Option<i64>,
        /// Fixes in the day.
        points: u32,
        /// Alarms by type.
        alarms: Vec<AlarmCount>,
    },
    /// A visit of a geofence.
    #[serde(rename_all = "camelCase")]
    GeofenceVisit {
        /// The geofence's local id.
        geofence_id: String,
        /// Its name.
        geofence_name: String,
        /// Seconds inside (up to the period's end when it did not leave).
        dwell_secs: i64,
        /// Already inside at the period's first fix.
        began_inside: bool,
        /// An alarm of the provider confirms the entry or the exit.
        confirmed_by_alarm: bool,
    },
}

impl ReportValues {
    /// The row's duration in seconds, when it has one.
    pub fn duration_secs(&self) -> Option<i64> {
        match self {
            ReportValues::Trip { duration_secs, .. }
            | ReportValues::Stop { duration_secs }
            | ReportValues::Idle { duration_secs }
            | ReportValues::Speeding { duration_secs, .. } => Some(*duration_secs),
            ReportValues::GeofenceVisit { dwell_secs, .. } => Some(*dwell_secs),
            ReportValues::Summary { .. } => None,
        }
    }

    /// Metres driven, for trips and days.
    pub fn distance_m(&self) -> Option<f64> {
        match self {
            ReportValues::Trip { distance_m, .. } | ReportValues::Summary { distance_m, .. } => {
                Some(*distance_m)
            }
            _ => None,
        }
    }
}

/// A finished (or cancelled, or partly failed) report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReportResult {
    /// The run.
    pub request_id: u32,
    /// Which report.
    pub kind: ReportKind,
    /// The rows: vehicles in the order asked, each vehicle's rows in time order.
    pub rows: Vec<ReportRow>,
    /// Whether every vehicle's whole period is in the rows.
    pub complete: bool,
    /// Why not: the first failure (naming the vehicle), or the cancel.
    pub error: Option<IpcError>,
    /// Requests sent to the provider (0 when all came from the stored history).
    pub requests: u32,
}

/// How many finished reports are kept for export.
pub const KEPT_RESULTS: usize = 8;

/// The app's reports: at most one runs (a new one cancels it), and the last results are kept so
/// the user can export what the view shows.
#[derive(Debug, Default)]
pub struct ReportDesk {
    job: LatestJob,
    results: Mutex<VecDeque<(ReportRequest, ReportResult)>>,
    /// Vehicle names of an account (its key), asked once: a report over stored history then
    /// sends nothing at all.
    names: Mutex<Option<(String, HashMap<String, String>)>>,
}

impl ReportDesk {
    /// No report yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The slot of the running report.
    pub fn job(&self) -> &LatestJob {
        &self.job
    }

    /// Keeps a result (the oldest of more than [`KEPT_RESULTS`] is dropped).
    pub fn keep(&self, request: ReportRequest, result: ReportResult) {
        let mut kept = self.results.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|(r, _)| r.request_id != request.request_id);
        kept.push_back((request, result));
        while kept.len() > KEPT_RESULTS {
            kept.pop_front();
        }
    }

    /// The last result of run `request_id`, with its request.
    pub fn result(&self, request_id: u32) -> Option<(ReportRequest, ReportResult)> {
        let kept = self.results.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter()
            .find(|(r, _)| r.request_id == request_id)
            .cloned()
    }

    /// Forgets every result and name (sign-out).
    pub fn clear(&self) {
        self.results
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        *self.names.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }

    /// The names of the account `key`'s vehicles: those known, else the device list (one
    /// request). Without it the rows show IMEIs.
    pub async fn names(
        &self,
        client: &Client,
        key: &str,
        imeis: &[String],
    ) -> HashMap<String, String> {
        let known = {
            let cached = self.names.lock().unwrap_or_else(|p| p.into_inner());
            cached
                .as_ref()
                .filter(|(k, _)| k == key)
                .map(|(_, n)| n.clone())
        };
        if let Some(names) = &known {
            if imeis.iter().all(|i| names.contains_key(i.trim())) {
                return names.clone();
            }
        }
        match client.device_list(None).await {
            Ok(devices) => {
                let names: HashMap<String, String> = devices
                    .into_iter()
                    .map(|d| (d.imei, d.devicename))
                    .collect();
                *self.names.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some((key.to_owned(), names.clone()));
                names
            }
            Err(e) => {
                tracing::warn!("vehicle names unavailable for the report: {e}");
                known.unwrap_or_default()
            }
        }
    }
}

/// The app's recorded geofences as the engine's circles.
pub fn circles(geofences: &[StoredGeofence]) -> Vec<Circle> {
    geofences
        .iter()
        .map(|g| Circle {
            id: g.id.clone(),
            name: g.name.clone(),
            lat: g.latitude,
            lon: g.longitude,
            radius_m: f64::from(g.radius_m),
        })
        .collect()
}

#[cfg(test)]
mod tests;
