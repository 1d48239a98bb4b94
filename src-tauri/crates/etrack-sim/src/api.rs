//! The fifteen endpoints: parameters in, `record` or an error code out.

use crate::accounts::{role, Account, TokenError};
use crate::alarms::{self, Fence};
use crate::fleet::{DeviceSpec, Status};
use crate::history::{Point, Source};
use crate::state::{in_scope, CommandEntry, Shared};
use crate::timeline::{cut_periods, Timeline};
use crate::{SimGeofence, SimMessage};
use etrack::codes;
use serde::Serialize;
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;

/// `Ok(record)` (None: no `record` key) or an error code of the spec's chapter 3.
pub type ApiResult = Result<Option<Json>, i64>;

/// A serialised `record`, fields in the order they were declared (the spec's order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Json(pub String);

/// `Ok(record)`.
fn record(v: impl Serialize) -> ApiResult {
    // The record types here always serialise; `null` would only show a bug.
    Ok(Some(Json(
        serde_json::to_string(&v).unwrap_or_else(|_| "null".to_owned()),
    )))
}

/// Most playback records in one reply.
pub const PLAYBACK_PAGE: usize = 1000;
/// Most alarm records in one reply.
pub const ALARM_PAGE: usize = 100;
/// Most IMEIs in one track, detail or mileage request.
pub const MAX_IMEIS: usize = 100;
/// Most devices in a device list.
pub const MAX_DEVICES: usize = 500;
/// Most users in a user list.
pub const MAX_USERS: usize = 500;
/// Longest message, characters.
pub const MAX_MESSAGE_CHARS: usize = 300;
/// Most recipients of one message.
pub const MAX_RECIPIENTS: usize = 200;
/// Longest mileage period, seconds.
pub const MAX_MILEAGE_SPAN: i64 = 7 * 86_400;

/// Which HTTP method each endpoint takes (spec chapter 2).
pub fn method_of(path: &str) -> Option<&'static str> {
    Some(match path {
        "/api/authorization"
        | "/api/track"
        | "/api/playback"
        | "/api/device/list"
        | "/api/alarm/list"
        | "/api/user/info"
        | "/api/device/detail"
        | "/api/device/mileage"
        | "/api/user/list" => "GET",
        "/api/geofence/create"
        | "/api/command/send"
        | "/api/command/query"
        | "/api/user/block"
        | "/api/user/unblock"
        | "/api/message/send" => "POST",
        _ => return None,
    })
}

/// Request parameters from the query string and the form body, in that order.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A required parameter: missing or blank gives 10005.
    fn req(&self, name: &str) -> Result<&str, i64> {
        match self.get(name).map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(codes::MISSING_PARAMETER),
        }
    }

    fn int(&self, name: &str) -> Result<i64, i64> {
        self.req(name)?.parse().map_err(|_| codes::PARAMETER_ERROR)
    }

    fn float(&self, name: &str) -> Result<f64, i64> {
        let v: f64 = self
            .req(name)?
            .parse()
            .map_err(|_| codes::PARAMETER_ERROR)?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(codes::PARAMETER_ERROR)
        }
    }

    /// A comma-separated list of at most `max` items (10006 beyond), repeats dropped.
    fn list(&self, name: &str, max: usize) -> Result<Vec<&str>, i64> {
        let items: Vec<&str> = self
            .req(name)?
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            return Err(codes::MISSING_PARAMETER);
        }
        if items.len() > max {
            return Err(codes::OUT_OF_RANGE);
        }
        let mut out: Vec<&str> = Vec::with_capacity(items.len());
        for item in items {
            if !out.contains(&item) {
                out.push(item);
            }
        }
        Ok(out)
    }
}

