//! Tasks: what a clerk must do, with a window fixed when the task was created.

use crate::db::schema::{customers, tasks, users, vehicles, visits};
use crate::db::DbConn;
use crate::domain::cadence::Window;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tasks)]
pub struct Task {
    pub id: i32,
    pub store_id: i32,
    pub kind: TaskKind,
    pub customer_id: i32,
    pub visit_id: Option<i32>,
    pub clerk_id: i32,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub status: TaskStatus,
    pub close_reason: Option<CloseReason>,
    pub done_at: Option<NaiveDateTime>,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<i32>,
    pub attempts: i32,
    pub callback_at: Option<NaiveDateTime>,
    pub planned_contact_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// X2: the customer asked to be called back then (local date in `callback_on`).
    pub callback_on: Option<NaiveDate>,
    pub last_attempt_at: Option<NaiveDateTime>,
    pub last_outcome: Option<String>,
    /// The item an escalation or solution call is about (R4c, R4d).
    pub item_id: Option<i32>,
    /// The event a notice call or letter is about (R6).
    pub event_id: Option<i32>,
    /// Why a task was closed (a waived letter's reason).
    pub note: Option<String>,
}

impl Task {
    pub fn window(&self) -> Window {
        Window {
            start: self.window_start,
            end: self.window_end,
        }
    }
}

pub struct NewTask {
    pub store_id: i32,
    pub kind: TaskKind,
    pub customer_id: i32,
    pub visit_id: Option<i32>,
    pub clerk_id: i32,
    pub window: Window,
    pub planned_contact_id: Option<i32>,
    pub item_id: Option<i32>,
    pub event_id: Option<i32>,
}

pub fn insert(conn: &mut DbConn, t: &NewTask, now: NaiveDateTime) -> QueryResult<i32> {
    diesel::insert_into(tasks::table)
        .values((
            tasks::store_id.eq(t.store_id),
            tasks::kind.eq(t.kind.as_str()),
            tasks::customer_id.eq(t.customer_id),
            tasks::visit_id.eq(t.visit_id),
            tasks::clerk_id.eq(t.clerk_id),
            tasks::window_start.eq(t.window.start),
            tasks::window_end.eq(t.window.end),
            tasks::status.eq(TaskStatus::Open.as_str()),
            tasks::attempts.eq(0),
            tasks::planned_contact_id.eq(t.planned_contact_id),
            tasks::item_id.eq(t.item_id),
            tasks::event_id.eq(t.event_id),
            tasks::created_at.eq(now),
            tasks::updated_at.eq(now),
        ))
        .returning(tasks::id)
        .get_result(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Task>> {
    tasks::table
        .find(id)
        .select(Task::as_select())
        .first(conn)
        .optional()
}

pub fn of_visit(conn: &mut DbConn, visit_id: i32, kind: TaskKind) -> QueryResult<Option<Task>> {
    tasks::table
        .filter(tasks::visit_id.eq(visit_id))
        .filter(tasks::kind.eq(kind.as_str()))
        .order(tasks::id)
        .select(Task::as_select())
        .first(conn)
        .optional()
}

/// The task `id` while it is still open: a change to it is lost when someone else won.
type IfOpen = diesel::dsl::Filter<
    diesel::dsl::Find<tasks::table, i32>,
    diesel::dsl::Eq<tasks::status, &'static str>,
>;

fn if_open(id: i32) -> IfOpen {
    tasks::table
        .find(id)
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
}

/// Ends an open task as `status` (with its close reason, if closed). Returns 0 when it was no
/// longer open.
fn end(
    conn: &mut DbConn,
    id: i32,
    status: TaskStatus,
    reason: Option<CloseReason>,
    at: NaiveDateTime,
    on: NaiveDate,
    by: Option<i32>,
) -> QueryResult<usize> {
    diesel::update(if_open(id))
        .set((
            tasks::status.eq(status.as_str()),
            tasks::close_reason.eq(reason.map(|r| r.as_str())),
            tasks::done_at.eq(at),
            tasks::done_on.eq(on),
            tasks::done_by.eq(by),
            tasks::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Marks an open task done. Returns 0 when it was no longer open (someone else won).
pub fn mark_done(
    conn: &mut DbConn,
    id: i32,
    at: NaiveDateTime,
    on: NaiveDate,
    by: i32,
) -> QueryResult<usize> {
    end(conn, id, TaskStatus::Done, None, at, on, Some(by))
}

/// Closes an open task without its "done by" (RULES.md: unreachable, refused channel, …).
/// Returns 0 when it was no longer open.
pub fn close(
    conn: &mut DbConn,
    id: i32,
    reason: CloseReason,
    at: NaiveDateTime,
    on: NaiveDate,
    by: Option<i32>,
) -> QueryResult<usize> {
    end(conn, id, TaskStatus::Closed, Some(reason), at, on, by)
}

/// A call attempt on an open task that did not complete it: failures are counted (X1), a
/// call-back moves the next attempt (X2), and the last contact is remembered for the queue.
pub fn record_attempt(
    conn: &mut DbConn,
    id: i32,
    failed: bool,
    outcome: &str,
    at: NaiveDateTime,
    callback: Option<(NaiveDateTime, NaiveDate)>,
) -> QueryResult<usize> {
    let add = if failed { 1 } else { 0 };
    diesel::update(if_open(id))
        .set((
            tasks::attempts.eq(tasks::attempts + add),
            tasks::last_attempt_at.eq(at),
            tasks::last_outcome.eq(outcome),
            tasks::callback_at.eq(callback.map(|c| c.0)),
            tasks::callback_on.eq(callback.map(|c| c.1)),
            tasks::updated_at.eq(at),
        ))
        .execute(conn)
}

/// The last contact of a task done by a call.
pub fn set_last_contact(
    conn: &mut DbConn,
    id: i32,
    outcome: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(tasks::table.find(id))
        .set((
            tasks::last_attempt_at.eq(at),
            tasks::last_outcome.eq(outcome),
        ))
        .execute(conn)
}

/// Open tasks of a customer of some kinds (to close them when a channel is refused, X4).
pub fn open_of_customer(
    conn: &mut DbConn,
    customer_id: i32,
    kinds: &[TaskKind],
) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::customer_id.eq(customer_id))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .filter(tasks::kind.eq_any(kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()))
        .select(Task::as_select())
        .load(conn)
}

/// Open tasks move with their customer to the newly designated clerk (R1).
pub fn reassign_open(
    conn: &mut DbConn,
    customer_ids: &[i32],
    clerk_id: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .filter(tasks::customer_id.eq_any(customer_ids))
            .filter(tasks::status.eq(TaskStatus::Open.as_str())),
    )
    .set((tasks::clerk_id.eq(clerk_id), tasks::updated_at.eq(now)))
    .execute(conn)
}

/// The ids of a customer's open tasks.
pub fn open_ids_of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<i32>> {
    tasks::table
        .filter(tasks::customer_id.eq(customer_id))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .select(tasks::id)
        .load(conn)
}

pub fn move_customer(conn: &mut DbConn, from: i32, to: i32) -> QueryResult<usize> {
    diesel::update(tasks::table.filter(tasks::customer_id.eq(from)))
        .set(tasks::customer_id.eq(to))
        .execute(conn)
}

/// A task as a list shows it: the task with its customer, vehicle and clerk.
#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub task: Task,
    pub customer_name: String,
    pub phone: String,
    pub plate: Option<String>,
    pub vehicle_model: Option<String>,
    pub clerk_name: String,
    pub call_hours: Option<String>,
    pub no_calls: bool,
}

/// Which open tasks a list asks for.
#[derive(Debug, Clone, Default)]
pub struct OpenFilter<'a> {
    pub store_id: Option<i32>,
    /// Tasks of these clerks (empty: any clerk).
    pub clerks: &'a [i32],
    /// Of these kinds (empty: any kind).
    pub kinds: &'a [TaskKind],
    /// Of this customer only.
    pub customer_id: Option<i32>,
    /// Window starting no later than this date.
    pub horizon: Option<NaiveDate>,
    /// X2: leave out tasks whose call-back is agreed for a day after this one.
    pub callback_not_after: Option<NaiveDate>,
    /// Only these tasks (a page of the queue, read by its keys first).
    pub ids: Option<&'a [i32]>,
    pub limit: i64,
}

