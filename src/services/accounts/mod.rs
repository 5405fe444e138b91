//! Accounts: users and roles, passwords (argon2id), sessions kept in the database (so a
//! logout or a disabled user ends them at once), API tokens (random, stored as SHA-256), and
//! login throttling per account and per address.
//!
//! Here: users, passwords and tokens written. Signing in is `login`, what the administration
//! pages read `pages`.

mod login;
mod pages;

pub use login::{login, LoginError};
pub use pages::{
    by_username, clerks_of_store, staff, tokens_overview, user_to_edit, users_overview, TokenLine,
    UserLine,
};

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
use diesel::OptionalExtension;

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
