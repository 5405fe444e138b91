//! Letter templates and the letter register (跟踪服务信函登记表, R8).

use crate::db::schema::{letter_register, letter_templates};
use crate::db::DbConn;
use crate::domain::letter::LetterKind;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = letter_templates)]
pub struct Template {
    pub id: i32,
    pub store_id: i32,
    pub kind: LetterKind,
    pub lang: String,
    pub subject: String,
    pub body: String,
    pub updated_by: Option<i32>,
    pub updated_at: NaiveDateTime,
}

pub fn template(
    conn: &mut DbConn,
    store_id: i32,
    kind: LetterKind,
    lang: &str,
) -> QueryResult<Option<Template>> {
    letter_templates::table
        .filter(letter_templates::store_id.eq(store_id))
        .filter(letter_templates::kind.eq(kind.as_str()))
        .filter(letter_templates::lang.eq(lang))
        .select(Template::as_select())
        .first(conn)
        .optional()
}

#[allow(clippy::too_many_arguments)]
pub fn save_template(
    conn: &mut DbConn,
    store_id: i32,
    kind: LetterKind,
    lang: &str,
    subject: &str,
    body: &str,
    by: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let n = diesel::update(
        letter_templates::table
            .filter(letter_templates::store_id.eq(store_id))
            .filter(letter_templates::kind.eq(kind.as_str()))
            .filter(letter_templates::lang.eq(lang)),
    )
    .set((
        letter_templates::subject.eq(subject),
        letter_templates::body.eq(body),
        letter_templates::updated_by.eq(by),
        letter_templates::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        diesel::insert_into(letter_templates::table)
            .values((
                letter_templates::store_id.eq(store_id),
                letter_templates::kind.eq(kind.as_str()),
                letter_templates::lang.eq(lang),
                letter_templates::subject.eq(subject),
                letter_templates::body.eq(body),
                letter_templates::updated_by.eq(by),
                letter_templates::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = letter_register)]
pub struct LetterLine {
    #[diesel(skip_insertion)]
    pub id: i32,
    pub store_id: i32,
    pub register_no: String,
    pub sent_on: NaiveDate,
    pub customer_id: i32,
    pub customer_name: String,
    pub address: String,
    #[diesel(serialize_as = String)]
    pub letter_kind: LetterKind,
    pub subject: String,
    pub body: String,
    /// 关联: what the letter is about, e.g. `event 3` or `item 12`.
    pub related_to: String,
    pub task_id: Option<i32>,
    pub event_id: Option<i32>,
    pub item_id: Option<i32>,
    pub handled_by_id: i32,
    pub handled_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_line(conn: &mut DbConn, l: &LetterLine) -> QueryResult<i32> {
    diesel::insert_into(letter_register::table)
        // The kind is written as its text (`serialize_as`), which diesel does for an owned row.
        .values(l.clone())
        .returning(letter_register::id)
        .get_result(conn)
}

pub fn of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<LetterLine>> {
    letter_register::table
        .filter(letter_register::customer_id.eq(customer_id))
        .order(letter_register::id.desc())
        .select(LetterLine::as_select())
        .load(conn)
}

pub fn of_event(conn: &mut DbConn, event_id: i32) -> QueryResult<Vec<LetterLine>> {
    letter_register::table
        .filter(letter_register::event_id.eq(event_id))
        .order(letter_register::id)
        .select(LetterLine::as_select())
        .load(conn)
}
