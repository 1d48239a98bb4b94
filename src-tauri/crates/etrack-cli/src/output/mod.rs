//! Output formats. Every function here is pure: records in, text out.

pub mod csv;
pub mod gpx;
pub mod json;
pub mod table;
