//! `GET /registers`: the four registers with this month's number of lines, and the grants of
//! full-phone exports to auditors (granted and revoked by a supervisor), with the recent
//! exports and their manifests.

use super::query::this_month;
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::registers::export::{self, Filters, Query};
use crate::web::auth::{chrome, Auth, AuthForm};
use crate::web::posted::{posted, Posted};
use crate::web::render::see_other;
use crate::web::{AppResult, State};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::collections::HashMap;

/// A register as the index lists it.
#[derive(Serialize)]
struct Entry {
    key: &'static str,
    count: i64,
}

/// `GET /registers`: the four registers with this month's number of lines, the grants of
/// full-phone exports, and the recent exports with their manifests.
pub async fn index(req: HttpRequest, state: State, me: Auth) -> AppResult<HttpResponse> {
    index_page(&req, &state, &me, HashMap::new(), HashMap::new()).await
}

async fn index_page(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let (from, to) = this_month(state.ctx.clock.today());
    let store_id = me.user.store_id;
    let lang = me.lang;
    let (entries, grants, auditors, exports) = state
        .db(move |conn, ctx| {
            let entries = Register::ALL
                .iter()
                .map(|&register| {
                    let q = Query {
                        register,
                        from,
                        to,
                        store_id,
                        lang,
                        phones: Phones::Masked,
                    };
                    Ok(Entry {
                        key: register.key(),
                        count: export::count(conn, &q, &Filters::default())?,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?;
            let (grants, auditors) =
                crate::services::privacy::grants_and_auditors(conn, ctx, store_id)?;
            let exports: Vec<serde_json::Value> = crate::services::exports::recent(
                conn, store_id, 10,
            )?
            .into_iter()
            .filter_map(|(row, m)| {
                let m = m.filter(|m| m.get("register").is_some())?;
                Some(serde_json::json!({
                    "at": ctx.clock.with_offset(row.at).format("%Y-%m-%d %H:%M").to_string(),
                    "actor": row.actor,
                    "m": m,
                }))
            })
            .collect();
            Ok((entries, grants, auditors, exports))
        })
        .await?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("registers", &entries);
    ctx.insert("from", &from);
    ctx.insert("to", &to);
    ctx.insert("grants", &grants);
    ctx.insert("auditors", &auditors);
    ctx.insert("exports", &exports);
    ctx.insert("v", &values);
    let status = crate::web::render::errors_on(&mut ctx, &errors);
    Ok(crate::web::render::html_with(
        status,
        state
            .templates
            .render(me.lang, "registers/index.html", &ctx)?,
    ))
}

/// `POST /registers/grants`: a supervisor lets an auditor export whole phone numbers.
pub async fn grant(req: HttpRequest, state: State, post: AuthForm) -> AppResult<HttpResponse> {
    let f = &post.form;
    let (grantee, until, reason) = (
        f.get("grantee").unwrap_or("").to_string(),
        f.get("expires_on").unwrap_or("").to_string(),
        f.get("reason").unwrap_or("").to_string(),
    );
    let actor = post.auth.actor();
    let answer = state
        .db(move |conn, ctx| {
            Ok(crate::services::privacy::grant(
                conn, ctx, &actor, &grantee, &until, &reason,
            ))
        })
        .await?;
    match posted(answer, &post)? {
        Posted::Taken(_) => Ok(to_grants()),
        Posted::Refused(typed, why) => index_page(&req, &state, &post.auth, typed, why).await,
    }
}

/// `POST /registers/grants/{id}/revoke`.
pub async fn revoke(state: State, post: AuthForm, id: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(crate::services::privacy::revoke(conn, ctx, &actor, id)?))
        .await?;
    Ok(to_grants())
}

/// Back to the grants on the index.
fn to_grants() -> HttpResponse {
    see_other("/registers#grants")
}
