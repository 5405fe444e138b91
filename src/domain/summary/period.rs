//! The period a summary is of: a month (小结) or a year (总结), parsed from its text, with its
//! days, the one before it and the drafts due on a given day.

use crate::domain::error::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A month (小结) or a year (总结).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Monthly,
    Yearly,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Monthly => "monthly",
            Kind::Yearly => "yearly",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "monthly" => Some(Kind::Monthly),
            "yearly" => Some(Kind::Yearly),
            _ => None,
        }
    }
}

/// The period of a summary: `YYYY-MM` or `YYYY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: Kind,
    pub year: i32,
    /// 1–12 for a month, `None` for a year.
    pub month: Option<u32>,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period {
            kind: Kind::Monthly,
            year,
            month: Some(month),
        }
    }

    pub fn year(year: i32) -> Period {
        Period {
            kind: Kind::Yearly,
            year,
            month: None,
        }
    }

    /// `YYYY-MM` (a month) or `YYYY` (a year), as `kind` asks; a period that has not begun by
    /// `today` is refused, named as the field `period`.
    pub fn parse(kind: Kind, s: &str, today: NaiveDate) -> Result<Period, FieldError> {
        let s = s.trim();
        let bad = || {
            FieldError::new("period", "summary-period-invalid")
                .arg("value", s)
                .arg(
                    "format",
                    if kind == Kind::Monthly {
                        "YYYY-MM"
                    } else {
                        "YYYY"
                    },
                )
        };
        let year_of = |y: &str| -> Option<i32> {
            (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
                .then(|| y.parse().ok())
                .flatten()
                .filter(|y| (1900..=9999).contains(y))
        };
        let p = match kind {
            Kind::Monthly => {
                let (y, m) = s.split_once('-').ok_or_else(bad)?;
                let year = year_of(y).ok_or_else(bad)?;
                if m.len() != 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(bad());
                }
                let month: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Period::month(year, month)
            }
            Kind::Yearly => Period::year(year_of(s).ok_or_else(bad)?),
        };
        if p.first() > today {
            return Err(FieldError::new("period", "summary-period-future").arg("value", s));
        }
        Ok(p)
    }

    /// The first day of the period.
    pub fn first(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), 1).expect("a valid period")
    }

    /// The last day of the period (inclusive).
    pub fn last(&self) -> NaiveDate {
        match self.month {
            Some(m) => {
                let (y, m) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.pred_opt())
                    .expect("a valid period")
            }
            None => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("a valid year"),
        }
    }

    /// The period before: last month, or last year.
    pub fn previous(&self) -> Period {
        match self.month {
            Some(1) => Period::month(self.year - 1, 12),
            Some(m) => Period::month(self.year, m - 1),
            None => Period::year(self.year - 1),
        }
    }

    /// The months of a year (a month is its own only month).
    pub fn months(&self) -> Vec<Period> {
        match self.month {
            Some(_) => vec![*self],
            None => (1..=12).map(|m| Period::month(self.year, m)).collect(),
        }
    }

    /// The date up to which the period is counted: its last day, or today while it runs.
    pub fn as_of(&self, today: NaiveDate) -> NaiveDate {
        self.last().min(today)
    }

    /// Whether the period is over on `today` (only a finished period can be filed).
    pub fn is_over(&self, today: NaiveDate) -> bool {
        self.last() < today
    }

    /// The drafts the scheduler stores (from the 1st on): last month's, and in January also
    /// last year's. Asked again later in the month it names the same periods, so a run that
    /// catches up after downtime drafts them too (and an existing draft is kept).
    pub fn drafts_due(today: NaiveDate) -> Vec<Period> {
        let last_month = Period::month(today.year(), today.month()).previous();
        let mut v = vec![last_month];
        if today.month() == 1 {
            v.push(Period::year(today.year() - 1));
        }
        v
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.month {
            Some(m) => write!(f, "{:04}-{:02}", self.year, m),
            None => write!(f, "{:04}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn r10_periods_parse_and_refuse_the_future_and_malformed() {
        let today = d("2026-11-28");
        let p = Period::parse(Kind::Monthly, "2026-02", today).unwrap();
        assert_eq!((p.first(), p.last()), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(p.previous().to_string(), "2026-01");
        assert_eq!(Period::month(2026, 1).previous().to_string(), "2025-12");
        assert!(Period::parse(Kind::Monthly, "2026-11", today).is_ok());
        for bad in [
            "2026-13", "2026-1", "26-01", "2026/01", "", "2026-00", "abcd-ef",
        ] {
            let e = Period::parse(Kind::Monthly, bad, today).unwrap_err();
            assert_eq!(e.code, "summary-period-invalid", "{bad}");
        }
        let e = Period::parse(Kind::Monthly, "2026-12", today).unwrap_err();
        assert_eq!(e.code, "summary-period-future");
        let y = Period::parse(Kind::Yearly, "2025", today).unwrap();
        assert_eq!((y.first(), y.last()), (d("2025-01-01"), d("2025-12-31")));
        assert_eq!(y.months().len(), 12);
        assert_eq!(
            Period::parse(Kind::Yearly, "2027", today).unwrap_err().code,
            "summary-period-future"
        );
        assert!(!Period::month(2026, 11).is_over(today));
        assert!(Period::month(2026, 10).is_over(today));
        assert_eq!(Period::month(2026, 11).as_of(today), today);
    }

    #[test]
    fn r10_the_first_of_the_month_drafts_last_month_and_january_last_year() {
        assert_eq!(
            Period::drafts_due(d("2026-03-01")),
            vec![Period::month(2026, 2)]
        );
        assert_eq!(
            Period::drafts_due(d("2026-03-09")),
            vec![Period::month(2026, 2)]
        );
        assert_eq!(
            Period::drafts_due(d("2027-01-01")),
            vec![Period::month(2026, 12), Period::year(2026)]
        );
    }
}
