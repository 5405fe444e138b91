//! R10 and X5: what the supervisor's monthly (小结) and yearly (总结) summaries count, as pure
//! values — the period asked for, the figures of CONTRACT.md ("The monthly figures") with their
//! exact keys, and the rates, changes and medians computed from the counts. Which rows each
//! count takes is written once, as SQL predicates, in `models::summary`; this module says what
//! the numbers mean once counted.
//!
//! Counting rules (RULES.md, "Tasks" and "Figures for the summaries"): a task counts in the
//! month of its window end, a call or letter in the month of its own local date, an item in
//! the month it was raised. A task closed for a reason that is not the clerk's to answer for —
//! the customer refuses the channel (X4), was anonymised, the event was cancelled, the task was
//! superseded — is not due and not missed; any other close is missed, and so is an open task
//! whose window ended before the period's end (or before today, for a month still running).
//!
//! The parts: `period` (the month or year asked for), `figures` (the figures and a clerk's
//! scorecard), `keys` (the figures' keys, which are counted and which derived, the page's
//! sections), `stats` (rates, means, medians, changes) and `report` (what is written before
//! filing).

mod figures;
mod keys;
mod period;
mod report;
mod stats;

pub use figures::{scorecard, FailedCalls, Figures, Letters, SatisfactionSums, SCORECARD};
pub use keys::{COUNTED, DERIVED, SECTIONS};
pub use period::{Kind, Period};
pub use report::Report;
pub use stats::{change, mean, median, median_f, rate};
