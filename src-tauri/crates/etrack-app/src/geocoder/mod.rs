//! Street addresses of positions, from a Nominatim-compatible reverse geocoder the user sets in
//! Settings (`GET <url>/reverse?format=jsonv2&lat=..&lon=..`, answering `display_name`).
//!
//! Off while no URL is set: then nothing is asked and every address is `None`. Otherwise each
//! place is looked up once: positions are rounded to [`DECIMALS`] decimals and the answers kept
//! in a small cache of their own ([`cache`]). Requests honour the public service's usage policy:
//! one at a time, at most one a second across the whole app, with a real User-Agent. A call
//! names its *channel* (the vehicle panel, a list, a report); a newer call on the same channel
//! makes the older one stop before its next request, so a list scrolled past or a vehicle left
//! does not hold the queue. A service that fails (unreachable, 5xx, 429, not JSON) is left alone
//! for [`BACKOFF`]: its places get no address, and no error reaches the user.

pub mod cache;
mod client;

use crate::datum;
use crate::settings::Datum;
use cache::{AddressCache, PlaceKey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use ts_rs::TS;

pub use client::{parse_answer, reverse_url, Answer};

/// Decimals a position is rounded to before lookup: 4, about 11 m of latitude. A parked
/// vehicle's fixes wander 5–15 m, so 5 decimals (1 m) would make a new place (and a request, at
/// one a second) of nearly every fix; within 11 m the street and, mostly, the house number are
/// the same.
pub const DECIMALS: i32 = 4;
/// The fewest seconds between two requests (the public Nominatim's policy: one a second).
pub const INTERVAL: Duration = Duration::from_secs(1);
/// How long a failing service is left alone.
pub const BACKOFF: Duration = Duration::from_secs(60);
/// Requests to the service at most per [`Geocoder::lookup`] from the UI (the rest: `None`,
/// asked again by a later call).
pub const MAX_REQUESTS_PER_CALL: usize = 8;
/// Requests at most for one report export (2 minutes at one a second); other rows' addresses
/// that are not cached stay empty.
pub const MAX_REQUESTS_PER_EXPORT: usize = 120;
/// Points at most in one call.
pub const MAX_POINTS_PER_CALL: usize = 500;

/// A position, in the provider's datum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct GeoPoint {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// The user's geocoder, as the settings hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Its URL (empty: off).
    pub url: String,
    /// The datum positions are given in.
    pub datum: Datum,
}

/// `value` rounded to [`DECIMALS`] decimals, as an integer.
pub fn round(value: f64) -> i64 {
    (value * 10f64.powi(DECIMALS)).round() as i64
}

/// The reverse geocoder with its cache and pacing.
pub struct Geocoder {
    client: Result<reqwest::Client, String>,
    cache: AddressCache,
    interval: Duration,
    /// When the last request was sent; held across a request, so requests go one at a time.
    last: tokio::sync::Mutex<Option<Instant>>,
    failing_until: Mutex<Option<Instant>>,
    channels: Mutex<HashMap<String, u64>>,
    calls: AtomicU64,
}

/// The User-Agent the service sees (its policy asks for one that names the application).
pub fn user_agent() -> String {
    format!(
        "etrack-desktop/{} (+https://github.com/etrack-desktop/etrack-desktop)",
        env!("CARGO_PKG_VERSION")
    )
}

impl Geocoder {
    /// A geocoder caching in `<data_dir>/addresses.sqlite`.
    pub fn new(data_dir: &Path) -> Self {
        Self::with_interval(data_dir, INTERVAL)
    }

