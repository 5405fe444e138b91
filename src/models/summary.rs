//! R10, X5: the summaries' figures as aggregate queries — one `COUNT(CASE WHEN … THEN 1 END)`
//! per figure, grouped by clerk, one query per source table — so a month of 100,000 calls is
//! counted by the database, not loaded into Rust. Each figure's rows are named once, by a
//! predicate (`predicate`), which serves both the count and the list of lines behind it, so
//! "late first follow-ups: 7" opens exactly those 7. The SQL is portable (SQLite and
//! PostgreSQL); the only values written into it are integers and dates formatted here.
//! Also the stored summaries (drafts and filed versions).

use crate::db::schema::{summaries, users};
use crate::db::DbConn;
use crate::domain::summary::{SatisfactionSums, COUNTED};
use crate::domain::task::{self, TaskKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};
use serde::Serialize;
use std::collections::HashMap;

/// What is counted: a store (or all), a date range, the date the range is counted up to, and
/// X5's return window.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub store_id: Option<i32>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub return_days: u32,
    /// X7: a customer is lost when the latest visit's A10 is more than this many days past.
    pub lost_days: u32,
    /// X8: whether figures are also grouped by service advisor.
    pub advisors: bool,
}

impl Scope {
    /// X7: the A10 before which a customer is lost at the scope's `as_of`.
    fn lost_before(&self) -> NaiveDate {
        self.as_of
            .checked_sub_days(chrono::Days::new(self.lost_days.into()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// The table a figure counts rows of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Tasks,
    Visits,
    Calls,
    Items,
    Letters,
    Events,
    /// X6: the satisfaction answers of calls.
    Satisfaction,
    /// X7: the customers lost at the scope's end (not a range: a state on `as_of`).
    Lost,
}

impl Source {
    const ALL: [Source; 8] = [
        Source::Tasks,
        Source::Visits,
        Source::Calls,
        Source::Items,
        Source::Letters,
        Source::Events,
        Source::Satisfaction,
        Source::Lost,
    ];

    /// X8: the joins that reach a row's visit, and the column naming its service advisor.
    fn advisor(self) -> (&'static str, &'static str) {
        match self {
            Source::Tasks => ("LEFT JOIN visits gv ON gv.id = t.visit_id", "gv.advisor_id"),
            Source::Visits => ("", "v.advisor_id"),
            Source::Calls => (
                "LEFT JOIN call_records gr ON gr.id = c.call_record_id LEFT JOIN tasks gt ON gt.id = gr.task_id LEFT JOIN visits gv ON gv.id = gt.visit_id",
                "gv.advisor_id",
            ),
            Source::Items => (
                "LEFT JOIN call_records gr ON gr.id = i.call_record_id LEFT JOIN tasks gt ON gt.id = gr.task_id LEFT JOIN visits gv ON gv.id = gt.visit_id",
                "gv.advisor_id",
            ),
            Source::Letters => (
                "LEFT JOIN tasks gt ON gt.id = l.task_id LEFT JOIN visits gv ON gv.id = gt.visit_id",
                "gv.advisor_id",
            ),
            Source::Events => ("", "CAST(NULL AS INTEGER)"),
            Source::Satisfaction => ("", "cs.advisor_id"),
            Source::Lost => ("", "lv.advisor_id"),
        }
    }

    /// `FROM … WHERE <in scope>` and the column naming the clerk a row counts for.
    fn base(self, s: &Scope) -> (String, &'static str) {
        let store = |col: &str| match s.store_id {
            Some(id) => format!(" AND {col} = {id}"),
            None => String::new(),
        };
        let range = |col: &str| format!("{col} BETWEEN '{}' AND '{}'", s.from, s.to);
        match self {
            // A task counts in the month of its window end, for the clerk who owns it.
            Source::Tasks => (
                format!(
                    "FROM tasks t WHERE {}{}",
                    range("t.window_end"),
                    store("t.store_id")
                ),
                "t.clerk_id",
            ),
            // A visit counts for the clerk whose archive task it opened.
            Source::Visits => (
                format!(
                    "FROM visits v LEFT JOIN tasks a ON a.visit_id = v.id AND a.kind = 'archive' WHERE {}{}",
                    range("v.visit_date"),
                    store("v.store_id")
                ),
                "a.clerk_id",
            ),
            // A call counts on its own local date, for who made it (a substitute's for the
            // substitute, R9); amendment lines are not calls.
            Source::Calls => (
                format!(
                    "FROM call_register c WHERE {}{} AND c.amends IS NULL",
                    range("c.called_on"),
                    store("c.store_id")
                ),
                "c.handled_by_id",
            ),
            Source::Items => (
                format!(
                    "FROM items i WHERE {}{}",
                    range("i.raised_on"),
                    store("i.store_id")
                ),
                "i.clerk_id",
            ),
            Source::Letters => (
                format!(
                    "FROM letter_register l WHERE {}{} AND l.amends IS NULL",
                    range("l.sent_on"),
                    store("l.store_id")
                ),
                "l.handled_by_id",
            ),
            // Events belong to the store; per clerk see `events_per_clerk`.
            Source::Events => (
                format!(
                    "FROM events e WHERE {}{}",
                    range("e.starts_on"),
                    store("e.store_id")
                ),
                "CAST(NULL AS INTEGER)",
            ),
            // X6: an answer counts on its call's local date, for who made the call.
            Source::Satisfaction => (
                format!(
                    "FROM call_satisfaction cs WHERE {}{}",
                    range("cs.called_on"),
                    store("cs.store_id")
                ),
                "cs.handled_by_id",
            ),
            // X7: lost at the scope's end, for the customer's clerk.
            Source::Lost => (
                crate::models::satisfaction::lost_from(s.as_of, s.lost_before(), s.store_id),
                "cu.clerk_id",
            ),
        }
    }

    /// The columns of a line behind a figure, in `Line`'s order.
    fn line_columns(self) -> &'static str {
        match self {
            Source::Tasks => "t.id AS id, CAST(t.window_end AS TEXT) AS on_date, t.kind AS reference, cu.name AS customer, u.display_name AS clerk, CAST(t.done_on AS TEXT) AS detail, COALESCE(t.close_reason, t.status) AS status, t.customer_id AS customer_id",
            Source::Visits => "v.id AS id, CAST(v.visit_date AS TEXT) AS on_date, v.kind AS reference, cu.name AS customer, u.display_name AS clerk, v.items AS detail, CAST(NULL AS TEXT) AS status, v.customer_id AS customer_id",
            Source::Calls => "c.id AS id, CAST(c.called_on AS TEXT) AS on_date, c.register_no AS reference, c.customer_name AS customer, c.handled_by AS clerk, c.category AS detail, c.outcome AS status, CAST(NULL AS INTEGER) AS customer_id",
            Source::Items => "i.id AS id, CAST(i.raised_on AS TEXT) AS on_date, i.kind AS reference, cu.name AS customer, u.display_name AS clerk, i.text AS detail, i.status AS status, i.customer_id AS customer_id",
            Source::Letters => "l.id AS id, CAST(l.sent_on AS TEXT) AS on_date, l.register_no AS reference, l.customer_name AS customer, l.handled_by AS clerk, l.subject AS detail, l.letter_kind AS status, l.customer_id AS customer_id",
            Source::Events => "e.id AS id, CAST(e.starts_on AS TEXT) AS on_date, e.kind AS reference, CAST(NULL AS TEXT) AS customer, CAST(NULL AS TEXT) AS clerk, e.title AS detail, CAST(NULL AS TEXT) AS status, CAST(NULL AS INTEGER) AS customer_id",
            Source::Satisfaction => "cs.call_record_id AS id, CAST(cs.called_on AS TEXT) AS on_date, cr.record_no AS reference, cr.customer_name AS customer, cr.handled_by AS clerk, cs.aspects AS detail, COALESCE(CAST(cs.score AS TEXT), 'declined') AS status, cs.customer_id AS customer_id",
            Source::Lost => "cu.id AS id, CAST(lv.next_maintenance_date AS TEXT) AS on_date, CAST(lv.visit_date AS TEXT) AS reference, cu.name AS customer, u.display_name AS clerk, lv.items AS detail, CAST(NULL AS TEXT) AS status, cu.id AS customer_id",
        }
    }

    /// The joins a line needs for its customer's and clerk's names.
    fn line_joins(self) -> (&'static str, &'static str) {
        match self {
            Source::Tasks => ("LEFT JOIN customers cu ON cu.id = t.customer_id LEFT JOIN users u ON u.id = t.clerk_id", "FROM tasks t"),
            Source::Visits => ("LEFT JOIN customers cu ON cu.id = v.customer_id LEFT JOIN users u ON u.id = a.clerk_id", "WHERE"),
            Source::Items => ("LEFT JOIN customers cu ON cu.id = i.customer_id LEFT JOIN users u ON u.id = i.clerk_id", "FROM items i"),
            Source::Satisfaction => ("LEFT JOIN call_records cr ON cr.id = cs.call_record_id", "FROM call_satisfaction cs"),
            Source::Lost => ("LEFT JOIN users u ON u.id = cu.clerk_id", "FROM customers cu"),
            _ => ("", ""),
        }
    }
}

/// The columns a task figure reads: of the `tasks` rows themselves (`TaskCols::ROWS`), or of
/// the counters kept per store, clerk and month (`TaskCols::COUNTERS`, migration 000012).
/// Each task figure is written once, over these, so the counters and the rows count alike.
pub struct TaskCols {
    kind: &'static str,
    status: &'static str,
    /// The close reason as text, '' for none.
    reason: &'static str,
    /// Where `done_on` lies against the window (`domain::task::position_sql`).
    pos: String,
    /// The date an open task's window ended (compared with the scope's `as_of`).
    open_day: &'static str,
}

impl TaskCols {
    pub fn rows() -> TaskCols {
        TaskCols {
            kind: "t.kind",
            status: "t.status",
            reason: "COALESCE(t.close_reason, '')",
            pos: task::position_sql("t.done_on", "t.window_start", "t.window_end"),
            open_day: "t.window_end",
        }
    }
    pub fn counters() -> TaskCols {
        TaskCols {
            kind: "k.kind",
            status: "k.status",
            reason: "k.close_reason",
            pos: "k.done_pos".into(),
            open_day: "k.day",
        }
    }
}

/// The figures over a scope's tasks (RULES.md "Tasks", timeliness as `domain::task`), over the
/// columns `c`; `None` for a key that is no such figure (or one that reads other tables).
pub fn task_predicate(key: &str, s: &Scope, c: &TaskCols) -> Option<String> {
    use task::Timeliness as T;
    let excused = task::excused_sql(c.reason);
    let open_ended = format!("{} < '{}'", c.open_day, s.as_of);
    let tl = |t: T| task::timeliness_sql(t, c.status, &c.pos, &excused, &open_ended);
    let kind = |k: TaskKind| format!("{} = '{}'", c.kind, k.as_str());
    let due = |k: TaskKind| format!("{} AND NOT ({excused})", kind(k));
    let done = |k: TaskKind| format!("{} AND {} = 'done'", kind(k), c.status);
    let by_end = |k: TaskKind| format!("{} AND ({} OR {})", kind(k), tl(T::Early), tl(T::OnTime));
    let follow_up = |k: TaskKind, what: &str| -> Option<String> {
        Some(match what {
            "due" => due(k),
            "on_time" => format!("{} AND {}", kind(k), tl(T::OnTime)),
            "early" => format!("{} AND {}", kind(k), tl(T::Early)),
            "late" => format!("{} AND {}", kind(k), tl(T::Late)),
            "missed" => format!("{} AND {}", kind(k), tl(T::Missed)),
            _ => return None,
        })
    };
    let p = match key {
        // R2
        "archives_due" => due(TaskKind::Archive),
        "archives_on_time" => by_end(TaskKind::Archive),
        "archives_late" => format!("{} AND {}", kind(TaskKind::Archive), tl(T::Late)),
        "archives_missed" => format!("{} AND {}", kind(TaskKind::Archive), tl(T::Missed)),
        // R4, R5
        k if k.starts_with("first_follow_ups_") => {
            follow_up(TaskKind::FirstFollowUp, &k["first_follow_ups_".len()..])?
        }
        k if k.starts_with("second_follow_ups_") => {
            follow_up(TaskKind::SecondFollowUp, &k["second_follow_ups_".len()..])?
        }
        // R6
        "event_notices_due" => due(TaskKind::EventNotice),
        "event_notices_on_time" => by_end(TaskKind::EventNotice),
        "event_letters_sent_on_time" => by_end(TaskKind::EventLetter),
        "event_letters_waived" => format!(
            "{} AND {} = 'closed' AND {} = '{}'",
            kind(TaskKind::EventLetter),
            c.status,
            c.reason,
            task::CloseReason::Waived.as_str()
        ),
        // N1
        "maintenance_reminders_due" => due(TaskKind::MaintenanceReminder),
        "maintenance_reminders_done" => done(TaskKind::MaintenanceReminder),
        _ => return None,
    };
    Some(p)
}

/// The columns a call figure reads: of the call register's lines, or of their counters.
pub struct CallCols {
    direction: &'static str,
    category: &'static str,
    outcome: &'static str,
    /// The condition that the call was made on a win-back task (X7).
    win_back: &'static str,
}

impl CallCols {
    pub fn rows() -> CallCols {
        CallCols {
            direction: "c.direction",
            category: "c.category",
            outcome: "c.outcome",
            win_back: "EXISTS (SELECT 1 FROM call_records wr JOIN tasks wt ON wt.id = wr.task_id WHERE wr.id = c.call_record_id AND wt.kind = 'win_back')",
        }
    }
    pub fn counters() -> CallCols {
        CallCols {
            direction: "c.direction",
            category: "c.category",
            outcome: "c.outcome",
            win_back: "c.win_back = 1",
        }
    }
}

/// The figures over a scope's calls (R7, X1, X7), over the columns `c`.
pub fn call_predicate(key: &str, c: &CallCols) -> Option<String> {
    let outbound = format!("{} = 'outbound'", c.direction);
    let inbound = |cat: &str| format!("{} = 'inbound' AND {} = '{cat}'", c.direction, c.category);
    Some(match key {
        "outbound_calls" => outbound,
        "reached_calls" => format!("{outbound} AND {} = 'reached'", c.outcome),
        k if k.starts_with("failed_calls.") => format!(
            "{outbound} AND {} = '{}'",
            c.outcome,
            &k["failed_calls.".len()..]
        ),
        "inbound_inquiries" => inbound("inquiry"),
        "inbound_complaints" => inbound("complaint"),
        "win_back_calls" => c.win_back.to_string(),
        _ => return None,
    })
}

/// The columns a satisfaction figure reads (X6): of the answers themselves, or of their
/// counters (migration 000016, where the overall facts are the rows of aspect '' and a missing
/// score is -1).
pub struct SatisfactionCols {
    /// The condition that the answer has an overall score.
    scored: &'static str,
    score: &'static str,
    declined: &'static str,
}

impl SatisfactionCols {
    pub fn rows() -> SatisfactionCols {
        SatisfactionCols {
            scored: "cs.score IS NOT NULL",
            score: "cs.score",
            declined: "cs.declined = TRUE",
        }
    }
    pub fn counters() -> SatisfactionCols {
        SatisfactionCols {
            scored: "k.aspect = '' AND k.score <> -1",
            score: "k.score",
            declined: "k.aspect = '' AND k.declined = 1",
        }
    }
}

/// The figures over a scope's satisfaction answers (X6), over the columns `c`.
pub fn satisfaction_predicate(key: &str, c: &SatisfactionCols) -> Option<String> {
    Some(match key {
        "satisfaction_answers" => c.scored.to_string(),
        "satisfaction_declined" => c.declined.to_string(),
        "satisfaction_low" => format!("{} AND {} <= 2", c.scored, c.score),
        _ => return None,
    })
}

/// The rows a figure counts, as a predicate over its source's rows; `None` for a figure that
/// is computed from others (rates, the median).
pub fn predicate(key: &str, s: &Scope, sqlite: bool) -> Option<(Source, String)> {
    if let Some(p) = task_predicate(key, s, &TaskCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Tasks, p));
    }
    if let Some(p) = call_predicate(key, &CallCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Calls, p));
    }
    if let Some(p) = satisfaction_predicate(key, &SatisfactionCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Satisfaction, p));
    }
    let kind = |k: &str| format!("t.kind = '{k}'");
    let done = |k: &str| format!("{} AND t.status = 'done'", kind(k));
    let return_by = if sqlite {
        format!("date(t.window_end, '+{} days')", s.return_days)
    } else {
        format!("(t.window_end + {})", s.return_days)
    };
    let (src, p) = match key {
        "visits" => (Source::Visits, "v.kind <> 'consultation'".to_string()),
        "consultations" => (Source::Visits, "v.kind = 'consultation'".to_string()),
        // R4a–R4d
        "items_raised" => (Source::Items, "1 = 1".to_string()),
        "items_answered_on_call" => (Source::Items, "i.answered_on_call = TRUE".to_string()),
        "items_escalated" => (Source::Items, "i.escalated_on IS NOT NULL".to_string()),
        "items_escalated_late" => (
            Source::Items,
            "EXISTS (SELECT 1 FROM tasks et WHERE et.item_id = i.id AND et.kind = 'escalation' AND et.status = 'done' AND et.done_on > et.window_end)".to_string(),
        ),
        "items_solved" => (Source::Items, "i.solved_on IS NOT NULL".to_string()),
        "items_customer_told_same_day" => (
            Source::Items,
            "i.told_on IS NOT NULL AND i.told_on = i.solved_on".to_string(),
        ),
        "items_satisfied" => (Source::Items, "i.satisfied = TRUE".to_string()),
        "items_open_at_end" => (
            Source::Items,
            format!(
                "i.status <> 'answered' AND (i.closed_on IS NULL OR i.closed_on > '{}')",
                s.as_of
            ),
        ),
        // R6
        "events" => (Source::Events, "1 = 1".to_string()),
        // R8
        k if k.starts_with("letters.") => (
            Source::Letters,
            format!("l.letter_kind = '{}'", &k["letters.".len()..]),
        ),
        // N1, X5
        "returned_within_30_days" => (
            Source::Tasks,
            format!(
                "{} AND EXISTS (SELECT 1 FROM visits rv WHERE rv.customer_id = t.customer_id AND rv.store_id = t.store_id AND rv.visit_date >= t.done_on AND rv.visit_date <= {return_by})",
                done("maintenance_reminder")
            ),
        ),
        // X7
        "lost_customers" => (Source::Lost, "1 = 1".to_string()),
        // A visit that is the customer's first since a win-back task began.
        "won_back" => (
            Source::Visits,
            "EXISTS (SELECT 1 FROM tasks wt WHERE wt.kind = 'win_back' AND wt.customer_id = v.customer_id AND wt.window_start <= v.visit_date AND NOT EXISTS (SELECT 1 FROM visits pv WHERE pv.customer_id = v.customer_id AND pv.visit_date >= wt.window_start AND (pv.visit_date < v.visit_date OR (pv.visit_date = v.visit_date AND pv.id < v.id))))".to_string(),
        ),
        _ => return None,
    };
    // Keys that name no known figure fall through the prefixes with a bogus suffix.
    COUNTED.contains(&key).then_some((src, p))
}

