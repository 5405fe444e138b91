//! The JSON API of CONTRACT.md under `/api/v1`, authenticated by bearer tokens. Bodies are
//! parsed after authentication, and every error is `{"error": {"code", "message", "field"}}`.

use super::auth::ApiAuth;
use super::error::json_object;
use super::{AppError, AppResult, State};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::visit::VisitSource;
use crate::domain::visit::{VisitInput, FIELDS};
use crate::services::archive::{self, ArchiveInput};
use crate::services::visits;
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};

pub async fn healthz(state: State) -> AppResult<HttpResponse> {
    state.db(|conn, _| Ok(crate::db::ping(conn)?)).await?;
    Ok(HttpResponse::Ok().json(json!({"status": "ok"})))
}

/// CONTRACT.md: the import's fields as one flat object; `items` a list of strings; empty
/// values `null`. Numbers may come as numbers or strings.
pub fn visit_input(m: &Map<String, Value>) -> Result<VisitInput, FieldErrors> {
    let mut input = VisitInput::default();
    let mut errs = FieldErrors::default();
    for (k, v) in m {
        if !FIELDS.contains(&k.as_str()) {
            errs.push(FieldError::new(k.as_str(), "field-unknown"));
            continue;
        }
        if k == "items" {
            match v {
                Value::Null => {}
                Value::Array(a) if a.iter().all(Value::is_string) => {
                    input.items = a
                        .iter()
                        .filter_map(|x| x.as_str())
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect()
                }
                _ => errs.push(FieldError::new("items", "items-not-list")),
            }
            continue;
        }
        let text = match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => {
                errs.push(FieldError::new(k.as_str(), "json-type"));
                continue;
            }
        };
        input.set(k, text);
    }
    errs.into_result(|| input)
}

pub async fn visit_create(state: State, me: ApiAuth, body: web::Bytes) -> AppResult<HttpResponse> {
    let m = json_object(&body)?;
    let input = visit_input(&m).map_err(AppError::Invalid)?;
    let actor = me.actor();
    let r = state
        .db(move |conn, ctx| Ok(visits::record(conn, ctx, &actor, &input, VisitSource::Api)?))
        .await?;
    let status = if r.created {
        actix_web::http::StatusCode::CREATED
    } else {
        actix_web::http::StatusCode::OK
    };
    Ok(HttpResponse::build(status).json(json!({
        "visit_id": r.visit_id,
        "customer_id": r.customer_id,
        "vehicle_id": r.vehicle_id,
        "archive_due": r.archive_due,
        "created": r.created,
    })))
}

pub async fn visit_pickup(
    state: State,
    me: ApiAuth,
    id: web::Path<i32>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let m = if body.is_empty() {
        Map::new()
    } else {
        json_object(&body)?
    };
    let mut errs = FieldErrors::default();
    for k in m.keys().filter(|k| k.as_str() != "picked_up_at") {
        errs.push(FieldError::new(k.as_str(), "field-unknown"));
    }
    let at = match m.get("picked_up_at") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            errs.push(FieldError::new("picked_up_at", "json-type"));
            None
        }
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let actor = me.actor();
    let due = state
        .db(move |conn, ctx| Ok(visits::pickup(conn, ctx, &actor, id, at.as_deref())?))
        .await?
        .first_follow_up_due;
    Ok(HttpResponse::Ok().json(json!({"visit_id": id, "first_follow_up_due": due})))
}

pub async fn archive_complete(
    state: State,
    me: ApiAuth,
    visit_id: web::Path<i32>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let visit_id = visit_id.into_inner();
    let m = json_object(&body)?;
    let input = archive_input(m)?;
    let actor = me.actor();
    let done = state
        .db(move |conn, ctx| Ok(archive::complete(conn, ctx, &actor, visit_id, &input)?))
        .await?;
    Ok(HttpResponse::Created().json(json!({
        "archive_no": done.archive_no,
        "timeliness": done.timeliness,
        "next_maintenance_date": done.next_maintenance_date,
    })))
}

/// The archive API's body, each field checked where it is (`plan[0].date`), so that no
/// serde English reaches the message (issue 12).
fn archive_input(mut m: Map<String, Value>) -> AppResult<ArchiveInput> {
    const TEXT: [&str; 11] = [
        "customer_name",
        "address",
        "phone",
        "vehicle_model",
        "plate",
        "vehicle_type",
        "maintenance_interval_days",
        "maintenance_interval_km",
        "next_maintenance_date",
        "desired_services",
        "archived_at",
    ];
    const PLAN: [&str; 3] = ["purpose", "date", "talking_points"];
    let mut errs = crate::domain::error::FieldErrors::default();
    // A text field; a number is taken as its digits.
    let text = |errs: &mut crate::domain::error::FieldErrors, field: String, v: &mut Value| match v
    {
        Value::Null | Value::String(_) => {}
        Value::Number(n) => *v = Value::String(n.to_string()),
        _ => errs.push(FieldError::new(field, "json-type")),
    };
    for (k, v) in m.iter_mut() {
        match (k.as_str(), v) {
            (k, v) if TEXT.contains(&k) => text(&mut errs, k.to_string(), v),
            ("items", Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    if !v.is_string() {
                        errs.push(FieldError::new(format!("items[{i}]"), "json-type"));
                    }
                }
            }
            ("plan", Value::Array(a)) => {
                for (i, v) in a.iter_mut().enumerate() {
                    let Value::Object(o) = v else {
                        errs.push(FieldError::new(format!("plan[{i}]"), "json-type"));
                        continue;
                    };
                    for (pk, pv) in o.iter_mut() {
                        let field = format!("plan[{i}].{pk}");
                        if PLAN.contains(&pk.as_str()) {
                            text(&mut errs, field, pv);
                        } else {
                            errs.push(FieldError::new(field, "field-unknown"));
                        }
                    }
                }
            }
            ("items" | "plan", Value::Null) => {}
            ("items" | "plan", _) => errs.push(FieldError::new(k.as_str(), "json-type")),
            (k, _) => errs.push(FieldError::new(k, "field-unknown")),
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    if m.get("plan").is_some_and(Value::is_null) {
        m.remove("plan");
    }
    serde_json::from_value(Value::Object(m))
        .map_err(|e| AppError::Invalid(super::error::json_error(&e).into()))
}

/// `GET /api/v1/registers/{register}?from=&to=&format=csv|json&lang=&store=&encoding=&phones=`
/// (R11): the same lines and columns as `aftercare export`, streamed.
pub async fn register(
    state: State,
    me: ApiAuth,
    register: web::Path<String>,
    q: web::Query<crate::web::exports::ExportParams>,
) -> AppResult<HttpResponse> {
    crate::web::exports::respond(&state, me.actor(), &register, &q, crate::i18n::DEFAULT_LANG).await
}
