//! The queue read by its key, one page at a time (RULES.md, "Tasks"; issue 11).
//!
//! The queue for date D splits into two runs that follow each other in RULES.md's order:
//! what is open now (window started by D: overdue then due, both by window end — an overdue
//! task's end is before D, a due task's on or after it) and what is upcoming (window starting
//! after D, up to the look-ahead, by window start). Ties go by task id. Each run is read on
//! its own index (migration 000010) with `LIMIT` in SQL, one query per owner (the clerk and
//! whoever they cover), so a page costs the same whatever the length of the queue. Counts are
//! one aggregate query over the index, never the rows.
//!
//! The SQL is written out here because the plans matter (see `explain`): every value put
//! into it is a number, a date or a task kind's own fixed text, never user text.

use crate::db::DbConn;
use crate::domain::task::{TaskKind, TaskState};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};

/// The two runs of the queue, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Run {
    /// Window started by D (overdue and due), by window end.
    Now = 0,
    /// Window starts after D (upcoming), by window start.
    Later = 1,
}

impl Run {
    fn column(self) -> &'static str {
        match self {
            Run::Now => "window_end",
            Run::Later => "window_start",
        }
    }
}

/// A task's place in the queue for D: its run, the date it is ordered by, its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub run: Run,
    pub date: NaiveDate,
    pub id: i32,
}

/// What part of whose queue is read.
#[derive(Debug, Clone)]
pub struct Scope {
    pub store_id: i32,
    /// The clerks whose open tasks are in the queue (the clerk, those they cover).
    pub owners: Vec<i32>,
    pub date: NaiveDate,
    /// The last window start inside the look-ahead.
    pub horizon: NaiveDate,
    /// Only these kinds (empty: every kind).
    pub kinds: Vec<TaskKind>,
    /// Leave these kinds out (the page shows event notices as groups).
    pub without: Vec<TaskKind>,
    /// Only these states (empty: every state).
    pub states: Vec<TaskState>,
    /// Only the tasks about this event.
    pub event_id: Option<i32>,
}

fn kinds_sql(kinds: &[TaskKind]) -> String {
    kinds
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Scope {
    fn wants(&self, s: TaskState) -> bool {
        self.states.is_empty() || self.states.contains(&s)
    }

    /// Every owner, as SQL's list.
    fn owners_sql(&self) -> String {
        self.owners
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The conditions every part of the queue shares, for the given owners.
    fn base(&self, owners: &str) -> String {
        let d = self.date;
        let mut w = format!(
            "store_id = {} AND clerk_id IN ({owners}) AND status = 'open' \
             AND window_start <= '{}' AND (callback_on IS NULL OR callback_on <= '{d}')",
            self.store_id, self.horizon
        );
        if !self.kinds.is_empty() {
            w.push_str(&format!(" AND kind IN ({})", kinds_sql(&self.kinds)));
        }
        if !self.without.is_empty() {
            w.push_str(&format!(" AND kind NOT IN ({})", kinds_sql(&self.without)));
        }
        if let Some(e) = self.event_id {
            w.push_str(&format!(" AND event_id = {e}"));
        }
        w
    }

    /// The states asked for as one condition (None: all of them).
    fn states_sql(&self) -> Option<String> {
        if self.states.is_empty() {
            return None;
        }
        let d = self.date;
        let parts: Vec<String> = self
            .states
            .iter()
            .map(|s| match s {
                TaskState::Overdue => format!("window_end < '{d}'"),
                TaskState::Due => format!("(window_start <= '{d}' AND window_end >= '{d}')"),
                TaskState::Upcoming => format!("window_start > '{d}'"),
            })
            .collect();
        Some(format!("({})", parts.join(" OR ")))
    }

    /// The condition of a run with the states asked for, or None when the run is not asked.
    fn run_sql(&self, run: Run, sqlite: bool) -> Option<String> {
        let d = self.date;
        match run {
            Run::Now => {
                let (o, u) = (self.wants(TaskState::Overdue), self.wants(TaskState::Due));
                // SQLite: `+` keeps the window start out of the index choice, so the run is
                // read on the window-end index in its order (no sort, stops at LIMIT).
                let start = if sqlite {
                    "+window_start"
                } else {
                    "window_start"
                };
                let mut c = format!("{start} <= '{d}'");
                match (o, u) {
                    (true, true) => {}
                    (true, false) => c.push_str(&format!(" AND window_end < '{d}'")),
                    (false, true) => c.push_str(&format!(" AND window_end >= '{d}'")),
                    (false, false) => return None,
                }
                Some(c)
            }
            Run::Later => self
                .wants(TaskState::Upcoming)
                .then(|| format!("window_start > '{d}'")),
        }
    }
}

#[derive(QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Date)]
    k: NaiveDate,
}

/// Which way a page is read from its cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// The keys after the cursor, ascending.
    Forward,
    /// The keys before the cursor, descending.
    Backward,
}

