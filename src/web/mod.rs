//! The web app: pages for clerks, supervisors, auditors and admins, and the JSON API.
//! Every route is listed once, in `routes()` (one fn an area), with the roles allowed on it;
//! the auth extractors look the matched route up there and refuse anything not listed (fail
//! closed).
//! A handler extracts, calls one service inside `web::block`, and renders. The running
//! server (limits, security headers, errors in the reader's language) is `server`.

pub mod absences;
pub mod admin;
pub mod api;
pub mod archives;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod calls;
pub mod charts;
pub mod customers;
pub mod error;
pub mod events;
pub mod exports;
pub mod home;
pub mod items;
pub mod letters;
pub mod login;
pub mod posted;
pub mod queue;
pub mod registers;
pub mod render;
pub mod server;
pub mod summaries;
pub mod visits;

use crate::db::{DbConn, Pool};
use crate::domain::role::Role;
use crate::services::Ctx;
use actix_web::http::Method;
use actix_web::web;
pub use error::{AppError, AppResult};
pub use server::Application;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

/// Shared by every request.
pub struct AppState {
    pub pool: Pool,
    pub ctx: Ctx,
    pub templates: Arc<render::Templates>,
    /// Issue 11: queue answers kept while nothing they show changed.
    pub queue_cache: Arc<crate::services::queue_cache::QueueCache>,
    /// Issue 11: logins found valid, checked again by their user's version.
    pub logins: auth::LoginCache,
}

impl AppState {
    /// Runs a database closure on the blocking pool (diesel is synchronous).
    pub async fn db<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn, &Ctx) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        let ctx = self.ctx.clone();
        // Issue 11: a request whose client has gone stops costing: when actix drops the
        // handler's future, work still waiting for a thread or a connection is not started.
        let gone = Gone::default();
        let flag = gone.0.clone();
        let out = web::block(move || {
            let abandoned = || flag.load(std::sync::atomic::Ordering::Relaxed);
            if abandoned() {
                return Err(AppError::Internal(anyhow::anyhow!("the client has gone")));
            }
            let mut conn = pool.get().map_err(|e| AppError::Internal(e.into()))?;
            if abandoned() {
                return Err(AppError::Internal(anyhow::anyhow!("the client has gone")));
            }
            f(&mut conn, &ctx)
        })
        .await?;
        drop(gone);
        out
    }

    /// A lookup of a few microseconds (the versions of issue 11). On SQLite it runs here when
    /// a pooled connection is free at once, sparing the trip to the blocking pool; otherwise
    /// (PostgreSQL's network round trip, or no free connection) as `db` does.
    pub async fn quick<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        if let Some(mut c) = self.pool.try_get() {
            if c.is_sqlite() {
                return f(&mut c);
            }
        }
        self.db(move |c, _| f(c)).await
    }

    pub fn lang_default(&self) -> &'static str {
        crate::i18n::supported(Some(&self.ctx.config.settings.language))
            .unwrap_or(crate::i18n::DEFAULT_LANG)
    }
}

/// Set when the future waiting for a database closure is dropped (its client has gone).
#[derive(Default)]
struct Gone(Arc<std::sync::atomic::AtomicBool>);

impl Drop for Gone {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

pub type State = web::Data<AppState>;

/// A query parameter as the reader typed it: trimmed, and none when left empty.
pub fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The `page` parameter of a paged list: 1 when not given, else a number from 1 to 1,000,000.
pub fn page_number(v: &Option<String>) -> Result<i64, crate::domain::error::FieldError> {
    match given(v) {
        None => Ok(1),
        Some(n) => n
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| {
                crate::domain::error::FieldError::new("page", "number-invalid").arg("value", n)
            }),
    }
}

/// Who may use a route. `None`: anyone, signed in or not.
pub type Roles = Option<&'static [Role]>;

pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub roles: Roles,
    register: fn(&mut web::ServiceConfig),
}

const ALL: Roles = Some(&[Role::Clerk, Role::Supervisor, Role::Auditor, Role::Admin]);
const WORKERS: Roles = Some(&[Role::Clerk, Role::Supervisor, Role::Admin]);
const READERS: Roles = Some(&[Role::Supervisor, Role::Auditor, Role::Admin]);
const LEADS: Roles = Some(&[Role::Supervisor, Role::Admin]);
/// What the regulation gives to the supervisor alone (granting full-phone exports).
const SUPERVISORS: Roles = Some(&[Role::Supervisor]);
const ADMIN: Roles = Some(&[Role::Admin]);
const PUBLIC: Roles = None;

macro_rules! route {
    ($m:ident $path:literal, $roles:expr, $h:path) => {
        RouteSpec {
            method: Method::$m,
            path: $path,
            roles: $roles,
            register: |cfg| {
                cfg.route($path, web::method(Method::$m).to($h));
            },
        }
    };
}

