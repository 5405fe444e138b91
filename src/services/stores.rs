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
