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

/// A geodetic datum: how latitude and longitude are reckoned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Datum {
    /// WGS-84, GPS's own: OpenStreetMap and most of the world's maps.
    #[default]
    Wgs84,
    /// GCJ-02, the offset datum Chinese maps (AutoNavi, Tencent) are drawn in.
    Gcj02,
}

/// A tile source of the user's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CustomBasemap {
    /// `"custom-"` followed by 1 to 40 of `a-z`, `0-9` and `-`.
    pub id: String,
    /// The name shown in the layer list.
    pub name: String,
    /// The tile URL template: `{z}`, `{x}` and `{y}` (or `{-y}`, the TMS row), optionally `{s}`.
    pub url: String,
    /// One subdomain per character for `{s}` (`"abc"`); may be empty when the URL has no `{s}`.
    pub subdomains: String,
    /// Attribution shown with the tiles.
    pub attribution: String,
    /// The deepest zoom the source has tiles for, 1 to 22.
    pub max_zoom: u8,
    /// The datum the tiles are drawn in.
    pub datum: Datum,
}

/// The user's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// The provider's base URL, the sign-in form's default.
    pub provider_url: String,
    /// The map's basemap: a built-in layer's id (`"osm"`, `"satellite"`, `"gaode"`,
    /// `"gaode-satellite"`, `"tencent"`) or a custom one's (`"custom-…"`).
    pub basemap: String,
    /// The user's own tile sources, at most 20.
    pub custom_basemaps: Vec<CustomBasemap>,
    /// The datum the provider reports positions in (Chinese providers often use GCJ-02).
    pub provider_datum: Datum,
    /// The most disk space the tile cache may take, in MB (MiB: 1 MB = 1,048,576 bytes), 50 to
    /// 20000.
    pub tile_cache_mb: u32,
    /// The most disk space the signed-in account's stored history (playback points and alarms)
    /// may take, in MB (MiB, as the tile cache), 100 to 100000.
    pub history_limit_mb: u32,
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
    /// `"system"` (the operating system's language) or a BCP 47 tag such as `"zh-CN"`. A tag the
    /// UI has no translation for shows English.
    pub language: String,
    /// A Nominatim-compatible reverse geocoder's URL for street addresses (empty: off, the
    /// default; nothing is looked up).
    pub geocoder_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            provider_url: "http://api.etrack.vip".to_owned(),
            basemap: "osm".to_owned(),
            custom_basemaps: Vec::new(),
            provider_datum: Datum::Wgs84,
            tile_cache_mb: DEFAULT_TILE_CACHE_MB,
            history_limit_mb: DEFAULT_HISTORY_LIMIT_MB,
            refresh_secs: 10,
            units: Units::Kmh,
            time_zone: "local".to_owned(),
            check_updates_at_start: true,
            theme: Theme::System,
            language: "system".to_owned(),
            geocoder_url: String::new(),
        }
    }
}

