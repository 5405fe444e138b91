//! Calls (R7, R4a, R4b, X1, X2): directions, categories, outcomes, topics C1–C7, items raised,
//! and the validation of a call as a clerk or a program records it (its checks, one per
//! field or rule, in `call/checks.rs`).

use super::error::{FieldError, FieldErrors};
use super::satisfaction::{self, Satisfaction, SatisfactionInput, WinBackReason};
use super::task::{text_enum, TaskKind};
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use serde::Deserialize;

mod checks;
pub use checks::validate_with;

text_enum!(Direction { Outbound = "outbound", Inbound = "inbound" });

text_enum!(
    /// CONTRACT.md's call `category`.
    Category {
        FollowUp = "follow_up",
        Inquiry = "inquiry",
        Complaint = "complaint",
        Reminder = "reminder",
        EventNotice = "event_notice",
        Solution = "solution",
        Other = "other",
    }
);

text_enum!(
    Outcome {
        Reached = "reached",
        NoAnswer = "no_answer",
        Busy = "busy",
        Refused = "refused",
        WrongNumber = "wrong_number",
        CallbackRequested = "callback_requested",
    }
);

text_enum!(
    /// R4a: what a customer raised on a call.
    ItemKind { Request = "request", Wish = "wish", Complaint = "complaint" }
);

text_enum!(EventAnswer { Coming = "coming", NotComing = "not_coming", Undecided = "undecided" });

text_enum!(
    /// What a follow-up call covers (step 三 of the regulation).
    Topic { C1 = "C1", C2 = "C2", C3 = "C3", C4 = "C4", C5 = "C5", C6 = "C6", C7 = "C7" }
);

impl Outcome {
    /// X1: a failed attempt. A call-back request is not a failure.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Outcome::NoAnswer | Outcome::Busy | Outcome::Refused | Outcome::WrongNumber
        )
    }
}

/// Which task kinds a reached call completes, and the call's category then (RULES.md).
pub fn category_for_task(kind: TaskKind) -> Option<Category> {
    match kind {
        // X7: a win-back call is a follow-up of a customer who stopped coming.
        TaskKind::FirstFollowUp
        | TaskKind::SecondFollowUp
        | TaskKind::PlannedContact
        | TaskKind::WinBack => Some(Category::FollowUp),
        TaskKind::MaintenanceReminder => Some(Category::Reminder),
        TaskKind::SolutionCall => Some(Category::Solution),
        TaskKind::EventNotice => Some(Category::EventNotice),
        _ => None,
    }
}

/// An item raised on a call, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub kind: Option<String>,
    pub text: Option<String>,
    #[serde(default)]
    pub answered_on_call: bool,
    pub answer: Option<String>,
}

/// A call as typed (the web form or the API).
#[derive(Debug, Clone, Default)]
pub struct CallInput {
    pub direction: Option<String>,
    pub category: Option<String>,
    pub outcome: Option<String>,
    pub called_at: Option<String>,
    pub callback_at: Option<String>,
    pub key_points: Option<String>,
    pub topics: Vec<String>,
    pub items: Vec<ItemInput>,
    pub satisfied: Option<bool>,
    pub event_answer: Option<String>,
    /// X6: the overall score and the aspects.
    pub satisfaction: SatisfactionInput,
    /// X7: why a lost customer stopped coming, and the clerk's text.
    pub win_back_reason: Option<String>,
    pub win_back_text: Option<String>,
}

