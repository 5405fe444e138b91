//! The queue for date D (RULES.md, "Tasks"): the open tasks the clerk owns, or covers on D
//! (R9), whose window starts no later than D + look-ahead, leaving out those with a call-back
//! (X2) agreed for after D; overdue, then due, each by window end; then upcoming by window
//! start; ties by task id. The same pages for the page and for `GET /api/v1/queue`.
//!
//! A page is read by its key (`models::queue`): the counts in one aggregate query, the page's
//! task ids on the queue indexes with `LIMIT`, then those tasks with what a row shows. The
//! cursor is the last key of the page, so tasks ending between two reads neither repeat nor
//! leave holes. The ETag comes from the counts query (what changes whenever a task of the
//! queue is worked), so an unchanged queue is answered `304` before any task is read.
//!
//! Just over 500 lines on purpose (30 of them its tests): the scope, counts, cursor, ETag and
//! rows of a page are one read, kept together so that a change to one is seen with the others.

use super::queue_cache::Stamp;
use super::Ctx;
use crate::db::DbConn;
use crate::domain::privacy::{shown, PhoneSight};
use crate::domain::task::{sort_queue, state_on, TaskKind, TaskState};
use crate::models::absence;
use crate::models::queue::{self as q, Dir, EventGroup, Key, Run, Scope};
use crate::models::task::{self, OpenFilter};
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Tasks a page holds when not asked otherwise, and at most (CONTRACT.md).
pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 500;

#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub id: i32,
    pub kind: TaskKind,
    pub customer_id: i32,
    pub customer_name: String,
    pub phone: String,
    /// R11: the number is shown whole (the page makes it a `tel:` link), not masked.
    pub phone_whole: bool,
    pub plate: Option<String>,
    pub vehicle_model: Option<String>,
    pub visit_id: Option<i32>,
    /// The item an escalation or solution call is about.
    pub item_id: Option<i32>,
    /// The event a notice call is about.
    pub event_id: Option<i32>,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub state: TaskState,
    /// R9: the absent clerk whose task this is, when covering.
    pub covering_for: Option<String>,
    /// X1: failed attempts so far.
    pub attempts: i32,
    /// The last contact: when (local, `YYYY-MM-DD HH:MM`) and how it ended.
    pub last_attempt_at: Option<String>,
    pub last_outcome: Option<String>,
    /// X2: the agreed call-back time (local), when there is one.
    pub callback_at: Option<String>,
    /// X2: the call-back agreed for a time on the queue's day (`HH:MM`).
    pub callback_time: Option<String>,
    /// X2: that time has come (the page lifts the row to the top).
    pub callback_now: bool,
    /// X4: the hours the customer takes calls.
    pub call_hours: Option<String>,
}

/// Whose tasks of the queue are asked for: all, the clerk's own, or one covered colleague's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Owner {
    #[default]
    All,
    Own,
    Covering(i32),
}

/// What is asked of the queue (parsed and checked by the caller).
#[derive(Debug, Clone, Hash)]
pub struct Params {
    pub date: NaiveDate,
    pub kinds: Vec<TaskKind>,
    pub states: Vec<TaskState>,
    pub owner: Owner,
    pub event_id: Option<i32>,
    /// The page: event notice calls as one row per event, not in the list.
    pub group_events: bool,
    pub limit: usize,
    pub after: Option<Key>,
    /// Also find where the previous page starts.
    pub want_prev: bool,
}

impl Params {
    pub fn new(date: NaiveDate) -> Params {
        Params {
            date,
            kinds: Vec::new(),
            states: Vec::new(),
            owner: Owner::All,
            event_id: None,
            group_events: false,
            limit: DEFAULT_LIMIT,
            after: None,
            want_prev: false,
        }
    }

    /// Whether the list leaves event notices out (shown as groups instead).
    fn grouping(&self) -> bool {
        self.group_events
            && self.event_id.is_none()
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| *k != TaskKind::EventNotice))
            && (self.kinds.is_empty() || self.kinds.contains(&TaskKind::EventNotice))
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    pub overdue: i64,
    pub due: i64,
    pub upcoming: i64,
    pub by_kind: BTreeMap<String, i64>,
}

