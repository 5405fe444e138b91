//! R11 for auditors: the four registers as pages — filtered by date range, 经办人, category
//! and customer, one line's page, the paper form to print (A4 landscape), and the CSV export
//! for a signed-in browser. The lines are the export's own (`registers::export::rows`), so a
//! page, a printed form and a CSV file never disagree.
//!
//! Here: the exports and the amendment of a line. The index with its grants is `index`, the
//! pages and the paper form `pages`, what a request asks for `query`, the lines shown `lines`.

mod index;
mod lines;
mod pages;
mod query;

pub use index::{grant, index, revoke};
pub use pages::{detail, page, print, reveal};
pub use query::RegisterQuery;

use super::auth::{Auth, AuthForm};
use super::{AppError, AppResult, State};
use crate::web::render::see_other;
use actix_web::{web, HttpResponse};

/// `GET /registers/{register}/export.csv?from=&to=&lang=&encoding=&phones=[&format=xlsx]`:
/// the API's export for a signed-in browser (the API wants a token), recorded in the audit log
/// the same way. CSV unless `format=xlsx`.
pub async fn export_csv(
    state: State,
    me: Auth,
    register: web::Path<String>,
    p: web::Query<crate::web::exports::ExportParams>,
) -> AppResult<HttpResponse> {
    let xlsx = p.format.as_deref() == Some("xlsx");
    export_as(state, me, register, p, xlsx).await
}

async fn export_as(
    state: State,
    me: Auth,
    register: web::Path<String>,
    p: web::Query<crate::web::exports::ExportParams>,
    xlsx: bool,
) -> AppResult<HttpResponse> {
    let mut p = p.into_inner();
    p.format = xlsx.then(|| "xlsx".to_string());
    crate::web::exports::respond(&state, me.actor(), &register, &p, me.lang).await
}

/// `GET /registers/{register}/export.xlsx?from=&to=&lang=&phones=`: the same as an Excel
/// workbook.
pub async fn export_xlsx(
    state: State,
    me: Auth,
    register: web::Path<String>,
    p: web::Query<crate::web::exports::ExportParams>,
) -> AppResult<HttpResponse> {
    export_as(state, me, register, p, true).await
}

/// R11: a supervisor corrects a ledger line by an amendment line (the original stays).
pub async fn amend(
    state: State,
    post: AuthForm,
    path: web::Path<(String, i32)>,
) -> AppResult<HttpResponse> {
    let (register, id) = path.into_inner();
    let reg = crate::domain::register::Register::parse(&register).ok_or(AppError::NotFound)?;
    let f = &post.form;
    let c = crate::services::amend::Correction {
        customer_name: f.opt("customer_name"),
        phone: f.opt("phone"),
        category: f.opt("category"),
        outcome: f.opt("outcome"),
        address: f.opt("address"),
        subject: f.opt("subject"),
        key_points: f.opt("key_points"),
        vehicle_model: f.opt("vehicle_model"),
        vehicle_type: f.opt("vehicle_type"),
        desired_services: f.opt("desired_services"),
        reason: f.get("amend_reason").unwrap_or("").to_string(),
    };
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(crate::services::amend::amend(
                conn, ctx, &actor, reg, id, &c,
            )?)
        })
        .await?;
    Ok(see_other(format!("/registers/{register}?ok=amended")))
}
