//! The columns of each report kind and the cells of a row, as the exports (CSV, XLSX) and the
//! command line's table write them. The UI sends its translated column names; [`english`] are
//! the names when it sends none (and the CLI's).

use super::{ReportKind, ReportRow, ReportValues};

/// What a column holds, which says how a file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    Text,
    /// An instant (unix seconds), written in the report's zone.
    DateTime,
    /// A calendar date (a day's first instant), written in the report's zone.
    Date,
    /// Seconds, written as hours:minutes:seconds.
    Duration,
    /// Kilometres, two decimals.
    Km,
    /// km/h, one decimal.
    Kmh,
    /// Degrees, six decimals.
    Degrees,
    /// A whole number.
    Count,
    /// Yes or no.
    Bool,
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing (no value for this row).
    Empty,
    /// Text.
    Text(String),
    /// Unix seconds (for [`ColumnType::DateTime`] and [`ColumnType::Date`]).
    Time(i64),
    /// Seconds.
    Secs(i64),
    /// A number (km, km/h, degrees, counts).
    Number(f64),
    /// Yes or no.
    Bool(bool),
}

use ColumnType as C;

/// The columns of a kind: English name and type.
pub fn columns(kind: ReportKind) -> &'static [(&'static str, ColumnType)] {
    match kind {
        ReportKind::Trips => &[
            ("Vehicle", C::Text),
            ("IMEI", C::Text),
            ("Start", C::DateTime),
            ("End", C::DateTime),
            ("Duration", C::Duration),
            ("Distance (km)", C::Km),
            ("Average speed (km/h)", C::Kmh),
            ("Top speed (km/h)", C::Kmh),
            ("Start latitude", C::Degrees),
            ("Start longitude", C::Degrees),
            ("End latitude", C::Degrees),
            ("End longitude", C::Degrees),
        ],
        ReportKind::Stops | ReportKind::Idling => &[
            ("Vehicle", C::Text),
            ("IMEI", C::Text),
            ("Start", C::DateTime),
            ("End", C::DateTime),
            ("Duration", C::Duration),
            ("Latitude", C::Degrees),
            ("Longitude", C::Degrees),
        ],
        ReportKind::Speeding => &[
            ("Vehicle", C::Text),
            ("IMEI", C::Text),
            ("Start", C::DateTime),
            ("End", C::DateTime),
            ("Duration", C::Duration),
            ("Top speed (km/h)", C::Kmh),
            ("Limit (km/h)", C::Kmh),
            ("Latitude", C::Degrees),
            ("Longitude", C::Degrees),
        ],
        ReportKind::Summary => &[
            ("Vehicle", C::Text),
            ("IMEI", C::Text),
            ("Date", C::Date),
            ("Distance (km)", C::Km),
            ("Driving", C::Duration),
            ("Stopped", C::Duration),
            ("Idling", C::Duration),
            ("Top speed (km/h)", C::Kmh),
            ("Trips", C::Count),
            ("Stops", C::Count),
            ("First start", C::DateTime),
            ("Last stop", C::DateTime),
            ("Fixes", C::Count),
            ("Alarms", C::Count),
        ],
        ReportKind::Geofences => &[
            ("Vehicle", C::Text),
            ("IMEI", C::Text),
            ("Geofence", C::Text),
            ("Entered", C::DateTime),
            ("Left", C::DateTime),
            ("Time inside", C::Duration),
            ("Confirmed by alarm", C::Bool),
            ("Latitude", C::Degrees),
            ("Longitude", C::Degrees),
        ],
    }
}

/// The English names of a kind's address columns, written after its other columns when a
/// geocoder is set: a trip's start and end, the place of a stop, an idle period or a speeding.
pub fn address_columns(kind: ReportKind) -> &'static [&'static str] {
    match kind {
        ReportKind::Trips => &["Start address", "End address"],
        ReportKind::Stops | ReportKind::Idling | ReportKind::Speeding => &["Address"],
        ReportKind::Summary | ReportKind::Geofences => &[],
    }
}

