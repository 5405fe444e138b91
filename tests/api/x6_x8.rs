//! Beyond the regulation: satisfaction on follow-up calls (X6), lost customers won back (X7)
//! and the service advisor (X8) — through the API, the job and the summaries' JSON, on both
//! backends, with a month whose every new figure is counted by hand below.

use crate::both_backends;
use crate::count_rows;
use crate::helpers::*;
use aftercare::domain::task::TaskKind;
use aftercare::services::Actor;
use serde_json::{json, Value};

const TODAY: &str = "2026-11-20";

fn advisor(env: &TestEnv, name: &str) -> i64 {
    let (id, _) =
        aftercare::services::advisors::add(&mut env.conn(), &env.ctx, &Actor::cli(), name, None)
            .expect("advisor");
    i64::from(id)
}

/// A visit with its advisor and A10, as the DMS sends it.
fn visit(
    api: &Api,
    phone: &str,
    plate: &str,
    at: &str,
    advisor: Option<&str>,
    a10: Option<&str>,
) -> Value {
    let mut v = visit_json(phone, plate, at);
    v["advisor"] = json!(advisor);
    v["next_maintenance_date"] = json!(a10);
    let r = api.post("/api/v1/visits", v);
    assert_eq!(r.status, 201, "visit: {}", r.body);
    r.json()
}

/// A visit picked up at `picked`; returns (customer id, first follow-up task id).
fn picked(
    env: &TestEnv,
    api: &Api,
    phone: &str,
    plate: &str,
    at: &str,
    picked: &str,
    advisor: Option<&str>,
) -> (i64, i64) {
    let v = visit(api, phone, plate, at, advisor, None);
    let vid = v["visit_id"].as_i64().unwrap();
    let r = api.post(
        &format!("/api/v1/visits/{vid}/pickup"),
        json!({ "picked_up_at": picked }),
    );
    assert_eq!(r.status, 200, "pickup: {}", r.body);
    let task = env.with(|c| {
        aftercare::models::task::of_visit(c, vid as i32, TaskKind::FirstFollowUp)
            .unwrap()
            .unwrap()
            .id
    });
    (v["customer_id"].as_i64().unwrap(), i64::from(task))
}

fn reached(task: i64, at: &str, satisfaction: Value, aspects: Value) -> Value {
    json!({
        "task_id": task, "outcome": "reached", "called_at": at,
        "key_points": "客户对本次保养总体满意", "satisfaction": satisfaction, "aspects": aspects,
    })
}

fn win_back_task(env: &TestEnv, customer: i64) -> Option<i64> {
    env.with(|c| {
        aftercare::models::task::open_of_customer(c, customer as i32, &[TaskKind::WinBack])
            .unwrap()
            .first()
            .map(|t| i64::from(t.id))
    })
}

fn run_win_back(env: &TestEnv, on: &str) -> String {
    aftercare::jobs::run(&mut env.conn(), &ctx(on), aftercare::jobs::WIN_BACK)
        .map(|done| aftercare::i18n::I18N.done("en", &done))
        .expect("job")
}

both_backends!(x6_a_low_score_opens_exactly_one_complaint, |b| {
    let s = scene(b, TODAY, "wang", "clerk");
    let (_, first) = picked(
        &s.env,
        &s.api,
        "13800000601",
        "沪A·60001",
        "2026-11-10T09:00",
        "2026-11-10T17:00",
        None,
    );
    let r = s.api.call(reached(
        first,
        "2026-11-14T10:00",
        json!(2),
        json!({"reception": 3}),
    ));
    let items = r["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{r}");
    assert_eq!(items[0]["kind"], "complaint");
    assert_eq!(items[0]["status"], "open", "left open: R4c follows it");
    let text: String = s.env.with(|c| {
        use aftercare::db::schema::items::dsl::*;
        use diesel::prelude::*;
        items.select(text).first(c).unwrap()
    });
    assert_eq!(text, "跟踪服务电话满意度评分 2 分（X6）");
    // R4c: the open complaint is to be escalated.
    let escalations = s.env.with(|c| {
        use aftercare::db::schema::tasks::dsl::*;
        use diesel::prelude::*;
        tasks
            .filter(kind.eq("escalation"))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    });
    assert_eq!(escalations, 1);
    // The second follow-up: the clerk recorded the complaint already; a 1 adds none.
    let second = r["opened_task"].as_i64().unwrap();
    let mut body = reached(second, "2026-11-20T09:00", json!(1), json!({}));
    body["items"] =
        json!([{"kind": "complaint", "text": "交车时车内很脏", "answered_on_call": false}]);
    let r = s.api.call(body);
    assert_eq!(r["items"].as_array().unwrap().len(), 1, "{r}");
    assert_eq!(count_rows!(s.env, items), 2);
    assert_eq!(count_rows!(s.env, call_satisfaction), 2);
    // The call-record register shows the score in its own column, in both languages.
    s.env.user("boss", "supervisor");
    let boss = Api::new(&s.app, &s.env.token("boss"));
    let zh = boss.get("/api/v1/registers/call-records?from=2026-11-14&to=2026-11-20&format=csv");
    assert_eq!(zh.status, 200, "{}", zh.body);
    let head = zh.body.lines().next().unwrap().to_string();
    assert!(head.contains("经办人,满意度,门店"), "{head}");
    assert!(zh.body.contains("2（接待服务 3）"), "{}", zh.body);
    let en =
        boss.get("/api/v1/registers/call-records?from=2026-11-14&to=2026-11-20&format=csv&lang=en");
    assert!(
        en.body.contains("handled_by,satisfaction,store"),
        "{}",
        en.body
    );
    assert!(en.body.contains("2 (Reception 3)"), "{}", en.body);
});

