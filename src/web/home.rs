//! The start page. A clerk lands on today's queue; a supervisor on the team (each clerk's
//! queue size and overdue count today, absences, the morning digest, the store's open
//! archives); an auditor on the newest archive sheets; an admin on accounts and stores.

use super::auth::{chrome, Auth};
use super::render::html;
use super::{queue, AppResult, State};
use crate::domain::privacy::PhoneSight;
use crate::domain::role::Role;
use crate::domain::task::{queue_key, state_on, TaskKind};
use crate::models::task::{self, OpenFilter, TaskRow};
use crate::models::{absence, job, store, user};
use actix_web::{HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Serialize;

/// A task as a list row shows it.
#[derive(Debug, Serialize)]
pub struct TaskView {
    pub id: i32,
    pub kind: String,
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
    kind: &str,
    id: i32,
    visit_id: Option<i32>,
    item_id: Option<i32>,
    customer_id: i32,
) -> String {
    let calls = crate::services::calls::CALL_KINDS;
    let letters = crate::services::calls::LETTER_KINDS;
    match (TaskKind::parse(kind), visit_id, item_id) {
        (Some(TaskKind::Archive), Some(v), _) => format!("/archives/{v}"),
        (Some(TaskKind::Escalation), _, Some(i)) => format!("/items/{i}"),
        (Some(k), _, _) if calls.contains(&k) => format!("/tasks/{id}/call"),
        (Some(k), _, _) if letters.contains(&k) => format!("/tasks/{id}/letter"),
        _ => format!("/customers/{customer_id}"),
    }
}

/// A task as the lists show it; the phone as `sight` lets the reader see it (R11).
pub fn task_view(r: TaskRow, today: NaiveDate, sight: &PhoneSight) -> TaskView {
    TaskView {
        id: r.task.id,
        state: state_on(r.task.window(), today).as_str(),
        link: task_link(
            &r.task.kind,
            r.task.id,
            r.task.visit_id,
            r.task.item_id,
            r.task.customer_id,
        ),
        kind: r.task.kind.clone(),
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

/// The queue's order (RULES.md): overdue, due, upcoming; by window end, start; then id.
pub fn sort_views(v: &mut [TaskView], today: NaiveDate) {
    v.sort_by(|a, b| {
        let wa = crate::domain::cadence::Window {
            start: a.window_start,
            end: a.window_end,
        };
        let wb = crate::domain::cadence::Window {
            start: b.window_start,
            end: b.window_end,
        };
        queue_key(wa, today)
            .cmp(&queue_key(wb, today))
            .then(a.id.cmp(&b.id))
    });
}

/// One clerk's day as the supervisor sees it.
#[derive(Serialize)]
struct ClerkDay {
    username: String,
    name: String,
    assignable: bool,
    away: Option<String>,
    queue: usize,
    overdue: usize,
    due: usize,
    upcoming: usize,
}

pub async fn index(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    if me.role == Role::Clerk {
        return queue::page(req, state, me, None).await;
    }
    let role = me.role;
    let store_id = me.user.store_id;
    let actor = me.actor();
    let data = state
        .db(move |conn, ctx| {
            let today = ctx.clock.today();
            let sight = crate::services::privacy::sight(conn, ctx, &actor)?;
            let mut t = tera::Context::new();
            match (role, store_id) {
                (Role::Supervisor, Some(store_id)) => {
                    let clerks = user::clerks_of_store(conn, store_id, false)?;
                    let mut days = Vec::new();
                    for c in &clerks {
                        // R9: each clerk's queue today including what they cover, counted
                        // in one aggregate query (no task is read).
                        let q =
                            crate::services::queue::counts_of(conn, ctx, store_id, c.id, today)?;
                        let away =
                            absence::of_clerk_on(conn, c.id, today)?.map(|a| a.to_date.to_string());
                        days.push(ClerkDay {
                            username: c.username.clone(),
                            name: c.display_name.clone(),
                            assignable: c.active_for_assignment,
                            away,
                            queue: (q.overdue + q.due) as usize,
                            overdue: q.overdue as usize,
                            due: q.due as usize,
                            upcoming: q.upcoming as usize,
                        });
                    }
                    t.insert("clerks", &days);
                    let rows = task::open_list(
                        conn,
                        &OpenFilter {
                            store_id: Some(store_id),
                            kinds: &[TaskKind::Archive],
                            horizon: Some(today),
                            ..Default::default()
                        },
                    )?;
                    let mut views: Vec<TaskView> = rows
                        .into_iter()
                        .map(|r| task_view(r, today, &sight))
                        .collect();
                    sort_views(&mut views, today);
                    t.insert(
                        "overdue_archives",
                        &views.iter().filter(|v| v.state == "overdue").count(),
                    );
                    t.insert("archives", &views);
                    // The morning digest: what became overdue since yesterday.
                    let digest = job::digest_for(conn, store_id, today)?;
                    let ids: Vec<i32> = digest
                        .as_ref()
                        .map(|d| serde_json::from_str(&d.detail).unwrap_or_default())
                        .unwrap_or_default();
                    let digest_rows: Vec<TaskView> = task::open_list(
                        conn,
                        &OpenFilter {
                            store_id: Some(store_id),
                            ..Default::default()
                        },
                    )?
                    .into_iter()
                    .filter(|r| ids.contains(&r.task.id))
                    .map(|r| task_view(r, today, &sight))
                    .collect();
                    t.insert("digest", &digest.map(|d| d.overdue_tasks));
                    t.insert("digest_rows", &digest_rows);
                }
                (Role::Auditor, _) => {
                    let recent =
                        crate::web::archives::recent(conn, &sight, store_id, None, None, 20, 0)?;
                    t.insert("recent", &recent.0);
                }
                _ => {
                    let users = user::all(conn)?;
                    t.insert("user_count", &users.len());
                    t.insert(
                        "disabled_count",
                        &users.iter().filter(|u| u.disabled).count(),
                    );
                    t.insert("stores", &store::all(conn)?);
                    t.insert("jobs", &job::all_runs(conn)?);
                }
            }
            Ok(t)
        })
        .await?;
    let mut ctx = data;
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    Ok(html(state.templates.render(me.lang, "home.html", &ctx)?))
}
