//! The TypeScript bindings of every type that crosses IPC, generated from the Rust types.
//!
//! `ui/src/bindings/` is written from here (by the `bindings` test with
//! `ETRACK_WRITE_BINDINGS=1`) and checked against here by the same test otherwise, so the UI's
//! types cannot drift from the backend's.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use ts_rs::{Config, TypeVisitor, TS};

/// The root types; their dependencies are included automatically.
fn roots(out: &mut Collector<'_>) {
    use crate::error::{ErrorKind, IpcError};
    use crate::live::{LiveState, LiveStatus, LiveUpdate};
    use crate::session::{RestoreResult, SessionInfo};
    use crate::settings::{SavedAccount, Settings, Units};

    out.visit::<IpcError>();
    out.visit::<ErrorKind>();
    out.visit::<SessionInfo>();
    out.visit::<RestoreResult>();
    out.visit::<SavedAccount>();
    out.visit::<Settings>();
    out.visit::<Units>();
    out.visit::<LiveUpdate>();
    out.visit::<LiveStatus>();
    out.visit::<LiveState>();
    out.visit::<crate::playback::PlaybackProgress>();
    out.visit::<crate::playback::PlaybackLoaded>();
    out.visit::<crate::playback::ExportDone>();
    out.visit::<etrack::export::Format>();

    // Geofences and alarms.
    out.visit::<crate::geofences::GeofenceDraft>();
    out.visit::<crate::geofences::VehicleResult>();
    out.visit::<crate::geofences::StoredGeofence>();
    out.visit::<crate::geofences::GeofenceSaveResult>();
    out.visit::<crate::geofences::GeofenceListing>();
    out.visit::<crate::geofences::GeofenceImportResult>();
    out.visit::<crate::data_file::ExportedFile>();
    out.visit::<crate::alarms::AlarmRow>();
    out.visit::<crate::alarms::AlarmQueryResult>();
    out.visit::<crate::alarms::AlarmProgress>();
    out.visit::<crate::alarms::AlarmTypeInfo>();
    out.visit::<crate::alarm_watch::WatchSettings>();
    out.visit::<crate::alarm_watch::WatchOverview>();
    out.visit::<crate::alarm_watch::WatchStatus>();
    out.visit::<crate::alarm_watch::WatchState>();
    out.visit::<crate::alarm_watch::WatchedAlarm>();
    out.visit::<crate::alarm_watch::DesktopNotice>();
    out.visit::<crate::alarm_watch::AlarmsNewEvent>();
    out.visit::<crate::demo_clock::DemoClockInfo>();
    out.visit::<crate::demo_clock::DemoSimGeofence>();

    // Device commands, the audit log, mileage, accounts.
    out.visit::<crate::device_commands::CommandPreview>();
    out.visit::<crate::device_commands::CommandProgress>();
    out.visit::<crate::device_commands::CommandResult>();
    out.visit::<crate::audit::AuditEntry>();
    out.visit::<crate::mileage::MileageReport>();
    out.visit::<crate::accounts::AccountActionPreview>();
    out.visit::<crate::accounts::MessageSendResult>();

    out.visit::<etrack::Track>();
    out.visit::<etrack::Device>();
    out.visit::<etrack::PlaybackPoint>();
    out.visit::<etrack::Alarm>();
    out.visit::<etrack::UserInfo>();
    out.visit::<etrack::Mileage>();
    out.visit::<etrack::CommandStatus>();
    out.visit::<etrack::CommandOutcome>();
    out.visit::<etrack::Command>();
    out.visit::<etrack::GeofenceAlarm>();
    out.visit::<etrack::GeofenceRequest>();
    out.visit::<etrack::TimeRange>();
    out.visit::<etrack::Imei>();
    out.visit::<etrack::Radius>();
}

/// The ts-rs settings: JavaScript numbers for `i64` (unix times, odometers and codes fit in the
/// 53 bits of a double; `bigint` would not survive `JSON.parse`).
fn config() -> Config {
    Config::new().with_large_int("number")
}

struct Collector<'a> {
    cfg: &'a Config,
    seen: HashSet<TypeId>,
    files: BTreeMap<String, String>,
    errors: Vec<String>,
}

impl TypeVisitor for Collector<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        let Some(path) = T::output_path() else {
            return; // a primitive or an inlined type: nothing to write
        };
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let name = path.to_string_lossy().replace('\\', "/");
        match T::export_to_string(self.cfg) {
            Ok(text) => {
                self.files.insert(name, text);
            }
            Err(e) => self.errors.push(format!("{name}: {e}")),
        }
        T::visit_dependencies(self);
    }
}

/// Every bindings file: name (e.g. `Track.ts`) -> contents, including `index.ts`, which
/// re-exports every type.
pub fn files() -> Result<BTreeMap<String, String>, String> {
    let cfg = config();
    let mut c = Collector {
        cfg: &cfg,
        seen: HashSet::new(),
        files: BTreeMap::new(),
        errors: Vec::new(),
    };
    roots(&mut c);
    if !c.errors.is_empty() {
        return Err(c.errors.join("\n"));
    }
    let mut index = String::from(
        "// Generated from the Rust types by `cargo test -p etrack-desktop bindings`. Do not edit.\n",
    );
    for name in c.files.keys() {
        let stem = name.trim_end_matches(".ts");
        let ty = stem.rsplit('/').next().unwrap_or(stem);
        index.push_str(&format!("export type {{ {ty} }} from \"./{stem}\";\n"));
    }
    c.files.insert("index.ts".to_owned(), index);
    Ok(c.files)
}
