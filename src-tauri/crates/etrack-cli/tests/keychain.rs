//! `etrack login` / `logout` against the real OS keychain (Secret Service on Linux).
//!
//! Runs only where a Secret Service answers; the project's test script provides one with
//! gnome-keyring inside `dbus-run-session`. Elsewhere it prints why it did nothing.
#![allow(clippy::unwrap_used)]

mod common;

use common::{run_with, Sim};

const SERVICE: &str = "dev.etrack.cli";

/// Whether a keychain that persists values is reachable: write, read back, delete a probe entry.
fn secret_service_available() -> Result<(), String> {
    let entry = keyring::Entry::new(
        "dev.etrack.cli.test-probe",
        &format!("probe-{}", std::process::id()),
    )
    .map_err(|e| e.to_string())?;
    entry.set_password("probe").map_err(|e| e.to_string())?;
    let back = entry.get_password().map_err(|e| e.to_string())?;
    let _ = entry.delete_credential();
    if back == "probe" {
        Ok(())
    } else {
        Err("the probe entry did not read back".into())
    }
}

fn md5_hex(s: &str) -> String {
    etrack::signature::md5_hex(s.as_bytes())
}

#[test]
fn login_saves_the_hash_a_new_process_uses_it_and_logout_removes_it() {
    if let Err(why) = secret_service_available() {
        println!("skipped: no Secret Service ({why})");
        return;
    }
    let sim = Sim::start();
    let url = sim.url();
    let user = format!("demo@{url}");
    let base = ["--base-url", url.as_str(), "--account", "demo"];
    fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
        base.iter().chain(extra).copied().collect()
    }

    // A wrong password is refused by the provider and nothing is saved.
    let r = run_with(&with(&base, &["login"]), &[("ETRACK_PASSWORD", "wrong")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("20001"), "{}", r.stderr);
    assert!(matches!(
        keyring::Entry::new(SERVICE, &user).unwrap().get_password(),
        Err(keyring::Error::NoEntry)
    ));

    let r = run_with(
        &with(&base, &["login"]),
        &[("ETRACK_PASSWORD", etrack_sim::DEMO_PASSWORD)],
    );
    assert_eq!(r.code, 0, "{r:?}");

    // The keychain holds md5hex(password), never the password.
    let stored = keyring::Entry::new(SERVICE, &user)
        .unwrap()
        .get_password()
        .unwrap();
    assert_eq!(stored, md5_hex(etrack_sim::DEMO_PASSWORD));
    assert_ne!(stored, etrack_sim::DEMO_PASSWORD);

    // A new process without ETRACK_PASSWORD takes the token the login shared: no new sign-in,
    // which would end the token of every other process of this account (the app's too).
    let before = sim.handle.authorizations();
    let r = run_with(&with(&base, &["devices", "--format", "json"]), &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        40
    );
    assert_eq!(sim.handle.authorizations(), before);

    // Once no shared token is left, a new process signs in with the saved hash; a saved hash the
    // provider no longer accepts: exit 1, and the user is told to log in again.
    keyring::Entry::new("dev.etrack.desktop", &format!("token:{user}"))
        .unwrap()
        .delete_credential()
        .unwrap();
    keyring::Entry::new(SERVICE, &user)
        .unwrap()
        .set_password(&md5_hex("an-old-password"))
        .unwrap();
    let r = run_with(&with(&base, &["devices"]), &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("20001 Account or password error"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("etrack login"), "{}", r.stderr);

    let r = run_with(&with(&base, &["logout"]), &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(matches!(
        keyring::Entry::new(SERVICE, &user).unwrap().get_password(),
        Err(keyring::Error::NoEntry)
    ));

    // Without the entry and without a terminal there is no password: exit 2, nothing sent.
    sim.handle.clear_log();
    let r = run_with(&with(&base, &["devices"]), &[]);
    assert_eq!(r.code, 2, "{r:?}");
    assert!(sim.handle.request_log().is_empty());

    let r = run_with(&with(&base, &["logout"]), &[]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("no saved login"), "{}", r.stdout);
}
