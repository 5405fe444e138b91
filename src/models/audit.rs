//! The audit log: one row per security-relevant action (who, what, when, from where, result).

use crate::db::schema::audit_log;
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAudit {
    pub at: NaiveDateTime,
    pub local_date: NaiveDate,
    pub store_id: Option<i32>,
    pub actor_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
    pub result: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub local_date: NaiveDate,
    pub store_id: Option<i32>,
    pub actor_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
    pub result: String,
}

pub fn insert(conn: &mut DbConn, row: &NewAudit) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)
}

pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// What the audit-log page and its export narrow the log to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Rows of this store, plus those done without a store (admins, the command line).
    pub store_id: Option<i32>,
    /// A part of the actor's name.
    pub actor: Option<String>,
    /// An action, or an action family (`login` matches `login` and `login.failed`).
    pub action: Option<String>,
}

fn filtered(f: &Filter) -> audit_log::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = audit_log::table.into_boxed();
    if let Some(d) = f.from {
        q = q.filter(audit_log::local_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(audit_log::local_date.le(d));
    }
    if let Some(s) = f.store_id {
        q = q.filter(audit_log::store_id.eq(s).or(audit_log::store_id.is_null()));
    }
    if let Some(a) = f.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        q = q.filter(audit_log::actor.like(format!("%{}%", a.replace(['%', '_'], ""))));
    }
    if let Some(a) = f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        q = q.filter(
            audit_log::action
                .eq(a.to_string())
                .or(audit_log::action.like(format!("{}.%", a.replace(['%', '_'], "")))),
        );
    }
    q
}

/// A page of the log, newest first.
pub fn list(conn: &mut DbConn, f: &Filter, limit: i64, offset: i64) -> QueryResult<Vec<AuditRow>> {
    filtered(f)
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    filtered(f).count().get_result(conn)
}

/// Rows after `after_id` in id order, for the export's keyset batches.
pub fn batch_after(
    conn: &mut DbConn,
    f: &Filter,
    after_id: i32,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    filtered(f)
        .filter(audit_log::id.gt(after_id))
        .order(audit_log::id)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn of_action(
    conn: &mut DbConn,
    action: &str,
    store_id: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let f = Filter {
        store_id,
        ..Filter::default()
    };
    filtered(&f)
        .filter(audit_log::action.eq(action.to_string()))
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// The actions recorded so far, for the page's filter.
pub fn actions(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action)
        .load(conn)
}
