//! Commands to devices (engine stop and restore, reset, door locks) with a confirmation the
//! backend enforces.
//!
//! [`CommandDesk::prepare`] reads the vehicle's state from the provider, decides what the user must
//! confirm (for an engine stop of a moving vehicle: the typed plate) and issues a one-time
//! confirmation id. Only [`CommandDesk::confirm`] with that id sends, once, through
//! `etrack::Client::run_command`, which then polls for the device's reply. Whatever happens after
//! the send is appended to the [`AuditLog`]; nothing is ever re-sent automatically.

use crate::audit::{AuditEntry, AuditLog, AuditOutcome};
use crate::confirmations::Confirmations;
use crate::error::AppError;
use crate::gate::Gate;
use crate::host::Event;
use crate::live::now_ms;
use crate::session::SessionManager;
use etrack::{Client, Command, CommandOptions, CommandOutcome, Imei};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

/// A fix older than this does not count as "moving", whatever speed it reported.
pub const MOVING_FIX_MAX_AGE_SECS: i64 = 5 * 60;

/// The vehicle a command is for, as the provider reports it right now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VehicleState {
    /// The device's IMEI.
    pub imei: String,
    /// The device's name ("" when it has none).
    pub name: String,
    /// The licence plate ("" when it has none).
    pub plate: String,
    /// The last reported speed, km/h (`None` without a position).
    pub speed: Option<f64>,
    /// When the last GPS fix was taken, unix seconds (`None` without one).
    pub gps_time: Option<i64>,
    /// How old that fix is, seconds, by the provider's clock.
    pub fix_age_secs: Option<i64>,
    /// Speed above 0 on a fix under five minutes old.
    pub moving: bool,
    /// Whether it moves cannot be told: no speed, or the last fix is five minutes old or more.
    pub motion_unknown: bool,
    /// The ignition (ACC) is reported on: the engine may be running.
    pub acc_on: bool,
    /// The provider's connection state (`datastatus`: 2 online, 4 offline, ...), 0 when unknown.
    pub datastatus: i64,
}

impl VehicleState {
    /// "name · plate", or whichever exists, or the IMEI.
    pub fn label(&self) -> String {
        let parts: Vec<&str> = [self.name.trim(), self.plate.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if parts.is_empty() {
            self.imei.clone()
        } else {
            parts.join(" · ")
        }
    }

    /// The state of `imei` from its device record and latest track. The fix age is measured on
    /// the provider's clock (`servertime`) when it sent one, so a wrong clock on this computer
    /// cannot make a moving vehicle look parked.
    pub fn new(
        imei: &Imei,
        device: Option<&etrack::Device>,
        track: Option<&etrack::Track>,
        now_secs: i64,
    ) -> Self {
        let fix = track.filter(|t| t.gpstime > 0);
        let fix_age_secs = fix.map(|t| {
            let clock = if t.servertime > 0 {
                t.servertime
            } else {
                now_secs
            };
            clock.saturating_sub(t.gpstime).max(0)
        });
        let speed = fix.map(|t| t.speed);
        let moving = matches!((speed, fix_age_secs), (Some(s), Some(age)) if s > 0.0 && age < MOVING_FIX_MAX_AGE_SECS);
        let motion_unknown = !matches!(fix_age_secs, Some(age) if age < MOVING_FIX_MAX_AGE_SECS);
        Self {
            imei: imei.as_str().to_owned(),
            name: device
                .map(|d| d.devicename.trim().to_owned())
                .unwrap_or_default(),
            plate: device
                .map(|d| d.platenumber.trim().to_owned())
                .unwrap_or_default(),
            speed,
            gps_time: fix.map(|t| t.gpstime),
            fix_age_secs,
            moving,
            motion_unknown,
            acc_on: track.is_some_and(|t| t.accstatus == 1),
            datastatus: track.map(|t| t.datastatus).unwrap_or(0),
        }
    }
}

/// What the user must type to confirm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum TypedKind {
    /// The licence plate.
    Plate,
    /// The last four digits of the IMEI (the vehicle has no plate).
    ImeiLast4,
}

/// The text a confirmation needs typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MustType {
    /// What it is.
    pub kind: TypedKind,
    /// The text itself (case, spaces and dashes do not matter).
    pub text: String,
}

