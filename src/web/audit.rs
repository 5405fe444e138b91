//! R11: the audit log for auditors and supervisors — every login and failure, permission
//! denial, export, phone reveal, amendment, user and role change, absence, reassignment and
//! anonymisation, with who, what, when (UTC and local), from where and the result — filtered,
//! paged, and exported as CSV (the export itself recorded too). Nobody can change it: the
//! table refuses UPDATE and DELETE (migration 000004).

use super::auth::{chrome, Auth};
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::error::FieldErrors;
use crate::domain::visit::parse_date;
use crate::i18n::I18N;
use crate::services::audit::{self, AuditRow, Filter};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

const PAGE: i64 = 100;
const BATCH: i64 = 1000;

#[derive(Debug, Deserialize, Default)]
pub struct AuditQuery {
    from: Option<String>,
    to: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    page: Option<String>,
    lang: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter of a request, every bad value named.
fn parse(p: &AuditQuery, me: &Auth) -> AppResult<(Filter, i64)> {
    let mut errs = FieldErrors::default();
    let from = given(&p.from).and_then(|f| errs.take(parse_date("from", f)));
    let to = given(&p.to).and_then(|t| errs.take(parse_date("to", t)));
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.push(crate::domain::error::FieldError::new(
                "from",
                "from-after-to",
            ));
        }
    }
    let page = match given(&p.page) {
        None => Some(1),
        Some(n) => errs.take(
            n.parse::<i64>()
                .ok()
                .filter(|n| (1..=1_000_000).contains(n))
                .ok_or_else(|| {
                    crate::domain::error::FieldError::new("page", "number-invalid").arg("value", n)
                }),
        ),
    };
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    Ok((
        Filter {
            from,
            to,
            store_id: me.user.store_id,
            actor: given(&p.actor).map(str::to_string),
            action: given(&p.action).map(str::to_string),
        },
        page.expect("checked"),
    ))
}

/// A row as the page and the export show it.
#[derive(Serialize)]
struct Shown {
    id: i32,
    at_utc: String,
    at_local: String,
    actor: String,
    action: String,
    action_label: String,
    subject: String,
    detail: String,
    ip: String,
    result: String,
}

fn shown(r: AuditRow, clock: &crate::clock::Clock, lang: &str) -> Shown {
    let key = format!("audit-action-{}", r.action.replace('.', "-"));
    Shown {
        id: r.id,
        at_utc: r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
        at_local: clock
            .with_offset(r.at)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        action_label: if I18N.has(lang, &key) {
            I18N.t(lang, &key)
        } else {
            r.action.clone()
        },
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        detail: r.detail,
        ip: r.ip.unwrap_or_default(),
        result: r.result,
    }
}

/// `GET /audit`: the log, newest first, a hundred rows a page.
pub async fn page(
    req: HttpRequest,
    state: State,
    me: Auth,
    p: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let (f, page) = parse(&p, &me)?;
    let lang = me.lang;
    let ff = f.clone();
    let (rows, total, actions) = state
        .db(move |conn, ctx| {
            let (rows, total, actions) = audit::page(conn, &ff, PAGE, (page - 1) * PAGE)?;
            let rows: Vec<Shown> = rows
                .into_iter()
                .map(|r| shown(r, &ctx.clock, lang))
                .collect();
            Ok((rows, total, actions))
        })
        .await?;
    let mut query = vec![];
    for (k, v) in [
        ("from", f.from.map(|d| d.to_string())),
        ("to", f.to.map(|d| d.to_string())),
        ("actor", f.actor.clone()),
        ("action", f.action.clone()),
    ] {
        if let Some(v) = v {
            query.push(format!("{k}={}", super::urlencode(&v)));
        }
    }
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("rows", &rows);
    ctx.insert("total", &total);
    ctx.insert("page", &page);
    ctx.insert("pages", &((total + PAGE - 1) / PAGE).max(1));
    ctx.insert("from", &f.from.map(|d| d.to_string()).unwrap_or_default());
    ctx.insert("to", &f.to.map(|d| d.to_string()).unwrap_or_default());
    ctx.insert("actor", &f.actor.clone().unwrap_or_default());
    ctx.insert("action", &f.action.clone().unwrap_or_default());
    ctx.insert("actions", &actions);
    ctx.insert("filters", &query.join("&"));
    Ok(html(state.templates.render(me.lang, "audit.html", &ctx)?))
}

/// The columns of the audit-log export (`audit-col-<key>`).
const COLUMNS: [&str; 9] = [
    "id", "at-utc", "at-local", "actor", "action", "subject", "detail", "ip", "result",
];

