//! R9: a supervisor records that a clerk is away from … to … and who covers. During the
//! absence the clerk's open tasks appear in the substitute's queue, marked as covered; what
//! the substitute does is registered under the substitute's name.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::role::Role;
use crate::domain::visit::parse_date;
use crate::models::absence::{self, NewAbsence};
use crate::models::{trunc, user};
use chrono::NaiveDate;
use diesel::OptionalExtension;

pub struct AbsenceInput {
    pub clerk_id: Option<i32>,
    pub substitute_id: Option<i32>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
}

/// A date the form must have: parsed, or the field's error noted.
fn required_date(
    errs: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
) -> Option<chrono::NaiveDate> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => errs.take(parse_date(field, s)),
        None => errs.take(Err(FieldError::new(field, "required"))),
    }
}

pub fn create(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, input: &AbsenceInput) -> SResult<i32> {
    let a = check(input)?;
    write_tx(conn, |conn| {
        let (clerk, sub, store_id) = clerk_and_substitute(conn, actor, &a)?;
        check_free(conn, &a)?;
        let id = absence::insert(
            conn,
            &NewAbsence {
                store_id,
                clerk_id: a.clerk_id,
                substitute_id: a.substitute_id,
                from_date: a.from,
                to_date: a.to,
                note: a.note,
                created_by: actor.user_id,
                created_at: trunc(ctx.clock.now_utc()),
            },
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "absence.create",
            &clerk.username,
            &audit::detail(&[
                ("from", a.from.to_string().into()),
                ("to", a.to.to_string().into()),
                ("substitute", sub.display_name.clone().into()),
            ]),
            "ok",
        )?;
        Ok(id)
    })
}

/// An absence as the form gave it, checked.
struct Checked<'a> {
    from: NaiveDate,
    to: NaiveDate,
    clerk_id: i32,
    substitute_id: i32,
    note: Option<&'a str>,
}

/// Every field at once: both dates, in order; the clerk and a substitute who is someone
/// else; the note within its length.
fn check(input: &AbsenceInput) -> Result<Checked<'_>, FieldErrors> {
    let mut errs = FieldErrors::default();
    let from = required_date(&mut errs, "from", input.from.as_deref());
    let to = required_date(&mut errs, "to", input.to.as_deref());
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errs.push(FieldError::new("to", "absence-ends-before-start"));
        }
    }
    let clerk_id = input
        .clerk_id
        .ok_or_else(|| FieldError::new("clerk_id", "required"));
    let clerk_id = errs.take(clerk_id);
    let substitute_id = errs.take(
        input
            .substitute_id
            .ok_or_else(|| FieldError::new("substitute_id", "required")),
    );
    if clerk_id.is_some() && clerk_id == substitute_id {
        errs.push(FieldError::new("substitute_id", "substitute-self"));
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if let Some(n) = note {
        errs.take(crate::domain::visit::check_len("note", n, 500));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Checked {
        from: from.expect("checked"),
        to: to.expect("checked"),
        clerk_id: clerk_id.expect("checked"),
        substitute_id: substitute_id.expect("checked"),
        note,
    })
}

/// The absent clerk (a clerk of the actor's store) and the substitute (an active clerk or
/// supervisor of the same store), and that store.
fn clerk_and_substitute(
    conn: &mut DbConn,
    actor: &Actor,
    a: &Checked,
) -> SResult<(user::User, user::User, i32)> {
    let clerk = user::by_id(conn, a.clerk_id)
        .optional()?
        .filter(|u| u.role == Role::Clerk)
        .ok_or_else(|| FieldError::new("clerk_id", "clerk-unknown"))?;
    let store_id = clerk
        .store_id
        .ok_or_else(|| FieldError::new("clerk_id", "clerk-unknown"))?;
    if !actor.in_store(store_id) {
        return Err(FieldError::new("clerk_id", "clerk-other-store").into());
    }
    let sub = user::by_id(conn, a.substitute_id)
        .optional()?
        .filter(|u| !u.disabled && (u.role == Role::Clerk || u.role == Role::Supervisor));
    let sub = sub.ok_or_else(|| FieldError::new("substitute_id", "clerk-unknown"))?;
    if sub.store_id != Some(store_id) {
        return Err(FieldError::new("substitute_id", "clerk-other-store").into());
    }
    Ok((clerk, sub, store_id))
}

/// R9: one absence at a time for a clerk, and the substitute is not away themselves.
fn check_free(conn: &mut DbConn, a: &Checked) -> SResult<()> {
    if !absence::overlapping(conn, a.clerk_id, a.from, a.to)?.is_empty() {
        return Err(FieldError::new("from", "absence-overlaps").into());
    }
    if !absence::overlapping(conn, a.substitute_id, a.from, a.to)?.is_empty() {
        return Err(FieldError::new("substitute_id", "substitute-absent").into());
    }
    Ok(())
}

