//! The simulated fleet: who the devices are (IMEI, name, model, plate, SIM, dates), how each one is
//! used (its driving profile, home, report interval) and which are offline, expired, never online
//! or blocked. Everything is derived from the seed and the device's index (and, for the days the
//! two idle vehicles worked, the day the simulator started).
//!
//! In fleets of [`IDLE_FLEET_MIN`] devices or more (the default 40), two online vehicles hardly
//! report, for the request-budget cases of long playbacks: device [`PARKED_INDEX`],
//! [`PARKED_NAME`], has stood parked for more than a month, and device [`SEASONAL_INDEX`],
//! [`SEASONAL_NAME`], worked on three days of the last month only.

use crate::plan::{NX, NY};
use crate::rng::{key, Rng};
use std::collections::HashMap;

/// Seconds in a day.
pub const DAY: i64 = 86_400;
/// Shenzhen is UTC+8: days, trips and night parking follow its local clock.
pub const TZ_OFFSET: i64 = 8 * 3600;

/// Fleets this big or bigger have the parked and the seasonal vehicle.
pub const IDLE_FLEET_MIN: usize = 40;
/// Position of the parked trailer in the device list.
pub const PARKED_INDEX: usize = 38;
/// Name of the parked trailer.
pub const PARKED_NAME: &str = "Parked trailer 39";
/// Position of the seasonal loader in the device list.
pub const SEASONAL_INDEX: usize = 39;
/// Name of the seasonal loader.
pub const SEASONAL_NAME: &str = "Seasonal loader 40";

/// The local (UTC+8) day number of unix time `t`.
pub fn local_day(t: i64) -> i64 {
    (t + TZ_OFFSET).div_euclid(DAY)
}

/// Unix time of local midnight starting day `day`.
pub fn day_start(day: i64) -> i64 {
    day * DAY - TZ_OFFSET
}

/// How a vehicle is used: shapes its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Profile {
    /// A private car: to work and back on weekdays, outings at weekends.
    Commuter,
    /// A delivery van: many short stops, Monday to Saturday.
    Van,
    /// A taxi: drives all day with short waits.
    Taxi,
    /// A truck: a few long trips with long stops.
    Truck,
    /// A machine (a wheel loader): on its working days, slow trips between its yard and sites
    /// nearby with long stops; every day of the week.
    Loader,
}

/// On which days a device drives and sends positions.
///
/// A parked or off-season tracker does what the provider's trackers do when the vehicle stands
/// still for long: it sleeps, sending no positions but a heartbeat every [`SLEEP_HEARTBEAT`]
/// seconds. The platform keeps it online (datastatus 2): the track (spec 2.2) shows the last
/// position with its old `gpstime` and a recent `hearttime`, and playback (spec 2.3) of a period
/// without positions answers code 0 with an empty record, one request, as for any period without
/// records (20023, no data, is for a device that was never online).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Activity {
    /// Every day, reporting at its interval around the clock.
    Daily,
    /// Until the end of the day before local day `since`; parked at home and asleep from then on.
    Parked {
        /// First local day parked.
        since: i64,
    },
    /// Only on these local days (ascending), reporting around the clock on them; parked at home
    /// and asleep on all others.
    Seasonal {
        /// The working days.
        days: Vec<i64>,
    },
}

impl Activity {
    /// Whether the device drives and reports on local day `day`.
    pub fn reports_on(&self, day: i64) -> bool {
        match self {
            Activity::Daily => true,
            Activity::Parked { since } => day < *since,
            Activity::Seasonal { days } => days.contains(&day),
        }
    }
}

/// Seconds between the heartbeats of a sleeping tracker (parked or off season).
pub const SLEEP_HEARTBEAT: i64 = 300;

/// The device's state towards the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Never reported anything.
    NeverOnline,
    /// Reporting.
    Ok,
    /// The platform service expired at `at`; nothing after.
    Expired {
        /// When it expired.
        at: i64,
    },
    /// Stopped reporting at `since`.
    Offline {
        /// Last report.
        since: i64,
    },
    /// Blocked by the provider at `since`.
    Blocked {
        /// When it was blocked.
        since: i64,
    },
}

impl Status {
    /// The spec's `datastatus` number.
    pub fn datastatus(self) -> i64 {
        match self {
            Status::NeverOnline => 1,
            Status::Ok => 2,
            Status::Expired { .. } => 3,
            Status::Offline { .. } => 4,
            Status::Blocked { .. } => 5,
        }
    }

