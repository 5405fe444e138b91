//! Bulk writing for the generator: rows become SQL literals and go out as multi-row INSERTs,
//! table by table in foreign-key order, inside the caller's (large) transaction. Only INSERTs:
//! the register tables are append-only (R11).

use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A value of a row: the generator builds rows of these, the writer binds them (SQLite) or
/// renders them as literals (PostgreSQL).
#[derive(Debug, Clone)]
pub enum V {
    Null,
    Int(i64),
    Text(String),
    Str(&'static str),
    Bool(bool),
    Date(NaiveDate),
    /// Whole seconds only, as `models::trunc` writes them, so the chain sees the same text.
    Ts(NaiveDateTime),
}

/// `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` into `buf` (chrono's formatter is slow at this size);
/// the same text diesel writes for these types.
fn write_date(d: NaiveDate, buf: &mut [u8; 19]) -> usize {
    use chrono::Datelike;
    let y = d.year().clamp(0, 9999) as u32;
    let digits = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10];
    for (i, x) in digits.iter().enumerate() {
        buf[i] = b'0' + *x as u8;
    }
    buf[4] = b'-';
    buf[5] = b'0' + (d.month() / 10) as u8;
    buf[6] = b'0' + (d.month() % 10) as u8;
    buf[7] = b'-';
    buf[8] = b'0' + (d.day() / 10) as u8;
    buf[9] = b'0' + (d.day() % 10) as u8;
    10
}

fn write_ts(t: NaiveDateTime, buf: &mut [u8; 19]) -> usize {
    use chrono::Timelike;
    write_date(t.date(), buf);
    buf[10] = b' ';
    for (i, x) in [t.hour(), t.minute(), t.second()].iter().enumerate() {
        buf[11 + i * 3] = b'0' + (x / 10) as u8;
        buf[12 + i * 3] = b'0' + (x % 10) as u8;
        if i < 2 {
            buf[13 + i * 3] = b':';
        }
    }
    19
}

impl V {
    /// The text of a date or timestamp value.
    pub fn date_text(&self, buf: &mut [u8; 19]) -> Option<usize> {
        match self {
            V::Date(d) => Some(write_date(*d, buf)),
            V::Ts(t) => Some(write_ts(*t, buf)),
            _ => None,
        }
    }
}

impl From<i32> for V {
    fn from(i: i32) -> V {
        V::Int(i.into())
    }
}
impl From<&str> for V {
    fn from(s: &str) -> V {
        V::Text(s.to_string())
    }
}
impl From<String> for V {
    fn from(s: String) -> V {
        V::Text(s)
    }
}
impl From<&String> for V {
    fn from(s: &String) -> V {
        V::Text(s.clone())
    }
}
impl From<bool> for V {
    fn from(b: bool) -> V {
        V::Bool(b)
    }
}
impl From<NaiveDate> for V {
    fn from(d: NaiveDate) -> V {
        V::Date(d)
    }
}
impl From<NaiveDateTime> for V {
    fn from(t: NaiveDateTime) -> V {
        V::Ts(t)
    }
}
impl<T: Into<V>> From<Option<T>> for V {
    fn from(o: Option<T>) -> V {
        o.map_or(V::Null, Into::into)
    }
}

/// A domain enum is written as its stored text.
macro_rules! text_values {
    ($($t:ty),+) => {$(
        impl From<&$t> for V {
            fn from(v: &$t) -> V {
                V::Str(v.as_str())
            }
        }
    )+};
}
text_values!(
    crate::domain::task::TaskKind,
    crate::domain::task::TaskStatus,
    crate::domain::task::CloseReason,
    crate::domain::call::Direction,
    crate::domain::call::Category,
    crate::domain::call::Outcome,
    crate::domain::call::ItemKind,
    crate::domain::call::EventAnswer,
    crate::domain::visit::VisitKind,
    crate::domain::event::EventKind,
    crate::domain::item::ItemStatus,
    crate::domain::item::ItemStep,
    crate::domain::letter::LetterKind,
    crate::domain::archive::Purpose,
    crate::domain::satisfaction::WinBackReason
);

/// `row![a, b, …]`: a row of values.
#[macro_export]
macro_rules! gen_row {
    ($($x:expr),* $(,)?) => { vec![$($crate::generate::sql::V::from($x)),*] };
}

