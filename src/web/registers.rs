//! R11 for auditors: the four registers as pages — filtered by date range, 经办人, category
//! and customer, one line's page, the paper form to print (A4 landscape), and the CSV export
//! for a signed-in browser. The lines are the export's own (`registers::export::rows`), so a
//! page, a printed form and a CSV file never disagree.

use super::auth::{chrome, Auth, AuthForm};
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::call::Category;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::domain::role::Role;
use crate::registers::export::{self, Filters, Query};
use crate::registers::view;
use crate::services::ServiceError;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Lines on a page.
const PAGE: i64 = 100;
/// The most lines one printed form holds.
const PRINT_MAX: i64 = 10_000;

/// `/registers/{register}?from=&to=&clerk=&category=&customer=&page=` (`lang=` for the CSV).
#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    from: Option<String>,
    to: Option<String>,
    clerk: Option<String>,
    category: Option<String>,
    customer: Option<String>,
    page: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn is_call(r: Register) -> bool {
    matches!(r, Register::CallRecords | Register::CallRegister)
}

/// The current month of the app's clock: the default range.
fn this_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).expect("day 1");
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .expect("a next month");
    (first, next.pred_opt().expect("a last day"))
}

/// The ranges an auditor picks most, a click away: this month, last month (what an audit early
/// in a month is about) and the year so far.
fn quick_ranges(today: NaiveDate) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let (first, last) = this_month(today);
    let prev = this_month(first.pred_opt().expect("a day before"));
    let year = today.with_ordinal(1).expect("day 1 of the year");
    vec![
        ("registers-range-this-month", first, last),
        ("registers-range-last-month", prev.0, prev.1),
        ("registers-range-this-year", year, today),
    ]
}

