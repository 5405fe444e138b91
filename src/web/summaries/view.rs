//! What a summary's page and its print show, built from a view: every figure beside the period
//! before and the change, the per-clerk and per-advisor tables, the scorecards, the charts.

use super::plots::{calls_chart, csi_chart, follow_chart, funnel_chart, month_trends};
use crate::domain::summary::{self as sum, Kind, Period};
use crate::services::summaries::{Snapshot, View};
use serde::Serialize;

/// A count, a rate (as a percentage) or a median, as the page shows it.
pub fn show_value(key: &str, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if is_rate(key) => format!("{:.1}%", v * 100.0),
        Some(v) if key == "median_days_to_close" => format!("{v:.1}"),
        Some(v) if is_mean(key) => format!("{v:.2}"),
        Some(v) => format!("{v:.0}"),
    }
}

/// Shares shown as percentages: the rates and the CSI (X6).
fn is_rate(key: &str) -> bool {
    key.ends_with("rate") || key == "csi"
}

/// Means shown with two decimals: satisfaction 1–5 (X6) and its aspects.
fn is_mean(key: &str) -> bool {
    key == "satisfaction_mean" || key.starts_with("aspects.")
}

/// The change from the previous period: counts as a signed difference, rates in points.
pub fn show_change(key: &str, cur: Option<f64>, prev: Option<f64>) -> String {
    match sum::change(cur, prev) {
        None => String::new(),
        Some(c) if is_rate(key) => format!("{:+.1}", c * 100.0),
        Some(c) if key == "median_days_to_close" => format!("{c:+.1}"),
        Some(c) if is_mean(key) => format!("{c:+.2}"),
        Some(c) => format!("{c:+.0}"),
    }
}

#[derive(Serialize)]
struct Row {
    key: String,
    value: String,
    previous: String,
    change: String,
    /// Whether the figure has lines of its own (counts do; rates and the median do not).
    linked: bool,
}

#[derive(Serialize)]
struct Section {
    key: &'static str,
    rows: Vec<Row>,
}

