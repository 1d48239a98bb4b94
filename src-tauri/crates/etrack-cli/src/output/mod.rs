//! Output formats. Every function here is pure: records in, text out. Playback routes are
//! written by `etrack::export`, shared with the desktop app.

pub mod csv;
pub mod json;
pub mod table;