both_backends!(x6_validation_errors_name_the_field_and_write_nothing, |b| {
    let s = scene(b, TODAY, "wang", "clerk");
    let (_, first) = picked(
        &s.env,
        &s.api,
        "13800000611",
        "沪A·60011",
        "2026-11-10T09:00",
        "2026-11-10T17:00",
        None,
    );
    let before = count_rows!(s.env, call_records);
    for (satisfaction, aspects, field, message) in [
        (
            json!(7),
            json!({}),
            "satisfaction",
            "满意度：必须是 1 到 5 或“拒绝回答”",
        ),
        (
            json!("很好"),
            json!({}),
            "satisfaction",
            "满意度：必须是 1 到 5 或“拒绝回答”",
        ),
        (
            json!(4),
            json!({"reception": 0}),
            "aspects.reception",
            "分项满意度 · 接待服务：必须是 1 到 5",
        ),
        (
            json!(4),
            json!({"smell": 3}),
            "aspects.smell",
            "分项满意度 · smell：不是本店询问的分项",
        ),
    ] {
        let r = s.api.post(
            "/api/v1/calls",
            reached(first, "2026-11-14T10:00", satisfaction, aspects),
        );
        assert_eq!(r.status, 422, "{}", r.body);
        let e = &r.json()["error"];
        assert_eq!(e["field"], field, "{}", r.body);
        assert_eq!(e["message"], message, "{}", r.body);
    }
    // Only a reached first or second follow-up asks.
    let mut failed = reached(first, "2026-11-14T10:00", json!(4), json!({}));
    failed["outcome"] = json!("no_answer");
    let r = s.api.post("/api/v1/calls", failed);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["field"], "satisfaction");
    assert_eq!(count_rows!(s.env, call_records), before, "nothing written");
    // In English too.
    let mut en = Api::new(&s.app, &s.api.token);
    en.lang = "en".into();
    let r = en.post(
        "/api/v1/calls",
        reached(first, "2026-11-14T10:00", json!(0), json!({})),
    );
    assert_eq!(
        r.json()["error"]["message"],
        "Satisfaction: must be 1 to 5 or \"declined\""
    );
    // A reached follow-up without it is "not asked" and counts nowhere.
    s.api
        .call(reached(first, "2026-11-14T10:00", Value::Null, json!({})));
    assert_eq!(count_rows!(s.env, call_satisfaction), 0);
});

