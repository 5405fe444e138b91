//! R11: the heads of the chains, kept outside the database. Someone with the database file can
//! rewrite a whole chain and its heads together; heads printed, signed and filed, or sent off
//! the machine (`aftercare heads`, export manifests, filed summaries) cannot be rewritten with
//! it. `verify --heads FILE` checks the database against them: each head given out must still
//! be the line at its place in its chain.

use super::chain::Broken;
use crate::db::DbConn;
use crate::domain::register::Register;
use crate::models::{audit, register_chain, store};
use diesel::QueryResult;
use serde::Serialize;
use serde_json::Value;

/// The name of the audit log's chain in heads.
pub const AUDIT_LOG: &str = "audit-log";

/// A head as given out: which chain, how many lines it had then, and the last one's hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GivenHead {
    pub register: String,
    /// A store code, or a store id as the filed summaries keep it.
    pub store: Option<String>,
    pub store_id: Option<i32>,
    pub year: Option<i32>,
    pub lines: i64,
    pub hash: String,
}

/// A chain's head now, as `aftercare heads` prints it (CONTRACT.md).
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    pub register: String,
    pub store: Option<String>,
    pub year: Option<i32>,
    pub lines: i64,
    pub last_number: String,
    pub hash: String,
}

/// Every chain's head: the four registers per store and year, then the audit log.
pub fn current(conn: &mut DbConn) -> QueryResult<Vec<Head>> {
    let stores = store::all(conn)?;
    let code = |id: i32| stores.iter().find(|s| s.id == id).map(|s| s.code.clone());
    let mut out = Vec::new();
    for register in Register::ALL {
        for (store_id, year, lines, line_id, hash) in register_chain::current_heads(conn, register)?
        {
            out.push(Head {
                register: register.key().into(),
                store: code(store_id).or_else(|| Some(store_id.to_string())),
                year: Some(year),
                lines,
                last_number: register_chain::number_of_line(conn, register, line_id)?
                    .unwrap_or_default(),
                hash,
            });
        }
    }
    let (seq, hash) = audit::head(conn)?;
    if seq > 0 {
        out.push(Head {
            register: AUDIT_LOG.into(),
            store: None,
            year: None,
            lines: seq.into(),
            last_number: format!("#{seq}"),
            hash,
        });
    }
    Ok(out)
}

/// The heads in a file: the output of `aftercare heads` (`{"heads": [...]}`), an export
/// manifest (`{"register", "chain_heads": [...]}`), or a filed summary's heads (a list of
/// `{"store_id", "register", "year", "lines_in_chain", "head"}`). `Err` says what is wrong.
pub fn parse(v: &Value) -> Result<Vec<GivenHead>, String> {
    let (list, register) = if let Some(l) = v.get("heads").and_then(Value::as_array) {
        (l, None)
    } else if let Some(l) = v.get("chain_heads").and_then(Value::as_array) {
        (l, v.get("register").and_then(Value::as_str))
    } else if let Some(l) = v.as_array() {
        (l, None)
    } else {
        return Err("no heads: expected \"heads\", \"chain_heads\" or a list".into());
    };
    list.iter()
        .enumerate()
        .map(|(i, h)| {
            let s = |k: &str| h.get(k).and_then(Value::as_str).map(str::to_string);
            let n = |k: &str| h.get(k).and_then(Value::as_i64);
            let head = GivenHead {
                register: s("register")
                    .or(register.map(str::to_string))
                    .ok_or(format!("head {}: no register", i + 1))?,
                store: s("store"),
                store_id: n("store_id").map(|v| v as i32),
                year: n("year").map(|v| v as i32),
                lines: n("lines")
                    .or(n("lines_in_chain"))
                    .ok_or(format!("head {}: no lines", i + 1))?,
                hash: s("hash")
                    .or(s("head"))
                    .ok_or(format!("head {}: no hash", i + 1))?,
            };
            Ok(head)
        })
        .collect()
}

/// The heads given out in the export manifests of the audit log (only rows in its chain).
pub fn recorded_in_audit_log(conn: &mut DbConn) -> QueryResult<Vec<GivenHead>> {
    let details = audit::sealed_details(conn, "register.export")?;
    Ok(details
        .iter()
        .filter_map(|d| serde_json::from_str::<Value>(d).ok())
        .filter_map(|v| parse(&v).ok())
        .flatten()
        .collect())
}

/// Checks the database against heads given out: each must be the line at its place in its
/// chain (a chain now longer is fine: lines are only ever appended).
pub fn check(conn: &mut DbConn, given: &[GivenHead]) -> QueryResult<Vec<Broken>> {
    let stores = store::all(conn)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for h in given {
        if !seen.insert(h) {
            continue;
        }
        if h.register == AUDIT_LOG {
            let place = format!("#{}", h.lines);
            match audit::hash_at(conn, h.lines as i32)? {
                None => out.push(Broken::new(AUDIT_LOG, place, "head-lines-removed")),
                Some(x) if x != h.hash => out.push(Broken::new(AUDIT_LOG, place, "head-rewritten")),
                Some(_) => {}
            }
            continue;
        }
        let Some(register) = Register::parse(&h.register) else {
            out.push(Broken::new("heads", h.register.clone(), "unknown-register"));
            continue;
        };
        let store = stores.iter().find(|s| {
            h.store.as_deref() == Some(s.code.as_str())
                || h.store_id == Some(s.id)
                || (h.store.is_none() && h.store_id.is_none() && stores.len() == 1)
        });
        let name = format!(
            "{} {} #{}",
            h.store
                .clone()
                .or(h.store_id.map(|i| i.to_string()))
                .unwrap_or_default(),
            h.year.map(|y| y.to_string()).unwrap_or_default(),
            h.lines
        );
        let (Some(store), Some(year)) = (store, h.year) else {
            out.push(Broken::new(register.key(), name, "head-unknown-chain"));
            continue;
        };
        match register_chain::hash_at(conn, store.id, register, year, h.lines)? {
            None => out.push(Broken::new(register.key(), name, "head-lines-removed")),
            Some(x) if x != h.hash => out.push(Broken::new(register.key(), name, "head-rewritten")),
            Some(_) => {}
        }
    }
    Ok(out)
}
