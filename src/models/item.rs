//! Items raised on calls, followed to the end (R4b–R4d), with their timeline.

use crate::db::schema::{item_events, items};
use crate::db::DbConn;
use crate::domain::item::ItemStep;
use crate::models::call::Item;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Item>> {
    items::table
        .find(id)
        .select(Item::as_select())
        .first(conn)
        .optional()
}

pub fn set_status(conn: &mut DbConn, id: i32, status: &str) -> QueryResult<usize> {
    diesel::update(items::table.find(id))
        .set(items::status.eq(status))
        .execute(conn)
}

pub fn set_escalated(
    conn: &mut DbConn,
    id: i32,
    at: NaiveDateTime,
    on: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(items::table.find(id).filter(items::status.eq("open")))
        .set((
            items::status.eq("escalated"),
            items::escalated_at.eq(at),
            items::escalated_on.eq(on),
        ))
        .execute(conn)
}

pub fn set_solved(
    conn: &mut DbConn,
    id: i32,
    solution: &str,
    at: NaiveDateTime,
    on: NaiveDate,
) -> QueryResult<usize> {
    diesel::update(
        items::table
            .find(id)
            .filter(items::status.eq_any(["open", "escalated"])),
    )
    .set((
        items::status.eq("solved"),
        items::solution.eq(solution),
        items::solved_at.eq(at),
        items::solved_on.eq(on),
    ))
    .execute(conn)
}

/// R4d: the customer was told; satisfied closes, not satisfied reopens.
pub fn set_told(conn: &mut DbConn, id: i32, on: NaiveDate, satisfied: bool) -> QueryResult<usize> {
    let status = if satisfied { "closed" } else { "open" };
    diesel::update(items::table.find(id))
        .set((
            items::status.eq(status),
            items::told_on.eq(on),
            items::satisfied.eq(satisfied),
            items::closed_on.eq(satisfied.then_some(on)),
        ))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = item_events)]
pub struct ItemEvent {
    pub id: i32,
    pub item_id: i32,
    pub kind: ItemStep,
    pub text: String,
    pub at: NaiveDateTime,
    pub on_date: NaiveDate,
    pub by_id: Option<i32>,
    pub by_name: String,
}

/// When and by whom a step of an item's timeline happened.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub at: NaiveDateTime,
    pub on: NaiveDate,
    pub by_id: Option<i32>,
    pub by_name: &'a str,
}

pub fn add_event(
    conn: &mut DbConn,
    item_id: i32,
    kind: &str,
    text: &str,
    step: &Step,
) -> QueryResult<usize> {
    diesel::insert_into(item_events::table)
        .values((
            item_events::item_id.eq(item_id),
            item_events::kind.eq(kind),
            item_events::text.eq(text),
            item_events::at.eq(step.at),
            item_events::on_date.eq(step.on),
            item_events::by_id.eq(step.by_id),
            item_events::by_name.eq(step.by_name),
        ))
        .execute(conn)
}

pub fn timeline(conn: &mut DbConn, item_id: i32) -> QueryResult<Vec<ItemEvent>> {
    item_events::table
        .filter(item_events::item_id.eq(item_id))
        .order((item_events::at, item_events::id))
        .select(ItemEvent::as_select())
        .load(conn)
}

/// Items still being followed in a store (the supervisor's escalations page), oldest first.
pub fn pending_of_store(conn: &mut DbConn, store_id: i32) -> QueryResult<Vec<Item>> {
    items::table
        .filter(items::store_id.eq(store_id))
        .filter(items::status.eq_any(["open", "escalated", "solved"]))
        .order((items::raised_at, items::id))
        .select(Item::as_select())
        .load(conn)
}

/// The same, each with its customer's and clerk's names, in one query (the escalations page).
pub fn pending_of_store_named(
    conn: &mut DbConn,
    store_id: i32,
) -> QueryResult<Vec<(Item, String, String)>> {
    use crate::db::schema::{customers, users};
    items::table
        .inner_join(customers::table.on(customers::id.eq(items::customer_id)))
        .inner_join(users::table.on(users::id.eq(items::clerk_id)))
        .filter(items::store_id.eq(store_id))
        .filter(items::status.eq_any(["open", "escalated", "solved"]))
        .order((items::raised_at, items::id))
        .select((Item::as_select(), customers::name, users::display_name))
        .load(conn)
}
