//! X7, issue 14: "lost" and "won back" read each visit's stored neighbour dates (the customer's
//! visit before it and after it, migration 000017) instead of searching every customer's
//! visits. A property test writes random visit histories — visits added, moved to another
//! customer, given another date or taken away, win-back tasks begun — and checks, on many
//! dates, that the summary's `lost_customers` and `won_back` equal the plain queries the
//! summary ran before (kept below as the reference), that `verify` finds no visit whose dates
//! disagree, and that a date tampered with is named by `verify` and put back by
//! `summary rebuild`.

use crate::both_backends;
use crate::helpers::*;
use aftercare::models::summary::{counts_with, Scope};
use aftercare::models::visit::neighbour_disagreements;
use chrono::NaiveDate;
use diesel::RunQueryDsl;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const T: &str = "'2026-10-01 00:00:00'";
const CUSTOMERS: i32 = 4;
const LOST_DAYS: u32 = 30;

#[derive(Debug, Clone)]
enum Op {
    /// A visit of a customer on a day, with an A10 some days after it (or none).
    Visit {
        customer: i32,
        day: i64,
        a10: Option<i64>,
    },
    /// A visit moved to another customer (a merge moves visits).
    Move { pick: usize, customer: i32 },
    /// A visit given another date.
    Redate { pick: usize, day: i64 },
    /// A visit taken away.
    Drop { pick: usize },
    /// A win-back task begun for a customer.
    WinBack { customer: i32, day: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (1..=CUSTOMERS, 0..150i64, proptest::option::of(0..60i64))
            .prop_map(|(customer, day, a10)| Op::Visit { customer, day, a10 }),
        1 => (any::<usize>(), 1..=CUSTOMERS).prop_map(|(pick, customer)| Op::Move { pick, customer }),
        1 => (any::<usize>(), 0..150i64).prop_map(|(pick, day)| Op::Redate { pick, day }),
        1 => any::<usize>().prop_map(|pick| Op::Drop { pick }),
        2 => (1..=CUSTOMERS, 0..150i64).prop_map(|(customer, day)| Op::WinBack { customer, day }),
    ]
}

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + chrono::Duration::days(n)
}

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The reference for "lost on `on`": each customer's latest visit as of `on` searched among
/// its visits, lost when its A10 is before `before` (the summary's query before 000017).
fn lost_reference(on: NaiveDate, before: NaiveDate) -> String {
    format!(
        "SELECT COUNT(*) AS n FROM customers cu JOIN visits lv ON lv.id = (SELECT v.id FROM visits v \
         WHERE v.customer_id = cu.id AND v.visit_date <= '{on}' \
         ORDER BY v.visit_date DESC, v.id DESC LIMIT 1) \
         WHERE lv.next_maintenance_date < '{before}' AND cu.merged_into_id IS NULL AND cu.store_id = 1"
    )
}

/// The reference for "won back" in a month: a visit that is the customer's first since a
/// win-back task began, searched among the customer's earlier visits.
fn won_back_reference(from: NaiveDate, to: NaiveDate) -> String {
    format!(
        "SELECT COUNT(*) AS n FROM visits v WHERE v.store_id = 1 AND v.visit_date BETWEEN '{from}' AND '{to}' \
         AND EXISTS (SELECT 1 FROM tasks wt WHERE wt.kind = 'win_back' AND wt.customer_id = v.customer_id \
         AND wt.window_start <= v.visit_date AND NOT EXISTS (SELECT 1 FROM visits pv \
         WHERE pv.customer_id = v.customer_id AND pv.visit_date >= wt.window_start \
         AND (pv.visit_date < v.visit_date OR (pv.visit_date = v.visit_date AND pv.id < v.id))))"
    )
}

