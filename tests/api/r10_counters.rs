//! R10, issue 14: the summaries' task and call figures come from counters kept by triggers in
//! the same transaction as the rows (migration 000012). A property test writes random
//! histories — tasks made, worked, closed and moved to another clerk; calls and amendment lines;
//! visits given another service advisor — and checks, month by month and for months still
//! running, that the figures from the counters equal the plain aggregate queries over the
//! rows (`counts_with(…, false)`, the reference), and that `verify` finds no disagreement;
//! `summary rebuild` puts back a counter tampered with. Satisfaction answers and their aspects
//! (X6, migration 000016) are written, changed and taken away too, and their sums
//! (`satisfaction_sums_with`) compared the same way; so are letter lines and amendment lines
//! of the letter register (R8, migration 000019).

use crate::both_backends;
use crate::helpers::*;
use aftercare::models::summary::{
    counts_with, disagreements, satisfaction_sums_with, ByClerk, Scope, SumsBy,
};
use chrono::NaiveDate;
use diesel::RunQueryDsl;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeMap;

const T: &str = "'2026-10-01 00:00:00'";
const KINDS: [&str; 6] = [
    "archive",
    "first_follow_up",
    "second_follow_up",
    "maintenance_reminder",
    "event_notice",
    "event_letter",
];
const STATUSES: [&str; 3] = ["open", "done", "closed"];
const REASONS: [Option<&str>; 5] = [
    None,
    Some("unreachable"),
    Some("waived"),
    Some("refuses_channel"),
    Some("superseded"),
];
const OUTCOMES: [&str; 5] = [
    "reached",
    "no_answer",
    "busy",
    "refused",
    "callback_requested",
];
const CATEGORIES: [&str; 5] = ["follow_up", "inquiry", "complaint", "reminder", "other"];
const LETTER_KINDS: [&str; 4] = ["notice", "invitation", "reply", "unreachable"];

#[derive(Debug, Clone)]
enum Op {
    Task {
        kind: usize,
        clerk: usize,
        visit: Option<usize>,
        start: i64,
        len: i64,
        status: usize,
        reason: usize,
        done: i64,
    },
    Work {
        pick: usize,
        status: usize,
        reason: usize,
        done: i64,
        clerk: usize,
    },
    Call {
        task: Option<usize>,
        clerk: usize,
        inbound: bool,
        category: usize,
        outcome: usize,
        day: i64,
        amends: bool,
    },
    /// R8: a letter line, of a task or none, or an amendment line (not a letter).
    Letter {
        task: Option<usize>,
        clerk: usize,
        kind: usize,
        day: i64,
        amends: bool,
    },
    Advisor {
        visit: usize,
        advisor: Option<usize>,
    },
    /// X6: an answer on a call (a score 1–5 or declined) and some of its aspects.
    Answer {
        line: usize,
        score: Option<i32>,
        aspects: [Option<i32>; 3],
        advisor: Option<usize>,
    },
    /// An answer changed (score, who, day), or one of its aspects changed or taken away,
    /// or the answer taken away.
    Rework {
        line: usize,
        score: Option<i32>,
        clerk: usize,
        day: i64,
        aspect: usize,
        aspect_score: Option<i32>,
        drop: bool,
    },
}

const ASPECTS: [&str; 3] = ["service", "price", "waiting"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..KINDS.len(), 0..3usize, proptest::option::of(0..4usize), 0..120i64, 0..10i64, 0..3usize, 0..REASONS.len(), -5..25i64)
            .prop_map(|(kind, clerk, visit, start, len, status, reason, done)| Op::Task { kind, clerk, visit, start, len, status, reason, done }),
        3 => (any::<usize>(), 0..3usize, 0..REASONS.len(), -5..25i64, 0..3usize)
            .prop_map(|(pick, status, reason, done, clerk)| Op::Work { pick, status, reason, done, clerk }),
        4 => (proptest::option::of(any::<usize>()), 0..3usize, any::<bool>(), 0..CATEGORIES.len(), 0..OUTCOMES.len(), 0..120i64, proptest::bool::weighted(0.1))
            .prop_map(|(task, clerk, inbound, category, outcome, day, amends)| Op::Call { task, clerk, inbound, category, outcome, day, amends }),
        3 => (proptest::option::of(any::<usize>()), 0..3usize, 0..LETTER_KINDS.len(), 0..120i64, proptest::bool::weighted(0.1))
            .prop_map(|(task, clerk, kind, day, amends)| Op::Letter { task, clerk, kind, day, amends }),
        1 => (0..4usize, proptest::option::of(0..2usize)).prop_map(|(visit, advisor)| Op::Advisor { visit, advisor }),
        3 => (any::<usize>(), proptest::option::of(1..=5i32), [proptest::option::of(1..=5i32), proptest::option::of(1..=5i32), proptest::option::of(1..=5i32)], proptest::option::of(0..2usize))
            .prop_map(|(line, score, aspects, advisor)| Op::Answer { line, score, aspects, advisor }),
        2 => (any::<usize>(), proptest::option::of(1..=5i32), 0..3usize, 0..120i64, 0..ASPECTS.len(), proptest::option::of(1..=5i32), proptest::bool::weighted(0.15))
            .prop_map(|(line, score, clerk, day, aspect, aspect_score, drop)| Op::Rework { line, score, clerk, day, aspect, aspect_score, drop }),
    ]
}

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 1).unwrap() + chrono::Duration::days(n)
}

