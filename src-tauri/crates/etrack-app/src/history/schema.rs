//! Opening the history database: checks, moving a damaged file aside, creating the tables.
//!
//! A file that is not SQLite, holds another schema (another application id or version), or was
//! found damaged by the page check of an earlier run (see [`check_pages`]) is renamed
//! `<stem>.corrupt-<unix secs>[-n].sqlite` (with its `-wal`) and a fresh database is created: the
//! history is a cache of what the provider keeps, so starting over costs requests, never records.
//! A file that cannot be opened for another reason (permissions, locked by a stuck process) is an
//! error, and nothing is written over.
//!
//! Opening reads only the header and the schema: `PRAGMA quick_check` reads every page, seconds
//! for a store near its 2 GB limit (0.7 s warm and 6.4 s from a cold disk for 317 MB here), and
//! opening is on the sign-in path. The page check runs after the store is open instead, off that
//! path, and leaves a `<file>.damaged` mark the next opening honours.

use super::HistoryError;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// `PRAGMA user_version` of the tables below; another value is moved aside.
pub const SCHEMA_VERSION: i64 = 1;
/// `PRAGMA application_id`: "etH1", so another program's SQLite file is not taken for ours.
pub const APPLICATION_ID: i64 = 0x6574_4831;
/// Keeps the write-ahead log at most this big once checkpointed.
const WAL_LIMIT_BYTES: i64 = 4 << 20;

/// The tables. Points and alarms are keyed by vehicle and time, so a vehicle's day sits in
/// consecutive pages (deleting it frees whole pages) and a range is one b-tree walk. A point's
/// key is its rowid, `vid << 40 | gpstime` (see `db::point_key`): a rowid table stores it once as
/// the b-tree key and writes whole speeds and courses as small integers, about 26 bytes a point
/// where a WITHOUT ROWID table keyed `(vid, gpstime)` took 45. Longitude and latitude have no
/// declared type: most providers send 6 decimals, kept as an integer of micro-degrees (4 bytes),
/// any other value as an exact REAL (8 bytes).
const TABLES: &str = "
CREATE TABLE vehicles (
    vid INTEGER PRIMARY KEY,
    imei TEXT NOT NULL UNIQUE
);
CREATE TABLE points (
    key INTEGER PRIMARY KEY,
    lon NOT NULL,
    lat NOT NULL,
    speed REAL NOT NULL,
    course REAL NOT NULL
);
CREATE TABLE alarms (
    vid INTEGER NOT NULL,
    systemtime INTEGER NOT NULL,
    type INTEGER NOT NULL,
    gpstime INTEGER NOT NULL,
    lon NOT NULL,
    lat NOT NULL,
    speed REAL NOT NULL,
    course REAL NOT NULL,
    geofence TEXT NOT NULL,
    PRIMARY KEY (vid, systemtime, type, gpstime)
) WITHOUT ROWID;
CREATE TABLE fetched (
    vid INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    begin INTEGER NOT NULL,
    end INTEGER NOT NULL,
    PRIMARY KEY (vid, kind, begin)
) WITHOUT ROWID;
CREATE TABLE days (
    vid INTEGER NOT NULL,
    day INTEGER NOT NULL,
    used INTEGER NOT NULL,
    PRIMARY KEY (vid, day)
) WITHOUT ROWID;
CREATE INDEX days_by_use ON days (used, day);
";

/// A damaged database found at open and moved aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAside {
    /// Why it was not used.
    pub reason: String,
    /// Where it is now.
    pub aside: PathBuf,
}

/// Why an existing file is not used.
enum Refusal {
    /// Damaged or not ours: moved aside.
    Damaged(String),
    /// Cannot be opened now (permissions, locks): left alone.
    Unusable(String),
}

/// Opens (or creates) the database at `path`; a damaged one is moved aside first.
pub fn open(path: &Path) -> Result<(Connection, Option<KeptAside>), HistoryError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::Io {
            action: "create the history folder",
            path: dir.to_owned(),
            source,
        })?;
    }
    let mut kept = None;
    if path.exists() {
        match open_existing(path) {
            Ok(conn) => return Ok((conn, None)),
            Err(Refusal::Unusable(reason)) => {
                return Err(HistoryError::Unusable {
                    path: path.to_owned(),
                    reason,
                })
            }
            Err(Refusal::Damaged(reason)) => {
                let aside = move_aside(path).map_err(|e| HistoryError::Unusable {
                    path: path.to_owned(),
                    reason: format!("{reason}; and it could not be moved aside: {e}"),
                })?;
                tracing::warn!(
                    "the stored history {} is damaged ({reason}); kept as {}",
                    path.display(),
                    aside.display()
                );
                kept = Some(KeptAside { reason, aside });
            }
        }
    }
    let conn = create(path)?;
    Ok((conn, kept))
}

