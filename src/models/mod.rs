//! Rows and their queries: `X` (a row read), `NewX` (a row to insert) and plain functions
//! taking `&mut DbConn`. Error policy (written once, in `web::error`): models return diesel's
//! `QueryResult`; meaning is given to errors by `services`.

/// Runs `$body` on the backend's own connection: diesel's multi-backend connection does not
/// write multi-row INSERTs (`models::*::insert_many`), each backend's connection does.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            crate::db::DbConn::Sqlite($c) => $body,
            crate::db::DbConn::Postgresql($c) => $body,
        }
    };
}

/// Rows in multi-row INSERTs of `BULK_ROWS` each, on the backend's own connection.
macro_rules! insert_chunks {
    // Rows with an enum written as its text (`serialize_as`) insert by value only.
    (by_value $conn:expr, $table:path, $rows:expr) => {{
        let mut n = 0;
        for chunk in $rows.chunks(crate::models::BULK_ROWS) {
            n += on_backend!(&mut *$conn, |c| diesel::insert_into($table)
                .values(chunk.to_vec())
                .execute(c)?);
        }
        Ok(n)
    }};
    ($conn:expr, $table:path, $rows:expr) => {{
        let mut n = 0;
        for chunk in $rows.chunks(crate::models::BULK_ROWS) {
            n += on_backend!(&mut *$conn, |c| diesel::insert_into($table)
                .values(chunk)
                .execute(c)?);
        }
        Ok(n)
    }};
}

pub mod absence;
pub mod amendment;
pub mod archive;
pub mod audit;
pub mod call;
pub mod customer;
pub mod event;
pub mod item;
pub mod job;
pub mod letter;
pub mod merge;
pub mod privacy;
pub mod queue;
pub mod register_chain;
pub mod register_counter;
pub mod register_lines;
pub mod satisfaction;
pub mod store;
pub mod summary;
pub mod task;
pub mod user;
pub mod visit;

use chrono::NaiveDateTime;
use diesel::QueryResult;

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

/// Rows per multi-row INSERT: the widest bulk row (a visit, 22 columns) × 1,000 stays inside
/// SQLite's 32,766 bind parameters.
pub const BULK_ROWS: usize = 1000;

/// Keys per `IN (…)` list of a bulk look-up.
pub const BULK_KEYS: usize = 10_000;

/// A bulk look-up: `load` run over `keys` in `IN (…)` lists of `BULK_KEYS` (the bind-parameter
/// limits), the rows of every list together.
pub(crate) fn in_chunks<K, T>(
    keys: &[K],
    mut load: impl FnMut(&[K]) -> QueryResult<Vec<T>>,
) -> QueryResult<Vec<T>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(BULK_KEYS) {
        out.extend(load(chunk)?);
    }
    Ok(out)
}

/// The tables whose ids the bulk import takes before it writes (`reserve_ids`).
#[derive(Debug, Clone, Copy)]
pub enum IdTable {
    Customers,
    Vehicles,
    Visits,
    Tasks,
}

impl IdTable {
    fn name(self) -> &'static str {
        match self {
            IdTable::Customers => "customers",
            IdTable::Vehicles => "vehicles",
            IdTable::Visits => "visits",
            IdTable::Tasks => "tasks",
        }
    }
}

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// `n` new ids for rows of `table`, ascending: the ids single-row INSERTs made one after the
/// other would have got. SQLite: after the largest id (the caller holds the write lock, see
/// `db::write_tx`; no table uses AUTOINCREMENT); PostgreSQL: taken from the table's sequence.
pub fn reserve_ids(
    conn: &mut crate::db::DbConn,
    table: IdTable,
    n: usize,
) -> QueryResult<Vec<i32>> {
    use diesel::RunQueryDsl;
    if n == 0 {
        return Ok(Vec::new());
    }
    let t = table.name();
    if conn.is_sqlite() {
        let max: IdRow = diesel::sql_query(format!("SELECT COALESCE(MAX(id), 0) AS id FROM {t}"))
            .get_result(conn)?;
        Ok((1..=n as i32).map(|i| max.id + i).collect())
    } else {
        let mut ids: Vec<i32> = diesel::sql_query(format!(
            "SELECT CAST(nextval('{t}_id_seq') AS INTEGER) AS id FROM generate_series(1, {n})"
        ))
        .load::<IdRow>(conn)?
        .into_iter()
        .map(|r| r.id)
        .collect();
        ids.sort_unstable();
        Ok(ids)
    }
}
