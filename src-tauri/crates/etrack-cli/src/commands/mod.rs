//! One module per area. Each command validates its input before a session is opened, so a usage
//! error (exit 2) never sends anything; then it talks to the provider and returns the text for
//! stdout.

mod account;
mod device_command;
mod fleet;
mod geofence;
mod history;
mod report;
mod users;

use crate::args::{Cli, Cmd, CommandCmd, DeviceCmd, GeofenceCmd, Global, UserCmd};
use crate::failure::Failure;

/// Runs the parsed command line; `Ok` holds what goes to stdout.
pub async fn run(cli: Cli) -> Result<String, Failure> {
    let g = &cli.global;
    match cli.command {
        Cmd::Login => account::login(g).await,
        Cmd::Logout => account::logout(g),
        Cmd::Devices {
            for_account,
            format,
        } => fleet::devices(g, for_account.as_deref(), format).await,
        Cmd::Track { imeis, format } => fleet::track(g, &imeis, format).await,
        Cmd::Device(DeviceCmd::Detail { imeis, format }) => fleet::detail(g, &imeis, format).await,
        Cmd::Playback {
            imei,
            range,
            format,
        } => history::playback(g, &imei, range, format).await,
        Cmd::Alarms {
            imei,
            range,
            format,
        } => history::alarms(g, &imei, range, format).await,
        Cmd::Mileage {
            imeis,
            range,
            format,
        } => history::mileage(g, &imeis, range, format).await,
        Cmd::Geofence(GeofenceCmd::Create {
            imei,
            name,
            lat,
            lon,
            radius,
            alarm,
        }) => {
            let req = etrack::GeofenceRequest {
                imei,
                name,
                alarm,
                longitude: lon,
                latitude: lat,
                radius,
            };
            geofence::create(g, req).await
        }
        Cmd::Command(CommandCmd::Send {
            imei,
            command,
            yes,
            poll_interval_ms,
        }) => device_command::send(g, &imei, &command, yes, poll_interval_ms).await,
        Cmd::Users {
            for_account,
            format,
        } => users::list(g, for_account.as_deref(), format).await,
        Cmd::User(UserCmd::Info { name, format }) => users::info(g, &name, format).await,
        Cmd::User(UserCmd::Block { name }) => users::set_blocked(g, &name, true).await,
        Cmd::User(UserCmd::Unblock { name }) => users::set_blocked(g, &name, false).await,
        Cmd::Message { to, text } => users::message(g, &to, &text).await,
        Cmd::Report { kind, args } => report::run(g, kind.into(), args).await,
    }
}

/// "No data" (code 20023) is an empty result, not an error: scripts get the header alone.
fn empty_on_no_data<T>(r: etrack::Result<Vec<T>>) -> etrack::Result<Vec<T>> {
    match r {
        Err(e) if e.is_no_data() => Ok(Vec::new()),
        other => other,
    }
}

/// A JSON encoding failure (not expected for these types) as a run failure.
fn json_failure(e: serde_json::Error) -> Failure {
    Failure::Other(format!("could not write JSON: {e}"))
}

/// Runs `f` with the session open and always closes it (stops the demo service).
async fn with_session<T, F, Fut>(g: &Global, f: F) -> Result<T, Failure>
where
    F: FnOnce(etrack::Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, Failure>>,
{
    let session = crate::session::Session::open(g).await?;
    let out = f(session.client.clone())
        .await
        .map_err(|e| session.explain(e));
    session.close();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_becomes_an_empty_list_and_other_errors_stay() {
        let no_data: etrack::Result<Vec<u8>> = Err(etrack::Error::Api {
            code: 20023,
            message: String::new(),
        });
        assert_eq!(empty_on_no_data(no_data), Ok(Vec::new()));
        let other: etrack::Result<Vec<u8>> = Err(etrack::Error::Api {
            code: 20017,
            message: String::new(),
        });
        assert!(empty_on_no_data(other).is_err());
    }
}
