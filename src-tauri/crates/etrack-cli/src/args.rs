//! The command line, as clap sees it.
//!
//! Values are validated while parsing (IMEIs, times, radius, alarm kind, command text), so a bad
//! value ends the run with exit code 2 before any credential is looked up or anything is sent.

use crate::timespec;
use clap::{Args, Parser, Subcommand, ValueEnum};
use etrack::{Command, GeofenceAlarm, Imei, Radius};
use etrack_app::reports::ReportKind;

/// `etrack`: scriptable access to a GPS-tracker provider's Open API.
#[derive(Debug, Parser)]
#[command(
    name = "etrack",
    version,
    about = "Query and control GPS trackers through the vendor's Open API",
    after_help = "The password comes from ETRACK_PASSWORD, else the OS keychain entry saved by \
                  `etrack login`, else a prompt on a terminal.\n\
                  Exit codes: 0 success, 1 API or network error, 2 usage or validation error \
                  (nothing sent).\n\
                  Output and messages are in English whatever the system's language, so that \
                  scripts can rely on them."
)]
pub struct Cli {
    /// Options every subcommand takes, before or after the subcommand.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Cmd,
}

/// Options that may stand before or after the subcommand.
#[derive(Debug, Args)]
pub struct Global {
    /// The provider's Open API address [default: http://api.etrack.vip].
    #[arg(long, env = "ETRACK_BASE_URL", global = true, value_name = "URL")]
    pub base_url: Option<String>,
    /// The account to sign in with.
    #[arg(long, env = "ETRACK_ACCOUNT", global = true, value_name = "NAME")]
    pub account: Option<String>,
    /// Run against a simulated provider started inside this process (no account needed).
    #[arg(long, global = true)]
    pub demo: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Check the credentials with the provider, then save the password's hash in the OS keychain.
    Login,
    /// Remove the keychain entry saved by `etrack login`.
    Logout,
    /// List the account's devices (spec 2.7).
    Devices {
        /// List the devices of this sub-account instead.
        #[arg(long = "for", value_name = "ACCOUNT")]
        for_account: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// The latest position and status of devices (spec 2.2).
    Track {
        /// One or more IMEIs.
        #[arg(required = true, value_parser = parse_imei)]
        imeis: Vec<Imei>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Device registration data.
    #[command(subcommand)]
    Device(DeviceCmd),
    /// A device's GPS history (spec 2.3), ascending, without repeated rows.
    Playback {
        /// The device.
        #[arg(value_parser = parse_imei)]
        imei: Imei,
        #[command(flatten)]
        range: RangeArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: PlaybackFormat,
    },
    /// A device's alarms (spec 2.8), ascending by system time.
    Alarms {
        /// The device.
        #[arg(value_parser = parse_imei)]
        imei: Imei,
        #[command(flatten)]
        range: RangeArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ExportFormat,
    },
    /// Distance driven per device (spec 2.14); --from and --to must fall on :00 or :30.
    Mileage {
        /// One or more IMEIs.
        #[arg(required = true, value_parser = parse_imei)]
        imeis: Vec<Imei>,
        #[command(flatten)]
        range: RangeArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ExportFormat,
    },
    /// Geofences.
    #[command(subcommand)]
    Geofence(GeofenceCmd),
    /// Device commands.
    #[command(subcommand)]
    Command(CommandCmd),
    /// List sub-accounts (spec 2.15).
    Users {
        /// List the sub-accounts of this account instead.
        #[arg(long = "for", value_name = "ACCOUNT")]
        for_account: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// One account: information, block, unblock.
    #[command(subcommand)]
    User(UserCmd),
    /// Fleet reports (the desktop app's): trips, stops, idling, daily summary, speeding or
    /// geofence visits of vehicles over a period.
    Report {
        /// Which report.
        #[arg(value_enum)]
        kind: ReportKindArg,
        #[command(flatten)]
        args: ReportArgs,
    },
    /// Send a message to accounts (spec 2.13).
    Message {
        /// Recipients, separated by commas (at most 200).
        #[arg(long, required = true, value_delimiter = ',', value_name = "ACCOUNTS")]
        to: Vec<String>,
        /// The message (at most 300 characters).
        #[arg(long)]
        text: String,
    },
}

/// `etrack device ...`
#[derive(Debug, Subcommand)]
pub enum DeviceCmd {
    /// Registration data of devices by IMEI (spec 2.12).
    Detail {
        /// One or more IMEIs.
        #[arg(required = true, value_parser = parse_imei)]
        imeis: Vec<Imei>,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
}

/// `etrack geofence ...`
#[derive(Debug, Subcommand)]
pub enum GeofenceCmd {
    /// Create a circular geofence (spec 2.4).
    Create {
        /// The device.
        #[arg(value_parser = parse_imei)]
        imei: Imei,
        /// The geofence's name.
        #[arg(long)]
        name: String,
        /// Centre latitude (degrees north).
        #[arg(long, allow_negative_numbers = true)]
        lat: f64,
        /// Centre longitude (degrees east).
        #[arg(long, allow_negative_numbers = true)]
        lon: f64,
        /// Radius in metres, 100 to 5000.
        #[arg(long, value_parser = parse_radius)]
        radius: Radius,
        /// When to raise an alarm: in, out or both.
        #[arg(long, value_parser = parse_alarm)]
        alarm: GeofenceAlarm,
    },
}

/// `etrack command ...`
#[derive(Debug, Subcommand)]
pub enum CommandCmd {
    /// Send a command (RELAY,1 RELAY,0 RESET LOCKDOOR UNLOCKDOOR or raw text) and print the reply.
    Send {
        /// The device.
        #[arg(value_parser = parse_imei)]
        imei: Imei,
        /// The command text, e.g. RELAY,0.
        #[arg(value_parser = parse_command)]
        command: Command,
        /// Do not ask before stopping an engine (RELAY,1).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Time between two status polls, in milliseconds (for tests).
        #[arg(long, hide = true, default_value_t = 1000)]
        poll_interval_ms: u64,
    },
}

/// `etrack user ...`
#[derive(Debug, Subcommand)]
pub enum UserCmd {
    /// An account's information (spec 2.11).
    Info {
        /// The account.
        #[arg(value_name = "ACCOUNT")]
        name: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: ListFormat,
    },
    /// Block an account (spec 2.9).
    Block {
        /// The account.
        #[arg(value_name = "ACCOUNT")]
        name: String,
    },
    /// Unblock an account (spec 2.10).
    Unblock {
        /// The account.
        #[arg(value_name = "ACCOUNT")]
        name: String,
    },
}

/// The report kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKindArg {
    /// Journeys between stops.
    Trips,
    /// Stops (at least --min-stop).
    Stops,
    /// Standing with the engine on (at least --min-idle).
    Idling,
    /// One row per vehicle and day (days in --tz).
    Summary,
    /// Faster than --speed-limit.
    Speeding,
    /// Visits of the geofences recorded in the desktop app.
    Geofences,
}

impl From<ReportKindArg> for ReportKind {
    fn from(k: ReportKindArg) -> Self {
        match k {
            ReportKindArg::Trips => ReportKind::Trips,
            ReportKindArg::Stops => ReportKind::Stops,
            ReportKindArg::Idling => ReportKind::Idling,
            ReportKindArg::Summary => ReportKind::Summary,
            ReportKindArg::Speeding => ReportKind::Speeding,
            ReportKindArg::Geofences => ReportKind::Geofences,
        }
    }
}

/// What `etrack report` takes besides the kind.
#[derive(Debug, Args, Clone)]
pub struct ReportArgs {
    /// A vehicle (repeat for more).
    #[arg(long = "imei", value_parser = parse_imei, required_unless_present = "all", conflicts_with = "all")]
    pub imeis: Vec<Imei>,
    /// Every vehicle of the account.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub range: RangeArgs,
    /// Time zone of the days and times: "local" or an IANA name (Europe/Berlin).
    #[arg(long, default_value = "local", value_name = "ZONE", value_parser = parse_zone)]
    pub tz: String,
    /// Shortest stop: seconds, or with a unit (90s, 3m, 1h).
    #[arg(long, default_value = "3m", value_parser = timespec::parse_duration)]
    pub min_stop: u32,
    /// Shortest idle period: seconds, or with a unit (90s, 5m, 1h).
    #[arg(long, default_value = "5m", value_parser = timespec::parse_duration)]
    pub min_idle: u32,
    /// Speed limit, km/h.
    #[arg(long, default_value_t = 80.0)]
    pub speed_limit: f64,
    /// Shortest speeding, first to last fast fix: seconds, or with a unit (30s, 1m); 0 reports a
    /// single fast fix.
    #[arg(long, default_value = "0s", value_parser = timespec::parse_duration)]
    pub min_speeding: u32,
    /// Output format (xlsx needs --output).
    #[arg(long, value_enum, default_value_t)]
    pub format: ReportOutput,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Output of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportOutput {
    /// Aligned columns for people.
    #[default]
    Table,
    /// Comma-separated values: ISO 8601 times in the zone, durations h:mm:ss, km.
    Csv,
    /// The report as the desktop app receives it: metres, seconds, unix times.
    Json,
    /// An Excel workbook (with --output).
    Xlsx,
}

fn parse_zone(s: &str) -> Result<String, String> {
    etrack_app::reports::zone::Zone::parse(s)
        .map(|_| s.trim().to_owned())
        .map_err(|e| e.to_string())
}

/// A period given as unix seconds or RFC 3339.
#[derive(Debug, Args, Clone, Copy)]
pub struct RangeArgs {
    /// Start: unix seconds or RFC 3339 (e.g. 2024-05-01T08:00:00Z).
    #[arg(long, value_parser = timespec::parse, allow_negative_numbers = true)]
    pub from: i64,
    /// End: unix seconds or RFC 3339.
    #[arg(long, value_parser = timespec::parse, allow_negative_numbers = true)]
    pub to: i64,
}

/// Output of lists and records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    #[default]
    Table,
    /// A JSON array with the spec's field names.
    Json,
}

/// Output of alarms and mileage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header line; times in unix seconds.
    #[default]
    Csv,
    /// A JSON array.
    Json,
}

/// Output of a playback.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum PlaybackFormat {
    /// Comma-separated values with a header line; times in unix seconds.
    #[default]
    Csv,
    /// A JSON array.
    Json,
    /// A GPX 1.1 track.
    Gpx,
}

fn parse_imei(s: &str) -> Result<Imei, String> {
    Imei::parse(s).map_err(|e| e.to_string())
}

fn parse_radius(s: &str) -> Result<Radius, String> {
    let metres: u32 = s
        .trim()
        .parse()
        .map_err(|_| format!("the radius must be a whole number of metres, not {s:?}"))?;
    Radius::new(metres).map_err(|e| e.to_string())
}

fn parse_alarm(s: &str) -> Result<GeofenceAlarm, String> {
    s.parse().map_err(|e: etrack::Error| e.to_string())
}

fn parse_command(s: &str) -> Result<Command, String> {
    s.parse().map_err(|e: etrack::Error| e.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_may_follow_the_subcommand() {
        let cli = Cli::try_parse_from([
            "etrack",
            "devices",
            "--account",
            "demo",
            "--base-url",
            "http://127.0.0.1:1",
        ])
        .unwrap();
        assert_eq!(cli.global.account.as_deref(), Some("demo"));
        assert_eq!(cli.global.base_url.as_deref(), Some("http://127.0.0.1:1"));
    }

    #[test]
    fn the_target_account_does_not_replace_the_signed_in_account() {
        // Both are "accounts"; clap would merge two args with one id into one value.
        let cli =
            Cli::try_parse_from(["etrack", "--account", "demo", "user", "block", "demo-west"])
                .unwrap();
        assert_eq!(cli.global.account.as_deref(), Some("demo"));
        match cli.command {
            Cmd::User(UserCmd::Block { name }) => assert_eq!(name, "demo-west"),
            other => panic!("parsed as {other:?}"),
        }
        let cli = Cli::try_parse_from(["etrack", "user", "info", "demo-east", "--account", "demo"])
            .unwrap();
        assert_eq!(cli.global.account.as_deref(), Some("demo"));
        match cli.command {
            Cmd::User(UserCmd::Info { name, .. }) => assert_eq!(name, "demo-east"),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn radius_bounds_are_inclusive() {
        assert!(parse_radius("100").is_ok());
        assert!(parse_radius("5000").is_ok());
        assert!(parse_radius("99").is_err());
        assert!(parse_radius("5001").is_err());
        assert!(parse_radius("1e3").is_err());
    }

    #[test]
    fn negative_coordinates_and_message_lists_parse() {
        let cli = Cli::try_parse_from([
            "etrack",
            "geofence",
            "create",
            "358899051025339",
            "--name",
            "depot",
            "--lat",
            "-33.9",
            "--lon",
            "-70.6",
            "--radius",
            "300",
            "--alarm",
            "both",
        ])
        .unwrap();
        match cli.command {
            Cmd::Geofence(GeofenceCmd::Create {
                lat, lon, alarm, ..
            }) => {
                assert_eq!((lat, lon), (-33.9, -70.6));
                assert_eq!(alarm, GeofenceAlarm::Both);
            }
            other => panic!("parsed as {other:?}"),
        }
        let cli =
            Cli::try_parse_from(["etrack", "message", "--to", "a,b", "--text", "hi"]).unwrap();
        match cli.command {
            Cmd::Message { to, .. } => assert_eq!(to, ["a", "b"]),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn bad_values_are_usage_errors() {
        for argv in [
            &["etrack", "track", "12ab"][..],
            &[
                "etrack",
                "playback",
                "358899051025339",
                "--from",
                "x",
                "--to",
                "1",
            ],
            &["etrack", "devices", "--format", "xml"],
        ] {
            let err = Cli::try_parse_from(argv).unwrap_err();
            assert_eq!(err.exit_code(), 2, "{argv:?}");
        }
    }
}
