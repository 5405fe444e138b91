//! Customers: the list (search by name, phone or plate), the customer page (vehicles, visits,
//! archive history, open tasks), reassigning the designated clerk (R1) and merging duplicates.

use super::auth::{chrome, Auth, AuthForm};
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::error::FieldError;
use crate::domain::role::Role;
use crate::services::{assign, customers, merge};
use crate::web::render::see_other;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

const PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    mine: Option<String>,
    page: Option<i64>,
    /// X7: only lost customers.
    lost: Option<String>,
}

pub async fn list(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let text = q.q.clone().unwrap_or_default();
    // A clerk starts from their own customers; everyone can widen to the whole store.
    let mine = match q.mine.as_deref() {
        Some(v) => v == "1",
        None => me.role == Role::Clerk,
    };
    let page = q.page.unwrap_or(1).max(1);
    let clerk = mine.then_some(me.user.id);
    let actor = me.actor();
    let lost = q.lost.as_deref() == Some("1");
    let view = state
        .db(move |conn, ctx| {
            Ok(customers::list(
                conn,
                ctx,
                &actor,
                &text,
                clerk,
                lost,
                PAGE,
                (page - 1) * PAGE,
            )?)
        })
        .await?;
    let (rows, total, clerks) = (view.rows, view.total, view.clerks);
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("rows", &rows);
    ctx.insert("total", &total);
    ctx.insert("q", &q.q.clone().unwrap_or_default());
    ctx.insert("mine", &mine);
    ctx.insert("lost", &lost);
    ctx.insert("page", &page);
    ctx.insert("pages", &((total + PAGE - 1) / PAGE).max(1));
    ctx.insert("clerks", &clerks);
    ctx.insert(
        "can_reassign",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    Ok(html(state.templates.render(
        me.lang,
        "customers/list.html",
        &ctx,
    )?))
}

pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    show_page(req, state, me, id.into_inner(), false).await
}

/// `POST /customers/{id}/reveal`: the customer page with the whole phone number, logged (R11).
pub async fn reveal(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    show_page(req, state, post.auth, id.into_inner(), true).await
}

/// `POST /customers/{id}/anonymise`: a supervisor anonymises a customer at their request.
pub async fn anonymise(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let reason = post.form.get("reason").unwrap_or("").to_string();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(crate::services::privacy::anonymise(
                conn,
                ctx,
                &actor,
                id,
                &reason,
                crate::domain::privacy::AnonymisationSource::Request,
            )?)
        })
        .await?;
    Ok(see_other(format!("/customers/{id}?ok=customer-anonymised")))
}

async fn show_page(
    req: HttpRequest,
    state: State,
    me: Auth,
    id: i32,
    reveal: bool,
) -> AppResult<HttpResponse> {
    let actor = me.actor();
    let lang = me.lang;
    let view = state
        .db(move |conn, ctx| Ok(customers::page(conn, ctx, &actor, id, reveal)?))
        .await?;
    let ctx = super::render::context_of(&view)?;
    let mut ctx = ctx;
    ctx.insert("chrome", &chrome(&req, &state, lang, Some(&me), None));
    ctx.insert(
        "can_reassign",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    Ok(html(state.templates.render(
        lang,
        "customers/show.html",
        &ctx,
    )?))
}

pub async fn reassign(state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let ids: Vec<i32> = post
        .form
        .all("customer_ids")
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let clerk: i32 = post
        .form
        .get("clerk_id")
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| AppError::Invalid(FieldError::new("clerk_id", "required").into()))?;
    let back = post
        .form
        .get("back")
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or("/customers")
        .to_string();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(assign::reassign(conn, ctx, &actor, &ids, clerk)?))
        .await?;
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(format!("{back}{sep}ok=reassigned")))
}

#[derive(Deserialize)]
pub struct MergeQuery {
    keep: Option<String>,
    merge: Option<String>,
}

async fn render_merge(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    keep: Option<i32>,
    gone: Option<i32>,
    errors: Vec<String>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id;
    let (a, b) = state
        .db(move |conn, _| {
            Ok((
                customers::merge_side(conn, keep, store)?,
                customers::merge_side(conn, gone, store)?,
            ))
        })
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("keep", &a);
    ctx.insert("gone", &b);
    ctx.insert("keep_id", &keep);
    ctx.insert("merge_id", &gone);
    ctx.insert("errors", &errors);
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(super::render::html_with(
        status,
        state
            .templates
            .render(me.lang, "customers/merge.html", &ctx)?,
    ))
}

pub async fn merge_form(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<MergeQuery>,
) -> AppResult<HttpResponse> {
    let keep = q.keep.as_deref().and_then(|s| s.trim().parse().ok());
    let gone = q.merge.as_deref().and_then(|s| s.trim().parse().ok());
    render_merge(&req, &state, &me, keep, gone, Vec::new()).await
}

pub async fn merge(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let keep: Option<i32> = post.form.get("keep_id").and_then(|s| s.trim().parse().ok());
    let gone: Option<i32> = post
        .form
        .get("merge_id")
        .and_then(|s| s.trim().parse().ok());
    let (Some(k), Some(g)) = (keep, gone) else {
        let field = if keep.is_none() {
            "keep_id"
        } else {
            "merge_id"
        };
        let msg =
            crate::i18n::I18N.field_error(post.auth.lang, &FieldError::new(field, "required"));
        return render_merge(&req, &state, &post.auth, keep, gone, vec![msg]).await;
    };
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| Ok(merge::merge(conn, ctx, &actor, k, g)))
        .await?;
    match result {
        Ok(()) => Ok(see_other(format!("/customers/{k}?ok=merged"))),
        Err(crate::services::ServiceError::Invalid(errs)) => {
            let msgs = errs
                .0
                .iter()
                .map(|e| crate::i18n::I18N.field_error(post.auth.lang, e))
                .collect();
            render_merge(&req, &state, &post.auth, keep, gone, msgs).await
        }
        Err(e) => Err(e.into()),
    }
}
