//! R4, R4a, R4b, R5, R7, X1, X2, X4: recording calls and what they do to the cadence.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::domain::task::TaskKind;
use aftercare::models::{customer, task};
use serde_json::json;

both_backends!(
    r5_reaching_the_customer_on_f_completes_the_first_follow_up_and_opens_f_plus_7_to_14,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-25", "clerk1", "clerk");
        let (vid, _, first) = api.picked_up(
            &env,
            "13900000001",
            "沪A·11111",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        // Window P+3 … P+7 = 11-22 … 11-26; reached on the 25th.
        let r = api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-25T10:00", "key_points": "车辆正常，客户满意", "topics": ["C1", "C2"]}));
        assert_eq!(
            (r["record_no"].as_str(), r["register_no"].as_str()),
            (Some("JL-2026-000001"), Some("DH-2026-000001"))
        );
        assert_eq!(r["completed_task"], first);
        env.with(|c| {
            let t = task::by_id(c, first as i32).unwrap().unwrap();
            assert_eq!(
                (t.status.as_str(), t.done_on.map(|d| d.to_string())),
                ("done", Some("2026-11-25".into()))
            );
            let second = task::of_visit(c, vid as i32, TaskKind::SecondFollowUp)
                .unwrap()
                .expect("second follow-up");
            assert_eq!(
                (
                    second.window_start.to_string(),
                    second.window_end.to_string()
                ),
                ("2026-12-02".into(), "2026-12-09".into())
            );
        });
        // A call on a task that is done: 409, nothing registered.
        let again = api.post(
            "/api/v1/calls",
            json!({"task_id": first, "outcome": "reached", "key_points": "又打了一次"}),
        );
        assert_eq!(again.status, 409);
        assert_eq!(count_rows!(env, call_register), 1);
    }
);

both_backends!(
    r5_a_first_call_reached_late_still_opens_the_second_from_its_real_date,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-12-30", "clerk1", "clerk");
        let (vid, _, first) = api.picked_up(
            &env,
            "13900000002",
            "沪A·22222",
            "2026-12-10T09:00",
            "2026-12-10T16:00",
        );
        // Window 12-13 … 12-17; entered on the 30th for a call made on the 28th.
        api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-12-28T16:00", "key_points": "补录：客户满意"}));
        env.with(|c| {
            let second = task::of_visit(c, vid as i32, TaskKind::SecondFollowUp)
                .unwrap()
                .unwrap();
            assert_eq!(
                (
                    second.window_start.to_string(),
                    second.window_end.to_string()
                ),
                ("2027-01-04".into(), "2027-01-11".into())
            );
        });
    }
);

both_backends!(
    r7_every_call_reached_or_not_writes_one_record_and_one_register_line,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (_, cid, first) = api.picked_up(
            &env,
            "13900000003",
            "沪A·33333",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        let r1 = api.call(
            json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-22T10:00"}),
        );
        let r2 =
            api.call(json!({"task_id": first, "outcome": "busy", "called_at": "2026-11-23T10:00"}));
        let r3 = api.call(json!({"customer_id": cid, "direction": "inbound", "category": "inquiry", "outcome": "reached", "key_points": "客户来电咨询保养价格"}));
        let numbers: Vec<String> = [&r1, &r2, &r3]
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["record_no"].as_str().unwrap(),
                    r["register_no"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            numbers,
            vec![
                "JL-2026-000001 DH-2026-000001",
                "JL-2026-000002 DH-2026-000002",
                "JL-2026-000003 DH-2026-000003"
            ]
        );
        assert_eq!(
            (
                count_rows!(env, call_records),
                count_rows!(env, call_register)
            ),
            (3, 3)
        );
        env.with(|c| {
            assert_eq!(
                task::by_id(c, first as i32).unwrap().unwrap().attempts,
                2,
                "failed attempts are counted"
            )
        });
    }
);

