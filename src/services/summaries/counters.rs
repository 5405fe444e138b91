//! `aftercare summary rebuild`: the summaries' counters recomputed from the rows, audited.

use crate::db::{write_tx, DbConn};
use crate::domain::summary::Period;
use crate::models::summary as model;
use crate::services::{audit, Actor, Ctx, SResult};

/// `aftercare summary rebuild [--from YYYY-MM]`: recomputes the summaries' counters from the
/// rows (of every month from `from` on, or all), in one transaction; returns the counter rows
/// written.
pub fn rebuild(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    from: Option<Period>,
) -> SResult<usize> {
    write_tx(conn, |c| {
        let n = model::rebuild(c, from.map(|p| p.first()))?;
        let subject = from.map(|p| p.to_string()).unwrap_or_else(|| "all".into());
        audit::record(
            c,
            ctx,
            actor,
            "summary.rebuild",
            &subject,
            &audit::detail(&[("rows", n.into())]),
            "ok",
        )?;
        Ok(n)
    })
}
