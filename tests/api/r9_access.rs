//! ASVS 8.2.2 with R9: a clerk reads and acts on their own customers and those of the clerk
//! they cover today; supervisors on their store's; other stores never. Everything else answers
//! 404 and shows nothing — except the card of an inbound call (name, masked phone, vehicle,
//! clerk in charge). One table: every customer-, visit-, task-, item-, call- and archive-scoped
//! route × role × own / covered / colleague's / other store.

use crate::both_backends;
use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;

const TODAY: &str = "2026-11-24";
const SECRETS: [&str; 3] = ["张杨路100号", "SECRET-KP", "SECRET-COMPLAINT"];

struct Shop {
    env: TestEnv,
    app: TestApp,
    cid: i64,
    vid: i64,
    vid2: i64,
    task: i64,
    item: i64,
}

fn shop(b: Backend) -> Shop {
    let env = TestEnv::new(b, TODAY);
    // The only clerk when the customer comes in gets them (R1).
    env.user("own", "clerk");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("own"));
    let (vid, cid, task) = api.picked_up(
        &env,
        "13700000101",
        "沪J·10001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    let r =
        api.call(json!({"task_id": task, "outcome": "no_answer", "called_at": "2026-11-22T10:00"}));
    assert!(r["record_no"].is_string());
    let r = api.call(
        json!({"customer_id": cid, "direction": "inbound", "category": "complaint",
        "outcome": "reached", "called_at": "2026-11-23T10:00", "key_points": "SECRET-KP",
        "items": [{"kind": "complaint", "text": "SECRET-COMPLAINT", "answered_on_call": false}]}),
    );
    let item = r["items"][0]["id"].as_i64().unwrap();
    let vid2 = api.visit_id("13700000101", "沪J·10001", "2026-11-24T09:00");
    let own_id = user_id(&env, "own");
    let cover = env.user("cover", "clerk");
    env.user("colleague", "clerk");
    env.user("boss", "supervisor");
    // R9: `cover` covers `own` today.
    let mut web = Browser::new(&app);
    web.login("boss");
    web.get("/absences");
    let r = web.post(
        "/absences",
        &[
            ("clerk_id", &own_id.to_string()),
            ("substitute_id", &cover.to_string()),
            ("from", "2026-11-24"),
            ("to", "2026-11-25"),
        ],
    );
    assert!(r.status < 400, "absence: {}", r.body);
    let (code, _, err) = cli(&env.db, TODAY, &["store", "add", "north", "北店"], None);
    assert_eq!(code, 0, "{err}");
    env.user_in("far", "clerk", Some("north"));
    env.user_in("farboss", "supervisor", Some("north"));
    Shop {
        env,
        app,
        cid,
        vid,
        vid2,
        task,
        item,
    }
}

fn user_id(env: &TestEnv, name: &str) -> i32 {
    env.with(|c| {
        use aftercare::db::schema::users;
        users::table
            .filter(users::username.eq(name))
            .select(users::id)
            .first(c)
            .unwrap()
    })
}

fn no_secrets(who: &str, route: &str, body: &str) {
    for s in SECRETS {
        assert!(!body.contains(s), "{who} {route}: {s} shown");
    }
}

