//! What both import paths share (`services::import`, the row path, and
//! `services::bulk_import`): how to import, the report, a row of the file as a visit's
//! fields, and a batch's transaction.

use super::ServiceError;
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::Encoding;
use crate::domain::visit::VisitInput;

#[derive(Debug)]
pub struct Rejected {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub record: Vec<String>,
    pub errors: FieldErrors,
}

#[derive(Debug, Default)]
pub struct Report {
    /// A CSV's character set.
    pub read: Option<Read>,
    /// A workbook's sheet.
    pub sheet: Option<String>,
    /// Nothing was written.
    pub dry_run: bool,
    pub headers: Vec<String>,
    pub imported: usize,
    pub updated: usize,
    pub rejected: Vec<Rejected>,
}

/// Which character set a CSV file was read in, and whether it was named or detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub encoding: Encoding,
    pub detected: bool,
}

/// How to import.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Check every row and write nothing (everything is rolled back).
    pub dry_run: bool,
    /// Every row through `services::visits::record`, one savepoint each (the path of the
    /// form and the API), instead of `services::bulk_import`'s batches. Slower; kept as the
    /// reference the bulk path is tested against (`--row-by-row`, hidden).
    pub row_by_row: bool,
}

impl Report {
    pub(super) fn new(headers: &[String], opts: Options) -> Report {
        Report {
            headers: headers.to_vec(),
            dry_run: opts.dry_run,
            ..Report::default()
        }
    }
}

/// One row of the file: its line (the header is line 1) and its cells, or why it cannot be
/// read.
pub(super) type Row = (u64, Result<Vec<String>, FieldError>);

/// A row read: its line, its cells and the visit's fields they hold.
pub(super) type ReadRow = (u64, Vec<String>, VisitInput);

/// A row's cells as a visit's fields, or why the row is rejected before validation; `None`
/// for an empty row (skipped). The same for both paths.
pub(super) fn read_row(
    headers: &[String],
    (line, result): Row,
) -> Option<Result<ReadRow, Rejected>> {
    let cells = match result {
        Ok(cells) => cells,
        Err(e) => {
            return Some(Err(Rejected {
                line,
                record: Vec::new(),
                errors: e.into(),
            }))
        }
    };
    if cells.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    if cells.len() != headers.len() {
        let e = FieldError::new("file", "row-width")
            .arg("found", cells.len())
            .arg("expected", headers.len());
        return Some(Err(Rejected {
            line,
            record: cells,
            errors: e.into(),
        }));
    }
    let mut input = VisitInput::default();
    for (h, v) in headers.iter().zip(&cells) {
        input.set(h, Some(v.clone()));
    }
    Some(Ok((line, cells, input)))
}

/// One batch in one write transaction; a dry run rolls it back (the report keeps what would
/// have happened).
pub(super) fn batch_tx(
    conn: &mut DbConn,
    opts: Options,
    f: impl FnOnce(&mut DbConn) -> Result<(), ServiceError>,
) -> Result<(), ServiceError> {
    let r = crate::db::write_tx(conn, |conn| {
        f(conn)?;
        if opts.dry_run {
            return Err(ServiceError::Conflict("dry-run"));
        }
        Ok(())
    });
    match r {
        Err(ServiceError::Conflict("dry-run")) if opts.dry_run => Ok(()),
        other => other,
    }
}