/// Every route of the app, in matching order, with the roles allowed on it: the areas in
/// turn, each listing its own (the order within and between them is the matching order).
pub fn routes() -> Vec<RouteSpec> {
    [
        session(),
        calls(),
        items(),
        events_and_letters(),
        absences(),
        customers(),
        visits_and_archives(),
        registers(),
        audit(),
        summaries(),
        admin(),
        api(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The way in: health, assets, signing in and out, the language, the home page.
fn session() -> Vec<RouteSpec> {
    vec![
        route!(GET "/healthz", PUBLIC, api::healthz),
        route!(GET "/static/{file}", PUBLIC, assets::serve),
        route!(GET "/login", PUBLIC, login::form),
        route!(POST "/login", PUBLIC, login::submit),
        route!(POST "/logout", ALL, login::logout),
        route!(POST "/account/lang", ALL, login::set_lang),
        route!(GET "/", ALL, home::index),
    ]
}

/// The day's work: the queue and the calls made on it (R7, X1).
fn calls() -> Vec<RouteSpec> {
    vec![
        route!(GET "/queue", WORKERS, queue::show),
        route!(GET "/tasks/{id}/call", WORKERS, calls::task_form),
        route!(POST "/tasks/{id}/call", WORKERS, calls::task_record),
        route!(POST "/tasks/{id}/unreachable", WORKERS, calls::unreachable),
        route!(GET "/calls/new", WORKERS, calls::inbound_form),
        route!(POST "/calls", WORKERS, calls::inbound_record),
    ]
}

/// Items raised on calls, their escalation and solution (R4a–R4d), and the reply letter.
fn items() -> Vec<RouteSpec> {
    vec![
        route!(GET "/items/{id}", WORKERS, items::show),
        route!(POST "/items/{id}/note", WORKERS, items::note),
        route!(POST "/items/{id}/escalate", WORKERS, items::escalate),
        route!(POST "/items/{id}/solution", WORKERS, items::solve),
        route!(GET "/items/{id}/reply", WORKERS, letters::reply),
        route!(POST "/items/{id}/reply", WORKERS, letters::reply_post),
        route!(GET "/escalations", LEADS, items::escalations),
    ]
}

/// Events and their notices (R6), letters and their templates (R8, X1).
fn events_and_letters() -> Vec<RouteSpec> {
    vec![
        route!(GET "/events", LEADS, events::list),
        route!(POST "/events", LEADS, events::create),
        route!(GET "/events/{id}", LEADS, events::show),
        route!(GET "/events/{id}/letters", LEADS, events::letters_print),
        route!(GET "/tasks/{id}/letter", WORKERS, letters::task_letter),
        route!(POST "/tasks/{id}/letter", WORKERS, letters::task_letter_post),
        route!(GET "/letters/templates", LEADS, letters::templates),
        route!(POST "/letters/templates", LEADS, letters::templates_post),
    ]
}

/// Absences and their substitutes (R9).
fn absences() -> Vec<RouteSpec> {
    vec![
        route!(GET "/absences", LEADS, absences::list),
        route!(POST "/absences", LEADS, absences::create),
        route!(POST "/absences/{id}/cancel", LEADS, absences::cancel),
    ]
}

/// Customers: the list, merging, reassigning, a customer's page and preferences (X4).
fn customers() -> Vec<RouteSpec> {
    vec![
        route!(GET "/customers", WORKERS, customers::list),
        route!(GET "/customers/merge", LEADS, customers::merge_form),
        route!(POST "/customers/merge", LEADS, customers::merge),
        route!(POST "/customers/reassign", LEADS, customers::reassign),
        route!(GET "/customers/{id}", WORKERS, customers::show),
        route!(POST "/customers/{id}/preferences", WORKERS, calls::preferences),
        route!(POST "/customers/{id}/reveal", WORKERS, customers::reveal),
        route!(POST "/customers/{id}/anonymise", LEADS, customers::anonymise),
    ]
}

/// Visits and pick-ups (R2, R4), and the archive sheets (A1–A12).
fn visits_and_archives() -> Vec<RouteSpec> {
    vec![
        route!(GET "/visits/new", WORKERS, visits::new_form),
        route!(POST "/visits", WORKERS, visits::create),
        route!(POST "/visits/{id}/pickup", WORKERS, visits::pickup),
        route!(GET "/archives", ALL, archives::list),
        route!(GET "/archives/{visit_id}", WORKERS, archives::sheet),
        route!(POST "/archives/{visit_id}", WORKERS, archives::complete),
    ]
}

/// The four registers (R11) and the grants of full-phone exports.
fn registers() -> Vec<RouteSpec> {
    vec![
        route!(GET "/registers", READERS, registers::index),
        route!(POST "/registers/grants", SUPERVISORS, registers::grant),
        route!(POST "/registers/grants/{id}/revoke", SUPERVISORS, registers::revoke),
        route!(GET "/registers/{register}", READERS, registers::page),
        route!(GET "/registers/{register}/print", READERS, registers::print),
        route!(GET "/registers/{register}/export.csv", READERS, registers::export_csv),
        route!(GET "/registers/{register}/export.xlsx", READERS, registers::export_xlsx),
        route!(GET "/registers/{register}/{id}", READERS, registers::detail),
        route!(POST "/registers/{register}/{id}/amend", LEADS, registers::amend),
        route!(POST "/registers/{register}/{id}/reveal", READERS, registers::reveal),
    ]
}

/// The audit log.
fn audit() -> Vec<RouteSpec> {
    vec![
        route!(GET "/audit", READERS, audit::page),
        route!(GET "/audit/export.csv", READERS, audit::export_csv),
        route!(GET "/audit/export.xlsx", READERS, audit::export_xlsx),
    ]
}

/// The monthly and yearly summaries (R10).
fn summaries() -> Vec<RouteSpec> {
    vec![
        route!(GET "/summaries", READERS, summaries::index),
        route!(GET "/summaries/{kind}/{period}", READERS, summaries::show),
        route!(GET "/summaries/{kind}/{period}/print", READERS, summaries::print),
        route!(GET "/summaries/{kind}/{period}/lines", READERS, summaries::lines),
        route!(GET "/summaries/{kind}/{period}/clerks.csv", READERS, summaries::csv),
        route!(GET "/summaries/{kind}/{period}/clerks.xlsx", READERS, summaries::xlsx),
        route!(GET "/summaries/{kind}/{period}/scorecard/{clerk}", ALL, summaries::scorecard),
        route!(POST "/summaries/{kind}/{period}/report", LEADS, summaries::save),
        route!(POST "/summaries/{kind}/{period}/file", LEADS, summaries::file),
        route!(POST "/summaries/{kind}/{period}/correct", LEADS, summaries::correct),
    ]
}

/// The settings page and administration.
fn admin() -> Vec<RouteSpec> {
    vec![
        route!(GET "/settings", LEADS, admin::settings),
        route!(GET "/admin/stores", ADMIN, admin::stores),
        route!(POST "/admin/stores", ADMIN, admin::store_add),
        route!(GET "/admin/advisors", ADMIN, admin::advisors),
        route!(POST "/admin/advisors", ADMIN, admin::advisor_add),
        route!(POST "/admin/advisors/{id}/disable", ADMIN, admin::advisor_disable),
        route!(GET "/admin/users", ADMIN, admin::users),
        route!(POST "/admin/users", ADMIN, admin::user_add),
        route!(GET "/admin/users/{id}", ADMIN, admin::user_edit),
        route!(POST "/admin/users/{id}", ADMIN, admin::user_update),
        route!(POST "/admin/users/{id}/password", ADMIN, admin::user_password),
        route!(GET "/admin/tokens", ADMIN, admin::tokens),
        route!(POST "/admin/tokens", ADMIN, admin::token_add),
        route!(POST "/admin/tokens/{id}/revoke", ADMIN, admin::token_revoke),
    ]
}

/// The JSON API (CONTRACT.md).
fn api() -> Vec<RouteSpec> {
    vec![
        route!(POST "/api/v1/visits", WORKERS, api::visit_create),
        route!(POST "/api/v1/visits/{id}/pickup", WORKERS, api::visit_pickup),
        route!(POST "/api/v1/archives/{visit_id}", WORKERS, api::archive_complete),
        route!(GET "/api/v1/queue", WORKERS, queue::api),
        route!(POST "/api/v1/calls", WORKERS, calls::api_record),
        route!(GET "/api/v1/registers/{register}", READERS, api::register),
        route!(POST "/api/v1/items/{id}/escalate", WORKERS, items::api_escalate),
        route!(POST "/api/v1/items/{id}/solution", WORKERS, items::api_solution),
        route!(GET "/api/v1/summaries/monthly/{period}", READERS, summaries::api_monthly),
    ]
}

static ACCESS: LazyLock<HashMap<(Method, &'static str), Roles>> = LazyLock::new(|| {
    routes()
        .into_iter()
        .map(|r| ((r.method, r.path), r.roles))
        .collect()
});

/// The roles of a matched route; `None` when the route is not listed (then nobody may).
pub fn roles_for(method: &Method, pattern: &str) -> Option<Roles> {
    ACCESS.get(&(method.clone(), pattern)).copied()
}

pub fn config(cfg: &mut web::ServiceConfig) {
    for r in routes() {
        (r.register)(cfg);
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub type SharedCtx = Arc<Ctx>;
