//! Errors of a request, and the error policy of the whole crate, written here once:
//!
//! - `domain` returns `FieldError`/`FieldErrors` for bad input: the field (a path such as
//!   `items[0].text`) and a message key, never a sentence — the surface words it.
//! - `models` return diesel's `QueryResult`; they give errors no meaning.
//! - `services` return `ServiceError`, which says what kind of failure it is: bad input with
//!   its fields, not found, not allowed, a conflict, or a database/other failure.
//! - `web` handlers return `AppResult<T>`; an `AppError` becomes an HTML page or, under
//!   `/api/`, CONTRACT.md's JSON error `{"error": {"code", "message", "field"}}`, in the user's
//!   language. A row that is not there is a 404 wherever it surfaces — `ServiceError::NotFound`
//!   and diesel's `NotFound` alike — and so is a row the user may not see (a 403 would confirm
//!   it exists); a route the user's role may not use is a 403. Everything unexpected is a 500
//!   whose cause goes to the log, not to the user.
//! - The CLI (`cli/`) and the jobs use `anyhow`, printing the cause chain; the CLI exits 2 for
//!   bad input (with line, field and reason) and 1 for anything else.

use crate::domain::error::{FieldError, FieldErrors};
use crate::i18n::I18N;
use crate::services::ServiceError;
use crate::web::render::see_other;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("CSRF check failed")]
    Csrf,
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A query parameter that cannot be used (400, naming it; the queue's `limit`, `after`…).
    #[error("bad parameter")]
    BadParam(FieldErrors),
    #[error("too many attempts")]
    Throttled,
    /// A body over the limit (1 MiB): actix's own refusal, answered as ours.
    #[error("body too large")]
    TooLarge,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(f) => AppError::Invalid(f),
            ServiceError::NotFound(_) => AppError::NotFound,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::Conflict(c) => AppError::Conflict(c),
            ServiceError::Db(e) => e.into(),
            ServiceError::Other(e) => AppError::Internal(e),
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            e => AppError::Internal(e.into()),
        }
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("{e}"))
    }
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) | AppError::BadParam(_) => StatusCode::BAD_REQUEST,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code and a message in `lang`, plus the field when there is one.
    pub fn describe(&self, lang: &str) -> (String, String, Option<String>) {
        match self {
            AppError::Invalid(errs) | AppError::BadParam(errs) => {
                let first = &errs.0[0];
                let message = errs
                    .0
                    .iter()
                    .map(|e| I18N.field_error(lang, e))
                    .collect::<Vec<_>>()
                    .join("; ");
                (first.code.to_string(), message, Some(first.field.clone()))
            }
            AppError::Conflict(code) => {
                (code.to_string(), I18N.t(lang, &format!("err-{code}")), None)
            }
            // Issue 12: the code says what the library refused; the message is ours alone.
            AppError::BadRequest(code) => {
                let key = format!("err-{code}");
                let key = if I18N.has(lang, &key) {
                    key
                } else {
                    "err-bad-request".to_string()
                };
                (code.clone(), I18N.t(lang, &key), None)
            }
            AppError::Internal(e) => {
                tracing::error!("internal error: {e:#}");
                ("internal".into(), I18N.t(lang, "err-internal"), None)
            }
            other => {
                let code = match other {
                    AppError::Unauthenticated => "unauthenticated",
                    AppError::Forbidden => "forbidden",
                    AppError::Csrf => "csrf",
                    AppError::NotFound => "not_found",
                    AppError::TooLarge => "too_large",
                    _ => "throttled",
                };
                (code.into(), I18N.t(lang, &format!("err-{code}")), None)
            }
        }
    }

    /// The JSON body of CONTRACT.md, with every field error under `errors`.
    pub fn json(&self, lang: &str) -> HttpResponse {
        let (code, message, field) = self.describe(lang);
        let mut body = json!({"error": {"code": code, "message": message, "field": field}});
        if let AppError::Invalid(errs) | AppError::BadParam(errs) = self {
            body["error"]["errors"] = errs
                .0
                .iter()
                .map(|e| json!({"field": e.field, "code": e.code, "message": I18N.field_error(lang, e)}))
                .collect();
        }
        HttpResponse::build(self.status()).json(body)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// Without the request at hand (actix calls this), the answer is plain; handlers and the
    /// error middleware (`web::render_error`) give the localised page or JSON.
    fn error_response(&self) -> HttpResponse {
        if let AppError::Unauthenticated = self {
            return see_other("/login");
        }
        let (code, message, _) = self.describe(crate::i18n::DEFAULT_LANG);
        HttpResponse::build(self.status())
            .insert_header((header::CONTENT_TYPE, "text/plain; charset=utf-8"))
            .insert_header(("X-Error-Code", code))
            .body(message)
    }
}

