//! `GET /api/v1/queue`: CONTRACT.md's queue as JSON, a page at a time, with an `ETag`.

use super::{given, params, parse_day, QueueQuery};
use crate::services::queue::{self, Answer};
use crate::services::queue_cache::Entry;
use crate::services::queue_page;
use crate::web::auth::ApiAuth;
use crate::web::{AppError, AppResult, State};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

/// What the queue API answers: a kept answer, a fresh one, or "as you have it".
enum Served {
    Kept(std::sync::Arc<Entry>),
    Built(String, bytes::Bytes),
    NotModified(String),
}

fn queue_headers(b: &mut actix_web::HttpResponseBuilder, tag: &str) {
    b.insert_header((header::ETAG, tag.to_string()))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"));
}

/// `GET /api/v1/queue?date=&clerk=&kind=&state=&limit=&after=`: CONTRACT.md's queue, a page
/// at a time, with an `ETag` (`If-None-Match` → `304` while the queue is unchanged). The same
/// question while nothing it shows changed is answered from memory (`services::queue_cache`).
pub async fn api(
    req: HttpRequest,
    state: State,
    me: ApiAuth,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let user = me.user.clone();
    let q = q.into_inner();
    let inm = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    let cache = state.queue_cache.clone();
    let raw = req.query_string().to_string();
    let asked = inm.clone();
    let key = format!("api|{}|{}|{raw}", user.id, state.ctx.clock.today());
    if cache.get(&key).is_some() {
        let (c, k, now) = (cache.clone(), key.clone(), state.ctx.clock.now_local());
        if let Some(e) = state.quick(move |conn| Ok(c.fresh(conn, &k, now)?)).await? {
            return Ok(answer(inm.as_deref(), Served::Kept(e)));
        }
    }
    let served = state
        .db(move |conn, ctx| {
            let inm = asked.as_deref();
            let date = parse_day(given(&q.date), ctx.clock.today())?;
            let p = params(&q, date, queue::DEFAULT_LIMIT).map_err(AppError::BadParam)?;
            let (clerk, a) =
                queue_page::api_page(conn, ctx, &actor, &user, given(&q.clerk), &p, inm)?;
            let p = match a {
                Answer::NotModified(tag) => return Ok(Served::NotModified(tag)),
                Answer::Page(p) => p,
            };
            let body = serde_json::to_vec(&json!({
                "date": p.date,
                "clerk": clerk.username,
                "counts": p.counts,
                "total": p.total,
                "tasks": p.tasks,
                "next": p.next,
            }))
            .map_err(|e| AppError::Internal(e.into()))?;
            let body = bytes::Bytes::from(body);
            if let Some(stamp) = p.stamp.clone() {
                cache.put(
                    key,
                    Entry::new(stamp, p.until, p.etag.clone(), body.clone()),
                );
            }
            Ok(Served::Built(p.etag, body))
        })
        .await?;
    Ok(answer(inm.as_deref(), served))
}

/// The queue API's answer: the body, or `304` when the client has it.
fn answer(inm: Option<&str>, served: Served) -> HttpResponse {
    let (tag, body) = match served {
        Served::Kept(e) if queue::matches(inm, &e.etag) => (e.etag.clone(), None),
        Served::Kept(e) => (e.etag.clone(), Some(e.body.clone())),
        Served::Built(tag, body) => (tag, Some(body)),
        Served::NotModified(tag) => (tag, None),
    };
    match body {
        None => {
            let mut b = HttpResponse::NotModified();
            queue_headers(&mut b, &tag);
            b.finish()
        }
        Some(body) => {
            let mut b = HttpResponse::Ok();
            queue_headers(&mut b, &tag);
            b.content_type("application/json").body(body)
        }
    }
}
