//! The command line of CONTRACT.md: stores, users, tokens, the DMS import and backups.
//! Exit status 0 success, 2 bad input (naming line, field and reason), 1 anything else.

use crate::both_backends;
use crate::helpers::*;
use aftercare::models::{customer, visit};
use diesel::prelude::*;

pub const HEADER: &str = "external_id,kind,customer_name,phone,address,plate,vehicle_model,vehicle_type,checked_in_at,picked_up_at,items,maintenance_interval_days,maintenance_interval_km,next_maintenance_date,desired_services,odometer_km";

pub fn visits_count(env: &TestEnv) -> i64 {
    env.with(|c| {
        aftercare::db::schema::visits::table
            .count()
            .get_result(c)
            .unwrap()
    })
}

both_backends!(cli_store_user_and_token_commands, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    let (code, out, err) = cli(
        &env.db,
        "2026-11-20",
        &["store", "add", "pudong", "浦东店"],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = cli(
        &env.db,
        "2026-11-20",
        &["store", "add", "pudong", "again"],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("代码") && err.contains("已被使用"), "{err}");

    let (code, out, err) = cli(
        &env.db,
        "2026-11-20",
        &[
            "user", "add", "wangfang", "--role", "clerk", "--store", "pudong",
        ],
        Some("a good password\n"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, _, err) = cli(
        &env.db,
        "2026-11-20",
        &[
            "user", "add", "liqiang", "--role", "boss", "--store", "pudong",
        ],
        Some("a good password\n"),
    );
    assert_eq!(code, 2);
    assert!(err.contains("角色"), "{err}");
    let (code, _, err) = cli(
        &env.db,
        "2026-11-20",
        &[
            "user", "add", "liqiang", "--role", "clerk", "--store", "pudong",
        ],
        Some("short\n"),
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("密码"), "{err}");

    let (code, token, err) = cli(
        &env.db,
        "2026-11-20",
        &["token", "create", "wangfang"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let app = env.spawn();
    let api = Api::new(&app, token.trim());
    let mut body = visit_json("13912345678", "沪A·55555", "2026-11-19T09:00");
    body["store"] = serde_json::json!("pudong");
    assert_eq!(api.post("/api/v1/visits", body.clone()).status, 201);
    let (code, _, _) = cli(
        &env.db,
        "2026-11-20",
        &["user", "disable", "wangfang"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(
        api.post("/api/v1/visits", body).status,
        401,
        "a disabled user's token stops at once"
    );
});

both_backends!(
    cli_import_writes_good_rows_and_lists_every_bad_one_with_its_line,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dms.csv");
        let csv = format!(
        "{HEADER}\n\
         D-1,maintenance,王伟,13812345678,上海市,沪A·12345,大众朗逸,轿车,2026-11-18T09:00,2026-11-18T17:00,更换机油;四轮定位,180,5000,,,20000\n\
         D-2,repair,李娜,12345,上海市,沪A·54321,丰田卡罗拉,轿车,2026-11-18T09:00,,更换刹车片,,,,,\n\
         D-3,consultation,张敏,021-62345678,,,,,2026-11-19T10:00,,咨询延保服务,,,,,\n\
         D-4,wash,赵雷,13800000004,,沪B·11111,,,2026-11-19T10:00,,,,,,,\n\
         D-5,repair,陈晨,13800000005,,沪C·22222,,,2026-11-19T10:00,2026-11-18T10:00,,,,,,\n"
    );
        std::fs::write(&file, csv).unwrap();
        let (code, out, err) = cli(
            &env.db,
            "2026-11-20",
            &["import", "visits", file.to_str().unwrap()],
            None,
        );
        assert_eq!(code, 2, "some rows were rejected: {out}{err}");
        assert!(out.contains("导入 2 条，更新 0 条，拒绝 3 条"), "{out}");
        let rejects = std::fs::read_to_string(dir.path().join("dms.rejects.csv")).unwrap();
        let lines: Vec<&str> = rejects.lines().collect();
        assert_eq!(lines.len(), 4, "{rejects}");
        assert!(lines[0].starts_with("line,reason,external_id"));
        assert!(
            lines[1].starts_with("3,") && lines[1].contains("电话"),
            "{}",
            lines[1]
        );
        assert!(
            lines[2].starts_with("5,") && lines[2].contains("类型"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("6,") && lines[3].contains("接车出厂时间不能早于送修时间"),
            "{}",
            lines[3]
        );
        assert_eq!(visits_count(&env), 2);

        // Re-importing the same external ids updates, never duplicates.
        let again = format!("{HEADER}\nD-1,maintenance,王伟,13812345678,上海市黄浦区,沪A·12345,大众朗逸,轿车,2026-11-18T09:00,2026-11-18T17:00,更换机油,180,5000,,,20100\n");
        std::fs::write(&file, again).unwrap();
        let (code, out, err) = cli(
            &env.db,
            "2026-11-20",
            &["import", "visits", file.to_str().unwrap()],
            None,
        );
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("导入 0 条，更新 1 条，拒绝 0 条"), "{out}");
        assert!(
            !dir.path().join("dms.rejects.csv").exists(),
            "no rejects, no rejects file"
        );
        assert_eq!(visits_count(&env), 2);
        env.with(|c| {
            let cust = customer::by_phone(c, 1, "13812345678").unwrap().unwrap();
            assert_eq!(cust.address.as_deref(), Some("上海市黄浦区"));
            let v = visit::of_customer(c, cust.id).unwrap();
            assert_eq!((v.len(), v[0].odometer_km), (1, Some(20100)));
        });
    }
);

both_backends!(cli_import_refuses_a_bad_file_as_a_whole, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.csv", Vec::new(), "文件是空的"),
        (
            "unknown.csv",
            format!("{HEADER},colour\n").into_bytes(),
            "不认识的列：colour",
        ),
        (
            "noheader.csv",
            "D-1,maintenance,王伟,13812345678\n".as_bytes().to_vec(),
            "缺少标题行",
        ),
        (
            "missing.csv",
            "external_id,kind\nD-1,repair\n".as_bytes().to_vec(),
            "缺少必需的列：customer_name, phone, checked_in_at",
        ),
        // Neither UTF-8 nor GB18030 (0xFF starts no character in either).
        (
            "binary.csv",
            [
                HEADER.as_bytes(),
                b"\nD-1,repair,\xff\xfe\xff,13812345678\n",
            ]
            .concat(),
            "既不是 UTF-8 也不是 GB18030 编码（第 2 行起",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let (code, out, err) = cli(
            &env.db,
            "2026-11-20",
            &["import", "visits", file.to_str().unwrap()],
            None,
        );
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(err.contains(expected), "{name}: {err}");
    }
    assert_eq!(visits_count(&env), 0, "nothing was written");
    let (code, _, err) = cli(
        &env.db,
        "2026-11-20",
        &["import", "visits", "/nonexistent/file.csv"],
        None,
    );
    assert_eq!(code, 2, "{err}");
});

#[test]
fn cli_backup_of_a_running_sqlite_database_passes_integrity_check() {
    let env = TestEnv::new(Backend::Sqlite, "2026-11-20");
    env.user("clerk1", "clerk");
    let token = env.token("clerk1");
    let app = env.spawn();
    let api = Api::new(&app, &token);
    for i in 0..5 {
        api.post(
            "/api/v1/visits",
            visit_json(
                &format!("1381234560{i}"),
                &format!("沪A·7000{i}"),
                "2026-11-19T09:00",
            ),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let (code, out, err) = cli(
        &env.db,
        "2026-11-20",
        &["backup", copy.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    let mut c = diesel::SqliteConnection::establish(copy.to_str().unwrap()).unwrap();
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut c)
        .unwrap();
    assert_eq!(check[0].integrity_check, "ok");
    let n: i64 = aftercare::db::schema::visits::table
        .count()
        .get_result(&mut c)
        .unwrap();
    assert_eq!(n, 5);
    let (code, _, err) = cli(
        &env.db,
        "2026-11-20",
        &["backup", copy.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 2, "an existing file is not overwritten: {err}");
}

#[test]
#[cfg_attr(
    no_postgres,
    ignore = "PostgreSQL is not installed (apt-get install postgresql, then touch build.rs)"
)]
fn cli_backup_of_postgresql_points_to_pg_dump() {
    let env = TestEnv::new(Backend::Postgres, "2026-11-20");
    let (code, _, err) = cli(&env.db, "2026-11-20", &["backup", "/tmp/x.db"], None);
    assert_eq!(code, 2);
    assert!(err.contains("pg_dump"), "{err}");
}

#[test]
fn cli_bad_database_url_is_explained() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aftercare"))
        .args(["--database-url", "mysql://x", "migrate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected sqlite://PATH or postgres://"));
}