/// The SQL of one owner's keys in one run, `limit` of them from `from` (exclusive).
fn keys_sql(
    s: &Scope,
    owner: i32,
    run: Run,
    from: Option<Key>,
    dir: Dir,
    limit: usize,
    sqlite: bool,
) -> Option<String> {
    let cond = s.run_sql(run, sqlite)?;
    let col = run.column();
    let mut sql = format!(
        "SELECT id, {col} AS k FROM tasks WHERE {} AND {cond}",
        s.base(&owner.to_string())
    );
    let (ge, gt, order) = match dir {
        Dir::Forward => (">=", ">", "ASC"),
        Dir::Backward => ("<=", "<", "DESC"),
    };
    if let Some(f) = from.filter(|f| f.run == run) {
        sql.push_str(&format!(
            " AND {col} {ge} '{d}' AND ({col} {gt} '{d}' OR id {gt} {id})",
            d = f.date,
            id = f.id
        ));
    }
    sql.push_str(&format!(
        " ORDER BY {col} {order}, id {order} LIMIT {limit}"
    ));
    Some(sql)
}

/// Up to `limit` keys of the queue after (Forward) or before (Backward) `from`, in that
/// direction's order. At most (runs × owners) queries, each stopping at `limit` rows.
pub fn keys(
    conn: &mut DbConn,
    s: &Scope,
    from: Option<Key>,
    dir: Dir,
    limit: usize,
) -> QueryResult<Vec<Key>> {
    let sqlite = conn.is_sqlite();
    let runs: Vec<Run> = match dir {
        Dir::Forward => vec![Run::Now, Run::Later],
        Dir::Backward => vec![Run::Later, Run::Now],
    };
    let mut out: Vec<Key> = Vec::new();
    for run in runs {
        // Runs before the cursor's (after it, backwards) have nothing to give.
        if let Some(f) = from {
            let skip = match dir {
                Dir::Forward => run < f.run,
                Dir::Backward => run > f.run,
            };
            if skip {
                continue;
            }
        }
        let mut got: Vec<Key> = Vec::new();
        for owner in &s.owners {
            let Some(sql) = keys_sql(s, *owner, run, from, dir, limit - out.len(), sqlite) else {
                continue;
            };
            let rows: Vec<KeyRow> = diesel::sql_query(sql).load(conn)?;
            got.extend(rows.into_iter().map(|r| Key {
                run,
                date: r.k,
                id: r.id,
            }));
        }
        got.sort();
        if dir == Dir::Backward {
            got.reverse();
        }
        got.truncate(limit - out.len());
        out.extend(got);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

/// The queue's figures for one kind, and what changes whenever one of its tasks changes.
#[derive(QueryableByName, Debug, Clone)]
pub struct KindCount {
    #[diesel(sql_type = Text)]
    pub kind: TaskKind,
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
    #[diesel(sql_type = BigInt)]
    pub due: i64,
    #[diesel(sql_type = BigInt)]
    pub upcoming: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub id_sum: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub attempts: Option<i64>,
    #[diesel(sql_type = BigInt)]
    pub callbacks: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub updated: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub callback: Option<String>,
}

/// Counts of the whole queue (filtered by kind, owner, event) by kind and state: one aggregate over the
/// window-start index, which holds every column it reads.
pub fn counts(conn: &mut DbConn, s: &Scope) -> QueryResult<Vec<KindCount>> {
    if s.owners.is_empty() {
        return Ok(Vec::new());
    }
    let d = s.date;
    let owners = s.owners_sql();
    let text = |c: &str| {
        if conn.is_sqlite() {
            format!("MAX({c})")
        } else {
            format!("CAST(MAX({c}) AS TEXT)")
        }
    };
    let (updated, callback) = (text("updated_at"), text("callback_at"));
    let mut sql = format!(
        "SELECT kind, COUNT(CASE WHEN window_end < '{d}' THEN 1 END) AS overdue, \
         COUNT(CASE WHEN window_start <= '{d}' AND window_end >= '{d}' THEN 1 END) AS due, \
         COUNT(CASE WHEN window_start > '{d}' THEN 1 END) AS upcoming, \
         CAST(SUM(id) AS BIGINT) AS id_sum, CAST(SUM(attempts) AS BIGINT) AS attempts, \
         COUNT(callback_at) AS callbacks, {updated} AS updated, {callback} AS callback \
         FROM tasks WHERE {}",
        s.base(&owners)
    );
    // Every state is counted (the caller keeps those asked for): the page shows all three.
    sql.push_str(" GROUP BY kind ORDER BY kind");
    diesel::sql_query(sql).load(conn)
}

/// The earliest call-back (X2) agreed for the queue's day that is still to come after `now`
/// (UTC): the moment the queue's rows change by themselves.
pub fn next_callback(
    conn: &mut DbConn,
    s: &Scope,
    now: chrono::NaiveDateTime,
) -> QueryResult<Option<chrono::NaiveDateTime>> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = Nullable<diesel::sql_types::Timestamp>)]
        t: Option<chrono::NaiveDateTime>,
    }
    if s.owners.is_empty() {
        return Ok(None);
    }
    let sql = format!(
        "SELECT MIN(callback_at) AS t FROM tasks WHERE {} AND callback_on = '{}' AND callback_at > ",
        s.base(&s.owners_sql()),
        s.date
    );
    let q = if conn.is_sqlite() {
        format!("{sql}?")
    } else {
        format!("{sql}$1")
    };
    let r: Next = diesel::sql_query(q)
        .bind::<diesel::sql_types::Timestamp, _>(now)
        .get_result(conn)?;
    Ok(r.t)
}

