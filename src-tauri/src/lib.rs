//! The etrack desktop app: the Tauri shell around the `etrack` client.

pub mod bindings;
pub mod error;
pub mod live;
pub mod session;
pub mod settings;
