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
