//! A summary as data: the per-clerk table as CSV or an Excel workbook, and CONTRACT.md's JSON
//! of the monthly figures.

use super::{actor_store, kind_of, load, period_of, SummaryQuery};
use crate::domain::summary::Kind;
use crate::services::summaries as svc;
use crate::web::auth::{ApiAuth, Auth};
use crate::web::{AppResult, State};
use actix_web::{web, HttpResponse};

/// `GET /summaries/{kind}/{period}/clerks.csv`.
pub async fn csv(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    clerks_table(state, me, path, q, false).await
}

/// `GET /summaries/{kind}/{period}/clerks.xlsx`: the per-clerk table as an Excel workbook.
pub async fn xlsx(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    clerks_table(state, me, path, q, true).await
}

/// The per-clerk table as CSV or as a workbook.
async fn clerks_table(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
    xlsx: bool,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let (p, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let (body, ctype, ext) = if xlsx {
        let filed = view
            .current
            .as_ref()
            .filter(|_| view.filed)
            .map(|c| c.version);
        let mut body = Vec::new();
        svc::clerks_xlsx(&view.snapshot, me.lang, filed, &mut body)?;
        (body, crate::web::exports::XLSX, "xlsx")
    } else {
        (
            svc::clerks_csv(&view.snapshot, me.lang)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    Ok(HttpResponse::Ok()
        .content_type(ctype)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"summary-{p}-clerks.{ext}\""),
        ))
        .body(body))
}

/// `GET /api/v1/summaries/monthly/{YYYY-MM}?store=CODE`: CONTRACT.md's monthly figures.
pub async fn api_monthly(
    state: State,
    me: ApiAuth,
    period: web::Path<String>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let p = period_of(Kind::Monthly, &period, state.ctx.clock.today())?;
    let actor = me.actor();
    let code = q.store.clone();
    let body = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::contract(conn, ctx, store, p)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
