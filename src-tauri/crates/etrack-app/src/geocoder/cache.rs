//! The addresses already looked up, in a small SQLite file of their own (`<data>/addresses.sqlite`).
//!
//! Not a table of the history store: an address belongs to a place, not to an account, so one
//! cache serves every account and sign-in (the history store is per account and opened only for
//! a session); it is never evicted with a vehicle's days nor emptied by "Clear stored history";
//! and the history file's schema stays as it is, so a build that does not know addresses never
//! moves a newer history file aside as "another schema". A damaged cache file is deleted and
//! started again: it holds nothing the geocoder cannot answer again.

use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Rows kept at most; the oldest go first.
const MAX_ROWS: i64 = 200_000;
/// "No address here" is asked again after this long (a new road may have been mapped).
const NOWHERE_SECS: i64 = 30 * 86_400;

const TABLE: &str = "CREATE TABLE IF NOT EXISTS addresses (
    service TEXT NOT NULL,
    lang TEXT NOT NULL,
    lat INTEGER NOT NULL,
    lon INTEGER NOT NULL,
    address TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (service, lang, lat, lon)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS addresses_by_age ON addresses (at);";

/// A place in the cache: the service, the language and the rounded position.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlaceKey {
    /// The geocoder's URL as set.
    pub service: String,
    /// The language asked for.
    pub lang: String,
    /// Latitude in units of the rounding (see [`super::round`]).
    pub lat: i64,
    /// Longitude, likewise.
    pub lon: i64,
}

/// What the cache knows of a place.
pub type Known = Option<Option<String>>;

/// The cache; without a usable file it knows nothing and keeps nothing.
#[derive(Clone)]
pub struct AddressCache {
    path: PathBuf,
    conn: Arc<Mutex<Option<Connection>>>,
}

impl AddressCache {
    /// The cache at `<data_dir>/addresses.sqlite`, opened at first use.
    pub fn in_dir(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join("addresses.sqlite"),
            conn: Arc::new(Mutex::new(None)),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn with<T: Default>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<T>) -> T {
        let mut slot = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = open(&self.path);
        }
        let Some(conn) = slot.as_mut() else {
            return T::default();
        };
        match f(conn) {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!("the address cache {} failed: {e}", self.path.display());
                T::default()
            }
        }
    }

    /// What is known of each place (`None`: never asked, or a "nowhere" grown old).
    pub async fn get_many(&self, keys: Vec<PlaceKey>) -> Vec<Known> {
        let me = self.clone();
        let n = keys.len();
        let now = crate::live::now_ms() / 1000;
        tokio::task::spawn_blocking(move || {
            me.with(|conn| {
                let mut stmt = conn.prepare_cached(
                    "SELECT address, at FROM addresses
                     WHERE service = ?1 AND lang = ?2 AND lat = ?3 AND lon = ?4",
                )?;
                let mut out = Vec::with_capacity(keys.len());
                for k in &keys {
                    let row: Option<(Option<String>, i64)> = stmt
                        .query_row(params![k.service, k.lang, k.lat, k.lon], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })
                        .optional()?;
                    out.push(match row {
                        Some((None, at)) if now - at > NOWHERE_SECS => None,
                        Some((address, _)) => Some(address),
                        None => None,
                    });
                }
                Ok(out)
            })
        })
        .await
        .ok()
        .filter(|v: &Vec<Known>| v.len() == n)
        .unwrap_or_else(|| vec![None; n])
    }

    /// Keeps the answer for a place (`None`: the service knows no address there).
    pub async fn put(&self, key: PlaceKey, address: Option<String>) {
        let me = self.clone();
        let now = crate::live::now_ms() / 1000;
        let _ = tokio::task::spawn_blocking(move || {
            me.with(|conn| {
                conn.execute(
                    "INSERT OR REPLACE INTO addresses (service, lang, lat, lon, address, at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![key.service, key.lang, key.lat, key.lon, address, now],
                )?;
                let rows: i64 =
                    conn.query_row("SELECT count(*) FROM addresses", [], |r| r.get(0))?;
                if rows > MAX_ROWS {
                    conn.execute(
                        "DELETE FROM addresses WHERE (service, lang, lat, lon) IN
                            (SELECT service, lang, lat, lon FROM addresses ORDER BY at LIMIT ?1)",
                        params![rows - MAX_ROWS * 9 / 10],
                    )?;
                }
                Ok(())
            })
        })
        .await;
    }
}

fn open(path: &Path) -> Option<Connection> {
    let attempt = || -> rusqlite::Result<Connection> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(rusqlite::Error::InvalidQuery);
        }
        conn.execute_batch(TABLE)?;
        Ok(conn)
    };
    if let Some(dir) = path.parent() {
        if let Err(e) = std::fs::create_dir_all(dir) {
            tracing::warn!("no address cache in {}: {e}", dir.display());
            return None;
        }
    }
    match attempt() {
        Ok(conn) => Some(conn),
        Err(first) => {
            tracing::warn!(
                "the address cache {} is unusable ({first}); starting it again",
                path.display()
            );
            let _ = std::fs::remove_file(path);
            attempt()
                .map_err(|e| tracing::warn!("running without an address cache: {e}"))
                .ok()
        }
    }
}
