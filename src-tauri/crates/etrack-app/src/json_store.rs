//! One JSON file of the app's, held in memory and written through, with ONE policy for a file
//! that cannot be read: it is moved aside (never written over) and the store starts from the
//! defaults; a file that can be neither read nor moved aside makes every write fail, so the
//! user's records are never lost. The settings, the geofence record, the alarm-watch settings
//! and the alarms already notified all use it.

use crate::data_file::{self, Loaded};
use crate::error::AppError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What was wrong with the file when it was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileTrouble {
    /// It could not be read; it now lives at `aside`, byte for byte.
    KeptAside {
        /// Why it could not be read.
        reason: String,
        /// Where it was moved.
        aside: PathBuf,
    },
    /// It exists but can be neither read nor moved aside: nothing is written there.
    Unusable {
        /// Why.
        reason: String,
    },
}

/// A JSON file of type `T`, loaded once.
pub struct JsonStore<T> {
    path: PathBuf,
    state: Mutex<T>,
    trouble: Option<FileTrouble>,
}

impl<T: Serialize + DeserializeOwned + Default + Clone + PartialEq> JsonStore<T> {
    /// Opens `path`: its contents, or the defaults when it is missing or damaged.
    pub fn open(path: PathBuf) -> Self {
        Self::open_repaired(path, |_| {})
    }

    /// [`Self::open`], then `repair` mends what was read, in memory only (bad values of a
    /// hand-edited file; the file changes at the next write).
    pub fn open_repaired(path: PathBuf, repair: impl FnOnce(&mut T)) -> Self {
        let (data, trouble) = match data_file::load::<T>(&path) {
            Loaded::Missing => (T::default(), None),
            Loaded::Read(d) => (d, None),
            Loaded::KeptAside { reason, aside } => {
                (T::default(), Some(FileTrouble::KeptAside { reason, aside }))
            }
            Loaded::Unusable { reason } => {
                tracing::warn!("{} cannot be read: {reason}", path.display());
                (T::default(), Some(FileTrouble::Unusable { reason }))
            }
        };
        let mut data = data;
        repair(&mut data);
        Self {
            path,
            state: Mutex::new(data),
            trouble,
        }
    }

    /// Where the file lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was wrong with the file when it was opened.
    pub fn trouble(&self) -> Option<&FileTrouble> {
        self.trouble.as_ref()
    }

    fn lock(&self) -> MutexGuard<'_, T> {
        // Values behind the lock are replaced whole: a panic elsewhere leaves a consistent one.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Reads the contents.
    pub fn read<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        f(&self.lock())
    }

    /// A copy of the contents.
    pub fn get(&self) -> T {
        self.lock().clone()
    }

    fn refuse_unusable(&self) -> Result<(), AppError> {
        match &self.trouble {
            Some(FileTrouble::Unusable { reason }) => Err(AppError::Unwritable {
                path: self.path.clone(),
                reason: reason.clone(),
            }),
            _ => Ok(()),
        }
    }

    /// Applies `change` to a copy and writes it (when it changed); the contents change only if
    /// the write succeeded. `action` words a failed write ("save the settings to").
    pub fn update<R>(
        &self,
        action: &'static str,
        change: impl FnOnce(&mut T) -> R,
    ) -> Result<R, AppError> {
        self.refuse_unusable()?;
        let mut data = self.lock();
        let mut next = data.clone();
        let r = change(&mut next);
        if next != *data {
            data_file::save(&self.path, &next).map_err(|source| AppError::Storage {
                action,
                path: self.path.clone(),
                source,
            })?;
            *data = next;
        }
        Ok(r)
    }

    /// Applies `change` and writes it; the contents change even when the write fails (then the
    /// error is returned with the result), for records that must hold in memory whatever the
    /// disk says (the alarms already notified).
    pub fn update_in_memory<R>(
        &self,
        action: &'static str,
        change: impl FnOnce(&mut T) -> R,
    ) -> (R, Option<AppError>) {
        let mut data = self.lock();
        let r = change(&mut data);
        let failed = self.refuse_unusable().err().or_else(|| {
            data_file::save(&self.path, &*data)
                .err()
                .map(|source| AppError::Storage {
                    action,
                    path: self.path.clone(),
                    source,
                })
        });
        (r, failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    type Map = BTreeMap<String, u32>;

    #[test]
    fn writes_through_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.json");
        let store = JsonStore::<Map>::open(path.clone());
        assert!(store.trouble().is_none());
        store
            .update("save", |m| m.insert("a".into(), 1))
            .expect("saved");
        assert_eq!(JsonStore::<Map>::open(path).get().get("a"), Some(&1));
    }

    #[test]
    fn a_damaged_file_is_kept_aside_and_the_next_write_goes_to_a_new_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.json");
        std::fs::write(&path, b"{\"a\": 1,,").expect("write");
        let store = JsonStore::<Map>::open(path.clone());
        let Some(FileTrouble::KeptAside { aside, .. }) = store.trouble().cloned() else {
            panic!("kept aside: {:?}", store.trouble())
        };
        assert!(store.get().is_empty(), "starts from the defaults");
        store
            .update("save", |m| m.insert("b".into(), 2))
            .expect("saved");
        assert_eq!(std::fs::read(&aside).expect("kept"), b"{\"a\": 1,,");
        assert_eq!(JsonStore::<Map>::open(path).get().get("b"), Some(&2));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_that_can_be_neither_read_nor_moved_is_never_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.json");
        // A directory where the file should be: unreadable as a file, and not ours to replace.
        std::fs::create_dir(&path).expect("mkdir");
        std::fs::write(path.join("keep"), b"x").expect("write");
        let store = JsonStore::<Map>::open(path.clone());
        assert!(matches!(
            store.trouble(),
            Some(FileTrouble::Unusable { .. })
        ));
        let e = store
            .update("save", |m| m.insert("a".into(), 1))
            .expect_err("refused");
        assert!(e.to_string().contains("cannot be read"), "{e}");
        let (_, failed) = store.update_in_memory("save", |m| m.insert("b".into(), 2));
        assert!(failed.is_some());
        assert!(path.join("keep").exists(), "left as it was");
    }

    #[test]
    fn an_unchanged_value_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.json");
        let store = JsonStore::<Map>::open(path.clone());
        store.update("save", |_| ()).expect("nothing to do");
        assert!(!path.exists());
    }
}
