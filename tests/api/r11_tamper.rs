//! R11: every quiet rewrite of the database is found by `aftercare verify` (exit 1, naming what
//! was touched) — done here with raw SQL on a connection of its own, as `sqlite3` or `psql`
//! would, after dropping the triggers where the triggers would refuse it.

use crate::both_backends;
use crate::helpers::*;
use diesel::RunQueryDsl;
use serde_json::json;

const TODAY: &str = "2026-11-24";

/// Three call-register lines (DH-2026-000001 … 000003) of one customer.
fn three_calls(b: Backend) -> (TestEnv, TestApp, i64) {
    let env = TestEnv::new(b, TODAY);
    env.user("clerk1", "clerk");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    let (_, cid, first) = api.picked_up(
        &env,
        "13700000101",
        "沪J·10001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-21T10:00"}));
    api.call(json!({"task_id": first, "outcome": "busy", "called_at": "2026-11-22T15:00"}));
    api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-23T10:00", "key_points": "客户满意"}));
    (env, app, cid)
}

fn sql(env: &TestEnv, q: &str) -> Result<usize, String> {
    env.with(|c| diesel::sql_query(q).execute(c).map_err(|e| e.to_string()))
}

/// Drops a trigger as someone with the database file would.
fn drop_trigger(env: &TestEnv, b: Backend, trigger: &str, table: &str) {
    let q = match b {
        Backend::Sqlite => format!("DROP TRIGGER {trigger}"),
        Backend::Postgres => format!("DROP TRIGGER {trigger} ON {table}"),
    };
    sql(env, &q).unwrap();
}

fn verify(env: &TestEnv, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["verify"];
    args.extend_from_slice(extra);
    let (code, out, err) = cli(&env.db, TODAY, &args, None);
    (code, format!("{out}{err}"))
}

fn assert_intact(env: &TestEnv) {
    let (code, out) = verify(env, &[]);
    assert_eq!(code, 0, "{out}");
}

both_backends!(r11_a_gap_in_the_numbers_is_named_by_verify, |b| {
    let (env, app, cid) = three_calls(b);
    assert_intact(&env);
    // The counter jumps by five; the next call is numbered 000009 right after 000003.
    sql(
        &env,
        "UPDATE register_counters SET last_no = last_no + 5 WHERE register = 'call-register'",
    )
    .unwrap();
    let api = Api::new(&app, &env.token("clerk1"));
    api.call(json!({"customer_id": cid, "direction": "inbound", "category": "inquiry", "outcome": "reached", "called_at": "2026-11-24T09:00", "key_points": "问保养"}));
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("call-register")
            && out.contains("DH-2026-000004 … DH-2026-000008")
            && out.contains("缺号"),
        "{out}"
    );
});

both_backends!(
    r11_a_counter_that_does_not_match_the_last_line_is_named,
    |b| {
        let (env, _app, _) = three_calls(b);
        sql(
            &env,
            "UPDATE register_counters SET last_no = 7 WHERE register = 'call-records'",
        )
        .unwrap();
        let (code, out) = verify(&env, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("call-records")
                && out.contains("JL-2026-000007")
                && out.contains("计数器"),
            "{out}"
        );
    }
);

both_backends!(
    r11_a_deleted_middle_line_is_named_as_the_missing_number,
    |b| {
        let (env, _app, _) = three_calls(b);
        drop_trigger(&env, b, "call_register_no_delete", "call_register");
        drop_trigger(&env, b, "register_chain_no_delete", "register_chain");
        sql(&env, "DELETE FROM register_chain WHERE register = 'call-register' AND line_id = (SELECT id FROM call_register WHERE register_no = 'DH-2026-000002')").unwrap();
        sql(
            &env,
            "DELETE FROM call_register WHERE register_no = 'DH-2026-000002'",
        )
        .unwrap();
        let (code, out) = verify(&env, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("DH-2026-000002（缺号）"), "{out}");
        assert!(
            !out.contains("DH-2026-000003"),
            "the line after the gap is not blamed: {out}"
        );
    }
);

