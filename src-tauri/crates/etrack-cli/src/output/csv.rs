//! CSV exports of alarms and mileage: a header line, then one line per record; times in unix
//! seconds. Playback CSV is `etrack::export::csv`.

use etrack::{Alarm, Mileage};
use std::fmt::Write;

/// Header of an alarm export.
pub const ALARMS_HEADER: &str =
    "type,name,longitude,latitude,gpstime,systemtime,speed,course,geofence_id";
/// Header of a mileage export.
pub const MILEAGE_HEADER: &str = "imei,mileage_km";

/// Alarms as CSV, in the order given; `name` is the spec's alarm name.
pub fn alarms(alarms: &[Alarm]) -> String {
    let mut out = format!("{ALARMS_HEADER}\n");
    for a in alarms {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{}",
            a.alarm_type.code(),
            a.alarm_type.name(),
            a.longitude,
            a.latitude,
            a.gpstime,
            a.systemtime,
            a.speed,
            a.course,
            field(&a.geofence_id)
        );
    }
    out
}

/// Mileage per device as CSV, kilometres.
pub fn mileage(rows: &[Mileage]) -> String {
    let mut out = format!("{MILEAGE_HEADER}\n");
    for m in rows {
        // No data is an empty cell, not 0.
        let km = m.mileage.map(|v| v.to_string()).unwrap_or_default();
        let _ = writeln!(out, "{},{km}", field(&m.imei));
    }
    out
}

/// One field, quoted where needed and with formulas defused.
pub use etrack::export::csv_field as field;

#[cfg(test)]
mod tests {
    use super::*;
    use etrack::AlarmType;

    #[test]
    fn empty_exports_are_the_header_alone() {
        assert_eq!(
            alarms(&[]),
            "type,name,longitude,latitude,gpstime,systemtime,speed,course,geofence_id\n"
        );
        assert_eq!(mileage(&[]), "imei,mileage_km\n");
    }

    #[test]
    fn alarms_carry_the_spec_name_and_keep_unknown_types() {
        let a = |t: i64, fence: &str| Alarm {
            alarm_type: AlarmType::from_code(t),
            longitude: 113.885888,
            latitude: 22.580592,
            gpstime: 1541575497,
            systemtime: 1541575507,
            speed: 40.0,
            course: 40.0,
            geofence_id: fence.into(),
        };
        let text = alarms(&[a(27, "0"), a(7, "12,3"), a(99, "")]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1],
            "27,doorcloseAlarm,113.885888,22.580592,1541575497,1541575507,40,40,0"
        );
        assert_eq!(
            lines[2],
            "7,speedingAlarm,113.885888,22.580592,1541575497,1541575507,40,40,\"12,3\""
        );
        assert!(lines[3].starts_with("99,unknownAlarm,"), "{}", lines[3]);
        assert!(lines[3].ends_with(",40,40,"), "{}", lines[3]);
    }

    #[test]
    fn mileage_rows() {
        let rows = [
            Mileage {
                imei: "351000091413001".into(),
                mileage: Some(338.21),
            },
            Mileage {
                imei: "351000091413002".into(),
                mileage: None,
            },
        ];
        assert_eq!(
            mileage(&rows),
            "imei,mileage_km\n351000091413001,338.21\n351000091413002,\n",
            "no data is an empty cell, not 0"
        );
    }

    #[test]
    fn fields_are_quoted_only_when_needed_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=1+2"), "'=1+2");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
    }
}
