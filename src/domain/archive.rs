//! R3: the next-service plan that completing an archive requires — one or more planned
//! contacts, each with a purpose N1–N5, talking points and a date.

use super::error::{FieldError, FieldErrors};
use super::task::text_enum;
use super::visit::{check_len, parse_date};
use chrono::NaiveDate;

text_enum!(
    /// The purposes of a planned contact (RULES.md, step 二).
    Purpose { N1 = "N1", N2 = "N2", N3 = "N3", N4 = "N4", N5 = "N5" }
);

/// A plan entry as typed (text fields; empty = absent).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct PlanInput {
    pub purpose: Option<String>,
    pub date: Option<String>,
    pub talking_points: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedContact {
    pub purpose: Purpose,
    pub date: NaiveDate,
    pub talking_points: String,
}

/// Validates the plan of an archive for a visit on `visit_date`. Entry `i` reports its errors
/// R2: an archive sheet completed after its due date (D + 2) is late.
pub fn is_late(archived_on: NaiveDate, due_date: NaiveDate) -> bool {
    archived_on > due_date
}

/// as `plan[i].field`. The N1 entry's date defaults to A10 (`next_maintenance`).
pub fn validate_plan(
    entries: &[PlanInput],
    visit_date: NaiveDate,
    next_maintenance: Option<NaiveDate>,
) -> Result<Vec<PlannedContact>, FieldErrors> {
    let mut errs = FieldErrors::default();
    let filled: Vec<(usize, &PlanInput)> = entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.purpose.is_some() || e.date.is_some() || e.talking_points.is_some())
        .collect();
    if filled.is_empty() {
        errs.push(FieldError::new("plan", "plan-required"));
        return Err(errs);
    }
    let mut out = Vec::new();
    let mut seen_n1 = false;
    for (i, e) in filled {
        let f = |name: &str| format!("plan[{i}].{name}");
        let purpose =
            match e.purpose.as_deref() {
                None => errs.take(Err(FieldError::new(f("purpose"), "required"))),
                Some(p) => errs.take(Purpose::parse(p).ok_or_else(|| {
                    FieldError::new(f("purpose"), "purpose-unknown").arg("value", p)
                })),
            };
        if purpose == Some(Purpose::N1) {
            if seen_n1 {
                errs.push(FieldError::new(f("purpose"), "plan-n1-twice"));
            }
            seen_n1 = true;
        }
        let date = match (e.date.as_deref(), purpose) {
            (Some(s), _) => errs.take(parse_date(&f("date"), s)),
            (None, Some(Purpose::N1)) if next_maintenance.is_some() => next_maintenance,
            (None, _) => errs.take(Err(FieldError::new(f("date"), "required"))),
        };
        if let Some(d) = date {
            if d <= visit_date {
                errs.push(FieldError::new(f("date"), "date-not-after-visit"));
            }
        }
        let talking_points = match e.talking_points.as_deref() {
            None => errs.take(Err(FieldError::new(f("talking_points"), "required"))),
            Some(t) => errs.take(check_len(&f("talking_points"), t, 1000)),
        };
        if let (Some(purpose), Some(date), Some(talking_points)) = (purpose, date, talking_points) {
            out.push(PlannedContact {
                purpose,
                date,
                talking_points,
            });
        }
    }
    errs.into_result(|| out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(p: &str, d: &str, t: &str) -> PlanInput {
        let o = |s: &str| (!s.is_empty()).then(|| s.to_string());
        PlanInput {
            purpose: o(p),
            date: o(d),
            talking_points: o(t),
        }
    }

    #[test]
    fn r3_plan_needs_at_least_one_entry() {
        let d = "2026-11-20".parse().unwrap();
        assert_eq!(
            validate_plan(&[], d, None).unwrap_err().0[0].code,
            "plan-required"
        );
        assert_eq!(
            validate_plan(&[entry("", "", "")], d, None).unwrap_err().0[0].code,
            "plan-required"
        );
    }

    #[test]
    fn r3_n1_date_defaults_to_a10() {
        let d = "2026-11-20".parse().unwrap();
        let a10 = "2027-05-19".parse().unwrap();
        let plan = validate_plan(&[entry("N1", "", "保养到期提醒")], d, Some(a10)).unwrap();
        assert_eq!(plan[0].date, a10);
    }

    #[test]
    fn r3_each_bad_entry_is_named() {
        let d = "2026-11-20".parse().unwrap();
        let errs = validate_plan(
            &[
                entry("N3", "2026-12-01", "优惠"),
                entry("N9", "2026-11-01", ""),
            ],
            d,
            None,
        )
        .unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["plan[1].purpose", "plan[1].date", "plan[1].talking_points"]
        );
    }
}
