//! R10, X5 for supervisors: the monthly and yearly summaries as pages — every figure with the
//! previous period beside it and the change, charts, per-clerk scorecards, each figure linked
//! to the lines behind it — the written report, filing, corrections, the archive, the A4
//! print, the per-clerk CSV and CONTRACT.md's JSON.
//!
//! The parts: `pages` (the archive, a summary, its print, the lines behind a figure, a clerk's
//! scorecard), `forms` (the report saved or filed, a correction), `downloads` (the per-clerk
//! CSV and workbook, CONTRACT.md's JSON), `view` (what the page and its print show, built from
//! a snapshot) and `plots` (its charts). Here: the query and path parsing they share.

mod downloads;
mod forms;
mod pages;
mod plots;
mod view;

pub use downloads::{api_monthly, csv, xlsx};
pub use forms::{correct, file, save};
pub use pages::{index, lines, print, print_html, scorecard, show};
pub use view::{page_context, show_change, show_value};

use super::{AppError, AppResult, State};
use crate::domain::summary::{Kind, Period};
use crate::services::summaries::{self as svc, View};
use crate::services::Actor;
use crate::web::render::see_other;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SummaryQuery {
    store: Option<String>,
    version: Option<i32>,
    figure: Option<String>,
    clerk: Option<i32>,
    advisor: Option<i32>,
    month: Option<String>,
    year: Option<String>,
}

fn kind_of(s: &str) -> AppResult<Kind> {
    Kind::parse(s).ok_or(AppError::NotFound)
}

fn period_of(kind: Kind, s: &str, today: chrono::NaiveDate) -> AppResult<Period> {
    Period::parse(kind, s, today).map_err(|e| AppError::Invalid(e.into()))
}

fn actor_store(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    code: Option<&str>,
) -> AppResult<Option<i32>> {
    Ok(svc::store_for(conn, actor, code)?)
}

async fn load(
    state: &State,
    actor: Actor,
    kind: Kind,
    period: &str,
    q: &SummaryQuery,
) -> AppResult<(Period, View)> {
    let p = period_of(kind, period, state.ctx.clock.today())?;
    let (code, version) = (q.store.clone(), q.version);
    let view = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::view(conn, ctx, store, p, version)?)
        })
        .await?;
    Ok((p, view))
}
