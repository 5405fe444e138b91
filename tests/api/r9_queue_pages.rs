//! The queue a page at a time (issue 11; RULES.md "Tasks", R9, X2, R11): pages that together
//! are the whole queue while tasks end between reads, filters, counts, cursors, ETag / 304,
//! the page's groups, `tel:` links, call-backs rising, returning to the same page, the cover
//! preview and the plans of the first page's queries.

use crate::both_backends;
use crate::helpers::*;
use aftercare::domain::cadence::Window;
use aftercare::domain::task::{in_queue, queue_key, TaskKind};
use aftercare::models::task;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{json, Value};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn noon(day: &str) -> NaiveDateTime {
    format!("{day}T04:00:00").parse().unwrap()
}

/// A clerk's world: the clerk's id, store and customers to hang tasks on.
struct World {
    clerk: i32,
    store: i32,
    customers: Vec<i32>,
}

fn world(s: &Scene, clerk: &str, n_customers: usize) -> World {
    let id = s.env.with(|c| {
        aftercare::models::user::by_username(c, clerk)
            .unwrap()
            .unwrap()
    });
    let customers = (0..n_customers)
        .map(|i| {
            s.api.visit(
                &format!("1390000{i:04}"),
                &format!("沪F·7{i:04}"),
                "2026-11-19T09:00",
            )["customer_id"]
                .as_i64()
                .unwrap() as i32
        })
        .collect();
    World {
        clerk: id.id,
        store: id.store_id.unwrap(),
        customers,
    }
}

#[allow(clippy::too_many_arguments)]
fn add(
    env: &TestEnv,
    w: &World,
    clerk: i32,
    customer: usize,
    kind: TaskKind,
    start: NaiveDate,
    end: NaiveDate,
    event: Option<i32>,
) -> i64 {
    env.with(|c| {
        task::insert(
            c,
            &task::NewTask {
                store_id: w.store,
                kind,
                customer_id: w.customers[customer % w.customers.len()],
                visit_id: None,
                clerk_id: clerk,
                window: Window { start, end },
                planned_contact_id: None,
                item_id: None,
                event_id: event,
            },
            noon("2026-11-20"),
        )
        .unwrap() as i64
    })
}

const KINDS: [TaskKind; 4] = [
    TaskKind::FirstFollowUp,
    TaskKind::SecondFollowUp,
    TaskKind::PlannedContact,
    TaskKind::MaintenanceReminder,
];

/// `n` tasks spread over overdue, due, upcoming and beyond the look-ahead, some with a
/// call-back agreed for tomorrow (out of today's queue, X2).
fn many(env: &TestEnv, w: &World, n: usize) {
    let today = d("2026-11-20");
    for i in 0..n {
        let start = today + chrono::Duration::days((i as i64 * 7) % 25 - 14);
        let end = start + chrono::Duration::days(i as i64 % 5);
        let id = add(env, w, w.clerk, i, KINDS[i % 4], start, end, None);
        if i % 17 == 0 {
            env.with(|c| {
                task::record_attempt(
                    c,
                    id as i32,
                    false,
                    "callback_requested",
                    noon("2026-11-20"),
                    Some((noon("2026-11-21"), d("2026-11-21"))),
                )
                .unwrap()
            });
        }
    }
}

/// The queue of RULES.md computed from the tasks table: the reference the pages must equal.
fn reference(env: &TestEnv, owners: &[i32], on: &str) -> Vec<i64> {
    let on = d(on);
    let horizon = on + chrono::Duration::days(7);
    let mut open: Vec<task::Task> = env.with(|c| {
        use aftercare::db::schema::tasks;
        use diesel::prelude::*;
        tasks::table
            .filter(tasks::status.eq("open"))
            .filter(tasks::clerk_id.eq_any(owners.to_vec()))
            .select(task::Task::as_select())
            .load(c)
            .unwrap()
    });
    open.retain(|t| in_queue(t.window(), t.callback_on, on, horizon));
    open.sort_by_key(|t| (queue_key(t.window(), on), t.id));
    open.into_iter().map(|t| i64::from(t.id)).collect()
}

