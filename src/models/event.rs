//! Customer events (R6) and who is invited.

use crate::db::schema::{customers, event_invitees, events, visits};
use crate::db::DbConn;
use crate::domain::event::{Audience, EventKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i32,
    pub store_id: i32,
    pub kind: EventKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub content: String,
    /// JSON of `domain::event::Audience`.
    pub audience: String,
    pub created_on: NaiveDate,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent<'a> {
    pub store_id: i32,
    pub kind: &'a str,
    pub title: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: &'a str,
    pub content: &'a str,
    pub audience: &'a str,
    pub created_on: NaiveDate,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, e: &NewEvent) -> QueryResult<i32> {
    diesel::insert_into(events::table)
        .values(e)
        .returning(events::id)
        .get_result(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Event>> {
    events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .optional()
}

pub fn of_store(conn: &mut DbConn, store_id: i32) -> QueryResult<Vec<Event>> {
    events::table
        .filter(events::store_id.eq(store_id))
        .order(events::starts_on.desc())
        .select(Event::as_select())
        .load(conn)
}

/// The live customers of a store that the audience names.
pub fn audience(
    conn: &mut DbConn,
    store_id: i32,
    a: &Audience,
    today: NaiveDate,
) -> QueryResult<Vec<(i32, Option<i32>, bool)>> {
    let mut q = customers::table
        .filter(customers::store_id.eq(store_id))
        .filter(customers::merged_into_id.is_null())
        .into_boxed();
    if let Some(c) = a.clerk_id {
        q = q.filter(customers::clerk_id.eq(c));
    }
    if let Some(t) = &a.vehicle_type {
        let with_type = crate::db::schema::vehicles::table
            .filter(crate::db::schema::vehicles::vehicle_type.eq(t.clone()))
            .select(crate::db::schema::vehicles::customer_id);
        q = q.filter(customers::id.eq_any(with_type));
    }
    if let Some(m) = a.last_visit_months {
        let since = today
            .checked_sub_months(chrono::Months::new(m as u32))
            .unwrap_or(NaiveDate::MIN);
        let recent = visits::table
            .filter(visits::store_id.eq(store_id))
            .filter(visits::visit_date.ge(since))
            .select(visits::customer_id);
        q = q.filter(customers::id.eq_any(recent));
    }
    q.order(customers::id)
        .select((customers::id, customers::clerk_id, customers::no_calls))
        .load(conn)
}

pub fn invitee_insert(
    conn: &mut DbConn,
    event_id: i32,
    customer_id: i32,
    notice_task_id: Option<i32>,
) -> QueryResult<usize> {
    diesel::insert_into(event_invitees::table)
        .values((
            event_invitees::event_id.eq(event_id),
            event_invitees::customer_id.eq(customer_id),
            event_invitees::notice_task_id.eq(notice_task_id),
        ))
        .execute(conn)
}

pub fn set_answer(
    conn: &mut DbConn,
    event_id: i32,
    customer_id: i32,
    answer: &str,
) -> QueryResult<usize> {
    diesel::update(
        event_invitees::table
            .filter(event_invitees::event_id.eq(event_id))
            .filter(event_invitees::customer_id.eq(customer_id)),
    )
    .set(event_invitees::answer.eq(answer))
    .execute(conn)
}

/// Invitees with their name and answer.
pub fn invitees(
    conn: &mut DbConn,
    event_id: i32,
) -> QueryResult<Vec<(i32, String, Option<String>)>> {
    event_invitees::table
        .inner_join(customers::table.on(customers::id.eq(event_invitees::customer_id)))
        .filter(event_invitees::event_id.eq(event_id))
        .order(event_invitees::id)
        .select((
            event_invitees::customer_id,
            customers::name,
            event_invitees::answer,
        ))
        .load(conn)
}