pub fn cancel(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, id: i32) -> SResult<()> {
    write_tx(conn, |conn| {
        let a = absence::by_id(conn, id)?.ok_or(ServiceError::NotFound("absence"))?;
        if !actor.in_store(a.store_id) {
            return Err(ServiceError::NotFound("absence"));
        }
        if absence::cancel(conn, id, trunc(ctx.clock.now_utc()))? == 0 {
            return Err(ServiceError::Conflict("absence-cancelled"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "absence.cancel",
            &format!("absence {id}"),
            "",
            "ok",
        )?;
        Ok(())
    })
}

/// What arranging a cover would do to the substitute's queue (R9).
pub struct CoverPreview {
    pub substitute: String,
    pub from: chrono::NaiveDate,
    pub before: super::queue::Counts,
    pub after: super::queue::Counts,
}

/// The substitute's queue on the absence's first day, now and with the absent clerk's tasks
/// (issue 11: shown before the absence is saved). Reads only; the same checks of who may
/// cover whom as `create`.
pub fn preview(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    input: &AbsenceInput,
) -> SResult<CoverPreview> {
    let mut errs = FieldErrors::default();
    let from = required_date(&mut errs, "from", input.from.as_deref());
    let clerk_id = errs.take(
        input
            .clerk_id
            .ok_or_else(|| FieldError::new("clerk_id", "required")),
    );
    let substitute_id = errs.take(
        input
            .substitute_id
            .ok_or_else(|| FieldError::new("substitute_id", "required")),
    );
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let (from, clerk_id, substitute_id) = (
        from.expect("checked"),
        clerk_id.expect("checked"),
        substitute_id.expect("checked"),
    );
    let clerk = user::by_id(conn, clerk_id)
        .optional()?
        .filter(|u| u.role == Role::Clerk)
        .ok_or_else(|| FieldError::new("clerk_id", "clerk-unknown"))?;
    let store_id = clerk
        .store_id
        .filter(|s| actor.in_store(*s))
        .ok_or_else(|| FieldError::new("clerk_id", "clerk-other-store"))?;
    let sub = user::by_id(conn, substitute_id)
        .optional()?
        .filter(|u| u.store_id == Some(store_id))
        .ok_or_else(|| FieldError::new("substitute_id", "clerk-unknown"))?;
    let (before, after) =
        super::queue::cover_preview(conn, ctx, store_id, clerk_id, substitute_id, from)?;
    Ok(CoverPreview {
        substitute: sub.display_name,
        from,
        before,
        after,
    })
}

/// An absence as the absences page lists it (names, not ids).
#[derive(Debug, serde::Serialize)]
pub struct AbsenceLine {
    pub id: i32,
    pub clerk: String,
    pub substitute: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub note: Option<String>,
    pub cancelled: bool,
    /// Under way today.
    pub current: bool,
    pub past: bool,
}

/// The absences page: the store's absences of the last 30 days and after, the clerks who may
/// be absent, and who may cover (the store's clerks and its active supervisors).
#[derive(Debug, serde::Serialize)]
pub struct AbsencesPage {
    pub rows: Vec<AbsenceLine>,
    pub clerks: Vec<super::accounts::User>,
    pub substitutes: Vec<super::accounts::User>,
}

pub fn page(conn: &mut DbConn, ctx: &Ctx, store: i32) -> SResult<AbsencesPage> {
    let today = ctx.clock.today();
    let clerks = user::clerks_of_store(conn, store, false)?;
    let mut people = clerks.clone();
    people.extend(
        user::all(conn)?
            .into_iter()
            .filter(|u| u.role == Role::Supervisor && u.store_id == Some(store) && !u.disabled),
    );
    let name = |id: i32| {
        people
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.display_name.clone())
            .unwrap_or_default()
    };
    let rows = absence::of_store(conn, store, today - chrono::Duration::days(30))?
        .into_iter()
        .map(|a| AbsenceLine {
            id: a.id,
            clerk: name(a.clerk_id),
            substitute: name(a.substitute_id),
            from: a.from_date,
            to: a.to_date,
            cancelled: a.cancelled_at.is_some(),
            current: a.cancelled_at.is_none() && a.from_date <= today && today <= a.to_date,
            past: a.to_date < today,
            note: a.note,
        })
        .collect();
    Ok(AbsencesPage {
        rows,
        clerks,
        substitutes: people,
    })
}
