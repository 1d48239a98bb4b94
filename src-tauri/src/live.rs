//! The live position poller: one task per session polls `/api/track` for every device.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One refresh of every device's latest position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveUpdate {
    /// When the refresh finished, unix milliseconds.
    pub at: i64,
    /// The latest state of each device, in device-list order.
    pub tracks: Vec<etrack::Track>,
    /// How long the refresh took (all batches), milliseconds.
    pub duration_ms: f64,
}

/// Whether live positions are flowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LiveState {
    /// The last poll succeeded.
    Ok,
    /// The provider could not be reached (network or server failure); retrying.
    Unreachable,
    /// The provider refused the poll; retrying.
    Error,
}

/// The poller's state, sent after each poll.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LiveStatus {
    /// The state.
    pub state: LiveState,
    /// What went wrong, in plain words (`None` when ok).
    pub message: Option<String>,
    /// When the last successful poll finished, unix milliseconds.
    pub last_ok: Option<i64>,
}
