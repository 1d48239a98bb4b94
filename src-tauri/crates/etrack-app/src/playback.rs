//! Playback review: a device's history for a period, fetched with progress and cancellable, kept
//! in memory for the session, handed to the webview in a compact binary form, and exported.
//!
//! Tauri-free like [`crate::session`]: the commands in `commands::playback` pass the session's
//! client and an event callback in, so everything here is tested against etrack-sim directly.
//!
//! The range is fetched through the session's stored history ([`crate::history`]) when it has
//! one: a period stored before is read back without a request (also offline), and only what is
//! missing (and the last hours) is asked of the provider. Without a store, or when the store
//! fails, it is fetched straight from the provider. Either way the client's adaptive paging (a
//! probe page, then a sliding window of requests sized by the density seen) keeps what it fetched
//! when a failure midway (network lost, provider down) or a cancel stops it: the user sees the
//! history up to that point with a message, instead of nothing.

use crate::datum;
use crate::error::{AppError, IpcError};
use crate::history::{HistoryStore, Stored};
use crate::host::Event;
use crate::jobs::LatestJob;
use crate::session::{SessionInfo, SignedIn};
use crate::settings::Datum;
use etrack::export::{self, Format};
use etrack::{Alarm, AlarmType, Client, FetchOptions, Imei, PlaybackPoint, TimeRange};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// The longest period one playback may cover.
pub const MAX_RANGE_SECS: i64 = 31 * 86_400;
/// Cached histories are dropped, oldest first, beyond this many points (about 80 MB).
pub const MAX_CACHED_POINTS: usize = 2_000_000;

/// How far a load has come ("playback-progress").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaybackProgress {
    /// The id the UI gave the load.
    pub request_id: u32,
    /// Pages received so far.
    pub pages: u32,
    /// Points received so far.
    pub records: usize,
    /// Seconds of the period fetched so far.
    pub covered_secs: i64,
    /// Seconds in the period.
    pub total_secs: i64,
}

impl Event for PlaybackProgress {
    const NAME: &'static str = "playback-progress";
}

/// The name of an alarm type, for the list and the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlarmName {
    /// The spec's type number.
    pub code: i64,
    /// The spec's name, e.g. `speedingAlarm`.
    pub name: String,
    /// Words for people, e.g. "Speeding".
    pub words: String,
}

/// What a load produced. The points themselves come from `playback_points` (binary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaybackLoaded {
    /// The device.
    pub imei: String,
    /// The period, unix seconds.
    pub begin: i64,
    /// The period's end, unix seconds.
    pub end: i64,
    /// Points fetched (ascending, without repeats).
    pub count: usize,
    /// Whether the whole period was fetched.
    pub complete: bool,
    /// Why it is incomplete (cancelled, network failure midway); what was fetched is usable.
    pub error: Option<IpcError>,
    /// Seconds of the period covered by `count` points (the whole period when complete).
    pub covered_secs: i64,
    /// Served without asking the provider: from this session's memory or the stored history.
    pub from_cache: bool,
    /// Pages asked for.
    pub pages: u32,
    /// Wall time of the load, milliseconds.
    pub elapsed_ms: f64,
    /// The period's alarms, ascending by time.
    pub alarms: Vec<Alarm>,
    /// Names of the alarm types in `alarms`.
    pub alarm_names: Vec<AlarmName>,
    /// Why the alarms could not be fetched (the route is still shown).
    pub alarms_error: Option<IpcError>,
}

/// A finished export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportDone {
    /// Where the file was written.
    pub path: String,
    /// Points written.
    pub points: usize,
    /// The format.
    pub format: Format,
}

/// Which history: whose session, which device, which period.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HistoryKey {
    account: String,
    provider_url: String,
    imei: String,
    begin: i64,
    end: i64,
}

impl HistoryKey {
    /// The key of `imei` over `range` in `session`.
    pub fn new(session: &SessionInfo, imei: &Imei, range: TimeRange) -> Self {
        Self {
            account: session.account.clone(),
            provider_url: session.provider_url.clone(),
            imei: imei.as_str().to_owned(),
            begin: range.begin(),
            end: range.end(),
        }
    }
}

