//! `etrack users`, `etrack user info|block|unblock`, `etrack message`.

use super::{empty_on_no_data, json_failure, with_session};
use crate::args::{Global, ListFormat};
use crate::failure::Failure;
use crate::output::{json, table};

/// The longest message the provider takes, in characters.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// The most recipients of one message.
pub const MAX_RECIPIENTS: usize = 200;

fn account_arg(account: &str) -> Result<&str, Failure> {
    let a = account.trim();
    if a.is_empty() {
        Err(Failure::usage("the account name is empty"))
    } else {
        Ok(a)
    }
}

/// Sub-accounts.
pub async fn list(
    g: &Global,
    for_account: Option<&str>,
    format: ListFormat,
) -> Result<String, Failure> {
    let users = with_session(g, |c| async move {
        Ok(empty_on_no_data(c.user_list(for_account).await)?)
    })
    .await?;
    match format {
        ListFormat::Json => json::to_json(&users).map_err(json_failure),
        ListFormat::Table => Ok(table::users(&users)),
    }
}

/// One account's information.
pub async fn info(g: &Global, account: &str, format: ListFormat) -> Result<String, Failure> {
    let account = account_arg(account)?;
    let user = with_session(g, |c| async move { Ok(c.user_info(account).await?) }).await?;
    match format {
        ListFormat::Json => json::to_json(&user).map_err(json_failure),
        ListFormat::Table => Ok(table::users(std::slice::from_ref(&user))),
    }
}

/// Blocks or unblocks an account.
pub async fn set_blocked(g: &Global, account: &str, block: bool) -> Result<String, Failure> {
    let account = account_arg(account)?;
    with_session(g, |c| async move {
        if block {
            c.block_user(account).await?;
        } else {
            c.unblock_user(account).await?;
        }
        Ok(())
    })
    .await?;
    let done = if block { "blocked" } else { "unblocked" };
    Ok(format!("{done} {account}\n"))
}

/// The recipients and text of a message, checked against the spec's limits.
pub fn message_parts(to: &[String], text: &str) -> Result<Vec<String>, Failure> {
    let accounts: Vec<String> = to
        .iter()
        .map(|a| a.trim().to_owned())
        .filter(|a| !a.is_empty())
        .collect();
    if accounts.is_empty() {
        return Err(Failure::usage("--to names no account"));
    }
    if accounts.len() > MAX_RECIPIENTS {
        return Err(Failure::usage(format!(
            "a message goes to at most {MAX_RECIPIENTS} accounts, not {}",
            accounts.len()
        )));
    }
    let chars = text.chars().count();
    if chars == 0 {
        return Err(Failure::usage("the message text is empty"));
    }
    if chars > MAX_MESSAGE_CHARS {
        return Err(Failure::usage(format!(
            "a message has at most {MAX_MESSAGE_CHARS} characters, not {chars}"
        )));
    }
    Ok(accounts)
}

/// Sends a message to accounts.
pub async fn message(g: &Global, to: &[String], text: &str) -> Result<String, Failure> {
    let accounts = message_parts(to, text)?;
    let recipients = &accounts;
    with_session(
        g,
        |c| async move { Ok(c.send_message(recipients, text).await?) },
    )
    .await?;
    Ok(format!(
        "message sent to {} account{}\n",
        accounts.len(),
        if accounts.len() == 1 { "" } else { "s" }
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("a{i}")).collect()
    }

    #[test]
    fn message_limits_are_inclusive() {
        assert_eq!(
            message_parts(&names(200), &"x".repeat(300)).unwrap().len(),
            200
        );
        // Characters, not bytes: 300 CJK characters are allowed.
        assert!(message_parts(&names(1), &"路".repeat(300)).is_ok());
        assert_eq!(message_parts(&names(201), "hi").unwrap_err().exit_code(), 2);
        assert_eq!(
            message_parts(&names(1), &"x".repeat(301))
                .unwrap_err()
                .exit_code(),
            2
        );
        assert!(message_parts(&names(1), "").is_err());
        assert!(message_parts(&[" ".into(), "".into()], "hi").is_err());
    }

    #[test]
    fn blank_recipients_are_dropped() {
        let to = vec![" a ".into(), "".into(), "b".into()];
        assert_eq!(message_parts(&to, "hi").unwrap(), ["a", "b"]);
    }
}
