//! The store's SQLite work, synchronous: one connection, called under the store's mutex from a
//! blocking thread.

use super::intervals::{self, Span};
use super::{HistoryError, Kind, RECENT_SECS};
use etrack::{Alarm, AlarmType, PlaybackPoint, TimeRange};
use rusqlite::types::{FromSqlError, ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, ToSql, Transaction};
use std::collections::BTreeSet;

type Result<T> = std::result::Result<T, HistoryError>;

/// The connection and the store's bookkeeping.
pub(super) struct Db {
    conn: Connection,
    /// The size bound in bytes.
    pub limit: u64,
    /// The last use stamp handed out: a counter, not the clock, so a clock set back cannot make
    /// fresh days look old.
    stamp: i64,
}

/// What one eviction did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evicted {
    /// Vehicle-days deleted.
    pub vehicle_days: usize,
    /// The database size before and after, bytes.
    pub bytes_before: u64,
    /// After.
    pub bytes_after: u64,
}

impl Db {
    pub fn new(conn: Connection, limit: u64) -> Result<Self> {
        let stamp: i64 =
            conn.query_row("SELECT coalesce(max(used), 0) FROM days", [], |r| r.get(0))?;
        Ok(Self { conn, limit, stamp })
    }

    fn next_stamp(&mut self) -> i64 {
        self.stamp += 1;
        self.stamp
    }

