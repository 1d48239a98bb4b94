//! The authorization signature: `md5hex(md5hex(password) + time)`.

use md5::{Digest, Md5};
use std::fmt;

/// `md5hex(password)`: what the app keeps instead of the password.
///
/// The hash is as good as the password for signing in, so it is kept out of logs: `Debug` and
/// `Display` print a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl Drop for PasswordHash {
    /// The hash is wiped from memory when dropped, not left for a memory dump or a swap file.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

impl PasswordHash {
    /// Hashes a plain password.
    ///
    /// ```
    /// let h = etrack::PasswordHash::from_password("Abc@34590");
    /// assert_eq!(h.as_hex().len(), 32);
    /// ```
    pub fn from_password(password: &str) -> Self {
        Self(md5_hex(password.as_bytes()))
    }

    /// Takes an already hashed password (32 hex digits, any case; kept lower-case).
    ///
    /// ```
    /// assert!(etrack::PasswordHash::from_hex("not a hash").is_none());
    /// ```
    pub fn from_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| Self(hex.to_ascii_lowercase()))
    }

    /// The 32 lower-case hex digits.
    pub fn as_hex(&self) -> &str {
        &self.0
    }

    /// The signature for a request sent at `time` (unix seconds).
    ///
    /// ```
    /// let h = etrack::PasswordHash::from_password("Abc@34590");
    /// assert_eq!(h.sign(1556243443), "3844afd2c3bf68f0f3f4aa0a9ee8ee6c");
    /// ```
    pub fn sign(&self, time: i64) -> String {
        md5_hex(format!("{}{}", self.0, time).as_bytes())
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<hidden>)")
    }
}

/// Lower-case hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(Md5::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_vector() {
        let h = PasswordHash::from_password("Abc@34590");
        assert_eq!(h.sign(1556243443), "3844afd2c3bf68f0f3f4aa0a9ee8ee6c");
    }

    #[test]
    fn from_hex_accepts_upper_case_and_rejects_garbage() {
        let h = PasswordHash::from_password("x");
        let upper = h.as_hex().to_ascii_uppercase();
        assert_eq!(PasswordHash::from_hex(&upper), Some(h));
        assert!(PasswordHash::from_hex("abc").is_none());
        assert!(PasswordHash::from_hex(&"g".repeat(32)).is_none());
    }

    #[test]
    fn debug_hides_the_hash() {
        let h = PasswordHash::from_password("secret");
        assert!(!format!("{h:?}").contains(h.as_hex()));
    }
}
