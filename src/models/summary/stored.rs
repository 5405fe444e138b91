//! The stored summaries: drafts (their written report) and filed versions (immutable).

use crate::db::schema::summaries;
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

/// A stored summary: a draft, or a filed version (immutable).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = summaries)]
pub struct Stored {
    pub id: i32,
    pub store_id: Option<i32>,
    pub kind: String,
    pub period: String,
    pub version: i32,
    pub status: String,
    pub figures: String,
    pub went_well: String,
    pub problems: String,
    pub measures: String,
    pub meeting_on: Option<NaiveDate>,
    pub attendees: String,
    pub correction_reason: Option<String>,
    pub chain_heads: String,
    pub drafted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
    pub filed_at: Option<NaiveDateTime>,
    pub filed_by_id: Option<i32>,
    pub filed_by: Option<String>,
}

/// Every version of one period's summary, newest first.
pub fn versions(
    conn: &mut DbConn,
    store_id: Option<i32>,
    kind: &str,
    period: &str,
) -> QueryResult<Vec<Stored>> {
    let mut q = summaries::table
        .filter(summaries::kind.eq(kind.to_string()))
        .filter(summaries::period.eq(period.to_string()))
        .order(summaries::version.desc())
        .select(Stored::as_select())
        .into_boxed();
    q = match store_id {
        Some(s) => q.filter(summaries::store_id.eq(s)),
        None => q.filter(summaries::store_id.is_null()),
    };
    q.load(conn)
}

/// The archive of summaries of a store (or of the group), newest period first.
pub fn archive(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Vec<Stored>> {
    let mut q = summaries::table
        .order((
            summaries::period.desc(),
            summaries::kind,
            summaries::version.desc(),
        ))
        .select(Stored::as_select())
        .into_boxed();
    q = match store_id {
        Some(s) => q.filter(summaries::store_id.eq(s)),
        None => q.filter(summaries::store_id.is_null()),
    };
    q.load(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Stored>> {
    summaries::table
        .find(id)
        .select(Stored::as_select())
        .first(conn)
        .optional()
}

/// A new version (a draft).
#[allow(clippy::too_many_arguments)]
pub fn insert_draft(
    conn: &mut DbConn,
    store_id: Option<i32>,
    kind: &str,
    period: &str,
    version: i32,
    figures: &str,
    report: &crate::domain::summary::Report,
    correction_reason: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(summaries::table)
        .values((
            summaries::store_id.eq(store_id),
            summaries::kind.eq(kind),
            summaries::period.eq(period),
            summaries::version.eq(version),
            summaries::status.eq("draft"),
            summaries::figures.eq(figures),
            summaries::went_well.eq(&report.went_well),
            summaries::problems.eq(&report.problems),
            summaries::measures.eq(&report.measures),
            summaries::meeting_on.eq(report.meeting_on),
            summaries::attendees.eq(&report.attendees),
            summaries::correction_reason.eq(correction_reason),
            summaries::chain_heads.eq("[]"),
            summaries::drafted_at.eq(now),
            summaries::updated_at.eq(now),
            summaries::updated_by.eq(by),
        ))
        .returning(summaries::id)
        .get_result(conn)
}

/// Saves a draft's written report. Returns 0 when it is no longer a draft.
pub fn save_report(
    conn: &mut DbConn,
    id: i32,
    report: &crate::domain::summary::Report,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        summaries::table
            .find(id)
            .filter(summaries::status.eq("draft")),
    )
    .set((
        summaries::went_well.eq(&report.went_well),
        summaries::problems.eq(&report.problems),
        summaries::measures.eq(&report.measures),
        summaries::meeting_on.eq(report.meeting_on),
        summaries::attendees.eq(&report.attendees),
        summaries::updated_at.eq(now),
        summaries::updated_by.eq(by),
    ))
    .execute(conn)
}

/// Files a draft: its figures frozen, the chain heads, who and when. Returns 0 when it was
/// no longer a draft (filed by someone else meanwhile).
pub fn file(
    conn: &mut DbConn,
    id: i32,
    figures: &str,
    chain_heads: &str,
    by: (Option<i32>, &str),
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        summaries::table
            .find(id)
            .filter(summaries::status.eq("draft")),
    )
    .set((
        summaries::status.eq("filed"),
        summaries::figures.eq(figures),
        summaries::chain_heads.eq(chain_heads),
        summaries::filed_at.eq(now),
        summaries::filed_by_id.eq(by.0),
        summaries::filed_by.eq(by.1),
        summaries::updated_at.eq(now),
        summaries::updated_by.eq(by.1),
    ))
    .execute(conn)
}