/// The most figures one source counts (the width of `Counts`).
const WIDTH: usize = 24;

/// One group of a count query: the clerk and up to `WIDTH` counts.
#[derive(QueryableByName, Debug)]
struct Counts {
    #[diesel(sql_type = Nullable<Integer>)]
    clerk_id: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    advisor_id: Option<i32>,
    #[diesel(sql_type = BigInt)]
    c0: i64,
    #[diesel(sql_type = BigInt)]
    c1: i64,
    #[diesel(sql_type = BigInt)]
    c2: i64,
    #[diesel(sql_type = BigInt)]
    c3: i64,
    #[diesel(sql_type = BigInt)]
    c4: i64,
    #[diesel(sql_type = BigInt)]
    c5: i64,
    #[diesel(sql_type = BigInt)]
    c6: i64,
    #[diesel(sql_type = BigInt)]
    c7: i64,
    #[diesel(sql_type = BigInt)]
    c8: i64,
    #[diesel(sql_type = BigInt)]
    c9: i64,
    #[diesel(sql_type = BigInt)]
    c10: i64,
    #[diesel(sql_type = BigInt)]
    c11: i64,
    #[diesel(sql_type = BigInt)]
    c12: i64,
    #[diesel(sql_type = BigInt)]
    c13: i64,
    #[diesel(sql_type = BigInt)]
    c14: i64,
    #[diesel(sql_type = BigInt)]
    c15: i64,
    #[diesel(sql_type = BigInt)]
    c16: i64,
    #[diesel(sql_type = BigInt)]
    c17: i64,
    #[diesel(sql_type = BigInt)]
    c18: i64,
    #[diesel(sql_type = BigInt)]
    c19: i64,
    #[diesel(sql_type = BigInt)]
    c20: i64,
    #[diesel(sql_type = BigInt)]
    c21: i64,
    #[diesel(sql_type = BigInt)]
    c22: i64,
    #[diesel(sql_type = BigInt)]
    c23: i64,
}

