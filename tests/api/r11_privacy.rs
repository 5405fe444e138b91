//! R11 privacy: masked phone numbers with a logged reveal, full-phone exports only by a
//! supervisor's grant, export limits and encodings, anonymisation (on request and by the
//! retention job) that keeps the chains verifying, and the audit log that records it all.

use crate::both_backends;
use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;

const PHONE: &str = "13812345678";
const MASKED: &str = "138****5678";

/// Two clerks, a supervisor and an auditor; one customer (of whichever clerk round robin
/// gave them) with a visit, a pick-up and a reached follow-up call. Returns the customer, its
/// clerk's name, the other clerk's name.
fn shop(b: Backend) -> (TestEnv, TestApp, i64, String, String) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    env.user("clerk2", "clerk");
    env.user("boss", "supervisor");
    env.user("audit", "auditor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("boss"));
    let (_, cid, first) = api.picked_up(
        &env,
        PHONE,
        "沪A·12345",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    let owner: String = env.with(|c| {
        use aftercare::db::schema::{customers, users};
        customers::table
            .inner_join(users::table.on(customers::clerk_id.eq(users::id.nullable())))
            .filter(customers::id.eq(cid as i32))
            .select(users::username)
            .first(c)
            .unwrap()
    });
    let other = if owner == "clerk1" {
        "clerk2"
    } else {
        "clerk1"
    }
    .to_string();
    Api::new(&app, &env.token(&owner)).call(json!({
        "task_id": first, "outcome": "reached", "called_at": "2026-11-22T10:00",
        "key_points": "客户满意"
    }));
    (env, app, cid, owner, other)
}

fn audit_rows(env: &TestEnv, action: &str) -> Vec<(String, String, String)> {
    env.with(|c| {
        use aftercare::db::schema::audit_log;
        audit_log::table
            .filter(audit_log::action.eq(action))
            .order(audit_log::id)
            .select((audit_log::actor, audit_log::subject, audit_log::detail))
            .load(c)
            .unwrap()
    })
}

both_backends!(
    r11_phones_are_masked_for_other_clerks_and_auditors_and_a_reveal_is_logged,
    |b| {
        let (env, app, cid, owner, other) = shop(b);
        let page = format!("/customers/{cid}");
        // The customer's own clerk and the supervisor see the whole number.
        for who in [owner.as_str(), "boss"] {
            let mut w = Browser::new(&app);
            w.login(who);
            let r = w.get(&page);
            assert!(r.body.contains(PHONE), "{who} sees the number");
            assert!(!r.body.contains("reveal-form"), "{who} needs no reveal");
        }
        // Another clerk (ASVS 8.2.2) does not open the customer at all; for an inbound call
        // they see the card, with the number masked, and cannot reveal it.
        let mut w = Browser::new(&app);
        w.login(&other);
        assert_eq!(w.get(&page).status, 404);
        let card = w.get(&format!("/calls/new?customer={cid}"));
        assert_eq!(card.status, 200);
        assert!(
            card.body.contains(MASKED) && !card.body.contains(PHONE),
            "{}",
            card.body
        );
        let list = w.get("/customers?mine=0");
        assert!(!list.body.contains(PHONE));
        w.get("/calls/new");
        let shown = w.post(&format!("/customers/{cid}/reveal"), &[]);
        assert_eq!(shown.status, 404);
        assert!(!shown.body.contains(PHONE));
        assert!(audit_rows(&env, "phone.reveal").is_empty());
        // An auditor reads the registers masked; the line's reveal is logged too.
        let mut a = Browser::new(&app);
        a.login("audit");
        let reg = a.get("/registers/call-register?from=2026-11-01&to=2026-11-30");
        assert!(
            reg.body.contains(MASKED) && !reg.body.contains(PHONE),
            "{}",
            reg.body
        );
        let id: i32 = env.with(|c| {
            aftercare::db::schema::call_register::table
                .select(aftercare::db::schema::call_register::id)
                .first(c)
                .unwrap()
        });
        let detail = a.get(&format!("/registers/call-register/{id}"));
        assert!(detail.body.contains(MASKED) && detail.body.contains("reveal-form"));
        let shown = a.post(&format!("/registers/call-register/{id}/reveal"), &[]);
        assert_eq!(shown.status, 200);
        assert!(shown.body.contains(PHONE));
        let log = audit_rows(&env, "phone.reveal");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].0, "audit");
        // The supervisor's register page shows whole numbers.
        let mut s = Browser::new(&app);
        s.login("boss");
        assert!(s
            .get("/registers/call-register?from=2026-11-01&to=2026-11-30")
            .body
            .contains(PHONE));
    }
);