both_backends!(r11_numbers_out_of_order_and_duplicates_are_named, |b| {
    let (env, _app, _) = three_calls(b);
    drop_trigger(&env, b, "call_register_no_update", "call_register");
    sql(
        &env,
        "UPDATE call_register SET register_no = 'DH-2026-000009' WHERE register_no = 'DH-2026-000002'",
    )
    .unwrap();
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("DH-2026-000002 … DH-2026-000008（缺号）")
            && out.contains("DH-2026-000003（编号顺序错乱）"),
        "{out}"
    );
    if b == Backend::Postgres {
        // Without its unique constraint a number can be used twice (SQLite cannot drop one).
        sql(
            &env,
            "ALTER TABLE call_register DROP CONSTRAINT call_register_store_id_register_no_key",
        )
        .unwrap();
        sql(&env, "INSERT INTO call_register (store_id, call_record_id, register_no, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at) SELECT store_id, call_record_id, register_no, record_no, called_on, customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at FROM call_register WHERE register_no = 'DH-2026-000003'").unwrap();
        let (code, out) = verify(&env, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("DH-2026-000003（编号重复）"), "{out}");
    }
});

both_backends!(r11_a_forged_anonymisation_is_named_by_verify, |b| {
    let (env, _app, cid) = three_calls(b);
    // Someone lists the customer as anonymised, opens a pass, and rewrites the personal
    // fields of the lines (the triggers allow that under a pass).
    sql(&env, &format!("INSERT INTO anonymisations (store_id, customer_id, source, reason, by_name, at) VALUES (1, {cid}, 'request', 'x', 'x', '2026-11-24 10:00:00')")).unwrap();
    sql(
        &env,
        &format!("INSERT INTO anonymise_pass (customer_id) VALUES ({cid})"),
    )
    .unwrap();
    sql(
        &env,
        "UPDATE call_register SET customer_name = 'Forged', phone = '13900000000'",
    )
    .unwrap();
    sql(
        &env,
        "UPDATE call_records SET customer_name = 'Forged', phone = '13900000000'",
    )
    .unwrap();
    sql(&env, "DELETE FROM anonymise_pass").unwrap();
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!("anonymisations：customer {cid}"))
            && out.contains("审计哈希链中没有"),
        "{out}"
    );
    assert!(
        out.contains("call-register") && out.contains("个人信息被改动"),
        "the lines are not excused by an unproven anonymisation: {out}"
    );
});

both_backends!(
    r11_the_audit_log_chain_heads_and_anonymisations_refuse_updates_and_deletes,
    |b| {
        let (env, _app, _) = three_calls(b);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.csv");
        let (code, _, err) = cli(
            &env.db,
            TODAY,
            &[
                "export",
                "call-register",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--output",
                file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        for q in [
            "UPDATE audit_log SET id = id + 1000",
            "UPDATE audit_log SET detail = 'x'",
            "DELETE FROM audit_log",
            "UPDATE audit_chain SET hash = 'x'",
            "UPDATE audit_chain SET seq = seq + 1000",
            "DELETE FROM audit_chain",
            "UPDATE chain_heads SET head_hash = 'x'",
            "UPDATE chain_heads SET id = id + 1000",
            "DELETE FROM chain_heads",
            "UPDATE call_register SET id = id + 1000",
            "UPDATE register_chain SET id = id + 1000",
        ] {
            let e = sql(&env, q).expect_err(q);
            assert!(e.contains("append-only"), "{q}: {e}");
        }
        if b == Backend::Postgres {
            for t in [
                "audit_log",
                "chain_heads",
                "call_register",
                "anonymisations",
            ] {
                let e = sql(&env, &format!("TRUNCATE {t} CASCADE")).expect_err(t);
                assert!(e.contains("append-only"), "{t}: {e}");
            }
        }
        assert_intact(&env);
    }
);

both_backends!(r11_the_audit_log_is_a_hash_chain_that_verify_walks, |b| {
    let (env, _app, _) = three_calls(b);
    assert_intact(&env);
    drop_trigger(&env, b, "audit_log_no_update", "audit_log");
    sql(
        &env,
        "UPDATE audit_log SET detail = 'nothing happened' WHERE id = (SELECT MIN(id) FROM audit_log)",
    )
    .unwrap();
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("audit-log：#1") && out.contains("内容被改动"),
        "{out}"
    );
    // A row moved to another id leaves its chain entry without a row, and itself unchained.
    sql(
        &env,
        "UPDATE audit_log SET id = id + 1000 WHERE id = (SELECT MAX(id) FROM audit_log)",
    )
    .unwrap();
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("审计记录不存在") && out.contains("不在哈希链中"),
        "{out}"
    );
});