struct World<'a> {
    env: &'a TestEnv,
    clerk: i32,
    visits: Vec<i32>,
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

    fn count(&self, s: &str) -> i64 {
        self.env.with(|c| {
            diesel::sql_query(s)
                .get_result::<N>(c)
                .unwrap_or_else(|e| panic!("{s}: {e}"))
                .n
        })
    }

    fn pick(&self, pick: usize) -> Option<i32> {
        (!self.visits.is_empty()).then(|| self.visits[pick % self.visits.len()])
    }

    fn apply(&mut self, op: &Op) {
        self.next += 1;
        let id = self.next;
        match *op {
            Op::Visit {
                customer,
                day: d,
                a10,
            } => {
                let a10 = a10
                    .map(|n| format!("'{}'", day(d + n)))
                    .unwrap_or_else(|| "NULL".into());
                self.sql(&format!(
                    "INSERT INTO visits (id, store_id, customer_id, kind, checked_in_at, visit_date, items, next_maintenance_date, source, created_at, updated_at) \
                     VALUES ({id}, 1, {customer}, 'repair', {T}, '{}', '', {a10}, 'test', {T}, {T})",
                    day(d)
                ));
                self.visits.push(id);
            }
            Op::Move { pick, customer } => {
                if let Some(v) = self.pick(pick) {
                    self.sql(&format!(
                        "UPDATE visits SET customer_id = {customer} WHERE id = {v}"
                    ));
                }
            }
            Op::Redate { pick, day: d } => {
                if let Some(v) = self.pick(pick) {
                    self.sql(&format!(
                        "UPDATE visits SET visit_date = '{}' WHERE id = {v}",
                        day(d)
                    ));
                }
            }
            Op::Drop { pick } => {
                if let Some(v) = self.pick(pick) {
                    self.sql(&format!("DELETE FROM visits WHERE id = {v}"));
                    self.visits.retain(|x| *x != v);
                }
            }
            Op::WinBack { customer, day: d } => {
                self.sql(&format!(
                    "INSERT INTO tasks (id, store_id, kind, customer_id, clerk_id, window_start, window_end, status, attempts, created_at, updated_at) \
                     VALUES ({id}, 1, 'win_back', {customer}, {}, '{}', '{}', 'open', 0, {T}, {T})",
                    self.clerk,
                    day(d),
                    day(d + 14)
                ));
            }
        }
    }

    /// The summary's two figures, summed over clerks, for a scope ending on `to`.
    fn figures(&self, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
        let s = Scope {
            store_id: Some(1),
            from,
            to,
            as_of: to,
            return_days: 30,
            lost_days: LOST_DAYS,
            advisors: false,
        };
        let (by_clerk, _) = self.env.with(|c| counts_with(c, &s, true)).expect("counts");
        let sum = |k: &str| -> i64 { by_clerk.values().filter_map(|m| m.get(k)).sum() };
        (sum("lost_customers"), sum("won_back"))
    }

    fn check(&self) -> Result<(), TestCaseError> {
        for start in (0..180).step_by(9) {
            let (from, to) = (day(start), day(start + 8));
            let before = to - chrono::Duration::days(LOST_DAYS.into());
            let (lost, won_back) = self.figures(from, to);
            prop_assert_eq!(
                lost,
                self.count(&lost_reference(to, before)),
                "lost on {}",
                to
            );
            prop_assert_eq!(
                won_back,
                self.count(&won_back_reference(from, to)),
                "won back {}..{}",
                from,
                to
            );
        }
        let off = self
            .env
            .with(|c| neighbour_disagreements(c, 10))
            .expect("disagreements");
        prop_assert!(off.is_empty(), "{:?}", off);
        Ok(())
    }
}

both_backends!(
    x7_lost_and_won_back_from_neighbour_dates_equal_the_plain_queries_over_random_histories,
    |backend| {
        let env = TestEnv::new(backend, "2026-12-05");
        let clerk = env.user("clerk1", "clerk");
        for cu in 1..=CUSTOMERS {
            env.with(|c| {
                diesel::sql_query(format!("INSERT INTO customers (id, store_id, name, phone, clerk_id, created_at, updated_at) VALUES ({cu}, 1, 'c{cu}', '1380000000{cu}', {clerk}, {T}, {T})"))
                    .execute(c)
                    .unwrap();
            });
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
        let w = std::cell::RefCell::new(World {
            env: &env,
            clerk,
            visits: vec![],
            next: 1000,
        });
        runner
            .run(&proptest::collection::vec(op(), 1..40), |ops| {
                let mut w = w.borrow_mut();
                for o in &ops {
                    w.apply(o);
                }
                w.check()
            })
            .unwrap();
        // A date tampered with is named by verify and put back by rebuild.
        let w = w.into_inner();
        w.sql("INSERT INTO visits (id, store_id, customer_id, kind, checked_in_at, visit_date, items, source, created_at, updated_at) VALUES (1, 1, 1, 'repair', '2026-10-01 00:00:00', '2026-06-01', '', 'test', '2026-10-01 00:00:00', '2026-10-01 00:00:00')");
        w.sql("UPDATE visits SET next_visit_on = '2030-01-01' WHERE id = 1");
        let (code, out, _) = cli(&env.db, "2026-12-05", &["verify"], None);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("visit 1"), "{out}");
        let (code, out, err) = cli(&env.db, "2026-12-05", &["summary", "rebuild"], None);
        assert_eq!(code, 0, "{out}{err}");
        assert!(env
            .with(|c| neighbour_disagreements(c, 10))
            .unwrap()
            .is_empty());
    }
);
