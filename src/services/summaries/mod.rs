//! R10: the supervisor's monthly (小结) and yearly (总结) summaries — drafted live from the data
//! (`draft`), stored as a draft by the scheduler on the 1st (`store_draft`), completed with the
//! written report (`save_report`), filed (`file`: the figures frozen with the head of each
//! register's hash chain) and corrected by a new version that keeps the old (`correct`).
//!
//! The parts: `snapshot` (what a summary shows, and CONTRACT.md's JSON of it), `live` (the
//! figures counted from the data, the draft, the lines behind a figure), `stored` (a summary
//! as its page shows it, the archive), `filing` (the draft stored, written, filed, corrected),
//! `access` (whose summaries a user sees and writes), `export` (the per-clerk table as CSV and
//! workbook) and `counters` (rebuilding the counters).

mod access;
mod counters;
mod export;
mod filing;
mod live;
mod snapshot;
mod stored;

/// A stored summary (draft or filed version) and where its figures came from, as the pages show them.
pub use crate::models::summary::{Line, Source, Stored};
pub use crate::models::visit::items_of;
pub use access::store_for;
pub use counters::rebuild;
pub use export::{clerks_csv, clerks_xlsx};
pub use filing::{correct, file, save_report, store_drafts};
pub use live::{draft, figures, lines, scope, Grouped};
pub use snapshot::{
    AdvisorRow, ClerkRow, Contract, ContractAdvisor, ContractClerk, MonthRow, Snapshot,
};
pub use stored::{archive, contract, view, View};
