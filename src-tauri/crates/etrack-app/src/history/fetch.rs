//! Fetching through the store: the provider is asked only for what is missing, what comes back
//! is stored with the span it covers, and the whole range is read back from the store.

use super::intervals::{self, Span};
use super::store::HistoryStore;
use super::{HistoryError, Kind, RECENT_SECS};
use crate::error::{AppError, AppResult};
use etrack::{Alarm, Client, FetchOptions, Imei, PlaybackPoint, Progress, TimeRange};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A range served through the store.
#[derive(Debug)]
pub struct Stored<T> {
    /// Everything stored for the range after the fetch, ascending (points by gpstime, one per
    /// second; alarms by system time).
    pub records: Vec<T>,
    /// Why part of the range could not be fetched (offline, refused, cancelled): `records` then
    /// holds only what is stored, and `unfetched` says which stretches are not.
    pub error: Option<AppError>,
    /// The spans asked of the provider, half-open `[begin, end)`; empty when all was stored.
    pub asked: Vec<Span>,
    /// The spans of the range neither stored nor fetched now (empty when `error` is `None`).
    pub unfetched: Vec<Span>,
    /// Requests the provider answered.
    pub pages: u32,
}

impl<T> Stored<T> {
    /// Whether the whole range is in `records`.
    pub fn complete(&self) -> bool {
        self.error.is_none()
    }
}

/// What one fetch of a span brought.
struct Part<T> {
    records: Vec<T>,
    /// Seconds from the asked range's begin that `records` cover completely.
    covered_secs: i64,
    /// Whether the whole asked range (its end second included) is covered.
    complete: bool,
    pages: u32,
    error: Option<etrack::Error>,
}

type ProgressFn<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// A kind of record the store keeps, with the client call that fetches it.
trait Record: Sized + Send + 'static {
    const KIND: Kind;
    fn fetch<'a>(
        client: &'a Client,
        imei: &'a Imei,
        range: TimeRange,
        opts: &'a FetchOptions,
        progress: ProgressFn<'a>,
    ) -> BoxFuture<'a, Part<Self>>;
    fn put<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        covered: Span,
        records: Vec<Self>,
    ) -> BoxFuture<'a, Result<(), HistoryError>>;
    fn read<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        range: TimeRange,
    ) -> BoxFuture<'a, Result<Vec<Self>, HistoryError>>;
}

impl Record for PlaybackPoint {
    const KIND: Kind = Kind::Points;

    fn fetch<'a>(
        client: &'a Client,
        imei: &'a Imei,
        range: TimeRange,
        opts: &'a FetchOptions,
        progress: ProgressFn<'a>,
    ) -> BoxFuture<'a, Part<Self>> {
        Box::pin(async move {
            // Keeps the stretch fetched before a failure, so it is stored too.
            let f = client.playback_fetched(imei, range, opts, progress).await;
            Part {
                records: f.records,
                covered_secs: f.covered_secs,
                complete: f.error.is_none(),
                pages: f.pages,
                error: f.error,
            }
        })
    }

    fn put<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        covered: Span,
        records: Vec<Self>,
    ) -> BoxFuture<'a, Result<(), HistoryError>> {
        Box::pin(store.put_points_then(imei, covered, records, false))
    }

    fn read<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        range: TimeRange,
    ) -> BoxFuture<'a, Result<Vec<Self>, HistoryError>> {
        Box::pin(store.points(imei, range))
    }
}

impl Record for Alarm {
    const KIND: Kind = Kind::Alarms;

    fn fetch<'a>(
        client: &'a Client,
        imei: &'a Imei,
        range: TimeRange,
        opts: &'a FetchOptions,
        progress: ProgressFn<'a>,
    ) -> BoxFuture<'a, Part<Self>> {
        Box::pin(async move {
            let pages = AtomicU32::new(0);
            let report = |p: Progress| {
                pages.fetch_max(p.pages, Ordering::Relaxed);
                progress(p);
            };
            // The client keeps no partial alarm list: a failure stores nothing of this span.
            match client.alarms_with(imei, range, opts, &report).await {
                Ok(records) => Part {
                    records,
                    covered_secs: range.secs(),
                    complete: true,
                    pages: pages.load(Ordering::Relaxed),
                    error: None,
                },
                Err(e) => Part {
                    records: Vec::new(),
                    covered_secs: 0,
                    complete: false,
                    pages: pages.load(Ordering::Relaxed),
                    error: Some(e),
                },
            }
        })
    }

    fn put<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        covered: Span,
        records: Vec<Self>,
    ) -> BoxFuture<'a, Result<(), HistoryError>> {
        Box::pin(store.put_alarms_then(imei, covered, records, false))
    }

    fn read<'a>(
        store: &'a HistoryStore,
        imei: &'a Imei,
        range: TimeRange,
    ) -> BoxFuture<'a, Result<Vec<Self>, HistoryError>> {
        Box::pin(store.alarms(imei, range))
    }
}

