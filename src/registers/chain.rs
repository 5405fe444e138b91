//! R11: tamper evidence. Each register is a hash chain per store and year: a line's hash covers
//! its content and the previous line's hash. Personal fields (name, phone, address) enter only
//! as a salted digest kept beside the hash, so a later anonymisation can replace them and the
//! chain still verifies. `aftercare verify` walks every chain, and also checks the chain heads
//! that were given out (export manifests), so a rewrite of a whole chain does not pass.

use super::numbering::Register;
use crate::db::schema::{
    archives, call_records, call_register, chain_heads, letter_register, register_chain,
};
use crate::db::DbConn;
use crate::models::store;
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

const SALT_KEY: &str = "chain_salt";

/// The salt of the personal digests, created with the first line and kept in the database.
fn salt(conn: &mut DbConn) -> QueryResult<String> {
    if let Some(s) = store::meta_get(conn, SALT_KEY)? {
        return Ok(s);
    }
    let s = crate::digest::random_token();
    store::meta_set(conn, SALT_KEY, &s)?;
    Ok(s)
}

use crate::digest::sha;

/// A line as the chain sees it: its content (non-personal fields) and its personal fields.
pub struct Line {
    pub id: i32,
    pub store_id: i32,
    pub year: i32,
    pub number: String,
    pub content: Vec<String>,
    pub personal: Vec<String>,
}

