//! The `etrack-tile` protocol: the webview's map asks `etrack-tile://localhost/<layer>/<z>/<x>/<y>`
//! (on Windows `http://etrack-tile.localhost/<layer>/<z>/<x>/<y>`) and the backend answers from its
//! tile cache or the layer's server. The webview picks only a layer id and tile numbers: the
//! upstream URL always comes from the catalogue or the settings.

use etrack_app::tiles::{Tile, TileError};
use etrack_app::AppContext;
use std::sync::Arc;
use tauri::http::{header, Response, StatusCode};
use tauri::{Manager, Runtime};

/// The protocol's scheme.
pub const SCHEME: &str = "etrack-tile";

/// A tile's address: `/<layer>/<z>/<x>/<y>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TilePath {
    /// The layer id.
    pub layer: String,
    /// Zoom.
    pub z: u8,
    /// Column.
    pub x: u32,
    /// Row (XYZ: 0 at the top).
    pub y: u32,
}

/// Reads `/<layer>/<z>/<x>/<y>`; anything else is `None`.
pub fn parse_path(path: &str) -> Option<TilePath> {
    let mut parts = path.strip_prefix('/')?.split('/');
    let layer = parts.next()?;
    let ok_layer = (1..=60).contains(&layer.len())
        && layer
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let number = |s: Option<&str>| -> Option<u32> {
        let s = s?;
        if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let z = u8::try_from(number(parts.next())?).ok()?;
    let x = number(parts.next())?;
    let y = number(parts.next())?;
    if !ok_layer || parts.next().is_some() {
        return None;
    }
    Some(TilePath {
        layer: layer.to_owned(),
        z,
        x,
        y,
    })
}

fn plain(status: StatusCode, text: &str) -> Response<Vec<u8>> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(text.as_bytes().to_vec())
        .unwrap_or_default()
}

fn tile_response(tile: Tile) -> Response<Vec<u8>> {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, tile.content_type)
        .header(header::CACHE_CONTROL, "max-age=86400")
        .body(tile.bytes)
        .unwrap_or_default()
}

/// The answer to one tile request.
pub async fn respond(
    ctx: &AppContext,
    method: &tauri::http::Method,
    path: &str,
) -> Response<Vec<u8>> {
    if method != tauri::http::Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "Tiles are read with GET.");
    }
    let Some(p) = parse_path(path) else {
        return plain(
            StatusCode::BAD_REQUEST,
            "A tile is asked as /<layer>/<z>/<x>/<y>.",
        );
    };
    match ctx.tile(&p.layer, p.z, p.x, p.y).await {
        Ok(tile) => tile_response(tile),
        Err(e @ TileError::NotFound(_)) => plain(StatusCode::NOT_FOUND, &e.to_string()),
        // Leaflet then shows its (transparent) error tile over the offline basemap.
        Err(e) => plain(StatusCode::BAD_GATEWAY, &e.to_string()),
    }
}

/// Registers the protocol on the builder. Each request runs on the async runtime: the webview's
/// thread never waits for a tile.
pub fn register<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |ctx, request, responder| {
        let app = ctx.app_handle().clone();
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        tauri::async_runtime::spawn(async move {
            let response = match app.try_state::<Arc<AppContext>>() {
                Some(ctx) => {
                    let ctx = ctx.inner().clone();
                    respond(&ctx, &method, &path).await
                }
                None => plain(StatusCode::SERVICE_UNAVAILABLE, "The app is starting."),
            };
            responder.respond(response);
        });
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_paths_are_layer_z_x_y_and_nothing_else() {
        assert_eq!(
            parse_path("/osm/3/4/5"),
            Some(TilePath {
                layer: "osm".into(),
                z: 3,
                x: 4,
                y: 5
            })
        );
        assert_eq!(
            parse_path("/custom-my-1/0/0/0").map(|p| p.layer),
            Some("custom-my-1".into())
        );
        for bad in [
            "",
            "/",
            "/osm",
            "/osm/3/4",
            "/osm/3/4/5/6",
            "/osm/3/4/5.png",
            "/osm/3/-4/5",
            "/osm/300/4/5",
            "/osm/3/4/99999999999",
            "/OSM/3/4/5",
            "/../3/4/5x",
            "/os%2Fm/3/4/5",
            "osm/3/4/5",
            "//3/4/5",
            "/osm/+3/4/5",
        ] {
            assert_eq!(parse_path(bad), None, "{bad}");
        }
    }
}
