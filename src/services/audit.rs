//! Writes audit-log rows for what an actor did; part of the same transaction as the action.

use super::{Actor, Ctx};
use crate::db::DbConn;
use crate::models::audit::{self, NewAudit};
use diesel::QueryResult;
use std::collections::HashMap;

pub fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    action: &str,
    subject: &str,
    detail: &str,
    result: &str,
) -> QueryResult<()> {
    let at = ctx.clock.now_utc();
    audit::insert(
        conn,
        &NewAudit {
            at,
            local_date: ctx.clock.local_date(at),
            store_id: actor.store_id,
            actor_id: actor.user_id,
            actor: actor.name.clone(),
            action: action.into(),
            subject: subject.into(),
            detail: detail.into(),
            ip: actor.ip.clone(),
            result: result.into(),
        },
    )
    .map(|_| ())
}

/// An audit entry and the audit page's filter, as the page and its export read them.
pub use crate::models::audit::{AuditRow, Filter};

/// One page of the audit log under `f`: its entries, the number of entries the filter holds,
/// every action recorded (the filter's choices) and the names of the people in the page
/// (issue 12: a person is shown by name, their login on hover).
pub struct Page {
    pub rows: Vec<AuditRow>,
    pub total: i64,
    pub actions: Vec<String>,
    pub names: Names,
}

/// The names of the people of a page of the log (none for the export, which keeps logins).
#[derive(Default)]
pub struct Names {
    /// Who acted, by user id.
    pub by_id: HashMap<i32, String>,
    /// Whom a row is about, by the login its subject names.
    pub by_login: HashMap<String, String>,
}

pub fn page(conn: &mut DbConn, f: &Filter, limit: i64, offset: i64) -> QueryResult<Page> {
    let rows = audit::list(conn, f, limit, offset)?;
    let mut ids: Vec<i32> = rows.iter().filter_map(|r| r.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut logins: Vec<&str> = rows
        .iter()
        .map(|r| r.subject.as_str())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect();
    logins.sort_unstable();
    logins.dedup();
    let names = Names {
        by_id: crate::models::user::display_names(conn, &ids)?
            .into_iter()
            .collect(),
        by_login: crate::models::user::display_names_by_login(conn, &logins)?
            .into_iter()
            .collect(),
    };
    Ok(Page {
        names,
        total: audit::count(conn, f)?,
        actions: audit::actions(conn)?,
        rows,
    })
}

/// A detail stored as structured values (issue 12): a JSON object whose keys the page labels
/// in the reader's language. Rows written before keep their free text.
pub fn detail(pairs: &[(&str, serde_json::Value)]) -> String {
    serde_json::Value::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    )
    .to_string()
}

/// The next `n` entries under `f` after id `last` (the export reads the log in batches).
pub fn batch_after(conn: &mut DbConn, f: &Filter, last: i32, n: i64) -> QueryResult<Vec<AuditRow>> {
    audit::batch_after(conn, f, last, n)
}
