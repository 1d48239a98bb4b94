//! Builds the Tauri context. Every command of the IPC contract (`src/contract.rs`, read here as
//! tokens) gets a permission (`allow-session-login`, ...) so capabilities/ grant exactly the ones
//! the UI uses; the demo-only rows only in a build with the `e2e` feature.

/// Reads the contract table for its command names, as `src/ipc.rs` does for everything else.
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
        // Pushed one by one: a row may be left out by its cfg.
        #[allow(clippy::vec_init_then_push)]
        fn commands() -> Vec<&'static str> {
            let mut names = Vec::new();
            $(
                $( #[cfg(feature = $feature)] )?
                names.push(stringify!($name));
            )*
            names
        }
    };
}

include!("src/contract.rs");

fn main() {
    println!("cargo:rerun-if-changed=src/contract.rs");
    let names = commands();
    let attributes = tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(Box::leak(names.into_boxed_slice())),
    );
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