fn q(s: &str) -> String {
    format!("'{s}'")
}

/// The satisfaction sums without empty groups or aspects, to compare as maps.
fn nonempty(m: &SumsBy) -> BTreeMap<Option<i32>, String> {
    m.iter()
        .filter_map(|(k, v)| {
            let mut v = v.clone();
            v.aspects.retain(|_, x| *x != (0, 0));
            (v != Default::default()).then(|| (*k, format!("{v:?}")))
        })
        .collect()
}

/// The counted figures without zeros, so that both ways of counting compare as maps.
fn nonzero(m: &ByClerk) -> BTreeMap<Option<i32>, BTreeMap<&'static str, i64>> {
    m.iter()
        .map(|(k, v)| {
            (
                *k,
                v.iter()
                    .filter(|(_, n)| **n != 0)
                    .map(|(k, n)| (*k, *n))
                    .collect::<BTreeMap<_, _>>(),
            )
        })
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

struct World<'a> {
    env: &'a TestEnv,
    clerks: Vec<i32>,
    tasks: Vec<i32>,
    lines: Vec<i32>,
    letters: Vec<i32>,
    next: i32,
}

impl World<'_> {
    fn sql(&self, s: &str) {
        self.env.with(|c| {
            diesel::sql_query(s)
                .execute(c)
                .unwrap_or_else(|e| panic!("{s}: {e}"));
        });
    }

    /// The task a generated pick names, if any task was made yet.
    fn task_of(&self, pick: Option<usize>) -> Option<i32> {
        pick.filter(|_| !self.tasks.is_empty())
            .map(|p| self.tasks[p % self.tasks.len()])
    }

    fn apply(&mut self, op: &Op) {
        self.next += 1;
        let id = self.next;
        match *op {
            Op::Task {
                kind,
                clerk,
                visit,
                start,
                len,
                status,
                reason,
                done,
            } => {
                let (ws, we) = (day(start), day(start + len));
                let st = STATUSES[status];
                let done_on = (st == "done").then(|| q(&day(start + done).to_string()));
                let reason = REASONS[reason].filter(|_| st == "closed").map(q);
                self.sql(&format!(
                    "INSERT INTO tasks (id, store_id, kind, customer_id, visit_id, clerk_id, window_start, window_end, status, close_reason, done_on, attempts, created_at, updated_at) \
                     VALUES ({id}, 1, '{}', 1, {}, {}, '{ws}', '{we}', '{st}', {}, {}, 0, {T}, {T})",
                    KINDS[kind],
                    visit.map(|v| (v + 1).to_string()).unwrap_or_else(|| "NULL".into()),
                    self.clerks[clerk],
                    reason.unwrap_or_else(|| "NULL".into()),
                    done_on.unwrap_or_else(|| "NULL".into()),
                ));
                self.tasks.push(id);
            }
            Op::Work {
                pick,
                status,
                reason,
                done,
                clerk,
            } => {
                if self.tasks.is_empty() {
                    return;
                }
                let t = self.tasks[pick % self.tasks.len()];
                let st = STATUSES[status];
                let reason = REASONS[reason].filter(|_| st == "closed").map(q);
                let done_on = if st == "done" {
                    format!("{} ", q(&day(done + 40).to_string()))
                } else {
                    "NULL".into()
                };
                self.sql(&format!(
                    "UPDATE tasks SET status = '{st}', close_reason = {}, done_on = {done_on}, clerk_id = {}, attempts = attempts + 1 WHERE id = {t}",
                    reason.unwrap_or_else(|| "NULL".into()),
                    self.clerks[clerk]
                ));
            }
            Op::Call {
                task,
                clerk,
                inbound,
                category,
                outcome,
                day: d,
                amends,
            } => {
                let task = self.task_of(task);
                let dir = if inbound { "inbound" } else { "outbound" };
                let (cat, out) = (CATEGORIES[category], OUTCOMES[outcome]);
                let on = day(d);
                let who = self.clerks[clerk];
                let amends = if amends && !self.lines.is_empty() {
                    q(&format!("DH-{}", self.lines[0]))
                } else {
                    "NULL".into()
                };
                self.sql(&format!(
                    "INSERT INTO call_records (id, store_id, record_no, customer_id, task_id, direction, category, outcome, called_at, called_on, customer_name, phone, topics, key_points, handled_by_id, handled_by, created_at) \
                     VALUES ({id}, 1, 'JL-{id}', 1, {}, '{dir}', '{cat}', '{out}', {T}, '{on}', 'c', 'p', '', '', {who}, 'h', {T})",
                    task.map(|t| t.to_string()).unwrap_or_else(|| "NULL".into())
                ));
                self.sql(&format!(
                    "INSERT INTO call_register (id, store_id, register_no, call_record_id, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at, amends) \
                     VALUES ({id}, 1, 'DH-{id}', {id}, 'JL-{id}', '{on}', 'c', 'p', '{dir}', '{cat}', '{out}', {who}, 'h', {T}, {amends})"
                ));
                self.lines.push(id);
            }
            Op::Letter {
                task,
                clerk,
                kind,
                day: d,
                amends,
            } => {
                let task = self.task_of(task);
                let amends = if amends && !self.letters.is_empty() {
                    q(&format!("XH-{}", self.letters[0]))
                } else {
                    "NULL".into()
                };
                self.sql(&format!(
                    "INSERT INTO letter_register (id, store_id, register_no, sent_on, customer_id, customer_name, address, letter_kind, subject, body, related_to, task_id, handled_by_id, handled_by, created_at, amends) \
                     VALUES ({id}, 1, 'XH-{id}', '{}', 1, 'c', 'a', '{}', 's', 'b', '', {}, {}, 'h', {T}, {amends})",
                    day(d),
                    LETTER_KINDS[kind],
                    task.map(|t| t.to_string()).unwrap_or_else(|| "NULL".into()),
                    self.clerks[clerk],
                ));
                self.letters.push(id);
            }
            Op::Advisor { visit, advisor } => self.sql(&format!(
                "UPDATE visits SET advisor_id = {} WHERE id = {}",
                advisor
                    .map(|a| (a + 1).to_string())
                    .unwrap_or_else(|| "NULL".into()),
                visit + 1
            )),
            Op::Answer {
                line,
                score,
                aspects,
                advisor,
            } => {
                if self.lines.is_empty() {
                    return;
                }
                let r = self.lines[line % self.lines.len()];
                let on = self.env.with(|c| {
                    #[derive(diesel::QueryableByName)]
                    struct On {
                        #[diesel(sql_type = diesel::sql_types::Text)]
                        d: String,
                        #[diesel(sql_type = diesel::sql_types::Integer)]
                        who: i32,
                    }
                    let o: On = diesel::sql_query(format!(
                        "SELECT CAST(called_on AS TEXT) AS d, handled_by_id AS who FROM call_records WHERE id = {r}"
                    ))
                    .get_result(c)
                    .unwrap();
                    (o.d, o.who)
                });
                self.sql(&format!(
                    "INSERT INTO call_satisfaction (call_record_id, store_id, customer_id, called_on, handled_by_id, advisor_id, score, declined, aspects) \
                     VALUES ({r}, 1, 1, '{}', {}, {}, {}, {}, '') ON CONFLICT (call_record_id) DO NOTHING",
                    on.0,
                    on.1,
                    advisor.map(|a| (a + 1).to_string()).unwrap_or_else(|| "NULL".into()),
                    score.map(|x| x.to_string()).unwrap_or_else(|| "NULL".into()),
                    if score.is_none() { "TRUE" } else { "FALSE" },
                ));
                for (a, sc) in ASPECTS.iter().zip(aspects) {
                    if let Some(sc) = sc {
                        self.sql(&format!(
                            "INSERT INTO satisfaction_aspects (call_record_id, aspect, score) VALUES ({r}, '{a}', {sc}) \
                             ON CONFLICT (call_record_id, aspect) DO NOTHING"
                        ));
                    }
                }
            }
            Op::Rework {
                line,
                score,
                clerk,
                day: d,
                aspect,
                aspect_score,
                drop,
            } => {
                if self.lines.is_empty() {
                    return;
                }
                let r = self.lines[line % self.lines.len()];
                let a = ASPECTS[aspect];
                if drop {
                    self.sql(&format!(
                        "DELETE FROM satisfaction_aspects WHERE call_record_id = {r} AND aspect = '{a}'"
                    ));
                    if aspect == 0 {
                        self.sql(&format!(
                            "DELETE FROM call_satisfaction WHERE call_record_id = {r}"
                        ));
                    }
                    return;
                }
                self.sql(&format!(
                    "UPDATE call_satisfaction SET score = {}, declined = {}, handled_by_id = {}, called_on = '{}' WHERE call_record_id = {r}",
                    score.map(|x| x.to_string()).unwrap_or_else(|| "NULL".into()),
                    if score.is_none() { "TRUE" } else { "FALSE" },
                    self.clerks[clerk],
                    day(d)
                ));
                if let Some(sc) = aspect_score {
                    self.sql(&format!(
                        "UPDATE satisfaction_aspects SET score = {sc} WHERE call_record_id = {r} AND aspect = '{a}'"
                    ));
                }
            }
        }
    }

    /// Every month of the histories, counted up to its end and (for a month still running)
    /// up to a day inside it: the counters' figures equal the rows'.
    fn check(&self) -> Result<(), TestCaseError> {
        let mut c = self.env.conn();
        for m in 7..=12u32 {
            let from = NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
            let to = NaiveDate::from_ymd_opt(2026, m + 1, 1)
                .unwrap_or(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap())
                .pred_opt()
                .unwrap();
            for as_of in [to, from + chrono::Duration::days(14)] {
                for advisors in [true, false] {
                    let s = Scope {
                        store_id: if m % 2 == 0 { Some(1) } else { None },
                        from,
                        to,
                        as_of,
                        return_days: 30,
                        lost_days: 90,
                        advisors,
                    };
                    let (fast, fast_adv) = counts_with(&mut c, &s, true).expect("counters");
                    let (rows, rows_adv) = counts_with(&mut c, &s, false).expect("rows");
                    prop_assert_eq!(nonzero(&fast), nonzero(&rows), "clerks {:?}", s);
                    if advisors {
                        prop_assert_eq!(nonzero(&fast_adv), nonzero(&rows_adv), "advisors {:?}", s);
                    }
                    let (fast, fast_adv) =
                        satisfaction_sums_with(&mut c, &s, true).expect("sums, counters");
                    let (rows, rows_adv) =
                        satisfaction_sums_with(&mut c, &s, false).expect("sums, rows");
                    prop_assert_eq!(nonempty(&fast), nonempty(&rows), "sums {:?}", s);
                    if advisors {
                        prop_assert_eq!(
                            nonempty(&fast_adv),
                            nonempty(&rows_adv),
                            "sums, advisors {:?}",
                            s
                        );
                    }
                }
            }
        }
        let off = disagreements(&mut c, 10).expect("disagreements");
        prop_assert!(off.is_empty(), "{:?}", off);
        Ok(())
    }
}