/// The language of a request without a signed-in user: `?lang=`, the `lang` cookie, then
/// `Accept-Language`, then the configured default.
pub fn request_lang(req: &HttpRequest, default: &'static str) -> &'static str {
    let from_query = req
        .query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(|l| crate::i18n::supported(Some(l)));
    from_query
        .or_else(|| crate::i18n::supported(req.cookie("lang").as_ref().map(|c| c.value())))
        .or_else(|| {
            req.headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|h| h.to_str().ok())
                .and_then(crate::i18n::negotiate)
        })
        .unwrap_or(default)
}

/// Field errors as `field → message` in `lang`, for a form shown again with its errors.
pub fn form_messages(lang: &str, e: &FieldErrors) -> std::collections::HashMap<String, String> {
    e.0.iter()
        .map(|e| (e.field.clone(), I18N.reason(lang, e)))
        .collect()
}

/// Issue 12: a JSON body serde refused, as our error: the code and field say what serde
/// found (a syntax error with its line and column, a body cut short, a missing, unknown or
/// mistyped field), the message is ours, in the user's language.
pub fn json_error(e: &serde_json::Error) -> FieldError {
    use serde_json::error::Category;
    let at = |code: &'static str| {
        FieldError::new("body", code)
            .arg("line", e.line())
            .arg("column", e.column())
    };
    match e.classify() {
        Category::Syntax => at("json-invalid"),
        Category::Eof => at("json-incomplete"),
        Category::Io => FieldError::new("body", "body-unreadable"),
        Category::Data => {
            let msg = e.to_string();
            let named = msg.split('`').nth(1).unwrap_or("body").to_string();
            if msg.starts_with("missing field") {
                FieldError::new(named, "required")
            } else if msg.starts_with("unknown field") {
                FieldError::new(named, "field-unknown")
            } else {
                FieldError::new("body", "json-type")
            }
        }
    }
}

/// A JSON body that must be one object (every JSON API).
pub fn json_object(body: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, AppError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        Ok(_) => Err(AppError::Invalid(
            FieldError::new("body", "json-not-object").into(),
        )),
        Err(e) => Err(AppError::Invalid(json_error(&e).into())),
    }
}

/// actix's refusal of a body or query, as ours: over the limit is our 413; any other is a
/// 400 whose code names what was wrong (never actix's English).
pub fn from_actix(e: &actix_web::Error, what: &str) -> AppError {
    match e.as_error::<AppError>() {
        Some(AppError::TooLarge) => AppError::TooLarge,
        Some(AppError::Invalid(errs)) => AppError::Invalid(errs.clone()),
        Some(AppError::BadParam(errs)) => AppError::BadParam(errs.clone()),
        Some(AppError::BadRequest(code)) => AppError::BadRequest(code.clone()),
        _ if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::TooLarge
        }
        _ => AppError::BadRequest(format!("{what}-invalid")),
    }
}

/// actix's form (urlencoded) refusal.
pub fn form_refused(e: &actix_web::error::UrlencodedError) -> AppError {
    use actix_web::error::UrlencodedError as U;
    match e {
        U::Overflow { .. } => AppError::TooLarge,
        U::ContentType => AppError::BadRequest("form-content-type".into()),
        _ => AppError::BadRequest("form-invalid".into()),
    }
}

/// actix's JSON extractor's refusal.
pub fn json_refused(e: &actix_web::error::JsonPayloadError) -> AppError {
    use actix_web::error::JsonPayloadError as J;
    match e {
        J::Overflow { .. } | J::OverflowKnownLength { .. } => AppError::TooLarge,
        J::ContentType => AppError::BadRequest("json-content-type".into()),
        J::Deserialize(d) => AppError::Invalid(json_error(d).into()),
        _ => AppError::BadRequest("body-invalid".into()),
    }
}

/// actix's query-string refusal: the parameter named when serde names it.
pub fn query_refused(e: &actix_web::error::QueryPayloadError) -> AppError {
    let msg = e.to_string();
    let field = msg.split('`').nth(1).unwrap_or("query").to_string();
    AppError::BadParam(FieldError::new(field, "query-invalid").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_that_is_not_there_is_a_404_from_any_layer() {
        let from_db = AppError::from(diesel::result::Error::NotFound);
        let from_service = AppError::from(ServiceError::Db(diesel::result::Error::NotFound));
        let named = AppError::from(ServiceError::NotFound("customer"));
        for e in [from_db, from_service, named] {
            assert_eq!(e.status(), StatusCode::NOT_FOUND, "{e:?}");
        }
        let broken = AppError::from(diesel::result::Error::BrokenTransactionManager);
        assert_eq!(broken.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
