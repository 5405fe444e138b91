//! Pure rules of the regulation (RULES.md), with no I/O: no database, no clock source, no HTTP.
//! Everything here is a value in, a value out, so the rules can be tested by the thousand.
//!
//! - `cadence`: task windows and deadlines (R2 R3 R4 R5 R4c R4d R6 N1 X1)
//! - `task`: task kinds, statuses, states and timeliness
//! - `call`: call outcomes, categories, topics, items raised, and call validation
//! - `phone`, `plate`: parse, normalise and display customer identifiers
//! - `visit`: a visit or consultation as typed by a person, a DMS or the API, validated
//! - `archive`: the archive sheet's next-service plan (R3)
//! - `maintenance`: the next maintenance date A10 (X3)
//! - `role`: who may do what
//! - `privacy`: who sees whole phone numbers, export options and limits, retention (R11)
//! - `item`, `event`, `letter`: items followed to the end (R4b–R4d), events (R6), letters (R8)
//! - `error`: field errors that name the field and the reason
//! - `text`: the one check of every kept text for NUL, control and bidi characters
//! - `satisfaction`: satisfaction on follow-ups (X6), win-back reasons (X7), advisor names (X8)
//! - `register`: the four registers of R11, their number prefixes and columns
//! - `summary`: the periods and figures of the monthly and yearly summaries (R10, X5)

pub mod archive;
pub mod cadence;
pub mod call;
pub mod error;
pub mod event;
pub mod item;
pub mod job;
pub mod letter;
pub mod maintenance;
pub mod phone;
pub mod plate;
pub mod privacy;
pub mod register;
pub mod role;
pub mod satisfaction;
pub mod store;
pub mod summary;
pub mod task;
pub mod text;
pub mod visit;
