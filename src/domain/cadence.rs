//! Windows and deadlines of RULES.md, computed from a date and the shop's cadence settings.
//! "Within N days" after local date D means by the end of D+N, in calendar days; a window
//! "from D+a to D+b" is inclusive at both ends. Every offset is a setting (`Cadence`) whose
//! default is the regulation's value, so a shop changes configuration, not code.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// An inclusive range of local dates in which a task is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The cadence offsets, in days. Field names are the configuration keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cadence {
    /// R2: archive within this many days of the visit or consultation.
    pub archive_days: u32,
    /// R4: first follow-up window, days after pick-up or consultation.
    pub first_follow_up_from_days: u32,
    pub first_follow_up_to_days: u32,
    /// R5: second follow-up window, days after the first follow-up ended.
    pub second_follow_up_from_days: u32,
    pub second_follow_up_to_days: u32,
    /// R3: days a planned contact stays due after its planned date.
    pub planned_contact_days: u32,
    /// N1: the maintenance reminder opens this many days before A10.
    pub maintenance_reminder_lead_days: u32,
    /// R4c: escalate an open item within this many days of the call.
    pub escalation_days: u32,
    /// R4d: tell the customer within this many days of the solution (0 = the same day).
    pub solution_call_days: u32,
    /// R6: notice call at least this many days before the event starts.
    pub event_notice_lead_days: u32,
    /// R6: letter within this many days of the notice call.
    pub event_letter_days: u32,
    /// X1: letter within this many days of closing a task as unreachable.
    pub unreachable_letter_days: u32,
    /// X1: failed attempts after which a task may be closed as unreachable.
    pub unreachable_after_attempts: u32,
    /// The queue shows tasks whose window starts within this many days.
    pub queue_lookahead_days: u32,
    /// X5: a reminded customer who visits within this many days of A10 counts as returned.
    pub return_window_days: u32,
    /// X7: a customer whose A10 passed more than this many days ago with no visit since is
    /// lost; the win-back job opens at most one task a customer per this many days.
    pub lost_after_days: u32,
    /// X7: the win-back task's window, days after the job found the customer lost.
    pub win_back_days: u32,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence {
            archive_days: 2,
            first_follow_up_from_days: 3,
            first_follow_up_to_days: 7,
            second_follow_up_from_days: 7,
            second_follow_up_to_days: 14,
            planned_contact_days: 2,
            maintenance_reminder_lead_days: 7,
            escalation_days: 2,
            solution_call_days: 0,
            event_notice_lead_days: 14,
            event_letter_days: 2,
            unreachable_letter_days: 2,
            unreachable_after_attempts: 3,
            queue_lookahead_days: 7,
            return_window_days: 30,
            lost_after_days: 90,
            win_back_days: 14,
        }
    }
}

fn plus(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(n.into()))
        .unwrap_or(NaiveDate::MAX)
}

fn minus(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(Days::new(n.into()))
        .unwrap_or(NaiveDate::MIN)
}

impl Cadence {
    /// The offsets must make sense together; names the first key that does not.
    pub fn check(&self) -> Result<(), String> {
        if self.first_follow_up_from_days > self.first_follow_up_to_days {
            return Err("first_follow_up_from_days > first_follow_up_to_days".into());
        }
        if self.second_follow_up_from_days > self.second_follow_up_to_days {
            return Err("second_follow_up_from_days > second_follow_up_to_days".into());
        }
        Ok(())
    }

    /// R2: the archive of a visit checked in (or a consultation held) on `d`: D … D+2.
    pub fn archive(&self, d: NaiveDate) -> Window {
        Window {
            start: d,
            end: plus(d, self.archive_days),
        }
    }

    /// R4: the first follow-up after pick-up (or consultation) on `p`: P+3 … P+7.
    pub fn first_follow_up(&self, p: NaiveDate) -> Window {
        Window {
            start: plus(p, self.first_follow_up_from_days),
            end: plus(p, self.first_follow_up_to_days),
        }
    }

    /// R5: the second follow-up after the first ended on `f`: F+7 … F+14.
    pub fn second_follow_up(&self, f: NaiveDate) -> Window {
        Window {
            start: plus(f, self.second_follow_up_from_days),
            end: plus(f, self.second_follow_up_to_days),
        }
    }

    /// R3: a planned contact on its planned date: date … date+2.
    pub fn planned_contact(&self, date: NaiveDate) -> Window {
        Window {
            start: date,
            end: plus(date, self.planned_contact_days),
        }
    }

    /// N1: the maintenance reminder for next maintenance date A10: A10−7 … A10.
    pub fn maintenance_reminder(&self, a10: NaiveDate) -> Window {
        Window {
            start: minus(a10, self.maintenance_reminder_lead_days),
            end: a10,
        }
    }

    /// R4c: escalate an item left open on a call on `c`: C … C+2.
    pub fn escalation(&self, c: NaiveDate) -> Window {
        Window {
            start: c,
            end: plus(c, self.escalation_days),
        }
    }