/// The positions whose addresses go into a row's address columns, one per column.
pub fn address_places(row: &ReportRow) -> Vec<Option<(f64, f64)>> {
    let here = row.lat.zip(row.lon);
    match &row.values {
        ReportValues::Trip {
            end_lat, end_lon, ..
        } => vec![here, Some((*end_lat, *end_lon))],
        ReportValues::Stop { .. } | ReportValues::Idle { .. } | ReportValues::Speeding { .. } => {
            vec![here]
        }
        ReportValues::Summary { .. } | ReportValues::GeofenceVisit { .. } => Vec::new(),
    }
}

/// The English column names of a kind.
pub fn english(kind: ReportKind) -> Vec<String> {
    columns(kind).iter().map(|(n, _)| (*n).to_owned()).collect()
}

/// The sheet's name in a workbook (Excel allows 31 characters, no `[]:*?/\`).
pub fn sheet_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Trips => "Trips",
        ReportKind::Stops => "Stops",
        ReportKind::Idling => "Idling",
        ReportKind::Summary => "Summary",
        ReportKind::Speeding => "Speeding",
        ReportKind::Geofences => "Geofences",
    }
}

fn opt_time(t: Option<i64>) -> Cell {
    t.map_or(Cell::Empty, Cell::Time)
}

fn opt_num(x: Option<f64>) -> Cell {
    x.map_or(Cell::Empty, Cell::Number)
}

/// The cells of a row, one per column of [`columns`] of its kind.
pub fn cells(row: &ReportRow) -> Vec<Cell> {
    let who = [
        Cell::Text(row.vehicle.clone()),
        Cell::Text(row.imei.clone()),
    ];
    let (start, end) = (opt_time(row.start), opt_time(row.end));
    let (lat, lon) = (opt_num(row.lat), opt_num(row.lon));
    let mut out: Vec<Cell> = who.into();
    match &row.values {
        ReportValues::Trip {
            distance_m,
            duration_secs,
            avg_kmh,
            max_kmh,
            end_lat,
            end_lon,
        } => out.extend([
            start,
            end,
            Cell::Secs(*duration_secs),
            Cell::Number(distance_m / 1000.0),
            Cell::Number(*avg_kmh),
            Cell::Number(*max_kmh),
            lat,
            lon,
            Cell::Number(*end_lat),
            Cell::Number(*end_lon),
        ]),
        ReportValues::Stop { duration_secs } | ReportValues::Idle { duration_secs } => {
            out.extend([start, end, Cell::Secs(*duration_secs), lat, lon])
        }
        ReportValues::Speeding {
            duration_secs,
            max_kmh,
            limit_kmh,
        } => out.extend([
            start,
            end,
            Cell::Secs(*duration_secs),
            Cell::Number(*max_kmh),
            Cell::Number(*limit_kmh),
            lat,
            lon,
        ]),
        ReportValues::Summary {
            distance_m,
            driving_secs,
            stopped_secs,
            idle_secs,
            max_kmh,
            trips,
            stops,
            first_start,
            last_stop,
            points,
            alarms,
            ..
        } => out.extend([
            start,
            Cell::Number(distance_m / 1000.0),
            Cell::Secs(*driving_secs),
            Cell::Secs(*stopped_secs),
            Cell::Secs(*idle_secs),
            Cell::Number(*max_kmh),
            Cell::Number(f64::from(*trips)),
            Cell::Number(f64::from(*stops)),
            opt_time(*first_start),
            opt_time(*last_stop),
            Cell::Number(f64::from(*points)),
            Cell::Number(f64::from(alarms.iter().map(|a| a.count).sum::<u32>())),
        ]),
        ReportValues::GeofenceVisit {
            geofence_name,
            dwell_secs,
            confirmed_by_alarm,
            ..
        } => out.extend([
            Cell::Text(geofence_name.clone()),
            start,
            end,
            Cell::Secs(*dwell_secs),
            Cell::Bool(*confirmed_by_alarm),
            lat,
            lon,
        ]),
    }
    out
}

/// Seconds as `h:mm:ss` (hours not wrapped at 24).
pub fn hms(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    format!("{sign}{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}
