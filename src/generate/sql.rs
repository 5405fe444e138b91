//! Bulk writing for the generator: rows become SQL literals and go out as multi-row INSERTs,
//! table by table in foreign-key order, inside the caller's (large) transaction. Only INSERTs:
//! the register tables are append-only (R11).

use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// SQL literals for one backend.
#[derive(Debug, Clone, Copy)]
pub struct Lit {
    pub sqlite: bool,
}

impl Lit {
    pub fn text(self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + 2);
        out.push('\'');
        for ch in s.chars() {
            if ch == '\'' {
                out.push('\'');
            }
            out.push(ch);
        }
        out.push('\'');
        out
    }
    pub fn opt_text(self, s: Option<&str>) -> String {
        s.map_or_else(|| "NULL".into(), |s| self.text(s))
    }
    pub fn date(self, d: NaiveDate) -> String {
        format!("'{}'", d.format("%Y-%m-%d"))
    }
    pub fn opt_date(self, d: Option<NaiveDate>) -> String {
        d.map_or_else(|| "NULL".into(), |d| self.date(d))
    }
    /// Whole seconds only, as `models::trunc` writes them, so the chain sees the same text.
    pub fn ts(self, t: NaiveDateTime) -> String {
        format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
    }
    pub fn opt_ts(self, t: Option<NaiveDateTime>) -> String {
        t.map_or_else(|| "NULL".into(), |t| self.ts(t))
    }
    pub fn bool(self, b: bool) -> &'static str {
        match (self.sqlite, b) {
            (true, true) => "1",
            (true, false) => "0",
            (false, true) => "TRUE",
            (false, false) => "FALSE",
        }
    }
    pub fn opt_bool(self, b: Option<bool>) -> &'static str {
        b.map_or("NULL", |b| self.bool(b))
    }
    pub fn opt_int(self, i: Option<i32>) -> String {
        i.map_or_else(|| "NULL".into(), |i| i.to_string())
    }
}

/// The tables the generator writes, in the order their rows must reach the database.
pub const TABLES: [(&str, &str); 16] = [
    ("users", "id, store_id, username, display_name, role, password_hash, lang, active_for_assignment, disabled, created_at, updated_at"),
    ("customers", "id, store_id, name, phone, address, clerk_id, merged_into_id, created_at, updated_at, no_calls, no_letters, call_hours, phone_flagged_on"),
    ("vehicles", "id, store_id, customer_id, plate, model, vehicle_type, created_at, updated_at"),
    ("visits", "id, store_id, customer_id, vehicle_id, external_id, kind, checked_in_at, visit_date, picked_up_at, picked_up_on, items, maintenance_interval_days, maintenance_interval_km, next_maintenance_date, desired_services, odometer_km, source, created_by, created_at, updated_at"),
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
    pub lit: Lit,
    rows: Vec<Vec<String>>,
    buffered: usize,
    pub written: Vec<u64>,
}

/// Rows per INSERT statement.
const CHUNK: usize = 400;
/// Buffered rows (all tables) before everything is written out.
const FLUSH_AT: usize = 40_000;

impl Sink {
    pub fn new(sqlite: bool) -> Sink {
        Sink {
            lit: Lit { sqlite },
            rows: vec![Vec::new(); TABLES.len()],
            buffered: 0,
            written: vec![0; TABLES.len()],
        }
    }

    /// Queues one row (its values, comma-separated) for table `t`.
    pub fn push(&mut self, t: usize, values: String) {
        self.rows[t].push(values);
        self.buffered += 1;
    }

    /// Writes out when enough has been queued.
    pub fn maybe_flush(&mut self, conn: &mut DbConn) -> QueryResult<()> {
        if self.buffered >= FLUSH_AT {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes every queued row, tables in foreign-key order.
    pub fn flush(&mut self, conn: &mut DbConn) -> QueryResult<()> {
        let mut sql = String::new();
        for (t, (name, cols)) in TABLES.iter().enumerate() {
            let rows = std::mem::take(&mut self.rows[t]);
            self.written[t] += rows.len() as u64;
            for chunk in rows.chunks(CHUNK) {
                sql.clear();
                sql.push_str("INSERT INTO ");
                sql.push_str(name);
                sql.push_str(" (");
                sql.push_str(cols);
                sql.push_str(") VALUES (");
                sql.push_str(&chunk.join("),("));
                sql.push(')');
                diesel::sql_query(sql.as_str()).execute(conn)?;
            }
        }
        self.buffered = 0;
        Ok(())
    }
}
