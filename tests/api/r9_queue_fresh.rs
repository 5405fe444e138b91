//! Issue 11: the queue's answers are kept in memory while nothing they show changed. Every
//! way a queue changes — a call, a task done, cover arranged, a customer reassigned, an
//! import through the CLI (another process), a job — changes the next answer and its ETag at
//! once: never a kept (stale) page. And a kept login stops at once when it ends.

use crate::both_backends;
use crate::helpers::*;
use aftercare::domain::task::TaskKind;
use serde_json::{json, Value};

const TODAY: &str = "2026-11-20";

/// The queue API's answer, asked twice (the second from memory): its ETag and body.
fn look(api: &Api, path: &str) -> (String, Value) {
    let r = api.get(path);
    assert_eq!(r.status, 200, "{}", r.body);
    let tag = r.header("etag").expect("an ETag").to_string();
    let again = api.get(path);
    assert_eq!(again.header("etag"), Some(tag.as_str()), "kept: same tag");
    assert_eq!(again.body, r.body, "kept: same answer");
    let not_modified = api.get_with(path, &[("If-None-Match", &tag)]);
    assert_eq!(not_modified.status, 304);
    (tag, r.json())
}

/// After a write: a new tag, the old one no longer answered 304, and the new body.
fn changed(api: &Api, path: &str, old: &str) -> Value {
    let r = api.get_with(path, &[("If-None-Match", old)]);
    assert_eq!(r.status, 200, "a stale 304: {}", r.body);
    let tag = r.header("etag").expect("an ETag").to_string();
    assert_ne!(tag, old, "the ETag changes with the queue");
    look(api, path).1
}

fn ids(v: &Value) -> Vec<i64> {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

fn task_of(v: &Value, id: i64) -> Option<Value> {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_i64() == Some(id))
        .cloned()
}

/// A picked-up visit whose first follow-up is due on TODAY; its task id.
fn due_task(s: &Scene, phone: &str, plate: &str) -> (i64, i64) {
    let (_, customer, task) =
        s.api
            .picked_up(&s.env, phone, plate, "2026-11-18T09:00", "2026-11-18T17:00");
    (customer, task)
}

both_backends!(
    r9_queue_kept_answer_changes_at_once_with_a_call_and_a_task_done,
    |b| {
        let s = scene(b, TODAY, "wang", "clerk");
        let (_, task) = due_task(&s, "13800001101", "沪A·11101");
        let path = "/api/v1/queue";
        let (tag, v) = look(&s.api, path);
        let row = task_of(&v, task).expect("the follow-up is in the queue");
        assert_eq!(row["attempts"], 0);

        // A failed attempt (X1): the row shows it at once.
        s.api.call(
            json!({"task_id": task, "outcome": "no_answer", "called_at": "2026-11-20T09:00"}),
        );
        let v = changed(&s.api, path, &tag);
        assert_eq!(task_of(&v, task).expect("still open")["attempts"], 1);

        // Reached (another customer: one follow-up call a day): done, and out of the queue at once.
        let (_, other) = due_task(&s, "13800001102", "沪A·11102");
        let (tag, v) = look(&s.api, path);
        assert!(task_of(&v, other).is_some());
        s.api.call(json!({"task_id": other, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "客户满意"}));
        let v = changed(&s.api, path, &tag);
        assert!(task_of(&v, other).is_none(), "done: {:?}", ids(&v));

        // A task written straight into the database (no service): seen too (the triggers).
        let tag = s.api.get(path).header("etag").unwrap().to_string();
        s.env.with(|c| {
            use diesel::prelude::*;
            diesel::sql_query("UPDATE tasks SET attempts = attempts + 7 WHERE status = 'open'")
                .execute(c)
                .unwrap();
        });
        let v = changed(&s.api, path, &tag);
        assert!(v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["attempts"].as_i64() >= Some(7)));
    }
);

