//! Accounts at the command level against etrack-sim: the list, the profile, block and unblock
//! through a confirmation (a used, expired or unknown id changes nothing), messages in batches.
#![allow(clippy::unwrap_used)]

mod common;

use etrack::{Client, PasswordHash};
use etrack_app::accounts::AccountDesk;
use etrack_app::audit::{AuditLog, AuditOutcome};
use etrack_app::error::ErrorKind;
use etrack_app::session::SessionManager;
use etrack_sim::{
    SimConfig, SimHandle, BLOCKED_ACCOUNT, DEMO_ACCOUNT, DEMO_PASSWORD, EAST_ACCOUNT, WEST_ACCOUNT,
};
use std::sync::Arc;
use std::time::Duration;

struct Rig {
    sim: SimHandle,
    sessions: SessionManager,
    desk: AccountDesk,
    audit: Arc<AuditLog>,
    _dir: tempfile::TempDir,
}

async fn rig(ttl: Duration) -> Rig {
    let sim = etrack_sim::spawn(SimConfig::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sessions = common::signed_in(&sim, dir.path()).await;
    let audit = Arc::new(AuditLog::in_dir(dir.path()));
    let desk = AccountDesk::new(audit.clone()).with_confirmation_ttl(ttl);
    Rig {
        sim,
        sessions,
        desk,
        audit,
        _dir: dir,
    }
}

impl Rig {
    fn requests(&self, path: &str) -> Vec<etrack_sim::LoggedRequest> {
        self.sim
            .request_log()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// Whether `account` can sign in at the provider right now.
    async fn can_sign_in(&self, account: &str) -> Result<(), etrack::Error> {
        Client::builder(account, PasswordHash::from_password(DEMO_PASSWORD))
            .base_url(self.sim.base_url())
            .build()
            .unwrap()
            .authorize()
            .await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_shows_sub_customers_with_role_and_block_status_and_the_profile_is_mine() {
    let r = rig(Duration::from_secs(60)).await;
    let list = r.desk.list(&r.sessions).await.unwrap();
    let names: Vec<&str> = list.iter().map(|u| u.account.as_str()).collect();
    assert!(
        !names.contains(&DEMO_ACCOUNT),
        "the signed-in account is not a sub-customer"
    );
    for a in [EAST_ACCOUNT, WEST_ACCOUNT, BLOCKED_ACCOUNT] {
        assert!(names.contains(&a), "{a} in {names:?}");
    }
    let blocked = list.iter().find(|u| u.account == BLOCKED_ACCOUNT).unwrap();
    assert!(blocked.is_blocked());
    let east = list.iter().find(|u| u.account == EAST_ACCOUNT).unwrap();
    assert!(!east.is_blocked());
    assert_eq!(east.role_words(), "End user");

    let me = r.desk.profile(&r.sessions).await.unwrap();
    assert_eq!(me.account, DEMO_ACCOUNT);
    assert_eq!(me.role_words(), "Distributor");
}

#[tokio::test(flavor = "multi_thread")]
async fn block_and_unblock_go_through_a_one_time_confirmation_naming_the_account() {
    let r = rig(Duration::from_secs(60)).await;
    r.can_sign_in(EAST_ACCOUNT).await.unwrap();

    let p = r
        .desk
        .prepare_block(&r.sessions, EAST_ACCOUNT, true)
        .await
        .unwrap();
    assert_eq!(p.account, EAST_ACCOUNT);
    assert!(p.block && !p.blocked_now);
    assert_eq!(p.action, "Block account");
    assert!(p.effect.starts_with(EAST_ACCOUNT), "{}", p.effect);
    assert!(p.effect.contains("can no longer sign in"), "{}", p.effect);
    assert!(
        r.requests("/api/user/block").is_empty(),
        "preparing changes nothing"
    );

    let e = r
        .desk
        .confirm_block(&r.sessions, "not-an-id")
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("Nothing was changed"),
        "{}",
        e.to_string()
    );
    assert!(r.requests("/api/user/block").is_empty());

    let after = r
        .desk
        .confirm_block(&r.sessions, &p.confirmation_id)
        .await
        .unwrap();
    assert!(after.is_blocked(), "the provider has it blocked now");
    let blocks = r.requests("/api/user/block");
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0]
        .params
        .contains(&("account".into(), EAST_ACCOUNT.into())));
    let refused = r.can_sign_in(EAST_ACCOUNT).await.unwrap_err();
    assert!(
        matches!(refused, etrack::Error::Api { code: 10016, .. }),
        "{refused:?}"
    );

    let e = r
        .desk
        .confirm_block(&r.sessions, &p.confirmation_id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already used"), "{}", e.to_string());
    assert_eq!(
        r.requests("/api/user/block").len(),
        1,
        "a used id changes nothing"
    );

    let e = r
        .desk
        .prepare_block(&r.sessions, EAST_ACCOUNT, true)
        .await
        .unwrap_err();
    assert_eq!(e.to_string(), "demo-east is already blocked.");

    let p = r
        .desk
        .prepare_block(&r.sessions, EAST_ACCOUNT, false)
        .await
        .unwrap();
    assert!(p.blocked_now && !p.block);
    assert!(p.effect.contains("can sign in again"));
    let after = r
        .desk
        .confirm_block(&r.sessions, &p.confirmation_id)
        .await
        .unwrap();
    assert!(!after.is_blocked());
    r.can_sign_in(EAST_ACCOUNT).await.unwrap();

    let log = r.audit.read().unwrap();
    let seen: Vec<(&str, &str, AuditOutcome)> = log
        .iter()
        .map(|a| (a.command.as_str(), a.target.as_str(), a.outcome))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("block", "account demo-east", AuditOutcome::Done),
            ("unblock", "account demo-east", AuditOutcome::Done)
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_and_cancelled_block_confirmations_change_nothing() {
    let r = rig(Duration::from_millis(200)).await;
    let p = r
        .desk
        .prepare_block(&r.sessions, WEST_ACCOUNT, true)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(350)).await;
    let e = r
        .desk
        .confirm_block(&r.sessions, &p.confirmation_id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("expired"), "{}", e.to_string());

    let p = r
        .desk
        .prepare_block(&r.sessions, WEST_ACCOUNT, true)
        .await
        .unwrap();
    r.desk.discard(&p.confirmation_id);
    assert!(r
        .desk
        .confirm_block(&r.sessions, &p.confirmation_id)
        .await
        .is_err());

    assert!(r.requests("/api/user/block").is_empty());
    r.can_sign_in(WEST_ACCOUNT).await.unwrap();
    assert!(r.audit.read().unwrap().is_empty());

    let e = r
        .desk
        .prepare_block(&r.sessions, DEMO_ACCOUNT, true)
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("signed in with"),
        "{}",
        e.to_string()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_reaches_the_accounts_and_long_lists_go_in_batches_of_200() {
    let r = rig(Duration::from_secs(60)).await;
    let sent = r
        .desk
        .send_message(
            &r.sessions,
            &[
                EAST_ACCOUNT.into(),
                WEST_ACCOUNT.into(),
                EAST_ACCOUNT.into(),
            ],
            "Service at 9:00",
        )
        .await
        .unwrap();
    assert_eq!((sent.sends, sent.recipients), (1, 2));
    let got = r.sim.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].to,
        vec![EAST_ACCOUNT.to_owned(), WEST_ACCOUNT.to_owned()]
    );
    assert_eq!(got[0].content, "Service at 9:00");

    // 250 recipients: the provider takes 200 a request (its answers are injected: the
    // simulator knows only a handful of accounts).
    let many: Vec<String> = (0..250).map(|i| format!("fleet-{i:03}")).collect();
    r.sim
        .inject_reply("/api/message/send", 200, r#"{"code":0,"message":""}"#, 2);
    let sent = r
        .desk
        .send_message(&r.sessions, &many, "Hello")
        .await
        .unwrap();
    assert_eq!((sent.sends, sent.recipients), (2, 250));
    let batches: Vec<usize> = r
        .requests("/api/message/send")
        .iter()
        .skip(1)
        .map(|q| {
            let to = &q.params.iter().find(|(k, _)| k == "accounts").unwrap().1;
            to.split(',').count()
        })
        .collect();
    assert_eq!(batches, vec![200, 50]);

    // A failure in the second batch says who already got it; nothing is re-sent.
    r.sim
        .inject_reply("/api/message/send", 200, r#"{"code":0,"message":""}"#, 1);
    r.sim.inject_reply(
        "/api/message/send",
        200,
        r#"{"code":20005,"message":"Target doesn't exist."}"#,
        1,
    );
    let e = r
        .desk
        .send_message(&r.sessions, &many, "Hello")
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("went to the first 200 of 250 accounts"),
        "{}",
        e.to_string()
    );
    assert_eq!(r.requests("/api/message/send").len(), 5);

    // Too long: refused before anything is sent.
    let before = r.requests("/api/message/send").len();
    let e = r
        .desk
        .send_message(&r.sessions, &[EAST_ACCOUNT.into()], &"x".repeat(301))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert!(
        e.to_string().contains("301 characters"),
        "{}",
        e.to_string()
    );
    let e = r
        .desk
        .send_message(&r.sessions, &[], "Hi")
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(r.requests("/api/message/send").len(), before);
}
