//! The Open API's data, typed. Field names follow the spec, so JSON written from these types reads
//! like the provider's own.
//!
//! Reply types decode leniently (numbers as strings, null or missing fields); request types
//! (`Imei`, `TimeRange`, `Radius`, ...) are validated on construction so a bad one cannot be sent.

use crate::error::{Error, Result};
use crate::lenient;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[cfg(feature = "ts")]
use ts_rs::TS;

/// A device's IMEI: 10 to 20 ASCII digits (the spec's examples have 15).
///
/// ```
/// let imei: etrack::Imei = "358899051025339".parse().unwrap();
/// assert_eq!(imei.as_str(), "358899051025339");
/// assert!("35889905102533x".parse::<etrack::Imei>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(type = "string"))]
#[serde(transparent)]
pub struct Imei(String);

impl Imei {
    /// Validates and wraps an IMEI.
    pub fn parse(s: &str) -> Result<Self> {
        let t = s.trim();
        if (10..=20).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(t.to_owned()))
        } else {
            Err(Error::validation(format!(
                "invalid IMEI {s:?}: expected 10 to 20 digits"
            )))
        }
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Imei {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl fmt::Display for Imei {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Imei {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = lenient::string(d)?;
        Imei::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A period `[begin, end)` in unix seconds with `begin < end`.
///
/// ```
/// assert!(etrack::TimeRange::new(10, 20).is_ok());
/// assert!(etrack::TimeRange::new(20, 20).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct TimeRange {
    begin: i64,
    end: i64,
}

impl TimeRange {
    /// A range; `begin` must be before `end`.
    pub fn new(begin: i64, end: i64) -> Result<Self> {
        if begin < end {
            Ok(Self { begin, end })
        } else {
            Err(Error::validation(format!(
                "the begin time ({begin}) must be before the end time ({end})"
            )))
        }
    }
    /// Begin, unix seconds.
    pub fn begin(&self) -> i64 {
        self.begin
    }
    /// End, unix seconds.
    pub fn end(&self) -> i64 {
        self.end
    }
    /// Length in seconds.
    pub fn secs(&self) -> i64 {
        self.end - self.begin
    }
}

/// A geofence radius in metres, 100 to 5000 as the provider allows.
///
/// ```
/// assert!(etrack::Radius::new(100).is_ok() && etrack::Radius::new(5000).is_ok());
/// assert!(etrack::Radius::new(99).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS), ts(type = "number"))]
#[serde(try_from = "u32", into = "u32")]
pub struct Radius(u32);

impl Radius {
    /// The smallest radius the provider accepts.
    pub const MIN: u32 = 100;
    /// The largest radius the provider accepts.
    pub const MAX: u32 = 5000;

    /// Validates a radius in metres.
    pub fn new(metres: u32) -> Result<Self> {
        if (Self::MIN..=Self::MAX).contains(&metres) {
            Ok(Self(metres))
        } else {
            Err(Error::validation(format!(
                "the radius must be between {} and {} m, not {metres} m",
                Self::MIN,
                Self::MAX
            )))
        }
    }
    /// Metres.
    pub fn metres(&self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Radius {
    type Error = Error;
    fn try_from(m: u32) -> Result<Self> {
        Self::new(m)
    }
}

impl From<Radius> for u32 {
    fn from(r: Radius) -> u32 {
        r.0
    }
}

/// When a geofence raises an alarm (the spec's `alarmtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(rename_all = "lowercase")]
pub enum GeofenceAlarm {
    /// Leaving (0).
    Out,
    /// Entering (1).
    In,
    /// Entering or leaving (2).
    Both,
}

impl GeofenceAlarm {
    /// The spec's number.
    pub fn code(self) -> i64 {
        match self {
            GeofenceAlarm::Out => 0,
            GeofenceAlarm::In => 1,
            GeofenceAlarm::Both => 2,
        }
    }
    /// From the spec's number.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            0 => Some(GeofenceAlarm::Out),
            1 => Some(GeofenceAlarm::In),
            2 => Some(GeofenceAlarm::Both),
            _ => None,
        }
    }
}

impl FromStr for GeofenceAlarm {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "out" | "0" => Ok(GeofenceAlarm::Out),
            "in" | "1" => Ok(GeofenceAlarm::In),
            "both" | "inout" | "in/out" | "2" => Ok(GeofenceAlarm::Both),
            _ => Err(Error::validation(format!(
                "invalid geofence alarm {s:?}: expected in, out or both"
            ))),
        }
    }
}