impl Counts {
    fn all(&self) -> [i64; WIDTH] {
        [
            self.c0, self.c1, self.c2, self.c3, self.c4, self.c5, self.c6, self.c7, self.c8,
            self.c9, self.c10, self.c11, self.c12, self.c13, self.c14, self.c15, self.c16,
            self.c17, self.c18, self.c19, self.c20, self.c21, self.c22, self.c23,
        ]
    }
}

/// Counts per clerk (`None`: rows of no clerk, such as the store's events).
pub type ByClerk = HashMap<Option<i32>, HashMap<&'static str, i64>>;

/// Puts the joins a grouping or a filter needs right after the source's own FROM.
fn with_joins(base: String, joins: &str) -> String {
    if joins.is_empty() {
        base
    } else {
        base.replacen(" WHERE ", &format!(" {joins} WHERE "), 1)
    }
}

/// The grouping by service advisor (X8) when the scope asks for it: joins and column.
fn advisor_group(src: Source, s: &Scope) -> (&'static str, &'static str) {
    if s.advisors {
        src.advisor()
    } else {
        ("", "CAST(NULL AS INTEGER)")
    }
}

/// Every counted figure of a scope, per clerk and per service advisor (X8; `None`: rows of no
/// clerk or no advisor). The task, call and satisfaction figures of whole months come from the
/// counters (`from_counters`); everything else, and everything when `from_rows` is asked for, is
/// counted from the rows: one aggregate query per source, grouped by clerk and advisor at once.
pub fn counts(conn: &mut DbConn, s: &Scope) -> QueryResult<(ByClerk, ByClerk)> {
    counts_with(conn, s, true)
}