    /// [`Self::new`] with another request spacing (tests).
    pub fn with_interval(data_dir: &Path, interval: Duration) -> Self {
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("no HTTP client: {e}"));
        Self {
            client,
            cache: AddressCache::in_dir(data_dir),
            interval,
            last: tokio::sync::Mutex::new(None),
            failing_until: Mutex::new(None),
            channels: Mutex::new(HashMap::new()),
            calls: AtomicU64::new(0),
        }
    }

    /// The cache.
    pub fn cache(&self) -> &AddressCache {
        &self.cache
    }

    fn begin(&self, channel: &str) -> u64 {
        let id = self.calls.fetch_add(1, Ordering::Relaxed) + 1;
        self.channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(channel.to_owned(), id);
        id
    }

    fn wanted(&self, channel: &str, id: u64) -> bool {
        self.channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(channel)
            .is_none_or(|latest| *latest == id)
    }

    fn failing(&self) -> bool {
        let until = self
            .failing_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        until.is_some_and(|t| Instant::now() < t)
    }

    fn failed(&self) {
        *self
            .failing_until
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + BACKOFF);
    }

    /// The address of each point (`None`: off, unknown, not looked up yet, or the service
    /// failing): the cache first, then the service for at most `max_requests` places, in order.
    /// `lang` goes out as `Accept-Language` (the UI's language).
    pub async fn lookup(
        &self,
        service: &Service,
        lang: &str,
        channel: &str,
        points: &[GeoPoint],
        max_requests: usize,
    ) -> Vec<Option<String>> {
        let mut out = vec![None; points.len()];
        let url = service.url.trim();
        if url.is_empty() || points.is_empty() {
            return out;
        }
        let id = self.begin(channel);
        let lang = clean_lang(lang);
        // Each point's place (None: not a position), in WGS-84.
        let keys: Vec<Option<PlaceKey>> = points
            .iter()
            .take(MAX_POINTS_PER_CALL)
            .map(|p| {
                if !p.lat.is_finite()
                    || !p.lon.is_finite()
                    || p.lat.abs() > 90.0
                    || p.lon.abs() > 180.0
                    || (p.lat == 0.0 && p.lon == 0.0)
                {
                    return None;
                }
                let (lat, lon) = datum::to_wgs84(service.datum, p.lat, p.lon);
                Some(PlaceKey {
                    service: url.to_owned(),
                    lang: lang.clone(),
                    lat: round(lat),
                    lon: round(lon),
                })
            })
            .collect();
        let mut unique: Vec<PlaceKey> = Vec::new();
        for k in keys.iter().flatten() {
            if !unique.contains(k) {
                unique.push(k.clone());
            }
        }
        let known = self.cache.get_many(unique.clone()).await;
        let mut found: HashMap<PlaceKey, Option<String>> = HashMap::new();
        let mut asked = 0;
        for (key, known) in unique.into_iter().zip(known) {
            if let Some(address) = known {
                found.insert(key, address);
                continue;
            }
            if asked >= max_requests || self.failing() || !self.wanted(channel, id) {
                continue;
            }
            asked += 1;
            match self.ask(url, &lang, &key, channel, id).await {
                Some(Ok(address)) => {
                    self.cache.put(key.clone(), address.clone()).await;
                    found.insert(key, address);
                }
                Some(Err(why)) => {
                    tracing::warn!("the geocoder {url} failed ({why}); left alone for a minute");
                    self.failed();
                }
                None => {}
            }
        }
        for (slot, key) in out.iter_mut().zip(&keys) {
            if let Some(k) = key {
                *slot = found.get(k).cloned().flatten();
            }
        }
        out
    }

    /// One request, paced; `None` when it was no longer wanted once its turn came.
    async fn ask(
        &self,
        url: &str,
        lang: &str,
        key: &PlaceKey,
        channel: &str,
        id: u64,
    ) -> Option<Result<Option<String>, String>> {
        let mut last = self.last.lock().await;
        if let Some(at) = *last {
            tokio::time::sleep_until((at + self.interval).into()).await;
        }
        if !self.wanted(channel, id) || self.failing() {
            return None;
        }
        *last = Some(Instant::now());
        let client = match &self.client {
            Ok(c) => c,
            Err(e) => return Some(Err(e.clone())),
        };
        Some(client::reverse(client, url, lang, key).await)
    }
}

/// The language as an `Accept-Language` value: a BCP 47 tag, else none.
fn clean_lang(lang: &str) -> String {
    let t = lang.trim();
    if !t.is_empty() && t.len() <= 35 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        t.to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests;