/// Appends a line to its chain; runs in the transaction that writes the line (the register's
/// numbering lock already orders writers of the same store, register and year).
pub fn append(
    conn: &mut DbConn,
    register: Register,
    line: &Line,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let salt = salt(conn)?;
    let prev: Option<String> = register_chain::table
        .filter(register_chain::store_id.eq(line.store_id))
        .filter(register_chain::register.eq(register.key()))
        .filter(register_chain::year.eq(line.year))
        .order(register_chain::id.desc())
        .select(register_chain::hash)
        .first(conn)
        .optional()?;
    let prev = prev.unwrap_or_default();
    let personal: Vec<&str> = std::iter::once(salt.as_str())
        .chain(line.personal.iter().map(String::as_str))
        .collect();
    let digest = sha(&personal);
    let hash = line_hash(&prev, line, &digest);
    diesel::insert_into(register_chain::table)
        .values((
            register_chain::store_id.eq(line.store_id),
            register_chain::register.eq(register.key()),
            register_chain::year.eq(line.year),
            register_chain::line_id.eq(line.id),
            register_chain::prev_hash.eq(&prev),
            register_chain::hash.eq(&hash),
            register_chain::personal_digest.eq(&digest),
            register_chain::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(hash)
}

/// The salt, set to `make()` when the database has none yet (the generator seeds it so the
/// same seed gives the same chains).
pub fn salt_or(conn: &mut DbConn, make: impl FnOnce() -> String) -> QueryResult<String> {
    if let Some(s) = store::meta_get(conn, SALT_KEY)? {
        return Ok(s);
    }
    let s = make();
    store::meta_set(conn, SALT_KEY, &s)?;
    Ok(s)
}

/// What `append` computes for a line after `prev`: its personal digest and its hash. For bulk
/// writers (the generator) that keep the chain heads in memory.
pub fn seal(salt: &str, prev: &str, line: &Line) -> (String, String) {
    let personal: Vec<&str> = std::iter::once(salt)
        .chain(line.personal.iter().map(String::as_str))
        .collect();
    let digest = sha(&personal);
    let hash = line_hash(prev, line, &digest);
    (digest, hash)
}

fn line_hash(prev: &str, line: &Line, digest: &str) -> String {
    let mut parts: Vec<&str> = vec![prev, &line.number];
    parts.extend(line.content.iter().map(String::as_str));
    parts.push(digest);
    sha(&parts)
}

fn o<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// The chain's view of a call record.
pub fn call_record_line(r: &crate::models::call::CallRecord) -> Line {
    Line {
        id: r.id,
        store_id: r.store_id,
        year: r.called_on.year(),
        number: r.record_no.clone(),
        content: vec![
            r.direction.to_string(),
            r.category.to_string(),
            r.outcome.to_string(),
            r.called_at.to_string(),
            r.called_on.to_string(),
            o(&r.callback_at),
            o(&r.plate),
            r.topics.clone(),
            r.key_points.clone(),
            o(&r.satisfied),
            o(&r.event_answer),
            r.handled_by_id.to_string(),
            r.handled_by.clone(),
            o(&r.covering_for_id),
        ],
        personal: vec![r.customer_name.clone(), r.phone.clone()],
    }
}

pub fn register_line(l: &crate::models::call::RegisterLine) -> Line {
    Line {
        id: l.id,
        store_id: l.store_id,
        year: l.called_on.year(),
        number: l.register_no.clone(),
        content: vec![
            l.record_no.clone(),
            l.called_on.to_string(),
            l.direction.to_string(),
            l.category.to_string(),
            l.outcome.to_string(),
            l.handled_by_id.to_string(),
            l.handled_by.clone(),
        ],
        personal: vec![l.customer_name.clone(), l.phone.clone()],
    }
}

pub fn letter_line(l: &crate::models::letter::LetterLine) -> Line {
    Line {
        id: l.id,
        store_id: l.store_id,
        year: l.sent_on.year(),
        number: l.register_no.clone(),
        content: vec![
            l.sent_on.to_string(),
            l.letter_kind.as_str().to_string(),
            l.subject.clone(),
            l.related_to.clone(),
            l.handled_by_id.to_string(),
            l.handled_by.clone(),
        ],
        // The body carries the name and address merged in, so it is personal too.
        personal: vec![l.customer_name.clone(), l.address.clone(), l.body.clone()],
    }
}

pub fn archive_line(a: &crate::models::archive::Archive) -> Line {
    Line {
        id: a.id,
        store_id: a.store_id,
        year: a.archived_on.year(),
        number: a.archive_no.clone(),
        content: vec![
            a.visit_date.to_string(),
            o(&a.vehicle_model),
            o(&a.plate),
            o(&a.vehicle_type),
            a.items.clone(),
            o(&a.maintenance_interval_days),
            o(&a.maintenance_interval_km),
            o(&a.next_maintenance_date),
            o(&a.desired_services),
            a.service_history.clone(),
            a.due_date.to_string(),
            a.archived_at.to_string(),
            a.archived_on.to_string(),
            a.archived_by_id.to_string(),
            a.archived_by.clone(),
        ],
        personal: vec![a.customer_name.clone(), o(&a.address), a.phone.clone()],
    }
}

/// An amendment line's chain content also covers the line it corrects and the reason.
pub fn with_amendment(mut line: Line, amends: &Option<String>, reason: &Option<String>) -> Line {
    if let Some(a) = amends {
        line.content.push(a.clone());
        line.content.push(reason.clone().unwrap_or_default());
    }
    line
}

/// Something `verify` found: where (a register, the audit log, the anonymisations), which
/// line or number, and what is wrong (a reason key, translated as `verify-<reason>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub register: &'static str,
    pub number: String,
    pub reason: &'static str,
}

impl Broken {
    pub fn new(register: &'static str, number: impl Into<String>, reason: &'static str) -> Broken {
        Broken {
            register,
            number: number.into(),
            reason,
        }
    }
}

/// Up to `limit` lines of a register after `after` (by id), as the chain sees them.
fn lines(conn: &mut DbConn, register: Register, after: i32, limit: i64) -> QueryResult<Vec<Line>> {
    macro_rules! batch {
        ($t:ident, $row:ty) => {
            $t::table
                .filter($t::id.gt(after))
                .order($t::id)
                .limit(limit)
                .select((<$row>::as_select(), $t::amends, $t::amend_reason))
        };
    }
    Ok(match register {
        Register::CallRecords => {
            let rows: Vec<(
                crate::models::call::CallRecord,
                Option<String>,
                Option<String>,
            )> = batch!(call_records, crate::models::call::CallRecord).load(conn)?;
            rows.iter()
                .map(|(l, a, r)| with_amendment(call_record_line(l), a, r))
                .collect()
        }
        Register::CallRegister => {
            let rows: Vec<(
                crate::models::call::RegisterLine,
                Option<String>,
                Option<String>,
            )> = batch!(call_register, crate::models::call::RegisterLine).load(conn)?;
            rows.iter()
                .map(|(l, a, r)| with_amendment(register_line(l), a, r))
                .collect()
        }
        Register::LetterRegister => {
            let rows: Vec<(
                crate::models::letter::LetterLine,
                Option<String>,
                Option<String>,
            )> = batch!(letter_register, crate::models::letter::LetterLine).load(conn)?;
            rows.iter()
                .map(|(l, a, r)| with_amendment(letter_line(l), a, r))
                .collect()
        }
        Register::Archives => {
            let rows: Vec<(
                crate::models::archive::Archive,
                Option<String>,
                Option<String>,
            )> = batch!(archives, crate::models::archive::Archive).load(conn)?;
            rows.iter()
                .map(|(l, a, r)| with_amendment(archive_line(l), a, r))
                .collect()
        }
    })
}

/// How many lines a register holds.
fn line_count(conn: &mut DbConn, register: Register) -> QueryResult<i64> {
    match register {
        Register::CallRecords => call_records::table.count().get_result(conn),
        Register::CallRegister => call_register::table.count().get_result(conn),
        Register::LetterRegister => letter_register::table.count().get_result(conn),
        Register::Archives => archives::table.count().get_result(conn),
    }
}

/// Lines checked per query: memory stays flat however long the registers.
const VERIFY_BATCH: i64 = 5000;

/// Numbering findings named per register at most (then one line says how many more).
pub const MAX_FINDINGS: usize = 20;

/// Numbers above this are not a register's (six digits, with room): named as wrong.
const MAX_NO: i32 = 50_000_000;

type ChainRow = (i32, i32, String, String, String);

/// The customers whose anonymisation is proven: a `customer.anonymise` row of the audit log
/// that is in the audit chain (whose integrity `verify` checks on its own). Their lines'
/// personal fields were replaced on purpose, so their digest is not checked (the content and
/// the chain still are). A row in `anonymisations` alone proves nothing.
pub fn proven_anonymisations(conn: &mut DbConn) -> QueryResult<std::collections::HashSet<i32>> {
    use crate::db::schema::{audit_chain, audit_log};
    let subjects: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("customer.anonymise"))
        .filter(audit_log::result.eq("ok"))
        .filter(audit_log::id.eq_any(audit_chain::table.select(audit_chain::audit_id)))
        .select(audit_log::subject)
        .load(conn)?;
    Ok(subjects
        .iter()
        .filter_map(|s| s.strip_prefix("customer ")?.parse().ok())
        .collect())
}