both_backends!(
    r4a_r4b_items_are_recorded_each_on_its_own_answered_or_left_open,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (_, _, first) = api.picked_up(
            &env,
            "13900000004",
            "沪A·44444",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        let r = api.call(json!({
        "task_id": first, "outcome": "reached", "key_points": "客户反映异响",
        "items": [
            {"kind": "complaint", "text": "保养后发动机有异响", "answered_on_call": false},
            {"kind": "wish", "text": "希望提供代步车", "answered_on_call": true, "answer": "下次维修可提供代步车"}
        ]
    }));
        let items = r["items"].as_array().unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0]["kind"].as_str(), items[0]["status"].as_str()),
            (Some("complaint"), Some("open"))
        );
        assert_eq!(
            (items[1]["kind"].as_str(), items[1]["status"].as_str()),
            (Some("wish"), Some("answered"))
        );
        assert!(items[0]["id"].as_i64().is_some());
    }
);

both_backends!(
    r7_bad_calls_are_refused_with_field_and_reason_and_nothing_written,
    |b| {
        let Scene { env, app, api } = scene(b, "2026-11-24", "clerk1", "clerk");
        env.user("clerk2", "clerk");
        let (_, cid, first) = api.picked_up(
            &env,
            "13900000005",
            "沪A·55555",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        let cases = vec![
            (json!({"task_id": first}), "outcome", "required"),
            (
                json!({"task_id": first, "outcome": "waved"}),
                "outcome",
                "outcome-unknown",
            ),
            (
                json!({"task_id": first, "outcome": "reached"}),
                "key_points",
                "required",
            ),
            (
                json!({"task_id": first, "outcome": "callback_requested", "callback_at": "2026-11-24T08:00"}),
                "callback_at",
                "callback-in-past",
            ),
            (
                json!({"task_id": first, "outcome": "reached", "key_points": "x", "topics": ["C1", "C9"]}),
                "topics",
                "topic-unknown",
            ),
            (
                json!({"task_id": first, "outcome": "reached", "key_points": "x", "called_at": "2026-11-25T09:00"}),
                "called_at",
                "datetime-in-future",
            ),
            (
                json!({"task_id": first, "outcome": "no_answer", "items": [{"kind": "complaint", "text": "x"}]}),
                "items[0].text",
                "items-need-reached",
            ),
            (
                json!({"customer_id": cid, "outcome": "reached", "key_points": "x"}),
                "category",
                "required",
            ),
            (
                json!({"task_id": 99999, "outcome": "reached", "key_points": "x"}),
                "task_id",
                "task-unknown",
            ),
            (
                json!({"task_id": first, "outcome": "reached", "key_points": "x", "colour": "red"}),
                "colour",
                "field-unknown",
            ),
        ];
        for (body, field, code) in cases {
            let r = api.post("/api/v1/calls", body.clone());
            assert_eq!(r.status, 422, "{body}: {}", r.body);
            assert_eq!(
                (
                    r.json()["error"]["field"].as_str(),
                    r.json()["error"]["code"].as_str()
                ),
                (Some(field), Some(code)),
                "{body}: {}",
                r.body
            );
        }
        // A clerk may not call another clerk's customer: 404, which does not confirm the task
        // exists (ASVS 8.2.2, issue 13).
        let other = Api::new(&app, &env.token("clerk2"));
        assert_eq!(
            other
                .post(
                    "/api/v1/calls",
                    json!({"task_id": first, "outcome": "reached", "key_points": "x"})
                )
                .status,
            404
        );
        assert_eq!(
            (
                count_rows!(env, call_records),
                count_rows!(env, call_register),
                count_rows!(env, items)
            ),
            (0, 0, 0)
        );
    }
);

both_backends!(
    x1_three_failed_attempts_allow_closing_as_unreachable_which_opens_a_letter_and_flags_the_phone,
    |b| {
        let Scene { env, app, api } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (vid, cid, first) = api.picked_up(
            &env,
            "13900000006",
            "沪A·66666",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        let mut web = Browser::new(&app);
        web.login("clerk1");
        for day in ["2026-11-22T10:00", "2026-11-23T10:00"] {
            api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": day}));
        }
        web.get(&format!("/tasks/{first}/call"));
        let r = web.post(&format!("/tasks/{first}/unreachable"), &[]);
        assert_eq!(
            r.status, 422,
            "two attempts are not enough inside the window"
        );
        api.call(
            json!({"task_id": first, "outcome": "wrong_number", "called_at": "2026-11-24T09:00"}),
        );
        // The task stays in the queue, overdue or not, until closed.
        assert!(api.queue("2026-11-24", None).iter().any(|t| t.0 == first));
        let r = web.post(&format!("/tasks/{first}/unreachable"), &[]);
        assert_eq!(r.status, 303, "{}", r.text());
        env.with(|c| {
            let t = task::by_id(c, first as i32).unwrap().unwrap();
            assert_eq!(
                (t.status.as_str(), t.close_reason.map(|r| r.as_str())),
                ("closed", Some("unreachable"))
            );
            let letter = task::of_customer(c, cid as i32)
                .unwrap()
                .into_iter()
                .find(|t| t.kind.as_str() == "unreachable_letter")
                .expect("letter task");
            assert_eq!(
                (
                    letter.window_start.to_string(),
                    letter.window_end.to_string()
                ),
                ("2026-11-24".into(), "2026-11-26".into())
            );
            assert!(
                customer::by_id(c, cid as i32)
                    .unwrap()
                    .unwrap()
                    .phone_flagged_on
                    .is_some(),
                "the phone is flagged"
            );
            // R5: the first follow-up ended on U, so the second opens from U.
            let second = task::of_visit(c, vid as i32, TaskKind::SecondFollowUp)
                .unwrap()
                .unwrap();
            assert_eq!(second.window_start.to_string(), "2026-12-01");
        });
        // Past its window a task may be closed after fewer attempts.
        let (_, _, late) = api.picked_up(
            &env,
            "13900000016",
            "沪A·66667",
            "2026-11-10T09:00",
            "2026-11-10T17:00",
        );
        web.get(&format!("/tasks/{late}/call"));
        assert_eq!(
            web.post(&format!("/tasks/{late}/unreachable"), &[]).status,
            303
        );
    }
);

both_backends!(
    x2_a_call_back_request_moves_the_task_out_of_the_queue_until_that_day,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-23", "clerk1", "clerk");
        let (_, _, first) = api.picked_up(
            &env,
            "13900000007",
            "沪A·77777",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        assert!(api.queue("2026-11-23", None).iter().any(|t| t.0 == first));
        api.call(json!({"task_id": first, "outcome": "callback_requested", "callback_at": "2026-11-25T15:00"}));
        assert!(
            !api.queue("2026-11-23", None).iter().any(|t| t.0 == first),
            "not before the agreed day"
        );
        assert!(
            api.queue("2026-11-25", None).iter().any(|t| t.0 == first),
            "back on the agreed day"
        );
        env.with(|c| {
            let t = task::by_id(c, first as i32).unwrap().unwrap();
            assert_eq!(
                (t.attempts, t.window_end.to_string()),
                (0, "2026-11-26".into()),
                "a call-back is not a failure and keeps the window"
            );
        });
        // The customer asked to be called back: a second call the same day is fine (X4).
        let r = api.post("/api/v1/calls", json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-23T11:00", "key_points": "客户主动约的时间提前了"}));
        assert_eq!(r.status, 201, "{}", r.body);
    }
);

both_backends!(
    x4_preferences_close_refused_channels_and_one_follow_up_call_a_day,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (_, cid, first) = api.picked_up(
            &env,
            "13900000008",
            "沪A·88888",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        // One outbound follow-up a day: a second attempt today is refused.
        api.call(
            json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-24T09:00"}),
        );
        let r = api.post(
            "/api/v1/calls",
            json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-24T11:00"}),
        );
        assert_eq!(
            (r.status, r.json()["error"]["code"].as_str()),
            (422, Some("already-called-today"))
        );
        let mut web = Browser::new(&_app);
        web.login("clerk1");
        web.get(&format!("/customers/{cid}"));
        let r = web.post(
            &format!("/customers/{cid}/preferences"),
            &[("no_calls", "1"), ("call_hours", "18:00-20:00")],
        );
        assert_eq!(r.status, 303);
        env.with(|c| {
            let t = task::by_id(c, first as i32).unwrap().unwrap();
            assert_eq!(
                (t.status.as_str(), t.close_reason.map(|r| r.as_str())),
                ("closed", Some("refuses_channel")),
                "closed with the reason, not missed"
            );
        });
        let r = api.post("/api/v1/calls", json!({"customer_id": cid, "direction": "outbound", "category": "other", "outcome": "reached", "key_points": "x"}));
        assert_eq!(r.json()["error"]["code"], "customer-refuses-calls");
        // The customer may still call in.
        api.call(json!({"customer_id": cid, "category": "complaint", "outcome": "reached", "key_points": "客户来电投诉", "items": [{"kind": "complaint", "text": "等候时间太长"}]}));
        let r = web.post(
            &format!("/customers/{cid}/preferences"),
            &[("call_hours", "evening")],
        );
        assert_eq!(r.status, 422);
    }
);

#[test]
fn r7_concurrent_calls_on_sqlite_and_postgres_number_without_gaps() {
    for b in [Backend::Sqlite, Backend::Postgres] {
        if b == Backend::Postgres && !postgres_available() {
            continue;
        }
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let tasks: Vec<i64> = (0..13)
            .map(|i| {
                api.picked_up(
                    &env,
                    &format!("139000001{i:02}"),
                    &format!("沪B·1{i:04}"),
                    "2026-11-18T09:00",
                    "2026-11-19T17:00",
                )
                .2
            })
            .collect();
        // 12 threads each record a failed attempt on their own task, and 4 race for the same task.
        let race = tasks[12];
        let handles: Vec<_> = tasks[..12]
            .iter()
            .map(|t| (*t, "no_answer"))
            .chain((0..4).map(|_| (race, "reached")))
            .map(|(t, outcome)| {
                let base = app.base.clone();
                let token = token.clone();
                std::thread::spawn(move || {
                    let agent = ureq::AgentBuilder::new().build();
                    let body = json!({"task_id": t, "outcome": outcome, "key_points": "并发测试", "called_at": if outcome == "reached" { "2026-11-24T11:00" } else { "2026-11-23T10:00" }});
                    match agent.post(&format!("{base}/api/v1/calls")).set("Authorization", &format!("Bearer {token}")).send_json(body) {
                        Ok(r) => r.status(),
                        Err(ureq::Error::Status(s, _)) => s,
                        Err(e) => panic!("{e}"),
                    }
                })
            })
            .collect();
        let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        assert_eq!(
            statuses[..12].iter().filter(|s| **s == 201).count(),
            12,
            "{statuses:?}"
        );
        assert_eq!(
            statuses[12..].iter().filter(|s| **s == 201).count(),
            1,
            "one wins the race: {statuses:?}"
        );
        let numbers: Vec<String> = env.with(|c| {
            use diesel::prelude::*;
            aftercare::db::schema::call_register::table
                .select(aftercare::db::schema::call_register::register_no)
                .load(c)
                .unwrap()
        });
        let mut seq: Vec<i32> = numbers.iter().map(|n| n[8..].parse().unwrap()).collect();
        seq.sort();
        assert_eq!(
            seq,
            (1..=13).collect::<Vec<_>>(),
            "{b:?}: 1..N, no gap, no duplicate"
        );
    }
}
