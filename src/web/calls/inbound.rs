//! The "new inbound call" form (R7: 咨询 inquiry, 投诉 complaint, other): the caller found
//! by a search or typed in as a new customer, and the call recorded on their archive.

use super::form::{input_of, render_call_form, shown_of, Shown};
use crate::domain::call::Category;
use crate::services::{call_form, calls, ServiceError};
use crate::web::auth::{Auth, AuthForm};
use crate::web::render::see_other;
use crate::web::{AppError, AppResult, State};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

#[derive(serde::Deserialize)]
pub struct InboundQuery {
    q: Option<String>,
    customer: Option<i32>,
}

async fn render_inbound(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    q: String,
    customer_id: Option<i32>,
    shown: Option<Shown>,
) -> AppResult<HttpResponse> {
    let store = me.user.store_id;
    let query = q.clone();
    let actor = me.actor();
    let form = state
        .db(move |conn, ctx| {
            call_form::inbound_form(conn, ctx, &actor, store, &query, customer_id)
                .map_err(AppError::from)
        })
        .await?;
    let mut t = crate::web::render::context_of(&form)?;
    t.insert(
        "categories",
        &[
            Category::Inquiry.as_str(),
            Category::Complaint.as_str(),
            Category::Other.as_str(),
        ],
    );
    t.insert("q", &q);
    render_call_form(req, state, me, t, shown, "calls/inbound.html")
}

pub async fn inbound_form(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<InboundQuery>,
) -> AppResult<HttpResponse> {
    render_inbound(
        &req,
        &state,
        &me,
        q.q.clone().unwrap_or_default(),
        q.customer,
        None,
    )
    .await
}

pub async fn inbound_record(
    req: HttpRequest,
    state: State,
    post: AuthForm,
) -> AppResult<HttpResponse> {
    let mut input = input_of(&post.form);
    input.direction = Some("inbound".into());
    let existing: Option<i32> = post
        .form
        .get("customer_id")
        .and_then(|s| s.trim().parse().ok());
    let new_name = post.form.opt("new_customer_name");
    let new_phone = post.form.opt("new_customer_phone");
    let actor = post.auth.actor();
    let result = state
        .db(move |conn, ctx| {
            let caller = match existing {
                Some(id) => calls::Caller::Known(id),
                None => calls::Caller::New {
                    name: new_name.as_deref(),
                    phone: new_phone.as_deref(),
                },
            };
            Ok(calls::record_inbound(conn, ctx, &actor, caller, &input))
        })
        .await?;
    match result {
        Ok((customer_id, _)) => Ok(see_other(format!(
            "/customers/{customer_id}?ok=call-recorded"
        ))),
        Err(ServiceError::Invalid(errs)) => {
            let shown = shown_of(
                &post.form,
                post.auth.lang,
                &errs,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            render_inbound(
                &req,
                &state,
                &post.auth,
                String::new(),
                existing,
                Some(shown),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
