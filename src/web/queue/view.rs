//! What the queue page shows beside its tasks: the links that keep its filters, the pager,
//! the rows with the link that works on each task, the clerks covered (R9) and the event
//! notices grouped by event (R6).

use super::{given, QueueQuery, PAGE_ROWS};
use crate::domain::cadence::Window;
use crate::services::accounts::User;
use crate::services::queue::{Page, Params};
use serde_json::json;

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

/// The page's filters as they stand, kept on every link it offers.
pub(super) struct Links<'a> {
    pub(super) date: &'a str,
    pub(super) clerk: &'a str,
    pub(super) kind: &'a str,
    pub(super) state: &'a str,
    pub(super) owner: &'a str,
    pub(super) event: &'a str,
}

impl<'a> Links<'a> {
    pub(super) fn of(q: &'a QueueQuery) -> Links<'a> {
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
    pub(super) fn url(&self, state: &str, after: &str, page_no: &str) -> String {
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

/// R9: the clerks covered on the page's date, each with the username that opens their queue.
pub(super) fn covering_list(page: &Page, clerks: &[User]) -> Vec<serde_json::Value> {
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
pub(super) fn pagination(
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
pub(super) fn rows(page: &Page, here: &str) -> Vec<serde_json::Value> {
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
pub(super) fn groups(page: &Page, links: &Links) -> Vec<serde_json::Value> {
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
