//! Scheduled jobs' last runs, and the supervisors' morning digests.

use crate::db::schema::{digests, job_runs};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

pub fn last_run(conn: &mut DbConn, job: &str) -> QueryResult<Option<NaiveDateTime>> {
    job_runs::table
        .find(job)
        .select(job_runs::last_run_at)
        .first(conn)
        .optional()
}

pub fn set_last_run(
    conn: &mut DbConn,
    job: &str,
    at: NaiveDateTime,
    result: &str,
) -> QueryResult<()> {
    let n = diesel::update(job_runs::table.find(job))
        .set((
            job_runs::last_run_at.eq(at),
            job_runs::last_result.eq(result),
        ))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(job_runs::table)
            .values((
                job_runs::job.eq(job),
                job_runs::last_run_at.eq(at),
                job_runs::last_result.eq(result),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn all_runs(conn: &mut DbConn) -> QueryResult<Vec<(String, NaiveDateTime, String)>> {
    job_runs::table
        .order(job_runs::job)
        .select((job_runs::job, job_runs::last_run_at, job_runs::last_result))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = digests)]
pub struct Digest {
    pub id: i32,
    pub store_id: i32,
    pub for_date: NaiveDate,
    pub overdue_tasks: i32,
    /// JSON: the ids of the tasks that became overdue.
    pub detail: String,
    pub created_at: NaiveDateTime,
}

pub fn digest_for(conn: &mut DbConn, store_id: i32, on: NaiveDate) -> QueryResult<Option<Digest>> {
    digests::table
        .filter(digests::store_id.eq(store_id))
        .filter(digests::for_date.eq(on))
        .select(Digest::as_select())
        .first(conn)
        .optional()
}

pub fn digest_insert(
    conn: &mut DbConn,
    store_id: i32,
    on: NaiveDate,
    count: i32,
    detail: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::insert_into(digests::table)
        .values((
            digests::store_id.eq(store_id),
            digests::for_date.eq(on),
            digests::overdue_tasks.eq(count),
            digests::detail.eq(detail),
            digests::created_at.eq(now),
        ))
        .execute(conn)
}
