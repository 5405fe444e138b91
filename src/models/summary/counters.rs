//! The counters the summaries keep per store, clerk or advisor and month: rebuilt from the rows
//! (`rebuild`) and checked against them (`disagreements`, for `aftercare verify`).

use crate::db::DbConn;
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

/// The counters the summaries keep (migrations 000012, 000016, 000019): each table, the view
/// that says what it must hold (computed from the rows), and the columns a counter row is
/// keyed by.
const KEPT: [(&str, &str, &[&str]); 4] = [
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
    (
        "summary_letter_counts",
        "summary_letter_facts",
        &["store_id", "grp", "who", "month", "letter_kind"],
    ),
];

/// `aftercare summary rebuild [--from YYYY-MM]`: recomputes the counters (and the visits' neighbour dates) from the rows, of
/// every month from `from` on (all when `None`); returns the counter rows written. Run it in
/// one transaction.
pub fn rebuild(conn: &mut DbConn, from: Option<NaiveDate>) -> QueryResult<usize> {
    let since = from
        .map(|d| format!(" WHERE month >= '{d}'"))
        .unwrap_or_default();
    // X7: the visits' neighbour dates are not per month; all of them, written where they differ.
    let mut written = crate::models::visit::rebuild_neighbours(conn)?;
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

/// SQLite, for a bulk load (`demo generate`): the statements that count every counter from
/// the rows into tables of the attached schema `side`, run on a second connection that only
/// reads the database while the loading one builds its indexes on the other core; then
/// `put_back` puts them in place. The same views and keys as `rebuild`, so the two give the
/// same counters.
pub fn count_aside(side: &str) -> Vec<String> {
    KEPT.iter()
        .map(|(table, view, keys)| {
            let keys = keys.join(", ");
            format!(
                "CREATE TABLE {side}.{table} AS SELECT {keys}, COUNT(*) AS n FROM main.{view} GROUP BY {keys}"
            )
        })
        .collect()
}

/// The statements that replace every counter with those `count_aside` counted into `side`.
pub fn put_back(side: &str) -> Vec<String> {
    KEPT.iter()
        .flat_map(|(table, _, keys)| {
            let keys = keys.join(", ");
            [
                format!("DELETE FROM main.{table}"),
                format!(
                    "INSERT INTO main.{table} ({keys}, n) SELECT {keys}, n FROM {side}.{table}"
                ),
            ]
        })
        .collect()
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
