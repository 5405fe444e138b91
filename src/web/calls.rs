//! Recording calls: the call form of a task (outcome, topics C1–C7, key points, items raised,
//! with what earlier calls covered beside it, R5), closing a task as unreachable (X1), the
//! "new inbound call" form, and a customer's contact preferences (X4).

use super::auth::{chrome, ApiAuth, Auth, AuthForm, Form};
use super::{AppError, AppResult, State};
use crate::domain::call::{CallInput, Category, EventAnswer, ItemInput, ItemKind, Outcome, Topic};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::satisfaction::{SatisfactionInput, WinBackReason, ASPECTS};
use crate::i18n::I18N;
use crate::services::{call_form, calls, ServiceError};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Rows for items on the form (empty ones are ignored).
const ITEM_ROWS: usize = 3;

/// The values of a call form, as typed.
fn input_of(form: &Form) -> CallInput {
    let kinds = form.all("item_kind");
    let texts = form.all("item_text");
    let answered = form.all("item_answered");
    let answers = form.all("item_answer");
    let n = kinds.len().max(texts.len()).max(answers.len());
    let opt = |v: Option<&String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    CallInput {
        direction: form.opt("direction"),
        category: form.opt("category"),
        outcome: form.opt("outcome"),
        called_at: form.opt("called_at"),
        callback_at: form.opt("callback_at"),
        key_points: form.opt("key_points"),
        topics: form.all("topics"),
        items: (0..n)
            .map(|i| ItemInput {
                kind: opt(kinds.get(i)),
                text: opt(texts.get(i)),
                answered_on_call: answered.get(i).is_some_and(|a| a == "1"),
                answer: opt(answers.get(i)),
            })
            .collect(),
        satisfied: form.opt("satisfied").map(|s| s == "1"),
        event_answer: form.opt("event_answer"),
        satisfaction: SatisfactionInput {
            overall: form.opt("satisfaction"),
            aspects: ASPECTS
                .iter()
                .filter_map(|a| form.opt(&format!("aspect_{a}")).map(|v| (a.to_string(), v)))
                .collect(),
        },
        win_back_reason: form.opt("win_back_reason"),
        win_back_text: form.opt("win_back_text"),
    }
}

fn form_lists(t: &mut tera::Context) {
    t.insert(
        "outcomes",
        &Outcome::ALL.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
    );
    t.insert(
        "topics",
        &Topic::ALL.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
    );
    t.insert(
        "item_kinds",
        &ItemKind::ALL.iter().map(|o| o.as_str()).collect::<Vec<_>>(),
    );
    t.insert("win_back_reasons", &WinBackReason::ALL);
    t.insert(
        "event_answers",
        &EventAnswer::ALL
            .iter()
            .map(|o| o.as_str())
            .collect::<Vec<_>>(),
    );
}

/// What the form shows again after an error.
struct Shown {
    values: HashMap<String, String>,
    topics: Vec<String>,
    items: Vec<ItemInput>,
    errors: HashMap<String, String>,
    status: StatusCode,
}

fn shown_of(form: &Form, lang: &str, errs: &FieldErrors, status: StatusCode) -> Shown {
    let input = input_of(form);
    let mut values = form.values();
    values.retain(|k, _| !k.starts_with("item_") && k != "topics");
    Shown {
        values,
        topics: input.topics,
        items: input.items,
        errors: errs
            .0
            .iter()
            .map(|e| (e.field.clone(), I18N.field_error(lang, e)))
            .collect(),
        status,
    }
}

/// Renders a call form (a task's or an inbound one) with the values shown again, if any.
fn render_call_form(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    mut t: tera::Context,
    shown: Option<Shown>,
    template: &str,
) -> AppResult<HttpResponse> {
    form_lists(&mut t);
    let status = shown.as_ref().map_or(StatusCode::OK, |s| s.status);
    let (values, topics, items, errors) = match shown {
        Some(s) => (s.values, s.topics, s.items, s.errors),
        None => (HashMap::new(), Vec::new(), Vec::new(), HashMap::new()),
    };
    t.insert("v", &values);
    t.insert("checked_topics", &topics);
    t.insert("items", &item_rows(&items));
    t.insert("errors", &errors);
    t.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, template, &t)?,
    ))
}