/// What a command will do, to whom, and what confirming it takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandPreview {
    /// Give this back to `command_confirm` (once, within `expiresInSecs`).
    pub confirmation_id: String,
    /// The command.
    pub command: Command,
    /// Its text on the wire, e.g. "RELAY,1".
    pub wire: String,
    /// Its name, e.g. "Stop engine".
    pub action: String,
    /// What will happen, in plain words.
    pub effect: String,
    /// A warning to show in red (a moving vehicle), if any.
    pub danger: Option<String>,
    /// Something else worth knowing before sending (e.g. the device is offline).
    pub note: Option<String>,
    /// The vehicle.
    pub vehicle: VehicleState,
    /// The text that must be typed to confirm, when one is needed.
    pub must_type: Option<MustType>,
    /// How long the confirmation id stays valid.
    pub expires_in_secs: u32,
    /// How many times the reply will be polled for, about a second apart.
    pub max_polls: u32,
}

/// Sent while waiting for a device's reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandProgress {
    /// The confirmation the command was sent with.
    pub confirmation_id: String,
    /// 0 while sending, then the poll about to be made (1-based).
    pub poll: u32,
    /// The most polls that will be made.
    pub max_polls: u32,
}

impl Event for CommandProgress {
    const NAME: &'static str = "command-progress";
}

/// How waiting for a sent command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CommandRunOutcome {
    /// The device answered.
    Replied,
    /// No answer in the time allowed; the device may still act later.
    TimedOut,
    /// The user stopped waiting (the reply still goes to the audit log).
    StoppedWaiting,
}

/// The end of a confirmed command, for the dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandResult {
    /// The confirmation the command was sent with.
    pub confirmation_id: String,
    /// The provider's command id (not known yet when the user stopped waiting).
    pub command_id: Option<String>,
    /// How it ended.
    pub outcome: CommandRunOutcome,
    /// The device's reply.
    pub reply: Option<String>,
    /// What to tell the user.
    pub message: String,
}

/// Where progress goes: the webview in the app, a collector in tests.
pub trait CommandEvents: Send + Sync + 'static {
    /// A poll is about to be made (or, with poll 0, the command is being sent).
    fn progress(&self, progress: &CommandProgress);
}

/// A prepared command, waiting for its confirmation.
#[derive(Debug, Clone)]
struct Prepared {
    account: String,
    provider: String,
    imei: Imei,
    command: Command,
    vehicle: VehicleState,
    typed: bool,
}

/// Prepares, confirms and runs device commands; records them in the audit log.
pub struct CommandDesk {
    confirmations: Confirmations<Prepared>,
    audit: Arc<AuditLog>,
    max_polls: u32,
    poll_interval: Duration,
    /// The commands being waited for, by confirmation id.
    waiting: Mutex<HashMap<String, Waiting>>,
}

/// A command being waited for.
struct Waiting {
    /// Ends the wait.
    stop: CancellationToken,
    /// Closed when the user stops waiting: the progress events go through it.
    shown: Gate,
}

impl CommandDesk {
    /// A desk that records to `audit`, with the spec's polling (30 polls, 1 s apart) and
    /// confirmation ids that live a minute.
    pub fn new(audit: Arc<AuditLog>) -> Self {
        let defaults = CommandOptions::default();
        Self {
            confirmations: Confirmations::default(),
            audit,
            max_polls: defaults.max_polls,
            poll_interval: defaults.poll_interval,
            waiting: Mutex::new(HashMap::new()),
        }
    }

    /// Polls `max_polls` times, `interval` apart (tests wait less).
    pub fn with_polling(mut self, max_polls: u32, interval: Duration) -> Self {
        self.max_polls = max_polls.max(1);
        self.poll_interval = interval;
        self
    }

    /// Confirmation ids live `ttl` (tests make them expire quickly).
    pub fn with_confirmation_ttl(mut self, ttl: Duration) -> Self {
        self.confirmations = Confirmations::new(ttl);
        self
    }

    /// The audit log it records to.
    pub fn audit(&self) -> &Arc<AuditLog> {
        &self.audit
    }

