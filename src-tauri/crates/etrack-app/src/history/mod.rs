//! The local history store: playback points and alarms already fetched, per vehicle, in one
//! SQLite file per provider and account (`<data>/history/<16 hex>.sqlite`, see [`path_for`]).
//!
//! The provider is asked only for what is not stored ([`HistoryStore::missing`]), and always again
//! for the [`RECENT_SECS`] before now, because devices upload late. A period stored once is
//! shown again without a request, also offline. [`HistoryStore::fetch_points`] and
//! [`HistoryStore::fetch_alarms`] do all of that in one call.
//!
//! The file is bounded: after each write, when it is over its limit, the least recently used
//! vehicle-days (a vehicle's points and alarms of one UTC day) are deleted down to 90 % of it,
//! and cut out of the fetched intervals so they are fetched again when needed. A damaged file
//! is moved aside at open (see [`KeptAside`]) and the store starts empty.
//!
//! SQLite calls block, so each one runs on tokio's blocking pool behind the one connection's
//! mutex (one writer; WAL, so a second process such as the CLI can still read).

mod db;
mod fetch;
pub mod intervals;
mod schema;
mod store;

pub use db::Evicted;
pub use fetch::Stored;
pub use intervals::Span;
pub use schema::{KeptAside, SCHEMA_VERSION};
pub use store::HistoryStore;

use crate::error::AppError;
use std::path::{Path, PathBuf};

/// The last seconds before now that are always asked of the provider again: 3 hours.
pub const RECENT_SECS: i64 = 3 * 3600;
/// Seconds in a (UTC) day, the unit of eviction.
pub const DAY_SECS: i64 = 86_400;
/// A sensible default bound for the file: 500 MB (some 17 million points at ~29 bytes each).
pub const DEFAULT_LIMIT_BYTES: u64 = 500 * 1_000_000;

/// Which history of a vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Playback points (spec 2.3), by gpstime.
    Points = 1,
    /// Alarms (spec 2.8), by system time (the time the provider pages and filters them by).
    Alarms = 2,
}

/// The database file of an account at a provider, under the app's data folder:
/// `<data_dir>/history/<first 16 hex digits of md5(provider URL + "\n" + account)>.sqlite`. A
/// trailing `/` of the URL does not count.
///
/// ```
/// let a = etrack_app::history::path_for("/d".as_ref(), "https://api.example.com/", "fleet");
/// let b = etrack_app::history::path_for("/d".as_ref(), "https://api.example.com", "fleet");
/// assert_eq!(a, b);
/// assert_eq!(a.file_name().unwrap().len(), 16 + ".sqlite".len());
/// ```
pub fn path_for(data_dir: &Path, provider_url: &str, account: &str) -> PathBuf {
    let key = format!("{}\n{}", provider_url.trim().trim_end_matches('/'), account);
    let hash = etrack::signature::md5_hex(key.as_bytes());
    data_dir
        .join("history")
        .join(format!("{}.sqlite", &hash[..16]))
}

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// SQLite failed (disk full, I/O error, damage found while running).
    #[error("the stored history failed: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A folder or file could not be made.
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database exists but can be neither opened nor moved aside: it is left as it is.
    #[error("{} cannot be used ({reason})", .path.display())]
    Unusable {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The blocking task running the SQLite work panicked or was cancelled.
    #[error("the stored history's worker stopped: {0}")]
    Worker(String),
}

impl From<HistoryError> for AppError {
    fn from(e: HistoryError) -> Self {
        match e {
            HistoryError::Io {
                action,
                path,
                source,
            } => AppError::Storage {
                action,
                path,
                source,
            },
            HistoryError::Unusable { path, reason } => AppError::Unwritable { path, reason },
            other => AppError::internal(sentence_case(&other.to_string())),
        }
    }
}

fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
