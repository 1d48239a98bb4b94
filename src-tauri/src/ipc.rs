//! What the IPC contract table ([`crate::contract`]) turns into.
//!
//! [`ipc_contract!`] reads the one table of commands and events and writes, from it: the Tauri
//! command functions (each a one-line call into [`etrack_app::AppContext`]), the invoke handler,
//! and [`contract`], the description of every command and event from which the TypeScript
//! module `ui/src/bindings/commands.ts` and the capability files are generated. `build.rs` reads
//! the same table for the per-command permissions. Commands marked `#[e2e]` exist only in a build
//! with the `e2e` cargo feature (`#[cfg(feature = "e2e")]` on their row).

use serde::Serialize;
use std::any::TypeId;
use ts_rs::{Config, TypeVisitor, TS};

/// Bytes sent to the webview as an `ArrayBuffer`, without JSON.
pub struct Binary(pub Vec<u8>);

/// What a command returns, as it crosses IPC, and its TypeScript type.
pub trait IpcReturn {
    /// What Tauri sends.
    type Wire: tauri::ipc::IpcResponse;
    /// Into what Tauri sends.
    fn wire(self) -> Self::Wire;
    /// The TypeScript type the UI receives.
    fn ts(cfg: &Config) -> String;
    /// Visits the named types of [`Self::ts`] (for imports).
    fn visit(v: &mut impl TypeVisitor);
}

impl<T: Serialize + TS + 'static> IpcReturn for T {
    type Wire = T;

    fn wire(self) -> T {
        self
    }

    fn ts(cfg: &Config) -> String {
        if TypeId::of::<T>() == TypeId::of::<()>() {
            "void".to_owned()
        } else {
            T::name(cfg)
        }
    }

    fn visit(v: &mut impl TypeVisitor) {
        visit_named::<T>(v);
    }
}

impl IpcReturn for Binary {
    type Wire = tauri::ipc::Response;

    fn wire(self) -> tauri::ipc::Response {
        tauri::ipc::Response::new(self.0)
    }

    fn ts(_: &Config) -> String {
        "ArrayBuffer".to_owned()
    }

    fn visit(_: &mut impl TypeVisitor) {}
}

/// Visits `T` itself when it is a named type, and the types it is built of.
pub fn visit_named<T: TS + 'static + ?Sized>(v: &mut impl TypeVisitor) {
    v.visit::<T>();
    T::visit_generics(v);
}

/// One argument of a command.
#[derive(Debug, Clone)]
pub struct ArgSpec {
    /// The Rust name (`provider_url`); the UI sends it in camelCase (`providerUrl`).
    pub name: &'static str,
    /// Its TypeScript type.
    pub ts: String,
}

/// One command of the contract.
#[derive(Debug, Clone)]
pub struct CommandSpec {
    /// The command name (`session_login`).
    pub name: &'static str,
    /// Only in a build with the `e2e` feature (demo-only test hooks).
    pub e2e: bool,
    /// Its arguments, in order.
    pub args: Vec<ArgSpec>,
    /// Its result's TypeScript type.
    pub result: String,
    /// The first line of its documentation.
    pub doc: &'static str,
}

/// One event of the contract.
#[derive(Debug, Clone)]
pub struct EventSpec {
    /// The event name (`live-update`).
    pub name: &'static str,
    /// Its payload's TypeScript type.
    pub payload: String,
}

/// The whole contract, with the named types it uses.
#[derive(Debug, Clone, Default)]
pub struct ContractSpec {
    /// Every command, in table order.
    pub commands: Vec<CommandSpec>,
    /// Every event, in table order.
    pub events: Vec<EventSpec>,
    /// The generated type names the commands and events mention.
    pub types: std::collections::BTreeSet<String>,
}

/// Collects the names of the generated types a contract mentions.
pub struct NameCollector<'a> {
    /// The ts-rs settings.
    pub cfg: &'a Config,
    /// Names found.
    pub names: &'a mut std::collections::BTreeSet<String>,
}

impl TypeVisitor for NameCollector<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.names.insert(T::ident(self.cfg));
        } else {
            T::visit_generics(self);
        }
    }
}

/// Declares the IPC contract: see the module documentation and [`crate::contract`].
#[macro_export]
macro_rules! ipc_contract {
    (
        commands {
            $(
                $(#[doc = $doc:literal])*
                $(#[cfg(feature = $feature:literal)])?
                fn $name:ident ( $( $arg:ident : $ty:ty ),* $(,)? ) -> $ret:ty = |$ctx:ident| $body:expr ;
            )*
        }
        events { $( $event:ty ),* $(,)? }
    ) => {
        /// The Tauri commands, one per row of the contract table.
        pub mod commands {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[doc = $doc])*
                $( #[cfg(feature = $feature)] )?
                #[tauri::command]
                pub async fn $name(
                    state: tauri::State<'_, std::sync::Arc<etrack_app::AppContext>>,
                    $( $arg : $ty ),*
                ) -> Result<<$ret as $crate::ipc::IpcReturn>::Wire, etrack_app::IpcError> {
                    let $ctx: &etrack_app::AppContext = &state;
                    let result: etrack_app::AppResult<$ret> = $body;
                    result
                        .map($crate::ipc::IpcReturn::wire)
                        .map_err(etrack_app::IpcError::from)
                }
            )*
        }

        /// The invoke handler of every command this build has.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![ $( $( #[cfg(feature = $feature)] )? commands::$name ),* ]
        }

        /// The contract, for the generated TypeScript module and capability files.
        pub fn contract() -> $crate::ipc::ContractSpec {
            let cfg = $crate::bindings::config();
            let mut spec = $crate::ipc::ContractSpec::default();
            $(
                {
                    let mut c = $crate::ipc::NameCollector { cfg: &cfg, names: &mut spec.types };
                    $( $crate::ipc::visit_named::<$ty>(&mut c); )*
                    <$ret as $crate::ipc::IpcReturn>::visit(&mut c);
                    let docs: &[&str] = &[$($doc),*];
                    spec.commands.push($crate::ipc::CommandSpec {
                        name: stringify!($name),
                        e2e: $crate::ipc_is_e2e!($($feature)?),
                        args: vec![ $( $crate::ipc::ArgSpec {
                            name: stringify!($arg),
                            ts: <$ty as ts_rs::TS>::name(&cfg),
                        } ),* ],
                        result: <$ret as $crate::ipc::IpcReturn>::ts(&cfg),
                        doc: docs.first().map(|d| d.trim()).unwrap_or_default(),
                    });
                }
            )*
            $(
                {
                    let mut c = $crate::ipc::NameCollector { cfg: &cfg, names: &mut spec.types };
                    $crate::ipc::visit_named::<$event>(&mut c);
                    spec.events.push($crate::ipc::EventSpec {
                        name: <$event as etrack_app::host::Event>::NAME,
                        payload: <$event as ts_rs::TS>::name(&cfg),
                    });
                }
            )*
            spec
        }
    };
}

/// Whether a table row is for end-to-end builds only (`#[cfg(feature = "e2e")]`).
#[macro_export]
macro_rules! ipc_is_e2e {
    () => {
        false
    };
    ($feature:literal) => {
        $feature == "e2e"
    };
}
