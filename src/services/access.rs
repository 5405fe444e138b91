//! ASVS 8.2.2: whose data a user may read and act on — the one check. A clerk reaches their own
//! customers and those of the clerks they cover that day (R9); supervisors and admins every
//! customer of their store (admins without a store: of every store); auditors read the
//! registers, not customers. Anything else is "not found" (404), never a hint that it exists.
//! Every customer-, visit-, task-, item-, call-, letter- and event-scoped route calls this
//! (through `cover::may_work_on` or `customer`); the one thing any clerk of the store may see
//! of another clerk's customer is the card of an inbound call (`card_only`).

use super::{Actor, SResult, ServiceError};
use crate::db::DbConn;
use crate::domain::role::Role;
use crate::models::{absence, customer};
use chrono::NaiveDate;

/// How the actor reaches a customer's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The customer's own clerk, or a supervisor or admin of the store.
    Full,
    /// A clerk covering for the customer's clerk today (R9): acts as the substitute.
    Covering(i32),
}

impl Reach {
    /// The clerk covered for, if any (R9: registered under the substitute's name).
    pub fn covering_for(self) -> Option<i32> {
        match self {
            Reach::Full => None,
            Reach::Covering(c) => Some(c),
        }
    }
}

/// Whether `actor` reaches the data of a customer of `store_id` whose clerk is `owner`, on `on`.
/// `Err(NotFound(what))` otherwise.
pub fn check(
    conn: &mut DbConn,
    actor: &Actor,
    store_id: i32,
    owner: Option<i32>,
    on: NaiveDate,
    what: &'static str,
) -> SResult<Reach> {
    if !actor.in_store(store_id) {
        return Err(ServiceError::NotFound(what));
    }
    match actor.role {
        Role::Supervisor | Role::Admin => Ok(Reach::Full),
        Role::Auditor => Err(ServiceError::NotFound(what)),
        Role::Clerk => {
            let (Some(me), Some(owner)) = (actor.user_id, owner) else {
                return Err(ServiceError::NotFound(what));
            };
            if me == owner {
                return Ok(Reach::Full);
            }
            let covered = absence::covered_by(conn, store_id, me, on)?;
            if covered.iter().any(|(c, _)| *c == owner) {
                Ok(Reach::Covering(owner))
            } else {
                Err(ServiceError::NotFound(what))
            }
        }
    }
}

/// The check for a customer by id: the customer row when the actor reaches it.
pub fn customer(
    conn: &mut DbConn,
    actor: &Actor,
    customer_id: i32,
    on: NaiveDate,
) -> SResult<(customer::Customer, Reach)> {
    let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    let reach = check(conn, actor, c.store_id, c.clerk_id, on, "customer")?;
    Ok((c, reach))
}

/// For an inbound call (R7) any clerk of the store may find a customer by phone or plate and
/// register the call: they see the card (name, masked phone, vehicle, clerk in charge), not
/// the history. `Ok(true)`: the card only; `Ok(false)`: the whole customer.
pub fn card_only(
    conn: &mut DbConn,
    actor: &Actor,
    c: &customer::Customer,
    on: NaiveDate,
) -> SResult<bool> {
    if !actor.in_store(c.store_id) || actor.role == Role::Auditor {
        return Err(ServiceError::NotFound("customer"));
    }
    Ok(check(conn, actor, c.store_id, c.clerk_id, on, "customer").is_err())
}

/// Whether a visit posted for an existing customer may change the customer's own fields (name,
/// address): supervisors and admins of the store, and the customer's own clerk. Others record
/// the visit and leave the customer as it is.
pub fn may_update_customer(actor: &Actor, c: &customer::Customer) -> bool {
    actor.in_store(c.store_id)
        && match actor.role {
            Role::Supervisor | Role::Admin => true,
            Role::Clerk => actor.user_id.is_some() && actor.user_id == c.clerk_id,
            Role::Auditor => false,
        }
}