/// Event notice calls of one event in the queue, as the page shows them: one row.
#[derive(QueryableByName, Debug, Clone, serde::Serialize)]
pub struct EventGroup {
    #[diesel(sql_type = Integer)]
    pub event_id: i32,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = BigInt)]
    pub n: i64,
    /// The earliest window end among them: the last day to give notice.
    #[diesel(sql_type = Date)]
    pub due_by: NaiveDate,
    #[diesel(sql_type = Date)]
    pub first_start: NaiveDate,
}

/// The event notice calls of the (filtered) queue, one group per event, soonest deadline
/// first. One aggregate query; as many rows as there are events.
pub fn event_groups(conn: &mut DbConn, s: &Scope) -> QueryResult<Vec<EventGroup>> {
    if s.owners.is_empty() {
        return Ok(Vec::new());
    }
    let owners = s.owners_sql();
    let scope = Scope {
        kinds: vec![TaskKind::EventNotice],
        without: Vec::new(),
        ..s.clone()
    };
    let mut w = scope.base(&owners);
    if let Some(c) = scope.states_sql() {
        w.push_str(&format!(" AND {c}"));
    }
    let sql = format!(
        "SELECT q.event_id AS event_id, e.title AS title, q.n AS n, q.due_by AS due_by, \
         q.first_start AS first_start FROM (SELECT event_id, COUNT(*) AS n, \
         MIN(window_end) AS due_by, MIN(window_start) AS first_start FROM tasks WHERE {w} \
         AND event_id IS NOT NULL GROUP BY event_id) q JOIN events e ON e.id = q.event_id \
         ORDER BY q.due_by, q.event_id"
    );
    diesel::sql_query(sql).load(conn)
}

/// The query plans of a scope's first page and counts (`EXPLAIN QUERY PLAN` on SQLite,
/// `EXPLAIN` on PostgreSQL), for the tests and the benchmark notes.
pub fn explain(conn: &mut DbConn, s: &Scope) -> QueryResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Pg {
        #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
        line: String,
    }
    #[derive(QueryableByName)]
    struct Lite {
        #[diesel(sql_type = Text)]
        detail: String,
    }
    let sqlite = conn.is_sqlite();
    let mut out = Vec::new();
    let owner = s.owners.first().copied().unwrap_or(0);
    for run in [Run::Now, Run::Later] {
        if let Some(sql) = keys_sql(s, owner, run, None, Dir::Forward, 51, sqlite) {
            out.push(format!("-- {run:?}"));
            if sqlite {
                let rows: Vec<Lite> =
                    diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(conn)?;
                out.extend(rows.into_iter().map(|r| r.detail));
            } else {
                let rows: Vec<Pg> = diesel::sql_query(format!("EXPLAIN {sql}")).load(conn)?;
                out.extend(rows.into_iter().map(|r| r.line));
            }
        }
    }
    Ok(out)
}

/// The queue versions of these users (migration 000013: bumped by triggers on every write a
/// queue shows), in the order given; None when a user has no row (then nothing is cached).
/// One primary-key lookup each, on a prepared statement.
pub fn versions(conn: &mut DbConn, users: &[i32]) -> QueryResult<Option<Vec<i64>>> {
    use crate::db::schema::queue_versions as qv;
    let mut out = Vec::with_capacity(users.len());
    for u in users {
        match qv::table
            .find(*u)
            .select(qv::version)
            .first::<i64>(conn)
            .optional()?
        {
            Some(v) => out.push(v),
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}
