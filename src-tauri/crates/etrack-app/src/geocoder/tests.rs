//! The geocoder against a stub service over HTTP on 127.0.0.1.

use super::*;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the stub answers.
#[derive(Clone, Copy)]
enum Mode {
    Address,
    Fail,
    BadJson,
}

/// A request the stub received: its target, `Accept-Language`, `User-Agent`, and when.
#[derive(Debug, Clone)]
struct Seen {
    target: String,
    lang: String,
    agent: String,
    at: Instant,
}

async fn stub(mode: Mode) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 2048];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&buf).to_string();
                let target = head
                    .lines()
                    .next()
                    .and_then(|l| l.split(' ').nth(1))
                    .unwrap_or_default()
                    .to_owned();
                let header = |name: &str| {
                    head.lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
                        })
                        .unwrap_or_default()
                };
                log.lock().expect("log").push(Seen {
                    target: target.clone(),
                    lang: header("accept-language"),
                    agent: header("user-agent"),
                    at: Instant::now(),
                });
                let q = |k: &str| {
                    target
                        .split(['?', '&'])
                        .find_map(|p| p.strip_prefix(&format!("{k}=")).map(str::to_owned))
                        .unwrap_or_default()
                };
                let (status, body) = match mode {
                    Mode::Address => (
                        "200 OK",
                        format!(
                            r#"{{"display_name":"Stub Street {} {}, Testville","address":{{"road":"Stub Street"}}}}"#,
                            q("lat"),
                            q("lon")
                        ),
                    ),
                    Mode::Fail => ("503 Service Unavailable", "down".to_owned()),
                    Mode::BadJson => ("200 OK", "<html>not json</html>".to_owned()),
                };
                let resp = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(resp.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), seen)
}

fn service(url: &str) -> Service {
    Service {
        url: url.to_owned(),
        datum: Datum::Wgs84,
    }
}

fn p(lat: f64, lon: f64) -> GeoPoint {
    GeoPoint { lat, lon }
}

#[tokio::test]
async fn a_place_is_asked_once_with_the_language_and_user_agent() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, seen) = stub(Mode::Address).await;
    let g = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    let got = g
        .lookup(&service(&url), "zh-CN", "t", &[p(48.858_37, 2.294_48)], 8)
        .await;
    assert_eq!(
        got,
        vec![Some("Stub Street 48.8584 2.2945, Testville".to_owned())]
    );
    {
        let seen = seen.lock().expect("log");
        assert_eq!(seen.len(), 1);
        assert!(seen[0]
            .target
            .starts_with("/reverse?format=jsonv2&lat=48.8584&lon=2.2945"));
        assert_eq!(seen[0].lang, "zh-CN");
        assert_eq!(seen[0].agent, user_agent());
        assert!(seen[0].agent.starts_with("etrack-desktop/"));
    }
    // 3 m away: the same rounded place, from the cache.
    let again = g
        .lookup(&service(&url), "zh-CN", "t", &[p(48.858_39, 2.294_46)], 8)
        .await;
    assert_eq!(again, got);
    assert_eq!(seen.lock().expect("log").len(), 1);
    // A new geocoder on the same folder (a restart): still cached, on disk.
    let g2 = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    let third = g2
        .lookup(&service(&url), "zh-CN", "t", &[p(48.858_37, 2.294_48)], 8)
        .await;
    assert_eq!(third, got);
    assert_eq!(seen.lock().expect("log").len(), 1);
}

#[tokio::test]
async fn requests_are_a_second_apart() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, seen) = stub(Mode::Address).await;
    let g = Geocoder::new(dir.path());
    let pts = [p(10.0, 10.0), p(10.001, 10.0), p(10.002, 10.0)];
    let got = g.lookup(&service(&url), "en", "t", &pts, 8).await;
    assert!(got.iter().all(Option::is_some));
    let seen = seen.lock().expect("log");
    assert_eq!(seen.len(), 3);
    for w in seen.windows(2) {
        let gap = w[1].at - w[0].at;
        assert!(gap >= Duration::from_millis(990), "{gap:?}");
    }
}