impl Counts {
    pub fn total(&self) -> i64 {
        self.overdue + self.due + self.upcoming
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    pub date: NaiveDate,
    /// The clerks covered on this date (R9): id and name.
    pub covering: Vec<(i32, String)>,
    /// Whether the clerk is away on this date (their own tasks are then with the substitute).
    pub away: bool,
    /// The counts of the states asked for (CONTRACT.md) and of every state (the page).
    pub counts: Counts,
    pub all_counts: Counts,
    pub total: i64,
    /// Tasks of the list (without the grouped event notices when grouping).
    pub list_total: i64,
    pub tasks: Vec<QueueItem>,
    pub next: Option<String>,
    /// Where the previous page starts: None (no previous page), Some(None) (the first page).
    pub prev: Option<Option<String>>,
    pub groups: Vec<EventGroup>,
    pub etag: String,
    /// What the page was built on (the users whose queue versions it shows), read in the
    /// caller's snapshot (`db::snapshot`); None when a user has no version (not kept).
    pub stamp: Option<Stamp>,
    /// The local time at which a call-back of today comes due, so the page changes by itself.
    pub until: Option<chrono::NaiveDateTime>,
}

pub enum Answer {
    /// The queue is as the client has it (`If-None-Match`).
    NotModified(String),
    Page(Box<Page>),
}

/// The cursor of a key: opaque to clients (hex of `q1.RUN.DATE.ID`).
pub fn cursor(k: Key) -> String {
    hex::encode(format!("q1.{}.{}.{}", k.run as u8, k.date, k.id))
}

/// A cursor back to its key; None when it was not made by `cursor`.
pub fn parse_cursor(s: &str) -> Option<Key> {
    let raw = String::from_utf8(hex::decode(s.trim()).ok()?).ok()?;
    let mut p = raw.split('.');
    if p.next()? != "q1" {
        return None;
    }
    let run = match p.next()? {
        "0" => Run::Now,
        "1" => Run::Later,
        _ => return None,
    };
    let date: NaiveDate = p.next()?.parse().ok()?;
    let id: i32 = p.next()?.parse().ok()?;
    if p.next().is_some() || id < 0 {
        return None;
    }
    Some(Key { run, date, id })
}

/// Who is covered on `date` (id, name), whether the clerk is away, whose tasks are read.
type Owners = (Vec<(i32, String)>, bool, Vec<i32>);

/// Who is covered on `date` and whose tasks the queue holds.
fn owners(
    conn: &mut DbConn,
    store_id: i32,
    clerk_id: i32,
    date: NaiveDate,
    owner: Owner,
) -> QueryResult<Owners> {
    let covered = absence::covered_by(conn, store_id, clerk_id, date)?;
    let away = absence::of_clerk_on(conn, clerk_id, date)?.is_some();
    let mut ids: Vec<i32> = Vec::new();
    if !away && matches!(owner, Owner::All | Owner::Own) {
        ids.push(clerk_id);
    }
    for (c, _) in &covered {
        if owner == Owner::All || owner == Owner::Covering(*c) {
            ids.push(*c);
        }
    }
    Ok((covered, away, ids))
}

fn scope(ctx: &Ctx, store_id: i32, owners: Vec<i32>, p: &Params) -> Scope {
    Scope {
        store_id,
        owners,
        date: p.date,
        horizon: ctx.cadence().queue_horizon(p.date),
        kinds: p.kinds.clone(),
        without: Vec::new(),
        states: p.states.clone(),
        event_id: p.event_id,
    }
}

/// The counts of a clerk's queue on `date`, including what they cover (the supervisor's
/// overview; one aggregate query).
pub fn counts_of(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: i32,
    clerk_id: i32,
    date: NaiveDate,
) -> QueryResult<Counts> {
    let (_, _, ids) = owners(conn, store_id, clerk_id, date, Owner::All)?;
    let s = scope(ctx, store_id, ids, &Params::new(date));
    Ok(counts(&q::counts(conn, &s)?, &[]))
}

/// What the substitute's queue on `from` will be once they cover `clerk_id` (R9): their
/// counts now and with the absent clerk's tasks added.
pub fn cover_preview(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: i32,
    clerk_id: i32,
    substitute_id: i32,
    from: NaiveDate,
) -> QueryResult<(Counts, Counts)> {
    let (_, _, mut ids) = owners(conn, store_id, substitute_id, from, Owner::All)?;
    let p = Params::new(from);
    let before = counts(
        &q::counts(conn, &scope(ctx, store_id, ids.clone(), &p))?,
        &[],
    );
    if !ids.contains(&clerk_id) {
        ids.push(clerk_id);
    }
    let after = counts(&q::counts(conn, &scope(ctx, store_id, ids, &p))?, &[]);
    Ok((before, after))
}

/// The counts of the states asked for (empty: all), in total and by kind.
fn counts(rows: &[q::KindCount], states: &[TaskState]) -> Counts {
    let wants = |s: TaskState| states.is_empty() || states.contains(&s);
    let mut c = Counts::default();
    for r in rows {
        let o = if wants(TaskState::Overdue) {
            r.overdue
        } else {
            0
        };
        let d = if wants(TaskState::Due) { r.due } else { 0 };
        let u = if wants(TaskState::Upcoming) {
            r.upcoming
        } else {
            0
        };
        c.overdue += o;
        c.due += d;
        c.upcoming += u;
        if o + d + u > 0 {
            c.by_kind.insert(r.kind.as_str().to_string(), o + d + u);
        }
    }
    c
}

/// The tag of a page: who asks, what, whose tasks, the queue versions it was built on, the
/// next call-back coming due today, and the counts query's figures (the number, ids,
/// attempts, last change and call-backs of the open tasks, per kind).
fn etag(
    viewer: Option<i32>,
    clerk_id: i32,
    p: &Params,
    ids: &[i32],
    stamp: Option<&Stamp>,
    until: Option<chrono::NaiveDateTime>,
    rows: &[q::KindCount],
) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "{viewer:?}|{clerk_id}|{p:?}|{ids:?}|{stamp:?}|{until:?}|"
    ));
    for r in rows {
        h.update(format!("{r:?}|"));
    }
    format!("\"q{}\"", hex::encode(&h.finalize()[..12]))
}

