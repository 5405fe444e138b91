//! The daily call queue (RULES.md, "Tasks"): the page a clerk starts the day on, the same
//! list a supervisor opens for any clerk, and `GET /api/v1/queue`.

use super::auth::{chrome, ApiAuth, Auth};
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::error::FieldError;
use crate::domain::role::Role;
use crate::domain::task::TaskState;
use crate::domain::visit::parse_date;
use crate::models::user::{self, User};
use crate::services::queue::{self, Queue};
use crate::services::Actor;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

#[derive(Debug, Deserialize, Default)]
pub struct QueueQuery {
    pub date: Option<String>,
    pub clerk: Option<String>,
}

/// The clerk whose queue is asked for: oneself, or (supervisors, admins) a user of the store.
fn resolve_clerk(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    me: &User,
    name: Option<&str>,
) -> AppResult<User> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    match name {
        None => Ok(me.clone()),
        Some(n) if n == me.username => Ok(me.clone()),
        Some(n) => {
            if !matches!(actor.role, Role::Supervisor | Role::Admin) {
                return Err(AppError::Forbidden);
            }
            let u = user::by_username(conn, n)?.ok_or_else(|| {
                AppError::Invalid(
                    FieldError::new("clerk", "user-unknown")
                        .arg("value", n)
                        .into(),
                )
            })?;
            match u.store_id {
                Some(s) if actor.in_store(s) => Ok(u),
                _ => Err(AppError::Invalid(
                    FieldError::new("clerk", "clerk-other-store").into(),
                )),
            }
        }
    }
}

fn parse_day(s: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(d) => parse_date("date", d).map_err(|e| AppError::Invalid(e.into())),
    }
}

fn load(
    conn: &mut crate::db::DbConn,
    ctx: &crate::services::Ctx,
    actor: &Actor,
    me: &User,
    q: &QueueQuery,
) -> AppResult<(User, Queue)> {
    let date = parse_day(q.date.as_deref(), ctx.clock.today())?;
    let clerk = resolve_clerk(conn, actor, me, q.clerk.as_deref())?;
    let store = clerk
        .store_id
        .ok_or_else(|| AppError::Invalid(FieldError::new("clerk", "store-required").into()))?;
    let sight = crate::services::privacy::sight(conn, ctx, actor)?;
    Ok((
        clerk.clone(),
        queue::for_clerk(conn, ctx, store, clerk.id, date, &sight)?,
    ))
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    page(req, state, me, Some(q.into_inner())).await
}

pub async fn page(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: Option<QueueQuery>,
) -> AppResult<HttpResponse> {
    let q = q.unwrap_or_default();
    let actor = me.actor();
    let user = me.user.clone();
    let (clerk, queue, clerks) = state
        .db(move |conn, ctx| {
            let (clerk, queue) = load(conn, ctx, &actor, &user, &q)?;
            let clerks = match (actor.role, clerk.store_id) {
                (Role::Supervisor | Role::Admin, Some(s)) => user::clerks_of_store(conn, s, false)?,
                _ => Vec::new(),
            };
            Ok((clerk, queue, clerks))
        })
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("clerk", &clerk.display_name);
    ctx.insert("clerk_username", &clerk.username);
    ctx.insert("own", &(clerk.id == me.user.id));
    ctx.insert("clerks", &clerks);
    ctx.insert("date", &queue.date);
    ctx.insert("is_today", &(queue.date == state.ctx.clock.today()));
    ctx.insert("away", &queue.away);
    ctx.insert("covering", &queue.covering);
    let (now, later): (Vec<_>, Vec<_>) = queue
        .tasks
        .iter()
        .partition(|t| t.state != TaskState::Upcoming);
    ctx.insert("counts", &json!({"overdue": queue.count(TaskState::Overdue), "due": queue.count(TaskState::Due), "upcoming": queue.count(TaskState::Upcoming)}));
    let link = |t: &&queue::QueueItem| {
        super::home::task_link(&t.kind, t.id, t.visit_id, t.item_id, t.customer_id)
    };
    let rows = |v: Vec<&queue::QueueItem>| {
        v.into_iter()
            .map(|t| json!({"t": t, "link": link(&t)}))
            .collect::<Vec<_>>()
    };
    ctx.insert("now_rows", &rows(now));
    ctx.insert("later_rows", &rows(later));
    Ok(html(state.templates.render(me.lang, "queue.html", &ctx)?))
}

/// `GET /api/v1/queue?date=&clerk=`: CONTRACT.md's queue.
pub async fn api(state: State, me: ApiAuth, q: web::Query<QueueQuery>) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let user = me.user.clone();
    let q = q.into_inner();
    let (clerk, queue) = state
        .db(move |conn, ctx| load(conn, ctx, &actor, &user, &q))
        .await?;
    Ok(HttpResponse::Ok()
        .json(json!({"date": queue.date, "clerk": clerk.username, "tasks": queue.tasks})))
}
