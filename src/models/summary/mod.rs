//! R10, X5: the summaries' figures as aggregate queries — one `COUNT(CASE WHEN … THEN 1 END)`
//! per figure, grouped by clerk, one query per source table — so a month of 100,000 calls is
//! counted by the database, not loaded into Rust. Each figure's rows are named once, by a
//! predicate (`predicate`), which serves both the count and the list of lines behind it, so
//! "late first follow-ups: 7" opens exactly those 7. The SQL is portable (SQLite and
//! PostgreSQL); the only values written into it are integers and dates formatted here.
//! Also the stored summaries (drafts and filed versions).
//!
//! The parts: `scope` (what is counted and each source's FROM and joins), `predicates` (the
//! rows each figure takes — the one place they are written), `counts` (the counts, from the
//! rows or the counters), `sums` (X6's satisfaction sums), `per_clerk` (the scorecard's
//! figures counted per clerk alone), `lines` (the lines behind a figure, the clerks named),
//! `stored` (drafts and filed versions) and `counters` (rebuilding and verifying the counters).

mod counters;
mod counts;
mod lines;
mod per_clerk;
mod predicates;
mod scope;
mod stored;
mod sums;

pub use counters::{count_aside, disagreements, put_back, rebuild, Disagreement};
pub use counts::{counts, counts_with, ByClerk};
pub use lines::{clerks, lines, ClerkName, Line};
pub use per_clerk::{days_to_close, events_per_clerk, overdue_at_end};
pub use predicates::{
    call_predicate, predicate, satisfaction_predicate, task_predicate, CallCols, SatisfactionCols,
    TaskCols,
};
pub use scope::{Scope, Source};
pub use stored::{archive, by_id, file, insert_draft, save_report, versions, Stored};
pub use sums::{satisfaction_sums, satisfaction_sums_with, SumsBy};
