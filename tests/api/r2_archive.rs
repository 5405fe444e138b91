//! R2 and R3: each visit or consultation opens an archive task due by the end of D + 2;
//! completing the archive sheet requires a next-service plan, numbers the archive, records who
//! and when, and counts as on time or late.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use aftercare::domain::task::TaskKind;
use aftercare::models::{archive, task};
use serde_json::json;

fn plan() -> serde_json::Value {
    json!([{"purpose": "N3", "date": "2026-12-15", "talking_points": "告知本月空调清洗八折"}])
}

both_backends!(
    r2_visit_opens_an_archive_task_due_by_the_end_of_d_plus_2,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        let clerk = env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        // Checked in late in the evening: D is that local date, due by the end of D + 2.
        let r = api.post(
            "/api/v1/visits",
            visit_json("13500000000", "沪E·55555", "2026-11-19T23:30"),
        );
        assert_eq!(r.json()["archive_due"], "2026-11-21");
        let vid = r.json()["visit_id"].as_i64().unwrap() as i32;
        env.with(|c| {
            let t = task::of_visit(c, vid, TaskKind::Archive).unwrap().unwrap();
            assert_eq!(
                (
                    t.window_start.to_string(),
                    t.window_end.to_string(),
                    t.clerk_id,
                    t.status.as_str()
                ),
                ("2026-11-19".into(), "2026-11-21".into(), clerk, "open")
            );
        });
        // The clerk's start page (the queue) shows it as due, with its window.
        let mut web = Browser::new(&app);
        web.login("clerk1");
        let home = web.get("/");
        assert!(home.body.contains("id=\"queue\""));
        assert!(
            home.text()
                .contains("到期 建立客户档案 2026-11-19 – 2026-11-21"),
            "{}",
            home.text()
        );
    }
);

both_backends!(
    r2_archive_completed_in_its_window_is_on_time_and_numbered_without_gaps,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let mut numbers = Vec::new();
        for (i, phone) in ["13500000001", "13500000002", "13500000003"]
            .iter()
            .enumerate()
        {
            let v = api
                .post(
                    "/api/v1/visits",
                    visit_json(phone, &format!("沪E·6000{i}"), "2026-11-19T09:00"),
                )
                .json();
            let vid = v["visit_id"].as_i64().unwrap();
            let r = api.post(&format!("/api/v1/archives/{vid}"), json!({"plan": plan()}));
            assert_eq!(r.status, 201, "{}", r.body);
            assert_eq!(r.json()["timeliness"], "on_time");
            numbers.push(r.json()["archive_no"].as_str().unwrap().to_string());
            let again = api.post(&format!("/api/v1/archives/{vid}"), json!({"plan": plan()}));
            assert_eq!(again.status, 409, "an archive is completed once");
        }
        assert_eq!(
            numbers,
            vec!["DA-2026-000001", "DA-2026-000002", "DA-2026-000003"]
        );
    }
);

both_backends!(r2_archive_completed_after_d_plus_2_counts_as_late, |b| {
    let Scene {
        env: _env,
        app: _app,
        api,
    } = scene(b, "2026-11-20", "clerk1", "clerk");
    let vid = api.visit_id("13500000010", "沪E·70000", "2026-11-17T09:00");
    // The edge: completed on D+2 (entered later, with its real time) is on time…
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": plan(), "archived_at": "2026-11-19T23:59"}),
    );
    assert_eq!(r.json()["timeliness"], "on_time", "{}", r.body);
    // …on D+3 it is late.
    let vid = api.visit_id("13500000011", "沪E·70001", "2026-11-17T09:00");
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": plan(), "archived_at": "2026-11-20T00:01"}),
    );
    assert_eq!(r.json()["timeliness"], "late", "{}", r.body);
    // Never in the future, never before the visit.
    let vid = api.visit_id("13500000012", "沪E·70002", "2026-11-19T09:00");
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": plan(), "archived_at": "2026-11-21T09:00"}),
    );
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (422, Some("datetime-in-future"))
    );
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": plan(), "archived_at": "2026-11-19T08:00"}),
    );
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (422, Some("archived-before-visit"))
    );
});

