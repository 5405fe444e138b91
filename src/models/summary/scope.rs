//! What a summary counts (`Scope`), the tables its figures count rows of (`Source`) with each
//! one's `FROM … WHERE <in scope>`, its joins and columns, and the same scope over the counters.

use chrono::NaiveDate;

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
    pub(super) const ALL: [Source; 8] = [
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
    pub(super) fn advisor(self) -> (&'static str, &'static str) {
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
    pub(super) fn base(self, s: &Scope) -> (String, &'static str) {
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
    pub(super) fn line_columns(self) -> &'static str {
        match self {
            Source::Tasks => "t.id AS id, CAST(t.window_end AS TEXT) AS on_date, t.kind AS reference, cu.name AS customer, u.display_name AS clerk, CAST(t.done_on AS TEXT) AS detail, COALESCE(t.close_reason, t.status) AS status, t.customer_id AS customer_id",
            Source::Visits => "v.id AS id, CAST(v.visit_date AS TEXT) AS on_date, v.kind AS reference, cu.name AS customer, u.display_name AS clerk, v.items AS detail, CAST(NULL AS TEXT) AS status, v.customer_id AS customer_id",
            Source::Calls => "c.id AS id, CAST(c.called_on AS TEXT) AS on_date, c.register_no AS reference, c.customer_name AS customer, c.handled_by AS clerk, c.category AS detail, c.outcome AS status, CAST(NULL AS INTEGER) AS customer_id",
            Source::Items => "i.id AS id, CAST(i.raised_on AS TEXT) AS on_date, i.kind AS reference, cu.name AS customer, u.display_name AS clerk, i.text AS detail, i.status AS status, i.customer_id AS customer_id",
            Source::Letters => "l.id AS id, CAST(l.sent_on AS TEXT) AS on_date, l.register_no AS reference, l.customer_name AS customer, l.handled_by AS clerk, l.subject AS detail, l.letter_kind AS status, l.customer_id AS customer_id",
            Source::Events => "e.id AS id, CAST(e.starts_on AS TEXT) AS on_date, e.kind AS reference, CAST(NULL AS TEXT) AS customer, CAST(NULL AS TEXT) AS clerk, e.title AS detail, CAST(NULL AS TEXT) AS status, CAST(NULL AS INTEGER) AS customer_id",
            Source::Satisfaction => "cs.call_record_id AS id, CAST(cs.called_on AS TEXT) AS on_date, cr.record_no AS reference, cr.customer_name AS customer, cr.handled_by AS clerk, cs.aspects AS detail, COALESCE(CAST(cs.score AS TEXT), 'declined') AS status, cs.customer_id AS customer_id",
            Source::Lost => "cu.id AS id, CAST(lv.next_maintenance_date AS TEXT) AS on_date, CAST(lv.visit_date AS TEXT) AS reference, cu.name AS customer, u.display_name AS clerk, lvi.items AS detail, CAST(NULL AS TEXT) AS status, cu.id AS customer_id",
        }
    }

    /// The joins a line needs for its customer's and clerk's names.
    pub(super) fn line_joins(self) -> (&'static str, &'static str) {
        match self {
            Source::Tasks => ("LEFT JOIN customers cu ON cu.id = t.customer_id LEFT JOIN users u ON u.id = t.clerk_id", "FROM tasks t"),
            Source::Visits => ("LEFT JOIN customers cu ON cu.id = v.customer_id LEFT JOIN users u ON u.id = a.clerk_id", "WHERE"),
            Source::Items => ("LEFT JOIN customers cu ON cu.id = i.customer_id LEFT JOIN users u ON u.id = i.clerk_id", "FROM items i"),
            Source::Satisfaction => ("LEFT JOIN call_records cr ON cr.id = cs.call_record_id", "FROM call_satisfaction cs"),
            Source::Lost => ("JOIN visits lvi ON lvi.id = lv.id LEFT JOIN users u ON u.id = cu.clerk_id", "JOIN customers cu ON cu.id = lv.customer_id"),
            _ => ("", ""),
        }
    }
}

/// Puts the joins a grouping or a filter needs right after the source's own FROM.
pub(super) fn with_joins(base: String, joins: &str) -> String {
    if joins.is_empty() {
        base
    } else {
        base.replacen(" WHERE ", &format!(" {joins} WHERE "), 1)
    }
}

/// The grouping by service advisor (X8) when the scope asks for it: joins and column.
pub(super) fn advisor_group(src: Source, s: &Scope) -> (&'static str, &'static str) {
    if s.advisors {
        src.advisor()
    } else {
        ("", "CAST(NULL AS INTEGER)")
    }
}

/// Whether a scope covers whole months (the counters' grain).
pub(super) fn whole_months(s: &Scope) -> bool {
    use chrono::Datelike;
    s.from.day() == 1 && s.to.succ_opt().is_none_or(|d| d.day() == 1)
}

/// Over the counters under alias `a`: the columns naming a row's group (`is_clerk`,
/// `clerk_id`, `advisor_id`; advisor 0 is none) and the condition that a row is of the scope
/// (its months, its store, the advisors' rows only when the scope asks for them).
pub(super) fn counter_scope(s: &Scope, a: &str) -> (String, String) {
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