/// The tile cache's default size, in MB.
pub const DEFAULT_TILE_CACHE_MB: u32 = 500;
/// The smallest tile cache allowed, in MB.
pub const MIN_TILE_CACHE_MB: u32 = 50;
/// The largest tile cache allowed, in MB.
pub const MAX_TILE_CACHE_MB: u32 = 20_000;
/// The stored history's default size bound, in MB.
pub const DEFAULT_HISTORY_LIMIT_MB: u32 = 2048;
/// The smallest stored history bound allowed, in MB.
pub const MIN_HISTORY_LIMIT_MB: u32 = 100;
/// The largest stored history bound allowed, in MB.
pub const MAX_HISTORY_LIMIT_MB: u32 = 100_000;
/// The most custom tile sources.
pub const MAX_CUSTOM_BASEMAPS: usize = 20;
/// The OpenStreetMap template, the tile URL of settings files from before the basemap catalogue.
const OLD_DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

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
    /// [`Self::history_limit_mb`] in bytes.
    pub fn history_limit_bytes(&self) -> u64 {
        u64::from(self.history_limit_mb) << 20
    }

    /// Checks every field and returns the settings with URLs and names normalised (trimmed, no
    /// trailing slash), or a validation error naming the first bad field.
    pub fn validated(mut self) -> Result<Self, AppError> {
        self.provider_url = normalize_provider_url(&self.provider_url)?;

        if self.custom_basemaps.len() > MAX_CUSTOM_BASEMAPS {
            return Err(AppError::invalid(format!(
                "At most {MAX_CUSTOM_BASEMAPS} custom maps can be kept, not {}.",
                self.custom_basemaps.len()
            )));
        }
        let mut ids = std::collections::HashSet::new();
        self.custom_basemaps = std::mem::take(&mut self.custom_basemaps)
            .into_iter()
            .map(CustomBasemap::validated)
            .collect::<Result<_, _>>()?;
        for b in &self.custom_basemaps {
            if !ids.insert(b.id.as_str()) {
                return Err(AppError::invalid(format!(
                    "Two custom maps have the id {:?}: each needs its own.",
                    b.id
                )));
            }
        }
        self.basemap = self.basemap.trim().to_owned();
        if !crate::tiles::catalogue::is_built_in(&self.basemap)
            && !ids.contains(self.basemap.as_str())
        {
            return Err(AppError::invalid(format!(
                "Unknown basemap {:?}: choose a built-in map or one of your custom maps.",
                self.basemap
            )));
        }
        if !(MIN_TILE_CACHE_MB..=MAX_TILE_CACHE_MB).contains(&self.tile_cache_mb) {
            return Err(AppError::invalid(format!(
                "The tile cache size must be between {MIN_TILE_CACHE_MB} and {MAX_TILE_CACHE_MB} MB, not {}.",
                self.tile_cache_mb
            )));
        }
        if !(MIN_HISTORY_LIMIT_MB..=MAX_HISTORY_LIMIT_MB).contains(&self.history_limit_mb) {
            return Err(AppError::invalid(format!(
                "The stored history's size must be between {MIN_HISTORY_LIMIT_MB} and {MAX_HISTORY_LIMIT_MB} MB, not {}.",
                self.history_limit_mb
            )));
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
        self.language = self.language.trim().to_owned();
        if !is_language(&self.language) {
            return Err(AppError::invalid(format!(
                "Unknown language {:?}: use \"system\" or a tag like \"zh-CN\".",
                self.language
            )));
        }
        self.geocoder_url = normalize_geocoder_url(&self.geocoder_url)?;
        Ok(self)
    }
}

impl CustomBasemap {
    /// Checks the source and returns it trimmed, or an error that names it and its bad field.
    pub fn validated(mut self) -> Result<Self, AppError> {
        self.id = self.id.trim().to_owned();
        let ok_id = self.id.strip_prefix("custom-").is_some_and(|rest| {
            (1..=40).contains(&rest.len())
                && rest
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        });
        if !ok_id {
            return Err(AppError::invalid(format!(
                "The custom map id {:?} is not valid: it is \"custom-\" and up to 40 of a-z, 0-9 and -.",
                self.id
            )));
        }
        self.name = self.name.trim().to_owned();
        if self.name.is_empty() || self.name.chars().count() > 60 {
            return Err(AppError::invalid(format!(
                "The custom map {:?} needs a name of 1 to 60 characters.",
                self.id
            )));
        }
        let who = format!("custom map {:?}", self.name);
        self.subdomains = self.subdomains.trim().to_owned();
        if self.subdomains.chars().count() > 20
            || !self.subdomains.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(AppError::invalid(format!(
                "The {who}'s subdomains are letters or digits, one subdomain each (like \"abc\"), at most 20."
            )));
        }
        self.url = check_tile_template(&self.url, &self.subdomains)
            .map_err(|why| AppError::invalid(format!("The {who}'s tile URL {why}")))?;
        self.attribution = self.attribution.trim().to_owned();
        if self.attribution.chars().count() > 500 {
            return Err(AppError::invalid(format!(
                "The {who}'s attribution is too long (500 characters at most)."
            )));
        }
        if !(1..=22).contains(&self.max_zoom) {
            return Err(AppError::invalid(format!(
                "The {who}'s maximum zoom must be between 1 and 22, not {}.",
                self.max_zoom
            )));
        }
        Ok(self)
    }
}

/// The placeholders a tile URL template may hold.
const PLACEHOLDERS: &[&str] = &["{s}", "{z}", "{x}", "{y}", "{-y}", "{r}"];

