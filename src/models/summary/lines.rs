//! The lines behind a figure (the rows its predicate takes, with names) and the clerks a
//! summary names.

use super::predicates::predicate;
use super::scope::{with_joins, Scope, Source};
use crate::db::schema::users;
use crate::db::DbConn;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text};
use serde::Serialize;

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