both_backends!(
    x7_the_win_back_job_run_twice_opens_nothing_the_second_time,
    |b| {
        let s = scene(b, TODAY, "wang", "clerk");
        // Lost: A10 2026-04-10, more than 90 days before today, no visit since.
        let lost = visit(
            &s.api,
            "13800000621",
            "沪A·60021",
            "2026-01-10T09:00",
            None,
            Some("2026-04-10"),
        )["customer_id"]
            .as_i64()
            .unwrap();
        // Not lost: A10 2026-09-01 is only 80 days ago.
        visit(
            &s.api,
            "13800000622",
            "沪A·60022",
            "2026-03-01T09:00",
            None,
            Some("2026-09-01"),
        );
        // Lost, and comes back before the call.
        let back = visit(
            &s.api,
            "13800000623",
            "沪A·60023",
            "2026-02-01T09:00",
            None,
            Some("2026-07-01"),
        )["customer_id"]
            .as_i64()
            .unwrap();
        assert_eq!(run_win_back(&s.env, TODAY), "2 win-back tasks opened");
        assert_eq!(run_win_back(&s.env, TODAY), "0 win-back tasks opened");
        let task = win_back_task(&s.env, lost).expect("a win-back task");
        let queue = s.api.queue(TODAY, None);
        let on_queue = queue.iter().find(|q| q.0 == task).expect("on the queue");
        assert_eq!(
            (on_queue.1.as_str(), on_queue.2.as_str()),
            ("win_back", "due")
        );
        // A reached win-back call records why the customer stopped coming.
        let call = json!({"task_id": task, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "客户说别家便宜"});
        let r = s.api.post("/api/v1/calls", call.clone());
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "win_back_reason");
        let mut other = call.clone();
        other["win_back_reason"] = json!("other");
        let r = s.api.post("/api/v1/calls", other);
        assert_eq!(r.json()["error"]["field"], "win_back_text", "{}", r.body);
        let mut price = call;
        price["win_back_reason"] = json!("price");
        let r = s.api.call(price);
        assert_eq!(r["completed_task"], task);
        assert_eq!(count_rows!(s.env, win_back_answers), 1);
        // The one who comes back closes their task: won back.
        visit(
            &s.api,
            "13800000623",
            "沪A·60023",
            "2026-11-20T11:00",
            None,
            None,
        );
        assert_eq!(win_back_task(&s.env, back), None, "closed by the visit");
        let reason: Option<String> = s.env.with(|c| {
            use aftercare::db::schema::tasks::dsl::*;
            use diesel::prelude::*;
            tasks
                .filter(kind.eq("win_back"))
                .filter(customer_id.eq(back as i32))
                .select(close_reason)
                .first(c)
                .unwrap()
        });
        assert_eq!(reason.as_deref(), Some("returned"));
        // Still nothing new: at most one a customer per lost_after_days.
        assert_eq!(
            run_win_back(&s.env, "2026-11-25"),
            "0 win-back tasks opened"
        );
        // 91 days on, the first is lost still (a new task), and so is the one whose A10 was 09-01.
        assert_eq!(
            run_win_back(&s.env, "2027-02-19"),
            "2 win-back tasks opened"
        );
        // The customers page filters the lost ones.
        let mut br = Browser::new(&s.app);
        br.login("wang");
        // A clerk starts from their own customers (a colleague's are found only by a search).
        let page = br.get("/customers?lost=1");
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains(&format!("/customers/{lost}")),
            "lost listed"
        );
        assert!(
            !page.body.contains(&format!("/customers/{back}\"")),
            "came back"
        );
    }
);

