//! The stored summaries as the pages and the API read them: the latest version (frozen when
//! filed, live otherwise), every version, the archive, and who filed each by name.

use super::live::draft;
use super::snapshot::{Contract, Snapshot};
use crate::db::DbConn;
use crate::domain::summary::{Period, Report};
use crate::models::summary::{self as model, Stored};
use crate::services::{Ctx, SResult, ServiceError};
use serde::Serialize;
use std::collections::HashMap;

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

pub(super) fn report_of(s: &Stored) -> Report {
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
