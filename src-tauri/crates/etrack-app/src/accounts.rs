//! Accounts, for distributors: the sub-customer list, the signed-in account's profile, blocking
//! and unblocking (with a confirmation the backend enforces, as for engine stops) and messages.

use crate::audit::{AuditEntry, AuditLog, AuditOutcome};
use crate::confirmations::Confirmations;
use crate::error::AppError;
use crate::live::now_ms;
use crate::session::SessionManager;
use etrack::validate::MAX_MESSAGE_ACCOUNTS;
use etrack::UserInfo;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use ts_rs::TS;

/// What blocking or unblocking an account will do, and the id that confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountActionPreview {
    /// Give this back to `account_block_confirm` (once, within `expiresInSecs`).
    pub confirmation_id: String,
    /// The account the action is for.
    pub account: String,
    /// Its user name.
    pub username: String,
    /// Its role in words.
    pub role: String,
    /// Whether it is blocked now.
    pub blocked_now: bool,
    /// `true` to block, `false` to unblock.
    pub block: bool,
    /// "Block account" / "Unblock account".
    pub action: String,
    /// What will happen, in plain words.
    pub effect: String,
    /// How long the confirmation id stays valid.
    pub expires_in_secs: u32,
}

/// How a message went out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageSendResult {
    /// How many requests it took (at most 200 accounts each).
    pub sends: u32,
    /// How many distinct accounts it went to.
    pub recipients: u32,
}

#[derive(Debug, Clone)]
struct PreparedBlock {
    account: String,
    provider: String,
    target: UserInfo,
    block: bool,
}

/// Account actions of the signed-in distributor.
pub struct AccountDesk {
    confirmations: Confirmations<PreparedBlock>,
    audit: Arc<AuditLog>,
}

impl AccountDesk {
    /// A desk that records blocks and unblocks to `audit`.
    pub fn new(audit: Arc<AuditLog>) -> Self {
        Self {
            confirmations: Confirmations::default(),
            audit,
        }
    }

