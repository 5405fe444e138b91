//! `ApiAuth`: the user of a JSON API request, by `Authorization: Bearer TOKEN` (a token kept
//! as SHA-256), with the route's role check; and the request's language for its errors.

use super::logins::kept;
use super::{actor_of, check_role, client_ip, user_lang};
use crate::digest::sha256_hex;
use crate::domain::role::Role;
use crate::services::accounts::User;
use crate::services::sessions;
use crate::services::Actor;
use crate::web::error::AppError;
use crate::web::State;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

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
        actor_of(&self.user, self.role, &self.ip)
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
            let kept = kept(&state, &hash, |k| {
                k.session.is_none() && !sessions::token_use_is_stale(k.last_used, now)
            })
            .await?;
            let u = match kept {
                Some(k) => k.user,
                None => {
                    let found = state
                        .db(move |conn, ctx| Ok(sessions::token_user(conn, ctx, &token)?))
                        .await?
                        .ok_or(AppError::Unauthenticated)?;
                    let (version, last_used) = (found.version, found.last_used);
                    state
                        .logins
                        .keep(hash, version, &found.user, None, last_used);
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
