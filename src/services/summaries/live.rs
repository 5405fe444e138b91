//! A summary counted live from the data: the scope of a period, the figures (totals, per clerk,
//! per service advisor), the whole draft with the period before, and the lines behind a figure.

use super::snapshot::{AdvisorRow, ClerkRow, MonthRow, Snapshot};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::domain::summary::{Figures, Kind, Period, COUNTED};
use crate::models::summary::{self as model, Scope};
use crate::services::{Ctx, SResult, ServiceError};
use std::collections::HashMap;

/// The scope of a period's counting.
pub fn scope(ctx: &Ctx, store_id: Option<i32>, p: Period) -> Scope {
    Scope {
        store_id,
        from: p.first(),
        to: p.last(),
        as_of: p.as_of(ctx.clock.today()),
        return_days: ctx.cadence().return_window_days,
        lost_days: ctx.cadence().lost_after_days,
        advisors: ctx.config.settings.advisors.enabled,
    }
}

/// The figures of a scope: the totals, each clerk's and each service advisor's (X8).
pub type Grouped = (Figures, HashMap<i32, Figures>, HashMap<i32, Figures>);

/// The figures of a scope: the totals, each clerk's and each service advisor's (X8).
pub fn figures(conn: &mut DbConn, ctx: &Ctx, s: &Scope) -> SResult<Grouped> {
    let (counts, by_advisor) = model::counts(conn, s)?;
    let events = model::events_per_clerk(conn, s)?;
    let days = model::days_to_close(conn, s)?;
    let (sums, advisor_sums) = model::satisfaction_sums(conn, s)?;
    let aspects = &ctx.config.settings.satisfaction.aspects;
    let total = |k: &str| {
        counts
            .values()
            .map(|m| m.get(k).copied().unwrap_or(0))
            .sum()
    };
    let mut all_sums = crate::domain::summary::SatisfactionSums::default();
    for x in sums.values() {
        all_sums.score_sum += x.score_sum;
        all_sums.high += x.high;
        for (k, (sum, n)) in &x.aspects {
            let e = all_sums.aspects.entry(k.clone()).or_insert((0, 0));
            e.0 += sum;
            e.1 += n;
        }
    }
    let totals = Figures::from_counts(total, days.iter().map(|(_, _, d)| *d).collect())
        .with_satisfaction(&all_sums, aspects);
    let mut per = HashMap::new();
    let mut ids: Vec<i32> = counts.keys().flatten().copied().collect();
    ids.extend(events.keys().copied());
    for id in ids {
        let m = counts.get(&Some(id));
        let get = |k: &str| {
            if k == "events" {
                events.get(&id).copied().unwrap_or(0)
            } else {
                m.and_then(|m| m.get(k).copied()).unwrap_or(0)
            }
        };
        let d = days
            .iter()
            .filter(|(c, _, _)| *c == id)
            .map(|(_, _, d)| *d)
            .collect();
        let sum = sums.get(&Some(id)).cloned().unwrap_or_default();
        per.insert(
            id,
            Figures::from_counts(get, d).with_satisfaction(&sum, aspects),
        );
    }
    // X8: the same figures per service advisor (events belong to no advisor).
    let mut per_advisor = HashMap::new();
    for (id, m) in by_advisor.iter().filter_map(|(k, m)| k.map(|k| (k, m))) {
        let d = days
            .iter()
            .filter(|(_, a, _)| *a == Some(id))
            .map(|(_, _, d)| *d)
            .collect();
        let sum = advisor_sums.get(&Some(id)).cloned().unwrap_or_default();
        per_advisor.insert(
            id,
            Figures::from_counts(|k| m.get(k).copied().unwrap_or(0), d)
                .with_satisfaction(&sum, aspects),
        );
    }
    Ok((totals, per, per_advisor))
}

fn store_of(conn: &mut DbConn, store_id: Option<i32>) -> SResult<(Option<String>, Option<String>)> {
    Ok(match store_id {
        None => (None, None),
        Some(id) => {
            let s = crate::models::store::all(conn)?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or(ServiceError::NotFound("store"))?;
            (Some(s.code), Some(s.name))
        }
    })
}

/// The summary of a period computed live from the data (nothing is written): the figures of
/// RULES.md's list for the store and per clerk, the previous period's beside them, and for a
/// year its months. Aggregate queries only; this is what the benchmark times.
pub fn draft(conn: &mut DbConn, ctx: &Ctx, store_id: Option<i32>, p: Period) -> SResult<Snapshot> {
    let s = scope(ctx, store_id, p);
    let (totals, per, per_advisor) = figures(conn, ctx, &s)?;
    let prev_scope = scope(ctx, store_id, p.previous());
    let (previous, prev_per, _) = figures(conn, ctx, &prev_scope)?;
    let overdue = model::overdue_at_end(conn, &s)?;
    let mut also: Vec<i32> = per.keys().copied().collect();
    also.sort_unstable();
    let clerks = model::clerks(conn, store_id, &also)?
        .into_iter()
        .map(|c| ClerkRow {
            figures: per.get(&c.id).cloned().unwrap_or_else(|| zero(ctx)),
            previous: prev_per.get(&c.id).cloned().unwrap_or_else(|| zero(ctx)),
            overdue_at_end: overdue.get(&c.id).copied().unwrap_or(0),
            id: c.id,
            username: c.username,
            display_name: c.display_name,
        })
        .collect();
    let months = match p.kind {
        Kind::Monthly => Vec::new(),
        Kind::Yearly => p
            .months()
            .into_iter()
            .filter(|m| m.first() <= ctx.clock.today())
            .map(|m| {
                let (f, _, _) = figures(conn, ctx, &scope(ctx, store_id, m))?;
                Ok(MonthRow {
                    period: m.to_string(),
                    figures: f,
                })
            })
            .collect::<SResult<Vec<_>>>()?,
    };
    // X8: the advisors of the list, those disabled only when they have figures.
    let advisors = if ctx.config.settings.advisors.enabled {
        crate::models::satisfaction::list(conn, store_id)?
            .into_iter()
            .filter(|a| !a.disabled || per_advisor.contains_key(&a.id))
            .map(|a| AdvisorRow {
                figures: per_advisor.get(&a.id).cloned().unwrap_or_else(|| zero(ctx)),
                id: a.id,
                name: a.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let (store, store_name) = store_of(conn, store_id)?;
    Ok(Snapshot {
        kind: p.kind,
        period: p.to_string(),
        store,
        store_name,
        as_of: s.as_of,
        totals,
        previous,
        clerks,
        months,
        advisors,
    })
}

fn zero(ctx: &Ctx) -> Figures {
    Figures::from_counts(|_| 0, Vec::new()).with_satisfaction(
        &Default::default(),
        &ctx.config.settings.satisfaction.aspects,
    )
}

/// The lines behind one figure of a period (of one clerk, or all); `figure` must be a counted
/// figure.
pub fn lines(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: Option<i32>,
    p: Period,
    figure: &str,
    clerk_id: Option<i32>,
    advisor_id: Option<i32>,
) -> SResult<(model::Source, Vec<model::Line>)> {
    if !COUNTED.contains(&figure) {
        return Err(FieldError::new("figure", "summary-figure-unknown")
            .arg("value", figure)
            .into());
    }
    let s = scope(ctx, store_id, p);
    model::lines(conn, &s, figure, clerk_id, advisor_id, 5000)?
        .ok_or(ServiceError::NotFound("figure"))
}
