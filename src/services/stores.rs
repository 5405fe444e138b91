//! Stores of a dealer group: adding one, from the admin page or `aftercare store add`.

use super::{audit, Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::models::{store, trunc};

/// A store as the pages show it.
pub use crate::models::store::Store;

/// Every store, by id.
pub fn all(conn: &mut DbConn) -> super::SResult<Vec<Store>> {
    Ok(store::all(conn)?)
}

pub fn add(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    code: &str,
    name: &str,
) -> Result<i32, ServiceError> {
    let code = crate::domain::store::parse_code(code)?;
    let name = crate::domain::visit::check_len("name", name.trim(), 60)?;
    if name.is_empty() {
        return Err(FieldError::new("name", "required").into());
    }
    crate::db::write_tx(conn, |conn| {
        if store::by_code(conn, &code)?.is_some() {
            return Err(FieldError::new("code", "store-code-taken").into());
        }
        let id = store::insert(conn, &code, &name, trunc(ctx.clock.now_utc()))?;
        audit::record(conn, ctx, actor, "store.add", &code, &name, "ok")?;
        Ok(id)
    })
}

/// The store of a code the user typed (trimmed), or an error naming `field`.
pub fn by_code(conn: &mut DbConn, field: &str, code: &str) -> super::SResult<Store> {
    let code = code.trim();
    store::by_code(conn, code)?.ok_or_else(|| {
        FieldError::new(field, "store-unknown")
            .arg("value", code)
            .into()
    })
}
