//! The files generated from the Rust side of the IPC contract: the TypeScript bindings of every
//! type that crosses IPC, the typed command functions and event names (`commands.ts`), and the
//! capability files that grant the UI exactly the contract's commands.
//!
//! `ui/src/bindings/` is written from here (by the `bindings` test with
//! `ETRACK_WRITE_BINDINGS=1`) and checked against here by the same test otherwise, so the UI's
//! types cannot drift from the backend's.

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use ts_rs::{Config, TypeVisitor, TS};

/// The root types; their dependencies are included automatically.
fn roots(out: &mut Collector<'_>) {
    use etrack_app::error::{ErrorKind, IpcError};
    use etrack_app::live::{LiveState, LiveStatus, LiveUpdate};
    use etrack_app::session::{RestoreResult, SessionInfo};
    use etrack_app::settings::{SavedAccount, Settings, Units};

    out.visit::<IpcError>();
    out.visit::<ErrorKind>();
    out.visit::<SessionInfo>();
    out.visit::<RestoreResult>();
    out.visit::<etrack_app::session::FleetScope>();
    out.visit::<etrack_app::session::FleetOpened>();
    out.visit::<SavedAccount>();
    out.visit::<Settings>();
    out.visit::<Units>();
    out.visit::<etrack_app::settings::Datum>();
    out.visit::<etrack_app::settings::CustomBasemap>();
    out.visit::<etrack_app::tiles::Basemap>();
    out.visit::<etrack_app::tiles::TileCacheInfo>();
    out.visit::<etrack_app::session::HistoryInfo>();
    out.visit::<etrack_app::geocoder::GeoPoint>();
    out.visit::<LiveUpdate>();
    out.visit::<LiveStatus>();
    out.visit::<LiveState>();
    out.visit::<etrack_app::playback::PlaybackProgress>();
    out.visit::<etrack_app::playback::PlaybackLoaded>();
    out.visit::<etrack_app::playback::ExportDone>();
    out.visit::<etrack::export::Format>();

    // Geofences and alarms.
    out.visit::<etrack_app::geofences::GeofenceDraft>();
    out.visit::<etrack_app::geofences::VehicleResult>();
    out.visit::<etrack_app::geofences::StoredGeofence>();
    out.visit::<etrack_app::geofences::GeofenceSaveResult>();
    out.visit::<etrack_app::geofences::GeofenceListing>();
    out.visit::<etrack_app::geofences::GeofenceImportResult>();
    out.visit::<etrack_app::data_file::ExportedFile>();
    out.visit::<etrack_app::alarms::AlarmRow>();
    out.visit::<etrack_app::alarms::AlarmQueryResult>();
    out.visit::<etrack_app::alarms::AlarmProgress>();
    out.visit::<etrack_app::alarms::AlarmTypeInfo>();
    out.visit::<etrack_app::alarm_watch::WatchSettings>();
    out.visit::<etrack_app::alarm_watch::WatchOverview>();
    out.visit::<etrack_app::alarm_watch::WatchStatus>();
    out.visit::<etrack_app::alarm_watch::WatchState>();
    out.visit::<etrack_app::alarm_watch::WatchedAlarm>();
    out.visit::<etrack_app::alarm_watch::DesktopNotice>();
    out.visit::<etrack_app::alarm_watch::AlarmsNewEvent>();
    out.visit::<etrack_app::alarm_watch::NoticeWords>();
    out.visit::<etrack_app::updates::AboutInfo>();
    out.visit::<etrack_app::updates::UpdateCheck>();
    out.visit::<etrack_app::updates::AvailableUpdate>();
    out.visit::<etrack_app::updates::UpdateProgress>();
    out.visit::<etrack_app::updates::UpdateInstalled>();
    out.visit::<etrack_app::demo::DemoClockInfo>();
    out.visit::<etrack_app::demo::DemoSimGeofence>();
    out.visit::<etrack_app::demo::DemoRequest>();

    // Device commands, the audit log, mileage, accounts.
    out.visit::<etrack_app::device_commands::CommandPreview>();
    out.visit::<etrack_app::device_commands::CommandProgress>();
    out.visit::<etrack_app::device_commands::CommandResult>();
    out.visit::<etrack_app::audit::AuditEntry>();
    out.visit::<etrack_app::audit::AuditPage>();
    out.visit::<etrack_app::mileage::MileageReport>();
    out.visit::<etrack_app::reports::ReportKind>();
    out.visit::<etrack_app::reports::ReportRequest>();
    out.visit::<etrack_app::reports::ReportProgress>();
    out.visit::<etrack_app::reports::ReportResult>();
    out.visit::<etrack_app::reports::ReportRow>();
    out.visit::<etrack_app::reports::ReportValues>();
    out.visit::<etrack_app::reports::export::ReportFormat>();
    out.visit::<etrack::report::AlarmCount>();
    out.visit::<etrack_app::accounts::AccountActionPreview>();
    out.visit::<etrack_app::accounts::MessageSendResult>();

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
pub fn config() -> Config {
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
/// re-exports every type, and `commands.ts`, the IPC contract's typed commands and events.
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
    c.files
        .insert("commands.ts".to_owned(), commands_ts(&crate::contract()));
    Ok(c.files)
}

/// `provider_url` -> `providerUrl`: how the UI names an argument.
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `ui/src/bindings/commands.ts`: one typed function per command (over the caller's `invoke`) and
/// the event names with their payload types.
pub fn commands_ts(spec: &crate::ipc::ContractSpec) -> String {
    let mut out = String::from(
        "// Generated from the IPC contract (src-tauri/src/contract.rs) by `cargo test -p etrack-desktop bindings`. Do not edit.\n",
    );
    {
        let mut names: Vec<&str> = spec.types.iter().map(String::as_str).collect();
        names.push("ErrorKind");
        names.sort_unstable();
        names.dedup();
        out.push_str(&format!(
            "import type {{ {} }} from \"./index\";\n",
            names.join(", ")
        ));
    }
    out.push_str(
        "\n/** Calls one command of the contract by name; rejects with whatever the backend threw. */\n\
         export type Invoke = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         /** Every command of the IPC contract, typed, over `invoke`. */\n\
         export function contractCommands(invoke: Invoke) {\n  return {\n",
    );
    for c in &spec.commands {
        let params: Vec<String> = c
            .args
            .iter()
            .map(|a| format!("{}: {}", camel(a.name), a.ts))
            .collect();
        let keys: Vec<String> = c.args.iter().map(|a| camel(a.name)).collect();
        let call = if keys.is_empty() {
            format!("invoke<{}>(\"{}\")", c.result, c.name)
        } else {
            format!(
                "invoke<{}>(\"{}\", {{ {} }})",
                c.result,
                c.name,
                keys.join(", ")
            )
        };
        if c.e2e {
            out.push_str("    /** End-to-end builds only. */\n");
        } else if !c.doc.is_empty() {
            out.push_str(&format!("    /** {} */\n", c.doc));
        }
        out.push_str(&format!(
            "    {}: ({}): Promise<{}> => {},\n",
            camel(c.name),
            params.join(", "),
            c.result,
            call
        ));
    }
    out.push_str("  };\n}\n\n/** The events the backend sends, with their payloads. */\nexport interface EventPayloads {\n");
    for e in &spec.events {
        out.push_str(&format!("  \"{}\": {};\n", e.name, e.payload));
    }
    out.push_str("}\n\n/** Every event name of the contract. */\nexport const EVENT_NAMES = [\n");
    for e in &spec.events {
        out.push_str(&format!("  \"{}\",\n", e.name));
    }
    out.push_str("] as const satisfies readonly (keyof EventPayloads)[];\n");
    let kinds: Vec<String> = etrack_app::ErrorKind::ALL
        .iter()
        .filter_map(|k| serde_json::to_string(k).ok())
        .collect();
    out.push_str(&format!(
        "\n/** Every kind of error a command can fail with. */\nexport const ERROR_KINDS = [{}] as const satisfies readonly ErrorKind[];\n",
        kinds.join(", ")
    ));
    out
}

/// The capability granting the main window the contract's commands: `default.json` the release
/// ones, `e2e.json` (added at start by an end-to-end build) the demo-only test hooks.
pub fn capability(spec: &crate::ipc::ContractSpec, e2e: bool) -> String {
    let mut permissions: Vec<String> = Vec::new();
    if !e2e {
        permissions.push("core:event:allow-listen".to_owned());
        permissions.push("core:event:allow-unlisten".to_owned());
        // The title bar follows the user's language.
        permissions.push("core:window:allow-set-title".to_owned());
    }
    permissions.extend(
        spec.commands
            .iter()
            .filter(|c| c.e2e == e2e)
            .map(|c| format!("allow-{}", c.name.replace('_', "-"))),
    );
    let (identifier, description) = if e2e {
        (
            "e2e",
            "End-to-end test builds only (the e2e cargo feature): the demo-only commands that let a test read what the built-in simulator received and move its clock. Generated from src-tauri/src/contract.rs.",
        )
    } else {
        (
            "default",
            "What the main window's UI may do: listen to the backend's events, call the commands of the IPC contract and set the window's title (in the user's language). Nothing else (no file system, shell, HTTP or other window control from the webview). Generated from src-tauri/src/contract.rs.",
        )
    };
    let mut doc = serde_json::json!({
        "identifier": identifier,
        "description": description,
        "windows": ["main"],
        "permissions": permissions,
    });
    if !e2e {
        doc["$schema"] = serde_json::json!("../gen/schemas/desktop-schema.json");
    }
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
