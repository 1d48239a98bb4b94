//! A simulated Open API service: the vendor's fifteen endpoints over HTTP on 127.0.0.1, with a
//! fleet driving around Shenzhen, for demo mode, tests and benchmarks.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sim = etrack_sim::spawn(etrack_sim::SimConfig::default()).await?;
//! println!("{} — sign in as {} / {}", sim.base_url(), etrack_sim::DEMO_ACCOUNT, etrack_sim::DEMO_PASSWORD);
//! sim.shutdown();
//! # Ok(()) }
//! ```
//!
//! What a client sees:
//! - Accounts: [`DEMO_ACCOUNT`] (distributor) owns the fleet; [`EAST_ACCOUNT`] and [`WEST_ACCOUNT`]
//!   (end users) see the vehicles parked in the east / west; [`VIRTUAL_ACCOUNT`] sees everything and
//!   may change nothing (10007); [`BLOCKED_ACCOUNT`] is blocked (10016). All use [`DEMO_PASSWORD`].
//! - The fleet: `devices` vehicles with 15-digit IMEIs. Most report (datastatus 2); about one in ten
//!   is offline (4), one in twenty expired (3), one in twenty never online (1), one in forty
//!   blocked (5). The first device is an online taxi reporting every 10 s; others every 10, 15 or
//!   20 s. History is computed on demand from the seed, from the device's first online time (more
//!   than 45 days back) up to now; the future is never served.
//! - The city: roads on a 600 m grid over Shenzhen north of Shenzhen Bay and the Shenzhen River
//!   (lon 113.87-114.13, lat 22.548-22.705), all on land: taxis, vans, trucks and cars between
//!   homes and workplaces, with arterial roads and expressways.
//! - Two vehicles that hardly report, in fleets of 40 or more (the default): [`PARKED_NAME`]
//!   (device [`PARKED_INDEX`]) has stood parked for 32 to 35 days, and [`SEASONAL_NAME`] (device
//!   [`SEASONAL_INDEX`]) worked on three days of the last month
//!   ([`SimHandle::seasonal_days`]). Both are online (datastatus 2) with their trackers asleep:
//!   a heartbeat every 5 minutes, no positions. Their track shows the last position with its old
//!   `gpstime` and a recent `hearttime`; their playback is empty (code 0, record "") except on the
//!   days they worked. [`SimHandle::imei_of`] finds them by name.
//! - Paging: playback returns at most 1000 records with `begintime <= gpstime <= endtime`, alarms
//!   at most 100 with `begintime <= systemtime <= endtime`, so a client chaining on the last record
//!   gets that record again.
//! - Mileage is the sum of [`distance_m`] between consecutive playback records with
//!   `begintime <= gpstime < endtime`, in km rounded to 2 decimals.
//! - Errors: 10004 malformed parameter, 10005 missing, 10006 out of range, 10007 not allowed,
//!   10010/10011/10012 unknown/replaced/expired token, 10013 IMEI of another account (20005 when no
//!   such device exists, for single-IMEI endpoints), 10014 signature time outside the window,
//!   10016 account blocked, 20001 wrong account or password, 20017 command to an offline or
//!   never-online device, 20023 playback of a never-online device, 20046 command to an expired
//!   device, 20048 unknown command, 20089 blocked device (playback, alarms, commands, geofences).
//!   An unknown path answers HTTP 404 and a wrong method HTTP 405, both with code 10001.

mod accounts;
mod alarms;
mod api;
#[cfg(test)]
mod coast;
mod fleet;
mod geo;
mod history;
mod plan;
mod rng;
mod server;
mod state;
mod timeline;

pub use accounts::{
    BLOCKED_ACCOUNT, DEMO_ACCOUNT, DEMO_PASSWORD, EAST_ACCOUNT, VIRTUAL_ACCOUNT, WEST_ACCOUNT,
};
pub use fleet::{PARKED_INDEX, PARKED_NAME, SEASONAL_INDEX, SEASONAL_NAME};
pub use plan::SPEED_LIMIT_KMH;