both_backends!(
    r11_auditors_export_masked_phones_unless_a_supervisor_grants_whole_numbers,
    |b| {
        let (env, app, _, _, _) = shop(b);
        let auditor = Api::new(&app, &env.token("audit"));
        let path = "/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30";
        let r = auditor.get(path);
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains(MASKED) && !r.body.contains(PHONE),
            "{}",
            r.body
        );
        let refused = auditor.get(&format!("{path}&phones=full"));
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.json()["error"]["field"], "phones");
        assert_eq!(refused.json()["error"]["code"], "phones-full-needs-grant");
        // The supervisor grants it on the registers page, with a reason and an end date.
        let mut s = Browser::new(&app);
        s.login("boss");
        s.get("/registers");
        let bad = s.post(
            "/registers/grants",
            &[
                ("grantee", "clerk1"),
                ("expires_on", "2026-11-20"),
                ("reason", ""),
            ],
        );
        assert_eq!(bad.status, 422);
        let text = bad.text();
        assert!(
            text.contains("不是本店在职的审计员") && text.contains("不能早于今天"),
            "{text}"
        );
        let auditor_id = env.with(|c| {
            aftercare::models::user::by_username(c, "audit")
                .unwrap()
                .unwrap()
                .id
        });
        let ok = s.post(
            "/registers/grants",
            &[
                ("grantee", &auditor_id.to_string()),
                ("expires_on", "2026-11-30"),
                ("reason", "年度稽核"),
            ],
        );
        assert_eq!(ok.status, 303, "{}", ok.body);
        let full = auditor.get(&format!("{path}&phones=full"));
        assert_eq!(full.status, 200);
        assert!(full.body.contains(PHONE));
        let grants = audit_rows(&env, "export.grant");
        assert_eq!(grants.len(), 1);
        assert!(grants[0].2.contains("年度稽核"));
        let exports = audit_rows(&env, "register.export");
        let last: serde_json::Value = serde_json::from_str(&exports.last().unwrap().2).unwrap();
        assert_eq!(last["phones"], "full");
        assert!(last["grant"].is_number());
        assert_eq!(last["lines"], 1);
        // The manifest is on the registers page.
        let page = s.get("/registers");
        assert!(page.body.contains(last["sha256"].as_str().unwrap()));
        // A clerk cannot export at all; an auditor cannot grant.
        let clerk = Api::new(&app, &env.token("clerk1"));
        assert_eq!(clerk.get(path).status, 403);
        let mut a = Browser::new(&app);
        a.login("audit");
        a.get("/registers");
        assert_eq!(
            a.post(
                "/registers/grants",
                &[
                    ("grantee", "audit"),
                    ("expires_on", "2026-11-30"),
                    ("reason", "x")
                ]
            )
            .status,
            403
        );
    }
);

both_backends!(
    r11_export_ranges_beyond_the_maximum_and_bad_options_are_refused_by_name,
    |b| {
        let (env, app, _, _, _) = shop(b);
        let auditor = Api::new(&app, &env.token("audit"));
        let long = auditor.get("/api/v1/registers/call-register?from=2025-01-01&to=2026-11-30");
        assert_eq!(long.status, 422);
        assert_eq!(long.json()["error"]["field"], "to");
        assert_eq!(long.json()["error"]["code"], "range-too-long");
        let boss = Api::new(&app, &env.token("boss"));
        assert_eq!(
            boss.get("/api/v1/registers/call-register?from=2025-01-01&to=2026-11-30")
                .status,
            200
        );
        let bad = auditor.get(
            "/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30&encoding=latin1&phones=some",
        );
        assert_eq!(bad.status, 422);
        let msg = bad.json()["error"]["message"].as_str().unwrap().to_string();
        assert!(msg.contains("latin1") && msg.contains("some"), "{msg}");
        // The command line says the same with exit status 2.
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
                "--encoding",
                "latin1",
            ],
            None,
        );
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("latin1"), "{err}");
    }
);

