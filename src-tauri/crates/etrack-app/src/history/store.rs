//! [`HistoryStore`]: the async face of the database.

use super::db::{Db, Evicted};
use super::intervals::Span;
use super::schema::{self, KeptAside};
use super::{HistoryError, Kind};
use etrack::{Alarm, Imei, PlaybackPoint, TimeRange};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

type Result<T> = std::result::Result<T, HistoryError>;

/// The stored history of one account at one provider. Clones share the one connection.
#[derive(Clone)]
pub struct HistoryStore {
    inner: Arc<Inner>,
}

struct Inner {
    db: Mutex<Db>,
    /// A copy of the bound, readable without waiting for the connection.
    limit: AtomicU64,
    path: PathBuf,
    kept_aside: Option<KeptAside>,
}

impl std::fmt::Debug for HistoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HistoryStore")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl HistoryStore {
    /// Opens (or creates) the store at `path`, bounded to `limit_bytes`. A damaged file (not
    /// SQLite, failing its quick check, another schema) is moved aside first and the store
    /// starts empty: see [`Self::kept_aside`]. Checking reads the whole file, so from async code
    /// call [`Self::open_async`].
    pub fn open(path: impl Into<PathBuf>, limit_bytes: u64) -> Result<Self> {
        let path = path.into();
        let (conn, mut kept_aside) = schema::open(&path)?;
        let db = match Db::new(conn, limit_bytes) {
            Ok(db) => db,
            // A damaged page met while preparing the store: set the file aside now, as the
            // opening does with a damaged header, and start afresh.
            Err(HistoryError::Sqlite(e)) if schema::is_damage(&e) => {
                schema::mark_damaged(&path, &e.to_string());
                let (conn, kept) = schema::open(&path)?;
                kept_aside = kept;
                Db::new(conn, limit_bytes)?
            }
            Err(e) => return Err(e),
        };
        Ok(Self {
            inner: Arc::new(Inner {
                db: Mutex::new(db),
                limit: AtomicU64::new(limit_bytes),
                path,
                kept_aside,
            }),
        })
    }

    /// [`Self::open`] on the blocking pool; then every page is checked in the background
    /// ([`schema::check_pages`]), so a large store does not hold up the sign-in.
    pub async fn open_async(path: impl Into<PathBuf>, limit_bytes: u64) -> Result<Self> {
        let path = path.into();
        let store = tokio::task::spawn_blocking(move || Self::open(path, limit_bytes))
            .await
            .map_err(|e| HistoryError::Worker(e.to_string()))??;
        let checked = store.inner.path.clone();
        tokio::task::spawn_blocking(move || schema::check_pages(&checked));
        Ok(store)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The damaged file moved aside when this store was opened, if any (worth a notice).
    pub fn kept_aside(&self) -> Option<&KeptAside> {
        self.inner.kept_aside.as_ref()
    }

    /// Runs `f` on the connection, on the blocking pool.
    async fn run<R, F>(&self, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut Db) -> Result<R> + Send + 'static,
    {
        let inner = self.inner.clone();
        tokio::task::spawn_blocking(move || {
            let mut db = inner.db.lock().unwrap_or_else(PoisonError::into_inner);
            f(&mut db)
        })
        .await
        .map_err(|e| HistoryError::Worker(e.to_string()))?
    }

    /// What of `range` (its end second included) is not stored for `imei`, as half-open spans
    /// `[begin, end)` in order; the [`super::RECENT_SECS`] before `now` (and anything after) are
    /// always missing, stored or not.
    pub async fn missing(
        &self,
        imei: &Imei,
        kind: Kind,
        range: TimeRange,
        now: i64,
    ) -> Result<Vec<Span>> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| db.missing(&imei, kind, range, now))
            .await
    }

    /// Stores points fetched for `covered` (half-open; empty for none: the points are kept but
    /// the period still counts as missing). A point at a stored gpstime replaces it. Then keeps
    /// the file within its limit.
    pub async fn put_points(
        &self,
        imei: &Imei,
        covered: Span,
        points: Vec<PlaybackPoint>,
    ) -> Result<()> {
        self.put_points_then(imei, covered, points, true).await
    }

    pub(super) async fn put_points_then(
        &self,
        imei: &Imei,
        covered: Span,
        points: Vec<PlaybackPoint>,
        evict: bool,
    ) -> Result<()> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| {
            db.put_points(&imei, covered, &points)?;
            if evict {
                db.enforce_limit()?;
            }
            Ok(())
        })
        .await
    }

    /// Stores alarms fetched for `covered` (of system times), as [`Self::put_points`]. An alarm
    /// with the same system time, type and gpstime as a stored one replaces it.
    pub async fn put_alarms(&self, imei: &Imei, covered: Span, alarms: Vec<Alarm>) -> Result<()> {
        self.put_alarms_then(imei, covered, alarms, true).await
    }

    pub(super) async fn put_alarms_then(
        &self,
        imei: &Imei,
        covered: Span,
        alarms: Vec<Alarm>,
        evict: bool,
    ) -> Result<()> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| {
            db.put_alarms(&imei, covered, &alarms)?;
            if evict {
                db.enforce_limit()?;
            }
            Ok(())
        })
        .await
    }

    /// The stored points of `range` (both ends included), ascending by gpstime, one per second.
    pub async fn points(&self, imei: &Imei, range: TimeRange) -> Result<Vec<PlaybackPoint>> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| db.points(&imei, range)).await
    }

    /// The stored alarms whose system time is in `range` (both ends included), ascending.
    pub async fn alarms(&self, imei: &Imei, range: TimeRange) -> Result<Vec<Alarm>> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| db.alarms(&imei, range)).await
    }

    /// Marks the stored days of `span` as used now (so a write that follows evicts other days
    /// first).
    pub(super) async fn touch(&self, imei: &Imei, span: Span) -> Result<()> {
        let imei = imei.as_str().to_owned();
        self.run(move |db| db.touch(&imei, span)).await
    }

    /// Deletes least recently used vehicle-days if the file is over its limit.
    pub async fn enforce_limit(&self) -> Result<Evicted> {
        self.run(Db::enforce_limit).await
    }

    /// The database's size in bytes: the file's size once its write-ahead log is folded in
    /// (which eviction and [`Self::clear`] do; between them the `-wal` file next to it holds
    /// up to a few MB more).
    pub async fn size_bytes(&self) -> Result<u64> {
        self.run(|db| db.size_bytes()).await
    }

    /// The size bound in bytes.
    pub fn limit(&self) -> u64 {
        self.inner.limit.load(Ordering::Relaxed)
    }

    /// Sets the size bound, evicting at once when the file is over it.
    pub async fn set_limit(&self, bytes: u64) -> Result<Evicted> {
        self.inner.limit.store(bytes, Ordering::Relaxed);
        self.run(move |db| {
            db.limit = bytes;
            db.enforce_limit()
        })
        .await
    }

    /// Deletes all stored history; the file shrinks to its empty size.
    pub async fn clear(&self) -> Result<()> {
        self.run(Db::clear).await
    }
}
