//! Non-secret settings and the list of saved accounts, kept as JSON in the app's config dir.
//!
//! No password, hash or token is ever written here: the keychain holds those.

use crate::error::AppError;
use crate::json_store::JsonStore;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// Speed units for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Units {
    /// Kilometres per hour.
    #[default]
    Kmh,
    /// Miles per hour.
    Mph,
}

/// The app's colours: the operating system's light or dark setting, or one chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Theme {
    /// Follows the operating system's light or dark setting, also when it changes.
    #[default]
    System,
    /// Light, whatever the system says.
    Light,
    /// Dark, whatever the system says.
    Dark,
}

/// The user's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The provider's base URL, the sign-in form's default.
    pub provider_url: String,
    /// Map tile URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`).
    pub tile_url: String,
    /// Attribution shown with the tiles.
    pub tile_attribution: String,
    /// Seconds between live refreshes.
    pub refresh_secs: u32,
    /// Speed units.
    pub units: Units,
    /// `"local"` or an IANA time zone name such as `"UTC"` or `"Asia/Shanghai"`.
    pub time_zone: String,
    /// Whether the app quietly checks for a newer version when it starts.
    pub check_updates_at_start: bool,
    /// Light, dark, or the system's choice.
    pub theme: Theme,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            provider_url: "http://api.etrack.vip".to_owned(),
            tile_url: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".to_owned(),
            tile_attribution: "© OpenStreetMap contributors".to_owned(),
            refresh_secs: 10,
            units: Units::Kmh,
            time_zone: "local".to_owned(),
            check_updates_at_start: true,
            theme: Theme::System,
        }
    }
}

/// The shortest refresh interval allowed: the provider answers 10009 to clients that poll faster.
pub const MIN_REFRESH_SECS: u32 = 5;
/// The longest refresh interval allowed.
pub const MAX_REFRESH_SECS: u32 = 3600;

/// The areas of the IANA time zone database; a zone name must start with one of them.
const TZ_AREAS: &[&str] = &[
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
    "Etc",
];

impl Settings {
    /// Checks every field and returns the settings with URLs and names normalised (trimmed, no
    /// trailing slash), or a validation error naming the first bad field.
    pub fn validated(mut self) -> Result<Self, AppError> {
        self.provider_url = normalize_provider_url(&self.provider_url)?;

        let tile = self.tile_url.trim();
        for p in ["{z}", "{x}", "{y}"] {
            if !tile.contains(p) {
                return Err(AppError::invalid(format!(
                    "The tile URL must contain {{z}}, {{x}} and {{y}}; {p} is missing."
                )));
            }
        }
        let probe = tile
            .replace("{s}", "a")
            .replace("{z}", "1")
            .replace("{x}", "1")
            .replace("{y}", "1")
            .replace("{r}", "");
        match url::Url::parse(&probe) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => {
                return Err(AppError::invalid(format!(
                    "The tile URL {tile:?} is not an http(s) URL template."
                )))
            }
        }
        self.tile_url = tile.to_owned();

        self.tile_attribution = self.tile_attribution.trim().to_owned();
        if self.tile_attribution.chars().count() > 500 {
            return Err(AppError::invalid(
                "The tile attribution is too long (500 characters at most).",
            ));
        }

        if !(MIN_REFRESH_SECS..=MAX_REFRESH_SECS).contains(&self.refresh_secs) {
            return Err(AppError::invalid(format!(
                "The refresh interval must be between {MIN_REFRESH_SECS} and {MAX_REFRESH_SECS} seconds, not {}.",
                self.refresh_secs
            )));
        }

        self.time_zone = self.time_zone.trim().to_owned();
        if !is_time_zone(&self.time_zone) {
            return Err(AppError::invalid(format!(
                "Unknown time zone {:?}: use \"local\", \"UTC\" or a name like \"Europe/Paris\".",
                self.time_zone
            )));
        }
        Ok(self)
    }
}