    /// The last moment the device reported, if it stopped.
    pub fn cutoff(self) -> Option<i64> {
        match self {
            Status::Expired { at } => Some(at),
            Status::Offline { since } | Status::Blocked { since } => Some(since),
            Status::NeverOnline | Status::Ok => None,
        }
    }
}

/// One simulated device.
#[derive(Clone, Debug)]
pub struct DeviceSpec {
    /// Position in the fleet (list order).
    pub index: u32,
    /// 15 digits with a valid check digit.
    pub imei: String,
    /// Device name.
    pub name: String,
    /// Device model.
    pub model: String,
    /// Licence plate, may be empty.
    pub plate: String,
    /// SIM card number, may be empty.
    pub sim: String,
    /// First time online, 0 when never.
    pub onlinetime: i64,
    /// Activation time.
    pub activatedtime: i64,
    /// Platform expiry.
    pub platformduetime: i64,
    /// User expiry.
    pub userduetime: i64,
    /// Reporting state.
    pub status: Status,
    /// Driving profile.
    pub profile: Profile,
    /// The days it drives and reports.
    pub activity: Activity,
    /// Night parking node (grid indices).
    pub home: (i32, i32),
    /// Workplace node for commuters.
    pub work: (i32, i32),
    /// Speed factor of the driver (1.0 = at the road's usual speed).
    pub driver: f64,
    /// Seconds between reports.
    pub interval: i64,
    /// Report times are `phase + k * interval`.
    pub phase: i64,
    /// Seconds between a fix and its arrival at the platform.
    pub delay: i64,
    /// Runs on its own battery (discharges over days, low-battery alarms) instead of the car's.
    pub battery_powered: bool,
    /// Has a door sensor (door status and door alarms).
    pub door_sensor: bool,
    /// Battery discharge cycle, seconds.
    pub battery_cycle: i64,
    /// Start of the first battery cycle.
    pub battery_offset: i64,
    /// Odometer at the odometer anchor day, metres.
    pub odometer_base_m: f64,
    /// Home in the east half of the city (decides the sub-account that sees it).
    pub east: bool,
}

/// The whole fleet.
#[derive(Debug)]
pub struct Fleet {
    /// The seed everything derives from.
    pub seed: u64,
    /// Local day from which the odometer is counted.
    pub odometer_anchor_day: i64,
    /// Devices in list order.
    pub devices: Vec<DeviceSpec>,
    by_imei: HashMap<String, usize>,
}

const MODELS_WIRED: &[(&str, &str)] = &[
    ("GT06N", "35173509"),
    ("VT900", "86128405"),
    ("ET300", "35889905"),
];
const MODEL_BATTERY: (&str, &str) = ("VT05S", "86701204");
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";

fn luhn_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                x / 10 + x % 10
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

