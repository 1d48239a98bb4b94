//! `etrack playback`, `etrack alarms`, `etrack mileage`.

use super::{empty_on_no_data, json_failure, with_session};
use crate::args::{ExportFormat, Global, PlaybackFormat, RangeArgs};
use crate::failure::Failure;
use crate::output::{csv, json};
use crate::records;
use crate::timespec;
use etrack::export;
use etrack::{FetchOptions, Imei, Progress, TimeRange};
use std::io::IsTerminal;

fn range(r: RangeArgs) -> Result<TimeRange, Failure> {
    TimeRange::new(r.from, r.to).map_err(Failure::from)
}

/// Progress on stderr, only for a person watching: scripts capturing stderr get no noise.
fn progress_reporter(what: &'static str) -> Box<dyn Fn(Progress) + Send + Sync> {
    if !std::io::stderr().is_terminal() {
        return Box::new(|_| {});
    }
    Box::new(move |p: Progress| {
        let pct = if p.total_secs > 0 {
            (p.covered_secs.clamp(0, p.total_secs) * 100) / p.total_secs
        } else {
            100
        };
        eprint!(
            "\r{what}: {} records, {} pages, {pct}%   ",
            p.records, p.pages
        );
    })
}

fn end_progress() {
    if std::io::stderr().is_terminal() {
        eprint!("\r\x1b[2K");
    }
}

/// A device's GPS history, ascending, without repeated rows.
pub async fn playback(
    g: &Global,
    imei: &Imei,
    r: RangeArgs,
    format: PlaybackFormat,
) -> Result<String, Failure> {
    let range = range(r)?;
    let report = progress_reporter("playback");
    let points = with_session(g, |c| async move {
        let got = c
            .playback_with(imei, range, &FetchOptions::default(), report.as_ref())
            .await;
        end_progress();
        Ok(empty_on_no_data(got)?)
    })
    .await?;
    let points = records::playback(points);
    match format {
        PlaybackFormat::Csv => Ok(export::csv(&points)),
        PlaybackFormat::Json => json::to_json(&points).map_err(json_failure),
        PlaybackFormat::Gpx => Ok(export::gpx(imei.as_str(), &points)),
    }
}

/// A device's alarms, ascending by system time.
pub async fn alarms(
    g: &Global,
    imei: &Imei,
    r: RangeArgs,
    format: ExportFormat,
) -> Result<String, Failure> {
    let range = range(r)?;
    let report = progress_reporter("alarms");
    let list = with_session(g, |c| async move {
        let got = c
            .alarms_with(imei, range, &FetchOptions::default(), report.as_ref())
            .await;
        end_progress();
        Ok(empty_on_no_data(got)?)
    })
    .await?;
    let list = records::alarms(list);
    match format {
        ExportFormat::Csv => Ok(csv::alarms(&list)),
        ExportFormat::Json => json::alarms(&list).map_err(json_failure),
    }
}

/// Checks what the mileage report requires of the period: begin before end, both on :00 or :30.
pub fn mileage_range(r: RangeArgs) -> Result<TimeRange, Failure> {
    for (name, t) in [("--from", r.from), ("--to", r.to)] {
        if !timespec::is_half_hour_aligned(t) {
            return Err(Failure::usage(format!(
                "{name} {t} ({}) is not on a full or half hour: the mileage report needs times \
                 divisible by 1800",
                timespec::rfc3339(t)
            )));
        }
    }
    range(r)
}

/// Distance per device.
pub async fn mileage(
    g: &Global,
    imeis: &[Imei],
    r: RangeArgs,
    format: ExportFormat,
) -> Result<String, Failure> {
    let range = mileage_range(r)?;
    let rows = with_session(g, |c| async move {
        Ok(empty_on_no_data(c.mileage(imeis, range).await)?)
    })
    .await?;
    let rows = records::mileage(rows, imeis);
    match format {
        ExportFormat::Csv => Ok(csv::mileage(&rows)),
        ExportFormat::Json => json::mileage(&rows).map_err(json_failure),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn mileage_needs_aligned_ordered_times() {
        let ok = RangeArgs {
            from: 1_714_550_400,
            to: 1_714_550_400 + 1800,
        };
        assert!(mileage_range(ok).is_ok());
        let unaligned = RangeArgs {
            from: 1_714_550_400 + 60,
            to: 1_714_550_400 + 1800,
        };
        let f = mileage_range(unaligned).unwrap_err();
        assert_eq!(f.exit_code(), 2);
        assert!(f.to_string().contains("1800"), "{f}");
        let reversed = RangeArgs {
            from: 1_714_550_400 + 1800,
            to: 1_714_550_400,
        };
        assert_eq!(mileage_range(reversed).unwrap_err().exit_code(), 2);
    }
}
