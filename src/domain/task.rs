//! Task kinds, stored statuses, computed states and timeliness (RULES.md, "Tasks").

use super::cadence::Window;
use chrono::NaiveDate;

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }
        impl serde::Serialize for $name {
            /// As its stored text (`on_time`, `first_follow_up`), the same in JSON and SQL.
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// What a task asks for; CONTRACT.md's task `kind`.
    TaskKind {
        Archive = "archive",
        FirstFollowUp = "first_follow_up",
        SecondFollowUp = "second_follow_up",
        PlannedContact = "planned_contact",
        MaintenanceReminder = "maintenance_reminder",
        Escalation = "escalation",
        SolutionCall = "solution_call",
        EventNotice = "event_notice",
        EventLetter = "event_letter",
        UnreachableLetter = "unreachable_letter",
        WinBack = "win_back",
    }
);

text_enum!(
    /// Stored: `open`, `done` (its "done by" happened) or `closed` (ended without it).
    TaskStatus { Open = "open", Done = "done", Closed = "closed" }
);

text_enum!(
    /// Why a task was closed without being done (`returned`, X7: the lost customer came back
    /// before the win-back call was made).
    CloseReason {
        Unreachable = "unreachable",
        RefusesChannel = "refuses_channel",
        Waived = "waived",
        Anonymised = "anonymised",
        EventCancelled = "event_cancelled",
        Superseded = "superseded",
        Returned = "returned",
    }
);

text_enum!(
    /// Never stored: computed for an asked date.
    TaskState { Upcoming = "upcoming", Due = "due", Overdue = "overdue" }
);

text_enum!(
    /// How a done or closed task stands against its window.
    Timeliness { Early = "early", OnTime = "on_time", Late = "late", Missed = "missed" }
);

impl CloseReason {
    /// Closed for a reason that is not the clerk's to answer for (X4, anonymised, a cancelled
    /// event, superseded): in the summaries neither due nor missed.
    pub const EXCUSED: [CloseReason; 4] = [
        CloseReason::RefusesChannel,
        CloseReason::Anonymised,
        CloseReason::EventCancelled,
        CloseReason::Superseded,
    ];
}

/// `state_on` as SQL, for the summaries' counting on either backend: where the date `date`
/// lies against the window `start`…`end` — `-1` before (upcoming), `0` inside (due), `1`
/// after (overdue), `9` when `date` is NULL. Dates are compared as dates (ISO text on SQLite).
pub fn position_sql(date: &str, start: &str, end: &str) -> String {
    format!(
        "CASE WHEN {date} IS NULL THEN 9 WHEN {date} < {start} THEN -1 WHEN {date} > {end} THEN 1 ELSE 0 END"
    )
}

/// `timeliness` as an SQL condition, for the summaries: `status` the stored status, `pos`
/// where `done_on` lies (`position_sql`), `excused` the condition that the close reason is one
/// of `CloseReason::EXCUSED` (excused closes are not missed), `open_ended` the condition that
/// an open task's window ended before the end of the period being reported.
pub fn timeliness_sql(
    t: Timeliness,
    status: &str,
    pos: &str,
    excused: &str,
    open_ended: &str,
) -> String {
    let done = TaskStatus::Done.as_str();
    match t {
        Timeliness::Early => format!("({status} = '{done}' AND {pos} = -1)"),
        Timeliness::OnTime => format!("({status} = '{done}' AND {pos} = 0)"),
        Timeliness::Late => format!("({status} = '{done}' AND {pos} = 1)"),
        Timeliness::Missed => format!(
            "(({status} = '{}' AND NOT ({excused})) OR ({status} = '{}' AND {open_ended}))",
            TaskStatus::Closed.as_str(),
            TaskStatus::Open.as_str()
        ),
    }
}

/// The SQL condition that `reason` (text, '' for none) is one of `CloseReason::EXCUSED`.
pub fn excused_sql(reason: &str) -> String {
    let list: Vec<String> = CloseReason::EXCUSED
        .iter()
        .map(|r| format!("'{}'", r.as_str()))
        .collect();
    format!("{reason} IN ({})", list.join(", "))
}

/// The state of an open task on date `on`: before, inside or after its window.
pub fn state_on(window: Window, on: NaiveDate) -> TaskState {
    if on < window.start {
        TaskState::Upcoming
    } else if on <= window.end {
        TaskState::Due
    } else {
        TaskState::Overdue
    }
}