/// The lines of a register that belong to the customers `who`.
fn lines_of(
    conn: &mut DbConn,
    register: Register,
    who: &[i32],
) -> QueryResult<std::collections::HashSet<i32>> {
    let ids: Vec<i32> = match register {
        Register::Archives => archives::table
            .filter(archives::customer_id.eq_any(who))
            .select(archives::id)
            .load(conn)?,
        Register::CallRecords => call_records::table
            .filter(call_records::customer_id.eq_any(who))
            .select(call_records::id)
            .load(conn)?,
        Register::CallRegister => call_register::table
            .filter(
                call_register::call_record_id.eq_any(
                    call_records::table
                        .filter(call_records::customer_id.eq_any(who))
                        .select(call_records::id),
                ),
            )
            .select(call_register::id)
            .load(conn)?,
        Register::LetterRegister => letter_register::table
            .filter(letter_register::customer_id.eq_any(who))
            .select(letter_register::id)
            .load(conn)?,
    };
    Ok(ids.into_iter().collect())
}

/// `12` of `DH-2026-000012`, if the number has the register's prefix and the chain's year.
fn number_of(register: Register, year: i32, s: &str) -> Option<i32> {
    let rest = s.strip_prefix(register.prefix())?.strip_prefix('-')?;
    let (y, n) = rest.split_once('-')?;
    if y.parse::<i32>().ok()? != year || n.len() < 6 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok().filter(|n| (1..=MAX_NO).contains(n))
}

