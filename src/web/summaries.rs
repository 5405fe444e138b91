//! R10, X5 for supervisors: the monthly and yearly summaries as pages — every figure with the
//! previous period beside it and the change, charts, per-clerk scorecards, each figure linked
//! to the lines behind it — the written report, filing, corrections, the archive, the A4
//! print, the per-clerk CSV and CONTRACT.md's JSON.

use super::auth::{chrome, ApiAuth, Auth, AuthForm};
use super::charts;
use super::render::html;
use super::{AppError, AppResult, State};
use crate::domain::error::FieldError;
use crate::domain::role::Role;
use crate::domain::summary::{self as sum, Kind, Period, Report};
use crate::services::summaries::{self as svc, Snapshot, View};
use crate::services::Actor;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
pub struct SummaryQuery {
    store: Option<String>,
    version: Option<i32>,
    figure: Option<String>,
    clerk: Option<i32>,
    advisor: Option<i32>,
    month: Option<String>,
    year: Option<String>,
}

fn kind_of(s: &str) -> AppResult<Kind> {
    Kind::parse(s).ok_or(AppError::NotFound)
}

fn period_of(kind: Kind, s: &str, today: chrono::NaiveDate) -> AppResult<Period> {
    Period::parse(kind, s, today).map_err(|e| AppError::Invalid(e.into()))
}

/// A count, a rate (as a percentage) or a median, as the page shows it.
pub fn show_value(key: &str, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if is_rate(key) => format!("{:.1}%", v * 100.0),
        Some(v) if key == "median_days_to_close" => format!("{v:.1}"),
        Some(v) if is_mean(key) => format!("{v:.2}"),
        Some(v) => format!("{v:.0}"),
    }
}

/// Shares shown as percentages: the rates and the CSI (X6).
fn is_rate(key: &str) -> bool {
    key.ends_with("rate") || key == "csi"
}

/// Means shown with two decimals: satisfaction 1–5 (X6) and its aspects.
fn is_mean(key: &str) -> bool {
    key == "satisfaction_mean" || key.starts_with("aspects.")
}

/// The change from the previous period: counts as a signed difference, rates in points.
pub fn show_change(key: &str, cur: Option<f64>, prev: Option<f64>) -> String {
    match sum::change(cur, prev) {
        None => String::new(),
        Some(c) if is_rate(key) => format!("{:+.1}", c * 100.0),
        Some(c) if key == "median_days_to_close" => format!("{c:+.1}"),
        Some(c) if is_mean(key) => format!("{c:+.2}"),
        Some(c) => format!("{c:+.0}"),
    }
}

#[derive(Serialize)]
struct Row {
    key: String,
    value: String,
    previous: String,
    change: String,
    /// Whether the figure has lines of its own (counts do; rates and the median do not).
    linked: bool,
}

#[derive(Serialize)]
struct Section {
    key: &'static str,
    rows: Vec<Row>,
}

