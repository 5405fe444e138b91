//! The lines of the four registers (R11) as the export and the register pages read them:
//! in a date range, narrowed by store, clerk, call category, a part of the customer's name or
//! one id; walked in keyset batches by id (the export) or paged in register-number order (the
//! pages). The cells they become are `registers::export`'s business.

use crate::db::schema::{
    archives, call_records, call_register, call_satisfaction, items, letter_register, stores,
};
use crate::db::DbConn;
use crate::domain::call::ItemKind;
use crate::domain::item::ItemStatus;
use crate::domain::register::Register;
use crate::models::archive::Archive;
use crate::models::call::CallRecord;
use crate::models::letter::LetterLine;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::HashMap;

/// Which lines: the range and the narrowing (`None`: all).
#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub store_id: Option<i32>,
    /// 经办人: who handled the line (for archives: who completed the sheet).
    pub clerk_id: Option<i32>,
    /// The call's category; call registers only, else ignored.
    pub category: Option<String>,
    /// A part of the customer's name.
    pub customer: Option<String>,
    pub id: Option<i32>,
}

/// Which lines of the filtered register: the export's keyset batches by id, or a page in
/// register-number order.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    /// Lines with `id < line id <= until`, by id.
    After {
        id: i32,
        until: i32,
        limit: i64,
    },
    Page {
        limit: i64,
        offset: i64,
    },
}

impl Window {
    fn keyset(self) -> bool {
        matches!(self, Window::After { .. })
    }
}

