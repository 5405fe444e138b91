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
