//! Client for the GPS-tracker vendor's Open API.

mod api;
mod client;
pub mod codes;
pub mod error;
pub mod lenient;
pub mod model;
mod options;
pub mod signature;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{Error, Result};
pub use model::*;
pub use options::{CommandOptions, FetchOptions, Progress, RetryPolicy};
pub use signature::PasswordHash;
pub use tokio_util::sync::CancellationToken;