/// Unix time now.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Answers one request to a known endpoint.
pub fn handle(sh: &Shared, path: &str, p: &Params) -> ApiResult {
    if path == "/api/authorization" {
        return authorization(sh, p);
    }
    let acct = authenticate(sh, p)?;
    match path {
        "/api/track" => track(sh, &acct, p),
        "/api/playback" => playback(sh, &acct, p),
        "/api/geofence/create" => geofence_create(sh, &acct, p),
        "/api/command/send" => command_send(sh, &acct, p),
        "/api/command/query" => command_query(sh, &acct, p),
        "/api/device/list" => device_list(sh, &acct, p),
        "/api/alarm/list" => alarm_list(sh, &acct, p),
        "/api/user/block" => set_blocked(sh, &acct, p, true),
        "/api/user/unblock" => set_blocked(sh, &acct, p, false),
        "/api/user/info" => user_info(sh, &acct, p),
        "/api/device/detail" => device_detail(sh, &acct, p),
        "/api/message/send" => message_send(sh, &acct, p),
        "/api/device/mileage" => mileage(sh, &acct, p),
        "/api/user/list" => user_list(sh, &acct, p),
        _ => Err(codes::UNKNOWN_REQUEST),
    }
}

fn authorization(sh: &Shared, p: &Params) -> ApiResult {
    let time = p.req("time")?;
    let account = p.req("account")?;
    let signature = p.req("signature")?;
    let time: i64 = time.parse().map_err(|_| codes::PARAMETER_ERROR)?;
    // The client signs with its real clock, whatever the simulated clock says.
    if time.abs_diff(now()) > sh.signature_window_secs.unsigned_abs() {
        return Err(codes::REQUEST_TIME_ERROR);
    }
    let lifetime = sh.knobs().token_lifetime;
    let mut inner = sh.inner();
    let acct = inner
        .account(account)
        .filter(|a| a.signature_ok(time, signature))
        .ok_or(codes::ACCOUNT_OR_PASSWORD_ERROR)?;
    if acct.blocked {
        return Err(codes::ACCOUNT_BLOCKED);
    }
    let name = acct.name.clone();
    let token = inner.tokens.issue(&name);
    inner.authorizations += 1;
    record(json!({
        "access_token": token,
        "expires_in": lifetime.as_secs(),
    }))
}

fn authenticate(sh: &Shared, p: &Params) -> Result<Account, i64> {
    let token = p
        .get("access_token")
        .ok_or(codes::MISSING_PARAMETER)?
        .trim();
    let lifetime = sh.knobs().token_lifetime;
    let inner = sh.inner();
    let name = inner.tokens.check(token, lifetime).map_err(|e| match e {
        TokenError::Unknown => codes::TOKEN_NOT_EXIST,
        TokenError::Replaced => codes::TOKEN_INVALID,
        TokenError::Expired => codes::TOKEN_EXPIRED,
    })?;
    let acct = inner.account(&name).ok_or(codes::TOKEN_NOT_EXIST)?;
    if acct.blocked {
        return Err(codes::ACCOUNT_BLOCKED);
    }
    Ok(acct.clone())
}

fn digits(imei: &str) -> bool {
    (10..=20).contains(&imei.len()) && imei.bytes().all(|b| b.is_ascii_digit())
}

/// The device `imei` as seen by `acct`: 10004 malformed, 20005 unknown, 10013 not its own.
fn device<'s>(sh: &'s Shared, acct: &Account, imei: &str) -> Result<&'s DeviceSpec, i64> {
    if !digits(imei) {
        return Err(codes::PARAMETER_ERROR);
    }
    let dev = sh.fleet.get(imei).ok_or(codes::TARGET_NOT_EXIST)?;
    if in_scope(acct.scope, dev) {
        Ok(dev)
    } else {
        Err(codes::IMEI_NOT_AUTHORIZED)
    }
}

/// Up to 100 distinct devices of `acct`; any IMEI that is not its own gives 10013.
fn devices<'s>(sh: &'s Shared, acct: &Account, p: &Params) -> Result<Vec<&'s DeviceSpec>, i64> {
    let imeis = p.list("imeis", MAX_IMEIS)?;
    if let Some(bad) = imeis.iter().find(|i| !digits(i)) {
        tracing::debug!("malformed IMEI {bad:?}");
        return Err(codes::PARAMETER_ERROR);
    }
    imeis
        .iter()
        .map(|i| match sh.fleet.get(i) {
            Some(d) if in_scope(acct.scope, d) => Ok(d),
            _ => Err(codes::IMEI_NOT_AUTHORIZED),
        })
        .collect()
}

