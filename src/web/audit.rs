//! R11: the audit log for auditors and supervisors — every login and failure, permission
//! denial, export, phone reveal, amendment, user and role change, absence, reassignment and
//! anonymisation, with who, what, when (UTC and local), from where and the result — filtered,
//! paged, and exported as CSV (the export itself recorded too). Nobody can change it: the
//! table refuses UPDATE and DELETE (migration 000004).

use super::auth::{chrome, Auth};
use super::render::html;
use super::{given, page_number, AppError, AppResult, State};
use crate::domain::error::FieldErrors;
use crate::domain::visit::parse_date;
use crate::i18n::I18N;
use crate::services::audit::{self, AuditRow, Filter, Names};
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
    let page = errs.take(page_number(&p.page));
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

/// A row as the page and the export show it: the export keeps the stored codes, the page
/// reads them in the reader's language (issue 12).
#[derive(Serialize)]
struct Shown {
    id: i32,
    at_utc: String,
    at_local: String,
    actor: String,
    /// The person's name (the login when the user is unknown, or the command line).
    actor_name: String,
    action: String,
    action_label: String,
    subject: String,
    subject_label: String,
    detail: String,
    /// A structured detail as labelled fields; empty for free text (rows written before).
    fields: Vec<(String, String)>,
    ip: String,
    result: String,
    result_label: String,
}

/// A subject as stored ("task 12", "customer 3 into 5", "call-register", "monthly 2026-10")
/// said in `lang`; anything else as it was written.
fn subject_label(lang: &str, subject: &str) -> String {
    let words: Vec<&str> = subject.split(' ').collect();
    let key = |w: &str| format!("audit-subject-{w}");
    match words.as_slice() {
        [w, id] if I18N.has(lang, &key(w)) => {
            I18N.t_args(lang, &key(w), &[("id", format!("#{id}"))])
        }
        ["customer", a, "into", b] => I18N.t_args(
            lang,
            "audit-subject-merge",
            &[("from", format!("#{a}")), ("into", format!("#{b}"))],
        ),
        [kind @ ("monthly" | "yearly"), period] => I18N.t_args(
            lang,
            &format!("sum-title-{kind}"),
            &[("period", period.to_string())],
        ),
        [reg] if I18N.has(lang, &format!("register-title-{reg}")) => {
            I18N.t(lang, &format!("register-title-{reg}"))
        }
        _ => subject.to_string(),
    }
}

/// A detail stored as a JSON object, as labelled fields in `lang`; `None` for free text.
fn fields(lang: &str, detail: &str) -> Option<Vec<(String, String)>> {
    let serde_json::Value::Object(map) = serde_json::from_str(detail).ok()? else {
        return None;
    };
    Some(
        map.iter()
            .map(|(k, v)| (I18N.coded(lang, "audit-detail", k), value(lang, k, v)))
            .collect(),
    )
}

/// One value of a structured detail: coded values (a role, a reason) translated, lists
/// joined, objects (an export's chain heads) written compactly.
fn value(lang: &str, key: &str, v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::String(s) => match key {
            "role" => I18N.coded(lang, "role", s),
            "reason" => I18N.coded(lang, "audit-reason", s),
            "register" => I18N.coded(lang, "register-title", s),
            "changed" => I18N.coded(lang, "audit-changed", s),
            "source" => I18N.coded(lang, "audit-source", s),
            _ => s.clone(),
        },
        Value::Null => String::new(),
        Value::Bool(b) => I18N.coded(lang, "audit-bool", &b.to_string()),
        Value::Array(items) => items
            .iter()
            .map(|i| value(lang, key, i))
            .collect::<Vec<_>>()
            .join(if lang == "en" { ", " } else { "、" }),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => v.to_string(),
    }
}

