//! R4b, R4c, R4d: requests and complaints followed from the call where they were raised to the
//! satisfied customer.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::models::{item, task};
use serde_json::json;

/// A reached call on 11-20 raising a complaint left open; returns (customer id, item id).
fn complaint(env: &TestEnv, api: &Api) -> (i64, i64) {
    let (_, cid, first) = api.picked_up(
        env,
        "13600000001",
        "沪F·10001",
        "2026-11-14T09:00",
        "2026-11-15T10:00",
    );
    let r = api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "客户投诉异响",
        "items": [{"kind": "complaint", "text": "保养后发动机有异响"}, {"kind": "wish", "text": "希望提供代步车", "answered_on_call": true, "answer": "可以安排"}]}));
    (cid, r["items"][0]["id"].as_i64().unwrap())
}

fn escalation_of(env: &TestEnv, item_id: i64) -> task::Task {
    env.with(|c| {
        let customer = item::by_id(c, item_id as i32).unwrap().unwrap().customer_id;
        task::of_customer(c, customer)
            .unwrap()
            .into_iter()
            .find(|t| t.kind.as_str() == "escalation" && t.item_id == Some(item_id as i32))
            .expect("escalation task")
    })
}

both_backends!(
    r4c_an_item_left_open_must_be_escalated_by_the_end_of_call_date_plus_2,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (_, item_id) = complaint(&env, &api);
        let t = escalation_of(&env, item_id);
        assert_eq!(
            (t.window_start.to_string(), t.window_end.to_string()),
            ("2026-11-20".into(), "2026-11-22".into())
        );
        // Escalated on day +2: on time.
        let r = api.post(
            &format!("/api/v1/items/{item_id}/escalate"),
            json!({"escalated_at": "2026-11-22T17:00", "note": "需要主管决定是否免费复查"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let t = escalation_of(&env, item_id);
        assert_eq!(
            (t.status.as_str(), t.done_on.map(|d| d.to_string())),
            ("done", Some("2026-11-22".into()))
        );
        // A second complaint, escalated on day +3: late.
        let (_, cid2, first2) = api.picked_up(
            &env,
            "13600000002",
            "沪F·10002",
            "2026-11-14T09:00",
            "2026-11-15T10:00",
        );
        let _ = cid2;
        let r = api.call(json!({"task_id": first2, "outcome": "reached", "called_at": "2026-11-20T11:00", "key_points": "投诉", "items": [{"kind": "complaint", "text": "账单有误"}]}));
        let item2 = r["items"][0]["id"].as_i64().unwrap();
        api.post(
            &format!("/api/v1/items/{item2}/escalate"),
            json!({"escalated_at": "2026-11-23T09:00"}),
        );
        let t2 = escalation_of(&env, item2);
        assert!(t2.done_on.unwrap() > t2.window_end, "escalated late");
    }
);

both_backends!(
    r4b_an_item_answered_on_the_call_is_closed_and_cannot_be_escalated,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-24", "clerk1", "clerk");
        let (_, first_item) = complaint(&env, &api);
        let answered = first_item + 1;
        let r = api.post(&format!("/api/v1/items/{answered}/escalate"), json!({}));
        assert_eq!(
            (
                r.status,
                r.json()["error"]["code"].as_str(),
                r.json()["error"]["field"].as_str()
            ),
            (422, Some("item-cannot-escalate"), Some("item_id"))
        );
        let r = api.post(
            &format!("/api/v1/items/{first_item}/solution"),
            json!({"solution": "  "}),
        );
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("solution"))
        );
        env.with(|c| {
            assert_eq!(
                item::by_id(c, answered as i32)
                    .unwrap()
                    .unwrap()
                    .status
                    .as_str(),
                "answered"
            )
        });
    }
);

