//! Putting fetched records in the order scripts rely on.
//!
//! The client already drops the repeats at page boundaries, but providers also send exact repeats
//! inside a page (the spec's own playback example has four identical rows). Exports promise
//! ascending rows with no repeats, so the CLI enforces that itself.

use etrack::{Alarm, Imei, Mileage, PlaybackPoint};

/// Ascending by GPS time (stable), every exact repeat dropped.
pub fn playback(points: Vec<PlaybackPoint>) -> Vec<PlaybackPoint> {
    etrack::export::playback_in_order(points)
}

/// Ascending by system time (stable), every exact repeat dropped.
pub fn alarms(alarms: Vec<Alarm>) -> Vec<Alarm> {
    etrack::export::in_order(alarms, |a| a.systemtime)
}

/// Mileage rows in the order the IMEIs were asked for, kilometres rounded to metres (summing
/// 7-day windows leaves float noise like `338.21000000000004`).
pub fn mileage(mut rows: Vec<Mileage>, asked: &[Imei]) -> Vec<Mileage> {
    let position = |imei: &str| {
        asked
            .iter()
            .position(|a| a.as_str() == imei)
            .unwrap_or(usize::MAX)
    };
    rows.sort_by_key(|m| position(&m.imei));
    for m in &mut rows {
        m.mileage = m.mileage.map(round_km);
    }
    rows
}

/// Kilometres rounded to three decimals (one metre).
pub fn round_km(km: f64) -> f64 {
    let r = (km * 1000.0).round() / 1000.0;
    // Avoid printing "-0".
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use etrack::AlarmType;

    fn pt(gpstime: i64, lon: f64) -> PlaybackPoint {
        PlaybackPoint {
            longitude: lon,
            latitude: 22.5,
            gpstime,
            speed: 0.0,
            course: 0.0,
        }
    }

    #[test]
    fn playback_is_sorted_and_exact_repeats_are_dropped() {
        // The spec's example repeats one row four times; a page boundary repeats another.
        let input = vec![
            pt(30, 1.0),
            pt(10, 1.0),
            pt(20, 1.0),
            pt(20, 1.0),
            pt(20, 2.0),
            pt(20, 1.0),
            pt(30, 1.0),
        ];
        let out = playback(input);
        let keys: Vec<_> = out.iter().map(|p| (p.gpstime, p.longitude)).collect();
        assert_eq!(keys, [(10, 1.0), (20, 1.0), (20, 2.0), (30, 1.0)]);
    }

    #[test]
    fn alarms_are_sorted_by_system_time() {
        let a = |sys: i64, t: i64| Alarm {
            alarm_type: AlarmType::from_code(t),
            longitude: 113.9,
            latitude: 22.5,
            gpstime: sys - 5,
            systemtime: sys,
            speed: 0.0,
            course: 0.0,
            geofence_id: "0".into(),
        };
        let out = alarms(vec![a(300, 7), a(100, 9), a(300, 7), a(200, 10)]);
        let keys: Vec<_> = out.iter().map(|x| x.systemtime).collect();
        assert_eq!(keys, [100, 200, 300]);
    }

    #[test]
    fn mileage_follows_the_asked_order_and_is_rounded() {
        let imeis: Vec<Imei> = ["358899051025339", "355139000000234"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let rows = vec![
            Mileage {
                imei: "355139000000234".into(),
                mileage: Some(338.210_000_000_000_04),
            },
            Mileage {
                imei: "358899051025339".into(),
                mileage: Some(1.0004),
            },
        ];
        let out = mileage(rows, &imeis);
        assert_eq!(out[0].imei, "358899051025339");
        assert_eq!(out[0].mileage, Some(1.0));
        assert_eq!(out[1].mileage, Some(338.21));
    }
}
