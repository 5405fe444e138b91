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
            Source::Lost => ("LEFT JOIN users u ON u.id = cu.clerk_id", "WHERE"),
            _ => ("", ""),
        }
    }
}

/// Closed for a reason that is not the clerk's to answer for: neither due nor missed (X4).
const EXCUSED: &str = "COALESCE(t.close_reason, '') IN ('refuses_channel', 'anonymised', 'event_cancelled', 'superseded')";

/// The rows a figure counts, as a predicate over its source's rows; `None` for a figure that
/// is computed from others (rates, the median).
pub fn predicate(key: &str, s: &Scope, sqlite: bool) -> Option<(Source, String)> {
    let kind = |k: &str| format!("t.kind = '{k}'");
    let due = |k: &str| format!("{} AND NOT {EXCUSED}", kind(k));
    let done = |k: &str| format!("{} AND t.status = 'done'", kind(k));
    let missed = |k: &str| {
        format!(
            "{} AND ((t.status = 'closed' AND NOT {EXCUSED}) OR (t.status = 'open' AND t.window_end < '{}'))",
            kind(k),
            s.as_of
        )
    };
    let follow_up = |k: &str, what: &str| -> String {
        match what {
            "due" => due(k),
            "on_time" => format!(
                "{} AND t.done_on >= t.window_start AND t.done_on <= t.window_end",
                done(k)
            ),
            "early" => format!("{} AND t.done_on < t.window_start", done(k)),
            "late" => format!("{} AND t.done_on > t.window_end", done(k)),
            _ => missed(k),
        }
    };
    let return_by = if sqlite {
        format!("date(t.window_end, '+{} days')", s.return_days)
    } else {
        format!("(t.window_end + {})", s.return_days)
    };
    let outbound = "c.direction = 'outbound'";
    let (src, p) = match key {
        "visits" => (Source::Visits, "v.kind <> 'consultation'".to_string()),
        "consultations" => (Source::Visits, "v.kind = 'consultation'".to_string()),
        // R2
        "archives_due" => (Source::Tasks, due("archive")),
        "archives_on_time" => (
            Source::Tasks,
            format!("{} AND t.done_on <= t.window_end", done("archive")),
        ),
        "archives_late" => (
            Source::Tasks,
            format!("{} AND t.done_on > t.window_end", done("archive")),
        ),
        "archives_missed" => (Source::Tasks, missed("archive")),
        // R4, R5
        k if k.starts_with("first_follow_ups_") => (
            Source::Tasks,
            follow_up("first_follow_up", &k["first_follow_ups_".len()..]),
        ),
        k if k.starts_with("second_follow_ups_") => (
            Source::Tasks,
            follow_up("second_follow_up", &k["second_follow_ups_".len()..]),
        ),
        // R7, X1
        "outbound_calls" => (Source::Calls, outbound.to_string()),
        "reached_calls" => (Source::Calls, format!("{outbound} AND c.outcome = 'reached'")),
        k if k.starts_with("failed_calls.") => (
            Source::Calls,
            format!("{outbound} AND c.outcome = '{}'", &k["failed_calls.".len()..]),
        ),
        "inbound_inquiries" => (
            Source::Calls,
            "c.direction = 'inbound' AND c.category = 'inquiry'".to_string(),
        ),
        "inbound_complaints" => (
            Source::Calls,
            "c.direction = 'inbound' AND c.category = 'complaint'".to_string(),
        ),
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
        "event_notices_due" => (Source::Tasks, due("event_notice")),
        "event_notices_on_time" => (
            Source::Tasks,
            format!("{} AND t.done_on <= t.window_end", done("event_notice")),
        ),
        "event_letters_sent_on_time" => (
            Source::Tasks,
            format!("{} AND t.done_on <= t.window_end", done("event_letter")),
        ),
        "event_letters_waived" => (
            Source::Tasks,
            format!(
                "{} AND t.status = 'closed' AND t.close_reason = 'waived'",
                kind("event_letter")
            ),
        ),
        // R8
        k if k.starts_with("letters.") => (
            Source::Letters,
            format!("l.letter_kind = '{}'", &k["letters.".len()..]),
        ),
        // N1, X5
        "maintenance_reminders_due" => (Source::Tasks, due("maintenance_reminder")),
        "maintenance_reminders_done" => (Source::Tasks, done("maintenance_reminder")),
        "returned_within_30_days" => (
            Source::Tasks,
            format!(
                "{} AND EXISTS (SELECT 1 FROM visits rv WHERE rv.customer_id = t.customer_id AND rv.store_id = t.store_id AND rv.visit_date >= t.done_on AND rv.visit_date <= {return_by})",
                done("maintenance_reminder")
            ),
        ),
        // X6
        "satisfaction_answers" => (Source::Satisfaction, "cs.score IS NOT NULL".to_string()),
        "satisfaction_declined" => (Source::Satisfaction, "cs.declined = TRUE".to_string()),
        "satisfaction_low" => (Source::Satisfaction, "cs.score <= 2".to_string()),
        // X7
        "lost_customers" => (Source::Lost, "1 = 1".to_string()),
        "win_back_calls" => (
            Source::Calls,
            "EXISTS (SELECT 1 FROM call_records wr JOIN tasks wt ON wt.id = wr.task_id WHERE wr.id = c.call_record_id AND wt.kind = 'win_back')".to_string(),
        ),
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
/// clerk or no advisor): one aggregate query per source, grouped by both at once.
pub fn counts(conn: &mut DbConn, s: &Scope) -> QueryResult<(ByClerk, ByClerk)> {
    let sqlite = conn.is_sqlite();
    let mut out: ByClerk = HashMap::new();
    let mut by_advisor: ByClerk = HashMap::new();
    for src in Source::ALL {
        let figs: Vec<(&'static str, String)> = COUNTED
            .iter()
            .filter_map(|k| {
                predicate(k, s, sqlite).and_then(|(x, p)| (x == src).then_some((*k, p)))
            })
            .collect();
        assert!(figs.len() <= WIDTH, "too many figures for one query");
        if figs.is_empty() {
            continue;
        }
        let (base, clerk) = src.base(s);
        let (joins, advisor) = advisor_group(src, s);
        let base = with_joins(base, joins);
        let cols: Vec<String> = (0..WIDTH)
            .map(|i| match figs.get(i) {
                Some((_, p)) => format!("COUNT(CASE WHEN {p} THEN 1 END) AS c{i}"),
                None => format!("CAST(0 AS BIGINT) AS c{i}"),
            })
            .collect();
        let sql = format!(
            "SELECT {clerk} AS clerk_id, {advisor} AS advisor_id, {} {base} GROUP BY {clerk}, {advisor}",
            cols.join(", ")
        );
        let rows: Vec<Counts> = diesel::sql_query(sql).load(conn)?;
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

#[derive(QueryableByName, Debug)]
struct SumRow {
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

/// X6: per clerk and per advisor, the sums of the overall scores and of each aspect.
pub fn satisfaction_sums(conn: &mut DbConn, s: &Scope) -> QueryResult<(SumsBy, SumsBy)> {
    let (base, _) = Source::Satisfaction.base(s);
    let (_, advisor) = advisor_group(Source::Satisfaction, s);
    let overall = format!(
        "SELECT cs.handled_by_id AS clerk_id, {advisor} AS advisor_id, CAST(NULL AS TEXT) AS aspect,          CAST(SUM(cs.score) AS BIGINT) AS total, COUNT(CASE WHEN cs.score >= 4 THEN 1 END) AS n          {base} AND cs.score IS NOT NULL GROUP BY cs.handled_by_id, {advisor}"
    );
    let aspects = format!(
        "SELECT cs.handled_by_id AS clerk_id, {advisor} AS advisor_id, sa.aspect AS aspect,          CAST(SUM(sa.score) AS BIGINT) AS total, COUNT(*) AS n          {} AND cs.score IS NOT NULL GROUP BY cs.handled_by_id, {advisor}, sa.aspect",
        with_joins(
            base,
            "JOIN satisfaction_aspects sa ON sa.call_record_id = cs.call_record_id"
        )
    );
    let mut clerks: HashMap<Option<i32>, SatisfactionSums> = HashMap::new();
    let mut advisors: HashMap<Option<i32>, SatisfactionSums> = HashMap::new();
    for sql in [overall, aspects] {
        let rows: Vec<SumRow> = diesel::sql_query(sql).load(conn)?;
        for r in rows {
            for (group, key) in [(&mut clerks, r.clerk_id), (&mut advisors, r.advisor_id)] {
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
        "SELECT t.clerk_id AS clerk_id, COUNT(DISTINCT t.event_id) AS n FROM tasks t JOIN events e ON e.id = t.event_id \
         WHERE t.kind = 'event_notice' AND e.starts_on BETWEEN '{}' AND '{}'{store} GROUP BY t.clerk_id",
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
