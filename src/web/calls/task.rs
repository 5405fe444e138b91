//! A task's call: its form (with what earlier calls covered beside it, R5), recording the
//! call, and closing the task as unreachable (X1); each returns to the queue page the clerk
//! came from.

use super::form::{input_of, render_call_form, shown_of, Shown};
use crate::domain::error::{FieldError, FieldErrors};
use crate::services::{call_form, calls, ServiceError};
use crate::web::auth::{Auth, AuthForm};
use crate::web::render::see_other;
use crate::web::{AppError, AppResult, State};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;

async fn render_task_form(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    task_id: i32,
    shown: Option<Shown>,
    back: Option<String>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let form = state
        .db(move |conn, ctx| {
            call_form::task_form(conn, ctx, &actor, task_id).map_err(AppError::from)
        })
        .await?;
    let mut t = crate::web::render::context_of(&form)?;
    t.insert("back", &back);
    render_call_form(req, state, me, t, shown, "calls/task.html")
}

pub async fn task_form(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
    q: web::Query<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let back = safe_back(q.get("back").map(String::as_str));
    render_task_form(&req, &state, &me, id.into_inner(), None, back).await
}

/// Where "back to the queue" goes: the queue page the clerk came from (its page and
/// filters, issue 11), never anywhere else.
fn safe_back(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|b| {
            (*b == "/queue" || b.starts_with("/queue?"))
                && !b.contains(['\\', '\r', '\n', '"', '<', '>'])
        })
        .map(str::to_string)
}

/// The queue page to return to, with a notice.
fn back_with(back: Option<&str>, ok: &str) -> String {
    match safe_back(back) {
        Some(b) if b.contains('?') => format!("{b}&ok={ok}"),
        Some(b) => format!("{b}?ok={ok}"),
        None => format!("/queue?ok={ok}"),
    }
}

pub async fn task_record(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let input = input_of(&post.form);
    let actor = post.auth.actor();
    let back = safe_back(post.form.get("back"));
    match state
        .db(move |conn, ctx| Ok(calls::record(conn, ctx, &actor, Some(id), None, &input)))
        .await?
    {
        Ok(_) => Ok(see_other(back_with(back.as_deref(), "call-recorded"))),
        Err(ServiceError::Invalid(errs)) => {
            let shown = shown_of(
                &post.form,
                post.auth.lang,
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            render_task_form(&req, &state, &post.auth, id, Some(shown), back.clone()).await
        }
        Err(ServiceError::Conflict(code)) => {
            // Someone else finished the task meanwhile: say so, keep what was typed.
            let errs: FieldErrors = FieldError::new("task_id", code).into();
            let shown = shown_of(&post.form, post.auth.lang, &errs, StatusCode::CONFLICT);
            render_task_form(&req, &state, &post.auth, id, Some(shown), back.clone()).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn unreachable(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(calls::close_unreachable(conn, ctx, &actor, id)?))
        .await?;
    Ok(see_other(back_with(
        post.form.get("back"),
        "closed-unreachable",
    )))
}
