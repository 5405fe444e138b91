//! R10 and X5: what the supervisor's monthly (小结) and yearly (总结) summaries count, as pure
//! values — the period asked for, the figures of CONTRACT.md ("The monthly figures") with their
//! exact keys, and the rates, changes and medians computed from the counts. Which rows each
//! count takes is written once, as SQL predicates, in `models::summary`; this module says what
//! the numbers mean once counted.
//!
//! Counting rules (RULES.md, "Tasks" and "Figures for the summaries"): a task counts in the
//! month of its window end, a call or letter in the month of its own local date, an item in
//! the month it was raised. A task closed for a reason that is not the clerk's to answer for —
//! the customer refuses the channel (X4), was anonymised, the event was cancelled, the task was
//! superseded — is not due and not missed; any other close is missed, and so is an open task
//! whose window ended before the period's end (or before today, for a month still running).

use super::error::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A month (小结) or a year (总结).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Monthly,
    Yearly,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Monthly => "monthly",
            Kind::Yearly => "yearly",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "monthly" => Some(Kind::Monthly),
            "yearly" => Some(Kind::Yearly),
            _ => None,
        }
    }
}

/// The period of a summary: `YYYY-MM` or `YYYY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: Kind,
    pub year: i32,
    /// 1–12 for a month, `None` for a year.
    pub month: Option<u32>,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            kind: Kind::Monthly,
            year,
            month: Some(month),
        }
    }

    pub fn year(year: i32) -> Period {
        Period {
            kind: Kind::Yearly,
            year,
            month: None,
        }
    }

    /// `YYYY-MM` (a month) or `YYYY` (a year), as `kind` asks; a period that has not begun by
    /// `today` is refused, named as the field `period`.
    pub fn parse(kind: Kind, s: &str, today: NaiveDate) -> Result<Period, FieldError> {
        let s = s.trim();
        let bad = || {
            FieldError::new("period", "summary-period-invalid")
                .arg("value", s)
                .arg(
                    "format",
                    if kind == Kind::Monthly {
                        "YYYY-MM"
                    } else {
                        "YYYY"
                    },
                )
        };
        let year_of = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| (1900..=9999).contains(y))
        };
        let p = match kind {
            Kind::Monthly => {
                let (y, m) = s.split_once('-').ok_or_else(bad)?;
                let year = year_of(y).ok_or_else(bad)?;
                if m.len() != 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                let month: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Period::month(year, month)
            }
            Kind::Yearly => Period::year(year_of(s).ok_or_else(bad)?),
        };
        if p.first() > today {
            return Err(FieldError::new("period", "summary-period-future").arg("value", s));
        }
        Ok(p)
    }

    /// The first day of the period.
    pub fn first(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), 1).expect("a valid period")
    }

    /// The last day of the period (inclusive).
    pub fn last(&self) -> NaiveDate {
        match self.month {
            Some(m) => {
                let (y, m) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.pred_opt())
                    .expect("a valid period")
            }
            None => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("a valid year"),
        }
    }

    /// The period before: last month, or last year.
    pub fn previous(&self) -> Period {
        match self.month {
            Some(1) => Period::month(self.year - 1, 12),
            Some(m) => Period::month(self.year, m - 1),
            None => Period::year(self.year - 1),
        }
    }

    /// The months of a year (a month is its own only month).
    pub fn months(&self) -> Vec<Period> {
        match self.month {
            Some(_) => vec![*self],
            None => (1..=12).map(|m| Period::month(self.year, m)).collect(),
        }
    }

    /// The date up to which the period is counted: its last day, or today while it runs.
    pub fn as_of(&self, today: NaiveDate) -> NaiveDate {
        self.last().min(today)
    }

    /// Whether the period is over on `today` (only a finished period can be filed).
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.last() < today
    }

    /// The drafts the scheduler stores (from the 1st on): last month's, and in January also
    /// last year's. Asked again later in the month it names the same periods, so a run that
    /// catches up after downtime drafts them too (and an existing draft is kept).
    pub fn drafts_due(today: NaiveDate) -> Vec<Period> {
        let last_month = Period::month(today.year(), today.month()).previous();
        let mut v = vec![last_month];
        if today.month() == 1 {
            v.push(Period::year(today.year() - 1));
        }
        v
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.month {
            Some(m) => write!(f, "{:04}-{:02}", self.year, m),
            None => write!(f, "{:04}", self.year),
        }
    }
}