impl HistoryStore {
    /// `imei`'s playback points over `range` (both ends included): the provider is asked (with
    /// `opts`, through the client's paging) only for the spans [`Self::missing`] names, what
    /// comes back is stored with the span it covers (only the stretch actually covered when a
    /// fetch stops early), and the whole range is read back from the store.
    ///
    /// `progress` gets the client's reports, scaled to the whole range (stored seconds count as
    /// covered; `records` counts fetched records only). A provider failure or a cancel is not an
    /// `Err`: the stored part comes back with [`Stored::error`]. `Err` means the store itself
    /// failed; then fetching straight from the provider is the fallback.
    pub async fn fetch_points(
        &self,
        client: &Client,
        imei: &Imei,
        range: TimeRange,
        now: i64,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> AppResult<Stored<PlaybackPoint>> {
        self.fetch_through::<PlaybackPoint>(client, imei, range, now, opts, progress)
            .await
    }

    /// [`Self::fetch_points`] for alarms (by system time). A span whose fetch fails stores
    /// nothing (the client keeps no partial alarm list).
    pub async fn fetch_alarms(
        &self,
        client: &Client,
        imei: &Imei,
        range: TimeRange,
        now: i64,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> AppResult<Stored<Alarm>> {
        self.fetch_through::<Alarm>(client, imei, range, now, opts, progress)
            .await
    }

    async fn fetch_through<T: Record>(
        &self,
        client: &Client,
        imei: &Imei,
        range: TimeRange,
        now: i64,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> AppResult<Stored<T>> {
        let want = intervals::span_of(range);
        // The stored days of this range are in use: a write below evicts other days first.
        self.touch(imei, want).await?;
        let gaps = self.missing(imei, T::KIND, range, now).await?;
        let total_secs = range.secs();
        let gap_secs: i64 = gaps.iter().map(|(b, e)| e - b).sum();
        let mut done_secs = (want.1 - want.0) - gap_secs;
        let mut pages = 0u32;
        let mut records = 0usize;
        let mut asked = Vec::new();
        let mut unfetched = Vec::new();
        let mut error = None;
        // Later uploads may still land in the recent hours: they are stored, never counted as
        // fetched.
        let settled = now.saturating_sub(RECENT_SECS);

        for (i, &(b, e)) in gaps.iter().enumerate() {
            if error.is_some() {
                unfetched.push((b, e));
                continue;
            }
            if opts.cancel.is_cancelled() {
                error = Some(etrack::Error::Cancelled);
                unfetched.extend_from_slice(&gaps[i..]);
                break;
            }
            // `[b, e)` asked as the range `[b, e - 1]` (the client's ranges include their end).
            let Ok(ask) = TimeRange::new(b, (e - 1).max(b + 1)) else {
                continue;
            };
            asked.push((b, e));
            let (pages_before, records_before, done_before) = (pages, records, done_secs);
            let report = move |p: Progress| {
                progress(Progress {
                    pages: pages_before + p.pages,
                    records: records_before + p.records,
                    covered_secs: (done_before + p.covered_secs).min(total_secs),
                    total_secs,
                });
            };
            let part = T::fetch(client, imei, ask, opts, &report).await;
            pages += part.pages;
            records += part.records.len();
            let covered_to = if part.complete {
                intervals::span_of(ask).1
            } else {
                b + part.covered_secs
            };
            done_secs += covered_to.min(e) - b;
            T::put(self, imei, (b, covered_to.min(settled)), part.records).await?;
            if let Some(err) = part.error {
                if covered_to < e {
                    unfetched.push((covered_to, e));
                }
                error = Some(err);
            }
        }

        let stored = T::read(self, imei, range).await?;
        if let Err(e) = self.enforce_limit().await {
            tracing::warn!("the stored history could not be trimmed to its limit: {e}");
        }
        progress(Progress {
            pages,
            records,
            covered_secs: done_secs.min(total_secs),
            total_secs,
        });
        let error = error.map(|e| match e {
            etrack::Error::Cancelled => AppError::Cancelled,
            e if stored.is_empty() => AppError::from(e),
            e => AppError::during("Showing only the stored part of the period: ", e, ""),
        });
        Ok(Stored {
            records: stored,
            error,
            asked,
            unfetched,
            pages,
        })
    }
}
