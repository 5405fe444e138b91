//! Merging two customer records that turn out to be the same person: visits, vehicles, tasks
//! and archives move to the one kept; the other stays as a tombstone pointing to it, and the
//! merge is recorded (who, when, what moved).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::models::merge as merge_model;
use crate::models::{archive, customer, task, trunc, visit};

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
        merge_model::record(
            conn,
            &merge_model::NewMerge {
                store_id: keep.store_id,
                kept_id: keep.id,
                merged_id: gone.id,
                merged_name: gone.name.clone(),
                merged_phone: gone.phone.clone(),
                merged_by: actor.user_id,
                merged_at: now,
                moved: moved.clone(),
            },
        )?;
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
