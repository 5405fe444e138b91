//! The summary's forms: the written report saved on the draft or filed (the page again with
//! its errors when refused), and a correction after filing.

use super::view::page_context;
use super::{actor_store, kind_of, load, period_of, see_other, SummaryQuery};
use crate::domain::error::FieldError;
use crate::domain::summary::{Kind, Report};
use crate::services::summaries as svc;
use crate::web::auth::{chrome, Auth, AuthForm};
use crate::web::{AppResult, State};
use actix_web::{web, HttpRequest, HttpResponse};

fn report_of(f: &crate::web::auth::Form) -> (Report, Vec<FieldError>) {
    let mut errs = Vec::new();
    let meeting_on = match f.get("meeting_on").map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(d) => match crate::domain::visit::parse_date("meeting_on", d) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push(e);
                None
            }
        },
    };
    let text = |k: &str| f.get(k).unwrap_or("").trim().to_string();
    (
        Report {
            went_well: text("went_well"),
            problems: text("problems"),
            measures: text("measures"),
            meeting_on,
            attendees: text("attendees"),
        },
        errs,
    )
}

/// The page again with the report as typed and its errors (a 422).
async fn again(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    kind: Kind,
    period: &str,
    report: Report,
    errs: crate::domain::error::FieldErrors,
) -> AppResult<HttpResponse> {
    let (_, mut view) = load(state, me.actor(), kind, period, &SummaryQuery::default()).await?;
    view.report = report;
    let mut ctx = page_context(&view, kind, &state.ctx.clock);
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("may_write", &true);
    ctx.insert("ok", &false);
    let errors: std::collections::HashMap<String, String> = errs
        .0
        .iter()
        .map(|e| (e.field.clone(), crate::i18n::I18N.field_error(me.lang, e)))
        .collect();
    ctx.insert("errors", &errors);
    Ok(HttpResponse::UnprocessableEntity()
        .content_type("text/html; charset=utf-8")
        .body(
            state
                .templates
                .render(me.lang, "summaries/show.html", &ctx)?,
        ))
}

/// `POST /summaries/{kind}/{period}/report` (save the draft) and `…/file` (file it).
async fn write(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
    filing: bool,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let me = post.auth.clone();
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let (report, errs) = report_of(&post.form);
    let code = post.form.opt("store");
    if !errs.is_empty() {
        return again(
            &req,
            &state,
            &me,
            kind,
            &period,
            report,
            crate::domain::error::FieldErrors(errs),
        )
        .await;
    }
    let actor = me.actor();
    let r = report.clone();
    let res = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            let out = if filing {
                svc::file(conn, ctx, &actor, store, p, &r)
            } else {
                svc::save_report(conn, ctx, &actor, store, p, &r)
            };
            Ok(out)
        })
        .await?;
    match res {
        Ok(_) => Ok(see_other(format!(
            "/summaries/{kind_s}/{p}?ok={}",
            if filing { "filed" } else { "saved" }
        ))),
        Err(crate::services::ServiceError::Invalid(errs)) => {
            again(&req, &state, &me, kind, &period, report, errs).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    write(req, state, post, path, false).await
}

pub async fn file(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    write(req, state, post, path, true).await
}

/// `POST /summaries/{kind}/{period}/correct`: a new version after filing (the old stays).
pub async fn correct(
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let actor = post.auth.actor();
    let reason = post.form.get("reason").unwrap_or("").to_string();
    let code = post.form.opt("store");
    state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::correct(conn, ctx, &actor, store, p, &reason)?)
        })
        .await?;
    Ok(see_other(format!("/summaries/{kind_s}/{p}")))
}
