//! The alarm history of vehicles over a period, for the alarms view.
//!
//! Each vehicle's alarms come from the client's paging ([`etrack::Client::alarms_with`]: pages of
//! 100 chained on the system time, boundary repeats dropped), a few vehicles at a time, with
//! progress reports and cancellation.

use crate::error::AppError;
use crate::geofences::{GeofenceStore, Owner};
use crate::host::Event;
use etrack::{Alarm, AlarmType, Client, FetchOptions, Imei, TimeRange};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The longest period one query may cover.
pub const MAX_QUERY_DAYS: i64 = 92;
/// The most vehicles one query may cover (the provider's device list holds at most 500).
pub const MAX_QUERY_VEHICLES: usize = 500;
/// Vehicles fetched at the same time: few, so the live poller and the alarm watcher keep
/// getting answers while a long history loads.
const VEHICLES_AT_ONCE: usize = 2;

/// One alarm of one vehicle, with what the table shows besides the provider's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmRow {
    /// Stable identity (vehicle, type, times, place, geofence id): the same alarm always gets it.
    pub id: String,
    /// The vehicle.
    pub imei: String,
    /// The alarm as the provider reported it.
    pub alarm: Alarm,
    /// The alarm type in words, e.g. "Left geofence".
    pub words: String,
    /// For geofence alarms: the name of this app's geofence it most likely came from.
    pub geofence_name: Option<String>,
}

/// A vehicle whose alarms could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VehicleFailure {
    /// The vehicle.
    pub imei: String,
    /// Why, in plain words.
    pub message: String,
}

/// The alarms of the asked vehicles and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmQueryResult {
    /// Newest first.
    pub rows: Vec<AlarmRow>,
    /// Vehicles that failed (the others are still shown).
    pub failures: Vec<VehicleFailure>,
}

/// How far an alarm query has come ("alarms-progress" event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmProgress {
    /// Vehicles finished (fetched or failed).
    pub vehicles_done: u32,
    /// Vehicles asked for.
    pub vehicles_total: u32,
    /// Alarms found so far.
    pub records: u32,
}

impl Event for AlarmProgress {
    const NAME: &'static str = "alarms-progress";
}

/// An alarm type for pickers and filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmTypeInfo {
    /// The spec's number.
    pub code: i64,
    /// The spec's name, e.g. `geoFenceOutAlarm`.
    pub name: String,
    /// In words, e.g. "Left geofence".
    pub words: String,
}

/// Every alarm type of the spec, in its order.
pub fn alarm_types() -> Vec<AlarmTypeInfo> {
    AlarmType::ALL
        .iter()
        .map(|t| AlarmTypeInfo {
            code: t.code(),
            name: t.name().to_owned(),
            words: t.words().to_owned(),
        })
        .collect()
}

/// The identity of an alarm: everything the provider says about it. Two records with the same
/// identity are the same alarm (a page boundary, an overlapping poll).
pub fn alarm_id(imei: &str, a: &Alarm) -> String {
    format!(
        "{imei}:{}:{}:{}:{:.6}:{:.6}:{}",
        a.alarm_type.code(),
        a.gpstime,
        a.systemtime,
        a.latitude,
        a.longitude,
        a.geofence_id.trim()
    )
}

/// Whether the alarm is a geofence entry or exit.
pub fn is_geofence_alarm(a: &Alarm) -> bool {
    matches!(a.alarm_type, AlarmType::GeofenceIn | AlarmType::GeofenceOut)
}

/// A row for the table.
pub fn row(imei: &str, alarm: Alarm, geofences: Option<(&GeofenceStore, &Owner)>) -> AlarmRow {
    let geofence_name = match geofences {
        Some((store, owner)) if is_geofence_alarm(&alarm) => {
            store.name_near_edge(owner, imei, alarm.latitude, alarm.longitude)
        }
        _ => None,
    };
    AlarmRow {
        id: alarm_id(imei, &alarm),
        imei: imei.to_owned(),
        words: alarm.alarm_type.words().to_owned(),
        alarm,
        geofence_name,
    }
}

/// Checks a query before anything is sent.
pub fn check_query(
    imeis: &[String],
    begin: i64,
    end: i64,
) -> Result<(Vec<Imei>, TimeRange), AppError> {
    let range = TimeRange::new(begin, end)?;
    if range.secs() > MAX_QUERY_DAYS * 86_400 {
        return Err(AppError::invalid(format!(
            "Choose a period of at most {MAX_QUERY_DAYS} days."
        )));
    }
    let mut out: Vec<Imei> = Vec::new();
    for raw in imeis {
        let i = Imei::parse(raw)?;
        if !out.contains(&i) {
            out.push(i);
        }
    }
    if out.is_empty() {
        return Err(AppError::invalid("Choose at least one vehicle."));
    }
    if out.len() > MAX_QUERY_VEHICLES {
        return Err(AppError::invalid(format!(
            "Choose at most {MAX_QUERY_VEHICLES} vehicles."
        )));
    }
    Ok((out, range))
}

