//! Signing in: the password checked (as slowly for a missing account as for a wrong
//! password), login throttling per account and per address, and the session opened.

use super::{hash_password, verify_password};
use crate::db::DbConn;
use crate::digest::{random_token, sha256_hex};
use crate::domain::role::Role;
use crate::models::trunc;
use crate::models::user::{self, User};
use crate::services::{audit, Actor, Ctx, ServiceError};
use chrono::Duration;

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

/// A refused login, in the audit log under the name typed (the actor's) with its reason.
fn refuse<T>(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    why: LoginError,
) -> Result<T, LoginError> {
    let reason = match why {
        LoginError::Throttled => "throttled",
        _ => "bad_credentials",
    };
    audit::record(
        conn,
        ctx,
        actor,
        "login",
        &actor.name,
        &audit::detail(&[("reason", reason.into())]),
        "refused",
    )?;
    Err(why)
}

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
        return refuse(conn, ctx, &actor, LoginError::Throttled);
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
        return refuse(conn, ctx, &actor, LoginError::Invalid);
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
