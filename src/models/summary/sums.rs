//! X6: the satisfaction sums (overall scores and each aspect's) per clerk and per advisor, from
//! the answers or, for whole months, from their counters.

use super::scope::{advisor_group, counter_scope, whole_months, with_joins, Scope, Source};
use crate::db::DbConn;
use crate::domain::summary::SatisfactionSums;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use std::collections::HashMap;

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