/// Open tasks matching the filter, with what a list shows of each, in one query. Every
/// filter starts with the store, whose index leads the queue index.
pub fn open_list(conn: &mut DbConn, f: &OpenFilter) -> QueryResult<Vec<TaskRow>> {
    let mut q = tasks::table
        .inner_join(customers::table.on(customers::id.eq(tasks::customer_id)))
        .inner_join(users::table.on(users::id.eq(tasks::clerk_id)))
        .left_join(visits::table.on(visits::id.nullable().eq(tasks::visit_id)))
        .left_join(vehicles::table.on(vehicles::id.nullable().eq(visits::vehicle_id)))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .into_boxed();
    if let Some(s) = f.store_id {
        q = q.filter(tasks::store_id.eq(s));
    }
    if !f.clerks.is_empty() {
        q = q.filter(tasks::clerk_id.eq_any(f.clerks.to_vec()));
    }
    if !f.kinds.is_empty() {
        q = q.filter(tasks::kind.eq_any(f.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()));
    }
    if let Some(c) = f.customer_id {
        q = q.filter(tasks::customer_id.eq(c));
    }
    if let Some(ids) = f.ids {
        q = q.filter(tasks::id.eq_any(ids.to_vec()));
    }
    if let Some(h) = f.horizon {
        q = q.filter(tasks::window_start.le(h));
    }
    if let Some(d) = f.callback_not_after {
        q = q.filter(tasks::callback_on.is_null().or(tasks::callback_on.le(d)));
    }
    // The task, customer name and phone, plate, model, clerk name, call hours, no calls.
    type Row = (
        Task,
        String,
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        bool,
    );
    let rows: Vec<Row> = q
        .order((tasks::window_end, tasks::window_start, tasks::id))
        .limit(if f.limit > 0 { f.limit } else { 10_000 })
        .select((
            Task::as_select(),
            customers::name,
            customers::phone,
            vehicles::plate.nullable(),
            vehicles::model.nullable(),
            users::display_name,
            customers::call_hours,
            customers::no_calls,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(task, customer_name, phone, plate, model, clerk_name, call_hours, no_calls)| {
                TaskRow {
                    task,
                    customer_name,
                    phone,
                    plate: plate.map(|p| crate::domain::plate::display(&p)),
                    vehicle_model: model,
                    clerk_name,
                    call_hours,
                    no_calls,
                }
            },
        )
        .collect())
}

