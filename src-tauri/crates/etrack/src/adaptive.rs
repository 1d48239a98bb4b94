//! Long histories at the cost of the spec's chained paging, in a fraction of its wall time.
//!
//! The spec pages a history one request after the other. Fixed time windows run in parallel but
//! pay for every empty window: a month of a parked vehicle in 9000 s windows is 288 requests where
//! the chain is 1, at a provider that answers 10009 when asked too often. Here:
//!
//! - A first page over the whole range probes it. A range with fewer records than a page ends
//!   there: one request.
//! - Every request is open-ended (from its start to the end of the range), so a page returns the
//!   next records wherever they are: a sparse stretch costs one request, not one per window, and a
//!   page that is not full proves everything after its start known.
//! - Requests start about 90% of a page apart at the density the last full page showed, and are
//!   kept in flight as a sliding window (one new request per answer, never in lockstep batches)
//!   whose width starts at [`START_WIDTH`] (at most `FetchOptions::concurrency`), halves when the provider says 10009 and grows back by
//!   one after [`GROW_AFTER`] answers without it.
//! - What each answer adds is cut to the part of the range not known yet, so records come out once
//!   each, in order, whatever the overlap between answers.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::history::{page, HistoryRecord};
use crate::model::{Imei, TimeRange};
use crate::options::{FetchOptions, Progress};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};

/// Requests in flight at first.
pub(crate) const START_WIDTH: usize = 6;
/// Answers without 10009 before the window grows by one.
pub(crate) const GROW_AFTER: u32 = 8;
/// Requests start this share of a page apart, at the observed density: a little overlap rather
/// than a second page for each request.
const PAGE_SHARE: f64 = 0.9;

/// What one answer proves: every record with a time in `[start, known_to)` is in `records`.
struct Answer<T> {
    start: i64,
    known_to: i64,
    records: Vec<T>,
    full: bool,
    throttled: bool,
}

/// The parts of the range known so far, and their records.
struct Known<T> {
    /// Start -> (end, records with times in [start, end)), non-overlapping.
    parts: BTreeMap<i64, (i64, Vec<T>)>,
}

impl<T: HistoryRecord> Known<T> {
    fn new() -> Self {
        Self {
            parts: BTreeMap::new(),
        }
    }

    /// The first second at or after `t` that is not known.
    fn unknown_from(&self, mut t: i64) -> i64 {
        // Parts are merged on insert, so one step through the part holding `t` is enough, but a
        // loop keeps this right if two parts merely touch.
        loop {
            let covering = self
                .parts
                .range(..=t)
                .next_back()
                .filter(|(_, (end, _))| *end > t)
                .map(|(_, (end, _))| *end);
            match covering {
                Some(end) => t = end,
                None => return t,
            }
        }
    }

    /// Adds `[start, end)` with its records, keeping only what is not known yet.
    fn add(&mut self, start: i64, end: i64, records: Vec<T>) {
        let mut records = records.into_iter().peekable();
        let mut t = start;
        while t < end {
            let from = self.unknown_from(t);
            if from >= end {
                break;
            }
            // The unknown stretch from `from` ends where the next known part starts.
            let to = self
                .parts
                .range(from..)
                .next()
                .map_or(end, |(s, _)| (*s).min(end));
            let mut mine = Vec::new();
            while let Some(r) = records.next_if(|r| r.chain_time() < to) {
                if r.chain_time() >= from {
                    mine.push(r);
                }
            }
            self.parts.insert(from, (to, mine));
            t = to;
        }
        self.merge();
    }

    fn merge(&mut self) {
        let mut merged: BTreeMap<i64, (i64, Vec<T>)> = BTreeMap::new();
        for (start, (end, records)) in std::mem::take(&mut self.parts) {
            match merged.iter_mut().next_back() {
                Some((_, (last_end, last_records))) if *last_end == start => {
                    *last_end = end;
                    last_records.extend(records);
                }
                _ => {
                    merged.insert(start, (end, records));
                }
            }
        }
        self.parts = merged;
    }

    fn covered_secs(&self, range_end: i64) -> i64 {
        self.parts
            .iter()
            .map(|(s, (e, _))| (*e).min(range_end) - *s)
            .sum()
    }

    fn records(&self) -> usize {
        self.parts.values().map(|(_, r)| r.len()).sum()
    }

    fn into_records(self) -> Vec<T> {
        self.parts.into_values().flat_map(|(_, r)| r).collect()
    }

    /// The records of the part that starts at `begin`, and its length in seconds.
    fn into_prefix(mut self, begin: i64) -> (Vec<T>, i64) {
        match self.parts.remove(&begin) {
            Some((end, records)) => (records, end - begin),
            None => (Vec::new(), 0),
        }
    }
}