fn sections(cur: &sum::Figures, prev: &sum::Figures) -> Vec<Section> {
    let (c, p) = (cur.flat(), prev.flat());
    sum::SECTIONS
        .iter()
        .map(|(key, keys)| Section {
            key,
            rows: keys
                .iter()
                .map(|k| {
                    let (cv, pv) = (c.get(*k).copied().flatten(), p.get(*k).copied().flatten());
                    Row {
                        key: k.to_string(),
                        value: show_value(k, cv),
                        previous: show_value(k, pv),
                        change: show_change(k, cv, pv),
                        linked: sum::COUNTED.contains(k),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The per-clerk figures as two tables of related columns (the CSV has every figure): what
/// was done and how timely, then what came of it — one table of 23 columns ran off a 1366 px
/// screen. The first is the table `#clerks`, the second `#clerks-results`.
const CLERK_GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "clerks",
        "sum-clerks-work",
        &[
            "visits",
            "archives_due",
            "archives_on_time",
            "first_follow_ups_due",
            "first_follow_ups_on_time",
            "first_follow_ups_late",
            "first_follow_ups_missed",
            "second_follow_ups_on_time",
            "second_follow_ups_late",
            "second_follow_ups_missed",
            "outbound_calls",
            "reach_rate",
        ],
    ),
    (
        "clerks-results",
        "sum-clerks-results",
        &[
            "items_raised",
            "items_satisfied",
            "maintenance_reminders_done",
            "return_rate",
            "satisfaction_answers",
            "satisfaction_mean",
            "satisfaction_low",
            "csi",
            "lost_customers",
            "win_back_calls",
            "won_back",
        ],
    ),
];

/// One of the per-clerk tables: its id, its caption's key, its columns and the clerks' rows.
#[derive(Serialize)]
struct ClerkTable {
    id: &'static str,
    title: &'static str,
    columns: &'static [&'static str],
    clerks: Vec<ClerkLine>,
}

/// X8: the per-advisor table's columns: satisfaction, complaints and the return rate.
const ADVISOR_COLUMNS: &[&str] = &[
    "visits",
    "satisfaction_answers",
    "satisfaction_mean",
    "satisfaction_low",
    "csi",
    "items_raised",
    "items_open_at_end",
    "maintenance_reminders_done",
    "return_rate",
    "lost_customers",
    "won_back",
];

/// A row of figures (a clerk's or an advisor's) as table cells.
fn cells(f: &sum::Figures, columns: &[&'static str]) -> Vec<Cell> {
    let f = f.flat();
    columns
        .iter()
        .map(|k| Cell {
            key: k,
            value: show_value(k, f.get(*k).copied().flatten()),
            linked: sum::COUNTED.contains(k),
        })
        .collect()
}

#[derive(Serialize)]
struct Cell {
    key: &'static str,
    value: String,
    linked: bool,
}

#[derive(Serialize)]
struct ClerkLine {
    id: i32,
    name: String,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Score {
    key: &'static str,
    value: String,
    median: String,
}

#[derive(Serialize)]
struct Scorecard {
    id: i32,
    name: String,
    scores: Vec<Score>,
}

fn show_score(key: &str, v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if key.ends_with("rate") => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.1}").trim_end_matches(".0").to_string(),
    }
}

fn scorecards(s: &Snapshot) -> Vec<Scorecard> {
    let all: Vec<Vec<(&'static str, Option<f64>)>> = s
        .clerks
        .iter()
        .map(|c| sum::scorecard(&c.figures, c.overdue_at_end))
        .collect();
    s.clerks
        .iter()
        .zip(&all)
        .map(|(c, mine)| Scorecard {
            id: c.id,
            name: c.display_name.clone(),
            scores: mine
                .iter()
                .enumerate()
                .map(|(i, (key, v))| {
                    let col: Vec<Option<f64>> = all.iter().map(|a| a[i].1).collect();
                    Score {
                        key,
                        value: show_score(key, *v),
                        median: show_score(key, sum::median_f(&col)),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Everything the summary page and its print show, from a view.
pub fn page_context(view: &View, kind: Kind, clock: &crate::clock::Clock) -> tera::Context {
    let today = clock.today();
    let s = &view.snapshot;
    let mut ctx = tera::Context::new();
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &s.period);
    ctx.insert("snapshot", s);
    ctx.insert("sections", &sections(&s.totals, &s.previous));
    ctx.insert("clerk_tables", &clerk_tables(s));
    ctx.insert("advisor_columns", ADVISOR_COLUMNS);
    ctx.insert("advisors", &advisor_lines(s));
    // X6: the aspects' means, store-wide.
    let aspects: Vec<(String, String)> = s
        .totals
        .aspects
        .iter()
        .map(|(k, v)| (k.clone(), show_value("aspects.", *v)))
        .collect();
    ctx.insert("aspect_means", &aspects);
    ctx.insert("scorecards", &scorecards(s));
    ctx.insert("score_keys", sum::SCORECARD);
    let base = format!("/summaries/{}/{}", kind.as_str(), s.period);
    ctx.insert("chart_csi", &csi_chart(s, &base));
    ctx.insert("chart_follow", &follow_chart(s));
    ctx.insert("chart_calls", &calls_chart(&s.totals, &base));
    ctx.insert("chart_funnel", &funnel_chart(&s.totals, &base));
    let names = ["trend_rates", "trend_counts", "trend_csi"];
    match month_trends(s) {
        Some(trends) => names
            .iter()
            .zip(trends)
            .for_each(|(n, t)| ctx.insert(*n, &t)),
        None => names.iter().for_each(|n| ctx.insert(*n, "")),
    }
    ctx.insert("base", &base);
    ctx.insert("filed", &view.filed);
    ctx.insert(
        "current",
        &view.current.as_ref().map(|v| with_local(clock, v)),
    );
    ctx.insert(
        "versions",
        &view
            .versions
            .iter()
            .map(|v| with_local(clock, v))
            .collect::<Vec<_>>(),
    );
    ctx.insert("report", &view.report);
    let period = Period::parse(kind, &s.period, today).ok();
    ctx.insert("can_file", &period.is_some_and(|p| p.is_over(today)));
    ctx
}

/// The per-clerk tables, one per group of columns.
fn clerk_tables(s: &Snapshot) -> Vec<ClerkTable> {
    CLERK_GROUPS
        .iter()
        .map(|&(id, title, columns)| ClerkTable {
            id,
            title,
            columns,
            clerks: s
                .clerks
                .iter()
                .map(|c| ClerkLine {
                    id: c.id,
                    name: c.display_name.clone(),
                    cells: cells(&c.figures, columns),
                })
                .collect(),
        })
        .collect()
}

/// X8: the same figures per service advisor.
fn advisor_lines(s: &Snapshot) -> Vec<ClerkLine> {
    s.advisors
        .iter()
        .map(|a| ClerkLine {
            id: a.id,
            name: a.name.clone(),
            cells: cells(&a.figures, ADVISOR_COLUMNS),
        })
        .collect()
}

/// Each clerk's first and second follow-ups: on time, late, missed.
fn follow_chart(s: &Snapshot) -> charts::Bars {
    charts::bars(
        s.clerks
            .iter()
            .map(|c| {
                (
                    c.display_name.clone(),
                    vec![
                        ("on-time", c.figures.follow_ups_on_time()),
                        ("late", c.figures.follow_ups_late()),
                        ("missed", c.figures.follow_ups_missed()),
                    ],
                    None,
                )
            })
            .collect(),
    )
}

/// One bar of a store-wide chart, opening its lines when `link`.
fn bar(base: &str, key: &str, class: &'static str, v: i64, link: bool) -> charts::BarRow {
    (
        key.to_string(),
        vec![(class, v)],
        link.then(|| format!("{base}/lines?figure={key}")),
    )
}

/// The outbound calls by outcome; call-backs are what is left (they have no lines of their own).
fn calls_chart(t: &sum::Figures, base: &str) -> charts::Bars {
    let f = &t.failed_calls;
    let callbacks =
        t.outbound_calls - t.reached_calls - f.no_answer - f.busy - f.refused - f.wrong_number;
    charts::bars(vec![
        bar(base, "reached_calls", "reached", t.reached_calls, true),
        bar(base, "failed_calls.no_answer", "failed", f.no_answer, true),
        bar(base, "failed_calls.busy", "failed", f.busy, true),
        bar(base, "failed_calls.refused", "failed", f.refused, true),
        bar(
            base,
            "failed_calls.wrong_number",
            "failed",
            f.wrong_number,
            true,
        ),
        bar(base, "callbacks", "callback", callbacks.max(0), false),
    ])
}

/// R4: the items' funnel, from raised to the customer satisfied.
fn funnel_chart(t: &sum::Figures, base: &str) -> charts::Bars {
    charts::bars(
        [
            ("items_raised", t.items_raised),
            ("items_answered_on_call", t.items_answered_on_call),
            ("items_escalated", t.items_escalated),
            ("items_escalated_late", t.items_escalated_late),
            ("items_solved", t.items_solved),
            (
                "items_customer_told_same_day",
                t.items_customer_told_same_day,
            ),
            ("items_satisfied", t.items_satisfied),
        ]
        .into_iter()
        .map(|(k, v)| bar(base, k, "funnel", v, true))
        .collect(),
    )
}

/// X6: CSI per clerk, each bar opening that clerk's answers.
fn csi_chart(s: &Snapshot, base: &str) -> charts::Bars {
    charts::shares(
        "csi",
        s.clerks
            .iter()
            .map(|c| {
                (
                    c.display_name.clone(),
                    c.figures.csi,
                    Some(format!(
                        "{base}/lines?figure=satisfaction_answers&clerk={}",
                        c.id
                    )),
                )
            })
            .collect(),
    )
}

/// A year's trends month by month: rates, counts, and the CSI beside the lost customers (X6,
/// X7). None for a month's summary.
fn month_trends(s: &Snapshot) -> Option<[charts::Trend; 3]> {
    if s.months.is_empty() {
        return None;
    }
    let labels: Vec<String> = s.months.iter().map(|m| m.period[5..].to_string()).collect();
    let series =
        |f: fn(&sum::Figures) -> Option<f64>| s.months.iter().map(|m| f(&m.figures)).collect();
    let rates = charts::trend(
        &labels,
        vec![
            ("reach", "reach_rate", series(|f| f.reach_rate), true),
            (
                "on-time",
                "follow_ups_on_time_rate",
                series(|f| sum::rate(f.follow_ups_on_time(), f.follow_ups_due())),
                true,
            ),
            ("returned", "return_rate", series(|f| f.return_rate), true),
        ],
    );
    let counts = charts::trend(
        &labels,
        vec![
            (
                "calls",
                "outbound_calls",
                series(|f| Some(f.outbound_calls as f64)),
                false,
            ),
            (
                "items",
                "items_raised",
                series(|f| Some(f.items_raised as f64)),
                false,
            ),
        ],
    );
    let csi = charts::trend(
        &labels,
        vec![
            ("csi", "csi", series(|f| f.csi), true),
            (
                "lost",
                "lost_customers",
                series(|f| Some(f.lost_customers as f64)),
                false,
            ),
        ],
    );
    Some([rates, counts, csi])
}

/// A stored version with its filing time in the shop's local time (`filed_at` is UTC).
fn with_local(
    clock: &crate::clock::Clock,
    v: &crate::services::summaries::Stored,
) -> serde_json::Value {
    let mut j = serde_json::to_value(v).unwrap_or_default();
    j["filed_at"] = match v.filed_at {
        Some(t) => serde_json::json!(clock.to_local(t).format("%Y-%m-%d %H:%M").to_string()),
        None => serde_json::Value::Null,
    };
    j
}

fn actor_store(
    conn: &mut crate::db::DbConn,
    actor: &Actor,
    code: Option<&str>,
) -> AppResult<Option<i32>> {
    Ok(svc::store_for(conn, actor, code)?)
}

/// `GET /summaries`: the archive of summaries and a way to open any month or year.
pub async fn index(
    req: HttpRequest,
    state: State,
    me: Auth,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let today = state.ctx.clock.today();
    // The month and year fields of the form open their page.
    if let Some(m) = q.month.as_deref().filter(|m| !m.is_empty()) {
        period_of(Kind::Monthly, m, today)?;
        return Ok(see_other(&format!("/summaries/monthly/{}", m.trim())));
    }
    if let Some(y) = q.year.as_deref().filter(|y| !y.is_empty()) {
        period_of(Kind::Yearly, y, today)?;
        return Ok(see_other(&format!("/summaries/yearly/{}", y.trim())));
    }
    let actor = me.actor();
    let code = q.store.clone();
    let rows = state
        .db(move |conn, _| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::archive(conn, store)?)
        })
        .await?;
    let last_month = Period::month(
        chrono::Datelike::year(&today),
        chrono::Datelike::month(&today),
    )
    .previous();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert(
        "summaries",
        &rows
            .iter()
            .map(|v| with_local(&state.ctx.clock, v))
            .collect::<Vec<_>>(),
    );
    ctx.insert("last_month", &last_month.to_string());
    ctx.insert(
        "last_year",
        &(chrono::Datelike::year(&today) - 1).to_string(),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/index.html",
        &ctx,
    )?))
}

fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

async fn load(
    state: &State,
    actor: Actor,
    kind: Kind,
    period: &str,
    q: &SummaryQuery,
) -> AppResult<(Period, View)> {
    let p = period_of(kind, period, state.ctx.clock.today())?;
    let (code, version) = (q.store.clone(), q.version);
    let view = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::view(conn, ctx, store, p, version)?)
        })
        .await?;
    Ok((p, view))
}

/// `GET /summaries/{kind}/{period}`: the summary (latest version, or `?version=N`).
pub async fn show(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind, period) = path.into_inner();
    let kind = kind_of(&kind)?;
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let mut ctx = page_context(&view, kind, &state.ctx.clock);
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert(
        "may_write",
        &matches!(me.role, Role::Supervisor | Role::Admin),
    );
    ctx.insert("ok", &req.query_string().contains("ok=filed"));
    ctx.insert(
        "errors",
        &std::collections::HashMap::<String, String>::new(),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/show.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}/print`: the summary on A4, with its charts.
pub async fn print(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind, period) = path.into_inner();
    let kind = kind_of(&kind)?;
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let printed_at = state
        .ctx
        .clock
        .now_local()
        .format("%Y-%m-%d %H:%M")
        .to_string();
    Ok(html(print_html(
        &state.templates,
        me.lang,
        &view,
        kind,
        &state.ctx.clock,
        &me.user.display_name,
        &printed_at,
    )?))
}

/// The printed summary (also `aftercare summary … --format html`).
pub fn print_html(
    templates: &super::render::Templates,
    lang: &str,
    view: &View,
    kind: Kind,
    clock: &crate::clock::Clock,
    printed_by: &str,
    printed_at: &str,
) -> anyhow::Result<String> {
    let mut ctx = page_context(view, kind, clock);
    ctx.insert("lang", lang);
    ctx.insert("printed_by", printed_by);
    ctx.insert("printed_at", printed_at);
    templates.render(lang, "summaries/print.html", &ctx)
}

fn report_of(f: &super::auth::Form) -> (Report, Vec<FieldError>) {
    let mut errs = Vec::new();
    let meeting_on = match f.get("meeting_on").map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(d) => match crate::domain::visit::parse_date("meeting_on", d) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.push(e);
                None
            }
        },
    };
    let text = |k: &str| f.get(k).unwrap_or("").trim().to_string();
    (
        Report {
            went_well: text("went_well"),
            problems: text("problems"),
            measures: text("measures"),
            meeting_on,
            attendees: text("attendees"),
        },
        errs,
    )
}

/// The page again with the report as typed and its errors (a 422).
async fn again(
    req: &HttpRequest,
    state: &State,
    me: &Auth,
    kind: Kind,
    period: &str,
    report: Report,
    errs: crate::domain::error::FieldErrors,
) -> AppResult<HttpResponse> {
    let (_, mut view) = load(state, me.actor(), kind, period, &SummaryQuery::default()).await?;
    view.report = report;
    let mut ctx = page_context(&view, kind, &state.ctx.clock);
    ctx.insert("chrome", &chrome(req, state, me.lang, Some(me), None));
    ctx.insert("may_write", &true);
    ctx.insert("ok", &false);
    let errors: std::collections::HashMap<String, String> = errs
        .0
        .iter()
        .map(|e| (e.field.clone(), crate::i18n::I18N.field_error(me.lang, e)))
        .collect();
    ctx.insert("errors", &errors);
    Ok(HttpResponse::UnprocessableEntity()
        .content_type("text/html; charset=utf-8")
        .body(
            state
                .templates
                .render(me.lang, "summaries/show.html", &ctx)?,
        ))
}

/// `POST /summaries/{kind}/{period}/report` (save the draft) and `…/file` (file it).
async fn write(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
    filing: bool,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let me = post.auth.clone();
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let (report, errs) = report_of(&post.form);
    let code = post.form.opt("store");
    if !errs.is_empty() {
        return again(
            &req,
            &state,
            &me,
            kind,
            &period,
            report,
            crate::domain::error::FieldErrors(errs),
        )
        .await;
    }
    let actor = me.actor();
    let r = report.clone();
    let res = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            let out = if filing {
                svc::file(conn, ctx, &actor, store, p, &r)
            } else {
                svc::save_report(conn, ctx, &actor, store, p, &r)
            };
            Ok(out)
        })
        .await?;
    match res {
        Ok(_) => Ok(see_other(&format!(
            "/summaries/{kind_s}/{p}?ok={}",
            if filing { "filed" } else { "saved" }
        ))),
        Err(crate::services::ServiceError::Invalid(errs)) => {
            again(&req, &state, &me, kind, &period, report, errs).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn save(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    write(req, state, post, path, false).await
}

pub async fn file(
    req: HttpRequest,
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    write(req, state, post, path, true).await
}

/// `POST /summaries/{kind}/{period}/correct`: a new version after filing (the old stays).
pub async fn correct(
    state: State,
    post: AuthForm,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let actor = post.auth.actor();
    let reason = post.form.get("reason").unwrap_or("").to_string();
    let code = post.form.opt("store");
    state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::correct(conn, ctx, &actor, store, p, &reason)?)
        })
        .await?;
    Ok(see_other(&format!("/summaries/{kind_s}/{p}")))
}

/// `GET /summaries/{kind}/{period}/lines?figure=&clerk=`: the lines behind a figure.
pub async fn lines(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let p = period_of(kind, &period, state.ctx.clock.today())?;
    let figure = q.figure.clone().unwrap_or_default();
    let (code, clerk, advisor) = (q.store.clone(), q.clerk, q.advisor);
    let actor = me.actor();
    let f = figure.clone();
    let (src, rows) = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::lines(conn, ctx, store, p, &f, clerk, advisor)?)
        })
        .await?;
    let link = |id: i32, customer: Option<i32>| -> Option<String> {
        use crate::services::summaries::Source;
        match src {
            Source::Calls => Some(format!("/registers/call-register/{id}")),
            Source::Letters => Some(format!("/registers/letter-register/{id}")),
            Source::Items => Some(format!("/items/{id}")),
            Source::Events => Some(format!("/events/{id}")),
            Source::Satisfaction => Some(format!("/registers/call-records/{id}")),
            Source::Tasks | Source::Visits | Source::Lost => {
                customer.map(|c| format!("/customers/{c}"))
            }
        }
    };
    let rows: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|l| {
            let href = link(l.id, l.customer_id);
            serde_json::json!({"line": l, "href": href})
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &p.to_string());
    ctx.insert("figure", &figure);
    ctx.insert("clerk", &clerk);
    ctx.insert("rows", &rows);
    ctx.insert("base", &format!("/summaries/{kind_s}/{p}"));
    Ok(html(state.templates.render(
        me.lang,
        "summaries/lines.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}/scorecard/{clerk}`: one clerk's scorecard beside the
/// store's median. A clerk sees only their own.
pub async fn scorecard(
    req: HttpRequest,
    state: State,
    me: Auth,
    path: web::Path<(String, String, i32)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let (kind_s, period, clerk) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    if me.role == Role::Clerk && me.user.id != clerk {
        let mut ctx = tera::Context::new();
        ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
        ctx.insert("code", "summary-scorecard-not-yours");
        ctx.insert(
            "message",
            &crate::i18n::I18N.t(me.lang, "err-summary-scorecard-not-yours"),
        );
        ctx.insert("status", &403);
        return Ok(HttpResponse::Forbidden()
            .content_type("text/html; charset=utf-8")
            .body(state.templates.render(me.lang, "error.html", &ctx)?));
    }
    let (_, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let cards = scorecards(&view.snapshot);
    let card = cards
        .into_iter()
        .find(|c| c.id == clerk)
        .ok_or(AppError::NotFound)?;
    let mut ctx = tera::Context::new();
    ctx.insert("chrome", &chrome(&req, &state, me.lang, Some(&me), None));
    ctx.insert("kind", kind.as_str());
    ctx.insert("period", &view.snapshot.period);
    ctx.insert("card", &card);
    ctx.insert(
        "base",
        &format!("/summaries/{kind_s}/{}", view.snapshot.period),
    );
    Ok(html(state.templates.render(
        me.lang,
        "summaries/scorecard.html",
        &ctx,
    )?))
}

/// `GET /summaries/{kind}/{period}/clerks.csv`.
pub async fn csv(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    clerks_table(state, me, path, q, false).await
}

/// `GET /summaries/{kind}/{period}/clerks.xlsx`: the per-clerk table as an Excel workbook.
pub async fn xlsx(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    clerks_table(state, me, path, q, true).await
}

/// The per-clerk table as CSV or as a workbook.
async fn clerks_table(
    state: State,
    me: Auth,
    path: web::Path<(String, String)>,
    q: web::Query<SummaryQuery>,
    xlsx: bool,
) -> AppResult<HttpResponse> {
    let (kind_s, period) = path.into_inner();
    let kind = kind_of(&kind_s)?;
    let (p, view) = load(&state, me.actor(), kind, &period, &q).await?;
    let (body, ctype, ext) = if xlsx {
        let filed = view
            .current
            .as_ref()
            .filter(|_| view.filed)
            .map(|c| c.version);
        let mut body = Vec::new();
        svc::clerks_xlsx(&view.snapshot, me.lang, filed, &mut body)?;
        (body, super::exports::XLSX, "xlsx")
    } else {
        (
            svc::clerks_csv(&view.snapshot, me.lang)?,
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    Ok(HttpResponse::Ok()
        .content_type(ctype)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"summary-{p}-clerks.{ext}\""),
        ))
        .body(body))
}

/// `GET /api/v1/summaries/monthly/{YYYY-MM}?store=CODE`: CONTRACT.md's monthly figures.
pub async fn api_monthly(
    state: State,
    me: ApiAuth,
    period: web::Path<String>,
    q: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let p = period_of(Kind::Monthly, &period, state.ctx.clock.today())?;
    let actor = me.actor();
    let code = q.store.clone();
    let body = state
        .db(move |conn, ctx| {
            let store = actor_store(conn, &actor, code.as_deref())?;
            Ok(svc::contract(conn, ctx, store, p)?)
        })
        .await?;
    Ok(HttpResponse::Ok().json(body))
}
