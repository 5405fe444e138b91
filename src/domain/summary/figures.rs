//! The figures of CONTRACT.md ("The monthly figures") as one value, computed from the counts
//! and the satisfaction sums, and what a clerk's scorecard takes from them.

use super::stats::{mean, median, rate};
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::summary::keys::{COUNTED, DERIVED, SECTIONS};

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
}