    /// Reads the vehicle's state now and issues a confirmation id for `command`. Nothing is sent
    /// to the device.
    pub async fn prepare(
        &self,
        sessions: &SessionManager,
        imei: &str,
        command: Command,
    ) -> Result<CommandPreview, AppError> {
        let imei = Imei::parse(imei.trim())?;
        if matches!(command, Command::Raw(_)) {
            return Err(AppError::invalid(
                "Only stop engine, restore engine, reset and the door locks can be sent from here.",
            ));
        }
        let client = sessions.client().await?;
        let vehicle = vehicle_state(&client, &imei).await?;
        let must_type = needs_typed(&command, &vehicle).then(|| {
            if vehicle.plate.is_empty() {
                let digits = imei.as_str();
                MustType {
                    kind: TypedKind::ImeiLast4,
                    text: digits[digits.len().saturating_sub(4)..].to_owned(),
                }
            } else {
                MustType {
                    kind: TypedKind::Plate,
                    text: vehicle.plate.clone(),
                }
            }
        });
        let (effect, danger) = describe(&command, &vehicle);
        let note = match (offline_note(&vehicle), insecure_note(client.base_url())) {
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.or(b),
        };
        let prepared = Prepared {
            account: client.account().to_owned(),
            provider: client.base_url().to_owned(),
            imei,
            command: command.clone(),
            vehicle: vehicle.clone(),
            typed: must_type.is_some(),
        };
        let id = self
            .confirmations
            .issue(prepared, must_type.as_ref().map(|m| m.text.clone()));
        Ok(CommandPreview {
            confirmation_id: id,
            wire: command.wire().to_owned(),
            action: command.label().to_owned(),
            command,
            effect,
            danger,
            note,
            vehicle,
            must_type,
            expires_in_secs: u32::try_from(self.confirmations.ttl().as_secs()).unwrap_or(60),
            max_polls: self.max_polls,
        })
    }

    /// Voids a confirmation id (the dialog was cancelled): nothing can be sent with it any more.
    pub fn discard(&self, confirmation_id: &str) {
        self.confirmations.discard(confirmation_id);
    }

    /// Stops waiting for the reply of the command sent with this confirmation. The command stays
    /// sent (it cannot be withdrawn) and is not sent again; its reply still reaches the audit log.
    /// No progress of it is sent once this returns.
    pub fn stop_waiting(&self, confirmation_id: &str) -> bool {
        match self.lock_waiting().get(confirmation_id) {
            Some(w) => {
                w.shown.close();
                w.stop.cancel();
                true
            }
            None => false,
        }
    }

    fn lock_waiting(&self) -> std::sync::MutexGuard<'_, HashMap<String, Waiting>> {
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sends the prepared command if the id is valid and unused, not expired, and `typed` is what
    /// it needs; then waits for the device's reply (progress to `events`) until it comes, the
    /// polls run out, or the user stops waiting. Any refusal sends nothing. No progress is sent
    /// after the user stopped waiting or the session ended.
    pub async fn confirm(
        &self,
        sessions: &SessionManager,
        confirmation_id: &str,
        typed: Option<&str>,
        events: Arc<dyn CommandEvents>,
    ) -> Result<CommandResult, AppError> {
        let prepared = self
            .confirmations
            .redeem(confirmation_id, typed)
            .map_err(|refusal| AppError::Refused {
                refusal,
                nothing: "Nothing was sent",
            })?;
        let session = sessions.signed_in().await?;
        let client = session.client;
        if client.account() != prepared.account || client.base_url() != prepared.provider {
            return Err(AppError::invalid(format!(
                "The signed-in account changed since this confirmation was shown (it was for {}). Nothing was sent.",
                prepared.account
            )));
        }
        if matches!(prepared.command, Command::StopEngine | Command::UnlockDoor) && !prepared.typed
        {
            // Shown as parked, but it may have driven off while the dialog was open: an engine
            // stop of a moving vehicle always needs the typed plate.
            let now = vehicle_state(&client, &prepared.imei).await?;
            if needs_typed(&prepared.command, &now) {
                return Err(AppError::invalid(format!(
                    "{} started moving ({} km/h) since the confirmation was shown. Nothing was sent: open Stop engine again.",
                    now.label(),
                    now.speed.unwrap_or(0.0)
                )));
            }
        }

        let stop = CancellationToken::new();
        let shown = Gate::new();
        self.lock_waiting().insert(
            confirmation_id.to_owned(),
            Waiting {
                stop: stop.clone(),
                shown: shown.clone(),
            },
        );
        let run = Run {
            id: confirmation_id.to_owned(),
            client,
            prepared,
            options: CommandOptions {
                max_polls: self.max_polls,
                poll_interval: self.poll_interval,
                // Never cancelled: a sent command is polled to its end (at most max_polls) so its
                // reply reaches the audit log even after the user stopped waiting or signed out.
                cancel: CancellationToken::new(),
            },
            audit: self.audit.clone(),
            events,
            session_gate: session.gate,
            shown,
            stop: stop.clone(),
        };
        let task = tokio::spawn(run.execute());
        let result = tokio::select! {
            r = task => match r {
                Ok(r) => r,
                Err(e) => Err(AppError::internal(format!("The command run failed: {e}"))),
            },
            _ = stop.cancelled() => Ok(CommandResult {
                confirmation_id: confirmation_id.to_owned(),
                command_id: None,
                outcome: CommandRunOutcome::StoppedWaiting,
                reply: None,
                message: "You stopped waiting. The command was sent and will not be sent again; \
                          the device may still act on it. Its reply, if one comes, goes to the audit log."
                    .to_owned(),
            }),
        };
        self.lock_waiting().remove(confirmation_id);
        result
    }
}

