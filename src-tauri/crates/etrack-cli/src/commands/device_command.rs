//! `etrack command send`: send, poll for the device's reply, print it.

use crate::args::Global;
use crate::failure::Failure;
use crate::session::Session;
use etrack::{Client, Command, CommandOptions, CommandOutcome, Imei};
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

/// How many times the reply is polled, as the spec says.
pub const MAX_POLLS: u32 = 30;

/// Whether sending `command` needs the user's explicit consent: stopping an engine does.
pub fn needs_confirmation(command: &Command) -> bool {
    *command == Command::StopEngine
}

/// Whether an answer to the confirmation prompt is a yes.
pub fn is_yes(answer: &str) -> bool {
    matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes")
}

/// One line of poll progress.
pub fn poll_line(n: u32, max: u32) -> String {
    format!("waiting for the device's reply: poll {n}/{max}")
}

/// Sends a command and returns the device's reply.
pub async fn send(
    g: &Global,
    imei: &Imei,
    command: &Command,
    yes: bool,
    poll_interval_ms: u64,
) -> Result<String, Failure> {
    let confirm = needs_confirmation(command) && !yes;
    // Refused before any lookup or request: a script must not stop an engine by accident.
    if confirm && !std::io::stdin().is_terminal() {
        return Err(Failure::usage(format!(
            "{} ({}) of {imei} needs confirmation: pass --yes (nothing sent)",
            command.wire(),
            command.label().to_lowercase()
        )));
    }
    let session = Session::open(g).await?;
    let out = send_in(&session.client, imei, command, confirm, poll_interval_ms)
        .await
        .map_err(|e| session.explain(e));
    session.close();
    out
}

async fn send_in(
    client: &Client,
    imei: &Imei,
    command: &Command,
    confirm: bool,
    poll_interval_ms: u64,
) -> Result<String, Failure> {
    if confirm && !ask(client, imei, command).await? {
        return Err(Failure::usage("not confirmed: nothing sent"));
    }
    let opts = CommandOptions {
        max_polls: MAX_POLLS,
        poll_interval: Duration::from_millis(poll_interval_ms),
        ..CommandOptions::default()
    };
    eprintln!("sending {} to {imei}", command.wire());
    let tty = std::io::stderr().is_terminal();
    let on_poll = move |n: u32| {
        if tty {
            eprint!("\r{}", poll_line(n, MAX_POLLS));
        } else {
            eprintln!("{}", poll_line(n, MAX_POLLS));
        }
    };
    let result = client.run_command(imei, command, &opts, &on_poll).await;
    if tty {
        eprintln!();
    }
    let (id, outcome) = result?;
    match outcome {
        CommandOutcome::Responded(reply) => Ok(format!("{reply}\n")),
        CommandOutcome::TimedOut => Err(Failure::Other(format!(
            "timed out: {imei} did not reply after {MAX_POLLS} polls (command id {id}); \
             the device may still carry it out"
        ))),
    }
}

/// Asks on the terminal, naming the vehicle and warning when it is moving.
async fn ask(client: &Client, imei: &Imei, command: &Command) -> Result<bool, Failure> {
    // Best effort: the warning helps, but a failed lookup must not hide the question.
    if let Ok(tracks) = client.track(std::slice::from_ref(imei)).await {
        if let Some(t) = tracks.iter().find(|t| t.imei == imei.as_str()) {
            if t.speed > 0.0 {
                eprintln!(
                    "WARNING: {imei} is moving at {} km/h. Stopping the engine of a moving \
                     vehicle is dangerous.",
                    t.speed
                );
            }
        }
    }
    eprint!(
        "{} ({}) on device {imei}. Send it? [y/N] ",
        command.label(),
        command.wire()
    );
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("could not read the answer: {e}")))?;
    Ok(is_yes(&answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stopping_the_engine_needs_confirmation() {
        assert!(needs_confirmation(&Command::StopEngine));
        assert!(needs_confirmation(
            &"relay, 1".parse().unwrap_or(Command::Reset)
        ));
        assert!(!needs_confirmation(&Command::RestoreEngine));
        assert!(!needs_confirmation(&Command::Raw("FOO".into())));
    }

    #[test]
    fn only_an_explicit_yes_confirms() {
        assert!(is_yes("y\n") && is_yes(" YES ") && is_yes("yes"));
        assert!(!is_yes("") && !is_yes("n") && !is_yes("yess") && !is_yes("\n"));
    }

    #[test]
    fn poll_progress_counts_to_thirty() {
        assert_eq!(
            poll_line(3, MAX_POLLS),
            "waiting for the device's reply: poll 3/30"
        );
    }
}