/// What requests changed about one device, copied out of the lock.
struct DeviceState {
    cuts: Vec<(i64, bool)>,
    history: Option<Arc<Vec<Point>>>,
    defence: Option<i64>,
    fences: Vec<Fence>,
}

fn device_state(sh: &Shared, dev: &DeviceSpec) -> DeviceState {
    let inner = sh.inner();
    DeviceState {
        cuts: inner.relays.get(&dev.index).cloned().unwrap_or_default(),
        history: inner.histories.get(&dev.index).cloned(),
        defence: inner.defence.get(&dev.index).copied(),
        fences: inner
            .geofences
            .iter()
            .enumerate()
            .filter(|(_, g)| g.imei == dev.imei)
            .map(|(i, g)| Fence {
                id: i as i64 + 1,
                lon: g.longitude,
                lat: g.latitude,
                radius: g.radius as f64,
                alarm_type: g.alarm_type,
                created: g.created,
            })
            .collect(),
    }
}

/// A device record of spec 2.7 / 2.12, fields in the spec's order.
#[derive(Serialize)]
struct DeviceRecord<'a> {
    imei: &'a str,
    devicename: &'a str,
    devicetype: &'a str,
    platenumber: &'a str,
    onlinetime: i64,
    platformduetime: i64,
    simcard: &'a str,
    activatedtime: i64,
    userduetime: i64,
}

fn device_json(d: &DeviceSpec) -> DeviceRecord<'_> {
    DeviceRecord {
        imei: &d.imei,
        devicename: &d.name,
        devicetype: &d.model,
        platenumber: &d.plate,
        onlinetime: d.onlinetime,
        platformduetime: d.platformduetime,
        simcard: &d.sim,
        activatedtime: d.activatedtime,
        userduetime: d.userduetime,
    }
}

/// A track record of spec 2.2, fields in the spec's order.
#[derive(Serialize)]
struct TrackRecord<'a> {
    imei: &'a str,
    servertime: i64,
    gpstime: i64,
    hearttime: i64,
    systemtime: i64,
    longitude: f64,
    latitude: f64,
    course: i64,
    speed: i64,
    acctime: i64,
    accstatus: i64,
    doorstatus: i64,
    chargestatus: i64,
    oilpowerstatus: i64,
    defencestatus: i64,
    datastatus: i64,
    battery: i64,
    mileage: i64,
}

#[allow(clippy::too_many_arguments)]
fn track_record(
    dev: &DeviceSpec,
    now: i64,
    s: Option<(Point, i64)>,
    acc: i64,
    acctime: i64,
    door: i64,
    (battery, charge): (i64, i64),
    oil: i64,
    defence: i64,
    mileage: i64,
) -> TrackRecord<'_> {
    let (p, heart) = s.unwrap_or((
        Point {
            lon: 0.0,
            lat: 0.0,
            t: 0,
            speed: 0,
            course: 0,
        },
        0,
    ));
    TrackRecord {
        imei: &dev.imei,
        servertime: now,
        gpstime: p.t,
        hearttime: heart,
        systemtime: if p.t > 0 { p.t + dev.delay } else { 0 },
        longitude: p.lon,
        latitude: p.lat,
        course: p.course,
        speed: p.speed,
        acctime,
        accstatus: acc,
        doorstatus: door,
        chargestatus: charge,
        oilpowerstatus: oil,
        defencestatus: defence,
        datastatus: dev.status.datastatus(),
        battery,
        mileage,
    }
}