/// One confirmed command: sent once, polled, recorded.
struct Run {
    id: String,
    client: Client,
    prepared: Prepared,
    options: CommandOptions,
    audit: Arc<AuditLog>,
    events: Arc<dyn CommandEvents>,
    /// Closed at sign-out.
    session_gate: Gate,
    /// Closed when the user stops waiting.
    shown: Gate,
    stop: CancellationToken,
}

impl Run {
    async fn execute(self) -> Result<CommandResult, AppError> {
        let max_polls = self.options.max_polls;
        let polls = AtomicU32::new(0);
        let progress = |poll: u32| {
            // Once the user stopped waiting or signed out the dialog is gone: the polling goes on
            // for the audit log only, silently.
            self.session_gate.run(|| {
                self.shown.run(|| {
                    self.events.progress(&CommandProgress {
                        confirmation_id: self.id.clone(),
                        poll,
                        max_polls,
                    })
                })
            });
        };
        progress(0);
        let on_poll = |n: u32| {
            polls.store(n, Ordering::Relaxed);
            progress(n);
        };
        let p = &self.prepared;
        let ran = self
            .client
            .run_command(&p.imei, &p.command, &self.options, &on_poll)
            .await;
        // on_poll runs only after a successful send: a poll means the command left.
        let sent = polls.load(Ordering::Relaxed) > 0;
        let waited = (self.options.poll_interval * max_polls)
            .as_secs_f64()
            .ceil();
        let (entry, result) = match ran {
            Ok((command_id, CommandOutcome::Responded(reply))) => (
                (AuditOutcome::Replied, command_id.clone(), reply.clone()),
                Ok(CommandResult {
                    confirmation_id: self.id.clone(),
                    command_id: Some(command_id),
                    outcome: CommandRunOutcome::Replied,
                    message: format!("The device replied: {reply}"),
                    reply: Some(reply),
                }),
            ),
            Ok((command_id, CommandOutcome::TimedOut)) => {
                let message = format!(
                    "No reply from the device in {waited} s — it may still act when it comes back online."
                );
                (
                    (AuditOutcome::TimedOut, command_id.clone(), message.clone()),
                    Ok(CommandResult {
                        confirmation_id: self.id.clone(),
                        command_id: Some(command_id),
                        outcome: CommandRunOutcome::TimedOut,
                        reply: None,
                        message,
                    }),
                )
            }
            Err(e) => {
                let outcome = match (sent, &e) {
                    (false, etrack::Error::Api { .. }) => AuditOutcome::Refused,
                    (false, etrack::Error::Validation(_)) => return Err(e.into()),
                    _ => AuditOutcome::Unknown,
                };
                let err = AppError::Command {
                    command: p.command.label().to_owned(),
                    sent,
                    source: e,
                };
                ((outcome, String::new(), err.to_string()), Err(err))
            }
        };
        let (outcome, command_id, reply) = entry;
        let record = AuditEntry {
            time: now_ms(),
            account: p.account.clone(),
            provider_url: p.provider.clone(),
            target: p.vehicle.label(),
            imei: p.imei.as_str().to_owned(),
            action: p.command.label().to_owned(),
            command: p.command.wire().to_owned(),
            command_id,
            outcome,
            reply,
            stopped_waiting: self.stop.is_cancelled(),
        };
        if let Err(e) = self.audit.append(&record) {
            tracing::error!(
                "cannot append to the audit log {}: {e}",
                self.audit.path().display()
            );
        }
        result
    }
}

