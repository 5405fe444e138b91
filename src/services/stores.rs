//! Stores of a dealer group: adding one, from the admin page or `aftercare store add`.

use super::{audit, Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::models::{store, trunc};

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
