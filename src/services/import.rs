//! `aftercare import visits FILE.csv`: visits exported from a dealer management system.
//! The file is checked as a whole first (UTF-8, a header, known columns); then every row goes
//! through the same service as the form and the API, each in its own (nested) transaction, so
//! a bad row is rejected whole and a failure in the middle leaves no half-written visit. Rows
//! are committed in batches of `BATCH` (each row a savepoint inside its batch's transaction):
//! one commit per row is what made large files slow. A database failure in the middle leaves
//! the batches before it imported; importing the file again updates them (by `external_id`).

use super::visits::{self, Source};
use super::{Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::visit::{VisitInput, FIELDS};

/// Columns without which no row could be valid.
const REQUIRED: [&str; 4] = ["kind", "customer_name", "phone", "checked_in_at"];

#[derive(Debug)]
pub struct Rejected {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub record: Vec<String>,
    pub errors: FieldErrors,
}

#[derive(Debug, Default)]
pub struct Report {
    pub headers: Vec<String>,
    pub imported: usize,
    pub updated: usize,
    pub rejected: Vec<Rejected>,
}

/// Problems with the file as a whole: nothing is imported.
pub fn check_file(bytes: &[u8]) -> Result<(&str, Vec<String>), FieldError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        FieldError::new("file", "file-not-utf8").arg("line", line)
    })?;
    if text.trim().is_empty() {
        return Err(FieldError::new("file", "file-empty"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.records().next() {
        Some(Ok(r)) => r.iter().map(|h| h.trim().to_string()).collect(),
        _ => return Err(FieldError::new("file", "header-missing")),
    };
    if !header.iter().any(|h| FIELDS.contains(&h.as_str())) {
        return Err(FieldError::new("file", "header-missing"));
    }
    let unknown: Vec<&str> = header
        .iter()
        .map(String::as_str)
        .filter(|h| !FIELDS.contains(h))
        .collect();
    if !unknown.is_empty() {
        return Err(FieldError::new("file", "columns-unknown").arg("columns", unknown.join(", ")));
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|r| !header.iter().any(|h| h == r))
        .collect();
    if !missing.is_empty() {
        return Err(FieldError::new("file", "columns-missing").arg("columns", missing.join(", ")));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = header.iter().find(|h| !seen.insert(h.as_str())) {
        return Err(FieldError::new("file", "columns-duplicate").arg("columns", dup));
    }
    Ok((text, header))
}

pub fn import(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    bytes: &[u8],
) -> Result<Report, ServiceError> {
    let (text, headers) = check_file(bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut report = Report {
        headers: headers.clone(),
        ..Report::default()
    };
    let mut records = reader.records().peekable();
    while records.peek().is_some() {
        crate::db::write_tx(conn, |conn| -> Result<(), ServiceError> {
            for result in records.by_ref().take(BATCH) {
                import_row(conn, ctx, actor, &headers, result, &mut report)?;
            }
            Ok(())
        })?;
    }
    Ok(report)
}

/// Rows per transaction.
const BATCH: usize = 500;

/// One row, through the visit service (its own savepoint inside the batch).
fn import_row(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    headers: &[String],
    result: Result<csv::StringRecord, csv::Error>,
    report: &mut Report,
) -> Result<(), ServiceError> {
    {
        let (line, record) = match result {
            Ok(r) => (r.position().map_or(0, |p| p.line()), r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.rejected.push(Rejected {
                    line,
                    record: Vec::new(),
                    errors: FieldError::new("file", "csv-malformed")
                        .arg("detail", e)
                        .into(),
                });
                return Ok(());
            }
        };
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        if cells.len() != headers.len() {
            let e = FieldError::new("file", "row-width")
                .arg("found", cells.len())
                .arg("expected", headers.len());
            report.rejected.push(Rejected {
                line,
                record: cells,
                errors: e.into(),
            });
            return Ok(());
        }
        let mut input = VisitInput::default();
        for (h, v) in headers.iter().zip(&cells) {
            input.set(h, Some(v.clone()));
        }
        match visits::record(conn, ctx, actor, &input, Source::Import) {
            Ok(r) if r.created => report.imported += 1,
            Ok(_) => report.updated += 1,
            Err(ServiceError::Invalid(errors)) => report.rejected.push(Rejected {
                line,
                record: cells,
                errors,
            }),
            Err(ServiceError::Conflict(code)) => report.rejected.push(Rejected {
                line,
                record: cells,
                errors: FieldError::new("external_id", code).into(),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