/// Whether a scope covers whole months (the counters' grain).
fn whole_months(s: &Scope) -> bool {
    use chrono::Datelike;
    s.from.day() == 1 && s.to.succ_opt().is_none_or(|d| d.day() == 1)
}

/// `counts`, choosing whether the task, call and satisfaction figures come from the counters
/// (`false`: all from the rows — the reference the counters are tested and verified against).
pub fn counts_with(
    conn: &mut DbConn,
    s: &Scope,
    use_counters: bool,
) -> QueryResult<(ByClerk, ByClerk)> {
    let sqlite = conn.is_sqlite();
    let use_counters = use_counters && whole_months(s);
    let mut out: ByClerk = HashMap::new();
    let mut by_advisor: ByClerk = HashMap::new();
    for src in Source::ALL {
        let mut figs: Vec<(&'static str, String)> = COUNTED
            .iter()
            .filter_map(|k| {
                predicate(k, s, sqlite).and_then(|(x, p)| (x == src).then_some((*k, p)))
            })
            .collect();
        if use_counters && matches!(src, Source::Tasks | Source::Calls | Source::Satisfaction) {
            let kept: Vec<(&'static str, String)> = figs
                .iter()
                .filter_map(|(k, _)| {
                    let p = match src {
                        Source::Tasks => task_predicate(k, s, &TaskCols::counters()),
                        Source::Satisfaction => {
                            satisfaction_predicate(k, &SatisfactionCols::counters())
                        }
                        _ => call_predicate(k, &CallCols::counters()),
                    };
                    p.map(|p| (*k, p))
                })
                .collect();
            from_counters(conn, s, src, &kept, &mut out, &mut by_advisor)?;
            figs.retain(|(k, _)| !kept.iter().any(|(x, _)| x == k));
        }
        assert!(figs.len() <= WIDTH, "too many figures for one query");
        if figs.is_empty() {
            continue;
        }
        let (base, clerk) = src.base(s);
        let (joins, advisor) = advisor_group(src, s);
        let base = with_joins(base, joins);
        // Only the rows some figure counts (the rest would add zeros): lets the
        // figures left over beside the counters read their own index.
        let narrow = if use_counters && src == Source::Tasks {
            let any: Vec<String> = figs.iter().map(|(_, p)| format!("({p})")).collect();
            format!(" AND ({})", any.join(" OR "))
        } else {
            String::new()
        };
        let cols: Vec<String> = (0..WIDTH)
            .map(|i| match figs.get(i) {
                Some((_, p)) => format!("COUNT(CASE WHEN {p} THEN 1 END) AS c{i}"),
                None => format!("CAST(0 AS BIGINT) AS c{i}"),
            })
            .collect();
        let sql = format!(
            "SELECT {clerk} AS clerk_id, {advisor} AS advisor_id, {} {base}{narrow} GROUP BY {clerk}, {advisor}",
            cols.join(", ")
        );
        let rows: Vec<Counts> = diesel::sql_query(&sql).load(conn)?;
        for r in rows {
            let all = r.all();
            for (group, key) in [(&mut out, r.clerk_id), (&mut by_advisor, r.advisor_id)] {
                let entry = group.entry(key).or_default();
                for (i, (k, _)) in figs.iter().enumerate() {
                    *entry.entry(k).or_insert(0) += all[i];
                }
            }
        }
    }
    Ok((out, by_advisor))
}

/// The task, call or satisfaction figures `figs` of a whole-month scope, summed from the
/// counters (one row per store, clerk or advisor, month and the facts a figure looks at;
/// migrations 000012, 000016).
fn from_counters(
    conn: &mut DbConn,
    s: &Scope,
    src: Source,
    figs: &[(&'static str, String)],
    out: &mut ByClerk,
    by_advisor: &mut ByClerk,
) -> QueryResult<()> {
    if figs.is_empty() {
        return Ok(());
    }
    assert!(figs.len() <= WIDTH, "too many figures for one query");
    let (table, alias) = match src {
        Source::Tasks => ("summary_task_counts", "k"),
        Source::Satisfaction => ("summary_satisfaction_counts", "k"),
        _ => ("summary_call_counts", "c"),
    };
    let cols: Vec<String> = (0..WIDTH)
        .map(|i| match figs.get(i) {
            Some((_, p)) => {
                format!(
                    "CAST(COALESCE(SUM(CASE WHEN {p} THEN {alias}.n END), 0) AS BIGINT) AS c{i}"
                )
            }
            None => format!("CAST(0 AS BIGINT) AS c{i}"),
        })
        .collect();
    let (group_cols, in_scope) = counter_scope(s, alias);
    let sql = format!(
        "SELECT {group_cols}, {} FROM {table} {alias} WHERE {in_scope} \
         GROUP BY {alias}.grp, {alias}.who",
        cols.join(", "),
    );
    let rows: Vec<CounterRow> = diesel::sql_query(sql).load(conn)?;
    for r in rows {
        let all = r.counts.all();
        let (group, key) = if r.is_clerk == 1 {
            (&mut *out, r.counts.clerk_id)
        } else {
            (&mut *by_advisor, r.counts.advisor_id)
        };
        let entry = group.entry(key).or_default();
        for (i, (k, _)) in figs.iter().enumerate() {
            *entry.entry(k).or_insert(0) += all[i];
        }
    }
    Ok(())
}

/// Over the counters under alias `a`: the columns naming a row's group (`is_clerk`,
/// `clerk_id`, `advisor_id`; advisor 0 is none) and the condition that a row is of the scope
/// (its months, its store, the advisors' rows only when the scope asks for them).
fn counter_scope(s: &Scope, a: &str) -> (String, String) {
    let store = s
        .store_id
        .map(|id| format!(" AND {a}.store_id = {id}"))
        .unwrap_or_default();
    let groups = if s.advisors {
        String::new()
    } else {
        format!(" AND {a}.grp = 'clerk'")
    };
    (
        format!(
            "CASE WHEN {a}.grp = 'clerk' THEN 1 ELSE 0 END AS is_clerk, \
             CASE WHEN {a}.grp = 'clerk' THEN {a}.who END AS clerk_id, \
             CASE WHEN {a}.grp = 'advisor' AND {a}.who <> 0 THEN {a}.who END AS advisor_id"
        ),
        format!(
            "{a}.month BETWEEN '{}' AND '{}'{store}{groups}",
            s.from, s.to
        ),
    )
}

#[derive(QueryableByName, Debug)]
struct CounterRow {
    #[diesel(sql_type = Integer)]
    is_clerk: i32,
    #[diesel(embed)]
    counts: Counts,
}

#[derive(QueryableByName, Debug)]
struct SumRow {
    /// 1: a clerk's row, 0: an advisor's (from the counters); 2: both (from the rows).
    #[diesel(sql_type = Integer)]
    is_clerk: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    clerk_id: Option<i32>,
    #[diesel(sql_type = Nullable<Integer>)]
    advisor_id: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    aspect: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// X6: satisfaction sums per clerk or per advisor (`None`: rows of none).
pub type SumsBy = HashMap<Option<i32>, SatisfactionSums>;

/// X6: per clerk and per advisor, the sums of the overall scores and of each aspect; of whole
/// months from the counters (migration 000016).
pub fn satisfaction_sums(conn: &mut DbConn, s: &Scope) -> QueryResult<(SumsBy, SumsBy)> {
    satisfaction_sums_with(conn, s, true)
}

/// `satisfaction_sums`, choosing whether whole months come from the counters (`false`: from
/// the answers — the reference the counters are tested against).
pub fn satisfaction_sums_with(
    conn: &mut DbConn,
    s: &Scope,
    use_counters: bool,
) -> QueryResult<(SumsBy, SumsBy)> {
    let queries = if use_counters && whole_months(s) {
        let (group_cols, in_scope) = counter_scope(s, "k");
        // The overall rows (aspect '') sum their scores and count the high ones (≥ 4); an
        // aspect's rows sum its scores and count its answers.
        vec![format!(
            "SELECT {group_cols}, \
             CASE WHEN k.aspect = '' THEN CAST(NULL AS TEXT) ELSE k.aspect END AS aspect, \
             CAST(SUM(k.score * k.n) AS BIGINT) AS total, \
             CAST(SUM(CASE WHEN k.aspect <> '' OR k.score >= 4 THEN k.n ELSE 0 END) AS BIGINT) AS n \
             FROM summary_satisfaction_counts k WHERE {in_scope} AND k.score <> -1 \
             GROUP BY k.grp, k.who, k.aspect"
        )]
    } else {
        let (base, _) = Source::Satisfaction.base(s);
        let (_, advisor) = advisor_group(Source::Satisfaction, s);
        let overall = format!(
            "SELECT 2 AS is_clerk, cs.handled_by_id AS clerk_id, {advisor} AS advisor_id, CAST(NULL AS TEXT) AS aspect, \
             CAST(SUM(cs.score) AS BIGINT) AS total, COUNT(CASE WHEN cs.score >= 4 THEN 1 END) AS n \
             {base} AND cs.score IS NOT NULL GROUP BY cs.handled_by_id, {advisor}"
        );
        let aspects = format!(
            "SELECT 2 AS is_clerk, cs.handled_by_id AS clerk_id, {advisor} AS advisor_id, sa.aspect AS aspect, \
             CAST(SUM(sa.score) AS BIGINT) AS total, COUNT(*) AS n \
             {} AND cs.score IS NOT NULL GROUP BY cs.handled_by_id, {advisor}, sa.aspect",
            with_joins(
                base,
                "JOIN satisfaction_aspects sa ON sa.call_record_id = cs.call_record_id"
            )
        );
        vec![overall, aspects]
    };
    let mut clerks: HashMap<Option<i32>, SatisfactionSums> = HashMap::new();
    let mut advisors: HashMap<Option<i32>, SatisfactionSums> = HashMap::new();
    for sql in queries {
        let rows: Vec<SumRow> = diesel::sql_query(sql).load(conn)?;
        for r in rows {
            let groups = match r.is_clerk {
                1 => vec![(&mut clerks, r.clerk_id)],
                0 => vec![(&mut advisors, r.advisor_id)],
                _ => vec![(&mut clerks, r.clerk_id), (&mut advisors, r.advisor_id)],
            };
            for (group, key) in groups {
                let e = group.entry(key).or_default();
                match &r.aspect {
                    None => {
                        e.score_sum += r.total.unwrap_or(0);
                        e.high += r.n;
                    }
                    Some(a) => {
                        let slot = e.aspects.entry(a.clone()).or_insert((0, 0));
                        slot.0 += r.total.unwrap_or(0);
                        slot.1 += r.n;
                    }
                }
            }
        }
    }
    Ok((clerks, advisors))
}

#[derive(QueryableByName, Debug)]
struct ClerkCount {
    #[diesel(sql_type = Nullable<Integer>)]
    clerk_id: Option<i32>,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Per clerk, the events of the scope in which the clerk had invitees to give notice to.
pub fn events_per_clerk(conn: &mut DbConn, s: &Scope) -> QueryResult<HashMap<i32, i64>> {
    let store = s
        .store_id
        .map(|id| format!(" AND e.store_id = {id}"))
        .unwrap_or_default();
    let sql = format!(
        // The period's few events first, then their tasks through `tasks(event_id)` (the
        // CROSS JOIN keeps SQLite from reading every event notice by `tasks(kind, …)`).
        "SELECT t.clerk_id AS clerk_id, COUNT(DISTINCT t.event_id) AS n FROM events e \
         CROSS JOIN tasks t WHERE t.event_id = e.id AND t.kind = 'event_notice' \
         AND e.starts_on BETWEEN '{}' AND '{}'{store} GROUP BY t.clerk_id",
        s.from, s.to
    );
    let rows: Vec<ClerkCount> = diesel::sql_query(sql).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.clerk_id.map(|c| (c, r.n)))
        .collect())
}

/// Per clerk, the tasks still open after their window on the scope's `as_of` date (whatever
/// month their window ended in): the scorecard's "overdue at month end".
pub fn overdue_at_end(conn: &mut DbConn, s: &Scope) -> QueryResult<HashMap<i32, i64>> {
    let store = s
        .store_id
        .map(|id| format!(" AND t.store_id = {id}"))
        .unwrap_or_default();
    // Two parts, each on its own index (migration 000007): still open, or done only after.
    let sql = format!(
        "SELECT clerk_id, COUNT(*) AS n FROM ( \
         SELECT t.clerk_id AS clerk_id FROM tasks t WHERE t.status = 'open' AND t.window_end < '{a}'{store} \
         UNION ALL \
         SELECT t.clerk_id AS clerk_id FROM tasks t WHERE t.done_on > '{a}' AND t.status <> 'open' \
         AND t.window_end < '{a}'{store}) o GROUP BY clerk_id",
        a = s.as_of
    );
    let rows: Vec<ClerkCount> = diesel::sql_query(sql).load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| r.clerk_id.map(|c| (c, r.n)))
        .collect())
}

#[derive(QueryableByName, Debug)]
struct Closed {
    #[diesel(sql_type = Integer)]
    clerk_id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    advisor_id: Option<i32>,
    #[diesel(sql_type = Date)]
    raised_on: NaiveDate,
    #[diesel(sql_type = Nullable<Date>)]
    closed_on: Option<NaiveDate>,
    #[diesel(sql_type = Integer)]
    answered: i32,
}

/// Per clerk, the days each item of the scope took to close (0 when answered on the call;
/// only items closed by `as_of`), with the item's service advisor (X8). Items are few beside
/// calls; the median is taken in Rust.
pub fn days_to_close(conn: &mut DbConn, s: &Scope) -> QueryResult<Vec<(i32, Option<i32>, i64)>> {
    let (base, _) = Source::Items.base(s);
    let (joins, advisor) = advisor_group(Source::Items, s);
    let base = with_joins(base, joins);
    let sql = format!(
        "SELECT i.clerk_id AS clerk_id, {advisor} AS advisor_id, i.raised_on AS raised_on, i.closed_on AS closed_on, \
         CASE WHEN i.answered_on_call = TRUE THEN 1 ELSE 0 END AS answered {base} \
         AND (i.answered_on_call = TRUE OR (i.closed_on IS NOT NULL AND i.closed_on <= '{}'))",
        s.as_of
    );
    let rows: Vec<Closed> = diesel::sql_query(sql).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let days = match (r.answered, r.closed_on) {
                (1, _) | (_, None) => 0,
                (_, Some(c)) => (c - r.raised_on).num_days(),
            };
            (r.clerk_id, r.advisor_id, days)
        })
        .collect())
}