impl V {
    /// The value as a PostgreSQL literal.
    fn literal(&self, out: &mut String) {
        match self {
            V::Null => out.push_str("NULL"),
            V::Int(i) => out.push_str(&i.to_string()),
            V::Bool(true) => out.push_str("TRUE"),
            V::Bool(false) => out.push_str("FALSE"),
            V::Text(s) => quote(s, out),
            V::Str(s) => quote(s, out),
            V::Date(_) | V::Ts(_) => {
                let mut buf = [0u8; 19];
                let n = self.date_text(&mut buf).unwrap_or(0);
                out.push('\'');
                out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or(""));
                out.push('\'');
            }
        }
    }
}

fn quote(s: &str, out: &mut String) {
    out.push('\'');
    for ch in s.chars() {
        if ch == '\'' {
            out.push('\'');
        }
        out.push(ch);
    }
    out.push('\'');
}

/// The tables the generator writes, in the order their rows must reach the database.
pub const TABLES: [(&str, &str); 20] = [
    ("users", "id, store_id, username, display_name, role, password_hash, lang, active_for_assignment, disabled, created_at, updated_at"),
    ("customers", "id, store_id, name, phone, address, clerk_id, merged_into_id, created_at, updated_at, no_calls, no_letters, call_hours, phone_flagged_on"),
    ("vehicles", "id, store_id, customer_id, plate, model, vehicle_type, created_at, updated_at"),
    ("advisors", "id, store_id, name, norm_name, disabled, created_at"),
    ("visits", "id, store_id, customer_id, vehicle_id, external_id, kind, checked_in_at, visit_date, picked_up_at, picked_up_on, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, odometer_km, source, created_by, created_at, updated_at, advisor, advisor_id"),
    ("events", "id, store_id, kind, title, starts_on, ends_on, place, content, audience, created_on, created_by, created_at"),
    ("absences", "id, store_id, clerk_id, substitute_id, from_date, to_date, note, created_by, created_at, cancelled_at"),
    ("tasks", "id, store_id, kind, customer_id, visit_id, clerk_id, window_start, window_end, status, close_reason, done_at, done_on, done_by, attempts, callback_at, planned_contact_id, created_at, updated_at, callback_on, last_attempt_at, last_outcome, item_id, event_id, note"),
    ("event_invitees", "id, event_id, customer_id, notice_task_id, answer"),
    ("archives", "id, store_id, visit_id, task_id, customer_id, archive_no, customer_name, address, phone, visit_date, vehicle_model, plate, vehicle_type, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, service_history, due_date, archived_at, archived_on, archived_by_id, archived_by, created_at"),
    ("planned_contacts", "id, store_id, archive_id, customer_id, purpose, planned_date, talking_points, task_id, created_at"),
    ("call_records", "id, store_id, record_no, customer_id, task_id, direction, category, outcome, called_at, called_on, callback_at, customer_name, phone, plate, topics, key_points, satisfied, event_answer, handled_by_id, handled_by, covering_for_id, created_at"),
    ("call_register", "id, store_id, register_no, call_record_id, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at"),
    ("items", "id, store_id, customer_id, call_record_id, clerk_id, kind, text, answered_on_call, answer, status, raised_at, raised_on, created_at, escalated_at, escalated_on, solution, solved_at, solved_on, told_on, satisfied, closed_on"),
    ("item_events", "item_id, kind, text, at, on_date, by_id, by_name"),
    ("call_satisfaction", "call_record_id, store_id, customer_id, called_on, handled_by_id, advisor_id, score, declined, aspects"),
    ("satisfaction_aspects", "call_record_id, aspect, score"),
    ("win_back_answers", "call_record_id, task_id, reason, text"),
    ("letter_register", "id, store_id, register_no, sent_on, customer_id, customer_name, address, letter_kind, subject, body, related_to, task_id, event_id, item_id, handled_by_id, handled_by, created_at"),
    ("register_chain", "store_id, register, year, line_id, prev_hash, hash, personal_digest, created_at"),
];

/// Table index by name (the order of `TABLES`).
pub fn table(name: &str) -> usize {
    TABLES
        .iter()
        .position(|(t, _)| *t == name)
        .unwrap_or_else(|| panic!("unknown table {name}"))
}

/// Rows waiting to be written, per table.
pub struct Sink {
    rows: Vec<Vec<Vec<V>>>,
    pub written: Vec<u64>,
}

impl Default for Sink {
    fn default() -> Self {
        Sink {
            rows: vec![Vec::new(); TABLES.len()],
            written: vec![0; TABLES.len()],
        }
    }
}

