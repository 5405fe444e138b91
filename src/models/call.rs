//! Calls: the call record (跟踪服务电话记录表, the detail), the call-register line
//! (跟踪服务电话登记表, the ledger) and the items raised on a call (R4a). Register lines are
//! snapshots: they keep the customer's name and phone as they were when the call was made.

use crate::db::schema::{call_records, call_register, items};
use crate::db::text::NullableText;
use crate::db::DbConn;
use crate::domain::call::{Category, Direction, EventAnswer, ItemKind, Outcome};
use crate::domain::item::ItemStatus;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = call_records)]
pub struct CallRecord {
    #[diesel(skip_insertion)]
    pub id: i32,
    pub store_id: i32,
    pub record_no: String,
    pub customer_id: i32,
    pub task_id: Option<i32>,
    #[diesel(serialize_as = String)]
    pub direction: Direction,
    #[diesel(serialize_as = String)]
    pub category: Category,
    #[diesel(serialize_as = String)]
    pub outcome: Outcome,
    pub called_at: NaiveDateTime,
    pub called_on: NaiveDate,
    pub callback_at: Option<NaiveDateTime>,
    pub customer_name: String,
    pub phone: String,
    pub plate: Option<String>,
    /// Topics covered, `C1,C3`.
    pub topics: String,
    pub key_points: String,
    pub satisfied: Option<bool>,
    #[diesel(serialize_as = NullableText)]
    pub event_answer: Option<EventAnswer>,
    pub handled_by_id: i32,
    pub handled_by: String,
    /// R9: the absent clerk this call was made for.
    pub covering_for_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = call_register)]
pub struct RegisterLine {
    #[diesel(skip_insertion)]
    pub id: i32,
    pub store_id: i32,
    pub register_no: String,
    pub call_record_id: i32,
    pub record_no: String,
    pub called_on: NaiveDate,
    pub customer_name: String,
    pub phone: String,
    #[diesel(serialize_as = String)]
    pub direction: Direction,
    #[diesel(serialize_as = String)]
    pub category: Category,
    #[diesel(serialize_as = String)]
    pub outcome: Outcome,
    pub handled_by_id: i32,
    pub handled_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = items)]
pub struct Item {
    #[diesel(skip_insertion)]
    pub id: i32,
    pub store_id: i32,
    pub customer_id: i32,
    pub call_record_id: i32,
    pub clerk_id: i32,
    #[diesel(serialize_as = String)]
    pub kind: ItemKind,
    pub text: String,
    pub answered_on_call: bool,
    pub answer: Option<String>,
    #[diesel(serialize_as = String)]
    pub status: ItemStatus,
    pub raised_at: NaiveDateTime,
    pub raised_on: NaiveDate,
    pub created_at: NaiveDateTime,
    pub escalated_at: Option<NaiveDateTime>,
    pub escalated_on: Option<NaiveDate>,
    pub solution: Option<String>,
    pub solved_at: Option<NaiveDateTime>,
    pub solved_on: Option<NaiveDate>,
    pub told_on: Option<NaiveDate>,
    pub satisfied: Option<bool>,
    pub closed_on: Option<NaiveDate>,
}

// The enums are written as their text (`serialize_as`), which diesel does for an owned row.
pub fn insert_record(conn: &mut DbConn, r: &CallRecord) -> QueryResult<i32> {
    diesel::insert_into(call_records::table)
        .values(r.clone())
        .returning(call_records::id)
        .get_result(conn)
}

pub fn insert_register(conn: &mut DbConn, l: &RegisterLine) -> QueryResult<i32> {
    diesel::insert_into(call_register::table)
        .values(l.clone())
        .returning(call_register::id)
        .get_result(conn)
}

pub fn insert_item(conn: &mut DbConn, i: &Item) -> QueryResult<i32> {
    diesel::insert_into(items::table)
        .values(i.clone())
        .returning(items::id)
        .get_result(conn)
}

/// A customer's calls, newest first (the call form shows what earlier calls covered, R5).
pub fn of_customer(
    conn: &mut DbConn,
    customer_id: i32,
    limit: i64,
) -> QueryResult<Vec<CallRecord>> {
    call_records::table
        .filter(call_records::customer_id.eq(customer_id))
        .order((call_records::called_at.desc(), call_records::id.desc()))
        .limit(limit)
        .select(CallRecord::as_select())
        .load(conn)
}

pub fn items_of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<Item>> {
    items::table
        .filter(items::customer_id.eq(customer_id))
        .order(items::id.desc())
        .select(Item::as_select())
        .load(conn)
}

/// X4: outbound follow-up calls to a customer on a date, with their outcomes.
pub fn outbound_follow_ups_on(
    conn: &mut DbConn,
    customer_id: i32,
    on: NaiveDate,
) -> QueryResult<Vec<Outcome>> {
    call_records::table
        .filter(call_records::customer_id.eq(customer_id))
        .filter(call_records::called_on.eq(on))
        .filter(call_records::direction.eq(Direction::Outbound.as_str()))
        .filter(
            call_records::category
                .eq_any([Category::FollowUp.as_str(), Category::Reminder.as_str()]),
        )
        // An amendment corrects a call; it is not another call.
        .filter(call_records::amends.is_null())
        .select(call_records::outcome)
        .load(conn)
}

/// X4: whether the customer has an open complaint (then more calls a day are fine).
pub fn has_open_complaint(conn: &mut DbConn, customer_id: i32) -> QueryResult<bool> {
    let n: i64 = items::table
        .filter(items::customer_id.eq(customer_id))
        .filter(items::kind.eq("complaint"))
        .filter(items::status.ne("answered"))
        .filter(items::status.ne("closed"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn register_of_store(
    conn: &mut DbConn,
    store_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<RegisterLine>> {
    call_register::table
        .filter(call_register::store_id.eq(store_id))
        .filter(call_register::called_on.between(from, to))
        .order(call_register::id)
        .select(RegisterLine::as_select())
        .load(conn)
}

pub fn move_customer(conn: &mut DbConn, from: i32, to: i32) -> QueryResult<usize> {
    diesel::update(call_records::table.filter(call_records::customer_id.eq(from)))
        .set(call_records::customer_id.eq(to))
        .execute(conn)?;
    diesel::update(items::table.filter(items::customer_id.eq(from)))
        .set(items::customer_id.eq(to))
        .execute(conn)
}
