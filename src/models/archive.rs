//! Completed archive sheets (客户档案基本资料表) and their next-service plans (R2, R3).

use crate::db::schema::{archives, planned_contacts};
use crate::db::DbConn;
use crate::domain::archive::Purpose;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// One line of the archives register: the sheet's values as they were when completed.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = archives)]
pub struct Archive {
    #[diesel(skip_insertion)]
    pub id: i32,
    pub store_id: i32,
    pub visit_id: i32,
    pub task_id: Option<i32>,
    pub customer_id: i32,
    pub archive_no: String,
    pub customer_name: String,
    pub address: Option<String>,
    pub phone: String,
    pub visit_date: NaiveDate,
    pub vehicle_model: Option<String>,
    pub plate: Option<String>,
    pub vehicle_type: Option<String>,
    pub items: String,
    pub maintenance_interval_days: Option<i32>,
    pub maintenance_interval_km: Option<i32>,
    pub next_maintenance_date: Option<NaiveDate>,
    pub desired_services: Option<String>,
    pub service_history: String,
    pub due_date: NaiveDate,
    pub archived_at: NaiveDateTime,
    pub archived_on: NaiveDate,
    pub archived_by_id: i32,
    pub archived_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, a: &Archive) -> QueryResult<i32> {
    diesel::insert_into(archives::table)
        .values(a)
        .returning(archives::id)
        .get_result(conn)
}

/// The archive sheet of a visit (its original line; amendments name it in `amends`).
pub fn by_visit(conn: &mut DbConn, visit_id: i32) -> QueryResult<Option<Archive>> {
    archives::table
        .filter(archives::visit_id.eq(visit_id))
        .filter(archives::amends.is_null())
        .select(Archive::as_select())
        .first(conn)
        .optional()
}

pub fn of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<Archive>> {
    archives::table
        .filter(archives::customer_id.eq(customer_id))
        .order(archives::id)
        .select(Archive::as_select())
        .load(conn)
}

pub fn move_customer(conn: &mut DbConn, from: i32, to: i32) -> QueryResult<usize> {
    diesel::update(archives::table.filter(archives::customer_id.eq(from)))
        .set(archives::customer_id.eq(to))
        .execute(conn)?;
    diesel::update(planned_contacts::table.filter(planned_contacts::customer_id.eq(from)))
        .set(planned_contacts::customer_id.eq(to))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = planned_contacts)]
pub struct PlannedContactRow {
    pub id: i32,
    pub store_id: i32,
    pub archive_id: i32,
    pub customer_id: i32,
    pub purpose: Purpose,
    pub planned_date: NaiveDate,
    pub talking_points: String,
    pub task_id: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// A planned contact of a next-service plan (R3), as written when the archive is completed.
/// The purpose is written as its text (`serialize_as`), which diesel does for an owned row.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = planned_contacts)]
pub struct NewPlannedContact<'a> {
    pub store_id: i32,
    pub archive_id: i32,
    pub customer_id: i32,
    #[diesel(serialize_as = String)]
    pub purpose: Purpose,
    pub planned_date: NaiveDate,
    pub talking_points: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn plan_insert(conn: &mut DbConn, p: &NewPlannedContact) -> QueryResult<i32> {
    diesel::insert_into(planned_contacts::table)
        .values(p.clone())
        .returning(planned_contacts::id)
        .get_result(conn)
}

pub fn plan_set_task(conn: &mut DbConn, id: i32, task_id: i32) -> QueryResult<usize> {
    diesel::update(planned_contacts::table.find(id))
        .set(planned_contacts::task_id.eq(task_id))
        .execute(conn)
}

pub fn plan_of_archive(conn: &mut DbConn, archive_id: i32) -> QueryResult<Vec<PlannedContactRow>> {
    planned_contacts::table
        .filter(planned_contacts::archive_id.eq(archive_id))
        .order(planned_contacts::planned_date)
        .select(PlannedContactRow::as_select())
        .load(conn)
}

/// An archive sheet with its customer's clerk.
pub type WithClerk = (Archive, Option<i32>);

/// Completed archive sheets, newest first, optionally within dates of completion, each with
/// its customer's clerk (who may see the whole phone number, R11); and how many in all.
pub fn recent(
    conn: &mut DbConn,
    store: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<WithClerk>, i64)> {
    use crate::db::schema::customers;
    let q = || {
        let mut q = archives::table
            .inner_join(customers::table.on(customers::id.eq(archives::customer_id)))
            .into_boxed();
        if let Some(s) = store {
            q = q.filter(archives::store_id.eq(s));
        }
        if let Some(f) = from {
            q = q.filter(archives::archived_on.ge(f));
        }
        if let Some(t) = to {
            q = q.filter(archives::archived_on.le(t));
        }
        q
    };
    let total = q().count().get_result(conn)?;
    let rows = q()
        .order(archives::id.desc())
        .limit(limit)
        .offset(offset)
        .select((Archive::as_select(), customers::clerk_id))
        .load(conn)?;
    Ok((rows, total))
}
