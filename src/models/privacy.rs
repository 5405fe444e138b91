//! Anonymisations (append-only) and the supervisors' grants of full-phone exports.

use crate::db::schema::{
    anonymisations, anonymise_pass, archives, call_records, call_register, customer_merges,
    customers, export_grants, letter_register, users, visits,
};
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

/// Opens the personal columns of a customer's register lines for this transaction: the
/// registers' append-only triggers let an update through only while the pass exists.
pub fn open_pass(conn: &mut DbConn, customer_id: i32) -> QueryResult<usize> {
    diesel::insert_into(anonymise_pass::table)
        .values(anonymise_pass::customer_id.eq(customer_id))
        .execute(conn)
}

/// Closes the pass `open_pass` opened.
pub fn close_pass(conn: &mut DbConn, customer_id: i32) -> QueryResult<usize> {
    diesel::delete(anonymise_pass::table.find(customer_id)).execute(conn)
}

/// The customer's own row: the placeholder name, no phone, address or call hours, and no
/// calls or letters ever again.
pub fn replace_customer(
    conn: &mut DbConn,
    customer_id: i32,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(customers::table.find(customer_id))
        .set((
            customers::name.eq(name),
            customers::phone.eq(""),
            customers::address.eq(None::<String>),
            customers::call_hours.eq(None::<String>),
            customers::no_calls.eq(true),
            customers::no_letters.eq(true),
            customers::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The personal fields of the customer's archive sheets, call register lines, call records,
/// letters and merge records; their other content stays (R11).
pub fn replace_in_registers(conn: &mut DbConn, customer_id: i32, name: &str) -> QueryResult<()> {
    diesel::update(archives::table.filter(archives::customer_id.eq(customer_id)))
        .set((
            archives::customer_name.eq(name),
            archives::phone.eq(""),
            archives::address.eq(None::<String>),
        ))
        .execute(conn)?;
    let records = call_records::table
        .filter(call_records::customer_id.eq(customer_id))
        .select(call_records::id);
    diesel::update(call_register::table.filter(call_register::call_record_id.eq_any(records)))
        .set((
            call_register::customer_name.eq(name),
            call_register::phone.eq(""),
        ))
        .execute(conn)?;
    diesel::update(call_records::table.filter(call_records::customer_id.eq(customer_id)))
        .set((
            call_records::customer_name.eq(name),
            call_records::phone.eq(""),
        ))
        .execute(conn)?;
    diesel::update(letter_register::table.filter(letter_register::customer_id.eq(customer_id)))
        .set((
            letter_register::customer_name.eq(name),
            letter_register::address.eq(""),
            letter_register::body.eq(""),
        ))
        .execute(conn)?;
    diesel::update(
        customer_merges::table.filter(
            customer_merges::kept_id
                .eq(customer_id)
                .or(customer_merges::merged_id.eq(customer_id)),
        ),
    )
    .set((
        customer_merges::merged_name.eq(name),
        customer_merges::merged_phone.eq(""),
    ))
    .execute(conn)?;
    Ok(())
}

/// The numbers of a customer's register lines, whose personal fields an anonymisation replaces.
pub fn replaced_lines(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<String>> {
    let records = call_records::table
        .filter(call_records::customer_id.eq(customer_id))
        .select(call_records::id);
    let mut out: Vec<String> = archives::table
        .filter(archives::customer_id.eq(customer_id))
        .order(archives::id)
        .select(archives::archive_no)
        .load(conn)?;
    out.extend(
        call_records::table
            .filter(call_records::customer_id.eq(customer_id))
            .order(call_records::id)
            .select(call_records::record_no)
            .load::<String>(conn)?,
    );
    out.extend(
        call_register::table
            .filter(call_register::call_record_id.eq_any(records))
            .order(call_register::id)
            .select(call_register::register_no)
            .load::<String>(conn)?,
    );
    out.extend(
        letter_register::table
            .filter(letter_register::customer_id.eq(customer_id))
            .order(letter_register::id)
            .select(letter_register::register_no)
            .load::<String>(conn)?,
    );
    Ok(out)
}

/// Customers whose last visit is before `cutoff`, not merged away (their data moved to the
/// customer they were merged into).
pub fn stale_customers(conn: &mut DbConn, cutoff: NaiveDate) -> QueryResult<Vec<i32>> {
    let stale: Vec<i32> = visits::table
        .group_by(visits::customer_id)
        .having(diesel::dsl::max(visits::visit_date).lt(cutoff))
        .select(visits::customer_id)
        .load(conn)?;
    customers::table
        .filter(customers::id.eq_any(&stale))
        .filter(customers::merged_into_id.is_null())
        .select(customers::id)
        .load(conn)
}
