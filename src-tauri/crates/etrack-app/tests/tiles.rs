//! The map tiles as the shell uses them through the context: the basemap list and the cache's
//! cap follow the settings.
#![allow(clippy::unwrap_used)]

use etrack_app::context::Dirs;
use etrack_app::host::{BoxFuture, Host, SaveRequest};
use etrack_app::keychain::MemoryKeychain;
use etrack_app::launch::LaunchOptions;
use etrack_app::settings::{CustomBasemap, Datum, Settings};
use etrack_app::tiles::TileError;
use etrack_app::{AppContext, AppError};
use std::path::PathBuf;
use std::sync::Arc;

struct NoHost;

impl Host for NoHost {
    fn emit_json(&self, _name: &'static str, _payload: serde_json::Value) {}

    fn pick_save_path(&self, _r: SaveRequest) -> BoxFuture<'_, Result<Option<PathBuf>, AppError>> {
        Box::pin(async { Ok(None) })
    }

    fn notify(&self, _title: &str, _body: &str) -> Result<(), String> {
        Ok(())
    }
}

#[tokio::test]
async fn basemaps_and_the_cache_cap_follow_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let dirs = Dirs {
        config: dir.path().join("config"),
        data: dir.path().join("data"),
    };
    // A cap chosen before this start is the cap from the start.
    std::fs::create_dir_all(&dirs.config).unwrap();
    std::fs::write(
        dirs.config.join("settings.json"),
        br#"{"settings":{"tileCacheMb":80}}"#,
    )
    .unwrap();
    let ctx = AppContext::new(
        &LaunchOptions::default(),
        &dirs,
        Arc::new(MemoryKeychain::new()),
        Arc::new(NoHost),
    );
    let info = ctx.tile_cache_info().await;
    assert_eq!((info.bytes, info.tiles, info.limit_bytes), (0, 0, 80 << 20));
    let ids: Vec<String> = ctx.basemaps().into_iter().map(|b| b.id).collect();
    assert_eq!(
        ids,
        ["osm", "satellite", "gaode", "gaode-satellite", "tencent"]
    );

    ctx.settings_set(Settings {
        basemap: "custom-home".into(),
        custom_basemaps: vec![CustomBasemap {
            id: "custom-home".into(),
            name: "Home server".into(),
            url: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
            subdomains: String::new(),
            attribution: String::new(),
            max_zoom: 12,
            datum: Datum::Gcj02,
        }],
        tile_cache_mb: 60,
        ..Settings::default()
    })
    .await
    .unwrap();
    let last = ctx.basemaps().pop().unwrap();
    assert_eq!(
        (last.id.as_str(), last.built_in, last.max_zoom, last.datum),
        ("custom-home", false, 12, Datum::Gcj02)
    );
    assert_eq!(ctx.tile_cache_info().await.limit_bytes, 60 << 20);
    assert!(matches!(
        ctx.tile("custom-home", 13, 0, 0).await,
        Err(TileError::NotFound(_))
    ));
    assert!(matches!(
        ctx.tile("custom-gone", 1, 0, 0).await,
        Err(TileError::NotFound(_))
    ));
    assert_eq!(ctx.tile_cache_clear().await.unwrap().tiles, 0);
}
