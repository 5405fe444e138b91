//! R11: the four registers as CSV — CONTRACT.md's columns and headers in the chosen language
//! (zh-CN default, en), coded values translated too, UTF-8 with a BOM so Excel shows Chinese,
//! and cells that a spreadsheet would run as a formula neutralised. Lines are read in keyset
//! batches by id, so memory does not grow with the range. The same writer serves
//! `aftercare export` and `GET /api/v1/registers/{register}`.

use super::numbering::Register;
use crate::db::schema::{
    archives, call_records, call_register, call_satisfaction, items, letter_register, stores,
};
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::privacy::{Encoding, Phones};
use crate::domain::visit::parse_date;
use crate::i18n::I18N;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::io::Write;

const BATCH: i64 = 2000;

impl Register {
    pub const ALL: [Register; 4] = [
        Register::Archives,
        Register::CallRecords,
        Register::CallRegister,
        Register::LetterRegister,
    ];

    pub fn parse(s: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.key() == s)
    }

    /// CONTRACT.md's column keys; the headers are their translations (`col-<register>-<key>`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Register::Archives => &[
                "archive_no",
                "customer_name",
                "address",
                "phone",
                "visit_date",
                "vehicle_model",
                "plate",
                "vehicle_type",
                "items",
                "maintenance_interval",
                "next_maintenance_date",
                "desired_services",
                "service_history",
                "due_date",
                "archived_on",
                "archived_by",
            ],
            Register::CallRecords => &[
                "record_no",
                "called_at",
                "direction",
                "category",
                "customer_name",
                "phone",
                "plate",
                "key_points",
                "items_raised",
                "handling",
                "handled_by",
                // X6: the satisfaction asked on a reached follow-up (empty: not asked).
                "satisfaction",
            ],
            Register::CallRegister => &[
                "register_no",
                "date",
                "customer_name",
                "phone",
                "direction",
                "category",
                "outcome",
                "handled_by",
                "record_no",
            ],
            Register::LetterRegister => &[
                "register_no",
                "sent_on",
                "customer_name",
                "address",
                "letter_kind",
                "subject",
                "handled_by",
                "related_to",
            ],
        }
    }
}

/// Every register ends with these (CONTRACT.md).
const TRAILER: [&str; 3] = ["store", "amends", "amend_reason"];

/// What to export.
#[derive(Debug, Clone)]
pub struct Query {
    pub register: Register,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub store_id: Option<i32>,
    pub lang: &'static str,
    /// Whole phone numbers, or `138****5678` (R11 privacy).
    pub phones: Phones,
}

/// Checks an export's arguments; every problem named.
pub fn parse_query(
    register: &str,
    from: Option<&str>,
    to: Option<&str>,
    lang: Option<&str>,
) -> Result<(Register, NaiveDate, NaiveDate, &'static str), FieldErrors> {
    let mut errs = FieldErrors::default();
    let r = errs.take(
        Register::parse(register)
            .ok_or_else(|| FieldError::new("register", "register-unknown").arg("value", register)),
    );
    let from = match from {
        Some(f) => errs.take(parse_date("from", f)),
        None => errs.take(Err(FieldError::new("from", "required"))),
    };
    let to = match to {
        Some(t) => errs.take(parse_date("to", t)),
        None => errs.take(Err(FieldError::new("to", "required"))),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.push(FieldError::new("from", "from-after-to"));
        }
    }
    let lang = match lang {
        None => Some(crate::i18n::DEFAULT_LANG),
        Some(l) => errs.take(
            crate::i18n::supported(Some(l))
                .ok_or_else(|| FieldError::new("lang", "lang-unknown").arg("value", l)),
        ),
    };
    errs.into_result(|| {
        (
            r.expect("checked"),
            from.expect("checked"),
            to.expect("checked"),
            lang.expect("checked"),
        )
    })
}

