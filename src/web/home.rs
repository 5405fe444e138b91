//! The start page. A clerk sees their open tasks (archives first among them) with state and
//! deadline; a supervisor sees the store's open archive tasks across clerks; an auditor the
//! newest archive sheets; an admin the state of accounts and stores.

use super::auth::{chrome, Auth};
use super::render::html;
use super::{AppResult, State};
use crate::domain::phone::Phone;
use crate::domain::role::Role;
use crate::domain::task::{state_on, TaskKind, TaskState};
use crate::models::task::{self, TaskRow};
use crate::models::{store, user};
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

pub fn task_view(r: TaskRow, today: NaiveDate) -> TaskView {
    let kind = TaskKind::parse(&r.task.kind);
    let link = match (kind, r.task.visit_id) {
        (Some(TaskKind::Archive), Some(v)) => format!("/archives/{v}"),
        _ => format!("/customers/{}", r.task.customer_id),
    };
    TaskView {
        id: r.task.id,
        state: state_on(r.task.window(), today).as_str(),
        kind: r.task.kind.clone(),
        customer_id: r.task.customer_id,
        customer_name: r.customer_name,
        phone: Phone::from_stored(&r.phone).to_string(),
        plate: r.plate,
        vehicle_model: r.vehicle_model,
        clerk_name: r.clerk_name,
        window_start: r.task.window_start,
        window_end: r.task.window_end,
        link,
    }
}

/// Overdue first (most late first), then due (nearest deadline first), then upcoming.
pub fn sort_views(v: &mut [TaskView]) {
    let rank = |s: &str| match s {
        "overdue" => 0,
        "due" => 1,
        _ => 2,
    };
    v.sort_by(|a, b| {
        rank(a.state)
            .cmp(&rank(b.state))
            .then_with(|| {
                if a.state == "upcoming" {
                    a.window_start.cmp(&b.window_start)
                } else {
                    a.window_end.cmp(&b.window_end)
                }
            })
            .then(a.id.cmp(&b.id))
    });
}

#[derive(Serialize, Default)]
struct Counts {
    overdue: usize,
    due: usize,
    upcoming: usize,
}

pub async fn index(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    let role = me.role;
    let uid = me.user.id;
    let store_id = me.user.store_id;
    let data = state
        .db(move |conn, ctx| {
            let today = ctx.clock.today();
            let horizon = ctx.cadence().queue_horizon(today);
            let mut ctxv = tera::Context::new();
            match role {
                Role::Clerk => {
                    let rows = task::open_list(conn, store_id, Some(uid), &[], horizon, 500)?;
                    let mut views: Vec<TaskView> =
                        rows.into_iter().map(|r| task_view(r, today)).collect();
                    sort_views(&mut views);
                    let (archives, others): (Vec<_>, Vec<_>) = views
                        .into_iter()
                        .partition(|v| v.kind == TaskKind::Archive.as_str());
                    let mut counts = Counts::default();
                    for v in archives.iter().chain(others.iter()) {
                        match v.state {
                            "overdue" => counts.overdue += 1,
                            "due" => counts.due += 1,
                            _ => counts.upcoming += 1,
                        }
                    }
                    ctxv.insert("archives", &archives);
                    ctxv.insert("others", &others);
                    ctxv.insert("counts", &counts);
                }
                Role::Supervisor => {
                    let rows =
                        task::open_list(conn, store_id, None, &[TaskKind::Archive], horizon, 1000)?;
                    let mut views: Vec<TaskView> =
                        rows.into_iter().map(|r| task_view(r, today)).collect();
                    sort_views(&mut views);
                    let overdue = views
                        .iter()
                        .filter(|v| v.state == TaskState::Overdue.as_str())
                        .count();
                    ctxv.insert("archives", &views);
                    ctxv.insert("overdue_archives", &overdue);
                    let clerks = match store_id {
                        Some(s) => user::clerks_of_store(conn, s, false)?,
                        None => Vec::new(),
                    };
                    let per_clerk: Vec<(String, bool, usize, usize)> = clerks
                        .iter()
                        .map(|c| {
                            let mine: Vec<&TaskView> = views
                                .iter()
                                .filter(|v| v.clerk_name == c.display_name)
                                .collect();
                            (
                                c.display_name.clone(),
                                c.active_for_assignment,
                                mine.len(),
                                mine.iter().filter(|v| v.state == "overdue").count(),
                            )
                        })
                        .collect();
                    ctxv.insert("clerks", &per_clerk);
                }
                Role::Auditor => {
                    let recent = crate::web::archives::recent(conn, store_id, None, None, 20, 0)?;
                    ctxv.insert("recent", &recent.0);
                }
                Role::Admin => {
                    let users = user::all(conn)?;
                    ctxv.insert("user_count", &users.len());
                    ctxv.insert(
                        "disabled_count",
                        &users.iter().filter(|u| u.disabled).count(),
                    );
                    ctxv.insert("stores", &store::all(conn)?);
                }
            }
            Ok(ctxv)
        })
        .await?;
    let mut ctx = data;
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    Ok(html(state.templates.render(me.lang, "home.html", &ctx)?))
}
