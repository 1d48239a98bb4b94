//! How the app was started: the command-line arguments and environment variables that change
//! where it keeps its files and how the demo runs, read in this one place.

use std::path::PathBuf;

/// Overrides the settings directory (tests point it at a temporary one).
pub const CONFIG_DIR_ENV: &str = "ETRACK_CONFIG_DIR";
/// Overrides the data directory (geofences, alarm watch, audit log).
pub const DATA_DIR_ENV: &str = "ETRACK_DATA_DIR";
/// Exports go to this directory without a Save dialog (end-to-end tests: WebDriver cannot drive
/// a native dialog). Honoured only by a build with the `e2e` feature.
pub const EXPORT_DIR_ENV: &str = "ETRACK_EXPORT_DIR";
/// The command-line form of [`EXPORT_DIR_ENV`].
pub const EXPORT_DIR_ARG: &str = "--export-dir=";
/// `1`: sign into the demo at start when no account is remembered (same as `--demo`).
pub const DEMO_ENV: &str = "ETRACK_DEMO";
/// The command-line form of [`DEMO_ENV`].
pub const DEMO_ARG: &str = "--demo";
/// How many devices the demo fleet has (1..=500; the simulator's default otherwise).
pub const DEMO_DEVICES_ENV: &str = "ETRACK_DEMO_DEVICES";
/// The command-line form of [`DEMO_DEVICES_ENV`]: `--demo-devices=N`.
pub const DEMO_DEVICES_ARG: &str = "--demo-devices=";
/// How many times as fast as real time the demo's clock runs (1..=3600).
pub const TIME_SCALE_ENV: &str = "ETRACK_DEMO_TIME_SCALE";
/// The command-line form of [`TIME_SCALE_ENV`]: `--demo-time-scale N` or `--demo-time-scale=N`.
pub const TIME_SCALE_ARG: &str = "--demo-time-scale";
/// The fastest demo clock allowed.
pub const MAX_TIME_SCALE: f64 = 3600.0;

/// The app's identifier (tauri.conf.json): the name of its folders in the platform's directories.
pub const APP_IDENTIFIER: &str = "dev.etrack.desktop";

/// The app's data dir as every process of this user finds it (the CLI too, for the shared
/// token): `$ETRACK_DATA_DIR`, else the platform's data dir (`~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows) with the app's identifier,
/// which is where the desktop app keeps it.
pub fn shared_data_dir() -> Option<PathBuf> {
    std::env::var_os(DATA_DIR_ENV)
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::data_dir().map(|d| d.join(APP_IDENTIFIER)))
}

/// The launch options, parsed once at start.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LaunchOptions {
    /// Where settings.json lives instead of the platform's config dir.
    pub config_dir: Option<PathBuf>,
    /// Where the records live instead of the platform's data dir.
    pub data_dir: Option<PathBuf>,
    /// Where exports go without a dialog (see [`EXPORT_DIR_ENV`]).
    pub export_dir: Option<PathBuf>,
    /// Sign into the demo at start when no account is remembered.
    pub demo_at_start: bool,
    /// The demo fleet's size.
    pub demo_devices: Option<usize>,
    /// The demo clock's speed (> 1 when sped up).
    pub time_scale: Option<f64>,
}

impl LaunchOptions {
    /// The options of this process.
    pub fn from_process() -> Self {
        let args: Vec<String> = std::env::args().skip(1).collect();
        Self::parse(&args, |k| std::env::var(k).ok())
    }

    /// The options from `args` (without the program name) and the environment `env`; an argument
    /// wins over its environment variable. Values out of range are ignored (and logged).
    pub fn parse(args: &[String], env: impl Fn(&str) -> Option<String>) -> Self {
        let dir = |name: &str| env(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let export_dir = args
            .iter()
            .find_map(|a| a.strip_prefix(EXPORT_DIR_ARG).map(PathBuf::from))
            .filter(|p| !p.as_os_str().is_empty())
            .or_else(|| dir(EXPORT_DIR_ENV));
        let demo_at_start = args.iter().any(|a| a == DEMO_ARG)
            || env(DEMO_ENV).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
        let demo_devices = args
            .iter()
            .find_map(|a| a.strip_prefix(DEMO_DEVICES_ARG).map(str::to_owned))
            .or_else(|| env(DEMO_DEVICES_ENV))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| (1..=500).contains(n));
        Self {
            config_dir: dir(CONFIG_DIR_ENV),
            data_dir: dir(DATA_DIR_ENV),
            export_dir,
            demo_at_start,
            demo_devices,
            time_scale: time_scale_from(args, env(TIME_SCALE_ENV)),
        }
    }