fn sections(cur: &sum::Figures, prev: &sum::Figures) -> Vec<Section> {
    let (c, p) = (cur.flat(), prev.flat());
    sum::SECTIONS
        .iter()
        .map(|(key, keys)| Section {
            key,
            rows: keys
                .iter()
                .map(|k| {
                    let (cv, pv) = (c.get(*k).copied().flatten(), p.get(*k).copied().flatten());
                    Row {
                        key: k.to_string(),
                        value: show_value(k, cv),
                        previous: show_value(k, pv),
                        change: show_change(k, cv, pv),
                        linked: sum::COUNTED.contains(k),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The per-clerk figures as two tables of related columns (the CSV has every figure): what
/// was done and how timely, then what came of it — one table of 23 columns ran off a 1366 px
/// screen. The first is the table `#clerks`, the second `#clerks-results`.
const CLERK_GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "clerks",
        "sum-clerks-work",
        &[
            "visits",
            "archives_due",
            "archives_on_time",
            "first_follow_ups_due",
            "first_follow_ups_on_time",
            "first_follow_ups_late",
            "first_follow_ups_missed",
            "second_follow_ups_on_time",
            "second_follow_ups_late",
            "second_follow_ups_missed",
            "outbound_calls",
            "reach_rate",
        ],
    ),
    (
        "clerks-results",
        "sum-clerks-results",
        &[
            "items_raised",
            "items_satisfied",
            "maintenance_reminders_done",
            "return_rate",
            "satisfaction_answers",
            "satisfaction_mean",
            "satisfaction_low",
            "csi",
            "lost_customers",
            "win_back_calls",
            "won_back",
        ],
    ),
];

/// One of the per-clerk tables: its id, its caption's key, its columns and the clerks' rows.
#[derive(Serialize)]
struct ClerkTable {
    id: &'static str,
    title: &'static str,
    columns: &'static [&'static str],
    clerks: Vec<ClerkLine>,
}

/// X8: the per-advisor table's columns: satisfaction, complaints and the return rate.
const ADVISOR_COLUMNS: &[&str] = &[
    "visits",
    "satisfaction_answers",
    "satisfaction_mean",
    "satisfaction_low",
    "csi",
    "items_raised",
    "items_open_at_end",
    "maintenance_reminders_done",
    "return_rate",
    "lost_customers",
    "won_back",
];

/// A row of figures (a clerk's or an advisor's) as table cells.
fn cells(f: &sum::Figures, columns: &[&'static str]) -> Vec<Cell> {
    let f = f.flat();
    columns
        .iter()
        .map(|k| Cell {
            key: k,
            value: show_value(k, f.get(*k).copied().flatten()),
            linked: sum::COUNTED.contains(k),
        })
        .collect()
}

#[derive(Serialize)]
struct Cell {
    key: &'static str,
    value: String,
    linked: bool,
}

#[derive(Serialize)]
struct ClerkLine {
    id: i32,
    name: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Score {
    key: &'static str,
    value: String,
    median: String,
}

#[derive(Serialize)]
pub(super) struct Scorecard {
    pub(super) id: i32,
    name: String,
    scores: Vec<Score>,
}

fn show_score(key: &str, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if key.ends_with("rate") => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.1}").trim_end_matches(".0").to_string(),
    }
}

pub(super) fn scorecards(s: &Snapshot) -> Vec<Scorecard> {
    let all: Vec<Vec<(&'static str, Option<f64>)>> = s
        .clerks
        .iter()
        .map(|c| sum::scorecard(&c.figures, c.overdue_at_end))
        .collect();
    s.clerks
        .iter()
        .zip(&all)
        .map(|(c, mine)| Scorecard {
            id: c.id,
            name: c.display_name.clone(),
            scores: mine
                .iter()
                .enumerate()
                .map(|(i, (key, v))| {
                    let col: Vec<Option<f64>> = all.iter().map(|a| a[i].1).collect();
                    Score {
                        key,
                        value: show_score(key, *v),
                        median: show_score(key, sum::median_f(&col)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Everything the summary page and its print show, from a view.
pub fn page_context(view: &View, kind: Kind, clock: &crate::clock::Clock) -> tera::Context {
    let today = clock.today();
    let s = &view.snapshot;
    let mut ctx = tera::Context::new();
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &s.period);
    ctx.insert("snapshot", s);
    ctx.insert("sections", &sections(&s.totals, &s.previous));
    ctx.insert("clerk_tables", &clerk_tables(s));
    ctx.insert("advisor_columns", ADVISOR_COLUMNS);
    ctx.insert("advisors", &advisor_lines(s));
    // X6: the aspects' means, store-wide.
    let aspects: Vec<(String, String)> = s
        .totals
        .aspects
        .iter()
        .map(|(k, v)| (k.clone(), show_value("aspects.", *v)))
        .collect();
    ctx.insert("aspect_means", &aspects);
    ctx.insert("scorecards", &scorecards(s));
    ctx.insert("score_keys", sum::SCORECARD);
    let base = format!("/summaries/{}/{}", kind.as_str(), s.period);
    ctx.insert("chart_csi", &csi_chart(s, &base));
    ctx.insert("chart_follow", &follow_chart(s));
    ctx.insert("chart_calls", &calls_chart(&s.totals, &base));
    ctx.insert("chart_funnel", &funnel_chart(&s.totals, &base));
    let names = ["trend_rates", "trend_counts", "trend_csi"];
    match month_trends(s) {
        Some(trends) => names
            .iter()
            .zip(trends)
            .for_each(|(n, t)| ctx.insert(*n, &t)),
        None => names.iter().for_each(|n| ctx.insert(*n, "")),
    }
    ctx.insert("base", &base);
    ctx.insert("filed", &view.filed);
    ctx.insert(
        "current",
        &view.current.as_ref().map(|v| with_local(clock, v)),
    );
    ctx.insert(
        "versions",
        &view
            .versions
            .iter()
            .map(|v| with_local(clock, v))
            .collect::<Vec<_>>(),
    );
    ctx.insert("report", &view.report);
    let period = Period::parse(kind, &s.period, today).ok();
    ctx.insert("can_file", &period.is_some_and(|p| p.is_over(today)));
    ctx
}

/// The per-clerk tables, one per group of columns.
fn clerk_tables(s: &Snapshot) -> Vec<ClerkTable> {
    CLERK_GROUPS
        .iter()
        .map(|&(id, title, columns)| ClerkTable {
            id,
            title,
            columns,
            clerks: s
                .clerks
                .iter()
                .map(|c| ClerkLine {
                    id: c.id,
                    name: c.display_name.clone(),
                    cells: cells(&c.figures, columns),
                })
                .collect(),
        })
        .collect()
}

/// X8: the same figures per service advisor.
fn advisor_lines(s: &Snapshot) -> Vec<ClerkLine> {
    s.advisors
        .iter()
        .map(|a| ClerkLine {
            id: a.id,
            name: a.name.clone(),
            cells: cells(&a.figures, ADVISOR_COLUMNS),
        })
        .collect()
}

/// A stored version with its filing time in the shop's local time (`filed_at` is UTC).
pub(super) fn with_local(
    clock: &crate::clock::Clock,
    v: &crate::services::summaries::Stored,
) -> serde_json::Value {
    let mut j = serde_json::to_value(v).unwrap_or_default();
    j["filed_at"] = match v.filed_at {
        Some(t) => serde_json::json!(clock.to_local(t).format("%Y-%m-%d %H:%M").to_string()),
        None => serde_json::Value::Null,
    };
    j
}

/// A line behind a figure as the reader reads it: the stored codes of its source (a task's
/// kind and status or close reason, a visit's kind and items, a call's category and outcome,
/// an item's kind and status, a letter's kind, an event's kind, a declined answer) in the
/// reader's language; dates, numbers and names as stored.
pub fn worded_line(
    src: crate::services::summaries::Source,
    lang: &str,
    mut l: crate::services::summaries::Line,
) -> crate::services::summaries::Line {
    use crate::services::summaries::Source;
    let i = &crate::i18n::I18N;
    let code = |family: &str, v: &Option<String>| v.as_deref().map(|v| i.coded(lang, family, v));
    let items = |v: &Option<String>| {
        v.as_deref()
            .map(|v| crate::services::summaries::items_of(v).join(&i.t(lang, "list-separator")))
    };
    match src {
        Source::Tasks => {
            l.reference = code("kind", &l.reference);
            l.status = l.status.as_deref().map(|v| {
                let reason = i.coded(lang, "close-reason", v);
                if reason != v {
                    reason
                } else {
                    i.coded(lang, "status", v)
                }
            });
        }
        Source::Visits => {
            l.reference = code("visit-kind", &l.reference);
            l.detail = items(&l.detail);
        }
        Source::Lost => l.detail = items(&l.detail),
        Source::Calls => {
            l.detail = code("category", &l.detail);
            l.status = code("outcome", &l.status);
        }
        Source::Items => {
            l.reference = code("item-kind", &l.reference);
            l.status = code("item-status", &l.status);
        }
        Source::Letters => l.status = code("letter-kind", &l.status),
        Source::Events => l.reference = code("event-kind", &l.reference),
        Source::Satisfaction => l.status = code("satisfaction", &l.status),
    }
    l
}
