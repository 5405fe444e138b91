//! Whose summaries a user sees (their own store's; the group's, or a store named by code) and
//! who may write them (supervisors and admins).

use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::domain::role::Role;
use crate::services::{Actor, SResult, ServiceError};

/// The store a user's summaries are of: their own; a user of the whole group (admin, auditor,
/// the command line) names one by code, or sees the group (`None`).
pub fn store_for(conn: &mut DbConn, actor: &Actor, code: Option<&str>) -> SResult<Option<i32>> {
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    match (actor.store_id, code) {
        (Some(own), None) => Ok(Some(own)),
        (own, Some(code)) => {
            let s = crate::models::store::by_code(conn, code)?.ok_or_else(|| {
                ServiceError::from(FieldError::new("store", "store-unknown").arg("value", code))
            })?;
            if own.is_some_and(|o| o != s.id) {
                return Err(ServiceError::Forbidden);
            }
            Ok(Some(s.id))
        }
        (None, None) => Ok(None),
    }
}

pub(super) fn may_write(actor: &Actor) -> SResult<()> {
    if matches!(actor.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}
