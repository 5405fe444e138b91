//! R10: the supervisor's monthly (小结) and yearly (总结) summaries — drafted live from the data
//! (`draft`), stored as a draft by the scheduler on the 1st (`store_draft`), completed with the
//! written report (`save_report`), filed (`file`: the figures frozen with the head of each
//! register's hash chain) and corrected by a new version that keeps the old (`correct`).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::register::Register;
use crate::domain::role::Role;
use crate::domain::summary::{Figures, Kind, Period, Report, COUNTED};
use crate::models::summary::{self as model, Scope};
/// A stored summary (draft or filed version) and where its figures came from, as the pages show them.
pub use crate::models::summary::{Source, Stored};
use crate::models::trunc;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A clerk's figures, this period and the one before, and the tasks still overdue at its end.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClerkRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub figures: Figures,
    pub previous: Figures,
    pub overdue_at_end: i64,
}

/// X8: a service advisor's figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdvisorRow {
    pub id: i32,
    pub name: String,
    pub figures: Figures,
}

/// A month of a yearly summary (its trend charts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MonthRow {
    pub period: String,
    pub figures: Figures,
}

/// Everything a summary shows; frozen as it is when the summary is filed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Snapshot {
    pub kind: Kind,
    pub period: String,
    pub store: Option<String>,
    pub store_name: Option<String>,
    /// The date the figures were counted up to (the period's end, or the day it was drafted).
    pub as_of: NaiveDate,
    pub totals: Figures,
    pub previous: Figures,
    pub clerks: Vec<ClerkRow>,
    /// A yearly summary's months.
    #[serde(default)]
    pub months: Vec<MonthRow>,
    /// X8: per service advisor of the list.
    #[serde(default)]
    pub advisors: Vec<AdvisorRow>,
}

