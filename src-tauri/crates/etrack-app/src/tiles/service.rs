//! The tile service: a tile of a layer of the CURRENT settings, from the cache when it is fresh,
//! else from the layer's server (at most [`MAX_UPSTREAM`] requests at a time, one per tile however
//! many ask for it), else a stale cached copy (offline use).

use super::cache::{CachedTile, TileCache, TileCacheInfo};
use super::catalogue::{self, Basemap};
use crate::settings::Settings;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::sync::Semaphore;

/// A cached tile younger than this is served without asking its server.
pub const FRESH_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
/// The most requests to tile servers at a time.
pub const MAX_UPSTREAM: usize = 4;
/// How long one tile request may take.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(15);
/// A bigger reply is not a map tile.
const MAX_TILE_BYTES: usize = 4 << 20;

/// The User-Agent sent to tile servers (OpenStreetMap's policy asks for one that names the app).
pub fn user_agent() -> String {
    format!(
        "etrack-desktop/{} (+https://github.com/etrack-desktop/etrack-desktop)",
        env!("CARGO_PKG_VERSION")
    )
}

/// A tile to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tile {
    /// The image.
    pub bytes: Vec<u8>,
    /// Its content type (`image/png`).
    pub content_type: String,
}

impl From<CachedTile> for Tile {
    fn from(t: CachedTile) -> Self {
        Self {
            bytes: t.bytes,
            content_type: t.content_type,
        }
    }
}

/// Why no tile is served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TileError {
    /// No such layer, or no such tile in it (deeper than its maximum zoom, outside the world).
    #[error("No such tile: {0}.")]
    NotFound(String),
    /// Its server failed and no copy is cached.
    #[error("The tile could not be fetched ({0}) and no copy is cached.")]
    Upstream(String),
}

/// Where the service reads the current settings.
pub type SettingsSource = Arc<dyn Fn() -> Settings + Send + Sync>;

/// The cache's cap for the settings, in bytes (the setting is in MiB).
fn limit_of(settings: &Settings) -> u64 {
    u64::from(settings.tile_cache_mb) << 20
}

/// Tiles for the map.
pub struct TileService {
    cache: Arc<TileCache>,
    client: Result<reqwest::Client, String>,
    upstream: Semaphore,
    /// One lock per tile URL being fetched: the second asker waits and reads the cache.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    settings: SettingsSource,
}

impl TileService {
    /// The service with its cache in `<data_dir>/tiles`, serving the layers of `settings()`.
    pub fn new(data_dir: &Path, settings: SettingsSource) -> Self {
        let limit = limit_of(&settings());
        let client = reqwest::Client::builder()
            .user_agent(user_agent())
            .timeout(UPSTREAM_TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("no HTTP client: {e}"));
        Self {
            cache: Arc::new(TileCache::open(data_dir.join("tiles"), limit)),
            client,
            upstream: Semaphore::new(MAX_UPSTREAM),
            in_flight: Mutex::new(HashMap::new()),
            settings,
        }
    }

    /// The disk cache.
    pub fn cache(&self) -> &Arc<TileCache> {
        &self.cache
    }

    /// The basemaps of the current settings: the built-in ones, then the custom ones.
    pub fn basemaps(&self) -> Vec<Basemap> {
        catalogue::layers(&(self.settings)())
            .iter()
            .map(catalogue::Layer::basemap)
            .collect()
    }

