//! The queue for date D (RULES.md, "Tasks"): the open tasks the clerk owns, or covers on D
//! (R9), whose window starts no later than D + look-ahead, leaving out those with a call-back
//! (X2) agreed for after D; overdue, then due, each by window end; then upcoming by window
//! start; ties by task id. The same list for the page and for `GET /api/v1/queue`.

use super::Ctx;
use crate::db::DbConn;
use crate::domain::privacy::{shown, PhoneSight};
use crate::domain::task::{queue_key, state_on, TaskState};
use crate::models::absence;
use crate::models::task::{self, OpenFilter};
use chrono::NaiveDate;
use diesel::QueryResult;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub id: i32,
    pub kind: String,
    pub customer_id: i32,
    pub customer_name: String,
    pub phone: String,
    pub plate: Option<String>,
    pub vehicle_model: Option<String>,
    pub visit_id: Option<i32>,
    /// The item an escalation or solution call is about.
    pub item_id: Option<i32>,
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
    /// X4: the hours the customer takes calls.
    pub call_hours: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Queue {
    pub date: NaiveDate,
    /// The clerks covered on this date (R9).
    pub covering: Vec<String>,
    /// Whether the clerk is away on this date (their own tasks are then with the substitute).
    pub away: bool,
    pub tasks: Vec<QueueItem>,
}

impl Queue {
    pub fn count(&self, s: TaskState) -> usize {
        self.tasks.iter().filter(|t| t.state == s).count()
    }
}

/// The queue of `clerk_id` in `store_id` for `date`. Two queries: who is covered, then the
/// tasks (one query, whatever the number of rows).
pub fn for_clerk(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: i32,
    clerk_id: i32,
    date: NaiveDate,
    sight: &PhoneSight,
) -> QueryResult<Queue> {
    let covered = absence::covered_by(conn, store_id, clerk_id, date)?;
    let away = absence::of_clerk_on(conn, clerk_id, date)?.is_some();
    let mut owners: Vec<i32> = covered.iter().map(|(c, _)| *c).collect();
    if !away {
        owners.push(clerk_id);
    }
    let rows = if owners.is_empty() {
        Vec::new()
    } else {
        task::open_list(
            conn,
            &OpenFilter {
                store_id: Some(store_id),
                clerks: &owners,
                horizon: Some(ctx.cadence().queue_horizon(date)),
                callback_not_after: Some(date),
                ..OpenFilter::default()
            },
        )?
    };
    let mine = sight.may_see(Some(clerk_id));
    let clock = ctx.clock;
    let fmt = |t: chrono::NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
    let mut tasks: Vec<QueueItem> = rows
        .into_iter()
        .map(|r| {
            let t = r.task;
            QueueItem {
                state: state_on(t.window(), date),
                covering_for: (t.clerk_id != clerk_id).then(|| r.clerk_name.clone()),
                id: t.id,
                kind: t.kind.clone(),
                customer_id: t.customer_id,
                customer_name: r.customer_name,
                // The queue's own clerk works every task in it (their own and those they cover).
                phone: shown(mine || sight.may_see(Some(t.clerk_id)), &r.phone),
                plate: r.plate,
                vehicle_model: r.vehicle_model,
                visit_id: t.visit_id,
                item_id: t.item_id,
                window_start: t.window_start,
                window_end: t.window_end,
                attempts: t.attempts,
                last_attempt_at: t.last_attempt_at.map(fmt),
                last_outcome: t.last_outcome.clone(),
                callback_at: t.callback_at.map(fmt),
                call_hours: r.call_hours,
            }
        })
        .collect();
    tasks.sort_by(|a, b| {
        let wa = crate::domain::cadence::Window {
            start: a.window_start,
            end: a.window_end,
        };
        let wb = crate::domain::cadence::Window {
            start: b.window_start,
            end: b.window_end,
        };
        queue_key(wa, date)
            .cmp(&queue_key(wb, date))
            .then(a.id.cmp(&b.id))
    });
    Ok(Queue {
        date,
        covering: covered.into_iter().map(|(_, n)| n).collect(),
        away,
        tasks,
    })
}
