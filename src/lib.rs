//! aftercare — an after-sales follow-up CRM for car repair and service shops, enforcing the
//! after-sales regulation read as rules in RULES.md (R1–R11, X1–X5).
//!
//! Data flows one way: `web` and `cli` → `services` → `models` → `db`; `domain` holds the
//! pure rules and is used by all, using none of them.
//!
//! - `domain`: pure rules (windows, states, validation), no I/O
//! - `clock`: the one source of "today"
//! - `config`: typed settings with their sources
//! - `digest`: SHA-256 digests and random tokens
//! - `db`: connections (SQLite or PostgreSQL), pool, migrations, transactions
//! - `models`: rows and their queries
//! - `services`: use cases, each one transaction
//! - `registers`: the four registers of R11 — hash chains, verification, the export and a line's page (their numbers: `domain::register`, `models::register_counter`)
//! - `i18n`: translations (zh-CN, en)
//! - `jobs`: scheduled work (backup, session purge, overdue digest)
//! - `web`: pages and the JSON API
//! - `cli`: the `aftercare` command

pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod digest;
pub mod domain;
pub mod generate;
pub mod i18n;
pub mod jobs;
pub mod models;
pub mod registers;
pub mod services;
pub mod web;
