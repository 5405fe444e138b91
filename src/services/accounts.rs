//! Accounts: users and roles, passwords (argon2id), sessions kept in the database (so a
//! logout or a disabled user ends them at once), API tokens (random, stored as SHA-256), and
//! login throttling per account and per address.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::role::Role;
use crate::models::user::{self, NewUser, UserChange};
use crate::models::{store, trunc};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::Duration;
use serde::Serialize;

pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

pub use crate::digest::random_token;
use crate::digest::sha256_hex;
/// The account row is what the pages show of a user (name, role, store, language).
pub use crate::models::user::User;

/// Usernames: 2–32 of a–z, 0–9, `.`, `_`, `-`.
pub fn check_username(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let ok = (2..=32).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(s.to_string())
    } else {
        Err(FieldError::new("username", "username-invalid"))
    }
}

pub fn check_password(s: &str) -> Result<(), FieldError> {
    if s.chars().count() < MIN_PASSWORD_CHARS {
        Err(FieldError::new("password", "password-short").arg("min", MIN_PASSWORD_CHARS))
    } else {
        Ok(())
    }
}

/// A user to create, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub store: Option<String>,
    pub password: String,
}

/// Clerks and supervisors work in one store; admins and auditors may work across all.
fn store_for(conn: &mut DbConn, role: Role, code: Option<&str>) -> SResult<Option<i32>> {
    let id = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Some(
            store::by_code(conn, code)?
                .ok_or_else(|| FieldError::new("store", "store-unknown").arg("value", code))?
                .id,
        ),
        None => None,
    };
    match (role, id) {
        (Role::Clerk | Role::Supervisor, None) => {
            // With a single store there is nothing to choose.
            match store::all(conn)?.as_slice() {
                [only] => Ok(Some(only.id)),
                _ => Err(FieldError::new("store", "store-required").into()),
            }
        }
        (_, id) => Ok(id),
    }
}

