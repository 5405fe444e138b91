//! The work that happens without a user: a nightly SQLite backup, purging expired sessions,
//! the supervisors' morning digest, drafting last month's summary (R10), anonymising
//! customers past the retention period (R11) and opening win-back tasks for lost customers (X7). Each job is a plain function of the pool that is
//! idempotent; each records its last run in `job_runs`, so a job runs once per scheduled time,
//! catches up once after downtime, and `aftercare jobs run` runs exactly what is due.
//! `job_scheduler_ng` ticks in its own thread; the schedules are cron strings from the
//! configuration, an empty string turning a job off.

use crate::db::{DbConn, Pool};
pub use crate::domain::job::Done;
use crate::domain::job::Part;
use crate::i18n::I18N;
use crate::models::{job, task, trunc, user};
use crate::services::Ctx;
use anyhow::Context;
use chrono::{Duration, NaiveDateTime, TimeZone, Utc};
use job_scheduler_ng::{Job, JobScheduler, Schedule};
use std::path::Path;
use std::str::FromStr;

pub const BACKUP: &str = "backup";
pub const PURGE_SESSIONS: &str = "purge_sessions";
pub const OVERDUE_DIGEST: &str = "overdue_digest";
pub const RETENTION: &str = "retention";
pub const SUMMARY_DRAFTS: &str = "summary_drafts";
pub const WIN_BACK: &str = "win_back";

/// The enabled jobs and their schedules.
pub fn schedules(ctx: &Ctx) -> Vec<(&'static str, Schedule)> {
    let j = &ctx.config.settings.jobs;
    [
        (BACKUP, &j.backup),
        (PURGE_SESSIONS, &j.purge_sessions),
        (OVERDUE_DIGEST, &j.overdue_digest),
        (RETENTION, &j.retention),
        (SUMMARY_DRAFTS, &j.summary_drafts),
        (WIN_BACK, &j.win_back),
    ]
    .into_iter()
    .filter(|(_, cron)| !cron.trim().is_empty())
    .filter_map(|(name, cron)| Schedule::from_str(cron).ok().map(|s| (name, s)))
    .collect()
}