use history::Point;
use state::Shared;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How a simulator behaves.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Everything simulated derives from it. Default 7.
    pub seed: u64,
    /// Fleet size, 1 to 500 (clamped). Default 40.
    pub devices: usize,
    /// Added to every request. Default 0.
    pub latency: Duration,
    /// Share of requests answered 10009 (too frequent). Default 0.
    pub too_frequent_share: f64,
    /// Share of requests answered HTTP 500. Default 0.
    pub server_error_share: f64,
    /// How long an access token works. Default 7200 s.
    pub token_lifetime: Duration,
    /// How long a device takes to answer a command. Default 3 s.
    pub command_reply_delay: Duration,
    /// Largest |time - now| accepted in a signature, seconds; beyond, 10014. Default 600.
    pub signature_window_secs: i64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            seed: 7,
            devices: 40,
            latency: Duration::ZERO,
            too_frequent_share: 0.0,
            server_error_share: 0.0,
            token_lifetime: Duration::from_secs(7200),
            command_reply_delay: Duration::from_secs(3),
            signature_window_secs: 600,
        }
    }
}

/// A request as the simulator received it.
#[derive(Clone, Debug)]
pub struct LoggedRequest {
    /// "GET" or "POST".
    pub method: String,
    /// The path, e.g. "/api/track".
    pub path: String,
    /// Query parameters, then form-body parameters.
    pub params: Vec<(String, String)>,
    /// When it arrived.
    pub at: Instant,
}

/// A geofence created through the API.
#[derive(Clone, Debug)]
pub struct SimGeofence {
    /// The device it watches.
    pub imei: String,
    /// `efencename`.
    pub name: String,
    /// 0 out, 1 in, 2 both.
    pub alarm_type: i64,
    /// Centre longitude.
    pub longitude: f64,
    /// Centre latitude.
    pub latitude: f64,
    /// Metres.
    pub radius: i64,
    /// Unix time of creation; alarms only after it.
    pub created: i64,
}

/// A message sent through the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimMessage {
    /// Sender account.
    pub from: String,
    /// Recipient accounts.
    pub to: Vec<String>,
    /// The text.
    pub content: String,
}

/// Great-circle distance in metres, as the simulator measures mileage (haversine, R = 6 371 km).
pub fn distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    geo::distance_m(lon1, lat1, lon2, lat2)
}

/// A running simulator. Clones share it; it stops on [`SimHandle::shutdown`].
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Arc<watch::Sender<bool>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish()
    }
}

/// Starts a simulator on an ephemeral port of 127.0.0.1. Must be called inside a tokio runtime.
pub async fn spawn(config: SimConfig) -> std::io::Result<SimHandle> {
    spawn_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
}

/// Starts a simulator on `addr`. Must be called inside a tokio runtime.
pub async fn spawn_on(config: SimConfig, addr: SocketAddr) -> std::io::Result<SimHandle> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(Shared::new(&config, api::now()));
    let (stop, mut stopped) = watch::channel(false);
    let app = axum::Router::new()
        .fallback(server::entry)
        .with_state(shared.clone());
    tokio::spawn(async move {
        let until = async move {
            let _ = stopped.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(until)
            .await
        {
            tracing::error!("etrack-sim stopped: {e}");
        }
    });
    Ok(SimHandle {
        shared,
        addr,
        stop: Arc::new(stop),
    })
}

impl SimHandle {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Latency added to every request from now on.
    pub fn set_latency(&self, d: Duration) {
        self.shared.set_knobs(|k| k.latency = d);
    }

    /// Share (0..1) of requests answered 10009.
    pub fn set_too_frequent_share(&self, share: f64) {
        self.shared
            .set_knobs(|k| k.too_frequent_share = share.clamp(0.0, 1.0));
    }

