//! Signing in and out, and the user's language.

use super::auth::{self, chrome, cookie, prelogin_cookie_name, AuthForm, Form};
use super::error::request_lang;
use super::render::html;
use super::{AppError, AppResult, State};
use crate::digest::sha256_hex;
use crate::i18n::I18N;
use crate::services::accounts::{self, LoginError};
use crate::services::sessions;
use crate::web::render::see_other;
use actix_web::cookie::Cookie;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    lang: Option<String>,
}

/// Only a path of ours: never an absolute or scheme-relative URL (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn render_login(
    req: &HttpRequest,
    state: &State,
    lang: &'static str,
    csrf: &str,
    next: &str,
    username: &str,
    error: Option<String>,
) -> AppResult<String> {
    let mut c = chrome(req, state, lang, None, None);
    c.csrf = csrf.to_string();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &c);
    ctx.insert("next", next);
    ctx.insert("username", username);
    ctx.insert("error", &error);
    Ok(state.templates.render(lang, "login.html", &ctx)?)
}

pub async fn form(
    req: HttpRequest,
    state: State,
    q: web::Query<LoginQuery>,
) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, state.lang_default());
    let secure = state.ctx.config.settings.secure_cookies;
    let csrf = req
        .cookie(prelogin_cookie_name(secure))
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64)
        .unwrap_or_else(accounts::random_token);
    let body = render_login(
        &req,
        &state,
        lang,
        &csrf,
        &safe_next(q.next.as_deref()),
        "",
        None,
    )?;
    let mut resp = html(body);
    resp.add_cookie(&cookie(prelogin_cookie_name(secure), csrf, secure))
        .map_err(|e| AppError::Internal(e.into()))?;
    if let Some(l) = crate::i18n::supported(q.lang.as_deref()) {
        let mut c = Cookie::build("lang", l)
            .path("/")
            .same_site(actix_web::cookie::SameSite::Lax)
            .finish();
        c.set_secure(secure);
        resp.add_cookie(&c)
            .map_err(|e| AppError::Internal(e.into()))?;
    }
    Ok(resp)
}

pub async fn submit(req: HttpRequest, state: State, form: Form) -> AppResult<HttpResponse> {
    let lang = request_lang(&req, state.lang_default());
    let username = form.get("username").unwrap_or("").trim().to_string();
    let password = form.get("password").unwrap_or("").to_string();
    let next = safe_next(form.get("next"));
    let ip = auth::client_ip(&req);
    let secure = state.ctx.config.settings.secure_cookies;
    let name = username.clone();
    let result = state
        .db(move |conn, ctx| Ok(accounts::login(conn, ctx, &name, &password, &ip)))
        .await?;
    match result {
        Ok((token, _)) => {
            let mut resp = see_other(next);
            resp.add_cookie(&cookie(auth::session_cookie_name(secure), token, secure))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(resp)
        }
        Err(LoginError::Other(e)) => Err(e.into()),
        Err(e) => {
            let (status, key) = match e {
                LoginError::Throttled => (
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                    "err-throttled",
                ),
                _ => (
                    actix_web::http::StatusCode::UNAUTHORIZED,
                    "err-login-invalid",
                ),
            };
            let csrf = form.get("csrf_token").unwrap_or("").to_string();
            let body = render_login(
                &req,
                &state,
                lang,
                &csrf,
                &next,
                &username,
                Some(I18N.t(lang, key)),
            )?;
            Ok(super::render::html_with(status, body))
        }
    }
}

pub async fn logout(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let secure = state.ctx.config.settings.secure_cookies;
    let name = auth::session_cookie_name(secure);
    let token = req
        .cookie(name)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let actor = post.auth.actor();
    state.logins.forget(&sha256_hex(&token));
    state
        .db(move |conn, ctx| Ok(sessions::sign_out(conn, ctx, &actor, &token)?))
        .await?;
    let mut resp = see_other("/login");
    let mut gone = cookie(name, String::new(), secure);
    gone.make_removal();
    resp.add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(resp)
}

pub async fn set_lang(state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let lang = crate::i18n::supported(post.form.get("lang"))
        .ok_or_else(|| AppError::BadRequest("lang".into()))?;
    let back = safe_next(post.form.get("back"));
    let id = post.auth.user.id;
    state
        .db(move |conn, _| Ok(sessions::set_lang(conn, id, lang)?))
        .await?;
    Ok(see_other(back))
}