/// CONTRACT.md's JSON of the monthly figures.
#[derive(Debug, Clone, Serialize)]
pub struct ContractClerk {
    pub clerk: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// X8: CONTRACT.md's `advisors` list beside `clerks`.
#[derive(Debug, Clone, Serialize)]
pub struct ContractAdvisor {
    pub advisor: String,
    #[serde(flatten)]
    pub figures: Figures,
}

#[derive(Debug, Clone, Serialize)]
pub struct Contract {
    pub period: String,
    pub store: Option<String>,
    pub filed: bool,
    pub totals: Figures,
    pub clerks: Vec<ContractClerk>,
    /// X8: present once the shop keeps a list of advisors (admin, "Service advisors").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advisors: Vec<ContractAdvisor>,
    pub previous: Figures,
    /// A yearly summary's months (beyond the contract's monthly keys).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub months: Vec<MonthRow>,
}

impl Snapshot {
    pub fn contract(&self, filed: bool) -> Contract {
        Contract {
            period: self.period.clone(),
            store: self.store.clone(),
            filed,
            totals: self.totals.clone(),
            clerks: self
                .clerks
                .iter()
                .map(|c| ContractClerk {
                    clerk: c.username.clone(),
                    figures: c.figures.clone(),
                })
                .collect(),
            advisors: self
                .advisors
                .iter()
                .map(|a| ContractAdvisor {
                    advisor: a.name.clone(),
                    figures: a.figures.clone(),
                })
                .collect(),
            previous: self.previous.clone(),
            months: self.months.clone(),
        }
    }
}

/// The per-clerk table: the figure keys, then one line per clerk and one for the store
/// (period, clerk, name, every figure by its key; empty where there is nothing to divide).
fn clerks_table(s: &Snapshot) -> (Vec<String>, Vec<Vec<String>>) {
    let keys: Vec<String> = s.totals.flat().keys().cloned().collect();
    let line = |clerk: &str, name: &str, f: &Figures| -> Vec<String> {
        let flat = f.flat();
        let mut rec = vec![s.period.clone(), clerk.to_string(), name.to_string()];
        rec.extend(keys.iter().map(|k| match flat.get(k).copied().flatten() {
            None => String::new(),
            Some(v) if v.fract() == 0.0 && !k.ends_with("rate") => format!("{v:.0}"),
            Some(v) => format!("{v}"),
        }));
        rec
    };
    let mut rows: Vec<Vec<String>> = s
        .clerks
        .iter()
        .map(|c| line(&c.username, &c.display_name, &c.figures))
        .collect();
    rows.push(line("", "", &s.totals));
    (keys, rows)
}

/// The per-clerk table as CSV (UTF-8 with BOM): one line per clerk and one for the store,
/// every figure by its key.
pub fn clerks_csv(s: &Snapshot, lang: &str) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let (keys, rows) = clerks_table(s);
        w.write_record(clerks_head(&keys, lang))?;
        for r in rows {
            w.write_record(&r)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The per-clerk table's header row in `lang` (issue 12: CONTRACT.md fixes the JSON's keys,
/// not this table's columns, so the CSV speaks the reader's language like the workbook).
fn clerks_head(keys: &[String], lang: &str) -> Vec<String> {
    use crate::i18n::I18N;
    let mut head = vec![
        I18N.t(lang, "sum-col-period"),
        I18N.t(lang, "sum-col-clerk"),
        I18N.t(lang, "sum-line-clerk"),
    ];
    head.extend(keys.iter().map(|k| I18N.coded(lang, "sum-fig", k)));
    head
}

/// The per-clerk table as an Excel workbook: headers in `lang`, figures as numbers, and a
/// sheet saying which period, store and version it is.
pub fn clerks_xlsx(
    s: &Snapshot,
    lang: &str,
    filed: Option<i32>,
    out: &mut (dyn std::io::Write + Send),
) -> anyhow::Result<()> {
    use crate::i18n::I18N;
    use crate::registers::xlsx::{Book, Kind};
    let (keys, rows) = clerks_table(s);
    let head = clerks_head(&keys, lang);
    let mut kinds = vec![Kind::Text; 3];
    kinds.extend(keys.iter().map(|_| Kind::Number));
    let mut book = Book::new(&I18N.t(lang, "sum-clerks-title"), &head, kinds)?;
    for r in &rows {
        book.line(r)?;
    }
    let t = |k: &str| I18N.t(lang, &format!("manifest-{k}"));
    let pairs = vec![
        (t("period"), s.period.clone()),
        (
            t("filed"),
            filed.map(|v| v.to_string()).unwrap_or_else(|| "-".into()),
        ),
        (t("lines"), rows.len().to_string()),
    ];
    book.finish(&t("sheet"), &pairs, None, out)
}

/// The scope of a period's counting.
pub fn scope(ctx: &Ctx, store_id: Option<i32>, p: Period) -> Scope {
    Scope {
        store_id,
        from: p.first(),
        to: p.last(),
        as_of: p.as_of(ctx.clock.today()),
        return_days: ctx.cadence().return_window_days,
        lost_days: ctx.cadence().lost_after_days,
        advisors: ctx.config.settings.advisors.enabled,
    }
}

/// The figures of a scope: the totals, each clerk's and each service advisor's (X8).
pub type Grouped = (Figures, HashMap<i32, Figures>, HashMap<i32, Figures>);

/// The figures of a scope: the totals, each clerk's and each service advisor's (X8).
pub fn figures(conn: &mut DbConn, ctx: &Ctx, s: &Scope) -> SResult<Grouped> {
    let (counts, by_advisor) = model::counts(conn, s)?;
    let events = model::events_per_clerk(conn, s)?;
    let days = model::days_to_close(conn, s)?;
    let (sums, advisor_sums) = model::satisfaction_sums(conn, s)?;
    let aspects = &ctx.config.settings.satisfaction.aspects;
    let total = |k: &str| {
        counts
            .values()
            .map(|m| m.get(k).copied().unwrap_or(0))
            .sum()
    };
    let mut all_sums = crate::domain::summary::SatisfactionSums::default();
    for x in sums.values() {
        all_sums.score_sum += x.score_sum;
        all_sums.high += x.high;
        for (k, (sum, n)) in &x.aspects {
            let e = all_sums.aspects.entry(k.clone()).or_insert((0, 0));
            e.0 += sum;
            e.1 += n;
        }
    }
    let totals = Figures::from_counts(total, days.iter().map(|(_, _, d)| *d).collect())
        .with_satisfaction(&all_sums, aspects);
    let mut per = HashMap::new();
    let mut ids: Vec<i32> = counts.keys().flatten().copied().collect();
    ids.extend(events.keys().copied());
    for id in ids {
        let m = counts.get(&Some(id));
        let get = |k: &str| {
            if k == "events" {
                events.get(&id).copied().unwrap_or(0)
            } else {
                m.and_then(|m| m.get(k).copied()).unwrap_or(0)
            }
        };
        let d = days
            .iter()
            .filter(|(c, _, _)| *c == id)
            .map(|(_, _, d)| *d)
            .collect();
        let sum = sums.get(&Some(id)).cloned().unwrap_or_default();
        per.insert(
            id,
            Figures::from_counts(get, d).with_satisfaction(&sum, aspects),
        );
    }
    // X8: the same figures per service advisor (events belong to no advisor).
    let mut per_advisor = HashMap::new();
    for (id, m) in by_advisor.iter().filter_map(|(k, m)| k.map(|k| (k, m))) {
        let d = days
            .iter()
            .filter(|(_, a, _)| *a == Some(id))
            .map(|(_, _, d)| *d)
            .collect();
        let sum = advisor_sums.get(&Some(id)).cloned().unwrap_or_default();
        per_advisor.insert(
            id,
            Figures::from_counts(|k| m.get(k).copied().unwrap_or(0), d)
                .with_satisfaction(&sum, aspects),
        );
    }
    Ok((totals, per, per_advisor))
}

fn store_of(conn: &mut DbConn, store_id: Option<i32>) -> SResult<(Option<String>, Option<String>)> {
    Ok(match store_id {
        None => (None, None),
        Some(id) => {
            let s = crate::models::store::all(conn)?
                .into_iter()
                .find(|s| s.id == id)
                .ok_or(ServiceError::NotFound("store"))?;
            (Some(s.code), Some(s.name))
        }
    })
}

/// The summary of a period computed live from the data (nothing is written): the figures of
/// RULES.md's list for the store and per clerk, the previous period's beside them, and for a
/// year its months. Aggregate queries only; this is what the benchmark times.
pub fn draft(conn: &mut DbConn, ctx: &Ctx, store_id: Option<i32>, p: Period) -> SResult<Snapshot> {
    let s = scope(ctx, store_id, p);
    let (totals, per, per_advisor) = figures(conn, ctx, &s)?;
    let prev_scope = scope(ctx, store_id, p.previous());
    let (previous, prev_per, _) = figures(conn, ctx, &prev_scope)?;
    let overdue = model::overdue_at_end(conn, &s)?;
    let mut also: Vec<i32> = per.keys().copied().collect();
    also.sort_unstable();
    let clerks = model::clerks(conn, store_id, &also)?
        .into_iter()
        .map(|c| ClerkRow {
            figures: per.get(&c.id).cloned().unwrap_or_else(|| zero(ctx)),
            previous: prev_per.get(&c.id).cloned().unwrap_or_else(|| zero(ctx)),
            overdue_at_end: overdue.get(&c.id).copied().unwrap_or(0),
            id: c.id,
            username: c.username,
            display_name: c.display_name,
        })
        .collect();
    let months = match p.kind {
        Kind::Monthly => Vec::new(),
        Kind::Yearly => p
            .months()
            .into_iter()
            .filter(|m| m.first() <= ctx.clock.today())
            .map(|m| {
                let (f, _, _) = figures(conn, ctx, &scope(ctx, store_id, m))?;
                Ok(MonthRow {
                    period: m.to_string(),
                    figures: f,
                })
            })
            .collect::<SResult<Vec<_>>>()?,
    };
    // X8: the advisors of the list, those disabled only when they have figures.
    let advisors = if ctx.config.settings.advisors.enabled {
        crate::models::satisfaction::list(conn, store_id)?
            .into_iter()
            .filter(|a| !a.disabled || per_advisor.contains_key(&a.id))
            .map(|a| AdvisorRow {
                figures: per_advisor.get(&a.id).cloned().unwrap_or_else(|| zero(ctx)),
                id: a.id,
                name: a.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let (store, store_name) = store_of(conn, store_id)?;
    Ok(Snapshot {
        kind: p.kind,
        period: p.to_string(),
        store,
        store_name,
        as_of: s.as_of,
        totals,
        previous,
        clerks,
        months,
        advisors,
    })
}

fn zero(ctx: &Ctx) -> Figures {
    Figures::from_counts(|_| 0, Vec::new()).with_satisfaction(
        &Default::default(),
        &ctx.config.settings.satisfaction.aspects,
    )
}

/// The store a user's summaries are of: their own; a user of the whole group (admin, auditor,
/// the command line) names one by code, or sees the group (`None`).
pub fn store_for(conn: &mut DbConn, actor: &Actor, code: Option<&str>) -> SResult<Option<i32>> {
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    match (actor.store_id, code) {
        (Some(own), None) => Ok(Some(own)),
        (own, Some(code)) => {
            let s = crate::models::store::by_code(conn, code)?.ok_or_else(|| {
                ServiceError::from(FieldError::new("store", "store-unknown").arg("value", code))
            })?;
            if own.is_some_and(|o| o != s.id) {
                return Err(ServiceError::Forbidden);
            }
            Ok(Some(s.id))
        }
        (None, None) => Ok(None),
    }
}

/// A summary as a page shows it: the latest version (if any is stored), every version, and
/// the figures — frozen when the latest version is filed, live otherwise.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    pub snapshot: Snapshot,
    pub filed: bool,
    pub current: Option<Stored>,
    pub versions: Vec<Stored>,
    pub report: Report,
}

fn report_of(s: &Stored) -> Report {
    Report {
        went_well: s.went_well.clone(),
        problems: s.problems.clone(),
        measures: s.measures.clone(),
        meeting_on: s.meeting_on,
        attendees: s.attendees.clone(),
    }
}

fn frozen(s: &Stored) -> SResult<Snapshot> {
    serde_json::from_str(&s.figures)
        .map_err(|e| ServiceError::Other(anyhow::anyhow!("summary {}: {e}", s.id)))
}

/// The latest version of a period's summary (or the version asked for).
pub fn view(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: Option<i32>,
    p: Period,
    version: Option<i32>,
) -> SResult<View> {
    let mut versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
    named(conn, &mut versions)?;
    let current = match version {
        None => versions.first().cloned(),
        Some(v) => Some(
            versions
                .iter()
                .find(|s| s.version == v)
                .cloned()
                .ok_or(ServiceError::NotFound("summary version"))?,
        ),
    };
    let filed = current.as_ref().is_some_and(|c| c.status == "filed");
    let snapshot = match &current {
        Some(c) if filed => frozen(c)?,
        _ => draft(conn, ctx, store_id, p)?,
    };
    Ok(View {
        report: current.as_ref().map(report_of).unwrap_or_default(),
        snapshot,
        filed,
        current,
        versions,
    })
}

/// CONTRACT.md's JSON: the latest filed version when there is one, else the live draft.
pub fn contract(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: Option<i32>,
    p: Period,
) -> SResult<Contract> {
    let versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
    match versions.iter().find(|s| s.status == "filed") {
        Some(f) => Ok(frozen(f)?.contract(true)),
        None => Ok(draft(conn, ctx, store_id, p)?.contract(false)),
    }
}

fn may_write(actor: &Actor) -> SResult<()> {
    if matches!(actor.role, Role::Supervisor | Role::Admin) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// The draft being written: the latest version when it is a draft; a first version is made
/// when there is none; after filing, a correction must be opened first.
fn open_draft(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
) -> SResult<Stored> {
    let versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
    match versions.first() {
        Some(s) if s.status == "draft" => Ok(s.clone()),
        Some(_) => Err(ServiceError::Conflict("summary-already-filed")),
        None => {
            let snap = draft(conn, ctx, store_id, p)?;
            let id = model::insert_draft(
                conn,
                store_id,
                p.kind.as_str(),
                &p.to_string(),
                1,
                &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
                &Report::default(),
                None,
                &actor.name,
                trunc(ctx.clock.now_utc()),
            )?;
            model::by_id(conn, id)?.ok_or(ServiceError::NotFound("summary"))
        }
    }
}

/// Saves the written report and the meeting on the draft (nothing is checked but the dates:
/// a draft may be half-written).
pub fn save_report(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    report: &Report,
) -> SResult<i32> {
    may_write(actor)?;
    if let Some(d) = report.meeting_on {
        if d > ctx.clock.today() {
            return Err(FieldError::new("meeting_on", "datetime-in-future").into());
        }
    }
    write_tx(conn, |conn| {
        let d = open_draft(conn, ctx, actor, store_id, p)?;
        if model::save_report(conn, d.id, report, &actor.name, trunc(ctx.clock.now_utc()))? == 0 {
            return Err(ServiceError::Conflict("summary-already-filed"));
        }
        Ok(d.id)
    })
}

/// Files a period's summary (R10): the period must be over, the written report and the
/// meeting complete, and no version filed since the last correction. The figures are frozen
/// as computed now, and the head of each register's chain (for each year the period touches)
/// is recorded, so `verify` can later tell a rewritten register from the one summarised.
pub fn file(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    report: &Report,
) -> SResult<i32> {
    may_write(actor)?;
    let today = ctx.clock.today();
    let mut errs = FieldErrors::default();
    if !p.is_over(today) {
        errs.push(FieldError::new("period", "summary-period-not-over").arg("value", p));
    }
    for e in report.check_for_filing(today) {
        errs.push(e);
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    write_tx(conn, |conn| {
        let d = open_draft(conn, ctx, actor, store_id, p)?;
        let now = trunc(ctx.clock.now_utc());
        model::save_report(conn, d.id, report, &actor.name, now)?;
        let snap = draft(conn, ctx, store_id, p)?;
        let stores: Vec<i32> = match store_id {
            Some(s) => vec![s],
            None => crate::models::store::all(conn)?
                .into_iter()
                .map(|s| s.id)
                .collect(),
        };
        let purpose = format!("summary {} {} v{}", p.kind.as_str(), p, d.version);
        let mut heads = Vec::new();
        for s in stores {
            for register in Register::ALL {
                for year in p.first().year()..=p.last().year() {
                    if let Some((count, head)) = crate::models::register_chain::record_head(
                        conn, s, register, year, &purpose, now,
                    )? {
                        heads.push(serde_json::json!({"store_id": s, "register": register.key(), "year": year, "lines_in_chain": count, "head": head}));
                    }
                }
            }
        }
        let figures = serde_json::to_string(&snap).map_err(anyhow::Error::from)?;
        let heads = serde_json::to_string(&heads).map_err(anyhow::Error::from)?;
        if model::file(
            conn,
            d.id,
            &figures,
            &heads,
            (actor.user_id, &actor.name),
            now,
        )? == 0
        {
            return Err(ServiceError::Conflict("summary-already-filed"));
        }
        audit::record(
            conn,
            ctx,
            actor,
            "summary.file",
            &format!("{} {p}", p.kind.as_str()),
            &audit::detail(&[("version", d.version.into())]),
            "ok",
        )?;
        Ok(d.id)
    })
}

/// A correction after filing: a new draft version, with the report copied and the reason
/// recorded; the filed version stays as it was.
pub fn correct(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    p: Period,
    reason: &str,
) -> SResult<i32> {
    may_write(actor)?;
    if reason.trim().is_empty() {
        return Err(FieldError::new("reason", "required").into());
    }
    write_tx(conn, |conn| {
        let versions = model::versions(conn, store_id, p.kind.as_str(), &p.to_string())?;
        let last = match versions.first() {
            Some(s) if s.status == "filed" => s.clone(),
            _ => return Err(ServiceError::Conflict("summary-not-filed")),
        };
        let snap = draft(conn, ctx, store_id, p)?;
        let id = model::insert_draft(
            conn,
            store_id,
            p.kind.as_str(),
            &p.to_string(),
            last.version + 1,
            &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
            &report_of(&last),
            Some(reason.trim()),
            &actor.name,
            trunc(ctx.clock.now_utc()),
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "summary.correct",
            &format!("{} {p}", p.kind.as_str()),
            reason.trim(),
            "ok",
        )?;
        Ok(id)
    })
}

/// The scheduler's draft on the 1st: stores the period's draft for each store unless one is
/// stored already (so running it twice changes nothing). Returns how many were stored.
pub fn store_drafts(conn: &mut DbConn, ctx: &Ctx, p: Period) -> SResult<usize> {
    let mut n = 0;
    for s in crate::models::store::all(conn)? {
        n += write_tx(conn, |conn| -> SResult<usize> {
            if !model::versions(conn, Some(s.id), p.kind.as_str(), &p.to_string())?.is_empty() {
                return Ok(0);
            }
            let snap = draft(conn, ctx, Some(s.id), p)?;
            model::insert_draft(
                conn,
                Some(s.id),
                p.kind.as_str(),
                &p.to_string(),
                1,
                &serde_json::to_string(&snap).map_err(anyhow::Error::from)?,
                &Report::default(),
                None,
                "scheduler",
                trunc(ctx.clock.now_utc()),
            )?;
            Ok(1)
        })?;
    }
    Ok(n)
}

/// The archive of summaries (every stored version, newest period first).
pub fn archive(conn: &mut DbConn, store_id: Option<i32>) -> SResult<Vec<Stored>> {
    let mut all = model::archive(conn, store_id)?;
    named(conn, &mut all)?;
    Ok(all)
}

/// Issue 12: who filed a version, by their name ("存档人 王主管", not the login); a version
/// filed from the command line, or by a user since removed, keeps what was stored.
fn named(conn: &mut DbConn, versions: &mut [Stored]) -> SResult<()> {
    let mut names: HashMap<i32, String> = HashMap::new();
    for v in versions.iter_mut() {
        let Some(id) = v.filed_by_id else { continue };
        if let std::collections::hash_map::Entry::Vacant(e) = names.entry(id) {
            if let Ok(u) = crate::models::user::by_id(conn, id) {
                e.insert(u.display_name);
            }
        }
        if let Some(n) = names.get(&id) {
            v.filed_by = Some(n.clone());
        }
    }
    Ok(())
}

/// The lines behind one figure of a period (of one clerk, or all); `figure` must be a counted
/// figure.
pub fn lines(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: Option<i32>,
    p: Period,
    figure: &str,
    clerk_id: Option<i32>,
    advisor_id: Option<i32>,
) -> SResult<(model::Source, Vec<model::Line>)> {
    if !COUNTED.contains(&figure) {
        return Err(FieldError::new("figure", "summary-figure-unknown")
            .arg("value", figure)
            .into());
    }
    let s = scope(ctx, store_id, p);
    model::lines(conn, &s, figure, clerk_id, advisor_id, 5000)?
        .ok_or(ServiceError::NotFound("figure"))
}

/// `aftercare summary rebuild [--from YYYY-MM]`: recomputes the summaries' counters from the
/// rows (of every month from `from` on, or all), in one transaction; returns the counter rows
/// written.
pub fn rebuild(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    from: Option<Period>,
) -> SResult<usize> {
    write_tx(conn, |c| {
        let n = model::rebuild(c, from.map(|p| p.first()))?;
        let subject = from.map(|p| p.to_string()).unwrap_or_else(|| "all".into());
        audit::record(
            c,
            ctx,
            actor,
            "summary.rebuild",
            &subject,
            &audit::detail(&[("rows", n.into())]),
            "ok",
        )?;
        Ok(n)
    })
}
