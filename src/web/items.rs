//! Items followed to the end: the item page (its whole timeline, research notes, escalation,
//! solution, reply letter), the supervisor's escalations page, and the API of CONTRACT.md.

use super::auth::{chrome, ApiAuth, Auth, AuthForm};
use super::{AppError, AppResult, State};
use crate::domain::error::FieldError;
use crate::i18n::I18N;
use crate::services::{items, ServiceError};
use crate::web::render::see_other;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

async fn render(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    id: i32,
    errors: HashMap<String, String>,
    status: StatusCode,
    typed: Option<(&'static str, HashMap<String, String>)>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let view = state
        .db(move |conn, ctx| Ok(items::page(conn, ctx, &actor, id)?))
        .await?;
    let mut t = super::render::context_of(&view)?;
    t.insert("errors", &errors);
    // Issue 12: the form that was refused comes back with what was typed in it.
    let (which, v) = typed.unwrap_or_default();
    t.insert("which", which);
    t.insert("v", &v);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, "items/show.html", &t)?,
    ))
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render(
        &req,
        &state,
        &me,
        id.into_inner(),
        HashMap::new(),
        StatusCode::OK,
        None,
    )
    .await
}

/// Runs an item action from the item page; field errors show on the page again.
async fn act<F>(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: i32,
    ok: &'static str,
    f: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(
            &mut crate::db::DbConn,
            &crate::services::Ctx,
            &crate::services::Actor,
        ) -> Result<(), ServiceError>
        + Send
        + 'static,
{
    let actor = post.auth.actor();
    match state.db(move |conn, ctx| Ok(f(conn, ctx, &actor))).await? {
        Ok(()) => Ok(see_other(format!("/items/{id}?ok={ok}"))),
        Err(ServiceError::Invalid(e)) => {
            let errors =
                e.0.iter()
                    .map(|e| (e.field.clone(), I18N.field_error(post.auth.lang, e)))
                    .collect();
            render(
                &req,
                &state,
                &post.auth,
                id,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((ok, post.form.values())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn note(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let text = post.form.get("note").unwrap_or("").to_string();
    act(req, state, post, id, "note-added", move |c, ctx, a| {
        items::note(c, ctx, a, id, &text)
    })
    .await
}

pub async fn escalate(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (at, note) = (post.form.opt("escalated_at"), post.form.opt("note"));
    act(req, state, post, id, "escalated", move |c, ctx, a| {
        items::escalate(c, ctx, a, id, at.as_deref(), note.as_deref()).map(|_| ())
    })
    .await
}

pub async fn solve(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (solution, at) = (
        post.form.get("solution").unwrap_or("").to_string(),
        post.form.opt("solved_at"),
    );
    act(req, state, post, id, "solved", move |c, ctx, a| {
        items::solve(c, ctx, a, id, &solution, at.as_deref()).map(|_| ())
    })
    .await
}

/// The supervisor's page: every item still being followed in the store, oldest first, with
/// the ones not escalated in time (R4c) flagged.
pub async fn escalations(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    let store = me.user.store_id.ok_or_else(|| {
        AppError::Invalid(crate::domain::error::FieldError::new("store", "store-required").into())
    })?;
    let rows = state
        .db(move |conn, ctx| Ok(items::pending_of_store(conn, ctx, store)?))
        .await?;
    let mut t = tera::Context::new();
    t.insert("rows", &rows);
    t.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    Ok(super::render::html(state.templates.render(
        me.lang,
        "items/escalations.html",
        &t,
    )?))
}

/// The text fields of an API body that may hold only `fields`, each a string, `null` or
/// absent. An unknown key is refused first, then a field that is not text, in `fields` order.
fn api_texts<const N: usize>(
    body: &[u8],
    fields: [&str; N],
) -> Result<[Option<String>; N], AppError> {
    let m = super::error::json_object(body)?;
    if let Some(k) = m.keys().find(|k| !fields.contains(&k.as_str())) {
        return Err(AppError::Invalid(
            FieldError::new(k.as_str(), "field-unknown").into(),
        ));
    }
    let mut out = [const { None }; N];
    for (slot, key) in out.iter_mut().zip(fields) {
        *slot = match m.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(AppError::Invalid(FieldError::new(key, "json-type").into())),
        };
    }
    Ok(out)
}

/// `POST /api/v1/items/{id}/escalate` `{"escalated_at"?, "note"}` (R4c).
pub async fn api_escalate(
    state: State,
    me: ApiAuth,
    id: web::Path<i32>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let [at, note] = api_texts(&body, ["escalated_at", "note"])?;
    let actor = me.actor();
    let on = state
        .db(move |conn, ctx| {
            Ok(items::escalate(
                conn,
                ctx,
                &actor,
                id,
                at.as_deref(),
                note.as_deref(),
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({"item_id": id, "status": "escalated", "escalated_on": on})))
}

/// `POST /api/v1/items/{id}/solution` `{"solution", "solved_at"?}` (R4d).
pub async fn api_solution(
    state: State,
    me: ApiAuth,
    id: web::Path<i32>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let [solution, at] = api_texts(&body, ["solution", "solved_at"])?;
    let actor = me.actor();
    let task = state
        .db(move |conn, ctx| {
            Ok(items::solve(
                conn,
                ctx,
                &actor,
                id,
                solution.as_deref().unwrap_or(""),
                at.as_deref(),
            )?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .json(json!({"item_id": id, "status": "solved", "solution_call_task": task})))
}
