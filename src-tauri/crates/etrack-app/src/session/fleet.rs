//! Whose fleet is on screen: the signed-in account's own, or one of its sub-customers' (a
//! distributor looking after a customer). The device list takes the account (spec 2.7); the map,
//! the list, the live poller and everything that lists vehicles follow it. It belongs to the
//! session: signing in (again, or as another account) starts with the account's own fleet.

use super::{with_detail, SessionManager};
use crate::error::AppError;
use crate::live::{imeis_of, LiveFleet, LiveHandle};
use etrack::Client;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whose fleet the session shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FleetScope {
    /// The sub-customer whose fleet is shown; `None`: the signed-in account's own.
    pub account: Option<String>,
}

/// A fleet just opened: whose it is and its devices (completed by their detail), so the UI needs
/// no second device list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FleetOpened {
    /// The sub-customer whose fleet this is; `None`: the signed-in account's own.
    pub account: Option<String>,
    /// Its devices, in the provider's order.
    pub devices: Vec<etrack::Device>,
}

impl SessionManager {
    /// The signed-in client and the sub-customer whose fleet is shown, read together.
    pub(super) async fn fleet_client(&self) -> Result<(Client, Option<String>), AppError> {
        self.active
            .lock()
            .await
            .as_ref()
            .map(|a| (a.client.clone(), a.fleet.clone()))
            .ok_or(AppError::NotSignedIn)
    }

    /// Whose fleet is shown.
    pub async fn fleet_scope(&self) -> Result<FleetScope, AppError> {
        let (_, account) = self.fleet_client().await?;
        Ok(FleetScope { account })
    }

    /// Shows the fleet of `account` (a sub-customer of the signed-in account), or the account's
    /// own with `None` (or its own name). Its device list is read first (one request, then the
    /// detail in batches of 100): when the provider refuses it (20005 no such account, 10007 not
    /// under this one) or cannot be reached, nothing changes. Then the poller starts over with
    /// those devices, without listing them again.
    pub async fn open_fleet(&self, account: Option<&str>) -> Result<FleetOpened, AppError> {
        let session = self.signed_in().await?;
        let client = session.client;
        let target = match account.map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) if a.eq_ignore_ascii_case(client.account()) => None,
            Some(a) => Some(etrack::validate::account(a)?.to_owned()),
        };
        let listed = client
            .device_list(target.as_deref())
            .await
            .map_err(|e| match &target {
                Some(a) => AppError::during(
                    format!("Cannot open the fleet of {a}: "),
                    e,
                    " The fleet shown is unchanged.",
                ),
                None => AppError::during(
                    "Cannot open your own fleet: ",
                    e,
                    " The fleet shown is unchanged.",
                ),
            })?;
        let imeis = imeis_of(&listed);
        let devices = with_detail(&client, listed).await;

        let mut active = self.active.lock().await;
        let Some(a) = active.as_mut() else {
            return Err(AppError::NotSignedIn);
        };
        if !session.gate.is_open() {
            // Signed out, or another account signed in, while the list was read.
            return Err(AppError::invalid(format!(
                "The signed-in account changed while the fleet was opened (it was {}). Nothing was changed.",
                session.info.account
            )));
        }
        // Stopped first: none of the old fleet's updates follows the new fleet's.
        a.live.stop();
        a.live = LiveHandle::start_fleet(
            a.client.clone(),
            LiveFleet {
                account: target.clone(),
                listed: Some(imeis),
            },
            self.timing(),
            self.sink.clone(),
            None,
        );
        a.fleet = target.clone();
        tracing::info!(
            "showing the fleet of {} ({} devices)",
            target.as_deref().unwrap_or(client.account()),
            devices.len()
        );
        Ok(FleetOpened {
            account: target,
            devices,
        })
    }
}