fn open_existing(path: &Path) -> Result<Connection, Refusal> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refusal(&e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| refusal(&e))?;
    if let Ok(reason) = std::fs::read_to_string(damage_mark(path)) {
        return Err(Refusal::Damaged(format!(
            "integrity check: {}",
            reason.trim()
        )));
    }
    let app: i64 = pragma(&conn, "application_id")?;
    let version: i64 = pragma(&conn, "user_version")?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| refusal(&e))?;
    if app == 0 && version == 0 && tables == 0 {
        // An empty file (a crash right after creating it): make the tables.
        drop(conn);
        return create(path).map_err(|e| Refusal::Unusable(e.to_string()));
    }
    if app != APPLICATION_ID {
        return Err(Refusal::Damaged(format!(
            "not an etrack history (application id {app:#x})"
        )));
    }
    if version != SCHEMA_VERSION {
        return Err(Refusal::Damaged(format!(
            "schema version {version}, expected {SCHEMA_VERSION}"
        )));
    }
    configure(&conn).map_err(|e| refusal(&e))?;
    Ok(conn)
}

fn pragma(conn: &Connection, name: &str) -> Result<i64, Refusal> {
    conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
        .map_err(|e| refusal(&e))
}

/// Damage (not a database, corrupt) against trouble that says nothing about the file.
fn refusal(e: &rusqlite::Error) -> Refusal {
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
            Refusal::Damaged(e.to_string())
        }
        _ => Refusal::Unusable(e.to_string()),
    }
}

fn create(path: &Path) -> Result<Connection, HistoryError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Must precede the first table: freed pages can then be handed back to the file system.
    conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
    configure(&conn)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
    if tables == 0 {
        conn.execute_batch(&format!(
            "BEGIN;
             {TABLES}
             PRAGMA application_id = {APPLICATION_ID};
             PRAGMA user_version = {SCHEMA_VERSION};
             COMMIT;"
        ))?;
    }
    Ok(conn)
}

/// WAL with one writer (the store's connection, behind its mutex); `synchronous = NORMAL` may
/// lose the last writes on a power cut but never corrupts, and the history can be fetched again.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::debug!("the history database stays in {mode} journal mode");
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "journal_size_limit", WAL_LIMIT_BYTES)?;
    Ok(())
}

/// Renames `path` (and its `-wal`) to a free `<stem>.corrupt-<secs>[-n].sqlite` next to it; the
/// `-shm` index is only a cache of the log and is removed.
/// The mark a failed page check leaves next to the database, for the next opening.
fn damage_mark(path: &Path) -> PathBuf {
    sidecar(path, ".damaged")
}

/// Whether `e` says the file itself is damaged (not a database, a malformed page).
pub fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(refusal(e), Refusal::Damaged(_))
}

/// Leaves the mark that makes the next opening set the file at `path` aside.
pub fn mark_damaged(path: &Path, problem: &str) {
    if let Err(e) = std::fs::write(damage_mark(path), problem) {
        tracing::warn!("cannot mark {} as damaged: {e}", path.display());
    }
}

/// Reads every page of the database at `path` (`PRAGMA quick_check`, on a connection of its own)
/// and, when it is damaged, leaves the mark that makes the next opening move it aside. Returns
/// whether it is sound. Meant for a background thread: it takes seconds on a large store.
pub fn check_pages(path: &Path) -> bool {
    let check = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .and_then(|c| c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)));
    match check {
        Ok(ok) if ok == "ok" => true,
        Ok(problem) => {
            tracing::warn!(
                "the stored history {} is damaged ({problem}): it is set aside at the next start",
                path.display()
            );
            mark_damaged(path, &problem);
            false
        }
        // Busy or unreadable now: nothing is known, nothing is marked.
        Err(e) => {
            tracing::debug!("page check of {} not done: {e}", path.display());
            true
        }
    }
}

fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "history".to_owned());
    let secs = crate::live::now_ms() / 1000;
    let mut n = 0u32;
    let aside = loop {
        let suffix = if n == 0 {
            String::new()
        } else {
            format!("-{n}")
        };
        let candidate = path.with_file_name(format!("{stem}.corrupt-{secs}{suffix}.sqlite"));
        if !candidate.exists() {
            break candidate;
        }
        n += 1;
    };
    std::fs::rename(path, &aside)?;
    let wal = sidecar(path, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, sidecar(&aside, "-wal"))?;
    }
    let shm = sidecar(path, "-shm");
    if shm.exists() {
        std::fs::remove_file(shm)?;
    }
    // The mark was about the file just set aside, not the fresh one.
    let _ = std::fs::remove_file(damage_mark(path));
    Ok(aside)
}

/// `path` with `suffix` appended to its file name (SQLite's `-wal` and `-shm` files).
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