/// Failed outbound attempts by reason (X1).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FailedCalls {
    pub no_answer: i64,
    pub busy: i64,
    pub refused: i64,
    pub wrong_number: i64,
}

/// Letters sent by kind (R8).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Letters {
    pub notice: i64,
    pub invitation: i64,
    pub reply: i64,
}

/// CONTRACT.md's FIGURES, key for key and in its order. (Summaries filed before X6–X8 lack
/// their keys: they read as zero.)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Figures {
    pub visits: i64,
    pub consultations: i64,
    pub archives_due: i64,
    pub archives_on_time: i64,
    pub archives_late: i64,
    pub archives_missed: i64,
    pub first_follow_ups_due: i64,
    pub first_follow_ups_on_time: i64,
    pub first_follow_ups_late: i64,
    pub first_follow_ups_early: i64,
    pub first_follow_ups_missed: i64,
    pub second_follow_ups_due: i64,
    pub second_follow_ups_on_time: i64,
    pub second_follow_ups_late: i64,
    pub second_follow_ups_early: i64,
    pub second_follow_ups_missed: i64,
    pub outbound_calls: i64,
    pub reached_calls: i64,
    pub reach_rate: Option<f64>,
    pub failed_calls: FailedCalls,
    pub inbound_inquiries: i64,
    pub inbound_complaints: i64,
    pub items_raised: i64,
    pub items_answered_on_call: i64,
    pub items_escalated: i64,
    pub items_escalated_late: i64,
    pub items_solved: i64,
    pub items_customer_told_same_day: i64,
    pub items_satisfied: i64,
    pub items_open_at_end: i64,
    pub median_days_to_close: Option<f64>,
    pub events: i64,
    pub event_notices_due: i64,
    pub event_notices_on_time: i64,
    pub event_letters_sent_on_time: i64,
    pub event_letters_waived: i64,
    pub letters: Letters,
    pub maintenance_reminders_due: i64,
    pub maintenance_reminders_done: i64,
    pub returned_within_30_days: i64,
    pub return_rate: Option<f64>,
    /// X6: answers 1–5, refusals, the mean and the low answers (1–2) of the overall score.
    pub satisfaction_answers: i64,
    pub satisfaction_declined: i64,
    pub satisfaction_mean: Option<f64>,
    pub satisfaction_low: i64,
    /// X6: the share of the answers 1–5 that are 4 or 5.
    pub csi: Option<f64>,
    /// X6: each configured aspect's mean (null when none answered it).
    pub aspects: std::collections::BTreeMap<String, Option<f64>>,
    /// X7: customers lost at the period's end, calls on win-back tasks, customers won back.
    pub lost_customers: i64,
    pub win_back_calls: i64,
    pub won_back: i64,
}

/// X6: the sums behind the satisfaction means and the CSI of one group of answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SatisfactionSums {
    /// The sum of the overall scores 1–5, and how many of them were 4 or 5.
    pub score_sum: i64,
    pub high: i64,
    /// Per aspect: the sum of its scores and how many.
    pub aspects: std::collections::BTreeMap<String, (i64, i64)>,
}

