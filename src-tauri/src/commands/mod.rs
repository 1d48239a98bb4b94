//! The Tauri commands: thin wrappers that hand each call to the [`crate::session::SessionManager`].
//!
//! Arguments arrive with the camelCase keys of the IPC contract (Tauri maps `providerUrl` to
//! `provider_url`); every error is an [`crate::error::IpcError`].

pub mod accounts;
pub mod alarms;
pub mod demo;
pub mod device_commands;
pub mod fleet;
pub mod geofences;
pub mod mileage;
pub mod playback;
pub mod session;
pub mod settings;
