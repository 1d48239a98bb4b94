//! Map tiles for the webview: the basemap catalogue (built-in layers and the user's own), a
//! size-capped disk cache, and the service that serves a tile from the cache or its upstream
//! server. The shell serves it to the webview through the `etrack-tile` protocol, so the webview
//! never chooses an upstream URL: only the catalogue's and the settings' templates are fetched.

pub mod cache;
pub mod catalogue;
pub mod service;

pub use cache::{CachedTile, TileCache, TileCacheInfo};
pub use catalogue::{Basemap, Layer, YOrder};
pub use service::{Tile, TileError, TileService};
