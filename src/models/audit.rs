//! The audit log: one row per security-relevant action (who, what, when, from where, result).
//!
//! R11: the log is a hash chain like the registers. Each row has an entry in `audit_chain`
//! at its place `seq` (1, 2, 3 … without gaps) whose hash covers the row's every field, its id,
//! its place and the previous entry's hash. Every writer goes through `insert`, which writes
//! the row and its entry in one transaction; `verify` walks the chain.

use crate::db::schema::{app_meta, audit_chain, audit_log};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAudit {
    pub at: NaiveDateTime,
    pub local_date: NaiveDate,
    pub store_id: Option<i32>,
    pub actor_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
    pub result: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub local_date: NaiveDate,
    pub store_id: Option<i32>,
    pub actor_id: Option<i32>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub ip: Option<String>,
    pub result: String,
}

/// Appends a row to the log and to its chain, in one transaction (a savepoint when the caller
/// has one open).
pub fn insert(conn: &mut DbConn, row: &NewAudit) -> QueryResult<usize> {
    crate::db::write_tx(conn, |conn| {
        lock_chain(conn)?;
        // The row as stored (PostgreSQL keeps microseconds): the hash covers what is read back.
        let stored: AuditRow = diesel::insert_into(audit_log::table)
            .values(row)
            .returning(audit_log::all_columns)
            .get_result(conn)?;
        append(conn, &stored)?;
        Ok(1)
    })
}

/// Orders the writers of the chain: SQLite has one writer at a time already (`write_tx`);
/// on PostgreSQL a transaction-scoped advisory lock, released at commit.
fn lock_chain(conn: &mut DbConn) -> QueryResult<()> {
    if !conn.is_sqlite() {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7368001)").execute(conn)?;
    }
    Ok(())
}

/// The last entry of the chain: its place and hash.
fn tail(conn: &mut DbConn) -> QueryResult<(i32, String)> {
    Ok(audit_chain::table
        .order(audit_chain::seq.desc())
        .select((audit_chain::seq, audit_chain::hash))
        .first(conn)
        .optional()?
        .unwrap_or((0, String::new())))
}

fn append(conn: &mut DbConn, row: &AuditRow) -> QueryResult<()> {
    let (seq, prev) = tail(conn)?;
    let seq = seq + 1;
    let hash = row_hash(seq, &prev, row);
    diesel::insert_into(audit_chain::table)
        .values((
            audit_chain::seq.eq(seq),
            audit_chain::audit_id.eq(row.id),
            audit_chain::prev_hash.eq(&prev),
            audit_chain::hash.eq(&hash),
        ))
        .execute(conn)?;
    Ok(())
}

/// The hash of the row at place `seq` after `prev`.
pub fn row_hash(seq: i32, prev: &str, r: &AuditRow) -> String {
    let o = |v: &Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
    crate::digest::sha(&[
        "audit",
        prev,
        &seq.to_string(),
        &r.id.to_string(),
        &r.at.to_string(),
        &r.local_date.to_string(),
        &o(&r.store_id),
        &o(&r.actor_id),
        &r.actor,
        &r.action,
        &r.subject,
        &r.detail,
        r.ip.as_deref().unwrap_or(""),
        &r.result,
    ])
}

const GENESIS_KEY: &str = "audit_chain_genesis";

/// Chains the rows written before the chain existed (migration 2026-12-02-000008), in id
/// order, once: the number of rows so chained is kept as the chain's genesis. Runs right after
/// the migrations; later it does nothing.
pub fn seal_backlog(conn: &mut DbConn) -> QueryResult<usize> {
    crate::db::write_tx(conn, |conn| {
        let done: Option<String> = app_meta::table
            .find(GENESIS_KEY)
            .select(app_meta::value)
            .first(conn)
            .optional()?;
        if done.is_some() {
            return Ok(0);
        }
        lock_chain(conn)?;
        let mut after = tail_audit_id(conn)?;
        let mut n = 0;
        loop {
            let rows: Vec<AuditRow> = audit_log::table
                .filter(audit_log::id.gt(after))
                .order(audit_log::id)
                .limit(5000)
                .select(AuditRow::as_select())
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            for r in &rows {
                append(conn, r)?;
                n += 1;
            }
        }
        diesel::insert_into(app_meta::table)
            .values((
                app_meta::key.eq(GENESIS_KEY),
                app_meta::value.eq(n.to_string()),
            ))
            .execute(conn)?;
        Ok(n)
    })
}

