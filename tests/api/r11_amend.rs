//! R11: a register line is corrected only by an amendment line that names it and says why;
//! the original stays, exports show both, and the chain still verifies.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

both_backends!(
    r11_an_amendment_is_a_new_line_naming_the_line_it_corrects,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
        let (_, _, first) = api.picked_up(
            &env,
            "13700000201",
            "沪K·10001",
            "2026-11-18T09:00",
            "2026-11-18T16:00",
        );
        api.call(json!({"task_id": first, "outcome": "busy", "called_at": "2026-11-22T10:00"}));
        let line_id: i32 = env.with(|c| {
            use diesel::prelude::*;
            aftercare::db::schema::call_register::table
                .select(aftercare::db::schema::call_register::id)
                .first(c)
                .unwrap()
        });
        let mut clerk = Browser::new(&app);
        clerk.login("clerk1");
        clerk.get("/queue");
        assert_eq!(
            clerk
                .post(
                    &format!("/registers/call-register/{line_id}/amend"),
                    &[("outcome", "no_answer"), ("amend_reason", "x")]
                )
                .status,
            403
        );

        let mut sup = Browser::new(&app);
        sup.login("sup");
        let page = sup.get(&format!("/registers/call-register/{line_id}"));
        assert!(page.body.contains("id=\"amend-form\""));
        let r = sup.post(
            &format!("/registers/call-register/{line_id}/amend"),
            &[("outcome", "no_answer"), ("amend_reason", "")],
        );
        assert_eq!(r.status, 422, "a reason is required");
        let r = sup.post(
            &format!("/registers/call-register/{line_id}/amend"),
            &[
                ("outcome", "no_answer"),
                ("amend_reason", "占线记错，实为无人接听"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());

        let (code, out, _) = cli(
            &env.db,
            "2026-11-24",
            &[
                "export",
                "call-register",
                "--from",
                "2026-11-01",
                "--to",
                "2026-11-30",
            ],
            None,
        );
        assert_eq!(code, 0);
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&out.as_bytes()[3..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 3, "the original and the amendment");
        assert_eq!(
            (
                rows[1][0].as_str(),
                rows[1][6].as_str(),
                rows[1][10].as_str()
            ),
            ("DH-2026-000001", "占线", "")
        );
        assert_eq!(
            (
                rows[2][0].as_str(),
                rows[2][6].as_str(),
                rows[2][10].as_str(),
                rows[2][11].as_str()
            ),
            (
                "DH-2026-000002",
                "无人接听",
                "DH-2026-000001",
                "占线记错，实为无人接听"
            )
        );
        assert_eq!(
            rows[2][7], "sup-name",
            "the amendment is attributed to who made it"
        );
        let (code, out, _) = cli(&env.db, "2026-11-24", &["verify"], None);
        assert_eq!(code, 0, "{out}");
    }
);

both_backends!(
    r11_archive_sheets_and_call_records_are_amended_by_new_numbered_lines,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
        let (vid, _, first) = api.picked_up(
            &env,
            "13700000301",
            "沪K·10002",
            "2026-11-18T09:00",
            "2026-11-18T16:00",
        );
        let r = api.post(
            &format!("/api/v1/archives/{vid}"),
            json!({"plan": [{"purpose": "N3", "date": "2026-12-15", "talking_points": "告知空调清洗八折"}]}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        api.call(
            json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-22T10:00",
            "key_points": "客户说保养很好"}),
        );
        let ids = |table: &str| -> i32 {
            env.with(|c| {
                use diesel::prelude::*;
                #[derive(QueryableByName)]
                struct Id {
                    #[diesel(sql_type = diesel::sql_types::Integer)]
                    id: i32,
                }
                diesel::sql_query(format!("SELECT id FROM {table} ORDER BY id LIMIT 1"))
                    .get_result::<Id>(c)
                    .unwrap()
                    .id
            })
        };
        let (archive, record) = (ids("archives"), ids("call_records"));
        let mut sup = Browser::new(&app);
        sup.login("sup");
        sup.get(&format!("/registers/archives/{archive}"));
        let bad = sup.post(
            &format!("/registers/archives/{archive}/amend"),
            &[("phone", "12345"), ("amend_reason", "x")],
        );
        assert_eq!(bad.status, 422, "a bad phone is refused by name");
        let r = sup.post(
            &format!("/registers/archives/{archive}/amend"),
            &[
                ("address", "上海市浦东新区世纪大道 100 号"),
                ("amend_reason", "地址记错"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        sup.get(&format!("/registers/call-records/{record}"));
        let r = sup.post(
            &format!("/registers/call-records/{record}/amend"),
            &[
                ("key_points", "客户说保养很好，希望下次提前预约"),
                ("amend_reason", "漏记预约要求"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let boss = Api::new(&app, &env.token("sup"));
        for (reg, original, amendment, text) in [
            ("archives", "DA-2026-000001", "DA-2026-000002", "地址记错"),
            (
                "call-records",
                "JL-2026-000001",
                "JL-2026-000002",
                "漏记预约要求",
            ),
        ] {
            let out = boss.get(&format!(
                "/api/v1/registers/{reg}?from=2026-11-01&to=2026-11-30&format=json"
            ));
            let lines = out.json()["lines"].as_array().unwrap().clone();
            assert_eq!(lines.len(), 2, "{reg}: the original and its amendment");
            let no = if reg == "archives" {
                "archive_no"
            } else {
                "record_no"
            };
            assert_eq!(lines[0][no], original);
            assert_eq!(lines[0]["amends"], "");
            assert_eq!(lines[1][no], amendment);
            assert_eq!(lines[1]["amends"], original);
            assert_eq!(lines[1]["amend_reason"], text);
        }
        // The archive sheet of the visit is still the original; the amendment is not another
        // call (the first follow-up stays done once, X4 still sees one call that day).
        let sheet = sup.get(&format!("/archives/{vid}"));
        assert!(sheet.body.contains("DA-2026-000001"));
        let (code, out, err) = cli(&env.db, "2026-11-24", &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
        assert_eq!(
            env.with(|c| aftercare::models::call::outbound_follow_ups_on(
                c,
                1,
                "2026-11-22".parse().unwrap()
            )
            .unwrap()
            .len()),
            1
        );
    }
);
