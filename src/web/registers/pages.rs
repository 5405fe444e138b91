//! A register read on screen and on paper: the lines as a table a page at a time, one line's
//! page (with its whole phone number on request, logged), and the paper form to print.

use super::lines::{headers, in_lang, lines, Clerk};
use super::query::{filter_query, is_call, page_phones, parse, quick_ranges, RegisterQuery};
use crate::domain::call::Category;
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::registers::export::{self, Filters, Query};
use crate::registers::view;
use crate::web::auth::{chrome, Auth, AuthForm};
use crate::web::render::html;
use crate::web::{AppError, AppResult, State};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

/// Lines on a page.
const PAGE: i64 = 100;
/// The most lines one printed form holds.
const PRINT_MAX: i64 = 10_000;

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
    post: AuthForm,
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
