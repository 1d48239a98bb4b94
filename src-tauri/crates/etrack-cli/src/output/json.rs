//! JSON output. Objects use the spec's field names, so a script can read the CLI's output the
//! same way it would read the provider's `record`.

use etrack::{Alarm, Mileage};
use serde::Serialize;

/// Pretty JSON with a final newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

/// An alarm as exported: the spec's fields plus the alarm's name.
#[derive(Debug, Serialize)]
pub struct AlarmRow<'a> {
    /// The spec's type number.
    #[serde(rename = "type")]
    pub alarm_type: i64,
    /// The spec's name, e.g. `speedingAlarm`.
    pub name: &'static str,
    /// Degrees east.
    pub longitude: f64,
    /// Degrees north.
    pub latitude: f64,
    /// Time of the fix.
    pub gpstime: i64,
    /// When the provider received it.
    pub systemtime: i64,
    /// km/h (a fraction as the provider sent it).
    #[serde(serialize_with = "etrack::lenient::whole_as_int")]
    pub speed: f64,
    /// Heading.
    #[serde(serialize_with = "etrack::lenient::whole_as_int")]
    pub course: f64,
    /// The geofence that raised it.
    pub geofence_id: &'a str,
}

impl<'a> From<&'a Alarm> for AlarmRow<'a> {
    fn from(a: &'a Alarm) -> Self {
        AlarmRow {
            alarm_type: a.alarm_type.code(),
            name: a.alarm_type.name(),
            longitude: a.longitude,
            latitude: a.latitude,
            gpstime: a.gpstime,
            systemtime: a.systemtime,
            speed: a.speed,
            course: a.course,
            geofence_id: &a.geofence_id,
        }
    }
}

/// Alarms as a JSON array.
pub fn alarms(alarms: &[Alarm]) -> Result<String, serde_json::Error> {
    let rows: Vec<AlarmRow<'_>> = alarms.iter().map(AlarmRow::from).collect();
    to_json(&rows)
}

/// Mileage as a JSON array of `{imei, mileage}` (kilometres), as in spec 2.14.
pub fn mileage(rows: &[Mileage]) -> Result<String, serde_json::Error> {
    to_json(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use etrack::{AlarmType, Device, PlaybackPoint, Track, UserInfo};
    use serde_json::Value;

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn track_json_carries_every_field_of_spec_2_2() {
        // The spec's response demo, decoded by the client and written back by the CLI.
        let t: Track = serde_json::from_str(
            r#"{"imei":"358899051025339","course":195,"systemtime":1419905754,
            "gpstime":1419906052,"speed":0,"hearttime":1419906952,"servertime":1420964313,
            "longitude":113.909813,"latitude":22.583197,"acctime":1400,"accstatus":1,
            "doorstatus":0,"chargestatus":0,"oilpowerstatus":1,"defencestatus":0,
            "datastatus":2,"battery":100,"mileage":51654}"#,
        )
        .unwrap();
        let v: Value = serde_json::from_str(&to_json(&[t]).unwrap()).unwrap();
        let obj = &v[0];
        assert_eq!(
            keys(obj),
            sorted(&[
                "imei",
                "servertime",
                "gpstime",
                "hearttime",
                "systemtime",
                "longitude",
                "latitude",
                "course",
                "speed",
                "acctime",
                "accstatus",
                "doorstatus",
                "chargestatus",
                "oilpowerstatus",
                "defencestatus",
                "datastatus",
                "battery",
                "mileage"
            ])
        );
        assert_eq!(obj["imei"], "358899051025339");
        assert_eq!(obj["longitude"], 113.909813);
        assert_eq!(obj["mileage"], 51654);
        // A provider's fraction is printed as sent, not cut to metres.
        let mut t2: Track = serde_json::from_str(r#"{"imei":"1","mileage":19346.84}"#).unwrap();
        let v: Value = serde_json::from_str(&to_json(&[t2.clone()]).unwrap()).unwrap();
        assert_eq!(v[0]["mileage"], 19346.84);
        t2.mileage = -1.0;
        let v: Value = serde_json::from_str(&to_json(&[t2]).unwrap()).unwrap();
        assert_eq!(v[0]["mileage"], -1);
    }

    #[test]
    fn devices_and_users_use_the_spec_names() {
        let d = Device {
            imei: "512345678901234".into(),
            devicename: "VT05S-01234".into(),
            devicetype: "VT05S".into(),
            platenumber: "TheOne".into(),
            onlinetime: 0,
            platformduetime: 0,
            simcard: "7557862586".into(),
            activatedtime: 0,
            userduetime: 0,
        };
        let v: Value = serde_json::from_str(&to_json(&[d]).unwrap()).unwrap();
        assert_eq!(
            keys(&v[0]),
            sorted(&[
                "imei",
                "devicename",
                "devicetype",
                "platenumber",
                "onlinetime",
                "platformduetime",
                "simcard",
                "activatedtime",
                "userduetime"
            ])
        );
        let u = UserInfo {
            account: "demo".into(),
            username: "openapidemo".into(),
            email: "openapidemo@gmail.com".into(),
            mobile: String::new(),
            telephone: String::new(),
            createtime: 1562570435,
            roletype: 1,
            blockstatus: 1,
        };
        let v: Value = serde_json::from_str(&to_json(&u).unwrap()).unwrap();
        assert_eq!(
            keys(&v),
            sorted(&[
                "account",
                "username",
                "email",
                "mobile",
                "telephone",
                "createtime",
                "roletype",
                "blockstatus"
            ])
        );
    }

    #[test]
    fn alarms_json_has_type_number_and_name() {
        let a = Alarm {
            alarm_type: AlarmType::from_code(7),
            longitude: 113.9,
            latitude: 22.5,
            gpstime: 10,
            systemtime: 12,
            speed: 90.0,
            course: 45.0,
            geofence_id: "0".into(),
        };
        let v: Value = serde_json::from_str(&alarms(&[a]).unwrap()).unwrap();
        assert_eq!(v[0]["type"], 7);
        assert_eq!(v[0]["name"], "speedingAlarm");
        assert_eq!(v[0]["systemtime"], 12);
        assert_eq!(v[0]["geofence_id"], "0");
    }

    #[test]
    fn playback_and_mileage_json() {
        let p = PlaybackPoint {
            longitude: 113.9,
            latitude: 22.5,
            gpstime: 10,
            speed: 3.0,
            course: 4.0,
        };
        let v: Value = serde_json::from_str(&to_json(&[p]).unwrap()).unwrap();
        assert_eq!(
            keys(&v[0]),
            sorted(&["longitude", "latitude", "gpstime", "speed", "course"])
        );
        let m = Mileage {
            imei: "351000091413001".into(),
            mileage: Some(338.21),
        };
        let v: Value = serde_json::from_str(&mileage(&[m]).unwrap()).unwrap();
        assert_eq!(
            v,
            serde_json::json!([{"imei": "351000091413001", "mileage": 338.21}])
        );
    }

    #[test]
    fn empty_results_are_empty_arrays() {
        assert_eq!(alarms(&[]).unwrap(), "[]\n");
        assert_eq!(to_json::<[Track]>(&[]).unwrap(), "[]\n");
    }
}
