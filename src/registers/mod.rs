//! The four registers of R11. Each line is numbered `PREFIX-YYYY-NNNNNN` per store, register
//! and year, without gaps and never reused.

pub mod chain;
pub mod export;
pub mod heads;
pub mod numbering;
pub mod verify;
pub mod view;
pub mod xlsx;
