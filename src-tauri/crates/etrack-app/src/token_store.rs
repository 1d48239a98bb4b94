//! The account's access token, shared by every process of this user on this computer: the app
//! and each `etrack` run (see `etrack::TokenStore`). It is kept in the OS keychain next to the
//! password hash, or, where there is no keychain, in a file only the user can read in the data
//! dir; a lock file there lets one process sign in at a time.

use crate::keychain::{KeychainError, SecretStore};
use crate::settings::SavedAccount;
use etrack::{StoredToken, TokenStore};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The folder of the data dir with the token files and locks.
pub const TOKENS_DIR: &str = "tokens";

/// One account's shared token.
pub struct SharedToken {
    keychain: Arc<dyn SecretStore>,
    who: SavedAccount,
    file: PathBuf,
    lock: PathBuf,
}

impl SharedToken {
    /// The token of `who`, through `keychain`, with its lock (and file fallback) in `data_dir`.
    pub fn new(keychain: Arc<dyn SecretStore>, data_dir: &Path, who: SavedAccount) -> Self {
        let dir = data_dir.join(TOKENS_DIR);
        let name = file_name(&who);
        Self {
            keychain,
            file: dir.join(format!("{name}.json")),
            lock: dir.join(format!("{name}.lock")),
            who,
        }
    }

    fn read_file(&self) -> Option<StoredToken> {
        let text = std::fs::read_to_string(&self.file).ok()?;
        decode(&text)
    }

    fn write_file(&self, text: &str) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = self.file.with_extension("json.tmp");
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Only the user can read it: it is as good as a password for two hours.
            options.mode(0o600);
        }
        let mut f = options.open(&tmp)?;
        std::io::Write::write_all(&mut f, text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &self.file)
    }
}

/// `account@provider` as a file name: letters and digits kept, the rest `_`, with a short hash
/// so two accounts never share one.
fn file_name(who: &SavedAccount) -> String {
    let key = format!("{}@{}", who.account, who.provider_url);
    let safe: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .take(80)
        .collect();
    // FNV-1a: stable across runs and platforms (unlike the std hasher).
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{safe}-{hash:016x}")
}

fn encode(t: &StoredToken) -> String {
    serde_json::json!({ "token": t.value, "useUntil": t.use_until }).to_string()
}

fn decode(text: &str) -> Option<StoredToken> {
    let v: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(StoredToken {
        value: v.get("token")?.as_str()?.to_owned(),
        use_until: v.get("useUntil")?.as_i64()?,
    })
}

impl TokenStore for SharedToken {
    fn load(&self) -> Option<StoredToken> {
        match self.keychain.get_token(&self.who) {
            Ok(Some(text)) => decode(&text),
            Ok(None) => None,
            Err(KeychainError::Unavailable(_)) => self.read_file(),
            Err(e) => {
                tracing::warn!("cannot read the shared token: {e}");
                None
            }
        }
    }

    fn save(&self, token: &StoredToken) {
        let text = encode(token);
        match self.keychain.set_token(&self.who, &text) {
            Ok(()) => {}
            Err(KeychainError::Unavailable(_)) => {
                if let Err(e) = self.write_file(&text) {
                    tracing::warn!(
                        "cannot keep the shared token in {}: {e}",
                        self.file.display()
                    );
                }
            }
            Err(e) => tracing::warn!("cannot keep the shared token: {e}"),
        }
    }

    fn lock(&self) -> Option<Box<dyn Send>> {
        let open = || -> std::io::Result<File> {
            if let Some(dir) = self.lock.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&self.lock)?;
            // Blocks until no other process holds it; released when the file is closed.
            f.lock()?;
            Ok(f)
        };
        match open() {
            Ok(f) => Some(Box::new(f)),
            Err(e) => {
                tracing::warn!("cannot take the sign-in lock {}: {e}", self.lock.display());
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::MemoryKeychain;

    fn who() -> SavedAccount {
        SavedAccount {
            account: "demo".into(),
            provider_url: "http://127.0.0.1:8080".into(),
        }
    }

    #[test]
    fn a_token_saved_by_one_process_is_read_by_another() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keychain = Arc::new(MemoryKeychain::new());
        let t = StoredToken {
            value: "T1".into(),
            use_until: 1_800_000_000,
        };
        SharedToken::new(keychain.clone(), dir.path(), who()).save(&t);
        assert_eq!(
            SharedToken::new(keychain, dir.path(), who()).load(),
            Some(t)
        );
    }

    #[test]
    fn without_a_keychain_the_token_is_a_file_only_the_user_can_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keychain = Arc::new(MemoryKeychain::new());
        keychain.set_unavailable(true);
        let store = SharedToken::new(keychain, dir.path(), who());
        let t = StoredToken {
            value: "T2".into(),
            use_until: 1_800_000_000,
        };
        store.save(&t);
        assert_eq!(store.load(), Some(t));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&store.file)
                .expect("file")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn one_holder_of_the_lock_at_a_time() {
        let dir = tempfile::tempdir().expect("tempdir");
        let keychain = Arc::new(MemoryKeychain::new());
        let store = Arc::new(SharedToken::new(keychain, dir.path(), who()));
        let held = store.lock().expect("the lock");
        let (tx, rx) = std::sync::mpsc::channel();
        let other = store.clone();
        let waiter = std::thread::spawn(move || {
            let _g = other.lock();
            tx.send(()).expect("the test waits");
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_millis(200))
                .is_err(),
            "the second taker waits"
        );
        drop(held);
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("it gets the lock once released");
        waiter.join().expect("no panic");
    }

    #[test]
    fn accounts_have_their_own_files() {
        let a = file_name(&who());
        let b = file_name(&SavedAccount {
            account: "demo".into(),
            provider_url: "http://127.0.0.1:8081".into(),
        });
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
    }
}
