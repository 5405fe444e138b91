//! What a register request asks for: the query string (`RegisterQuery`), checked into the
//! export's query and filters (every bad value named), the default and quick date ranges,
//! whose phone numbers the reader sees, and the filters written back into links.

use crate::domain::call::Category;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::domain::role::Role;
use crate::registers::export::{self, Filters, Query};
use crate::web::auth::Auth;
use crate::web::{given, page_number, AppError, AppResult};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// `/registers/{register}?from=&to=&clerk=&category=&customer=&page=` (`lang=` for the CSV).
#[derive(Debug, Default, Deserialize)]
pub struct RegisterQuery {
    from: Option<String>,
    to: Option<String>,
    clerk: Option<String>,
    category: Option<String>,
    customer: Option<String>,
    page: Option<String>,
}

pub(super) fn is_call(r: Register) -> bool {
    matches!(r, Register::CallRecords | Register::CallRegister)
}

/// The current month of the app's clock: the default range.
pub(super) fn this_month(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = today.with_day(1).expect("day 1");
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .expect("a next month");
    (first, next.pred_opt().expect("a last day"))
}

/// The ranges an auditor picks most, a click away: this month, last month (what an audit early
/// in a month is about) and the year so far.
pub(super) fn quick_ranges(today: NaiveDate) -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    let (first, last) = this_month(today);
    let prev = this_month(first.pred_opt().expect("a day before"));
    let year = today.with_ordinal(1).expect("day 1 of the year");
    vec![
        ("registers-range-this-month", first, last),
        ("registers-range-last-month", prev.0, prev.1),
        ("registers-range-this-year", year, today),
    ]
}

/// What a request asks for, checked: the export's query (the reader's store), the filters,
/// the page. Every bad value is named (a 422).
pub(super) fn parse(
    register: &str,
    p: &RegisterQuery,
    me: &Auth,
    today: NaiveDate,
    lang: &'static str,
) -> AppResult<(Query, Filters, i64)> {
    let (first, last) = this_month(today);
    let (first, last) = (first.to_string(), last.to_string());
    let mut errs = FieldErrors::default();
    let parsed = match export::parse_query(
        register,
        Some(given(&p.from).unwrap_or(&first)),
        Some(given(&p.to).unwrap_or(&last)),
        Some(lang),
    ) {
        Ok(v) => Some(v),
        Err(e) => {
            errs.0.extend(e.0);
            None
        }
    };
    let clerk_id = match given(&p.clerk) {
        None => None,
        Some(c) => errs.take(
            c.parse::<i32>()
                .map_err(|_| FieldError::new("clerk", "number-invalid").arg("value", c)),
        ),
    };
    let category = match given(&p.category) {
        Some(c) if parsed.is_some_and(|(r, ..)| is_call(r)) => errs.take(
            Category::parse(c)
                .map(|c| c.as_str().to_string())
                .ok_or_else(|| FieldError::new("category", "category-unknown").arg("value", c)),
        ),
        _ => None,
    };
    let page = errs.take(page_number(&p.page));
    if !errs.is_empty() {
        return Err(AppError::Invalid(errs));
    }
    let (register, from, to, lang) = parsed.expect("checked");
    Ok((
        Query {
            register,
            from,
            to,
            store_id: me.user.store_id,
            lang,
            phones: page_phones(me),
        },
        Filters {
            clerk_id,
            category,
            customer: given(&p.customer).map(str::to_string),
            id: None,
        },
        page.expect("checked"),
    ))
}

/// The query string of a request's filters (for the pager, print and export links).
pub(super) fn filter_query(q: &Query, f: &Filters) -> String {
    let mut s = format!("from={}&to={}", q.from, q.to);
    if let Some(c) = f.clerk_id {
        s.push_str(&format!("&clerk={c}"));
    }
    if let Some(c) = &f.category {
        s.push_str(&format!("&category={}", crate::web::urlencode(c)));
    }
    if let Some(c) = &f.customer {
        s.push_str(&format!("&customer={}", crate::web::urlencode(c)));
    }
    s
}

/// Supervisors read registers with whole phone numbers; auditors and admins masked (R11).
pub(super) fn page_phones(me: &Auth) -> Phones {
    if me.user.role == Role::Supervisor {
        Phones::Full
    } else {
        Phones::Masked
    }
}
