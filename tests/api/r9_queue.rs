//! The queue (RULES.md, "Tasks"), cover for absence (R9), the supervisor's view, scheduled
//! jobs, and a clerk's whole day replayed step by step.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::models::task;
use serde_json::json;

both_backends!(
    queue_orders_overdue_due_upcoming_and_looks_ahead_seven_days,
    |b| {
        let Scene {
            env,
            app: _app,
            api,
        } = scene(b, "2026-11-20", "clerk1", "clerk");
        // Archive tasks: overdue (D = 11-10 → due 11-12), due (11-19 → 11-21), due (11-20 → 11-22).
        let overdue = api.visit_id("13800000101", "沪C·10001", "2026-11-10T09:00");
        let due1 = api.visit_id("13800000102", "沪C·10002", "2026-11-19T09:00");
        let due2 = api.visit_id("13800000103", "沪C·10003", "2026-11-20T09:00");
        // A first follow-up upcoming (pick-up 11-20 → window 11-23 … 11-27).
        let (_, _, upcoming) = api.picked_up(
            &env,
            "13800000104",
            "沪C·10004",
            "2026-11-20T08:00",
            "2026-11-20T11:00",
        );
        let ids = |v: i64| {
            env.with(|c| {
                i64::from(
                    task::of_visit(c, v as i32, aftercare::domain::task::TaskKind::Archive)
                        .unwrap()
                        .unwrap()
                        .id,
                )
            })
        };
        let q = api.queue("2026-11-20", None);
        let got: Vec<(i64, &str)> = q.iter().map(|t| (t.0, t.2.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (ids(overdue), "overdue"),
                (ids(due1), "due"),
                (ids(due2), "due"),
                (ids(upcoming_visit(&env, upcoming)), "due"),
                (upcoming, "upcoming")
            ]
        );
        // Seven days ahead at most: on 11-15 the upcoming follow-up (starts 11-23) is not shown.
        let earlier = api.queue("2026-11-15", None);
        assert!(!earlier.iter().any(|t| t.0 == upcoming));
        assert!(
            api.queue("2026-11-16", None)
                .iter()
                .any(|t| t.0 == upcoming),
            "11-16 + 7 = 11-23"
        );
        let r = api.get("/api/v1/queue?date=2026-13-01");
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("date"))
        );
    }
);

/// The archive task of the visit behind a follow-up task (it is due too).
fn upcoming_visit(env: &TestEnv, follow_up: i64) -> i64 {
    env.with(|c| {
        i64::from(
            task::by_id(c, follow_up as i32)
                .unwrap()
                .unwrap()
                .visit_id
                .unwrap(),
        )
    })
}

both_backends!(
    r9_an_absent_clerks_tasks_move_to_the_substitute_and_back,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        let wang = env.user("wang", "clerk");
        let li = env.user("li", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let sup_api = Api::new(&app, &env.token("sup"));
        // Two customers: the first goes to wang, the second to li (round robin).
        let c1 = sup_api.visit("13800000201", "沪D·20001", "2026-11-19T09:00");
        let c2 = sup_api.visit("13800000202", "沪D·20002", "2026-11-19T09:00");
        let t2 = env.with(|c| {
            i64::from(
                task::of_visit(
                    c,
                    c2["visit_id"].as_i64().unwrap() as i32,
                    aftercare::domain::task::TaskKind::Archive,
                )
                .unwrap()
                .unwrap()
                .id,
            )
        });
        assert_ne!(c1["customer_id"], c2["customer_id"]);

        let mut web = Browser::new(&app);
        web.login("sup");
        web.get("/absences");
        // Bad input: ends before it starts.
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-22"),
                ("to", "2026-11-21"),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(r.text().contains("结束日期不能早于开始日期"));
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-20"),
                ("to", "2026-11-22"),
                ("note", "年假"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-22"),
                ("to", "2026-11-25"),
            ],
        );
        assert_eq!(r.status, 422, "overlapping absences are refused");

        let wang_api = Api::new(&app, &env.token("wang"));
        let li_api = Api::new(&app, &env.token("li"));
        let q = wang_api.queue("2026-11-20", None);
        let covered = q
            .iter()
            .find(|t| t.0 == t2)
            .expect("li's task is in wang's queue");
        assert_eq!(covered.3.as_deref(), Some("li-name"));
        assert!(
            li_api.queue("2026-11-20", None).is_empty(),
            "while away, li's tasks are with wang"
        );
        // After the absence they are back.
        assert!(!wang_api.queue("2026-11-23", None).iter().any(|t| t.0 == t2));
        assert!(li_api.queue("2026-11-23", None).iter().any(|t| t.0 == t2));
        // What the substitute records is registered under the substitute's name.
        let (_, _, follow) = sup_api.picked_up(
            &env,
            "13800000202",
            "沪D·20002",
            "2026-11-12T09:00",
            "2026-11-13T10:00",
        );
        let r = wang_api.call(
            json!({"task_id": follow, "outcome": "reached", "key_points": "代李强回访，客户满意"}),
        );
        let handled: (String, Option<i32>) = env.with(|c| {
            use aftercare::db::schema::call_records as cr;
            use diesel::prelude::*;
            cr::table
                .filter(cr::record_no.eq(r["record_no"].as_str().unwrap()))
                .select((cr::handled_by, cr::covering_for_id))
                .first(c)
                .unwrap()
        });
        assert_eq!(handled, ("wang-name".to_string(), Some(li)));
        // The queue page marks covered tasks.
        let mut w = Browser::new(&app);
        w.login("wang");
        let page = w.get("/");
        assert!(page.text().contains("代 li-name"), "{}", page.text());
        assert!(page.text().contains("代班：li-name（不在岗）"));
    }
);

