//! The OS keychain for real: a stored hash must be readable by a NEW process (the app's next
//! start), and gone after delete. On Linux this needs a Secret Service; the test command runs it
//! inside `dbus-run-session` with gnome-keyring unlocked. Without one, the test says
//! "skipped: no Secret Service" and checks only that the failure is the plain "no keychain"
//! error, not a crash.
#![allow(clippy::unwrap_used)]

use etrack::PasswordHash;
use etrack_app::error::{AppError, NO_KEYCHAIN};
use etrack_app::keychain::{KeychainError, OsKeychain, SecretStore};
use etrack_app::settings::SavedAccount;
use std::process::Command;

/// Set in the child process: the entry's account name to read.
const CHILD_ENV: &str = "ETRACK_KEYCHAIN_TEST_READ";
const TEST_NAME: &str = "a_stored_hash_survives_into_a_new_process_and_delete_removes_it";

fn who(account: &str) -> SavedAccount {
    SavedAccount {
        account: account.to_owned(),
        provider_url: "http://127.0.0.1:9".to_owned(),
    }
}

/// Runs this test binary again, in read mode, and returns what the child found.
fn read_in_new_process(account: &str) -> String {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, account)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "child failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .split_once("KEYCHAIN_READ=")
        .and_then(|(_, rest)| rest.lines().next())
        .unwrap_or_else(|| panic!("child printed no result: {stdout}"))
        .trim()
        .to_owned()
}

#[test]
fn a_stored_hash_survives_into_a_new_process_and_delete_removes_it() {
    if let Ok(account) = std::env::var(CHILD_ENV) {
        let found = match OsKeychain.get(&who(&account)) {
            Ok(Some(h)) => h.as_hex().to_owned(),
            Ok(None) => "none".to_owned(),
            Err(e) => format!("error: {e}"),
        };
        println!("KEYCHAIN_READ={found}");
        return;
    }

    let account = format!("etrack-test-{}", std::process::id());
    let hash = PasswordHash::from_password("correct horse battery staple");
    match OsKeychain.set(&who(&account), &hash) {
        Ok(()) => {}
        Err(KeychainError::Unavailable(why)) => {
            println!("skipped: no Secret Service ({why})");
            let e: AppError = KeychainError::Unavailable(why).into();
            assert_eq!(e.to_string(), NO_KEYCHAIN);
            return;
        }
        Err(e) => panic!("the keychain refused to store: {e}"),
    }

    let read = read_in_new_process(&account);
    // Delete before asserting, so a failed run leaves nothing behind.
    let deleted = OsKeychain.delete(&who(&account));
    assert_eq!(read, hash.as_hex(), "a new process reads the stored hash");
    deleted.unwrap();
    assert_eq!(
        read_in_new_process(&account),
        "none",
        "deleted for every process"
    );
    assert!(
        OsKeychain.delete(&who(&account)).is_ok(),
        "deleting twice is fine"
    );

    // Only the hash is stored: the password itself is not what a reader gets back.
    assert_ne!(read, "correct horse battery staple");
}