/// A line behind a figure.
#[derive(QueryableByName, Debug, Clone, Serialize)]
pub struct Line {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Nullable<Text>)]
    pub on_date: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reference: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub customer: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub clerk: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub detail: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub status: Option<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub customer_id: Option<i32>,
}

/// The lines a figure counts (of one clerk, or all), in date order, at most `limit`.
/// `None` when the key names no counted figure.
pub fn lines(
    conn: &mut DbConn,
    s: &Scope,
    key: &str,
    clerk_id: Option<i32>,
    advisor_id: Option<i32>,
    limit: i64,
) -> QueryResult<Option<(Source, Vec<Line>)>> {
    let Some((src, p)) = predicate(key, s, conn.is_sqlite()) else {
        return Ok(None);
    };
    let (base, clerk_col) = src.base(s);
    let (joins, anchor) = src.line_joins();
    // The name joins go right after the source's own FROM (and its archive-task join).
    let base = if joins.is_empty() {
        base
    } else if anchor == "WHERE" {
        base.replacen(" WHERE ", &format!(" {joins} WHERE "), 1)
    } else {
        base.replacen(anchor, &format!("{anchor} {joins}"), 1)
    };
    let clerk = match (clerk_id, src) {
        (None, _) => String::new(),
        (Some(c), Source::Events) => format!(
            " AND EXISTS (SELECT 1 FROM tasks x WHERE x.event_id = e.id AND x.kind = 'event_notice' AND x.clerk_id = {c})"
        ),
        (Some(c), _) => format!(" AND {clerk_col} = {c}"),
    };
    // X8: the lines of one service advisor.
    let (base, advisor) = match advisor_id {
        None => (base, String::new()),
        Some(a) => {
            let (joins, col) = src.advisor();
            (with_joins(base, joins), format!(" AND {col} = {a}"))
        }
    };
    let sql = format!(
        "SELECT {} {base} AND ({p}){clerk}{advisor} ORDER BY on_date, id LIMIT {limit}",
        src.line_columns()
    );
    Ok(Some((src, diesel::sql_query(sql).load(conn)?)))
}

