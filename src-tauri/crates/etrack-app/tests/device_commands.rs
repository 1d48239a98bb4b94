//! Device commands at the command level, against etrack-sim over real loopback HTTP: what is
//! sent (and, above all, what is not) is read back from the simulator's request log.
#![allow(clippy::unwrap_used)]

mod common;

use etrack::{Command, Device, Track};
use etrack_app::audit::{AuditLog, AuditOutcome};
use etrack_app::device_commands::{
    CommandDesk, CommandEvents, CommandProgress, CommandRunOutcome, TypedKind,
};
use etrack_app::error::ErrorKind;
use etrack_app::session::SessionManager;
use etrack_sim::{SimConfig, SimHandle, DEMO_ACCOUNT};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SEND: &str = "/api/command/send";

/// Collects the progress events the dialog would get.
#[derive(Default)]
struct Progress(Mutex<Vec<CommandProgress>>);

impl CommandEvents for Progress {
    fn progress(&self, p: &CommandProgress) {
        self.0.lock().unwrap().push(p.clone());
    }
}

impl Progress {
    fn polls(&self) -> Vec<u32> {
        self.0.lock().unwrap().iter().map(|p| p.poll).collect()
    }
}

struct Rig {
    sim: SimHandle,
    sessions: SessionManager,
    desk: CommandDesk,
    audit: Arc<AuditLog>,
    _dir: tempfile::TempDir,
}