both_backends!(
    r4d_a_solution_opens_a_call_due_the_same_day_and_a_satisfied_customer_closes_the_item,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
        let (_, item_id) = complaint(&env, &api);
        api.post(
            &format!("/api/v1/items/{item_id}/escalate"),
            json!({"escalated_at": "2026-11-21T10:00"}),
        );
        // The supervisor sees it on the escalations page and records the solution there.
        let mut sup = Browser::new(&app);
        sup.login("sup");
        let page = sup.get("/escalations");
        assert!(
            page.body.contains(&format!("data-item=\"{item_id}\"")),
            "{}",
            page.text()
        );
        sup.get(&format!("/items/{item_id}"));
        let r = sup.post(
            &format!("/items/{item_id}/solution"),
            &[("solution", "免费复查并更换发动机支架")],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        // The clerk's queue shows the solution call, due today.
        let q = api.queue("2026-11-24", None);
        let call = q
            .iter()
            .find(|t| t.1 == "solution_call")
            .expect("solution call in the queue");
        assert_eq!(call.2, "due");
        let r = api.post(
            "/api/v1/calls",
            json!({"task_id": call.0, "outcome": "reached", "key_points": "已告知解决办法"}),
        );
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("satisfied")),
            "the answer is required"
        );
        api.call(json!({"task_id": call.0, "outcome": "reached", "key_points": "已告知解决办法，客户满意", "satisfied": true}));
        env.with(|c| {
            let i = item::by_id(c, item_id as i32).unwrap().unwrap();
            assert_eq!(
                (
                    i.status.as_str(),
                    i.satisfied,
                    i.told_on.map(|d| d.to_string())
                ),
                ("closed", Some(true), Some("2026-11-24".into()))
            );
            let steps: Vec<String> = item::timeline(c, item_id as i32)
                .unwrap()
                .into_iter()
                .map(|e| e.kind.to_string())
                .collect();
            assert_eq!(
                steps,
                vec!["raised", "escalated", "solved", "told", "satisfied"]
            );
        });
        // The whole history is one timeline on the item page.
        let mut web = Browser::new(&app);
        web.login("clerk1");
        let page = web.get(&format!("/items/{item_id}"));
        assert!(page.text().contains("已解决，客户满意"), "{}", page.text());
        assert_eq!(page.body.matches("data-step=").count(), 5);
    }
);

both_backends!(r4d_an_unsatisfied_customer_reopens_the_item, |b| {
    let Scene {
        env,
        app: _app,
        api,
    } = scene(b, "2026-11-24", "clerk1", "clerk");
    let (_, item_id) = complaint(&env, &api);
    let r = api.post(
        &format!("/api/v1/items/{item_id}/solution"),
        json!({"solution": "建议下次保养时检查", "solved_at": "2026-11-24T09:00"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let call = r.json()["solution_call_task"].as_i64().unwrap();
    env.with(|c| {
        let t = task::by_id(c, call as i32).unwrap().unwrap();
        assert_eq!(
            (t.window_start.to_string(), t.window_end.to_string()),
            ("2026-11-24".into(), "2026-11-24".into())
        );
        // Solved by the clerk before escalating: the escalation is no longer due.
        let esc = task::of_customer(c, t.customer_id)
            .unwrap()
            .into_iter()
            .find(|t| t.kind.as_str() == "escalation")
            .unwrap();
        assert_eq!(esc.close_reason.map(|r| r.as_str()), Some("superseded"));
    });
    api.call(json!({"task_id": call, "outcome": "reached", "key_points": "客户不接受", "satisfied": false}));
    env.with(|c| {
        assert_eq!(
            item::by_id(c, item_id as i32)
                .unwrap()
                .unwrap()
                .status
                .as_str(),
            "open"
        );
        let customer = item::by_id(c, item_id as i32).unwrap().unwrap().customer_id;
        let open_escalations = task::of_customer(c, customer)
            .unwrap()
            .into_iter()
            .filter(|t| t.kind.as_str() == "escalation" && t.status.as_str() == "open")
            .count();
        assert_eq!(
            open_escalations, 1,
            "reopened: to be escalated again within two days"
        );
    });
    assert_eq!(count_rows!(env, call_register), 2);
});

both_backends!(
    r4b_an_item_left_open_stays_with_the_clerk_who_writes_research_notes_on_its_page,
    |b| {
        let Scene { env, app, api } = scene(b, "2026-11-21", "clerk1", "clerk");
        let (_, item_id) = complaint(&env, &api);
        let mut web = Browser::new(&app);
        web.login("clerk1");
        let page = web.get(&format!("/items/{item_id}"));
        assert_eq!(page.status, 200, "{}", page.body);
        // An empty note is refused by name and nothing is written.
        let r = web.post(&format!("/items/{item_id}/note"), &[("note", "  ")]);
        assert_eq!(r.status, 422, "{}", r.body);
        assert!(r.body.contains("必须填写"), "{}", r.body);
        let notes = |env: &TestEnv| {
            env.with(|c| {
                item::timeline(c, item_id as i32)
                    .unwrap()
                    .into_iter()
                    .filter(|e| e.kind.as_str() == "note")
                    .count()
            })
        };
        assert_eq!(notes(&env), 0);
        // A note while researching: the item stays open with its clerk, the note on its timeline.
        let r = web.post(
            &format!("/items/{item_id}/note"),
            &[("note", "已联系技术部检查异响原因")],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(notes(&env), 1);
        let page = web.get(&format!("/items/{item_id}"));
        assert!(
            page.body.contains("已联系技术部检查异响原因"),
            "{}",
            page.body
        );
        env.with(|c| {
            let it = item::by_id(c, item_id as i32).unwrap().unwrap();
            assert_eq!(
                it.status.as_str(),
                "open",
                "a note does not close or escalate the item"
            );
        });
    }
);