/// A clerk as the summary names them.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct ClerkName {
    pub id: i32,
    pub username: String,
    pub display_name: String,
}

/// The clerks of a store (or all) and anyone else named by id (a covering supervisor).
pub fn clerks(
    conn: &mut DbConn,
    store_id: Option<i32>,
    also: &[i32],
) -> QueryResult<Vec<ClerkName>> {
    let mut q = users::table
        .filter(
            users::role
                .eq("clerk")
                .and(users::disabled.eq(false))
                .or(users::id.eq_any(also.to_vec())),
        )
        .select((users::id, users::username, users::display_name))
        .order(users::id)
        .into_boxed();
    if let Some(s) = store_id {
        q = q.filter(users::store_id.eq(s).or(users::id.eq_any(also.to_vec())));
    }
    q.load(conn)
}

/// A stored summary: a draft, or a filed version (immutable).
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = summaries)]
pub struct Stored {
    pub id: i32,
    pub store_id: Option<i32>,
    pub kind: String,
    pub period: String,
    pub version: i32,
    pub status: String,
    pub figures: String,
    pub went_well: String,
    pub problems: String,
    pub measures: String,
    pub meeting_on: Option<NaiveDate>,
    pub attendees: String,
    pub correction_reason: Option<String>,
    pub chain_heads: String,
    pub drafted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub updated_by: String,
    pub filed_at: Option<NaiveDateTime>,
    pub filed_by_id: Option<i32>,
    pub filed_by: Option<String>,
}

