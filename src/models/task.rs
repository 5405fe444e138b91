//! Tasks: what a clerk must do, with a window fixed when the task was created.

use crate::db::schema::{customers, tasks, users, vehicles, visits};
use crate::db::DbConn;
use crate::domain::cadence::Window;
use crate::domain::task::{TaskKind, TaskStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tasks)]
pub struct Task {
    pub id: i32,
    pub store_id: i32,
    pub kind: String,
    pub customer_id: i32,
    pub visit_id: Option<i32>,
    pub clerk_id: i32,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub status: String,
    pub close_reason: Option<String>,
    pub done_at: Option<NaiveDateTime>,
    pub done_on: Option<NaiveDate>,
    pub done_by: Option<i32>,
    pub attempts: i32,
    pub callback_at: Option<NaiveDateTime>,
    pub planned_contact_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
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

/// Marks an open task done. Returns 0 when it was no longer open (someone else won).
pub fn mark_done(
    conn: &mut DbConn,
    id: i32,
    at: NaiveDateTime,
    on: NaiveDate,
    by: i32,
) -> QueryResult<usize> {
    diesel::update(
        tasks::table
            .find(id)
            .filter(tasks::status.eq(TaskStatus::Open.as_str())),
    )
    .set((
        tasks::status.eq(TaskStatus::Done.as_str()),
        tasks::done_at.eq(at),
        tasks::done_on.eq(on),
        tasks::done_by.eq(by),
        tasks::updated_at.eq(at),
    ))
    .execute(conn)
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
}

/// Open tasks of a store (optionally one clerk's, optionally of some kinds) whose window starts
/// no later than `horizon`, in one query.
pub fn open_list(
    conn: &mut DbConn,
    store_id: Option<i32>,
    clerk_id: Option<i32>,
    kinds: &[TaskKind],
    horizon: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<TaskRow>> {
    let mut q = tasks::table
        .inner_join(customers::table.on(customers::id.eq(tasks::customer_id)))
        .inner_join(users::table.on(users::id.eq(tasks::clerk_id)))
        .left_join(visits::table.on(visits::id.nullable().eq(tasks::visit_id)))
        .left_join(vehicles::table.on(vehicles::id.nullable().eq(visits::vehicle_id)))
        .filter(tasks::status.eq(TaskStatus::Open.as_str()))
        .filter(tasks::window_start.le(horizon))
        .into_boxed();
    if let Some(s) = store_id {
        q = q.filter(tasks::store_id.eq(s));
    }
    if let Some(c) = clerk_id {
        q = q.filter(tasks::clerk_id.eq(c));
    }
    if !kinds.is_empty() {
        q = q.filter(tasks::kind.eq_any(kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>()));
    }
    // The task, customer name and phone, plate, model, clerk name.
    type Row = (Task, String, String, Option<String>, Option<String>, String);
    let rows: Vec<Row> = q
        .order((tasks::window_end, tasks::window_start, tasks::id))
        .limit(limit)
        .select((
            Task::as_select(),
            customers::name,
            customers::phone,
            vehicles::plate.nullable(),
            vehicles::model.nullable(),
            users::display_name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(task, customer_name, phone, plate, model, clerk_name)| TaskRow {
                task,
                customer_name,
                phone,
                plate: plate.map(|p| crate::domain::plate::display(&p)),
                vehicle_model: model,
                clerk_name,
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
