//! What the user watches, per account, kept in `alarm-watch.json`.

use super::{AlarmWatcher, Owner};
use crate::error::AppError;
use etrack::{AlarmType, Imei};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// The alarm types watched unless the user changes them: SOS, power disconnected, geofence in
/// and out, device removed (disassemble), collision.
pub const DEFAULT_TYPES: &[i64] = &[1, 3, 5, 6, 18, 20];
/// How often each vehicle is read by default, seconds.
pub const DEFAULT_EVERY_SECS: u32 = 60;
/// The shortest per-vehicle interval allowed.
pub const MIN_EVERY_SECS: u32 = 30;
/// The longest per-vehicle interval allowed.
pub const MAX_EVERY_SECS: u32 = 3600;

/// What the user watches (per account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct WatchSettings {
    /// Whether watching is on.
    pub enabled: bool,
    /// The alarm type numbers that raise a notification.
    pub types: Vec<i64>,
    /// The vehicles watched.
    pub imeis: Vec<String>,
    /// Seconds between two reads of the same vehicle (a large fleet may take longer).
    pub every_secs: u32,
}

impl Default for WatchSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            types: DEFAULT_TYPES.to_vec(),
            imeis: Vec::new(),
            every_secs: DEFAULT_EVERY_SECS,
        }
    }
}

impl WatchSettings {
    /// Checks and normalises (sorted, no repeats) the settings.
    pub fn validated(mut self) -> Result<Self, AppError> {
        for t in &self.types {
            if matches!(AlarmType::from_code(*t), AlarmType::Unknown(_)) {
                return Err(AppError::invalid(format!("Unknown alarm type {t}.")));
            }
        }
        self.types.sort_unstable();
        self.types.dedup();
        let mut imeis: Vec<String> = Vec::with_capacity(self.imeis.len());
        for raw in &self.imeis {
            let i = Imei::parse(raw)?.as_str().to_owned();
            if !imeis.contains(&i) {
                imeis.push(i);
            }
        }
        self.imeis = imeis;
        if !(MIN_EVERY_SECS..=MAX_EVERY_SECS).contains(&self.every_secs) {
            return Err(AppError::invalid(format!(
                "Read each vehicle every {MIN_EVERY_SECS} to {MAX_EVERY_SECS} seconds."
            )));
        }
        Ok(self)
    }
}

/// The settings file: per account key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct WatchFile {
    version: u32,
    accounts: BTreeMap<String, WatchSettings>,
}

impl AlarmWatcher {
    /// The owner's settings (the defaults if never saved).
    pub fn settings(&self, owner: &Owner) -> WatchSettings {
        self.watch
            .read(|f| f.accounts.get(&owner.key()).cloned())
            .unwrap_or_default()
    }

    fn save_settings(&self, owner: &Owner, s: WatchSettings) -> Result<WatchSettings, AppError> {
        let key = owner.key();
        let was_enabled = self.watch.update("save the watch settings to", |f| {
            f.version = 1;
            let was = f.accounts.get(&key).is_none_or(|o| o.enabled);
            f.accounts.insert(key.clone(), s.clone());
            was
        })?;
        if s.enabled && !was_enabled {
            // Turned back on: what happened while off is not news.
            self.forget_cursors(&key);
        }
        self.wake();
        Ok(s)
    }

    /// Validates and saves the owner's settings.
    pub fn set_settings(&self, owner: &Owner, s: WatchSettings) -> Result<WatchSettings, AppError> {
        let s = s.validated()?;
        self.save_settings(owner, s)
    }

    /// Adds vehicles and alarm types to the owner's watch (after saving a geofence) and turns
    /// watching on.
    pub fn watch_vehicles(
        &self,
        owner: &Owner,
        imeis: &[String],
        types: &[i64],
    ) -> Result<WatchSettings, AppError> {
        let mut s = self.settings(owner);
        s.enabled = true;
        s.imeis.extend(imeis.iter().cloned());
        s.types.extend_from_slice(types);
        self.set_settings(owner, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_and_normalised() {
        let s = WatchSettings {
            enabled: true,
            types: vec![6, 5, 6],
            imeis: vec!["358899051025339".into(), " 358899051025339".into()],
            every_secs: 60,
        }
        .validated()
        .expect("valid");
        assert_eq!(s.types, vec![5, 6]);
        assert_eq!(s.imeis.len(), 1);
        assert!(WatchSettings {
            types: vec![99],
            ..WatchSettings::default()
        }
        .validated()
        .is_err());
        assert!(WatchSettings {
            every_secs: 5,
            ..WatchSettings::default()
        }
        .validated()
        .is_err());
        assert_eq!(WatchSettings::default().types, DEFAULT_TYPES);
    }
}
