//! R1: every customer has one designated follow-up clerk. A new customer gets one by round
//! robin among the store's active clerks; a returning customer keeps theirs; a supervisor can
//! reassign one customer or many (their open tasks move with them).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::domain::role::Role;
use crate::models::{customer, store, task, user};
use diesel::prelude::*;

/// The next clerk of the store in round-robin order, or `None` when it has no active clerk.
pub fn next_clerk(conn: &mut DbConn, store_id: i32) -> QueryResult<Option<i32>> {
    // Lock the store row first: two visits at the same moment take turns instead of both
    // picking the same clerk.
    store::lock_round_robin(conn, store_id)?;
    let clerks = user::clerks_of_store(conn, store_id, true)?;
    if clerks.is_empty() {
        return Ok(None);
    }
    let last = store::by_id(conn, store_id)?
        .last_assigned_clerk_id
        .unwrap_or(0);
    let next = clerks.iter().find(|c| c.id > last).unwrap_or(&clerks[0]).id;
    store::set_last_assigned(conn, store_id, next)?;
    Ok(Some(next))
}

/// Designates `clerk_id` for the customers (R1), moving their open tasks along.
pub fn reassign(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    customer_ids: &[i32],
    clerk_id: i32,
) -> SResult<usize> {
    if customer_ids.is_empty() {
        return Err(FieldError::new("customer_ids", "required").into());
    }
    crate::db::write_tx(conn, |conn| {
        let clerk = user::by_id(conn, clerk_id)
            .optional()?
            .ok_or_else(|| FieldError::new("clerk_id", "clerk-unknown"))?;
        if clerk.role != Role::Clerk || clerk.disabled {
            return Err(FieldError::new("clerk_id", "clerk-unknown").into());
        }
        let now = ctx.clock.now_utc();
        for id in customer_ids {
            let c = customer::by_id(conn, *id)?.ok_or(ServiceError::NotFound("customer"))?;
            if !actor.in_store(c.store_id) || clerk.store_id != Some(c.store_id) {
                return Err(FieldError::new("clerk_id", "clerk-other-store").into());
            }
        }
        let n = customer::set_clerk(conn, customer_ids, clerk_id, now)?;
        task::reassign_open(conn, customer_ids, clerk_id, now)?;
        let ids: Vec<String> = customer_ids.iter().map(ToString::to_string).collect();
        audit::record(
            conn,
            ctx,
            actor,
            "customer.reassign",
            &format!("customers {}", ids.join(",")),
            &format!("clerk {}", clerk.username),
            "ok",
        )?;
        Ok(n)
    })
}
