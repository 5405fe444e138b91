//! A batch's rows read and validated as the row path does it (`import_rows::read_row`,
//! `domain::visit::validate`), and the rejects: each with its line, the cells as read and
//! every field's error.

use super::super::import_rows::{read_row, Rejected, Row};
use super::super::Ctx;
use crate::domain::error::FieldErrors;
use crate::domain::visit::{self, ValidVisit};

/// A valid row: its line, its cells as read (for the rejects file if a later step refuses
/// it) and the visit.
pub(super) type Valid = (u64, Vec<String>, ValidVisit);

/// The batch's rows parsed and validated, in file order: the valid ones, and the ones
/// rejected before any lookup. Empty rows are skipped, as on the row path.
pub(super) fn batch(
    ctx: &Ctx,
    headers: &[String],
    rows: impl Iterator<Item = Row>,
) -> (Vec<Valid>, Vec<Rejected>) {
    let clock = ctx.clock;
    let mut rejected: Vec<Rejected> = Vec::new();
    let mut valid: Vec<Valid> = Vec::new();
    for row in rows {
        match read_row(headers, row) {
            None => {}
            Some(Err(r)) => rejected.push(r),
            Some(Ok((line, cells, input))) => {
                match visit::validate(&input, clock.now_local(), &|t| clock.offset_to_local(t)) {
                    Ok(v) => valid.push((line, cells, v)),
                    Err(errors) => rejected.push(Rejected {
                        line,
                        record: cells,
                        errors,
                    }),
                }
            }
        }
    }
    (valid, rejected)
}

/// A valid row refused by a later step (its store, or the batch's state): the cells are
/// copied only then, so an accepted row costs no copy.
pub(super) fn rejected(line: u64, cells: &[String], errors: FieldErrors) -> Rejected {
    Rejected {
        line,
        record: cells.to_vec(),
        errors,
    }
}
