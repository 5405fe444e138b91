//! `aftercare import visits FILE.csv|FILE.xlsx|FILE.xls`: visits exported from a dealer
//! management system. The file is checked as a whole first (its character set — UTF-8 with or
//! without a BOM, or GB18030/GBK, detected or named — or its sheet, a header, known columns);
//! then every row goes through the same service as the form and the API, each in its own
//! (nested) transaction, so a bad row is rejected whole and a failure in the middle leaves no
//! half-written visit. Rows are committed in batches of `BATCH` (each row a savepoint inside
//! its batch's transaction): one commit per row is what made large files slow. An import
//! killed in the middle leaves the batches before it, each row whole; importing the file again
//! updates the rows already there (by `external_id`) and adds the rest. A dry run checks every
//! row the same way and rolls everything back.

use super::import_rows::{batch_tx, read_row, Row};
pub use super::import_rows::{Options, Read, Rejected, Report};
use super::visits;
use super::{Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::domain::privacy::Encoding;
use crate::domain::visit::VisitSource;
use crate::domain::visit::FIELDS;

/// Columns without which no row could be valid.
const REQUIRED: [&str; 4] = ["kind", "customer_name", "phone", "checked_in_at"];

/// The file's text: UTF-8 (a BOM dropped) or GB18030, as named, or detected (UTF-8 when the
/// bytes are valid UTF-8, else GB18030 when they decode without error).
pub fn decode(
    bytes: &[u8],
    named: Option<Encoding>,
) -> Result<(std::borrow::Cow<'_, str>, Read), FieldError> {
    let (utf8, gb) = (as_utf8, as_gb18030);
    match named {
        Some(Encoding::Utf8) => utf8(bytes).map(|t| {
            (
                t.into(),
                Read {
                    encoding: Encoding::Utf8,
                    detected: false,
                },
            )
        }),
        Some(Encoding::Gb18030) => gb(bytes).map(|t| {
            (
                t,
                Read {
                    encoding: Encoding::Gb18030,
                    detected: false,
                },
            )
        }),
        None => match utf8(bytes) {
            Ok(t) => Ok((
                t.into(),
                Read {
                    encoding: Encoding::Utf8,
                    detected: true,
                },
            )),
            Err(e) => match gb(bytes) {
                Ok(t) => Ok((
                    t,
                    Read {
                        encoding: Encoding::Gb18030,
                        detected: true,
                    },
                )),
                Err(_) => Err(e),
            },
        },
    }
}

/// UTF-8 text, a BOM dropped; else the line where it stops being UTF-8.
fn as_utf8(bytes: &[u8]) -> Result<&str, FieldError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        FieldError::new("file", "file-not-utf8").arg("line", line)
    })
}