/// A cell a spreadsheet would take for a formula gets a leading apostrophe.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// X6: a call's satisfaction as one cell: `4（接待服务 5，按时交车 4）`, or "declined" in the
/// register's language.
pub fn satisfaction_cell(lang: &str, score: Option<i32>, aspects: &str) -> String {
    let Some(score) = score else {
        return I18N.t(lang, "satisfaction-declined");
    };
    let parts: Vec<String> = aspects
        .split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| format!("{} {v}", coded(lang, "aspect", k)))
        .collect();
    match (parts.is_empty(), lang) {
        (true, _) => score.to_string(),
        (false, "en") => format!("{score} ({})", parts.join(", ")),
        (false, _) => format!("{score}（{}）", parts.join("，")),
    }
}

/// A coded value (`outcome` `reached` …) in the export's language. Translations are compiled
/// in and never change, so each is looked up once per thread: an export of a million lines
/// asks for the same dozen words three million times.
fn coded(lang: &str, family: &str, value: &str) -> String {
    type Code = (String, String, String, String);
    thread_local! {
        // (lang, family, value, text): a few dozen entries, scanned without allocating.
        static CODES: std::cell::RefCell<Vec<Code>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CODES.with(|c| {
        if let Some(x) = c
            .borrow()
            .iter()
            .find(|x| x.2 == value && x.1 == family && x.0 == lang)
        {
            return x.3.clone();
        }
        let v = I18N.coded(lang, family, value);
        c.borrow_mut()
            .push((lang.into(), family.into(), value.into(), v.clone()));
        v
    })
}

/// Which lines of the filtered register: the export's keyset batches by id, or a page in
/// register-number order.
#[derive(Debug, Clone, Copy)]
enum Window {
    /// Lines with `id < line id <= until`, by id.
    After {
        id: i32,
        until: i32,
        limit: i64,
    },
    Page {
        limit: i64,
        offset: i64,
    },
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
fn like_anywhere(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The boxed query of a register's lines in the date range, the store and the filters.
/// `$keyset`: the export's walk by id. Its store condition is written `+store_id = ?` so that
/// SQLite walks the primary key (each line read once) instead of the (store, date) index,
/// which would sort the whole range again for every batch; PostgreSQL reads it the same.
macro_rules! filtered {
    ($t:ident, $date:ident, $clerk:ident, $q:expr, $f:expr, $keyset:expr $(, $category:ident)?) => {{
        let mut b = $t::table
            .filter($t::$date.between($q.from, $q.to))
            .into_boxed();
        match ($q.store_id, $keyset) {
            (Some(s), true) => {
                b = b.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(
                        "+",
                        stringify!($t),
                        ".store_id = "
                    ))
                    .bind::<diesel::sql_types::Integer, _>(s),
                )
            }
            (Some(s), false) => b = b.filter($t::store_id.eq(s)),
            (None, _) => {}
        }
        if let Some(c) = $f.clerk_id {
            b = b.filter($t::$clerk.eq(c));
        }
        if let Some(n) = $f.customer.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            b = b.filter($t::customer_name.like(like_anywhere(n)).escape('\\'));
        }
        if let Some(id) = $f.id {
            b = b.filter($t::id.eq(id));
        }
        $(
            if let Some(c) = $f.category.as_deref().filter(|c| !c.is_empty()) {
                b = b.filter($t::$category.eq(c.to_string()));
            }
        )?
        b
    }};
}
/// The filtered query cut to a window (see `Window`).
macro_rules! windowed {
    ($b:expr, $t:ident, $no:ident, $w:expr) => {
        match $w {
            Window::After { id, until, limit } => $b
                .filter($t::id.gt(id))
                .filter($t::id.le(until))
                .order($t::id)
                .limit(limit),
            Window::Page { limit, offset } => $b
                .order(($t::store_id, $t::$no, $t::id))
                .limit(limit)
                .offset(offset),
        }
    };
}

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
    pub book: super::xlsx::Book,
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
    let book = super::xlsx::Book::new(&name, &labels(q.register, q.lang), kinds)?;
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

