//! Paged histories (playback and alarms): parsing the `a,b,c;a,b,c` records, chaining pages on a
//! record time, dropping the boundary repeats, and fetching long ranges as concurrent windows.
//!
//! The spec pages by restarting at the last record's time, so the records at that time come back
//! again. [`Pager`] drops them by matching the repeats against the tail already kept (as a
//! multiset, so identical records the provider really stored twice survive), and advances the
//! begin by one second when a full page sits on a single timestamp. In that flood case the spec
//! offers no way to reach records past the first page-size at that second: the client keeps the
//! ones the provider returns and moves on, so it always terminates.

use crate::client::{Client, Request};
use crate::envelope::{history_groups, is_no_data};
use crate::error::{Error, Result};
use crate::model::{Alarm, AlarmType, Imei, PlaybackPoint, TimeRange};
use crate::options::{FetchOptions, Progress};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Mutex;
use tokio::sync::{Semaphore, SemaphorePermit};

/// A record of a paged history endpoint.
pub(crate) trait HistoryRecord: Clone + PartialEq + Send + Sync + 'static {
    /// Records per full page.
    const PAGE_SIZE: usize;
    /// The endpoint.
    const PATH: &'static str;
    /// Name for error messages.
    const WHAT: &'static str;
    /// The time the next page starts from.
    fn chain_time(&self) -> i64;
    /// One `;`-separated group.
    fn parse_group(group: &str) -> Result<Self>;
}

impl HistoryRecord for PlaybackPoint {
    const PAGE_SIZE: usize = 1000;
    const PATH: &'static str = "/api/playback";
    const WHAT: &'static str = "playback";

    fn chain_time(&self) -> i64 {
        self.gpstime
    }

    fn parse_group(group: &str) -> Result<Self> {
        let f = Fields::split(group, 5, Self::WHAT)?;
        Ok(PlaybackPoint {
            longitude: f.float(0, "longitude")?,
            latitude: f.float(1, "latitude")?,
            gpstime: f.int(2, "gpstime")?,
            speed: f.number_or_zero(3),
            course: f.number_or_zero(4),
        })
    }
}

impl HistoryRecord for Alarm {
    const PAGE_SIZE: usize = 100;
    const PATH: &'static str = "/api/alarm/list";
    const WHAT: &'static str = "alarm list";

    fn chain_time(&self) -> i64 {
        self.systemtime
    }

    fn parse_group(group: &str) -> Result<Self> {
        let f = Fields::split(group, 7, Self::WHAT)?;
        Ok(Alarm {
            alarm_type: AlarmType::from_code(f.int(0, "alarm type")?),
            longitude: f.float(1, "longitude")?,
            latitude: f.float(2, "latitude")?,
            gpstime: f.int(3, "gpstime")?,
            systemtime: f.int(4, "system time")?,
            speed: f.number_or_zero(5),
            course: f.number_or_zero(6),
            geofence_id: f.text(7).to_owned(),
        })
    }
}

/// The comma-separated fields of one group.
struct Fields<'a> {
    group: &'a str,
    fields: Vec<&'a str>,
    what: &'static str,
}

impl<'a> Fields<'a> {
    fn split(group: &'a str, at_least: usize, what: &'static str) -> Result<Self> {
        let fields: Vec<&str> = group.split(',').map(str::trim).collect();
        if fields.len() < at_least {
            return Err(Error::Decode(format!(
                "{what}: expected {at_least} fields in {group:?}"
            )));
        }
        Ok(Self {
            group,
            fields,
            what,
        })
    }

    fn text(&self, i: usize) -> &'a str {
        self.fields.get(i).copied().unwrap_or("")
    }

    fn bad(&self, name: &str) -> Error {
        Error::Decode(format!(
            "{}: unreadable {name} in {:?}",
            self.what, self.group
        ))
    }

    fn float(&self, i: usize, name: &str) -> Result<f64> {
        self.text(i)
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.bad(name))
    }

    fn int(&self, i: usize, name: &str) -> Result<i64> {
        crate::lenient::value_to_i64(&Value::String(self.text(i).to_owned()))
            .ok_or_else(|| self.bad(name))
    }

    /// Speed and course, fractions kept: a missing value is not worth failing a whole history
    /// for.
    fn number_or_zero(&self, i: usize) -> f64 {
        self.text(i)
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .unwrap_or(0.0)
    }
}