/// A signed-in session on a fresh simulator whose devices answer commands after `reply_delay`,
/// and a desk that polls 5 times, 100 ms apart.
async fn rig(reply_delay: Duration) -> Rig {
    let sim = etrack_sim::spawn(SimConfig {
        command_reply_delay: reply_delay,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The poller stays out of the way: these tests read the request log.
    let sessions = common::signed_in(&sim, dir.path()).await;
    let audit = Arc::new(AuditLog::in_dir(dir.path()));
    let desk = CommandDesk::new(audit.clone()).with_polling(5, Duration::from_millis(100));
    Rig {
        sim,
        sessions,
        desk,
        audit,
        _dir: dir,
    }
}

impl Rig {
    fn sends(&self) -> usize {
        self.sim
            .request_log()
            .iter()
            .filter(|r| r.path == SEND)
            .count()
    }

    async fn devices(&self) -> (Vec<Device>, Vec<Track>) {
        let client = self.sessions.client().await.unwrap();
        let devices = client.device_list(None).await.unwrap();
        let imeis: Vec<etrack::Imei> = devices
            .iter()
            .map(|d| etrack::Imei::parse(&d.imei).unwrap())
            .collect();
        let tracks = client.track(&imeis).await.unwrap();
        (devices, tracks)
    }

    /// An online device (with a plate when `plate`, without one otherwise), made to drive at
    /// `speed` km/h with a fix 20 s old.
    async fn online_device(&self, plate: bool, speed: i64) -> Device {
        let (devices, tracks) = self.devices().await;
        let d = devices
            .into_iter()
            .find(|d| {
                d.platenumber.is_empty() != plate
                    && tracks.iter().any(|t| t.imei == d.imei && t.datastatus == 2)
            })
            .expect("an online device of that kind in the demo fleet");
        let now = tracks[0].servertime;
        self.sim.set_history(
            &d.imei,
            vec![
                (113.90, 22.50, now - 40, speed, 90),
                (113.91, 22.50, now - 20, speed, 90),
            ],
        );
        d
    }

    async fn offline_device(&self) -> String {
        let (_, tracks) = self.devices().await;
        tracks
            .iter()
            .find(|t| t.datastatus == 4)
            .expect("an offline device in the demo fleet")
            .imei
            .clone()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_moving_vehicle_needs_its_plate_typed_and_a_wrong_plate_sends_nothing() {
    let r = rig(Duration::from_millis(150)).await;
    let d = r.online_device(true, 52).await;
    let p = r
        .desk
        .prepare(&r.sessions, &d.imei, Command::StopEngine)
        .await
        .unwrap();
    assert!(p.vehicle.moving);
    assert_eq!(p.vehicle.speed, Some(52.0));
    assert_eq!(p.vehicle.fix_age_secs, Some(20));
    assert_eq!(p.vehicle.plate, d.platenumber);
    assert_eq!(p.vehicle.name, d.devicename);
    let must = p.must_type.clone().expect("typing required");
    assert_eq!(
        (must.kind, must.text.as_str()),
        (TypedKind::Plate, d.platenumber.as_str())
    );
    let danger = p.danger.clone().expect("a red warning");
    assert!(danger.contains("MOVING at 52 km/h"), "{danger}");
    assert!(p.effect.contains("Cuts the fuel supply"), "{}", p.effect);
    assert!(p.expires_in_secs <= 60);
    assert_eq!(r.sends(), 0, "preparing sends nothing");

    let events = Arc::new(Progress::default());
    for typed in [None, Some("XX-0000")] {
        let e = r
            .desk
            .confirm(&r.sessions, &p.confirmation_id, typed, events.clone())
            .await
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(
            e.to_string().contains("does not match"),
            "{}",
            e.to_string()
        );
        assert!(
            e.to_string().contains("Nothing was sent"),
            "{}",
            e.to_string()
        );
    }
    assert_eq!(r.sends(), 0, "a wrong or missing plate sends nothing");

    let typed = format!(" {} ", d.platenumber.to_lowercase());
    let done = r
        .desk
        .confirm(
            &r.sessions,
            &p.confirmation_id,
            Some(&typed),
            events.clone(),
        )
        .await
        .unwrap();
    assert_eq!(r.sends(), 1, "sent once");
    let sent = r
        .sim
        .request_log()
        .into_iter()
        .find(|q| q.path == SEND)
        .unwrap();
    assert!(sent.params.contains(&("command".into(), "RELAY,1".into())));
    assert!(sent.params.contains(&("imei".into(), d.imei.clone())));
    assert_eq!(done.outcome, CommandRunOutcome::Replied);
    let reply = done.reply.clone().unwrap();
    assert!(
        reply.starts_with("Cut off the fuel supply: Success!"),
        "{reply}"
    );
    assert!(done.message.contains(&reply));
    let id = done.command_id.clone().unwrap();
    let polls = events.polls();
    assert_eq!(polls[0], 0, "'sending' comes first");
    // At least one poll before the reply, numbered on from 'sending'. How many depends on how
    // fast this machine is (the device replies 150 ms after the send, polls are 100 ms apart).
    assert!(
        polls.len() >= 2 && polls.windows(2).all(|w| w[1] == w[0] + 1),
        "{polls:?}"
    );

    let log = r.audit.read().unwrap();
    assert_eq!(log.len(), 1);
    let a = &log[0];
    assert_eq!(
        (
            a.account.as_str(),
            a.imei.as_str(),
            a.command.as_str(),
            a.command_id.as_str()
        ),
        (DEMO_ACCOUNT, d.imei.as_str(), "RELAY,1", id.as_str())
    );
    assert_eq!(a.outcome, AuditOutcome::Replied);
    assert_eq!(a.reply, reply);
    assert!(a.target.contains(&d.platenumber));
    assert!(!a.stopped_waiting);

    let again = r
        .desk
        .confirm(&r.sessions, &p.confirmation_id, Some(&typed), events)
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("already used"),
        "{}",
        again.to_string()
    );
    assert_eq!(r.sends(), 1, "a used id sends nothing");
    assert_eq!(r.audit.read().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_plate_the_last_four_imei_digits_are_typed() {
    let r = rig(Duration::from_millis(100)).await;
    let d = r.online_device(false, 30).await;
    let p = r
        .desk
        .prepare(&r.sessions, &d.imei, Command::StopEngine)
        .await
        .unwrap();
    let must = p.must_type.unwrap();
    assert_eq!(must.kind, TypedKind::ImeiLast4);
    assert_eq!(must.text, d.imei[d.imei.len() - 4..]);
    let events = Arc::new(Progress::default());
    assert!(r
        .desk
        .confirm(
            &r.sessions,
            &p.confirmation_id,
            Some("0000x"),
            events.clone()
        )
        .await
        .is_err());
    assert_eq!(r.sends(), 0);
    r.desk
        .confirm(&r.sessions, &p.confirmation_id, Some(&must.text), events)
        .await
        .unwrap();
    assert_eq!(r.sends(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_expired_discarded_and_twice_wrong_ids_send_nothing() {
    let mut r = rig(Duration::from_millis(100)).await;
    r.desk = CommandDesk::new(r.audit.clone())
        .with_polling(5, Duration::from_millis(100))
        .with_confirmation_ttl(Duration::from_millis(300));
    let events: Arc<Progress> = Arc::new(Progress::default());
    let parked = r.online_device(true, 0).await;

    let e = r
        .desk
        .confirm(&r.sessions, "0123456789abcdef", None, events.clone())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("not valid"), "{}", e.to_string());

    let p = r
        .desk
        .prepare(&r.sessions, &parked.imei, Command::Reset)
        .await
        .unwrap();
    assert!(p.must_type.is_none(), "reset: a simple confirmation");
    assert!(p.danger.is_none());
    tokio::time::sleep(Duration::from_millis(450)).await;
    let e = r
        .desk
        .confirm(&r.sessions, &p.confirmation_id, None, events.clone())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("expired"), "{}", e.to_string());

    let p = r
        .desk
        .prepare(&r.sessions, &parked.imei, Command::LockDoor)
        .await
        .unwrap();
    r.desk.discard(&p.confirmation_id);
    let e = r
        .desk
        .confirm(&r.sessions, &p.confirmation_id, None, events.clone())
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("already used or cancelled"),
        "{}",
        e.to_string()
    );

    // Three wrong plates void the id: the right plate afterwards sends nothing either.
    let moving = r.online_device(true, 40).await;
    let p = r
        .desk
        .prepare(&r.sessions, &moving.imei, Command::StopEngine)
        .await
        .unwrap();
    for _ in 0..3 {
        assert!(r
            .desk
            .confirm(
                &r.sessions,
                &p.confirmation_id,
                Some("nope"),
                events.clone()
            )
            .await
            .is_err());
    }
    assert!(r
        .desk
        .confirm(
            &r.sessions,
            &p.confirmation_id,
            Some(&moving.platenumber),
            events.clone()
        )
        .await
        .is_err());

    assert_eq!(r.sends(), 0, "none of these reached /api/command/send");
    assert!(
        r.audit.read().unwrap().is_empty(),
        "nothing sent, nothing audited"
    );
    assert!(events.polls().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_parked_vehicle_that_drives_off_before_the_confirm_is_not_stopped() {
    let r = rig(Duration::from_millis(100)).await;
    let d = r.online_device(true, 0).await;
    let p = r
        .desk
        .prepare(&r.sessions, &d.imei, Command::StopEngine)
        .await
        .unwrap();
    assert!(!p.vehicle.moving && p.must_type.is_none() && p.danger.is_none());
    r.online_device(true, 35).await; // the same first plated online device now drives
    let e = r
        .desk
        .confirm(
            &r.sessions,
            &p.confirmation_id,
            None,
            Arc::new(Progress::default()),
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("started moving (35 km/h)"),
        "{}",
        e.to_string()
    );
    assert_eq!(r.sends(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_reply_in_time_says_so_and_is_audited() {
    let r = rig(Duration::from_secs(30)).await;
    let d = r.online_device(true, 0).await;
    let p = r
        .desk
        .prepare(&r.sessions, &d.imei, Command::RestoreEngine)
        .await
        .unwrap();
    let events = Arc::new(Progress::default());
    let done = r
        .desk
        .confirm(&r.sessions, &p.confirmation_id, None, events.clone())
        .await
        .unwrap();
    assert_eq!(done.outcome, CommandRunOutcome::TimedOut);
    assert!(done.command_id.is_some());
    assert_eq!(
        done.message,
        "No reply from the device in 1 s — it may still act when it comes back online.",
        "5 polls 100 ms apart, rounded up"
    );
    assert_eq!(events.polls(), vec![0, 1, 2, 3, 4, 5]);
    let queries = r
        .sim
        .request_log()
        .iter()
        .filter(|q| q.path == "/api/command/query")
        .count();
    assert_eq!(queries, 5, "polled max_polls times");
    assert_eq!(r.sends(), 1, "never re-sent");
    let log = r.audit.read().unwrap();
    assert_eq!(log[0].outcome, AuditOutcome::TimedOut);
    assert_eq!(Some(log[0].command_id.clone()), done.command_id);
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_the_wait_returns_at_once_and_the_reply_still_reaches_the_audit_log() {
    let mut r = rig(Duration::from_millis(1200)).await;
    r.desk = CommandDesk::new(r.audit.clone()).with_polling(30, Duration::from_millis(100));
    let desk = Arc::new(r.desk);
    let d = {
        let (devices, tracks) = {
            let client = r.sessions.client().await.unwrap();
            let devices = client.device_list(None).await.unwrap();
            let imeis: Vec<etrack::Imei> = devices
                .iter()
                .map(|d| etrack::Imei::parse(&d.imei).unwrap())
                .collect();
            (devices, client.track(&imeis).await.unwrap())
        };
        devices
            .into_iter()
            .find(|d| tracks.iter().any(|t| t.imei == d.imei && t.datastatus == 2))
            .unwrap()
    };
    let sessions = Arc::new(r.sessions);
    let p = desk
        .prepare(&sessions, &d.imei, Command::UnlockDoor)
        .await
        .unwrap();
    let events = Arc::new(Progress::default());
    let run = {
        let (desk, sessions, id, events) = (
            desk.clone(),
            sessions.clone(),
            p.confirmation_id.clone(),
            events.clone(),
        );
        // Unlocking a vehicle with its ignition on asks for the plate: type it when asked.
        let typed = p.must_type.as_ref().map(|m| m.text.clone());
        tokio::spawn(async move { desk.confirm(&sessions, &id, typed.as_deref(), events).await })
    };
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert!(desk.stop_waiting(&p.confirmation_id));
    let started = std::time::Instant::now();
    let done = run.await.unwrap().unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(200),
        "returns at once"
    );
    assert_eq!(done.outcome, CommandRunOutcome::StoppedWaiting);
    assert!(
        done.message.contains("will not be sent again"),
        "{}",
        done.message
    );
    let shown = events.polls().len();

    // The polling goes on quietly and the device's reply lands in the audit log.
    let entry = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(e) = r.audit.read().unwrap().pop() {
                return e;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("an audit entry after the reply");
    assert_eq!(entry.outcome, AuditOutcome::Replied);
    assert_eq!(entry.reply, "Unlock door: Success!");
    assert!(entry.stopped_waiting);
    assert!(!entry.command_id.is_empty());
    assert_eq!(
        events.polls().len(),
        shown,
        "no progress after the user stopped waiting"
    );
    assert_eq!(
        r.sim
            .request_log()
            .iter()
            .filter(|q| q.path == SEND)
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_while_waiting_silences_the_progress_and_the_reply_still_reaches_the_audit_log()
{
    let mut r = rig(Duration::from_millis(800)).await;
    r.desk = CommandDesk::new(r.audit.clone()).with_polling(30, Duration::from_millis(100));
    let d = r.online_device(true, 0).await;
    let p = r
        .desk
        .prepare(&r.sessions, &d.imei, Command::UnlockDoor)
        .await
        .unwrap();
    let events = Arc::new(Progress::default());
    // The user signs out once the command was sent and is being polled.
    let sign_out = async {
        while events.polls().len() < 2 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        r.sessions.logout().await.unwrap();
        events.polls().len()
    };
    let (done, shown) = tokio::join!(
        r.desk
            .confirm(&r.sessions, &p.confirmation_id, None, events.clone()),
        sign_out
    );
    let done = done.unwrap();
    assert_eq!(
        done.outcome,
        CommandRunOutcome::Replied,
        "polled to its end"
    );
    assert!(
        done.reply.is_some(),
        "the reply came after the sign-out: {done:?}"
    );
    assert_eq!(
        events.polls().len(),
        shown,
        "no progress after the sign-out"
    );
    let log = r.audit.read().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, AuditOutcome::Replied);
    assert_eq!(r.sends(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_refusals_read_as_words_and_are_audited() {
    let r = rig(Duration::from_millis(100)).await;
    let offline = r.offline_device().await;
    let p = r
        .desk
        .prepare(&r.sessions, &offline, Command::LockDoor)
        .await
        .unwrap();
    assert!(p.note.clone().unwrap().contains("offline"), "{:?}", p.note);
    let e = r
        .desk
        .confirm(
            &r.sessions,
            &p.confirmation_id,
            None,
            Arc::new(Progress::default()),
        )
        .await
        .unwrap_err();
    assert_eq!(e.api_code(), Some(20017));
    assert!(
        e.to_string().starts_with("The device is offline (20017)"),
        "{}",
        e.to_string()
    );

    for (code, words) in [
        (20018, "could not send \"Lock door\" to the device (20018)"),
        (20048, "does not support \"Lock door\" (20048)"),
    ] {
        let d = r.online_device(true, 0).await;
        r.sim
            .inject_reply(SEND, 200, &format!(r#"{{"code":{code},"message":"x"}}"#), 1);
        let p = r
            .desk
            .prepare(&r.sessions, &d.imei, Command::LockDoor)
            .await
            .unwrap();
        let e = r
            .desk
            .confirm(
                &r.sessions,
                &p.confirmation_id,
                None,
                Arc::new(Progress::default()),
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains(words), "{}", e.to_string());
    }
    let log = r.audit.read().unwrap();
    assert_eq!(log.len(), 3);
    assert!(log
        .iter()
        .all(|a| a.outcome == AuditOutcome::Refused && a.command_id.is_empty()));
    assert!(log[0].reply.contains("offline"));
    assert_eq!(r.sends(), 3, "each sent once, none re-sent");
}

#[tokio::test(flavor = "multi_thread")]
async fn raw_commands_and_foreign_imeis_are_refused_before_anything() {
    let r = rig(Duration::from_millis(100)).await;
    let e = r
        .desk
        .prepare(&r.sessions, &r.sim.imeis()[0], Command::Raw("SOS,1".into()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    let e = r
        .desk
        .prepare(&r.sessions, "12345", Command::Reset)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(r.sends(), 0);
}