/// Timeliness of a task at the end of a reporting period (`period_end`, inclusive).
/// `done_on` is the local date the task was done; `None` when it is not done.
pub fn timeliness(
    window: Window,
    status: TaskStatus,
    done_on: Option<NaiveDate>,
    period_end: NaiveDate,
) -> Option<Timeliness> {
    match (status, done_on) {
        (TaskStatus::Done, Some(d)) if d < window.start => Some(Timeliness::Early),
        (TaskStatus::Done, Some(d)) if d <= window.end => Some(Timeliness::OnTime),
        (TaskStatus::Done, Some(_)) => Some(Timeliness::Late),
        (TaskStatus::Closed, _) => Some(Timeliness::Missed),
        _ if period_end > window.end => Some(Timeliness::Missed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn states_are_inclusive_at_both_ends() {
        let w = Window {
            start: d("2026-03-04"),
            end: d("2026-03-08"),
        };
        assert_eq!(state_on(w, d("2026-03-03")), TaskState::Upcoming);
        assert_eq!(state_on(w, d("2026-03-04")), TaskState::Due);
        assert_eq!(state_on(w, d("2026-03-08")), TaskState::Due);
        assert_eq!(state_on(w, d("2026-03-09")), TaskState::Overdue);
    }

    #[test]
    fn timeliness_of_done_closed_and_open_tasks() {
        let w = Window {
            start: d("2026-03-04"),
            end: d("2026-03-08"),
        };
        let end = d("2026-03-31");
        assert_eq!(
            timeliness(w, TaskStatus::Done, Some(d("2026-03-01")), end),
            Some(Timeliness::Early)
        );
        assert_eq!(
            timeliness(w, TaskStatus::Done, Some(d("2026-03-08")), end),
            Some(Timeliness::OnTime)
        );
        assert_eq!(
            timeliness(w, TaskStatus::Done, Some(d("2026-03-09")), end),
            Some(Timeliness::Late)
        );
        assert_eq!(
            timeliness(w, TaskStatus::Closed, None, end),
            Some(Timeliness::Missed)
        );
        assert_eq!(
            timeliness(w, TaskStatus::Open, None, end),
            Some(Timeliness::Missed)
        );
        assert_eq!(timeliness(w, TaskStatus::Open, None, d("2026-03-08")), None);
    }

    #[test]
    fn every_kind_round_trips_through_text() {
        for k in TaskKind::ALL {
            assert_eq!(TaskKind::parse(k.as_str()), Some(*k));
        }
    }
}

/// The queue's order (RULES.md, "Tasks"): overdue, then due, each by window end (earliest
/// first); then upcoming by window start. Ties are broken by task id by the caller.
pub fn queue_key(window: Window, on: NaiveDate) -> (u8, NaiveDate) {
    match state_on(window, on) {
        TaskState::Overdue => (0, window.end),
        TaskState::Due => (1, window.end),
        TaskState::Upcoming => (2, window.start),
    }
}

/// Sorts tasks into the queue's order on `on`: `queue_key`, then task id. `of` gives a task's
/// window and id. The one sort every list of tasks uses.
pub fn sort_queue<T>(tasks: &mut [T], on: NaiveDate, of: impl Fn(&T) -> (Window, i32)) {
    tasks.sort_by(|a, b| {
        let (wa, ia) = of(a);
        let (wb, ib) = of(b);
        queue_key(wa, on).cmp(&queue_key(wb, on)).then(ia.cmp(&ib))
    });
}

/// Whether an open task belongs in the queue for `on`: its window starts within the
/// look-ahead, and no call-back (X2) was agreed for a later day.
pub fn in_queue(
    window: Window,
    callback_on: Option<NaiveDate>,
    on: NaiveDate,
    horizon: NaiveDate,
) -> bool {
    window.start <= horizon && callback_on.is_none_or(|c| c <= on)
}

#[cfg(test)]
mod queue_tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn queue_orders_overdue_then_due_then_upcoming() {
        let on = d("2026-11-20");
        let mut ws = [
            Window {
                start: d("2026-11-22"),
                end: d("2026-11-26"),
            },
            Window {
                start: d("2026-11-18"),
                end: d("2026-11-21"),
            },
            Window {
                start: d("2026-11-10"),
                end: d("2026-11-12"),
            },
            Window {
                start: d("2026-11-19"),
                end: d("2026-11-20"),
            },
            Window {
                start: d("2026-11-01"),
                end: d("2026-11-05"),
            },
        ];
        ws.sort_by_key(|w| queue_key(*w, on));
        let ends: Vec<String> = ws.iter().map(|w| w.end.to_string()).collect();
        assert_eq!(
            ends,
            vec![
                "2026-11-05",
                "2026-11-12",
                "2026-11-20",
                "2026-11-21",
                "2026-11-26"
            ]
        );
    }

    #[test]
    fn x2_a_call_back_agreed_for_a_later_day_leaves_the_queue_until_then() {
        let on = d("2026-11-20");
        let w = Window {
            start: d("2026-11-18"),
            end: d("2026-11-22"),
        };
        assert!(in_queue(w, None, on, d("2026-11-27")));
        assert!(!in_queue(w, Some(d("2026-11-21")), on, d("2026-11-27")));
        assert!(in_queue(w, Some(d("2026-11-20")), on, d("2026-11-27")));
        assert!(!in_queue(
            Window {
                start: d("2026-11-28"),
                end: d("2026-12-01")
            },
            None,
            on,
            d("2026-11-27")
        ));
    }
}