/// The numbers `from` … `to` of a register and year, as one name.
fn number_range(register: Register, year: i32, from: i32, to: i32) -> String {
    if from == to {
        super::numbering::format(register, year, from)
    } else {
        format!(
            "{} … {}",
            super::numbering::format(register, year, from),
            super::numbering::format(register, year, to)
        )
    }
}

/// One (store, year) chain as the walk goes: its last hash, its length, the highest number
/// seen and which numbers were seen (a bit set: a year holds at most a few million lines).
#[derive(Default)]
struct Tail {
    hash: String,
    len: i32,
    max: i32,
    seen: Vec<u64>,
}

impl Tail {
    /// Marks `n` seen; whether it was already.
    fn see(&mut self, n: i32) -> bool {
        let (w, b) = ((n / 64) as usize, n % 64);
        if self.seen.len() <= w {
            self.seen.resize(w + 1, 0);
        }
        let was = self.seen[w] & (1 << b) != 0;
        self.seen[w] |= 1 << b;
        self.max = self.max.max(n);
        was
    }
}

/// R11 privacy: every anonymisation is in the audit chain, and no pass is left open (a pass
/// exists only inside the anonymising transaction).
pub fn verify_anonymisations(
    conn: &mut DbConn,
    proven: &std::collections::HashSet<i32>,
) -> QueryResult<Vec<Broken>> {
    use crate::db::schema::{anonymisations, anonymise_pass};
    let mut out = Vec::new();
    let listed: Vec<i32> = anonymisations::table
        .order(anonymisations::id)
        .select(anonymisations::customer_id)
        .load(conn)?;
    for id in listed.into_iter().filter(|id| !proven.contains(id)) {
        out.push(Broken::new(
            "anonymisations",
            format!("customer {id}"),
            "anonymisation-unproven",
        ));
    }
    let passes: Vec<i32> = anonymise_pass::table
        .select(anonymise_pass::customer_id)
        .load(conn)?;
    for id in passes {
        out.push(Broken::new(
            "anonymise_pass",
            format!("customer {id}"),
            "pass-left-open",
        ));
    }
    Ok(out)
}

