//! R6: the supervisor's events — create one with its audience, follow each invitee's notice
//! call, letter and answer, and print the event's letters in a batch.

use super::auth::{chrome, Auth, AuthForm};
use super::{AppError, AppResult, State};
use crate::domain::event::{EventInput, EventKind};
use crate::domain::task::{timeliness, TaskStatus};
use crate::models::{event as event_model, task, user};
use crate::services::{events, letters, ServiceError};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
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
        .db(move |conn, _| {
            Ok((
                event_model::of_store(conn, store)?,
                user::clerks_of_store(conn, store, false)?,
            ))
        })
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
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    t.insert("errors", &errors);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(state.templates.render(me.lang, "events/list.html", &t)?))
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
    match state
        .db(move |conn, ctx| Ok(events::create(conn, ctx, &actor, &input)))
        .await?
    {
        Ok(id) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/events/{id}?ok=event-created")))
            .finish()),
        Err(ServiceError::Invalid(e)) => {
            let errors = super::error::form_messages(post.auth.lang, &e);
            render_list(&req, &state, &post.auth, post.form.values(), errors).await
        }
        Err(e) => Err(e.into()),
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
    let mut t = state
        .db(move |conn, ctx| {
            let e = event_model::by_id(conn, id)?.ok_or(AppError::NotFound)?;
            if !actor.in_store(e.store_id) {
                return Err(AppError::NotFound);
            }
            let today = ctx.clock.today();
            let tasks = task::of_event(conn, id)?;
            let rows: Vec<_> = event_model::invitees(conn, id)?
                .into_iter()
                .map(|(cid, name, answer)| {
                    let notice = tasks.iter().find(|t| t.customer_id == cid && t.kind == "event_notice");
                    let letter = tasks.iter().find(|t| t.customer_id == cid && t.kind == "event_letter");
                    let notice_timeliness = notice.and_then(|n| timeliness(n.window(), TaskStatus::parse(&n.status).unwrap_or(TaskStatus::Open), n.done_on, today));
                    json!({
                        "customer_id": cid, "name": name, "answer": answer,
                        "notice_status": notice.map(|n| n.status.clone()), "notice_done_on": notice.and_then(|n| n.done_on),
                        "notice_timeliness": notice_timeliness, "notice_reason": notice.and_then(|n| n.close_reason.clone()),
                        "letter_task": letter.map(|l| l.id), "letter_status": letter.map(|l| l.status.clone()),
                        "letter_reason": letter.and_then(|l| l.close_reason.clone()), "letter_note": letter.and_then(|l| l.note.clone()),
                        "letter_done_on": letter.and_then(|l| l.done_on),
                    })
                })
                .collect();
            let mut t = tera::Context::new();
            // R6: notices are due by E − 14; an event created later is late from the start.
            t.insert("late_from_start", &(ctx.cadence().event_notice(e.created_on, e.starts_on).end < e.created_on));
            t.insert("notice_due", &ctx.cadence().event_notice(e.created_on, e.starts_on).end);
            t.insert("event", &e);
            t.insert("rows", &rows);
            t.insert("letters", &crate::models::letter::of_event(conn, id)?);
            Ok(t)
        })
        .await?;
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
        .db(move |conn, ctx| {
            let open: Vec<i32> = task::of_event(conn, id)?
                .into_iter()
                .filter(|t| t.kind == "event_letter" && t.status == "open")
                .map(|t| t.id)
                .collect();
            let mut out = Vec::new();
            for tid in open {
                out.push(letters::for_task(conn, ctx, &actor, tid, lang)?.0);
            }
            Ok(out)
        })
        .await?;
    super::letters::render_print(&req, &state, &me, composed, lang).await
}
