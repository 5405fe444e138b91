//! The validation of a call (R7, R4a, R4b, X1, X2, X6, X7), one check per field or rule.
//! Each check records its errors in the one `FieldErrors` and gives back its value (`None`
//! when it failed), so every problem is reported at once, in the order the fields are
//! checked here; a later check reads the values of earlier ones (the outcome, the task).

use super::{
    blank, category_for_task, CallInput, CallOptions, Category, Direction, EventAnswer, ItemInput,
    ItemKind, Outcome, Topic, ValidCall, ValidItem,
};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::satisfaction;
use crate::domain::task::TaskKind;
use crate::domain::visit::{check_len, not_future, parse_local_datetime, ToLocal};
use chrono::NaiveDateTime;

/// Validates a call on a task of `task_kind` (or none: an inbound call no task asked for),
/// at local time `now`. Every problem is reported at once, each naming its field.
pub fn validate_with(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    now: NaiveDateTime,
    to_local: ToLocal,
    opts: &CallOptions,
) -> Result<ValidCall, FieldErrors> {
    let mut errs = FieldErrors::default();
    let e = &mut errs;
    let outcome = outcome(input, e);
    let direction = direction(input, task_kind, e);
    let category = category(input, task_kind, direction, e);
    let called_at = called_at(input, now, to_local, e);
    let callback_at = callback_at(input, outcome, now, to_local, e);
    let reached = outcome == Some(Outcome::Reached);
    let key_points = key_points(input, reached, e);
    let topics = topics(input, e);
    let items = items(input, outcome, e);
    let satisfied = satisfied(input, task_kind, reached, e);
    let event_answer = event_answer(input, task_kind, reached, e);
    // X6: only a reached first or second follow-up asks, and only while the rule is on.
    let asks = opts.satisfaction_enabled
        && reached
        && matches!(
            task_kind,
            Some(TaskKind::FirstFollowUp | TaskKind::SecondFollowUp)
        );
    let satisfaction = satisfaction::validate(&input.satisfaction, asks, &opts.aspects, e);
    // X7: a reached win-back call records why the customer stopped coming.
    let win_back = satisfaction::validate_win_back(
        input.win_back_reason.as_deref(),
        input.win_back_text.as_deref(),
        reached && task_kind == Some(TaskKind::WinBack),
        e,
    );
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(ValidCall {
        direction: direction.expect("checked"),
        category: category.expect("checked"),
        outcome: outcome.expect("checked"),
        called_at: called_at.expect("checked"),
        callback_at: callback_at.flatten(),
        key_points: key_points.expect("checked"),
        topics,
        items,
        satisfied: satisfied.flatten(),
        event_answer: event_answer.flatten(),
        satisfaction,
        win_back,
    })
}

/// The outcome: required, one of `Outcome`.
fn outcome(input: &CallInput, errs: &mut FieldErrors) -> Option<Outcome> {
    match blank(&input.outcome) {
        None => errs.take(Err(FieldError::new("outcome", "required"))),
        Some(o) => errs.take(
            Outcome::parse(o)
                .ok_or_else(|| FieldError::new("outcome", "outcome-unknown").arg("value", o)),
        ),
    }
}

/// The direction: as typed, or outbound on a task and inbound without one.
fn direction(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    errs: &mut FieldErrors,
) -> Option<Direction> {
    match blank(&input.direction) {
        Some(d) => errs.take(
            Direction::parse(d)
                .ok_or_else(|| FieldError::new("direction", "direction-unknown").arg("value", d)),
        ),
        None if task_kind.is_some() => Some(Direction::Outbound),
        None => Some(Direction::Inbound),
    }
}

/// R7: the category. A task decides it (one typed must agree); without a task it is typed,
/// and only the categories of the call's direction are allowed.
fn category(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    direction: Option<Direction>,
    errs: &mut FieldErrors,
) -> Option<Category> {
    let given = match blank(&input.category) {
        Some(c) => errs
            .take(
                Category::parse(c)
                    .ok_or_else(|| FieldError::new("category", "category-unknown").arg("value", c)),
            )
            .map(Some),
        None => Some(None),
    };
    match (task_kind, given) {
        (_, None) => None,
        // A task decides the category of its call.
        (Some(kind), Some(given)) => match category_for_task(kind) {
            None => errs.take(Err(
                FieldError::new("task_id", "task-not-a-call").arg("kind", kind)
            )),
            Some(c) if given.is_none_or(|g| g == c) => Some(c),
            Some(c) => errs.take(Err(
                FieldError::new("category", "category-mismatch").arg("expected", c)
            )),
        },
        (None, Some(Some(c))) => match (direction, c) {
            (
                Some(Direction::Inbound),
                Category::Inquiry | Category::Complaint | Category::Other,
            ) => Some(c),
            (Some(Direction::Outbound), Category::FollowUp | Category::Other) => Some(c),
            _ => errs.take(Err(
                FieldError::new("category", "category-without-task").arg("value", c)
            )),
        },
        (None, Some(None)) => errs.take(Err(FieldError::new("category", "required"))),
    }
}