fn shown(r: AuditRow, clock: &crate::clock::Clock, lang: &str, names: &Names) -> Shown {
    Shown {
        id: r.id,
        at_utc: r.at.format("%Y-%m-%d %H:%M:%S").to_string(),
        at_local: clock
            .with_offset(r.at)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        action_label: I18N.coded(lang, "audit-action", &r.action),
        actor_name: r
            .actor_id
            .and_then(|id| names.by_id.get(&id).cloned())
            .unwrap_or_else(|| r.actor.clone()),
        actor: r.actor,
        action: r.action,
        subject_label: names
            .by_login
            .get(&r.subject)
            .cloned()
            .unwrap_or_else(|| subject_label(lang, &r.subject)),
        subject: r.subject,
        fields: fields(lang, &r.detail).unwrap_or_default(),
        detail: r.detail,
        ip: r.ip.unwrap_or_default(),
        result_label: I18N.coded(lang, "audit-result", &r.result),
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
            let p = audit::page(conn, &ff, PAGE, (page - 1) * PAGE)?;
            let rows: Vec<Shown> = p
                .rows
                .into_iter()
                .map(|r| shown(r, &ctx.clock, lang, &p.names))
                .collect();
            let actions: Vec<(String, String)> = p
                .actions
                .into_iter()
                .map(|a| (I18N.coded(lang, "audit-action", &a), a))
                .collect();
            Ok((rows, p.total, actions))
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
            let s = shown(r, clock, lang, &Names::default());
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
        &audit::detail(&[
            ("from", f.from.map(|d| d.to_string()).into()),
            ("to", f.to.map(|d| d.to_string()).into()),
            ("rows", lines.into()),
        ]),
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

/// An export of the filtered log, streamed as `audit-log.{ext}`: `write` writes the rows
/// (through `each_row`) and says how many; the export is then itself a row of the log.
fn export<W>(
    state: &State,
    me: &Auth,
    p: &AuditQuery,
    ctype: &'static str,
    ext: &str,
    write: W,
) -> AppResult<HttpResponse>
where
    W: FnOnce(
            &mut crate::db::DbConn,
            &crate::services::Ctx,
            &mut (dyn std::io::Write + Send),
            &Filter,
            &'static str,
            &crate::services::Actor,
        ) -> anyhow::Result<usize>
        + Send
        + 'static,
{
    let (f, _) = parse(p, me)?;
    let lang = crate::i18n::supported(given(&p.lang)).unwrap_or(me.lang);
    let actor = me.actor();
    let stream = super::exports::stream_blocking(state, move |conn, ctx, out| {
        let lines = write(conn, ctx, out, &f, lang, &actor)?;
        record_export(conn, ctx, &actor, &f, lines)
    });
    Ok(HttpResponse::Ok()
        .content_type(ctype)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"audit-log.{ext}\""),
        ))
        .streaming(stream))
}

/// `GET /audit/export.csv`: the filtered log as CSV (UTF-8 with a BOM), streamed in batches.
pub async fn export_csv(
    state: State,
    me: Auth,
    p: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let ctype = "text/csv; charset=utf-8";
    export(
        &state,
        &me,
        &p,
        ctype,
        "csv",
        |conn, ctx, out, f, lang, _| {
            out.write_all(b"\xEF\xBB\xBF")?;
            let mut w = csv::Writer::from_writer(out);
            w.write_record(headers(lang))?;
            let lines = each_row(conn, &ctx.clock, f, lang, |cells| {
                w.write_record(
                    cells
                        .iter()
                        .map(|c| crate::registers::export::neutralise(c).into_owned()),
                )?;
                Ok(())
            })?;
            w.flush()?;
            Ok(lines)
        },
    )
}

/// `GET /audit/export.xlsx`: the same as an Excel workbook (times as dates), with a manifest
/// sheet (range, rows, first and last row).
pub async fn export_xlsx(
    state: State,
    me: Auth,
    p: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    use crate::registers::xlsx::{Book, Kind};
    let ctype = super::exports::XLSX;
    export(
        &state,
        &me,
        &p,
        ctype,
        "xlsx",
        |conn, ctx, out, f, lang, actor| {
            let mut kinds = vec![Kind::Text; COLUMNS.len()];
            kinds[1] = Kind::DateTime;
            let mut book = Book::new(&I18N.t(lang, "audit-title"), &headers(lang), kinds)?;
            let (mut first, mut last) = (None, None);
            let lines = each_row(conn, &ctx.clock, f, lang, |cells| {
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
            Ok(lines)
        },
    )
}
