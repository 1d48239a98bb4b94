//! The report's time zone: `"local"` (the computer's zone) or an IANA name. It says where a
//! day begins (the daily summary) and how the exports write times.
//!
//! The zone database is the system's (on Windows a copy bundled with `jiff`), so a report over a
//! change of daylight saving time splits its days at the real local midnights.

use crate::error::AppError;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The name of the computer's own zone in a [`crate::reports::ReportRequest`].
pub const LOCAL: &str = "local";

/// A time zone a report works in.
#[derive(Debug, Clone)]
pub struct Zone {
    tz: TimeZone,
}

impl Zone {
    /// `"local"` (or an empty name) for the computer's zone, else an IANA name; an unknown name
    /// is refused in words.
    pub fn parse(name: &str) -> Result<Self, AppError> {
        let name = name.trim();
        if name.is_empty() || name.eq_ignore_ascii_case(LOCAL) {
            return Ok(Self {
                tz: TimeZone::try_system().unwrap_or(TimeZone::UTC),
            });
        }
        if name.eq_ignore_ascii_case("utc") {
            return Ok(Self::utc());
        }
        TimeZone::get(name).map(|tz| Self { tz }).map_err(|_| {
            AppError::invalid(format!(
                "Unknown time zone {name:?}: give \"local\" or a name such as Europe/Berlin."
            ))
        })
    }

    /// UTC.
    pub fn utc() -> Self {
        Self { tz: TimeZone::UTC }
    }

    /// Seconds east of UTC at unix time `t` (0 for a time out of range).
    pub fn offset_secs(&self, t: i64) -> i32 {
        Timestamp::from_second(t)
            .map(|ts| self.tz.to_offset(ts).seconds())
            .unwrap_or(0)
    }

    /// The local wall-clock time of `t` as seconds since 1970-01-01 00:00 local: what a
    /// spreadsheet's zone-less date shows.
    pub fn wall_secs(&self, t: i64) -> i64 {
        t + i64::from(self.offset_secs(t))
    }

    /// `t` as ISO 8601 with the zone's offset: `2024-05-01T16:00:00+08:00`.
    pub fn iso(&self, t: i64) -> String {
        let off = self.offset_secs(t);
        let wall = t + i64::from(off);
        let (date, secs) = (wall.div_euclid(86_400), wall.rem_euclid(86_400));
        let sign = if off < 0 { '-' } else { '+' };
        let a = off.unsigned_abs();
        format!(
            "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            civil_date(date),
            secs / 3600,
            secs % 3600 / 60,
            secs % 60,
            a / 3600,
            a % 3600 / 60
        )
    }

    /// The local date of `t`, `YYYY-MM-DD`.
    pub fn date(&self, t: i64) -> String {
        civil_date(self.wall_secs(t).div_euclid(86_400))
    }
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (proleptic Gregorian).
fn civil_date(days: i64) -> String {
    // Howard Hinnant's days_from_civil, inverted.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn iana_zones_give_their_offsets_with_daylight_saving() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        // 2024-01-15 and 2024-07-15, 12:00 UTC.
        assert_eq!(berlin.offset_secs(1_705_320_000), 3600);
        assert_eq!(berlin.offset_secs(1_721_044_800), 7200);
        let shanghai = Zone::parse("Asia/Shanghai").unwrap();
        assert_eq!(shanghai.offset_secs(1_714_550_400), 8 * 3600);
        assert_eq!(shanghai.iso(1_714_550_400), "2024-05-01T16:00:00+08:00");
        assert_eq!(shanghai.date(1_714_550_400 + 8 * 3600), "2024-05-02");
        let ny = Zone::parse("America/New_York").unwrap();
        assert_eq!(ny.iso(1_714_550_400), "2024-05-01T04:00:00-04:00");
    }

    #[test]
    fn local_and_utc_are_zones_and_nonsense_is_refused_in_words() {
        assert!(Zone::parse("local").is_ok());
        assert!(Zone::parse("").is_ok());
        assert_eq!(Zone::parse("UTC").unwrap().offset_secs(0), 0);
        let e = Zone::parse("Mars/Olympus").unwrap_err().to_string();
        assert!(e.contains("Mars/Olympus"), "{e}");
        assert_eq!(Zone::utc().iso(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(civil_date(-1), "1969-12-31");
        assert_eq!(civil_date(19_844), "2024-05-01");
    }
}
