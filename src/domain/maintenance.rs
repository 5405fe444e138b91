//! X3: the next maintenance date (A10). In order of precedence: the date entered on the
//! archive; else, with an interval in km and two odometer readings, the date estimated from the
//! average daily distance over the last two visits; else the visit date + the interval in days.

use chrono::{Days, NaiveDate};

/// An odometer reading on a visit date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    pub on: NaiveDate,
    pub km: i32,
}

pub fn next_maintenance_date(
    entered: Option<NaiveDate>,
    visit_date: NaiveDate,
    interval_days: Option<i32>,
    interval_km: Option<i32>,
    previous: Option<Reading>,
    current: Option<Reading>,
) -> Option<NaiveDate> {
    if entered.is_some() {
        return entered;
    }
    if let (Some(km), Some(prev), Some(cur)) = (interval_km, previous, current) {
        let days = (cur.on - prev.on).num_days();
        let driven = i64::from(cur.km - prev.km);
        if days > 0 && driven > 0 {
            // Days to drive `km` at the average daily distance, rounded down so that the
            // reminder comes before the interval is used up rather than after.
            let estimate = (i64::from(km) * days) / driven;
            let estimate = estimate.clamp(1, 3650) as u64;
            let by_km = cur.on.checked_add_days(Days::new(estimate));
            // With both intervals, maintenance is due at whichever comes first.
            let by_days =
                interval_days.and_then(|d| visit_date.checked_add_days(Days::new(d as u64)));
            return match (by_km, by_days) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    interval_days.and_then(|d| visit_date.checked_add_days(Days::new(d.max(0) as u64)))
}

/// X3: a reading lower than the one before is a typing error.
pub fn reading_goes_back(previous_km: Option<i32>, km: i32) -> bool {
    previous_km.is_some_and(|p| km < p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn x3_entered_date_wins() {
        assert_eq!(
            next_maintenance_date(
                Some(d("2027-01-01")),
                d("2026-11-01"),
                Some(180),
                None,
                None,
                None
            ),
            Some(d("2027-01-01"))
        );
    }

    #[test]
    fn x3_estimate_from_two_readings() {
        // 3,000 km in 100 days = 30 km a day; 5,000 km take 166 days.
        let prev = Reading {
            on: d("2026-07-24"),
            km: 10_000,
        };
        let cur = Reading {
            on: d("2026-11-01"),
            km: 13_000,
        };
        assert_eq!(
            next_maintenance_date(
                None,
                d("2026-11-01"),
                None,
                Some(5000),
                Some(prev),
                Some(cur)
            ),
            Some(d("2027-04-16"))
        );
    }

    #[test]
    fn x3_falls_back_to_the_interval_in_days() {
        assert_eq!(
            next_maintenance_date(None, d("2026-11-01"), Some(180), Some(5000), None, None),
            Some(d("2027-04-30"))
        );
        assert_eq!(
            next_maintenance_date(None, d("2026-11-01"), None, None, None, None),
            None
        );
    }

    #[test]
    fn x3_lower_reading_is_a_typing_error() {
        assert!(reading_goes_back(Some(12_000), 11_999));
        assert!(!reading_goes_back(Some(12_000), 12_000));
        assert!(!reading_goes_back(None, 5));
    }
}