/// A job is due when a scheduled time has passed since its last run. A job that never ran is
/// due once, so a fresh install or a long downtime catches up with one run, not many.
pub fn is_due(
    schedule: &Schedule,
    last_run_utc: Option<NaiveDateTime>,
    now_utc: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> bool {
    match last_run_utc {
        None => true,
        Some(last) => {
            let last = Utc.from_utc_datetime(&last).with_timezone(&tz);
            schedule
                .after(&last)
                .next()
                .is_some_and(|next| next.naive_utc() <= now_utc)
        }
    }
}

/// Runs one job now and records it. Returns what it did.
pub fn run(conn: &mut DbConn, ctx: &Ctx, name: &str) -> anyhow::Result<Done> {
    let result = match name {
        BACKUP => backup(conn, ctx)?,
        PURGE_SESSIONS => purge_sessions(conn, ctx)?,
        OVERDUE_DIGEST => overdue_digest(conn, ctx)?,
        RETENTION => retention(conn, ctx)?,
        SUMMARY_DRAFTS => summary_drafts(conn, ctx)?,
        WIN_BACK => win_back(conn, ctx)?,
        other => anyhow::bail!("no job {other:?}"),
    };
    job::set_last_run(conn, name, trunc(ctx.clock.now_utc()), &result.to_json())?;
    Ok(result)
}

/// Runs every job that is due now; running it again at once does nothing.
pub fn run_due(pool: &Pool, ctx: &Ctx) -> anyhow::Result<Vec<(String, Done)>> {
    let mut conn = pool.get()?;
    let now = ctx.clock.now_utc();
    let mut done = Vec::new();
    for (name, schedule) in schedules(ctx) {
        if is_due(
            &schedule,
            job::last_run(&mut conn, name)?,
            now,
            ctx.clock.tz(),
        ) {
            let result = run(&mut conn, ctx, name).with_context(|| format!("job {name}"))?;
            done.push((name.to_string(), result));
        }
    }
    Ok(done)
}

/// Starts the scheduler thread: one catch-up pass, then a tick every half second.
pub fn spawn(pool: Pool, ctx: Ctx) -> std::thread::JoinHandle<()> {
    std::thread::Builder::new()
        .name("aftercare-jobs".into())
        .spawn(move || {
            if let Err(e) = run_due(&pool, &ctx) {
                tracing::error!("scheduled jobs: {e:#}");
            }
            let mut sched = JobScheduler::new();
            let offset = ctx
                .clock
                .tz()
                .offset_from_utc_datetime(&Utc::now().naive_utc());
            sched.set_timezone(chrono::Offset::fix(&offset));
            for (name, schedule) in schedules(&ctx) {
                let (pool, ctx) = (pool.clone(), ctx.clone());
                sched.add(Job::new(schedule.clone(), move || {
                    // Checked again against job_runs, so two servers on one database, or a
                    // hand-run `jobs run`, never run the same scheduled time twice.
                    let outcome = pool.get().map_err(anyhow::Error::from).and_then(|mut c| {
                        let due = is_due(
                            &schedule,
                            job::last_run(&mut c, name)?,
                            ctx.clock.now_utc(),
                            ctx.clock.tz(),
                        );
                        if due {
                            run(&mut c, &ctx, name).map(Some)
                        } else {
                            Ok(None)
                        }
                    });
                    match outcome {
                        Ok(Some(r)) => tracing::info!("job {name}: {}", I18N.done("en", &r)),
                        Ok(None) => {}
                        Err(e) => tracing::error!("job {name}: {e:#}"),
                    }
                }));
            }
            loop {
                sched.tick();
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
        })
        .expect("start the scheduler thread")
}

/// A consistent copy of a SQLite database into `path` (`VACUUM INTO` reads one snapshot
/// while other connections go on writing). Shared by `aftercare backup` and the job.
pub fn sqlite_copy(conn: &mut DbConn, path: &Path) -> anyhow::Result<()> {
    let target = path.to_string_lossy().replace('\'', "''");
    diesel::RunQueryDsl::execute(diesel::sql_query(format!("VACUUM INTO '{target}'")), conn)
        .context("VACUUM INTO")?;
    Ok(())
}

fn backup(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    if !conn.is_sqlite() {
        return Ok(Done::one("job-backup-postgres", &[]));
    }
    let j = &ctx.config.settings.jobs;
    let dir = Path::new(&j.backup_dir);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let stamp = ctx.clock.now_local().format("%Y%m%d-%H%M%S");
    let file = dir.join(format!("aftercare-{stamp}.db"));
    if !file.exists() {
        sqlite_copy(conn, &file)?;
    }
    // Keep the newest N copies; the names sort by time.
    let mut copies: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("aftercare-") && n.ends_with(".db"))
        })
        .collect();
    copies.sort();
    let excess = copies.len().saturating_sub(j.backup_keep.max(1) as usize);
    for old in &copies[..excess] {
        std::fs::remove_file(old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(Done::one(
        "job-backup-written",
        &[
            ("path", file.display().to_string()),
            ("removed", excess.to_string()),
        ],
    ))
}

fn purge_sessions(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    let now = trunc(ctx.clock.now_utc());
    let sessions = user::sessions_purge_expired(conn, now)?;
    let attempts = user::attempts_purge_before(conn, now - Duration::days(1))?;
    Ok(Done::one(
        "job-purged",
        &[
            ("sessions", sessions.to_string()),
            ("attempts", attempts.to_string()),
        ],
    ))
}

/// The morning digest: per store, the open tasks whose window ended yesterday — what became
/// overdue since the day before. Written once per store and day.
fn overdue_digest(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    let today = ctx.clock.today();
    let yesterday = today - Duration::days(1);
    let now = trunc(ctx.clock.now_utc());
    let mut written = 0;
    for s in crate::models::store::all(conn)? {
        if job::digest_for(conn, s.id, today)?.is_some() {
            continue;
        }
        let ids = task::became_overdue(conn, s.id, yesterday)?;
        job::digest_insert(
            conn,
            s.id,
            today,
            ids.len() as i32,
            &serde_json::to_string(&ids)?,
            now,
        )?;
        written += 1;
    }
    Ok(Done::one(
        "job-digests",
        &[("n", written.to_string()), ("date", today.to_string())],
    ))
}

/// Anonymises the customers whose retention period has run out (`privacy.retention_years`).
fn retention(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    let n = crate::services::privacy::run_retention(conn, ctx)?;
    Ok(Done::one("job-anonymised", &[("n", n.to_string())]))
}

/// R10: stores the draft of last month's summary for each store (in January also last
/// year's), unless one is stored already — so a catch-up run after downtime drafts it, and a
/// second run changes nothing.
fn summary_drafts(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    use crate::domain::summary::Period;
    let mut out = Vec::new();
    for p in Period::drafts_due(ctx.clock.today()) {
        let n = crate::services::summaries::store_drafts(conn, ctx, p)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        out.push(Part::new(
            "job-drafts",
            &[("period", p.to_string()), ("n", n.to_string())],
        ));
    }
    if out.is_empty() {
        out.push(Part::new("job-drafts-none", &[]));
    }
    Ok(Done(out))
}

/// X7: a win-back task for each customer found lost today (idempotent: at most one a
/// customer per `cadence.lost_after_days`).
fn win_back(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Done> {
    let n = crate::services::win_back::open_tasks(conn, ctx).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Done::one("job-win-back", &[("n", n.to_string())]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The administrator's start page names each job by `job-{name}`.
    #[test]
    fn every_job_has_a_name_in_both_languages() {
        for name in [
            BACKUP,
            PURGE_SESSIONS,
            OVERDUE_DIGEST,
            RETENTION,
            SUMMARY_DRAFTS,
            WIN_BACK,
        ] {
            for lang in crate::i18n::LANGS {
                let key = format!("job-{name}");
                assert_ne!(I18N.t(lang, &key), key, "{key} in {lang}");
            }
        }
    }
}
