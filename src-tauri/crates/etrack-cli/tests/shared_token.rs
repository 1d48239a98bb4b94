//! One token per account, shared by every process: the app's session and two `etrack` processes
//! reading for 60 s against a provider whose tokens last 6 s and end when a new one is issued
//! (spec 2.1). Nobody's call fails, and the account signs in about once per token lifetime, not
//! once per run.
//!
//! Real processes, the real keychain (Secret Service; skipped without one, as the keychain test).
//! `ETRACK_SHARED_TOKEN_SECS` shortens the 60 s.
#![allow(clippy::unwrap_used)]

mod common;

use common::{run_with, Sim};
use etrack_app::keychain::OsKeychain;
use etrack_app::live::{EventSink, LiveState, LiveStatus, LiveTiming, LiveUpdate};
use etrack_app::session::SessionManager;
use etrack_app::settings::SettingsStore;
use etrack_sim::SimConfig;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counts the app's live refreshes and its failed ones.
#[derive(Default)]
struct Count {
    updates: AtomicUsize,
    failures: Mutex<Vec<String>>,
}

impl EventSink for Count {
    fn live_update(&self, _: &LiveUpdate) {
        self.updates.fetch_add(1, Ordering::SeqCst);
    }
    fn live_status(&self, s: &LiveStatus) {
        if s.state != LiveState::Ok {
            self.failures
                .lock()
                .unwrap()
                .push(s.message.clone().unwrap_or_default());
        }
    }
}

fn keychain_available() -> bool {
    let entry = keyring::Entry::new("dev.etrack.cli.test-probe", "shared-token").unwrap();
    let ok = entry.set_password("probe").is_ok() && entry.get_password().is_ok();
    let _ = entry.delete_credential();
    ok
}

#[test]
fn the_app_and_two_cli_processes_share_one_token_and_no_call_fails() {
    if !keychain_available() {
        println!("skipped: no Secret Service");
        return;
    }
    let secs: u64 = std::env::var("ETRACK_SHARED_TOKEN_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let lifetime = Duration::from_secs(6);
    let sim = Sim::with(SimConfig {
        token_lifetime: lifetime,
        ..SimConfig::default()
    });
    let url = sim.url();
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let imei = sim.handle.imeis()[0].clone();

    // The app's session: signed in with the password, polling every second.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let count = Arc::new(Count::default());
    let app = SessionManager::new(
        SettingsStore::load(config.path()),
        Arc::new(OsKeychain),
        count.clone(),
    )
    .with_data_dir(data.path().to_path_buf())
    .with_live_timing(LiveTiming {
        interval: Duration::from_secs(1),
        backoff_min: Duration::from_millis(200),
        backoff_max: Duration::from_secs(1),
        device_list_every: Duration::from_secs(300),
    });
    rt.block_on(app.login(
        &url,
        etrack_sim::DEMO_ACCOUNT,
        etrack_sim::DEMO_PASSWORD,
        false,
    ))
    .unwrap();
    let signed_in_before = sim.handle.authorizations();

    // Two CLI processes reading one after the other, each run a new process.
    let deadline = Instant::now() + Duration::from_secs(secs);
    let data_dir = data.path().to_string_lossy().into_owned();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let (url, imei, data_dir) = (url.clone(), imei.clone(), data_dir.clone());
            std::thread::spawn(move || {
                let mut runs = 0usize;
                let mut failed = Vec::new();
                while Instant::now() < deadline {
                    let r = run_with(
                        &["--base-url", &url, "--account", "demo", "track", &imei],
                        &[
                            ("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD),
                            ("ETRACK_DATA_DIR", &data_dir),
                        ],
                    );
                    runs += 1;
                    if r.code != 0 {
                        failed.push(r.stderr);
                    }
                }
                (runs, failed)
            })
        })
        .collect();
    let mut runs = 0;
    let mut cli_failures = Vec::new();
    for r in readers {
        let (n, failed) = r.join().unwrap();
        runs += n;
        cli_failures.extend(failed);
    }
    let sign_ins = sim.handle.authorizations() - signed_in_before;
    let updates = count.updates.load(Ordering::SeqCst);
    rt.block_on(app.shutdown());
    println!(
        "shared token: {secs} s, token lifetime {lifetime:?}: {runs} CLI runs, {updates} live refreshes of the app, {sign_ins} sign-ins after the app's own"
    );
    assert!(cli_failures.is_empty(), "CLI runs failed: {cli_failures:?}");
    let app_failures = count.failures.lock().unwrap().clone();
    assert!(
        app_failures.is_empty(),
        "the app's refreshes failed: {app_failures:?}"
    );
    assert!(
        runs > 20 && updates as u64 >= secs / 2,
        "{runs} runs, {updates} refreshes"
    );
    // Each token is signed for once, by whichever process needs it first; without sharing, every
    // CLI run would sign in (and end the others' token).
    let lifetimes = secs / lifetime.as_secs() + 2;
    assert!(
        (sign_ins as u64) <= 2 * lifetimes,
        "{sign_ins} sign-ins in {secs} s with {runs} runs"
    );
}