both_backends!(
    r2_archive_numbers_restart_each_year_by_the_archive_date,
    |b| {
        let env = TestEnv::new(b, "2027-01-02");
        env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let v1 = api.visit_id("13500000020", "沪E·80000", "2026-12-30T15:00");
        let v2 = api.visit_id("13500000021", "沪E·80001", "2027-01-01T10:00");
        let p = json!([{"purpose": "N4", "date": "2027-02-01", "talking_points": "免费检测"}]);
        // Entered on 2 January for the 31 December: numbered in the old year.
        let r1 = api.post(
            &format!("/api/v1/archives/{v1}"),
            json!({"plan": p, "archived_at": "2026-12-31T18:00"}),
        );
        let r2 = api.post(&format!("/api/v1/archives/{v2}"), json!({"plan": p}));
        assert_eq!(r1.json()["archive_no"], "DA-2026-000001");
        assert_eq!(r2.json()["archive_no"], "DA-2027-000001");
    }
);

both_backends!(
    r3_archive_requires_a_next_service_plan_and_opens_its_tasks,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let v = api.visit("13500000030", "沪E·90000", "2026-11-19T09:00");
        let vid = v["visit_id"].as_i64().unwrap();
        let r = api.post(&format!("/api/v1/archives/{vid}"), json!({}));
        assert_eq!(
            (
                r.status,
                r.json()["error"]["field"].as_str(),
                r.json()["error"]["code"].as_str()
            ),
            (422, Some("plan"), Some("plan-required"))
        );
        let r = api.post(
            &format!("/api/v1/archives/{vid}"),
            json!({"plan": [{"purpose": "N9", "date": "2026-11-01"}]}),
        );
        let fields: Vec<String> = r.json()["error"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            fields,
            vec!["plan[0].purpose", "plan[0].date", "plan[0].talking_points"]
        );

        // N1 without a date takes A10 (visit + 180 days); N3 opens a planned contact.
        let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": [{"purpose": "N1", "talking_points": "保养到期提醒"}, {"purpose": "N3", "date": "2026-12-15", "talking_points": "优惠活动"}]}),
    );
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["next_maintenance_date"], "2027-05-18");
        env.with(|c| {
            let tasks = task::of_customer(c, v["customer_id"].as_i64().unwrap() as i32).unwrap();
            let reminder = tasks
                .iter()
                .find(|t| t.kind.as_str() == "maintenance_reminder")
                .expect("N1 is the maintenance reminder");
            assert_eq!(
                (
                    reminder.window_start.to_string(),
                    reminder.window_end.to_string()
                ),
                ("2027-05-11".into(), "2027-05-18".into())
            );
            let planned = tasks
                .iter()
                .find(|t| t.kind.as_str() == "planned_contact")
                .expect("planned contact");
            assert_eq!(
                (
                    planned.window_start.to_string(),
                    planned.window_end.to_string()
                ),
                ("2026-12-15".into(), "2026-12-17".into())
            );
            assert_eq!(
                tasks
                    .iter()
                    .filter(|t| t.kind.as_str() == "maintenance_reminder"
                        || t.kind.as_str() == "planned_contact")
                    .count(),
                2,
                "N1 is not a second task"
            );
            let a = archive::by_visit(c, vid as i32).unwrap().unwrap();
            assert_eq!(archive::plan_of_archive(c, a.id).unwrap().len(), 2);
        });
    }
);