/// Checks a tile URL template (http(s) with a host; `{z}`, `{x}` and `{y}` or `{-y}`; `{s}` only
/// with subdomains; no other placeholder) and returns it trimmed, or the rest of a sentence
/// saying what is wrong ("must contain …").
fn check_tile_template(raw: &str, subdomains: &str) -> Result<String, String> {
    let tile = raw.trim();
    for p in ["{z}", "{x}"] {
        if !tile.contains(p) {
            return Err(format!(
                "must contain {{z}}, {{x}} and {{y}}; {p} is missing."
            ));
        }
    }
    if !tile.contains("{y}") && !tile.contains("{-y}") {
        return Err("must contain {z}, {x} and {y} (or {-y}); {y} is missing.".to_owned());
    }
    if tile.contains("{s}") && subdomains.is_empty() {
        return Err("uses {s}: list its subdomains (like \"abc\").".to_owned());
    }
    let mut rest = tile.to_owned();
    for p in PLACEHOLDERS {
        rest = rest.replace(p, "");
    }
    if let Some(at) = rest.find('{') {
        let unknown: String = rest[at..].chars().take_while(|c| *c != '}').collect();
        return Err(format!(
            "has an unknown placeholder {unknown}}}: only {{s}}, {{z}}, {{x}}, {{y}} and {{-y}} are filled in."
        ));
    }
    let probe = tile
        .replace("{s}", &subdomains.chars().next().unwrap_or('a').to_string())
        .replace("{z}", "1")
        .replace("{x}", "1")
        .replace("{-y}", "1")
        .replace("{y}", "1")
        .replace("{r}", "");
    match url::Url::parse(&probe) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(tile.to_owned())
        }
        _ => Err(format!("{tile:?} is not an http(s) URL template.")),
    }
}

