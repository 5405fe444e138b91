//! Customer events (R6): 联谊活动, 优惠服务活动, 免费服务活动, 汽车运用新知识晚会 — their
//! validation, their audience, and which letter follows the notice call.

use super::error::{FieldError, FieldErrors};
use super::letter::LetterKind;
use super::task::text_enum;
use super::visit::{check_len, parse_date, parse_int};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

text_enum!(EventKind { GetTogether = "get_together", Offer = "offer", FreeService = "free_service", KnowledgeEvening = "knowledge_evening" });

impl EventKind {
    /// An invitation to come (get-together, evening), a notice of an offer or free service.
    pub fn letter_kind(self) -> LetterKind {
        match self {
            EventKind::GetTogether | EventKind::KnowledgeEvening => LetterKind::Invitation,
            EventKind::Offer | EventKind::FreeService => LetterKind::Notice,
        }
    }
}

/// Who is invited: all the store's customers narrowed by any of these filters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub vehicle_type: Option<String>,
    /// Customers whose last visit was within this many months.
    pub last_visit_months: Option<i32>,
    pub clerk_id: Option<i32>,
}

#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub place: Option<String>,
    pub content: Option<String>,
    /// `all`, or `filtered` with the filters below.
    pub audience: Option<String>,
    pub vehicle_type: Option<String>,
    pub last_visit_months: Option<String>,
    pub clerk_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    pub kind: EventKind,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub content: String,
    pub audience: Audience,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Validates an event created on `today`: not in the past, ends after it starts, with a
/// place, a content and an audience.
pub fn validate(input: &EventInput, today: NaiveDate) -> Result<ValidEvent, FieldErrors> {
    let mut errs = FieldErrors::default();
    let kind = match blank(&input.kind) {
        None => errs.take(Err(FieldError::new("kind", "required"))),
        Some(k) => errs.take(
            EventKind::parse(k)
                .ok_or_else(|| FieldError::new("kind", "event-kind-unknown").arg("value", k)),
        ),
    };
    let mut text = |field: &str, v: &Option<String>, max: usize| match blank(v) {
        None => errs.take(Err(FieldError::new(field, "required"))),
        Some(t) => errs.take(check_len(field, t, max)),
    };
    let title = text("title", &input.title, 100);
    let place = text("place", &input.place, 200);
    let content = text("content", &input.content, 2000);
    let starts_on = match blank(&input.starts_on) {
        None => errs.take(Err(FieldError::new("starts_on", "required"))),
        Some(s) => match errs.take(parse_date("starts_on", s)) {
            Some(d) if d < today => errs.take(Err(FieldError::new("starts_on", "event-in-past"))),
            d => d,
        },
    };
    let ends_on = match blank(&input.ends_on) {
        None => starts_on,
        Some(s) => match (errs.take(parse_date("ends_on", s)), starts_on) {
            (Some(e), Some(st)) if e < st => {
                errs.take(Err(FieldError::new("ends_on", "ends-before-start")))
            }
            (e, _) => e,
        },
    };
    let audience = match blank(&input.audience) {
        Some("all") => Some(Audience::default()),
        Some("filtered") => {
            let vehicle_type = blank(&input.vehicle_type).map(str::to_string);
            let months = match blank(&input.last_visit_months) {
                Some(m) => errs
                    .take(parse_int("last_visit_months", m, 1, 120))
                    .map(Some),
                None => Some(None),
            };
            let clerk_id = blank(&input.clerk_id).and_then(|c| c.parse().ok());
            match months {
                Some(m) if vehicle_type.is_none() && m.is_none() && clerk_id.is_none() => {
                    errs.take(Err(FieldError::new("audience", "audience-no-filter")))
                }
                Some(m) => Some(Audience {
                    vehicle_type,
                    last_visit_months: m,
                    clerk_id,
                }),
                None => None,
            }
        }
        Some(other) => errs.take(Err(
            FieldError::new("audience", "audience-unknown").arg("value", other)
        )),
        None => errs.take(Err(FieldError::new("audience", "required"))),
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(ValidEvent {
        kind: kind.expect("checked"),
        title: title.expect("checked"),
        starts_on: starts_on.expect("checked"),
        ends_on: ends_on.expect("checked"),
        place: place.expect("checked"),
        content: content.expect("checked"),
        audience: audience.expect("checked"),
    })
}

/// R6: an event created after its notice calls were due (E − 14) is late from the start.
pub fn late_from_start(notice_due: NaiveDate, created_on: NaiveDate) -> bool {
    notice_due < created_on
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        let o = |s: &str| Some(s.to_string());
        EventInput {
            kind: o("free_service"),
            title: o("免费检测周"),
            starts_on: o("2026-12-10"),
            ends_on: o("2026-12-16"),
            place: o("本店"),
            content: o("免费检测刹车、轮胎、灯光"),
            audience: o("all"),
            ..EventInput::default()
        }
    }

    #[test]
    fn r6_an_event_in_the_past_or_without_an_audience_is_refused() {
        let today = "2026-11-20".parse().unwrap();
        assert!(validate(&input(), today).is_ok());
        let mut past = input();
        past.starts_on = Some("2026-11-19".into());
        assert_eq!(
            validate(&past, today).unwrap_err().0[0].code,
            "event-in-past"
        );
        let mut nobody = input();
        nobody.audience = Some("filtered".into());
        assert_eq!(
            validate(&nobody, today).unwrap_err().0[0].code,
            "audience-no-filter"
        );
        let mut backwards = input();
        backwards.ends_on = Some("2026-12-01".into());
        assert_eq!(
            validate(&backwards, today).unwrap_err().0[0].code,
            "ends-before-start"
        );
    }

    #[test]
    fn r6_invitations_for_gatherings_notices_for_offers() {
        assert_eq!(EventKind::GetTogether.letter_kind(), LetterKind::Invitation);
        assert_eq!(EventKind::Offer.letter_kind(), LetterKind::Notice);
    }
}
