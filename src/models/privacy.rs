//! Anonymisations (append-only) and the supervisors' grants of full-phone exports.

use crate::db::schema::{anonymisations, export_grants, users};
use crate::db::DbConn;
use crate::domain::privacy::AnonymisationSource;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = anonymisations)]
pub struct NewAnonymisation {
    pub store_id: i32,
    pub customer_id: i32,
    #[diesel(serialize_as = String)]
    pub source: AnonymisationSource,
    pub reason: String,
    pub by_id: Option<i32>,
    pub by_name: String,
    pub at: NaiveDateTime,
}

// The source is written as its text (`serialize_as`), which diesel does for an owned row.
pub fn insert_anonymisation(conn: &mut DbConn, a: &NewAnonymisation) -> QueryResult<usize> {
    diesel::insert_into(anonymisations::table)
        .values(a.clone())
        .execute(conn)
}

/// When and by whom a customer was anonymised, if they were.
pub fn anonymised(
    conn: &mut DbConn,
    customer_id: i32,
) -> QueryResult<Option<(NaiveDateTime, String, AnonymisationSource)>> {
    anonymisations::table
        .filter(anonymisations::customer_id.eq(customer_id))
        .select((
            anonymisations::at,
            anonymisations::by_name,
            anonymisations::source,
        ))
        .first(conn)
        .optional()
}

pub fn anonymised_ids(conn: &mut DbConn) -> QueryResult<Vec<i32>> {
    anonymisations::table
        .select(anonymisations::customer_id)
        .load(conn)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = export_grants)]
pub struct NewGrant {
    pub store_id: Option<i32>,
    pub grantee_id: i32,
    pub granted_by_id: i32,
    pub reason: String,
    pub granted_at: NaiveDateTime,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct GrantRow {
    pub id: i32,
    pub grantee: String,
    pub granted_by: String,
    pub reason: String,
    pub granted_at: NaiveDateTime,
    pub expires_on: NaiveDate,
}

pub fn insert_grant(conn: &mut DbConn, g: &NewGrant) -> QueryResult<i32> {
    diesel::insert_into(export_grants::table)
        .values(g)
        .returning(export_grants::id)
        .get_result(conn)
}

/// The grant that lets `user_id` export whole phone numbers on `on`, if any.
pub fn active_grant(conn: &mut DbConn, user_id: i32, on: NaiveDate) -> QueryResult<Option<i32>> {
    export_grants::table
        .filter(export_grants::grantee_id.eq(user_id))
        .filter(export_grants::expires_on.ge(on))
        .filter(export_grants::revoked_at.is_null())
        .order(export_grants::id.desc())
        .select(export_grants::id)
        .first(conn)
        .optional()
}

/// Grants still running on `on`, of a store (None: every store), newest first.
pub fn active_grants(
    conn: &mut DbConn,
    store_id: Option<i32>,
    on: NaiveDate,
) -> QueryResult<Vec<GrantRow>> {
    let (grantee, granter) = diesel::alias!(users as grantee, users as granter);
    let mut q = export_grants::table
        .inner_join(grantee.on(grantee.field(users::id).eq(export_grants::grantee_id)))
        .inner_join(granter.on(granter.field(users::id).eq(export_grants::granted_by_id)))
        .filter(export_grants::expires_on.ge(on))
        .filter(export_grants::revoked_at.is_null())
        .into_boxed();
    if let Some(s) = store_id {
        q = q.filter(
            export_grants::store_id
                .eq(s)
                .or(export_grants::store_id.is_null()),
        );
    }
    q.order(export_grants::id.desc())
        .select((
            export_grants::id,
            grantee.field(users::display_name),
            granter.field(users::display_name),
            export_grants::reason,
            export_grants::granted_at,
            export_grants::expires_on,
        ))
        .load(conn)
}

pub fn grant_store(conn: &mut DbConn, id: i32) -> QueryResult<Option<Option<i32>>> {
    export_grants::table
        .find(id)
        .select(export_grants::store_id)
        .first(conn)
        .optional()
}

pub fn revoke_grant(conn: &mut DbConn, id: i32, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        export_grants::table
            .find(id)
            .filter(export_grants::revoked_at.is_null()),
    )
    .set(export_grants::revoked_at.eq(at))
    .execute(conn)
}
