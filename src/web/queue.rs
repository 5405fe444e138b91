//! The daily call queue (RULES.md, "Tasks"): the page a clerk starts the day on, the same
//! list a supervisor opens for any clerk, and `GET /api/v1/queue`. Both read one page at a
//! time (`services::queue`); the page opens on today's work (overdue, then due), 50 rows a
//! page, with the event notice calls of one event as one row.

use super::auth::{chrome, ApiAuth, Auth};
use super::{AppError, AppResult, State};
use crate::domain::cadence::Window;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::task::{TaskKind, TaskState};
use crate::domain::visit::parse_date;
use crate::services::accounts::User;
use crate::services::queue::{self, Answer, Page, Params};
use crate::services::queue_cache::Entry;
use crate::services::queue_page::{self, ClerkPage, PageAsk};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

/// Rows on a page of the queue page (the API's default is `queue::DEFAULT_LIMIT`).
pub const PAGE_ROWS: usize = 50;

#[derive(Debug, Deserialize, Default, Clone)]
pub struct QueueQuery {
    pub date: Option<String>,
    pub clerk: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub limit: Option<String>,
    pub after: Option<String>,
    /// The page: its number (for "page N of M"), whose tasks (`own` or a covered username),
    /// the tasks of one event.
    pub page: Option<String>,
    #[serde(rename = "for")]
    pub owner: Option<String>,
    pub event: Option<String>,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn parse_day(s: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    match s {
        None => Ok(today),
        Some(d) => parse_date("date", d).map_err(|e| AppError::Invalid(e.into())),
    }
}

/// A comma-separated list of known values; an unknown one names the parameter.
fn list<T>(
    field: &str,
    code: &'static str,
    s: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Vec<T>, FieldError> {
    let mut out = Vec::new();
    for v in s
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        out.push(parse(v).ok_or_else(|| FieldError::new(field, code).arg("value", v))?);
    }
    Ok(out)
}

/// The parameters both surfaces share, checked: every bad one is named (400).
fn params(q: &QueueQuery, date: NaiveDate, default_limit: usize) -> Result<Params, FieldErrors> {
    let mut errs = FieldErrors::default();
    let mut p = Params::new(date);
    p.kinds = errs
        .take(list(
            "kind",
            "queue-kind-unknown",
            given(&q.kind),
            TaskKind::parse,
        ))
        .unwrap_or_default();
    p.states = errs
        .take(list(
            "state",
            "queue-state-unknown",
            given(&q.state),
            TaskState::parse,
        ))
        .unwrap_or_default();
    p.limit = match given(&q.limit) {
        None => default_limit,
        Some(l) => match l.parse::<usize>() {
            Ok(n) if (1..=queue::MAX_LIMIT).contains(&n) => n,
            _ => {
                errs.push(
                    FieldError::new("limit", "queue-limit")
                        .arg("value", l)
                        .arg("max", queue::MAX_LIMIT.to_string()),
                );
                default_limit
            }
        },
    };
    if let Some(a) = given(&q.after) {
        match queue::parse_cursor(a) {
            Some(k) => p.after = Some(k),
            None => errs.push(FieldError::new("after", "queue-cursor")),
        }
    }
    if let Some(e) = given(&q.event) {
        match e.parse::<i32>() {
            Ok(id) => p.event_id = Some(id),
            Err(_) => errs.push(FieldError::new("event", "queue-event").arg("value", e)),
        }
    }
    if errs.is_empty() {
        Ok(p)
    } else {
        Err(errs)
    }
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<QueueQuery>,
) -> AppResult<HttpResponse> {
    page(req, state, me, Some(q.into_inner())).await
}

/// A query string of the pairs that have a value.
fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Percent-encodes a query value.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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
    if state.queue_cache.get(&key).is_some() {
        let (cache, k) = (state.queue_cache.clone(), key.clone());
        let now = state.ctx.clock.now_local();
        let kept = state
            .quick(move |conn| Ok(cache.fresh(conn, &k, now)?))
            .await?;
        if let Some(e) = kept {
            return Ok(HttpResponse::Ok()
                .content_type("text/html; charset=utf-8")
                .body(e.body.clone()));
        }
    }
    let actor = me.actor();
    let user = me.user.clone();
    let mut qq = q.clone();
    // The page's own state choices: none (today: overdue and due) and "all".
    let all_states = given(&q.state) == Some("all");
    if all_states {
        qq.state = None;
    }
    let today = state.ctx.clock.today();
    let date = parse_day(given(&qq.date), today)?;
    let mut p = params(&qq, date, PAGE_ROWS).map_err(AppError::Invalid)?;
    p.limit = PAGE_ROWS;
    p.group_events = true;
    p.want_prev = true;
    let cp = state
        .db(move |conn, ctx| {
            let ask = PageAsk {
                clerk: given(&qq.clerk),
                owner: given(&qq.owner),
                // The page opens on today's work; "all" shows every state.
                today: given(&qq.state).is_none() && !all_states,
            };
            Ok(queue_page::clerk_page(conn, ctx, &actor, &user, &ask, p)?)
        })
        .await?;
    let ClerkPage {
        clerk,
        page,
        clerks,
        event_title,
        params: p,
    } = cp;
    let (stamp, until, etag) = (page.stamp.clone(), page.until, page.etag.clone());
    let body = render_page(
        &req,
        &state,
        &me,
        &q,
        clerk,
        page,
        clerks,
        event_title,
        &p,
        today,
    )?;
    let body = bytes::Bytes::from(body);
    if let Some(stamp) = stamp {
        state
            .queue_cache
            .put(key, Entry::new(stamp, until, etag, body.clone()));
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// The page's filters as they stand, kept on every link it offers.
struct Links<'a> {
    date: &'a str,
    clerk: &'a str,
    kind: &'a str,
    state: &'a str,
    owner: &'a str,
    event: &'a str,
}

impl<'a> Links<'a> {
    fn of(q: &'a QueueQuery) -> Links<'a> {
        Links {
            date: given(&q.date).unwrap_or(""),
            clerk: given(&q.clerk).unwrap_or(""),
            kind: given(&q.kind).unwrap_or(""),
            state: given(&q.state).unwrap_or(""),
            owner: given(&q.owner).unwrap_or(""),
            event: given(&q.event).unwrap_or(""),
        }
    }

    /// The queue with these filters, in `state`, from the cursor `after` on page `page_no`.
    fn url(&self, state: &str, after: &str, page_no: &str) -> String {
        format!(
            "/queue{}",
            query_string(&[
                ("date", self.date),
                ("clerk", self.clerk),
                ("kind", self.kind),
                ("state", state),
                ("for", self.owner),
                ("event", self.event),
                ("after", after),
                // The page number only says where a cursor leads; the first page has none.
                ("page", if after.is_empty() { "" } else { page_no }),
            ])
        )
    }

    /// An event's grouped notices, every state.
    fn event_url(&self, event_id: i32) -> String {
        format!(
            "/queue{}",
            query_string(&[
                ("date", self.date),
                ("clerk", self.clerk),
                ("for", self.owner),
                ("event", &event_id.to_string()),
                ("state", "all"),
            ])
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn render_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    q: &QueueQuery,
    clerk: User,
    page: Page,
    clerks: Vec<User>,
    event_title: Option<String>,
    p: &Params,
    today: NaiveDate,
) -> AppResult<String> {
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

/// R9: the clerks covered on the page's date, each with the username that opens their queue.
fn covering_list(page: &Page, clerks: &[User]) -> Vec<serde_json::Value> {
    page.covering
        .iter()
        .map(|(id, n)| {
            let username = clerks
                .iter()
                .find(|c| c.id == *id)
                .map(|c| c.username.clone());
            json!({"id": id, "name": n, "username": username})
        })
        .collect()
}

/// The page number, the number of pages and the links to the next and previous page; returns
/// the page number the request is on (1 without a cursor).
fn pagination(
    ctx: &mut tera::Context,
    q: &QueueQuery,
    p: &Params,
    page: &Page,
    links: &Links,
) -> usize {
    let page_no: usize = given(&q.page)
        .and_then(|n| n.parse().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1);
    let page_no = if p.after.is_none() { 1 } else { page_no };
    let pages = ((page.list_total.max(0) as usize).div_ceil(PAGE_ROWS)).max(1);
    let next = page
        .next
        .as_deref()
        .map(|c| links.url(links.state, c, &(page_no + 1).to_string()));
    let prev = page.prev.as_ref().map(|c| match c {
        Some(c) => links.url(
            links.state,
            c,
            &(page_no.saturating_sub(1)).max(1).to_string(),
        ),
        None => links.url(links.state, "", ""),
    });
    ctx.insert("next_url", &next);
    ctx.insert("prev_url", &prev);
    ctx.insert("page_no", &page_no.min(pages));
    ctx.insert("pages", &pages);
    page_no
}

/// The page's tasks, each with the link that works on it.
fn rows(page: &Page, here: &str) -> Vec<serde_json::Value> {
    // X2: a call-back whose time has come today rises to the top of the page (the page
    // only; the API keeps RULES.md's order).
    let mut tasks: Vec<_> = page.tasks.iter().collect();
    tasks.sort_by_key(|t| {
        (
            !t.callback_now,
            t.callback_now.then(|| t.callback_time.clone()),
        )
    });
    let back = urlencode(here);
    tasks
        .iter()
        .map(|t| {
            let link = crate::services::task_view::task_link(
                t.kind,
                t.id,
                t.visit_id,
                t.item_id,
                t.customer_id,
            );
            // The way back only when it is not the plain queue (the call form's default).
            let link = if link.starts_with("/tasks/") && here != "/queue" {
                format!("{link}?back={back}")
            } else {
                link
            };
            json!({"t": t, "link": link})
        })
        .collect()
}

/// R6: the event notices grouped by event, each with its state on the page's date.
fn groups(page: &Page, links: &Links) -> Vec<serde_json::Value> {
    page.groups
        .iter()
        .map(|g| {
            let window = Window {
                start: g.first_start,
                end: g.due_by,
            };
            let state = crate::domain::task::state_on(window, page.date);
            json!({"g": g, "state": state.as_str(), "link": links.event_url(g.event_id)})
        })
        .collect()
}

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