both_backends!(r11_an_emptied_audit_log_is_named_by_verify, |b| {
    let (env, _app, _) = three_calls(b);
    drop_trigger(&env, b, "audit_log_no_delete", "audit_log");
    sql(&env, "DELETE FROM audit_log").unwrap();
    let (code, out) = verify(&env, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("audit-log：#1") && out.contains("审计记录不存在"),
        "{out}"
    );
});

both_backends!(
    r11_heads_kept_outside_find_a_removed_last_line_that_verify_alone_cannot,
    |b| {
        let (env, _app, _) = three_calls(b);
        let (code, heads, err) = cli(&env.db, TODAY, &["heads"], None);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&heads).unwrap();
        let reg = v["heads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["register"] == "call-register")
            .unwrap()
            .clone();
        assert_eq!(reg["store"], "main");
        assert_eq!(reg["year"], 2026);
        assert_eq!(reg["lines"], 3);
        assert_eq!(reg["last_number"], "DH-2026-000003");
        assert_eq!(reg["hash"].as_str().unwrap().len(), 64);
        assert!(v["heads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["register"] == "audit-log"));
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("heads.json");
        std::fs::write(&file, &heads).unwrap();
        let (code, out) = verify(&env, &["--heads", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        // The last line goes, with its chain row and the counter: the database alone agrees.
        drop_trigger(&env, b, "call_register_no_delete", "call_register");
        drop_trigger(&env, b, "register_chain_no_delete", "register_chain");
        sql(&env, "DELETE FROM register_chain WHERE register = 'call-register' AND line_id = (SELECT id FROM call_register WHERE register_no = 'DH-2026-000003')").unwrap();
        sql(
            &env,
            "DELETE FROM call_register WHERE register_no = 'DH-2026-000003'",
        )
        .unwrap();
        sql(
            &env,
            "UPDATE register_counters SET last_no = 2 WHERE register = 'call-register'",
        )
        .unwrap();
        assert_intact(&env);
        let (code, out) = verify(&env, &["--heads", file.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("call-register：main 2026 #3") && out.contains("有登记行被删除"),
            "{out}"
        );
        // Not heads at all: bad input.
        std::fs::write(&file, "{\"x\": 1}").unwrap();
        let (code, _) = verify(&env, &["--heads", file.to_str().unwrap()]);
        assert_eq!(code, 2);
    }
);

both_backends!(
    r11_an_export_manifest_is_heads_for_verify_and_its_copy_in_the_audit_log_too,
    |b| {
        let (env, _app, _) = three_calls(b);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("r.csv");
        let (code, _, err) = cli(
            &env.db,
            TODAY,
            &[
                "export",
                "call-register",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
                "--output",
                file.to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
        // The manifest lies beside the file as FILE.manifest.json.
        let manifest = dir.path().join("r.csv.manifest.json");
        let (code, out) = verify(&env, &["--heads", manifest.to_str().unwrap()]);
        assert_eq!(code, 0, "{out}");
        // The heads recorded in the database go, and the last line with them.
        drop_trigger(&env, b, "chain_heads_no_delete", "chain_heads");
        drop_trigger(&env, b, "call_register_no_delete", "call_register");
        drop_trigger(&env, b, "register_chain_no_delete", "register_chain");
        sql(&env, "DELETE FROM chain_heads").unwrap();
        sql(&env, "DELETE FROM register_chain WHERE register = 'call-register' AND line_id = (SELECT id FROM call_register WHERE register_no = 'DH-2026-000003')").unwrap();
        sql(
            &env,
            "DELETE FROM call_register WHERE register_no = 'DH-2026-000003'",
        )
        .unwrap();
        sql(
            &env,
            "UPDATE register_counters SET last_no = 2 WHERE register = 'call-register'",
        )
        .unwrap();
        // The export's manifest, chained in the audit log, still names the head.
        let (code, out) = verify(&env, &[]);
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("main 2026 #3"), "{out}");
        let (code, out) = verify(&env, &["--heads", manifest.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
    }
);
