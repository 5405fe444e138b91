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
    phone: Option<&str>,
) -> Result<i32, ServiceError> {
    let mut errs = crate::domain::error::FieldErrors::default();
    let code = errs.take(crate::domain::store::parse_code(code));
    let name = match errs.take(crate::domain::visit::check_len("name", name.trim(), 60)) {
        Some(n) if n.is_empty() => errs.take(Err(FieldError::new("name", "required"))),
        n => n,
    };
    // Issue 12: the number the unreachable letter asks the customer to call (optional).
    let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => errs
            .take(crate::domain::phone::Phone::parse("phone", p))
            .map(|p| Some(p.to_string())),
        None => Some(None),
    };
    errs.into_result(|| ())?;
    let (code, name, phone) = (
        code.expect("checked"),
        name.expect("checked"),
        phone.expect("checked"),
    );
    crate::db::write_tx(conn, |conn| {
        if store::by_code(conn, &code)?.is_some() {
            return Err(FieldError::new("code", "store-code-taken").into());
        }
        let id = store::insert(conn, &code, &name, trunc(ctx.clock.now_utc()))?;
        store::set_phone(conn, id, phone.as_deref())?;
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
