//! Administration: stores, users (role, store, assignment, password, disabling) and API
//! tokens; and the settings page, which shows the effective configuration read-only with
//! where each value came from.

use super::auth::{chrome, Auth, AuthForm};
use super::posted::{posted, Posted};
use super::{AppResult, State};
use crate::services::accounts::{self, UserInput, UserUpdate};
use crate::web::render::see_other;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use std::collections::HashMap;

fn page(
    state: &State,
    me: &Auth,
    name: &str,
    mut ctx: tera::Context,
    req: &HttpRequest,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    Ok(super::render::html_with(
        status,
        state.templates.render(me.lang, name, &ctx)?,
    ))
}

/// A page with a form: the values typed and the errors shown again (422 when there are any).
fn form_page(
    state: &State,
    me: &Auth,
    name: &str,
    mut ctx: tera::Context,
    req: &HttpRequest,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    ctx.insert("v", &values);
    let status = crate::web::render::errors_on(&mut ctx, &errors);
    page(state, me, name, ctx, req, status)
}

// Stores ------------------------------------------------------------------------------------

async fn stores_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let stores = state
        .db(|conn, _| Ok(crate::services::stores::all(conn)?))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("stores", &stores);
    form_page(state, me, "admin/stores.html", ctx, req, values, errors)
}

pub async fn stores(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    stores_page(&req, &state, &me, HashMap::new(), HashMap::new()).await
}

pub async fn store_add(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let code = post.form.get("code").unwrap_or("").to_string();
    let name = post.form.get("name").unwrap_or("").to_string();
    let phone = post.form.opt("phone");
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| {
            Ok(crate::services::stores::add(
                conn,
                ctx,
                &actor,
                &code,
                &name,
                phone.as_deref(),
            ))
        })
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(_) => Ok(see_other("/admin/stores?ok=store-added")),
        Posted::Refused(typed, why) => stores_page(&req, &state, &post.auth, typed, why).await,
    }
}

// Service advisors (X8) ---------------------------------------------------------------------

async fn advisors_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let store_id = me.user.store_id;
    let overview = state
        .db(move |conn, _| Ok(crate::services::advisors::overview(conn, store_id)?))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("advisors", &overview.advisors);
    ctx.insert("unmatched", &overview.unmatched);
    form_page(state, me, "admin/advisors.html", ctx, req, values, errors)
}

pub async fn advisors(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    advisors_page(&req, &state, &me, HashMap::new(), HashMap::new()).await
}

pub async fn advisor_add(
    req: HttpRequest,
    state: State,
    post: AuthForm,
) -> AppResult<HttpResponse> {
    let name = post.form.get("name").unwrap_or("").to_string();
    let store = post.form.opt("store");
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| {
            Ok(crate::services::advisors::add(
                conn,
                ctx,
                &actor,
                &name,
                store.as_deref(),
            ))
        })
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(_) => Ok(see_other("/admin/advisors?ok=advisor-added")),
        Posted::Refused(typed, why) => advisors_page(&req, &state, &post.auth, typed, why).await,
    }
}

pub async fn advisor_disable(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let disabled = post.form.get("disabled") != Some("0");
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(crate::services::advisors::set_disabled(
                conn, ctx, &actor, id, disabled,
            )?)
        })
        .await?;
    Ok(see_other("/admin/advisors"))
}

// Users -------------------------------------------------------------------------------------

async fn users_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let (rows, stores) = state
        .db(|conn, _| Ok(accounts::users_overview(conn)?))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("users", &rows);
    ctx.insert("stores", &stores);
    ctx.insert("roles", &["clerk", "supervisor", "auditor", "admin"]);
    form_page(state, me, "admin/users.html", ctx, req, values, errors)
}

pub async fn users(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    users_page(&req, &state, &me, HashMap::new(), HashMap::new()).await
}

pub async fn user_add(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let f = &post.form;
    let input = UserInput {
        username: f.get("username").unwrap_or("").into(),
        display_name: f.get("display_name").unwrap_or("").into(),
        role: f.get("role").unwrap_or("").into(),
        store: f.opt("store"),
        password: f.get("password").unwrap_or("").into(),
    };
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| Ok(accounts::create_user(conn, ctx, &actor, &input)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(_) => Ok(see_other("/admin/users?ok=user-added")),
        Posted::Refused(mut typed, why) => {
            // A password is never sent back to the browser.
            typed.remove("password");
            users_page(&req, &state, &post.auth, typed, why).await
        }
    }
}

