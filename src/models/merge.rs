//! The record of customer merges: who was merged into whom, by whom, when and what moved.
//! Kept after an anonymisation with the personal fields replaced (`privacy::replace_in_registers`).

use crate::db::schema::customer_merges;
use crate::db::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customer_merges)]
pub struct NewMerge {
    pub store_id: i32,
    pub kept_id: i32,
    pub merged_id: i32,
    pub merged_name: String,
    pub merged_phone: String,
    pub merged_by: Option<i32>,
    pub merged_at: NaiveDateTime,
    pub moved: String,
}

pub fn record(conn: &mut DbConn, m: &NewMerge) -> QueryResult<usize> {
    diesel::insert_into(customer_merges::table)
        .values(m)
        .execute(conn)
}

/// Merges recorded for a customer (kept side), newest first.
pub fn history(
    conn: &mut DbConn,
    customer_id: i32,
) -> QueryResult<Vec<(String, String, chrono::NaiveDateTime, String)>> {
    customer_merges::table
        .filter(customer_merges::kept_id.eq(customer_id))
        .order(customer_merges::id.desc())
        .select((
            customer_merges::merged_name,
            customer_merges::merged_phone,
            customer_merges::merged_at,
            customer_merges::moved,
        ))
        .load(conn)
}
