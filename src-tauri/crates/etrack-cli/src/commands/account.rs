//! `etrack login` and `etrack logout`.

use crate::args::Global;
use crate::credentials;
use crate::failure::Failure;
use crate::session::{self, Target};

/// Checks the credentials with the provider, then saves the hash in the keychain.
pub async fn login(g: &Global) -> Result<String, Failure> {
    if g.demo {
        return Err(Failure::usage(
            "--demo needs no login: its account is built in",
        ));
    }
    let target = Target::from_args(g)?;
    let hash = credentials::for_login(&target.account, &target.base_url)?;
    let client = session::build(&target, hash.clone())?;
    // Only a password the provider accepts is worth keeping: signed in afresh, not through a
    // token another process shares.
    client.sign_in().await?;
    credentials::save(&target.account, &target.base_url, &hash)?;
    Ok(format!(
        "signed in as {} at {}; the password's hash is saved in the OS keychain\n",
        target.account, target.base_url
    ))
}

/// Removes the keychain entry of the account at the provider.
pub fn logout(g: &Global) -> Result<String, Failure> {
    if g.demo {
        return Err(Failure::usage("--demo has no saved login"));
    }
    let target = Target::from_args(g)?;
    let removed = credentials::forget(&target.account, &target.base_url)?;
    Ok(if removed {
        format!(
            "removed the saved login of {} at {}\n",
            target.account, target.base_url
        )
    } else {
        format!(
            "no saved login for {} at {}\n",
            target.account, target.base_url
        )
    })
}