/// GB18030 (a superset of GBK) text, refused at the first byte that is not.
fn as_gb18030(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, FieldError> {
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .ok_or_else(|| FieldError::new("file", "file-not-gb18030"))
}

/// Problems with the header row: nothing is imported. Gives back the trimmed headers.
pub fn check_header(header: Vec<String>) -> Result<Vec<String>, FieldError> {
    let header: Vec<String> = header.into_iter().map(|h| h.trim().to_string()).collect();
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
    Ok(header)
}

/// Problems with a CSV file as a whole: nothing is imported.
pub fn check_file(
    bytes: &[u8],
    named: Option<Encoding>,
) -> Result<(std::borrow::Cow<'_, str>, Vec<String>, Read), FieldError> {
    let (text, read) = decode(bytes, named)?;
    if text.trim().is_empty() {
        return Err(FieldError::new("file", "file-empty"));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.records().next() {
        Some(Ok(r)) => r.iter().map(str::to_string).collect(),
        _ => return Err(FieldError::new("file", "header-missing")),
    };
    let header = check_header(header)?;
    Ok((text, header, read))
}

/// A file to import: a CSV's bytes, or a workbook's (`.xlsx`, `.xls`) and the sheet to read.
#[derive(Debug, Clone, Copy)]
pub enum File<'a> {
    Csv {
        bytes: &'a [u8],
        encoding: Option<Encoding>,
    },
    Workbook {
        bytes: &'a [u8],
        sheet: Option<&'a str>,
    },
}

pub fn import(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    file: File,
    opts: Options,
) -> Result<Report, ServiceError> {
    match file {
        File::Csv { bytes, encoding } => {
            let (text, headers, read) = check_file(bytes, encoding)?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .flexible(true)
                .from_reader(text.as_bytes());
            let rows = reader.records().map(|r| match r {
                Ok(r) => (
                    r.position().map_or(0, |p| p.line()),
                    Ok(r.iter().map(str::to_string).collect()),
                ),
                Err(e) => (
                    e.position().map_or(0, |p| p.line()),
                    Err(FieldError::new("file", "csv-malformed").arg("detail", e)),
                ),
            });
            let mut report = import_rows(conn, ctx, actor, headers, rows, opts)?;
            report.read = Some(read);
            Ok(report)
        }
        File::Workbook { bytes, sheet } => {
            let (headers, rows, name) = workbook_rows(bytes, sheet)?;
            let mut report = import_rows(conn, ctx, actor, headers, rows.into_iter(), opts)?;
            report.sheet = Some(name);
            Ok(report)
        }
    }
}

/// The rows of a workbook's sheet (the first, or `sheet`) as text: numbers as Excel stores
/// them (a phone typed as a number comes back without `.0`), dates as `YYYY-MM-DD` and
/// date-times as `YYYY-MM-DD HH:MM:SS`.
fn workbook_rows(
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(Vec<String>, Vec<Row>, String), FieldError> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|_| FieldError::new("file", "workbook-unreadable"))?;
    let names = book.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                FieldError::new("sheet", "sheet-unknown")
                    .arg("value", s)
                    .arg("sheets", names.join(", "))
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| FieldError::new("file", "file-empty"))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|_| FieldError::new("file", "workbook-unreadable"))?;
    // Line numbers as Excel shows them: the range may start below row 1.
    let top = range.start().map_or(0, |(r, _)| r as u64);
    let mut rows = range.rows();
    let header: Vec<String> = match rows.next() {
        Some(h) => h.iter().map(|c| cell_text(c, "")).collect(),
        None => return Err(FieldError::new("file", "file-empty")),
    };
    // Trailing empty header cells (a sheet formatted wider than its data) are not columns.
    let width = header
        .iter()
        .rposition(|h| !h.trim().is_empty())
        .map_or(0, |i| i + 1);
    let header = check_header(header[..width].to_vec())?;
    let out = rows
        .enumerate()
        .map(|(i, r)| {
            let line = top + i as u64 + 2;
            let mut cells = Vec::with_capacity(width);
            for (c, d) in r.iter().enumerate() {
                if let calamine::Data::Error(e) = d {
                    let field = header.get(c).cloned().unwrap_or_else(|| "file".into());
                    return (
                        line,
                        Err(FieldError::new(field, "cell-error").arg("value", e.to_string())),
                    );
                }
                let field = header.get(c).map(String::as_str).unwrap_or("");
                cells.push(cell_text(d, field));
            }
            // Cells beyond the header that are empty are not a wider row.
            while cells.len() > width && cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            (line, Ok(cells))
        })
        .collect();
    Ok((header, out, name))
}

/// A workbook cell as the import's text. `field` says whether a date is a date-time.
fn cell_text(d: &calamine::Data, field: &str) -> String {
    use calamine::{Data, DataType};
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(_) => match d.as_datetime() {
            Some(t) if field.ends_with("_at") => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            Some(t) if t.time() == chrono::NaiveTime::MIN => t.date().to_string(),
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => d.to_string(),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// The rows in bulk (`bulk_import`), or each through the visit service.
fn import_rows(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    headers: Vec<String>,
    rows: impl Iterator<Item = Row>,
    opts: Options,
) -> Result<Report, ServiceError> {
    if opts.row_by_row {
        row_by_row(conn, ctx, actor, headers, rows, opts)
    } else {
        super::bulk_import::import_rows(conn, ctx, actor, headers, rows, opts)
    }
}

/// The rows through the visit service, in batches; a dry run rolls every batch back.
fn row_by_row(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    headers: Vec<String>,
    rows: impl Iterator<Item = Row>,
    opts: Options,
) -> Result<Report, ServiceError> {
    let mut report = Report::new(&headers, opts);
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        batch_tx(conn, opts, |conn| {
            for row in rows.by_ref().take(BATCH) {
                import_row(conn, ctx, actor, &headers, row, &mut report)?;
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
    row: Row,
    report: &mut Report,
) -> Result<(), ServiceError> {
    let (line, cells, input) = match read_row(headers, row) {
        None => return Ok(()),
        Some(Err(r)) => {
            report.rejected.push(r);
            return Ok(());
        }
        Some(Ok(r)) => r,
    };
    match visits::record(conn, ctx, actor, &input, VisitSource::Import) {
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
    Ok(())
}
