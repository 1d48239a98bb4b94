//! The mileage report: kilometres per vehicle over a period.
//!
//! The provider counts mileage only between times on :00 or :30 and at most 7 days a request; the
//! period is snapped outwards to :00/:30 here (the report says which times it used) and
//! `etrack::Client::mileage` splits it into 7-day windows and sums them.

use crate::error::AppError;
use etrack::{Client, Imei, TimeRange};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// Mileage times fall on multiples of this (:00 and :30).
pub const ALIGN_SECS: i64 = 1_800;
/// The longest period one report may cover.
pub const MAX_REPORT_DAYS: i64 = 366;
/// The longest period one provider request covers.
pub const WINDOW_SECS: i64 = etrack::validate::MAX_MILEAGE_SECS;

/// Kilometres of one vehicle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MileageRow {
    /// The device.
    pub imei: String,
    /// Kilometres in the period, to two decimals; `None` when the provider has no data for the
    /// vehicle (not the same as 0 km).
    pub km: Option<f64>,
}

/// A mileage report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MileageReport {
    /// The begin asked for, unix seconds.
    pub requested_begin: i64,
    /// The end asked for, unix seconds.
    pub requested_end: i64,
    /// The begin used: the asked one, moved back to :00 or :30 (included).
    pub begin: i64,
    /// The end used: the asked one, moved on to :00 or :30 (not included).
    pub end: i64,
    /// How many 7-day windows the period took.
    pub windows: u32,
    /// One row per vehicle asked for, in the order asked.
    pub rows: Vec<MileageRow>,
    /// The sum of the rows with data, km.
    pub total_km: f64,
    /// How many rows have no data.
    pub without_data: u32,
}

/// `t` moved back to the previous :00 or :30 (itself if on one).
pub fn snap_down(t: i64) -> i64 {
    t - t.rem_euclid(ALIGN_SECS)
}

/// `t` moved on to the next :00 or :30 (itself if on one).
pub fn snap_up(t: i64) -> i64 {
    let r = t.rem_euclid(ALIGN_SECS);
    if r == 0 {
        t
    } else {
        t.saturating_add(ALIGN_SECS - r)
    }
}

/// The period used for `begin..end`: snapped outwards so the whole asked period is counted.
pub fn snapped(begin: i64, end: i64) -> Result<TimeRange, AppError> {
    if begin >= end {
        return Err(AppError::invalid("The period must end after it begins."));
    }
    let (b, e) = (snap_down(begin), snap_up(end));
    if e - b > MAX_REPORT_DAYS * 86_400 {
        return Err(AppError::invalid(format!(
            "A report covers at most {MAX_REPORT_DAYS} days."
        )));
    }
    Ok(TimeRange::new(b, e)?)
}

fn two_decimals(km: f64) -> f64 {
    (km * 100.0).round() / 100.0
}

/// Kilometres of each vehicle in `imeis` between `begin` and `end` (snapped to :00/:30).
/// Cancelling `cancel` abandons the report (it only reads).
pub async fn report(
    client: &Client,
    imeis: &[String],
    begin: i64,
    end: i64,
    cancel: &CancellationToken,
) -> Result<MileageReport, AppError> {
    if imeis.is_empty() {
        return Err(AppError::invalid("Choose at least one vehicle."));
    }
    let parsed: Vec<Imei> = imeis
        .iter()
        .map(|i| Imei::parse(i.trim()))
        .collect::<Result<_, _>>()?;
    let range = snapped(begin, end)?;
    let fetched = tokio::select! {
        _ = cancel.cancelled() => return Err(AppError::Cancelled),
        r = client.mileage(&parsed, range) => r?,
    };
    let rows: Vec<MileageRow> = fetched
        .into_iter()
        .map(|m| MileageRow {
            imei: m.imei,
            km: m.mileage.map(two_decimals),
        })
        .collect();
    let total_km = two_decimals(rows.iter().filter_map(|r| r.km).sum());
    let without_data =
        u32::try_from(rows.iter().filter(|r| r.km.is_none()).count()).unwrap_or(u32::MAX);
    let windows = (range.secs() + WINDOW_SECS - 1) / WINDOW_SECS;
    Ok(MileageReport {
        requested_begin: begin,
        requested_end: end,
        begin: range.begin(),
        end: range.end(),
        windows: u32::try_from(windows).unwrap_or(u32::MAX),
        rows,
        total_km,
        without_data,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn periods_snap_outwards_to_half_hours() {
        // 2024-05-01 08:10:05 UTC .. 2024-05-15 18:31:00 UTC
        let (b, e) = (1_714_551_005, 1_715_797_860);
        assert_eq!(snap_down(b), 1_714_550_400, "08:00");
        assert_eq!(snap_up(e), 1_715_799_600, "19:00");
        assert_eq!(snap_down(1_714_550_400), 1_714_550_400, "already on :00");
        assert_eq!(snap_up(1_714_552_200), 1_714_552_200, "already on :30");
        let r = snapped(b, e).expect("valid");
        assert_eq!((r.begin(), r.end()), (1_714_550_400, 1_715_799_600));
    }

    #[test]
    fn bad_periods_are_refused_in_words() {
        assert!(snapped(100, 100)
            .unwrap_err()
            .to_string()
            .contains("end after"));
        let year = 367 * 86_400;
        assert!(snapped(0, year)
            .unwrap_err()
            .to_string()
            .contains("366 days"));
    }
}
