//! The bodies of page forms: `Form` (the login form, checked against the pre-login cookie)
//! and `AuthForm` (a signed-in user's, checked against the session's CSRF token); and the
//! same-origin check every state-changing request passes.

use super::cookies::prelogin_cookie_name;
use super::Auth;
use crate::web::error::AppError;
use crate::web::State;
use actix_web::dev::Payload;
use actix_web::http::{header, Method};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use std::collections::HashMap;

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
                    .map_err(|e| crate::web::error::from_actix(&e, "form"))?
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
                    .map_err(|e| crate::web::error::from_actix(&e, "form"))?
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

/// A state-changing request must come from our own pages.
pub(super) fn same_origin(req: &HttpRequest) -> bool {
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