/// The counted figures (each a COUNT in SQL), by their flat key (`failed_calls.busy`).
pub const COUNTED: &[&str] = &[
    "visits",
    "consultations",
    "archives_due",
    "archives_on_time",
    "archives_late",
    "archives_missed",
    "first_follow_ups_due",
    "first_follow_ups_on_time",
    "first_follow_ups_late",
    "first_follow_ups_early",
    "first_follow_ups_missed",
    "second_follow_ups_due",
    "second_follow_ups_on_time",
    "second_follow_ups_late",
    "second_follow_ups_early",
    "second_follow_ups_missed",
    "outbound_calls",
    "reached_calls",
    "failed_calls.no_answer",
    "failed_calls.busy",
    "failed_calls.refused",
    "failed_calls.wrong_number",
    "inbound_inquiries",
    "inbound_complaints",
    "items_raised",
    "items_answered_on_call",
    "items_escalated",
    "items_escalated_late",
    "items_solved",
    "items_customer_told_same_day",
    "items_satisfied",
    "items_open_at_end",
    "events",
    "event_notices_due",
    "event_notices_on_time",
    "event_letters_sent_on_time",
    "event_letters_waived",
    "letters.notice",
    "letters.invitation",
    "letters.reply",
    "maintenance_reminders_due",
    "maintenance_reminders_done",
    "returned_within_30_days",
    "satisfaction_answers",
    "satisfaction_declined",
    "satisfaction_low",
    "lost_customers",
    "win_back_calls",
    "won_back",
];

/// The figures computed from others (no lines of their own).
pub const DERIVED: &[&str] = &[
    "reach_rate",
    "median_days_to_close",
    "return_rate",
    "satisfaction_mean",
    "csi",
];

/// The page's sections and the figures each shows, in the order of RULES.md's list.
pub const SECTIONS: &[(&str, &[&str])] = &[
    ("visits", &["visits", "consultations"]),
    (
        "archives",
        &[
            "archives_due",
            "archives_on_time",
            "archives_late",
            "archives_missed",
        ],
    ),
    (
        "follow_ups",
        &[
            "first_follow_ups_due",
            "first_follow_ups_on_time",
            "first_follow_ups_early",
            "first_follow_ups_late",
            "first_follow_ups_missed",
            "second_follow_ups_due",
            "second_follow_ups_on_time",
            "second_follow_ups_early",
            "second_follow_ups_late",
            "second_follow_ups_missed",
        ],
    ),
    (
        "calls",
        &[
            "outbound_calls",
            "reached_calls",
            "reach_rate",
            "failed_calls.no_answer",
            "failed_calls.busy",
            "failed_calls.refused",
            "failed_calls.wrong_number",
            "inbound_inquiries",
            "inbound_complaints",
        ],
    ),
    (
        "items",
        &[
            "items_raised",
            "items_answered_on_call",
            "items_escalated",
            "items_escalated_late",
            "items_solved",
            "items_customer_told_same_day",
            "items_satisfied",
            "items_open_at_end",
            "median_days_to_close",
        ],
    ),
    (
        "events",
        &[
            "events",
            "event_notices_due",
            "event_notices_on_time",
            "event_letters_sent_on_time",
            "event_letters_waived",
        ],
    ),
    (
        "letters",
        &["letters.notice", "letters.invitation", "letters.reply"],
    ),
    (
        "maintenance",
        &[
            "maintenance_reminders_due",
            "maintenance_reminders_done",
            "returned_within_30_days",
            "return_rate",
        ],
    ),
    (
        "satisfaction",
        &[
            "satisfaction_answers",
            "satisfaction_declined",
            "satisfaction_mean",
            "satisfaction_low",
            "csi",
            "lost_customers",
            "win_back_calls",
            "won_back",
        ],
    ),
];

/// The mean of `n` values summing to `sum`, or `None` for none.
pub fn mean(sum: i64, n: i64) -> Option<f64> {
    rate(sum, n)
}

/// `n ÷ d`, or `None` when there is nothing to divide.
pub fn rate(n: i64, d: i64) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

