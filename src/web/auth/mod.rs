//! Who is asking, and may they? `Auth` (pages: the session cookie) and `ApiAuth` (the JSON
//! API: a bearer token) both resolve the user and then check the matched route against the
//! role table of `web::routes()`. `Form` is the body of every page form: it refuses a post
//! whose CSRF token is not the session's, and a cross-site `Origin`/`Sec-Fetch-Site`.
//!
//! Here: `Auth` and the role check. The API's user is `api`, page forms and the same-origin
//! check `form`, the page frame `chrome`, cookies `cookies`, the kept logins `logins`.

mod api;
mod chrome;
mod cookies;
mod form;
mod logins;

pub use api::{ApiAuth, ApiLang};
pub use chrome::{chrome, chrome_of, lang_of};
pub use cookies::{
    cookie, prelogin_cookie_name, session_cookie_name, PRELOGIN_COOKIE, PRELOGIN_COOKIE_SECURE,
    SESSION_COOKIE, SESSION_COOKIE_SECURE,
};
pub use form::{AuthForm, Form};
pub use logins::LoginCache;

use super::error::{request_lang, AppError};
use super::{roles_for, State};
use crate::digest::sha256_hex;
use crate::domain::role::Role;
use crate::services::accounts::User;
use crate::services::sessions;
use crate::services::{audit, Actor};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use chrono::Duration;
use form::same_origin;
use futures_util::future::LocalBoxFuture;
use logins::kept;

/// The signed-in user of a page request.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    pub role: Role,
    pub csrf: String,
    pub lang: &'static str,
    pub ip: String,
}

impl Auth {
    pub fn actor(&self) -> Actor {
        actor_of(&self.user, self.role, &self.ip)
    }
}

/// Who acts in a request signed in by a session or a token: the user, from the address.
fn actor_of(user: &User, role: Role, ip: &str) -> Actor {
    Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        role,
        store_id: user.store_id,
        ip: Some(ip.to_string()),
    }
}

pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub(super) fn user_lang(u: &User, req: &HttpRequest, default: &'static str) -> &'static str {
    crate::i18n::supported(u.lang.as_deref()).unwrap_or_else(|| request_lang(req, default))
}

/// Refuses a request whose role is not listed for its route, and records the denial.
pub(super) async fn check_role(
    req: &HttpRequest,
    state: &State,
    actor: Actor,
) -> Result<(), AppError> {
    let pattern = req.match_pattern().unwrap_or_default();
    let allowed = match roles_for(req.method(), &pattern) {
        Some(Some(roles)) => roles.contains(&actor.role),
        Some(None) => true,
        None => false,
    };
    if allowed {
        return Ok(());
    }
    let what = format!("{} {}", req.method(), req.path());
    state
        .db(move |conn, ctx| {
            audit::record(conn, ctx, &actor, "permission.denied", &what, "", "refused")?;
            Ok(())
        })
        .await?;
    Err(AppError::Forbidden)
}

impl FromRequest for Auth {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Auth, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(a) = req.extensions().get::<Auth>() {
                return Ok(a.clone());
            }
            let state = req.app_data::<State>().expect("state").clone();
            let secure = state.ctx.config.settings.secure_cookies;
            let token = req
                .cookie(session_cookie_name(secure))
                .map(|c| c.value().to_string())
                .ok_or(AppError::Unauthenticated)?;
            if !same_origin(&req) {
                return Err(AppError::Csrf);
            }
            let hash = sha256_hex(&token);
            let hours = i64::from(state.ctx.config.settings.session_hours);
            let now = sessions::now(&state.ctx);
            let kept = kept(&state, &hash, |k| {
                // Kept only while more than half the session is left (its expiry slides then).
                k.session
                    .as_ref()
                    .is_some_and(|(_, end)| *end - now >= Duration::hours(hours) / 2)
            })
            .await?;
            let (csrf, u) = match kept {
                Some(k) => (k.session.map(|s| s.0).unwrap_or_default(), k.user),
                None => {
                    let found = state
                        .db(move |conn, ctx| Ok(sessions::signed_in(conn, ctx, &token)?))
                        .await?
                        .ok_or(AppError::Unauthenticated)?;
                    let session = Some((found.csrf.clone(), found.expires_at));
                    state
                        .logins
                        .keep(hash, found.version, &found.user, session, None);
                    (found.csrf, found.user)
                }
            };
            let role = u.role;
            let lang = user_lang(&u, &req, state.lang_default());
            let auth = Auth {
                csrf,
                role,
                lang,
                ip: client_ip(&req),
                user: u,
            };
            req.extensions_mut().insert(auth.clone());
            check_role(&req, &state, auth.actor()).await?;
            Ok(auth)
        })
    }
}