/// How a workbook writes a register's column: dates as dates, everything else as text
/// (numbers, plates and phones included).
pub fn column_kind(key: &str) -> super::xlsx::Kind {
    use super::xlsx::Kind;
    match key {
        "visit_date"
        | "next_maintenance_date"
        | "due_date"
        | "archived_on"
        | "date"
        | "sent_on" => Kind::Date,
        "called_at" => Kind::DateTime,
        _ => Kind::Text,
    }
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
    book: super::xlsx::Book,
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
    let store_codes = stores_as(conn, StoreCell::Code)?;
    let clock = crate::clock::Clock::new(tz, None);
    let all = Filters::default();
    sink.header(&headers(q.register, q.lang))?;
    let keys = keys(q.register);
    let mut written = Written::default();
    // Two stages on two threads: this one writes (CSV, hashing, the client or the file), a
    // scoped one reads the next batch meanwhile. The bounded channel keeps at most two batches
    // in memory; when writing fails, the reader stops at its next send.
    let (tx, rx) = std::sync::mpsc::sync_channel::<anyhow::Result<Batch>>(2);
    std::thread::scope(|s| {
        let (all, clock, store_codes) = (&all, &clock, &store_codes);
        s.spawn(move || {
            // The walk starts just before the range's first line and stops at its last.
            let (mut last_id, until) = match id_span(conn, q) {
                Ok(Some(span)) => span,
                Ok(None) => (0, 0),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            };
            loop {
                let window = Window::After {
                    id: last_id,
                    until,
                    limit: BATCH,
                };
                let batch = fetch(conn, q, all, clock, store_codes, window);
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
            }
        });
        for batch in rx {
            for (_, cells) in batch? {
                if written.first.is_none() {
                    written.first = cells.first().cloned();
                }
                sink.line(&keys, &cells)?;
                written.lines += 1;
                if let Some(no) = cells.into_iter().next() {
                    written.last = Some(no);
                }
            }
        }
        sink.finish()
    })?;
    Ok(written)
}

/// A batch of lines: `(id, cells)`.
type Batch = Vec<(i32, Vec<String>)>;

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

/// The column keys of a register, CONTRACT.md's columns and the three trailing ones.
pub fn keys(register: Register) -> Vec<&'static str> {
    register
        .columns()
        .iter()
        .chain(TRAILER.iter())
        .copied()
        .collect()
}

/// The column headers of a register in `lang` (`col-<register>-<key>`).
pub fn headers(register: Register, lang: &str) -> Vec<String> {
    let prefix = format!("col-{}", register.key());
    keys(register)
        .iter()
        .map(|c| I18N.t(lang, &format!("{prefix}-{}", c.replace('_', "-"))))
        .collect()
}

/// The column labels of a register in `lang` (`column-<key>`), for the page, the paper form
/// and the workbook: words a reader understands in both languages. The CSV keeps `headers`,
/// whose English names are CONTRACT.md's identifiers that scripts read.
pub fn labels(register: Register, lang: &str) -> Vec<String> {
    keys(register)
        .iter()
        .map(|c| I18N.t(lang, &format!("column-{c}")))
        .collect()
}

/// What the register pages narrow a register to, beyond the export's `Query`. Empty: every
/// line of the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// 经办人: who handled the line (for archives: who completed the sheet), by user id.
    pub clerk_id: Option<i32>,
    /// The call's category (`follow_up`, `complaint`, …); call registers only, else ignored.
    pub category: Option<String>,
    /// A part of the customer's name.
    pub customer: Option<String>,
    /// One line, by id (a line's own page).
    pub id: Option<i32>,
}

