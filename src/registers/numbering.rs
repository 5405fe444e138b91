//! R11: gapless numbering, `PREFIX-YYYY-NNNNNN` per store, register and year: the number is
//! taken from the counter row (`models::register_counter::next`) inside the transaction that
//! writes the line.

// Named here while callers move to `domain::register` and `models::register_counter`
// (issue 15).
pub use crate::domain::register::{format, Register};
pub use crate::models::register_counter::next;