/// The vehicle's device record and latest track, read now.
async fn vehicle_state(client: &Client, imei: &Imei) -> Result<VehicleState, AppError> {
    let one = std::slice::from_ref(imei);
    let (tracks, devices) = tokio::try_join!(client.track(one), client.device_detail(one))?;
    let track = tracks.iter().find(|t| t.imei == imei.as_str());
    let device = devices.iter().find(|d| d.imei == imei.as_str());
    if device.is_none() && track.is_none() {
        return Err(AppError::invalid(format!(
            "The provider knows no device {imei} in this account."
        )));
    }
    Ok(VehicleState::new(imei, device, track, now_ms() / 1000))
}

/// Whether the command needs the plate typed: an engine stop or a door unlock of a vehicle that
/// moves, whose movement cannot be told (no recent fix), or whose ignition is on.
fn needs_typed(command: &Command, v: &VehicleState) -> bool {
    matches!(command, Command::StopEngine | Command::UnlockDoor)
        && (v.moving || v.motion_unknown || v.acc_on)
}

/// What the command does to this vehicle, and the red warning, if any.
fn describe(command: &Command, v: &VehicleState) -> (String, Option<String>) {
    let who = v.label();
    let effect = match command {
        Command::StopEngine => format!(
            "Cuts the fuel supply of {who}: the engine stops and cannot be started again until you send Restore engine."
        ),
        Command::RestoreEngine => format!(
            "Restores the fuel supply of {who}: the engine can be started again."
        ),
        Command::Reset => format!(
            "Restarts the tracker of {who}. It is out of contact for a minute or so; the vehicle itself is not affected."
        ),
        Command::LockDoor => format!("Locks the doors of {who}."),
        Command::UnlockDoor => format!("Unlocks the doors of {who}: anyone nearby can open them."),
        Command::Raw(s) => format!("Sends \"{s}\" to {who}."),
    };
    let danger = match command {
        Command::StopEngine if v.moving => Some(format!(
            "{who} is MOVING at {} km/h (fix {} ago). Cutting the engine of a moving vehicle can cause an accident: the driver loses power and may lose power steering and brake assistance.",
            v.speed.unwrap_or(0.0),
            age_words(v.fix_age_secs.unwrap_or(0))
        )),
        Command::StopEngine | Command::UnlockDoor if v.motion_unknown => Some(format!(
            "Whether {who} is moving cannot be told: {}. {}",
            match v.fix_age_secs {
                Some(age) => format!("its last position is {} old", age_words(age)),
                None => "the provider has no position for it".to_owned(),
            },
            if *command == Command::StopEngine {
                "If it is driving, cutting the engine can cause an accident."
            } else {
                "Unlocking the doors of a vehicle on the road lets anyone nearby open them."
            }
        )),
        Command::StopEngine | Command::UnlockDoor if v.acc_on => Some(format!(
            "The ignition of {who} is ON: the engine may be running and the vehicle about to move.{}",
            if *command == Command::StopEngine {
                " Cutting the engine of a vehicle that starts to drive can cause an accident."
            } else {
                ""
            }
        )),
        _ => None,
    };
    (effect, danger)
}

fn offline_note(v: &VehicleState) -> Option<String> {
    match v.datastatus {
        1 => Some(
            "This device has never been online: the provider will refuse the command.".to_owned(),
        ),
        3 => Some(
            "This device's service has expired: the provider will refuse the command.".to_owned(),
        ),
        4 => Some(
            "This device is offline: the provider will refuse the command until it is back online."
                .to_owned(),
        ),
        5 => Some("This device is blocked: the provider will refuse the command.".to_owned()),
        _ if v.gps_time.is_none() => {
            Some("The provider has no position for this device.".to_owned())
        }
        _ => None,
    }
}