/// Trims a provider URL, checks it is http(s) with a host, and drops trailing slashes so the same
/// provider always has the same spelling (it is part of the keychain entry's name).
pub fn normalize_provider_url(raw: &str) -> Result<String, AppError> {
    let t = raw.trim().trim_end_matches('/');
    match url::Url::parse(t) {
        // A user name or password in the URL would be written into the settings file and sent
        // with every request: the account and password have their own fields.
        Ok(u) if !u.username().is_empty() || u.password().is_some() => Err(AppError::invalid(
            "The provider URL must not hold a user name or password: enter them in the account and password fields.",
        )),
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(t.to_owned()),
        _ => Err(AppError::invalid(format!(
            "The provider URL {:?} is not valid: it should look like http://api.example.com",
            raw.trim()
        ))),
    }
}

/// "local", "UTC"/"GMT", or `Area/Location[/Sub]` with an IANA area. The UI formats with the
/// platform's time zone database, which has the final word on the exact location.
fn is_time_zone(tz: &str) -> bool {
    if matches!(tz, "local" | "UTC" | "GMT") {
        return true;
    }
    let mut parts = tz.split('/');
    let area = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    TZ_AREAS.contains(&area)
        && (1..=2).contains(&rest.len())
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// An account that can be switched to without typing its password (its hash is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedAccount {
    /// The account name.
    pub account: String,
    /// The provider it belongs to.
    pub provider_url: String,
}

/// What the settings file holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct SettingsFile {
    settings: Settings,
    accounts: Vec<SavedAccount>,
    last_account: Option<SavedAccount>,
}

/// The settings file, loaded once and written through on every change.
pub struct SettingsStore {
    file: JsonStore<SettingsFile>,
}

/// The file name inside the config dir.
pub const FILE_NAME: &str = "settings.json";

impl SettingsStore {
    /// Loads `dir/settings.json`. A missing file gives the defaults; an unreadable one is kept
    /// aside (`settings.corrupt-<time>.json`) and the defaults are used, so a damaged file never
    /// stops the app from starting and is never written over.
    pub fn load(dir: &Path) -> Self {
        let file = JsonStore::open_repaired(dir.join(FILE_NAME), |f: &mut SettingsFile| {
            // A hand-edited file may hold bad values: keep the defaults for those.
            if let Err(e) = f.settings.clone().validated() {
                tracing::warn!("settings file has a bad value ({e}); using defaults");
                f.settings = Settings::default();
            }
        });
        Self { file }
    }