both_backends!(
    supervisor_sees_every_clerks_queue_and_a_clerk_only_their_own,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("wang", "clerk");
        env.user("li", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let sup_api = Api::new(&app, &env.token("sup"));
        sup_api.visit("13800000301", "沪D·30001", "2026-11-10T09:00");
        sup_api.visit("13800000302", "沪D·30002", "2026-11-19T09:00");
        let mut web = Browser::new(&app);
        web.login("sup");
        let home = web.get("/");
        assert!(home.body.contains("data-clerk=\"wang\""), "{}", home.text());
        let q = web.get("/queue?clerk=wang");
        assert_eq!(q.status, 200);
        assert!(q.text().contains("wang-name 的待办"), "{}", q.text());
        assert_eq!(sup_api.queue("2026-11-20", Some("wang")).len(), 1);
        let mut clerk = Browser::new(&app);
        clerk.login("li");
        assert_eq!(clerk.get("/queue?clerk=wang").status, 403);
        assert_eq!(
            Api::new(&app, &env.token("li"))
                .get("/api/v1/queue?clerk=wang")
                .status,
            403
        );
    }
);

both_backends!(jobs_run_twice_changes_nothing_the_second_time, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aftercare.toml");
    std::fs::write(
        &config,
        format!(
            "[jobs]\nbackup_dir = {:?}\n",
            dir.path().join("backups").display().to_string()
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    let (code, out, err) = cli(
        &env.db,
        "2026-11-20",
        &["--config", cfg, "jobs", "run"],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("overdue_digest") && out.contains("purge_sessions"),
        "{out}"
    );
    // Issue 12: what each job did, in the configured language, and on the administrator's
    // start page in the reader's.
    assert!(
        out.contains("overdue_digest: 已生成 2026-11-20 的逾期摘要 1 份"),
        "{out}"
    );
    env.user("admin1", "admin");
    let app = env.spawn();
    let mut web = Browser::new(&app);
    web.login("admin1");
    let home = web.get("/").text();
    assert!(home.contains("已生成 2026-11-20 的逾期摘要 1 份"), "{home}");
    web.post("/account/lang", &[("lang", "en"), ("back", "/")]);
    let home = web.get("/").text();
    assert!(home.contains("one digest for 2026-11-20"), "{home}");
    assert!(
        !home.contains("job-"),
        "every job and result in words: {home}"
    );
    assert!(
        !home.contains("T0"),
        "the last run in local time, not ISO: {home}"
    );
    let digests = count_rows!(env, digests);
    let (code, out, _) = cli(
        &env.db,
        "2026-11-20",
        &["--config", cfg, "jobs", "run"],
        None,
    );
    assert_eq!(code, 0);
    // Issue 12: in the configured language (the default, zh-CN).
    assert_eq!(out.trim(), "没有到期的定时任务");
    assert_eq!(count_rows!(env, digests), digests);
    if b == Backend::Sqlite {
        assert_eq!(
            std::fs::read_dir(dir.path().join("backups"))
                .unwrap()
                .count(),
            1,
            "one backup copy"
        );
    }
});

/// A clerk's whole day on a fixed date: a dozen tasks of different kinds, failed attempts, a
/// call-back, a covered colleague and an inbound complaint. The queue is checked before and
/// after each step, and every register line written.
#[test]
fn clerk_day_replay() {
    for b in [Backend::Sqlite, Backend::Postgres] {
        if b == Backend::Postgres && !postgres_available() {
            continue;
        }
        replay(b);
    }
}

fn replay(b: Backend) {
    let env = TestEnv::new(b, "2026-11-20");
    let wang = env.user("wang", "clerk");
    let li = env.user("li", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let sup = Api::new(&app, &env.token("sup"));
    let api = Api::new(&app, &env.token("wang"));
    // Yesterday's and earlier work (round robin: odd customers wang's, even li's).
    let mut wang_tasks = Vec::new();
    for i in 0..8 {
        let phone = format!("1370000{i:04}");
        let plate = format!("沪E·5{i:04}");
        let (vid, cid, first) = sup.picked_up(
            &env,
            &phone,
            &plate,
            &format!("2026-11-{:02}T09:00", 10 + i),
            &format!("2026-11-{:02}T16:00", 10 + i),
        );
        let owner = env.with(|c| {
            aftercare::models::customer::by_id(c, cid as i32)
                .unwrap()
                .unwrap()
                .clerk_id
                .unwrap()
        });
        if owner == wang {
            wang_tasks.push((vid, cid, first));
        }
    }
    // li is away today; wang covers.
    let mut web = Browser::new(&app);
    web.login("sup");
    web.get("/absences");
    assert_eq!(
        web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-20"),
                ("to", "2026-11-20")
            ]
        )
        .status,
        303
    );

    let before = api.queue("2026-11-20", None);
    let covered = before.iter().filter(|t| t.3.is_some()).count();
    assert!(covered > 0, "li's tasks are in wang's queue: {before:?}");
    let kinds: std::collections::BTreeSet<&str> = before.iter().map(|t| t.1.as_str()).collect();
    assert!(
        kinds.contains("archive") && kinds.contains("first_follow_up"),
        "{kinds:?}"
    );
    assert!(before.len() >= 12, "a dozen tasks: {}", before.len());
    let in_queue =
        |q: &[(i64, String, String, Option<String>)], id: i64| q.iter().any(|t| t.0 == id);
    let mut lines = 0;

    // 1. A failed attempt: the task stays, counted.
    let (_, _, t1) = wang_tasks[0];
    api.call(json!({"task_id": t1, "outcome": "no_answer", "called_at": "2026-11-20T09:05"}));
    lines += 1;
    assert!(in_queue(&api.queue("2026-11-20", None), t1));
    // 2. A call-back for tomorrow: out of today's queue.
    let (_, _, t2) = wang_tasks[1];
    api.call(json!({"task_id": t2, "outcome": "callback_requested", "called_at": "2026-11-20T09:10", "callback_at": "2026-11-21T14:00"}));
    lines += 1;
    assert!(!in_queue(&api.queue("2026-11-20", None), t2));
    assert!(in_queue(&api.queue("2026-11-21", None), t2));
    // 3. A reached first follow-up with a complaint left open: done, second follow-up opened.
    let (_, _, t3) = wang_tasks[2];
    let reached3 = api.call(json!({"task_id": t3, "outcome": "reached", "called_at": "2026-11-20T09:20", "key_points": "客户投诉洗车不干净", "topics": ["C1"], "items": [{"kind": "complaint", "text": "洗车不干净"}]}));
    lines += 1;
    assert!(!in_queue(&api.queue("2026-11-20", None), t3));
    assert!(reached3["opened_task"].as_i64().is_some());
    // 4. A covered colleague's task, recorded under wang's name.
    let covered_task = api
        .queue("2026-11-20", None)
        .into_iter()
        .find(|t| t.3.is_some() && t.1 == "first_follow_up")
        .expect("a covered follow-up")
        .0;
    let covered_done = api.call(json!({"task_id": covered_task, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "代班回访"}));
    lines += 1;
    assert!(!in_queue(&api.queue("2026-11-20", None), covered_task));
    // 5. An inbound complaint from a known customer, without a task.
    let (_, cid, _) = wang_tasks[0];
    api.call(json!({"customer_id": cid, "category": "complaint", "outcome": "reached", "called_at": "2026-11-20T11:00", "key_points": "客户来电投诉", "items": [{"kind": "complaint", "text": "账单有误"}]}));
    lines += 1;
    // 6. Archive an overdue sheet: it leaves the queue.
    let archive = api
        .queue("2026-11-20", None)
        .into_iter()
        .find(|t| t.1 == "archive" && t.3.is_none())
        .expect("an archive task")
        .0;
    let vid = env.with(|c| {
        task::by_id(c, archive as i32)
            .unwrap()
            .unwrap()
            .visit_id
            .unwrap()
    });
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": [{"purpose": "N3", "date": "2026-12-20", "talking_points": "年底优惠"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(!in_queue(&api.queue("2026-11-20", None), archive));

    // Every call is in both registers, numbered 1..N without gaps.
    let numbers: Vec<(String, String)> = env.with(|c| {
        use aftercare::db::schema::call_register as cr;
        use diesel::prelude::*;
        cr::table
            .order(cr::id)
            .select((cr::register_no, cr::record_no))
            .load(c)
            .unwrap()
    });
    let expect: Vec<(String, String)> = (1..=lines)
        .map(|n| (format!("DH-2026-{n:06}"), format!("JL-2026-{n:06}")))
        .collect();
    assert_eq!(numbers, expect, "{b:?}");
    // Four tasks left today's queue (call-back, two reached, the archive); the two second
    // follow-ups they opened (window from 11-27, inside the look-ahead) and two escalations
    // joined it.
    let after = api.queue("2026-11-20", None);
    for gone in [t2, t3, covered_task, archive] {
        assert!(!in_queue(&after, gone), "{gone} left the queue");
    }
    for opened in [&reached3, &covered_done] {
        let id = opened["opened_task"].as_i64().unwrap();
        assert!(
            after.iter().any(|t| t.0 == id && t.2 == "upcoming"),
            "second follow-up {id} is upcoming"
        );
    }
    // The two complaints left open (steps 3 and 5) must be escalated within two days (R4c).
    let escalations = after
        .iter()
        .filter(|t| t.1 == "escalation" && t.2 == "due")
        .count();
    assert_eq!(escalations, 2, "{after:?}");
    assert_eq!(after.len(), before.len() - 2 + 2, "{before:?} → {after:?}");
}