/// A fetched history.
#[derive(Debug)]
pub struct History {
    /// Ascending by time, no repeats.
    pub points: Vec<PlaybackPoint>,
    /// Ascending by system time.
    pub alarms: Vec<Alarm>,
    /// Why the alarms are missing.
    pub alarms_error: Option<AppError>,
    /// Whether the whole period was fetched.
    pub complete: bool,
    /// Why not.
    pub error: Option<AppError>,
    /// Seconds of the period fetched.
    pub covered_secs: i64,
    /// Pages asked for.
    pub pages: u32,
    /// Whether the provider was asked at all (false: all of it came from the stored history).
    pub asked: bool,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<HistoryKey, Arc<History>>,
    /// Keys, oldest first.
    order: VecDeque<HistoryKey>,
}

impl Cache {
    fn points(&self) -> usize {
        self.entries.values().map(|h| h.points.len()).sum()
    }

    fn put(&mut self, key: HistoryKey, history: Arc<History>) {
        self.order.retain(|k| k != &key);
        self.order.push_back(key.clone());
        self.entries.insert(key, history);
        // Keep the newest entry even when it alone is over the bound: it is on screen.
        while self.points() > MAX_CACHED_POINTS && self.order.len() > 1 {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }
}

/// The playback state of the app: histories of this session and the loads in flight.
pub struct PlaybackService {
    cache: Mutex<Cache>,
    /// The load in flight: a new one cancels it.
    running: LatestJob,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The period of a load, validated: begin before end, at most [`MAX_RANGE_SECS`].
pub fn period(begin: i64, end: i64) -> Result<TimeRange, AppError> {
    if end <= begin {
        return Err(AppError::invalid("The period must end after it begins."));
    }
    if end - begin > MAX_RANGE_SECS {
        return Err(AppError::invalid(
            "The period is longer than 31 days: choose a shorter one.",
        ));
    }
    Ok(TimeRange::new(begin, end)?)
}

impl Default for PlaybackService {
    fn default() -> Self {
        Self::new()
    }
}

impl PlaybackService {
    /// An empty service.
    pub fn new() -> Self {
        Self {
            cache: Mutex::new(Cache::default()),
            running: LatestJob::new(),
        }
    }

    /// Forgets every history and cancels the loads in flight (sign-out: after the session ended, so
    /// a load finishing meanwhile cannot put its history back, see [`Self::load`]).
    pub fn clear(&self) {
        *lock(&self.cache) = Cache::default();
        self.running.cancel();
    }

    /// Points held in memory.
    pub fn cached_points(&self) -> usize {
        lock(&self.cache).points()
    }

    /// The history of `key`, complete or not, if loaded in this session.
    pub fn history(&self, key: &HistoryKey) -> Option<Arc<History>> {
        lock(&self.cache).entries.get(key).cloned()
    }

    /// Cancels the load `request_id`; true if it was running.
    pub fn cancel(&self, request_id: u32) -> bool {
        self.running.cancel_id(u64::from(request_id))
    }

    /// Loads `imei`'s history over `range`: from memory when this session already has all of it,
    /// else through the session's stored history (the provider is asked only for what it lacks)
    /// or from the provider, reporting progress. A load cut short by a failure or a cancel
    /// keeps what it fetched (and says why); it fails only when nothing was fetched. Once the
    /// session has ended, it reports no progress and keeps nothing.
    pub async fn load(
        &self,
        session: &SignedIn,
        request_id: u32,
        imei: &Imei,
        range: TimeRange,
        progress: &(dyn Fn(PlaybackProgress) + Send + Sync),
    ) -> Result<PlaybackLoaded, AppError> {
        let now = crate::live::now_ms() / 1000;
        self.load_at(session, request_id, imei, range, now, progress)
            .await
    }

