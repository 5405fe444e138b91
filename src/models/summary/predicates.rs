//! The rows each figure counts, as SQL predicates — written once, here, so the count from the
//! rows, the count from the counters and the lines behind a figure all take the same rows.

use super::scope::{Scope, Source};
use crate::domain::summary::COUNTED;
use crate::domain::task::{self, TaskKind};

/// The columns a task figure reads: of the `tasks` rows themselves (`TaskCols::ROWS`), or of
/// the counters kept per store, clerk and month (`TaskCols::COUNTERS`, migration 000012).
/// Each task figure is written once, over these, so the counters and the rows count alike.
pub struct TaskCols {
    kind: &'static str,
    status: &'static str,
    /// The close reason as text, '' for none.
    reason: &'static str,
    /// Where `done_on` lies against the window (`domain::task::position_sql`).
    pos: String,
    /// The date an open task's window ended (compared with the scope's `as_of`).
    open_day: &'static str,
}

impl TaskCols {
    pub fn rows() -> TaskCols {
        TaskCols {
            kind: "t.kind",
            status: "t.status",
            reason: "COALESCE(t.close_reason, '')",
            pos: task::position_sql("t.done_on", "t.window_start", "t.window_end"),
            open_day: "t.window_end",
        }
    }
    pub fn counters() -> TaskCols {
        TaskCols {
            kind: "k.kind",
            status: "k.status",
            reason: "k.close_reason",
            pos: "k.done_pos".into(),
            open_day: "k.day",
        }
    }
}

/// The figures over a scope's tasks (RULES.md "Tasks", timeliness as `domain::task`), over the
/// columns `c`; `None` for a key that is no such figure (or one that reads other tables).
pub fn task_predicate(key: &str, s: &Scope, c: &TaskCols) -> Option<String> {
    use task::Timeliness as T;
    let excused = task::excused_sql(c.reason);
    let open_ended = format!("{} < '{}'", c.open_day, s.as_of);
    let tl = |t: T| task::timeliness_sql(t, c.status, &c.pos, &excused, &open_ended);
    let kind = |k: TaskKind| format!("{} = '{}'", c.kind, k.as_str());
    let due = |k: TaskKind| format!("{} AND NOT ({excused})", kind(k));
    let done = |k: TaskKind| format!("{} AND {} = 'done'", kind(k), c.status);
    let by_end = |k: TaskKind| format!("{} AND ({} OR {})", kind(k), tl(T::Early), tl(T::OnTime));
    let follow_up = |k: TaskKind, what: &str| -> Option<String> {
        Some(match what {
            "due" => due(k),
            "on_time" => format!("{} AND {}", kind(k), tl(T::OnTime)),
            "early" => format!("{} AND {}", kind(k), tl(T::Early)),
            "late" => format!("{} AND {}", kind(k), tl(T::Late)),
            "missed" => format!("{} AND {}", kind(k), tl(T::Missed)),
            _ => return None,
        })
    };
    let p = match key {
        // R2
        "archives_due" => due(TaskKind::Archive),
        "archives_on_time" => by_end(TaskKind::Archive),
        "archives_late" => format!("{} AND {}", kind(TaskKind::Archive), tl(T::Late)),
        "archives_missed" => format!("{} AND {}", kind(TaskKind::Archive), tl(T::Missed)),
        // R4, R5
        k if k.starts_with("first_follow_ups_") => {
            follow_up(TaskKind::FirstFollowUp, &k["first_follow_ups_".len()..])?
        }
        k if k.starts_with("second_follow_ups_") => {
            follow_up(TaskKind::SecondFollowUp, &k["second_follow_ups_".len()..])?
        }
        // R6
        "event_notices_due" => due(TaskKind::EventNotice),
        "event_notices_on_time" => by_end(TaskKind::EventNotice),
        "event_letters_sent_on_time" => by_end(TaskKind::EventLetter),
        "event_letters_waived" => format!(
            "{} AND {} = 'closed' AND {} = '{}'",
            kind(TaskKind::EventLetter),
            c.status,
            c.reason,
            task::CloseReason::Waived.as_str()
        ),
        // N1
        "maintenance_reminders_due" => due(TaskKind::MaintenanceReminder),
        "maintenance_reminders_done" => done(TaskKind::MaintenanceReminder),
        _ => return None,
    };
    Some(p)
}

/// The columns a call figure reads: of the call register's lines, or of their counters.
pub struct CallCols {
    direction: &'static str,
    category: &'static str,
    outcome: &'static str,
    /// The condition that the call was made on a win-back task (X7).
    win_back: &'static str,
}

