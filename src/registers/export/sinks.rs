//! The export's outputs: CSV (UTF-8 with a BOM so Excel shows Chinese, or GB18030 for old
//! Excel), JSON keyed by CONTRACT.md's columns, and the workbook's data sheet with the hash of
//! the CSV it equals. `drive` reads the register batch by batch on one thread while this one
//! writes, so memory stays flat however long the range.

use super::arguments::Query;
use super::cells::{neutralise, Batch, LineCells};
use super::columns::{column_kind, headers, keys, labels};
use crate::db::DbConn;
use crate::domain::privacy::Encoding;
use crate::i18n::I18N;
use crate::models::register_lines::{self, Window};
use std::io::Write;

/// Lines per batch of the export's walk.
const BATCH: i64 = 2000;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV in the chosen character set (UTF-8 with a BOM, or GB18030 without one).
    Csv(Encoding),
    /// `{"register", "from", "to", "lines": [{key: value}]}`, keyed by CONTRACT.md's columns.
    Json,
    /// An Excel workbook (`registers::xlsx`): the lines, then a sheet with the manifest.
    Xlsx,
}

/// What was written: the number of lines and the first and last register numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub lines: usize,
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Writes the register into `out`, batch by batch, so memory stays flat however long the
/// range. Stops at the first write error (a client gone, a full disk). CSV and JSON only: a
/// workbook is `write_xlsx`.
pub fn write(
    conn: &mut DbConn,
    q: &Query,
    format: Format,
    tz: chrono_tz::Tz,
    out: &mut dyn Write,
) -> anyhow::Result<Written> {
    let mut sink: Box<dyn Sink + '_> = match format {
        Format::Csv(Encoding::Utf8) => {
            out.write_all(b"\xEF\xBB\xBF")?;
            Box::new(CsvSink(csv::Writer::from_writer(out)))
        }
        Format::Csv(Encoding::Gb18030) => {
            Box::new(CsvSink(csv::Writer::from_writer(Gb18030::new(out))))
        }
        Format::Json => Box::new(JsonSink::start(out, q)?),
        Format::Xlsx => anyhow::bail!("an xlsx export is written by write_xlsx"),
    };
    drive(conn, q, tz, &mut *sink)
}

/// A register's data sheet, written; the caller adds the manifest and saves it.
pub struct XlsxDraft {
    pub book: crate::registers::xlsx::Book,
    /// The SHA-256 of the data as the UTF-8 CSV export of the same query would be: the same
    /// lines, the same value in both manifests, so a workbook can be checked against a CSV.
    pub data_sha256: String,
}

/// The register as a workbook's data sheet (constant memory: rows go to a temporary file).
pub fn write_xlsx(
    conn: &mut DbConn,
    q: &Query,
    tz: chrono_tz::Tz,
) -> anyhow::Result<(Written, XlsxDraft)> {
    let keys = keys(q.register);
    let kinds = keys.iter().map(|k| column_kind(k)).collect();
    let name = I18N.t(q.lang, &format!("register-title-{}", q.register.key()));
    let book = crate::registers::xlsx::Book::new(&name, &labels(q.register, q.lang), kinds)?;
    let mut hash = HashWriter(sha2::Sha256::new());
    hash.write_all(b"\xEF\xBB\xBF")?;
    let mut sink = XlsxSink {
        book,
        csv: CsvSink(csv::Writer::from_writer(hash)),
    };
    let written = drive(conn, q, tz, &mut sink)?;
    let hash = sink
        .csv
        .0
        .into_inner()
        .map_err(|e| anyhow::anyhow!("hash: {e}"))?;
    use sha2::Digest;
    Ok((
        written,
        XlsxDraft {
            book: sink.book,
            data_sha256: hex::encode(hash.0.finalize()),
        },
    ))
}

