//! The rows of one vehicle, from its history: [`etrack::report`]'s findings as [`ReportRow`]s.
//! No I/O, so the benchmark times it alone and tests feed it made-up histories.

use super::zone::Zone;
use super::{ReportKind, ReportRow, ReportValues};
use etrack::report::{self, Circle, StopOptions};
use etrack::{Alarm, PlaybackPoint};

/// What the rules of one report are.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Which report.
    pub kind: ReportKind,
    /// What counts as a stop.
    pub stops: StopOptions,
    /// Shortest idle period, seconds.
    pub min_idle_secs: i64,
    /// Speed limit, km/h.
    pub speed_limit_kmh: f64,
    /// Shortest speeding (first to last fast fix), seconds: 0 reports a single fast fix.
    pub min_speeding_secs: i64,
    /// The zone of the days.
    pub zone: Zone,
    /// The geofences (geofence report).
    pub circles: Vec<Circle>,
}

/// The vehicle a history belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Vehicle<'a> {
    /// Its IMEI.
    pub imei: &'a str,
    /// Its name.
    pub name: &'a str,
}

/// The rows of one vehicle, in time order.
pub fn rows(
    rules: &Rules,
    vehicle: Vehicle<'_>,
    points: &[PlaybackPoint],
    alarms: &[Alarm],
) -> Vec<ReportRow> {
    let row = |start: Option<i64>,
               end: Option<i64>,
               at: Option<(f64, f64)>,
               values: ReportValues| ReportRow {
        imei: vehicle.imei.to_owned(),
        vehicle: vehicle.name.to_owned(),
        start,
        end,
        lat: at.map(|a| a.0),
        lon: at.map(|a| a.1),
        values,
    };
    match rules.kind {
        ReportKind::Stops => report::stops(points, &rules.stops)
            .into_iter()
            .map(|s| {
                row(
                    Some(s.start),
                    Some(s.end),
                    Some((s.lat, s.lon)),
                    ReportValues::Stop {
                        duration_secs: s.duration_secs,
                    },
                )
            })
            .collect(),
        ReportKind::Trips => {
            let clean = report::clean(points);
            let stops = report::stops(&clean, &rules.stops);
            report::trips(&clean, &stops)
                .into_iter()
                .map(|t| {
                    row(
                        Some(t.start),
                        Some(t.end),
                        Some((t.start_lat, t.start_lon)),
                        ReportValues::Trip {
                            distance_m: t.distance_m,
                            duration_secs: t.duration_secs,
                            avg_kmh: t.avg_kmh,
                            max_kmh: t.max_kmh,
                            end_lat: t.end_lat,
                            end_lon: t.end_lon,
                        },
                    )
                })
                .collect()
        }
        ReportKind::Idling => report::idling(points, alarms, &rules.stops, rules.min_idle_secs)
            .into_iter()
            .map(|i| {
                row(
                    Some(i.start),
                    Some(i.end),
                    Some((i.lat, i.lon)),
                    ReportValues::Idle {
                        duration_secs: i.duration_secs,
                    },
                )
            })
            .collect(),
        ReportKind::Speeding => {
            report::speeding(points, rules.speed_limit_kmh, rules.min_speeding_secs)
                .into_iter()
                .map(|s| {
                    row(
                        Some(s.start),
                        Some(s.end),
                        Some((s.lat, s.lon)),
                        ReportValues::Speeding {
                            duration_secs: s.duration_secs,
                            max_kmh: s.max_kmh,
                            limit_kmh: rules.speed_limit_kmh,
                        },
                    )
                })
                .collect()
        }
        ReportKind::Summary => {
            let zone = &rules.zone;
            let offset = |t: i64| zone.offset_secs(t);
            report::daily_summary(points, alarms, &rules.stops, rules.min_idle_secs, &offset)
                .into_iter()
                .map(|d| {
                    row(
                        Some(d.start),
                        Some(d.end),
                        None,
                        ReportValues::Summary {
                            date: d.date,
                            utc_offset_secs: d.utc_offset_secs,
                            distance_m: d.distance_m,
                            driving_secs: d.driving_secs,
                            stopped_secs: d.stopped_secs,
                            idle_secs: d.idle_secs,
                            max_kmh: d.max_kmh,
                            trips: d.trips,
                            stops: d.stops,
                            first_start: d.first_start,
                            last_stop: d.last_stop,
                            points: d.points,
                            alarms: d.alarms,
                        },
                    )
                })
                .collect()
        }
        ReportKind::Geofences => report::geofence_visits(points, &rules.circles, alarms)
            .into_iter()
            .map(|v| {
                let centre = rules
                    .circles
                    .iter()
                    .find(|c| c.id == v.geofence_id)
                    .map(|c| (c.lat, c.lon));
                row(
                    Some(v.enter),
                    v.exit,
                    centre,
                    ReportValues::GeofenceVisit {
                        geofence_id: v.geofence_id,
                        geofence_name: v.geofence_name,
                        dwell_secs: v.dwell_secs,
                        began_inside: v.began_inside,
                        confirmed_by_alarm: v.confirmed_by_alarm,
                    },
                )
            })
            .collect(),
    }
}
