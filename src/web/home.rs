//! The start page. A clerk lands on today's queue; a supervisor on the team (each clerk's
//! queue size and overdue count today, absences, the morning digest, the store's open
//! archives); an auditor on the newest archive sheets; an admin on accounts and stores.
//! What each sees is `services::start`.

use super::auth::{chrome, Auth};
use super::render::{context_of, html};
use super::{queue, AppResult, State};
use crate::domain::role::Role;
use crate::services::start;
use actix_web::{HttpRequest, HttpResponse};

pub async fn index(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    if me.role == Role::Clerk {
        return queue::page(req, state, me, None).await;
    }
    let role = me.role;
    let store_id = me.user.store_id;
    let actor = me.actor();
    let mut ctx = state
        .db(move |conn, ctx| {
            let mut t = tera::Context::new();
            match (role, store_id) {
                (Role::Supervisor, Some(store_id)) => {
                    t.extend(context_of(&start::team_day(conn, ctx, &actor, store_id)?)?);
                }
                (Role::Auditor, _) => {
                    t.insert("recent", &start::newest_archives(conn, ctx, &actor)?);
                }
                _ => t.extend(context_of(&start::admin_overview(conn, ctx)?)?),
            }
            Ok(t)
        })
        .await?;
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    Ok(html(state.templates.render(me.lang, "home.html", &ctx)?))
}
