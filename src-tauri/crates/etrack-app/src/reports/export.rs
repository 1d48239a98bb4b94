//! A report as a file: CSV (ISO 8601 times with the zone's offset, dot decimals, durations as
//! `h:mm:ss`) or an Excel workbook (one sheet named for the kind, a frozen header row, real
//! dates in the report's zone, numbers with number formats, column widths).

use super::table::{self, Cell, ColumnType};
use super::zone::Zone;
use super::{ReportResult, ReportValues};
use crate::datum;
use crate::error::AppError;
use crate::settings::Datum;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A report file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ReportFormat {
    /// An Excel workbook.
    Xlsx,
    /// Comma-separated values, UTF-8.
    Csv,
}

impl ReportFormat {
    /// The file type's label in a Save dialog.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "Excel workbook",
            ReportFormat::Csv => "CSV",
        }
    }

    /// The extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Csv => "csv",
        }
    }
}

/// Seconds between Excel's day 0 (1899-12-30) and 1970-01-01.
const EXCEL_UNIX_DAYS: f64 = 25_569.0;

/// Unix time `t` as an Excel date serial: the wall-clock time in `zone`.
pub(crate) fn excel_date(zone: &Zone, t: i64) -> f64 {
    zone.wall_secs(t) as f64 / 86_400.0 + EXCEL_UNIX_DAYS
}

/// The bold, centred format of a header row.
pub(crate) fn header_format() -> Format {
    Format::new().set_bold().set_align(FormatAlign::Center)
}

/// Each row's addresses, one per address column of its kind ([`table::address_columns`]).
pub type Addresses = [Vec<Option<String>>];

/// The result with its positions (each row's place, a trip's end) in WGS-84, as files have
/// them: the rows are computed from the provider's points, in `provider_datum`.
pub fn in_wgs84(result: &ReportResult, provider_datum: Datum) -> ReportResult {
    let mut out = result.clone();
    if provider_datum == Datum::Wgs84 {
        return out;
    }
    for row in &mut out.rows {
        if let (Some(lat), Some(lon)) = (row.lat, row.lon) {
            let (lat, lon) = datum::to_wgs84(provider_datum, lat, lon);
            (row.lat, row.lon) = (Some(lat), Some(lon));
        }
        if let ReportValues::Trip {
            end_lat, end_lon, ..
        } = &mut row.values
        {
            (*end_lat, *end_lon) = datum::to_wgs84(provider_datum, *end_lat, *end_lon);
        }
    }
    out
}

/// The column names to write: the UI's (one per column), else English. With `addresses`, the
/// address columns follow; names for them not given are English.
pub fn headers(
    result: &ReportResult,
    given: &[String],
    addresses: bool,
) -> Result<Vec<String>, AppError> {
    let columns = table::columns(result.kind);
    let extra: Vec<String> = if addresses {
        table::address_columns(result.kind)
            .iter()
            .map(|n| (*n).to_owned())
            .collect()
    } else {
        Vec::new()
    };
    if given.is_empty() {
        let mut names = table::english(result.kind);
        names.extend(extra);
        return Ok(names);
    }
    if given.len() == columns.len() {
        let mut names = given.to_vec();
        names.extend(extra);
        return Ok(names);
    }
    if given.len() != columns.len() + extra.len() {
        return Err(AppError::invalid(format!(
            "This report has {} columns, {} names were given.",
            columns.len() + extra.len(),
            given.len()
        )));
    }
    Ok(given.to_vec())
}

/// Row `k`'s address cells (none without addresses).
fn address_texts(addresses: Option<&Addresses>, kind_cols: usize, k: usize) -> Vec<String> {
    let Some(all) = addresses else {
        return Vec::new();
    };
    let row = all.get(k);
    (0..kind_cols)
        .map(|c| {
            row.and_then(|r| r.get(c))
                .cloned()
                .flatten()
                .unwrap_or_default()
        })
        .collect()
}

/// The report as CSV text (RFC 4180 quoting, CRLF-free `\n` lines, a header line).
pub fn csv(
    result: &ReportResult,
    zone: &Zone,
    headers: &[String],
    addresses: Option<&Addresses>,
) -> String {
    let mut out = String::new();
    line(&mut out, headers.iter().map(String::as_str));
    for row in texts(result, zone, addresses) {
        line(&mut out, row.iter().map(String::as_str));
    }
    out
}

fn line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (k, f) in fields.enumerate() {
        if k > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// The cells of each row as CSV writes them (for a text table too).
pub fn texts(
    result: &ReportResult,
    zone: &Zone,
    addresses: Option<&Addresses>,
) -> Vec<Vec<String>> {
    let types: Vec<ColumnType> = table::columns(result.kind).iter().map(|c| c.1).collect();
    let address_cols = table::address_columns(result.kind).len();
    result
        .rows
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let mut cells: Vec<String> = table::cells(row)
                .iter()
                .zip(&types)
                .map(|(cell, ty)| csv_text(cell, *ty, zone))
                .collect();
            cells.extend(address_texts(addresses, address_cols, k));
            cells
        })
        .collect()
}

fn csv_text(cell: &Cell, ty: ColumnType, zone: &Zone) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) => s.clone(),
        Cell::Time(t) if ty == ColumnType::Date => zone.date(*t),
        Cell::Time(t) => zone.iso(*t),
        Cell::Secs(s) => table::hms(*s),
        Cell::Bool(b) => b.to_string(),
        Cell::Number(x) => match ty {
            ColumnType::Km => format!("{x:.2}"),
            ColumnType::Kmh => format!("{x:.1}"),
            ColumnType::Degrees => format!("{x:.6}"),
            _ => format!("{x}"),
        },
    }
}

