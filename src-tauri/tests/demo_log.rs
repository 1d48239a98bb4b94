//! The demo-only request log that end-to-end tests read to prove what was (not) sent.
#![allow(clippy::unwrap_used)]

mod common;

use etrack_desktop_lib::commands::demo::request_log;
use etrack_desktop_lib::error::ErrorKind;

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_log_lists_requests_by_path_and_position_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let m = common::quiet_manager(dir.path());
    let e = request_log(&m, None, 0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation, "no log outside demo mode");

    m.demo().await.unwrap();
    let client = m.client().await.unwrap();
    client.device_list(None).await.unwrap();
    let all = request_log(&m, None, 0).unwrap();
    assert_eq!(all[0].path, "/api/authorization");
    assert!(all.iter().enumerate().all(|(i, r)| r.seq == i));
    let lists = request_log(&m, Some("/api/device/list"), 0).unwrap();
    assert!(!lists.is_empty());
    for r in &lists {
        let token = r.params.iter().find(|(k, _)| k == "access_token").unwrap();
        assert_eq!(token.1, "", "the token is blanked");
    }
    // The live poller runs too: only the user list is asked for by path.
    let mark = all.len();
    assert!(request_log(&m, Some("/api/user/list"), 0)
        .unwrap()
        .is_empty());
    client.user_list(None).await.unwrap();
    let after = request_log(&m, Some("/api/user/list"), mark).unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].seq >= mark);
    m.shutdown().await;
}