    /// Where the file lives.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    fn update<R>(&self, f: impl FnOnce(&mut SettingsFile) -> R) -> Result<R, AppError> {
        self.file.update("save the settings to", f)
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        self.file.read(|f| f.settings.clone())
    }

    /// Validates and saves new settings; returns them normalised.
    pub fn set_settings(&self, s: Settings) -> Result<Settings, AppError> {
        let s = s.validated()?;
        self.update(|f| f.settings = s.clone())?;
        Ok(s)
    }

    /// Makes `url` the sign-in form's default provider.
    pub fn set_provider_url(&self, url: &str) -> Result<(), AppError> {
        let url = normalize_provider_url(url)?;
        self.update(|f| f.settings.provider_url = url)
    }

    /// The saved accounts, in the order they were first saved.
    pub fn accounts(&self) -> Vec<SavedAccount> {
        self.file.read(|f| f.accounts.clone())
    }

    /// The account to sign in with at start-up.
    pub fn last_account(&self) -> Option<SavedAccount> {
        self.file.read(|f| f.last_account.clone())
    }

    /// Adds the account to the saved list (once) and makes it the last used.
    pub fn remember_account(&self, a: &SavedAccount) -> Result<(), AppError> {
        self.update(|f| {
            if !f.accounts.contains(a) {
                f.accounts.push(a.clone());
            }
            f.last_account = Some(a.clone());
        })
    }

    /// Makes the account the last used, or clears it.
    pub fn set_last_account(&self, a: Option<&SavedAccount>) -> Result<(), AppError> {
        self.update(|f| f.last_account = a.cloned())
    }

    /// Removes the account from the saved list, and as last used account.
    pub fn forget_account(&self, a: &SavedAccount) -> Result<(), AppError> {
        self.update(|f| {
            f.accounts.retain(|x| x != a);
            if f.last_account.as_ref() == Some(a) {
                f.last_account = None;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn bad(s: Settings) -> String {
        let e = s.validated().expect_err("should be refused");
        assert_eq!(e.kind(), ErrorKind::Validation);
        e.to_string()
    }

    #[test]
    fn defaults_are_the_contracts_and_valid() {
        let d = Settings::default();
        assert_eq!(d.provider_url, "http://api.etrack.vip");
        assert_eq!(d.refresh_secs, 10);
        assert_eq!(d.units, Units::Kmh);
        assert_eq!(d.clone().validated().expect("valid"), d);
        let v = serde_json::to_value(&d).expect("json");
        assert_eq!(
            v["tileUrl"],
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        );
        assert_eq!(v["units"], "kmh");
        assert_eq!(v["timeZone"], "local");
        assert_eq!(d.theme, Theme::System);
        assert_eq!(v["theme"], "system");
    }

    #[test]
    fn the_theme_is_written_in_lowercase_and_read_back() {
        for (theme, word) in [
            (Theme::System, "system"),
            (Theme::Light, "light"),
            (Theme::Dark, "dark"),
        ] {
            let s = Settings {
                theme,
                ..Settings::default()
            };
            let v = serde_json::to_value(&s).expect("json");
            assert_eq!(v["theme"], word);
            let back: Settings = serde_json::from_value(v).expect("read back");
            assert_eq!(back.theme, theme);
        }
        assert!(
            serde_json::from_value::<Settings>(serde_json::json!({ "theme": "sepia" })).is_err(),
            "an unknown theme is refused, not guessed"
        );
    }

    #[test]
    fn a_chosen_theme_survives_a_reload() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::load(dir.path());
        store
            .set_settings(Settings {
                theme: Theme::Dark,
                ..Settings::default()
            })
            .expect("saved");
        assert_eq!(
            SettingsStore::load(dir.path()).settings().theme,
            Theme::Dark
        );
    }

    #[test]
    fn validation_names_the_bad_field() {
        let d = Settings::default;
        assert!(bad(Settings {
            provider_url: "api.etrack.vip".into(),
            ..d()
        })
        .contains("provider URL"));
        assert!(bad(Settings {
            provider_url: "ftp://x".into(),
            ..d()
        })
        .contains("provider URL"));
        let with_secret = bad(Settings {
            provider_url: "http://demo:secret@api.etrack.vip".into(),
            ..d()
        });
        assert!(
            with_secret.contains("user name or password"),
            "{with_secret}"
        );
        assert!(
            !with_secret.contains("secret"),
            "the password is not echoed"
        );
        assert!(bad(Settings {
            tile_url: "https://t.example/{z}/{x}.png".into(),
            ..d()
        })
        .contains("{y}"));
        assert!(bad(Settings {
            tile_url: "file:///{z}/{x}/{y}".into(),
            ..d()
        })
        .contains("tile URL"));
        assert!(bad(Settings {
            refresh_secs: 1,
            ..d()
        })
        .contains("between 5 and 3600"));
        assert!(bad(Settings {
            refresh_secs: 86400,
            ..d()
        })
        .contains("refresh"));
        assert!(bad(Settings {
            time_zone: "Mars/Olympus".into(),
            ..d()
        })
        .contains("time zone"));
        assert!(bad(Settings {
            time_zone: "Asia/".into(),
            ..d()
        })
        .contains("time zone"));
    }

    #[test]
    fn validation_normalises_and_accepts_real_values() {
        let s = Settings {
            provider_url: " http://127.0.0.1:8080/ ".into(),
            tile_url: "https://{s}.tile.example.org/{z}/{x}/{y}.png".into(),
            refresh_secs: 5,
            units: Units::Mph,
            time_zone: "America/Argentina/Buenos_Aires".into(),
            ..Settings::default()
        }
        .validated()
        .expect("valid");
        assert_eq!(s.provider_url, "http://127.0.0.1:8080");
        for tz in ["UTC", "Asia/Shanghai", "Etc/GMT+8", "local"] {
            let s = Settings {
                time_zone: tz.into(),
                ..Settings::default()
            };
            assert!(s.validated().is_ok(), "{tz} should be accepted");
        }
    }

    #[test]
    fn settings_and_accounts_survive_a_reload() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::load(dir.path());
        assert_eq!(store.settings(), Settings::default());
        let s = store
            .set_settings(Settings {
                refresh_secs: 30,
                units: Units::Mph,
                time_zone: "UTC".into(),
                ..Settings::default()
            })
            .expect("saved");
        let a = SavedAccount {
            account: "east".into(),
            provider_url: "http://p.example".into(),
        };
        let b = SavedAccount {
            account: "west".into(),
            provider_url: "http://p.example".into(),
        };
        store.remember_account(&a).expect("saved");
        store.remember_account(&b).expect("saved");
        store.remember_account(&a).expect("saved");

        let again = SettingsStore::load(dir.path());
        assert_eq!(again.settings(), s);
        assert_eq!(again.accounts(), vec![a.clone(), b.clone()]);
        assert_eq!(again.last_account(), Some(a.clone()));

        again.forget_account(&a).expect("saved");
        let third = SettingsStore::load(dir.path());
        assert_eq!(third.accounts(), vec![b]);
        assert_eq!(third.last_account(), None);
        let text = std::fs::read_to_string(third.path()).expect("file");
        assert!(
            !text.to_lowercase().contains("password"),
            "no secrets in {text}"
        );
    }

    #[test]
    fn a_bad_value_is_refused_and_not_saved() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SettingsStore::load(dir.path());
        assert!(store
            .set_settings(Settings {
                refresh_secs: 0,
                ..Settings::default()
            })
            .is_err());
        assert_eq!(store.settings().refresh_secs, 10);
        assert!(
            !store.path().exists(),
            "nothing written for a refused change"
        );
    }

    #[test]
    fn a_damaged_file_gives_defaults_and_is_kept_aside() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(FILE_NAME), b"{not json").expect("write");
        let store = SettingsStore::load(dir.path());
        assert_eq!(store.settings(), Settings::default());
        let kept: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("settings.corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1, "the damaged file is kept aside");
        assert_eq!(
            std::fs::read(dir.path().join(&kept[0])).expect("kept"),
            b"{not json"
        );
    }

    #[test]
    fn an_old_file_with_missing_fields_still_loads() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"settings":{"refreshSecs":20}}"#,
        )
        .expect("write");
        let store = SettingsStore::load(dir.path());
        assert_eq!(store.settings().refresh_secs, 20);
        assert_eq!(store.settings().units, Units::Kmh);
        assert_eq!(store.settings().theme, Theme::System);
    }

    #[test]
    fn a_file_from_before_themes_loads_with_the_systems_theme() {
        // Every field a settings file had before the theme existed, and nothing else.
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(FILE_NAME),
            br#"{"settings":{"providerUrl":"http://127.0.0.1:8080","tileUrl":"https://tile.openstreetmap.org/{z}/{x}/{y}.png","tileAttribution":"x","refreshSecs":30,"units":"mph","timeZone":"UTC","checkUpdatesAtStart":false},"accounts":[],"lastAccount":null}"#,
        )
        .expect("write");
        let s = SettingsStore::load(dir.path()).settings();
        assert_eq!(s.theme, Theme::System);
        assert_eq!(
            (s.refresh_secs, s.units, s.check_updates_at_start),
            (30, Units::Mph, false),
            "the other values are kept, not reset to the defaults"
        );
        let kept = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with("settings.corrupt-")
            })
            .count();
        assert_eq!(kept, 0, "an old file is not taken for a damaged one");
    }
}
