//! Times on the command line and in output.
//!
//! Scripts pass unix seconds; people paste RFC 3339. Output in CSV and JSON stays in unix seconds
//! (the spec's own unit); tables and GPX use UTC text.

use chrono::{DateTime, Utc};

/// Parses unix seconds (`1714550400`) or RFC 3339 (`2024-05-01T08:00:00Z`, `2024-05-01 10:00:00+02:00`).
pub fn parse(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if let Ok(secs) = t.parse::<i64>() {
        return Ok(secs);
    }
    DateTime::parse_from_rfc3339(t)
        .map(|d| d.timestamp())
        .map_err(|_| {
            format!(
                "{s:?} is not a time: give unix seconds (1714550400) or RFC 3339 \
                 (2024-05-01T08:00:00Z)"
            )
        })
}

/// A duration: seconds (`180`), or a number with a unit (`90s`, `3m`, `1h`, `1h30m`).
pub fn parse_duration(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let bad = || format!("{s:?} is not a duration: give seconds (180) or 90s, 3m, 1h30m");
    if let Ok(secs) = t.parse::<u32>() {
        return Ok(secs);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(bad()),
        };
        let n: u64 = number.parse().map_err(|_| bad())?;
        total = total.saturating_add(n.saturating_mul(unit));
        number.clear();
    }
    if !number.is_empty() || t.is_empty() {
        return Err(bad());
    }
    u32::try_from(total).map_err(|_| bad())
}

/// Whether `secs` falls on a full or half hour, as the mileage report requires.
pub fn is_half_hour_aligned(secs: i64) -> bool {
    secs.rem_euclid(1800) == 0
}

/// `2024-05-01T08:00:00Z`, for GPX.
pub fn rfc3339(secs: i64) -> String {
    etrack::export::rfc3339(secs)
}

/// `2024-05-01 08:00:00` (UTC) for tables; `-` for 0, which the provider uses for "never".
pub fn table_time(secs: i64) -> String {
    if secs == 0 {
        return "-".to_owned();
    }
    match DateTime::<Utc>::from_timestamp(secs, 0) {
        Some(d) => d.format("%Y-%m-%d %H:%M:%S").to_string(),
        None => secs.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_pass_through() {
        assert_eq!(parse("1556243443"), Ok(1556243443));
        assert_eq!(parse(" 0 "), Ok(0));
    }

    #[test]
    fn rfc3339_with_zone_or_offset() {
        assert_eq!(parse("2024-05-01T08:00:00Z"), Ok(1714550400));
        assert_eq!(parse("2024-05-01T10:00:00+02:00"), Ok(1714550400));
        assert_eq!(parse("2024-05-01 08:00:00Z"), Ok(1714550400));
        assert_eq!(parse("2024-05-01T08:00:00.9Z"), Ok(1714550400));
    }

    #[test]
    fn garbage_and_zoneless_times_are_refused() {
        assert!(parse("yesterday").is_err());
        assert!(parse("2024-05-01T08:00:00").is_err());
        assert!(parse("").is_err());
        assert!(parse("12.5").is_err());
    }

    #[test]
    fn durations_with_units() {
        assert_eq!(parse_duration("180"), Ok(180));
        assert_eq!(parse_duration("3m"), Ok(180));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert!(parse_duration("3x").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("5m3").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn half_hour_alignment() {
        assert!(is_half_hour_aligned(1714550400));
        assert!(is_half_hour_aligned(1714550400 + 1800));
        assert!(!is_half_hour_aligned(1714550400 + 60));
        assert!(is_half_hour_aligned(0));
    }

    #[test]
    fn formatted_times_are_utc() {
        assert_eq!(rfc3339(1714550400), "2024-05-01T08:00:00Z");
        assert_eq!(table_time(1714550400), "2024-05-01 08:00:00");
        assert_eq!(table_time(0), "-");
    }
}