fn track_one<'d>(sh: &Shared, dev: &'d DeviceSpec, now: i64) -> TrackRecord<'d> {
    let st = device_state(sh, dev);
    let defence = if dev.battery_powered {
        -1
    } else {
        st.defence.unwrap_or(0)
    };
    let cuts = cut_periods(&st.cuts);
    let oil = if cuts.iter().any(|&(c, r)| c <= now && now < r) {
        0
    } else {
        1
    };
    if let Some(points) = &st.history {
        let i = points.partition_point(|p| p.t <= now);
        let last = points.get(i.saturating_sub(1)).or(points.last()).copied();
        let speed = last.map_or(0, |p| p.speed);
        return track_record(
            dev,
            now,
            last.map(|p| (p, p.t + dev.delay)),
            i64::from(speed > 0),
            0,
            -1,
            (100, 1),
            oil,
            defence,
            -1,
        );
    }
    let mut tl = Timeline::new(&sh.fleet, dev, &sh.cache, cuts);
    let Some((_, last)) = tl.available(now) else {
        return track_record(dev, now, None, -1, 0, -1, (-1, -1), -1, -1, -1);
    };
    let s = tl.sample(last);
    // A sleeping tracker (parked, off season) shows its last position with a recent heartbeat.
    let heart = tl.heart_time(now, last);
    let acctime = (heart - tl.acc_since(last)).max(0);
    let door = if dev.door_sensor {
        i64::from(s.door)
    } else {
        -1
    };
    let odometer = tl.odometer_m(last).round() as i64;
    track_record(
        dev,
        now,
        Some((Point::from(s), heart)),
        i64::from(s.acc),
        acctime,
        door,
        tl.battery(heart - dev.delay),
        oil,
        defence,
        odometer,
    )
}

fn track(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let devs = devices(sh, acct, p)?;
    let now = sh.now();
    let list: Vec<TrackRecord> = devs.iter().map(|d| track_one(sh, d, now)).collect();
    record(list)
}

fn period(p: &Params) -> Result<(i64, i64), i64> {
    let (begin, end) = (p.int("begintime")?, p.int("endtime")?);
    if begin > end || begin < 0 {
        return Err(codes::PARAMETER_ERROR);
    }
    Ok((begin, end))
}

fn playback(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let dev = device(sh, acct, p.req("imei")?)?;
    let (begin, end) = period(p)?;
    let st = device_state(sh, dev);
    let page = match &st.history {
        Some(points) => Source::Explicit(points).playback(begin, end, sh.now(), PLAYBACK_PAGE),
        None => {
            match dev.status {
                Status::NeverOnline => return Err(codes::NO_DATA),
                Status::Blocked { .. } => return Err(codes::DEVICE_BLOCKED),
                _ => {}
            }
            let tl = Timeline::new(&sh.fleet, dev, &sh.cache, cut_periods(&st.cuts));
            Source::Generated(tl).playback(begin, end, sh.now(), PLAYBACK_PAGE)
        }
    };
    let lines: Vec<String> = page.iter().map(Point::wire).collect();
    record(lines.join(";"))
}

fn alarm_list(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let dev = device(sh, acct, p.req("imei")?)?;
    let (begin, end) = period(p)?;
    let st = device_state(sh, dev);
    let seed = sh.fleet.seed;
    let page = match &st.history {
        Some(points) => alarms::page(
            &mut Source::Explicit(points),
            seed,
            dev.index,
            &st.fences,
            (begin, end),
            sh.now(),
            ALARM_PAGE,
        ),
        None => {
            if let Status::Blocked { .. } = dev.status {
                return Err(codes::DEVICE_BLOCKED);
            }
            let tl = Timeline::new(&sh.fleet, dev, &sh.cache, cut_periods(&st.cuts));
            alarms::page(
                &mut Source::Generated(tl),
                seed,
                dev.index,
                &st.fences,
                (begin, end),
                sh.now(),
                ALARM_PAGE,
            )
        }
    };
    let lines: Vec<String> = page.iter().map(alarms::Alarm::wire).collect();
    record(lines.join(";"))
}