/// For a provider reached over plain http: the command, and the token that authorises it, cross
/// the network readable by anyone on the way.
fn insecure_note(base_url: &str) -> Option<String> {
    base_url
        .to_ascii_lowercase()
        .starts_with("http://")
        .then(|| "The connection to the provider is not encrypted (http): this command and the account's token travel readable by anyone on the network between.".to_owned())
}

/// "12 s", "4 min", "3 h", "2 d".
pub fn age_words(secs: i64) -> String {
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 172_800 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn track(speed: i64, gpstime: i64, servertime: i64) -> etrack::Track {
        serde_json::from_value(serde_json::json!({
            "imei": "358899051025339", "speed": speed, "gpstime": gpstime,
            "servertime": servertime, "datastatus": 2
        }))
        .unwrap()
    }

    #[test]
    fn moving_means_speed_on_a_recent_fix_by_the_providers_clock() {
        let imei = Imei::parse("358899051025339").unwrap();
        let v = VehicleState::new(&imei, None, Some(&track(40, 1000, 1100)), 99_999);
        assert!(v.moving, "the provider's clock says the fix is 100 s old");
        assert_eq!(v.fix_age_secs, Some(100));
        let v = VehicleState::new(&imei, None, Some(&track(40, 1000, 1300)), 1000);
        assert!(!v.moving, "a fix of exactly five minutes is too old");
        let v = VehicleState::new(&imei, None, Some(&track(0, 1000, 1010)), 1010);
        assert!(!v.moving, "speed 0");
        let v = VehicleState::new(&imei, None, Some(&track(40, 1000, 0)), 1030);
        assert!(v.moving, "no provider clock: this computer's");
        let v = VehicleState::new(&imei, None, Some(&track(40, 0, 1000)), 1000);
        assert!(!v.moving && v.speed.is_none(), "no fix at all");
    }

    #[test]
    fn an_unencrypted_provider_is_named_in_the_confirmation() {
        assert!(insecure_note("http://api.etrack.vip")
            .unwrap()
            .contains("not encrypted"));
        assert!(insecure_note("HTTP://api.etrack.vip").is_some());
        assert_eq!(insecure_note("https://api.etrack.vip"), None);
    }

    #[test]
    fn engine_stop_and_door_unlock_ask_for_the_plate_when_movement_is_unknown_or_the_ignition_is_on(
    ) {
        let imei = Imei::parse("358899051025339").unwrap();
        let parked = VehicleState::new(&imei, None, Some(&track(0, 1000, 1010)), 1010);
        assert!(!parked.moving && !parked.motion_unknown && !parked.acc_on);
        assert!(!needs_typed(&Command::StopEngine, &parked));
        assert!(!needs_typed(&Command::UnlockDoor, &parked));

        let stale = VehicleState::new(&imei, None, Some(&track(0, 1000, 1000 + 3600)), 0);
        assert!(
            stale.motion_unknown,
            "an hour-old fix says nothing about now"
        );
        assert!(needs_typed(&Command::StopEngine, &stale));
        assert!(needs_typed(&Command::UnlockDoor, &stale));
        assert!(!needs_typed(&Command::LockDoor, &stale), "locking is safe");
        let (_, danger) = describe(&Command::StopEngine, &stale);
        assert!(danger.unwrap().contains("cannot be told"));

        let no_fix = VehicleState::new(&imei, None, None, 1000);
        assert!(no_fix.motion_unknown && needs_typed(&Command::StopEngine, &no_fix));

        let mut t = track(0, 1000, 1010);
        t.accstatus = 1;
        let idling = VehicleState::new(&imei, None, Some(&t), 1010);
        assert!(idling.acc_on && needs_typed(&Command::StopEngine, &idling));
        let (_, danger) = describe(&Command::UnlockDoor, &idling);
        assert!(danger.unwrap().contains("ignition"));
        assert!(!needs_typed(&Command::RestoreEngine, &idling));
    }
}