/// Asks for the page of records from `start` to the end of the range.
async fn ask<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    start: i64,
    range: TimeRange,
) -> Result<Answer<T>> {
    let throttled = AtomicU32::new(0);
    let mut records = page::<T>(client, imei, start, range.end(), &throttled).await?;
    let full = records.len() >= T::PAGE_SIZE;
    // The spec's pages are ascending; a provider that mixes them up loses nothing either.
    records.sort_by_key(T::chain_time);
    let known_to = match records.last().map(T::chain_time) {
        // Records at the last time may go on in the next page: only what is before it is known.
        // A full page on one second moves on by a second (the spec offers no way past it).
        Some(last) if full => last.max(start + 1),
        // Not full: everything from `start` on is here (records at the range's end included).
        _ => range.end() + 1,
    };
    if full {
        records.retain(|r| r.chain_time() < known_to);
    }
    Ok(Answer {
        start,
        known_to,
        records,
        full,
        throttled: throttled.load(Ordering::Relaxed) > 0,
    })
}

/// The sliding window's width.
struct Width {
    now: usize,
    calm: u32,
}

impl Width {
    fn new(max: usize) -> Self {
        Self {
            now: START_WIDTH.min(max).max(1),
            calm: 0,
        }
    }

    fn answered(&mut self, throttled: bool, max: usize) {
        if throttled {
            self.now = (self.now / 2).max(1);
            self.calm = 0;
            tracing::debug!("the provider said 10009: {} requests at a time", self.now);
        } else {
            self.calm += 1;
            if self.calm >= GROW_AFTER && self.now < max {
                self.now += 1;
                self.calm = 0;
            }
        }
    }
}

/// What a fetch got: the records of the stretch known from the range's begin, how far that
/// stretch reaches, the pages asked for, and the error that stopped the fetch early (then the
/// records are those before the first second still unknown).
#[derive(Debug)]
pub struct Fetched<T> {
    /// Ascending by time, each record once.
    pub records: Vec<T>,
    /// Seconds of the range, from its begin, that `records` cover completely.
    pub covered_secs: i64,
    /// Requests answered.
    pub pages: u32,
    /// Why the fetch stopped before the end (cancelled, network lost, refused).
    pub error: Option<Error>,
}

/// Fetches `range` of `imei`'s history adaptively (see the module documentation).
pub(crate) async fn fetch<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Result<Vec<T>> {
    let fetched = fetch_partial(client, imei, range, opts, progress).await;
    match fetched.error {
        Some(e) => Err(e),
        None => Ok(fetched.records),
    }
}

/// [`fetch`], keeping what was fetched before a failure or a cancel.
pub(crate) async fn fetch_partial<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
) -> Fetched<T> {
    let mut known = Known::<T>::new();
    let mut pages = 0u32;
    let error = run(client, imei, range, opts, progress, &mut known, &mut pages)
        .await
        .err();
    let (records, covered_secs) = match error {
        None => (known.into_records(), range.secs()),
        Some(_) => known.into_prefix(range.begin()),
    };
    Fetched {
        covered_secs: covered_secs.clamp(0, range.secs()),
        records,
        pages,
        error,
    }
}

async fn run<T: HistoryRecord>(
    client: &Client,
    imei: &Imei,
    range: TimeRange,
    opts: &FetchOptions,
    progress: &(dyn Fn(Progress) + Send + Sync),
    known: &mut Known<T>,
    pages: &mut u32,
) -> Result<()> {
    if opts.cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    let max_width = opts.concurrency.max(1);
    let total_secs = range.secs();
    let report = |known: &Known<T>, pages: u32| {
        progress(Progress {
            pages,
            records: known.records(),
            covered_secs: known.covered_secs(range.end()).min(total_secs),
            total_secs,
        });
    };

    // The probe: one page over the whole range.
    let probe = tokio::select! {
        biased;
        _ = opts.cancel.cancelled() => return Err(Error::Cancelled),
        p = ask::<T>(client, imei, range.begin(), range) => p?,
    };
    *pages += 1;
    let mut spacing = spacing_of(&probe);
    let mut width = Width::new(max_width);
    width.answered(probe.throttled, max_width);
    let probe_known_to = probe.known_to;
    known.add(probe.start, probe.known_to, probe.records);
    report(known, *pages);

    // Nothing is asked from the range's end itself: its records belong to the next range.
    let end = range.end();
    let mut in_flight = FuturesUnordered::new();
    // Requests in flight: start -> where its page is expected to end.
    let mut asked: BTreeMap<i64, i64> = BTreeMap::new();
    // Where the next request ahead starts: a spacing after the previous one.
    let mut ahead = probe_known_to;
    loop {
        if opts.cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        while in_flight.len() < width.now {
            // First a stretch behind that no answer covered (the data was denser than expected),
            // then the next one ahead.
            let (start, expected_end) =
                match gap_before(known, &asked, range.begin(), ahead.min(end)) {
                    // One request for the whole gap: its page runs on until it is full.
                    Some(gap) => gap,
                    None => {
                        let next = known.unknown_from(ahead);
                        if next >= end {
                            break;
                        }
                        ahead = next.saturating_add(spacing);
                        (next, next.saturating_add(span_of(spacing)))
                    }
                };
            asked.insert(start, expected_end);
            in_flight.push(ask::<T>(client, imei, start, range));
        }
        let Some(answer) = (tokio::select! {
            biased;
            _ = opts.cancel.cancelled() => return Err(Error::Cancelled),
            a = in_flight.next() => a,
        }) else {
            break;
        };
        let answer = answer?;
        asked.remove(&answer.start);
        *pages += 1;
        width.answered(answer.throttled, max_width);
        // A full page on one second says nothing about the density around it.
        if answer.full && answer.known_to > answer.start + 1 {
            spacing = spacing_of(&answer);
        }
        known.add(answer.start, answer.known_to, answer.records);
        report(known, *pages);
    }
    Ok(())
}

