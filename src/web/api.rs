//! The JSON API of CONTRACT.md under `/api/v1`, authenticated by bearer tokens. Bodies are
//! parsed after authentication, and every error is `{"error": {"code", "message", "field"}}`.

use super::auth::ApiAuth;
use super::{AppError, AppResult, State};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::visit::{VisitInput, FIELDS};
use crate::services::archive::{self, ArchiveInput};
use crate::services::visits::{self, Source};
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};

pub async fn healthz(state: State) -> AppResult<HttpResponse> {
    state.db(|conn, _| Ok(crate::db::ping(conn)?)).await?;
    Ok(HttpResponse::Ok().json(json!({"status": "ok"})))
}

fn parse_object(body: &[u8]) -> AppResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(AppError::Invalid(
            FieldError::new("body", "json-not-object").into(),
        )),
        Err(e) => Err(AppError::Invalid(
            FieldError::new("body", "json-invalid")
                .arg("detail", e)
                .into(),
        )),
    }
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
    let m = parse_object(&body)?;
    let input = visit_input(&m).map_err(AppError::Invalid)?;
    let actor = me.actor();
    let r = state
        .db(move |conn, ctx| Ok(visits::record(conn, ctx, &actor, &input, Source::Api)?))
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
        parse_object(&body)?
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
    let m = parse_object(&body)?;
    let input: ArchiveInput = serde_json::from_value(Value::Object(m)).map_err(|e| {
        let msg = e.to_string();
        // serde names the unknown or mistyped field in its message; pass it on.
        let field = msg.split('`').nth(1).unwrap_or("body").to_string();
        AppError::Invalid(
            FieldError::new(field, "json-type")
                .arg("detail", msg)
                .into(),
        )
    })?;
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
