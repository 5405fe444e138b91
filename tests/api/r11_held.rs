//! Keep what held (issue 13), bounded for CI: the real binary killed with SIGKILL while
//! clients record calls and visits loses no acknowledged number and leaves no gap; a backup
//! taken under write load verifies; generated JSON bodies get a named refusal or a whole write,
//! never a panic or a 500. `AFTERCARE_KILL_LOOPS` (default 2) and `AFTERCARE_PROPTEST_CASES`
//! (default 24) give more.

use crate::both_backends;
use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const TODAY: &str = "2026-11-24";

/// `aftercare serve` as a child process; the address it printed.
fn serve(db: &TestDb) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftercare"))
        .args([
            "--database-url",
            &db.url,
            "--today",
            TODAY,
            "serve",
            "--bind",
            "127.0.0.1:0",
        ])
        .env_remove("AFTERCARE_CONFIG")
        .env_remove("DATABASE_URL")
        .env_remove("AFTERCARE_TODAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(a) = line.strip_prefix("listening on ") {
            break a.to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// Several clients writing until `stop`: inbound calls on their customer and new visits.
/// Returns what the server acknowledged: register numbers and visit ids.
fn writers(
    addr: &str,
    token: &str,
    customers: &[i64],
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<(Vec<String>, Vec<i64>)>>,
    round: usize,
) -> Vec<std::thread::JoinHandle<()>> {
    customers
        .iter()
        .enumerate()
        .map(|(w, cid)| {
            let (addr, token, cid) = (addr.to_string(), token.to_string(), *cid);
            let (stop, acked) = (stop.clone(), acked.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(5))
                    .build();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let (path, body) = if i % 4 == 0 {
                        let mut v = visit_json(
                            &format!("135{:02}{:02}{:04}", round % 100, w, i % 10000),
                            &format!("沪K·{}{:01}{:03}", w, round % 10, i % 1000),
                            "2026-11-24T09:00",
                        );
                        v["odometer_km"] = json!(null);
                        ("/api/v1/visits", v)
                    } else {
                        (
                            "/api/v1/calls",
                            json!({"customer_id": cid, "direction": "inbound", "category": "inquiry",
                                   "outcome": "reached", "key_points": "来电"}),
                        )
                    };
                    let r = agent
                        .post(&format!("{addr}{path}"))
                        .set("Authorization", &format!("Bearer {token}"))
                        .send_json(body);
                    let Ok(r) = r else { continue };
                    let Ok(v) = r.into_json::<serde_json::Value>() else { continue };
                    let mut a = acked.lock().unwrap();
                    if let Some(no) = v["register_no"].as_str() {
                        a.0.push(no.to_string());
                    }
                    if let Some(id) = v["visit_id"].as_i64() {
                        a.1.push(id);
                    }
                }
            })
        })
        .collect()
}

