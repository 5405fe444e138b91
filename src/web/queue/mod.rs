//! The daily call queue (RULES.md, "Tasks"): the page a clerk starts the day on, the same
//! list a supervisor opens for any clerk, and `GET /api/v1/queue`. Both read one page at a
//! time (`services::queue`); the page opens on today's work (overdue, then due), 50 rows a
//! page, with the event notice calls of one event as one row.
//!
//! Here: the parameters both surfaces share, checked. The page is `page`, what it shows (its
//! links, pager, rows and event groups) `view`, the API `api`.

mod api;
mod page;
mod view;

pub use api::api;
pub use page::{page, show};
pub use view::urlencode;

use super::{given, AppError, AppResult};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::task::{TaskKind, TaskState};
use crate::domain::visit::parse_date;
use crate::services::queue::{self, Params};
use chrono::NaiveDate;
use serde::Deserialize;

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