/// `"system"`, or a BCP 47 tag: a 2–3 letter language and optional 2–8 character subtags.
fn is_language(tag: &str) -> bool {
    if tag == "system" {
        return true;
    }
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or_default();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
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

/// Trims a geocoder URL (empty stays empty: off) and checks it is http(s) with a host and no
/// user name or password.
fn normalize_geocoder_url(raw: &str) -> Result<String, AppError> {
    let t = raw.trim().trim_end_matches('/');
    if t.is_empty() {
        return Ok(String::new());
    }
    match url::Url::parse(t) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host().is_some()
                && u.username().is_empty()
                && u.password().is_none()
                && u.query().is_none() =>
        {
            Ok(t.to_owned())
        }
        _ => Err(AppError::invalid(format!(
            "The address service URL {:?} is not valid: it should look like https://nominatim.example.org",
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
    #[serde(deserialize_with = "settings_with_migration")]
    settings: Settings,
    accounts: Vec<SavedAccount>,
    last_account: Option<SavedAccount>,
}

/// Reads the settings of a file, also one from before the basemap catalogue: its own `tileUrl`
/// (anything but the OpenStreetMap default) becomes the custom map `custom-1`, "My tiles", and
/// the map shown.
fn settings_with_migration<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Settings, D::Error> {
    let mut v = serde_json::Value::deserialize(d)?;
    let (url, attribution) = match v.as_object_mut() {
        Some(o) => (o.remove("tileUrl"), o.remove("tileAttribution")),
        None => (None, None),
    };
    let mut s: Settings = serde_json::from_value(v).map_err(serde::de::Error::custom)?;
    let url = url.and_then(|u| u.as_str().map(|u| u.trim().to_owned()));
    if let Some(url) = url.filter(|u| !u.is_empty() && u != OLD_DEFAULT_TILE_URL) {
        let own = CustomBasemap {
            id: "custom-1".to_owned(),
            name: "My tiles".to_owned(),
            subdomains: if url.contains("{s}") { "abc" } else { "" }.to_owned(),
            url,
            attribution: attribution
                .and_then(|a| a.as_str().map(str::to_owned))
                .unwrap_or_default(),
            max_zoom: 19,
            datum: Datum::Wgs84,
        };
        match own.validated() {
            Ok(own) if !s.custom_basemaps.iter().any(|b| b.id == own.id) => {
                s.custom_basemaps.push(own);
                s.basemap = "custom-1".to_owned();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!("the old tile URL is not kept ({e}); showing OpenStreetMap"),
        }
    }
    Ok(s)
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
        assert_eq!(v["basemap"], "osm");
        assert_eq!(v["customBasemaps"], serde_json::json!([]));
        assert_eq!(v["providerDatum"], "wgs84");
        assert_eq!(v["tileCacheMb"], 500);
        assert!(v.get("tileUrl").is_none(), "the old field is gone");
        assert_eq!(v["units"], "kmh");
        assert_eq!(v["timeZone"], "local");
        assert_eq!(d.theme, Theme::System);
        assert_eq!(v["theme"], "system");
        assert_eq!(v["language"], "system");
    }

    #[test]
    fn a_language_is_system_or_a_bcp47_tag() {
        for ok in ["system", "en", "zh-CN", "es", "pt-BR", "zh-Hans-CN", " es "] {
            let s = Settings {
                language: ok.into(),
                ..Settings::default()
            };
            assert_eq!(s.validated().expect(ok).language, ok.trim());
        }
        for no in ["", "english", "zh_CN", "e", "EN", "zh-", "../etc"] {
            let msg = bad(Settings {
                language: no.into(),
                ..Settings::default()
            });
            assert!(msg.contains("language"), "{no}: {msg}");
        }
    }

    #[test]
    fn the_geocoder_is_off_by_default_and_an_http_url_when_set() {
        assert_eq!(Settings::default().geocoder_url, "");
        for (given, kept) in [
            ("", ""),
            ("  ", ""),
            (
                "https://nominatim.openstreetmap.org/",
                "https://nominatim.openstreetmap.org",
            ),
            (" http://127.0.0.1:8088/geo ", "http://127.0.0.1:8088/geo"),
        ] {
            let s = Settings {
                geocoder_url: given.into(),
                ..Settings::default()
            };
            assert_eq!(s.validated().expect(given).geocoder_url, kept);
        }
        for no in [
            "nominatim.org",
            "ftp://x.example",
            "https://u:p@x.example",
            "https://x.example/?q=1",
        ] {
            let msg = bad(Settings {
                geocoder_url: no.into(),
                ..Settings::default()
            });
            assert!(msg.contains("address service"), "{no}: {msg}");
        }
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
            custom_basemaps: vec![CustomBasemap {
                url: " https://{s}.tile.example.org/{z}/{x}/{y}.png ".into(),
                ..own("custom-a")
            }],
            basemap: "custom-a".into(),
            refresh_secs: 5,
            units: Units::Mph,
            time_zone: "America/Argentina/Buenos_Aires".into(),
            ..Settings::default()
        }
        .validated()
        .expect("valid");
        assert_eq!(s.provider_url, "http://127.0.0.1:8080");
        assert_eq!(
            s.custom_basemaps[0].url,
            "https://{s}.tile.example.org/{z}/{x}/{y}.png"
        );
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

    fn own(id: &str) -> CustomBasemap {
        CustomBasemap {
            id: id.into(),
            name: "Own tiles".into(),
            url: "https://{s}.tiles.example.org/{z}/{x}/{y}.png".into(),
            subdomains: "abc".into(),
            attribution: "© Example".into(),
            max_zoom: 19,
            datum: Datum::Wgs84,
        }
    }

    fn with_custom(b: CustomBasemap) -> Settings {
        Settings {
            basemap: b.id.clone(),
            custom_basemaps: vec![b],
            ..Settings::default()
        }
    }

    #[test]
    fn the_datum_is_written_in_lowercase() {
        assert_eq!(serde_json::to_value(Datum::Wgs84).expect("json"), "wgs84");
        assert_eq!(serde_json::to_value(Datum::Gcj02).expect("json"), "gcj02");
        let b: CustomBasemap = serde_json::from_value(serde_json::json!({
            "id": "custom-x", "name": "X", "url": "https://t.example/{z}/{x}/{y}.png",
            "subdomains": "", "attribution": "", "maxZoom": 18, "datum": "gcj02"
        }))
        .expect("read");
        assert_eq!((b.datum, b.max_zoom), (Datum::Gcj02, 18));
    }

    #[test]
    fn every_built_in_basemap_and_an_existing_custom_one_can_be_chosen() {
        for id in ["osm", "satellite", "gaode", "gaode-satellite", "tencent"] {
            let s = Settings {
                basemap: id.into(),
                ..Settings::default()
            };
            assert_eq!(s.validated().expect(id).basemap, id);
        }
        let s = with_custom(own("custom-mine-2"))
            .validated()
            .expect("valid");
        assert_eq!(s.basemap, "custom-mine-2");
        let tms = CustomBasemap {
            url: "http://127.0.0.1:8080/tms/{z}/{x}/{-y}.png".into(),
            subdomains: String::new(),
            ..own("custom-tms")
        };
        assert!(
            with_custom(tms).validated().is_ok(),
            "{{-y}} stands for {{y}}"
        );
    }

    #[test]
    fn basemap_validation_names_the_bad_field() {
        let msg = bad(Settings {
            basemap: "google".into(),
            ..Settings::default()
        });
        assert!(msg.contains("Unknown basemap \"google\""), "{msg}");
        let msg = bad(Settings {
            basemap: "custom-gone".into(),
            ..Settings::default()
        });
        assert!(msg.contains("Unknown basemap"), "{msg}");

        let cases: Vec<(CustomBasemap, &str)> = vec![
            (own("mine"), "id \"mine\" is not valid"),
            (own("custom-"), "is not valid"),
            (own("custom-Big"), "is not valid"),
            (own(&format!("custom-{}", "a".repeat(41))), "is not valid"),
            (
                CustomBasemap {
                    name: "  ".into(),
                    ..own("custom-a")
                },
                "needs a name of 1 to 60 characters",
            ),
            (
                CustomBasemap {
                    name: "n".repeat(61),
                    ..own("custom-a")
                },
                "needs a name",
            ),
            (
                CustomBasemap {
                    url: "https://t.example/{z}/{x}.png".into(),
                    ..own("custom-a")
                },
                "tile URL must contain {z}, {x} and {y}",
            ),
            (
                CustomBasemap {
                    url: "file:///{z}/{x}/{y}".into(),
                    ..own("custom-a")
                },
                "is not an http(s) URL template",
            ),
            (
                CustomBasemap {
                    url: "https://exa mple.org/{z}/{x}/{y}".into(),
                    ..own("custom-a")
                },
                "is not an http(s) URL template",
            ),
            (
                CustomBasemap {
                    subdomains: String::new(),
                    ..own("custom-a")
                },
                "uses {s}: list its subdomains",
            ),
            (
                CustomBasemap {
                    subdomains: "a.b".into(),
                    ..own("custom-a")
                },
                "subdomains are letters or digits",
            ),
            (
                CustomBasemap {
                    url: "https://t.example/{z}/{x}/{y}.png?key={apikey}".into(),
                    ..own("custom-a")
                },
                "unknown placeholder {apikey}",
            ),
            (
                CustomBasemap {
                    max_zoom: 0,
                    ..own("custom-a")
                },
                "maximum zoom must be between 1 and 22, not 0",
            ),
            (
                CustomBasemap {
                    max_zoom: 23,
                    ..own("custom-a")
                },
                "maximum zoom",
            ),
            (
                CustomBasemap {
                    attribution: "x".repeat(501),
                    ..own("custom-a")
                },
                "attribution is too long",
            ),
        ];
        for (b, words) in cases {
            let shown = format!("{b:?}");
            let msg = bad(with_custom(b));
            assert!(msg.contains(words), "{shown}: {msg}");
        }
        let named = bad(with_custom(CustomBasemap {
            max_zoom: 0,
            ..own("custom-a")
        }));
        assert!(named.contains("custom map \"Own tiles\""), "{named}");

        let twice = bad(Settings {
            custom_basemaps: vec![own("custom-a"), own("custom-a")],
            ..Settings::default()
        });
        assert!(
            twice.contains("Two custom maps have the id \"custom-a\""),
            "{twice}"
        );
        let many = bad(Settings {
            custom_basemaps: (0..21).map(|i| own(&format!("custom-{i}"))).collect(),
            ..Settings::default()
        });
        assert!(many.contains("At most 20 custom maps"), "{many}");
        let twenty = Settings {
            custom_basemaps: (0..20).map(|i| own(&format!("custom-{i}"))).collect(),
            ..Settings::default()
        };
        assert!(twenty.validated().is_ok());
    }

    #[test]
    fn the_tile_cache_size_is_bounded() {
        for mb in [50, 500, 20_000] {
            let s = Settings {
                tile_cache_mb: mb,
                ..Settings::default()
            };
            assert!(s.validated().is_ok(), "{mb}");
        }
        for mb in [0, 49, 20_001] {
            let msg = bad(Settings {
                tile_cache_mb: mb,
                ..Settings::default()
            });
            assert!(
                msg.contains("tile cache size must be between 50 and 20000 MB"),
                "{mb}: {msg}"
            );
        }
    }

    #[test]
    fn the_stored_history_size_is_bounded_and_old_files_get_the_default() {
        assert_eq!(Settings::default().history_limit_mb, 2048);
        assert_eq!(Settings::default().history_limit_bytes(), 2048 << 20);
        for mb in [100, 2048, 100_000] {
            let s = Settings {
                history_limit_mb: mb,
                ..Settings::default()
            };
            assert!(s.validated().is_ok(), "{mb}");
        }
        for mb in [0, 99, 100_001] {
            let msg = bad(Settings {
                history_limit_mb: mb,
                ..Settings::default()
            });
            assert!(
                msg.contains("stored history's size must be between 100 and 100000 MB"),
                "{mb}: {msg}"
            );
        }
        let old: Settings = serde_json::from_str(r#"{"tileCacheMb":80}"#).expect("json");
        assert_eq!(old.history_limit_mb, DEFAULT_HISTORY_LIMIT_MB);
    }

    fn load_old(tile_url: Option<&str>) -> (Settings, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = tile_url
            .map(|u| format!(r#""tileUrl":{u:?},"tileAttribution":"© Mine","#))
            .unwrap_or_default();
        std::fs::write(
            dir.path().join(FILE_NAME),
            format!(r#"{{"settings":{{{url}"refreshSecs":30,"units":"mph"}},"accounts":[]}}"#),
        )
        .expect("write");
        (SettingsStore::load(dir.path()).settings(), dir)
    }

    #[test]
    fn an_old_own_tile_url_becomes_the_custom_map_shown() {
        let (s, dir) = load_old(Some("https://tiles.example.org/{z}/{x}/{y}.png"));
        assert_eq!(s.basemap, "custom-1");
        assert_eq!(
            s.custom_basemaps,
            vec![CustomBasemap {
                id: "custom-1".into(),
                name: "My tiles".into(),
                url: "https://tiles.example.org/{z}/{x}/{y}.png".into(),
                subdomains: String::new(),
                attribution: "© Mine".into(),
                max_zoom: 19,
                datum: Datum::Wgs84,
            }]
        );
        assert_eq!(
            (s.refresh_secs, s.units),
            (30, Units::Mph),
            "the rest is kept"
        );
        // Until a change is saved the old file stays as it is (and migrates the same way at each
        // start); once saved, it holds the new shape and reads back the same.
        let store = SettingsStore::load(dir.path());
        let s = store
            .set_settings(Settings {
                refresh_secs: 31,
                ..s
            })
            .expect("saved");
        let text = std::fs::read_to_string(store.path()).expect("file");
        assert!(!text.contains("tileUrl"), "{text}");
        assert_eq!(SettingsStore::load(dir.path()).settings(), s);

        let (s, _dir) = load_old(Some("https://{s}.tiles.example.org/{z}/{x}/{y}.png"));
        assert_eq!(s.custom_basemaps[0].subdomains, "abc", "Leaflet's default");
    }

    #[test]
    fn an_old_default_or_missing_tile_url_leaves_openstreetmap() {
        for old in [
            Some("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            Some(""),
            None,
        ] {
            let (s, dir) = load_old(old);
            assert_eq!(s.basemap, "osm", "{old:?}");
            assert!(s.custom_basemaps.is_empty(), "{old:?}");
            assert_eq!(s.refresh_secs, 30, "{old:?}");
            let aside = std::fs::read_dir(dir.path())
                .expect("list")
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
                .count();
            assert_eq!(aside, 0, "{old:?}: not taken for a damaged file");
        }
        // An old URL that was never valid is dropped, not kept as a broken map.
        let (s, _dir) = load_old(Some("ftp://x/{z}/{x}/{y}"));
        assert_eq!(s.basemap, "osm");
        assert!(s.custom_basemaps.is_empty());
        assert_eq!(s.refresh_secs, 30);
    }
}
