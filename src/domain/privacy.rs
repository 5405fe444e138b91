//! R11 privacy: who sees a customer's whole phone number, how an export shows phones, how long
//! an export may reach, and when a customer's data is due for anonymisation. Pure rules; the
//! database side is `services::privacy`.

use super::error::FieldError;
use super::phone::Phone;
use super::role::Role;
use super::task::text_enum;
use chrono::{Datelike, NaiveDate};

text_enum!(
    /// Why a customer was anonymised: they asked (a supervisor records it), or the retention
    /// period after their last visit ran out (the scheduled job).
    AnonymisationSource { Request = "request", Retention = "retention" }
);

/// What one user may see of phone numbers, decided once per request: a supervisor sees every
/// number of their store; a clerk sees the numbers of their own customers and of the
/// customers of a colleague they cover today (R9); everybody else — auditors, admins, a clerk
/// looking at another clerk's customer — sees `138****5678` unless they reveal it (logged).
#[derive(Debug, Clone, Default)]
pub struct PhoneSight {
    pub all: bool,
    pub clerks: Vec<i32>,
}

impl PhoneSight {
    /// `me` is the user (None for the command line, which acts with administrator rights on
    /// the database file itself and so sees everything); `covered` the clerks `me` covers.
    pub fn new(role: Role, me: Option<i32>, covered: Vec<i32>) -> PhoneSight {
        match (role, me) {
            (_, None) | (Role::Supervisor, _) => PhoneSight {
                all: true,
                clerks: vec![],
            },
            (Role::Clerk, Some(id)) => {
                let mut clerks = covered;
                clerks.push(id);
                PhoneSight { all: false, clerks }
            }
            _ => PhoneSight::default(),
        }
    }

    pub fn may_see(&self, clerk_id: Option<i32>) -> bool {
        self.all || clerk_id.is_some_and(|c| self.clerks.contains(&c))
    }

    /// The stored number as this user may see it, for a customer of `clerk_id`.
    pub fn show(&self, clerk_id: Option<i32>, stored: &str) -> String {
        shown(self.may_see(clerk_id), stored)
    }
}

/// A stored number, whole or masked.
pub fn shown(visible: bool, stored: &str) -> String {
    let p = Phone::from_stored(stored);
    if visible {
        p.to_string()
    } else {
        p.masked()
    }
}

/// How an export shows phone numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phones {
    Masked,
    Full,
}

impl Phones {
    pub fn parse(v: Option<&str>) -> Result<Option<Phones>, FieldError> {
        match v.map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some("masked") => Ok(Some(Phones::Masked)),
            Some("full") => Ok(Some(Phones::Full)),
            Some(other) => Err(FieldError::new("phones", "phones-unknown").arg("value", other)),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Phones::Masked => "masked",
            Phones::Full => "full",
        }
    }
}

/// The character set of a CSV export: UTF-8 with a BOM (Excel today), or GB18030 for old
/// Excel versions that open CSV files in the system code page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Gb18030,
}

impl Encoding {
    pub fn parse(v: Option<&str>) -> Result<Encoding, FieldError> {
        match v.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("") | Some("utf-8") | Some("utf8") => Ok(Encoding::Utf8),
            Some("gb18030") => Ok(Encoding::Gb18030),
            Some(_) => Err(FieldError::new("encoding", "encoding-unknown")
                .arg("value", v.unwrap_or_default().trim())),
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "gb18030",
        }
    }

    pub fn charset(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Gb18030 => "GB18030",
        }
    }
}

/// Days an export covers, both ends included.
pub fn range_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

/// An export longer than `max_days` needs a supervisor (or the command line): auditors read
/// one year at a time, so a stolen auditor session cannot drain the whole history at once.
pub fn check_range(
    role: Role,
    from: NaiveDate,
    to: NaiveDate,
    max_days: u32,
) -> Result<(), FieldError> {
    let days = range_days(from, to);
    if role != Role::Supervisor && max_days > 0 && days > i64::from(max_days) {
        return Err(FieldError::new("to", "range-too-long")
            .arg("days", days.to_string())
            .arg("max", max_days.to_string()));
    }
    Ok(())
}

/// Customers whose last visit is before this date are due for anonymisation (`years` of
/// retention; 0 = never). 29 February falls back to 28 February.
pub fn retention_cutoff(today: NaiveDate, years: u32) -> Option<NaiveDate> {
    if years == 0 {
        return None;
    }
    let y = today.year() - years as i32;
    today
        .with_year(y)
        .or_else(|| NaiveDate::from_ymd_opt(y, today.month(), 28))
}

/// What an anonymised customer's personal fields become; the customer's number keeps the
/// line readable ("匿名客户 #42") without saying who it was.
pub const ANONYMOUS_PHONE: &str = "00000000000";

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn r11_phones_are_masked_for_all_but_the_clerk_their_cover_and_supervisors() {
        let clerk = PhoneSight::new(Role::Clerk, Some(7), vec![9]);
        assert_eq!(clerk.show(Some(7), "13812345678"), "13812345678");
        assert_eq!(clerk.show(Some(9), "13812345678"), "13812345678");
        assert_eq!(clerk.show(Some(8), "13812345678"), "138****5678");
        assert_eq!(clerk.show(None, "13812345678"), "138****5678");
        let sup = PhoneSight::new(Role::Supervisor, Some(1), vec![]);
        assert_eq!(sup.show(Some(8), "13812345678"), "13812345678");
        for role in [Role::Auditor, Role::Admin] {
            assert_eq!(
                PhoneSight::new(role, Some(2), vec![]).show(Some(2), "13812345678"),
                "138****5678"
            );
        }
        assert!(PhoneSight::new(Role::Admin, None, vec![]).may_see(None));
    }

    #[test]
    fn r11_export_range_is_limited_for_all_but_supervisors() {
        let (f, t) = (d("2025-01-01"), d("2026-06-30"));
        assert!(check_range(Role::Supervisor, f, t, 366).is_ok());
        let e = check_range(Role::Auditor, f, t, 366).unwrap_err();
        assert_eq!((e.field.as_str(), e.code), ("to", "range-too-long"));
        assert!(check_range(Role::Auditor, d("2025-01-01"), d("2025-12-31"), 366).is_ok());
        assert!(check_range(Role::Auditor, f, t, 0).is_ok());
    }

    #[test]
    fn r11_retention_cutoff_counts_whole_years_back() {
        assert_eq!(retention_cutoff(d("2026-11-28"), 0), None);
        assert_eq!(retention_cutoff(d("2026-11-28"), 5), Some(d("2021-11-28")));
        assert_eq!(retention_cutoff(d("2028-02-29"), 1), Some(d("2027-02-28")));
    }

    #[test]
    fn r11_export_options_are_parsed_with_named_errors() {
        assert_eq!(Encoding::parse(Some("GB18030")).unwrap(), Encoding::Gb18030);
        assert_eq!(Encoding::parse(None).unwrap(), Encoding::Utf8);
        assert_eq!(
            Encoding::parse(Some("latin1")).unwrap_err().code,
            "encoding-unknown"
        );
        assert_eq!(Phones::parse(Some("full")).unwrap(), Some(Phones::Full));
        assert_eq!(Phones::parse(Some("x")).unwrap_err().field, "phones");
    }
}
