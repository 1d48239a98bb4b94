//! Client for the GPS-tracker vendor's Open API.

pub mod codes;
pub mod error;
pub mod lenient;
pub mod model;
pub mod signature;

pub use error::{Error, Result};
pub use model::*;
pub use signature::PasswordHash;
