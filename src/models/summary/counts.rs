//! The counted figures of a scope per clerk and per service advisor: one aggregate query per
//! source over the rows, or, for whole months, sums over the counters kept per month.

use super::predicates::{
    call_predicate, letter_predicate, predicate, satisfaction_predicate, task_predicate, CallCols,
    SatisfactionCols, TaskCols,
};
use super::scope::{advisor_group, counter_scope, whole_months, with_joins, Scope, Source};
use crate::db::DbConn;
use crate::domain::summary::COUNTED;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable};
use std::collections::HashMap;

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

/// Every counted figure of a scope, per clerk and per service advisor (X8; `None`: rows of no
/// clerk or no advisor). The task, call, satisfaction and letter figures of whole months come from the
/// counters (`from_counters`); everything else, and everything when `from_rows` is asked for, is
/// counted from the rows: one aggregate query per source, grouped by clerk and advisor at once.
pub fn counts(conn: &mut DbConn, s: &Scope) -> QueryResult<(ByClerk, ByClerk)> {
    counts_with(conn, s, true)
}

/// `counts`, choosing whether the task, call, satisfaction and letter figures come from the counters
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
        if use_counters {
            let kept = counter_predicates(src, s, &figs);
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
        let narrowed = use_counters && src == Source::Tasks;
        let narrow = if narrowed {
            let any: Vec<String> = figs.iter().map(|(_, p)| format!("({p})")).collect();
            format!(" AND ({})", any.join(" OR "))
        } else {
            String::new()
        };
        let cols: Vec<String> = (0..WIDTH)
            .map(|i| match figs.get(i) {
                // One figure left, and the rows already narrowed to it: its condition (an
                // EXISTS for X5's return) is not evaluated a second time for each row.
                Some(_) if narrowed && figs.len() == 1 => format!("COUNT(*) AS c{i}"),
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

/// Of the figures `figs` of a source, those its counters keep, each as a predicate over the
/// counters' columns (none for a source without counters).
fn counter_predicates(
    src: Source,
    s: &Scope,
    figs: &[(&'static str, String)],
) -> Vec<(&'static str, String)> {
    figs.iter()
        .filter_map(|(k, _)| {
            let p = match src {
                Source::Tasks => task_predicate(k, s, &TaskCols::counters()),
                Source::Calls => call_predicate(k, &CallCols::counters()),
                Source::Satisfaction => satisfaction_predicate(k, &SatisfactionCols::counters()),
                Source::Letters => letter_predicate(k),
                _ => None,
            };
            p.map(|p| (*k, p))
        })
        .collect()
}

/// The task, call, satisfaction or letter figures `figs` of a whole-month scope, summed from
/// the counters (one row per store, clerk or advisor, month and the facts a figure looks at;
/// migrations 000012, 000016, 000019).
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
        Source::Letters => ("summary_letter_counts", "l"),
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

#[derive(QueryableByName, Debug)]
struct CounterRow {
    #[diesel(sql_type = Integer)]
    is_clerk: i32,
    #[diesel(embed)]
    counts: Counts,
}
