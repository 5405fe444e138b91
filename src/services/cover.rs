//! R9: who may work on a customer's tasks on a given day — the designated clerk, whoever
//! covers for them that day, supervisors and admins of the store. One home for the check that
//! calls, items, archives and letters all make (so none of them imports another for it).

use super::{Actor, SResult};
use crate::db::DbConn;
use chrono::NaiveDate;

/// Who may work on a customer's tasks on `on`: the designated clerk, whoever covers for them
/// that day (R9), and supervisors and admins of the store (`access::check`, 404 otherwise).
/// `Some(owner)` when the actor covers for the owner.
pub fn may_work_on(
    conn: &mut DbConn,
    actor: &Actor,
    store_id: i32,
    owner: i32,
    on: NaiveDate,
) -> SResult<Option<i32>> {
    Ok(super::access::check(conn, actor, store_id, Some(owner), on, "customer")?.covering_for())
}
