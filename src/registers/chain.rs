//! R11: tamper evidence. Each register is a hash chain per store and year: a line's hash covers
//! its content and the previous line's hash. Personal fields (name, phone, address) enter only
//! as a salted digest kept beside the hash, so a later anonymisation can replace them and the
//! chain still verifies. `aftercare verify` walks every chain, and also checks the chain heads
//! that were given out (export manifests), so a rewrite of a whole chain does not pass.
//!
//! A little over 500 lines on purpose: what each register's hash covers (`*_line`) sits beside
//! the walk that checks it (`verify_register`), so a change to one is seen with the other. The
//! chain's rows are read and written by `models::register_chain`.

use crate::db::DbConn;
use crate::domain::register::{format, Register};
use crate::models::register_chain::{self as links, LineBatch, Link};
use crate::models::{audit, register_counter, store};
use chrono::{Datelike, NaiveDateTime};
use diesel::QueryResult;
use std::collections::{HashMap, HashSet};

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
    let prev = links::last_hash(conn, line.store_id, register, line.year)?.unwrap_or_default();
    let (digest, hash) = seal(&salt, &prev, line);
    links::append(
        conn,
        register,
        &Link {
            store_id: line.store_id,
            year: line.year,
            line_id: line.id,
            prev_hash: &prev,
            hash: &hash,
            personal_digest: &digest,
            created_at: now,
        },
    )?;
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
    fn each<T>(rows: &[(T, Option<String>, Option<String>)], line: fn(&T) -> Line) -> Vec<Line> {
        rows.iter()
            .map(|(l, a, r)| with_amendment(line(l), a, r))
            .collect()
    }
    Ok(match links::lines_after(conn, register, after, limit)? {
        LineBatch::CallRecords(rows) => each(&rows, call_record_line),
        LineBatch::CallRegister(rows) => each(&rows, register_line),
        LineBatch::LetterRegister(rows) => each(&rows, letter_line),
        LineBatch::Archives(rows) => each(&rows, archive_line),
    })
}

/// Lines checked per query: memory stays flat however long the registers.
const VERIFY_BATCH: i64 = 5000;

/// Numbering findings named per register at most (then one line says how many more).
pub const MAX_FINDINGS: usize = 20;

/// Numbers above this are not a register's (six digits, with room): named as wrong.
const MAX_NO: i32 = 50_000_000;