    /// [`Self::load`] with the provider's time now (unix seconds; the demo's clock may run
    /// ahead): the stored history always asks the provider again for the hours before it.
    pub async fn load_at(
        &self,
        session: &SignedIn,
        request_id: u32,
        imei: &Imei,
        range: TimeRange,
        now: i64,
        progress: &(dyn Fn(PlaybackProgress) + Send + Sync),
    ) -> Result<PlaybackLoaded, AppError> {
        let started = Instant::now();
        let progress = |p: PlaybackProgress| {
            session.gate.run(|| progress(p));
        };
        let key = HistoryKey::new(&session.info, imei, range);
        if let Some(h) = self.history(&key).filter(|h| h.complete) {
            progress(PlaybackProgress {
                request_id,
                pages: 0,
                records: h.points.len(),
                covered_secs: range.secs(),
                total_secs: range.secs(),
            });
            return Ok(loaded(&key, &h, true, started));
        }

        let job = self.running.start_as(u64::from(request_id));
        let history = fetch(
            session,
            request_id,
            imei,
            (range, now),
            job.token(),
            &progress,
        )
        .await;
        drop(job);

        if history.points.is_empty() {
            if let Some(e) = history.error {
                return Err(e);
            }
        }
        let history = Arc::new(history);
        // Through the gate: a history that arrives after the sign-out cleared the cache stays out.
        session
            .gate
            .run(|| lock(&self.cache).put(key.clone(), history.clone()));
        Ok(loaded(&key, &history, !history.asked, started))
    }