impl Fleet {
    /// Builds a fleet of `count` devices (clamped to 1..=500) for a simulator started at `start`.
    pub fn new(seed: u64, count: usize, start: i64) -> Self {
        let count = count.clamp(1, 500);
        let start_hour = start.div_euclid(3600) * 3600;
        let today = local_day(start);
        let start_day = day_start(today);
        let serial_base = key(&[seed, 0x14E1]) % 1_000_000;
        let mut devices = Vec::with_capacity(count);
        for i in 0..count {
            let mut r = Rng::new(key(&[seed, i as u64, 0x00DE_71CE]));
            let battery_powered = i % 7 == 3;
            let (model, tac) = if battery_powered {
                MODEL_BATTERY
            } else {
                MODELS_WIRED[i % MODELS_WIRED.len()]
            };
            // A stride coprime with 10^6 keeps serials distinct for every index.
            let serial = (serial_base + i as u64 * 7919) % 1_000_000;
            let body = format!("{tac}{serial:06}");
            let imei = format!("{body}{}", luhn_digit(&body));

            let mut profile = if i == 0 {
                Profile::Taxi
            } else {
                match r.range_i64(0, 99) {
                    0..=34 => Profile::Commuter,
                    35..=59 => Profile::Van,
                    60..=84 => Profile::Taxi,
                    _ => Profile::Truck,
                }
            };
            // Its own stream: the other draws of these two devices (plate, home...) stay as they were.
            let mut idle = Rng::new(key(&[seed, i as u64, 0x1D1E]));
            let activity = match i {
                _ if count < IDLE_FLEET_MIN => Activity::Daily,
                PARKED_INDEX => {
                    // Towed around by trucks until parked more than a month ago: no position in
                    // the last 32 to 35 full days.
                    profile = Profile::Truck;
                    Activity::Parked {
                        since: today - idle.range_i64(32, 35),
                    }
                }
                SEASONAL_INDEX => {
                    // One working day in each third of the last month, yesterday excluded.
                    profile = Profile::Loader;
                    let days = [(20, 27), (11, 18), (2, 9)]
                        .iter()
                        .map(|&(lo, hi)| today - idle.range_i64(lo, hi))
                        .collect();
                    Activity::Seasonal { days }
                }
                _ => Activity::Daily,
            };
            let status = match (i % 20, i % 40) {
                (_, 14) => Status::Blocked {
                    since: start_day - r.range_i64(1, 6) * DAY + r.range_i64(8 * 3600, 20 * 3600),
                },
                (5, _) => Status::Offline {
                    since: start_hour - r.range_i64(2, 96) * 3600 - r.range_i64(0, 3599),
                },
                (12, _) => Status::Offline {
                    since: start_hour - r.range_i64(20, 90) * 60,
                },
                (9, _) => Status::Expired {
                    at: start_day - r.range_i64(1, 7) * DAY + r.range_i64(0, DAY - 1),
                },
                (17, _) => Status::NeverOnline,
                _ => Status::Ok,
            };
            let number = i + 1;
            let name = match (&activity, profile) {
                (Activity::Parked { .. }, _) => PARKED_NAME.to_owned(),
                (Activity::Seasonal { .. }, _) => SEASONAL_NAME.to_owned(),
                _ if i % 8 == 6 => format!("{model}-{}", &imei[10..15]),
                (_, Profile::Commuter) => format!("Car {number:02}"),
                (_, Profile::Van) => format!("Van {number:02}"),
                (_, Profile::Taxi) => format!("Taxi {number:02}"),
                (_, Profile::Truck) => format!("Truck {number:02}"),
                (_, Profile::Loader) => format!("Loader {number:02}"),
            };
            let plate = if i % 6 == 5 {
                String::new()
            } else {
                let mut p = String::from("粤B");
                let first = PLATE_LETTERS[r.range_i64(0, PLATE_LETTERS.len() as i64 - 1) as usize];
                p.push(char::from(first));
                for _ in 0..4 {
                    if r.chance(0.2) {
                        let c =
                            PLATE_LETTERS[r.range_i64(0, PLATE_LETTERS.len() as i64 - 1) as usize];
                        p.push(char::from(c));
                    } else {
                        p.push(char::from(b'0' + r.range_i64(0, 9) as u8));
                    }
                }
                p
            };
            let sim = if i % 10 == 7 {
                String::new()
            } else {
                let prefix = ["138", "139", "135", "186", "159"][r.range_i64(0, 4) as usize];
                format!("{prefix}{:08}", r.range_i64(0, 99_999_999))
            };
            let onlinetime = match status {
                Status::NeverOnline => 0,
                _ => start_day - r.range_i64(45, 400) * DAY + r.range_i64(0, DAY - 1),
            };
            let activatedtime = match status {
                Status::NeverOnline if i % 2 == 0 => 0,
                Status::NeverOnline => start_day - r.range_i64(3, 60) * DAY,
                _ => onlinetime - r.range_i64(0, 5 * DAY),
            };
            let platformduetime = match status {
                Status::Expired { at } => at,
                Status::Ok if i % 9 == 4 => start_day + r.range_i64(3, 28) * DAY + 12 * 3600,
                _ => start_day + r.range_i64(200, 700) * DAY,
            };
            let home = (
                r.range_i64(1, NX as i64 - 2) as i32,
                r.range_i64(1, NY as i64 - 2) as i32,
            );
            let mut work = home;
            while (work.0 - home.0).abs() + (work.1 - home.1).abs() < 8 {
                work = (
                    r.range_i64(0, NX as i64 - 1) as i32,
                    r.range_i64(0, NY as i64 - 1) as i32,
                );
            }
            let driver = match profile {
                Profile::Truck | Profile::Loader => r.range_f64(0.85, 0.95),
                _ => r.range_f64(0.9, 1.16),
            };
            let interval = [10, 15, 20][i % 3];
            devices.push(DeviceSpec {
                index: i as u32,
                imei,
                name,
                model: model.to_owned(),
                plate,
                sim,
                onlinetime,
                activatedtime,
                platformduetime,
                userduetime: platformduetime,
                status,
                profile,
                activity,
                home,
                work,
                driver,
                interval,
                phase: r.range_i64(0, interval - 1),
                delay: r.range_i64(1, 3),
                battery_powered,
                door_sensor: profile == Profile::Van && !battery_powered,
                battery_cycle: r.range_i64(9, 14) * DAY,
                battery_offset: r.range_i64(0, 14 * DAY),
                odometer_base_m: r.range_f64(5_000.0, 180_000.0) * 1000.0,
                east: home.0 >= NX / 2,
            });
        }
        let by_imei = devices
            .iter()
            .enumerate()
            .map(|(i, d)| (d.imei.clone(), i))
            .collect();
        Fleet {
            seed,
            odometer_anchor_day: today - 8,
            devices,
            by_imei,
        }
    }