/// The customers whose anonymisation is proven: a `customer.anonymise` row of the audit log
/// that is in the audit chain (whose integrity `verify` checks on its own). Their lines'
/// personal fields were replaced on purpose, so their digest is not checked (the content and
/// the chain still are). A row in `anonymisations` alone proves nothing.
pub fn proven_anonymisations(conn: &mut DbConn) -> QueryResult<HashSet<i32>> {
    Ok(audit::sealed_subjects(conn, "customer.anonymise")?
        .iter()
        .filter_map(|s| s.strip_prefix("customer ")?.parse().ok())
        .collect())
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
        format(register, year, from)
    } else {
        format!(
            "{} … {}",
            format(register, year, from),
            format(register, year, to)
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
pub fn verify_anonymisations(conn: &mut DbConn, proven: &HashSet<i32>) -> QueryResult<Vec<Broken>> {
    let (listed, open) = links::anonymisations(conn)?;
    let unproven = listed
        .into_iter()
        .filter(|id| !proven.contains(id))
        .map(|id| {
            Broken::new(
                "anonymisations",
                format!("customer {id}"),
                "anonymisation-unproven",
            )
        });
    let left_open = open
        .into_iter()
        .map(|id| Broken::new("anonymise_pass", format!("customer {id}"), "pass-left-open"));
    Ok(unproven.chain(left_open).collect())
}

/// Walks every line of `register` in id order and names what is wrong: its numbering (R11:
/// 1, 2, 3 … per store and year, in the order written, and the counters naming the last),
/// up to `MAX_FINDINGS` of those, then the first broken link of its chains. `who`: the
/// customers whose anonymisation is proven (their personal digests are not checked).
pub fn verify_register(
    conn: &mut DbConn,
    register: Register,
    who: &[i32],
) -> QueryResult<Vec<Broken>> {
    let mut walk = Walk {
        register,
        key: register.key(),
        salt: salt(conn)?,
        anonymised: links::line_ids_of_customers(conn, register, who)?
            .into_iter()
            .collect(),
        given: HashMap::new(),
        tails: HashMap::new(),
        numbering: Vec::new(),
        more: 0,
        first: None,
    };
    for (store_id, year, count, head) in links::given_heads(conn, register)? {
        walk.given
            .entry((store_id, year, count))
            .or_default()
            .push(head);
    }
    let mut after = 0;
    loop {
        let batch = lines(conn, register, after, VERIFY_BATCH)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let ids: Vec<i32> = batch.iter().map(|l| l.id).collect();
        let chain = links::links_of(conn, register, &ids)?;
        let by_line: HashMap<i32, &links::LinkRow> = chain.iter().map(|c| (c.0, c)).collect();
        for line in &batch {
            let after_gap = walk.number(line);
            walk.link(line, by_line.get(&line.id).copied(), after_gap);
        }
    }
    walk.counters(&register_counter::all_of(conn, register)?);
    let removed = links::link_count(conn, register)? > links::line_count(conn, register)?;
    Ok(walk.end(removed))
}

/// One register's walk: what `verify_register` has seen so far.
struct Walk {
    register: Register,
    key: &'static str,
    salt: String,
    /// The lines of customers proven anonymised.
    anonymised: HashSet<i32>,
    /// Heads given out, by (store, year, position): the chain must still have them there.
    given: HashMap<(i32, i32, i32), Vec<String>>,
    tails: HashMap<(i32, i32), Tail>,
    numbering: Vec<Broken>,
    /// Numbering findings beyond `MAX_FINDINGS`.
    more: usize,
    /// The first broken link (only the first: the rest of a chain follows from it).
    first: Option<Broken>,
}

impl Walk {
    fn note(&mut self, number: String, reason: &'static str) {
        if self.numbering.len() < MAX_FINDINGS {
            self.numbering.push(Broken::new(self.key, number, reason));
        } else {
            self.more += 1;
        }
    }

    fn fail(&mut self, number: impl Into<String>, reason: &'static str) {
        let key = self.key;
        self.first
            .get_or_insert_with(|| Broken::new(key, number, reason));
    }

    /// R11: the line's number follows the one before it in its store and year; whether a
    /// gap comes right before it.
    fn number(&mut self, line: &Line) -> bool {
        let tail = self.tails.entry((line.store_id, line.year)).or_default();
        let Some(n) = number_of(self.register, line.year, &line.number) else {
            self.note(line.number.clone(), "wrong-number");
            return false;
        };
        let (max, dup) = (tail.max, tail.see(n));
        if dup {
            self.note(line.number.clone(), "duplicate");
        } else if n < max {
            self.note(line.number.clone(), "out-of-order");
        } else if n > max + 1 {
            self.note(
                number_range(self.register, line.year, max + 1, n - 1),
                "missing",
            );
            return true;
        }
        false
    }

    /// The line's link: after the chain's last hash (a missing line before it explains a
    /// broken link: the gap is what is named), its personal digest unless anonymised, its
    /// hash, and any head given out at its position.
    fn link(&mut self, line: &Line, row: Option<&links::LinkRow>, after_gap: bool) {
        let Some((_, _, prev, hash, digest)) = row else {
            self.fail(line.number.clone(), "missing-from-chain");
            return;
        };
        let personal: Vec<&str> = std::iter::once(self.salt.as_str())
            .chain(line.personal.iter().map(String::as_str))
            .collect();
        let tail = self.tails.entry((line.store_id, line.year)).or_default();
        let reason = if *prev != tail.hash && !after_gap {
            Some("chain-broken")
        } else if !self.anonymised.contains(&line.id) && sha(&personal) != *digest {
            Some("personal-changed")
        } else if line_hash(prev, line, digest) != *hash {
            Some("content-changed")
        } else {
            None
        };
        tail.hash.clone_from(hash);
        tail.len += 1;
        let position = tail.len;
        if let Some(reason) = reason {
            self.fail(line.number.clone(), reason);
        }
        let rewritten = self
            .given
            .get(&(line.store_id, line.year, position))
            .is_some_and(|heads| heads.iter().any(|h| h != hash));
        if rewritten {
            self.fail(format!("#{position}"), "head-rewritten");
        }
    }

    /// The counter of each store and year names the last number given out.
    fn counters(&mut self, counters: &[(i32, i32, i32)]) {
        let register = self.register;
        for (store_id, year, last_no) in counters {
            let max = self.tails.get(&(*store_id, *year)).map_or(0, |t| t.max);
            if *last_no != max {
                let name = if max == 0 {
                    format!("{} (0)", format(register, *year, *last_no))
                } else {
                    format!(
                        "{} ≠ {}",
                        format(register, *year, *last_no),
                        format(register, *year, max)
                    )
                };
                self.note(name, "counter-mismatch");
            }
        }
        let missing: Vec<String> = self
            .tails
            .iter()
            .filter(|((s, y), _)| !counters.iter().any(|c| c.0 == *s && c.1 == *y))
            .map(|((_, year), t)| format(register, *year, t.max))
            .collect();
        for name in missing {
            self.note(name, "counter-missing");
        }
    }

    /// The findings: numbering first, then the first broken link — a line removed (more
    /// links than lines), or a head given out beyond the end of its chain.
    fn end(mut self, removed: bool) -> Vec<Broken> {
        if removed {
            self.fail("", "line-removed");
        }
        let beyond = self
            .given
            .keys()
            .find(|(s, y, count)| *count > self.tails.get(&(*s, *y)).map_or(0, |t| t.len))
            .map(|(_, _, count)| *count);
        if let Some(count) = beyond {
            self.fail(format!("#{count}"), "head-rewritten");
        }
        if self.more > 0 {
            let more = self.more;
            self.numbering
                .push(Broken::new(self.key, format!("+{more}"), "more"));
        }
        self.numbering.extend(self.first);
        self.numbering
    }
}