both_backends!(
    r9_access_every_customer_scoped_route_by_role_and_relation,
    |b| {
        let s = shop(b);
        let (cid, vid, vid2, task, item) = (s.cid, s.vid, s.vid2, s.task, s.item);
        // (user, reaches the customer?)
        let people = [
            ("own", true),
            ("cover", true),
            ("boss", true),
            ("colleague", false),
            ("far", false),
            ("farboss", false),
        ];
        let pages = [
            format!("/customers/{cid}"),
            format!("/tasks/{task}/call"),
            format!("/items/{item}"),
            format!("/archives/{vid}"),
            format!("/items/{item}/reply"),
        ];
        for (who, reaches) in people {
            let mut w = Browser::new(&s.app);
            w.login(who);
            for p in &pages {
                let r = w.get(p);
                if reaches {
                    assert!(
                        r.status != 404 && r.status < 500,
                        "{who} GET {p}: {}",
                        r.status
                    );
                } else {
                    assert_eq!(r.status, 404, "{who} GET {p}");
                    no_secrets(who, p, &r.body);
                }
            }
            // The inbound-call card: any clerk of the store; history only for who reaches.
            let p = format!("/calls/new?customer={cid}");
            let r = w.get(&p);
            match (who, reaches) {
                ("far" | "farboss", _) => assert_eq!(r.status, 404, "{who} {p}"),
                (_, true) => {
                    assert_eq!(r.status, 200);
                    assert!(r.body.contains("SECRET-KP"), "{who} sees the history");
                }
                (_, false) => {
                    assert_eq!(r.status, 200, "{who} {p}");
                    assert!(
                        r.body.contains("王伟") && r.body.contains("own-name"),
                        "{}",
                        r.body
                    );
                    no_secrets(who, &p, &r.body);
                }
            }
            w.get("/calls/new");
            let posts = [
                (format!("/customers/{cid}/reveal"), vec![]),
                (
                    format!("/customers/{cid}/preferences"),
                    vec![("call_hours", "")],
                ),
                (format!("/items/{item}/note"), vec![("note", "看一下")]),
            ];
            for (p, fields) in &posts {
                let r = w.post(p, fields);
                if reaches {
                    assert!(
                        r.status != 404 && r.status < 500,
                        "{who} POST {p}: {}",
                        r.status
                    );
                } else {
                    assert_eq!(r.status, 404, "{who} POST {p}");
                    no_secrets(who, p, &r.body);
                }
                w.get("/calls/new");
            }
            // The API, with the same people's tokens.
            let api = Api::new(&s.app, &s.env.token(who));
            let calls = [
                (
                    format!("/api/v1/items/{item}/escalate"),
                    json!({"note": "请主管处理"}),
                ),
                (
                    "/api/v1/calls".to_string(),
                    json!({"customer_id": cid, "direction": "outbound", "category": "other",
                       "outcome": "no_answer", "called_at": "2026-11-24T08:00"}),
                ),
                (format!("/api/v1/archives/{vid}"), json!({"plan": []})),
            ];
            for (p, body) in &calls {
                let r = api.post(p, body.clone());
                if reaches {
                    assert!(
                        r.status != 404 && r.status < 500,
                        "{who} POST {p}: {} {}",
                        r.status,
                        r.body
                    );
                } else {
                    assert_eq!(r.status, 404, "{who} POST {p}: {}", r.body);
                    no_secrets(who, p, &r.body);
                }
            }
        }
        // A pick-up on another's visit: 404 for the colleague and the other store; then the own
        // clerk's pick-up goes through.
        for who in ["colleague", "far", "farboss"] {
            let api = Api::new(&s.app, &s.env.token(who));
            let r = api.post(
                &format!("/api/v1/visits/{vid2}/pickup"),
                json!({"picked_up_at": "2026-11-24T11:00"}),
            );
            assert_eq!(r.status, 404, "{who}: {}", r.body);
        }
        let api = Api::new(&s.app, &s.env.token("own"));
        let r = api.post(
            &format!("/api/v1/visits/{vid2}/pickup"),
            json!({"picked_up_at": "2026-11-24T11:00"}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
);

both_backends!(
    r9_access_a_visit_for_an_existing_customer_changes_them_only_for_who_may,
    |b| {
        let s = shop(b);
        let name = |env: &TestEnv| {
            env.with(|c| {
                aftercare::models::customer::by_id(c, s.cid as i32)
                    .unwrap()
                    .unwrap()
                    .name
            })
        };
        let mut v = visit_json("13700000101", "沪J·10001", "2026-11-24T10:00");
        v["customer_name"] = json!("改名的人");
        let colleague = Api::new(&s.app, &s.env.token("colleague"));
        let r = colleague.post("/api/v1/visits", v.clone());
        assert_eq!(r.status, 201, "the visit itself is recorded: {}", r.body);
        no_secrets("colleague", "/api/v1/visits", &r.body);
        assert_eq!(
            name(&s.env),
            "王伟",
            "a colleague does not rename the customer"
        );
        let boss = Api::new(&s.app, &s.env.token("boss"));
        v["checked_in_at"] = json!("2026-11-24T11:00");
        let r = boss.post("/api/v1/visits", v);
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(name(&s.env), "改名的人");
        let logged: Vec<(String, String)> = s.env.with(|c| {
            use aftercare::db::schema::audit_log;
            audit_log::table
                .filter(audit_log::action.eq("customer.update"))
                .select((audit_log::actor, audit_log::detail))
                .load(c)
                .unwrap()
        });
        assert_eq!(
            logged,
            // Issue 12: the detail is stored as structured values, shown translated.
            vec![(
                "boss".to_string(),
                r#"{"changed":["name"],"source":"visit"}"#.to_string()
            )]
        );
    }
);