fn ids(v: &Value) -> Vec<i64> {
    v["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

fn next_of(v: &Value) -> Option<String> {
    v["next"].as_str().map(str::to_string)
}

both_backends!(
    r9_queue_pages_are_the_whole_queue_without_repeats_or_holes_while_tasks_end,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 6);
        many(&s.env, &w, 190);
        let expect = reference(&s.env, &[w.clerk], "2026-11-20");
        assert!(expect.len() > 100, "{} tasks", expect.len());

        // One page of 500 is the whole queue, in RULES.md's order.
        let all = s.api.get("/api/v1/queue?date=2026-11-20&limit=500");
        assert_eq!(all.status, 200, "{}", all.body);
        let all = all.json();
        assert_eq!(ids(&all), expect);
        assert_eq!(all["total"].as_i64(), Some(expect.len() as i64));
        assert!(all["next"].is_null());
        let c = &all["counts"];
        let by_kind: i64 = c["by_kind"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_i64().unwrap())
            .sum();
        assert_eq!(
            c["overdue"].as_i64().unwrap()
                + c["due"].as_i64().unwrap()
                + c["upcoming"].as_i64().unwrap(),
            expect.len() as i64
        );
        assert_eq!(by_kind, expect.len() as i64);

        // The default page holds 100 tasks and says where the next begins.
        let first = s.api.get("/api/v1/queue?date=2026-11-20").json();
        assert_eq!(ids(&first), expect[..100].to_vec());
        assert!(next_of(&first).is_some());
        assert_eq!(
            first["total"], all["total"],
            "counts are of the whole queue"
        );

        // Pages of 7; between two reads one task not yet read and one already read end.
        let mut seen: Vec<i64> = Vec::new();
        let mut ended_unread: Vec<i64> = Vec::new();
        let mut after: Option<String> = None;
        let mut pages = 0;
        loop {
            let path = match &after {
                Some(a) => format!("/api/v1/queue?date=2026-11-20&limit=7&after={a}"),
                None => "/api/v1/queue?date=2026-11-20&limit=7".to_string(),
            };
            let r = s.api.get(&path);
            assert_eq!(r.status, 200, "{}", r.body);
            let page = r.json();
            assert!(ids(&page).len() <= 7);
            seen.extend(ids(&page));
            pages += 1;
            let unread: Vec<i64> = expect
                .iter()
                .filter(|id| !seen.contains(id) && !ended_unread.contains(id))
                .copied()
                .collect();
            let end_now: Vec<i64> = [unread.get(unread.len() / 2).copied(), seen.first().copied()]
                .into_iter()
                .flatten()
                .collect();
            for id in &end_now {
                s.env.with(|c| {
                    task::mark_done(c, *id as i32, noon("2026-11-20"), d("2026-11-20"), w.clerk)
                        .unwrap()
                });
            }
            if let Some(u) = unread.get(unread.len() / 2) {
                ended_unread.push(*u);
            }
            match next_of(&page) {
                Some(n) => after = Some(n),
                None => break,
            }
            assert!(pages < 100, "the pages end");
        }
        let want: Vec<i64> = expect
            .iter()
            .filter(|id| !ended_unread.contains(id))
            .copied()
            .collect();
        assert_eq!(seen, want, "no repeats, no holes, in order");
    }
);

both_backends!(
    queue_filters_by_kind_and_state_count_the_filtered_queue,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 4);
        many(&s.env, &w, 80);
        let all = s.api.get("/api/v1/queue?date=2026-11-20&limit=500").json();
        let r = s
        .api
        .get("/api/v1/queue?date=2026-11-20&kind=first_follow_up,planned_contact&state=overdue,upcoming&limit=5");
        assert_eq!(r.status, 200, "{}", r.body);
        let mut page = r.json();
        let want: Vec<i64> = all["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| {
                ["first_follow_up", "planned_contact"].contains(&t["kind"].as_str().unwrap())
                    && ["overdue", "upcoming"].contains(&t["state"].as_str().unwrap())
            })
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert!(want.len() > 5, "{}", want.len());
        let c = page["counts"].clone();
        assert_eq!(c["due"], 0);
        assert_eq!(page["total"].as_i64(), Some(want.len() as i64));
        assert_eq!(
            c["overdue"].as_i64().unwrap() + c["upcoming"].as_i64().unwrap(),
            want.len() as i64
        );
        let kinds: Vec<&String> = c["by_kind"].as_object().unwrap().keys().collect();
        assert_eq!(kinds, ["first_follow_up", "planned_contact"]);
        let mut got = ids(&page);
        while let Some(n) = next_of(&page) {
            page = s
            .api
            .get(&format!(
                "/api/v1/queue?date=2026-11-20&kind=first_follow_up,planned_contact&state=overdue,upcoming&limit=5&after={n}"
            ))
            .json();
            got.extend(ids(&page));
        }
        assert_eq!(got, want);
        // One state alone: only upcoming tasks, by window start.
        let up = s
            .api
            .get("/api/v1/queue?date=2026-11-20&state=upcoming&limit=500")
            .json();
        assert!(up["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["state"] == "upcoming"));
        assert_eq!(up["total"], all["counts"]["upcoming"]);
    }
);

