//! Issue 11: the logins found valid, kept in memory, and the check that a kept one still is.

use crate::services::accounts::User;
use crate::services::sessions;
use crate::web::error::AppError;
use crate::web::State;
use std::collections::HashMap;

/// Issue 11: logins found valid, kept in memory so a request does not look its session or
/// token up again. A kept login is used only while its user's queue version is unchanged (one
/// primary-key lookup; triggers bump it when a session of the user ends, a token is revoked,
/// or the user changes — from any process) and, for a session, before it expires; so log-out,
/// disabling and expiry take effect at once.
#[derive(Default)]
pub struct LoginCache {
    map: std::sync::Mutex<HashMap<String, Kept>>,
}

#[derive(Clone)]
pub(super) struct Kept {
    pub(super) user: User,
    pub(super) version: i64,
    /// A session's CSRF token and end.
    pub(super) session: Option<(String, chrono::NaiveDateTime)>,
    /// A token's last recorded use (written again after a minute).
    pub(super) last_used: Option<chrono::NaiveDateTime>,
}

impl LoginCache {
    /// At most this many logins are kept (then the map starts again).
    const MAX: usize = 10_000;

    pub(super) fn get(&self, hash: &str) -> Option<Kept> {
        self.map.lock().ok()?.get(hash).cloned()
    }

    pub(super) fn put(&self, hash: String, k: Kept) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert(hash, k);
        }
    }

    /// Keeps a login just found in the database, when its user has a version to check it by.
    pub(super) fn keep(
        &self,
        hash: String,
        version: Option<i64>,
        user: &User,
        session: Option<(String, chrono::NaiveDateTime)>,
        last_used: Option<chrono::NaiveDateTime>,
    ) {
        if let Some(version) = version {
            let user = user.clone();
            self.put(
                hash,
                Kept {
                    user,
                    version,
                    session,
                    last_used,
                },
            );
        }
    }

    pub fn forget(&self, hash: &str) {
        if let Ok(mut m) = self.map.lock() {
            m.remove(hash);
        }
    }
}

/// The login kept for `hash`, when `usable` says it may serve and its user's version is still
/// the kept one; `None` sends the caller to the database.
pub(super) async fn kept(
    state: &State,
    hash: &str,
    usable: impl Fn(&Kept) -> bool,
) -> Result<Option<Kept>, AppError> {
    match state.logins.get(hash).filter(|k| usable(k)) {
        Some(k) if still_valid(state, &k).await? => Ok(Some(k)),
        _ => Ok(None),
    }
}

/// The user's version now equals the kept one.
async fn still_valid(state: &State, k: &Kept) -> Result<bool, AppError> {
    let (id, version) = (k.user.id, k.version);
    state
        .quick(move |conn| Ok(sessions::version_is(conn, id, version)?))
        .await
}
