//! Where the password comes from: `ETRACK_PASSWORD`, else the OS keychain entry saved by
//! `etrack login`, else a prompt on a terminal. Only `md5hex(password)` is ever kept.

use crate::failure::Failure;
use etrack::PasswordHash;
use std::io::IsTerminal;

/// The keychain service name of the CLI's entries.
pub const SERVICE: &str = "dev.etrack.cli";
/// The environment variable holding the plain password.
pub const PASSWORD_ENV: &str = "ETRACK_PASSWORD";

/// The keychain user of an account at a provider: `ACCOUNT@BASEURL`. A trailing slash on the URL
/// does not make a different entry.
pub fn keychain_user(account: &str, base_url: &str) -> String {
    format!("{account}@{}", base_url.trim().trim_end_matches('/'))
}

/// Where a password came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `ETRACK_PASSWORD`.
    Env,
    /// The keychain entry saved by `etrack login`.
    Keychain,
    /// Typed at a prompt.
    Prompt,
}

/// The password hash for a command: env, keychain, prompt; exit 2 when none is available.
pub fn for_command(account: &str, base_url: &str) -> Result<(PasswordHash, Source), Failure> {
    if let Some(h) = from_env() {
        return Ok((h, Source::Env));
    }
    let keychain_note = match read_keychain(account, base_url) {
        Ok(Some(h)) => return Ok((h, Source::Keychain)),
        Ok(None) => String::new(),
        Err(e) => {
            tracing::debug!("keychain not readable: {e}");
            format!(" (the keychain could not be read: {e})")
        }
    };
    if let Some(h) = prompt(account, base_url)? {
        return Ok((h, Source::Prompt));
    }
    Err(Failure::usage(format!(
        "no password for {account}: set {PASSWORD_ENV}, run `etrack login` first, or run on a \
         terminal to be asked{keychain_note}"
    )))
}

/// The password hash for `etrack login`: env, else prompt (never the keychain: login replaces it).
pub fn for_login(account: &str, base_url: &str) -> Result<PasswordHash, Failure> {
    if let Some(h) = from_env() {
        return Ok(h);
    }
    prompt(account, base_url)?.ok_or_else(|| {
        Failure::usage(format!(
            "no password for {account}: set {PASSWORD_ENV} or run on a terminal to be asked"
        ))
    })
}

fn from_env() -> Option<PasswordHash> {
    // An empty variable is treated as unset: it is far more often a blank export than a password.
    std::env::var(PASSWORD_ENV)
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| PasswordHash::from_password(&zeroize::Zeroizing::new(p)))
}

fn prompt(account: &str, base_url: &str) -> Result<Option<PasswordHash>, Failure> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    // Wiped from memory once hashed.
    let text = zeroize::Zeroizing::new(
        rpassword::prompt_password(format!("Password for {account} at {base_url}: "))
            .map_err(|e| Failure::usage(format!("could not read the password: {e}")))?,
    );
    if text.is_empty() {
        return Err(Failure::usage("no password given"));
    }
    Ok(Some(PasswordHash::from_password(&text)))
}

fn entry(account: &str, base_url: &str) -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(SERVICE, &keychain_user(account, base_url))
}

/// Words for a keychain failure that tell the user what to do instead.
fn keychain_failure(e: &keyring::Error) -> String {
    match e {
        keyring::Error::NoStorageAccess(_) => {
            format!("the keychain is locked ({e}): unlock your keyring, or set {PASSWORD_ENV}")
        }
        _ => format!(
            "no keychain available ({e}): set {PASSWORD_ENV} each time, or unlock your keyring"
        ),
    }
}

fn read_keychain(account: &str, base_url: &str) -> Result<Option<PasswordHash>, String> {
    let got = entry(account, base_url).and_then(|e| e.get_password());
    match got {
        Ok(hex) => match PasswordHash::from_hex(&hex) {
            Some(h) => Ok(Some(h)),
            None => Err("the saved entry is not a password hash; run `etrack login` again".into()),
        },
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keychain_failure(&e)),
    }
}

/// Saves the hash in the keychain.
pub fn save(account: &str, base_url: &str, hash: &PasswordHash) -> Result<(), Failure> {
    entry(account, base_url)
        .and_then(|e| e.set_password(hash.as_hex()))
        .map_err(|e| Failure::Other(keychain_failure(&e)))
}

/// Removes the entry; `Ok(false)` when there was none.
pub fn forget(account: &str, base_url: &str) -> Result<bool, Failure> {
    match entry(account, base_url).and_then(|e| e.delete_credential()) {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(Failure::Other(keychain_failure(&e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keychain_user_ignores_a_trailing_slash() {
        assert_eq!(
            keychain_user("demo", "http://api.etrack.vip/"),
            "demo@http://api.etrack.vip"
        );
        assert_eq!(
            keychain_user("demo", "http://api.etrack.vip"),
            keychain_user("demo", "http://api.etrack.vip//")
        );
    }
}