async fn user_edit_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    id: i32,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let (u, store_code, stores) = state
        .db(move |conn, _| Ok(accounts::user_to_edit(conn, id)?))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("u", &u);
    ctx.insert("store_code", &store_code);
    ctx.insert("stores", &stores);
    ctx.insert("roles", &["clerk", "supervisor", "auditor", "admin"]);
    let status = crate::web::render::errors_on(&mut ctx, &errors);
    page(state, me, "admin/user_edit.html", ctx, req, status)
}

pub async fn user_edit(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user_edit_page(&req, &state, &me, id.into_inner(), HashMap::new()).await
}

pub async fn user_update(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let f = &post.form;
    let u = UserUpdate {
        display_name: f.get("display_name").unwrap_or("").into(),
        role: f.get("role").unwrap_or("").into(),
        store: f.opt("store"),
        active_for_assignment: f.has("active_for_assignment"),
        disabled: f.has("disabled"),
    };
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| Ok(accounts::update_user(conn, ctx, &actor, id, &u)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(()) => Ok(see_other(format!("/admin/users/{id}?ok=user-saved"))),
        // The page shows the user as stored, so nothing typed is kept.
        Posted::Refused(_, why) => user_edit_page(&req, &state, &post.auth, id, why).await,
    }
}

pub async fn user_password(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let pw = post.form.get("password").unwrap_or("").to_string();
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| Ok(accounts::reset_password(conn, ctx, &actor, id, &pw)))
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(()) => Ok(see_other(format!("/admin/users/{id}?ok=password-reset"))),
        // Nothing typed is kept: the page shows the user as stored, and never a password.
        Posted::Refused(_, why) => user_edit_page(&req, &state, &post.auth, id, why).await,
    }
}

// Tokens ------------------------------------------------------------------------------------

async fn tokens_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    new_token: Option<String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let (rows, users) = state
        .db(|conn, ctx| Ok(accounts::tokens_overview(conn, ctx)?))
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("tokens", &rows);
    ctx.insert("users", &users);
    ctx.insert("new_token", &new_token);
    let status = crate::web::render::errors_on(&mut ctx, &errors);
    page(state, me, "admin/tokens.html", ctx, req, status)
}

pub async fn tokens(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    tokens_page(&req, &state, &me, None, HashMap::new()).await
}

pub async fn token_add(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let username = post.form.get("username").unwrap_or("").to_string();
    let name = post.form.get("name").unwrap_or("").to_string();
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| Ok(accounts::create_token(conn, ctx, &actor, &username, &name)))
        .await?;
    match posted(answer, &post)? {
        // The token is shown once, on this page; it is never stored in clear.
        Posted::Taken(token) => {
            tokens_page(&req, &state, &post.auth, Some(token), HashMap::new()).await
        }
        // The token form's fields are not shown again (the page has no `v`).
        Posted::Refused(_, why) => tokens_page(&req, &state, &post.auth, None, why).await,
    }
}

pub async fn token_revoke(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(accounts::revoke_token(conn, ctx, &actor, id)?))
        .await?;
    Ok(see_other("/admin/tokens?ok=token-revoked"))
}

/// `file /etc/a.toml` → (`file`, `/etc/a.toml`): the kind is translated, the detail shown.
fn split_origin(origin: &str) -> (String, String) {
    match origin.split_once(' ') {
        Some((k, d)) => (k.to_string(), d.to_string()),
        None => (origin.to_string(), String::new()),
    }
}

/// The translation key of a setting: `cadence.archive_days` → `setting-cadence-archive-days`.
pub fn setting_label(key: &str) -> String {
    format!("setting-{}", key.replace(['.', '_'], "-"))
}

// Settings ----------------------------------------------------------------------------------

pub async fn settings(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    let cfg = &state.ctx.config;
    let db_tz = state.ctx.clock.tz().name().to_string();
    let mut rows: Vec<(String, String, String, String, String)> = cfg
        .sources
        .iter()
        .map(|s| {
            if s.key == "timezone" {
                // The database's zone is the one in force (fixed when it was created).
                let origin = if s.value == db_tz {
                    s.origin.clone()
                } else {
                    "database".to_string()
                };
                let (kind, detail) = split_origin(&origin);
                (
                    s.key.clone(),
                    setting_label(&s.key),
                    db_tz.clone(),
                    kind,
                    detail,
                )
            } else {
                let (kind, detail) = split_origin(&s.origin);
                (
                    s.key.clone(),
                    setting_label(&s.key),
                    s.value.clone(),
                    kind,
                    detail,
                )
            }
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ctx = tera::Context::new();
    ctx.insert("rows", &rows);
    ctx.insert(
        "fixed_date",
        &state.ctx.clock.fixed().map(|d| d.to_string()),
    );
    page(
        &state,
        &me,
        "admin/settings.html",
        ctx,
        &req,
        StatusCode::OK,
    )
}