/// A circular geofence to create for one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct GeofenceRequest {
    /// The device it applies to.
    pub imei: Imei,
    /// Its name (`efencename`), not empty.
    pub name: String,
    /// When it raises an alarm.
    pub alarm: GeofenceAlarm,
    /// Centre longitude, -180..180.
    pub longitude: f64,
    /// Centre latitude, -90..90.
    pub latitude: f64,
    /// Radius.
    pub radius: Radius,
}

impl GeofenceRequest {
    /// Checks what the types cannot: a name and a centre on Earth.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::validation("the geofence needs a name"));
        }
        if !(-180.0..=180.0).contains(&self.longitude) || !(-90.0..=90.0).contains(&self.latitude) {
            return Err(Error::validation(format!(
                "the centre ({}, {}) is not a valid longitude/latitude",
                self.longitude, self.latitude
            )));
        }
        Ok(())
    }
}

/// A command for a device (spec 2.5).
///
/// ```
/// use etrack::Command;
/// assert_eq!(Command::StopEngine.wire(), "RELAY,1");
/// assert_eq!("relay,0".parse::<Command>().unwrap(), Command::RestoreEngine);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub enum Command {
    /// `RELAY,1`: cut the fuel supply.
    StopEngine,
    /// `RELAY,0`: restore the fuel supply.
    RestoreEngine,
    /// `RESET`: restart the device.
    Reset,
    /// `LOCKDOOR`.
    LockDoor,
    /// `UNLOCKDOOR`.
    UnlockDoor,
    /// Any other command text, sent as given.
    Raw(String),
}

impl Command {
    /// The text sent to the provider.
    pub fn wire(&self) -> &str {
        match self {
            Command::StopEngine => "RELAY,1",
            Command::RestoreEngine => "RELAY,0",
            Command::Reset => "RESET",
            Command::LockDoor => "LOCKDOOR",
            Command::UnlockDoor => "UNLOCKDOOR",
            Command::Raw(s) => s,
        }
    }

    /// Words for people.
    pub fn label(&self) -> &str {
        match self {
            Command::StopEngine => "Stop engine",
            Command::RestoreEngine => "Restore engine",
            Command::Reset => "Reset device",
            Command::LockDoor => "Lock door",
            Command::UnlockDoor => "Unlock door",
            Command::Raw(s) => s,
        }
    }
}

impl FromStr for Command {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let t = s.trim();
        let norm: String = t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        Ok(match norm.to_ascii_uppercase().as_str() {
            "" => return Err(Error::validation("the command is empty")),
            "RELAY,1" | "STOP-ENGINE" | "STOPENGINE" => Command::StopEngine,
            "RELAY,0" | "RESTORE-ENGINE" | "RESTOREENGINE" => Command::RestoreEngine,
            "RESET" => Command::Reset,
            "LOCKDOOR" | "LOCK" => Command::LockDoor,
            "UNLOCKDOOR" | "UNLOCK" => Command::UnlockDoor,
            _ => Command::Raw(t.to_owned()),
        })
    }
}

/// The latest state of a device (spec 2.2). Status fields use the spec's numbers, -1 = unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Track {
    /// The device.
    #[serde(deserialize_with = "lenient::string")]
    pub imei: String,
    /// The provider's current time.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub servertime: i64,
    /// Time of the GPS fix.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub gpstime: i64,
    /// Last time the device sent anything.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub hearttime: i64,
    /// When the provider received the fix.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub systemtime: i64,
    /// Degrees east.
    #[serde(default, deserialize_with = "lenient::f64_or_zero")]
    pub longitude: f64,
    /// Degrees north.
    #[serde(default, deserialize_with = "lenient::f64_or_zero")]
    pub latitude: f64,
    /// Heading, 0 = north, clockwise (a fraction is kept as sent).
    #[serde(
        default,
        deserialize_with = "lenient::f64_or_zero",
        serialize_with = "lenient::whole_as_int"
    )]
    pub course: f64,
    /// km/h (a fraction is kept as sent).
    #[serde(
        default,
        deserialize_with = "lenient::f64_or_zero",
        serialize_with = "lenient::whole_as_int"
    )]
    pub speed: f64,
    /// Seconds the ACC status has been kept.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub acctime: i64,
    /// 1 on, 0 off, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub accstatus: i64,
    /// 1 open, 0 closed, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub doorstatus: i64,
    /// 1 charging, 0 not, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub chargestatus: i64,
    /// 1 fuel supply ok, 0 cut off, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub oilpowerstatus: i64,
    /// 1 defence on, 0 off, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub defencestatus: i64,
    /// 1 never online, 2 ok, 3 expired, 4 offline, 5 blocked.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub datastatus: i64,
    /// Battery percent, -1 unknown.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub battery: i64,
    /// Odometer in metres, -1 unknown.
    #[serde(
        default = "lenient::minus_one_f64",
        deserialize_with = "lenient::f64_or_minus_one",
        serialize_with = "lenient::whole_as_int"
    )]
    pub mileage: f64,
}

