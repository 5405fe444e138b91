//! Writes audit-log rows for what an actor did; part of the same transaction as the action.

use super::{Actor, Ctx};
use crate::db::DbConn;
use crate::models::audit::{self, NewAudit};
use diesel::QueryResult;

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

/// One page of the audit log under `f`, the number of entries it holds, and every action
/// recorded (the filter's choices).
pub fn page(
    conn: &mut DbConn,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<AuditRow>, i64, Vec<String>)> {
    Ok((
        audit::list(conn, f, limit, offset)?,
        audit::count(conn, f)?,
        audit::actions(conn)?,
    ))
}

/// The next `n` entries under `f` after id `last` (the export reads the log in batches).
pub fn batch_after(conn: &mut DbConn, f: &Filter, last: i32, n: i64) -> QueryResult<Vec<AuditRow>> {
    audit::batch_after(conn, f, last, n)
}