    /// Writes the loaded history of `key` to `path` in `format`; `name` names the track. The
    /// points are kept in `provider_datum` (the provider's); the file is always WGS-84.
    pub async fn export(
        &self,
        key: &HistoryKey,
        format: Format,
        name: &str,
        path: PathBuf,
        provider_datum: Datum,
    ) -> Result<ExportDone, AppError> {
        let history = self
            .history(key)
            .ok_or_else(|| AppError::invalid("Load the playback before exporting it."))?;
        let name = name.to_owned();
        let points = history.points.len();
        let shown = path.display().to_string();
        let write = tokio::task::spawn_blocking(move || {
            let text = match provider_datum {
                Datum::Wgs84 => export::render(format, &name, &history.points),
                Datum::Gcj02 => {
                    let wgs84: Vec<PlaybackPoint> = history
                        .points
                        .iter()
                        .map(|p| {
                            let (latitude, longitude) =
                                datum::gcj02_to_wgs84(p.latitude, p.longitude);
                            PlaybackPoint {
                                latitude,
                                longitude,
                                ..*p
                            }
                        })
                        .collect();
                    export::render(format, &name, &wgs84)
                }
            };
            std::fs::write(&path, text)
        });
        match write.await {
            Ok(Ok(())) => Ok(ExportDone {
                path: shown,
                points,
                format,
            }),
            Ok(Err(source)) => Err(AppError::Storage {
                action: "write",
                path: PathBuf::from(shown),
                source,
            }),
            Err(e) => Err(AppError::internal(format!("The export failed: {e}."))),
        }
    }
}

/// The file name a save dialog suggests: `<name>-<first day>.<ext>`, safe on every platform.
pub fn suggested_file_name(name: &str, begin: i64, format: Format) -> String {
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_matches(['-', '.']);
    let safe = if safe.is_empty() { "route" } else { safe };
    let day = crate::data_file::utc_day(begin);
    format!("{safe}-{day}.{}", format.extension())
}

fn loaded(key: &HistoryKey, h: &History, from_cache: bool, started: Instant) -> PlaybackLoaded {
    let mut names: Vec<AlarmName> = Vec::new();
    for a in &h.alarms {
        let t: AlarmType = a.alarm_type;
        if !names.iter().any(|n| n.code == t.code()) {
            names.push(AlarmName {
                code: t.code(),
                name: t.name().to_owned(),
                words: t.words().to_owned(),
            });
        }
    }
    names.sort_by_key(|n| n.code);
    PlaybackLoaded {
        imei: key.imei.clone(),
        begin: key.begin,
        end: key.end,
        count: h.points.len(),
        complete: h.complete,
        error: h.error.as_ref().map(IpcError::from),
        covered_secs: h.covered_secs,
        from_cache,
        pages: h.pages,
        elapsed_ms: started.elapsed().as_secs_f64() * 1000.0,
        alarms: h.alarms.clone(),
        alarm_names: names,
        alarms_error: h.alarms_error.as_ref().map(IpcError::from),
    }
}

/// The points of a load, however they came.
struct Points {
    records: Vec<PlaybackPoint>,
    error: Option<AppError>,
    covered_secs: i64,
    pages: u32,
    asked: bool,
}

impl Points {
    fn stored(s: Stored<PlaybackPoint>, range: TimeRange) -> Self {
        let missing: i64 = s.unfetched.iter().map(|(b, e)| e - b).sum();
        Self {
            asked: !s.asked.is_empty(),
            covered_secs: (range.secs() - missing).clamp(0, range.secs()),
            pages: s.pages,
            error: s.error.map(plain),
            records: s.records,
        }
    }
}

/// The failure itself, without the store's "showing only the stored part" (the load says what
/// it shows in its own words, see [`incomplete`]).
fn plain(e: AppError) -> AppError {
    match e {
        AppError::During { source, .. } => AppError::Client(source),
        e => e,
    }
}

/// Fetches the points (adaptively: see `etrack::Client::playback_fetched`) and the alarms
/// alongside, through `session`'s stored history when it has one (falling back to the provider
/// when the store fails); a failure or a cancel keeps the points fetched before it.
async fn fetch(
    session: &SignedIn,
    request_id: u32,
    imei: &Imei,
    (range, now): (TimeRange, i64),
    cancel: &CancellationToken,
    progress: &(dyn Fn(PlaybackProgress) + Send + Sync),
) -> History {
    let client = &session.client;
    let store = session.history.as_ref();
    let opts = FetchOptions {
        cancel: cancel.clone(),
        ..FetchOptions::default()
    };
    let report = |p: etrack::Progress| {
        progress(PlaybackProgress {
            request_id,
            pages: p.pages,
            records: p.records,
            covered_secs: p.covered_secs,
            total_secs: p.total_secs,
        });
    };
    let points = async {
        if let Some(store) = store {
            match store
                .fetch_points(client, imei, range, now, &opts, &report)
                .await
            {
                Ok(s) => return Points::stored(s, range),
                Err(e) => tracing::warn!("the stored history failed, asking the provider: {e}"),
            }
        }
        let f = client.playback_fetched(imei, range, &opts, &report).await;
        Points {
            records: f.records,
            error: f.error.map(AppError::from),
            covered_secs: f.covered_secs,
            pages: f.pages,
            asked: true,
        }
    };
    let alarms = fetch_alarms(client, store, imei, (range, now), cancel);
    let (fetched, (alarms, alarms_error, alarms_asked)) = tokio::join!(points, alarms);
    let points = export::playback_in_order(fetched.records);
    let error = fetched.error.map(|e| incomplete(e, &points, range));
    History {
        complete: error.is_none(),
        error,
        covered_secs: fetched.covered_secs,
        pages: fetched.pages,
        asked: fetched.asked || alarms_asked,
        points,
        alarms,
        alarms_error,
    }
}

/// The alarms of the period (ascending), why some are missing, and whether the provider was
/// asked. A cancel is no error: the alarms stored or fetched before it are shown.
async fn fetch_alarms(
    client: &Client,
    store: Option<&HistoryStore>,
    imei: &Imei,
    (range, now): (TimeRange, i64),
    cancel: &CancellationToken,
) -> (Vec<Alarm>, Option<AppError>, bool) {
    let opts = FetchOptions {
        cancel: cancel.clone(),
        ..FetchOptions::default()
    };
    if let Some(store) = store {
        match store
            .fetch_alarms(client, imei, range, now, &opts, &|_| {})
            .await
        {
            Ok(s) => {
                let error = s.error.filter(|e| !matches!(e, AppError::Cancelled));
                let alarms = export::in_order(s.records, |a| a.systemtime);
                return (alarms, error, !s.asked.is_empty());
            }
            Err(e) => tracing::warn!("the stored alarms failed, asking the provider: {e}"),
        }
    }
    match client.alarms_with(imei, range, &opts, &|_| {}).await {
        Ok(a) => (export::in_order(a, |a| a.systemtime), None, true),
        Err(etrack::Error::Cancelled) => (Vec::new(), None, true),
        Err(e) => (Vec::new(), Some(AppError::from(e)), true),
    }
}

/// A load cut short by `e`, saying what is shown.
fn incomplete(e: AppError, points: &[PlaybackPoint], range: TimeRange) -> AppError {
    let Some(last) = points.last().map(|p| p.gpstime) else {
        return e;
    };
    let share = ((last - range.begin()) as f64 / range.secs() as f64 * 100.0).clamp(0.0, 100.0);
    AppError::CutShort {
        source: Box::new(e),
        kept: points.len(),
        up_to: export::rfc3339(last)
            .replace('T', " ")
            .trim_end_matches('Z')
            .to_owned(),
        share_percent: share,
    }
}

/// The points as the webview reads them: five little-endian `f64` arrays one after the other
/// (gpstime, longitude, latitude, speed, course), `count` values each. A 100,000-point history is
/// 4 MB, copied straight into typed arrays, where JSON objects would be parsed field by field.
pub fn encode_points(points: &[PlaybackPoint]) -> Vec<u8> {
    let mut out = Vec::with_capacity(points.len() * 40);
    let columns: [&dyn Fn(&PlaybackPoint) -> f64; 5] = [
        &|p| p.gpstime as f64,
        &|p| p.longitude,
        &|p| p.latitude,
        &|p| p.speed,
        &|p| p.course,
    ];
    for column in columns {
        for p in points {
            out.extend_from_slice(&column(p).to_le_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pt(t: i64) -> PlaybackPoint {
        PlaybackPoint {
            longitude: 113.9,
            latitude: 22.5,
            gpstime: t,
            speed: 30.0,
            course: 90.0,
        }
    }

    #[test]
    fn periods_are_checked_before_anything_is_sent() {
        assert!(period(100, 100).is_err());
        assert_eq!(
            period(0, MAX_RANGE_SECS).map(|r| r.secs()).ok(),
            Some(MAX_RANGE_SECS)
        );
        let long = period(0, MAX_RANGE_SECS + 1).expect_err("too long");
        assert_eq!(long.kind(), crate::error::ErrorKind::Validation);
        assert!(long.to_string().contains("31 days"), "{long}");
    }

    #[test]
    fn points_encode_as_five_columns_of_little_endian_doubles() {
        let bytes = encode_points(&[pt(10), pt(20)]);
        assert_eq!(bytes.len(), 2 * 5 * 8);
        let read = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[i * 8..i * 8 + 8]);
            f64::from_le_bytes(b)
        };
        assert_eq!(
            (0..10).map(read).collect::<Vec<_>>(),
            [10.0, 20.0, 113.9, 113.9, 22.5, 22.5, 30.0, 30.0, 90.0, 90.0]
        );
    }

    #[test]
    fn file_names_are_safe_and_dated() {
        assert_eq!(
            suggested_file_name("Taxi 7 / B·12", 1_714_550_400, Format::Gpx),
            "Taxi-7---B-12-2024-05-01.gpx"
        );
        assert_eq!(
            suggested_file_name("../..", 0, Format::Geojson),
            "route-1970-01-01.geojson"
        );
    }

    #[test]
    fn the_cache_drops_the_oldest_histories_beyond_its_bound() {
        let mut cache = Cache::default();
        let key = |i: i64| HistoryKey {
            account: "a".into(),
            provider_url: "p".into(),
            imei: "1".into(),
            begin: i,
            end: i + 1,
        };
        let history = |n: usize| {
            Arc::new(History {
                points: vec![pt(0); n],
                alarms: Vec::new(),
                alarms_error: None,
                complete: true,
                error: None,
                covered_secs: 1,
                pages: 1,
                asked: true,
            })
        };
        cache.put(key(1), history(MAX_CACHED_POINTS / 2));
        cache.put(key(2), history(MAX_CACHED_POINTS / 2));
        assert_eq!(cache.entries.len(), 2);
        cache.put(key(3), history(10));
        assert!(!cache.entries.contains_key(&key(1)), "the oldest went");
        assert!(cache.entries.contains_key(&key(2)) && cache.entries.contains_key(&key(3)));
        cache.put(key(4), history(MAX_CACHED_POINTS * 2));
        assert_eq!(cache.entries.len(), 1, "a huge one alone is kept");
    }
}
