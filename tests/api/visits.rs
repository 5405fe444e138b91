//! Visits arrive by form, API and import through one service; customers are matched by phone
//! and vehicles by plate after normalising both; bad input names the field and the reason.

use crate::both_backends;
use crate::helpers::*;
use aftercare::domain::task::TaskKind;
use aftercare::models::{customer, task};
use serde_json::json;

both_backends!(
    visits_match_customer_by_phone_and_vehicle_by_plate_across_form_and_api,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        env.user("sup", "supervisor");
        let token = env.token("sup");
        let app = env.spawn();
        let api = Api::new(&app, &token);

        let r = api.post(
            "/api/v1/visits",
            visit_json("13812345678", "沪A·12345", "2026-11-19T09:30"),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        let first = r.json();
        assert_eq!(first["archive_due"], "2026-11-21");

        // The same person typed differently in the web form: +86 and spaces; the plate in lower
        // case with a dash.
        let mut web = Browser::new(&app);
        web.login("sup");
        web.get("/visits/new");
        let r = web.post(
            "/visits",
            &[
                ("kind", "repair"),
                ("customer_name", "王伟"),
                ("phone", "+86 138 1234 5678"),
                ("plate", "沪a-12345"),
                ("checked_in_at", "2026-11-20T08:00"),
                ("items", "更换刹车片\n四轮定位"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let customer_id = first["customer_id"].as_i64().unwrap() as i32;
        assert_eq!(
            r.location.as_deref(),
            Some(format!("/customers/{customer_id}?ok=visit-created").as_str())
        );

        env.with(|c| {
            let vehicles = customer::vehicles_of(c, customer_id).unwrap();
            assert_eq!(vehicles.len(), 1, "one vehicle, matched by plate");
            assert_eq!(vehicles[0].plate, "沪A12345");
            let archives = task::of_customer(c, customer_id)
                .unwrap()
                .into_iter()
                .filter(|t| t.kind.as_str() == "archive")
                .count();
            assert_eq!(archives, 2, "each visit opens its own archive task");
        });
        let page = web.get(r.location.as_deref().unwrap());
        assert!(
            page.text().contains("沪A·12345"),
            "plates are shown as 沪A·12345"
        );
        assert!(
            page.text().contains("来访已登记"),
            "the flash message says the visit was recorded"
        );
    }
);

both_backends!(
    visit_form_keeps_typed_values_and_names_each_bad_field,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get("/visits/new");
        let r = web.post(
            "/visits",
            &[
                ("kind", "repair"),
                ("customer_name", "李娜"),
                ("phone", "12345"),
                ("plate", "ABC"),
                ("checked_in_at", "2026-11-21T09:00"),
            ],
        );
        assert_eq!(r.status, 422);
        let text = r.text();
        assert!(
            text.contains("“12345”不是有效的手机号或固定电话号码"),
            "{text}"
        );
        assert!(text.contains("“ABC”不是有效的车牌号"), "{text}");
        assert!(text.contains("不能晚于现在"), "{text}");
        assert!(r.body.contains("value=\"李娜\""), "typed values are kept");

        // The same in English: the user's own choice of language.
        web.post("/account/lang", &[("lang", "en"), ("back", "/visits/new")]);
        web.get("/visits/new");
        let r = web.post(
            "/visits",
            &[
                ("kind", "repair"),
                ("customer_name", "李娜"),
                ("phone", "12345"),
                ("plate", "沪A12345"),
                ("checked_in_at", "2026-11-19T09:00"),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(
            r.text()
                .contains("\"12345\" is not a mainland mobile or landline number"),
            "{}",
            r.text()
        );
    }
);

both_backends!(r4_pickup_opens_the_first_follow_up_p_plus_3_to_7, |b| {
    let Scene {
        env,
        app: _app,
        api,
    } = scene(b, "2026-11-20", "clerk1", "clerk");
    let v = api.visit("13900000001", "沪B·22222", "2026-11-18T09:00");
    let vid = v["visit_id"].as_i64().unwrap();

    let r = api.post(
        &format!("/api/v1/visits/{vid}/pickup"),
        json!({"picked_up_at": "2026-11-17T09:00"}),
    );
    assert_eq!(r.status, 422, "pick-up before check-in");
    assert_eq!(r.json()["error"]["field"], "picked_up_at");

    let r = api.post(
        &format!("/api/v1/visits/{vid}/pickup"),
        json!({"picked_up_at": "2026-11-19T17:30"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["first_follow_up_due"], "2026-11-26");
    let r = api.post(
        &format!("/api/v1/visits/{vid}/pickup"),
        json!({"picked_up_at": "2026-11-19T18:00"}),
    );
    assert_eq!(r.status, 409, "a second pick-up is a conflict");

    env.with(|c| {
        let t = task::of_visit(c, vid as i32, TaskKind::FirstFollowUp)
            .unwrap()
            .expect("first follow-up");
        assert_eq!(
            (t.window_start.to_string(), t.window_end.to_string()),
            ("2026-11-22".into(), "2026-11-26".into())
        );
    });
});

both_backends!(r4_consultation_opens_its_first_follow_up_at_once, |b| {
    let Scene {
        env,
        app: _app,
        api,
    } = scene(b, "2026-11-20", "clerk1", "clerk");
    let r = api.post(
        "/api/v1/visits",
        json!({"kind": "consultation", "customer_name": "周杰", "phone": "021-62345678", "checked_in_at": "2026-11-20T10:00", "items": ["咨询延保服务"]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let vid = r.json()["visit_id"].as_i64().unwrap() as i32;
    env.with(|c| {
        let t = task::of_visit(c, vid, TaskKind::FirstFollowUp)
            .unwrap()
            .expect("first follow-up");
        assert_eq!(
            (t.window_start.to_string(), t.window_end.to_string()),
            ("2026-11-23".into(), "2026-11-27".into())
        );
    });
    let r = api.post(&format!("/api/v1/visits/{vid}/pickup"), json!({}));
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["code"], "pickup-consultation");
});

both_backends!(api_bad_input_names_the_field_and_writes_nothing, |b| {
    let env = TestEnv::new(b, "2026-11-20");
    env.user("clerk1", "clerk");
    let token = env.token("clerk1");
    let app = env.spawn();
    let mut api = Api::new(&app, &token);
    let base = visit_json("13700000000", "沪C·33333", "2026-11-19T09:00");
    let cases: Vec<(&str, serde_json::Value, &str, &str)> = vec![
        ("phone", json!("12345"), "phone", "phone-invalid"),
        ("phone", json!(null), "phone", "required"),
        ("plate", json!("not a plate"), "plate", "plate-invalid"),
        ("kind", json!("wash"), "kind", "kind-unknown"),
        (
            "checked_in_at",
            json!("2026-11-21T09:00"),
            "checked_in_at",
            "datetime-in-future",
        ),
        (
            "checked_in_at",
            json!("yesterday"),
            "checked_in_at",
            "datetime-invalid",
        ),
        (
            "picked_up_at",
            json!("2026-11-18T09:00"),
            "picked_up_at",
            "pickup-before-checkin",
        ),
        (
            "maintenance_interval_days",
            json!(0),
            "maintenance_interval_days",
            "number-range",
        ),
        ("odometer_km", json!("12a"), "odometer_km", "number-invalid"),
        (
            "next_maintenance_date",
            json!("2026-13-01"),
            "next_maintenance_date",
            "date-invalid",
        ),
        ("items", json!("not a list"), "items", "items-not-list"),
        ("colour", json!("red"), "colour", "field-unknown"),
        ("store", json!("nowhere"), "store", "store-unknown"),
    ];
    for (key, value, field, code) in cases {
        let mut body = base.clone();
        body[key] = value.clone();
        let r = api.post("/api/v1/visits", body);
        assert_eq!(r.status, 422, "{key}={value}: {}", r.body);
        let e = &r.json()["error"];
        assert_eq!(
            (e["field"].as_str(), e["code"].as_str()),
            (Some(field), Some(code)),
            "{key}={value}: {}",
            r.body
        );
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    let r = api.post_raw("/api/v1/visits", "{not json");
    assert_eq!(
        (r.status, r.json()["error"]["code"].as_str()),
        (422, Some("json-invalid"))
    );
    api.lang = "en".into();
    let mut body = base.clone();
    body["phone"] = json!("12345");
    // A token speaks its user's language, else the request's.
    let r = api.post("/api/v1/visits", body);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("Phone"),
        "{}",
        r.body
    );
    let count: i64 = env.with(|c| {
        use diesel::prelude::*;
        aftercare::db::schema::visits::table
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(count, 0, "nothing was written");
});

both_backends!(x3_odometer_reading_lower_than_the_last_is_refused, |b| {
    let Scene {
        env: _env,
        app: _app,
        api,
    } = scene(b, "2026-11-20", "clerk1", "clerk");
    assert_eq!(
        api.post(
            "/api/v1/visits",
            visit_json("13600000000", "沪D·44444", "2026-10-01T09:00")
        )
        .status,
        201
    );
    let mut later = visit_json("13600000000", "沪D·44444", "2026-11-19T09:00");
    later["odometer_km"] = json!(19000);
    let r = api.post("/api/v1/visits", later);
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["code"], "odometer-lower");
});