    /// Share (0..1) of requests answered HTTP 500.
    pub fn set_server_error_share(&self, share: f64) {
        self.shared
            .set_knobs(|k| k.server_error_share = share.clamp(0.0, 1.0));
    }

    /// Token lifetime; applies to tokens already issued too (a short one expires them at once).
    pub fn set_token_lifetime(&self, d: Duration) {
        self.shared.set_knobs(|k| k.token_lifetime = d);
    }

    /// The next `times` requests to `path` (e.g. "/api/track") get this raw HTTP status + body.
    pub fn inject_reply(&self, path: &str, status: u16, body: &str, times: usize) {
        if times == 0 {
            return;
        }
        self.shared.inner().injections.push_back(state::Injection {
            path: path.to_owned(),
            status,
            body: body.to_owned(),
            remaining: times,
        });
    }

    /// Replace a device's generated history (points: lon, lat, gpstime, speed, course), for tests.
    /// Points are served sorted by gpstime (stable), coordinates rounded to 6 decimals, without
    /// regard to the clock or the device's status. An unknown IMEI is ignored.
    pub fn set_history(&self, imei: &str, points: Vec<(f64, f64, i64, i64, i64)>) {
        let Some(dev) = self.shared.fleet.get(imei) else {
            tracing::warn!("set_history: no device {imei}");
            return;
        };
        let mut pts: Vec<Point> = points
            .into_iter()
            .map(|(lon, lat, t, speed, course)| Point {
                lon: geo::round6(lon),
                lat: geo::round6(lat),
                t,
                speed,
                course,
            })
            .collect();
        pts.sort_by_key(|p| p.t);
        self.shared
            .inner()
            .histories
            .insert(dev.index, Arc::new(pts));
    }

    /// Every request received, in order (the last 100 000).
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        self.shared.inner().log.iter().cloned().collect()
    }

    /// Empties the request log.
    pub fn clear_log(&self) {
        self.shared.inner().log.clear();
    }

    /// Successful /api/authorization requests so far.
    pub fn authorizations(&self) -> usize {
        self.shared.inner().authorizations
    }

    /// Geofences created through the API, in order.
    pub fn geofences(&self) -> Vec<SimGeofence> {
        self.shared.inner().geofences.clone()
    }

    /// Messages sent through the API, in order.
    pub fn messages(&self) -> Vec<SimMessage> {
        self.shared.inner().messages.clone()
    }

    /// The demo account's devices, in device-list order.
    pub fn imeis(&self) -> Vec<String> {
        self.shared
            .fleet
            .devices
            .iter()
            .map(|d| d.imei.clone())
            .collect()
    }

    /// The IMEI of the first device named `name`, e.g. [`PARKED_NAME`] or [`SEASONAL_NAME`].
    pub fn imei_of(&self, name: &str) -> Option<String> {
        self.shared.fleet.by_name(name).map(|d| d.imei.clone())
    }

    /// Unix times of the local (UTC+8) midnights starting the days on which a seasonal device
    /// (such as [`SEASONAL_NAME`]) worked and reported, ascending; empty for other devices.
    pub fn seasonal_days(&self, imei: &str) -> Vec<i64> {
        match self.shared.fleet.get(imei).map(|d| &d.activity) {
            Some(fleet::Activity::Seasonal { days }) => {
                days.iter().map(|&d| fleet::day_start(d)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Seconds between a device's reports.
    pub fn report_interval(&self, imei: &str) -> Option<i64> {
        self.shared.fleet.get(imei).map(|d| d.interval)
    }

    /// Moves the simulated clock forward: live positions and history then reach that far (commands
    /// take effect at the simulated time). Token lifetimes, command reply delays and the
    /// signature's time window keep to the real clock.
    pub fn advance_clock(&self, d: Duration) {
        let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 4);
        self.shared
            .clock_offset
            .fetch_add(secs, std::sync::atomic::Ordering::Relaxed);
    }

    /// Stops the server; requests in flight finish.
    pub fn shutdown(&self) {
        let _ = self.stop.send(true);
    }
}
