//! R6 and R8: customer events — notice calls two weeks ahead, letters within two days of the
//! call or waived with a reason — and every letter in the letter register.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::models::task;
use serde_json::json;

/// A store with a supervisor and a clerk, and three customers of that clerk.
fn shop(b: Backend, today: &str) -> (TestEnv, TestApp, Api, Browser) {
    let env = TestEnv::new(b, today);
    env.user("clerk1", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    for i in 0..3 {
        api.visit(
            &format!("1350000100{i}"),
            &format!("沪G·1000{i}"),
            "2026-11-10T09:00",
        );
    }
    let mut sup = Browser::new(&app);
    sup.login("sup");
    sup.get("/events");
    (env, app, api, sup)
}

fn create_event(sup: &mut Browser, starts_on: &str, kind: &str) -> Resp {
    sup.post(
        "/events",
        &[
            ("kind", kind),
            ("title", "免费检测周"),
            ("starts_on", starts_on),
            ("ends_on", starts_on),
            ("place", "本店服务大厅"),
            ("content", "免费检测刹车和轮胎"),
            ("audience", "all"),
        ],
    )
}

both_backends!(
    r6_an_event_20_days_ahead_gives_notice_calls_due_by_e_minus_14,
    |b| {
        let (env, _app, api, mut sup) = shop(b, "2026-11-20");
        let r = create_event(&mut sup, "2026-12-10", "free_service");
        assert_eq!(r.status, 303, "{}", r.text());
        let event_id: i32 = r
            .location
            .unwrap()
            .trim_start_matches("/events/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let tasks = env.with(|c| task::of_event(c, event_id).unwrap());
        assert_eq!(tasks.len(), 3, "one notice call per invitee");
        for t in &tasks {
            assert_eq!(
                (
                    t.kind.as_str(),
                    t.window_start.to_string(),
                    t.window_end.to_string()
                ),
                ("event_notice", "2026-11-20".into(), "2026-11-26".into())
            );
        }
        assert!(
            api.queue("2026-11-20", None)
                .iter()
                .filter(|t| t.1 == "event_notice")
                .count()
                == 3
        );
        let page = sup.get(&format!("/events/{event_id}"));
        assert!(!page.body.contains("id=\"late-from-start\""));
    }
);

both_backends!(r6_an_event_10_days_ahead_is_late_from_the_start, |b| {
    let (env, _app, _api, mut sup) = shop(b, "2026-11-20");
    let r = create_event(&mut sup, "2026-11-30", "offer");
    let event_id: i32 = r
        .location
        .unwrap()
        .trim_start_matches("/events/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let t = env.with(|c| task::of_event(c, event_id).unwrap().remove(0));
    assert!(
        t.window_end < t.window_start,
        "the notice is overdue from the start"
    );
    let page = sup.get(&format!("/events/{event_id}"));
    assert!(page.body.contains("id=\"late-from-start\""));
    // Bad input: in the past, or nobody to invite.
    let r = create_event(&mut sup, "2026-11-19", "offer");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("活动开始日期已经过去"));
    let r = sup.post(
        "/events",
        &[
            ("kind", "offer"),
            ("title", "x"),
            ("starts_on", "2026-12-30"),
            ("place", "p"),
            ("content", "c"),
            ("audience", "filtered"),
            ("vehicle_type", "直升机"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("没有符合条件的客户"), "{}", r.text());
});

both_backends!(
    r6_r8_a_notice_call_opens_a_letter_due_p_plus_2_sent_into_the_register_or_waived,
    |b| {
        let (env, app, api, mut sup) = shop(b, "2026-11-20");
        let r = create_event(&mut sup, "2026-12-10", "get_together");
        let event_id: i32 = r
            .location
            .unwrap()
            .trim_start_matches("/events/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let notices = env.with(|c| task::of_event(c, event_id).unwrap());
        let r = api.post(
            "/api/v1/calls",
            json!({"task_id": notices[0].id, "outcome": "reached", "key_points": "通知活动"}),
        );
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("event_answer"))
        );
        let r = api.call(json!({"task_id": notices[0].id, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "通知活动，客户会来", "event_answer": "coming"}));
        let letter = r["opened_task"].as_i64().unwrap();
        env.with(|c| {
            let t = task::by_id(c, letter as i32).unwrap().unwrap();
            assert_eq!(
                (
                    t.kind.as_str(),
                    t.window_start.to_string(),
                    t.window_end.to_string()
                ),
                ("event_letter", "2026-11-20".into(), "2026-11-22".into())
            );
        });
        let mut web = Browser::new(&app);
        web.login("clerk1");
        // The customers have addresses (visit_json): the letter prints and is marked sent.
        let page = web.get(&format!("/tasks/{letter}/letter"));
        assert!(page.text().contains("邀请函"), "{}", page.text());
        assert!(page.text().contains("免费检测周"));
        let r = web.post(&format!("/tasks/{letter}/letter"), &[("action", "sent")]);
        assert_eq!(r.status, 303, "{}", r.text());
        let (no, kind, related): (String, String, String) = env.with(|c| {
            use aftercare::db::schema::letter_register as lr;
            use diesel::prelude::*;
            lr::table
                .select((lr::register_no, lr::letter_kind, lr::related_to))
                .first(c)
                .unwrap()
        });
        assert_eq!(
            (no.as_str(), kind.as_str(), related),
            (
                "XH-2026-000001",
                "invitation",
                format!("活动 #{event_id}：免费检测周")
            )
        );
        // The second invitee: the letter is not needed (视情况需要) — waived with a reason.
        let r = api.call(json!({"task_id": notices[1].id, "outcome": "reached", "called_at": "2026-11-20T11:00", "key_points": "客户已知道", "event_answer": "not_coming"}));
        let letter2 = r["opened_task"].as_i64().unwrap();
        web.get(&format!("/tasks/{letter2}/letter"));
        assert_eq!(
            web.post(
                &format!("/tasks/{letter2}/letter"),
                &[("action", "waive"), ("reason", "")]
            )
            .status,
            422
        );
        assert_eq!(
            web.post(
                &format!("/tasks/{letter2}/letter"),
                &[("action", "waive"), ("reason", "客户电话中表示不需要信函")]
            )
            .status,
            303
        );
        env.with(|c| {
            let t = task::by_id(c, letter2 as i32).unwrap().unwrap();
            assert_eq!(
                (t.close_reason.map(|r| r.as_str()), t.note.as_deref()),
                (Some("waived"), Some("客户电话中表示不需要信函"))
            );
        });
        assert_eq!(
            count_rows!(env, letter_register),
            1,
            "a waived letter is not in the register"
        );
        let page = sup.get(&format!("/events/{event_id}"));
        assert!(
            page.text().contains("参加") && page.text().contains("不参加"),
            "{}",
            page.text()
        );
    }
);

both_backends!(
    r8_letters_need_an_address_and_respect_refusals_and_templates_name_bad_fields,
    |b| {
        let (env, app, api, mut sup) = shop(b, "2026-11-20");
        // A customer without an address.
        let v = api.post("/api/v1/visits", json!({"kind": "repair", "customer_name": "无地址", "phone": "13500002000", "plate": "沪G·20000", "checked_in_at": "2026-11-10T09:00"}));
        let cid = v.json()["customer_id"].as_i64().unwrap();
        let r = create_event(&mut sup, "2026-12-10", "offer");
        let event_id: i32 = r
            .location
            .unwrap()
            .trim_start_matches("/events/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let notice = env.with(|c| {
            task::of_event(c, event_id)
                .unwrap()
                .into_iter()
                .find(|t| i64::from(t.customer_id) == cid)
                .unwrap()
        });
        let letter = api.call(json!({"task_id": notice.id, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "通知", "event_answer": "undecided"}))["opened_task"].as_i64().unwrap();
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get(&format!("/tasks/{letter}/letter"));
        let r = web.post(&format!("/tasks/{letter}/letter"), &[("action", "sent")]);
        assert_eq!(r.status, 422);
        assert!(r.text().contains("没有地址"), "{}", r.text());
        assert_eq!(count_rows!(env, letter_register), 0);
        // A template naming an unknown merge field is refused, naming it.
        sup.get("/letters/templates?kind=notice");
        let r = sup.post(
            "/letters/templates",
            &[
                ("kind", "notice"),
                ("lang", "zh-CN"),
                ("subject", "通知"),
                ("body", "尊敬的{{customer_name}}，{{colour}}"),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(r.text().contains("没有合并字段“colour”"), "{}", r.text());
        let r = sup.post(
            "/letters/templates",
            &[
                ("kind", "notice"),
                ("lang", "zh-CN"),
                ("subject", "{{event_title}}通知"),
                ("body", "尊敬的{{customer_name}}：本店{{event_title}}。"),
            ],
        );
        assert_eq!(r.status, 303);
        let preview = sup.get("/letters/templates?kind=notice&lang=zh-CN");
        assert!(
            preview.text().contains("尊敬的王伟：本店免费检测周。"),
            "{}",
            preview.text()
        );
    }
);
