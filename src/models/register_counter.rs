//! R11: the register counters — the last number given per (store, register, year). Bumped
//! inside the transaction that writes the line, so a rolled-back write gives its number back
//! and two writers can never take the same one (the update holds the row lock until commit;
//! SQLite has one writer at a time).

use crate::db::schema::register_counters as rc;
use crate::db::DbConn;
use crate::domain::register::{format, Register};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

/// Takes the next number; must run inside the transaction that writes the line.
pub fn next(
    conn: &mut DbConn,
    store_id: i32,
    register: Register,
    year: i32,
) -> QueryResult<(i32, String)> {
    for _ in 0..3 {
        let bumped: Option<i32> = diesel::update(rc::table.find((store_id, register.key(), year)))
            .set(rc::last_no.eq(rc::last_no + 1))
            .returning(rc::last_no)
            .get_result(conn)
            .optional()?;
        if let Some(n) = bumped {
            return Ok((n, format(register, year, n)));
        }
        // First line of the year: create the counter. A concurrent first writer may win the
        // insert; the savepoint keeps our transaction alive and we bump theirs instead.
        let inserted = conn.transaction(|c| {
            diesel::insert_into(rc::table)
                .values((
                    rc::store_id.eq(store_id),
                    rc::register.eq(register.key()),
                    rc::year.eq(year),
                    rc::last_no.eq(1),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => return Ok((1, format(register, year, 1))),
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::RollbackTransaction)
}

/// Every counter of a register: (store, year, last number given).
pub fn all_of(conn: &mut DbConn, register: Register) -> QueryResult<Vec<(i32, i32, i32)>> {
    rc::table
        .filter(rc::register.eq(register.key()))
        .select((rc::store_id, rc::year, rc::last_no))
        .load(conn)
}