/// When the call was made: now, or a moment typed that already happened.
fn called_at(
    input: &CallInput,
    now: NaiveDateTime,
    to_local: ToLocal,
    errs: &mut FieldErrors,
) -> Option<NaiveDateTime> {
    match blank(&input.called_at) {
        None => Some(now),
        Some(s) => errs.take(
            parse_local_datetime("called_at", s, to_local)
                .and_then(|t| not_future("called_at", t, now)),
        ),
    }
}

/// X2: a call-back time, required with the outcome that asks for one, in the future, and
/// refused with any other outcome.
fn callback_at(
    input: &CallInput,
    outcome: Option<Outcome>,
    now: NaiveDateTime,
    to_local: ToLocal,
    errs: &mut FieldErrors,
) -> Option<Option<NaiveDateTime>> {
    match (blank(&input.callback_at), outcome) {
        (Some(s), Some(Outcome::CallbackRequested)) => {
            match errs.take(parse_local_datetime("callback_at", s, to_local)) {
                Some(t) if t <= now => {
                    errs.take(Err(FieldError::new("callback_at", "callback-in-past")))
                }
                t => t.map(Some),
            }
        }
        (None, Some(Outcome::CallbackRequested)) => {
            errs.take(Err(FieldError::new("callback_at", "required")))
        }
        (Some(_), Some(_)) => errs.take(Err(FieldError::new(
            "callback_at",
            "callback-only-with-outcome",
        ))),
        _ => Some(None),
    }
}

/// R4a: what was said, required on a reached call.
fn key_points(input: &CallInput, reached: bool, errs: &mut FieldErrors) -> Option<String> {
    match blank(&input.key_points) {
        Some(k) => errs.take(check_len("key_points", k, 2000)),
        // R4a: what was said on a reached call is recorded.
        None if reached => errs.take(Err(FieldError::new("key_points", "required"))),
        None => Some(String::new()),
    }
}

/// The topics C1–C7 covered, each once, in the order typed.
fn topics(input: &CallInput, errs: &mut FieldErrors) -> Vec<Topic> {
    let mut topics = Vec::new();
    for t in &input.topics {
        match Topic::parse(t.trim()) {
            Some(t) if !topics.contains(&t) => topics.push(t),
            Some(_) => {}
            None => errs.push(FieldError::new("topics", "topic-unknown").arg("value", t)),
        }
    }
    topics
}

/// R4a: the items raised, only on a reached call; the form's empty rows are skipped.
fn items(input: &CallInput, outcome: Option<Outcome>, errs: &mut FieldErrors) -> Vec<ValidItem> {
    let reached = outcome == Some(Outcome::Reached);
    let mut items = Vec::new();
    for (i, it) in input.items.iter().enumerate() {
        if blank(&it.kind).is_none() && blank(&it.text).is_none() && blank(&it.answer).is_none() {
            continue; // an empty row of the form
        }
        if !reached && outcome.is_some() {
            errs.push(FieldError::new(
                format!("items[{i}].text"),
                "items-need-reached",
            ));
            continue;
        }
        if let Some(item) = item(i, it, errs) {
            items.push(item);
        }
    }
    items
}

/// The `i`-th item: its kind, its text and (R4b) the answer given on the call.
fn item(i: usize, it: &ItemInput, errs: &mut FieldErrors) -> Option<ValidItem> {
    let f = |n: &str| format!("items[{i}].{n}");
    let kind = match blank(&it.kind) {
        None => errs.take(Err(FieldError::new(f("kind"), "required"))),
        Some(k) => errs.take(
            ItemKind::parse(k)
                .ok_or_else(|| FieldError::new(f("kind"), "item-kind-unknown").arg("value", k)),
        ),
    };
    let text = match blank(&it.text) {
        None => errs.take(Err(FieldError::new(f("text"), "required"))),
        Some(t) => errs.take(check_len(&f("text"), t, 1000)),
    };
    // R4b: an item answered on the call is closed with the answer.
    let answer = match (it.answered_on_call, blank(&it.answer)) {
        (true, None) => errs.take(Err(FieldError::new(f("answer"), "required"))),
        (_, Some(a)) => errs.take(check_len(&f("answer"), a, 1000)).map(Some),
        (false, None) => Some(None),
    };
    Some(ValidItem {
        kind: kind?,
        text: text?,
        answered_on_call: it.answered_on_call,
        answer: answer?,
    })
}

/// Whether the customer is satisfied with a solution: asked on a reached solution call.
fn satisfied(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    reached: bool,
    errs: &mut FieldErrors,
) -> Option<Option<bool>> {
    match (task_kind, reached, input.satisfied) {
        (Some(TaskKind::SolutionCall), true, None) => {
            errs.take(Err(FieldError::new("satisfied", "required")))
        }
        (_, _, s) => Some(s),
    }
}

/// The answer to an event's invitation: required on a reached event notice.
fn event_answer(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    reached: bool,
    errs: &mut FieldErrors,
) -> Option<Option<EventAnswer>> {
    match (task_kind, reached, blank(&input.event_answer)) {
        (_, _, Some(a)) => errs
            .take(EventAnswer::parse(a).ok_or_else(|| {
                FieldError::new("event_answer", "event-answer-unknown").arg("value", a)
            }))
            .map(Some),
        (Some(TaskKind::EventNotice), true, None) => {
            errs.take(Err(FieldError::new("event_answer", "required")))
        }
        _ => Some(None),
    }
}
