//! The endpoints of the Open API (spec 2.2 to 2.15) as methods of [`Client`].

use crate::adaptive::Fetched;
use crate::client::{Client, Request};
use crate::codes;
use crate::envelope::{decode_list, decode_object, is_empty_record, is_no_data};
use crate::error::{Error, Result};
use crate::history;
use crate::lenient;
use crate::model::*;
use crate::options::{CommandOptions, FetchOptions, Progress};
use crate::validate::{self, MAX_IMEIS_PER_REQUEST, MAX_MILEAGE_SECS};
use futures::{StreamExt, TryStreamExt};
use serde::Deserialize;
use std::collections::HashMap;

/// How many batch requests (track, detail, mileage) run at once.
const BATCH_CONCURRENCY: usize = 4;

impl Client {
    /// The latest position and status of each device (spec 2.2).
    ///
    /// More than 100 IMEIs are sent as several requests of at most 100, run concurrently; the
    /// result follows the caller's order (devices the provider does not report are left out).
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imeis: Vec<etrack::Imei> = vec!["358899051025339".parse()?];
    /// for t in client.track(&imeis).await? {
    ///     println!("{} at {},{} {} km/h", t.imei, t.latitude, t.longitude, t.speed);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn track(&self, imeis: &[Imei]) -> Result<Vec<Track>> {
        self.track_each(imeis).await?.or_first_error()
    }

    /// [`Self::track`], keeping the devices the provider would not answer for apart: a batch
    /// refused whole with 10013 (one IMEI is no longer the account's) is halved until the refused
    /// IMEIs are found, and the others are answered as usual.
    pub async fn track_each(&self, imeis: &[Imei]) -> Result<ByImei<Track>> {
        let mut each: ByImei<Track> = self.batched_by_imei("/api/track", imeis).await?;
        each.found = in_caller_order(each.found, imeis, |t| &t.imei);
        Ok(each)
    }

    /// The devices of `account` (spec 2.7), or of the signed-in account when `None`.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let devices = client.device_list(Some("demo-east")).await?;
    /// println!("{} devices", devices.len());
    /// # Ok(()) }
    /// ```
    pub async fn device_list(&self, account: Option<&str>) -> Result<Vec<Device>> {
        let params = optional_account(account);
        self.list(Request::get("/api/device/list", params), "device list")
            .await
    }

    /// The registration details of devices (spec 2.12), batched like [`Client::track`].
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let details = client.device_detail(&[imei]).await?;
    /// assert!(details.len() <= 1);
    /// # Ok(()) }
    /// ```
    pub async fn device_detail(&self, imeis: &[Imei]) -> Result<Vec<Device>> {
        self.device_detail_each(imeis).await?.or_first_error()
    }

    /// [`Self::device_detail`], keeping refused devices apart as [`Self::track_each`] does.
    pub async fn device_detail_each(&self, imeis: &[Imei]) -> Result<ByImei<Device>> {
        let mut each: ByImei<Device> = self.batched_by_imei("/api/device/detail", imeis).await?;
        each.found = in_caller_order(each.found, imeis, |d| &d.imei);
        Ok(each)
    }

    /// A device's positions in a period (spec 2.3), ascending, without page-boundary repeats.
    ///
    /// Same as [`Client::playback_with`] with default options and no progress reports. An empty
    /// history (an empty record or code 20023) is an empty list.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let range = etrack::TimeRange::new(1_700_000_000, 1_700_086_400)?;
    /// let points = client.playback(&imei, range).await?;
    /// assert!(points.windows(2).all(|w| w[0].gpstime <= w[1].gpstime));
    /// # Ok(()) }
    /// ```
    pub async fn playback(&self, imei: &Imei, range: TimeRange) -> Result<Vec<PlaybackPoint>> {
        self.playback_with(imei, range, &FetchOptions::default(), &|_| {})
            .await
    }

    /// A device's positions in a period, with options and progress reports.
    ///
    /// By default the fetch is adaptive: a first page over the whole range probes it (a range
    /// with less than a page costs that one request); the rest is asked for as open-ended pages
    /// starting about 90% of a page apart at the density seen, a sliding window of them in flight
    /// that halves on 10009. With `opts.window_secs` the range is cut into fixed windows instead.
    /// Pages hold 1000 records chained on the last record's gpstime, merged in order with the
    /// boundary repeats dropped. When more than 1000 records share one second, the spec's paging
    /// can reach only the first 1000 of them: those are kept and the fetch moves on.
    ///
    /// `progress` is called after each page and once at the end. Cancelling `opts.cancel` ends
    /// the fetch with [`Error::Cancelled`].
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let range = etrack::TimeRange::new(1_700_000_000, 1_700_604_800)?;
    /// let opts = etrack::FetchOptions::default();
    /// let stop = opts.cancel.clone(); // stop.cancel() from elsewhere ends the fetch
    /// let points = client
    ///     .playback_with(&imei, range, &opts, &|p| {
    ///         println!("{:.0}% ({} points)", p.fraction() * 100.0, p.records)
    ///     })
    ///     .await?;
    /// # drop((stop, points)); Ok(()) }
    /// ```
    pub async fn playback_with(
        &self,
        imei: &Imei,
        range: TimeRange,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Vec<PlaybackPoint>> {
        history::fetch(self, imei, range, opts, progress).await
    }

    /// [`Self::playback_with`] (adaptive), keeping what was fetched before a failure or a cancel:
    /// the points of the stretch known from the range's begin, with the error that ended it.
    pub async fn playback_fetched(
        &self,
        imei: &Imei,
        range: TimeRange,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Fetched<PlaybackPoint> {
        crate::adaptive::fetch_partial(self, imei, range, opts, progress).await
    }

    /// A device's alarms in a period (spec 2.8), ascending by system time.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let range = etrack::TimeRange::new(1_700_000_000, 1_700_086_400)?;
    /// for a in client.alarms(&imei, range).await? {
    ///     println!("{} {}", a.systemtime, a.alarm_type.name());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn alarms(&self, imei: &Imei, range: TimeRange) -> Result<Vec<Alarm>> {
        self.alarms_with(imei, range, &FetchOptions::default(), &|_| {})
            .await
    }

    /// A device's alarms with options and progress: pages of 100 chained on the last record's
    /// system time, fetched adaptively as playback is ([`Self::playback_with`]). Empty histories (an
    /// empty record or 20023) are an empty list.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let range = etrack::TimeRange::new(1_700_000_000, 1_702_592_000)?;
    /// let opts = etrack::FetchOptions { concurrency: 2, ..Default::default() };
    /// let alarms = client.alarms_with(&imei, range, &opts, &|p| println!("{} pages", p.pages)).await?;
    /// # drop(alarms); Ok(()) }
    /// ```
    pub async fn alarms_with(
        &self,
        imei: &Imei,
        range: TimeRange,
        opts: &FetchOptions,
        progress: &(dyn Fn(Progress) + Send + Sync),
    ) -> Result<Vec<Alarm>> {
        history::fetch(self, imei, range, opts, progress).await
    }

    /// Kilometres driven per device in a period (spec 2.14): one entry per distinct IMEI, in the
    /// caller's order (`None` when the provider reports nothing for it: no data, not 0 km).
    ///
    /// `range.begin()` and `range.end()` must be multiples of 1800 s (:00 or :30), else
    /// [`Error::Validation`] and nothing is sent. Periods over 7 days and lists over 100 IMEIs are
    /// split into requests (run concurrently) and summed.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let range = etrack::TimeRange::new(1_631_721_600, 1_631_721_600 + 30 * 86_400)?;
    /// let km = client.mileage(&[imei], range).await?;
    /// println!("{:?} km", km[0].mileage);
    /// # Ok(()) }
    /// ```
    pub async fn mileage(&self, imeis: &[Imei], range: TimeRange) -> Result<Vec<Mileage>> {
        validate::mileage_range(range)?;
        let imeis = distinct(imeis);
        if imeis.is_empty() {
            return Ok(Vec::new());
        }
        let mut jobs = Vec::new();
        for (begin, end) in history::windows(range, MAX_MILEAGE_SECS) {
            for chunk in imeis.chunks(MAX_IMEIS_PER_REQUEST) {
                jobs.push((begin, end, join_imeis(chunk)));
            }
        }
        let parts: Vec<Vec<Mileage>> = futures::stream::iter(jobs)
            .map(|(begin, end, imeis)| async move {
                let params = vec![
                    ("imeis", imeis),
                    ("begintime", begin.to_string()),
                    ("endtime", end.to_string()),
                ];
                self.list(Request::get("/api/device/mileage", params), "mileage")
                    .await
            })
            // In order, so the sums add up the same way every time.
            .buffered(BATCH_CONCURRENCY)
            .try_collect()
            .await?;
        // A device the provider leaves out of every window (or reports without a figure) has no
        // data; one it reports in some windows has the sum of those.
        let mut km: HashMap<String, f64> = HashMap::new();
        for m in parts.into_iter().flatten() {
            if let Some(v) = m.mileage {
                *km.entry(m.imei).or_insert(0.0) += v;
            }
        }
        Ok(imeis
            .iter()
            .map(|i| Mileage {
                imei: i.as_str().to_owned(),
                mileage: km.get(i.as_str()).copied(),
            })
            .collect())
    }

    /// Creates a circular geofence (spec 2.4). A write: sent once; after an ambiguous failure
    /// (time-out, HTTP 5xx) it is not sent again, so check before retrying by hand.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// use etrack::{GeofenceAlarm, GeofenceRequest, Radius};
    /// client.create_geofence(&GeofenceRequest {
    ///     imei: "358899051025339".parse()?,
    ///     name: "depot".into(),
    ///     alarm: GeofenceAlarm::Both,
    ///     longitude: 113.97196,
    ///     latitude: 22.56861,
    ///     radius: Radius::new(300)?,
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_geofence(&self, req: &GeofenceRequest) -> Result<()> {
        req.validate()?;
        let params = vec![
            ("imei", req.imei.as_str().to_owned()),
            ("efencename", req.name.trim().to_owned()),
            ("alarmtype", req.alarm.code().to_string()),
            ("longitude", req.longitude.to_string()),
            ("latitude", req.latitude.to_string()),
            ("radius", req.radius.metres().to_string()),
        ];
        self.call(&Request::write("/api/geofence/create", params))
            .await
            .map(drop)
    }

    /// Sends a command to a device (spec 2.5) and returns the command id to query. A write: never
    /// sent twice by the client.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let id = client.send_command(&imei, &etrack::Command::LockDoor).await?;
    /// let status = client.query_command(&id).await?;
    /// println!("answered: {}", status.responded());
    /// # Ok(()) }
    /// ```
    pub async fn send_command(&self, imei: &Imei, cmd: &Command) -> Result<String> {
        #[derive(Deserialize)]
        struct Sent {
            #[serde(default, deserialize_with = "lenient::string")]
            commandid: String,
        }
        let wire = cmd.wire().trim();
        if wire.is_empty() {
            return Err(Error::validation("the command is empty"));
        }
        let params = vec![
            ("imei", imei.as_str().to_owned()),
            ("command", wire.to_owned()),
        ];
        let record = self
            .call(&Request::write("/api/command/send", params))
            .await?;
        let sent: Sent = decode_object(record, "command send")?;
        if sent.commandid.trim().is_empty() {
            return Err(Error::Decode(
                "command send: the reply has no commandid".to_owned(),
            ));
        }
        Ok(sent.commandid)
    }

    /// The state of a sent command (spec 2.6). An empty record reads as "no answer yet".
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let status = client.query_command("1B454").await?;
    /// if status.responded() { println!("{}", status.response); }
    /// # Ok(()) }
    /// ```
    pub async fn query_command(&self, command_id: &str) -> Result<CommandStatus> {
        let id = command_id.trim();
        if id.is_empty() {
            return Err(Error::validation("the command id is empty"));
        }
        let params = vec![("commandid", id.to_owned())];
        let record = self
            .call(&Request::post_read("/api/command/query", params))
            .await?;
        if is_empty_record(&record) {
            return Ok(CommandStatus {
                response: String::new(),
                commandstatus: 0,
            });
        }
        decode_object(record, "command query")
    }

    /// Sends a command, then polls its state up to `opts.max_polls` times, `opts.poll_interval`
    /// apart, until the device answers. `on_poll(n)` is called before the n-th poll (1-based).
    ///
    /// The command is sent once. Cancelling `opts.cancel` stops the polling with
    /// [`Error::Cancelled`] (the command stays sent). A poll that fails on the network is counted
    /// and polling goes on; if the last poll failed so, that error is returned. A provider error
    /// while polling ends the run with that error.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// use etrack::{Command, CommandOptions, CommandOutcome};
    /// let imei: etrack::Imei = "358899051025339".parse()?;
    /// let (id, outcome) = client
    ///     .run_command(&imei, &Command::StopEngine, &CommandOptions::default(), &|n| {
    ///         eprintln!("waiting for the device ({n}/30)")
    ///     })
    ///     .await?;
    /// match outcome {
    ///     CommandOutcome::Responded(text) => println!("{id}: {text}"),
    ///     CommandOutcome::TimedOut => println!("{id}: timed out"),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn run_command(
        &self,
        imei: &Imei,
        cmd: &Command,
        opts: &CommandOptions,
        on_poll: &(dyn Fn(u32) + Send + Sync),
    ) -> Result<(String, CommandOutcome)> {
        if opts.cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let id = self.send_command(imei, cmd).await?;
        let mut last_failure = None;
        for n in 1..=opts.max_polls {
            let polled = async {
                tokio::time::sleep(opts.poll_interval).await;
                on_poll(n);
                self.query_command(&id).await
            };
            let status = tokio::select! {
                biased;
                _ = opts.cancel.cancelled() => return Err(Error::Cancelled),
                status = polled => status,
            };
            match status {
                Ok(s) if s.responded() => {
                    return Ok((id, CommandOutcome::Responded(s.response)));
                }
                Ok(_) => last_failure = None,
                Err(e @ (Error::Network { .. } | Error::Http { .. } | Error::Decode(_))) => {
                    tracing::debug!(command = %id, poll = n, error = %e, "poll failed");
                    last_failure = Some(e);
                }
                Err(e) => return Err(e),
            }
        }
        match last_failure {
            Some(e) => Err(e),
            None => Ok((id, CommandOutcome::TimedOut)),
        }
    }

    /// An account's details (spec 2.11).
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// let me = client.user_info(client.account()).await?;
    /// println!("{} ({})", me.username, me.role_words());
    /// # Ok(()) }
    /// ```
    pub async fn user_info(&self, account: &str) -> Result<UserInfo> {
        let account = validate::account(account)?;
        let params = vec![("account", account.to_owned())];
        let record = self.call(&Request::get("/api/user/info", params)).await?;
        decode_object(record, "user info")
    }

    /// The sub-accounts of `account` (spec 2.15), or of the signed-in account when `None`.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// for u in client.user_list(None).await? {
    ///     println!("{} blocked={}", u.account, u.is_blocked());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn user_list(&self, account: Option<&str>) -> Result<Vec<UserInfo>> {
        let params = optional_account(account);
        self.list(Request::get("/api/user/list", params), "user list")
            .await
    }

    /// Blocks an account (spec 2.9). A write: never sent twice by the client.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// client.block_user("demo-east").await?;
    /// # Ok(()) }
    /// ```
    pub async fn block_user(&self, account: &str) -> Result<()> {
        let account = validate::account(account)?;
        let params = vec![("account", account.to_owned())];
        self.call(&Request::write("/api/user/block", params))
            .await
            .map(drop)
    }

    /// Unblocks an account (spec 2.10). A write: never sent twice by the client.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// client.unblock_user("demo-east").await?;
    /// # Ok(()) }
    /// ```
    pub async fn unblock_user(&self, account: &str) -> Result<()> {
        let account = validate::account(account)?;
        let params = vec![("account", account.to_owned())];
        self.call(&Request::write("/api/user/unblock", params))
            .await
            .map(drop)
    }

    /// Sends a message to 1 to 200 accounts (spec 2.13); the text has at most 300 characters.
    /// Anything else is [`Error::Validation`] and nothing is sent. A write: never sent twice.
    ///
    /// ```no_run
    /// # async fn demo(client: etrack::Client) -> etrack::Result<()> {
    /// client.send_message(&["demo-east".into(), "demo-west".into()], "Service at 9:00").await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_message(&self, accounts: &[String], content: &str) -> Result<()> {
        validate::message(accounts, content)?;
        let to: Vec<&str> = accounts.iter().map(|a| a.trim()).collect();
        let params = vec![("accounts", to.join(",")), ("content", content.to_owned())];
        self.call(&Request::write("/api/message/send", params))
            .await
            .map(drop)
    }

    /// A read whose record is a list; "no data" is an empty list.
    async fn list<T: serde::de::DeserializeOwned>(
        &self,
        req: Request<'_>,
        what: &str,
    ) -> Result<Vec<T>> {
        match self.call(&req).await {
            Ok(record) => decode_list(record, what),
            Err(e) if is_no_data(&e) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Runs an `imeis=` read in batches of at most 100, concurrently.
    async fn batched_by_imei<T: serde::de::DeserializeOwned + Send>(
        &self,
        path: &'static str,
        imeis: &[Imei],
    ) -> Result<ByImei<T>> {
        // The batches are built up front: a stream over borrowed chunks makes the future fail the
        // `Send` check of `tokio::spawn` (a higher-ranked lifetime rustc cannot prove).
        let batches: Vec<Vec<Imei>> = distinct(imeis)
            .chunks(MAX_IMEIS_PER_REQUEST)
            .map(<[Imei]>::to_vec)
            .collect();
        let parts: Vec<ByImei<T>> = futures::stream::iter(batches)
            .map(|batch| self.batch_bisecting(path, batch))
            .buffered(BATCH_CONCURRENCY)
            .try_collect()
            .await?;
        let mut all = ByImei {
            found: Vec::new(),
            refused: Vec::new(),
        };
        for part in parts {
            all.found.extend(part.found);
            all.refused.extend(part.refused);
        }
        Ok(all)
    }

    /// One batch; when the provider refuses it whole with 10013, its halves are asked for in turn
    /// until each refused IMEI stands alone.
    async fn batch_bisecting<T: serde::de::DeserializeOwned + Send>(
        &self,
        path: &'static str,
        batch: Vec<Imei>,
    ) -> Result<ByImei<T>> {
        let mut each = ByImei {
            found: Vec::new(),
            refused: Vec::new(),
        };
        let mut todo = vec![batch];
        while let Some(part) = todo.pop() {
            let params = vec![("imeis", join_imeis(&part))];
            match self.list(Request::get(path, params), path).await {
                Ok(found) => each.found.extend(found),
                Err(e) if e.api_code() == Some(codes::IMEI_NOT_AUTHORIZED) => {
                    if let [one] = part.as_slice() {
                        tracing::info!("{path}: the provider refuses {one}: {e}");
                        each.refused.push((one.clone(), e));
                    } else {
                        let (a, b) = part.split_at(part.len() / 2);
                        todo.push(b.to_vec());
                        todo.push(a.to_vec());
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(each)
    }
}

/// The answers of a per-device request: the devices answered for, and those the provider
/// refused (10013: no longer the account's), each with its error.
#[derive(Debug)]
pub struct ByImei<T> {
    /// The answers, in the caller's order.
    pub found: Vec<T>,
    /// The refused devices.
    pub refused: Vec<(Imei, Error)>,
}

impl<T> ByImei<T> {
    /// The answers; when every device was refused, the first refusal as the error (what a batch
    /// of one gave before refusals were kept apart).
    pub fn or_first_error(self) -> Result<Vec<T>> {
        match (self.found.is_empty(), self.refused.into_iter().next()) {
            (true, Some((_, e))) => Err(e),
            _ => Ok(self.found),
        }
    }
}

fn optional_account(account: Option<&str>) -> Vec<(&'static str, String)> {
    match account.map(str::trim) {
        Some(a) if !a.is_empty() => vec![("account", a.to_owned())],
        _ => Vec::new(),
    }
}

fn distinct(imeis: &[Imei]) -> Vec<Imei> {
    let mut seen = std::collections::HashSet::new();
    imeis
        .iter()
        .filter(|i| seen.insert(i.as_str()))
        .cloned()
        .collect()
}

fn join_imeis(imeis: &[Imei]) -> String {
    imeis.iter().map(Imei::as_str).collect::<Vec<_>>().join(",")
}

/// Orders `items` as the caller listed the IMEIs; items for IMEIs not asked for go last.
fn in_caller_order<T>(mut items: Vec<T>, imeis: &[Imei], key: impl Fn(&T) -> &String) -> Vec<T> {
    let mut rank: HashMap<&str, usize> = HashMap::new();
    for (i, imei) in imeis.iter().enumerate() {
        rank.entry(imei.as_str()).or_insert(i);
    }
    items.sort_by_key(|item| rank.get(key(item).trim()).copied().unwrap_or(usize::MAX));
    items
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// Tauri commands and the live poller run calls in `tokio::spawn`: this fails to compile if a
    /// call's future is not `Send + 'static` once its arguments are owned.
    #[allow(dead_code)]
    fn every_call_can_be_spawned(c: Client, i: Imei, r: TimeRange, g: GeofenceRequest) {
        let all = vec![i.clone()];
        let acc = vec!["a".to_owned()];
        // The names are passed in so the call's tokens see the owned clones (macro hygiene).
        macro_rules! spawn {
            (|$c:ident, $i:ident, $g:ident, $all:ident, $acc:ident| $call:expr) => {{
                let ($c, $i, $g, $all, $acc) =
                    (c.clone(), i.clone(), g.clone(), all.clone(), acc.clone());
                drop(tokio::spawn(async move {
                    let _ = (&$i, &$g, &$all, &$acc);
                    let _ = $call.await;
                }));
            }};
        }
        spawn!(|c, i, g, all, acc| c.authorize());
        spawn!(|c, i, g, all, acc| c.track(&all));
        spawn!(|c, i, g, all, acc| c.device_list(None));
        spawn!(|c, i, g, all, acc| c.device_detail(&all));
        spawn!(|c, i, g, all, acc| c.playback(&i, r));
        spawn!(|c, i, g, all, acc| c.playback_with(&i, r, &FetchOptions::default(), &|_| {}));
        spawn!(|c, i, g, all, acc| c.alarms(&i, r));
        spawn!(|c, i, g, all, acc| c.alarms_with(&i, r, &FetchOptions::default(), &|_| {}));
        spawn!(|c, i, g, all, acc| c.mileage(&all, r));
        spawn!(|c, i, g, all, acc| c.create_geofence(&g));
        spawn!(|c, i, g, all, acc| c.send_command(&i, &Command::Reset));
        spawn!(|c, i, g, all, acc| c.query_command("1"));
        spawn!(|c, i, g, all, acc| c.run_command(
            &i,
            &Command::Reset,
            &CommandOptions::default(),
            &|_| {}
        ));
        spawn!(|c, i, g, all, acc| c.user_info("x"));
        spawn!(|c, i, g, all, acc| c.user_list(None));
        spawn!(|c, i, g, all, acc| c.block_user("x"));
        spawn!(|c, i, g, all, acc| c.unblock_user("x"));
        spawn!(|c, i, g, all, acc| c.send_message(&acc, "hi"));
    }

    #[test]
    fn results_follow_the_callers_order() {
        let imeis: Vec<Imei> = ["300000000000003", "100000000000001", "200000000000002"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let got = vec![
            "100000000000001".to_owned(),
            "999999999999999".to_owned(),
            "200000000000002".to_owned(),
            "300000000000003".to_owned(),
        ];
        let ordered = in_caller_order(got, &imeis, |s| s);
        assert_eq!(
            ordered,
            [
                "300000000000003",
                "100000000000001",
                "200000000000002",
                "999999999999999"
            ]
        );
    }

    #[test]
    fn batches_hold_at_most_100_distinct_imeis() {
        let imeis: Vec<Imei> = (0..250)
            .map(|i| {
                format!("{:015}", 100_000_000_000_000u64 + i % 230)
                    .parse()
                    .unwrap()
            })
            .collect();
        let d = distinct(&imeis);
        assert_eq!(d.len(), 230);
        let sizes: Vec<usize> = d.chunks(MAX_IMEIS_PER_REQUEST).map(<[Imei]>::len).collect();
        assert_eq!(sizes, [100, 100, 30]);
        assert_eq!(join_imeis(&d[..2]).matches(',').count(), 1);
    }
}