fn setup(b: Backend) -> (TestEnv, String, Vec<i64>) {
    let env = TestEnv::new(b, TODAY);
    env.user("boss", "supervisor");
    env.user("clerk1", "clerk");
    let token = env.token("boss");
    let app = env.spawn();
    let api = Api::new(&app, &token);
    let customers = (0..3)
        .map(|i| {
            api.visit(
                &format!("1370000{:04}", i),
                &format!("沪J·2{:04}", i),
                "2026-11-20T09:00",
            )["customer_id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    drop(app);
    (env, token, customers)
}

both_backends!(
    r11_sigkill_under_writers_loses_no_acknowledged_number,
    |b| {
        let loops: usize = std::env::var("AFTERCARE_KILL_LOOPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(2);
        let (env, token, customers) = setup(b);
        let acked = Arc::new(Mutex::new((Vec::new(), Vec::new())));
        for round in 0..loops {
            let (mut child, addr) = serve(&env.db);
            let stop = Arc::new(AtomicBool::new(false));
            let hs = writers(
                &addr,
                &token,
                &customers,
                stop.clone(),
                acked.clone(),
                round,
            );
            std::thread::sleep(Duration::from_millis(1500));
            child.kill().expect("SIGKILL");
            let _ = child.wait();
            stop.store(true, Ordering::Relaxed);
            for h in hs {
                let _ = h.join();
            }
        }
        let (numbers, visits) = acked.lock().unwrap().clone();
        assert!(!numbers.is_empty(), "the writers got answers");
        let stored: Vec<String> = env.with(|c| {
            use aftercare::db::schema::call_register;
            call_register::table
                .select(call_register::register_no)
                .load(c)
                .unwrap()
        });
        for n in &numbers {
            assert!(stored.contains(n), "acknowledged {n} is there");
        }
        let stored_visits: Vec<i32> = env.with(|c| {
            use aftercare::db::schema::visits;
            visits::table.select(visits::id).load(c).unwrap()
        });
        for v in &visits {
            assert!(
                stored_visits.contains(&(*v as i32)),
                "acknowledged visit {v}"
            );
        }
        // verify checks every gap, duplicate and order of the numbers, and the chains.
        let (code, out, err) = cli(&env.db, TODAY, &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
    }
);

#[test]
fn r11_a_backup_taken_under_write_load_verifies() {
    let (env, token, customers) = setup(Backend::Sqlite);
    let (mut child, addr) = serve(&env.db);
    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new((Vec::new(), Vec::new())));
    let hs = writers(&addr, &token, &customers, stop.clone(), acked.clone(), 0);
    std::thread::sleep(Duration::from_millis(500));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    let (code, out, err) = cli(&env.db, TODAY, &["backup", file.to_str().unwrap()], None);
    stop.store(true, Ordering::Relaxed);
    for h in hs {
        let _ = h.join();
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 0, "{out}{err}");
    let copy = TestDb::at(format!("sqlite://{}", file.display()));
    let (code, out, err) = cli(&copy, TODAY, &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");
}

mod generated_bodies {
    use super::*;
    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("AFTERCARE_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24)
    }

    /// A JSON value of any shape: deep, wide, huge strings, control characters.
    fn value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(serde_json::Value::from),
            ".{0,40}".prop_map(serde_json::Value::from),
            "[\\x00-\\x1f\\u{202e}\\u{feff}]{0,10}".prop_map(serde_json::Value::from),
            (0usize..200_000).prop_map(|n| serde_json::Value::from("长".repeat(n % 70_000))),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("customer_id".to_string()),
                        Just("task_id".to_string()),
                        Just("phone".to_string()),
                        Just("items".to_string()),
                        Just("called_at".to_string()),
                        Just("kind".to_string()),
                        ".{0,8}".prop_map(|s| s)
                    ],
                    inner,
                    0..8
                )
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    #[test]
    fn r11_generated_json_bodies_get_a_named_refusal_or_a_whole_write() {
        let s = scene(Backend::Sqlite, TODAY, "boss", "supervisor");
        s.env.user("clerk1", "clerk");
        let cid =
            s.api.visit("13700009999", "沪J·99999", "2026-11-20T09:00")["customer_id"].clone();
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: cases(),
            ..ProptestConfig::default()
        });
        let paths = [
            "/api/v1/calls",
            "/api/v1/visits",
            "/api/v1/items/1/escalate",
        ];
        runner
            .run(
                &(
                    value(),
                    prop::collection::vec(any::<u8>(), 0..256),
                    0usize..3,
                    any::<bool>(),
                ),
                |(mut v, bytes, p, raw)| {
                    if let Some(o) = v.as_object_mut() {
                        o.entry("customer_id").or_insert(cid.clone());
                    }
                    let path = paths[p];
                    let r = if raw {
                        s.api.post_raw(path, &String::from_utf8_lossy(&bytes))
                    } else {
                        s.api.post(path, v.clone())
                    };
                    prop_assert!(r.status < 500, "{path} {v}: {} {}", r.status, r.body);
                    if r.status >= 400 {
                        let e = r.json();
                        prop_assert!(
                            e["error"]["code"].is_string(),
                            "{path}: named refusal: {}",
                            r.body
                        );
                    } else {
                        prop_assert!(r.status == 201 || r.status == 200, "{path}: {}", r.status);
                    }
                    Ok(())
                },
            )
            .unwrap();
        // Whatever was written, was written whole: the registers verify.
        let (code, out, err) = cli(&s.env.db, TODAY, &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
    }
}
