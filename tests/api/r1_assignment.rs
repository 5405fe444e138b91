//! R1: every customer has one designated follow-up clerk — round robin among the store's
//! active clerks for new customers, kept for returning ones, reassigned by a supervisor.

use crate::both_backends;
use crate::helpers::*;
use aftercare::models::{customer, task};
use aftercare::services::{accounts, Actor};

fn clerk_of(env: &TestEnv, customer_id: i64) -> i32 {
    env.with(|c| {
        customer::by_id(c, customer_id as i32)
            .unwrap()
            .unwrap()
            .clerk_id
            .unwrap()
    })
}

both_backends!(
    r1_new_customers_go_round_robin_to_active_clerks_and_returning_ones_keep_theirs,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        let a = env.user("clerk_a", "clerk");
        let bb = env.user("clerk_b", "clerk");
        let c = env.user("clerk_c", "clerk");
        env.user("sup", "supervisor");
        // Clerk C is on leave: not in the rotation.
        let update = accounts::UserUpdate {
            display_name: "clerk_c-name".into(),
            role: "clerk".into(),
            store: None,
            active_for_assignment: false,
            disabled: false,
        };
        accounts::update_user(&mut env.conn(), &env.ctx, &Actor::cli(), c, &update).unwrap();
        let token = env.token("sup");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let mut clerks = Vec::new();
        for (i, phone) in ["13800000001", "13800000002", "13800000003", "13800000004"]
            .iter()
            .enumerate()
        {
            let plate = format!("沪A·1000{i}");
            let r = api.post(
                "/api/v1/visits",
                visit_json(phone, &plate, "2026-11-19T09:00"),
            );
            assert_eq!(r.status, 201, "{}", r.body);
            clerks.push(clerk_of(&env, r.json()["customer_id"].as_i64().unwrap()));
        }
        assert_eq!(clerks, vec![a, bb, a, bb]);

        // A returning customer (the phone written another way) keeps their clerk.
        let r = api.post(
            "/api/v1/visits",
            visit_json("+86 138-0000-0003", "沪A·10002", "2026-11-20T09:00"),
        );
        assert_eq!(r.status, 201);
        assert_eq!(clerk_of(&env, r.json()["customer_id"].as_i64().unwrap()), a);
    }
);

both_backends!(
    r1_supervisor_reassigns_customers_and_their_open_tasks_move,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        let a = env.user("clerk_a", "clerk");
        let bb = env.user("clerk_b", "clerk");
        env.user("sup", "supervisor");
        let token = env.token("sup");
        let app = env.spawn();
        let api = Api::new(&app, &token);
        let c1 = api.visit("13800000011", "沪A·20001", "2026-11-19T09:00")["customer_id"]
            .as_i64()
            .unwrap();
        let c2 = api.visit("13800000012", "沪A·20002", "2026-11-19T09:00")["customer_id"]
            .as_i64()
            .unwrap();
        assert_eq!((clerk_of(&env, c1), clerk_of(&env, c2)), (a, bb));

        // A clerk may not reassign.
        let mut clerk = Browser::new(&app);
        clerk.login("clerk_a");
        clerk.get("/customers");
        let r = clerk.post(
            "/customers/reassign",
            &[
                ("customer_ids", &c1.to_string()),
                ("clerk_id", &bb.to_string()),
            ],
        );
        assert_eq!(r.status, 403);

        let mut sup = Browser::new(&app);
        sup.login("sup");
        sup.get("/customers");
        let r = sup.post(
            "/customers/reassign",
            &[
                ("customer_ids", &c1.to_string()),
                ("customer_ids", &c2.to_string()),
                ("clerk_id", &bb.to_string()),
                ("back", "/customers"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!((clerk_of(&env, c1), clerk_of(&env, c2)), (bb, bb));
        env.with(|c| {
            for t in task::of_customer(c, c1 as i32).unwrap() {
                assert_eq!(t.clerk_id, bb, "open tasks follow the customer");
            }
        });
        // The clerk's start page now lists both archive tasks.
        let mut b_page = Browser::new(&app);
        b_page.login("clerk_b");
        let home = b_page.get("/");
        assert_eq!(
            home.body.matches("data-task=").count(),
            2,
            "{}",
            home.text()
        );
    }
);

both_backends!(
    r1_a_store_without_active_clerks_refuses_new_customers_with_a_reason,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        env.user("sup", "supervisor");
        let token = env.token("sup");
        let app = env.spawn();
        let r = Api::new(&app, &token).post(
            "/api/v1/visits",
            visit_json("13800000021", "沪A·30001", "2026-11-19T09:00"),
        );
        assert_eq!(r.status, 422);
        assert_eq!(r.json()["error"]["code"], "no-active-clerk");
    }
);
