//! The service against a stub tile server on 127.0.0.1 that counts what it is asked.

use super::*;
use crate::settings::{CustomBasemap, Datum};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n-a-small-tile-";

/// A tile server: `/png/...` answers an image, `/slow/...` the same after 200 ms, `/html/...` a
/// web page with status 200, `/missing/...` 404. One request per connection.
struct Stub {
    addr: SocketAddr,
    /// Each request's head (request line and headers).
    requests: Arc<Mutex<Vec<String>>>,
    busy: Arc<AtomicUsize>,
    most_busy: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Stub {
    async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let busy = Arc::new(AtomicUsize::new(0));
        let most_busy = Arc::new(AtomicUsize::new(0));
        let (r, b, m) = (requests.clone(), busy.clone(), most_busy.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut conn, _)) = listener.accept().await {
                let (r, b, m) = (r.clone(), b.clone(), m.clone());
                tokio::spawn(async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16_384 {
                        match conn.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&head).into_owned();
                    let path = head.split(' ').nth(1).unwrap_or_default().to_owned();
                    r.lock().expect("log").push(head);
                    let now = b.fetch_add(1, Ordering::SeqCst) + 1;
                    m.fetch_max(now, Ordering::SeqCst);
                    let (status, ct, body): (&str, &str, &[u8]) = if path.starts_with("/png/") {
                        ("200 OK", "image/png", PNG)
                    } else if path.starts_with("/slow/") {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        ("200 OK", "image/jpeg", PNG)
                    } else if path.starts_with("/html/") {
                        (
                            "200 OK",
                            "text/html; charset=utf-8",
                            b"<html>a captive portal</html>",
                        )
                    } else {
                        ("404 Not Found", "text/plain", b"no tile")
                    };
                    b.fetch_sub(1, Ordering::SeqCst);
                    let mut reply = format!(
                        "HTTP/1.1 {status}\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    reply.extend_from_slice(body);
                    let _ = conn.write_all(&reply).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        Self {
            addr,
            requests,
            busy,
            most_busy,
            task,
        }
    }

    fn count(&self) -> usize {
        self.requests.lock().expect("log").len()
    }

    fn paths(&self) -> Vec<String> {
        self.requests
            .lock()
            .expect("log")
            .iter()
            .map(|h| h.split(' ').nth(1).unwrap_or_default().to_owned())
            .collect()
    }

    fn template(&self, kind: &str) -> String {
        format!("http://{}/{kind}/{{z}}/{{x}}/{{y}}.png", self.addr)
    }

    async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        assert_eq!(self.busy.load(Ordering::SeqCst), 0);
    }
}

fn old_tile(fetched: SystemTime) -> CachedTile {
    CachedTile {
        bytes: b"old image".to_vec(),
        content_type: "image/png".into(),
        fetched,
    }
}

fn custom(id: &str, url: String) -> CustomBasemap {
    CustomBasemap {
        id: id.into(),
        name: "Stub".into(),
        url,
        subdomains: String::new(),
        attribution: "© Stub".into(),
        max_zoom: 18,
        datum: Datum::Wgs84,
    }
}

/// A service whose settings the test changes.
struct Setup {
    service: TileService,
    settings: Arc<Mutex<Settings>>,
    _dir: tempfile::TempDir,
}

fn setup(custom_basemaps: Vec<CustomBasemap>) -> Setup {
    let dir = tempfile::tempdir().expect("dir");
    let settings = Arc::new(Mutex::new(Settings {
        custom_basemaps,
        ..Settings::default()
    }));
    let source = settings.clone();
    let service = TileService::new(
        dir.path(),
        Arc::new(move || source.lock().expect("settings").clone()),
    );
    Setup {
        service,
        settings,
        _dir: dir,
    }
}

#[tokio::test]
async fn a_tile_is_fetched_once_then_served_from_the_cache_also_offline() {
    let stub = Stub::start().await;
    let s = setup(vec![custom("custom-1", stub.template("png"))]);
    let t = s.service.get("custom-1", 3, 4, 5).await.expect("tile");
    assert_eq!(t.bytes, PNG);
    assert_eq!(t.content_type, "image/png");
    assert_eq!(stub.paths(), ["/png/3/4/5.png"]);
    let head = stub.requests.lock().expect("log")[0].to_lowercase();
    assert!(
        head.contains(&format!("user-agent: {}", user_agent().to_lowercase())),
        "{head}"
    );
    assert!(user_agent().starts_with("etrack-desktop/"));

    let again = s.service.get("custom-1", 3, 4, 5).await.expect("tile");
    assert_eq!(again, t);
    assert_eq!(stub.count(), 1, "the second time comes from the cache");
    let info = s.service.info().await;
    assert_eq!(info.tiles, 1);
    assert!(info.bytes > PNG.len() as u64);
    assert_eq!(info.limit_bytes, 500 << 20);

    stub.stop().await;
    assert_eq!(
        s.service.get("custom-1", 3, 4, 5).await.expect("cached"),
        t,
        "served with the server gone"
    );
    let err = s
        .service
        .get("custom-1", 3, 4, 6)
        .await
        .expect_err("not cached");
    assert!(matches!(err, TileError::Upstream(_)), "{err:?}");
    assert!(err.to_string().contains("no copy is cached"), "{err}");
}

#[tokio::test]
async fn a_stale_tile_is_fetched_again_and_served_when_the_server_fails() {
    let stub = Stub::start().await;
    let s = setup(vec![custom("custom-1", stub.template("png"))]);
    let template = stub.template("png");
    let old = SystemTime::now() - FRESH_FOR - Duration::from_secs(3600);
    s.service
        .cache()
        .put(&template, 2, 1, 1, &old_tile(old))
        .expect("put");
    let t = s.service.get("custom-1", 2, 1, 1).await.expect("tile");
    assert_eq!(t.bytes, PNG, "a week-old tile is fetched again");
    assert_eq!(stub.count(), 1);

    s.service
        .cache()
        .put(&template, 2, 1, 2, &old_tile(old))
        .expect("put");
    stub.stop().await;
    let t = s
        .service
        .get("custom-1", 2, 1, 2)
        .await
        .expect("stale copy");
    assert_eq!(t.bytes, b"old image", "offline: the old copy beats nothing");
}

#[tokio::test]
async fn tiles_that_do_not_exist_are_refused_without_a_request() {
    let stub = Stub::start().await;
    let s = setup(vec![custom("custom-1", stub.template("png"))]);
    for (layer, z, x, y) in [
        ("custom-2", 1, 0, 0),
        ("../../etc", 1, 0, 0),
        ("custom-1", 19, 0, 0),
        ("custom-1", 2, 4, 0),
        ("custom-1", 2, 0, 4),
        ("custom-1", 0, 0, 1),
        ("osm", 20, 0, 0),
    ] {
        let err = s.service.get(layer, z, x, y).await.expect_err(layer);
        assert!(
            matches!(err, TileError::NotFound(_)),
            "{layer} {z}/{x}/{y}: {err:?}"
        );
    }
    assert_eq!(stub.count(), 0);
    stub.stop().await;
}

#[tokio::test]
async fn a_page_that_is_not_an_image_is_not_cached() {
    let stub = Stub::start().await;
    let s = setup(vec![
        custom("custom-html", stub.template("html")),
        custom("custom-404", stub.template("missing")),
    ]);
    for layer in ["custom-html", "custom-404"] {
        for _ in 0..2 {
            let err = s.service.get(layer, 1, 1, 1).await.expect_err(layer);
            assert!(matches!(err, TileError::Upstream(_)), "{err:?}");
        }
    }
    assert_eq!(stub.count(), 4, "asked each time: nothing was cached");
    assert_eq!(s.service.info().await.tiles, 0);
    let err = s
        .service
        .get("custom-html", 1, 1, 1)
        .await
        .expect_err("html");
    assert!(err.to_string().contains("not an image"), "{err}");
    let err = s.service.get("custom-404", 1, 1, 1).await.expect_err("404");
    assert!(err.to_string().contains("HTTP 404"), "{err}");
    stub.stop().await;
}

#[tokio::test]
async fn a_custom_map_whose_url_changed_does_not_serve_the_old_sources_tiles() {
    let stub = Stub::start().await;
    let s = setup(vec![custom("custom-1", stub.template("png"))]);
    s.service.get("custom-1", 1, 0, 0).await.expect("tile");
    s.settings.lock().expect("settings").custom_basemaps =
        vec![custom("custom-1", stub.template("missing"))];
    let err = s
        .service
        .get("custom-1", 1, 0, 0)
        .await
        .expect_err("new source");
    assert!(matches!(err, TileError::Upstream(_)), "{err:?}");
    assert_eq!(stub.paths(), ["/png/1/0/0.png", "/missing/1/0/0.png"]);
    // A removed custom map serves nothing at all.
    s.settings.lock().expect("settings").custom_basemaps.clear();
    assert!(matches!(
        s.service.get("custom-1", 1, 0, 0).await,
        Err(TileError::NotFound(_))
    ));
    assert_eq!(stub.count(), 2);
    stub.stop().await;
}

#[tokio::test]
async fn the_same_tile_asked_at_once_is_fetched_once_and_servers_get_at_most_four_requests() {
    let stub = Stub::start().await;
    let s = Arc::new(setup(vec![custom("custom-1", stub.template("slow"))]));
    let same: Vec<_> = (0..6)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.service.get("custom-1", 5, 1, 1).await })
        })
        .collect();
    for t in same {
        assert_eq!(
            t.await.expect("task").expect("tile").content_type,
            "image/jpeg"
        );
    }
    assert_eq!(stub.count(), 1, "one request for the same tile");

    let many: Vec<_> = (0..12)
        .map(|x| {
            let s = s.clone();
            tokio::spawn(async move { s.service.get("custom-1", 5, x, 2).await })
        })
        .collect();
    for t in many {
        t.await.expect("task").expect("tile");
    }
    assert_eq!(stub.count(), 13);
    let most = stub.most_busy.load(Ordering::SeqCst);
    assert!((1..=MAX_UPSTREAM).contains(&most), "{most} at once");
    assert!(
        s.service.in_flight.lock().expect("map").is_empty(),
        "no leftovers"
    );
    stub.stop().await;
}

#[tokio::test]
async fn the_cap_follows_the_settings_and_clear_empties() {
    let stub = Stub::start().await;
    let s = setup(vec![custom("custom-1", stub.template("png"))]);
    for x in 0..3 {
        s.service.get("custom-1", 2, x, 0).await.expect("tile");
    }
    assert_eq!(s.service.info().await.tiles, 3);
    s.settings.lock().expect("settings").tile_cache_mb = 50;
    s.service.apply_limit().await;
    assert_eq!(s.service.info().await.limit_bytes, 50 << 20);
    let info = s.service.clear().await.expect("clear");
    assert_eq!((info.bytes, info.tiles), (0, 0));
    s.service.get("custom-1", 2, 0, 0).await.expect("tile");
    assert_eq!(stub.count(), 4, "cleared tiles are fetched again");
    let ids: Vec<String> = s.service.basemaps().into_iter().map(|b| b.id).collect();
    assert_eq!(ids.last().map(String::as_str), Some("custom-1"));
    assert_eq!(ids.first().map(String::as_str), Some("osm"));
    stub.stop().await;
}