/// One point of a device's history (spec 2.3): `longitude,latitude,gpstime,speed,course`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct PlaybackPoint {
    /// Degrees east.
    pub longitude: f64,
    /// Degrees north.
    pub latitude: f64,
    /// Time of the fix.
    pub gpstime: i64,
    /// km/h (a fraction is kept as sent).
    #[serde(serialize_with = "lenient::whole_as_int")]
    pub speed: f64,
    /// Heading, 0 = north, clockwise.
    #[serde(serialize_with = "lenient::whole_as_int")]
    pub course: f64,
}

macro_rules! alarm_types {
    ($($variant:ident = $code:literal, $name:literal, $words:literal;)*) => {
        /// The alarm types of spec 2.8. Numbers the spec does not list are kept as `Unknown`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AlarmType {
            $(
                #[doc = $words]
                $variant,
            )*
            /// A type number the spec does not list.
            Unknown(i64),
        }

        impl AlarmType {
            /// Every type the spec lists, in its order.
            pub const ALL: &'static [AlarmType] = &[$(AlarmType::$variant,)*];

            /// From the spec's number; unknown numbers are kept.
            pub fn from_code(code: i64) -> Self {
                match code {
                    $($code => AlarmType::$variant,)*
                    other => AlarmType::Unknown(other),
                }
            }
            /// The spec's number.
            pub fn code(self) -> i64 {
                match self {
                    $(AlarmType::$variant => $code,)*
                    AlarmType::Unknown(c) => c,
                }
            }
            /// The spec's name, e.g. `speedingAlarm`; `unknownAlarm` for unlisted numbers.
            pub fn name(self) -> &'static str {
                match self {
                    $(AlarmType::$variant => $name,)*
                    AlarmType::Unknown(_) => "unknownAlarm",
                }
            }
            /// Words for people, e.g. "Speeding".
            pub fn words(self) -> &'static str {
                match self {
                    $(AlarmType::$variant => $words,)*
                    AlarmType::Unknown(_) => "Unknown alarm",
                }
            }
        }
    };
}

alarm_types! {
    Sos = 1, "sosAlarm", "SOS";
    LowBattery = 2, "lowBatteryAlarm", "Low battery";
    PowerDisconnect = 3, "powerDisconnectAlarm", "Power disconnected";
    Vibration = 4, "vibrationAlarm", "Vibration";
    GeofenceIn = 5, "geoFenceInAlarm", "Entered geofence";
    GeofenceOut = 6, "geoFenceOutAlarm", "Left geofence";
    Speeding = 7, "speedingAlarm", "Speeding";
    CarMove = 8, "carMoveAlarm", "Vehicle moved";
    EngineOn = 9, "engineOn", "Engine on";
    EngineOff = 10, "engineOff", "Engine off";
    TireTemperature = 11, "tireTemperatureAlarm", "Tire temperature";
    TireLeakPressure = 12, "tireLeakPressureAlarm", "Tire leaking";
    TireLowPressure = 13, "tireLowPressureAlarm", "Tire pressure low";
    TireHighPressure = 14, "tireHighPressureAlarm", "Tire pressure high";
    GpsDeadZoneIn = 15, "gpsDeadZoneInAlarm", "Entered GPS dead zone";
    GpsDeadZoneOut = 16, "gpsDeadZoneOutAlarm", "Left GPS dead zone";
    ObdDtc = 17, "obdDtcAlarm", "OBD trouble code";
    Disassemble = 18, "disassembleAlarm", "Device removed";
    PowerOff = 19, "powerOffAlarm", "Power off";
    Collision = 20, "collisionAlarm", "Collision";
    Drop = 21, "dropAlarm", "Dropped";
    Route = 22, "routeAlarm", "Off route";
    RapidAcceleration = 23, "rapidAccelerationAlarm", "Rapid acceleration";
    RapidDeceleration = 24, "rapidDecelerationAlarm", "Harsh braking";
    SharpTurn = 25, "sharpTurnAlarm", "Sharp turn";
    DoorOpen = 26, "dooropenAlarm", "Door opened";
    DoorClose = 27, "doorcloseAlarm", "Door closed";
}