/// The alarms of `imeis` in `[begin, end]`, newest first. A vehicle that fails is listed in
/// `failures` and the others are still returned; cancelling ends the query with
/// [`crate::error::ErrorKind::Cancelled`].
pub async fn query(
    client: &Client,
    imeis: &[String],
    begin: i64,
    end: i64,
    cancel: CancellationToken,
    geofences: Option<(Arc<GeofenceStore>, Owner)>,
    progress: Arc<dyn Fn(AlarmProgress) + Send + Sync>,
) -> Result<AlarmQueryResult, AppError> {
    let (imeis, range) = check_query(imeis, begin, end)?;
    let total = u32::try_from(imeis.len()).unwrap_or(u32::MAX);
    let permits = Arc::new(tokio::sync::Semaphore::new(VEHICLES_AT_ONCE));
    let mut tasks = tokio::task::JoinSet::new();
    for imei in imeis {
        let client = client.clone();
        let cancel = cancel.clone();
        let permits = permits.clone();
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let opts = FetchOptions {
                concurrency: 2,
                cancel,
                ..FetchOptions::default()
            };
            let r = client.alarms_with(&imei, range, &opts, &|_| {}).await;
            (imei, r)
        });
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    let mut done = 0u32;
    while let Some(joined) = tasks.join_next().await {
        let (imei, result) = joined.map_err(|e| AppError::internal(e.to_string()))?;
        match result {
            Ok(list) => {
                let g = geofences.as_ref().map(|(s, o)| (s.as_ref(), o));
                rows.extend(list.into_iter().map(|a| row(imei.as_str(), a, g)));
            }
            Err(etrack::Error::Cancelled) => {
                tasks.abort_all();
                return Err(etrack::Error::Cancelled.into());
            }
            Err(e) => failures.push(VehicleFailure {
                imei: imei.as_str().to_owned(),
                message: AppError::from(e).to_string(),
            }),
        }
        done += 1;
        progress(AlarmProgress {
            vehicles_done: done,
            vehicles_total: total,
            records: u32::try_from(rows.len()).unwrap_or(u32::MAX),
        });
    }
    if cancel.is_cancelled() {
        return Err(etrack::Error::Cancelled.into());
    }
    rows.sort_by(|a, b| {
        (b.alarm.systemtime, b.alarm.gpstime, &b.imei).cmp(&(
            a.alarm.systemtime,
            a.alarm.gpstime,
            &a.imei,
        ))
    });
    failures.sort_by(|a, b| a.imei.cmp(&b.imei));
    Ok(AlarmQueryResult { rows, failures })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alarm(code: i64, systemtime: i64) -> Alarm {
        Alarm {
            alarm_type: AlarmType::from_code(code),
            longitude: 113.9,
            latitude: 22.5,
            gpstime: systemtime - 3,
            systemtime,
            speed: 40.0,
            course: 90.0,
            geofence_id: "3".into(),
        }
    }

    #[test]
    fn the_same_alarm_always_gets_the_same_id_and_different_ones_differ() {
        let a = alarm(6, 1000);
        assert_eq!(alarm_id("1", &a), alarm_id("1", &a.clone()));
        assert_ne!(alarm_id("1", &a), alarm_id("2", &a));
        assert_ne!(alarm_id("1", &a), alarm_id("1", &alarm(5, 1000)));
        assert_ne!(alarm_id("1", &a), alarm_id("1", &alarm(6, 1001)));
    }

    #[test]
    fn rows_carry_words_for_people() {
        let r = row("358899051025339", alarm(6, 10), None);
        assert_eq!(r.words, "Left geofence");
        assert_eq!(r.geofence_name, None);
        assert_eq!(alarm_types().len(), 27);
        assert_eq!(alarm_types()[0].words, "SOS");
    }

    #[test]
    fn queries_are_checked_before_anything_is_sent() {
        let one = vec!["358899051025339".to_owned()];
        assert!(check_query(&one, 10, 10).is_err());
        assert!(check_query(&one, 0, (MAX_QUERY_DAYS + 1) * 86_400)
            .expect_err("too long")
            .to_string()
            .contains("92 days"));
        assert!(check_query(&[], 0, 10)
            .expect_err("none")
            .to_string()
            .contains("vehicle"));
        let (imeis, _) = check_query(&[one[0].clone(), one[0].clone()], 0, 10).expect("ok");
        assert_eq!(imeis.len(), 1);
    }
}
