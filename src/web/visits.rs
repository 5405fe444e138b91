//! The "new visit / consultation" form and the pick-up button.

use super::auth::{chrome, Auth, AuthForm};
use super::posted::{posted, Posted};
use super::{AppResult, State};
use crate::domain::visit::VisitSource;
use crate::domain::visit::{VisitInput, FIELDS};
use crate::services::visits;
use crate::web::render::see_other;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;

async fn render(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let stores = if me.user.store_id.is_none() {
        state
            .db(|conn, _| Ok(crate::services::stores::all(conn)?))
            .await?
    } else {
        Vec::new()
    };
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("v", &values);
    ctx.insert("errors", &errors);
    ctx.insert("stores", &stores);
    ctx.insert("now_local", &state.ctx.clock.now_for_form());
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, "visits/new.html", &ctx)?,
    ))
}

pub async fn new_form(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    let mut v = HashMap::new();
    v.insert("kind".to_string(), "maintenance".to_string());
    // A visit is usually recorded as it happens: check-in defaults to now.
    v.insert("checked_in_at".to_string(), state.ctx.clock.now_for_form());
    render(&req, &state, &me, v, HashMap::new(), StatusCode::OK).await
}

pub async fn create(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let mut input = VisitInput::default();
    for name in FIELDS {
        input.set(name, post.form.get(name).map(str::to_string));
    }
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| Ok(visits::record(conn, ctx, &actor, &input, VisitSource::Form)))
        .await?;
    match posted(result, &post)? {
        Posted::Taken(r) => Ok(see_other(format!(
            "/customers/{}?ok=visit-created",
            r.customer_id
        ))),
        Posted::Refused(typed, why) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render(&req, &state, &post.auth, typed, why, status).await
        }
    }
}

pub async fn pickup(state: State, post: AuthForm, id: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let at = post.form.opt("picked_up_at");
    let actor = post.auth.actor();
    let customer_id = state
        .db(move |conn, ctx| Ok(visits::pickup(conn, ctx, &actor, id, at.as_deref())?.customer_id))
        .await?;
    Ok(see_other(format!("/customers/{customer_id}?ok=picked-up")))
}
