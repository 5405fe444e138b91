//! Rows and their queries: `X` (a row read), `NewX` (a row to insert) and plain functions
//! taking `&mut DbConn`. Error policy (written once, in `web::error`): models return diesel's
//! `QueryResult`; meaning is given to errors by `services`.

pub mod absence;
pub mod archive;
pub mod audit;
pub mod call;
pub mod customer;
pub mod event;
pub mod item;
pub mod job;
pub mod letter;
pub mod privacy;
pub mod queue;
pub mod satisfaction;
pub mod store;
pub mod summary;
pub mod task;
pub mod user;
pub mod visit;

use chrono::NaiveDateTime;

/// The id of the row just inserted. Both backends support `RETURNING`.
pub type Id = i32;

/// Seconds are enough for stored times and make SQLite text and PostgreSQL values compare
/// the same way.
pub fn trunc(t: NaiveDateTime) -> NaiveDateTime {
    t.with_nanosecond_zero()
}

trait NanoZero {
    fn with_nanosecond_zero(self) -> Self;
}

impl NanoZero for NaiveDateTime {
    fn with_nanosecond_zero(self) -> Self {
        use chrono::Timelike;
        self.with_nanosecond(0).unwrap_or(self)
    }
}