/// The median of some numbers of days (`None` for none); halves between the two middle ones.
pub fn median(mut days: Vec<i64>) -> Option<f64> {
    if days.is_empty() {
        return None;
    }
    days.sort_unstable();
    let n = days.len();
    Some(if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    })
}

/// The median of some values that may be missing (the store's median of clerks' rates).
pub fn median_f(values: &[Option<f64>]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().flatten().copied().collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The change from the previous period: a difference of counts, or of rates (in points).
pub fn change(current: Option<f64>, previous: Option<f64>) -> Option<f64> {
    Some(current? - previous?)
}

impl Figures {
    /// The figures from their counts (by flat key; a missing key counts 0) and the days each
    /// closed item took, with the rates computed.
    pub fn from_counts(get: impl Fn(&str) -> i64, days_to_close: Vec<i64>) -> Figures {
        let mut f = Figures {
            visits: get("visits"),
            consultations: get("consultations"),
            archives_due: get("archives_due"),
            archives_on_time: get("archives_on_time"),
            archives_late: get("archives_late"),
            archives_missed: get("archives_missed"),
            first_follow_ups_due: get("first_follow_ups_due"),
            first_follow_ups_on_time: get("first_follow_ups_on_time"),
            first_follow_ups_late: get("first_follow_ups_late"),
            first_follow_ups_early: get("first_follow_ups_early"),
            first_follow_ups_missed: get("first_follow_ups_missed"),
            second_follow_ups_due: get("second_follow_ups_due"),
            second_follow_ups_on_time: get("second_follow_ups_on_time"),
            second_follow_ups_late: get("second_follow_ups_late"),
            second_follow_ups_early: get("second_follow_ups_early"),
            second_follow_ups_missed: get("second_follow_ups_missed"),
            outbound_calls: get("outbound_calls"),
            reached_calls: get("reached_calls"),
            reach_rate: None,
            failed_calls: FailedCalls {
                no_answer: get("failed_calls.no_answer"),
                busy: get("failed_calls.busy"),
                refused: get("failed_calls.refused"),
                wrong_number: get("failed_calls.wrong_number"),
            },
            inbound_inquiries: get("inbound_inquiries"),
            inbound_complaints: get("inbound_complaints"),
            items_raised: get("items_raised"),
            items_answered_on_call: get("items_answered_on_call"),
            items_escalated: get("items_escalated"),
            items_escalated_late: get("items_escalated_late"),
            items_solved: get("items_solved"),
            items_customer_told_same_day: get("items_customer_told_same_day"),
            items_satisfied: get("items_satisfied"),
            items_open_at_end: get("items_open_at_end"),
            median_days_to_close: median(days_to_close),
            events: get("events"),
            event_notices_due: get("event_notices_due"),
            event_notices_on_time: get("event_notices_on_time"),
            event_letters_sent_on_time: get("event_letters_sent_on_time"),
            event_letters_waived: get("event_letters_waived"),
            letters: Letters {
                notice: get("letters.notice"),
                invitation: get("letters.invitation"),
                reply: get("letters.reply"),
            },
            maintenance_reminders_due: get("maintenance_reminders_due"),
            maintenance_reminders_done: get("maintenance_reminders_done"),
            returned_within_30_days: get("returned_within_30_days"),
            return_rate: None,
            satisfaction_answers: get("satisfaction_answers"),
            satisfaction_declined: get("satisfaction_declined"),
            satisfaction_mean: None,
            satisfaction_low: get("satisfaction_low"),
            csi: None,
            aspects: Default::default(),
            lost_customers: get("lost_customers"),
            win_back_calls: get("win_back_calls"),
            won_back: get("won_back"),
        };
        f.reach_rate = rate(f.reached_calls, f.outbound_calls);
        f.return_rate = rate(f.returned_within_30_days, f.maintenance_reminders_done);
        f
    }

    /// X6: the mean, the CSI and each configured aspect's mean, from the sums of the answers.
    pub fn with_satisfaction(mut self, sums: &SatisfactionSums, aspects: &[String]) -> Figures {
        self.satisfaction_mean = mean(sums.score_sum, self.satisfaction_answers);
        self.csi = rate(sums.high, self.satisfaction_answers);
        self.aspects = aspects
            .iter()
            .map(|a| {
                let (sum, n) = sums.aspects.get(a).copied().unwrap_or((0, 0));
                (a.clone(), mean(sum, n))
            })
            .collect();
        self
    }

    /// Every figure by its flat key (`letters.notice`), as numbers (a rate or median may be
    /// `None`).
    pub fn flat(&self) -> std::collections::BTreeMap<String, Option<f64>> {
        let mut out = std::collections::BTreeMap::new();
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(self) {
            for (k, v) in m {
                match v {
                    serde_json::Value::Object(inner) => {
                        for (k2, v2) in inner {
                            out.insert(format!("{k}.{k2}"), v2.as_f64());
                        }
                    }
                    v => {
                        out.insert(k, v.as_f64());
                    }
                }
            }
        }
        out
    }

    /// One figure by its flat key.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.flat().get(key).copied().flatten()
    }

    /// Follow-ups (first and second) done inside their window, or early.
    pub fn follow_ups_on_time(&self) -> i64 {
        self.first_follow_ups_on_time
            + self.first_follow_ups_early
            + self.second_follow_ups_on_time
            + self.second_follow_ups_early
    }
    pub fn follow_ups_late(&self) -> i64 {
        self.first_follow_ups_late + self.second_follow_ups_late
    }
    pub fn follow_ups_missed(&self) -> i64 {
        self.first_follow_ups_missed + self.second_follow_ups_missed
    }
    pub fn follow_ups_due(&self) -> i64 {
        self.first_follow_ups_due + self.second_follow_ups_due
    }
}