/// The shop's settings that a call's validation reads (X6).
#[derive(Debug, Clone)]
pub struct CallOptions {
    pub satisfaction_enabled: bool,
    pub aspects: Vec<String>,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            satisfaction_enabled: true,
            aspects: satisfaction::ASPECTS
                .iter()
                .map(|a| a.to_string())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidItem {
    pub kind: ItemKind,
    pub text: String,
    pub answered_on_call: bool,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidCall {
    pub direction: Direction,
    pub category: Category,
    pub outcome: Outcome,
    /// Local wall-clock times.
    pub called_at: NaiveDateTime,
    pub callback_at: Option<NaiveDateTime>,
    pub key_points: String,
    pub topics: Vec<Topic>,
    pub items: Vec<ValidItem>,
    pub satisfied: Option<bool>,
    pub event_answer: Option<EventAnswer>,
    /// X6: asked and answered on a reached first or second follow-up (`None`: not asked).
    pub satisfaction: Option<Satisfaction>,
    /// X7: the reason recorded on a reached win-back call.
    pub win_back: Option<(WinBackReason, String)>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Validates a call on a task of `task_kind` (or none: an inbound call no task asked for),
/// at local time `now`, with the default settings.
pub fn validate(
    input: &CallInput,
    task_kind: Option<TaskKind>,
    now: NaiveDateTime,
    to_local: &dyn Fn(DateTime<FixedOffset>) -> NaiveDateTime,
) -> Result<ValidCall, FieldErrors> {
    validate_with(input, task_kind, now, to_local, &CallOptions::default())
}

/// Call hours as `HH:MM-HH:MM` (X4), e.g. `18:00-20:30`.
pub fn parse_call_hours(s: &str) -> Result<(chrono::NaiveTime, chrono::NaiveTime), FieldError> {
    let err = || FieldError::new("call_hours", "call-hours-invalid").arg("value", s);
    let (a, b) = s.trim().split_once('-').ok_or_else(err)?;
    let a = chrono::NaiveTime::parse_from_str(a.trim(), "%H:%M").map_err(|_| err())?;
    let b = chrono::NaiveTime::parse_from_str(b.trim(), "%H:%M").map_err(|_| err())?;
    if a >= b {
        return Err(err());
    }
    Ok((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        "2026-11-20T10:00:00".parse().unwrap()
    }
    fn local(dt: DateTime<FixedOffset>) -> NaiveDateTime {
        dt.naive_utc() + chrono::Duration::hours(8)
    }
    fn input(outcome: &str) -> CallInput {
        CallInput {
            outcome: Some(outcome.into()),
            key_points: Some("客户满意".into()),
            ..CallInput::default()
        }
    }

    #[test]
    fn r7_a_follow_up_call_takes_its_category_from_the_task() {
        let c = validate(
            &input("reached"),
            Some(TaskKind::FirstFollowUp),
            now(),
            &local,
        )
        .unwrap();
        assert_eq!(
            (c.direction, c.category),
            (Direction::Outbound, Category::FollowUp)
        );
        let c = validate(
            &input("reached"),
            Some(TaskKind::MaintenanceReminder),
            now(),
            &local,
        )
        .unwrap();
        assert_eq!(c.category, Category::Reminder);
        let mut wrong = input("reached");
        wrong.category = Some("complaint".into());
        assert_eq!(
            validate(&wrong, Some(TaskKind::FirstFollowUp), now(), &local)
                .unwrap_err()
                .0[0]
                .code,
            "category-mismatch"
        );
    }

    #[test]
    fn r4a_a_reached_call_needs_key_points_and_items_need_their_text() {
        let mut c = input("reached");
        c.key_points = None;
        c.items = vec![ItemInput {
            kind: Some("complaint".into()),
            text: None,
            answered_on_call: false,
            answer: None,
        }];
        let errs = validate(&c, Some(TaskKind::FirstFollowUp), now(), &local).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["key_points", "items[0].text"]);
    }

    #[test]
    fn r4b_an_item_answered_on_the_call_needs_the_answer() {
        let mut c = input("reached");
        c.items = vec![ItemInput {
            kind: Some("request".into()),
            text: Some("希望上门取车".into()),
            answered_on_call: true,
            answer: None,
        }];
        assert_eq!(
            validate(&c, Some(TaskKind::FirstFollowUp), now(), &local)
                .unwrap_err()
                .0[0]
                .field,
            "items[0].answer"
        );
    }

    #[test]
    fn x2_call_back_needs_a_time_in_the_future() {
        let mut c = input("callback_requested");
        assert_eq!(
            validate(&c, Some(TaskKind::FirstFollowUp), now(), &local)
                .unwrap_err()
                .0[0]
                .field,
            "callback_at"
        );
        c.callback_at = Some("2026-11-20T09:00".into());
        assert_eq!(
            validate(&c, Some(TaskKind::FirstFollowUp), now(), &local)
                .unwrap_err()
                .0[0]
                .code,
            "callback-in-past"
        );
        c.callback_at = Some("2026-11-21T15:00".into());
        assert!(validate(&c, Some(TaskKind::FirstFollowUp), now(), &local).is_ok());
    }

    #[test]
    fn x1_failures_are_no_answer_busy_refused_and_wrong_number() {
        let failures: Vec<_> = Outcome::ALL
            .iter()
            .filter(|o| o.is_failure())
            .map(|o| o.as_str())
            .collect();
        assert_eq!(
            failures,
            vec!["no_answer", "busy", "refused", "wrong_number"]
        );
    }

    #[test]
    fn inbound_calls_without_a_task_are_inquiries_complaints_or_other() {
        let mut c = input("reached");
        c.category = Some("complaint".into());
        assert_eq!(
            validate(&c, None, now(), &local).unwrap().direction,
            Direction::Inbound
        );
        c.category = Some("reminder".into());
        assert_eq!(
            validate(&c, None, now(), &local).unwrap_err().0[0].code,
            "category-without-task"
        );
        c.category = None;
        assert_eq!(
            validate(&c, None, now(), &local).unwrap_err().0[0].field,
            "category"
        );
    }

    #[test]
    fn topics_outside_c1_to_c7_are_refused() {
        let mut c = input("reached");
        c.topics = vec!["C1".into(), "C9".into()];
        assert_eq!(
            validate(&c, Some(TaskKind::FirstFollowUp), now(), &local)
                .unwrap_err()
                .0[0]
                .code,
            "topic-unknown"
        );
    }

    #[test]
    fn x4_call_hours_parse() {
        assert!(parse_call_hours("18:00-20:30").is_ok());
        assert!(parse_call_hours("20:00-18:00").is_err());
        assert!(parse_call_hours("evening").is_err());
    }
}
