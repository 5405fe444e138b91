//! The queue page: a clerk's day (or a supervisor's look at any clerk's), one page of 50
//! rows, served from memory while nothing it shows changed (issue 11).

use super::view::{covering_list, groups, pagination, rows, Links};
use super::{given, params, parse_day, QueueQuery, PAGE_ROWS};
use crate::domain::task::{TaskKind, TaskState};
use crate::services::queue_cache::Entry;
use crate::services::queue_page::{self, ClerkPage, PageAsk};
use crate::web::auth::{chrome, Auth};
use crate::web::{AppError, AppResult, State};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde_json::json;

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    page(req, state, me, Some(q.into_inner())).await
}

pub async fn page(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: Option<QueueQuery>,
) -> AppResult<HttpResponse> {
    let q = q.unwrap_or_default();
    // Issue 11: the same page for the same session while nothing it shows changed is served
    // from memory (`services::queue_cache`; the page carries the session's CSRF token).
    let key = format!(
        "page|{}|{}|{}|{}|{}",
        me.user.id,
        me.csrf,
        me.lang,
        state.ctx.clock.today(),
        req.query_string()
    );
    if let Some(body) = kept(&state, &key).await? {
        return Ok(html_ok(body));
    }
    let today = state.ctx.clock.today();
    let cp = clerk_page(&state, &me, &q, today).await?;
    let (stamp, until, etag) = (cp.page.stamp.clone(), cp.page.until, cp.page.etag.clone());
    let body = bytes::Bytes::from(render_page(&req, &state, &me, &q, cp, today)?);
    if let Some(stamp) = stamp {
        state
            .queue_cache
            .put(key, Entry::new(stamp, until, etag, body.clone()));
    }
    Ok(html_ok(body))
}

/// The page kept under `key`, while nothing it shows changed.
async fn kept(state: &State, key: &str) -> AppResult<Option<bytes::Bytes>> {
    if state.queue_cache.get(key).is_none() {
        return Ok(None);
    }
    let (cache, k) = (state.queue_cache.clone(), key.to_string());
    let now = state.ctx.clock.now_local();
    let kept = state
        .quick(move |conn| Ok(cache.fresh(conn, &k, now)?))
        .await?;
    Ok(kept.map(|e| e.body.clone()))
}

fn html_ok(body: bytes::Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The page the request asks for: whose queue, which states, from which cursor.
async fn clerk_page(
    state: &State,
    me: &Auth,
    q: &QueueQuery,
    today: NaiveDate,
) -> AppResult<ClerkPage> {
    let actor = me.actor();
    let user = me.user.clone();
    let mut qq = q.clone();
    // The page's own state choices: none (today: overdue and due) and "all".
    let all_states = given(&q.state) == Some("all");
    if all_states {
        qq.state = None;
    }
    let date = parse_day(given(&qq.date), today)?;
    let mut p = params(&qq, date, PAGE_ROWS).map_err(AppError::Invalid)?;
    p.limit = PAGE_ROWS;
    p.group_events = true;
    p.want_prev = true;
    state
        .db(move |conn, ctx| {
            let ask = PageAsk {
                clerk: given(&qq.clerk),
                owner: given(&qq.owner),
                // The page opens on today's work; "all" shows every state.
                today: given(&qq.state).is_none() && !all_states,
            };
            Ok(queue_page::clerk_page(conn, ctx, &actor, &user, &ask, p)?)
        })
        .await
}

fn render_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    q: &QueueQuery,
    cp: ClerkPage,
    today: NaiveDate,
) -> AppResult<String> {
    let ClerkPage {
        clerk,
        page,
        clerks,
        event_title,
        params: p,
    } = cp;
    let p = &p;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("clerk", &clerk.display_name);
    ctx.insert("clerk_username", &clerk.username);
    ctx.insert("own", &(clerk.id == me.user.id));
    ctx.insert("date", &page.date);
    ctx.insert("is_today", &(page.date == today));
    ctx.insert("away", &page.away);
    let names: Vec<&String> = page.covering.iter().map(|(_, n)| n).collect();
    ctx.insert("covering", &names);
    ctx.insert("covering_list", &covering_list(&page, &clerks));
    ctx.insert("clerks", &clerks);
    let links = Links::of(q);
    let page_no = pagination(&mut ctx, q, p, &page, &links);
    ctx.insert("state_filter", links.state);
    ctx.insert("kind_filter", links.kind);
    ctx.insert("owner_filter", links.owner);
    ctx.insert("event_title", &event_title);
    ctx.insert("event_filter", links.event);
    ctx.insert(
        "kinds",
        &TaskKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    );
    // The counts over every state (the filter by state is what the links choose).
    let all = &page.all_counts;
    ctx.insert(
        "counts",
        &json!({"overdue": all.overdue, "due": all.due, "upcoming": all.upcoming}),
    );
    ctx.insert(
        "count_links",
        &json!({
            "overdue": links.url("overdue", "", ""),
            "due": links.url("due", "", ""),
            "upcoming": links.url("upcoming", "", ""),
            "today": links.url("", "", ""),
            "all": links.url("all", "", ""),
        }),
    );
    ctx.insert("showing_upcoming", &(p.states == [TaskState::Upcoming]));
    let here = links.url(
        links.state,
        given(&q.after).unwrap_or(""),
        &page_no.to_string(),
    );
    ctx.insert("rows", &rows(&page, &here));
    let groups = if page_no == 1 {
        groups(&page, &links)
    } else {
        Vec::new()
    };
    ctx.insert("groups", &groups);
    Ok(state.templates.render(me.lang, "queue.html", &ctx)?)
}