/// Every row of `f`, oldest first, as the export's cells, batch by batch; gives back how many.
fn each_row(
    conn: &mut crate::db::DbConn,
    clock: &crate::clock::Clock,
    f: &Filter,
    lang: &str,
    mut line: impl FnMut(Vec<String>) -> anyhow::Result<()>,
) -> anyhow::Result<usize> {
    let mut last = 0;
    let mut lines = 0usize;
    loop {
        let batch = audit::batch_after(conn, f, last, BATCH)?;
        if batch.is_empty() {
            break;
        }
        for r in batch {
            last = r.id;
            let s = shown(r, clock, lang);
            line(vec![
                s.id.to_string(),
                s.at_utc,
                s.at_local,
                s.actor,
                s.action,
                s.subject,
                s.detail,
                s.ip,
                s.result,
            ])?;
            lines += 1;
        }
    }
    Ok(lines)
}

/// The export itself, a row of the log.
fn record_export(
    conn: &mut crate::db::DbConn,
    ctx: &crate::services::Ctx,
    actor: &crate::services::Actor,
    f: &Filter,
    lines: usize,
) -> anyhow::Result<()> {
    audit::record(
        conn,
        ctx,
        actor,
        "audit.export",
        "audit_log",
        &format!(
            "{}…{}, {lines} rows",
            f.from.map(|d| d.to_string()).unwrap_or_default(),
            f.to.map(|d| d.to_string()).unwrap_or_default()
        ),
        "ok",
    )?;
    Ok(())
}

fn headers(lang: &str) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|k| I18N.t(lang, &format!("audit-col-{k}")))
        .collect()
}

/// `GET /audit/export.csv`: the filtered log as CSV (UTF-8 with a BOM), streamed in batches;
/// the export is itself a row of the log.
pub async fn export_csv(
    state: State,
    me: Auth,
    p: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let (f, _) = parse(&p, &me)?;
    let lang = crate::i18n::supported(given(&p.lang)).unwrap_or(me.lang);
    let actor = me.actor();
    let stream = super::exports::stream_blocking(&state, move |conn, ctx, out| {
        out.write_all(b"\xEF\xBB\xBF")?;
        let mut w = csv::Writer::from_writer(out);
        w.write_record(headers(lang))?;
        let lines = each_row(conn, &ctx.clock, &f, lang, |cells| {
            w.write_record(
                cells
                    .iter()
                    .map(|c| crate::registers::export::neutralise(c).into_owned()),
            )?;
            Ok(())
        })?;
        w.flush()?;
        record_export(conn, ctx, &actor, &f, lines)
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"audit-log.csv\"",
        ))
        .streaming(stream))
}

/// `GET /audit/export.xlsx`: the same as an Excel workbook (times as dates), with a manifest
/// sheet (range, rows, first and last row).
pub async fn export_xlsx(
    state: State,
    me: Auth,
    p: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    use crate::registers::xlsx::{Book, Kind};
    let (f, _) = parse(&p, &me)?;
    let lang = crate::i18n::supported(given(&p.lang)).unwrap_or(me.lang);
    let actor = me.actor();
    let stream = super::exports::stream_blocking(&state, move |conn, ctx, out| {
        let mut kinds = vec![Kind::Text; COLUMNS.len()];
        kinds[1] = Kind::DateTime;
        let mut book = Book::new(&I18N.t(lang, "audit-title"), &headers(lang), kinds)?;
        let (mut first, mut last) = (None, None);
        let lines = each_row(conn, &ctx.clock, &f, lang, |cells| {
            if first.is_none() {
                first = Some(cells[0].clone());
            }
            last = Some(cells[0].clone());
            book.line(&cells)
        })?;
        let t = |k: &str| I18N.t(lang, &format!("manifest-{k}"));
        let pairs = vec![
            (t("from"), f.from.map(|d| d.to_string()).unwrap_or_default()),
            (t("to"), f.to.map(|d| d.to_string()).unwrap_or_default()),
            (t("lines"), lines.to_string()),
            (t("first-id"), first.unwrap_or_default()),
            (t("last-id"), last.unwrap_or_default()),
            (t("exported-by"), actor.name.clone()),
        ];
        book.finish(&t("sheet"), &pairs, None, out)?;
        record_export(conn, ctx, &actor, &f, lines)
    });
    Ok(HttpResponse::Ok()
        .content_type(super::exports::XLSX)
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"audit-log.xlsx\"",
        ))
        .streaming(stream))
}
