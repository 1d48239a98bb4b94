//! The simulator's shared state: the fleet (immutable), and what requests change (accounts,
//! tokens, geofences, commands, engine cuts, test histories, fault settings, the request log).

use crate::accounts::{default_accounts, Account, Scope, Tokens};
use crate::fleet::{DeviceSpec, Fleet};
use crate::history::Point;
use crate::timeline::{lock, PlanCache};
use crate::{LoggedRequest, SimConfig, SimGeofence, SimMessage};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Requests kept in the log; older ones are dropped so a long demo session stays small.
const LOG_MAX: usize = 100_000;

/// Fault settings, changeable while running.
#[derive(Clone, Debug)]
pub struct Knobs {
    pub latency: Duration,
    pub too_frequent_share: f64,
    pub server_error_share: f64,
    pub token_lifetime: Duration,
}

/// A canned reply for the next requests to one path.
#[derive(Debug)]
pub struct Injection {
    pub path: String,
    pub status: u16,
    pub body: String,
    pub remaining: usize,
}

/// A command sent to a device.
#[derive(Debug, Clone)]
pub struct CommandEntry {
    pub account: String,
    pub sent: Instant,
    pub reply: String,
}

/// Everything requests change.
#[derive(Debug)]
pub struct Inner {
    pub accounts: Vec<Account>,
    pub tokens: Tokens,
    pub log: VecDeque<LoggedRequest>,
    pub injections: VecDeque<Injection>,
    pub geofences: Vec<SimGeofence>,
    pub commands: HashMap<String, CommandEntry>,
    pub next_command: u64,
    /// Per device index: RELAY commands in order, (time, true = cut).
    pub relays: HashMap<u32, Vec<(i64, bool)>>,
    /// Per device index: a history set by a test.
    pub histories: HashMap<u32, Arc<Vec<Point>>>,
    /// Per device index: defence state set by LOCKDOOR / UNLOCKDOOR.
    pub defence: HashMap<u32, i64>,
    pub messages: Vec<SimMessage>,
    pub authorizations: usize,
}

impl Inner {
    pub fn account(&self, name: &str) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == name)
    }

    /// Whether `viewer` may see `target`: itself or an account below it.
    pub fn visible(&self, viewer: &str, target: &str) -> bool {
        let mut cur = Some(target.to_owned());
        let mut hops = 0;
        while let Some(name) = cur {
            if name == viewer {
                return true;
            }
            hops += 1;
            if hops > 64 {
                return false;
            }
            cur = self.account(&name).and_then(|a| a.parent.clone());
        }
        false
    }

    pub fn log(&mut self, r: LoggedRequest) {
        if self.log.len() >= LOG_MAX {
            self.log.pop_front();
        }
        self.log.push_back(r);
    }
}

/// The state behind one running simulator.
#[derive(Debug)]
pub struct Shared {
    pub fleet: Fleet,
    pub cache: PlanCache,
    pub command_reply_delay: Duration,
    pub signature_window_secs: i64,
    pub knobs: Mutex<Knobs>,
    pub inner: Mutex<Inner>,
    /// Seconds the simulated clock runs ahead of the real one.
    pub clock_offset: AtomicI64,
}

/// Whether an account with `scope` sees `dev`.
pub fn in_scope(scope: Scope, dev: &DeviceSpec) -> bool {
    match scope {
        Scope::All => true,
        Scope::East => dev.east,
        Scope::West => !dev.east,
        Scope::Nothing => false,
    }
}

impl Shared {
    pub fn new(config: &SimConfig, now: i64) -> Self {
        Shared {
            fleet: Fleet::new(config.seed, config.devices, now),
            cache: PlanCache::default(),
            command_reply_delay: config.command_reply_delay,
            signature_window_secs: config.signature_window_secs,
            knobs: Mutex::new(Knobs {
                latency: config.latency,
                too_frequent_share: config.too_frequent_share,
                server_error_share: config.server_error_share,
                token_lifetime: config.token_lifetime,
            }),
            inner: Mutex::new(Inner {
                accounts: default_accounts(now),
                tokens: Tokens::default(),
                log: VecDeque::new(),
                injections: VecDeque::new(),
                geofences: Vec::new(),
                commands: HashMap::new(),
                next_command: 0x1B454,
                relays: HashMap::new(),
                histories: HashMap::new(),
                defence: HashMap::new(),
                messages: Vec::new(),
                authorizations: 0,
            }),
            clock_offset: AtomicI64::new(0),
        }
    }

    /// The simulated clock, unix seconds.
    pub fn now(&self) -> i64 {
        crate::api::now() + self.clock_offset.load(Ordering::Relaxed)
    }

    pub fn inner(&self) -> MutexGuard<'_, Inner> {
        lock(&self.inner)
    }

    pub fn knobs(&self) -> Knobs {
        lock(&self.knobs).clone()
    }

    pub fn set_knobs(&self, f: impl FnOnce(&mut Knobs)) {
        f(&mut lock(&self.knobs));
    }

    /// The canned reply for this request, if one is waiting.
    pub fn take_injection(&self, path: &str) -> Option<(u16, String)> {
        let mut inner = self.inner();
        let pos = inner
            .injections
            .iter()
            .position(|i| i.path == path && i.remaining > 0)?;
        let inj = &mut inner.injections[pos];
        inj.remaining -= 1;
        let out = (inj.status, inj.body.clone());
        if inj.remaining == 0 {
            inner.injections.remove(pos);
        }
        Some(out)
    }
}
