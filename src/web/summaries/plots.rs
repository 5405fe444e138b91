//! The charts of a summary (as `web::charts` draws them): follow-ups per clerk, the calls by
//! outcome, the items' funnel, the CSI per clerk and a year's trends.

use crate::domain::summary as sum;
use crate::services::summaries::Snapshot;
use crate::web::charts;

/// Each clerk's first and second follow-ups: on time, late, missed.
pub(super) fn follow_chart(s: &Snapshot) -> charts::Bars {
    charts::bars(
        s.clerks
            .iter()
            .map(|c| {
                (
                    c.display_name.clone(),
                    vec![
                        ("on-time", c.figures.follow_ups_on_time()),
                        ("late", c.figures.follow_ups_late()),
                        ("missed", c.figures.follow_ups_missed()),
                    ],
                    None,
                )
            })
            .collect(),
    )
}

/// One bar of a store-wide chart, opening its lines when `link`.
fn bar(base: &str, key: &str, class: &'static str, v: i64, link: bool) -> charts::BarRow {
    (
        key.to_string(),
        vec![(class, v)],
        link.then(|| format!("{base}/lines?figure={key}")),
    )
}

/// The outbound calls by outcome; call-backs are what is left (they have no lines of their own).
pub(super) fn calls_chart(t: &sum::Figures, base: &str) -> charts::Bars {
    let f = &t.failed_calls;
    let callbacks =
        t.outbound_calls - t.reached_calls - f.no_answer - f.busy - f.refused - f.wrong_number;
    charts::bars(vec![
        bar(base, "reached_calls", "reached", t.reached_calls, true),
        bar(base, "failed_calls.no_answer", "failed", f.no_answer, true),
        bar(base, "failed_calls.busy", "failed", f.busy, true),
        bar(base, "failed_calls.refused", "failed", f.refused, true),
        bar(
            base,
            "failed_calls.wrong_number",
            "failed",
            f.wrong_number,
            true,
        ),
        bar(base, "callbacks", "callback", callbacks.max(0), false),
    ])
}

/// R4: the items' funnel, from raised to the customer satisfied.
pub(super) fn funnel_chart(t: &sum::Figures, base: &str) -> charts::Bars {
    charts::bars(
        [
            ("items_raised", t.items_raised),
            ("items_answered_on_call", t.items_answered_on_call),
            ("items_escalated", t.items_escalated),
            ("items_escalated_late", t.items_escalated_late),
            ("items_solved", t.items_solved),
            (
                "items_customer_told_same_day",
                t.items_customer_told_same_day,
            ),
            ("items_satisfied", t.items_satisfied),
        ]
        .into_iter()
        .map(|(k, v)| bar(base, k, "funnel", v, true))
        .collect(),
    )
}

/// X6: CSI per clerk, each bar opening that clerk's answers.
pub(super) fn csi_chart(s: &Snapshot, base: &str) -> charts::Bars {
    charts::shares(
        "csi",
        s.clerks
            .iter()
            .map(|c| {
                (
                    c.display_name.clone(),
                    c.figures.csi,
                    Some(format!(
                        "{base}/lines?figure=satisfaction_answers&clerk={}",
                        c.id
                    )),
                )
            })
            .collect(),
    )
}

/// A year's trends month by month: rates, counts, and the CSI beside the lost customers (X6,
/// X7). None for a month's summary.
pub(super) fn month_trends(s: &Snapshot) -> Option<[charts::Trend; 3]> {
    if s.months.is_empty() {
        return None;
    }
    let labels: Vec<String> = s.months.iter().map(|m| m.period[5..].to_string()).collect();
    let series =
        |f: fn(&sum::Figures) -> Option<f64>| s.months.iter().map(|m| f(&m.figures)).collect();
    let rates = charts::trend(
        &labels,
        vec![
            ("reach", "reach_rate", series(|f| f.reach_rate), true),
            (
                "on-time",
                "follow_ups_on_time_rate",
                series(|f| sum::rate(f.follow_ups_on_time(), f.follow_ups_due())),
                true,
            ),
            ("returned", "return_rate", series(|f| f.return_rate), true),
        ],
    );
    let counts = charts::trend(
        &labels,
        vec![
            (
                "calls",
                "outbound_calls",
                series(|f| Some(f.outbound_calls as f64)),
                false,
            ),
            (
                "items",
                "items_raised",
                series(|f| Some(f.items_raised as f64)),
                false,
            ),
        ],
    );
    let csi = charts::trend(
        &labels,
        vec![
            ("csi", "csi", series(|f| f.csi), true),
            (
                "lost",
                "lost_customers",
                series(|f| Some(f.lost_customers as f64)),
                false,
            ),
        ],
    );
    Some([rates, counts, csi])
}