both_backends!(
    r9_queue_kept_answer_changes_at_once_when_cover_is_arranged,
    |b| {
        let env = TestEnv::new(b, TODAY);
        let li = env.user("li", "clerk");
        let wang = env.user("wang", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let sup_api = Api::new(&app, &env.token("sup"));
        let wang_api = Api::new(&app, &env.token("wang"));
        // Two customers: the first goes to one clerk, the second to the other (R1).
        let (_, c1, t1) = sup_api.picked_up(
            &env,
            "13800001201",
            "沪A·11201",
            "2026-11-18T09:00",
            "2026-11-18T17:00",
        );
        let (_, _, t2) = sup_api.picked_up(
            &env,
            "13800001202",
            "沪A·11202",
            "2026-11-18T09:00",
            "2026-11-18T17:00",
        );
        let clerk = |c: i64| {
            env.with(|conn| {
                aftercare::models::customer::by_id(conn, c as i32)
                    .unwrap()
                    .unwrap()
                    .clerk_id
            })
        };
        let (li_task, wang_task) = if clerk(c1) == Some(li) {
            (t1, t2)
        } else {
            (t2, t1)
        };
        let path = "/api/v1/queue";
        let (tag, v) = look(&wang_api, path);
        assert!(ids(&v).contains(&wang_task) && !ids(&v).contains(&li_task));

        let mut web = Browser::new(&app);
        web.login("sup");
        web.get("/absences");
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", TODAY),
                ("to", "2026-11-22"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let v = changed(&wang_api, path, &tag);
        assert!(
            ids(&v).contains(&li_task) && ids(&v).contains(&wang_task),
            "the covered clerk's task is in the substitute's queue at once"
        );
        // The page too (kept per session): the covered task is on it after the cover ends.
        let mut page = Browser::new(&app);
        page.login("wang");
        let before = page.get("/queue?state=all").body;
        assert!(
            before.contains(&format!("data-task=\"{li_task}\"")),
            "covered task on the page"
        );
        assert_eq!(page.get("/queue?state=all").body, before, "kept");
        let id: i32 = env.with(|c| {
            use aftercare::db::schema::absences;
            use diesel::prelude::*;
            absences::table.select(absences::id).first(c).unwrap()
        });
        web.get("/absences");
        let r = web.post(&format!("/absences/{id}/cancel"), &[]);
        assert_eq!(r.status, 303, "{}", r.text());
        let after = page.get("/queue?state=all").body;
        assert!(
            !after.contains(&format!("data-task=\"{li_task}\"")),
            "cover ended: gone from the page"
        );
    }
);

both_backends!(
    r9_queue_kept_answer_changes_at_once_when_a_customer_is_reassigned,
    |b| {
        let env = TestEnv::new(b, TODAY);
        let a = env.user("clerk_a", "clerk");
        let bb = env.user("clerk_b", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let sup_api = Api::new(&app, &env.token("sup"));
        let a_api = Api::new(&app, &env.token("clerk_a"));
        let b_api = Api::new(&app, &env.token("clerk_b"));
        let (_, c1, t1) = sup_api.picked_up(
            &env,
            "13800001301",
            "沪A·11301",
            "2026-11-18T09:00",
            "2026-11-18T17:00",
        );
        let (_, c2, t2) = sup_api.picked_up(
            &env,
            "13800001302",
            "沪A·11302",
            "2026-11-18T09:00",
            "2026-11-18T17:00",
        );
        let of_a = |c: i64| {
            env.with(|conn| {
                aftercare::models::customer::by_id(conn, c as i32)
                    .unwrap()
                    .unwrap()
                    .clerk_id
            }) == Some(a)
        };
        let (customer, task) = if of_a(c1) { (c1, t1) } else { (c2, t2) };
        let path = "/api/v1/queue";
        let (tag_a, v) = look(&a_api, path);
        assert!(ids(&v).contains(&task));
        let (tag_b, v) = look(&b_api, path);
        assert!(!ids(&v).contains(&task));
        // The supervisor's view of clerk_a's queue is kept too.
        let sup_path = "/api/v1/queue?clerk=clerk_a";
        let (tag_s, _) = look(&sup_api, sup_path);

        let mut sup = Browser::new(&app);
        sup.login("sup");
        sup.get("/customers");
        let r = sup.post(
            "/customers/reassign",
            &[
                ("customer_ids", &customer.to_string()),
                ("clerk_id", &bb.to_string()),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        assert!(!ids(&changed(&a_api, path, &tag_a)).contains(&task));
        assert!(ids(&changed(&b_api, path, &tag_b)).contains(&task));
        assert!(!ids(&changed(&sup_api, sup_path, &tag_s)).contains(&task));
    }
);

both_backends!(
    r9_queue_kept_answer_changes_at_once_with_an_import_through_the_cli,
    |b| {
        let s = scene(b, TODAY, "wang", "clerk");
        let path = "/api/v1/queue";
        let (tag, v) = look(&s.api, path);
        assert_eq!(v["total"], 0);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("dms.csv");
        std::fs::write(
        &file,
        format!(
            "{}\nD-1,maintenance,王伟,13812345678,上海市,沪A·12345,大众朗逸,轿车,2026-11-18T09:00,2026-11-18T17:00,更换机油,180,5000,,,20000\n",
            crate::cli::HEADER
        ),
    )
    .unwrap();
        let (code, out, err) = cli(
            &s.env.db,
            TODAY,
            &["import", "visits", file.to_str().unwrap()],
            None,
        );
        assert_eq!(code, 0, "{out}{err}");
        let v = changed(&s.api, path, &tag);
        assert!(
            v["total"].as_i64().unwrap() > 0,
            "the imported visit's tasks: {v}"
        );
    }
);

both_backends!(r9_queue_kept_answer_changes_at_once_with_a_job, |b| {
    let s = scene(b, TODAY, "wang", "clerk");
    // Lost (X7): A10 2026-04-10, more than 90 days before today, no visit since.
    let mut v = visit_json("13800001401", "沪A·11401", "2026-01-10T09:00");
    v["next_maintenance_date"] = json!("2026-04-10");
    let r = s.api.post("/api/v1/visits", v);
    assert_eq!(r.status, 201, "{}", r.body);
    let path = "/api/v1/queue?kind=win_back";
    let (tag, v) = look(&s.api, path);
    assert_eq!(v["total"], 0);
    let done = aftercare::jobs::run(&mut s.env.conn(), &ctx(TODAY), aftercare::jobs::WIN_BACK)
        .expect("job");
    assert_eq!(
        aftercare::i18n::I18N.done("en", &done),
        "1 win-back task opened"
    );
    let v = changed(&s.api, path, &tag);
    assert_eq!(v["total"], 1);
    assert_eq!(v["tasks"][0]["kind"], TaskKind::WinBack.as_str());
});

both_backends!(
    r9_queue_kept_page_changes_with_the_customer_and_a_kept_login_ends_at_once,
    |b| {
        let s = scene(b, TODAY, "wang", "clerk");
        let (customer, _) = due_task(&s, "13800001501", "沪A·11501");
        let mut web = Browser::new(&s.app);
        web.login("wang");
        let page = web.get("/queue");
        assert_eq!(page.status, 200);
        assert_eq!(web.get("/queue").text(), page.text(), "kept");
        // The customer's name, written straight into the database: on the page at once.
        s.env.with(|c| {
            use diesel::prelude::*;
            diesel::sql_query(format!(
                "UPDATE customers SET name = '新名字' WHERE id = {customer}"
            ))
            .execute(c)
            .unwrap();
        });
        assert!(web.get("/queue").text().contains("新名字"));
        // A kept login ends at once: the session deleted by another connection, the token revoked.
        s.env.with(|c| {
            use diesel::prelude::*;
            diesel::sql_query("DELETE FROM sessions")
                .execute(c)
                .unwrap();
        });
        assert_eq!(web.get("/queue").status, 303, "the session has ended");
        assert_eq!(s.api.get("/api/v1/queue").status, 200);
        s.env.with(|c| {
            use diesel::prelude::*;
            diesel::sql_query("UPDATE api_tokens SET revoked_at = created_at")
                .execute(c)
                .unwrap();
        });
        assert_eq!(
            s.api.get("/api/v1/queue").status,
            401,
            "the token is revoked"
        );
    }
);