    fn vid(&self, imei: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT vid FROM vehicles WHERE imei = ?1")?
            .query_row([imei], |r| r.get(0))
            .optional()?)
    }

    /// The stretches of `span` not stored yet, plus the recent hours before `now`.
    pub fn missing(&self, imei: &str, kind: Kind, range: TimeRange, now: i64) -> Result<Vec<Span>> {
        let want = intervals::span_of(range);
        let have = match self.vid(imei)? {
            Some(vid) => fetched(&self.conn, vid, kind, want)?,
            None => Vec::new(),
        };
        let mut gaps = intervals::subtract(want, &have);
        // Devices upload late: what the provider holds for the last hours may still grow.
        gaps.push((want.0.max(now.saturating_sub(RECENT_SECS)), want.1));
        Ok(intervals::union(gaps))
    }

    /// Stores `points` and records `covered` as fetched (nothing when it is empty).
    pub fn put_points(
        &mut self,
        imei: &str,
        covered: Span,
        points: &[PlaybackPoint],
    ) -> Result<()> {
        let stamp = self.next_stamp();
        let tx = self.conn.transaction()?;
        let vid = vid_or_insert(&tx, imei)?;
        let mut days = BTreeSet::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO points (key, lon, lat, speed, course)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for p in points {
                let Some(key) = point_key(vid, p.gpstime) else {
                    tracing::debug!("point at an impossible time {} not stored", p.gpstime);
                    continue;
                };
                insert.execute(params![
                    key,
                    Coord(p.longitude),
                    Coord(p.latitude),
                    p.speed,
                    p.course
                ])?;
                days.insert(intervals::day_of(p.gpstime));
            }
        }
        add_fetched(&tx, vid, Kind::Points, covered)?;
        days.extend(intervals::days(covered));
        mark_days(&tx, vid, &days, stamp)?;
        tx.commit()?;
        Ok(())
    }

    /// Stores `alarms` and records `covered` (of system times) as fetched.
    pub fn put_alarms(&mut self, imei: &str, covered: Span, alarms: &[Alarm]) -> Result<()> {
        let stamp = self.next_stamp();
        let tx = self.conn.transaction()?;
        let vid = vid_or_insert(&tx, imei)?;
        let mut days = BTreeSet::new();
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR REPLACE INTO alarms
                 (vid, systemtime, type, gpstime, lon, lat, speed, course, geofence)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for a in alarms {
                insert.execute(params![
                    vid,
                    a.systemtime,
                    a.alarm_type.code(),
                    a.gpstime,
                    Coord(a.longitude),
                    Coord(a.latitude),
                    a.speed,
                    a.course,
                    a.geofence_id
                ])?;
                days.insert(intervals::day_of(a.systemtime));
            }
        }
        add_fetched(&tx, vid, Kind::Alarms, covered)?;
        days.extend(intervals::days(covered));
        mark_days(&tx, vid, &days, stamp)?;
        tx.commit()?;
        Ok(())
    }

    /// The stored points with `range.begin() <= gpstime <= range.end()`, ascending; marks their
    /// days used.
    pub fn points(&mut self, imei: &str, range: TimeRange) -> Result<Vec<PlaybackPoint>> {
        let Some(vid) = self.vid(imei)? else {
            return Ok(Vec::new());
        };
        let points = self
            .conn
            .prepare_cached(
                "SELECT key, lon, lat, speed, course FROM points
                 WHERE key BETWEEN ?1 AND ?2 ORDER BY key",
            )?
            .query_map(params_of_keys(vid, range.begin(), range.end()), |r| {
                Ok(PlaybackPoint {
                    gpstime: r.get::<_, i64>(0)? & TIME_MASK,
                    longitude: coord(r.get_ref(1)?, 1)?,
                    latitude: coord(r.get_ref(2)?, 2)?,
                    speed: r.get(3)?,
                    course: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.touch_vid(vid, intervals::span_of(range))?;
        Ok(points)
    }

    /// The stored alarms with `range.begin() <= systemtime <= range.end()`, ascending by system
    /// time; marks their days used.
    pub fn alarms(&mut self, imei: &str, range: TimeRange) -> Result<Vec<Alarm>> {
        let Some(vid) = self.vid(imei)? else {
            return Ok(Vec::new());
        };
        let alarms = self
            .conn
            .prepare_cached(
                "SELECT systemtime, type, gpstime, lon, lat, speed, course, geofence FROM alarms
                 WHERE vid = ?1 AND systemtime BETWEEN ?2 AND ?3
                 ORDER BY systemtime, gpstime, type",
            )?
            .query_map(params![vid, range.begin(), range.end()], |r| {
                Ok(Alarm {
                    systemtime: r.get(0)?,
                    alarm_type: AlarmType::from_code(r.get(1)?),
                    gpstime: r.get(2)?,
                    longitude: coord(r.get_ref(3)?, 3)?,
                    latitude: coord(r.get_ref(4)?, 4)?,
                    speed: r.get(5)?,
                    course: r.get(6)?,
                    geofence_id: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        self.touch_vid(vid, intervals::span_of(range))?;
        Ok(alarms)
    }

    /// Marks the stored days of `span` used now.
    pub fn touch(&mut self, imei: &str, span: Span) -> Result<()> {
        match self.vid(imei)? {
            Some(vid) => self.touch_vid(vid, span),
            None => Ok(()),
        }
    }

    fn touch_vid(&mut self, vid: i64, span: Span) -> Result<()> {
        let days = intervals::days(span);
        if days.is_empty() {
            return Ok(());
        }
        let stamp = self.next_stamp();
        self.conn
            .prepare_cached("UPDATE days SET used = ?1 WHERE vid = ?2 AND day BETWEEN ?3 AND ?4")?
            .execute(params![stamp, vid, days.start(), days.end()])?;
        Ok(())
    }

    /// The database's size in bytes (the file's, once the write-ahead log is checkpointed).
    pub fn size_bytes(&self) -> Result<u64> {
        Ok(pages(&self.conn, "page_count")? * page_size(&self.conn)?)
    }

    /// When over the limit, deletes the least recently used vehicle-days down to 90 % of it and
    /// gives the freed pages back to the file system.
    pub fn enforce_limit(&mut self) -> Result<Evicted> {
        let before = self.size_bytes()?;
        if before <= self.limit {
            return Ok(Evicted {
                bytes_before: before,
                bytes_after: before,
                ..Evicted::default()
            });
        }
        let target = self.limit / 10 * 9;
        let page = page_size(&self.conn)?;
        let tx = self.conn.transaction()?;
        let mut deleted = 0usize;
        loop {
            let used = (pages(&tx, "page_count")? - pages(&tx, "freelist_count")?) * page;
            let days: i64 = tx.query_row("SELECT count(*) FROM days", [], |r| r.get(0))?;
            if used <= target || days == 0 {
                break;
            }
            // Days are not all the same size: take about what should free the excess, then look
            // again.
            let per_day = (used / days.max(1) as u64).max(1);
            let batch = (used - target).div_ceil(per_day).clamp(1, 1000);
            let oldest: Vec<(i64, i64)> = tx
                .prepare_cached("SELECT vid, day FROM days ORDER BY used, day LIMIT ?1")?
                .query_map([batch as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            for (vid, day) in oldest {
                delete_day(&tx, vid, day)?;
                deleted += 1;
            }
        }
        tx.commit()?;
        self.shrink()?;
        let after = self.size_bytes()?;
        tracing::info!(
            "stored history over its {} bytes: {deleted} vehicle-days removed, {before} -> {after} bytes",
            self.limit
        );
        Ok(Evicted {
            vehicle_days: deleted,
            bytes_before: before,
            bytes_after: after,
        })
    }

    /// Deletes everything.
    pub fn clear(&mut self) -> Result<()> {
        self.conn.execute_batch(
            "BEGIN;
             DELETE FROM points; DELETE FROM alarms; DELETE FROM fetched;
             DELETE FROM days; DELETE FROM vehicles;
             COMMIT;",
        )?;
        self.shrink()
    }

    /// Hands free pages back to the file system and folds the log into the file, so the file
    /// really shrinks.
    fn shrink(&mut self) -> Result<()> {
        // Each step frees one page: run it to its end.
        {
            let mut vacuum = self.conn.prepare("PRAGMA incremental_vacuum")?;
            let mut rows = vacuum.query([])?;
            while rows.next()?.is_some() {}
        }
        // Fails harmlessly (busy) if another process reads at this moment.
        if let Err(e) = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        {
            tracing::debug!("history checkpoint: {e}");
        }
        Ok(())
    }
}

fn vid_or_insert(tx: &Transaction, imei: &str) -> Result<i64> {
    tx.prepare_cached("INSERT OR IGNORE INTO vehicles (imei) VALUES (?1)")?
        .execute([imei])?;
    Ok(tx
        .prepare_cached("SELECT vid FROM vehicles WHERE imei = ?1")?
        .query_row([imei], |r| r.get(0))?)
}

/// The fetched spans of `vid` and `kind` that overlap `span`, by begin.
fn fetched(conn: &Connection, vid: i64, kind: Kind, span: Span) -> Result<Vec<Span>> {
    Ok(conn
        .prepare_cached(
            "SELECT begin, end FROM fetched
             WHERE vid = ?1 AND kind = ?2 AND end > ?3 AND begin < ?4 ORDER BY begin",
        )?
        .query_map(params![vid, kind as i64, span.0, span.1], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Records `span` as fetched, merged with the spans it overlaps or touches.
fn add_fetched(tx: &Transaction, vid: i64, kind: Kind, span: Span) -> Result<()> {
    if span.0 >= span.1 {
        return Ok(());
    }
    let near: Vec<Span> = tx
        .prepare_cached(
            "SELECT begin, end FROM fetched
             WHERE vid = ?1 AND kind = ?2 AND end >= ?3 AND begin <= ?4",
        )?
        .query_map(params![vid, kind as i64, span.0, span.1], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let merged = near
        .iter()
        .fold(span, |(b, e), &(nb, ne)| (b.min(nb), e.max(ne)));
    tx.prepare_cached(
        "DELETE FROM fetched WHERE vid = ?1 AND kind = ?2 AND end >= ?3 AND begin <= ?4",
    )?
    .execute(params![vid, kind as i64, span.0, span.1])?;
    tx.prepare_cached("INSERT INTO fetched (vid, kind, begin, end) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![vid, kind as i64, merged.0, merged.1])?;
    Ok(())
}

fn mark_days(tx: &Transaction, vid: i64, days: &BTreeSet<i64>, stamp: i64) -> Result<()> {
    let mut upsert = tx.prepare_cached(
        "INSERT INTO days (vid, day, used) VALUES (?1, ?2, ?3)
         ON CONFLICT (vid, day) DO UPDATE SET used = excluded.used",
    )?;
    for day in days {
        upsert.execute(params![vid, day, stamp])?;
    }
    Ok(())
}

/// Deletes a vehicle-day: its points and alarms, and its seconds from the fetched spans, so it
/// is fetched again when next needed.
fn delete_day(tx: &Transaction, vid: i64, day: i64) -> Result<()> {
    let (b, e) = intervals::day_span(day);
    tx.prepare_cached("DELETE FROM points WHERE key BETWEEN ?1 AND ?2")?
        .execute(params_of_keys(vid, b, e - 1))?;
    tx.prepare_cached(
        "DELETE FROM alarms WHERE vid = ?1 AND systemtime >= ?2 AND systemtime < ?3",
    )?
    .execute(params![vid, b, e])?;
    for kind in [Kind::Points, Kind::Alarms] {
        let spans = fetched(tx, vid, kind, (b, e))?;
        if spans.is_empty() {
            continue;
        }
        tx.prepare_cached(
            "DELETE FROM fetched WHERE vid = ?1 AND kind = ?2 AND end > ?3 AND begin < ?4",
        )?
        .execute(params![vid, kind as i64, b, e])?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO fetched (vid, kind, begin, end) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (rb, re) in intervals::remove(&spans, (b, e)) {
            insert.execute(params![vid, kind as i64, rb, re])?;
        }
    }
    tx.prepare_cached("DELETE FROM days WHERE vid = ?1 AND day = ?2")?
        .execute(params![vid, day])?;
    Ok(())
}

/// Bits of a point key that hold its gpstime: times up to the year 36 812.
const TIME_BITS: u32 = 40;
const TIME_MASK: i64 = (1 << TIME_BITS) - 1;

/// A point's rowid: the vehicle in the high bits, the gpstime in the low 40, so a vehicle's
/// points are in time order and a time range is a key range. `None` for a time before 1970 or
/// past the year 36 812 (not a real fix).
fn point_key(vid: i64, gpstime: i64) -> Option<i64> {
    (0..=TIME_MASK)
        .contains(&gpstime)
        .then_some((vid << TIME_BITS) | gpstime)
}

/// The first and last key of `vid`'s points with `begin <= gpstime <= end`, for `BETWEEN`
/// (`[1, 0]`, which matches nothing, when no possible time is in it).
fn params_of_keys(vid: i64, begin: i64, end: i64) -> [i64; 2] {
    let (begin, end) = (begin.max(0), end.min(TIME_MASK));
    if begin > end {
        return [1, 0];
    }
    let base = vid << TIME_BITS;
    [base | begin, base | end]
}

fn pages(conn: &Connection, pragma: &str) -> Result<u64> {
    let n: i64 = conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn page_size(conn: &Connection) -> Result<u64> {
    pages(conn, "page_size")
}

/// A longitude or latitude as stored: integer micro-degrees when that is exact (6 decimals or
/// fewer, as providers send), else the REAL itself.
struct Coord(f64);

impl Coord {
    fn micro(x: f64) -> Option<i64> {
        let m = (x * 1e6).round();
        // `m / 1e6` is exactly what reading computes, so the value comes back bit for bit.
        (m.abs() < 9.0e15 && m / 1e6 == x).then_some(m as i64)
    }
}

impl ToSql for Coord {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match Self::micro(self.0) {
            Some(m) => ToSqlOutput::from(m),
            None => ToSqlOutput::from(self.0),
        })
    }
}

fn coord(v: ValueRef<'_>, column: usize) -> rusqlite::Result<f64> {
    match v {
        ValueRef::Integer(m) => Ok(m as f64 / 1e6),
        ValueRef::Real(x) => Ok(x),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            column,
            other.data_type(),
            Box::new(FromSqlError::InvalidType),
        )),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn point_keys_keep_vehicles_apart_and_times_in_order() {
        assert_eq!(point_key(1, 5), Some((1 << 40) + 5));
        assert!(point_key(1, TIME_MASK).unwrap() < point_key(2, 0).unwrap());
        assert_eq!(point_key(1, -1), None);
        assert_eq!(point_key(1, TIME_MASK + 1), None);
        assert_eq!(params_of_keys(2, -100, 10), [2 << 40, (2 << 40) + 10]);
        assert_eq!(params_of_keys(2, -100, -1), [1, 0]);
    }

    #[test]
    fn coordinates_with_six_decimals_are_integers_and_all_come_back_exactly() {
        for x in [113.97196, 22.568616, -0.000001, 179.999999, -33.5] {
            let m = Coord::micro(x).expect("six decimals");
            assert_eq!(m as f64 / 1e6, x);
        }
        for x in [113.123456789, std::f64::consts::PI, 1e300] {
            assert_eq!(Coord::micro(x), None, "{x}");
        }
    }
}