pub fn verify_register(
    conn: &mut DbConn,
    register: Register,
    who: &[i32],
) -> QueryResult<Vec<Broken>> {
    use crate::db::schema::register_counters as rc;
    use std::collections::HashMap;
    let salt = salt(conn)?;
    let key = register.key();
    let anonymised = lines_of(conn, register, who)?;
    // Heads given out, by (store, year, position): the chain must still have them there.
    let mut given: HashMap<(i32, i32, i32), Vec<String>> = HashMap::new();
    let heads: Vec<(i32, i32, i32, String)> = chain_heads::table
        .filter(chain_heads::register.eq(key))
        .select((
            chain_heads::store_id,
            chain_heads::year,
            chain_heads::line_count,
            chain_heads::head_hash,
        ))
        .load(conn)?;
    for (store_id, year, count, head) in heads {
        given.entry((store_id, year, count)).or_default().push(head);
    }
    let mut tails: HashMap<(i32, i32), Tail> = HashMap::new();
    let mut numbering: Vec<Broken> = Vec::new();
    let mut more = 0usize;
    let mut note = |numbering: &mut Vec<Broken>, number: String, reason| {
        if numbering.len() < MAX_FINDINGS {
            numbering.push(Broken::new(key, number, reason));
        } else {
            more += 1;
        }
    };
    let mut first: Option<Broken> = None;
    let mut after = 0;
    loop {
        let batch = lines(conn, register, after, VERIFY_BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let ids: Vec<i32> = batch.iter().map(|l| l.id).collect();
        let chain: Vec<ChainRow> = register_chain::table
            .filter(register_chain::register.eq(key))
            .filter(register_chain::line_id.eq_any(&ids))
            .select((
                register_chain::line_id,
                register_chain::year,
                register_chain::prev_hash,
                register_chain::hash,
                register_chain::personal_digest,
            ))
            .load(conn)?;
        let by_line: HashMap<i32, &ChainRow> = chain.iter().map(|c| (c.0, c)).collect();
        for line in &batch {
            let tail = tails.entry((line.store_id, line.year)).or_default();
            // R11: numbered 1, 2, 3 … per store, register and year, in the order written.
            let mut after_gap = false;
            match number_of(register, line.year, &line.number) {
                None => note(&mut numbering, line.number.clone(), "wrong-number"),
                Some(n) => {
                    let (max, dup) = (tail.max, tail.see(n));
                    if dup {
                        note(&mut numbering, line.number.clone(), "duplicate");
                    } else if n < max {
                        note(&mut numbering, line.number.clone(), "out-of-order");
                    } else if n > max + 1 {
                        note(
                            &mut numbering,
                            number_range(register, line.year, max + 1, n - 1),
                            "missing",
                        );
                        after_gap = true;
                    }
                }
            }
            let mut fail = |reason| {
                first.get_or_insert(Broken::new(key, line.number.clone(), reason));
            };
            let Some((_, _, prev, hash, digest)) = by_line.get(&line.id).copied() else {
                fail("missing-from-chain");
                continue;
            };
            let personal: Vec<&str> = std::iter::once(salt.as_str())
                .chain(line.personal.iter().map(String::as_str))
                .collect();
            // A missing line explains the broken link after it: the gap is what is named.
            if *prev != tail.hash && !after_gap {
                fail("chain-broken");
            } else if !anonymised.contains(&line.id) && sha(&personal) != *digest {
                fail("personal-changed");
            } else if line_hash(prev, line, digest) != *hash {
                fail("content-changed");
            }
            tail.hash.clone_from(hash);
            tail.len += 1;
            if let Some(heads) = given.get(&(line.store_id, line.year, tail.len)) {
                if heads.iter().any(|h| h != hash) {
                    first.get_or_insert(Broken::new(
                        key,
                        format!("#{}", tail.len),
                        "head-rewritten",
                    ));
                }
            }
        }
    }
    // The counter of each store and year names the last number given out.
    let counters: Vec<(i32, i32, i32)> = rc::table
        .filter(rc::register.eq(key))
        .select((rc::store_id, rc::year, rc::last_no))
        .load(conn)?;
    for (store_id, year, last_no) in &counters {
        let max = tails.get(&(*store_id, *year)).map_or(0, |t| t.max);
        if *last_no != max {
            let name = if max == 0 {
                format!(
                    "{} (0)",
                    super::numbering::format(register, *year, *last_no)
                )
            } else {
                format!(
                    "{} ≠ {}",
                    super::numbering::format(register, *year, *last_no),
                    super::numbering::format(register, *year, max)
                )
            };
            note(&mut numbering, name, "counter-mismatch");
        }
    }
    for ((store_id, year), t) in &tails {
        if !counters.iter().any(|c| c.0 == *store_id && c.1 == *year) {
            note(
                &mut numbering,
                super::numbering::format(register, *year, t.max),
                "counter-missing",
            );
        }
    }
    let chained: i64 = register_chain::table
        .filter(register_chain::register.eq(key))
        .count()
        .get_result(conn)?;
    if chained > line_count(conn, register)? && first.is_none() {
        first = Some(Broken::new(key, "", "line-removed"));
    }
    // A head given out beyond the end of its chain: lines were removed since.
    for (store_id, year, count) in given.keys() {
        let len = tails.get(&(*store_id, *year)).map_or(0, |t| t.len);
        if *count > len && first.is_none() {
            first = Some(Broken::new(key, format!("#{count}"), "head-rewritten"));
        }
    }
    if more > 0 {
        numbering.push(Broken::new(key, format!("+{more}"), "more"));
    }
    numbering.extend(first);
    Ok(numbering)
}

/// The hash of the line at `position` (1, 2, …) of a (store, register, year) chain, and the
/// line's id, if the chain is that long.
pub fn hash_at(
    conn: &mut DbConn,
    store_id: i32,
    register: Register,
    year: i32,
    position: i64,
) -> QueryResult<Option<String>> {
    if position < 1 {
        return Ok(None);
    }
    register_chain::table
        .filter(register_chain::store_id.eq(store_id))
        .filter(register_chain::register.eq(register.key()))
        .filter(register_chain::year.eq(year))
        .order(register_chain::id)
        .offset(position - 1)
        .select(register_chain::hash)
        .first(conn)
        .optional()
}

/// A chain's head: (store, year, lines, last line's id, hash).
pub type ChainHead = (i32, i32, i64, i32, String);

/// Every chain's head now, per register.
pub fn current_heads(conn: &mut DbConn, register: Register) -> QueryResult<Vec<ChainHead>> {
    use diesel::dsl::{count_star, max};
    let groups: Vec<(i32, i32, i64, Option<i32>)> = register_chain::table
        .filter(register_chain::register.eq(register.key()))
        .group_by((register_chain::store_id, register_chain::year))
        .select((
            register_chain::store_id,
            register_chain::year,
            count_star(),
            max(register_chain::id),
        ))
        .order((register_chain::store_id, register_chain::year))
        .load(conn)?;
    let mut out = Vec::new();
    for (store_id, year, n, last) in groups {
        let Some(last) = last else { continue };
        let (line_id, hash): (i32, String) = register_chain::table
            .find(last)
            .select((register_chain::line_id, register_chain::hash))
            .first(conn)?;
        out.push((store_id, year, n, line_id, hash));
    }
    Ok(out)
}

/// The number of a register's line, by id.
pub fn number_of_line(
    conn: &mut DbConn,
    register: Register,
    id: i32,
) -> QueryResult<Option<String>> {
    match register {
        Register::Archives => archives::table
            .find(id)
            .select(archives::archive_no)
            .first(conn)
            .optional(),
        Register::CallRecords => call_records::table
            .find(id)
            .select(call_records::record_no)
            .first(conn)
            .optional(),
        Register::CallRegister => call_register::table
            .find(id)
            .select(call_register::register_no)
            .first(conn)
            .optional(),
        Register::LetterRegister => letter_register::table
            .find(id)
            .select(letter_register::register_no)
            .first(conn)
            .optional(),
    }
}

/// Records the head of a chain given out (an export's manifest), for `verify` to check later.
pub fn record_head(
    conn: &mut DbConn,
    store_id: i32,
    register: Register,
    year: i32,
    purpose: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(i32, String)>> {
    // The count and the last hash, both on the chain's (store, register, year, id) index:
    // a year's chain can hold millions of lines.
    let chain = || {
        register_chain::table
            .filter(register_chain::store_id.eq(store_id))
            .filter(register_chain::register.eq(register.key()))
            .filter(register_chain::year.eq(year))
    };
    let Some(head) = chain()
        .order(register_chain::id.desc())
        .select(register_chain::hash)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let count = chain().count().get_result::<i64>(conn)? as i32;
    diesel::insert_into(chain_heads::table)
        .values((
            chain_heads::store_id.eq(store_id),
            chain_heads::register.eq(register.key()),
            chain_heads::year.eq(year),
            chain_heads::line_count.eq(count),
            chain_heads::head_hash.eq(&head),
            chain_heads::purpose.eq(purpose),
            chain_heads::given_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some((count, head)))
}