/// What a clerk is judged on (the seed's point: keeping customers and following up, not volume
/// alone), each beside the store's median.
pub const SCORECARD: &[&str] = &[
    "archives_on_time_rate",
    "follow_ups_on_time_rate",
    "reach_rate",
    "items_closed",
    "return_rate",
    "overdue_at_end",
];

/// A clerk's scorecard values by `SCORECARD` key; `overdue_at_end` is the number of the clerk's
/// tasks still open after their window at the period's end.
pub fn scorecard(f: &Figures, overdue_at_end: i64) -> Vec<(&'static str, Option<f64>)> {
    vec![
        (
            "archives_on_time_rate",
            rate(f.archives_on_time, f.archives_due),
        ),
        (
            "follow_ups_on_time_rate",
            rate(f.follow_ups_on_time(), f.follow_ups_due()),
        ),
        ("reach_rate", f.reach_rate),
        (
            "items_closed",
            Some((f.items_answered_on_call + f.items_satisfied) as f64),
        ),
        ("return_rate", f.return_rate),
        ("overdue_at_end", Some(overdue_at_end as f64)),
    ]
}

/// What the supervisor writes before filing (书面报告, and the 本部工作会 it was presented at).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub went_well: String,
    pub problems: String,
    pub measures: String,
    pub meeting_on: Option<NaiveDate>,
    pub attendees: String,
}