    /// Confirmation ids live `ttl` (tests).
    pub fn with_confirmation_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.confirmations = Confirmations::new(ttl);
        self
    }

    /// The signed-in account's sub-customers (the account itself left out).
    pub async fn list(&self, sessions: &SessionManager) -> Result<Vec<UserInfo>, AppError> {
        let client = sessions.client().await?;
        let me = client.account().to_owned();
        let mut list = client.user_list(None).await?;
        list.retain(|u| !u.account.eq_ignore_ascii_case(&me));
        Ok(list)
    }

    /// The signed-in account's own information.
    pub async fn profile(&self, sessions: &SessionManager) -> Result<UserInfo, AppError> {
        let client = sessions.client().await?;
        Ok(client.user_info(client.account()).await?)
    }

    /// Reads the account now and issues a confirmation id for blocking (or unblocking) it.
    /// Nothing is changed.
    pub async fn prepare_block(
        &self,
        sessions: &SessionManager,
        account: &str,
        block: bool,
    ) -> Result<AccountActionPreview, AppError> {
        let account = account.trim();
        let client = sessions.client().await?;
        if account.eq_ignore_ascii_case(client.account()) {
            return Err(AppError::invalid(
                "You cannot block or unblock the account you are signed in with.",
            ));
        }
        let target = client.user_info(account).await?;
        if target.is_blocked() == block {
            return Err(AppError::invalid(format!(
                "{} is already {}.",
                target.account,
                if block { "blocked" } else { "unblocked" }
            )));
        }
        let who = if target.username.trim().is_empty() {
            target.account.clone()
        } else {
            format!("{} ({})", target.account, target.username.trim())
        };
        let effect = if block {
            format!("{who} will be blocked: it can no longer sign in or use the provider until it is unblocked.")
        } else {
            format!("{who} will be unblocked: it can sign in again.")
        };
        let preview = AccountActionPreview {
            confirmation_id: String::new(),
            account: target.account.clone(),
            username: target.username.clone(),
            role: target.role_words().to_owned(),
            blocked_now: target.is_blocked(),
            block,
            action: action_words(block).to_owned(),
            effect,
            expires_in_secs: u32::try_from(self.confirmations.ttl().as_secs()).unwrap_or(60),
        };
        let id = self.confirmations.issue(
            PreparedBlock {
                account: client.account().to_owned(),
                provider: client.base_url().to_owned(),
                target,
                block,
            },
            None,
        );
        Ok(AccountActionPreview {
            confirmation_id: id,
            ..preview
        })
    }

    /// Blocks or unblocks as prepared, if the id is valid, unused and not expired; returns the
    /// account as the provider has it afterwards. Any refusal changes nothing.
    pub async fn confirm_block(
        &self,
        sessions: &SessionManager,
        confirmation_id: &str,
    ) -> Result<UserInfo, AppError> {
        let p = self
            .confirmations
            .redeem(confirmation_id, None)
            .map_err(|refusal| AppError::Refused {
                refusal,
                nothing: "Nothing was changed",
            })?;
        let client = sessions.client().await?;
        if client.account() != p.account || client.base_url() != p.provider {
            return Err(AppError::invalid(format!(
                "The signed-in account changed since this confirmation was shown (it was for {}). Nothing was changed.",
                p.account
            )));
        }
        let name = p.target.account.as_str();
        let done = if p.block {
            client.block_user(name).await
        } else {
            client.unblock_user(name).await
        };
        let (outcome, reply) = match &done {
            Ok(()) => (AuditOutcome::Done, String::new()),
            Err(e) => {
                let refused = matches!(e, etrack::Error::Api { .. });
                let words = AppError::from(e.clone()).to_string();
                if refused {
                    (AuditOutcome::Refused, words)
                } else {
                    (AuditOutcome::Unknown, words)
                }
            }
        };
        let entry = AuditEntry {
            time: now_ms(),
            account: p.account.clone(),
            provider_url: p.provider.clone(),
            target: format!("account {name}"),
            imei: String::new(),
            action: action_words(p.block).to_owned(),
            command: if p.block { "block" } else { "unblock" }.to_owned(),
            command_id: String::new(),
            outcome,
            reply,
            stopped_waiting: false,
        };
        if let Err(e) = self.audit.append(&entry) {
            tracing::error!("cannot append to the audit log: {e}");
        }
        if let Err(e) = done {
            return Err(if matches!(e, etrack::Error::Api { .. }) {
                AppError::during(
                    format!("{} {name} was refused: ", action_words(p.block)),
                    e,
                    "",
                )
            } else {
                AppError::during(
                    format!(
                        "No clear answer from the provider: {name} may or may not be {}. It is not sent again; reload the list to see. (",
                        if p.block { "blocked" } else { "unblocked" }
                    ),
                    e,
                    ")",
                )
            });
        }
        match client.user_info(name).await {
            Ok(u) => Ok(u),
            // Done, but the re-read failed: report the state the provider accepted.
            Err(e) => {
                tracing::warn!("cannot re-read {name} after the change: {e}");
                Ok(UserInfo {
                    blockstatus: if p.block { 0 } else { 1 },
                    ..p.target
                })
            }
        }
    }

    /// Voids a block/unblock confirmation id (the dialog was cancelled).
    pub fn discard(&self, confirmation_id: &str) {
        self.confirmations.discard(confirmation_id);
    }

    /// Sends `content` to every account in `accounts` (duplicates dropped), at most 200 accounts a
    /// request. Everything is checked before the first request; if a later request fails, the
    /// error says which accounts already got the message. Nothing is re-sent.
    pub async fn send_message(
        &self,
        sessions: &SessionManager,
        accounts: &[String],
        content: &str,
    ) -> Result<MessageSendResult, AppError> {
        let mut to: Vec<String> = Vec::new();
        for a in accounts.iter().map(|a| a.trim()).filter(|a| !a.is_empty()) {
            if !to.iter().any(|t| t == a) {
                to.push(a.to_owned());
            }
        }
        if to.is_empty() {
            return Err(AppError::invalid("Choose at least one account."));
        }
        let batches: Vec<&[String]> = to.chunks(MAX_MESSAGE_ACCOUNTS).collect();
        for b in &batches {
            etrack::validate::message(b, content)?;
        }
        let client = sessions.client().await?;
        let mut done = 0usize;
        for (i, batch) in batches.iter().enumerate() {
            if let Err(e) = client.send_message(batch, content).await {
                return Err(if i == 0 {
                    AppError::during("The message was not sent: ", e, "")
                } else {
                    AppError::during(
                        format!(
                            "The message went to the first {done} of {} accounts; the rest failed: ",
                            to.len()
                        ),
                        e,
                        " Those already sent to are not sent again.",
                    )
                });
            }
            done += batch.len();
        }
        Ok(MessageSendResult {
            sends: u32::try_from(batches.len()).unwrap_or(u32::MAX),
            recipients: u32::try_from(to.len()).unwrap_or(u32::MAX),
        })
    }
}

fn action_words(block: bool) -> &'static str {
    if block {
        "Block account"
    } else {
        "Unblock account"
    }
}