fn geofence_create(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    if acct.role == role::VIRTUAL {
        return Err(codes::PERMISSION_DENIED);
    }
    let dev = device(sh, acct, p.req("imei")?)?;
    let name = p.req("efencename")?;
    let alarm_type = p.int("alarmtype")?;
    let lon = p.float("longitude")?;
    let lat = p.float("latitude")?;
    let radius = p.int("radius")?;
    if !(0..=2).contains(&alarm_type)
        || !(100..=5000).contains(&radius)
        || !(-180.0..=180.0).contains(&lon)
        || !(-90.0..=90.0).contains(&lat)
        || name.chars().count() > 100
    {
        return Err(codes::OUT_OF_RANGE);
    }
    if let Status::Blocked { .. } = dev.status {
        return Err(codes::DEVICE_BLOCKED);
    }
    sh.inner().geofences.push(SimGeofence {
        imei: dev.imei.clone(),
        name: name.to_owned(),
        alarm_type,
        longitude: lon,
        latitude: lat,
        radius,
        created: sh.now(),
    });
    Ok(None)
}

/// The commands a device understands, in the spec's spelling.
fn normalise_command(raw: &str) -> Option<&'static str> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    ["RELAY,1", "RELAY,0", "RESET", "LOCKDOOR", "UNLOCKDOOR"]
        .into_iter()
        .find(|c| *c == compact)
}

fn command_send(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    if acct.role == role::VIRTUAL {
        return Err(codes::PERMISSION_DENIED);
    }
    let dev = device(sh, acct, p.req("imei")?)?;
    let command = normalise_command(p.req("command")?).ok_or(codes::UNSUPPORTED_COMMAND)?;
    match dev.status {
        Status::Blocked { .. } => return Err(codes::DEVICE_BLOCKED),
        Status::Expired { .. } => return Err(codes::TARGET_EXPIRED),
        Status::NeverOnline | Status::Offline { .. } => return Err(codes::DEVICE_OFFLINE),
        Status::Ok => {}
    }
    let now = sh.now();
    let st = device_state(sh, dev);
    let mut tl = Timeline::new(&sh.fleet, dev, &sh.cache, cut_periods(&st.cuts));
    let speed = match (&st.history, tl.available(now)) {
        (Some(points), _) => {
            let i = points.partition_point(|p| p.t <= now);
            points.get(i.saturating_sub(1)).map_or(0, |p| p.speed)
        }
        (None, Some((_, last))) => tl.sample(last).speed,
        (None, None) => 0,
    };
    let cut = tl.is_cut(now);
    let mut inner = sh.inner();
    let reply = match command {
        "RELAY,1" => {
            if !cut {
                inner.relays.entry(dev.index).or_default().push((now, true));
            }
            format!("Cut off the fuel supply: Success! Speed: {speed}km/h.")
        }
        "RELAY,0" => {
            if cut {
                inner
                    .relays
                    .entry(dev.index)
                    .or_default()
                    .push((now, false));
            }
            "Restore fuel supply: Success!".to_owned()
        }
        "RESET" => "Reset Success! The device will restart.".to_owned(),
        "LOCKDOOR" => {
            inner.defence.insert(dev.index, 1);
            "Lock door: Success!".to_owned()
        }
        _ => {
            inner.defence.insert(dev.index, 0);
            "Unlock door: Success!".to_owned()
        }
    };
    let id = format!("{:X}", inner.next_command);
    inner.next_command += 1;
    inner.commands.insert(
        id.clone(),
        CommandEntry {
            account: acct.name.clone(),
            sent: Instant::now(),
            reply,
        },
    );
    record(json!({ "commandid": id }))
}

fn command_query(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let id = p.req("commandid")?;
    let inner = sh.inner();
    let c = inner
        .commands
        .get(id)
        .or_else(|| inner.commands.get(&id.to_ascii_uppercase()))
        .filter(|c| c.account == acct.name)
        .ok_or(codes::TARGET_NOT_EXIST)?;
    if c.sent.elapsed() >= sh.command_reply_delay {
        record(json!({ "response": c.reply, "commandstatus": 1 }))
    } else {
        record(json!({ "response": "", "commandstatus": 0 }))
    }
}