    /// The device with this IMEI.
    pub fn get(&self, imei: &str) -> Option<&DeviceSpec> {
        self.by_imei.get(imei).map(|&i| &self.devices[i])
    }

    /// The first device with this name.
    pub fn by_name(&self, name: &str) -> Option<&DeviceSpec> {
        self.devices.iter().find(|d| d.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imeis_are_unique_fifteen_digits_with_check_digit() {
        let f = Fleet::new(7, 500, 1_700_000_000);
        assert_eq!(f.devices.len(), 500);
        let mut seen = std::collections::HashSet::new();
        for d in &f.devices {
            assert_eq!(d.imei.len(), 15);
            assert!(d.imei.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(
                luhn_digit(&d.imei[..14]),
                u32::from(d.imei.as_bytes()[14] - b'0')
            );
            assert!(seen.insert(d.imei.clone()));
            assert!(f.get(&d.imei).is_some());
        }
        // The spec's own example IMEI has a valid check digit too.
        assert_eq!(luhn_digit("35889905102533"), 9);
    }

    #[test]
    fn fleet_has_every_status_and_some_expiring_soon() {
        let start = 1_700_000_000;
        let f = Fleet::new(7, 40, start);
        let count = |s: i64| {
            f.devices
                .iter()
                .filter(|d| d.status.datastatus() == s)
                .count()
        };
        assert!(count(2) >= 25);
        for s in [1, 3, 4, 5] {
            assert!(count(s) >= 1, "status {s}");
        }
        assert!(f
            .devices
            .iter()
            .any(|d| d.status == Status::Ok && d.platformduetime - start < 30 * DAY));
        assert!(f.devices.iter().any(|d| d.plate.is_empty()));
        assert!(f.devices.iter().any(|d| d.sim.is_empty()));
        assert!(f.devices.iter().all(|d| (10..=20).contains(&d.interval)));
        for d in f.devices.iter().filter(|d| d.status != Status::NeverOnline) {
            assert!(start - d.onlinetime > 30 * DAY);
        }
    }

    #[test]
    fn default_fleets_have_a_parked_and_a_seasonal_vehicle_and_keep_the_others() {
        let start = 1_700_000_000;
        let today = local_day(start);
        let small = Fleet::new(7, IDLE_FLEET_MIN - 1, start);
        assert!(small.devices.iter().all(|d| d.activity == Activity::Daily));
        for count in [IDLE_FLEET_MIN, 500] {
            let f = Fleet::new(7, count, start);
            let parked = f.by_name(PARKED_NAME).map(|d| d.index as usize);
            let seasonal = f.by_name(SEASONAL_NAME).map(|d| d.index as usize);
            assert_eq!(
                (parked, seasonal),
                (Some(PARKED_INDEX), Some(SEASONAL_INDEX))
            );
            for (i, d) in f.devices.iter().enumerate() {
                let idle = i == PARKED_INDEX || i == SEASONAL_INDEX;
                assert_eq!(d.activity == Activity::Daily, !idle, "{}", d.name);
                if idle {
                    assert_eq!(d.status, Status::Ok, "online: heartbeats");
                    assert!(d.onlinetime < day_start(today - 40));
                }
            }
            let Activity::Seasonal { days } = &f.devices[SEASONAL_INDEX].activity else {
                panic!("not seasonal");
            };
            assert_eq!(days.len(), 3);
            assert!(days.windows(2).all(|w| w[0] < w[1]));
            assert!(
                days.iter().all(|d| (today - 28..today - 1).contains(d)),
                "{days:?}"
            );
        }
        // The other devices, and these two's IMEIs, plates and homes, are as in a smaller fleet.
        let f = Fleet::new(7, IDLE_FLEET_MIN, start);
        for (a, b) in small.devices.iter().zip(&f.devices) {
            assert_eq!((&a.imei, &a.plate, a.home), (&b.imei, &b.plate, b.home));
            if (a.index as usize) < PARKED_INDEX {
                assert_eq!((&a.name, a.profile), (&b.name, b.profile));
            }
        }
        // Another seed, other days.
        let other = Fleet::new(8, IDLE_FLEET_MIN, start);
        assert_ne!(
            other.devices[SEASONAL_INDEX].activity,
            f.devices[SEASONAL_INDEX].activity
        );
    }
}
