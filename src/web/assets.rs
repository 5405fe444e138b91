//! Local static assets (no CDN): the stylesheet and a small script, compiled into the binary.

use super::{AppError, AppResult};
use actix_web::{web, HttpResponse};

const CSS: &str = include_str!("../../templates/static/app.css");
const JS: &str = include_str!("../../templates/static/app.js");

pub async fn serve(file: web::Path<String>) -> AppResult<HttpResponse> {
    let (body, ctype) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(AppError::NotFound),
    };
    Ok(HttpResponse::Ok()
        .content_type(ctype)
        .insert_header(("Cache-Control", "public, max-age=3600"))
        .body(body))
}