/// The report as an Excel workbook.
pub fn xlsx(
    result: &ReportResult,
    zone: &Zone,
    headers: &[String],
    addresses: Option<&Addresses>,
) -> Result<Vec<u8>, AppError> {
    build_xlsx(result, zone, headers, addresses)
        .map_err(|e| AppError::internal(format!("The workbook could not be made: {e}")))
}

/// The Excel number format of a column type.
pub(crate) fn number_format(ty: ColumnType) -> Format {
    let f = Format::new();
    match ty {
        ColumnType::Text | ColumnType::Bool => f,
        ColumnType::DateTime => f.set_num_format("yyyy-mm-dd hh:mm:ss"),
        ColumnType::Date => f.set_num_format("yyyy-mm-dd"),
        ColumnType::Duration => f.set_num_format("[h]:mm:ss"),
        ColumnType::Km => f.set_num_format("0.00"),
        ColumnType::Kmh => f.set_num_format("0.0"),
        ColumnType::Degrees => f.set_num_format("0.000000"),
        ColumnType::Count => f.set_num_format("0"),
    }
}

/// A column's base width in characters.
pub(crate) fn width(ty: ColumnType) -> usize {
    match ty {
        ColumnType::Text => 10,
        ColumnType::DateTime => 19,
        ColumnType::Date => 11,
        ColumnType::Duration => 10,
        ColumnType::Km | ColumnType::Kmh | ColumnType::Count => 8,
        ColumnType::Degrees => 11,
        ColumnType::Bool => 6,
    }
}

fn build_xlsx(
    result: &ReportResult,
    zone: &Zone,
    headers: &[String],
    addresses: Option<&Addresses>,
) -> Result<Vec<u8>, XlsxError> {
    let address_cols = if addresses.is_some() {
        table::address_columns(result.kind).len()
    } else {
        0
    };
    let columns: Vec<(&str, ColumnType)> = table::columns(result.kind)
        .iter()
        .copied()
        .chain(std::iter::repeat_n(("", ColumnType::Text), address_cols))
        .collect();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(table::sheet_name(result.kind))?;
    let bold = header_format();
    let formats: Vec<Format> = columns.iter().map(|c| number_format(c.1)).collect();
    let mut widths: Vec<usize> = columns.iter().map(|c| width(c.1)).collect();
    for (k, h) in headers.iter().enumerate() {
        let col = u16::try_from(k).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, h, &bold)?;
        if let Some(w) = widths.get_mut(k) {
            *w = (*w).max(h.chars().count());
        }
    }
    for (r, row) in result.rows.iter().enumerate() {
        let at = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (k, cell) in table::cells(row).iter().enumerate() {
            let col = u16::try_from(k).unwrap_or(u16::MAX);
            let fmt = &formats[k];
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    widths[k] = widths[k].max(s.chars().count().min(40));
                    sheet.write_string(at, col, s)?;
                }
                Cell::Time(t) => {
                    sheet.write_number_with_format(at, col, excel_date(zone, *t), fmt)?;
                }
                Cell::Secs(s) => {
                    sheet.write_number_with_format(at, col, *s as f64 / 86_400.0, fmt)?;
                }
                Cell::Number(x) => {
                    sheet.write_number_with_format(at, col, *x, fmt)?;
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(at, col, *b)?;
                }
            }
        }
        let first = columns.len() - address_cols;
        for (c, text) in address_texts(addresses, address_cols, r).iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let k = first + c;
            let col = u16::try_from(k).unwrap_or(u16::MAX);
            widths[k] = widths[k].max(text.chars().count().min(60));
            sheet.write_string(at, col, text)?;
        }
    }
    for (k, w) in widths.iter().enumerate() {
        let col = u16::try_from(k).unwrap_or(u16::MAX);
        sheet.set_column_width(col, (*w + 2) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !result.rows.is_empty() {
        let last_row = u32::try_from(result.rows.len()).unwrap_or(u32::MAX);
        let last_col = u16::try_from(columns.len().saturating_sub(1)).unwrap_or(0);
        sheet.autofilter(0, 0, last_row, last_col)?;
    }
    book.save_to_buffer()
}

/// A file name for the report: `etrack-trips-2024-05-01-to-2024-05-07.xlsx` (dates in the
/// report's zone).
pub fn file_name(
    result: &ReportResult,
    zone: &Zone,
    begin: i64,
    end: i64,
    format: ReportFormat,
) -> String {
    format!(
        "etrack-{}-{}-to-{}.{}",
        result.kind.id(),
        zone.date(begin),
        zone.date(end),
        format.extension()
    )
}

/// Writes an export where the user chose; the path as shown.
pub async fn write_file(path: std::path::PathBuf, bytes: Vec<u8>) -> Result<String, AppError> {
    let shown = path.display().to_string();
    let write = tokio::task::spawn_blocking(move || {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)
    });
    match write.await {
        Ok(Ok(())) => Ok(shown),
        Ok(Err(source)) => Err(AppError::Storage {
            action: "write",
            path: std::path::PathBuf::from(shown),
            source,
        }),
        Err(e) => Err(AppError::internal(format!("the export failed: {e}"))),
    }
}