    async fn blocking<R: Send + 'static>(
        &self,
        f: impl FnOnce(&TileCache) -> R + Send + 'static,
    ) -> Option<R> {
        let cache = self.cache.clone();
        tokio::task::spawn_blocking(move || f(&cache)).await.ok()
    }

    /// Size, cap and tile count of the cache.
    pub async fn info(&self) -> TileCacheInfo {
        // The cap is the settings' of now (the source may not have been readable at start).
        let limit = limit_of(&(self.settings)());
        self.blocking(move |c| {
            c.set_limit(limit);
            c.info()
        })
        .await
        .unwrap_or(TileCacheInfo {
            bytes: 0,
            limit_bytes: limit,
            tiles: 0,
        })
    }

    /// Removes every cached tile.
    pub async fn clear(&self) -> std::io::Result<TileCacheInfo> {
        let limit = limit_of(&(self.settings)());
        self.blocking(move |c| {
            c.set_limit(limit);
            c.clear()
        })
        .await
        .unwrap_or_else(|| Err(std::io::Error::other("the clearing task failed")))
    }

    /// Makes the cache's cap the settings' (evicting at once if it shrank).
    pub async fn apply_limit(&self) {
        let limit = limit_of(&(self.settings)());
        self.blocking(move |c| c.set_limit(limit)).await;
    }

    /// Tile `z`/`x`/`y` (XYZ numbering) of the layer `layer_id`.
    pub async fn get(&self, layer_id: &str, z: u8, x: u32, y: u32) -> Result<Tile, TileError> {
        let settings = (self.settings)();
        let layer = catalogue::find(&settings, layer_id)
            .ok_or_else(|| TileError::NotFound(format!("no map layer {layer_id:?}")))?;
        let url = catalogue::tile_url(&layer, z, x, y)
            .ok_or_else(|| TileError::NotFound(format!("{layer_id} has no tile {z}/{x}/{y}")))?;
        let template = layer.url;
        let read = |template: String| async move {
            self.blocking(move |c| c.get(&template, z, x, y))
                .await
                .flatten()
        };
        let mut cached = read(template.clone()).await;
        if let Some(t) = cached.take_if(|t| !t.is_older_than(FRESH_FOR)) {
            return Ok(t.into());
        }
        // One fetch per tile URL at a time: the others wait for its turn, then read the cache.

        let slot = self.slot(&url);
        let turn = slot.lock().await;
        // Whoever had the turn before may have just fetched it (a second read of a file is
        // cheaper than a second request).
        if let Some(again) = read(template.clone()).await {
            if !again.is_older_than(FRESH_FOR) {
                drop(turn);
                self.release(&url, &slot);
                return Ok(again.into());
            }
            cached = Some(again);
        }
        let fetched = self.fetch(&url).await;
        let served = match fetched {
            Ok(tile) => {
                let copy = CachedTile {
                    bytes: tile.bytes.clone(),
                    content_type: tile.content_type.clone(),
                    fetched: SystemTime::now(),
                };
                let limit = limit_of(&settings);
                let stored = self
                    .blocking(move |c| {
                        c.set_limit(limit);
                        c.put(&template, z, x, y, &copy)
                    })
                    .await;
                if let Some(Err(e)) = stored {
                    tracing::warn!("tile {layer_id}/{z}/{x}/{y} not cached: {e}");
                }
                Ok(tile)
            }
            Err(why) => match cached {
                Some(stale) => {
                    tracing::debug!("tile {layer_id}/{z}/{x}/{y}: {why}; serving the cached copy");
                    Ok(stale.into())
                }
                None => {
                    tracing::debug!("tile {layer_id}/{z}/{x}/{y}: {why}");
                    Err(TileError::Upstream(why))
                }
            },
        };
        drop(turn);
        self.release(&url, &slot);
        served
    }

    fn slot(&self, url: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(url.to_owned()).or_default().clone()
    }

    fn release(&self, url: &str, slot: &Arc<tokio::sync::Mutex<()>>) {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        // Only the map's and this caller's handles: nobody else waits for it.
        if Arc::strong_count(slot) <= 2 {
            map.remove(url);
        }
    }

    /// One request to a tile server; an image or why not.
    async fn fetch(&self, url: &str) -> Result<Tile, String> {
        let client = self.client.as_ref().map_err(Clone::clone)?;
        let _permit = self
            .upstream
            .acquire()
            .await
            .map_err(|_| "the service is closing".to_owned())?;
        let reply = client
            .get(url)
            .send()
            .await
            .map_err(|e| format!("{}", e.without_url()))?;
        let status = reply.status();
        if status != reqwest::StatusCode::OK {
            return Err(format!("the tile server answered HTTP {}", status.as_u16()));
        }
        let content_type = reply
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !content_type.starts_with("image/") {
            return Err(format!(
                "the tile server answered {content_type:?}, not an image"
            ));
        }
        if reply
            .content_length()
            .is_some_and(|n| n > MAX_TILE_BYTES as u64)
        {
            return Err("the tile server's reply is too big for a tile".to_owned());
        }
        let bytes = reply
            .bytes()
            .await
            .map_err(|e| format!("{}", e.without_url()))?;
        if bytes.len() > MAX_TILE_BYTES {
            return Err("the tile server's reply is too big for a tile".to_owned());
        }
        Ok(Tile {
            bytes: bytes.to_vec(),
            content_type: content_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned(),
        })
    }
}

#[cfg(test)]
mod tests;
