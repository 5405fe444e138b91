//! The page frame (`Chrome`) of a request — its user, CSRF token, the app's date and the
//! notice after a redirect — and the language a request is answered in.

use super::{ApiLang, Auth};
use crate::web::error::request_lang;
use crate::web::render::{Chrome, ChromeUser};
use crate::web::State;
use actix_web::{HttpMessage, HttpRequest};

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
