//! Demo mode only: what the built-in simulator received, so end-to-end tests can prove what the
//! app sent (or did not send) to the provider.
//!
//! It answers only while the in-process demo service runs; a real provider's traffic is never
//! exposed. The log holds requests to the simulator only, and the access token is blanked.

use crate::error::IpcError;
use crate::session::SessionManager;
use serde::Serialize;
use tauri::State;

/// One request the demo service received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoRequest {
    /// Position in the service's log (0 = first request since the demo started).
    pub seq: usize,
    /// "GET" or "POST".
    pub method: String,
    /// The path, e.g. "/api/command/send".
    pub path: String,
    /// Query and form parameters, in order (`access_token` blanked).
    pub params: Vec<(String, String)>,
}

/// The requests the demo service received, oldest first; only those to `path` when given, and
/// only from position `since` on.
pub fn request_log(
    sessions: &SessionManager,
    path: Option<&str>,
    since: usize,
) -> Result<Vec<DemoRequest>, IpcError> {
    let sim = sessions
        .demo_service()
        .ok_or_else(|| IpcError::validation("The request log exists in demo mode only."))?;
    Ok(sim
        .request_log()
        .into_iter()
        .enumerate()
        .skip(since)
        .filter(|(_, r)| path.is_none_or(|p| r.path == p))
        .map(|(seq, r)| DemoRequest {
            seq,
            method: r.method,
            path: r.path,
            params: r
                .params
                .into_iter()
                .map(|(k, v)| {
                    // Tokens are dead once the demo stops, but a log has no business carrying them.
                    let v = if k == "access_token" {
                        String::new()
                    } else {
                        v
                    };
                    (k, v)
                })
                .collect(),
        })
        .collect())
}

/// The demo service's request log (see [`request_log`]).
#[tauri::command]
pub fn demo_request_log(
    sessions: State<'_, SessionManager>,
    path: Option<String>,
    since: Option<usize>,
) -> Result<Vec<DemoRequest>, IpcError> {
    request_log(&sessions, path.as_deref(), since.unwrap_or(0))
}
