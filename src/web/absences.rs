//! R9: the supervisor's page of absences and cover.

use super::auth::{chrome, Auth, AuthForm};
use super::posted::{posted, Posted};
use super::render::context_of;
use super::{AppError, AppResult, State};
use crate::services::absences::{self, AbsenceInput};
use crate::web::render::see_other;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use std::collections::HashMap;

async fn render(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    preview: Option<serde_json::Value>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id.ok_or_else(|| {
        AppError::Invalid(crate::domain::error::FieldError::new("store", "store-required").into())
    })?;
    let view = state
        .db(move |conn, ctx| Ok(crate::services::absences::page(conn, ctx, store)?))
        .await?;
    let mut t = context_of(&view)?;
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    t.insert("v", &values);
    t.insert("preview", &preview);
    let status = crate::web::render::errors_on(&mut t, &errors);
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, "absences.html", &t)?,
    ))
}

pub async fn list(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    render(&req, &state, &me, HashMap::new(), HashMap::new(), None).await
}

pub async fn create(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let f = &post.form;
    let input = AbsenceInput {
        clerk_id: f.get("clerk_id").and_then(|s| s.parse().ok()),
        substitute_id: f.get("substitute_id").and_then(|s| s.parse().ok()),
        from: f.opt("from"),
        to: f.opt("to"),
        note: f.opt("note"),
    };
    let actor = post.auth.actor();
    if f.get("preview").is_some() {
        return preview(req, state, post, input).await;
    }
    let answer = state
        .db(move |conn, ctx| Ok(absences::create(conn, ctx, &actor, &input)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(_) => Ok(see_other("/absences?ok=absence-saved")),
        Posted::Refused(typed, why) => render(&req, &state, &post.auth, typed, why, None).await,
    }
}

pub async fn cancel(state: State, post: AuthForm, id: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(absences::cancel(conn, ctx, &actor, id)?))
        .await?;
    Ok(see_other("/absences?ok=absence-cancelled"))
}

/// R9: what the substitute's queue on the first day will be with the cover, before saving
/// (the form again, with both counts; nothing is written).
async fn preview(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    input: AbsenceInput,
) -> AppResult<HttpResponse> {
    let actor = post.auth.actor();
    let shown = state
        .db(move |conn, ctx| {
            Ok(crate::services::absences::preview(
                conn, ctx, &actor, &input,
            ))
        })
        .await?;
    match posted(shown, &post)? {
        Posted::Taken(p) => {
            let (before, after) = (&p.before, &p.after);
            let v = json!({
                "name": p.substitute, "date": p.from,
                "before": {"overdue": before.overdue, "due": before.due, "upcoming": before.upcoming},
                "after": {"overdue": after.overdue, "due": after.due, "upcoming": after.upcoming},
            });
            render(
                &req,
                &state,
                &post.auth,
                post.form.values(),
                HashMap::new(),
                Some(v),
            )
            .await
        }
        Posted::Refused(typed, why) => render(&req, &state, &post.auth, typed, why, None).await,
    }
}