both_backends!(
    r2_clerk_completes_the_archive_sheet_on_the_page_with_a12_history,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        env.user("clerk2", "clerk");
        let token = env.token("clerk1");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        // An earlier visit (September), then today's: the sheet shows the earlier one as A12.
        let mut old = visit_json("13500000040", "沪E·91000", "2026-09-01T09:00");
        old["items"] = json!(["更换蓄电池"]);
        old["odometer_km"] = json!(15000);
        api.post("/api/v1/visits", old);
        let v = api.visit("13500000040", "沪E·91000", "2026-11-20T09:00");
        let vid = v["visit_id"].as_i64().unwrap();

        let mut web = Browser::new(&app);
        web.login("clerk1");
        let sheet = web.get(&format!("/archives/{vid}"));
        assert_eq!(sheet.status, 200, "{}", sheet.text());
        assert!(
            sheet.text().contains("2026-09-01 更换蓄电池"),
            "A12 lists the earlier visit: {}",
            sheet.text()
        );
        // Without a plan: refused, the typed values kept.
        let r = web.post(
            &format!("/archives/{vid}"),
            &[
                ("customer_name", "王伟（更正）"),
                ("plan_purpose", ""),
                ("plan_date", ""),
                ("plan_talking_points", ""),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(
            r.text().contains("至少需要一项“下一次”服务计划"),
            "{}",
            r.text()
        );
        assert!(r.body.contains("王伟（更正）"));
        let r = web.post(
            &format!("/archives/{vid}"),
            &[
                ("customer_name", "王伟"),
                ("plan_purpose", "N1"),
                ("plan_date", ""),
                ("plan_talking_points", "提醒按期保养"),
                ("plan_purpose", "N2"),
                ("plan_date", "2026-12-20"),
                ("plan_talking_points", "车主联谊会"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let done = web.get(&format!("/archives/{vid}"));
        assert!(done.text().contains("DA-2026-000001"), "{}", done.text());
        assert!(
            done.text().contains("由 clerk1-name 于 2026-11-20"),
            "{}",
            done.text()
        );
        // Another clerk finds nothing there (ASVS 8.2.2: the sheet is the customer's data).
        let mut other = Browser::new(&app);
        other.login("clerk2");
        let seen = other.get(&format!("/archives/{vid}"));
        assert_eq!(seen.status, 404);
        assert!(!seen.body.contains("DA-2026-000001"));
        // The task left the start page.
        let home = web.get("/");
        assert_eq!(
            home.body.matches("data-task=").count(),
            1,
            "only the September visit's archive is left: {}",
            home.text()
        );
        assert!(home.text().contains("已逾期"));
    }
);

both_backends!(r2_start_page_speaks_english_when_the_user_chooses_it, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let token = env.token("clerk1");
    let app = env.spawn();
    Api::new(&app, &token).post(
        "/api/v1/visits",
        visit_json("13500000050", "沪E·92000", "2026-11-15T09:00"),
    );
    let mut web = Browser::new(&app);
    web.login("clerk1");
    web.get("/");
    web.post("/account/lang", &[("lang", "en"), ("back", "/")]);
    let home = web.get("/");
    assert!(
        home.text()
            .contains("Overdue Customer archive 2026-11-15 – 2026-11-17"),
        "{}",
        home.text()
    );
});

both_backends!(
    r2_only_the_customers_clerk_or_a_supervisor_completes_an_archive,
    |b| {
        let Scene { env, app, api } = scene(b, "2026-11-20", "clerk1", "clerk");
        env.user("clerk2", "clerk");
        let vid = api.visit_id("13500000060", "沪E·93000", "2026-11-19T09:00");
        let mut other = Browser::new(&app);
        other.login("clerk2");
        let page = other.get(&format!("/archives/{vid}"));
        assert_eq!(page.status, 404, "{}", page.text());
        other.get("/calls/new");
        let r = other.post(
            &format!("/archives/{vid}"),
            &[
                ("plan_purpose", "N3"),
                ("plan_date", "2026-12-20"),
                ("plan_talking_points", "优惠"),
            ],
        );
        assert_eq!(r.status, 404);
        let other_api = Api::new(&app, &env.token("clerk2"));
        let r = other_api.post(&format!("/api/v1/archives/{vid}"), json!({"plan": plan()}));
        assert_eq!(r.status, 404);
        assert_eq!(count_rows!(env, archives), 0);
    }
);
