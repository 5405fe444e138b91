//! R9: absences of clerks and who covers for them.

use crate::db::schema::{absences, users};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = absences)]
pub struct Absence {
    pub id: i32,
    pub store_id: i32,
    pub clerk_id: i32,
    pub substitute_id: i32,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub note: Option<String>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub cancelled_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = absences)]
pub struct NewAbsence<'a> {
    pub store_id: i32,
    pub clerk_id: i32,
    pub substitute_id: i32,
    pub from_date: NaiveDate,
    pub to_date: NaiveDate,
    pub note: Option<&'a str>,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, a: &NewAbsence) -> QueryResult<i32> {
    diesel::insert_into(absences::table)
        .values(a)
        .returning(absences::id)
        .get_result(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Absence>> {
    absences::table
        .find(id)
        .select(Absence::as_select())
        .first(conn)
        .optional()
}

pub fn cancel(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        absences::table
            .find(id)
            .filter(absences::cancelled_at.is_null()),
    )
    .set(absences::cancelled_at.eq(now))
    .execute(conn)
}

/// Live absences of a clerk that overlap `from … to` (inclusive).
pub fn overlapping(
    conn: &mut DbConn,
    clerk_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<Absence>> {
    absences::table
        .filter(absences::clerk_id.eq(clerk_id))
        .filter(absences::cancelled_at.is_null())
        .filter(absences::from_date.le(to))
        .filter(absences::to_date.ge(from))
        .select(Absence::as_select())
        .load(conn)
}

/// The clerks a substitute covers on `on`, with their names.
pub fn covered_by(
    conn: &mut DbConn,
    store_id: i32,
    substitute_id: i32,
    on: NaiveDate,
) -> QueryResult<Vec<(i32, String)>> {
    absences::table
        .inner_join(users::table.on(users::id.eq(absences::clerk_id)))
        .filter(absences::store_id.eq(store_id))
        .filter(absences::substitute_id.eq(substitute_id))
        .filter(absences::cancelled_at.is_null())
        .filter(absences::from_date.le(on))
        .filter(absences::to_date.ge(on))
        .select((absences::clerk_id, users::display_name))
        .load(conn)
}

/// The absence of a clerk on `on`, if any (their tasks are then in the substitute's queue).
pub fn of_clerk_on(
    conn: &mut DbConn,
    clerk_id: i32,
    on: NaiveDate,
) -> QueryResult<Option<Absence>> {
    absences::table
        .filter(absences::clerk_id.eq(clerk_id))
        .filter(absences::cancelled_at.is_null())
        .filter(absences::from_date.le(on))
        .filter(absences::to_date.ge(on))
        .select(Absence::as_select())
        .first(conn)
        .optional()
}

/// Absences of a store that end on or after `from`, soonest first.
pub fn of_store(conn: &mut DbConn, store_id: i32, from: NaiveDate) -> QueryResult<Vec<Absence>> {
    absences::table
        .filter(absences::store_id.eq(store_id))
        .filter(absences::to_date.ge(from))
        .order((absences::from_date, absences::id))
        .select(Absence::as_select())
        .load(conn)
}
