//! The call form as a page: what a posted form typed (`input_of`), the lists it offers
//! (outcomes, topics C1–C7, item kinds, win-back reasons, event answers), and the form shown
//! again after a refusal with what was typed — topics checked, items in their rows — and each
//! field's reason.

use crate::domain::call::{CallInput, EventAnswer, ItemInput, ItemKind, Outcome, Topic};
use crate::domain::error::FieldErrors;
use crate::domain::satisfaction::{SatisfactionInput, WinBackReason, ASPECTS};
use crate::i18n::I18N;
use crate::web::auth::{chrome, Auth, Form};
use crate::web::{AppResult, State};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Rows for items on the form (empty ones are ignored).
const ITEM_ROWS: usize = 3;

/// The values of a call form, as typed.
pub(super) fn input_of(form: &Form) -> CallInput {
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
pub(super) struct Shown {
    values: HashMap<String, String>,
    topics: Vec<String>,
    items: Vec<ItemInput>,
    errors: HashMap<String, String>,
    status: StatusCode,
}

pub(super) fn shown_of(form: &Form, lang: &str, errs: &FieldErrors, status: StatusCode) -> Shown {
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
pub(super) fn render_call_form(
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
    Ok(crate::web::render::html_with(
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