/// The account named by the optional parameter `name` (default: the caller), if the caller may see it.
fn target_account(sh: &Shared, acct: &Account, p: &Params, required: bool) -> Result<Account, i64> {
    let name = match p.get("account").map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => n,
        None if required => return Err(codes::MISSING_PARAMETER),
        None => acct.name.as_str(),
    };
    let inner = sh.inner();
    let target = inner.account(name).ok_or(codes::TARGET_NOT_EXIST)?;
    if inner.visible(&acct.name, name) {
        Ok(target.clone())
    } else {
        Err(codes::PERMISSION_DENIED)
    }
}

fn device_list(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let target = target_account(sh, acct, p, false)?;
    let list: Vec<DeviceRecord> = sh
        .fleet
        .devices
        .iter()
        .filter(|d| in_scope(target.scope, d))
        .take(MAX_DEVICES)
        .map(device_json)
        .collect();
    record(list)
}

fn device_detail(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let devs = devices(sh, acct, p)?;
    let list: Vec<DeviceRecord> = devs.into_iter().map(device_json).collect();
    record(list)
}

fn user_info(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    record(target_account(sh, acct, p, true)?.record())
}

fn user_list(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let target = target_account(sh, acct, p, false)?;
    let inner = sh.inner();
    let mut list = vec![target.record()];
    list.extend(
        inner
            .accounts
            .iter()
            .filter(|a| a.parent.as_deref() == Some(target.name.as_str()))
            .map(Account::record),
    );
    list.truncate(MAX_USERS);
    record(list)
}

fn set_blocked(sh: &Shared, acct: &Account, p: &Params, blocked: bool) -> ApiResult {
    if acct.role != role::DISTRIBUTOR {
        return Err(codes::PERMISSION_DENIED);
    }
    let name = p.req("account")?;
    let mut inner = sh.inner();
    if inner.account(name).is_none() {
        return Err(codes::TARGET_NOT_EXIST);
    }
    if name == acct.name || !inner.visible(&acct.name, name) {
        return Err(codes::PERMISSION_DENIED);
    }
    if let Some(a) = inner.accounts.iter_mut().find(|a| a.name == name) {
        a.blocked = blocked;
    }
    Ok(None)
}

fn message_send(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    if acct.role == role::VIRTUAL {
        return Err(codes::PERMISSION_DENIED);
    }
    let to = p.list("accounts", MAX_RECIPIENTS)?;
    let content = p.get("content").unwrap_or_default();
    if content.trim().is_empty() {
        return Err(codes::MISSING_PARAMETER);
    }
    if content.chars().count() > MAX_MESSAGE_CHARS {
        return Err(codes::OUT_OF_RANGE);
    }
    let mut inner = sh.inner();
    for name in &to {
        if inner.account(name).is_none() {
            return Err(codes::TARGET_NOT_EXIST);
        }
        if !inner.visible(&acct.name, name) {
            return Err(codes::PERMISSION_DENIED);
        }
    }
    inner.messages.push(SimMessage {
        from: acct.name.clone(),
        to: to.iter().map(|s| (*s).to_owned()).collect(),
        content: content.to_owned(),
    });
    Ok(None)
}

fn mileage(sh: &Shared, acct: &Account, p: &Params) -> ApiResult {
    let devs = devices(sh, acct, p)?;
    let (begin, end) = (p.int("begintime")?, p.int("endtime")?);
    if begin % 1800 != 0 || end % 1800 != 0 || begin >= end {
        return Err(codes::PARAMETER_ERROR);
    }
    if end.saturating_sub(begin) > MAX_MILEAGE_SPAN {
        return Err(codes::OUT_OF_RANGE);
    }
    let now = sh.now();
    let mut list = Vec::with_capacity(devs.len());
    for dev in devs {
        let st = device_state(sh, dev);
        let metres = match &st.history {
            Some(points) => Source::Explicit(points).mileage_m(begin, end, now),
            None => {
                let tl = Timeline::new(&sh.fleet, dev, &sh.cache, cut_periods(&st.cuts));
                Source::Generated(tl).mileage_m(begin, end, now)
            }
        };
        list.push(json!({
            "imei": dev.imei,
            "mileage": (metres / 10.0).round() / 100.0,
        }));
    }
    record(list)
}