/// One page of `imei`'s history from `begin` to `end` (unix seconds); an empty history (an
/// empty record or 20023) is an empty page. 10009 answers are counted in `throttled`.
pub(crate) async fn page<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    begin: i64,
    end: i64,
    throttled: &AtomicU32,
) -> Result<Vec<T>> {
    let params = vec![
        ("imei", imei.as_str().to_owned()),
        ("begintime", begin.to_string()),
        ("endtime", end.to_string()),
    ];
    let req = Request::get(T::PATH, params).throttled(throttled);
    match client.call(&req).await {
        Ok(record) => parse_page::<T>(&record),
        Err(e) if is_no_data(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Parses the `record` of one page. An empty record is an empty page.
pub(crate) fn parse_page<T: HistoryRecord>(record: &Value) -> Result<Vec<T>> {
    history_groups(record, T::WHAT)?
        .iter()
        .map(|g| T::parse_group(g))
        .collect()
}

/// Appends `next` to `kept`, dropping the records at the head of `next` that repeat records
/// already kept at the same (boundary) time.
pub(crate) fn append_dropping_repeats<T: HistoryRecord>(kept: &mut Vec<T>, next: Vec<T>) {
    let Some(boundary) = kept.last().map(T::chain_time) else {
        kept.extend(next);
        return;
    };
    let tail_start = kept
        .iter()
        .rposition(|r| r.chain_time() != boundary)
        .map_or(0, |i| i + 1);
    let mut unmatched: Vec<bool> = vec![true; kept.len() - tail_start];
    let mut rest = next.into_iter().peekable();
    while let Some(r) = rest.next_if(|r| r.chain_time() == boundary) {
        let repeat = kept[tail_start..]
            .iter()
            .zip(unmatched.iter_mut())
            .find(|(k, free)| **free && **k == r);
        match repeat {
            Some((_, free)) => *free = false,
            None => kept.push(r),
        }
    }
    kept.extend(rest);
}

/// The paging state of one time window `[begin, end]`.
pub(crate) struct Pager<T> {
    begin: i64,
    end: i64,
    next: Option<i64>,
    records: Vec<T>,
}

impl<T: HistoryRecord> Pager<T> {
    pub fn new(begin: i64, end: i64) -> Self {
        Self {
            begin,
            end,
            next: (begin < end).then_some(begin),
            records: Vec::new(),
        }
    }

    /// The begin time of the next page to ask for, `None` when the window is complete.
    pub fn next_begin(&self) -> Option<i64> {
        self.next
    }

    /// Takes the page that was asked for at `next_begin()`.
    pub fn accept(&mut self, page: Vec<T>) {
        let Some(asked) = self.next else { return };
        let full = page.len() >= T::PAGE_SIZE;
        let last = page.last().map(T::chain_time);
        append_dropping_repeats(&mut self.records, page);
        self.next = match last {
            Some(last) if full => {
                // Never ask for the same begin twice: a full page on one second moves on by 1 s.
                let next = if last > asked { last } else { asked + 1 };
                // Records at `end` itself belong to the next window (or past the range).
                (next < self.end).then_some(next)
            }
            _ => None,
        };
    }

    /// Seconds of the window known to be fetched.
    pub fn covered_secs(&self) -> i64 {
        let len = self.end - self.begin;
        match self.next {
            None => len,
            Some(next) => (next - self.begin).clamp(0, len),
        }
    }

    pub fn records(&self) -> usize {
        self.records.len()
    }

    pub fn into_records(self) -> Vec<T> {
        self.records
    }
}

/// Splits a range into consecutive windows of `window_secs` (the last one shorter).
pub(crate) fn windows(range: TimeRange, window_secs: i64) -> Vec<(i64, i64)> {
    let step = window_secs.max(1);
    let mut out = Vec::new();
    let mut begin = range.begin();
    while begin < range.end() {
        let end = begin.saturating_add(step).min(range.end());
        out.push((begin, end));
        begin = end;
    }
    out
}

/// A concurrency limit that drops by one (down to 1) each time a window met 10009.
struct AdaptiveLimit {
    permits: Semaphore,
    limit: AtomicUsize,
}

impl AdaptiveLimit {
    fn new(limit: usize) -> Self {
        Self {
            permits: Semaphore::new(limit),
            limit: AtomicUsize::new(limit),
        }
    }

    async fn acquire(&self) -> Result<SemaphorePermit<'_>> {
        self.permits.acquire().await.map_err(|_| Error::Cancelled)
    }

    fn release(&self, permit: SemaphorePermit<'_>, throttled: bool) {
        let lowered = throttled
            && self
                .limit
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |l| {
                    (l > 1).then(|| l - 1)
                })
                .is_ok();
        if lowered {
            tracing::debug!("the provider said 10009: one window fewer at a time");
            permit.forget();
        }
    }
}

struct ProgressState {
    pages: u32,
    records: Vec<usize>,
    covered: Vec<i64>,
}

/// Fetches a history in windows, `opts.concurrency` at a time, merged in order.
pub(crate) async fn fetch<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Vec<T>> {
    let window_secs = match opts.window_secs {
        None => return crate::adaptive::fetch(client, imei, range, opts, progress).await,
        Some(w) if w >= 1 => w,
        Some(w) => {
            return Err(Error::validation(format!(
                "the window must be at least 1 s, not {w}"
            )))
        }
    };
    if opts.cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let windows = windows(range, window_secs);
    let concurrency = opts.concurrency.max(1);
    let limit = AdaptiveLimit::new(concurrency);
    let state = Mutex::new(ProgressState {
        pages: 0,
        records: vec![0; windows.len()],
        covered: vec![0; windows.len()],
    });
    let total_secs = range.secs();
    let report = |index: usize, pager: &Pager<T>| {
        let p = match state.lock() {
            Ok(mut s) => {
                s.pages += 1;
                s.records[index] = pager.records();
                s.covered[index] = pager.covered_secs();
                Progress {
                    pages: s.pages,
                    records: s.records.iter().sum(),
                    covered_secs: s.covered.iter().sum(),
                    total_secs,
                }
            }
            Err(_) => return,
        };
        progress(p);
    };

    let fetch_window = |(index, (begin, end)): (usize, (i64, i64))| {
        let limit = &limit;
        let report = &report;
        async move {
            let permit = limit.acquire().await?;
            let throttled = AtomicU32::new(0);
            let mut pager = Pager::<T>::new(begin, end);
            while let Some(page_begin) = pager.next_begin() {
                let page = page::<T>(client, imei, page_begin, end, &throttled).await?;
                pager.accept(page);
                report(index, &pager);
            }
            limit.release(permit, throttled.load(Ordering::Relaxed) > 0);
            Ok::<_, Error>(pager.into_records())
        }
    };

    let all = futures::stream::iter(windows.into_iter().enumerate())
        .map(fetch_window)
        .buffered(concurrency)
        .try_fold(Vec::new(), |mut merged, part| async move {
            append_dropping_repeats(&mut merged, part);
            Ok(merged)
        });
    let merged = tokio::select! {
        biased;
        _ = opts.cancel.cancelled() => return Err(Error::Cancelled),
        merged = all => merged?,
    };
    let pages = state.lock().map(|s| s.pages).unwrap_or(0);
    progress(Progress {
        pages,
        records: merged.len(),
        covered_secs: total_secs,
        total_secs,
    });
    Ok(merged)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn p(t: i64, lon: f64) -> PlaybackPoint {
        PlaybackPoint {
            longitude: lon,
            latitude: 22.5,
            gpstime: t,
            speed: 0.0,
            course: 0.0,
        }
    }

    /// What the spec's provider does: records with time in [begin, end], first PAGE_SIZE.
    fn serve<T: HistoryRecord>(data: &[T], begin: i64, end: i64) -> Vec<T> {
        data.iter()
            .filter(|r| r.chain_time() >= begin && r.chain_time() <= end)
            .take(T::PAGE_SIZE)
            .cloned()
            .collect()
    }

    fn page_all<T: HistoryRecord>(data: &[T], begin: i64, end: i64) -> (Vec<T>, u32) {
        let mut pager = Pager::<T>::new(begin, end);
        let mut pages = 0;
        while let Some(b) = pager.next_begin() {
            pages += 1;
            assert!(pages < 10_000, "the pager does not terminate");
            pager.accept(serve(data, b, end));
        }
        (pager.into_records(), pages)
    }

    #[test]
    fn playback_groups_parse_leniently_and_reject_garbage() {
        let rec = Value::String(
            "113.97196,22.568616,1406858664,0,228; 113.9,22.5,1406858684.0,,;".into(),
        );
        let pts: Vec<PlaybackPoint> = parse_page(&rec).unwrap();
        assert_eq!(pts.len(), 2);
        assert_eq!(pts[0].gpstime, 1406858664);
        assert_eq!(pts[0].course, 228.0);
        assert_eq!((pts[1].speed, pts[1].course), (0.0, 0.0));
        assert!(parse_page::<PlaybackPoint>(&Value::String(String::new()))
            .unwrap()
            .is_empty());
        for bad in ["1,2,3", "x,22.5,1,0,0", "113.9,22.5,later,0,0"] {
            assert!(matches!(
                parse_page::<PlaybackPoint>(&Value::String(bad.into())),
                Err(Error::Decode(_))
            ));
        }
    }

    #[test]
    fn alarm_groups_keep_unknown_types_and_optional_geofence_id() {
        let rec = Value::String(
            "27,113.885888,22.580592,1541575497,1541575507,40,40,0;99,1,2,3,4,5,6".into(),
        );
        let alarms: Vec<Alarm> = parse_page(&rec).unwrap();
        assert_eq!(alarms[0].alarm_type, AlarmType::DoorClose);
        assert_eq!(alarms[0].systemtime, 1541575507);
        assert_eq!(alarms[0].geofence_id, "0");
        assert_eq!(alarms[1].alarm_type, AlarmType::Unknown(99));
        assert_eq!(alarms[1].geofence_id, "");
    }

    #[test]
    fn paging_chains_on_the_last_time_and_drops_boundary_repeats() {
        let data: Vec<PlaybackPoint> = (0..2500).map(|i| p(1000 + i * 10, i as f64)).collect();
        let (got, pages) = page_all(&data, 0, 100_000);
        assert_eq!(got, data);
        assert_eq!(pages, 3);
    }

    #[test]
    fn paging_keeps_records_that_share_the_boundary_second() {
        // 1000 records fill the first page, 3 more share the last record's second.
        let mut data: Vec<PlaybackPoint> = (0..997).map(|i| p(i, 0.0)).collect();
        data.extend((0..6).map(|k| p(997, k as f64)));
        data.extend((0..10).map(|i| p(998 + i, 0.0)));
        let (got, _) = page_all(&data, 0, 5000);
        assert_eq!(got, data);
    }

    #[test]
    fn identical_records_the_provider_stored_twice_are_kept() {
        let mut data: Vec<PlaybackPoint> = (0..999).map(|i| p(i, 0.0)).collect();
        data.extend([p(999, 1.0), p(999, 1.0), p(999, 1.0)]);
        let (got, _) = page_all(&data, 0, 5000);
        assert_eq!(got, data);
    }

    #[test]
    fn a_full_page_on_one_second_advances_instead_of_looping() {
        let mut data: Vec<PlaybackPoint> = vec![p(5, 0.0)];
        data.extend((0..2500).map(|k| p(10, k as f64)));
        data.extend((0..20).map(|i| p(11 + i, 0.0)));
        let (got, pages) = page_all(&data, 0, 5000);
        // Only the first 1000 records at second 10 are reachable through the spec's paging.
        assert_eq!(got.iter().filter(|r| r.gpstime == 10).count(), 1000);
        assert_eq!(got.iter().filter(|r| r.gpstime != 10).count(), 21);
        assert!(got.windows(2).all(|w| w[0].gpstime <= w[1].gpstime));
        assert!(pages <= 4, "{pages}");
    }

    #[test]
    fn windows_cover_the_range_and_merge_without_repeats() {
        let range = TimeRange::new(100, 100 + 7 * 86_400).unwrap();
        let ws = windows(range, 9_000);
        assert_eq!(ws.first().unwrap().0, 100);
        assert_eq!(ws.last().unwrap().1, range.end());
        assert!(ws.windows(2).all(|w| w[0].1 == w[1].0));
        assert_eq!(ws.len(), 68);

        let data: Vec<PlaybackPoint> = (0..6000).map(|i| p(100 + i * 10, i as f64)).collect();
        let mut merged = Vec::new();
        for (b, e) in windows(TimeRange::new(100, 60_100).unwrap(), 7_000) {
            append_dropping_repeats(&mut merged, page_all(&data, b, e).0);
        }
        assert_eq!(merged, data);
    }

    #[test]
    fn alarms_chain_on_system_time() {
        let data: Vec<Alarm> = (0..250)
            .map(|i| Alarm {
                alarm_type: AlarmType::Speeding,
                longitude: 0.0,
                latitude: 0.0,
                gpstime: 1000 + i / 3,
                systemtime: 2000 + i / 2,
                speed: 90.0,
                course: i as f64,
                geofence_id: String::new(),
            })
            .collect();
        let (got, pages) = page_all(&data, 0, 10_000);
        assert_eq!(got, data);
        assert_eq!(pages, 3);
    }

    #[tokio::test]
    async fn the_window_limit_drops_by_one_per_throttled_window_but_never_below_one() {
        let limit = AdaptiveLimit::new(3);
        for _ in 0..5 {
            let permit = limit.acquire().await.unwrap();
            limit.release(permit, true);
        }
        assert_eq!(limit.limit.load(Ordering::Relaxed), 1);
        assert_eq!(limit.permits.available_permits(), 1);
        let permit = limit.acquire().await.unwrap();
        limit.release(permit, false);
        assert_eq!(limit.permits.available_permits(), 1);
    }

    #[test]
    fn covered_seconds_grow_to_the_window_length() {
        let mut pager = Pager::<PlaybackPoint>::new(0, 20_000);
        assert_eq!(pager.covered_secs(), 0);
        pager.accept((0..1000).map(|i| p(i * 10, 0.0)).collect());
        assert_eq!(pager.covered_secs(), 9_990);
        pager.accept(vec![p(9_990, 0.0)]);
        assert_eq!(pager.covered_secs(), 20_000);
        assert_eq!(pager.next_begin(), None);
    }
}