both_backends!(
    r10_counters_equal_the_plain_aggregates_over_random_histories,
    |backend| {
        let env = TestEnv::new(backend, "2026-12-05");
        let clerks: Vec<i32> = (1..=3)
            .map(|i| env.user(&format!("clerk{i}"), "clerk"))
            .collect();
        let w = World {
            env: &env,
            clerks,
            tasks: vec![],
            lines: vec![],
            letters: vec![],
            next: 1000,
        };
        w.sql(&format!("INSERT INTO customers (id, store_id, name, phone, clerk_id, created_at, updated_at) VALUES (1, 1, 'c', '13800000001', {}, {T}, {T})", w.clerks[0]));
        for a in 1..=2 {
            w.sql(&format!("INSERT INTO advisors (id, store_id, name, norm_name, disabled, created_at) VALUES ({a}, 1, 'a{a}', 'a{a}', FALSE, {T})"));
        }
        for v in 1..=4 {
            w.sql(&format!("INSERT INTO visits (id, store_id, customer_id, kind, checked_in_at, visit_date, items, source, created_at, updated_at, advisor_id) VALUES ({v}, 1, 1, 'repair', {T}, '2026-09-0{v}', '', 'test', {T}, {T}, {})", if v % 2 == 0 { "1" } else { "NULL" }));
        }
        let cases = std::env::var("AFTERCARE_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(12);
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let w = std::cell::RefCell::new(w);
        runner
            .run(&proptest::collection::vec(op(), 1..40), |ops| {
                let mut w = w.borrow_mut();
                for o in &ops {
                    w.apply(o);
                }
                w.check()
            })
            .unwrap();
        // A counter tampered with is named by verify and put back by rebuild.
        let w = w.into_inner();
        w.sql("UPDATE summary_call_counts SET n = n + 5 WHERE month = (SELECT MIN(month) FROM summary_call_counts)");
        let (code, out, _) = cli(&env.db, "2026-12-05", &["verify"], None);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("summary_call_counts") && out.contains("grp=clerk"),
            "{out}"
        );
        let (code, out, err) = cli(
            &env.db,
            "2026-12-05",
            &["summary", "rebuild", "--from", "2026-08"],
            None,
        );
        assert_eq!(code, 0, "{out}{err}");
        assert!(disagreements(&mut env.conn(), 10).unwrap().is_empty());
    }
);
