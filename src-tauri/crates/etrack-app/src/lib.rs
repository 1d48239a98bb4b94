//! The etrack desktop app's domain, free of Tauri, GTK and WebKit: the desktop shell
//! (`src-tauri`) hands each IPC command to an [`context::AppContext`] method and implements the
//! [`host::Host`] traits (events, Save dialog, notifications); the `etrack` CLI reuses the
//! session, keychain and store parts. Everything here is tested against `etrack-sim` over real
//! loopback HTTP, without a window.

pub mod accounts;
pub mod alarm_watch;
pub mod alarms;
pub mod audit;
pub mod confirmations;
pub mod context;
pub mod data_file;
pub mod datum;
pub mod demo;
pub mod device_commands;
pub mod error;
pub mod gate;
pub mod geocoder;
pub mod geofences;
pub mod history;
pub mod host;
pub mod jobs;
pub mod json_store;
pub mod keychain;
pub mod launch;
pub mod live;
pub mod mileage;
pub mod playback;
pub mod reports;
pub mod session;
pub mod settings;
pub mod tiles;
pub mod token_store;
pub mod updates;

pub use context::AppContext;
pub use error::{AppError, AppResult, ErrorKind, IpcError};
