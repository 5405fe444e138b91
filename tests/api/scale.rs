//! Scale: `aftercare demo generate` at a small size, checked against the rules it claims to
//! obey — archives within D + 2 mostly and their windows (R2), first and second follow-up
//! windows (R4, R5), one register line per call (R7), complaints escalated and told (R4c,
//! R4d), cover during absences (R9), numbers 1..N per store, register and year with their
//! counters and `verify` clean (R11), one follow-up call a day (X4), unreachable tasks with
//! their letter (X1), event notice windows (R6) — and the same seed gives the same data.

use crate::both_backends;
use crate::helpers::*;
use aftercare::db::schema::*;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

const TODAY: &str = "2026-11-28";

fn generate(b: Backend, seed: &str) -> TestDb {
    let db = TestDb::new(b);
    let (code, out, err) = cli(
        &db,
        TODAY,
        &[
            "demo",
            "generate",
            "--customers",
            "300",
            "--months",
            "14",
            "--stores",
            "2",
            "--seed",
            seed,
            "--customers-per-clerk",
            "60",
        ],
        None,
    );
    assert_eq!(code, 0, "generate: {out}\n{err}");
    db
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

type TaskRow = (
    i32,
    String,
    i32,
    Option<i32>,
    NaiveDate,
    NaiveDate,
    String,
    Option<NaiveDate>,
    i32,
    Option<String>,
);

both_backends!(scale_generated_history_obeys_r2_r4_r5_r7_r11, |b| {
    let db = generate(b, "7");
    let today = d(TODAY);
    let pool = aftercare::db::pool(&db.url).expect("pool");
    let mut c = pool.get().expect("connection");
    let c = &mut *c;

    // The size asked for, and a history that looks like work.
    let customers: i64 = customers::table.count().get_result(c).unwrap();
    assert_eq!(customers, 300);
    let visits: Vec<(i32, i32, String, NaiveDate, Option<NaiveDate>)> = visits::table
        .select((
            visits::id,
            visits::customer_id,
            visits::kind,
            visits::visit_date,
            visits::picked_up_on,
        ))
        .load(c)
        .unwrap();
    assert!(visits.len() > 600, "{} visits", visits.len());
    assert!(visits.iter().all(|v| v.3 < today));
    // X6, X8: satisfaction answers with a spread (some declined, some low, each low one with a
    // complaint on its call), advisors on visits (some unmatched).
    {
        use aftercare::db::schema::{call_satisfaction as cs, items, visits as v};
        let answers: Vec<(i32, Option<i32>)> = cs::table
            .select((cs::call_record_id, cs::score))
            .load(c)
            .unwrap();
        assert!(answers.len() > 100, "{} answers", answers.len());
        assert!(answers.iter().any(|a| a.1.is_none()), "some declined");
        assert!(answers.iter().any(|a| a.1 == Some(3)));
        let low: Vec<i32> = answers
            .iter()
            .filter(|a| a.1.is_some_and(|s| s <= 2))
            .map(|a| a.0)
            .collect();
        assert!(!low.is_empty(), "some low scores");
        let mut calls_with_complaint: Vec<i32> = items::table
            .filter(items::call_record_id.eq_any(&low))
            .filter(items::kind.eq("complaint"))
            .select(items::call_record_id)
            .order(items::call_record_id)
            .load(c)
            .unwrap();
        calls_with_complaint.dedup();
        let with_complaint = calls_with_complaint.len() as i64;
        assert_eq!(
            with_complaint,
            low.len() as i64,
            "X6: a low score opens a complaint"
        );
        let advised: i64 = v::table
            .filter(v::advisor_id.is_not_null())
            .count()
            .get_result(c)
            .unwrap();
        let unmatched: i64 = v::table
            .filter(v::advisor_id.is_null())
            .filter(v::advisor.is_not_null())
            .count()
            .get_result(c)
            .unwrap();
        assert!(advised > visits.len() as i64 / 2 && unmatched > 0);
    }
    let returning = visits
        .iter()
        .map(|v| v.1)
        .fold(HashMap::new(), |mut m: HashMap<i32, u32>, c| {
            *m.entry(c).or_default() += 1;
            m
        })
        .values()
        .filter(|n| **n > 1)
        .count();
    assert!(returning > 150, "returning customers: {returning}");

    let tasks: Vec<TaskRow> = tasks::table
        .select((
            tasks::id,
            tasks::kind,
            tasks::customer_id,
            tasks::visit_id,
            tasks::window_start,
            tasks::window_end,
            tasks::status,
            tasks::done_on,
            tasks::attempts,
            tasks::close_reason,
        ))
        .load(c)
        .unwrap();
    let by_id: HashMap<i32, &TaskRow> = tasks.iter().map(|t| (t.0, t)).collect();
    let of_visit = |vid: i32, kind: &str| -> Vec<&TaskRow> {
        tasks
            .iter()
            .filter(|t| t.3 == Some(vid) && t.1 == kind)
            .collect()
    };

    // R2: one archive task per visit, D … D + 2; archives mostly on time, some late.
    let archives: Vec<(i32, Option<i32>, NaiveDate, NaiveDate, NaiveDate)> = archives::table
        .select((
            archives::visit_id,
            archives::task_id,
            archives::visit_date,
            archives::due_date,
            archives::archived_on,
        ))
        .load(c)
        .unwrap();
    for v in &visits {
        let a = of_visit(v.0, "archive");
        assert_eq!(a.len(), 1, "visit {}", v.0);
        assert_eq!((a[0].4, a[0].5), (v.3, v.3 + Duration::days(2)));
    }
    let mut on_time = 0;
    let mut late = 0;
    for (_, task_id, visit_date, due, on) in &archives {
        let t = by_id[&task_id.expect("task")];
        assert_eq!((t.6.as_str(), t.7), ("done", Some(*on)));
        assert_eq!(*due, *visit_date + Duration::days(2));
        if on <= due {
            on_time += 1;
        } else {
            late += 1;
        }
    }
    assert!(
        on_time * 100 / archives.len() >= 80,
        "on time {on_time} of {}",
        archives.len()
    );
    assert!(late > 0, "some archives are late");
    assert!(archives.len() < visits.len(), "some archives are missing");

    // R4 / R5: the first follow-up from pick-up (or the consultation), the second from F.
    let mut seconds = 0;
    for v in &visits {
        let p = if v.2 == "consultation" {
            Some(v.3)
        } else {
            v.4
        };
        let first = of_visit(v.0, "first_follow_up");
        match p {
            None => assert!(first.is_empty()),
            Some(p) => {
                assert_eq!(first.len(), 1);
                let f = first[0];
                assert_eq!((f.4, f.5), (p + Duration::days(3), p + Duration::days(7)));
                let second = of_visit(v.0, "second_follow_up");
                if f.6 == "open" {
                    assert!(second.is_empty());
                } else {
                    let fd = f.7.expect("ended on");
                    assert_eq!(second.len(), 1, "visit {}", v.0);
                    assert_eq!(
                        (second[0].4, second[0].5),
                        (fd + Duration::days(7), fd + Duration::days(14))
                    );
                    seconds += 1;
                }
            }
        }
    }
    assert!(seconds > 300);

    // R7: every call one register line; a done call task has exactly one reached call on
    // its day, an open one none; X1: closed as unreachable after three failed attempts.
    type Call = (
        i32,
        Option<i32>,
        String,
        String,
        NaiveDate,
        i32,
        String,
        Option<i32>,
        i32,
    );
    let calls: Vec<Call> = call_records::table
        .select((
            call_records::id,
            call_records::task_id,
            call_records::outcome,
            call_records::record_no,
            call_records::called_on,
            call_records::customer_id,
            call_records::category,
            call_records::covering_for_id,
            call_records::handled_by_id,
        ))
        .load(c)
        .unwrap();
    let lines: Vec<(i32, String, String)> = call_register::table
        .select((
            call_register::call_record_id,
            call_register::record_no,
            call_register::outcome,
        ))
        .load(c)
        .unwrap();
    assert_eq!(lines.len(), calls.len());
    let line_of: HashMap<i32, &(i32, String, String)> = lines.iter().map(|l| (l.0, l)).collect();
    let mut reached: HashMap<i32, Vec<&Call>> = HashMap::new();
    for call in &calls {
        let l = line_of[&call.0];
        assert_eq!((&l.1, &l.2), (&call.3, &call.2));
        assert!(call.4 < today);
        if call.2 == "reached" {
            if let Some(t) = call.1 {
                reached.entry(t).or_default().push(call);
            }
        }
    }
    assert!(calls.iter().any(|c| c.2 == "no_answer"));
    assert!(calls.iter().any(|c| c.2 == "callback_requested"));
    let call_kinds = [
        "first_follow_up",
        "second_follow_up",
        "planned_contact",
        "maintenance_reminder",
        "solution_call",
        "event_notice",
        "win_back",
    ];
    let mut unreachable = 0;
    let mut returned = 0;
    for t in tasks.iter().filter(|t| call_kinds.contains(&t.1.as_str())) {
        let r = reached.get(&t.0).map(Vec::len).unwrap_or(0);
        match t.6.as_str() {
            "done" => {
                assert_eq!(r, 1, "task {}", t.0);
                assert_eq!(reached[&t.0][0].4, t.7.expect("done on"));
            }
            "open" => assert_eq!(r, 0),
            // X7: the lost customer came back before the win-back call.
            _ if t.9.as_deref() == Some("returned") => {
                assert_eq!((t.1.as_str(), r), ("win_back", 0));
                returned += 1;
            }
            _ => {
                assert_eq!(t.9.as_deref(), Some("unreachable"));
                assert!(t.8 >= 3);
                unreachable += 1;
            }
        }
    }
    assert!(unreachable > 0);
    assert!(returned > 0, "some lost customers come back (X7)");
    let letters = tasks.iter().filter(|t| t.1 == "unreachable_letter").count();
    assert_eq!(letters, unreachable);

    // X4: at most one outbound follow-up or reminder call a day, unless a call-back was asked.
    let mut seen: HashMap<(i32, NaiveDate), Vec<&str>> = HashMap::new();
    for call in calls
        .iter()
        .filter(|c| c.6 == "follow_up" || c.6 == "reminder")
    {
        seen.entry((call.5, call.4)).or_default().push(&call.2);
    }
    for ((cust, day), outcomes) in seen {
        assert!(
            outcomes.len() == 1 || outcomes.contains(&"callback_requested"),
            "customer {cust} called {} times on {day}",
            outcomes.len()
        );
    }

    // R9: a call made for an absent colleague falls inside an absence covered by the caller.
    let absences: Vec<(i32, i32, NaiveDate, NaiveDate)> = absences::table
        .select((
            absences::clerk_id,
            absences::substitute_id,
            absences::from_date,
            absences::to_date,
        ))
        .load(c)
        .unwrap();
    let covered: Vec<&Call> = calls.iter().filter(|c| c.7.is_some()).collect();
    assert!(!covered.is_empty(), "some calls are made in cover");
    for call in covered {
        assert!(absences
            .iter()
            .any(|a| Some(a.0) == call.7 && a.1 == call.8 && a.2 <= call.4 && call.4 <= a.3));
    }

    // R4c / R4d: escalations C … C + 2, solution calls S … S, complaints told and closed.
    type ItemRow = (
        i32,
        String,
        String,
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let items: Vec<ItemRow> = items::table
        .select((
            items::id,
            items::kind,
            items::status,
            items::raised_on,
            items::solved_on,
            items::closed_on,
        ))
        .load(c)
        .unwrap();
    assert!(items.iter().any(|i| i.2 == "closed"));
    assert!(items.iter().any(|i| i.2 == "answered"));
    for t in tasks.iter().filter(|t| t.1 == "escalation") {
        assert_eq!(t.5, t.4 + Duration::days(2));
    }
    for t in tasks.iter().filter(|t| t.1 == "solution_call") {
        assert_eq!(t.4, t.5);
    }

    // R6: notice calls due by the start − 14, letters sent into the register or waived.
    let events: Vec<(i32, NaiveDate)> = events::table
        .select((events::id, events::starts_on))
        .load(c)
        .unwrap();
    assert!(!events.is_empty());
    let starts: HashMap<i32, NaiveDate> = events.into_iter().collect();
    let notices: Vec<(Option<i32>, NaiveDate)> = tasks::table
        .filter(tasks::kind.eq("event_notice"))
        .select((tasks::event_id, tasks::window_end))
        .load(c)
        .unwrap();
    for (e, end) in notices {
        assert_eq!(end, starts[&e.expect("event")] - Duration::days(14));
    }
    let waived: i64 = tasks::table
        .filter(tasks::close_reason.eq("waived"))
        .count()
        .get_result(c)
        .unwrap();
    assert!(waived > 0);

    // R11: numbers 1..N without gaps per store, register and year, N the counter.
    let mut numbers: HashMap<(i32, String), Vec<i32>> = HashMap::new();
    let mut add = |store: i32, no: &str| {
        let (prefix_year, n) = no.rsplit_once('-').expect("number");
        numbers
            .entry((store, prefix_year.to_string()))
            .or_default()
            .push(n.parse().expect("n"));
    };
    for (s, no) in archives::table
        .select((archives::store_id, archives::archive_no))
        .load::<(i32, String)>(c)
        .unwrap()
    {
        add(s, &no);
    }
    for (s, no, reg) in call_register::table
        .inner_join(call_records::table.on(call_records::id.eq(call_register::call_record_id)))
        .select((
            call_register::store_id,
            call_records::record_no,
            call_register::register_no,
        ))
        .load::<(i32, String, String)>(c)
        .unwrap()
    {
        add(s, &no);
        add(s, &reg);
    }
    for (s, no) in letter_register::table
        .select((letter_register::store_id, letter_register::register_no))
        .load::<(i32, String)>(c)
        .unwrap()
    {
        add(s, &no);
    }
    let counters: HashMap<(i32, String), i32> = register_counters::table
        .select((
            register_counters::store_id,
            register_counters::register,
            register_counters::year,
            register_counters::last_no,
        ))
        .load::<(i32, String, i32, i32)>(c)
        .unwrap()
        .into_iter()
        .map(|(s, r, y, n)| {
            let prefix = match r.as_str() {
                "archives" => "DA",
                "call-records" => "JL",
                "call-register" => "DH",
                _ => "XH",
            };
            ((s, format!("{prefix}-{y}")), n)
        })
        .collect();
    assert_eq!(
        numbers.keys().collect::<HashSet<_>>(),
        counters.keys().collect::<HashSet<_>>()
    );
    for (k, mut ns) in numbers {
        ns.sort_unstable();
        let expected: Vec<i32> = (1..=ns.len() as i32).collect();
        assert_eq!(ns, expected, "{k:?}");
        assert_eq!(counters[&k], ns.len() as i32, "{k:?}");
    }
    let (code, out, err) = cli(&db, TODAY, &["verify"], None);
    assert_eq!(code, 0, "verify: {out}\n{err}");

    // The app works on it: the next number follows on, and an export runs.
    let (code, out, err) = cli(
        &db,
        TODAY,
        &[
            "export",
            "call-register",
            "--from",
            "2026-01-01",
            "--to",
            "2026-11-27",
        ],
        None,
    );
    assert_eq!(code, 0, "export: {err}");
    assert!(out.lines().count() > 100);
});

both_backends!(scale_the_same_seed_gives_the_same_history, |b| {
    let heads = |db: &TestDb| -> Vec<(i32, String, i32, String)> {
        let pool = aftercare::db::pool(&db.url).expect("pool");
        let mut c = pool.get().expect("connection");
        register_chain::table
            .order(register_chain::id)
            .select((
                register_chain::store_id,
                register_chain::register,
                register_chain::line_id,
                register_chain::hash,
            ))
            .load(&mut *c)
            .unwrap()
    };
    let one = heads(&generate(b, "11"));
    let two = heads(&generate(b, "11"));
    let other = heads(&generate(b, "12"));
    assert!(one.len() > 1000);
    assert_eq!(one, two);
    assert_ne!(one, other);
});
