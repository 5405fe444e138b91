//! A task as the lists show it (the start page's archives and digest, a customer's open tasks):
//! what it is, whose, its window and state, and where it is worked. Built from the task rows,
//! so it lives on this side of the line between web and models.

use crate::domain::privacy::PhoneSight;
use crate::domain::task::{sort_queue, state_on, TaskKind};
use crate::models::task::TaskRow;
use chrono::NaiveDate;
use serde::Serialize;

/// A task as a list row shows it.
#[derive(Debug, Serialize)]
pub struct TaskView {
    pub id: i32,
    pub kind: TaskKind,
    pub customer_id: i32,
    pub customer_name: String,
    pub phone: String,
    pub plate: Option<String>,
    pub vehicle_model: Option<String>,
    pub clerk_name: String,
    pub window_start: NaiveDate,
    pub window_end: NaiveDate,
    pub state: &'static str,
    pub link: String,
}

/// Where a task is worked: the archive sheet, the call form, or the customer page.
pub fn task_link(
    kind: TaskKind,
    id: i32,
    visit_id: Option<i32>,
    item_id: Option<i32>,
    customer_id: i32,
) -> String {
    let calls = super::calls::CALL_KINDS;
    let letters = super::calls::LETTER_KINDS;
    match (kind, visit_id, item_id) {
        (TaskKind::Archive, Some(v), _) => format!("/archives/{v}"),
        (TaskKind::Escalation, _, Some(i)) => format!("/items/{i}"),
        (k, _, _) if calls.contains(&k) => format!("/tasks/{id}/call"),
        (k, _, _) if letters.contains(&k) => format!("/tasks/{id}/letter"),
        _ => format!("/customers/{customer_id}"),
    }
}

/// A task as the lists show it; the phone as `sight` lets the reader see it (R11).
pub fn task_view(r: TaskRow, today: NaiveDate, sight: &PhoneSight) -> TaskView {
    TaskView {
        id: r.task.id,
        state: state_on(r.task.window(), today).as_str(),
        link: task_link(
            r.task.kind,
            r.task.id,
            r.task.visit_id,
            r.task.item_id,
            r.task.customer_id,
        ),
        kind: r.task.kind,
        customer_id: r.task.customer_id,
        customer_name: r.customer_name,
        phone: sight.show(Some(r.task.clerk_id), &r.phone),
        plate: r.plate,
        vehicle_model: r.vehicle_model,
        clerk_name: r.clerk_name,
        window_start: r.task.window_start,
        window_end: r.task.window_end,
    }
}

/// Task rows as views, in the queue's order (RULES.md).
pub fn views_in_queue_order(
    rows: Vec<TaskRow>,
    today: NaiveDate,
    sight: &PhoneSight,
) -> Vec<TaskView> {
    let mut v: Vec<TaskView> = rows
        .into_iter()
        .map(|r| task_view(r, today, sight))
        .collect();
    sort_queue(&mut v, today, |t| {
        let w = crate::domain::cadence::Window {
            start: t.window_start,
            end: t.window_end,
        };
        (w, t.id)
    });
    v
}