both_backends!(
    queue_bad_parameters_are_400_naming_them_in_the_users_language,
    |b| {
        let mut s = scene(b, "2026-11-20", "wang", "clerk");
        let bad = [
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            ("limit=ten", "limit"),
            ("kind=archive,phone_call", "kind"),
            ("state=late", "state"),
            ("after=zz", "after"),
            // A cursor edited by hand: valid hex, not a cursor.
            ("after=71312e392e323032362d31312d32302e31", "after"),
        ];
        for (q, field) in bad {
            let r = s.api.get(&format!("/api/v1/queue?{q}"));
            assert_eq!(r.status, 400, "{q}: {}", r.body);
            let e = r.json();
            assert_eq!(e["error"]["field"].as_str(), Some(field), "{q}");
        }
        let zh = s.api.get("/api/v1/queue?limit=0").json();
        assert!(
            zh["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("每页条数"),
            "{zh}"
        );
        s.api.lang = "en".into();
        let en = s.api.get("/api/v1/queue?state=late").json();
        assert!(
            en["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("State"),
            "{en}"
        );
        let en = s.api.get("/api/v1/queue?after=zz").json();
        assert!(
            en["error"]["message"]
                .as_str()
                .unwrap()
                .contains("page position"),
            "{en}"
        );
    }
);

both_backends!(
    queue_etag_answers_304_until_a_task_of_the_queue_changes,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 3);
        let t1 = add(
            &s.env,
            &w,
            w.clerk,
            0,
            TaskKind::FirstFollowUp,
            d("2026-11-18"),
            d("2026-11-22"),
            None,
        );
        let t2 = add(
            &s.env,
            &w,
            w.clerk,
            1,
            TaskKind::FirstFollowUp,
            d("2026-11-18"),
            d("2026-11-22"),
            None,
        );
        let path = "/api/v1/queue?date=2026-11-20";
        let r = s.api.get(path);
        assert_eq!(r.status, 200);
        let tag = r.header("etag").expect("an ETag").to_string();
        let again = s.api.get_with(path, &[("If-None-Match", &tag)]);
        assert_eq!(again.status, 304, "{}", again.body);
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), Some(tag.as_str()));
        // Other parameters are another answer.
        assert_eq!(
            s.api
                .get_with(
                    "/api/v1/queue?date=2026-11-20&limit=1",
                    &[("If-None-Match", &tag)]
                )
                .status,
            200
        );
        // A failed attempt changes the task: a new answer, a new tag.
        s.api
            .call(json!({"task_id": t1, "outcome": "no_answer", "called_at": "2026-11-20T09:00"}));
        let r = s.api.get_with(path, &[("If-None-Match", &tag)]);
        assert_eq!(r.status, 200);
        let tag2 = r.header("etag").unwrap().to_string();
        assert_ne!(tag2, tag);
        // A call-back agreed for later today (the attempt count stays) changes it too.
        s.api.call(json!({"task_id": t2, "outcome": "callback_requested", "called_at": "2026-11-20T09:05", "callback_at": "2026-11-20T16:00"}));
        let r = s.api.get_with(path, &[("If-None-Match", &tag2)]);
        assert_eq!(r.status, 200);
        let tag3 = r.header("etag").unwrap().to_string();
        assert_eq!(
            s.api.get_with(path, &[("If-None-Match", &tag3)]).status,
            304
        );
        // A task that ends leaves the queue: changed.
        s.env.with(|c| {
            task::mark_done(c, t1 as i32, noon("2026-11-20"), d("2026-11-20"), w.clerk).unwrap()
        });
        assert_eq!(
            s.api.get_with(path, &[("If-None-Match", &tag3)]).status,
            200
        );
        // A task of another clerk does not change this queue.
        let li = s.env.user("li", "clerk");
        let tag4 = s.api.get(path).header("etag").unwrap().to_string();
        add(
            &s.env,
            &w,
            li,
            2,
            TaskKind::FirstFollowUp,
            d("2026-11-18"),
            d("2026-11-22"),
            None,
        );
        assert_eq!(
            s.api.get_with(path, &[("If-None-Match", &tag4)]).status,
            304
        );
    }
);