pub fn of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::customer_id.eq(customer_id))
        .order(tasks::id)
        .select(Task::as_select())
        .load(conn)
}

/// Open tasks of a store whose window ended on `day` (they became overdue the day after).
pub fn became_overdue(conn: &mut DbConn, store_id: i32, day: NaiveDate) -> QueryResult<Vec<i32>> {
    tasks::table
        .filter(tasks::store_id.eq(store_id))
        .filter(tasks::window_end.eq(day))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .order(tasks::id)
        .select(tasks::id)
        .load(conn)
}

pub fn by_ids(conn: &mut DbConn, ids: &[i32]) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::id.eq_any(ids))
        .order(tasks::id)
        .select(Task::as_select())
        .load(conn)
}

pub fn set_note(conn: &mut DbConn, id: i32, note: &str) -> QueryResult<usize> {
    diesel::update(tasks::table.find(id))
        .set(tasks::note.eq(note))
        .execute(conn)
}

/// The open task of a kind about an item (its escalation or solution call).
pub fn open_of_item(conn: &mut DbConn, item_id: i32, kind: TaskKind) -> QueryResult<Option<Task>> {
    tasks::table
        .filter(tasks::item_id.eq(item_id))
        .filter(tasks::kind.eq(kind.as_str()))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .select(Task::as_select())
        .first(conn)
        .optional()
}

pub fn of_event(conn: &mut DbConn, event_id: i32) -> QueryResult<Vec<Task>> {
    tasks::table
        .filter(tasks::event_id.eq(event_id))
        .order(tasks::id)
        .select(Task::as_select())
        .load(conn)
}

// Bulk (the import, `services::bulk_import`) --------------------------------------------

/// An open task row to insert with its id already taken (`models::reserve_ids`): what
/// `insert` writes, for many rows at once.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tasks, treat_none_as_default_value = false)]
pub struct NewTaskRow {
    pub id: i32,
    pub store_id: i32,
    #[diesel(serialize_as = String)]
    pub kind: TaskKind,
    pub customer_id: i32,
    pub visit_id: Option<i32>,
    pub clerk_id: i32,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    #[diesel(serialize_as = String)]
    pub status: TaskStatus,
    pub attempts: i32,
    pub planned_contact_id: Option<i32>,
    pub item_id: Option<i32>,
    pub event_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewTaskRow {
    pub fn new(id: i32, t: &NewTask, now: NaiveDateTime) -> NewTaskRow {
        NewTaskRow {
            id,
            store_id: t.store_id,
            kind: t.kind,
            customer_id: t.customer_id,
            visit_id: t.visit_id,
            clerk_id: t.clerk_id,
            window_start: t.window.start,
            window_end: t.window.end,
            status: TaskStatus::Open,
            attempts: 0,
            planned_contact_id: t.planned_contact_id,
            item_id: t.item_id,
            event_id: t.event_id,
            created_at: now,
            updated_at: now,
        }
    }
}

/// Tasks in multi-row INSERTs.
pub fn insert_many(conn: &mut DbConn, rows: &[NewTaskRow]) -> QueryResult<usize> {
    insert_chunks!(by_value conn, tasks::table, rows)
}

/// Which of these visits already have a task of `kind` (one query a batch).
pub fn visits_having(
    conn: &mut DbConn,
    visit_ids: &[i32],
    kind: TaskKind,
) -> QueryResult<Vec<i32>> {
    let rows: Vec<Option<i32>> = super::in_chunks(visit_ids, |chunk| {
        tasks::table
            .filter(tasks::visit_id.eq_any(chunk))
            .filter(tasks::kind.eq(kind.as_str()))
            .select(tasks::visit_id)
            .load(conn)
    })?;
    Ok(rows.into_iter().flatten().collect())
}

/// Open tasks of some customers of some kinds, by id (one query a batch).
pub fn open_of_customers(
    conn: &mut DbConn,
    customer_ids: &[i32],
    kinds: &[TaskKind],
) -> QueryResult<Vec<Task>> {
    let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    let mut out = super::in_chunks(customer_ids, |chunk| {
        tasks::table
            .filter(tasks::customer_id.eq_any(chunk))
            .filter(tasks::status.eq(TaskStatus::Open.as_str()))
            .filter(tasks::kind.eq_any(&kinds))
            .select(Task::as_select())
            .load(conn)
    })?;
    out.sort_by_key(|t| t.id);
    Ok(out)
}
