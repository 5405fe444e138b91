//! Users, their sessions and API tokens, and login attempts (for throttling).

use crate::db::schema::{api_tokens, login_attempts, sessions, users};
use crate::db::DbConn;
use crate::domain::role::Role;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub store_id: Option<i32>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: String,
    pub lang: Option<String>,
    pub active_for_assignment: bool,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub store_id: Option<i32>,
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub lang: Option<&'a str>,
    pub active_for_assignment: bool,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, u: &NewUser) -> QueryResult<i32> {
    diesel::insert_into(users::table)
        .values(u)
        .returning(users::id)
        .get_result(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<User> {
    users::table.find(id).select(User::as_select()).first(conn)
}

pub fn by_username(conn: &mut DbConn, name: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(name))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    users::table
        .order((users::store_id, users::role, users::username))
        .select(User::as_select())
        .load(conn)
}

/// Clerks of a store, by id (the round-robin order of R1).
pub fn clerks_of_store(
    conn: &mut DbConn,
    store_id: i32,
    only_assignable: bool,
) -> QueryResult<Vec<User>> {
    let mut q = users::table
        .filter(users::store_id.eq(store_id))
        .filter(users::role.eq("clerk"))
        .filter(users::disabled.eq(false))
        .into_boxed();
    if only_assignable {
        q = q.filter(users::active_for_assignment.eq(true));
    }
    q.order(users::id).select(User::as_select()).load(conn)
}

pub fn set_password(
    conn: &mut DbConn,
    id: i32,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChange<'a> {
    pub display_name: &'a str,
    pub role: &'a str,
    pub store_id: Option<Option<i32>>,
    pub active_for_assignment: bool,
    pub disabled: bool,
    pub updated_at: NaiveDateTime,
}

pub fn update(conn: &mut DbConn, id: i32, c: &UserChange) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set(c).execute(conn)
}

pub fn set_lang(conn: &mut DbConn, id: i32, lang: &str) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set(users::lang.eq(lang))
        .execute(conn)
}

pub fn set_disabled(
    conn: &mut DbConn,
    id: i32,
    disabled: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
        .execute(conn)
}

// Sessions ------------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i32,
    pub user_id: i32,
    pub token_hash: String,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn session_insert(
    conn: &mut DbConn,
    user_id: i32,
    token_hash: &str,
    csrf: &str,
    now: NaiveDateTime,
    expires: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::token_hash.eq(token_hash),
            sessions::csrf_token.eq(csrf),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires),
        ))
        .returning(sessions::id)
        .get_result(conn)
}

/// A live session and its user: not expired, user not disabled.
pub fn session_by_hash(
    conn: &mut DbConn,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(Session, User)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(hash))
        .filter(sessions::expires_at.gt(now))
        .filter(users::disabled.eq(false))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn session_touch(conn: &mut DbConn, id: i32, expires: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(sessions::table.find(id))
        .set(sessions::expires_at.eq(expires))
        .execute(conn)
}

pub fn session_delete(conn: &mut DbConn, hash: &str) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(hash))).execute(conn)
}

pub fn sessions_delete_for_user(conn: &mut DbConn, user_id: i32) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn sessions_purge_expired(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

// API tokens ----------------------------------------------------------------------------

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i32,
    pub user_id: i32,
    pub name: String,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

pub fn token_insert(
    conn: &mut DbConn,
    user_id: i32,
    name: &str,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(user_id),
            api_tokens::name.eq(name),
            api_tokens::token_hash.eq(hash),
            api_tokens::created_at.eq(now),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
}

/// A token that is not revoked, whose user is not disabled.
pub fn token_user(conn: &mut DbConn, hash: &str) -> QueryResult<Option<(ApiToken, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(users::disabled.eq(false))
        .select((ApiToken::as_select(), User::as_select()))
        .first(conn)
        .optional()
}

pub fn token_touch(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(now))
        .execute(conn)
}

pub fn tokens_all(conn: &mut DbConn) -> QueryResult<Vec<(ApiToken, User)>> {
    api_tokens::table
        .inner_join(users::table)
        .order(api_tokens::id.desc())
        .select((ApiToken::as_select(), User::as_select()))
        .load(conn)
}

pub fn token_revoke(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now))
    .execute(conn)
}

// Login attempts ------------------------------------------------------------------------

pub fn attempt_insert(
    conn: &mut DbConn,
    username: &str,
    ip: &str,
    at: NaiveDateTime,
    ok: bool,
) -> QueryResult<usize> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::username.eq(username),
            login_attempts::ip.eq(ip),
            login_attempts::attempted_at.eq(at),
            login_attempts::succeeded.eq(ok),
        ))
        .execute(conn)
}

/// Failed attempts for an account and from an address since `since`.
pub fn failures_since(
    conn: &mut DbConn,
    username: &str,
    ip: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, i64)> {
    let by_user = login_attempts::table
        .filter(login_attempts::username.eq(username))
        .filter(login_attempts::attempted_at.gt(since))
        .filter(login_attempts::succeeded.eq(false))
        .count()
        .get_result(conn)?;
    let by_ip = login_attempts::table
        .filter(login_attempts::ip.eq(ip))
        .filter(login_attempts::attempted_at.gt(since))
        .filter(login_attempts::succeeded.eq(false))
        .count()
        .get_result(conn)?;
    Ok((by_user, by_ip))
}

pub fn attempts_purge_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_attempts::table.filter(login_attempts::attempted_at.lt(before)))
        .execute(conn)
}

/// The display names of the users with these logins (issue 12: an audit row's subject that
/// is a person).
pub fn display_names_by_login(
    conn: &mut DbConn,
    logins: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    users::table
        .filter(users::username.eq_any(logins))
        .select((users::username, users::display_name))
        .load(conn)
}

/// The display names of the users `ids` (issue 12: the audit log names people).
pub fn display_names(conn: &mut DbConn, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)
}