pub fn create_user(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, input: &UserInput) -> SResult<i32> {
    let mut errs = FieldErrors::default();
    let username = errs.take(check_username(&input.username));
    let role = errs.take(
        Role::parse(&input.role)
            .ok_or_else(|| FieldError::new("role", "role-unknown").arg("value", &input.role)),
    );
    errs.take(check_password(&input.password));
    let display = input.display_name.trim();
    let display = if display.is_empty() {
        input.username.trim()
    } else {
        display
    };
    errs.take(crate::domain::visit::check_len("display_name", display, 60));
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let (username, role) = (username.expect("checked"), role.expect("checked"));
    let hash = hash_password(&input.password)?;
    write_tx(conn, |conn| {
        let store_id = store_for(conn, role, input.store.as_deref())?;
        if user::by_username(conn, &username)?.is_some() {
            return Err(FieldError::new("username", "username-taken").into());
        }
        let now = trunc(ctx.clock.now_utc());
        let id = user::insert(
            conn,
            &NewUser {
                store_id,
                username: &username,
                display_name: display,
                role: role.as_str(),
                password_hash: &hash,
                lang: None,
                active_for_assignment: true,
                disabled: false,
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "user.create",
            &username,
            &audit::detail(&[("role", role.as_str().into())]),
            "ok",
        )?;
        Ok(id)
    })
}

/// Changes a user's name, role, store, availability for assignment, or disables them.
pub struct UserUpdate {
    pub display_name: String,
    pub role: String,
    pub store: Option<String>,
    pub active_for_assignment: bool,
    pub disabled: bool,
}

pub fn update_user(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    id: i32,
    u: &UserUpdate,
) -> SResult<()> {
    let role = Role::parse(&u.role)
        .ok_or_else(|| FieldError::new("role", "role-unknown").arg("value", &u.role))?;
    let display = crate::domain::visit::check_len("display_name", u.display_name.trim(), 60)?;
    if display.is_empty() {
        return Err(FieldError::new("display_name", "required").into());
    }
    write_tx(conn, |conn| {
        let before = user::by_id(conn, id)
            .optional()?
            .ok_or(ServiceError::NotFound("user"))?;
        if Some(id) == actor.user_id && (u.disabled || role != Role::Admin) {
            // An admin cannot lock themselves out by mistake.
            return Err(FieldError::new("role", "self-demote").into());
        }
        let store_id = store_for(conn, role, u.store.as_deref())?;
        let now = trunc(ctx.clock.now_utc());
        user::update(
            conn,
            id,
            &UserChange {
                display_name: &display,
                role: role.as_str(),
                store_id: Some(store_id),
                active_for_assignment: u.active_for_assignment,
                disabled: u.disabled,
                updated_at: now,
            },
        )?;
        if u.disabled || before.role != role || before.store_id != store_id {
            // Rights changed: every session starts over (tokens follow the user row).
            user::sessions_delete_for_user(conn, id)?;
        }
        let detail = format!(
            "role {}→{}, store {:?}→{:?}, assignable {}, disabled {}",
            before.role,
            role.as_str(),
            before.store_id,
            store_id,
            u.active_for_assignment,
            u.disabled
        );
        audit::record(
            conn,
            ctx,
            actor,
            "user.update",
            &before.username,
            &detail,
            "ok",
        )?;
        Ok(())
    })
}

pub fn reset_password(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    id: i32,
    password: &str,
) -> SResult<()> {
    check_password(password)?;
    let hash = hash_password(password)?;
    write_tx(conn, |conn| {
        let u = user::by_id(conn, id)
            .optional()?
            .ok_or(ServiceError::NotFound("user"))?;
        user::set_password(conn, id, &hash, trunc(ctx.clock.now_utc()))?;
        user::sessions_delete_for_user(conn, id)?;
        audit::record(
            conn,
            ctx,
            actor,
            "user.password_reset",
            &u.username,
            "",
            "ok",
        )?;
        Ok(())
    })
}

/// Disables a user: their sessions end and their tokens stop working at once.
pub fn disable_user(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, username: &str) -> SResult<()> {
    write_tx(conn, |conn| {
        let u = user::by_username(conn, username)?.ok_or(ServiceError::NotFound("user"))?;
        user::set_disabled(conn, u.id, true, trunc(ctx.clock.now_utc()))?;
        user::sessions_delete_for_user(conn, u.id)?;
        audit::record(conn, ctx, actor, "user.disable", &u.username, "", "ok")?;
        Ok(())
    })
}

/// Creates an API token for a user; the token is shown once, only its hash is kept.
pub fn create_token(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    username: &str,
    name: &str,
) -> SResult<String> {
    let name = crate::domain::visit::check_len("name", name.trim(), 60)?;
    write_tx(conn, |conn| {
        let u = user::by_username(conn, username)?
            .ok_or_else(|| FieldError::new("username", "user-unknown").arg("value", username))?;
        if u.disabled {
            return Err(FieldError::new("username", "user-disabled").into());
        }
        let token = format!("ac_{}", random_token());
        let label = if name.is_empty() {
            "api".to_string()
        } else {
            name
        };
        user::token_insert(
            conn,
            u.id,
            &label,
            &sha256_hex(&token),
            trunc(ctx.clock.now_utc()),
        )?;
        audit::record(conn, ctx, actor, "token.create", &u.username, &label, "ok")?;
        Ok(token)
    })
}

pub fn revoke_token(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, id: i32) -> SResult<()> {
    write_tx(conn, |conn| {
        if user::token_revoke(conn, id, trunc(ctx.clock.now_utc()))? == 0 {
            return Err(ServiceError::NotFound("token"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "token.revoke",
            &format!("token {id}"),
            "",
            "ok",
        )?;
        Ok(())
    })
}

#[derive(Debug)]
pub enum LoginError {
    /// Wrong name or password (never says which).
    Invalid,
    /// Too many failures for this account or from this address.
    Throttled,
    Other(ServiceError),
}

impl<E: Into<ServiceError>> From<E> for LoginError {
    fn from(e: E) -> Self {
        LoginError::Other(e.into())
    }
}

/// A precomputed hash to verify against when the user does not exist, so that a missing
/// account takes as long to refuse as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not a real password").expect("hash"));

/// Checks the password and opens a session; returns the session token (for the cookie).
pub fn login(
    conn: &mut DbConn,
    ctx: &Ctx,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<(String, User), LoginError> {
    let s = &ctx.config.settings;
    let now = trunc(ctx.clock.now_utc());
    let since = now - Duration::minutes(s.login_window_minutes.into());
    let username = username.trim().to_lowercase();
    let (by_user, by_ip) = user::failures_since(conn, &username, ip, since)?;
    let actor = Actor {
        user_id: None,
        name: username.clone(),
        role: Role::Clerk,
        store_id: None,
        ip: Some(ip.to_string()),
    };
    if by_user >= i64::from(s.login_max_failures_per_account)
        || by_ip >= i64::from(s.login_max_failures_per_address)
    {
        audit::record(
            conn,
            ctx,
            &actor,
            "login",
            &username,
            &audit::detail(&[("reason", "throttled".into())]),
            "refused",
        )?;
        return Err(LoginError::Throttled);
    }
    let found = user::by_username(conn, &username)?;
    let ok = match &found {
        Some(u) => verify_password(&u.password_hash, password) && !u.disabled,
        None => {
            verify_password(&DUMMY_HASH, password);
            false
        }
    };
    user::attempt_insert(conn, &username, ip, now, ok)?;
    let Some(u) = found.filter(|_| ok) else {
        audit::record(
            conn,
            ctx,
            &actor,
            "login",
            &username,
            &audit::detail(&[("reason", "bad_credentials".into())]),
            "refused",
        )?;
        return Err(LoginError::Invalid);
    };
    let token = random_token();
    let expires = now + Duration::hours(s.session_hours.into());
    user::session_insert(
        conn,
        u.id,
        &sha256_hex(&token),
        &random_token(),
        now,
        expires,
    )?;
    let actor = Actor {
        user_id: Some(u.id),
        name: u.username.clone(),
        role: u.role,
        store_id: u.store_id,
        ip: Some(ip.to_string()),
    };
    audit::record(conn, ctx, &actor, "login", &u.username, "", "ok")?;
    Ok((token, u))
}

use diesel::OptionalExtension;

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