impl Report {
    /// Filing needs the written assessment (all three parts) and the meeting (date, attendees);
    /// a meeting cannot have been held after `today`.
    pub fn check_for_filing(&self, today: NaiveDate) -> Vec<FieldError> {
        let mut errs = Vec::new();
        for (field, v) in [
            ("went_well", &self.went_well),
            ("problems", &self.problems),
            ("measures", &self.measures),
            ("attendees", &self.attendees),
        ] {
            if v.trim().is_empty() {
                errs.push(FieldError::new(field, "summary-report-required"));
            }
        }
        match self.meeting_on {
            None => errs.push(FieldError::new("meeting_on", "summary-report-required")),
            Some(d) if d > today => errs.push(FieldError::new("meeting_on", "datetime-in-future")),
            Some(_) => {}
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn r10_periods_parse_and_refuse_the_future_and_malformed() {
        let today = d("2026-11-28");
        let p = Period::parse(Kind::Monthly, "2026-02", today).unwrap();
        assert_eq!((p.first(), p.last()), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(p.previous().to_string(), "2026-01");
        assert_eq!(Period::month(2026, 1).previous().to_string(), "2025-12");
        assert!(Period::parse(Kind::Monthly, "2026-11", today).is_ok());
        for bad in [
            "2026-13", "2026-1", "26-01", "2026/01", "", "2026-00", "abcd-ef",
        ] {
            let e = Period::parse(Kind::Monthly, bad, today).unwrap_err();
            assert_eq!(e.code, "summary-period-invalid", "{bad}");
        }
        let e = Period::parse(Kind::Monthly, "2026-12", today).unwrap_err();
        assert_eq!(e.code, "summary-period-future");
        let y = Period::parse(Kind::Yearly, "2025", today).unwrap();
        assert_eq!((y.first(), y.last()), (d("2025-01-01"), d("2025-12-31")));
        assert_eq!(y.months().len(), 12);
        assert_eq!(
            Period::parse(Kind::Yearly, "2027", today).unwrap_err().code,
            "summary-period-future"
        );
        assert!(!Period::month(2026, 11).is_over(today));
        assert!(Period::month(2026, 10).is_over(today));
        assert_eq!(Period::month(2026, 11).as_of(today), today);
    }

    #[test]
    fn r10_the_first_of_the_month_drafts_last_month_and_january_last_year() {
        assert_eq!(
            Period::drafts_due(d("2026-03-01")),
            vec![Period::month(2026, 2)]
        );
        assert_eq!(
            Period::drafts_due(d("2026-03-09")),
            vec![Period::month(2026, 2)]
        );
        assert_eq!(
            Period::drafts_due(d("2027-01-01")),
            vec![Period::month(2026, 12), Period::year(2026)]
        );
    }

    #[test]
    fn r10_rates_medians_and_changes() {
        assert_eq!(rate(1, 0), None);
        assert_eq!(rate(3, 4), Some(0.75));
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 0]), Some(2.0));
        assert_eq!(median_f(&[None, Some(0.5), Some(1.0)]), Some(0.75));
        assert_eq!(change(Some(3.0), Some(1.0)), Some(2.0));
        assert_eq!(change(Some(3.0), None), None);
    }

    #[test]
    fn r10_figures_have_the_contract_keys_and_rates() {
        let f = Figures::from_counts(
            |k| match k {
                "outbound_calls" => 4,
                "reached_calls" => 3,
                "maintenance_reminders_done" => 0,
                _ => 1,
            },
            vec![0, 2],
        );
        assert_eq!(f.reach_rate, Some(0.75));
        assert_eq!(f.return_rate, None);
        assert_eq!(f.median_days_to_close, Some(1.0));
        let flat = f.flat();
        for k in COUNTED.iter().chain(DERIVED) {
            assert!(flat.contains_key(*k), "{k}");
        }
        assert_eq!(flat.len(), COUNTED.len() + DERIVED.len());
        let in_sections: usize = SECTIONS.iter().map(|(_, keys)| keys.len()).sum();
        assert_eq!(in_sections, flat.len());
    }

    #[test]
    fn r10_filing_needs_the_written_report_and_the_meeting() {
        let today = d("2026-11-28");
        let empty = Report::default();
        let fields: Vec<String> = empty
            .check_for_filing(today)
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "went_well",
                "problems",
                "measures",
                "attendees",
                "meeting_on"
            ]
        );
        let ok = Report {
            went_well: "a".into(),
            problems: "b".into(),
            measures: "c".into(),
            meeting_on: Some(today),
            attendees: "王芳".into(),
        };
        assert!(ok.check_for_filing(today).is_empty());
    }
}
