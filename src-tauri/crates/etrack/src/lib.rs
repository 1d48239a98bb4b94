//! Client for the GPS-tracker vendor's Open API.

pub mod codes;
pub mod signature;

pub use signature::PasswordHash;