both_backends!(
    r9_queue_page_pages_by_50_keeps_the_place_and_links_phones_it_may_show,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 5);
        // 120 tasks due today, plus the five archive sheets of the visits (due).
        for i in 0..120 {
            add(
                &s.env,
                &w,
                w.clerk,
                i,
                KINDS[i % 4],
                d("2026-11-18"),
                d("2026-11-20") + chrono::Duration::days(i as i64 % 3),
                None,
            );
        }
        let mut web = Browser::new(&s.app);
        web.login("wang");
        let p1 = web.get("/queue");
        assert_eq!(p1.status, 200);
        let text = p1.text();
        assert!(text.contains("第 1 页，共 3 页"), "{text}");
        assert_eq!(p1.body.matches("data-task=").count(), 50);
        // Own customers: whole numbers, as tel: links.
        assert!(p1.body.contains("href=\"tel:139"), "tel links");
        let next = between(&p1.body, "rel=\"next\" href=\"", "\"");
        assert!(next.contains("after=") && next.contains("page=2"), "{next}");
        let p2 = web.get(&next);
        assert!(p2.text().contains("第 2 页，共 3 页"), "{}", p2.text());
        assert!(p2.body.contains("rel=\"prev\""));
        // A task opened from page 2 leads back to page 2, also after the call is saved.
        let link = between(&p2.body, "a class=\"button open\" href=\"", "\"");
        assert!(link.contains("?back="), "{link}");
        let form = web.get(&link);
        assert_eq!(form.status, 200);
        let back = between(&form.body, "id=\"back-to-queue\" href=\"", "\"");
        assert!(back.contains("page=2"), "{back}");
        let task_id = between(&link, "/tasks/", "/call");
        let back_value = between(&form.body, "id=\"queue-back\" name=\"back\" value=\"", "\"");
        let r = web.post(
            &format!("/tasks/{task_id}/call"),
            &[
                ("outcome", "no_answer"),
                ("called_at", "2026-11-20T11:00"),
                ("back", &back_value),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        let to = r.location.unwrap();
        assert!(
            to.starts_with("/queue?") && to.contains("page=2") && to.ends_with("ok=call-recorded"),
            "{to}"
        );
        assert!(web.get(&to).text().contains("第 2 页"));
        // Upcoming is one click away; the counts are links.
        assert!(
            p1.body.contains("href=\"&#x2F;queue?state=upcoming\""),
            "count links"
        );
        // A supervisor sees every number whole; an administrator sees them masked, not linked.
        s.env.user("sup", "supervisor");
        s.env.user("root", "admin");
        let mut sup = Browser::new(&s.app);
        sup.login("sup");
        assert!(sup.get("/queue?clerk=wang").body.contains("href=\"tel:139"));
        let mut admin = Browser::new(&s.app);
        admin.login("root");
        let a = admin.get("/queue?clerk=wang");
        assert_eq!(a.status, 200, "{}", a.text());
        assert!(
            !a.body.contains("href=\"tel:"),
            "masked numbers are not links"
        );
        assert!(a.body.contains("class=\"masked\">139****"), "masked");
    }
);

/// The text of `s` between the first `from` and the next `to`.
fn between(s: &str, from: &str, to: &str) -> String {
    let i = s.find(from).unwrap_or_else(|| panic!("no {from:?}")) + from.len();
    let j = s[i..].find(to).expect("end") + i;
    // As the browser reads an attribute: Tera escapes `/` and `&`.
    s[i..j].replace("&#x2F;", "/").replace("&amp;", "&")
}