/// What a request asks for, checked: the export's query (the reader's store), the filters,
/// the page. Every bad value is named (a 422).
fn parse(
    register: &str,
    p: &RegisterQuery,
    me: &Auth,
    today: NaiveDate,
    lang: &'static str,
) -> AppResult<(Query, Filters, i64)> {
    let (first, last) = this_month(today);
    let (first, last) = (first.to_string(), last.to_string());
    let mut errs = FieldErrors::default();
    let parsed = match export::parse_query(
        register,
        Some(given(&p.from).unwrap_or(&first)),
        Some(given(&p.to).unwrap_or(&last)),
        Some(lang),
    ) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    let clerk_id = match given(&p.clerk) {
        None => None,
        Some(c) => errs.take(
            c.parse::<i32>()
                .map_err(|_| FieldError::new("clerk", "number-invalid").arg("value", c)),
        ),
    };
    let category = match given(&p.category) {
        Some(c) if parsed.is_some_and(|(r, ..)| is_call(r)) => errs.take(
            Category::parse(c)
                .map(|c| c.as_str().to_string())
                .ok_or_else(|| FieldError::new("category", "category-unknown").arg("value", c)),
        ),
        _ => None,
    };
    let page = match given(&p.page) {
        None => Some(1),
        Some(n) => errs.take(
            n.parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| FieldError::new("page", "number-invalid").arg("value", n)),
        ),
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let (register, from, to, lang) = parsed.expect("checked");
    Ok((
        Query {
            register,
            from,
            to,
            store_id: me.user.store_id,
            lang,
            phones: page_phones(me),
        },
        Filters {
            clerk_id,
            category,
            customer: given(&p.customer).map(str::to_string),
            id: None,
        },
        page.expect("checked"),
    ))
}

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
    let status = if errors.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    ctx.insert("errors", &errors);
    Ok(super::render::html_with(
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
    match state
        .db(move |conn, ctx| {
            Ok(crate::services::privacy::grant(
                conn, ctx, &actor, &grantee, &until, &reason,
            ))
        })
        .await?
    {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/registers#grants"))
            .finish()),
        Err(ServiceError::Invalid(e)) => {
            let errors = super::error::form_messages(post.auth.lang, &e);
            index_page(&req, &state, &post.auth, post.form.values(), errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /registers/grants/{id}/revoke`.
pub async fn revoke(state: State, post: AuthForm, id: web::Path<i32>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let actor = post.auth.actor();
    state
        .db(move |conn, ctx| Ok(crate::services::privacy::revoke(conn, ctx, &actor, id)?))
        .await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/registers#grants"))
        .finish())
}

/// A user who may appear as 经办人 in the filter.
#[derive(Serialize)]
struct Clerk {
    id: i32,
    name: String,
}

/// A line of a register: its id and the cells it shows, in the register's column order.
#[derive(Serialize)]
struct Line {
    id: i32,
    cells: Vec<Cell>,
    /// Every cell by column key (for the archive sheets).
    by_key: HashMap<&'static str, String>,
}

/// A cell and how it may wrap (`view::wrap`: `nowrap`, `word` or `text`).
#[derive(Serialize)]
struct Cell {
    value: String,
    class: &'static str,
}

/// Where the shown columns are in the export's cells: all of them on paper, the register's
/// screen columns on its page (`view::on_screen`).
fn shown(register: Register, screen: bool) -> Vec<usize> {
    let keys = export::keys(register);
    match view::on_screen(register).filter(|_| screen) {
        Some(wanted) => (0..keys.len())
            .filter(|i| wanted.contains(&keys[*i]))
            .collect(),
        None => (0..keys.len()).collect(),
    }
}

/// The headers of the shown columns.
fn headers(register: Register, lang: &str, screen: bool) -> Vec<String> {
    let all = export::labels(register, lang);
    shown(register, screen)
        .into_iter()
        .map(|i| all[i].clone())
        .collect()
}

fn lines(register: Register, rows: Vec<(i32, Vec<String>)>, lang: &str, screen: bool) -> Vec<Line> {
    let keys = export::keys(register);
    let at = shown(register, screen);
    rows.into_iter()
        .map(|(id, cells)| (id, in_lang(register, cells, lang)))
        .map(|(id, cells)| Line {
            id,
            cells: at
                .iter()
                .map(|&i| Cell {
                    value: cells[i].clone(),
                    class: view::wrap(keys[i]).class(),
                })
                .collect(),
            by_key: keys.iter().copied().zip(cells).collect(),
        })
        .collect()
}

/// A line's cells as the reader reads them: a letter's subject and 关联 in their language.
fn in_lang(register: Register, mut cells: Vec<String>, lang: &str) -> Vec<String> {
    if register == Register::LetterRegister {
        view::letter_cells_in(lang, &mut cells);
    }
    cells
}

/// The query string of a request's filters (for the pager, print and export links).
fn filter_query(q: &Query, f: &Filters) -> String {
    let mut s = format!("from={}&to={}", q.from, q.to);
    if let Some(c) = f.clerk_id {
        s.push_str(&format!("&clerk={c}"));
    }
    if let Some(c) = &f.category {
        s.push_str(&format!("&category={}", super::urlencode(c)));
    }
    if let Some(c) = &f.customer {
        s.push_str(&format!("&customer={}", super::urlencode(c)));
    }
    s
}

/// `GET /registers/{register}`: the lines as a table, 100 a page, in number order.
pub async fn page(
    req: HttpRequest,
    state: State,
    me: Auth,
    register: web::Path<String>,
    p: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    let (q, f, page) = parse(&register, &p, &me, state.ctx.clock.today(), me.lang)?;
    let store_id = me.user.store_id;
    let (qq, ff) = (q.clone(), f.clone());
    let (rows, total, clerks) = state
        .db(move |conn, ctx| {
            let tz = ctx.clock.tz();
            let rows = export::rows(conn, &qq, &ff, tz, PAGE, (page - 1) * PAGE)?;
            let total = export::count(conn, &qq, &ff)?;
            let clerks: Vec<Clerk> = crate::services::accounts::staff(conn, store_id)?
                .into_iter()
                .map(|(id, name)| Clerk { id, name })
                .collect();
            Ok((rows, total, clerks))
        })
        .await?;
    let reg = q.register;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("register", reg.key());
    ctx.insert("headers", &headers(reg, me.lang, true));
    // Only a page that leaves columns to the line's own page says so.
    ctx.insert("more_columns", &view::on_screen(reg).is_some());
    ctx.insert("lines", &lines(reg, rows, me.lang, true));
    ctx.insert("total", &total);
    ctx.insert("page", &page);
    ctx.insert("pages", &((total + PAGE - 1) / PAGE).max(1));
    ctx.insert("from", &q.from);
    ctx.insert("to", &q.to);
    ctx.insert("ranges", &quick_ranges(state.ctx.clock.today()));
    ctx.insert("clerk", &f.clerk_id);
    ctx.insert("category", &f.category.clone().unwrap_or_default());
    ctx.insert("customer", &f.customer.clone().unwrap_or_default());
    ctx.insert("clerks", &clerks);
    ctx.insert("has_category", &is_call(reg));
    ctx.insert(
        "categories",
        &Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
    );
    ctx.insert(
        "clerk_column",
        &if reg == Register::Archives {
            "column-archived_by"
        } else {
            "column-handled_by"
        },
    );
    ctx.insert("filters", &filter_query(&q, &f));
    ctx.insert(
        "export_query",
        &format!("from={}&to={}&lang={}", q.from, q.to, me.lang),
    );
    Ok(html(state.templates.render(
        me.lang,
        "registers/list.html",
        &ctx,
    )?))
}

/// Supervisors read registers with whole phone numbers; auditors and admins masked (R11).
fn page_phones(me: &Auth) -> Phones {
    if me.user.role == Role::Supervisor {
        Phones::Full
    } else {
        Phones::Masked
    }
}

/// `GET /registers/{register}/{id}`: every field of one line (of the reader's store).
pub async fn detail(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, i32)>,
) -> AppResult<HttpResponse> {
    let (register, id) = path.into_inner();
    detail_page(req, state, me, register, id, false).await
}

/// `POST /registers/{register}/{id}/reveal`: the line with its whole phone number; logged.
pub async fn reveal(
    req: HttpRequest,
    state: State,
    post: crate::web::auth::AuthForm,
    path: web::Path<(String, i32)>,
) -> AppResult<HttpResponse> {
    let (register, id) = path.into_inner();
    detail_page(req, state, post.auth, register, id, true).await
}

async fn detail_page(
    req: HttpRequest,
    state: State,
    me: Auth,
    register: String,
    id: i32,
    reveal: bool,
) -> AppResult<HttpResponse> {
    let reg = Register::parse(&register).ok_or(AppError::NotFound)?;
    let phones = if reveal {
        Phones::Full
    } else {
        page_phones(&me)
    };
    let q = Query {
        register: reg,
        from: NaiveDate::from_ymd_opt(1, 1, 1).expect("a date"),
        to: NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date"),
        store_id: me.user.store_id,
        lang: me.lang,
        phones,
    };
    let f = Filters {
        id: Some(id),
        ..Filters::default()
    };
    let lang = me.lang;
    let actor = me.actor();
    let (row, extra) = state
        .db(move |conn, ctx| {
            let rows = export::rows(conn, &q, &f, ctx.clock.tz(), 1, 0)?;
            let row = rows.into_iter().next().ok_or(AppError::NotFound)?;
            if reveal && reg != Register::LetterRegister {
                crate::services::privacy::reveal_line(conn, ctx, &actor, &row.1[0])?;
            }
            let extra = view::extra(conn, reg, id, lang)?;
            Ok((row, extra))
        })
        .await?;
    let fields: Vec<(String, String)> = export::labels(reg, me.lang)
        .into_iter()
        .zip(in_lang(reg, row.1.clone(), me.lang))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("register", reg.key());
    ctx.insert("line_id", &row.0);
    ctx.insert("number", &row.1[0]);
    ctx.insert("fields", &fields);
    ctx.insert("extra", &extra);
    ctx.insert(
        "can_reveal",
        &(phones == Phones::Masked && reg != Register::LetterRegister),
    );
    Ok(html(state.templates.render(
        me.lang,
        "registers/detail.html",
        &ctx,
    )?))
}

/// `GET /registers/{register}/print`: the register as its paper form, every line of the
/// range; the archives register one sheet a page.
pub async fn print(
    req: HttpRequest,
    state: State,
    me: Auth,
    register: web::Path<String>,
    p: web::Query<RegisterQuery>,
) -> AppResult<HttpResponse> {
    let (q, f, _) = parse(&register, &p, &me, state.ctx.clock.today(), me.lang)?;
    let (qq, ff) = (q.clone(), f.clone());
    let (rows, store) = state
        .db(move |conn, ctx| {
            let rows = export::rows(conn, &qq, &ff, ctx.clock.tz(), PRINT_MAX + 1, 0)?;
            Ok((rows, view::store_name(conn, qq.store_id)?))
        })
        .await?;
    let truncated = rows.len() as i64 > PRINT_MAX;
    let mut rows = rows;
    rows.truncate(PRINT_MAX as usize);
    let reg = q.register;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("register", reg.key());
    ctx.insert("headers", &headers(reg, me.lang, false));
    ctx.insert("lines", &lines(reg, rows, me.lang, false));
    ctx.insert("truncated", &truncated);
    ctx.insert("max", &PRINT_MAX);
    ctx.insert("store", &store);
    ctx.insert("from", &q.from);
    ctx.insert("to", &q.to);
    ctx.insert("filters", &filter_query(&q, &f));
    ctx.insert("printed_by", &me.user.display_name);
    ctx.insert(
        "printed_at",
        &state
            .ctx
            .clock
            .now_local()
            .format("%Y-%m-%d %H:%M")
            .to_string(),
    );
    let template = if reg == Register::Archives {
        "print/archives.html"
    } else {
        "print/register.html"
    };
    Ok(html(state.templates.render(me.lang, template, &ctx)?))
}

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
    post: crate::web::auth::AuthForm,
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
    Ok(HttpResponse::SeeOther()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/registers/{register}?ok=amended"),
        ))
        .finish())
}
