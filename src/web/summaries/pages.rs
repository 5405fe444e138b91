//! The summaries' pages: the archive, a summary (and its A4 print), the lines behind a figure
//! and a clerk's scorecard.

use super::view::{page_context, scorecards, with_local, worded_line};
use super::{actor_store, kind_of, load, period_of, see_other, SummaryQuery};
use crate::domain::role::Role;
use crate::domain::summary::{Kind, Period};
use crate::services::summaries::{self as svc, View};
use crate::web::auth::{chrome, Auth};
use crate::web::render::html;
use crate::web::{AppError, AppResult, State};
use actix_web::{web, HttpRequest, HttpResponse};

/// `GET /summaries`: the archive of summaries and a way to open any month or year.
pub async fn index(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let today = state.ctx.clock.today();
    // The month and year fields of the form open their page.
    if let Some(m) = q.month.as_deref().filter(|m| !m.is_empty()) {
        period_of(Kind::Monthly, m, today)?;
        return Ok(see_other(format!("/summaries/monthly/{}", m.trim())));
    }
    if let Some(y) = q.year.as_deref().filter(|y| !y.is_empty()) {
        period_of(Kind::Yearly, y, today)?;
        return Ok(see_other(format!("/summaries/yearly/{}", y.trim())));
    }
    let actor = me.actor();
    let code = q.store.clone();
    let rows = state
        .db(move |conn, _| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::archive(conn, store)?)
        })
        .await?;
    let last_month = Period::month(
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
    )
    .previous();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert(
        "summaries",
        &rows
            .iter()
            .map(|v| with_local(&state.ctx.clock, v))
            .collect::<Vec<_>>(),
    );
    ctx.insert("last_month", &last_month.to_string());
    ctx.insert(
        "last_year",
        &(chrono::Datelike::year(&today) - 1).to_string(),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/index.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}`: the summary (latest version, or `?version=N`).
pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind, period) = path.into_inner();
    let kind = kind_of(&kind)?;
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let mut ctx = page_context(&view, kind, &state.ctx.clock);
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert(
        "may_write",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    ctx.insert("ok", &req.query_string().contains("ok=filed"));
    ctx.insert(
        "errors",
        &std::collections::HashMap::<String, String>::new(),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/show.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}/print`: the summary on A4, with its charts.
pub async fn print(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind, period) = path.into_inner();
    let kind = kind_of(&kind)?;
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let printed_at = state
        .ctx
        .clock
        .now_local()
        .format("%Y-%m-%d %H:%M")
        .to_string();
    Ok(html(print_html(
        &state.templates,
        me.lang,
        &view,
        kind,
        &state.ctx.clock,
        &me.user.display_name,
        &printed_at,
    )?))
}

/// The printed summary (also `aftercare summary … --format html`).
pub fn print_html(
    templates: &crate::web::render::Templates,
    lang: &str,
    view: &View,
    kind: Kind,
    clock: &crate::clock::Clock,
    printed_by: &str,
    printed_at: &str,
) -> anyhow::Result<String> {
    let mut ctx = page_context(view, kind, clock);
    ctx.insert("lang", lang);
    ctx.insert("printed_by", printed_by);
    ctx.insert("printed_at", printed_at);
    templates.render(lang, "summaries/print.html", &ctx)
}

/// `GET /summaries/{kind}/{period}/lines?figure=&clerk=`: the lines behind a figure.
pub async fn lines(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let figure = q.figure.clone().unwrap_or_default();
    let (code, clerk, advisor) = (q.store.clone(), q.clerk, q.advisor);
    let actor = me.actor();
    let f = figure.clone();
    let (src, rows) = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::lines(conn, ctx, store, p, &f, clerk, advisor)?)
        })
        .await?;
    let link = |id: i32, customer: Option<i32>| -> Option<String> {
        use crate::services::summaries::Source;
        match src {
            Source::Calls => Some(format!("/registers/call-register/{id}")),
            Source::Letters => Some(format!("/registers/letter-register/{id}")),
            Source::Items => Some(format!("/items/{id}")),
            Source::Events => Some(format!("/events/{id}")),
            Source::Satisfaction => Some(format!("/registers/call-records/{id}")),
            Source::Tasks | Source::Visits | Source::Lost => {
                customer.map(|c| format!("/customers/{c}"))
            }
        }
    };
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|l| {
            let href = link(l.id, l.customer_id);
            serde_json::json!({"line": worded_line(src, me.lang, l), "href": href})
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &p.to_string());
    ctx.insert("figure", &figure);
    ctx.insert("clerk", &clerk);
    ctx.insert("rows", &rows);
    ctx.insert("base", &format!("/summaries/{kind_s}/{p}"));
    Ok(html(state.templates.render(
        me.lang,
        "summaries/lines.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}/scorecard/{clerk}`: one clerk's scorecard beside the
/// store's median. A clerk sees only their own.
pub async fn scorecard(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String, i32)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind_s, period, clerk) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    if me.role == Role::Clerk && me.user.id != clerk {
        let mut ctx = tera::Context::new();
        ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
        ctx.insert("code", "summary-scorecard-not-yours");
        ctx.insert(
            "message",
            &crate::i18n::I18N.t(me.lang, "err-summary-scorecard-not-yours"),
        );
        ctx.insert("status", &403);
        return Ok(HttpResponse::Forbidden()
            .content_type("text/html; charset=utf-8")
            .body(state.templates.render(me.lang, "error.html", &ctx)?));
    }
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let cards = scorecards(&view.snapshot);
    let card = cards
        .into_iter()
        .find(|c| c.id == clerk)
        .ok_or(AppError::NotFound)?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &view.snapshot.period);
    ctx.insert("card", &card);
    ctx.insert(
        "base",
        &format!("/summaries/{kind_s}/{}", view.snapshot.period),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/scorecard.html",
        &ctx,
    )?))
}
