//! Who is asking, and may they? `Auth` (pages: the session cookie) and `ApiAuth` (the JSON
//! API: a bearer token) both resolve the user and then check the matched route against the
//! role table of `web::routes()`. `Form` is the body of every page form: it refuses a post
//! whose CSRF token is not the session's, and a cross-site `Origin`/`Sec-Fetch-Site`.

use super::error::{request_lang, AppError};
use super::render::{Chrome, ChromeUser};
use super::{roles_for, State};
use crate::digest::sha256_hex;
use crate::domain::role::Role;
use crate::services::accounts::User;
use crate::services::sessions;
use crate::services::{audit, Actor};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use chrono::Duration;
use futures_util::future::LocalBoxFuture;
use std::collections::HashMap;

pub const SESSION_COOKIE: &str = "aftercare_session";
pub const SESSION_COOKIE_SECURE: &str = "__Host-aftercare_session";
pub const PRELOGIN_COOKIE: &str = "aftercare_csrf";
pub const PRELOGIN_COOKIE_SECURE: &str = "__Host-aftercare_csrf";

/// The pre-login CSRF cookie: `__Host-` under `secure_cookies`, like the session's, so no
/// subdomain or plain-HTTP page can plant one.
pub fn prelogin_cookie_name(secure: bool) -> &'static str {
    if secure {
        PRELOGIN_COOKIE_SECURE
    } else {
        PRELOGIN_COOKIE
    }
}

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        SESSION_COOKIE_SECURE
    } else {
        SESSION_COOKIE
    }
}

/// A cookie with the flags every cookie of ours carries.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish();
    c.set_secure(secure);
    c
}

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
struct Kept {
    user: User,
    version: i64,
    /// A session's CSRF token and end.
    session: Option<(String, chrono::NaiveDateTime)>,
    /// A token's last recorded use (written again after a minute).
    last_used: Option<chrono::NaiveDateTime>,
}

impl LoginCache {
    /// At most this many logins are kept (then the map starts again).
    const MAX: usize = 10_000;

    fn get(&self, hash: &str) -> Option<Kept> {
        self.map.lock().ok()?.get(hash).cloned()
    }

    fn put(&self, hash: String, k: Kept) {
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= Self::MAX {
                m.clear();
            }
            m.insert(hash, k);
        }
    }

    pub fn forget(&self, hash: &str) {
        if let Ok(mut m) = self.map.lock() {
            m.remove(hash);
        }
    }
}

/// The user's version now equals the kept one.
async fn still_valid(state: &State, k: &Kept) -> Result<bool, AppError> {
    let (id, version) = (k.user.id, k.version);
    state
        .quick(move |conn| Ok(sessions::version_is(conn, id, version)?))
        .await
}

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
        Actor {
            user_id: Some(self.user.id),
            name: self.user.username.clone(),
            role: self.role,
            store_id: self.user.store_id,
            ip: Some(self.ip.clone()),
        }
    }
}

pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn user_lang(u: &User, req: &HttpRequest, default: &'static str) -> &'static str {
    crate::i18n::supported(u.lang.as_deref()).unwrap_or_else(|| request_lang(req, default))
}

/// The language of a request: the signed-in user's, else the request's own.
pub fn lang_of(req: &HttpRequest, default: &'static str) -> &'static str {
    if let Some(a) = req.extensions().get::<Auth>() {
        return a.lang;
    }
    if let Some(l) = req.extensions().get::<ApiLang>() {
        return l.0;
    }
    request_lang(req, default)
}

/// The page frame for a request (used by error pages, which have no handler of their own).
pub fn chrome_of(req: &HttpRequest, state: &State, lang: &'static str) -> Chrome {
    let auth = req.extensions().get::<Auth>().cloned();
    chrome(req, state, lang, auth.as_ref(), None)
}

pub fn chrome(
    req: &HttpRequest,
    state: &State,
    lang: &'static str,
    auth: Option<&Auth>,
    flash: Option<String>,
) -> Chrome {
    let clock = state.ctx.clock;
    Chrome {
        lang: lang.to_string(),
        user: auth.map(|a| ChromeUser {
            id: a.user.id,
            username: a.user.username.clone(),
            display_name: a.user.display_name.clone(),
            role: a.role.as_str().to_string(),
            has_store: a.user.store_id.is_some(),
        }),
        csrf: auth.map(|a| a.csrf.clone()).unwrap_or_default(),
        fixed_date: clock.fixed().map(|d| d.to_string()),
        today: clock.today().to_string(),
        path: req.path().to_string(),
        flash: flash.or_else(|| flash_of(req, lang)),
    }
}

/// A message after a redirect: `?ok=KEY` shows the translation `ok-KEY` (known keys only).
fn flash_of(req: &HttpRequest, lang: &str) -> Option<String> {
    let key = req
        .query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("ok="))?;
    let id = format!("ok-{key}");
    crate::i18n::I18N
        .has(lang, &id)
        .then(|| crate::i18n::I18N.t(lang, &id))
}

/// Refuses a request whose role is not listed for its route, and records the denial.
async fn check_role(req: &HttpRequest, state: &State, actor: Actor) -> Result<(), AppError> {
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

/// A state-changing request must come from our own pages.
fn same_origin(req: &HttpRequest) -> bool {
    if req.method() == Method::GET || req.method() == Method::HEAD {
        return true;
    }
    if let Some(site) = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
    {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        // Scheme, host and port must all be ours: `https://HOST` is another origin than
        // `http://HOST`. Behind a TLS proxy (`secure_cookies`) the pages are served as https.
        let info = req.connection_info();
        let secure = req
            .app_data::<State>()
            .is_some_and(|s| s.ctx.config.settings.secure_cookies);
        let Some((scheme, origin_host)) = origin.split_once("://") else {
            return false;
        };
        let scheme_ok = scheme.eq_ignore_ascii_case(info.scheme()) || (secure && scheme == "https");
        if origin == "null" || !scheme_ok || !origin_host.eq_ignore_ascii_case(info.host()) {
            return false;
        }
    }
    true
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
            let kept = state.logins.get(&hash).filter(|k| {
                // Kept only while more than half the session is left (its expiry slides then).
                k.session
                    .as_ref()
                    .is_some_and(|(_, end)| *end - now >= Duration::hours(hours) / 2)
            });
            let kept = match kept {
                Some(k) if still_valid(&state, &k).await? => Some(k),
                _ => None,
            };
            let (csrf, u) = match kept {
                Some(k) => (k.session.map(|s| s.0).unwrap_or_default(), k.user),
                None => {
                    let found = state
                        .db(move |conn, ctx| Ok(sessions::signed_in(conn, ctx, &token)?))
                        .await?
                        .ok_or(AppError::Unauthenticated)?;
                    if let Some(version) = found.version {
                        state.logins.put(
                            hash,
                            Kept {
                                user: found.user.clone(),
                                version,
                                session: Some((found.csrf.clone(), found.expires_at)),
                                last_used: None,
                            },
                        );
                    }
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

/// The language of an API request, for its error messages.
#[derive(Debug, Clone, Copy)]
pub struct ApiLang(pub &'static str);

/// The user of an API request, by `Authorization: Bearer TOKEN`.
#[derive(Debug, Clone)]
pub struct ApiAuth {
    pub user: User,
    pub role: Role,
    pub lang: &'static str,
    pub ip: String,
}

impl ApiAuth {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            name: self.user.username.clone(),
            role: self.role,
            store_id: self.user.store_id,
            ip: Some(self.ip.clone()),
        }
    }
}

impl FromRequest for ApiAuth {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<ApiAuth, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req.app_data::<State>().expect("state").clone();
            let token = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(|t| t.trim().to_string())
                .ok_or(AppError::Unauthenticated)?;
            let hash = sha256_hex(&token);
            let now = sessions::now(&state.ctx);
            let kept = state
                .logins
                .get(&hash)
                .filter(|k| k.session.is_none() && !sessions::token_use_is_stale(k.last_used, now));
            let kept = match kept {
                Some(k) if still_valid(&state, &k).await? => Some(k.user),
                _ => None,
            };
            let u = match kept {
                Some(u) => u,
                None => {
                    let found = state
                        .db(move |conn, ctx| Ok(sessions::token_user(conn, ctx, &token)?))
                        .await?
                        .ok_or(AppError::Unauthenticated)?;
                    if let Some(version) = found.version {
                        state.logins.put(
                            hash,
                            Kept {
                                user: found.user.clone(),
                                version,
                                session: None,
                                last_used: found.last_used,
                            },
                        );
                    }
                    found.user
                }
            };
            let role = u.role;
            let lang = user_lang(&u, &req, state.lang_default());
            req.extensions_mut().insert(ApiLang(lang));
            let api = ApiAuth {
                role,
                lang,
                ip: client_ip(&req),
                user: u,
            };
            check_role(&req, &state, api.actor()).await?;
            Ok(api)
        })
    }
}

/// A page form's fields, after the CSRF check. Repeated names keep every value, in order.
#[derive(Debug, Clone, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn opt(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
    /// The values as a map, to show a form again with what the user typed.
    pub fn values(&self) -> HashMap<String, String> {
        self.0
            .iter()
            .filter(|(k, _)| k != "csrf_token")
            .cloned()
            .collect()
    }
}

/// A form posted before login (the login form): checked against the double-submit cookie
/// that the login page set.
impl FromRequest for Form {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Form, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Form::<Vec<(String, String)>>::from_request(&req, payload);
        Box::pin(async move {
            let form = Form(
                body.await
                    .map_err(|e| super::error::from_actix(&e, "form"))?
                    .into_inner(),
            );
            let secure = req
                .app_data::<State>()
                .is_some_and(|s| s.ctx.config.settings.secure_cookies);
            let expected = req
                .cookie(prelogin_cookie_name(secure))
                .map(|c| c.value().to_string())
                .unwrap_or_default();
            check_csrf(&req, &form, &expected)?;
            Ok(form)
        })
    }
}

/// A form posted by a signed-in user: the user first (with the role check), then the body,
/// checked against the session's CSRF token. One extractor, so the order is certain.
#[derive(Debug, Clone)]
pub struct AuthForm {
    pub auth: Auth,
    pub form: Form,
}

impl FromRequest for AuthForm {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<AuthForm, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let auth = Auth::from_request(&req, &mut Payload::None);
        let body = web::Form::<Vec<(String, String)>>::from_request(&req, payload);
        Box::pin(async move {
            let auth = auth.await?;
            let form = Form(
                body.await
                    .map_err(|e| super::error::from_actix(&e, "form"))?
                    .into_inner(),
            );
            check_csrf(&req, &form, &auth.csrf)?;
            Ok(AuthForm { auth, form })
        })
    }
}

fn check_csrf(req: &HttpRequest, form: &Form, expected: &str) -> Result<(), AppError> {
    let sent = form.get("csrf_token").unwrap_or("");
    if expected.is_empty()
        || !constant_time_eq(sent.as_bytes(), expected.as_bytes())
        || !same_origin(req)
    {
        return Err(AppError::Csrf);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