    /// R4d: tell the customer of a solution recorded on `s`: S … S.
    pub fn solution_call(&self, s: NaiveDate) -> Window {
        Window {
            start: s,
            end: plus(s, self.solution_call_days),
        }
    }

    /// R6: the notice call for an event starting on `e`, invited on `invited`: invited … E−14.
    /// An invitation later than E−14 gives a window that ends before it starts: late from the
    /// start, and counted so.
    pub fn event_notice(&self, invited: NaiveDate, e: NaiveDate) -> Window {
        Window {
            start: invited,
            end: minus(e, self.event_notice_lead_days),
        }
    }

    /// R6: the letter after a notice call on `p`: P … P+2.
    pub fn event_letter(&self, p: NaiveDate) -> Window {
        Window {
            start: p,
            end: plus(p, self.event_letter_days),
        }
    }

    /// X1: the letter after a task was closed as unreachable on `u`: U … U+2.
    pub fn unreachable_letter(&self, u: NaiveDate) -> Window {
        Window {
            start: u,
            end: plus(u, self.unreachable_letter_days),
        }
    }

    /// X7: the win-back call for a customer found lost on `l`: L … L+14.
    pub fn win_back(&self, l: NaiveDate) -> Window {
        Window {
            start: l,
            end: plus(l, self.win_back_days),
        }
    }

    /// X7: whether a customer whose latest visit had A10 `a10` is lost on `on`: A10 is more
    /// than `lost_after_days` past (a later visit would be the latest, with its own A10).
    pub fn is_lost(&self, a10: NaiveDate, on: NaiveDate) -> bool {
        a10 < self.lost_since(on)
    }

    /// X7: the date before which an A10 makes a customer lost on `on`.
    pub fn lost_since(&self, on: NaiveDate) -> NaiveDate {
        minus(on, self.lost_after_days)
    }

    /// The last window start that the queue for `d` shows.
    pub fn queue_horizon(&self, d: NaiveDate) -> NaiveDate {
        plus(d, self.queue_lookahead_days)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn r2_archive_is_due_by_the_end_of_d_plus_2() {
        let c = Cadence::default();
        assert_eq!(
            c.archive(d("2026-12-30")),
            Window {
                start: d("2026-12-30"),
                end: d("2027-01-01")
            }
        );
        assert_eq!(
            c.archive(d("2028-02-28")),
            Window {
                start: d("2028-02-28"),
                end: d("2028-03-01")
            }
        );
    }

    #[test]
    fn r4_first_follow_up_window_is_p_plus_3_to_7() {
        let c = Cadence::default();
        assert_eq!(
            c.first_follow_up(d("2026-01-28")),
            Window {
                start: d("2026-01-31"),
                end: d("2026-02-04")
            }
        );
    }

    #[test]
    fn r5_second_follow_up_window_is_f_plus_7_to_14() {
        let c = Cadence::default();
        assert_eq!(
            c.second_follow_up(d("2026-12-20")),
            Window {
                start: d("2026-12-27"),
                end: d("2027-01-03")
            }
        );
    }

    #[test]
    fn n1_maintenance_reminder_window_ends_on_a10() {
        let c = Cadence::default();
        assert_eq!(
            c.maintenance_reminder(d("2027-01-03")),
            Window {
                start: d("2026-12-27"),
                end: d("2027-01-03")
            }
        );
    }

    #[test]
    fn cadence_offsets_come_from_configuration() {
        let c = Cadence {
            archive_days: 1,
            first_follow_up_from_days: 1,
            first_follow_up_to_days: 2,
            ..Cadence::default()
        };
        assert_eq!(c.archive(d("2026-05-01")).end, d("2026-05-02"));
        assert_eq!(
            c.first_follow_up(d("2026-05-01")),
            Window {
                start: d("2026-05-02"),
                end: d("2026-05-03")
            }
        );
        assert!(Cadence {
            first_follow_up_from_days: 9,
            ..Cadence::default()
        }
        .check()
        .is_err());
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        // Any day from 2000 to 2099, so month ends, leap days and year ends all come up.
        (0i64..36_500).prop_map(|n| d("2000-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        #[test]
        fn r2_archive_window_spans_exactly_archive_days(day in any_date(), n in 0u32..10) {
            let c = Cadence { archive_days: n, ..Cadence::default() };
            let w = c.archive(day);
            prop_assert_eq!(w.start, day);
            prop_assert_eq!((w.end - w.start).num_days(), i64::from(n));
        }

        #[test]
        fn r4_r5_windows_are_in_calendar_days_across_month_and_year_ends(day in any_date()) {
            let c = Cadence::default();
            let first = c.first_follow_up(day);
            prop_assert_eq!((first.start - day).num_days(), 3);
            prop_assert_eq!((first.end - day).num_days(), 7);
            let second = c.second_follow_up(day);
            prop_assert_eq!((second.start - day).num_days(), 7);
            prop_assert_eq!((second.end - day).num_days(), 14);
        }
    }
}
