//! Who is signed in: the session behind a cookie (sliding expiry) and the user behind an API
//! token, by the SHA-256 of what the client holds (the database never sees the secret itself);
//! signing out; the language a user chose.

use super::{Actor, Ctx, SResult};
use crate::db::DbConn;
use crate::digest::sha256_hex;
use crate::models::trunc;
use crate::models::user::{self, User};
use chrono::Duration;

/// The user of a session cookie and the session's CSRF token, or `None` (unknown or expired).
/// The expiry slides, written at most every half session, not on each request.
pub fn signed_in(conn: &mut DbConn, ctx: &Ctx, token: &str) -> SResult<Option<(String, User)>> {
    let hours = i64::from(ctx.config.settings.session_hours);
    let now = trunc(ctx.clock.now_utc());
    let found = user::session_by_hash(conn, &sha256_hex(token), now)?;
    if let Some((s, _)) = &found {
        if s.expires_at - now < Duration::hours(hours) / 2 {
            user::session_touch(conn, s.id, now + Duration::hours(hours))?;
        }
    }
    Ok(found.map(|(s, u)| (s.csrf_token, u)))
}

/// The user of an API token, or `None`. Its last use is kept to the minute, which spares a
/// write per request.
pub fn token_user(conn: &mut DbConn, ctx: &Ctx, token: &str) -> SResult<Option<User>> {
    let found = user::token_user(conn, &sha256_hex(token))?;
    if let Some((t, _)) = &found {
        let now = trunc(ctx.clock.now_utc());
        if t.last_used_at
            .is_none_or(|l| now - l > Duration::minutes(1))
        {
            user::token_touch(conn, t.id, now)?;
        }
    }
    Ok(found.map(|(_, u)| u))
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