fn item_rows(items: &[ItemInput]) -> Vec<Value> {
    let mut rows: Vec<Value> = items.iter().map(|i| json!({"kind": i.kind, "text": i.text, "answered": i.answered_on_call, "answer": i.answer})).collect();
    while rows.len() < ITEM_ROWS.max(items.len()) {
        rows.push(json!({"kind": null, "text": null, "answered": false, "answer": null}));
    }
    rows
}

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
    let mut t = super::render::context_of(&form)?;
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

fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
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
        Ok(_) => Ok(redirect(&back_with(back.as_deref(), "call-recorded"))),
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
    Ok(redirect(&back_with(
        post.form.get("back"),
        "closed-unreachable",
    )))
}

// Inbound calls ---------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
pub struct InboundQuery {
    q: Option<String>,
    customer: Option<i32>,
}

async fn render_inbound(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    q: String,
    customer_id: Option<i32>,
    shown: Option<Shown>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id;
    let query = q.clone();
    let actor = me.actor();
    let form = state
        .db(move |conn, ctx| {
            call_form::inbound_form(conn, ctx, &actor, store, &query, customer_id)
                .map_err(AppError::from)
        })
        .await?;
    let mut t = super::render::context_of(&form)?;
    t.insert(
        "categories",
        &[
            Category::Inquiry.as_str(),
            Category::Complaint.as_str(),
            Category::Other.as_str(),
        ],
    );
    t.insert("q", &q);
    render_call_form(req, state, me, t, shown, "calls/inbound.html")
}

pub async fn inbound_form(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<InboundQuery>,
) -> AppResult<HttpResponse> {
    render_inbound(
        &req,
        &state,
        &me,
        q.q.clone().unwrap_or_default(),
        q.customer,
        None,
    )
    .await
}

pub async fn inbound_record(
    req: HttpRequest,
    state: State,
    post: AuthForm,
) -> AppResult<HttpResponse> {
    let mut input = input_of(&post.form);
    input.direction = Some("inbound".into());
    let existing: Option<i32> = post
        .form
        .get("customer_id")
        .and_then(|s| s.trim().parse().ok());
    let new_name = post.form.opt("new_customer_name");
    let new_phone = post.form.opt("new_customer_phone");
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| {
            let caller = match existing {
                Some(id) => calls::Caller::Known(id),
                None => calls::Caller::New {
                    name: new_name.as_deref(),
                    phone: new_phone.as_deref(),
                },
            };
            Ok(calls::record_inbound(conn, ctx, &actor, caller, &input))
        })
        .await?;
    match result {
        Ok((customer_id, _)) => Ok(redirect(&format!(
            "/customers/{customer_id}?ok=call-recorded"
        ))),
        Err(ServiceError::Invalid(errs)) => {
            let shown = shown_of(
                &post.form,
                post.auth.lang,
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            render_inbound(
                &req,
                &state,
                &post.auth,
                String::new(),
                existing,
                Some(shown),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// X4: the customer's contact preferences, from the customer page.
pub async fn preferences(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let f = &post.form;
    let (no_calls, no_letters, hours) =
        (f.has("no_calls"), f.has("no_letters"), f.opt("call_hours"));
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(calls::set_preferences(
                conn,
                ctx,
                &actor,
                id,
                no_calls,
                no_letters,
                hours.as_deref(),
            )?)
        })
        .await?;
    Ok(redirect(&format!("/customers/{id}?ok=preferences-saved")))
}

// The API ---------------------------------------------------------------------------------------

/// `POST /api/v1/calls`: CONTRACT.md's call fields.
pub async fn api_record(state: State, me: ApiAuth, body: web::Bytes) -> AppResult<HttpResponse> {
    let m = super::error::json_object(&body)?;
    let (task_id, customer_id, input) = api_input(&m).map_err(AppError::Invalid)?;
    let actor = me.actor();
    let r = state
        .db(move |conn, ctx| {
            Ok(calls::record(
                conn,
                ctx,
                &actor,
                task_id,
                customer_id,
                &input,
            )?)
        })
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "record_no": r.record_no,
        "register_no": r.register_no,
        "items": r.items,
        "completed_task": r.completed_task,
        "opened_task": r.opened_task,
    })))
}

