//! Merging two customer records that turn out to be the same person: visits, vehicles, tasks
//! and archives move to the one kept; the other stays as a tombstone pointing to it, and the
//! merge is recorded (who, when, what moved).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::schema::customer_merges;
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::models::{archive, customer, task, trunc, visit};
use diesel::prelude::*;

pub fn merge(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    keep_id: i32,
    merge_id: i32,
) -> SResult<()> {
    if keep_id == merge_id {
        return Err(FieldError::new("merge_id", "merge-same").into());
    }
    write_tx(conn, |conn| {
        let keep = customer::by_id(conn, keep_id)?.ok_or(ServiceError::NotFound("customer"))?;
        let gone = customer::by_id(conn, merge_id)?
            .ok_or_else(|| FieldError::new("merge_id", "customer-unknown"))?;
        if !actor.in_store(keep.store_id) || keep.store_id != gone.store_id {
            return Err(FieldError::new("merge_id", "merge-other-store").into());
        }
        if keep.merged_into_id.is_some() || gone.merged_into_id.is_some() {
            return Err(FieldError::new("merge_id", "merge-already").into());
        }
        let now = trunc(ctx.clock.now_utc());
        let vehicles = customer::vehicles_move(conn, gone.id, keep.id, now)?;
        let visits = visit::move_customer(conn, gone.id, keep.id)?;
        let tasks = task::move_customer(conn, gone.id, keep.id)?;
        archive::move_customer(conn, gone.id, keep.id)?;
        crate::models::call::move_customer(conn, gone.id, keep.id)?;
        if let Some(clerk) = keep.clerk_id {
            task::reassign_open(conn, &[keep.id], clerk, now)?;
        }
        customer::mark_merged(conn, gone.id, keep.id, now)?;
        let moved = format!("vehicles {vehicles}, visits {visits}, tasks {tasks}");
        diesel::insert_into(customer_merges::table)
            .values((
                customer_merges::store_id.eq(keep.store_id),
                customer_merges::kept_id.eq(keep.id),
                customer_merges::merged_id.eq(gone.id),
                customer_merges::merged_name.eq(&gone.name),
                customer_merges::merged_phone.eq(&gone.phone),
                customer_merges::merged_by.eq(actor.user_id),
                customer_merges::merged_at.eq(now),
                customer_merges::moved.eq(&moved),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            ctx,
            actor,
            "customer.merge",
            &format!("customer {} into {}", gone.id, keep.id),
            &moved,
            "ok",
        )?;
        Ok(())
    })
}

/// Merges recorded for a customer (kept side), newest first.
pub fn history(
    conn: &mut DbConn,
    customer_id: i32,
) -> QueryResult<Vec<(String, String, chrono::NaiveDateTime, String)>> {
    customer_merges::table
        .filter(customer_merges::kept_id.eq(customer_id))
        .order(customer_merges::id.desc())
        .select((
            customer_merges::merged_name,
            customer_merges::merged_phone,
            customer_merges::merged_at,
            customer_merges::moved,
        ))
        .load(conn)
}
