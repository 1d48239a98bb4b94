//! Accounts, their places in the customer tree, and access tokens.

use etrack::PasswordHash;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The distributor that owns the fleet.
pub const DEMO_ACCOUNT: &str = "demo";
/// Password of every simulated account.
pub const DEMO_PASSWORD: &str = "demo-1234";
/// End user seeing the vehicles parked in the east of the city.
pub const EAST_ACCOUNT: &str = "demo-east";
/// End user seeing the vehicles parked in the west of the city.
pub const WEST_ACCOUNT: &str = "demo-west";
/// Virtual account: sees the whole fleet, may change nothing.
pub const VIRTUAL_ACCOUNT: &str = "demo-virtual";
/// A blocked end user: signing in gives 10016.
pub const BLOCKED_ACCOUNT: &str = "demo-blocked";

/// Role numbers of the spec.
pub mod role {
    /// Distributor.
    pub const DISTRIBUTOR: i64 = 1;
    /// End user.
    pub const END_USER: i64 = 2;
    /// Virtual account.
    pub const VIRTUAL: i64 = 3;
}

/// Which of the fleet's devices an account sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every device.
    All,
    /// Devices parked in the east.
    East,
    /// Devices parked in the west.
    West,
    /// None.
    Nothing,
}

/// One account.
#[derive(Clone, Debug)]
pub struct Account {
    /// Account name.
    pub name: String,
    hash: PasswordHash,
    /// User name.
    pub username: String,
    /// E-mail.
    pub email: String,
    /// Mobile.
    pub mobile: String,
    /// Telephone.
    pub telephone: String,
    /// Creation time.
    pub createtime: i64,
    /// Role number.
    pub role: i64,
    /// Parent account's name.
    pub parent: Option<String>,
    /// Blocked.
    pub blocked: bool,
    /// Devices it sees.
    pub scope: Scope,
}

impl Account {
    /// Whether `signature` is md5(md5(password) + time) for this account's password.
    pub fn signature_ok(&self, time: i64, signature: &str) -> bool {
        self.hash.sign(time).eq_ignore_ascii_case(signature.trim())
    }

    /// The record of spec 2.11.
    pub fn record(&self) -> UserRecord<'_> {
        UserRecord {
            account: &self.name,
            username: &self.username,
            email: &self.email,
            mobile: &self.mobile,
            telephone: &self.telephone,
            createtime: self.createtime,
            roletype: self.role,
            blockstatus: if self.blocked { 0 } else { 1 },
        }
    }
}

/// A user record of spec 2.11 / 2.15, fields in the spec's order.
#[derive(serde::Serialize)]
pub struct UserRecord<'a> {
    account: &'a str,
    username: &'a str,
    email: &'a str,
    mobile: &'a str,
    telephone: &'a str,
    createtime: i64,
    roletype: i64,
    blockstatus: i64,
}

/// The accounts of the simulated provider.
pub fn default_accounts(now: i64) -> Vec<Account> {
    let hash = PasswordHash::from_password(DEMO_PASSWORD);
    let day = 86_400;
    let mk = |name: &str, username: &str, role: i64, parent: Option<&str>, age_days: i64, scope| {
        Account {
            name: name.to_owned(),
            hash: hash.clone(),
            username: username.to_owned(),
            email: format!("{}@etrack-demo.example", name.replace('-', ".")),
            mobile: String::new(),
            telephone: String::new(),
            createtime: now - now.rem_euclid(day) - age_days * day + 9 * 3600,
            role,
            parent: parent.map(str::to_owned),
            blocked: false,
            scope,
        }
    };
    let mut v = vec![
        mk(
            DEMO_ACCOUNT,
            "Demo Logistics",
            role::DISTRIBUTOR,
            None,
            1200,
            Scope::All,
        ),
        mk(
            EAST_ACCOUNT,
            "East Depot",
            role::END_USER,
            Some(DEMO_ACCOUNT),
            800,
            Scope::East,
        ),
        mk(
            WEST_ACCOUNT,
            "West Depot",
            role::END_USER,
            Some(DEMO_ACCOUNT),
            790,
            Scope::West,
        ),
        mk(
            VIRTUAL_ACCOUNT,
            "Read-only viewer",
            role::VIRTUAL,
            Some(DEMO_ACCOUNT),
            300,
            Scope::All,
        ),
        mk(
            BLOCKED_ACCOUNT,
            "Former customer",
            role::END_USER,
            Some(DEMO_ACCOUNT),
            640,
            Scope::Nothing,
        ),
    ];
    v[0].mobile = "13800138000".to_owned();
    v[1].telephone = "0755-26000001".to_owned();
    v[4].blocked = true;
    v
}

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// Never issued (10010).
    Unknown,
    /// Replaced by a newer token of the same account (10011).
    Replaced,
    /// Past its lifetime (10012).
    Expired,
}

#[derive(Debug)]
struct Issued {
    account: String,
    at: Instant,
    replaced: bool,
}

/// Access tokens: one valid token per account.
#[derive(Debug, Default)]
pub struct Tokens {
    by_token: HashMap<String, Issued>,
    current: HashMap<String, String>,
}

impl Tokens {
    /// A new token for `account`; the previous one stops working.
    pub fn issue(&mut self, account: &str) -> String {
        let token = format!("{:032x}", rand::random::<u128>());
        if let Some(old) = self.current.insert(account.to_owned(), token.clone()) {
            if let Some(i) = self.by_token.get_mut(&old) {
                i.replaced = true;
            }
        }
        // Keep the memory bounded over long runs: forget replaced tokens after a while.
        if self.by_token.len() > 100_000 {
            self.by_token.retain(|_, i| !i.replaced);
        }
        self.by_token.insert(
            token.clone(),
            Issued {
                account: account.to_owned(),
                at: Instant::now(),
                replaced: false,
            },
        );
        token
    }

    /// The account `token` belongs to, if it is valid with this `lifetime`.
    pub fn check(&self, token: &str, lifetime: Duration) -> Result<String, TokenError> {
        let issued = self.by_token.get(token).ok_or(TokenError::Unknown)?;
        if issued.replaced {
            Err(TokenError::Replaced)
        } else if issued.at.elapsed() >= lifetime {
            Err(TokenError::Expired)
        } else {
            Ok(issued.account.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_is_md5_of_md5_password_and_time() {
        let a = &default_accounts(1_700_000_000)[0];
        let sig = PasswordHash::from_password(DEMO_PASSWORD).sign(1_700_000_123);
        assert!(a.signature_ok(1_700_000_123, &sig));
        assert!(a.signature_ok(1_700_000_123, &sig.to_uppercase()));
        assert!(!a.signature_ok(1_700_000_124, &sig));
        assert!(!a.signature_ok(
            1_700_000_123,
            &PasswordHash::from_password("x").sign(1_700_000_123)
        ));
    }

    #[test]
    fn a_new_token_replaces_the_old_and_tokens_expire() {
        let mut t = Tokens::default();
        let life = Duration::from_secs(60);
        let a = t.issue("demo");
        assert_eq!(t.check(&a, life), Ok("demo".to_owned()));
        let other = t.issue("demo-east");
        let b = t.issue("demo");
        assert_eq!(t.check(&a, life), Err(TokenError::Replaced));
        assert_eq!(t.check(&b, life), Ok("demo".to_owned()));
        assert_eq!(
            t.check(&other, life),
            Ok("demo-east".to_owned()),
            "other accounts keep theirs"
        );
        assert_eq!(t.check(&b, Duration::ZERO), Err(TokenError::Expired));
        assert_eq!(t.check("nope", life), Err(TokenError::Unknown));
    }
}
