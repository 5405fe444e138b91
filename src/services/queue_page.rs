//! A clerk's queue as a reader asks for it (R9): whose queue — the reader's own, or for a
//! supervisor or administrator any clerk of their stores — what the reader may see of phones
//! (R11), and the page or the API's answer read in one snapshot, so its counts, groups and
//! rows agree with each other.

use super::accounts::{self, User};
use super::queue::{self, Answer, Owner, Page, Params};
use super::{Actor, Ctx, SResult, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldError;
use crate::domain::privacy::PhoneSight;
use crate::domain::role::Role;
use crate::domain::task::{TaskKind, TaskState};

/// The queue asked for: its clerk, their store, and the reader's sight of phones.
pub struct Whose {
    pub clerk: User,
    pub store: i32,
    pub sight: PhoneSight,
}

/// The queue of `clerk` (a username; `None`: the reader's own). Only a supervisor or an
/// administrator reads another clerk's, and only of a store of theirs.
pub fn whose(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    me: &User,
    clerk: Option<&str>,
) -> SResult<Whose> {
    let clerk = match clerk {
        None => me.clone(),
        Some(n) if n == me.username => me.clone(),
        Some(n) => {
            if !matches!(actor.role, Role::Supervisor | Role::Admin) {
                return Err(ServiceError::Forbidden);
            }
            let u = accounts::by_username(conn, n)?
                .ok_or_else(|| FieldError::new("clerk", "user-unknown").arg("value", n))?;
            match u.store_id {
                Some(s) if actor.in_store(s) => u,
                _ => return Err(FieldError::new("clerk", "clerk-other-store").into()),
            }
        }
    };
    let store = clerk
        .store_id
        .ok_or_else(|| FieldError::new("clerk", "store-required"))?;
    let sight = crate::services::privacy::sight(conn, ctx, actor)?;
    Ok(Whose {
        clerk,
        store,
        sight,
    })
}

/// What the queue page asks beyond the filters: whose queue, whose tasks among those it holds
/// (`own`, a colleague covered by username, or all), and whether it opens on today's work.
pub struct PageAsk<'a> {
    pub clerk: Option<&'a str>,
    pub owner: Option<&'a str>,
    /// No state chosen and not "all": overdue and due only.
    pub today: bool,
}

/// The queue page: the clerk, the page, the clerks a supervisor may switch to, the title of
/// the event the page is narrowed to, and the filters as applied.
pub struct ClerkPage {
    pub clerk: User,
    pub page: Page,
    pub clerks: Vec<User>,
    pub event_title: Option<String>,
    pub params: Params,
}

pub fn clerk_page(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    me: &User,
    ask: &PageAsk,
    mut p: Params,
) -> SResult<ClerkPage> {
    crate::db::snapshot(conn, |conn| {
        let w = whose(conn, ctx, actor, me, ask.clerk)?;
        if ask.today {
            p.states = vec![TaskState::Overdue, TaskState::Due];
        }
        p.owner = match ask.owner {
            None => Owner::All,
            Some("own") => Owner::Own,
            Some(name) => match accounts::by_username(conn, name)? {
                Some(u) => Owner::Covering(u.id),
                None => Owner::All,
            },
        };
        if p.event_id.is_some() {
            p.kinds = vec![TaskKind::EventNotice];
        }
        let event_title = match p.event_id {
            Some(e) => crate::services::events::title_in_store(conn, e, w.store)?,
            None => None,
        };
        let page = match read(conn, ctx, actor, &w, &p, None)? {
            Answer::Page(page) => *page,
            Answer::NotModified(_) => unreachable!("no If-None-Match on the page"),
        };
        let clerks = match (actor.role, w.clerk.store_id) {
            (Role::Supervisor | Role::Admin, Some(s)) => accounts::clerks_of_store(conn, s)?,
            _ => Vec::new(),
        };
        Ok(ClerkPage {
            clerk: w.clerk,
            page,
            clerks,
            event_title,
            params: p,
        })
    })
}

/// The queue API's answer for `clerk`: the clerk and the page, or "not modified" when the
/// client's `If-None-Match` is still the queue's.
pub fn api_page(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    me: &User,
    clerk: Option<&str>,
    p: &Params,
    if_none_match: Option<&str>,
) -> SResult<(User, Answer)> {
    crate::db::snapshot(conn, |conn| {
        let w = whose(conn, ctx, actor, me, clerk)?;
        let a = read(conn, ctx, actor, &w, p, if_none_match)?;
        Ok((w.clerk, a))
    })
}

/// The queue of `w` as the actor reads it.
fn read(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    w: &Whose,
    p: &Params,
    if_none_match: Option<&str>,
) -> SResult<Answer> {
    let store = w.store;
    let a = queue::page(
        conn,
        ctx,
        store,
        w.clerk.id,
        actor.user_id,
        &w.sight,
        p,
        if_none_match,
    )?;
    Ok(a)
}