    /// The demo service's configuration.
    pub fn demo_config(&self) -> etrack_sim::SimConfig {
        let mut config = etrack_sim::SimConfig::default();
        if let Some(n) = self.demo_devices {
            config.devices = n;
        }
        config
    }
}

/// The demo's time scale from `--demo-time-scale N` (or `=N`) or the environment; `None` when not
/// given or not a number in 1..=3600.
fn time_scale_from(args: &[String], env: Option<String>) -> Option<f64> {
    let mut from_args = None;
    for (i, a) in args.iter().enumerate() {
        if let Some(v) = a.strip_prefix(&format!("{TIME_SCALE_ARG}=")) {
            from_args = Some(v.to_owned());
        } else if a == TIME_SCALE_ARG {
            from_args = args.get(i + 1).cloned();
        }
    }
    let raw = from_args.or(env)?;
    match raw.trim().parse::<f64>() {
        Ok(s) if (1.0..=MAX_TIME_SCALE).contains(&s) => Some(s),
        _ => {
            tracing::warn!("ignoring the demo time scale {raw:?}: use a number from 1 to 3600");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn arguments_win_over_the_environment() {
        let env = |k: &str| match k {
            EXPORT_DIR_ENV => Some("/from/env".to_owned()),
            TIME_SCALE_ENV => Some("10".to_owned()),
            CONFIG_DIR_ENV => Some("/cfg".to_owned()),
            _ => None,
        };
        let o = LaunchOptions::parse(
            &args(&["--export-dir=/from/arg", "--demo-time-scale", "30"]),
            env,
        );
        assert_eq!(o.export_dir, Some(PathBuf::from("/from/arg")));
        assert_eq!(o.time_scale, Some(30.0));
        assert_eq!(o.config_dir, Some(PathBuf::from("/cfg")));
        assert!(!o.demo_at_start);
    }

    #[test]
    fn the_demo_fleet_size_comes_from_the_command_line_or_the_environment() {
        let env500 = |k: &str| (k == DEMO_DEVICES_ENV).then(|| "500".to_owned());
        let size = |a: &[&str], env: &dyn Fn(&str) -> Option<String>| {
            LaunchOptions::parse(&args(a), env).demo_devices
        };
        assert_eq!(size(&["--demo-devices=120"], &env500), Some(120));
        assert_eq!(size(&[], &env500), Some(500));
        assert_eq!(size(&[], &|_| None), None);
        // Out of range or not a number: the simulator's default.
        assert_eq!(size(&["--demo-devices=501"], &|_| None), None);
        assert_eq!(size(&["--demo-devices=many"], &|_| None), None);
    }

    #[test]
    fn the_scale_comes_from_the_command_line_or_the_environment() {
        let scale =
            |a: &[&str], env: Option<&str>| time_scale_from(&args(a), env.map(str::to_owned));
        assert_eq!(scale(&["--demo-time-scale", "20"], None), Some(20.0));
        assert_eq!(scale(&["--demo-time-scale=2.5"], None), Some(2.5));
        assert_eq!(scale(&[], Some("8")), Some(8.0));
        assert_eq!(scale(&["--demo-time-scale", "3"], Some("8")), Some(3.0));
        assert_eq!(scale(&["--demo-time-scale", "0"], None), None);
        assert_eq!(scale(&["--demo-time-scale", "fast"], None), None);
        assert_eq!(scale(&["--demo"], None), None);
    }

    #[test]
    fn the_demo_switches_and_their_ranges() {
        let o = LaunchOptions::parse(&args(&["--demo", "--demo-time-scale=9000"]), |k| {
            (k == DEMO_DEVICES_ENV).then(|| "501".to_owned())
        });
        assert!(o.demo_at_start);
        assert_eq!(o.time_scale, None, "beyond 3600 is ignored");
        assert_eq!(o.demo_devices, None, "beyond 500 is ignored");
        let o = LaunchOptions::parse(&[], |k| match k {
            DEMO_ENV => Some("true".to_owned()),
            DEMO_DEVICES_ENV => Some(" 500 ".to_owned()),
            _ => None,
        });
        assert!(o.demo_at_start);
        assert_eq!(o.demo_config().devices, 500);
        assert_eq!(
            LaunchOptions::parse(&[], |_| None),
            LaunchOptions::default()
        );
    }
}