both_backends!(r6_queue_event_notice_calls_of_one_event_are_one_row, |b| {
    let s = scene(b, "2026-11-20", "wang", "clerk");
    let w = world(&s, "wang", 8);
    let event: i32 = s.env.with(|c| {
        use diesel::prelude::*;
        #[derive(QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            id: i32,
        }
        diesel::sql_query(format!(
            "INSERT INTO events (store_id, kind, title, starts_on, ends_on, place, content, audience, created_on, created_at) \
             VALUES ({}, 'free_service', '春季免费检测周', '2026-12-28', '2026-12-30', '本店', '免费检测', 'all', '2026-11-20', '2026-11-20 04:00:00') RETURNING id",
            w.store
        ))
        .get_result::<Id>(c)
        .unwrap()
        .id
    });
    for i in 0..46 {
        add(
            &s.env,
            &w,
            w.clerk,
            i,
            TaskKind::EventNotice,
            d("2026-11-20"),
            d("2026-12-14"),
            Some(event),
        );
    }
    let follow = add(
        &s.env,
        &w,
        w.clerk,
        0,
        TaskKind::FirstFollowUp,
        d("2026-11-19"),
        d("2026-11-23"),
        None,
    );
    let mut web = Browser::new(&s.app);
    web.login("wang");
    let page = web.get("/queue");
    let text = page.text();
    assert!(
        text.contains("活动通知：春季免费检测周 46 位客户，截止 2026-12-14"),
        "{text}"
    );
    assert_eq!(page.body.matches("data-event=").count(), 1, "one group row");
    assert!(
        page.body.contains(&format!("data-task=\"{follow}\"")),
        "the follow-up is not buried"
    );
    // The group opens the event's invitees in the queue: the 46 calls.
    let link = between(&page.body, "class=\"group\"><a href=\"", "\"");
    assert!(link.contains(&format!("event={event}")), "{link}");
    let list = web.get(&link);
    assert_eq!(list.body.matches("data-task=").count(), 46);
    assert!(list.text().contains("活动通知：春季免费检测周"));
    // The API lists them one by one (its order stays RULES.md's).
    let api = s
        .api
        .get("/api/v1/queue?kind=event_notice&limit=500")
        .json();
    assert_eq!(api["tasks"].as_array().unwrap().len(), 46);
    // In English, with the plural.
    let mut en = Browser::new(&s.app);
    en.login("wang");
    en.get("/queue");
    en.post("/account/lang", &[("lang", "en")]);
    let t = en.get("/queue").text();
    assert!(
        t.contains("Event notice: 春季免费检测周, 46 customers, by 2026-12-14"),
        "{t}"
    );
});

both_backends!(
    x2_a_call_back_agreed_for_today_rises_to_the_top_of_the_page_from_its_time,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 3);
        let first = add(
            &s.env,
            &w,
            w.clerk,
            0,
            TaskKind::FirstFollowUp,
            d("2026-11-10"),
            d("2026-11-12"),
            None,
        );
        let soon = add(
            &s.env,
            &w,
            w.clerk,
            1,
            TaskKind::FirstFollowUp,
            d("2026-11-18"),
            d("2026-11-25"),
            None,
        );
        let later = add(
            &s.env,
            &w,
            w.clerk,
            2,
            TaskKind::FirstFollowUp,
            d("2026-11-18"),
            d("2026-11-24"),
            None,
        );
        // The clock stands at noon: one call-back was agreed for 10:30 (its time has come), one
        // for 15:00 (local, UTC+8).
        for (id, at) in [
            (soon, "2026-11-20T02:30:00"),
            (later, "2026-11-20T07:00:00"),
        ] {
            s.env.with(|c| {
                task::record_attempt(
                    c,
                    id as i32,
                    false,
                    "callback_requested",
                    noon("2026-11-20"),
                    Some((at.parse().unwrap(), d("2026-11-20"))),
                )
                .unwrap()
            });
        }
        let mut web = Browser::new(&s.app);
        web.login("wang");
        let page = web.get("/queue");
        let order: Vec<i64> = page
            .body
            .split("data-task=\"")
            .skip(1)
            .map(|p| p[..p.find('"').unwrap()].parse().unwrap())
            .collect();
        assert_eq!(order[0], soon, "the call-back due now is on top: {order:?}");
        let pos = |id: i64| order.iter().position(|x| *x == id).unwrap();
        assert!(
            pos(first) < pos(later),
            "15:00 has not come: RULES.md's order"
        );
        let text = page.text();
        assert!(
            text.contains("约定今天 10:30 回电") && text.contains("约定今天 15:00 回电"),
            "{text}"
        );
        // The API keeps RULES.md's order.
        let api = s.api.get("/api/v1/queue").json();
        let api_ids = ids(&api);
        assert!(api_ids.iter().position(|x| *x == first) < api_ids.iter().position(|x| *x == soon));
    }
);

