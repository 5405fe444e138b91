//! The figures a clerk's scorecard counts beside the summary's: the events they gave notice
//! of, the tasks overdue at the period's end, the days each item took to close.

use super::scope::{advisor_group, with_joins, Scope, Source};
use crate::db::DbConn;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable};
use std::collections::HashMap;

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
