//! JSON files in the app's data dir (geofences, alarm watch settings, alarms already notified);
//! `settings.json` is written through [`save`] too.
//!
//! These files hold the user's own records, which exist nowhere else (the provider cannot list
//! geofences), so a file that cannot be read is never overwritten: it is renamed aside, and the
//! caller gets the reason and the new name to tell the user. Writes go to a temporary file that is
//! renamed over the old one, so a crash mid-write leaves the previous version intact.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// A file the app wrote for the user (an export).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedFile {
    /// Where it was written.
    pub path: String,
    /// How many records it holds.
    pub count: u32,
}

/// Unix seconds as `YYYYMMDD-HHMMSS` in UTC, for file names that sort by time.
pub fn utc_stamp(secs: i64) -> String {
    etrack::export::rfc3339(secs)
        .chars()
        .filter_map(|c| match c {
            'T' => Some('-'),
            '-' | ':' | 'Z' => None,
            c => Some(c),
        })
        .collect()
}

/// The UTC date of unix seconds, `YYYY-MM-DD`, for file names that name a day.
pub fn utc_day(secs: i64) -> String {
    etrack::export::rfc3339(secs).chars().take(10).collect()
}

/// What reading a data file gave.
#[derive(Debug)]
pub enum Loaded<T> {
    /// No file yet.
    Missing,
    /// The file's contents.
    Read(T),
    /// The file was not valid; it now lives at `aside` and nothing was lost.
    KeptAside {
        /// Why it could not be read.
        reason: String,
        /// Where the damaged file was moved.
        aside: PathBuf,
    },
    /// The file exists but could not be read, nor moved aside: it must not be written over.
    Unusable {
        /// Why.
        reason: String,
    },
}

/// Reads `path` as JSON; a damaged file is moved to `<stem>.corrupt-<unix secs>[-n].<ext>` next
/// to it.
pub fn load<T: DeserializeOwned>(path: &Path) -> Loaded<T> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Loaded::Missing,
        Err(e) => {
            return Loaded::Unusable {
                reason: e.to_string(),
            }
        }
    };
    let reason = match serde_json::from_slice::<T>(&bytes) {
        Ok(v) => return Loaded::Read(v),
        Err(e) => e.to_string(),
    };
    let aside = aside_name(path);
    match std::fs::rename(path, &aside) {
        Ok(()) => {
            tracing::warn!(
                "{} could not be read ({reason}); kept as {}",
                path.display(),
                aside.display()
            );
            Loaded::KeptAside { reason, aside }
        }
        Err(e) => Loaded::Unusable {
            reason: format!("{reason}; and it could not be moved aside: {e}"),
        },
    }
}

/// A free name next to `path` for keeping a damaged copy.
fn aside_name(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".to_owned());
    let ext = path
        .extension()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "json".to_owned());
    let secs = crate::live::now_ms() / 1000;
    let mut n = 0u32;
    loop {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = path.with_file_name(format!("{stem}.corrupt-{secs}{suffix}.{ext}"));
        if !candidate.exists() {
            return candidate;
        }
        n += 1;
    }
}

/// Writes `value` as pretty JSON to `path` through a temporary file.
pub fn save<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut f = std::fs::File::create(&tmp)?;
        std::io::Write::write_all(&mut f, &json)?;
        // On disk before it replaces the old file: a power cut leaves one or the other, whole.
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    sync_dir(path)
}

/// Makes a rename in `path`'s folder durable (the folder's entry is what changed).
#[cfg(unix)]
fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::File::open(dir)?.sync_all(),
        _ => Ok(()),
    }
}

/// Windows makes renames durable with the file's own flush.
#[cfg(not(unix))]
fn sync_dir(_: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Rec {
        n: u32,
    }

    #[test]
    fn a_damaged_file_is_moved_aside_with_its_bytes_and_never_read_as_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("things.json");
        std::fs::write(&path, b"{\"n\": 1,,}").expect("write");
        match load::<Rec>(&path) {
            Loaded::KeptAside { reason, aside } => {
                assert!(!reason.is_empty());
                assert!(!path.exists(), "the damaged file is no longer in the way");
                assert_eq!(std::fs::read(&aside).expect("aside"), b"{\"n\": 1,,}");
                let name = aside
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned();
                assert!(
                    name.starts_with("things.corrupt-") && name.ends_with(".json"),
                    "{name}"
                );
            }
            other => panic!("expected KeptAside, got {other:?}"),
        }
        // A second damaged file the same second gets its own name.
        std::fs::write(&path, b"nope").expect("write");
        let Loaded::KeptAside { aside, .. } = load::<Rec>(&path) else {
            panic!("kept aside")
        };
        assert_eq!(std::fs::read(&aside).expect("aside"), b"nope");
    }

    #[test]
    fn export_names_carry_the_utc_date_and_time() {
        assert_eq!(utc_day(1_556_243_443), "2019-04-26");
        assert_eq!(utc_stamp(0), "19700101-000000");
        assert_eq!(utc_stamp(1_556_243_443), "20190426-015043");
        assert_eq!(utc_stamp(951_827_696), "20000229-123456");
    }

    #[test]
    fn saves_atomically_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("r.json");
        assert!(matches!(load::<Rec>(&path), Loaded::Missing));
        save(&path, &Rec { n: 7 }).expect("save");
        assert!(matches!(load::<Rec>(&path), Loaded::Read(Rec { n: 7 })));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().expect("dir"))
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    }
}