impl CallCols {
    pub fn rows() -> CallCols {
        CallCols {
            direction: "c.direction",
            category: "c.category",
            outcome: "c.outcome",
            win_back: "EXISTS (SELECT 1 FROM call_records wr JOIN tasks wt ON wt.id = wr.task_id WHERE wr.id = c.call_record_id AND wt.kind = 'win_back')",
        }
    }
    pub fn counters() -> CallCols {
        CallCols {
            direction: "c.direction",
            category: "c.category",
            outcome: "c.outcome",
            win_back: "c.win_back = 1",
        }
    }
}

/// The figures over a scope's calls (R7, X1, X7), over the columns `c`.
pub fn call_predicate(key: &str, c: &CallCols) -> Option<String> {
    let outbound = format!("{} = 'outbound'", c.direction);
    let inbound = |cat: &str| format!("{} = 'inbound' AND {} = '{cat}'", c.direction, c.category);
    Some(match key {
        "outbound_calls" => outbound,
        "reached_calls" => format!("{outbound} AND {} = 'reached'", c.outcome),
        k if k.starts_with("failed_calls.") => format!(
            "{outbound} AND {} = '{}'",
            c.outcome,
            &k["failed_calls.".len()..]
        ),
        "inbound_inquiries" => inbound("inquiry"),
        "inbound_complaints" => inbound("complaint"),
        "win_back_calls" => c.win_back.to_string(),
        _ => return None,
    })
}

/// The columns a satisfaction figure reads (X6): of the answers themselves, or of their
/// counters (migration 000016, where the overall facts are the rows of aspect '' and a missing
/// score is -1).
pub struct SatisfactionCols {
    /// The condition that the answer has an overall score.
    scored: &'static str,
    score: &'static str,
    declined: &'static str,
}

impl SatisfactionCols {
    pub fn rows() -> SatisfactionCols {
        SatisfactionCols {
            scored: "cs.score IS NOT NULL",
            score: "cs.score",
            declined: "cs.declined = TRUE",
        }
    }
    pub fn counters() -> SatisfactionCols {
        SatisfactionCols {
            scored: "k.aspect = '' AND k.score <> -1",
            score: "k.score",
            declined: "k.aspect = '' AND k.declined = 1",
        }
    }
}

/// The figures over a scope's satisfaction answers (X6), over the columns `c`.
pub fn satisfaction_predicate(key: &str, c: &SatisfactionCols) -> Option<String> {
    Some(match key {
        "satisfaction_answers" => c.scored.to_string(),
        "satisfaction_declined" => c.declined.to_string(),
        "satisfaction_low" => format!("{} AND {} <= 2", c.scored, c.score),
        _ => return None,
    })
}

/// The figures over a scope's letters (R8), by kind. The letter register's lines and their
/// counters (migration 000019) are both read under the alias `l` with the column
/// `letter_kind`, so one predicate serves both.
pub fn letter_predicate(key: &str) -> Option<String> {
    key.strip_prefix("letters.")
        .map(|kind| format!("l.letter_kind = '{kind}'"))
}

