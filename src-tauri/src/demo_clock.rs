//! The demo's simulated clock: the built-in simulator can be run faster than real time, or moved
//! ahead, so a demo (or an end-to-end test) sees a day's driving, and the geofence alarms it
//! raises, in minutes.
//!
//! - `--demo-time-scale N` (or `ETRACK_DEMO_TIME_SCALE=N`), N from 1 to 3600: the demo's clock runs
//!   N times as fast as the real one.
//! - The `demo_clock_advance` command moves it ahead at once.
//!
//! Only the in-process simulator is touched; a real provider's time is never changed or assumed
//! different, and the offset applies only while the demo is the signed-in session.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use ts_rs::TS;

/// Environment variable: how many times faster than real time the demo's clock runs.
pub const TIME_SCALE_ENV: &str = "ETRACK_DEMO_TIME_SCALE";
/// Command-line option, same meaning (`--demo-time-scale 20` or `--demo-time-scale=20`).
pub const TIME_SCALE_ARG: &str = "--demo-time-scale";
/// The fastest the demo may run.
pub const MAX_TIME_SCALE: f64 = 3600.0;
/// The furthest one `demo_clock_advance` may move the clock.
pub const MAX_ADVANCE_SECS: u64 = 7 * 86_400;

/// How far this app has moved the demo simulator's clock ahead of the real one.
#[derive(Debug, Default)]
pub struct DemoClock {
    ahead_secs: AtomicI64,
}

impl DemoClock {
    /// Seconds the demo's clock is ahead of this computer's.
    pub fn offset_secs(&self) -> i64 {
        self.ahead_secs.load(Ordering::Relaxed)
    }

    /// Moves the simulator's clock `secs` ahead and remembers it.
    pub fn advance(&self, sim: &etrack_sim::SimHandle, secs: u64) {
        if secs == 0 {
            return;
        }
        sim.advance_clock(Duration::from_secs(secs));
        self.ahead_secs.fetch_add(
            i64::try_from(secs).unwrap_or(i64::MAX / 4),
            Ordering::Relaxed,
        );
    }
}

/// The demo clock as the UI (and the end-to-end test) sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoClockInfo {
    /// Seconds the demo's clock is ahead of this computer's.
    pub offset_secs: i64,
    /// How many times faster than real time it runs (1 when not sped up).
    pub time_scale: f64,
}

/// A geofence as the demo simulator holds it (what the provider was told), for checking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoSimGeofence {
    /// The vehicle.
    pub imei: String,
    /// `efencename`.
    pub name: String,
    /// The spec's `alarmtype`: 0 out, 1 in, 2 both.
    pub alarm_type: i64,
    /// Centre latitude.
    pub latitude: f64,
    /// Centre longitude.
    pub longitude: f64,
    /// Metres.
    pub radius: i64,
    /// Simulated unix time of creation.
    pub created: i64,
}

impl From<etrack_sim::SimGeofence> for DemoSimGeofence {
    fn from(g: etrack_sim::SimGeofence) -> Self {
        Self {
            imei: g.imei,
            name: g.name,
            alarm_type: g.alarm_type,
            latitude: g.latitude,
            longitude: g.longitude,
            radius: g.radius,
            created: g.created,
        }
    }
}

/// The time scale asked for on the command line or in the environment (the command line wins);
/// `None` when not asked for, or not a number from 1 to [`MAX_TIME_SCALE`] (logged).
pub fn time_scale_from(args: &[String], env: Option<String>) -> Option<f64> {
    let mut raw: Option<String> = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == TIME_SCALE_ARG {
            raw = it.next().cloned();
        } else if let Some(v) = a.strip_prefix(&format!("{TIME_SCALE_ARG}=")) {
            raw = Some(v.to_owned());
        }
    }
    let raw = raw.or(env)?;
    match raw.trim().parse::<f64>() {
        Ok(s) if (1.0..=MAX_TIME_SCALE).contains(&s) => Some(s),
        _ => {
            tracing::warn!("ignoring demo time scale {raw:?}: expected a number from 1 to 3600");
            None
        }
    }
}

/// Whole seconds to add per real second at `scale`, carrying the fraction over in `carry`.
pub fn scale_step(scale: f64, carry: &mut f64) -> u64 {
    let want = (scale - 1.0).max(0.0) + *carry;
    let whole = want.floor();
    *carry = want - whole;
    whole as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_scale_comes_from_the_command_line_or_the_environment() {
        assert_eq!(
            time_scale_from(&args(&["--demo-time-scale", "20"]), None),
            Some(20.0)
        );
        assert_eq!(
            time_scale_from(&args(&["--demo-time-scale=2.5"]), None),
            Some(2.5)
        );
        assert_eq!(time_scale_from(&args(&[]), Some("8".into())), Some(8.0));
        assert_eq!(
            time_scale_from(&args(&["--demo-time-scale", "3"]), Some("8".into())),
            Some(3.0)
        );
        assert_eq!(
            time_scale_from(&args(&["--demo-time-scale", "0"]), None),
            None
        );
        assert_eq!(
            time_scale_from(&args(&["--demo-time-scale", "fast"]), None),
            None
        );
        assert_eq!(time_scale_from(&args(&["--demo"]), None), None);
    }

    #[test]
    fn fractional_scales_add_up_over_time() {
        let mut carry = 0.0;
        let total: u64 = (0..10).map(|_| scale_step(1.5, &mut carry)).sum();
        assert_eq!(total, 5, "1.5x for 10 s is 5 s ahead");
        let mut carry = 0.0;
        assert_eq!(scale_step(1.0, &mut carry), 0);
        assert_eq!(scale_step(20.0, &mut carry), 19);
    }
}
