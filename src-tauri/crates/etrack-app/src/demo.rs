//! The demo's simulated clock and what the built-in simulator saw. The clock: the built-in simulator can be run faster than real time, or moved
//! ahead, so a demo (or an end-to-end test) sees a day's driving, and the geofence alarms it
//! raises, in minutes.
//!
//! - `--demo-time-scale N` (see [`crate::launch`]), N from 1 to 3600: the demo's clock runs N times
//!   as fast as the real one.
//! - The `demo_clock_advance` command moves it ahead at once.
//!
//! Only the in-process simulator is touched; a real provider's time is never changed or assumed
//! different, and the offset applies only while the demo is the signed-in session.

use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use ts_rs::TS;

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

/// Whole seconds to add per real second at `scale`, carrying the fraction over in `carry`.
pub fn scale_step(scale: f64, carry: &mut f64) -> u64 {
    let want = (scale - 1.0).max(0.0) + *carry;
    let whole = want.floor();
    *carry = want - whole;
    whole as u64
}

/// One request the demo service received (the demo request log: end-to-end tests prove with it
/// what the app sent, or did not send, to the provider).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoRequest {
    /// Position in the service's log (0 = first request since the demo started).
    pub seq: u32,
    /// "GET" or "POST".
    pub method: String,
    /// The path, e.g. "/api/command/send".
    pub path: String,
    /// Query and form parameters, in order (`access_token` blanked).
    pub params: Vec<(String, String)>,
}

/// The requests `sim` received, oldest first; only those to `path` when given, and only from
/// position `since` on. The access token is blanked: tokens are dead once the demo stops, but a
/// log has no business carrying them.
pub fn request_log(
    sim: &etrack_sim::SimHandle,
    path: Option<&str>,
    since: u32,
) -> Vec<DemoRequest> {
    sim.request_log()
        .into_iter()
        .enumerate()
        .skip(usize::try_from(since).unwrap_or(usize::MAX))
        .filter(|(_, r)| path.is_none_or(|p| r.path == p))
        .map(|(seq, r)| DemoRequest {
            seq: u32::try_from(seq).unwrap_or(u32::MAX),
            method: r.method,
            path: r.path,
            params: r
                .params
                .into_iter()
                .map(|(k, v)| {
                    let v = if k == "access_token" {
                        String::new()
                    } else {
                        v
                    };
                    (k, v)
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