/// Whether `If-None-Match` names this tag.
pub fn matches(if_none_match: Option<&str>, tag: &str) -> bool {
    if_none_match.is_some_and(|h| {
        h.split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == tag || t == "*")
    })
}

/// One page of `clerk_id`'s queue in `store_id`, as `viewer` (with `sight`) may see it.
#[allow(clippy::too_many_arguments)]
pub fn page(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: i32,
    clerk_id: i32,
    viewer: Option<i32>,
    sight: &PhoneSight,
    p: &Params,
    if_none_match: Option<&str>,
) -> QueryResult<Answer> {
    let (covering, away, ids) = owners(conn, store_id, clerk_id, p.date, p.owner)?;
    // Whose queue versions this page shows: the viewer (their sight, their name), the clerk
    // (their absences, their cover), everyone covered, the colleague asked for.
    let mut users: Vec<i32> = viewer.into_iter().chain([clerk_id]).collect();
    users.extend(covering.iter().map(|(c, _)| *c));
    if let Owner::Covering(c) = p.owner {
        users.push(c);
    }
    let stamp = Stamp::read(conn, &users)?;
    let mut s = scope(ctx, store_id, ids.clone(), p);
    let rows = q::counts(conn, &s)?;
    // X2: a call-back of today whose time is still to come changes the page when it comes.
    let until = if p.date == ctx.clock.today() {
        q::next_callback(conn, &s, ctx.clock.now_utc())?.map(|t| ctx.clock.to_local(t))
    } else {
        None
    };
    let tag = etag(viewer, clerk_id, p, &ids, stamp.as_ref(), until, &rows);
    if matches(if_none_match, &tag) {
        return Ok(Answer::NotModified(tag));
    }
    let all_counts = counts(&rows, &[]);
    let counts = counts(&rows, &p.states);
    let total = counts.total();
    let mut list_total = total;
    let mut groups = Vec::new();
    if p.grouping() {
        groups = q::event_groups(conn, &s)?;
        list_total -= counts
            .by_kind
            .get(TaskKind::EventNotice.as_str())
            .copied()
            .unwrap_or(0);
        s.without = vec![TaskKind::EventNotice];
    }
    let limit = p.limit.clamp(1, MAX_LIMIT);
    let mut keys = q::keys(conn, &s, p.after, Dir::Forward, limit + 1)?;
    let next = (keys.len() > limit).then(|| cursor(keys[limit - 1]));
    keys.truncate(limit);
    let prev = match (p.want_prev, p.after) {
        (true, Some(a)) => {
            // The keys up to and including the cursor, backwards: the previous page ends there.
            let upto = Key { id: a.id + 1, ..a };
            let back = q::keys(conn, &s, Some(upto), Dir::Backward, limit + 1)?;
            if back.is_empty() {
                None
            } else {
                Some(back.get(limit).map(|k| cursor(*k)))
            }
        }
        _ => None,
    };
    let tasks = items(conn, ctx, clerk_id, sight, p.date, &keys)?;
    Ok(Answer::Page(Box::new(Page {
        date: p.date,
        covering,
        away,
        counts,
        all_counts,
        total,
        list_total,
        tasks,
        next,
        prev,
        groups,
        etag: tag,
        stamp,
        until,
    })))
}

