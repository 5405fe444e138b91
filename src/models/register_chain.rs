//! R11: the hash chains of the four registers (`register_chain`, one row per line: its
//! store, year, previous hash, hash and personal digest), the heads given out
//! (`chain_heads`), and the register lines as the chain walk reads them. What a hash covers
//! and how a chain is verified is `registers::chain`'s business.

use crate::db::schema::{
    anonymisations, anonymise_pass, archives, call_records, call_register, chain_heads,
    letter_register, register_chain,
};
use crate::db::DbConn;
use crate::domain::register::Register;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use crate::models::register_lines::Amended;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The last hash of a (store, register, year) chain (None: the chain is empty).
pub fn last_hash(
    conn: &mut DbConn,
    store_id: i32,
    register: Register,
    year: i32,
) -> QueryResult<Option<String>> {
    register_chain::table
        .filter(register_chain::store_id.eq(store_id))
        .filter(register_chain::register.eq(register.key()))
        .filter(register_chain::year.eq(year))
        .order(register_chain::id.desc())
        .select(register_chain::hash)
        .first(conn)
        .optional()
}

/// A line's link in its chain, as appended.
pub struct Link<'a> {
    pub store_id: i32,
    pub year: i32,
    pub line_id: i32,
    pub prev_hash: &'a str,
    pub hash: &'a str,
    pub personal_digest: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn append(conn: &mut DbConn, register: Register, l: &Link) -> QueryResult<usize> {
    diesel::insert_into(register_chain::table)
        .values((
            register_chain::store_id.eq(l.store_id),
            register_chain::register.eq(register.key()),
            register_chain::year.eq(l.year),
            register_chain::line_id.eq(l.line_id),
            register_chain::prev_hash.eq(l.prev_hash),
            register_chain::hash.eq(l.hash),
            register_chain::personal_digest.eq(l.personal_digest),
            register_chain::created_at.eq(l.created_at),
        ))
        .execute(conn)
}

/// Up to `limit` lines of a register after id `after`, by id, each with its amendment.
pub enum LineBatch {
    Archives(Vec<Amended<Archive>>),
    CallRecords(Vec<Amended<CallRecord>>),
    CallRegister(Vec<Amended<RegisterLine>>),
    LetterRegister(Vec<Amended<LetterLine>>),
}

pub fn lines_after(
    conn: &mut DbConn,
    register: Register,
    after: i32,
    limit: i64,
) -> QueryResult<LineBatch> {
    macro_rules! batch {
        ($t:ident, $row:ty) => {
            $t::table
                .filter($t::id.gt(after))
                .order($t::id)
                .limit(limit)
                .select((<$row>::as_select(), $t::amends, $t::amend_reason))
                .load(conn)?
        };
    }
    Ok(match register {
        Register::Archives => LineBatch::Archives(batch!(archives, Archive)),
        Register::CallRecords => LineBatch::CallRecords(batch!(call_records, CallRecord)),
        Register::CallRegister => LineBatch::CallRegister(batch!(call_register, RegisterLine)),
        Register::LetterRegister => LineBatch::LetterRegister(batch!(letter_register, LetterLine)),
    })
}

/// How many lines a register holds.
pub fn line_count(conn: &mut DbConn, register: Register) -> QueryResult<i64> {
    match register {
        Register::CallRecords => call_records::table.count().get_result(conn),
        Register::CallRegister => call_register::table.count().get_result(conn),
        Register::LetterRegister => letter_register::table.count().get_result(conn),
        Register::Archives => archives::table.count().get_result(conn),
    }
}

/// How many links a register's chains hold.
pub fn link_count(conn: &mut DbConn, register: Register) -> QueryResult<i64> {
    register_chain::table
        .filter(register_chain::register.eq(register.key()))
        .count()
        .get_result(conn)
}

/// A line's link: (line id, year, previous hash, hash, personal digest).
pub type LinkRow = (i32, i32, String, String, String);

/// The links of these lines of a register.
pub fn links_of(
    conn: &mut DbConn,
    register: Register,
    line_ids: &[i32],
) -> QueryResult<Vec<LinkRow>> {
    register_chain::table
        .filter(register_chain::register.eq(register.key()))
        .filter(register_chain::line_id.eq_any(line_ids))
        .select((
            register_chain::line_id,
            register_chain::year,
            register_chain::prev_hash,
            register_chain::hash,
            register_chain::personal_digest,
        ))
        .load(conn)
}

/// The lines of a register that belong to the customers `who`.
pub fn line_ids_of_customers(
    conn: &mut DbConn,
    register: Register,
    who: &[i32],
) -> QueryResult<Vec<i32>> {
    match register {
        Register::Archives => archives::table
            .filter(archives::customer_id.eq_any(who))
            .select(archives::id)
            .load(conn),
        Register::CallRecords => call_records::table
            .filter(call_records::customer_id.eq_any(who))
            .select(call_records::id)
            .load(conn),
        Register::CallRegister => call_register::table
            .filter(
                call_register::call_record_id.eq_any(
                    call_records::table
                        .filter(call_records::customer_id.eq_any(who))
                        .select(call_records::id),
                ),
            )
            .select(call_register::id)
            .load(conn),
        Register::LetterRegister => letter_register::table
            .filter(letter_register::customer_id.eq_any(who))
            .select(letter_register::id)
            .load(conn),
    }
}

/// The customers listed as anonymised, in the order they were, and those whose anonymising
/// pass is still open (a pass exists only inside the anonymising transaction).
pub fn anonymisations(conn: &mut DbConn) -> QueryResult<(Vec<i32>, Vec<i32>)> {
    let listed = anonymisations::table
        .order(anonymisations::id)
        .select(anonymisations::customer_id)
        .load(conn)?;
    let open = anonymise_pass::table
        .select(anonymise_pass::customer_id)
        .load(conn)?;
    Ok((listed, open))
}

/// The heads of a register given out: (store, year, lines then, hash).
pub fn given_heads(
    conn: &mut DbConn,
    register: Register,
) -> QueryResult<Vec<(i32, i32, i32, String)>> {
    chain_heads::table
        .filter(chain_heads::register.eq(register.key()))
        .select((
            chain_heads::store_id,
            chain_heads::year,
            chain_heads::line_count,
            chain_heads::head_hash,
        ))
        .load(conn)
}

/// The hash of the line at `position` (1, 2, …) of a (store, register, year) chain, if the
/// chain is that long.
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
    let Some(head) = last_hash(conn, store_id, register, year)? else {
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
