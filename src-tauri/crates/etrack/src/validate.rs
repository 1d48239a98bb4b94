//! Checks made before anything is sent, so a request the provider would refuse never leaves.

use crate::error::{Error, Result};
use crate::model::TimeRange;

/// The most characters a message may have (spec 2.13).
pub const MAX_MESSAGE_CHARS: usize = 300;
/// The most accounts one message may go to (spec 2.13).
pub const MAX_MESSAGE_ACCOUNTS: usize = 200;
/// The most IMEIs one track, detail or mileage request may carry (spec 2.2, 2.12, 2.14).
pub const MAX_IMEIS_PER_REQUEST: usize = 100;
/// The longest mileage period one request may cover (spec 2.14).
pub const MAX_MILEAGE_SECS: i64 = 7 * 86_400;
/// Mileage begin and end must fall on :00 or :30 (spec 2.14).
pub const MILEAGE_ALIGNMENT_SECS: i64 = 1_800;

/// An account name: not empty.
pub fn account(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        Err(Error::validation("the account name is empty"))
    } else {
        Ok(name)
    }
}

/// The recipients and text of a message: 1 to 200 accounts without commas (the list is
/// comma-separated on the wire), 1 to 300 characters of text.
pub fn message(accounts: &[String], content: &str) -> Result<()> {
    if accounts.is_empty() || accounts.len() > MAX_MESSAGE_ACCOUNTS {
        return Err(Error::validation(format!(
            "a message goes to 1 to {MAX_MESSAGE_ACCOUNTS} accounts, not {}",
            accounts.len()
        )));
    }
    for a in accounts {
        account(a)?;
        if a.contains(',') {
            return Err(Error::validation(format!(
                "the account name {a:?} contains a comma"
            )));
        }
    }
    let chars = content.chars().count();
    if content.trim().is_empty() {
        return Err(Error::validation("the message is empty"));
    }
    if chars > MAX_MESSAGE_CHARS {
        return Err(Error::validation(format!(
            "the message has {chars} characters; at most {MAX_MESSAGE_CHARS} are allowed"
        )));
    }
    Ok(())
}

/// Mileage periods start and end on :00 or :30.
pub fn mileage_range(range: TimeRange) -> Result<()> {
    for (what, t) in [("begin", range.begin()), ("end", range.end())] {
        if t.rem_euclid(MILEAGE_ALIGNMENT_SECS) != 0 {
            return Err(Error::validation(format!(
                "the mileage {what} time {t} is not on :00 or :30 (a multiple of 1800 s)"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn message_length_is_counted_in_characters() {
        let to = vec!["demo-east".to_owned()];
        assert!(message(&to, &"é".repeat(300)).is_ok());
        assert!(message(&to, &"é".repeat(301)).is_err());
        assert!(message(&to, "  ").is_err());
    }

    #[test]
    fn message_recipients_are_bounded_and_named() {
        let many: Vec<String> = (0..201).map(|i| format!("a{i}")).collect();
        assert!(message(&many[..200], "hi").is_ok());
        assert!(message(&many, "hi").is_err());
        assert!(message(&[], "hi").is_err());
        assert!(message(&["ok".into(), " ".into()], "hi").is_err());
        assert!(message(&["a,b".into()], "hi").is_err());
    }

    #[test]
    fn mileage_times_must_be_on_the_half_hour() {
        assert!(mileage_range(TimeRange::new(1631721600, 1631808000).unwrap()).is_ok());
        assert!(mileage_range(TimeRange::new(1631721600, 1631721600 + 1800).unwrap()).is_ok());
        let e = mileage_range(TimeRange::new(1631721601, 1631808000).unwrap()).unwrap_err();
        assert!(e.to_string().contains("begin"), "{e}");
        assert!(mileage_range(TimeRange::new(1631721600, 1631721600 + 900).unwrap()).is_err());
    }
}
