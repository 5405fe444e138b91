//! R11: register lines are append-only (the database itself refuses UPDATE and DELETE), each
//! register is a hash chain, and `aftercare verify` names the first broken line.

use crate::both_backends;
use crate::helpers::*;
use diesel::RunQueryDsl;
use serde_json::json;

fn two_calls(b: Backend) -> (TestEnv, TestApp) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    let (_, _, first) = api.picked_up(
        &env,
        "13700000101",
        "沪J·10001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-22T10:00"}));
    api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-23T10:00", "key_points": "客户满意"}));
    (env, app)
}

fn sql(env: &TestEnv, q: &str) -> Result<usize, String> {
    env.with(|c| diesel::sql_query(q).execute(c).map_err(|e| e.to_string()))
}

both_backends!(
    r11_register_lines_cannot_be_updated_or_deleted_even_by_hand,
    |b| {
        let (env, _app) = two_calls(b);
        for q in [
            "UPDATE call_register SET outcome = 'reached'",
            "DELETE FROM call_register",
            "UPDATE call_records SET key_points = 'changed'",
            "DELETE FROM call_records",
            "UPDATE register_chain SET hash = 'x'",
            "DELETE FROM audit_log",
        ] {
            let e = sql(&env, q).expect_err(q);
            assert!(e.contains("append-only"), "{q}: {e}");
        }
        // Links that are not register content may still move (a customer merge does that).
        assert!(sql(&env, "UPDATE call_records SET customer_id = customer_id").is_ok());
    }
);

both_backends!(r11_verify_names_the_first_broken_line, |b| {
    let (env, _app) = two_calls(b);
    let (code, out, err) = cli(&env.db, "2026-11-24", &["verify"], None);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("完整"), "{out}");
    // Someone with the database file drops the protection and edits a line.
    let drop = match b {
        Backend::Sqlite => "DROP TRIGGER call_register_no_update",
        Backend::Postgres => "DROP TRIGGER call_register_no_update ON call_register",
    };
    sql(&env, drop).unwrap();
    sql(
        &env,
        "UPDATE call_register SET outcome = 'reached' WHERE register_no = 'DH-2026-000001'",
    )
    .unwrap();
    let (code, out, _) = cli(&env.db, "2026-11-24", &["verify"], None);
    assert_eq!(code, 1);
    assert!(
        out.contains("call-register")
            && out.contains("DH-2026-000001")
            && out.contains("内容被改动"),
        "{out}"
    );
});

both_backends!(
    r11_an_export_writes_a_manifest_with_its_hash_and_chain_heads,
    |b| {
        let (env, _app) = two_calls(b);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("register.csv");
        let (code, _, err) = cli(
            &env.db,
            "2026-11-24",
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
        let manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(dir.path().join("register.csv.manifest.json")).unwrap(),
        )
        .unwrap();
        assert!(
            !dir.path().join("register.manifest.json").exists(),
            "FILE.manifest.json, as the README says"
        );
        use sha2::Digest;
        let sha = hex::encode(sha2::Sha256::digest(std::fs::read(&file).unwrap()));
        assert_eq!(manifest["sha256"], sha);
        assert_eq!(manifest["lines"], 2);
        assert_eq!(manifest["chain_heads"][0]["lines_in_chain"], 2);
        let heads: i64 = env.with(|c| {
            use diesel::prelude::*;
            aftercare::db::schema::chain_heads::table
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(heads, 1, "the head given out is recorded for verify");
    }
);