/// A line with the amendment it is (CONTRACT.md's trailing `amends`, `amend_reason`).
pub type Amended<T> = (T, Option<String>, Option<String>);

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` taken literally.
fn like_anywhere(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The boxed query of a register's lines in the date range, the store and the filters.
/// `$keyset`: the export's walk by id. Its store condition is written `+store_id = ?` so that
/// SQLite walks the primary key (each line read once) instead of the (store, date) index,
/// which would sort the whole range again for every batch; PostgreSQL reads it the same.
macro_rules! filtered {
    ($t:ident, $date:ident, $clerk:ident, $f:expr, $keyset:expr $(, $category:ident)?) => {{
        let mut b = $t::table
            .filter($t::$date.between($f.from, $f.to))
            .into_boxed();
        match ($f.store_id, $keyset) {
            (Some(s), true) => {
                b = b.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(concat!(
                        "+",
                        stringify!($t),
                        ".store_id = "
                    ))
                    .bind::<diesel::sql_types::Integer, _>(s),
                )
            }
            (Some(s), false) => b = b.filter($t::store_id.eq(s)),
            (None, _) => {}
        }
        if let Some(c) = $f.clerk_id {
            b = b.filter($t::$clerk.eq(c));
        }
        if let Some(n) = $f.customer.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            b = b.filter($t::customer_name.like(like_anywhere(n)).escape('\\'));
        }
        if let Some(id) = $f.id {
            b = b.filter($t::id.eq(id));
        }
        $(
            if let Some(c) = $f.category.as_deref().filter(|c| !c.is_empty()) {
                b = b.filter($t::$category.eq(c.to_string()));
            }
        )?
        b
    }};
}

/// The filtered query cut to a window (see `Window`).
macro_rules! windowed {
    ($b:expr, $t:ident, $no:ident, $w:expr) => {
        match $w {
            Window::After { id, until, limit } => $b
                .filter($t::id.gt(id))
                .filter($t::id.le(until))
                .order($t::id)
                .limit(limit),
            Window::Page { limit, offset } => $b
                .order(($t::store_id, $t::$no, $t::id))
                .limit(limit)
                .offset(offset),
        }
    };
}

/// The ids around the lines in the range and store (the other filters ignored): (the
/// first's - 1, the last's), found on the (store, date) index; None when there is none.
pub fn id_span(
    conn: &mut DbConn,
    register: Register,
    f: &LineFilter,
) -> QueryResult<Option<(i32, i32)>> {
    use diesel::dsl::{max, min};
    let f = &LineFilter {
        from: f.from,
        to: f.to,
        store_id: f.store_id,
        ..LineFilter::default()
    };
    let span: (Option<i32>, Option<i32>) = match register {
        Register::Archives => filtered!(archives, archived_on, archived_by_id, f, false)
            .select((min(archives::id), max(archives::id)))
            .first(conn)?,
        Register::CallRecords => filtered!(call_records, called_on, handled_by_id, f, false)
            .select((min(call_records::id), max(call_records::id)))
            .first(conn)?,
        Register::CallRegister => filtered!(call_register, called_on, handled_by_id, f, false)
            .select((min(call_register::id), max(call_register::id)))
            .first(conn)?,
        Register::LetterRegister => filtered!(letter_register, sent_on, handled_by_id, f, false)
            .select((min(letter_register::id), max(letter_register::id)))
            .first(conn)?,
    };
    Ok(match span {
        (Some(first), Some(last)) => Some((first - 1, last)),
        _ => None,
    })
}

/// How many lines of `register` the filter holds.
pub fn count(conn: &mut DbConn, register: Register, f: &LineFilter) -> QueryResult<i64> {
    match register {
        Register::Archives => filtered!(archives, archived_on, archived_by_id, f, false)
            .count()
            .get_result(conn),
        Register::CallRecords => {
            filtered!(call_records, called_on, handled_by_id, f, false, category)
                .count()
                .get_result(conn)
        }
        Register::CallRegister => {
            filtered!(call_register, called_on, handled_by_id, f, false, category)
                .count()
                .get_result(conn)
        }
        Register::LetterRegister => filtered!(letter_register, sent_on, handled_by_id, f, false)
            .count()
            .get_result(conn),
    }
}

/// Each store's id and code.
pub fn store_codes(conn: &mut DbConn) -> QueryResult<Vec<(i32, String)>> {
    stores::table.select((stores::id, stores::code)).load(conn)
}

/// Each store's id and name.
pub fn store_names(conn: &mut DbConn) -> QueryResult<Vec<(i32, String)>> {
    stores::table.select((stores::id, stores::name)).load(conn)
}

/// 客户档案: one window of archive sheets.
pub fn archives(
    conn: &mut DbConn,
    f: &LineFilter,
    w: Window,
) -> QueryResult<Vec<Amended<Archive>>> {
    let b = filtered!(archives, archived_on, archived_by_id, f, w.keyset());
    windowed!(b, archives, archive_no, w)
        .select((
            Archive::as_select(),
            archives::amends,
            archives::amend_reason,
        ))
        .load(conn)
}

/// 跟踪服务记录: one window of call records.
pub fn call_records(
    conn: &mut DbConn,
    f: &LineFilter,
    w: Window,
) -> QueryResult<Vec<Amended<CallRecord>>> {
    let b = filtered!(
        call_records,
        called_on,
        handled_by_id,
        f,
        w.keyset(),
        category
    );
    windowed!(b, call_records, record_no, w)
        .select((
            CallRecord::as_select(),
            call_records::amends,
            call_records::amend_reason,
        ))
        .load(conn)
}

/// An item as a call record's cells show it (R4b).
#[derive(Debug, Clone, Queryable)]
pub struct RaisedItem {
    pub call_record_id: i32,
    pub kind: ItemKind,
    pub text: String,
    pub status: ItemStatus,
    pub answer: Option<String>,
}

/// The items raised on these call records, in the order they were raised (one query for a
/// whole batch, not one per line).
pub fn items_raised(conn: &mut DbConn, record_ids: &[i32]) -> QueryResult<Vec<RaisedItem>> {
    items::table
        .filter(items::call_record_id.eq_any(record_ids))
        .order(items::id)
        .select((
            items::call_record_id,
            items::kind,
            items::text,
            items::status,
            items::answer,
        ))
        .load(conn)
}

/// X6: the satisfaction asked on these call records: score (None: declined) and aspects.
pub fn satisfaction_of(
    conn: &mut DbConn,
    record_ids: &[i32],
) -> QueryResult<HashMap<i32, (Option<i32>, String)>> {
    Ok(call_satisfaction::table
        .filter(call_satisfaction::call_record_id.eq_any(record_ids))
        .select((
            call_satisfaction::call_record_id,
            call_satisfaction::score,
            call_satisfaction::aspects,
        ))
        .load::<(i32, Option<i32>, String)>(conn)?
        .into_iter()
        .map(|(id, score, aspects)| (id, (score, aspects)))
        .collect())
}

/// A call-register line as the export reads it: id, store, register number, date (the
/// database's text), customer, phone, direction, category, outcome, handled by, record
/// number, amends, amend reason.
pub type CallRegisterCells = (
    i32,
    i32,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// 跟踪电话登记表: one window of lines. The busiest register (a million lines a year in a
/// dealer group): only the export's columns, the date as the database's text, no model in
/// between.
pub fn call_register(
    conn: &mut DbConn,
    f: &LineFilter,
    w: Window,
) -> QueryResult<Vec<CallRegisterCells>> {
    let b = filtered!(
        call_register,
        called_on,
        handled_by_id,
        f,
        w.keyset(),
        category
    );
    windowed!(b, call_register, register_no, w)
        .select((
            call_register::id,
            call_register::store_id,
            call_register::register_no,
            diesel::dsl::sql::<diesel::sql_types::Text>("CAST(call_register.called_on AS TEXT)"),
            call_register::customer_name,
            call_register::phone,
            call_register::direction,
            call_register::category,
            call_register::outcome,
            call_register::handled_by,
            call_register::record_no,
            call_register::amends,
            call_register::amend_reason,
        ))
        .load(conn)
}

/// 跟踪服务信函登记表: one window of letters.
pub fn letters(
    conn: &mut DbConn,
    f: &LineFilter,
    w: Window,
) -> QueryResult<Vec<Amended<LetterLine>>> {
    let b = filtered!(letter_register, sent_on, handled_by_id, f, w.keyset());
    windowed!(b, letter_register, register_no, w)
        .select((
            LetterLine::as_select(),
            letter_register::amends,
            letter_register::amend_reason,
        ))
        .load(conn)
}

// One line's page (`registers::view`) --------------------------------------------------

/// Every store's id and name, by id (a printed register names its store).
pub fn stores_by_id(conn: &mut DbConn) -> QueryResult<Vec<(i32, String)>> {
    stores::table
        .select((stores::id, stores::name))
        .order(stores::id)
        .load(conn)
}

/// The call record behind a call-register line.
pub fn record_of_register_line(conn: &mut DbConn, line_id: i32) -> QueryResult<Option<i32>> {
    call_register::table
        .find(line_id)
        .select(call_register::call_record_id)
        .first(conn)
        .optional()
}

/// A letter's text.
pub fn letter_body(conn: &mut DbConn, line_id: i32) -> QueryResult<Option<String>> {
    letter_register::table
        .find(line_id)
        .select(letter_register::body)
        .first(conn)
        .optional()
}

/// A call record, by id.
pub fn call_record(conn: &mut DbConn, id: i32) -> QueryResult<Option<CallRecord>> {
    call_records::table
        .find(id)
        .select(CallRecord::as_select())
        .first(conn)
        .optional()
}

/// The items raised on one call record, in the order they were raised.
pub fn items_of_record(
    conn: &mut DbConn,
    record_id: i32,
) -> QueryResult<Vec<crate::models::call::Item>> {
    items::table
        .filter(items::call_record_id.eq(record_id))
        .order(items::id)
        .select(crate::models::call::Item::as_select())
        .load(conn)
}
