//! What the start page shows each role (the clerk's start page is the queue): the supervisor's
//! team today (each clerk's overdue / due / upcoming including what they cover, R9), the
//! store's open archive tasks (R2) and the morning digest; an auditor's newest archive sheets;
//! an administrator's accounts, stores and job runs.

use super::archive::{self, ArchiveLine};
use super::task_view::{task_view, views_in_queue_order, TaskView};
use super::{Actor, Ctx, SResult};
use crate::db::DbConn;
use crate::domain::task::TaskKind;
use crate::models::store::Store;
use crate::models::task::{self, OpenFilter};
use crate::models::{absence, job, store, user};
use serde::Serialize;

/// One clerk's day as the supervisor sees it.
#[derive(Debug, Serialize)]
pub struct ClerkDay {
    pub username: String,
    pub name: String,
    pub assignable: bool,
    pub away: Option<String>,
    pub queue: usize,
    pub overdue: usize,
    pub due: usize,
    pub upcoming: usize,
}

/// The supervisor's start page.
#[derive(Debug, Serialize)]
pub struct TeamDay {
    pub clerks: Vec<ClerkDay>,
    pub archives: Vec<TaskView>,
    pub overdue_archives: usize,
    /// How many tasks became overdue since yesterday (the morning digest), and which.
    pub digest: Option<i32>,
    pub digest_rows: Vec<TaskView>,
}

pub fn team_day(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, store_id: i32) -> SResult<TeamDay> {
    let today = ctx.clock.today();
    let sight = super::privacy::sight(conn, ctx, actor)?;
    let mut clerks = Vec::new();
    for c in user::clerks_of_store(conn, store_id, false)? {
        // R9: each clerk's queue today including what they cover, counted in one aggregate
        // query (no task is read).
        let q = super::queue::counts_of(conn, ctx, store_id, c.id, today)?;
        let away = absence::of_clerk_on(conn, c.id, today)?.map(|a| a.to_date.to_string());
        clerks.push(ClerkDay {
            username: c.username,
            name: c.display_name,
            assignable: c.active_for_assignment,
            away,
            queue: (q.overdue + q.due) as usize,
            overdue: q.overdue as usize,
            due: q.due as usize,
            upcoming: q.upcoming as usize,
        });
    }
    let rows = task::open_list(
        conn,
        &OpenFilter {
            store_id: Some(store_id),
            kinds: &[TaskKind::Archive],
            horizon: Some(today),
            ..Default::default()
        },
    )?;
    let archives = views_in_queue_order(rows, today, &sight);
    let overdue_archives = archives.iter().filter(|v| v.state == "overdue").count();
    // The morning digest: what became overdue since yesterday.
    let digest = job::digest_for(conn, store_id, today)?;
    let ids: Vec<i32> = digest
        .as_ref()
        .map(|d| serde_json::from_str(&d.detail).unwrap_or_default())
        .unwrap_or_default();
    let open = task::open_list(
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
    Ok(TeamDay {
        clerks,
        archives,
        overdue_archives,
        digest: digest.map(|d| d.overdue_tasks),
        digest_rows: open,
    })
}

/// The auditor's start page: the 20 newest archive sheets.
pub fn newest_archives(conn: &mut DbConn, ctx: &Ctx, actor: &Actor) -> SResult<Vec<ArchiveLine>> {
    let sight = super::privacy::sight(conn, ctx, actor)?;
    Ok(archive::recent(conn, &sight, actor.store_id, None, None, 20, 0)?.0)
}

/// The administrator's start page.
#[derive(Debug, Serialize)]
pub struct AdminOverview {
    pub user_count: usize,
    pub disabled_count: usize,
    pub stores: Vec<Store>,
    /// Each job: name, last run (the shop's local time, to the minute), last result.
    pub jobs: Vec<(String, String, crate::domain::job::Done)>,
}

pub fn admin_overview(conn: &mut DbConn, ctx: &Ctx) -> SResult<AdminOverview> {
    let users = user::all(conn)?;
    Ok(AdminOverview {
        user_count: users.len(),
        disabled_count: users.iter().filter(|u| u.disabled).count(),
        stores: store::all(conn)?,
        jobs: job::all_runs(conn)?
            .into_iter()
            .map(|(name, at, result)| {
                let at = ctx.clock.to_local(at).format("%Y-%m-%d %H:%M").to_string();
                (name, at, crate::domain::job::Done::from_stored(&result))
            })
            .collect(),
    })
}
