//! X8: the list of service advisors the admin keeps. A name from the DMS or the visit form is
//! matched to it by normalised name (`domain::satisfaction::normalise_name`); adding an
//! advisor links the visits already typed with that name, so figures follow the list.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::domain::satisfaction::normalise_name;
use crate::models::{satisfaction as model, store, trunc};

/// The store an advisor is added to: the admin's own, the one named, else the first.
fn store_for(conn: &mut DbConn, actor: &Actor, code: Option<&str>) -> SResult<i32> {
    if let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) {
        let s = store::by_code(conn, code)?.ok_or_else(|| {
            ServiceError::from(FieldError::new("store", "store-unknown").arg("value", code))
        })?;
        if !actor.in_store(s.id) {
            return Err(ServiceError::Forbidden);
        }
        return Ok(s.id);
    }
    match actor.store_id {
        Some(s) => Ok(s),
        None => store::all(conn)?
            .first()
            .map(|s| s.id)
            .ok_or(ServiceError::NotFound("store")),
    }
}

/// Adds an advisor; returns its id and how many earlier visits it now names.
pub fn add(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    name: &str,
    store_code: Option<&str>,
) -> SResult<(i32, usize)> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldError::new("name", "required").into());
    }
    if name.chars().count() > 100 {
        return Err(FieldError::new("name", "too-long").arg("max", 100).into());
    }
    let norm = normalise_name(name);
    write_tx(conn, |conn| {
        let store_id = store_for(conn, actor, store_code)?;
        if model::by_norm(conn, store_id, &norm)?.is_some() {
            return Err(FieldError::new("name", "advisor-exists").into());
        }
        let id = model::insert_advisor(conn, store_id, name, &norm, trunc(ctx.clock.now_utc()))?;
        let linked = model::link_visits(conn, store_id, id, &norm)?;
        audit::record(
            conn,
            ctx,
            actor,
            "advisor.add",
            &format!("advisor {id}"),
            &audit::detail(&[("name", name.into()), ("visits_linked", linked.into())]),
            "ok",
        )?;
        Ok((id, linked))
    })
}

/// Disables (or enables again) an advisor: a disabled one is kept for the figures of the
/// visits that name them, and still matched.
pub fn set_disabled(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    id: i32,
    disabled: bool,
) -> SResult<()> {
    write_tx(conn, |conn| {
        let a = model::by_id(conn, id)?.ok_or(ServiceError::NotFound("advisor"))?;
        if !actor.in_store(a.store_id) {
            return Err(ServiceError::NotFound("advisor"));
        }
        model::set_disabled(conn, id, disabled)?;
        audit::record(
            conn,
            ctx,
            actor,
            if disabled {
                "advisor.disable"
            } else {
                "advisor.enable"
            },
            &format!("advisor {id}"),
            &a.name,
            "ok",
        )?;
        Ok(())
    })
}

/// What the admin's advisors page shows (X8): the list, and the names typed on visits that
/// match none of it, with how many visits carry each.
#[derive(Debug, serde::Serialize)]
pub struct Overview {
    pub advisors: Vec<model::Advisor>,
    pub unmatched: Vec<(String, i64)>,
}

pub fn overview(conn: &mut DbConn, store_id: Option<i32>) -> SResult<Overview> {
    Ok(Overview {
        advisors: model::list(conn, store_id)?,
        unmatched: model::unmatched(conn, store_id)?,
    })
}