both_backends!(x8_advisors_are_matched_by_normalised_name, |b| {
    let s = scene(b, TODAY, "wang", "clerk");
    s.env.user("root", "admin");
    let wang = advisor(&s.env, "王芳");
    visit(
        &s.api,
        "13800000631",
        "沪A·60031",
        "2026-11-19T09:00",
        Some(" 王 芳"),
        None,
    );
    visit(
        &s.api,
        "13800000632",
        "沪A·60032",
        "2026-11-19T10:00",
        Some("赵六"),
        None,
    );
    let linked: Vec<(Option<String>, Option<i32>)> = s.env.with(|c| {
        use aftercare::db::schema::visits::dsl::*;
        use diesel::prelude::*;
        visits
            .order(id)
            .select((advisor, advisor_id))
            .load(c)
            .unwrap()
    });
    assert_eq!(
        linked,
        [
            (Some("王 芳".into()), Some(wang as i32)),
            (Some("赵六".into()), None)
        ]
    );
    // The admin page lists the unmatched name; adding it links the visit.
    let mut br = Browser::new(&s.app);
    br.login("root");
    let page = br.get("/admin/advisors");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.text().contains("赵六 1"), "{}", page.text());
    let r = br.post("/admin/advisors", &[("name", "赵六")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let r = br.post("/admin/advisors", &[("name", "赵 六")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("名单上已有同名服务顾问"), "{}", r.text());
    let unmatched = s
        .env
        .with(|c| aftercare::models::satisfaction::unmatched(c, None).unwrap());
    assert!(unmatched.is_empty(), "{unmatched:?}");
    // The import takes the column too.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("v.csv");
    std::fs::write(
        &file,
        "external_id,kind,customer_name,phone,plate,checked_in_at,advisor\nD-1,repair,李娜,13800000633,沪A·60033,2026-11-18T09:00,王芳\n",
    )
    .unwrap();
    let (code, out, err) = cli(
        &s.env.db,
        TODAY,
        &["import", "visits", file.to_str().unwrap()],
        None,
    );
    assert_eq!(code, 0, "{out}{err}");
    let n: i64 = s.env.with(|c| {
        use aftercare::db::schema::visits::dsl::*;
        use diesel::prelude::*;
        visits
            .filter(advisor_id.eq(wang as i32))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(n, 2);
});

/// A figure from the JSON as a number (null stays None).
fn num(f: &Value, key: &str) -> Option<f64> {
    f[key].as_f64()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

both_backends!(
    x6_x7_x8_every_new_figure_of_a_hand_built_month_matches_the_hand_count,
    |b| {
        let s = scene(b, TODAY, "wang", "clerk");
        s.env.user("boss", "supervisor");
        let wang_fang = advisor(&s.env, "王芳");
        let zhao = advisor(&s.env, "赵六");
        let (env, api) = (&s.env, &s.api);
        // X6, October 2026. A (王芳): first follow-up 5 (reception 4, on time 5), second 2.
        let (_, a1) = picked(
            env,
            api,
            "13800000641",
            "沪A·60041",
            "2026-10-01T09:00",
            "2026-10-02T17:00",
            Some("王芳"),
        );
        let r = api.call(reached(
            a1,
            "2026-10-06T10:00",
            json!(5),
            json!({"reception": 4, "on_time": 5}),
        ));
        let a2 = r["opened_task"].as_i64().unwrap();
        let r = api.call(reached(a2, "2026-10-14T10:00", json!(2), json!({})));
        assert_eq!(r["items"][0]["kind"], "complaint");
        // B (李四, not on the list): declined.
        let (_, b1) = picked(
            env,
            api,
            "13800000642",
            "沪A·60042",
            "2026-10-03T09:00",
            "2026-10-03T17:00",
            Some("李四"),
        );
        api.call(reached(
            b1,
            "2026-10-08T10:00",
            json!("declined"),
            json!({}),
        ));
        // C (" 王 芳", matched): 4 (reception 2).
        let (_, c1) = picked(
            env,
            api,
            "13800000643",
            "沪A·60043",
            "2026-10-04T09:00",
            "2026-10-04T17:00",
            Some(" 王 芳"),
        );
        api.call(reached(
            c1,
            "2026-10-09T10:00",
            json!(4),
            json!({"reception": 2}),
        ));
        // X7: D (赵六) and E lost on 10-10 (A10 before 07-12); F is not (A10 09-01).
        let d = visit(
            api,
            "13800000644",
            "沪A·60044",
            "2026-01-10T09:00",
            Some("赵六"),
            Some("2026-04-10"),
        )["customer_id"]
            .as_i64()
            .unwrap();
        let e = visit(
            api,
            "13800000645",
            "沪A·60045",
            "2026-02-01T09:00",
            None,
            Some("2026-07-01"),
        )["customer_id"]
            .as_i64()
            .unwrap();
        visit(
            api,
            "13800000646",
            "沪A·60046",
            "2026-03-01T09:00",
            None,
            Some("2026-09-01"),
        );
        assert_eq!(run_win_back(env, "2026-10-10"), "2 win-back tasks opened");
        let dt = win_back_task(env, d).unwrap();
        // Two win-back calls to D: no answer, then reached.
        api.call(json!({"task_id": dt, "outcome": "no_answer", "called_at": "2026-10-12T10:00"}));
        api.call(
            json!({"task_id": dt, "outcome": "reached", "called_at": "2026-10-13T10:00",
            "key_points": "已搬到外地", "win_back_reason": "moved"}),
        );
        // E comes back on 10-20: won back, and no longer lost at the month's end.
        visit(
            api,
            "13800000645",
            "沪A·60045",
            "2026-10-20T09:00",
            None,
            None,
        );

        let boss = Api::new(&s.app, &env.token("boss"));
        let r = boss.get("/api/v1/summaries/monthly/2026-10");
        assert_eq!(r.status, 200, "{}", r.body);
        let j = r.json();
        // By hand: answers 5, 2, 4 (and one declined); mean 11/3; low 1; CSI 2 of 3;
        // reception (4 + 2) / 2, on time 5; lost at 10-31: D only; win-back calls 2; won back E.
        let aspects = json!({"reception": 3.0, "repair_quality": null, "on_time": 5.0,
            "price_explained": null, "returned_clean": null});
        let check = |label: &str, f: &Value| {
            assert_eq!(f["satisfaction_answers"], 3, "{label}: {f}");
            assert_eq!(f["satisfaction_declined"], 1, "{label}");
            assert!(
                close(num(f, "satisfaction_mean"), 11.0 / 3.0),
                "{label}: {f}"
            );
            assert_eq!(f["satisfaction_low"], 1, "{label}");
            assert!(close(num(f, "csi"), 2.0 / 3.0), "{label}: {f}");
            assert_eq!(f["aspects"], aspects, "{label}");
            assert_eq!(f["lost_customers"], 1, "{label}");
            assert_eq!(f["win_back_calls"], 2, "{label}");
            assert_eq!(f["won_back"], 1, "{label}");
        };
        check("totals", &j["totals"]);
        let clerks = j["clerks"].as_array().unwrap();
        assert_eq!(clerks.len(), 1);
        check("wang", &clerks[0]);
        // September: before any of it. Lost at 09-30 (A10 before 07-02): D and E.
        let p = &j["previous"];
        assert_eq!(p["satisfaction_answers"], 0);
        assert_eq!(p["satisfaction_mean"], Value::Null);
        assert_eq!(p["csi"], Value::Null);
        assert_eq!(p["lost_customers"], 2);
        assert_eq!(
            (p["win_back_calls"].clone(), p["won_back"].clone()),
            (json!(0), json!(0))
        );
        // X8: per advisor of the list. 王芳: A's two answers and C's; 赵六: D.
        let advisors = j["advisors"].as_array().expect("advisors");
        assert_eq!(advisors.len(), 2, "{advisors:?}");
        let by = |name: &str| advisors.iter().find(|a| a["advisor"] == name).unwrap();
        let wf = by("王芳");
        assert_eq!(wf["satisfaction_answers"], 3);
        assert_eq!(wf["satisfaction_declined"], 0);
        assert!(close(num(wf, "satisfaction_mean"), 11.0 / 3.0));
        assert_eq!(wf["satisfaction_low"], 1);
        assert!(close(num(wf, "csi"), 2.0 / 3.0));
        assert_eq!(wf["aspects"], aspects);
        assert_eq!(wf["items_raised"], 1, "the low score's complaint");
        assert_eq!(wf["visits"], 2);
        assert_eq!(wf["lost_customers"], 0);
        let zl = by("赵六");
        assert_eq!(zl["satisfaction_answers"], 0);
        assert_eq!(zl["satisfaction_mean"], Value::Null);
        assert_eq!(zl["lost_customers"], 1);
        assert_eq!(zl["win_back_calls"], 2);
        assert_eq!(zl["won_back"], 0);
        // The lines behind each figure open as the others do.
        let mut br = Browser::new(&s.app);
        br.login("boss");
        let page = br.get("/summaries/monthly/2026-10");
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("id=\"chart-csi\""),
            "CSI per clerk chart"
        );
        assert!(page.body.contains("id=\"advisors\""), "per advisor table");
        for (q, n) in [
            ("figure=satisfaction_answers".to_string(), 3),
            ("figure=satisfaction_declined".to_string(), 1),
            ("figure=satisfaction_low".to_string(), 1),
            ("figure=lost_customers".to_string(), 1),
            ("figure=win_back_calls".to_string(), 2),
            ("figure=won_back".to_string(), 1),
            (format!("figure=win_back_calls&advisor={zhao}"), 2),
            (
                format!("figure=satisfaction_answers&advisor={wang_fang}"),
                3,
            ),
            (format!("figure=satisfaction_answers&advisor={zhao}"), 0),
        ] {
            let l = br.get(&format!("/summaries/monthly/2026-10/lines?{q}"));
            assert_eq!(l.status, 200, "{q}: {}", l.body);
            let rows = l.body.matches("<tr data-id=").count();
            assert_eq!(rows, n, "{q}");
        }
        let l = br.get("/summaries/monthly/2026-10/lines?figure=lost_customers");
        assert!(
            l.body.contains(&format!("&#x2F;customers&#x2F;{d}\"")),
            "D is the lost one"
        );
        let l = br.get("/summaries/monthly/2026-10/lines?figure=won_back");
        assert!(
            l.body.contains(&format!("&#x2F;customers&#x2F;{e}\"")),
            "E came back"
        );
        // The yearly page charts the 12-month trend of CSI and lost customers.
        let y = br.get("/summaries/yearly/2026");
        assert_eq!(y.status, 200, "{}", y.body);
        assert!(y.body.contains("id=\"trend-csi\""), "trend chart");
    }
);
