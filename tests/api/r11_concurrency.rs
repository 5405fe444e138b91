//! R11 under load: eight clerks record 250 calls each at the same time through the API while
//! failures are injected — bad input refused before anything is written, and a failure deep
//! inside the transaction after the numbers were taken (a trigger the test adds refuses some
//! call-register lines). Numbers must come out exactly 1..N in every register, with the
//! chains intact: a failed call leaves no gap, and no number is used twice.

use crate::both_backends;
use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;

const WRITERS: usize = 8;
const CALLS: usize = 250;

/// Refuses the call-register line of a call whose key points are exactly `FAIL`, after the
/// call record and both numbers were written in the same transaction.
fn inject_failures(env: &TestEnv, b: Backend) {
    let statements: &[&str] = match b {
        Backend::Sqlite => &[
            "CREATE TRIGGER inject_failure BEFORE INSERT ON call_register \
             WHEN (SELECT key_points FROM call_records WHERE id = NEW.call_record_id) = 'FAIL' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        Backend::Postgres => &[
            "CREATE FUNCTION inject_failure() RETURNS trigger AS $$ BEGIN \
             IF (SELECT key_points FROM call_records WHERE id = NEW.call_record_id) = 'FAIL' THEN \
             RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER inject_failure BEFORE INSERT ON call_register \
             FOR EACH ROW EXECUTE FUNCTION inject_failure()",
        ],
    };
    env.with(|c| {
        for s in statements {
            diesel::sql_query(*s).execute(c).expect("trigger");
        }
    });
}

fn numbers(env: &TestEnv, table: &str, column: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct No {
        #[diesel(sql_type = diesel::sql_types::Text)]
        no: String,
    }
    env.with(|c| {
        diesel::sql_query(format!(
            "SELECT {column} AS no FROM {table} ORDER BY {column}"
        ))
        .load::<No>(c)
        .unwrap()
        .into_iter()
        .map(|n| n.no)
        .collect()
    })
}

both_backends!(
    r11_numbers_stay_gapless_under_eight_concurrent_writers_with_injected_failures,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        let clerks: Vec<String> = (1..=WRITERS).map(|i| format!("clerk{i}")).collect();
        for c in &clerks {
            env.user(c, "clerk");
        }
        env.user("boss", "supervisor");
        let app = env.spawn();
        let boss = Api::new(&app, &env.token("boss"));
        // One customer per clerk (round robin), each written by the clerk who owns them.
        let mut work = Vec::new();
        for i in 0..WRITERS {
            let v = boss.visit(
                &format!("1390000{:04}", i),
                &format!("沪C·{:05}", 10000 + i),
                "2026-11-20T09:00",
            );
            let cid = v["customer_id"].as_i64().unwrap();
            let owner: String = env.with(|c| {
                use aftercare::db::schema::{customers, users};
                customers::table
                    .inner_join(users::table.on(customers::clerk_id.eq(users::id.nullable())))
                    .filter(customers::id.eq(cid as i32))
                    .select(users::username)
                    .first(c)
                    .unwrap()
            });
            work.push((cid, env.token(&owner)));
        }
        inject_failures(&env, b);
        let results: Vec<(usize, usize, usize)> = std::thread::scope(|s| {
            let handles: Vec<_> = work
                .iter()
                .enumerate()
                .map(|(w, (cid, token))| {
                    let api = Api::new(&app, token);
                    s.spawn(move || {
                        let (mut ok, mut refused, mut failed) = (0, 0, 0);
                        for i in 0..CALLS {
                            let key_points = match (w + i) % 10 {
                                3 => "FAIL".to_string(),
                                7 => String::new(), // a reached call without key points
                                _ => format!("第{w}位第{i}通"),
                            };
                            let r = api.post(
                                "/api/v1/calls",
                                json!({"customer_id": cid, "direction": "inbound",
                                       "category": "inquiry", "outcome": "reached",
                                       "key_points": key_points}),
                            );
                            match r.status {
                                201 => ok += 1,
                                422 => refused += 1,
                                500 => failed += 1,
                                other => panic!("writer {w} call {i}: {other} {}", r.body),
                            }
                        }
                        (ok, refused, failed)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: usize = results.iter().map(|r| r.0).sum();
        let refused: usize = results.iter().map(|r| r.1).sum();
        let failed: usize = results.iter().map(|r| r.2).sum();
        assert_eq!(ok + refused + failed, WRITERS * CALLS);
        assert_eq!(refused, WRITERS * CALLS / 10, "bad input refused");
        assert_eq!(failed, WRITERS * CALLS / 10, "injected failures");
        // Exactly 1..N in both call registers, no gap, no number twice.
        for (table, column, prefix) in [
            ("call_register", "register_no", "DH"),
            ("call_records", "record_no", "JL"),
        ] {
            let got = numbers(&env, table, column);
            let want: Vec<String> = (1..=ok).map(|n| format!("{prefix}-2026-{n:06}")).collect();
            assert_eq!(got.len(), ok, "{table}");
            assert_eq!(got, want, "{table} numbers are 1..{ok}");
        }
        let (code, out, err) = cli(&env.db, "2026-11-24", &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
    }
);