both_backends!(r11_gb18030_export_holds_the_same_lines_for_old_excel, |b| {
    let (env, app, _, _, _) = shop(b);
    let boss = Api::new(&app, &env.token("boss"));
    let path = "/api/v1/registers/call-records?from=2026-11-01&to=2026-11-30";
    let utf8 = boss.get(path);
    let gb = boss.get_bytes(&format!("{path}&encoding=gb18030"));
    assert_eq!(gb.0, 200);
    assert_eq!(gb.1.as_deref(), Some("text/csv; charset=GB18030"));
    assert!(!gb.2.starts_with(b"\xEF\xBB\xBF"), "no BOM in GB18030");
    let (text, _, had_errors) = encoding_rs::GB18030.decode(&gb.2);
    assert!(!had_errors);
    assert_eq!(text, utf8.body.trim_start_matches('\u{feff}'));
    assert!(text.contains("客户满意"));
});

both_backends!(
    r11_anonymisation_clears_personal_fields_everywhere_and_the_chains_still_verify,
    |b| {
        let (env, app, cid, owner, _) = shop(b);
        // A stray statement cannot touch a personal column either.
        let stray = env.with(|c| {
            diesel::sql_query("UPDATE call_register SET customer_name = 'x'")
                .execute(c)
                .map_err(|e| e.to_string())
        });
        assert!(stray.unwrap_err().contains("append-only"));
        // A clerk may not anonymise; a reason is required.
        let mut w = Browser::new(&app);
        w.login(&owner);
        w.get(&format!("/customers/{cid}"));
        assert_eq!(
            w.post(&format!("/customers/{cid}/anonymise"), &[("reason", "x")])
                .status,
            403
        );
        let mut s = Browser::new(&app);
        s.login("boss");
        s.get(&format!("/customers/{cid}"));
        assert_eq!(
            s.post(&format!("/customers/{cid}/anonymise"), &[("reason", " ")])
                .status,
            422
        );
        let r = s.post(
            &format!("/customers/{cid}/anonymise"),
            &[("reason", "客户要求删除个人信息")],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let page = s.get(&format!("/customers/{cid}"));
        assert!(page.body.contains(&format!("匿名客户 #{cid}")));
        assert!(page.body.contains("id=\"anonymised\""));
        assert!(!page.body.contains(PHONE));
        // Every register line lost the name and number; the chains still verify.
        let boss = Api::new(&app, &env.token("boss"));
        for reg in ["archives", "call-records", "call-register"] {
            let csv = boss.get(&format!(
                "/api/v1/registers/{reg}?from=2026-11-01&to=2026-11-30"
            ));
            assert!(!csv.body.contains(PHONE), "{reg}: {}", csv.body);
        }
        let reg = boss.get("/api/v1/registers/call-register?from=2026-11-01&to=2026-11-30");
        assert!(
            reg.body.contains(&format!("匿名客户 #{cid}")),
            "{}",
            reg.body
        );
        let (code, out, err) = cli(&env.db, "2026-11-24", &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
        // Open tasks closed with the reason; anonymising twice is a conflict.
        let open: i64 = env.with(|c| {
            use aftercare::db::schema::tasks;
            tasks::table
                .filter(tasks::customer_id.eq(cid as i32))
                .filter(tasks::status.eq("open"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(open, 0);
        s.get(&format!("/customers/{cid}"));
        assert_eq!(
            s.post(
                &format!("/customers/{cid}/anonymise"),
                &[("reason", "again")]
            )
            .status,
            409
        );
        assert_eq!(audit_rows(&env, "customer.anonymise").len(), 1);
        // Content is still protected after anonymisation.
        let stray = env.with(|c| {
            diesel::sql_query("UPDATE call_records SET key_points = 'x'")
                .execute(c)
                .map_err(|e| e.to_string())
        });
        assert!(stray.is_err());
    }
);

both_backends!(
    r11_retention_job_anonymises_customers_whose_last_visit_is_too_old,
    |b| {
        let (env, _app, cid, _, _) = shop(b);
        // Five years and a day later the customer is due; the job runs once.
        let later = "2031-11-25";
        let (code, out, err) = cli(&env.db, later, &["jobs", "run"], None);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("retention: 已匿名化 1 位客户"), "{out}");
        let name: String = env.with(|c| {
            aftercare::models::customer::by_id(c, cid as i32)
                .unwrap()
                .unwrap()
                .name
        });
        assert_eq!(name, format!("匿名客户 #{cid}"));
        let (code, out, _) = cli(&env.db, later, &["verify"], None);
        assert_eq!(code, 0, "{out}");
        let rows = audit_rows(&env, "customer.anonymise");
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "retention");
    }
);

both_backends!(
    r11_audit_log_records_logins_failures_and_exports_and_is_exported,
    |b| {
        let (env, app, _, _, _) = shop(b);
        let mut x = Browser::new(&app);
        x.login_with("audit", "wrong-password");
        let mut a = Browser::new(&app);
        a.login("audit");
        a.get("/registers/call-register/export.csv?from=2026-11-01&to=2026-11-30");
        let page = a.get("/audit");
        assert_eq!(page.status, 200);
        for action in ["login", "register.export"] {
            assert!(
                page.body.contains(&format!("data-action=\"{action}\"")),
                "{action}"
            );
        }
        assert!(page.body.contains("failed") || page.body.contains("refused"));
        let filtered = a.get("/audit?action=register.export");
        assert!(!filtered.body.contains("data-action=\"login\""));
        let bad = a.get("/audit?from=2026-12-01&to=2026-11-01");
        assert_eq!(bad.status, 422);
        let csv = a.get("/audit/export.csv?from=2026-11-01&to=2026-11-30");
        assert_eq!(csv.status, 200);
        assert!(csv.body.starts_with('\u{feff}'));
        let mut r = csv::Reader::from_reader(csv.body.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(
            r.headers().unwrap().iter().collect::<Vec<_>>()[..4],
            ["序号", "时间（UTC）", "时间（本地）", "操作人"]
        );
        assert!(r.records().count() >= 3);
        assert_eq!(audit_rows(&env, "audit.export").len(), 1);
        // A clerk cannot read it.
        let mut c = Browser::new(&app);
        c.login("clerk1");
        assert_eq!(c.get("/audit").status, 403);
    }
);

both_backends!(
    r11_an_export_cut_short_by_the_client_is_recorded_as_interrupted,
    |b| {
        let (env, app, _, _, _) = shop(b);
        // Enough lines that the export cannot fit in the channel and the socket buffers.
        let fill = match b {
            Backend::Sqlite => {
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
                 INSERT INTO call_register (store_id, register_no, call_record_id, record_no, called_on, \
                 customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at) \
                 SELECT 1, printf('DH-2026-X%06d', i), 1, 'JL-2026-000001', '2026-11-10', '王伟', \
                 '13812345678', 'outbound', 'follow_up', 'reached', 1, 'x', '2026-11-10 10:00:00' FROM n"
            }
            Backend::Postgres => {
                "INSERT INTO call_register (store_id, register_no, call_record_id, record_no, called_on, \
                 customer_name, phone, direction, category, outcome, handled_by_id, handled_by, created_at) \
                 SELECT 1, 'DH-2026-X' || lpad(i::text, 6, '0'), 1, 'JL-2026-000001', '2026-11-10', '王伟', \
                 '13812345678', 'outbound', 'follow_up', 'reached', 1, 'x', '2026-11-10 10:00:00' \
                 FROM generate_series(1, 100000) AS i"
            }
        };
        // The summary counters do not matter here, and on PostgreSQL their row trigger keeps one
        // plan for the whole 100,000-row statement, made while the table was empty: over ten
        // minutes. The lines go in without it.
        env.with(|c| {
            let counter = "TRIGGER summary_calls_insert";
            if b == Backend::Postgres {
                diesel::sql_query(format!("ALTER TABLE call_register DISABLE {counter}"))
                    .execute(c)
                    .unwrap();
            }
            diesel::sql_query(fill).execute(c).unwrap();
            if b == Backend::Postgres {
                diesel::sql_query(format!("ALTER TABLE call_register ENABLE {counter}"))
                    .execute(c)
                    .unwrap();
            }
        });
        let token = env.token("boss");
        let addr = app.base.trim_start_matches("http://").to_string();
        {
            use std::io::{Read, Write};
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            write!(
                s,
                "GET /api/v1/registers/call-register?from=2026-11-01&to=2026-11-30 HTTP/1.1\r\n\
                 Host: {addr}\r\nAuthorization: Bearer {token}\r\n\r\n"
            )
            .unwrap();
            let mut first = [0u8; 4096];
            let n = s.read(&mut first).unwrap();
            assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
        } // the client goes away here
        let mut results = vec![];
        for _ in 0..100 {
            results = env.with(|c| {
                use aftercare::db::schema::audit_log;
                audit_log::table
                    .filter(audit_log::action.eq("register.export"))
                    .select(audit_log::result)
                    .load::<String>(c)
                    .unwrap()
            });
            if !results.is_empty() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert_eq!(results, vec!["interrupted".to_string()]);
    }
);