/// The rows a figure counts, as a predicate over its source's rows; `None` for a figure that
/// is computed from others (rates, the median).
pub fn predicate(key: &str, s: &Scope, sqlite: bool) -> Option<(Source, String)> {
    if let Some(p) = task_predicate(key, s, &TaskCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Tasks, p));
    }
    if let Some(p) = call_predicate(key, &CallCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Calls, p));
    }
    if let Some(p) = satisfaction_predicate(key, &SatisfactionCols::rows()) {
        return COUNTED.contains(&key).then_some((Source::Satisfaction, p));
    }
    if let Some(p) = letter_predicate(key) {
        return COUNTED.contains(&key).then_some((Source::Letters, p));
    }
    let kind = |k: &str| format!("t.kind = '{k}'");
    let done = |k: &str| format!("{} AND t.status = 'done'", kind(k));
    let return_by = if sqlite {
        format!("date(t.window_end, '+{} days')", s.return_days)
    } else {
        format!("(t.window_end + {})", s.return_days)
    };
    let (src, p) = match key {
        "visits" => (Source::Visits, "v.kind <> 'consultation'".to_string()),
        "consultations" => (Source::Visits, "v.kind = 'consultation'".to_string()),
        // R4a–R4d
        "items_raised" => (Source::Items, "1 = 1".to_string()),
        "items_answered_on_call" => (Source::Items, "i.answered_on_call = TRUE".to_string()),
        "items_escalated" => (Source::Items, "i.escalated_on IS NOT NULL".to_string()),
        "items_escalated_late" => (
            Source::Items,
            "EXISTS (SELECT 1 FROM tasks et WHERE et.item_id = i.id AND et.kind = 'escalation' AND et.status = 'done' AND et.done_on > et.window_end)".to_string(),
        ),
        "items_solved" => (Source::Items, "i.solved_on IS NOT NULL".to_string()),
        "items_customer_told_same_day" => (
            Source::Items,
            "i.told_on IS NOT NULL AND i.told_on = i.solved_on".to_string(),
        ),
        "items_satisfied" => (Source::Items, "i.satisfied = TRUE".to_string()),
        "items_open_at_end" => (
            Source::Items,
            format!(
                "i.status <> 'answered' AND (i.closed_on IS NULL OR i.closed_on > '{}')",
                s.as_of
            ),
        ),
        // R6
        "events" => (Source::Events, "1 = 1".to_string()),
        // N1, X5
        "returned_within_30_days" => (
            Source::Tasks,
            format!(
                "{} AND EXISTS (SELECT 1 FROM visits rv WHERE rv.customer_id = t.customer_id AND rv.store_id = t.store_id AND rv.visit_date >= t.done_on AND rv.visit_date <= {return_by})",
                done("maintenance_reminder")
            ),
        ),
        // X7
        "lost_customers" => (Source::Lost, "1 = 1".to_string()),
        // A visit that is the customer's first since a win-back task began: its previous
        // visit (migration 000017) is before the task's window start, or there is none.
        "won_back" => (
            Source::Visits,
            "EXISTS (SELECT 1 FROM tasks wt WHERE wt.kind = 'win_back' AND wt.customer_id = v.customer_id AND wt.window_start <= v.visit_date AND (v.prev_visit_on IS NULL OR v.prev_visit_on < wt.window_start))".to_string(),
        ),
        _ => return None,
    };
    // Keys that name no known figure fall through the prefixes with a bogus suffix.
    COUNTED.contains(&key).then_some((src, p))
}

#[cfg(test)]
mod tests {
    use crate::domain::cadence::Window;
    use crate::domain::task::{self, TaskStatus, Timeliness};
    use chrono::NaiveDate;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct Got {
        #[diesel(sql_type = Text)]
        t: String,
    }

    /// Issue 15's one source: the summaries' SQL conditions (`timeliness_sql` over
    /// `position_sql`) give what `domain::task::timeliness` gives, for every status, done date
    /// and period end around a window (an excused close aside, which the summary leaves out).
    #[test]
    fn r10_the_summary_sql_counts_timeliness_as_the_domain_defines_it() {
        let mut c = diesel::SqliteConnection::establish(":memory:").unwrap();
        let d = |n: i64| NaiveDate::from_ymd_opt(2026, 3, 10).unwrap() + chrono::Duration::days(n);
        let w = Window {
            start: d(0),
            end: d(4),
        };
        for status in TaskStatus::ALL {
            for done in (-3..8).map(Some).chain([None]) {
                let done_on = done.filter(|_| *status == TaskStatus::Done).map(d);
                if (*status == TaskStatus::Done) != done_on.is_some() {
                    continue;
                }
                for end in -2..9 {
                    let period_end = d(end);
                    let lit = |x: Option<NaiveDate>| {
                        x.map(|x| format!("'{x}'")).unwrap_or_else(|| "NULL".into())
                    };
                    let pos =
                        task::position_sql(&lit(done_on), &lit(Some(w.start)), &lit(Some(w.end)));
                    let open_ended = format!("'{}' < '{period_end}'", w.end);
                    let st = format!("'{}'", status.as_str());
                    let arms: Vec<String> = Timeliness::ALL
                        .iter()
                        .map(|t| {
                            format!(
                                "WHEN {} THEN '{}'",
                                task::timeliness_sql(*t, &st, &pos, "1 = 0", &open_ended),
                                t.as_str()
                            )
                        })
                        .collect();
                    let sql = format!("SELECT CASE {} ELSE '' END AS t", arms.join(" "));
                    let got: Got = diesel::sql_query(sql).get_result(&mut c).unwrap();
                    let want = task::timeliness(w, *status, done_on, period_end)
                        .map(|t| t.as_str().to_string())
                        .unwrap_or_default();
                    assert_eq!(
                        got.t, want,
                        "{status} done {done_on:?} period end {period_end}"
                    );
                }
            }
        }
    }
}
