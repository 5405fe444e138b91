//! What to export (`Query`, checked by `parse_query`), and what the register pages narrow it
//! to (`Filters`).

use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::domain::visit::parse_date;
use crate::models::register_lines::LineFilter;
use chrono::NaiveDate;

/// What to export.
#[derive(Debug, Clone)]
pub struct Query {
    pub register: Register,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub store_id: Option<i32>,
    pub lang: &'static str,
    /// Whole phone numbers, or `138****5678` (R11 privacy).
    pub phones: Phones,
}

/// Checks an export's arguments; every problem named.
pub fn parse_query(
    register: &str,
    from: Option<&str>,
    to: Option<&str>,
    lang: Option<&str>,
) -> Result<(Register, NaiveDate, NaiveDate, &'static str), FieldErrors> {
    let mut errs = FieldErrors::default();
    let r = errs.take(
        Register::parse(register)
            .ok_or_else(|| FieldError::new("register", "register-unknown").arg("value", register)),
    );
    let from = match from {
        Some(f) => errs.take(parse_date("from", f)),
        None => errs.take(Err(FieldError::new("from", "required"))),
    };
    let to = match to {
        Some(t) => errs.take(parse_date("to", t)),
        None => errs.take(Err(FieldError::new("to", "required"))),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.push(FieldError::new("from", "from-after-to"));
        }
    }
    let lang = match lang {
        None => Some(crate::i18n::DEFAULT_LANG),
        Some(l) => errs.take(
            crate::i18n::supported(Some(l))
                .ok_or_else(|| FieldError::new("lang", "lang-unknown").arg("value", l)),
        ),
    };
    errs.into_result(|| {
        (
            r.expect("checked"),
            from.expect("checked"),
            to.expect("checked"),
            lang.expect("checked"),
        )
    })
}

/// What the register pages narrow a register to, beyond the export's `Query`. Empty: every
/// line of the query.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// 经办人: who handled the line (for archives: who completed the sheet), by user id.
    pub clerk_id: Option<i32>,
    /// The call's category (`follow_up`, `complaint`, …); call registers only, else ignored.
    pub category: Option<String>,
    /// A part of the customer's name.
    pub customer: Option<String>,
    /// One line, by id (a line's own page).
    pub id: Option<i32>,
}

impl Query {
    /// The lines of the query narrowed by `f`, as the models read them.
    pub(super) fn lines(&self, f: &Filters) -> LineFilter {
        LineFilter {
            from: self.from,
            to: self.to,
            store_id: self.store_id,
            clerk_id: f.clerk_id,
            category: f.category.clone(),
            customer: f.customer.clone(),
            id: f.id,
        }
    }
}
