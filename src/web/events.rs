//! R6: the supervisor's events — create one with its audience, follow each invitee's notice
//! call, letter and answer, and print the event's letters in a batch.

use super::auth::{chrome, Auth, AuthForm};
use super::posted::{posted, Posted};
use super::{AppError, AppResult, State};
use crate::domain::event::{EventInput, EventKind};
use crate::services::events;
use crate::web::render::see_other;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;

async fn render_list(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id.ok_or_else(|| {
        AppError::Invalid(crate::domain::error::FieldError::new("store", "store-required").into())
    })?;
    let (events, clerks) = state
        .db(move |conn, _| Ok(events::list_page(conn, store)?))
        .await?;
    let mut t = tera::Context::new();
    t.insert("events", &events);
    t.insert("clerks", &clerks);
    t.insert(
        "kinds",
        &EventKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>(),
    );
    t.insert("v", &values);
    let status = crate::web::render::errors_on(&mut t, &errors);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, "events/list.html", &t)?,
    ))
}

pub async fn list(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    render_list(&req, &state, &me, HashMap::new(), HashMap::new()).await
}

pub async fn create(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let f = &post.form;
    let input = EventInput {
        kind: f.opt("kind"),
        title: f.opt("title"),
        starts_on: f.opt("starts_on"),
        ends_on: f.opt("ends_on"),
        place: f.opt("place"),
        content: f.opt("content"),
        audience: f.opt("audience"),
        vehicle_type: f.opt("vehicle_type"),
        last_visit_months: f.opt("last_visit_months"),
        clerk_id: f.opt("clerk_id"),
    };
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| Ok(events::create(conn, ctx, &actor, &input)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(id) => Ok(see_other(format!("/events/{id}?ok=event-created"))),
        Posted::Refused(typed, why) => render_list(&req, &state, &post.auth, typed, why).await,
    }
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = me.actor();
    let view = state
        .db(move |conn, ctx| Ok(events::page(conn, ctx, &actor, id)?))
        .await?;
    let mut t = super::render::context_of(&view)?;
    t.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    Ok(super::render::html(state.templates.render(
        me.lang,
        "events/show.html",
        &t,
    )?))
}

/// The event's open letters, one per A4 page, to print in one go.
pub async fn letters_print(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
    q: web::Query<super::letters::LangQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = q.letter_lang();
    let actor = me.actor();
    let composed = state
        .db(move |conn, ctx| Ok(events::open_letters(conn, ctx, &actor, id, lang)?))
        .await?;
    super::letters::render_print(&req, &state, &me, composed, lang).await
}
