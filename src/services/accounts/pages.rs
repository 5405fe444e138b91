//! What the administration pages read of accounts: the users with their store's code, one
//! user to edit, the API tokens (times local), and the staff and clerks a page offers to
//! choose from.

use crate::db::DbConn;
use crate::domain::role::Role;
use crate::models::store;
use crate::models::user::{self, User};
use crate::services::{Ctx, SResult};
use serde::Serialize;

/// A user as the accounts page lists them.
#[derive(Debug, Serialize)]
pub struct UserLine {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The code of their store.
    pub store: Option<String>,
    pub active_for_assignment: bool,
    pub disabled: bool,
}

fn store_code(stores: &[store::Store], id: Option<i32>) -> Option<String> {
    id.and_then(|s| stores.iter().find(|x| x.id == s))
        .map(|s| s.code.clone())
}

/// The accounts page: every user (with their store's code) and the stores to choose from.
pub fn users_overview(conn: &mut DbConn) -> SResult<(Vec<UserLine>, Vec<store::Store>)> {
    let stores = store::all(conn)?;
    let users = user::all(conn)?
        .into_iter()
        .map(|u| UserLine {
            store: store_code(&stores, u.store_id),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            active_for_assignment: u.active_for_assignment,
            disabled: u.disabled,
        })
        .collect();
    Ok((users, stores))
}

/// One user to edit, their store's code, and the stores to choose from.
pub fn user_to_edit(
    conn: &mut DbConn,
    id: i32,
) -> SResult<(User, Option<String>, Vec<store::Store>)> {
    let u = user::by_id(conn, id)?;
    let stores = store::all(conn)?;
    let code = store_code(&stores, u.store_id);
    Ok((u, code, stores))
}

/// An API token as the tokens page lists it (times local, to the minute).
#[derive(Debug, Serialize)]
pub struct TokenLine {
    pub id: i32,
    pub name: String,
    pub username: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// The tokens page: every token, and the users who may be given one (not disabled).
pub fn tokens_overview(conn: &mut DbConn, ctx: &Ctx) -> SResult<(Vec<TokenLine>, Vec<String>)> {
    let clock = ctx.clock;
    let fmt = |t: chrono::NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
    let tokens = user::tokens_all(conn)?
        .into_iter()
        .map(|(t, u)| TokenLine {
            id: t.id,
            name: t.name,
            username: u.username,
            created_at: fmt(t.created_at),
            last_used_at: t.last_used_at.map(fmt),
            revoked_at: t.revoked_at.map(fmt),
        })
        .collect();
    let users = user::all(conn)?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| u.username)
        .collect();
    Ok((tokens, users))
}

/// The people whose work the registers hold (everyone but auditors), of a store or of all
/// stores, by id and name: the registers' clerk filter.
pub fn staff(conn: &mut DbConn, store_id: Option<i32>) -> SResult<Vec<(i32, String)>> {
    Ok(user::all(conn)?
        .into_iter()
        .filter(|u| store_id.is_none() || u.store_id == store_id)
        .filter(|u| u.role != Role::Auditor)
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The user of a username, if there is one.
pub fn by_username(conn: &mut DbConn, name: &str) -> SResult<Option<User>> {
    Ok(user::by_username(conn, name)?)
}

/// The clerks of a store (to choose whose queue to see, or to reassign to).
pub fn clerks_of_store(conn: &mut DbConn, store_id: i32) -> SResult<Vec<User>> {
    Ok(user::clerks_of_store(conn, store_id, false)?)
}