/// The lines of a register for `q` and `f` as a page shows them, in register-number order
/// (store, number), as `(id, cells)`: the cells are the export's, in the export's column order
/// (`keys`), not yet neutralised for a spreadsheet, except that 门店 is the store's name (the
/// export files keep its code, CONTRACT.md). `limit` lines from `offset`.
pub fn rows(
    conn: &mut DbConn,
    q: &Query,
    f: &Filters,
    tz: chrono_tz::Tz,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Vec<(i32, Vec<String>)>> {
    let store_names = stores_as(conn, StoreCell::Name)?;
    let clock = crate::clock::Clock::new(tz, None);
    fetch(
        conn,
        q,
        f,
        &clock,
        &store_names,
        Window::Page { limit, offset },
    )
}

/// The ids around the lines of `q`: (the first's - 1, the last's), found on the (store, date)
/// index; None when there is none.
fn id_span(conn: &mut DbConn, q: &Query) -> anyhow::Result<Option<(i32, i32)>> {
    use diesel::dsl::{max, min};
    let f = Filters::default();
    let span: (Option<i32>, Option<i32>) = match q.register {
        Register::Archives => filtered!(archives, archived_on, archived_by_id, q, f, false)
            .select((min(archives::id), max(archives::id)))
            .first(conn)?,
        Register::CallRecords => filtered!(call_records, called_on, handled_by_id, q, f, false)
            .select((min(call_records::id), max(call_records::id)))
            .first(conn)?,
        Register::CallRegister => filtered!(call_register, called_on, handled_by_id, q, f, false)
            .select((min(call_register::id), max(call_register::id)))
            .first(conn)?,
        Register::LetterRegister => filtered!(letter_register, sent_on, handled_by_id, q, f, false)
            .select((min(letter_register::id), max(letter_register::id)))
            .first(conn)?,
    };
    Ok(match span {
        (Some(first), Some(last)) => Some((first - 1, last)),
        _ => None,
    })
}

/// How many lines `rows` has for `q` and `f` in all.
pub fn count(conn: &mut DbConn, q: &Query, f: &Filters) -> anyhow::Result<i64> {
    Ok(match q.register {
        Register::Archives => filtered!(archives, archived_on, archived_by_id, q, f, false)
            .count()
            .get_result(conn)?,
        Register::CallRecords => filtered!(
            call_records,
            called_on,
            handled_by_id,
            q,
            f,
            false,
            category
        )
        .count()
        .get_result(conn)?,
        Register::CallRegister => filtered!(
            call_register,
            called_on,
            handled_by_id,
            q,
            f,
            false,
            category
        )
        .count()
        .get_result(conn)?,
        Register::LetterRegister => filtered!(letter_register, sent_on, handled_by_id, q, f, false)
            .count()
            .get_result(conn)?,
    })
}

/// How a line's 门店 cell names its store.
#[derive(Clone, Copy)]
enum StoreCell {
    /// The code, as the export files give it (CONTRACT.md).
    Code,
    /// The name, as a page shows it (issue 12).
    Name,
}

/// Each store's id and the text its lines' 门店 cell shows.
fn stores_as(conn: &mut DbConn, cell: StoreCell) -> anyhow::Result<Vec<(i32, String)>> {
    Ok(match cell {
        StoreCell::Code => stores::table
            .select((stores::id, stores::code))
            .load(conn)?,
        StoreCell::Name => stores::table
            .select((stores::id, stores::name))
            .load(conn)?,
    })
}

/// A call-register line as the export reads it: id, store, then the cells' raw values.
type CallRegisterCells = (
    i32,
    i32,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// One window of a register's lines as cells (the trailing columns included).
fn fetch(
    conn: &mut DbConn,
    q: &Query,
    f: &Filters,
    clock: &crate::clock::Clock,
    store_codes: &[(i32, String)],
    w: Window,
) -> anyhow::Result<Vec<(i32, Vec<String>)>> {
    let lang = q.lang;
    let clock = *clock;
    let keyset = matches!(w, Window::After { .. });
    let phone = |stored: &str| {
        let p = Phone::from_stored(stored);
        match q.phones {
            Phones::Full => p.to_string(),
            Phones::Masked => p.masked(),
        }
    };
    let store_code = |id: i32| {
        store_codes
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let batch: Vec<(i32, Vec<String>)> = match q.register {
        Register::Archives => {
            let b = filtered!(archives, archived_on, archived_by_id, q, f, keyset);
            let rows: Vec<(
                crate::models::archive::Archive,
                Option<String>,
                Option<String>,
            )> = windowed!(b, archives, archive_no, w)
                .select((
                    crate::models::archive::Archive::as_select(),
                    archives::amends,
                    archives::amend_reason,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|(a, amends, amend_reason)| {
                    let interval = [
                        a.maintenance_interval_days
                            .map(|n| I18N.t_args(lang, "interval-days", &[("n", n.to_string())])),
                        a.maintenance_interval_km
                            .map(|n| I18N.t_args(lang, "interval-km", &[("n", n.to_string())])),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" / ");
                    (
                        a.id,
                        vec![
                            a.archive_no,
                            a.customer_name,
                            a.address.unwrap_or_default(),
                            phone(&a.phone),
                            a.visit_date.to_string(),
                            a.vehicle_model.unwrap_or_default(),
                            a.plate.as_deref().map(plate::display).unwrap_or_default(),
                            a.vehicle_type.unwrap_or_default(),
                            a.items,
                            interval,
                            a.next_maintenance_date
                                .map(|d| d.to_string())
                                .unwrap_or_default(),
                            a.desired_services.unwrap_or_default(),
                            a.service_history,
                            a.due_date.to_string(),
                            a.archived_on.to_string(),
                            a.archived_by,
                            store_code(a.store_id),
                            amends.unwrap_or_default(),
                            amend_reason.unwrap_or_default(),
                        ],
                    )
                })
                .collect()
        }
        Register::CallRecords => {
            let b = filtered!(
                call_records,
                called_on,
                handled_by_id,
                q,
                f,
                keyset,
                category
            );
            let rows: Vec<(
                crate::models::call::CallRecord,
                Option<String>,
                Option<String>,
            )> = windowed!(b, call_records, record_no, w)
                .select((
                    crate::models::call::CallRecord::as_select(),
                    call_records::amends,
                    call_records::amend_reason,
                ))
                .load(conn)?;
            let ids: Vec<i32> = rows.iter().map(|r| r.0.id).collect();
            // The items of the whole batch in one query, not one per line.
            let raised: Vec<(i32, String, String, String, Option<String>)> = items::table
                .filter(items::call_record_id.eq_any(&ids))
                .order(items::id)
                .select((
                    items::call_record_id,
                    items::kind,
                    items::text,
                    items::status,
                    items::answer,
                ))
                .load(conn)?;
            let sep = if lang == "en" { "; " } else { "；" };
            let colon = if lang == "en" { ": " } else { "：" };
            let scores: std::collections::HashMap<i32, (Option<i32>, String)> =
                call_satisfaction::table
                    .filter(call_satisfaction::call_record_id.eq_any(&ids))
                    .select((
                        call_satisfaction::call_record_id,
                        call_satisfaction::score,
                        call_satisfaction::aspects,
                    ))
                    .load::<(i32, Option<i32>, String)>(conn)?
                    .into_iter()
                    .map(|(id, score, aspects)| (id, (score, aspects)))
                    .collect();
            rows.into_iter()
                .map(|(r, amends, amend_reason)| {
                    let mine: Vec<_> = raised.iter().filter(|i| i.0 == r.id).collect();
                    let items_raised = mine
                        .iter()
                        .map(|i| format!("{}{colon}{}", coded(lang, "item-kind", &i.1), i.2))
                        .collect::<Vec<_>>()
                        .join(sep);
                    let handling = mine
                        .iter()
                        .map(|i| match &i.4 {
                            Some(a) if i.3 == "answered" => {
                                format!("{}{colon}{a}", coded(lang, "item-status", "answered"))
                            }
                            _ => coded(lang, "item-status", "open"),
                        })
                        .collect::<Vec<_>>()
                        .join(sep);
                    (
                        r.id,
                        vec![
                            r.record_no,
                            clock
                                .with_offset(r.called_at)
                                .format("%Y-%m-%d %H:%M")
                                .to_string(),
                            coded(lang, "direction", r.direction.as_str()),
                            coded(lang, "category", r.category.as_str()),
                            r.customer_name,
                            phone(&r.phone),
                            r.plate.as_deref().map(plate::display).unwrap_or_default(),
                            r.key_points,
                            items_raised,
                            handling,
                            r.handled_by,
                            scores
                                .get(&r.id)
                                .map(|(score, aspects)| satisfaction_cell(lang, *score, aspects))
                                .unwrap_or_default(),
                            store_code(r.store_id),
                            amends.unwrap_or_default(),
                            amend_reason.unwrap_or_default(),
                        ],
                    )
                })
                .collect()
        }
        Register::CallRegister => {
            let b = filtered!(
                call_register,
                called_on,
                handled_by_id,
                q,
                f,
                keyset,
                category
            );
            // The busiest register (a million lines a year in a dealer group): only the
            // export's columns, the date as the database's text, no model in between.
            let rows: Vec<CallRegisterCells> = windowed!(b, call_register, register_no, w)
                .select((
                    call_register::id,
                    call_register::store_id,
                    call_register::register_no,
                    diesel::dsl::sql::<diesel::sql_types::Text>(
                        "CAST(call_register.called_on AS TEXT)",
                    ),
                    call_register::customer_name,
                    call_register::phone,
                    call_register::direction,
                    call_register::category,
                    call_register::outcome,
                    call_register::handled_by,
                    call_register::record_no,
                    call_register::amends,
                    call_register::amend_reason,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|l| {
                    (
                        l.0,
                        vec![
                            l.2,
                            l.3,
                            l.4,
                            phone(&l.5),
                            coded(lang, "direction", &l.6),
                            coded(lang, "category", &l.7),
                            coded(lang, "outcome", &l.8),
                            l.9,
                            l.10,
                            store_code(l.1),
                            l.11.unwrap_or_default(),
                            l.12.unwrap_or_default(),
                        ],
                    )
                })
                .collect()
        }
        Register::LetterRegister => {
            let b = filtered!(letter_register, sent_on, handled_by_id, q, f, keyset);
            let rows: Vec<(
                crate::models::letter::LetterLine,
                Option<String>,
                Option<String>,
            )> = windowed!(b, letter_register, register_no, w)
                .select((
                    crate::models::letter::LetterLine::as_select(),
                    letter_register::amends,
                    letter_register::amend_reason,
                ))
                .load(conn)?;
            rows.into_iter()
                .map(|(l, amends, amend_reason)| {
                    (
                        l.id,
                        vec![
                            l.register_no,
                            l.sent_on.to_string(),
                            l.customer_name,
                            l.address,
                            coded(lang, "letter-kind", l.letter_kind.as_str()),
                            l.subject,
                            l.handled_by,
                            l.related_to,
                            store_code(l.store_id),
                            amends.unwrap_or_default(),
                            amend_reason.unwrap_or_default(),
                        ],
                    )
                })
                .collect()
        }
    };
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("王伟"), "王伟");
    }

    #[test]
    fn r11_export_arguments_are_checked() {
        assert!(parse_query(
            "call-register",
            Some("2026-11-01"),
            Some("2026-11-30"),
            None
        )
        .is_ok());
        let e =
            parse_query("calls", Some("2026-12-01"), Some("2026-11-01"), Some("fr")).unwrap_err();
        let codes: Vec<_> = e.0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec!["register-unknown", "from-after-to", "lang-unknown"]
        );
    }
}
