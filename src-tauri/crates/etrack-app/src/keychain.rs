//! The OS keychain: where a remembered account's `md5hex(password)` lives.
//!
//! One entry per account and provider: service `dev.etrack.desktop`, user `ACCOUNT@PROVIDERURL`.
//! The plain password is never stored anywhere.

use crate::settings::SavedAccount;
use etrack::PasswordHash;
use std::collections::HashMap;
use std::sync::Mutex;

/// The keychain service name (the app's identifier).
pub const SERVICE: &str = "dev.etrack.desktop";

/// Why the keychain could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeychainError {
    /// No keychain to talk to, or it is locked (no Secret Service, no session bus, ...).
    #[error("no keychain available: {0}")]
    Unavailable(String),
    /// The keychain has no entry for the account.
    #[error("no saved password for {0}")]
    Missing(String),
    /// The keychain answered but refused or failed the operation.
    #[error("the keychain failed: {0}")]
    Failed(String),
}

/// Where password hashes are kept. The app uses [`OsKeychain`]; tests of the sign-in flows may use
/// [`MemoryKeychain`].
///
/// Calls may block (the Secret Service is a D-Bus round trip, and may show an unlock prompt):
/// callers on an async runtime run them on a blocking thread.
pub trait SecretStore: Send + Sync + 'static {
    /// The stored hash, `None` when there is no (usable) entry.
    fn get(&self, who: &SavedAccount) -> Result<Option<PasswordHash>, KeychainError>;
    /// Stores the hash, replacing any older one.
    fn set(&self, who: &SavedAccount, hash: &PasswordHash) -> Result<(), KeychainError>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, who: &SavedAccount) -> Result<(), KeychainError>;
    /// The account's shared access token (see [`crate::token_store`]), as stored.
    fn get_token(&self, who: &SavedAccount) -> Result<Option<String>, KeychainError>;
    /// Stores the account's shared access token.
    fn set_token(&self, who: &SavedAccount, token: &str) -> Result<(), KeychainError>;
}

/// The keychain entry's user name for an account's shared token.
pub fn token_user(who: &SavedAccount) -> String {
    format!("token:{}", entry_user(who))
}

/// The keychain entry's user name for an account.
pub fn entry_user(who: &SavedAccount) -> String {
    format!("{}@{}", who.account, who.provider_url)
}

/// The platform's keychain through the `keyring` crate (macOS Keychain, Windows Credential
/// Manager, Secret Service on Linux).
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeychain;

impl OsKeychain {
    fn entry(who: &SavedAccount) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(SERVICE, &entry_user(who)).map_err(map_keyring)
    }

    fn token_entry(who: &SavedAccount) -> Result<keyring::Entry, KeychainError> {
        keyring::Entry::new(SERVICE, &token_user(who)).map_err(map_keyring)
    }
}

fn map_keyring(e: keyring::Error) -> KeychainError {
    match e {
        keyring::Error::PlatformFailure(why) | keyring::Error::NoStorageAccess(why) => {
            KeychainError::Unavailable(why.to_string())
        }
        other => KeychainError::Failed(other.to_string()),
    }
}

impl SecretStore for OsKeychain {
    fn get(&self, who: &SavedAccount) -> Result<Option<PasswordHash>, KeychainError> {
        match Self::entry(who)?.get_password() {
            Ok(hex) => {
                let hash = PasswordHash::from_hex(&hex);
                if hash.is_none() {
                    tracing::warn!("the keychain entry of {} is damaged", entry_user(who));
                }
                Ok(hash)
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn set(&self, who: &SavedAccount, hash: &PasswordHash) -> Result<(), KeychainError> {
        Self::entry(who)?
            .set_password(hash.as_hex())
            .map_err(map_keyring)
    }

    fn delete(&self, who: &SavedAccount) -> Result<(), KeychainError> {
        match Self::entry(who)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn get_token(&self, who: &SavedAccount) -> Result<Option<String>, KeychainError> {
        match Self::token_entry(who)?.get_password() {
            Ok(t) => Ok(Some(t)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring(e)),
        }
    }

    fn set_token(&self, who: &SavedAccount, token: &str) -> Result<(), KeychainError> {
        Self::token_entry(who)?
            .set_password(token)
            .map_err(map_keyring)
    }
}

/// A keychain held in memory, for tests of the sign-in flows. It can also play a keychain that
/// is unavailable, as a locked keyring would be.
#[derive(Debug, Default)]
pub struct MemoryKeychain {
    entries: Mutex<HashMap<String, String>>,
    unavailable: std::sync::atomic::AtomicBool,
}

impl MemoryKeychain {
    /// An empty, available keychain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call fail as an unavailable keychain does (or work again).
    pub fn set_unavailable(&self, unavailable: bool) {
        self.unavailable
            .store(unavailable, std::sync::atomic::Ordering::SeqCst);
    }

    /// How many password entries are stored (shared tokens are not counted).
    pub fn len(&self) -> usize {
        self.lock()
            .keys()
            .filter(|k| !k.starts_with("token:"))
            .count()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn check(&self) -> Result<(), KeychainError> {
        if self.unavailable.load(std::sync::atomic::Ordering::SeqCst) {
            Err(KeychainError::Unavailable("the keyring is locked".into()))
        } else {
            Ok(())
        }
    }
}

impl SecretStore for MemoryKeychain {
    fn get(&self, who: &SavedAccount) -> Result<Option<PasswordHash>, KeychainError> {
        self.check()?;
        Ok(self
            .lock()
            .get(&entry_user(who))
            .and_then(|h| PasswordHash::from_hex(h)))
    }

    fn set(&self, who: &SavedAccount, hash: &PasswordHash) -> Result<(), KeychainError> {
        self.check()?;
        self.lock()
            .insert(entry_user(who), hash.as_hex().to_owned());
        Ok(())
    }

    fn delete(&self, who: &SavedAccount) -> Result<(), KeychainError> {
        self.check()?;
        self.lock().remove(&entry_user(who));
        Ok(())
    }

    fn get_token(&self, who: &SavedAccount) -> Result<Option<String>, KeychainError> {
        self.check()?;
        Ok(self.lock().get(&token_user(who)).cloned())
    }

    fn set_token(&self, who: &SavedAccount, token: &str) -> Result<(), KeychainError> {
        self.check()?;
        self.lock().insert(token_user(who), token.to_owned());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_failures_count_as_unavailable() {
        let e = map_keyring(keyring::Error::PlatformFailure("no session bus".into()));
        assert!(matches!(e, KeychainError::Unavailable(_)));
        let e = map_keyring(keyring::Error::NoStorageAccess("locked".into()));
        assert!(matches!(e, KeychainError::Unavailable(_)));
        let e = map_keyring(keyring::Error::TooLong("user".into(), 10));
        assert!(matches!(e, KeychainError::Failed(_)));
    }

    #[test]
    fn entries_are_named_account_at_provider() {
        let who = SavedAccount {
            account: "demo".into(),
            provider_url: "http://api.etrack.vip".into(),
        };
        assert_eq!(entry_user(&who), "demo@http://api.etrack.vip");
    }
}
