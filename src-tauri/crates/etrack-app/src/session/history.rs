//! The signed-in session's stored history ([`crate::history`]): one store per account at a
//! provider, opened when the session starts and closed when it ends. A store that cannot be
//! opened leaves the session without one (playback then asks the provider every time).

use super::{Owner, SessionInfo};
use crate::history::{self, HistoryStore};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// How big the signed-in account's stored history is, for Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HistoryInfo {
    /// Bytes on disk (0 without a store).
    pub bytes: u64,
    /// The bound, in bytes.
    pub limit_bytes: u64,
    /// Whose history it is; `None` when nobody is signed in.
    pub account: Option<String>,
    /// What to tell the user about the store: it cannot be used (while that lasts), or a damaged
    /// file was kept aside when it was opened (once).
    pub notice: Option<String>,
}

/// A session's store, or why it has none.
#[derive(Clone, Default)]
pub(super) struct SessionHistory {
    /// The store; `None` when it could not be opened (or the manager keeps no files).
    pub store: Option<HistoryStore>,
    /// Why there is no store, shown while the session lasts.
    pub unusable: Option<String>,
    /// The kept-aside notice, until it has been shown.
    pub notice: Option<String>,
}

/// The file of `info`'s history under `data_dir`. The demo runs on a new port at every start, so
/// its provider is the word `demo` (as for [`Owner`]).
pub(super) fn path_of(data_dir: &Path, info: &SessionInfo) -> std::path::PathBuf {
    let owner = Owner::of(info);
    history::path_for(data_dir, &owner.provider, &owner.account)
}

/// Opens `info`'s store, bounded to `limit_bytes`; a failure is logged and kept as the notice.
pub(super) async fn open(data_dir: &Path, info: &SessionInfo, limit_bytes: u64) -> SessionHistory {
    let path = path_of(data_dir, info);
    match HistoryStore::open_async(&path, limit_bytes).await {
        Ok(store) => {
            let notice = store.kept_aside().map(|k| {
                format!(
                    "The stored history of {} was damaged ({}) and was kept as {}. A new one was \
                     started: periods seen before are fetched from the provider again.",
                    info.account,
                    k.reason,
                    k.aside.display()
                )
            });
            SessionHistory {
                store: Some(store),
                unusable: None,
                notice,
            }
        }
        Err(e) => {
            tracing::warn!(
                "running without the stored history of {}: {e}",
                info.account
            );
            SessionHistory {
                store: None,
                unusable: Some(format!(
                    "The stored history cannot be used ({e}): playback asks the provider for \
                     every period."
                )),
                notice: None,
            }
        }
    }
}
