//! Writing a summary (R10): the draft stored (by the scheduler or on first save), the written
//! report saved, the summary filed with the registers' chain heads, and a correction opened.

use super::access::may_write;
use super::live::draft;
use super::stored::report_of;
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::register::Register;
use crate::domain::summary::{Period, Report};
use crate::models::summary::{self as model, Stored};
use crate::models::trunc;
use crate::services::{audit, Actor, Ctx, SResult, ServiceError};
use chrono::Datelike;

/// The draft being written: the latest version when it is a draft; a first version is made
/// when there is none; after filing, a correction must be opened first.
fn open_draft(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
) -> SResult<Stored> {
    let versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
    match versions.first() {
        Some(s) if s.status == "draft" => Ok(s.clone()),
        Some(_) => Err(ServiceError::Conflict("summary-already-filed")),
        None => {
            let snap = draft(conn, ctx, store_id, p)?;
            let id = model::insert_draft(
                conn,
                store_id,
                p.kind.as_str(),
                &p.to_string(),
                1,
                &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
                &Report::default(),
                None,
                &actor.name,
                trunc(ctx.clock.now_utc()),
            )?;
            model::by_id(conn, id)?.ok_or(ServiceError::NotFound("summary"))
        }
    }
}

/// Saves the written report and the meeting on the draft (nothing is checked but the dates:
/// a draft may be half-written).
pub fn save_report(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    report: &Report,
) -> SResult<i32> {
    may_write(actor)?;
    if let Some(d) = report.meeting_on {
        if d > ctx.clock.today() {
            return Err(FieldError::new("meeting_on", "datetime-in-future").into());
        }
    }
    write_tx(conn, |conn| {
        let d = open_draft(conn, ctx, actor, store_id, p)?;
        if model::save_report(conn, d.id, report, &actor.name, trunc(ctx.clock.now_utc()))? == 0 {
            return Err(ServiceError::Conflict("summary-already-filed"));
        }
        Ok(d.id)
    })
}

/// Files a period's summary (R10): the period must be over, the written report and the
/// meeting complete, and no version filed since the last correction. The figures are frozen
/// as computed now, and the head of each register's chain (for each year the period touches)
/// is recorded, so `verify` can later tell a rewritten register from the one summarised.
pub fn file(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    report: &Report,
) -> SResult<i32> {
    may_write(actor)?;
    let today = ctx.clock.today();
    let mut errs = FieldErrors::default();
    if !p.is_over(today) {
        errs.push(FieldError::new("period", "summary-period-not-over").arg("value", p));
    }
    for e in report.check_for_filing(today) {
        errs.push(e);
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    write_tx(conn, |conn| {
        let d = open_draft(conn, ctx, actor, store_id, p)?;
        let now = trunc(ctx.clock.now_utc());
        model::save_report(conn, d.id, report, &actor.name, now)?;
        let snap = draft(conn, ctx, store_id, p)?;
        let stores: Vec<i32> = match store_id {
            Some(s) => vec![s],
            None => crate::models::store::all(conn)?
                .into_iter()
                .map(|s| s.id)
                .collect(),
        };
        let purpose = format!("summary {} {} v{}", p.kind.as_str(), p, d.version);
        let mut heads = Vec::new();
        for s in stores {
            for register in Register::ALL {
                for year in p.first().year()..=p.last().year() {
                    if let Some((count, head)) = crate::models::register_chain::record_head(
                        conn, s, register, year, &purpose, now,
                    )? {
                        heads.push(serde_json::json!({"store_id": s, "register": register.key(), "year": year, "lines_in_chain": count, "head": head}));
                    }
                }
            }
        }
        let figures = serde_json::to_string(&snap).map_err(anyhow::Error::from)?;
        let heads = serde_json::to_string(&heads).map_err(anyhow::Error::from)?;
        if model::file(
            conn,
            d.id,
            &figures,
            &heads,
            (actor.user_id, &actor.name),
            now,
        )? == 0
        {
            return Err(ServiceError::Conflict("summary-already-filed"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "summary.file",
            &format!("{} {p}", p.kind.as_str()),
            &audit::detail(&[("version", d.version.into())]),
            "ok",
        )?;
        Ok(d.id)
    })
}

/// A correction after filing: a new draft version, with the report copied and the reason
/// recorded; the filed version stays as it was.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    reason: &str,
) -> SResult<i32> {
    may_write(actor)?;
    if reason.trim().is_empty() {
        return Err(FieldError::new("reason", "required").into());
    }
    write_tx(conn, |conn| {
        let versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
        let last = match versions.first() {
            Some(s) if s.status == "filed" => s.clone(),
            _ => return Err(ServiceError::Conflict("summary-not-filed")),
        };
        let snap = draft(conn, ctx, store_id, p)?;
        let id = model::insert_draft(
            conn,
            store_id,
            p.kind.as_str(),
            &p.to_string(),
            last.version + 1,
            &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
            &report_of(&last),
            Some(reason.trim()),
            &actor.name,
            trunc(ctx.clock.now_utc()),
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "summary.correct",
            &format!("{} {p}", p.kind.as_str()),
            reason.trim(),
            "ok",
        )?;
        Ok(id)
    })
}

/// The scheduler's draft on the 1st: stores the period's draft for each store unless one is
/// stored already (so running it twice changes nothing). Returns how many were stored.
pub fn store_drafts(conn: &mut DbConn, ctx: &Ctx, p: Period) -> SResult<usize> {
    let mut n = 0;
    for s in crate::models::store::all(conn)? {
        n += write_tx(conn, |conn| -> SResult<usize> {
            if !model::versions(conn, Some(s.id), p.kind.as_str(), &p.to_string())?.is_empty() {
                return Ok(0);
            }
            let snap = draft(conn, ctx, Some(s.id), p)?;
            model::insert_draft(
                conn,
                Some(s.id),
                p.kind.as_str(),
                &p.to_string(),
                1,
                &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
                &Report::default(),
                None,
                "scheduler",
                trunc(ctx.clock.now_utc()),
            )?;
            Ok(1)
        })?;
    }
    Ok(n)
}