both_backends!(
    queue_first_page_is_read_on_the_index_in_order_with_a_limit,
    |b| {
        let s = scene(b, "2026-11-20", "wang", "clerk");
        let w = world(&s, "wang", 2);
        many(&s.env, &w, 40);
        let plan = s.env.with(|c| {
            use diesel::connection::SimpleConnection;
            if !c.is_sqlite() {
                // The tables are tiny here: make the planner show what the index can do.
                c.batch_execute("SET enable_seqscan = off").unwrap();
            }
            let sc = aftercare::models::queue::Scope {
                store_id: w.store,
                owners: vec![w.clerk],
                date: d("2026-11-20"),
                horizon: d("2026-11-27"),
                kinds: vec![],
                without: vec![],
                states: vec![],
                event_id: None,
            };
            aftercare::models::queue::explain(c, &sc).unwrap()
        });
        let text = plan.join("\n");
        assert!(text.contains("tasks_queue_end"), "{text}");
        assert!(text.contains("tasks_queue_start"), "{text}");
        assert!(
            !text.contains("TEMP B-TREE") && !text.contains("Sort"),
            "no sort: {text}"
        );
        if b == Backend::Sqlite {
            assert!(text.contains("COVERING INDEX"), "{text}");
        } else {
            assert!(text.contains("Limit"), "{text}");
        }
    }
);

both_backends!(
    r9_supervisor_overview_and_cover_preview_count_what_is_covered,
    |b| {
        let env = TestEnv::new(b, "2026-11-20");
        let wang = env.user("wang", "clerk");
        let li = env.user("li", "clerk");
        env.user("sup", "supervisor");
        let app = env.spawn();
        let sup = Api::new(&app, &env.token("sup"));
        // Round robin: wang, li, wang, li … each visit an archive task due today.
        for i in 0..6 {
            sup.visit(
                &format!("1380000{i:04}"),
                &format!("沪G·8{i:04}"),
                "2026-11-19T09:00",
            );
        }
        let mut web = Browser::new(&app);
        web.login("sup");
        let home = web.get("/");
        assert!(
            home.body.contains("state=upcoming"),
            "the upcoming count links to the queue"
        );
        // The preview: wang's queue on 11-21 now and with li's tasks; nothing saved.
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-20"),
                ("to", "2026-11-21"),
                ("preview", "1"),
            ],
        );
        assert_eq!(r.status, 200, "{}", r.text());
        let t = r.text();
        assert!(t.contains("现在：逾期 0，到期 3，未到期 0"), "{t}");
        assert!(t.contains("代班后：逾期 0，到期 6，未到期 0"), "{t}");
        assert_eq!(
            env.with(|c| aftercare::models::absence::of_clerk_on(c, li, d("2026-11-20")).unwrap())
                .map(|a| a.id),
            None,
            "a preview writes nothing"
        );
        let r = web.post(
            "/absences",
            &[
                ("clerk_id", &li.to_string()),
                ("substitute_id", &wang.to_string()),
                ("from", "2026-11-20"),
                ("to", "2026-11-21"),
            ],
        );
        assert_eq!(r.status, 303);
        // The overview counts what wang covers.
        let home = web.get("/").body;
        let row = between(&home, "data-clerk=\"wang\"", "</tr>");
        assert!(row.contains(">6<"), "{row}");
        let row = between(&home, "data-clerk=\"li\"", "</tr>");
        assert!(!row.contains(">3<"), "li is away: {row}");
        // wang's page offers own vs covering-for-li.
        let mut clerk = Browser::new(&app);
        clerk.login("wang");
        let own = clerk.get("/queue?for=own");
        assert_eq!(own.body.matches("data-task=").count(), 3);
        let cover = clerk.get("/queue?for=li");
        assert_eq!(cover.body.matches("data-task=").count(), 3);
        assert!(cover.text().contains("代 li-name"));
    }
);
