//! A provider that answers what no spec allows: a redirect (never followed: a command must not be
//! sent twice, nor anywhere else) and an endless reply (refused past a cap, not held in memory).
//! A raw HTTP server on loopback plays it.
#![allow(clippy::unwrap_used)]

use etrack::{Client, Error, PasswordHash};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Serves `reply(path)` to every request; counts the requests per path prefix.
fn serve(
    reply: impl Fn(&str) -> Vec<u8> + Send + 'static,
) -> (String, Arc<AtomicUsize>, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let commands = Arc::new(AtomicUsize::new(0));
    let elsewhere = Arc::new(AtomicUsize::new(0));
    let (c, e) = (commands.clone(), elsewhere.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let head = String::from_utf8_lossy(&buf[..n]).to_string();
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
            if path.starts_with("/api/command/send") {
                c.fetch_add(1, Ordering::SeqCst);
            } else if path.starts_with("/elsewhere") {
                e.fetch_add(1, Ordering::SeqCst);
            }
            let _ = stream.write_all(&reply(&path));
        }
    });
    (base, commands, elsewhere)
}

fn ok_token() -> Vec<u8> {
    let body = r#"{"code":0,"record":{"access_token":"T","expires_in":7200}}"#;
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn a_redirect_is_an_error_and_the_command_is_not_sent_again() {
    let (base, commands, elsewhere) = serve(|path| {
        if path.starts_with("/api/authorization") {
            ok_token()
        } else {
            b"HTTP/1.1 307 Temporary Redirect\r\nlocation: /elsewhere/api/command/send\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec()
        }
    });
    let c = Client::builder("demo", PasswordHash::from_password("x"))
        .base_url(&base)
        .build()
        .unwrap();
    let imei: etrack::Imei = "358899051025339".parse().unwrap();
    let e = c
        .send_command(&imei, &etrack::Command::StopEngine)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Http { status: 307 }), "{e:?}");
    assert_eq!(commands.load(Ordering::SeqCst), 1, "sent once");
    assert_eq!(elsewhere.load(Ordering::SeqCst), 0, "never followed");
}

#[tokio::test]
async fn an_endless_reply_is_refused_past_the_cap() {
    let (base, _, _) = serve(|path| {
        if path.starts_with("/api/authorization") {
            return ok_token();
        }
        // No content-length: the body just goes on (40 MiB of a JSON string).
        let mut out = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{\"code\":0,\"record\":\"".to_vec();
        out.extend(std::iter::repeat_n(b'1', 40 * 1024 * 1024));
        out.extend_from_slice(b"\"}");
        out
    });
    let c = Client::builder("demo", PasswordHash::from_password("x"))
        .base_url(&base)
        .build()
        .unwrap();
    let e = c.device_list(None).await.unwrap_err();
    assert!(
        matches!(&e, Error::Decode(why) if why.contains("larger than 32 MiB")),
        "{e:?}"
    );
}

#[tokio::test]
async fn no_part_of_a_broken_sign_in_reply_reaches_an_error() {
    for body in [
        r#"{"code":0,"record":{"access_token":"SECRET-TOKEN-123","expires_in":"#,
        r#"{"code":0,"record":"SECRET-TOKEN-123"}"#,
        r#"{"code":0,"record":["SECRET-TOKEN-123"]}"#,
    ] {
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes();
        let (base, _, _) = serve(move |_| reply.clone());
        let c = Client::builder("demo", PasswordHash::from_password("x"))
            .base_url(&base)
            .build()
            .unwrap();
        let e = c.authorize().await.unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(matches!(e, Error::Decode(_)), "{e:?}");
    }
}