/// Every version of one period's summary, newest first.
pub fn versions(
    conn: &mut DbConn,
    store_id: Option<i32>,
    kind: &str,
    period: &str,
) -> QueryResult<Vec<Stored>> {
    let mut q = summaries::table
        .filter(summaries::kind.eq(kind.to_string()))
        .filter(summaries::period.eq(period.to_string()))
        .order(summaries::version.desc())
        .select(Stored::as_select())
        .into_boxed();
    q = match store_id {
        Some(s) => q.filter(summaries::store_id.eq(s)),
        None => q.filter(summaries::store_id.is_null()),
    };
    q.load(conn)
}

/// The archive of summaries of a store (or of the group), newest period first.
pub fn archive(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Vec<Stored>> {
    let mut q = summaries::table
        .order((
            summaries::period.desc(),
            summaries::kind,
            summaries::version.desc(),
        ))
        .select(Stored::as_select())
        .into_boxed();
    q = match store_id {
        Some(s) => q.filter(summaries::store_id.eq(s)),
        None => q.filter(summaries::store_id.is_null()),
    };
    q.load(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Stored>> {
    summaries::table
        .find(id)
        .select(Stored::as_select())
        .first(conn)
        .optional()
}

/// A new version (a draft).
#[allow(clippy::too_many_arguments)]
pub fn insert_draft(
    conn: &mut DbConn,
    store_id: Option<i32>,
    kind: &str,
    period: &str,
    version: i32,
    figures: &str,
    report: &crate::domain::summary::Report,
    correction_reason: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(summaries::table)
        .values((
            summaries::store_id.eq(store_id),
            summaries::kind.eq(kind),
            summaries::period.eq(period),
            summaries::version.eq(version),
            summaries::status.eq("draft"),
            summaries::figures.eq(figures),
            summaries::went_well.eq(&report.went_well),
            summaries::problems.eq(&report.problems),
            summaries::measures.eq(&report.measures),
            summaries::meeting_on.eq(report.meeting_on),
            summaries::attendees.eq(&report.attendees),
            summaries::correction_reason.eq(correction_reason),
            summaries::chain_heads.eq("[]"),
            summaries::drafted_at.eq(now),
            summaries::updated_at.eq(now),
            summaries::updated_by.eq(by),
        ))
        .returning(summaries::id)
        .get_result(conn)
}

/// Saves a draft's written report. Returns 0 when it is no longer a draft.
pub fn save_report(
    conn: &mut DbConn,
    id: i32,
    report: &crate::domain::summary::Report,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        summaries::table
            .find(id)
            .filter(summaries::status.eq("draft")),
    )
    .set((
        summaries::went_well.eq(&report.went_well),
        summaries::problems.eq(&report.problems),
        summaries::measures.eq(&report.measures),
        summaries::meeting_on.eq(report.meeting_on),
        summaries::attendees.eq(&report.attendees),
        summaries::updated_at.eq(now),
        summaries::updated_by.eq(by),
    ))
    .execute(conn)
}

/// Files a draft: its figures frozen, the chain heads, who and when. Returns 0 when it was
/// no longer a draft (filed by someone else meanwhile).
pub fn file(
    conn: &mut DbConn,
    id: i32,
    figures: &str,
    chain_heads: &str,
    by: (Option<i32>, &str),
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        summaries::table
            .find(id)
            .filter(summaries::status.eq("draft")),
    )
    .set((
        summaries::status.eq("filed"),
        summaries::figures.eq(figures),
        summaries::chain_heads.eq(chain_heads),
        summaries::filed_at.eq(now),
        summaries::filed_by_id.eq(by.0),
        summaries::filed_by.eq(by.1),
        summaries::updated_at.eq(now),
        summaries::updated_by.eq(by.1),
    ))
    .execute(conn)
}

/// The counters the summaries keep (migrations 000012, 000016): each table, the view that says
/// what it must hold (computed from the rows), and the columns a counter row is keyed by.
const KEPT: [(&str, &str, &[&str]); 3] = [
    (
        "summary_task_counts",
        "summary_task_facts",
        &[
            "store_id",
            "grp",
            "who",
            "month",
            "day",
            "kind",
            "status",
            "close_reason",
            "done_pos",
        ],
    ),
    (
        "summary_call_counts",
        "summary_call_facts",
        &[
            "store_id",
            "grp",
            "who",
            "month",
            "direction",
            "category",
            "outcome",
            "win_back",
        ],
    ),
    (
        "summary_satisfaction_counts",
        "summary_satisfaction_facts",
        &[
            "store_id", "grp", "who", "month", "aspect", "score", "declined",
        ],
    ),
];

/// `aftercare summary rebuild [--from YYYY-MM]`: recomputes the counters from the rows, of
/// every month from `from` on (all when `None`); returns the counter rows written. Run it in
/// one transaction.
pub fn rebuild(conn: &mut DbConn, from: Option<NaiveDate>) -> QueryResult<usize> {
    let since = from
        .map(|d| format!(" WHERE month >= '{d}'"))
        .unwrap_or_default();
    let mut written = 0;
    for (table, view, keys) in KEPT {
        let keys = keys.join(", ");
        diesel::sql_query(format!("DELETE FROM {table}{since}")).execute(conn)?;
        written += diesel::sql_query(format!(
            "INSERT INTO {table} ({keys}, n) SELECT {keys}, COUNT(*) FROM {view}{since} GROUP BY {keys}"
        ))
        .execute(conn)?;
    }
    Ok(written)
}

/// A counter that disagrees with the rows: which table, its key (store, clerk or advisor,
/// month, day and facts) and both numbers.
#[derive(QueryableByName, Debug, Clone, PartialEq, Eq)]
pub struct Disagreement {
    #[diesel(sql_type = Text)]
    pub key: String,
    #[diesel(sql_type = BigInt)]
    pub from_rows: i64,
    #[diesel(sql_type = BigInt)]
    pub kept: i64,
}

/// `aftercare verify`: every counter that disagrees with the rows, per table, at most
/// `limit` each.
pub fn disagreements(
    conn: &mut DbConn,
    limit: i64,
) -> QueryResult<Vec<(&'static str, Disagreement)>> {
    let mut out = Vec::new();
    for (table, view, keys) in KEPT {
        let label = |a: &str| -> String {
            keys.iter()
                .map(|k| format!("'{k}=' || CAST({a}.{k} AS TEXT)"))
                .collect::<Vec<_>>()
                .join(" || ' ' || ")
        };
        let on = |a: &str, b: &str| -> String {
            keys.iter()
                .map(|k| format!("{a}.{k} = {b}.{k}"))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        let list = keys.join(", ");
        let sql = format!(
            "SELECT {} AS key, f.n AS from_rows, COALESCE(k.n, 0) AS kept \
             FROM (SELECT {list}, COUNT(*) AS n FROM {view} GROUP BY {list}) f \
             LEFT JOIN {table} k ON {} WHERE k.n IS NULL OR k.n <> f.n \
             UNION ALL \
             SELECT {}, CAST(0 AS BIGINT), k.n FROM {table} k WHERE k.n <> 0 \
             AND NOT EXISTS (SELECT 1 FROM {view} f WHERE {}) \
             LIMIT {limit}",
            label("f"),
            on("k", "f"),
            label("k"),
            on("f", "k"),
        );
        let rows: Vec<Disagreement> = diesel::sql_query(sql).load(conn)?;
        out.extend(rows.into_iter().map(|d| (table, d)));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::domain::cadence::Window;
    use crate::domain::task::{self, TaskStatus, Timeliness};
    use chrono::NaiveDate;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct Got {
        #[diesel(sql_type = Text)]
        t: String,
    }

    /// Issue 15's one source: the summaries' SQL conditions (`timeliness_sql` over
    /// `position_sql`) give what `domain::task::timeliness` gives, for every status, done date
    /// and period end around a window (an excused close aside, which the summary leaves out).
    #[test]
    fn r10_the_summary_sql_counts_timeliness_as_the_domain_defines_it() {
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        let d = |n: i64| NaiveDate::from_ymd_opt(2026, 3, 10).unwrap() + chrono::Duration::days(n);
        let w = Window {
            start: d(0),
            end: d(4),
        };
        for status in TaskStatus::ALL {
            for done in (-3..8).map(Some).chain([None]) {
                let done_on = done.filter(|_| *status == TaskStatus::Done).map(d);
                if (*status == TaskStatus::Done) != done_on.is_some() {
                    continue;
                }
                for end in -2..9 {
                    let period_end = d(end);
                    let lit = |x: Option<NaiveDate>| {
                        x.map(|x| format!("'{x}'")).unwrap_or_else(|| "NULL".into())
                    };
                    let pos =
                        task::position_sql(&lit(done_on), &lit(Some(w.start)), &lit(Some(w.end)));
                    let open_ended = format!("'{}' < '{period_end}'", w.end);
                    let st = format!("'{}'", status.as_str());
                    let arms: Vec<String> = Timeliness::ALL
                        .iter()
                        .map(|t| {
                            format!(
                                "WHEN {} THEN '{}'",
                                task::timeliness_sql(*t, &st, &pos, "1 = 0", &open_ended),
                                t.as_str()
                            )
                        })
                        .collect();
                    let sql = format!("SELECT CASE {} ELSE '' END AS t", arms.join(" "));
                    let got: Got = diesel::sql_query(sql).get_result(&mut c).unwrap();
                    let want = task::timeliness(w, *status, done_on, period_end)
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default();
                    assert_eq!(
                        got.t, want,
                        "{status} done {done_on:?} period end {period_end}"
                    );
                }
            }
        }
    }
}