/// The tasks of a page's keys, with what a row shows, in the queue's order.
fn items(
    conn: &mut DbConn,
    ctx: &Ctx,
    clerk_id: i32,
    sight: &PhoneSight,
    date: NaiveDate,
    keys: &[Key],
) -> QueryResult<Vec<QueueItem>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = keys.iter().map(|k| k.id).collect();
    let rows = task::open_list(
        conn,
        &OpenFilter {
            ids: Some(&ids),
            ..OpenFilter::default()
        },
    )?;
    let mine = sight.may_see(Some(clerk_id));
    let clock = ctx.clock;
    let now = clock.now_local();
    let fmt = |t: chrono::NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
    let mut tasks: Vec<QueueItem> = rows
        .into_iter()
        .map(|r| {
            let t = r.task;
            // The queue's own clerk works every task in it (their own and those they cover).
            let whole = mine || sight.may_see(Some(t.clerk_id));
            let cb_local = t.callback_at.map(|c| clock.to_local(c));
            let cb_today = cb_local.filter(|c| c.date() == date);
            QueueItem {
                state: state_on(t.window(), date),
                covering_for: (t.clerk_id != clerk_id).then(|| r.clerk_name.clone()),
                id: t.id,
                kind: t.kind,
                customer_id: t.customer_id,
                customer_name: r.customer_name,
                phone: shown(whole, &r.phone),
                phone_whole: whole,
                plate: r.plate,
                vehicle_model: r.vehicle_model,
                visit_id: t.visit_id,
                item_id: t.item_id,
                event_id: t.event_id,
                window_start: t.window_start,
                window_end: t.window_end,
                attempts: t.attempts,
                last_attempt_at: t.last_attempt_at.map(fmt),
                last_outcome: t.last_outcome.clone(),
                callback_at: t.callback_at.map(fmt),
                callback_time: cb_today.map(|c| c.format("%H:%M").to_string()),
                callback_now: date == clock.today() && cb_today.is_some_and(|c| c <= now),
                call_hours: r.call_hours,
            }
        })
        .collect();
    sort_queue(&mut tasks, date, |t| {
        let w = crate::domain::cadence::Window {
            start: t.window_start,
            end: t.window_end,
        };
        (w, t.id)
    });
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_cursors_round_trip_and_refuse_anything_else() {
        let k = Key {
            run: Run::Later,
            date: "2026-11-23".parse().unwrap(),
            id: 42,
        };
        assert_eq!(parse_cursor(&cursor(k)), Some(k));
        for bad in [
            "",
            "zz",
            "abc",
            &hex::encode("q1.2.2026-11-23.1"),
            &hex::encode("q1.0.2026-13-01.1"),
            &hex::encode("q1.0.2026-11-01.x"),
            &hex::encode("q2.0.2026-11-01.1"),
        ] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }

    #[test]
    fn queue_if_none_match_lists_and_weak_tags() {
        assert!(matches(Some("\"a\", \"qx\""), "\"qx\""));
        assert!(matches(Some("W/\"qx\""), "\"qx\""));
        assert!(!matches(Some("\"qy\""), "\"qx\""));
        assert!(!matches(None, "\"qx\""));
    }
}
