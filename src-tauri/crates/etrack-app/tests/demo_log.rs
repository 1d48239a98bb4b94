//! The demo-only request log that end-to-end tests read to prove what was (not) sent.
#![allow(clippy::unwrap_used)]

mod common;

use etrack_app::demo::{request_log, DemoRequest};
use etrack_app::session::SessionManager;

/// The log as the demo-only command reads it: only while the demo service runs.
fn log(m: &SessionManager, path: Option<&str>, since: u32) -> Option<Vec<DemoRequest>> {
    m.demo_service().map(|sim| request_log(sim, path, since))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_log_lists_requests_by_path_and_position_without_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let m = common::quiet_manager(dir.path());
    assert!(log(&m, None, 0).is_none(), "no log outside demo mode");

    m.demo().await.unwrap();
    let client = m.client().await.unwrap();
    client.device_list(None).await.unwrap();
    let all = log(&m, None, 0).unwrap();
    assert_eq!(all[0].path, "/api/authorization");
    assert!(all
        .iter()
        .enumerate()
        .all(|(i, r)| usize::try_from(r.seq).unwrap() == i));
    let lists = log(&m, Some("/api/device/list"), 0).unwrap();
    assert!(!lists.is_empty());
    for r in &lists {
        let token = r.params.iter().find(|(k, _)| k == "access_token").unwrap();
        assert_eq!(token.1, "", "the token is blanked");
    }
    // The live poller runs too: only the user list is asked for by path.
    let mark = u32::try_from(all.len()).unwrap();
    assert!(log(&m, Some("/api/user/list"), 0).unwrap().is_empty());
    client.user_list(None).await.unwrap();
    let after = log(&m, Some("/api/user/list"), mark).unwrap();
    assert_eq!(after.len(), 1);
    assert!(after[0].seq >= mark);
    m.shutdown().await;
}