impl Serialize for AlarmType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_i64(self.code())
    }
}

impl<'de> Deserialize<'de> for AlarmType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(AlarmType::from_code(lenient::i64_or_zero(d)?))
    }
}

#[cfg(feature = "ts")]
impl TS for AlarmType {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "number".to_owned()
    }
    fn inline(_: &ts_rs::Config) -> String {
        "number".to_owned()
    }
}

/// One alarm (spec 2.8): `type,longitude,latitude,gpstime,systemtime,speed,course,geofence id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Alarm {
    /// Its type (serialised as the spec's number).
    #[serde(rename = "type")]
    pub alarm_type: AlarmType,
    /// Degrees east.
    pub longitude: f64,
    /// Degrees north.
    pub latitude: f64,
    /// Time of the fix.
    pub gpstime: i64,
    /// When the provider received it; alarm paging chains on this.
    pub systemtime: i64,
    /// km/h (a fraction is kept as sent).
    #[serde(serialize_with = "lenient::whole_as_int")]
    pub speed: f64,
    /// Heading.
    #[serde(serialize_with = "lenient::whole_as_int")]
    pub course: f64,
    /// The geofence that raised it, as the provider wrote it ("0" or "" when none).
    pub geofence_id: String,
}

/// A device's registration (spec 2.7 and 2.12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Device {
    /// The device.
    #[serde(deserialize_with = "lenient::string")]
    pub imei: String,
    /// Its name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub devicename: String,
    /// Its model.
    #[serde(default, deserialize_with = "lenient::string")]
    pub devicetype: String,
    /// The vehicle's licence plate, "" when none.
    #[serde(default, deserialize_with = "lenient::string")]
    pub platenumber: String,
    /// First time online, 0 = never.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub onlinetime: i64,
    /// Platform service expiry, 0 = none.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub platformduetime: i64,
    /// SIM card number.
    #[serde(default, deserialize_with = "lenient::string")]
    pub simcard: String,
    /// Activation time, 0 = none.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub activatedtime: i64,
    /// User service expiry, 0 = none.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub userduetime: i64,
}

/// An account (spec 2.11 and 2.15).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct UserInfo {
    /// Account name.
    #[serde(deserialize_with = "lenient::string")]
    pub account: String,
    /// User name.
    #[serde(default, deserialize_with = "lenient::string")]
    pub username: String,
    /// E-mail.
    #[serde(default, deserialize_with = "lenient::string")]
    pub email: String,
    /// Mobile number.
    #[serde(default, deserialize_with = "lenient::string")]
    pub mobile: String,
    /// Telephone.
    #[serde(default, deserialize_with = "lenient::string")]
    pub telephone: String,
    /// Creation time.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub createtime: i64,
    /// 1 distributor, 2 end user, 3 virtual account.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub roletype: i64,
    /// 0 blocked, 1 not blocked.
    #[serde(
        default = "lenient::minus_one",
        deserialize_with = "lenient::i64_or_minus_one"
    )]
    pub blockstatus: i64,
}

impl UserInfo {
    /// Whether the account is blocked.
    pub fn is_blocked(&self) -> bool {
        self.blockstatus == 0
    }
    /// The role in words.
    pub fn role_words(&self) -> &'static str {
        match self.roletype {
            1 => "Distributor",
            2 => "End user",
            3 => "Virtual account",
            _ => "Unknown role",
        }
    }
}

/// Distance driven by one device in a period (spec 2.14).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct Mileage {
    /// The device.
    #[serde(deserialize_with = "lenient::string")]
    pub imei: String,
    /// Kilometres; `None` when the provider reported nothing for the device in the period (no
    /// data, which is not 0 km).
    #[serde(default, deserialize_with = "lenient::f64_opt")]
    pub mileage: Option<f64>,
}

