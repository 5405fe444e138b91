//! The running server: the app built on a listener (port 0 gives a free port), with its
//! body limits, the security headers on every answer, and every refusal answered in the
//! reader's language — the HTML error page, the JSON error under `/api/`, or the way to the
//! login page.

use super::{auth, config, error, render, urlencode, AppError, AppState, State};
use crate::db::Pool;
use crate::services::Ctx;
use crate::web::render::see_other;
use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::{middleware, web, App, HttpResponse, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;

/// Security headers on every answer: no framing, no sniffing, only our own assets.
fn security_headers() -> middleware::DefaultHeaders {
    middleware::DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
}

/// Turns an `AppError` into the localised HTML page or, under `/api/`, the JSON error.
fn localise_error(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    // actix refuses an over-size body itself (the `Bytes` extractor's PayloadError): that
    // refusal is answered as ours too, a 413 with CONTRACT.md's JSON error.
    let too_large = AppError::TooLarge;
    // Issue 12: any other refusal actix makes itself (a body it cannot read) is ours too.
    let bad = AppError::BadRequest("body-invalid".into());
    let err = match res.response().error() {
        Some(e) => match e.as_error::<AppError>() {
            Some(err) => err,
            None if res.status() == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => &too_large,
            None if res.status().is_client_error() => &bad,
            None => return res,
        },
        None => return res,
    };
    let req = res.request().clone();
    let Some(state) = req.app_data::<State>() else {
        return res;
    };
    let lang = auth::lang_of(&req, state.lang_default());
    let resp = if req.path().starts_with("/api/") {
        err.json(lang)
    } else if matches!(err, AppError::Unauthenticated) {
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let next = if req.method() == Method::GET {
            next
        } else {
            "/"
        };
        see_other(format!("/login?next={}", urlencode(next)))
    } else {
        let (code, message, _) = err.describe(lang);
        let mut ctx = tera::Context::new();
        ctx.insert("chrome", &auth::chrome_of(&req, state, lang));
        ctx.insert("code", &code);
        ctx.insert("message", &message);
        ctx.insert(
            "status",
            &actix_web::ResponseError::status_code(err).as_u16(),
        );
        match state.templates.render(lang, "error.html", &ctx) {
            Ok(body) => HttpResponse::build(actix_web::ResponseError::status_code(err))
                .content_type("text/html; charset=utf-8")
                .body(body),
            Err(e) => {
                tracing::error!("{e:#}");
                return res;
            }
        }
    };
    ServiceResponse::new(req, resp)
}

/// A running server and the address it listens on (port 0 gives a free port).
pub struct Application {
    pub addr: std::net::SocketAddr,
    pub server: actix_web::dev::Server,
}

impl Application {
    pub fn build(pool: Pool, ctx: Ctx, bind: &str) -> anyhow::Result<Application> {
        let listener =
            TcpListener::bind(bind).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
        let addr = listener.local_addr()?;
        let state = web::Data::new(AppState {
            pool,
            ctx,
            templates: render::Templates::load()?,
            queue_cache: Arc::default(),
            logins: auth::LoginCache::default(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(
                    web::JsonConfig::default()
                        .limit(1 << 20)
                        .error_handler(|e, _| error::json_refused(&e).into()),
                )
                // Bodies read whole as bytes (the visit and call APIs) share the JSON limit.
                .app_data(web::PayloadConfig::new(1 << 20))
                .app_data(
                    web::FormConfig::default()
                        .limit(1 << 20)
                        .error_handler(|e, _| error::form_refused(&e).into()),
                )
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| error::query_refused(&e).into()),
                )
                .wrap_fn(|req, srv| {
                    let fut = srv.call(req);
                    async move {
                        let res = fut.await?;
                        Ok(localise_error(res.map_into_boxed_body()))
                    }
                })
                .wrap(security_headers())
                .configure(config)
                .default_service(web::to(|| async {
                    Err::<HttpResponse, _>(AppError::NotFound)
                }))
        })
        .workers(
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2)
                .max(2),
        )
        .listen(listener)?
        .run();
        Ok(Application { addr, server })
    }
}
