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
    state
        .db(|conn, _| {
            Ok(diesel::RunQueryDsl::execute(
                diesel::sql_query("SELECT 1"),
                conn,
            )?)
        })
        .await?;
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
        .await?;
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

#[derive(serde::Deserialize)]
pub struct RegisterQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
    lang: Option<String>,
    store: Option<String>,
}

/// `GET /api/v1/registers/{register}?from=&to=&format=csv|json&lang=&store=` (R11): the same
/// lines and columns as `aftercare export`.
pub async fn register(
    state: State,
    me: ApiAuth,
    register: web::Path<String>,
    q: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    let (reg, from, to, lang) = crate::registers::export::parse_query(
        &register,
        q.from.as_deref(),
        q.to.as_deref(),
        q.lang.as_deref(),
    )
    .map_err(AppError::Invalid)?;
    let json = match q.format.as_deref() {
        None | Some("csv") => false,
        Some("json") => true,
        Some(other) => {
            return Err(AppError::Invalid(
                FieldError::new("format", "format-unknown")
                    .arg("value", other)
                    .into(),
            ))
        }
    };
    let actor = me.actor();
    let store_code = q.store.clone();
    let (body, ctype) = state
        .db(move |conn, ctx| {
            let store_id = match store_code {
                Some(code) => Some(
                    crate::models::store::by_code(conn, &code)?
                        .ok_or_else(|| {
                            AppError::Invalid(
                                FieldError::new("store", "store-unknown")
                                    .arg("value", code)
                                    .into(),
                            )
                        })?
                        .id,
                ),
                None => actor.store_id,
            };
            // Users of a store read their own store's registers only.
            if actor.store_id.is_some() && actor.store_id != store_id {
                return Err(AppError::Forbidden);
            }
            let query = crate::registers::export::Query {
                register: reg,
                from,
                to,
                store_id,
                lang,
            };
            let tz = ctx.clock.tz();
            let out = if json {
                let body = serde_json::to_vec(&crate::registers::export::json(conn, &query, tz)?)
                    .map_err(anyhow::Error::from)?;
                audit_export(conn, ctx, &actor, &query)?;
                (body, "application/json")
            } else {
                (
                    export_csv(conn, ctx, &actor, &query)?,
                    "text/csv; charset=utf-8",
                )
            };
            Ok(out)
        })
        .await?;
    let mut resp = HttpResponse::Ok();
    resp.content_type(ctype);
    if !json {
        resp.insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{}-{from}-{to}.csv\"", reg.key()),
        ));
    }
    Ok(resp.body(body))
}

/// A register as CSV, for a signed-in user or a token, with its audit-log row (R11).
pub fn export_csv(
    conn: &mut crate::db::DbConn,
    ctx: &crate::services::Ctx,
    actor: &crate::services::Actor,
    query: &crate::registers::export::Query,
) -> AppResult<Vec<u8>> {
    let mut buf = Vec::new();
    crate::registers::export::write(conn, query, ctx.clock.tz(), &mut buf)?;
    audit_export(conn, ctx, actor, query)?;
    Ok(buf)
}

fn audit_export(
    conn: &mut crate::db::DbConn,
    ctx: &crate::services::Ctx,
    actor: &crate::services::Actor,
    q: &crate::registers::export::Query,
) -> AppResult<()> {
    let detail = format!("{}…{}, {}", q.from, q.to, q.lang);
    crate::services::audit::record(
        conn,
        ctx,
        actor,
        "register.export",
        q.register.key(),
        &detail,
        "ok",
    )?;
    Ok(())
}
