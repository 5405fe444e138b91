//! `POST /api/v1/calls`: CONTRACT.md's call fields read from a JSON object — each one checked
//! where it is (`items[0].text`), an unknown one named, never serde's English (issue 12) —
//! and the call recorded.

use crate::domain::call::{CallInput, ItemInput};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::satisfaction::SatisfactionInput;
use crate::services::calls;
use crate::web::auth::ApiAuth;
use crate::web::{AppError, AppResult, State};
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};

/// `POST /api/v1/calls`: CONTRACT.md's call fields.
pub async fn api_record(state: State, me: ApiAuth, body: web::Bytes) -> AppResult<HttpResponse> {
    let m = crate::web::error::json_object(&body)?;
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

/// The call's fields, each checked; the refusals are listed in this order: unknown fields, the
/// ids, the lists, the answers, then the texts.
fn api_input(m: &Map<String, Value>) -> Result<(Option<i32>, Option<i32>, CallInput), FieldErrors> {
    let mut errs = FieldErrors::default();
    for k in m.keys().filter(|k| !API_FIELDS.contains(&k.as_str())) {
        errs.push(FieldError::new(k.as_str(), "field-unknown"));
    }
    let task_id = id(m, &mut errs, "task_id");
    let customer_id = id(m, &mut errs, "customer_id");
    let topics = topics(m, &mut errs);
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
    let satisfaction = satisfaction(m, &mut errs);
    let input = CallInput {
        satisfaction,
        win_back_reason: text(m, &mut errs, "win_back_reason"),
        win_back_text: text(m, &mut errs, "win_back_text"),
        direction: text(m, &mut errs, "direction"),
        category: text(m, &mut errs, "category"),
        outcome: text(m, &mut errs, "outcome"),
        called_at: text(m, &mut errs, "called_at"),
        callback_at: text(m, &mut errs, "callback_at"),
        key_points: text(m, &mut errs, "key_points"),
        topics,
        items,
        satisfied,
        event_answer: text(m, &mut errs, "event_answer"),
    };
    errs.into_result(|| (task_id, customer_id, input))
}

/// A positive id that fits a database key, or none.
fn id(m: &Map<String, Value>, errs: &mut FieldErrors, k: &str) -> Option<i32> {
    match m.get(k) {
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
    }
}

/// A text, or none.
fn text(m: &Map<String, Value>, errs: &mut FieldErrors, k: &str) -> Option<String> {
    match m.get(k) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(FieldError::new(k, "json-type"));
            None
        }
    }
}

/// The topics covered (C1–C7), a list of texts.
fn topics(m: &Map<String, Value>, errs: &mut FieldErrors) -> Vec<String> {
    match m.get("topics") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        Some(_) => {
            errs.push(FieldError::new("topics", "items-not-list"));
            Vec::new()
        }
    }
}

/// X6: the overall answer and the aspects', each 1–5 or "declined"; the domain says what is
/// wrong with any other value.
fn satisfaction(m: &Map<String, Value>, errs: &mut FieldErrors) -> SatisfactionInput {
    let overall = scalar(errs, "satisfaction", m.get("satisfaction"));
    let aspects = match m.get("aspects") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(o)) => o
            .iter()
            .filter_map(|(k, v)| {
                scalar(errs, &format!("aspects.{k}"), Some(v)).map(|v| (k.clone(), v))
            })
            .collect(),
        Some(_) => {
            errs.push(FieldError::new("aspects", "json-type"));
            Vec::new()
        }
    };
    SatisfactionInput { overall, aspects }
}

/// A text or a number, as text.
fn scalar(errs: &mut FieldErrors, k: &str, v: Option<&Value>) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            errs.push(FieldError::new(k, "json-type"));
            None
        }
    }
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