#[tokio::test]
async fn a_failing_service_gives_no_address_and_is_left_alone() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, seen) = stub(Mode::Fail).await;
    let g = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    let pts: Vec<GeoPoint> = (0..5)
        .map(|k| p(20.0 + f64::from(k) / 100.0, 5.0))
        .collect();
    assert_eq!(
        g.lookup(&service(&url), "en", "t", &pts, 8).await,
        vec![None; 5]
    );
    assert_eq!(
        g.lookup(&service(&url), "en", "t", &pts, 8).await,
        vec![None; 5]
    );
    assert_eq!(
        seen.lock().expect("log").len(),
        1,
        "one request, then the backoff"
    );
}

#[tokio::test]
async fn bad_json_is_no_address_and_nothing_listens_is_no_address() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, _seen) = stub(Mode::BadJson).await;
    let g = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    assert_eq!(
        g.lookup(&service(&url), "en", "t", &[p(1.0, 1.0)], 8).await,
        vec![None]
    );
    // A port nothing listens on.
    let free = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let dead = format!("http://{}", free.local_addr().expect("addr"));
    drop(free);
    let g = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    assert_eq!(
        g.lookup(&service(&dead), "en", "t", &[p(1.0, 1.0)], 8)
            .await,
        vec![None]
    );
}

#[tokio::test]
async fn off_asks_nothing_and_bad_points_are_none() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, seen) = stub(Mode::Address).await;
    let g = Geocoder::with_interval(dir.path(), Duration::from_millis(10));
    assert_eq!(
        g.lookup(&service(""), "en", "t", &[p(1.0, 1.0)], 8).await,
        vec![None]
    );
    let got = g
        .lookup(
            &service(&url),
            "en",
            "t",
            &[p(f64::NAN, 1.0), p(0.0, 0.0), p(95.0, 1.0)],
            8,
        )
        .await;
    assert_eq!(got, vec![None; 3]);
    assert_eq!(seen.lock().expect("log").len(), 0);
    assert!(!dir.path().join("addresses.sqlite").exists() || g.cache().path().exists());
}

#[tokio::test]
async fn at_most_the_limit_per_call_and_a_newer_call_drops_the_older_ones_queue() {
    let dir = tempfile::tempdir().expect("tmp");
    let (url, seen) = stub(Mode::Address).await;
    let g = Arc::new(Geocoder::with_interval(
        dir.path(),
        Duration::from_millis(300),
    ));
    let pts: Vec<GeoPoint> = (0..6)
        .map(|k| p(30.0 + f64::from(k) / 100.0, 5.0))
        .collect();
    let got = g.lookup(&service(&url), "en", "t", &pts, 2).await;
    assert_eq!(got.iter().filter(|a| a.is_some()).count(), 2);
    assert_eq!(seen.lock().expect("log").len(), 2);

    let older: Vec<GeoPoint> = (0..6)
        .map(|k| p(40.0 + f64::from(k) / 100.0, 5.0))
        .collect();
    let g2 = g.clone();
    let u2 = url.clone();
    let first =
        tokio::spawn(async move { g2.lookup(&service(&u2), "en", "panel", &older, 8).await });
    tokio::time::sleep(Duration::from_millis(450)).await;
    let newer = g
        .lookup(&service(&url), "en", "panel", &[p(50.0, 5.0)], 8)
        .await;
    assert!(newer[0].is_some());
    let first = first.await.expect("join");
    let done = first.iter().filter(|a| a.is_some()).count();
    assert!(done < 6, "the older call stopped asking: {done}");
}

#[test]
fn answers_parse() {
    assert_eq!(
        parse_answer(br#"{"display_name":"1 Main St, Town"}"#),
        Ok(Some("1 Main St, Town".to_owned()))
    );
    assert_eq!(
        parse_answer(br#"{"address":{"road":"Main St","house_number":"1","town":"Town"}}"#),
        Ok(Some("1 Main St, Town".to_owned()))
    );
    assert_eq!(parse_answer(br#"{"error":"Unable to geocode"}"#), Ok(None));
    assert!(parse_answer(b"nope").is_err());
    let u = reverse_url("https://nominatim.example.org/", 1.0, 2.0).expect("url");
    assert_eq!(
        u.as_str(),
        "https://nominatim.example.org/reverse?format=jsonv2&lat=1.0000&lon=2.0000"
    );
    let u = reverse_url("https://x.example/geo/reverse", 1.0, 2.0).expect("url");
    assert!(u.as_str().starts_with("https://x.example/geo/reverse?"));
}
