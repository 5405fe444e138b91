//! The four registers of R11. Each line is numbered `PREFIX-YYYY-NNNNNN` per store, register
//! and year, without gaps and never reused (`models::register_counter::next`, inside the
//! transaction that writes the line). Here: the hash chains (`chain`), `verify` and `heads`,
//! the export (`export`, `xlsx`) and what a line's page shows beyond its cells (`view`).

pub mod chain;
pub mod export;
pub mod heads;
pub mod verify;
pub mod view;
pub mod xlsx;
