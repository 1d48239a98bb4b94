//! Client for the GPS-tracker vendor's Open API.
//!
//! [`Client`] signs in with the account's hashed password, keeps one access token shared by all
//! its clones, and offers every endpoint of the spec as an async method: batching, paging,
//! retries and validation are done here so callers get complete, ordered results or one
//! [`Error`].
//!
//! ```no_run
//! # async fn demo() -> etrack::Result<()> {
//! use etrack::{Client, PasswordHash, TimeRange};
//! let client = Client::builder("demo", PasswordHash::from_password("demo-1234"))
//!     .base_url("http://127.0.0.1:8080")
//!     .build()?;
//! let devices = client.device_list(None).await?;
//! let imei: etrack::Imei = devices[0].imei.parse()?;
//! let week = TimeRange::new(1_700_000_000, 1_700_604_800)?;
//! let route = client.playback(&imei, week).await?;
//! println!("{} points", route.len());
//! # Ok(()) }
//! ```

mod adaptive;
mod api;
mod backoff;
mod client;
pub mod codes;
mod envelope;
pub mod error;
pub mod export;
mod history;
pub mod lenient;
pub mod model;
mod network;
mod options;
pub mod report;
pub mod signature;
mod token_store;
pub mod validate;

pub use adaptive::Fetched;
pub use api::ByImei;
pub use backoff::Backoff;
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{Error, Result};
pub use model::*;
pub use options::{CommandOptions, FetchOptions, Progress, RetryPolicy};
pub use signature::PasswordHash;
pub use token_store::{StoredToken, TokenStore};
pub use tokio_util::sync::CancellationToken;