/// The first stretch before `ahead` that is neither known nor expected from a request in flight:
/// its start, and where the next request in flight (or `ahead`) begins.
fn gap_before<T: HistoryRecord>(
    known: &Known<T>,
    asked: &BTreeMap<i64, i64>,
    from: i64,
    ahead: i64,
) -> Option<(i64, i64)> {
    let mut t = known.unknown_from(from);
    while t < ahead {
        // The request in flight that started last at or before `t`, if its page should reach it.
        match asked.range(..=t).next_back().filter(|(_, end)| **end > t) {
            Some((_, end)) => t = known.unknown_from(*end),
            None => {
                let until = asked
                    .range(t + 1..)
                    .next()
                    .map_or(ahead, |(start, _)| (*start).min(ahead));
                return Some((t, until));
            }
        }
    }
    None
}

/// The span of a full page at the density that gave `spacing`.
fn span_of(spacing: i64) -> i64 {
    ((spacing as f64 / PAGE_SHARE).ceil() as i64).max(1)
}

/// How far apart requests start after `answer`: 90% of the span a full page covered.
fn spacing_of<T: HistoryRecord>(answer: &Answer<T>) -> i64 {
    let span = (answer.known_to - answer.start).max(1);
    ((span as f64 * PAGE_SHARE) as i64).max(1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::PlaybackPoint;

    fn p(t: i64) -> PlaybackPoint {
        PlaybackPoint {
            longitude: 114.0,
            latitude: 22.5,
            gpstime: t,
            speed: 0.0,
            course: 0.0,
        }
    }

    #[test]
    fn overlapping_answers_add_each_record_once_in_order() {
        let mut k = Known::<PlaybackPoint>::new();
        k.add(10, 20, (10..20).map(p).collect());
        k.add(15, 30, (15..30).map(p).collect());
        k.add(0, 12, (0..12).map(p).collect());
        assert_eq!(k.unknown_from(0), 30);
        let times: Vec<i64> = k.into_records().iter().map(|r| r.gpstime).collect();
        assert_eq!(times, (0..30).collect::<Vec<_>>());
    }

    #[test]
    fn a_gap_stays_unknown_until_an_answer_covers_it() {
        let mut k = Known::<PlaybackPoint>::new();
        k.add(0, 10, (0..10).map(p).collect());
        k.add(20, 30, (20..30).map(p).collect());
        assert_eq!(k.unknown_from(0), 10);
        assert_eq!(k.unknown_from(25), 30);
        assert_eq!(k.covered_secs(100), 20);
        k.add(5, 40, (5..40).map(p).collect());
        assert_eq!(k.unknown_from(0), 40);
        assert_eq!(k.records(), 40);
    }

    #[test]
    fn identical_records_stored_twice_survive() {
        let mut k = Known::<PlaybackPoint>::new();
        k.add(0, 10, vec![p(3), p(3), p(4)]);
        k.add(0, 10, vec![p(3), p(3), p(4)]);
        assert_eq!(k.into_records().len(), 3);
    }

    #[test]
    fn the_width_halves_on_10009_and_grows_back_slowly() {
        let mut w = Width::new(8);
        assert_eq!(w.now, START_WIDTH);
        w.answered(true, 8);
        assert_eq!(w.now, START_WIDTH / 2);
        w.answered(true, 8);
        w.answered(true, 8);
        assert_eq!(w.now, 1);
        w.answered(true, 8);
        assert_eq!(w.now, 1, "never below one");
        for _ in 0..GROW_AFTER {
            w.answered(false, 8);
        }
        assert_eq!(w.now, 2, "one more after {GROW_AFTER} calm answers");
        for _ in 0..100 * GROW_AFTER {
            w.answered(false, 8);
        }
        assert_eq!(w.now, 8, "up to the cap");
    }
}
