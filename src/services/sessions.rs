//! Who is signed in: the session behind a cookie (sliding expiry) and the user behind an API
//! token, by the SHA-256 of what the client holds (the database never sees the secret itself);
//! signing out; the language a user chose.

use super::{Actor, Ctx, SResult};
use crate::db::DbConn;
use crate::digest::sha256_hex;
use crate::models::trunc;
use crate::models::user::{self, User};
use chrono::{Duration, NaiveDateTime};

/// Now, as the login tables store times (to the second).
pub fn now(ctx: &Ctx) -> NaiveDateTime {
    trunc(ctx.clock.now_utc())
}

/// A session found valid: its user and CSRF token, when it ends, and the user's queue
/// version when it was read (a later change of the version — log-out, disabling — ends any
/// copy kept in memory).
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    pub expires_at: NaiveDateTime,
    pub version: Option<i64>,
}

/// The session of a cookie, or `None` (unknown or expired). The expiry slides, written at
/// most every half session, not on each request.
pub fn signed_in(conn: &mut DbConn, ctx: &Ctx, token: &str) -> SResult<Option<SignedIn>> {
    let hash = sha256_hex(token);
    let hours = i64::from(ctx.config.settings.session_hours);
    let now = trunc(ctx.clock.now_utc());
    let Some((_, u)) = user::session_by_hash(conn, &hash, now)? else {
        return Ok(None);
    };
    // The version first, then the session read again: what is kept is as it stood at that
    // version or later.
    let version = version_of(conn, u.id)?;
    let Some((s, u)) = user::session_by_hash(conn, &hash, now)? else {
        return Ok(None);
    };
    let mut expires_at = s.expires_at;
    if s.expires_at - now < Duration::hours(hours) / 2 {
        expires_at = now + Duration::hours(hours);
        user::session_touch(conn, s.id, expires_at)?;
    }
    Ok(Some(SignedIn {
        user: u,
        csrf: s.csrf_token,
        expires_at,
        version,
    }))
}

/// An API token found valid: its user, its last use, and the user's version (as above).
pub struct TokenUse {
    pub user: User,
    pub last_used: Option<NaiveDateTime>,
    pub version: Option<i64>,
}

/// Whether a token's last use is older than a minute: its last use is kept to the minute,
/// which spares a write per request.
pub fn token_use_is_stale(last_used: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    last_used.is_none_or(|l| now - l > Duration::minutes(1))
}

/// The user of an API token, or `None`.
pub fn token_user(conn: &mut DbConn, ctx: &Ctx, token: &str) -> SResult<Option<TokenUse>> {
    let hash = sha256_hex(token);
    let Some((_, u)) = user::token_user(conn, &hash)? else {
        return Ok(None);
    };
    let version = version_of(conn, u.id)?;
    let Some((t, u)) = user::token_user(conn, &hash)? else {
        return Ok(None);
    };
    let now = trunc(ctx.clock.now_utc());
    let mut last_used = t.last_used_at;
    if token_use_is_stale(last_used, now) {
        user::token_touch(conn, t.id, now)?;
        last_used = Some(now);
    }
    Ok(Some(TokenUse {
        user: u,
        last_used,
        version,
    }))
}

/// A user's queue version (`queue_versions`), which every change of their login raises.
fn version_of(conn: &mut DbConn, id: i32) -> SResult<Option<i64>> {
    Ok(crate::models::queue::versions(conn, &[id])?.and_then(|v| v.first().copied()))
}

/// Whether a user's version is still `version` (a kept login still holds).
pub fn version_is(conn: &mut DbConn, id: i32, version: i64) -> SResult<bool> {
    Ok(version_of(conn, id)? == Some(version))
}

/// Ends the session of a cookie, in the audit log as `logout`.
pub fn sign_out(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, token: &str) -> SResult<()> {
    user::session_delete(conn, &sha256_hex(token))?;
    super::audit::record(conn, ctx, actor, "logout", &actor.name, "", "ok")?;
    Ok(())
}

/// Keeps the language a user chose for their pages.
pub fn set_lang(conn: &mut DbConn, user_id: i32, lang: &str) -> SResult<()> {
    user::set_lang(conn, user_id, lang)?;
    Ok(())
}
