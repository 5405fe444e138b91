//! R11 privacy: masked phone numbers and their logged reveal, supervisors' grants of
//! full-phone exports, and anonymisation — on a customer's request or by the retention job —
//! through the one path the registers' append-only triggers let through.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::{retention_cutoff, AnonymisationSource, PhoneSight};
use crate::domain::role::Role;
use crate::domain::task::CloseReason;
use crate::domain::visit::parse_date;
use crate::i18n::I18N;
use crate::models::privacy::{self as model, NewAnonymisation, NewGrant};
use crate::models::{absence, customer, task, trunc, user};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// What `actor` may see of phone numbers today (see `PhoneSight`).
pub fn sight(conn: &mut DbConn, ctx: &Ctx, actor: &Actor) -> SResult<PhoneSight> {
    let covered = match (actor.role, actor.user_id, actor.store_id) {
        (Role::Clerk, Some(me), Some(store)) => {
            absence::covered_by(conn, store, me, ctx.clock.today())?
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        }
        _ => vec![],
    };
    Ok(PhoneSight::new(actor.role, actor.user_id, covered))
}

/// Shows a customer's whole number to someone who sees it masked, and logs that it was shown.
pub fn reveal(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, customer_id: i32) -> SResult<String> {
    write_tx(conn, |conn| {
        let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
        if !actor.in_store(c.store_id) {
            return Err(ServiceError::NotFound("customer"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "phone.reveal",
            &format!("customer {customer_id}"),
            &c.name,
            "ok",
        )?;
        Ok(crate::domain::phone::Phone::from_stored(&c.phone).to_string())
    })
}

/// Logs that the whole number of a register line was shown (the line's own copy, which may be
/// older than the customer's current number).
pub fn reveal_line(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, line_no: &str) -> SResult<()> {
    write_tx(conn, |conn| {
        audit::record(conn, ctx, actor, "phone.reveal", line_no, "", "ok")?;
        Ok(())
    })
}

/// The longest a grant may run: long enough for an audit, short enough to be forgotten safely.
pub const GRANT_MAX_DAYS: i64 = 31;

/// A supervisor lets one auditor export whole phone numbers until `expires_on` (inclusive).
pub fn grant(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    grantee: &str,
    expires_on: &str,
    reason: &str,
) -> SResult<i32> {
    if actor.role != Role::Supervisor {
        return Err(ServiceError::Forbidden);
    }
    let me = actor.user_id.ok_or(ServiceError::Forbidden)?;
    let today = ctx.clock.today();
    let mut errs = FieldErrors::default();
    let auditor = match grantee.trim().parse::<i32>() {
        Ok(id) => user::by_id(conn, id).optional()?,
        Err(_) => user::by_username(conn, grantee.trim())?,
    }
    .filter(|u| u.role == Role::Auditor && !u.disabled)
    .filter(|u| u.store_id.is_none() || u.store_id == actor.store_id);
    if auditor.is_none() {
        errs.push(FieldError::new("grantee", "grantee-not-auditor").arg("value", grantee));
    }
    let until = errs.take(parse_date("expires_on", expires_on));
    if let Some(u) = until {
        if u < today {
            errs.push(FieldError::new("expires_on", "date-in-past"));
        } else if (u - today).num_days() > GRANT_MAX_DAYS {
            errs.push(FieldError::new("expires_on", "grant-too-long").arg("max", GRANT_MAX_DAYS));
        }
    }
    if reason.trim().is_empty() {
        errs.push(FieldError::new("reason", "required"));
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let (auditor, until) = (auditor.expect("checked"), until.expect("checked"));
    write_tx(conn, |conn| {
        let id = model::insert_grant(
            conn,
            &NewGrant {
                store_id: actor.store_id,
                grantee_id: auditor.id,
                granted_by_id: me,
                reason: reason.trim().to_string(),
                granted_at: trunc(ctx.clock.now_utc()),
                expires_on: until,
            },
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "export.grant",
            &auditor.username,
            &audit::detail(&[
                ("grant", id.into()),
                ("until", until.to_string().into()),
                ("grant_reason", reason.trim().into()),
            ]),
            "ok",
        )?;
        Ok(id)
    })
}

pub fn revoke(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, id: i32) -> SResult<()> {
    if actor.role != Role::Supervisor {
        return Err(ServiceError::Forbidden);
    }
    write_tx(conn, |conn| {
        let store = model::grant_store(conn, id)?.ok_or(ServiceError::NotFound("grant"))?;
        if store.is_some() && store != actor.store_id {
            return Err(ServiceError::NotFound("grant"));
        }
        if model::revoke_grant(conn, id, trunc(ctx.clock.now_utc()))? == 0 {
            return Err(ServiceError::Conflict("grant-revoked"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "export.revoke",
            &format!("grant {id}"),
            "",
            "ok",
        )?;
        Ok(())
    })
}

/// Replaces a customer's personal fields everywhere — the customer, their register lines,
/// merge records — closes their open tasks, and records who did it and why. The register
/// lines' content and the hash chains are untouched: personal fields enter the chains only as
/// a salted digest, and `verify` knows an anonymised customer's digest can no longer match.
pub fn anonymise(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    customer_id: i32,
    reason: &str,
    source: AnonymisationSource,
) -> SResult<()> {
    check_may_anonymise(actor, reason, source)?;
    write_tx(conn, |conn| {
        let c = customer_to_anonymise(conn, actor, customer_id)?;
        let now = trunc(ctx.clock.now_utc());
        model::insert_anonymisation(
            conn,
            &NewAnonymisation {
                store_id: c.store_id,
                customer_id,
                source,
                reason: reason.trim().to_string(),
                by_id: actor.user_id,
                by_name: actor.name.clone(),
                at: now,
            },
        )?;
        // R11: what is replaced, named in the audit log's chain with the anonymisation, so the
        // lines whose personal digest no longer matches are accounted for (`verify`).
        let replaced = model::replaced_lines(conn, customer_id)?;
        // The pass opens the personal columns of this customer's lines for this transaction.
        model::open_pass(conn, customer_id)?;
        let name = I18N.t_args(
            &ctx.config.settings.language,
            "anonymous-customer",
            &[("id", customer_id.to_string())],
        );
        model::replace_customer(conn, customer_id, &name, now)?;
        model::replace_in_registers(conn, customer_id, &name)?;
        close_open_tasks(conn, ctx, actor, customer_id, now)?;
        model::close_pass(conn, customer_id)?;
        let replaced = if replaced.is_empty() {
            String::new()
        } else {
            format!(" — {}", replaced.join(", "))
        };
        audit::record(
            conn,
            ctx,
            actor,
            "customer.anonymise",
            &format!("customer {customer_id}"),
            &format!("{}: {}{replaced}", source.as_str(), reason.trim()),
            "ok",
        )?;
        Ok(())
    })
}

/// Only a supervisor (or admin) records a customer's request; the retention job needs no
/// one. Either way the reason is required: it is what the audit log keeps.
fn check_may_anonymise(actor: &Actor, reason: &str, source: AnonymisationSource) -> SResult<()> {
    if source == AnonymisationSource::Request
        && !matches!(actor.role, Role::Supervisor | Role::Admin)
    {
        return Err(ServiceError::Forbidden);
    }
    if reason.trim().is_empty() {
        return Err(FieldError::new("reason", "required").into());
    }
    Ok(())
}

/// The customer, of the actor's store, not yet anonymised (once only).
fn customer_to_anonymise(
    conn: &mut DbConn,
    actor: &Actor,
    customer_id: i32,
) -> SResult<customer::Customer> {
    let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    if !actor.in_store(c.store_id) {
        return Err(ServiceError::NotFound("customer"));
    }
    if model::anonymised(conn, customer_id)?.is_some() {
        return Err(ServiceError::Conflict("customer-anonymised"));
    }
    Ok(c)
}

/// No one is to call or write to an anonymised customer: their open tasks are closed.
fn close_open_tasks(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    customer_id: i32,
    now: NaiveDateTime,
) -> SResult<()> {
    for t in task::open_ids_of_customer(conn, customer_id)? {
        task::close(
            conn,
            t,
            CloseReason::Anonymised,
            now,
            ctx.clock.today(),
            actor.user_id,
        )?;
    }
    Ok(())
}

/// Customers whose last visit is older than the retention period and who are not anonymised
/// yet (merged-away customers are left: their data moved to the customer they were merged into).
pub fn retention_due(conn: &mut DbConn, ctx: &Ctx) -> SResult<Vec<i32>> {
    let Some(cutoff) = retention_cutoff(
        ctx.clock.today(),
        ctx.config.settings.privacy.retention_years,
    ) else {
        return Ok(vec![]);
    };
    let live = model::stale_customers(conn, cutoff)?;
    let done = model::anonymised_ids(conn)?;
    Ok(live.into_iter().filter(|id| !done.contains(id)).collect())
}

/// The retention job: anonymises every customer that is due, each in its own transaction.
pub fn run_retention(conn: &mut DbConn, ctx: &Ctx) -> SResult<usize> {
    let due = retention_due(conn, ctx)?;
    let years = ctx.config.settings.privacy.retention_years;
    let actor = Actor {
        name: "retention".into(),
        ..Actor::cli()
    };
    // The reason is read in the audit log: in the shop's language, like every page.
    let reason = I18N.t_args(
        &ctx.config.settings.language,
        "anonymise-retention-reason",
        &[("years", years.to_string())],
    );
    for id in &due {
        anonymise(
            conn,
            ctx,
            &actor,
            *id,
            &reason,
            AnonymisationSource::Retention,
        )?;
    }
    Ok(due.len())
}

/// The grants in force, and the auditors (id, name) who may be given one.
pub type GrantsAndAuditors = (Vec<crate::models::privacy::GrantRow>, Vec<(i32, String)>);

/// The export grants in force today in a store, and the auditors who may be given one (not
/// disabled; of the store or of the whole group), by id and name.
pub fn grants_and_auditors(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: Option<i32>,
) -> SResult<GrantsAndAuditors> {
    let grants = crate::models::privacy::active_grants(conn, store_id, ctx.clock.today())?;
    let auditors = crate::models::user::all(conn)?
        .into_iter()
        .filter(|u| u.role == crate::domain::role::Role::Auditor && !u.disabled)
        .filter(|u| u.store_id.is_none() || u.store_id == store_id)
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok((grants, auditors))
}
