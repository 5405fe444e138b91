//! Our cookies: the session's and the pre-login CSRF cookie, by name (`__Host-` under
//! `secure_cookies`), and the flags every cookie of ours carries.

use actix_web::cookie::{Cookie, SameSite};

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
