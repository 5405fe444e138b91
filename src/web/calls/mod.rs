//! Recording calls: the call form of a task (outcome, topics C1–C7, key points, items raised,
//! with what earlier calls covered beside it, R5), closing a task as unreachable (X1), the
//! "new inbound call" form, and a customer's contact preferences (X4).
//!
//! The form's fields and how it is shown again are `form`; a task's call `task`, an inbound
//! one `inbound`, the JSON API `api`. The contact preferences are here.

mod api;
mod form;
mod inbound;
mod task;

pub use api::api_record;
pub use inbound::{inbound_form, inbound_record, InboundQuery};
pub use task::{task_form, task_record, unreachable};

use super::auth::AuthForm;
use super::{AppResult, State};
use crate::services::calls;
use crate::web::render::see_other;
use actix_web::{web, HttpResponse};

/// X4: the customer's contact preferences, from the customer page.
pub async fn preferences(
    state: State,
    post: AuthForm,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let f = &post.form;
    let (no_calls, no_letters, hours) =
        (f.has("no_calls"), f.has("no_letters"), f.opt("call_hours"));
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| {
            Ok(calls::set_preferences(
                conn,
                ctx,
                &actor,
                id,
                no_calls,
                no_letters,
                hours.as_deref(),
            )?)
        })
        .await?;
    Ok(see_other(format!("/customers/{id}?ok=preferences-saved")))
}