/// The state of a sent command (spec 2.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
pub struct CommandStatus {
    /// The device's reply, "" until it answers.
    #[serde(default, deserialize_with = "lenient::string")]
    pub response: String,
    /// 1 when the device has answered.
    #[serde(default, deserialize_with = "lenient::i64_or_zero")]
    pub commandstatus: i64,
}

impl CommandStatus {
    /// Whether the device has answered.
    pub fn responded(&self) -> bool {
        self.commandstatus == 1
    }
}

/// How a sent command ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(TS))]
#[serde(tag = "kind", content = "reply", rename_all = "camelCase")]
pub enum CommandOutcome {
    /// The device answered with this text.
    Responded(String),
    /// No answer within the polls allowed; the device may still act later.
    TimedOut,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn track_decodes_strings_nulls_and_missing_fields() {
        let t: Track = serde_json::from_value(serde_json::json!({
            "imei": 358899051025339_i64, "speed": "12", "latitude": "22.5", "longitude": null,
            "battery": null, "extra": {"x": 1}
        }))
        .unwrap();
        assert_eq!(t.imei, "358899051025339");
        assert_eq!(t.speed, 12.0);
        assert_eq!(t.latitude, 22.5);
        assert_eq!(t.longitude, 0.0);
        assert_eq!(t.battery, -1);
        assert_eq!(t.accstatus, -1);
        assert_eq!(t.datastatus, 0);
        assert_eq!(t.mileage, -1.0, "no mileage");
        // A fraction where the spec says int is kept as sent.
        let t: Track =
            serde_json::from_value(serde_json::json!({"imei": "1", "mileage": 19346.84})).unwrap();
        assert_eq!(t.mileage, 19346.84);
        let t: Track = serde_json::from_value(
            serde_json::json!({"imei": "1", "speed": 52.6, "course": "271.5"}),
        )
        .unwrap();
        assert_eq!((t.speed, t.course), (52.6, 271.5));
        let out = serde_json::to_value(&t).unwrap();
        assert_eq!(
            (out["speed"].clone(), out["course"].clone()),
            (serde_json::json!(52.6), serde_json::json!(271.5))
        );
        let t: Track =
            serde_json::from_value(serde_json::json!({"imei": "1", "mileage": "51654"})).unwrap();
        assert_eq!(t.mileage, 51654.0);
    }

    #[test]
    fn alarm_types_round_trip_and_keep_unknowns() {
        assert_eq!(AlarmType::ALL.len(), 27);
        for (i, t) in AlarmType::ALL.iter().enumerate() {
            assert_eq!(t.code(), i as i64 + 1);
            assert_eq!(AlarmType::from_code(t.code()), *t);
        }
        assert_eq!(AlarmType::from_code(7).name(), "speedingAlarm");
        assert_eq!(AlarmType::from_code(99), AlarmType::Unknown(99));
        assert_eq!(AlarmType::Unknown(99).code(), 99);
    }

    #[test]
    fn commands_parse_from_wire_text() {
        assert_eq!("RELAY,1".parse::<Command>().unwrap(), Command::StopEngine);
        assert_eq!(
            " relay, 0 ".parse::<Command>().unwrap(),
            Command::RestoreEngine
        );
        assert_eq!("LOCKDOOR".parse::<Command>().unwrap().wire(), "LOCKDOOR");
        assert_eq!(
            "FOO,1".parse::<Command>().unwrap(),
            Command::Raw("FOO,1".into())
        );
        assert!("  ".parse::<Command>().is_err());
    }

    #[test]
    fn geofence_validation() {
        let g = GeofenceRequest {
            imei: Imei::parse("358899051025339").unwrap(),
            name: "home".into(),
            alarm: GeofenceAlarm::Both,
            longitude: 113.9,
            latitude: 22.5,
            radius: Radius::new(300).unwrap(),
        };
        assert!(g.validate().is_ok());
        assert!(GeofenceRequest {
            name: " ".into(),
            ..g.clone()
        }
        .validate()
        .is_err());
        assert!(GeofenceRequest {
            latitude: 91.0,
            ..g
        }
        .validate()
        .is_err());
        assert_eq!("in/out".parse::<GeofenceAlarm>().unwrap().code(), 2);
    }
}
