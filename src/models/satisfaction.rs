//! Beyond the regulation: the satisfaction asked on a call (X6), the reason a lost customer gave
//! (X7), the customers lost on a date (X7), and the service advisors the admin keeps (X8).

use crate::db::schema::{advisors, call_satisfaction, satisfaction_aspects, win_back_answers};
use crate::db::DbConn;
use crate::domain::satisfaction::Satisfaction;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable};
use serde::Serialize;

/// X6: who and what a satisfaction answer counts for.
pub struct Asked {
    pub call_record_id: i32,
    pub store_id: i32,
    pub customer_id: i32,
    pub called_on: NaiveDate,
    pub handled_by_id: i32,
    pub advisor_id: Option<i32>,
}

/// X6: stores the answer of a call, and each aspect on its own row (for the means).
pub fn insert(conn: &mut DbConn, a: &Asked, s: &Satisfaction) -> QueryResult<()> {
    diesel::insert_into(call_satisfaction::table)
        .values((
            call_satisfaction::call_record_id.eq(a.call_record_id),
            call_satisfaction::store_id.eq(a.store_id),
            call_satisfaction::customer_id.eq(a.customer_id),
            call_satisfaction::called_on.eq(a.called_on),
            call_satisfaction::handled_by_id.eq(a.handled_by_id),
            call_satisfaction::advisor_id.eq(a.advisor_id),
            call_satisfaction::score.eq(s.score().map(i32::from)),
            call_satisfaction::declined.eq(s.score().is_none()),
            call_satisfaction::aspects.eq(s.aspects_text()),
        ))
        .execute(conn)?;
    for (k, v) in &s.aspects {
        diesel::insert_into(satisfaction_aspects::table)
            .values((
                satisfaction_aspects::call_record_id.eq(a.call_record_id),
                satisfaction_aspects::aspect.eq(k),
                satisfaction_aspects::score.eq(i32::from(*v)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// X6: the answer of one call as the registers show it: `4`, `declined` (None: not asked).
pub fn of_call(conn: &mut DbConn, call_record_id: i32) -> QueryResult<Option<String>> {
    Ok(call_satisfaction::table
        .find(call_record_id)
        .select((call_satisfaction::score, call_satisfaction::aspects))
        .first::<(Option<i32>, String)>(conn)
        .optional()?
        .map(|(score, aspects)| display(score, &aspects)))
}

/// X6: a call's answer as one cell: `4 (reception=5,on_time=4)`, or `declined`.
pub fn display(score: Option<i32>, aspects: &str) -> String {
    match (score, aspects.is_empty()) {
        (None, _) => "declined".into(),
        (Some(s), true) => s.to_string(),
        (Some(s), false) => format!("{s} ({aspects})"),
    }
}

/// X7: the reason a lost customer gave on the reached win-back call.
pub fn insert_win_back(
    conn: &mut DbConn,
    call_record_id: i32,
    task_id: i32,
    reason: &str,
    text: &str,
) -> QueryResult<()> {
    diesel::insert_into(win_back_answers::table)
        .values((
            win_back_answers::call_record_id.eq(call_record_id),
            win_back_answers::task_id.eq(task_id),
            win_back_answers::reason.eq(reason),
            win_back_answers::text.eq(text),
        ))
        .execute(conn)
        .map(|_| ())
}

/// X7: the SQL of "the customer's latest visit up to `on`, whose A10 is before `before`, not
/// merged away": the customers lost on `on` (`before` = `on` − lost_after_days), as `FROM …
/// WHERE …` over `cu` (the customer) and `lv` (the latest visit). Shared by the job and the
/// summaries, so "lost" means one thing.
pub fn lost_from(on: NaiveDate, before: NaiveDate, store_id: Option<i32>) -> String {
    let store = store_id
        .map(|s| format!(" AND cu.store_id = {s}"))
        .unwrap_or_default();
    // Driven from the latest visits as of `on` (migration 000017: no next visit, or one after
    // `on`), read by A10 on `visits_latest` — the customers already lost, not all 200,000
    // searched for their latest visit (issue 14). Two ranges, one per branch, so each is an
    // index range on both backends.
    // Each branch selects only columns of `visits_latest`, so the visits themselves are not
    // read (the lines behind the figure join them for their items).
    let latest = |next: &str| {
        format!(
            "SELECT id, customer_id, advisor_id, visit_date, next_maintenance_date FROM visits \
             WHERE {next} AND next_maintenance_date < '{before}' AND visit_date <= '{on}'"
        )
    };
    format!(
        "FROM ({} UNION ALL {}) lv \
         JOIN customers cu ON cu.id = lv.customer_id \
         WHERE cu.merged_into_id IS NULL{store} \
         AND NOT EXISTS (SELECT 1 FROM anonymisations an WHERE an.customer_id = cu.id)",
        latest("next_visit_on IS NULL"),
        latest(&format!("next_visit_on > '{on}'")),
    )
}

#[derive(QueryableByName, Debug, Clone)]
pub struct Lost {
    #[diesel(sql_type = Integer)]
    pub customer_id: i32,
    #[diesel(sql_type = Integer)]
    pub store_id: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    pub clerk_id: Option<i32>,
    #[diesel(sql_type = Integer)]
    pub visit_id: i32,
}

/// X7: the customers lost on `on` who may be called (they have a clerk and take calls, X4) and
/// have had no win-back task since `since` — at most one a customer per lost_after_days.
pub fn lost_to_win_back(
    conn: &mut DbConn,
    on: NaiveDate,
    before: NaiveDate,
    since: NaiveDate,
) -> QueryResult<Vec<Lost>> {
    let sql = format!(
        "SELECT cu.id AS customer_id, cu.store_id AS store_id, cu.clerk_id AS clerk_id, lv.id AS visit_id {} \
         AND cu.clerk_id IS NOT NULL AND cu.no_calls = FALSE \
         AND NOT EXISTS (SELECT 1 FROM tasks wt WHERE wt.kind = 'win_back' AND wt.customer_id = cu.id \
         AND wt.window_start > '{since}') ORDER BY cu.id",
        lost_from(on, before, None)
    );
    diesel::sql_query(sql).load(conn)
}

/// X7: whether a customer is lost on `on`.
pub fn is_lost(
    conn: &mut DbConn,
    customer_id: i32,
    on: NaiveDate,
    before: NaiveDate,
) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!(
        "SELECT COUNT(*) AS n {} AND cu.id = {customer_id}",
        lost_from(on, before, None)
    );
    Ok(diesel::sql_query(sql).get_result::<N>(conn)?.n > 0)
}

// X8: advisors -----------------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = advisors)]
pub struct Advisor {
    pub id: i32,
    pub store_id: i32,
    pub name: String,
    pub norm_name: String,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
}

/// The advisors of a store (or all), by name.
pub fn list(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Vec<Advisor>> {
    let mut q = advisors::table
        .select(Advisor::as_select())
        .order((advisors::store_id, advisors::name, advisors::id))
        .into_boxed();
    if let Some(s) = store_id {
        q = q.filter(advisors::store_id.eq(s));
    }
    q.load(conn)
}

pub fn by_norm(conn: &mut DbConn, store_id: i32, norm: &str) -> QueryResult<Option<Advisor>> {
    advisors::table
        .filter(advisors::store_id.eq(store_id))
        .filter(advisors::norm_name.eq(norm))
        .select(Advisor::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Advisor>> {
    advisors::table
        .find(id)
        .select(Advisor::as_select())
        .first(conn)
        .optional()
}

pub fn insert_advisor(
    conn: &mut DbConn,
    store_id: i32,
    name: &str,
    norm: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(advisors::table)
        .values((
            advisors::store_id.eq(store_id),
            advisors::name.eq(name),
            advisors::norm_name.eq(norm),
            advisors::disabled.eq(false),
            advisors::created_at.eq(now),
        ))
        .returning(advisors::id)
        .get_result(conn)
}

pub fn set_disabled(conn: &mut DbConn, id: i32, disabled: bool) -> QueryResult<usize> {
    diesel::update(advisors::table.find(id))
        .set(advisors::disabled.eq(disabled))
        .execute(conn)
}

/// Visits whose advisor text matches `norm` but is not linked yet (typed before the advisor
/// was added to the list): linked now.
pub fn link_visits(conn: &mut DbConn, store_id: i32, id: i32, norm: &str) -> QueryResult<usize> {
    use crate::db::schema::visits;
    let unlinked: Vec<(i32, Option<String>)> = visits::table
        .filter(visits::store_id.eq(store_id))
        .filter(visits::advisor_id.is_null())
        .filter(visits::advisor.is_not_null())
        .select((visits::id, visits::advisor))
        .load(conn)?;
    let ids: Vec<i32> = unlinked
        .into_iter()
        .filter(|(_, a)| {
            a.as_deref()
                .is_some_and(|a| crate::domain::satisfaction::normalise_name(a) == norm)
        })
        .map(|(id, _)| id)
        .collect();
    diesel::update(visits::table.filter(visits::id.eq_any(&ids)))
        .set(visits::advisor_id.eq(id))
        .execute(conn)
}

/// X8: the advisor names on visits that match no advisor of the list, with how many visits.
pub fn unmatched(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Vec<(String, i64)>> {
    use crate::db::schema::visits;
    let mut q = visits::table
        .filter(visits::advisor_id.is_null())
        .filter(visits::advisor.is_not_null())
        .group_by(visits::advisor)
        .select((visits::advisor, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(s) = store_id {
        q = q.filter(visits::store_id.eq(s));
    }
    let rows: Vec<(Option<String>, i64)> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, n)| a.map(|a| (a, n)))
        .collect())
}
