//! R11: the registers exported as CSV by `aftercare export` and `GET /api/v1/registers/…`:
//! CONTRACT.md's columns in both languages, UTF-8 with BOM, formula cells neutralised.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

/// A clerk's calls: a failed attempt, and a reached call whose key points hold every kind of
/// character a CSV must survive.
fn calls(b: Backend) -> (TestEnv, TestApp, Api) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    env.user("audit", "auditor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    let (_, _, first) = api.picked_up(
        &env,
        "13700000001",
        "沪H·10001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-22T10:00"}));
    api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-23T10:00", "key_points": "=HYPERLINK(\"x\"), 逗号, \"引号\"\n第二行 😀",
        "items": [{"kind": "complaint", "text": "+投诉"}]}));
    (env, app, api)
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

both_backends!(
    r11_export_writes_the_contract_columns_in_both_languages_and_survives_naughty_text,
    |b| {
        let (env, _app, _api) = calls(b);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("calls.csv");
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
        assert!(!dir.path().join("calls.partial").exists());
        let rows = read_csv(&std::fs::read(&file).unwrap());
        assert_eq!(
            rows[0],
            vec![
                "登记号",
                "日期",
                "客户名称",
                "电话",
                "去电/来电",
                "类别",
                "结果",
                "经办人",
                "记录编号",
                "门店",
                "更正",
                "更正原因"
            ]
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(
            &rows[1][..7],
            &[
                "DH-2026-000001",
                "2026-11-22",
                "王伟",
                "13700000001",
                "去电",
                "跟踪服务",
                "无人接听"
            ]
        );
        assert_eq!(rows[2][6], "接通");

        let (code, out, _) = cli(
            &env.db,
            "2026-11-24",
            &[
                "export",
                "call-records",
                "--from",
                "2026-11-23",
                "--to",
                "2026-11-23",
                "--lang",
                "en",
            ],
            None,
        );
        assert_eq!(code, 0);
        let rows = read_csv(out.as_bytes());
        assert_eq!(
            rows[0][..11],
            [
                "record_no",
                "called_at",
                "direction",
                "category",
                "customer_name",
                "phone",
                "plate",
                "key_points",
                "items_raised",
                "handling",
                "handled_by"
            ]
        );
        assert_eq!(rows.len(), 2, "only the 23rd");
        assert_eq!(
            rows[1][7], "'=HYPERLINK(\"x\"), 逗号, \"引号\"\n第二行 😀",
            "round trip, formula neutralised"
        );
        assert_eq!(rows[1][8], "Complaint: +投诉");
        assert_eq!(rows[1][6], "沪H·10001");
    }
);

both_backends!(r11_export_refuses_bad_arguments_and_roles, |b| {
    let (env, app, api) = calls(b);
    let (code, _, err) = cli(
        &env.db,
        "2026-11-24",
        &[
            "export",
            "call-register",
            "--from",
            "2026-11-30",
            "--to",
            "2026-11-01",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("开始日期晚于结束日期"), "{err}");
    let (code, _, err) = cli(
        &env.db,
        "2026-11-24",
        &[
            "export",
            "calls",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(err.contains("不是可选的表格"), "{err}");
    // A clerk cannot export; an auditor can, as CSV or JSON.
    assert_eq!(
        api.get("/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30")
            .status,
        403
    );
    let auditor = Api::new(&app, &env.token("audit"));
    let r = auditor
        .get("/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30&format=json&lang=en");
    assert_eq!(r.status, 200, "{}", r.body);
    let lines = r.json()["lines"].as_array().unwrap().clone();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (
            lines[0]["register_no"].as_str(),
            lines[0]["outcome"].as_str()
        ),
        (Some("DH-2026-000001"), Some("No answer"))
    );
    let r = auditor.get("/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30");
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    let r = auditor.get("/api/v1/registers/nope?from=2026-11-01&to=2026-11-30");
    assert_eq!(
        (r.status, r.json()["error"]["field"].as_str()),
        (422, Some("register"))
    );
});