/// Feeds what is written into a SHA-256.
struct HashWriter(sha2::Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The data sheet, and the CSV the data hash is taken of.
struct XlsxSink {
    book: crate::registers::xlsx::Book,
    csv: CsvSink<HashWriter>,
}

impl Sink for XlsxSink {
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()> {
        self.csv.header(headers)
    }
    fn line(&mut self, keys: &[&str], cells: &[String]) -> anyhow::Result<()> {
        self.book.line(cells)?;
        self.csv.line(keys, cells)
    }
    fn finish(&mut self) -> anyhow::Result<()> {
        self.csv.finish()
    }
}

/// Reads the register batch by batch into `sink`.
fn drive(
    conn: &mut DbConn,
    q: &Query,
    tz: chrono_tz::Tz,
    sink: &mut dyn Sink,
) -> anyhow::Result<Written> {
    let cells = LineCells::for_export(conn, q, tz)?;
    let all = q.lines(&Default::default());
    sink.header(&headers(q.register, q.lang))?;
    let keys = keys(q.register);
    let mut written = Written::default();
    // Two stages on two threads: this one writes (CSV, hashing, the client or the file), a
    // scoped one reads the next batch meanwhile. The bounded channel keeps at most two batches
    // in memory; when writing fails, the reader stops at its next send.
    let (tx, rx) = std::sync::mpsc::sync_channel::<anyhow::Result<Batch>>(2);
    // Written batches go back to the reader to be freed there: a string freed on the thread
    // that did not allocate it takes the allocator's lock of the other thread (with glibc's
    // arenas that contention was a tenth of the export's time).
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Batch>();
    std::thread::scope(|s| {
        let (all, cells) = (&all, &cells);
        s.spawn(move || {
            // The walk starts just before the range's first line and stops at its last.
            let (mut last_id, until) = match register_lines::id_span(conn, q.register, all) {
                Ok(Some(span)) => span,
                Ok(None) => (0, 0),
                Err(e) => {
                    let _ = tx.send(Err(e.into()));
                    return;
                }
            };
            loop {
                let window = Window::After {
                    id: last_id,
                    until,
                    limit: BATCH,
                };
                let batch = cells.window(conn, all, window);
                let done = match &batch {
                    Ok(b) => match b.last() {
                        Some((id, _)) => {
                            last_id = *id;
                            false
                        }
                        None => true,
                    },
                    Err(_) => true,
                };
                if tx.send(batch).is_err() || done {
                    break;
                }
                drop(done_rx.try_iter().collect::<Vec<_>>());
            }
        });
        for batch in rx {
            let batch = batch?;
            for (_, cells) in &batch {
                sink.line(&keys, cells)?;
            }
            let number =
                |line: Option<&(i32, Vec<String>)>| line.and_then(|(_, c)| c.first().cloned());
            if written.first.is_none() {
                written.first = number(batch.first());
            }
            if !batch.is_empty() {
                written.last = number(batch.last());
            }
            written.lines += batch.len();
            let _ = done_tx.send(batch);
        }
        sink.finish()
    })?;
    Ok(written)
}

/// One output format of `write`.
trait Sink {
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()>;
    fn line(&mut self, keys: &[&str], cells: &[String]) -> anyhow::Result<()>;
    fn finish(&mut self) -> anyhow::Result<()>;
}

struct CsvSink<W: Write>(csv::Writer<W>);

impl<W: Write> Sink for CsvSink<W> {
    fn header(&mut self, headers: &[String]) -> anyhow::Result<()> {
        Ok(self.0.write_record(headers)?)
    }
    fn line(&mut self, _: &[&str], cells: &[String]) -> anyhow::Result<()> {
        for c in cells {
            self.0.write_field(neutralise(c).as_bytes())?;
        }
        Ok(self.0.write_record(None::<&[u8]>)?)
    }
    fn finish(&mut self) -> anyhow::Result<()> {
        self.0.flush()?;
        Ok(())
    }
}

/// JSON needs no spreadsheet neutralising: values go out as they are.
struct JsonSink<'a> {
    out: &'a mut dyn Write,
    first: bool,
}

impl<'a> JsonSink<'a> {
    fn start(out: &'a mut dyn Write, q: &Query) -> anyhow::Result<JsonSink<'a>> {
        write!(
            out,
            "{{\"register\":{},\"from\":\"{}\",\"to\":\"{}\",\"lines\":[",
            serde_json::to_string(q.register.key())?,
            q.from,
            q.to
        )?;
        Ok(JsonSink { out, first: true })
    }
}

impl Sink for JsonSink<'_> {
    fn header(&mut self, _: &[String]) -> anyhow::Result<()> {
        Ok(())
    }
    fn line(&mut self, keys: &[&str], cells: &[String]) -> anyhow::Result<()> {
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        let obj: serde_json::Map<String, serde_json::Value> = keys
            .iter()
            .zip(cells)
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::to_writer(&mut *self.out, &obj)?;
        Ok(())
    }
    fn finish(&mut self) -> anyhow::Result<()> {
        self.out.write_all(b"]}")?;
        self.out.flush()?;
        Ok(())
    }
}

/// Re-encodes the UTF-8 the CSV writer produces as GB18030, keeping the bytes of a character
/// split between two writes until the rest arrives.
struct Gb18030<W: Write> {
    out: W,
    carry: Vec<u8>,
}

impl<W: Write> Gb18030<W> {
    fn new(out: W) -> Self {
        Gb18030 {
            out,
            carry: Vec::new(),
        }
    }
}

impl<W: Write> Write for Gb18030<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.carry.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.carry) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
        };
        let text = std::str::from_utf8(&self.carry[..valid]).expect("checked");
        let (bytes, _, _) = encoding_rs::GB18030.encode(text);
        self.out.write_all(&bytes)?;
        self.carry.drain(..valid);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
