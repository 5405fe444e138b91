//! The one source of "today" and "now". Every rule reads this clock, never the system time.
//! It can be fixed (`--today`, `AFTERCARE_TODAY`) for tests, demos and replays: "now" is then
//! the fixed date at the real time of day.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy)]
pub struct Clock {
    tz: Tz,
    fixed: Option<NaiveDate>,
    /// Tests may also fix the time of day, so that "not in the future" does not depend on
    /// the hour a test runs at.
    fixed_time: Option<NaiveTime>,
}

impl Clock {
    pub fn new(tz: Tz, fixed: Option<NaiveDate>) -> Clock {
        Clock {
            tz,
            fixed,
            fixed_time: None,
        }
    }

    /// A clock stopped at a local date and time (tests and replays).
    pub fn at(tz: Tz, local: NaiveDateTime) -> Clock {
        Clock {
            tz,
            fixed: Some(local.date()),
            fixed_time: Some(local.time()),
        }
    }

    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The fixed business date, if any (shown as a banner on every page).
    pub fn fixed(&self) -> Option<NaiveDate> {
        self.fixed
    }

    /// Now, in the shop's local time.
    /// The local time now as a form's `datetime-local` value (to the minute): what a time
    /// field starts with.
    pub fn now_for_form(&self) -> String {
        self.now_local().format("%Y-%m-%dT%H:%M").to_string()
    }

    pub fn now_local(&self) -> NaiveDateTime {
        let real = Utc::now().with_timezone(&self.tz).naive_local();
        match self.fixed {
            Some(d) => d.and_time(self.fixed_time.unwrap_or(real.time())),
            None => real,
        }
    }

    /// Now, in UTC (what is stored).
    pub fn now_utc(&self) -> NaiveDateTime {
        self.to_utc(self.now_local())
    }

    /// Today's local business date.
    pub fn today(&self) -> NaiveDate {
        self.now_local().date()
    }

    /// A local wall-clock time to UTC. In a DST gap or fold the earlier instant is taken.
    pub fn to_utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        match self.tz.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.naive_utc(),
            chrono::LocalResult::None => self
                .tz
                .from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
                .map(|t| t.naive_utc())
                .unwrap_or(local),
        }
    }

    /// A stored UTC time as local wall-clock time.
    pub fn to_local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        Utc.from_utc_datetime(&utc)
            .with_timezone(&self.tz)
            .naive_local()
    }

    /// The local date of a stored UTC time (what `*_on` columns hold).
    pub fn local_date(&self, utc: NaiveDateTime) -> NaiveDate {
        self.to_local(utc).date()
    }

    /// A stored UTC time with the shop's offset, for JSON output.
    pub fn with_offset(&self, utc: NaiveDateTime) -> DateTime<FixedOffset> {
        Utc.from_utc_datetime(&utc)
            .with_timezone(&self.tz)
            .fixed_offset()
    }

    /// An instant given with an explicit offset, as local wall-clock time.
    pub fn offset_to_local(&self, t: DateTime<FixedOffset>) -> NaiveDateTime {
        t.with_timezone(&self.tz).naive_local()
    }
}

/// The machine's own date, only for messages where no shop time zone applies.
pub fn machine_today() -> NaiveDate {
    Local::now().date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_keeps_the_date() {
        let d: NaiveDate = "2026-03-01".parse().unwrap();
        let c = Clock::new(chrono_tz::Asia::Shanghai, Some(d));
        assert_eq!(c.today(), d);
        assert_eq!(c.local_date(c.now_utc()), d);
    }

    #[test]
    fn local_dates_follow_the_shop_time_zone() {
        let c = Clock::new(chrono_tz::Asia::Shanghai, None);
        // 17:30 UTC on 31 December is already 1 January in Shanghai.
        let utc: NaiveDateTime = "2026-12-31T17:30:00".parse().unwrap();
        assert_eq!(
            c.local_date(utc),
            "2027-01-01".parse::<NaiveDate>().unwrap()
        );
        assert_eq!(c.to_utc(c.to_local(utc)), utc);
    }
}