impl Sink {
    /// Queues one row for table `t`.
    pub fn push(&mut self, t: usize, row: Vec<V>) {
        debug_assert_eq!(row.len(), TABLES[t].1.split(',').count(), "{}", TABLES[t].0);
        self.rows[t].push(row);
    }

    /// Every queued row, per table (counted as written: the writer stops the run if not).
    pub fn take(&mut self) -> Vec<Vec<Vec<V>>> {
        for (t, rows) in self.rows.iter().enumerate() {
            self.written[t] += rows.len() as u64;
        }
        std::mem::replace(&mut self.rows, vec![Vec::new(); TABLES.len()])
    }
}

/// What the simulation hands the writer thread: one transaction of rows per table (written
/// in the order of `TABLES`, foreign keys first), then statements.
pub enum Job {
    Transaction(Vec<Vec<Vec<V>>>, Vec<String>),
}

/// The writer thread's seconds, per table and on statements.
pub struct Spent {
    tables: Vec<f64>,
    statements: f64,
}

impl Spent {
    pub fn total(&self) -> f64 {
        self.tables.iter().sum::<f64>() + self.statements
    }

    /// The `n` tables that took longest to write.
    pub fn slowest(&self, n: usize) -> Vec<(&'static str, f64)> {
        let mut t: Vec<(&'static str, f64)> = TABLES
            .iter()
            .zip(&self.tables)
            .map(|((name, _), s)| (*name, *s))
            .collect();
        t.sort_by(|a, b| b.1.total_cmp(&a.1));
        t.truncate(n);
        t
    }
}

/// Where rows go: PostgreSQL through diesel as multi-row INSERTs of literals; SQLite through
/// its own connection with one prepared INSERT per table (parsing SQL text is what costs most
/// at this size).
pub enum Writer<'a> {
    Pg(&'a mut DbConn),
    Sqlite(raw::Raw),
}

/// Rows per INSERT statement on PostgreSQL.
const CHUNK: usize = 500;

impl Writer<'_> {
    pub fn exec(&mut self, sql: &str) -> anyhow::Result<()> {
        match self {
            Writer::Pg(c) => {
                diesel::sql_query(sql).execute(*c)?;
            }
            Writer::Sqlite(r) => r.exec(sql)?,
        }
        Ok(())
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Writer::Sqlite(_))
    }

    /// The writer thread: every job in its own transaction, until the channel closes or a
    /// statement fails (then the transaction is left open and the run fails with it).
    pub fn serve(&mut self, jobs: std::sync::mpsc::Receiver<Job>) -> anyhow::Result<Spent> {
        let mut spent = Spent {
            tables: vec![0.0; TABLES.len()],
            statements: 0.0,
        };
        for job in jobs {
            let Job::Transaction(rows, statements) = job;
            let t = std::time::Instant::now();
            self.exec("BEGIN")?;
            spent.statements += t.elapsed().as_secs_f64();
            for (i, rows) in rows.iter().enumerate() {
                let t = std::time::Instant::now();
                self.insert(i, rows)?;
                spent.tables[i] += t.elapsed().as_secs_f64();
            }
            let t = std::time::Instant::now();
            for sql in &statements {
                self.exec(sql)?;
            }
            self.exec("COMMIT")?;
            spent.statements += t.elapsed().as_secs_f64();
        }
        Ok(spent)
    }

    fn insert(&mut self, t: usize, rows: &[Vec<V>]) -> anyhow::Result<()> {
        let (name, cols) = TABLES[t];
        match self {
            Writer::Pg(c) => {
                let mut sql = String::new();
                for chunk in rows.chunks(CHUNK) {
                    sql.clear();
                    sql.push_str("INSERT INTO ");
                    sql.push_str(name);
                    sql.push_str(" (");
                    sql.push_str(cols);
                    sql.push_str(") VALUES ");
                    for (i, row) in chunk.iter().enumerate() {
                        sql.push_str(if i == 0 { "(" } else { ",(" });
                        for (j, v) in row.iter().enumerate() {
                            if j > 0 {
                                sql.push(',');
                            }
                            v.literal(&mut sql);
                        }
                        sql.push(')');
                    }
                    diesel::sql_query(sql.as_str()).execute(*c)?;
                }
            }
            Writer::Sqlite(r) => {
                for row in rows {
                    r.insert(t, name, cols, row)?;
                }
            }
        }
        Ok(())
    }
}

pub mod raw;
