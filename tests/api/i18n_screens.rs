//! Issue 12, items 10, 12 and 13: what a person reads on screen, on paper and from the command
//! line is in their language — column headers, values, plurals, audit actions, people's names,
//! confirmations — and the small things of the forms, through the real pages and the CLI on
//! both backends.

use crate::both_backends;
use crate::helpers::*;
use crate::registers::month;
use serde_json::json;

/// The CONTRACT.md identifiers that an English page once showed as its column headers.
const RAW_KEYS: [&str; 6] = [
    "register_no",
    "customer_name",
    "handled_by",
    "amend_reason",
    "record_no",
    "letter_kind",
];

fn assert_no_raw_key(text: &str) {
    for key in RAW_KEYS {
        assert!(!text.contains(key), "{key} shown raw in {text}");
    }
}

both_backends!(
    an_english_register_page_and_its_paper_form_name_every_column_in_english,
    |b| {
        let (_env, app, _api) = month(b);
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        for reg in [
            "call-register",
            "call-records",
            "archives",
            "letter-register",
        ] {
            for path in [
                format!("/registers/{reg}?from=2026-11-01&to=2026-11-30"),
                format!("/registers/{reg}/print?from=2026-11-01&to=2026-11-30"),
            ] {
                let r = en.get(&path);
                assert_eq!(r.status, 200, "{path}: {}", r.body);
                assert_no_raw_key(&r.text());
            }
        }
        let text = en
            .get("/registers/call-register?from=2026-11-01&to=2026-11-30")
            .text();
        for want in [
            "Register no.",
            "Customer name",
            "Handled by",
            "Amendment reason",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
        let text = en
            .get("/registers/call-register/print?from=2026-11-01&to=2026-11-30")
            .text();
        assert!(text.contains("Register no."), "{text}");

        // The CSV stays CONTRACT.md's: its English header row is the identifiers.
        let r = en.get("/registers/call-register/export.csv?from=2026-11-01&to=2026-11-30&lang=en");
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("register_no,date,customer_name"),
            "{}",
            r.body
        );

        // A line's own page labels its fields in English too.
        let r = en.get("/registers/call-register?from=2026-11-22&to=2026-11-22");
        let body = &r.body[r.body.find("id=\"register-lines\"").unwrap()..];
        let key = "href=\"/registers/call-register/";
        let i = body.find(key).unwrap() + key.len();
        let id: i32 = body[i..].split('"').next().unwrap().parse().unwrap();
        let text = en.get(&format!("/registers/call-register/{id}")).text();
        assert!(text.contains("Register no."), "{text}");
        assert_no_raw_key(&text);
    }
);

both_backends!(
    a_register_counts_one_line_and_two_lines_in_english_and_in_chinese,
    |b| {
        let (_env, app, _api) = month(b);
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        let one = en
            .get("/registers/call-register?from=2026-11-22&to=2026-11-22")
            .text();
        assert!(one.contains("1 line") && !one.contains("1 lines"), "{one}");
        let two = en
            .get("/registers/call-register?from=2026-11-21&to=2026-11-22")
            .text();
        assert!(two.contains("2 lines"), "{two}");
        let print = en
            .get("/registers/call-register/print?from=2026-11-22&to=2026-11-22")
            .text();
        assert!(
            print.contains("1 line") && !print.contains("1 lines"),
            "{print}"
        );
        let mut zh = Browser::new(&app);
        zh.login("audit");
        let text = zh
            .get("/registers/call-register?from=2026-11-21&to=2026-11-22")
            .text();
        assert!(text.contains("共 2 行"), "{text}");
    }
);

/// A clerk whose first follow-up of 王伟 failed three times closes it as unreachable and sends
/// the unreachable letter, in Chinese. Returns the app and the first follow-up's task id.
fn unreachable_letter_sent(b: Backend) -> (TestEnv, TestApp, i64) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    env.user("audit", "auditor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    let (_, _, first) = api.picked_up(
        &env,
        "13900000006",
        "沪A·66666",
        "2026-11-18T09:00",
        "2026-11-19T17:00",
    );
    for day in ["2026-11-22T10:00", "2026-11-23T10:00", "2026-11-24T09:00"] {
        api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": day}));
    }
    let mut web = Browser::new(&app);
    web.login("clerk1");
    web.get(&format!("/tasks/{first}/call"));
    let r = web.post(&format!("/tasks/{first}/unreachable"), &[]);
    assert_eq!(r.status, 303, "{}", r.text());
    let letter = env.with(|c| {
        let cid = aftercare::models::task::by_id(c, first as i32)
            .unwrap()
            .unwrap()
            .customer_id;
        aftercare::models::task::of_customer(c, cid)
            .unwrap()
            .into_iter()
            .find(|t| t.kind == "unreachable_letter")
            .expect("letter task")
            .id
    });
    web.get(&format!("/tasks/{letter}/letter"));
    let r = web.post(
        &format!("/tasks/{letter}/letter"),
        &[("action", "sent"), ("letter_lang", "zh-CN")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    (env, app, first)
}

both_backends!(
    a_letter_sent_in_chinese_reads_in_english_on_the_english_letter_register,
    |b| {
        let (_env, app, first) = unreachable_letter_sent(b);
        let mut zh = Browser::new(&app);
        zh.login("audit");
        let text = zh
            .get("/registers/letter-register?from=2026-11-01&to=2026-11-30")
            .text();
        assert!(text.contains("关于您2026年11月18日来店的回访"), "{text}");
        assert!(
            text.contains(&format!("跟踪任务 #{first}：第一次跟踪服务")),
            "{text}"
        );

        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        for path in [
            "/registers/letter-register?from=2026-11-01&to=2026-11-30",
            "/registers/letter-register/print?from=2026-11-01&to=2026-11-30",
        ] {
            let text = en.get(path).text();
            assert!(
                text.contains("About your visit of 18 November 2026"),
                "{text}"
            );
            assert!(
                text.contains(&format!("Follow-up task #{first}: First follow-up")),
                "{text}"
            );
            assert!(text.contains("Notice"), "the letter kind: {text}");
            assert!(
                !text.contains("跟踪任务") && !text.contains("通知"),
                "{text}"
            );
            assert_no_raw_key(&text);
        }
        // The CSV gives the line as it was written and chained.
        let r =
            en.get("/registers/letter-register/export.csv?from=2026-11-01&to=2026-11-30&lang=en");
        assert!(
            r.body.contains("关于您2026年11月18日来店的回访"),
            "{}",
            r.body
        );
    }
);
