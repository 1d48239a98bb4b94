//! The mileage report: kilometres per vehicle over a period.
//!
//! The provider counts mileage only between times on :00 or :30 and at most 7 days a request; the
//! period is snapped outwards to :00/:30 here (the report says which times it used) and
//! `etrack::Client::mileage` splits it into 7-day windows and sums them.

use crate::error::AppError;
use crate::jobs::LatestJob;
use crate::reports::export::{excel_date, header_format, number_format, width};
use crate::reports::table::ColumnType;
use crate::reports::zone::Zone;
use etrack::{Client, Imei, TimeRange};
use rust_xlsxwriter::{Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
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

/// The mileage service: the report in flight and the last one made (for its export).
#[derive(Debug, Default)]
pub struct MileageDesk {
    job: LatestJob,
    last: Mutex<Option<MileageReport>>,
}

impl MileageDesk {
    /// No report yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The report in flight: a new one cancels it.
    pub fn job(&self) -> &LatestJob {
        &self.job
    }

    /// Keeps `report` as the last one.
    pub fn keep(&self, report: MileageReport) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = Some(report);
    }

    /// The last report made, if any.
    pub fn last(&self) -> Option<MileageReport> {
        self.last.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Forgets the last report (sign-out).
    pub fn clear(&self) {
        *self.last.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

/// The columns of the file: vehicle, plate, IMEI, km, period begin, period end.
const COLUMNS: [(&str, ColumnType); 6] = [
    ("Vehicle", ColumnType::Text),
    ("Plate", ColumnType::Text),
    ("IMEI", ColumnType::Text),
    ("Distance (km)", ColumnType::Km),
    ("Begins", ColumnType::DateTime),
    ("Ends", ColumnType::DateTime),
];

/// The column names to write and the total row's label: the UI's six column names, optionally
/// followed by the total's label, else English.
pub fn headers(given: &[String]) -> Result<(Vec<String>, String), AppError> {
    match given.len() {
        0 => Ok((
            COLUMNS.iter().map(|c| c.0.to_owned()).collect(),
            "Total".to_owned(),
        )),
        6 => Ok((given.to_vec(), "Total".to_owned())),
        7 => Ok((given[..6].to_vec(), given[6].clone())),
        n => Err(AppError::invalid(format!(
            "The mileage report has 6 columns, {n} names were given."
        ))),
    }
}

/// The report as an Excel workbook: one sheet "Mileage", a frozen bold header, a row per
/// vehicle (name and plate from `vehicles`, by IMEI), then the total; the period as dates in
/// `zone`. A vehicle without data has an empty km cell (not 0).
pub fn xlsx(
    report: &MileageReport,
    vehicles: &HashMap<String, (String, String)>,
    zone: &Zone,
    headers: &[String],
    total: &str,
) -> Result<Vec<u8>, AppError> {
    build_xlsx(report, vehicles, zone, headers, total)
        .map_err(|e| AppError::internal(format!("The workbook could not be made: {e}")))
}

fn build_xlsx(
    report: &MileageReport,
    vehicles: &HashMap<String, (String, String)>,
    zone: &Zone,
    headers: &[String],
    total: &str,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Mileage")?;
    let bold = header_format();
    let km = number_format(ColumnType::Km);
    let date = number_format(ColumnType::DateTime);
    let mut widths: Vec<usize> = COLUMNS.iter().map(|c| width(c.1)).collect();
    for (k, h) in headers.iter().take(COLUMNS.len()).enumerate() {
        sheet.write_string_with_format(0, k as u16, h, &bold)?;
        widths[k] = widths[k].max(h.chars().count());
    }
    let (begin, end) = (excel_date(zone, report.begin), excel_date(zone, report.end));
    let none = (String::new(), String::new());
    let mut at = 0u32;
    for row in &report.rows {
        at += 1;
        let (name, plate) = vehicles.get(&row.imei).unwrap_or(&none);
        for (k, text) in [name, plate, &row.imei].into_iter().enumerate() {
            widths[k] = widths[k].max(text.chars().count().min(40));
            sheet.write_string(at, k as u16, text)?;
        }
        if let Some(x) = row.km {
            sheet.write_number_with_format(at, 3, x, &km)?;
        }
        sheet.write_number_with_format(at, 4, begin, &date)?;
        sheet.write_number_with_format(at, 5, end, &date)?;
    }
    at += 1;
    sheet.write_string_with_format(at, 0, total, &bold)?;
    sheet.write_number_with_format(at, 3, report.total_km, &km)?;
    sheet.write_number_with_format(at, 4, begin, &date)?;
    sheet.write_number_with_format(at, 5, end, &date)?;
    for (k, w) in widths.iter().enumerate() {
        sheet.set_column_width(k as u16, (*w + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// A file name for the report: `etrack-mileage-2024-05-01-to-2024-05-07.xlsx` (dates in
/// `zone`).
pub fn xlsx_file_name(zone: &Zone, begin: i64, end: i64) -> String {
    format!(
        "etrack-mileage-{}-to-{}.xlsx",
        zone.date(begin),
        zone.date(end)
    )
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

    #[test]
    fn the_workbook_reads_back_with_text_imeis_numbers_and_dates() {
        use calamine::{Data, Reader, Xlsx};
        // 2024-05-01 00:00 .. 2024-05-08 00:00 in Shanghai.
        let report = MileageReport {
            requested_begin: 1_714_492_800,
            requested_end: 1_715_097_600,
            begin: 1_714_492_800,
            end: 1_715_097_600,
            windows: 1,
            rows: vec![
                MileageRow {
                    imei: "868120123456789".into(),
                    km: Some(1234.56),
                },
                MileageRow {
                    imei: "868120123456790".into(),
                    km: None,
                },
            ],
            total_km: 1234.56,
            without_data: 1,
        };
        let vehicles = HashMap::from([(
            "868120123456789".to_owned(),
            ("Truck 1".to_owned(), "粤B12345".to_owned()),
        )]);
        let zone = Zone::parse("Asia/Shanghai").unwrap();
        let given: Vec<String> = ["车辆", "车牌", "IMEI", "里程 (km)", "开始", "结束", "合计"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let (headers, total) = super::headers(&given).unwrap();
        assert!(super::headers(&given[..3]).is_err());
        let bytes = xlsx(&report, &vehicles, &zone, &headers, &total).unwrap();
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Mileage"]);
        let sheet = book.worksheet_range("Mileage").unwrap();
        assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("车辆".into())));
        assert_eq!(sheet.get_value((0, 5)), Some(&Data::String("结束".into())));
        assert_eq!(
            sheet.get_value((1, 1)),
            Some(&Data::String("粤B12345".into()))
        );
        assert_eq!(
            sheet.get_value((1, 2)),
            Some(&Data::String("868120123456789".into())),
            "the IMEI stays text"
        );
        assert_eq!(sheet.get_value((1, 3)), Some(&Data::Float(1234.56)));
        assert!(
            matches!(sheet.get_value((2, 3)), None | Some(Data::Empty)),
            "no data is an empty cell"
        );
        match sheet.get_value((1, 4)) {
            Some(Data::DateTime(d)) => {
                assert!(d.is_datetime());
                assert!((d.as_f64() - 45_413.0).abs() < 1e-6, "{}", d.as_f64());
            }
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(sheet.get_value((3, 0)), Some(&Data::String("合计".into())));
        assert_eq!(
            xlsx_file_name(&zone, report.begin, report.end),
            "etrack-mileage-2024-05-01-to-2024-05-08.xlsx"
        );
    }
}
