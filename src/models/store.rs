//! Stores (门店) of a dealer group, and the database's own settings (`app_meta`).

use crate::db::schema::{app_meta, stores};
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = stores)]
pub struct Store {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub last_assigned_clerk_id: Option<i32>,
    pub created_at: NaiveDateTime,
    /// The store's telephone number (the unreachable letter asks the customer to call it).
    pub phone: Option<String>,
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Store>> {
    stores::table
        .order(stores::id)
        .select(Store::as_select())
        .load(conn)
}

pub fn by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Store>> {
    stores::table
        .filter(stores::code.eq(code))
        .select(Store::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Store> {
    stores::table
        .find(id)
        .select(Store::as_select())
        .first(conn)
}

pub fn insert(conn: &mut DbConn, code: &str, name: &str, now: NaiveDateTime) -> QueryResult<i32> {
    diesel::insert_into(stores::table)
        .values((
            stores::code.eq(code),
            stores::name.eq(name),
            stores::created_at.eq(now),
        ))
        .returning(stores::id)
        .get_result(conn)
}

/// Touches the store's round-robin column without changing it: on PostgreSQL the row's lock
/// is then held until commit, and SQLite's writer lock already serialises the turn (R1).
pub fn lock_round_robin(conn: &mut DbConn, store_id: i32) -> QueryResult<usize> {
    diesel::update(stores::table.find(store_id))
        .set(stores::last_assigned_clerk_id.eq(stores::last_assigned_clerk_id))
        .execute(conn)
}

pub fn set_last_assigned(conn: &mut DbConn, store_id: i32, clerk_id: i32) -> QueryResult<usize> {
    diesel::update(stores::table.find(store_id))
        .set(stores::last_assigned_clerk_id.eq(clerk_id))
        .execute(conn)
}

pub fn meta_get(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    app_meta::table
        .find(key)
        .select(app_meta::value)
        .first(conn)
        .optional()
}

pub fn meta_set(conn: &mut DbConn, key: &str, value: &str) -> QueryResult<()> {
    let updated = diesel::update(app_meta::table.find(key))
        .set(app_meta::value.eq(value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(app_meta::table)
            .values((app_meta::key.eq(key), app_meta::value.eq(value)))
            .execute(conn)?;
    }
    Ok(())
}

/// Issue 12: the number the unreachable letter gives the customer to call.
pub fn set_phone(conn: &mut DbConn, store_id: i32, phone: Option<&str>) -> QueryResult<usize> {
    diesel::update(stores::table.find(store_id))
        .set(stores::phone.eq(phone))
        .execute(conn)
}