fn tail_audit_id(conn: &mut DbConn) -> QueryResult<i32> {
    Ok(audit_chain::table
        .order(audit_chain::seq.desc())
        .select(audit_chain::audit_id)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// What is wrong with the audit chain, found by `verify_chain`: the place (`#seq`, or the row's
/// id) and a reason key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFault {
    pub at: String,
    pub reason: &'static str,
}

/// Walks the audit chain a batch at a time: places without gaps, each entry's row present and
/// unchanged, each linked to the one before; then every row of the log must be in the chain.
/// At most `limit` faults are returned.
pub fn verify_chain(conn: &mut DbConn, limit: usize) -> QueryResult<Vec<ChainFault>> {
    use std::collections::HashMap;
    let mut faults = Vec::new();
    let push = |faults: &mut Vec<ChainFault>, at: String, reason| {
        if faults.len() < limit {
            faults.push(ChainFault { at, reason });
        }
    };
    let (mut last_seq, mut prev_hash) = (0, String::new());
    let mut broken_reported = false;
    loop {
        let chain: Vec<(i32, i32, String, String)> = audit_chain::table
            .filter(audit_chain::seq.gt(last_seq))
            .order(audit_chain::seq)
            .limit(5000)
            .load(conn)?;
        if chain.is_empty() {
            break;
        }
        let ids: Vec<i32> = chain.iter().map(|c| c.1).collect();
        let rows: HashMap<i32, AuditRow> = audit_log::table
            .filter(audit_log::id.eq_any(&ids))
            .select(AuditRow::as_select())
            .load(conn)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        for (seq, audit_id, prev, hash) in chain {
            let gap = seq != last_seq + 1;
            if gap {
                let missing = if seq == last_seq + 2 {
                    format!("#{}", last_seq + 1)
                } else {
                    format!("#{} … #{}", last_seq + 1, seq - 1)
                };
                push(&mut faults, missing, "missing");
            }
            match rows.get(&audit_id) {
                None => push(
                    &mut faults,
                    format!("#{seq} (id {audit_id})"),
                    "audit-row-missing",
                ),
                Some(r) if row_hash(seq, &prev, r) != hash => push(
                    &mut faults,
                    format!("#{seq} (id {audit_id})"),
                    "content-changed",
                ),
                Some(_) => {}
            }
            // A gap explains the broken link after it; report a link broken otherwise once.
            if prev != prev_hash && !gap && !broken_reported {
                push(
                    &mut faults,
                    format!("#{seq} (id {audit_id})"),
                    "chain-broken",
                );
                broken_reported = true;
            }
            last_seq = seq;
            prev_hash = hash;
        }
    }
    let unchained: Vec<i32> = audit_log::table
        .filter(diesel::dsl::not(
            audit_log::id.eq_any(audit_chain::table.select(audit_chain::audit_id)),
        ))
        .order(audit_log::id)
        .limit(limit as i64)
        .select(audit_log::id)
        .load(conn)?;
    for id in unchained {
        push(&mut faults, format!("id {id}"), "missing-from-chain");
    }
    Ok(faults)
}

/// The head of the audit chain: its length and last hash.
pub fn head(conn: &mut DbConn) -> QueryResult<(i32, String)> {
    tail(conn)
}

/// The hash at place `seq` of the audit chain, if the chain is that long.
pub fn hash_at(conn: &mut DbConn, seq: i32) -> QueryResult<Option<String>> {
    audit_chain::table
        .find(seq)
        .select(audit_chain::hash)
        .first(conn)
        .optional()
}

pub fn recent(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// What the audit-log page and its export narrow the log to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Rows of this store, plus those done without a store (admins, the command line).
    pub store_id: Option<i32>,
    /// A part of the actor's name.
    pub actor: Option<String>,
    /// An action, or an action family (`login` matches `login` and `login.failed`).
    pub action: Option<String>,
}

fn filtered(f: &Filter) -> audit_log::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = audit_log::table.into_boxed();
    if let Some(d) = f.from {
        q = q.filter(audit_log::local_date.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(audit_log::local_date.le(d));
    }
    if let Some(s) = f.store_id {
        q = q.filter(audit_log::store_id.eq(s).or(audit_log::store_id.is_null()));
    }
    if let Some(a) = f.actor.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        q = q.filter(audit_log::actor.like(format!("%{}%", a.replace(['%', '_'], ""))));
    }
    if let Some(a) = f.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        q = q.filter(
            audit_log::action
                .eq(a.to_string())
                .or(audit_log::action.like(format!("{}.%", a.replace(['%', '_'], "")))),
        );
    }
    q
}

/// A page of the log, newest first.
pub fn list(conn: &mut DbConn, f: &Filter, limit: i64, offset: i64) -> QueryResult<Vec<AuditRow>> {
    filtered(f)
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    filtered(f).count().get_result(conn)
}

/// Rows after `after_id` in id order, for the export's keyset batches.
pub fn batch_after(
    conn: &mut DbConn,
    f: &Filter,
    after_id: i32,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    filtered(f)
        .filter(audit_log::id.gt(after_id))
        .order(audit_log::id)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

pub fn of_action(
    conn: &mut DbConn,
    action: &str,
    store_id: Option<i32>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let f = Filter {
        store_id,
        ..Filter::default()
    };
    filtered(&f)
        .filter(audit_log::action.eq(action.to_string()))
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// The actions recorded so far, for the page's filter.
pub fn actions(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action)
        .load(conn)
}

/// The successful entries of `action` that are sealed in the audit chain (an entry outside it
/// proves nothing).
fn sealed(action: &str) -> audit_log::BoxedQuery<'_, crate::db::MultiBackend> {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::result.eq("ok"))
        .filter(audit_log::id.eq_any(audit_chain::table.select(audit_chain::audit_id)))
        .into_boxed()
}

/// The details of the successful entries of `action` sealed in the audit chain.
pub fn sealed_details(conn: &mut DbConn, action: &str) -> QueryResult<Vec<String>> {
    sealed(action).select(audit_log::detail).load(conn)
}

/// The subjects of the successful entries of `action` sealed in the audit chain.
pub fn sealed_subjects(conn: &mut DbConn, action: &str) -> QueryResult<Vec<String>> {
    sealed(action).select(audit_log::subject).load(conn)
}