const API_FIELDS: [&str; 18] = [
    "task_id",
    "customer_id",
    "direction",
    "category",
    "outcome",
    "called_at",
    "callback_at",
    "key_points",
    "topics",
    "items",
    "satisfied",
    "event_answer",
    "store",
    "task_version",
    "satisfaction",
    "aspects",
    "win_back_reason",
    "win_back_text",
];

fn api_input(m: &Map<String, Value>) -> Result<(Option<i32>, Option<i32>, CallInput), FieldErrors> {
    let mut errs = FieldErrors::default();
    for k in m.keys().filter(|k| !API_FIELDS.contains(&k.as_str())) {
        errs.push(FieldError::new(k.as_str(), "field-unknown"));
    }
    let id = |errs: &mut FieldErrors, k: &str| match m.get(k) {
        None | Some(Value::Null) => None,
        Some(Value::Number(n))
            if n.as_i64()
                .is_some_and(|n| n > 0 && n <= i64::from(i32::MAX)) =>
        {
            n.as_i64().map(|n| n as i32)
        }
        Some(_) => {
            errs.push(FieldError::new(k, "json-type"));
            None
        }
    };
    let text = |errs: &mut FieldErrors, k: &str| match m.get(k) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(FieldError::new(k, "json-type"));
            None
        }
    };
    let task_id = id(&mut errs, "task_id");
    let customer_id = id(&mut errs, "customer_id");
    let topics = match m.get("topics") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(_) => {
            errs.push(FieldError::new("topics", "items-not-list"));
            Vec::new()
        }
    };
    let items = match m.get("items") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| api_item(&mut errs, i, v))
            .collect(),
        Some(_) => {
            errs.push(FieldError::new("items", "json-type"));
            Vec::new()
        }
    };
    let satisfied = match m.get("satisfied") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            errs.push(FieldError::new("satisfied", "json-type"));
            None
        }
    };
    // X6: 1–5 or "declined"; the domain says what is wrong with any other value.
    let scalar = |errs: &mut FieldErrors, k: &str, v: Option<&Value>| match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errs.push(FieldError::new(k, "json-type"));
            None
        }
    };
    let overall = scalar(&mut errs, "satisfaction", m.get("satisfaction"));
    let aspects = match m.get("aspects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(o)) => o
            .iter()
            .filter_map(|(k, v)| {
                scalar(&mut errs, &format!("aspects.{k}"), Some(v)).map(|v| (k.clone(), v))
            })
            .collect(),
        Some(_) => {
            errs.push(FieldError::new("aspects", "json-type"));
            Vec::new()
        }
    };
    let input = CallInput {
        satisfaction: SatisfactionInput { overall, aspects },
        win_back_reason: text(&mut errs, "win_back_reason"),
        win_back_text: text(&mut errs, "win_back_text"),
        direction: text(&mut errs, "direction"),
        category: text(&mut errs, "category"),
        outcome: text(&mut errs, "outcome"),
        called_at: text(&mut errs, "called_at"),
        callback_at: text(&mut errs, "callback_at"),
        key_points: text(&mut errs, "key_points"),
        topics,
        items,
        satisfied,
        event_answer: text(&mut errs, "event_answer"),
    };
    errs.into_result(|| (task_id, customer_id, input))
}

/// One of the API's `items`, each field checked where it is (`items[0].text`), never serde's
/// English (issue 12).
fn api_item(errs: &mut FieldErrors, i: usize, v: &Value) -> ItemInput {
    let mut item = ItemInput {
        kind: None,
        text: None,
        answered_on_call: false,
        answer: None,
    };
    let Value::Object(o) = v else {
        errs.push(FieldError::new(format!("items[{i}]"), "json-type"));
        return item;
    };
    for (k, v) in o {
        let field = format!("items[{i}].{k}");
        match (k.as_str(), v) {
            (_, Value::Null) => {}
            ("kind", Value::String(s)) => item.kind = Some(s.clone()),
            ("text", Value::String(s)) => item.text = Some(s.clone()),
            ("answer", Value::String(s)) => item.answer = Some(s.clone()),
            ("answered_on_call", Value::Bool(b)) => item.answered_on_call = *b,
            ("kind" | "text" | "answer" | "answered_on_call", _) => {
                errs.push(FieldError::new(field, "json-type"))
            }
            _ => errs.push(FieldError::new(field, "field-unknown")),
        }
    }
    item
}
