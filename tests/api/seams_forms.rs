//! Issue 12, items 2–4: a refused form writes nothing and comes back with everything typed;
//! a cleared required field is an error naming it; the inbound-call form checks everything at
//! once.

use crate::helpers::*;
use crate::{both_backends, count_rows};
use serde_json::json;

/// Every value a page's form controls hold: text inputs and hidden ones (their `value`),
/// checked radios and checkboxes, textareas (their text), selects (the selected option).
pub fn form_values(html: &str) -> Vec<(String, String)> {
    fn attr(tag: &str, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        Some(unescape(&tag[i..j]))
    }
    fn has(tag: &str, name: &str) -> bool {
        tag.split(|c: char| c.is_whitespace() || c == '>')
            .any(|w| w == name)
    }
    fn unescape(s: &str) -> String {
        s.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        if tag.starts_with("<input") {
            let ty = attr(tag, "type").unwrap_or_else(|| "text".into());
            if let Some(n) = attr(tag, "name") {
                let v = attr(tag, "value").unwrap_or_default();
                if !matches!(ty.as_str(), "radio" | "checkbox") || has(tag, "checked") {
                    out.push((n, v));
                }
            }
        } else if tag.starts_with("<textarea") {
            if let Some(n) = attr(tag, "name") {
                let body = &rest[end..];
                let close = body.find("</textarea>").unwrap_or(0);
                out.push((n, unescape(&body[..close])));
            }
        } else if tag.starts_with("<select") {
            if let Some(n) = attr(tag, "name") {
                let body = &rest[end..];
                let close = body.find("</select>").unwrap_or(0);
                let mut chosen = None;
                let mut first = None;
                for o in body[..close].split("<option").skip(1) {
                    let otag = &o[..o.find('>').unwrap_or(o.len())];
                    let v = attr(&format!(" {otag}"), "value").unwrap_or_default();
                    first.get_or_insert(v.clone());
                    if has(otag, "selected") {
                        chosen = Some(v);
                    }
                }
                out.push((n, chosen.or(first).unwrap_or_default()));
            }
        }
        rest = &rest[end.max(1)..];
    }
    out
}

/// What `sent` lost on the page that came back: the (name, value) pairs not found there.
pub fn lost(html: &str, sent: &[(&str, &str)]) -> Vec<String> {
    let shown = form_values(html);
    sent.iter()
        .filter(|(n, v)| {
            !shown
                .iter()
                .any(|(sn, sv)| sn == n && sv.trim() == v.trim())
        })
        .map(|(n, v)| format!("{n}={v:?}"))
        .collect()
}

both_backends!(
    r7_a_refused_inbound_call_with_a_new_customer_writes_nothing_and_says_everything_at_once,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get("/calls/new");
        let before = count_rows!(env, customers);
        // A bad phone and no outcome: both errors on the first submit, nothing written.
        let sent = [
            ("new_customer_name", "钱七"),
            ("new_customer_phone", "12345"),
            ("category", "inquiry"),
            ("called_at", "2026-11-24T09:15"),
            ("key_points", "询问保养价格"),
        ];
        let r = web.post("/calls", &sent);
        assert_eq!(r.status, 422, "{}", r.text());
        let text = r.text();
        assert!(text.contains("通话结果"), "the outcome's error: {text}");
        assert!(text.contains("电话"), "the phone's error: {text}");
        assert_eq!(count_rows!(env, customers), before, "no customer written");
        assert_eq!(count_rows!(env, call_records), 0);
        assert_eq!(lost(&r.body, &sent), Vec::<String>::new());
        // A good phone, still no outcome: refused, and still no customer.
        let r = web.post(
            "/calls",
            &[
                ("new_customer_name", "钱七"),
                ("new_customer_phone", "13900000007"),
                ("category", "inquiry"),
                ("key_points", "询问保养价格"),
            ],
        );
        assert_eq!(r.status, 422, "{}", r.text());
        assert!(r.text().contains("通话结果"), "{}", r.text());
        assert_eq!(count_rows!(env, customers), before, "no customer written");
        // All good: the customer and the call together.
        let r = web.post(
            "/calls",
            &[
                ("new_customer_name", "钱七"),
                ("new_customer_phone", "13900000007"),
                ("category", "inquiry"),
                ("outcome", "reached"),
                ("key_points", "询问保养价格"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!(count_rows!(env, customers), before + 1);
        assert_eq!(count_rows!(env, call_records), 1);
    }
);

both_backends!(
    r2_a_cleared_required_field_on_the_archive_sheet_is_an_error_naming_it,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
        let vid = api.visit_id("13800000001", "沪A·10001", "2026-11-20T09:00");
        let mut web = Browser::new(&app);
        web.login("clerk1");
        for field in ["customer_name", "phone", "plate"] {
            web.get(&format!("/archives/{vid}"));
            let r = web.post(
                &format!("/archives/{vid}"),
                &[
                    (
                        "customer_name",
                        if field == "customer_name" {
                            ""
                        } else {
                            "王五"
                        },
                    ),
                    ("phone", if field == "phone" { " " } else { "13800000001" }),
                    ("plate", if field == "plate" { "" } else { "沪A·10001" }),
                    ("plan_purpose", "N2"),
                    ("plan_date", "2026-12-20"),
                    ("plan_talking_points", "回访轮胎"),
                ],
            );
            assert_eq!(r.status, 422, "{field}: {}", r.text());
            assert!(
                r.body.contains(&format!(
                    "name=\"{field}\" value=\"\" aria-invalid=\"true\""
                )) || r.body.contains("必须填写"),
                "{field}: {}",
                r.text()
            );
            assert_eq!(count_rows!(env, archives), 0, "{field}: nothing written");
        }
        // The API the same: a required field sent empty is refused, one not sent is kept.
        let r = api.post(
            &format!("/api/v1/archives/{vid}"),
            json!({"customer_name": "", "plan": [{"purpose": "N2", "date": "2026-12-20", "talking_points": "回访"}]}),
        );
        assert_eq!(
            (r.status, r.json()["error"]["field"].as_str()),
            (422, Some("customer_name")),
            "{}",
            r.body
        );
    }
);

/// Visit `n` picked up on 11-15: (visit id, customer id, first follow-up task id).
fn picked_up(env: &TestEnv, api: &Api, n: u8) -> (i64, i64, i64) {
    api.picked_up(
        env,
        &format!("136000000{n:02}"),
        &format!("沪F·100{n:02}"),
        "2026-11-14T09:00",
        "2026-11-15T10:00",
    )
}

/// An open complaint raised on visit `n`'s first follow-up call; its item id.
fn complaint(env: &TestEnv, api: &Api, n: u8) -> i64 {
    let (_, _, task) = picked_up(env, api, n);
    let r = api.call(json!({"task_id": task, "outcome": "reached", "called_at": "2026-11-20T10:00", "key_points": "客户投诉异响",
        "items": [{"kind": "complaint", "text": "保养后发动机有异响"}]}));
    r["items"][0]["id"].as_i64().unwrap()
}

/// A form to try: its page, its action, every field filled (one of them bad).
type Filled<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);

both_backends!(r12_every_form_keeps_every_value_on_an_error, |b| {
    let env = TestEnv::new(b, "2026-11-24");
    let clerk = env.user("clerk1", "clerk");
    let clerk2 = env.user("clerk2", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("sup"));
    let (vid, _cid, first) = picked_up(&env, &api, 1);
    let item = complaint(&env, &api, 2);
    let (clerk, clerk2) = (clerk.to_string(), clerk2.to_string());
    let mut web = Browser::new(&app);
    web.login("sup");
    let archive = format!("/archives/{vid}");
    let task_call = format!("/tasks/{first}/call");
    let item_page = format!("/items/{item}");
    let (solution, escalate, note) = (
        format!("/items/{item}/solution"),
        format!("/items/{item}/escalate"),
        format!("/items/{item}/note"),
    );
    // (page, form action, every field filled, one of them bad)
    let forms: Vec<Filled> = vec![
        (
            "/visits/new",
            "/visits",
            vec![
                ("kind", "repair"),
                ("customer_name", "赵六"),
                ("phone", "13900000009"),
                ("address", "上海市徐汇区漕溪北路1号"),
                ("plate", "沪B·55555"),
                ("vehicle_model", "朗逸"),
                ("vehicle_type", "轿车"),
                ("odometer_km", "一万二"), // bad
                ("checked_in_at", "2026-11-23T09:30"),
                ("picked_up_at", "2026-11-23T17:30"),
                ("external_id", "DMS-77"),
                ("items", "更换机油\n四轮定位"),
                ("maintenance_interval_days", "180"),
                ("maintenance_interval_km", "5000"),
                ("next_maintenance_date", "2027-05-20"),
                ("desired_services", "洗车"),
            ],
        ),
        (
            &archive,
            &archive,
            vec![
                ("customer_name", "王伟"),
                ("address", "上海市长宁区"),
                ("phone", "13600000001"),
                ("vehicle_model", "帕萨特"),
                ("plate", "沪F·10001"),
                ("vehicle_type", "轿车"),
                ("items", "换刹车片"),
                ("maintenance_interval_days", "180"),
                ("maintenance_interval_km", "5000"),
                ("next_maintenance_date", "2027-05-14"),
                ("desired_services", "轮胎"),
                ("plan_purpose", "N2"),
                ("plan_date", "2026-11-10"), // bad: before the visit
                ("plan_talking_points", "回访轮胎磨损"),
                ("archived_at", "2026-11-20T10:00"),
            ],
        ),
        (
            &task_call,
            &task_call,
            vec![
                ("outcome", "reached"),
                ("called_at", "2026-11-25T10:00"), // bad: future
                ("key_points", "客户满意，提到空调异味"),
                ("topics", "C1"),
                ("item_kind", "wish"),
                ("item_text", "希望清洗空调"),
                ("item_answer", "下次保养时做"),
                ("satisfaction", "4"),
            ],
        ),
        (
            "/calls/new",
            "/calls",
            vec![
                ("new_customer_name", "孙八"),
                ("new_customer_phone", "13900000008"),
                ("category", "complaint"),
                ("outcome", "reached"),
                ("called_at", "2026-11-25T09:00"), // bad: future
                ("key_points", "投诉等待太久"),
                ("item_kind", "complaint"),
                ("item_text", "等待太久"),
            ],
        ),
        (
            &item_page,
            &solution,
            vec![
                ("solution", "免费复查并更换发动机支架"),
                ("solved_at", "2026-11-25T10:00"), // bad: future
            ],
        ),
        (
            &item_page,
            &escalate,
            vec![
                ("note", "需要主管决定"),
                ("escalated_at", "2026-11-25T10:00"), // bad: future
            ],
        ),
        (&item_page, &note, vec![("note", "王\u{202e}伟")]), // bad: control char
        (
            "/events",
            "/events",
            vec![
                ("kind", "free_service"),
                ("title", "免费检测周"),
                ("starts_on", "2026-12-20"),
                ("ends_on", "2026-12-10"), // bad: before the start
                ("place", "本店服务大厅"),
                ("content", "免费检测刹车和轮胎"),
                ("audience", "all"),
            ],
        ),
        (
            "/absences",
            "/absences",
            vec![
                ("clerk_id", clerk.as_str()),
                ("from", "2026-11-30"),
                ("to", "2026-11-26"), // bad: before from
                ("substitute_id", clerk2.as_str()),
                ("note", "年假"),
            ],
        ),
        (
            "/letters/templates",
            "/letters/templates",
            vec![
                ("kind", "invitation"),
                ("lang", "zh-CN"),
                ("subject", ""), // bad: required
                ("body", "尊敬的{customer_name}：欢迎参加。"),
            ],
        ),
    ];
    let mut failures = Vec::new();
    for (page, action, fields) in &forms {
        web.get(page);
        let r = web.post(action, fields);
        if r.status != 422 {
            failures.push(format!("{action}: status {} {}", r.status, r.text()));
            continue;
        }
        let l = lost(&r.body, fields);
        if !l.is_empty() {
            failures.push(format!("{action}: lost {l:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(count_rows!(env, archives), 0);
    assert_eq!(count_rows!(env, events), 0);
    assert_eq!(count_rows!(env, absences), 0);
});

/// A message that is ours: no serde or actix English in it (in Chinese no Latin words but
/// JSON; in English none of the libraries' phrases).
fn ours(lang: &str, message: &str) -> bool {
    let library = [
        "expected",
        "invalid type",
        "EOF",
        "`",
        "key must be",
        "deserialize",
        "Deserialize",
        "payload",
        "Content type",
    ];
    if library.iter().any(|l| message.contains(l)) {
        return false;
    }
    // The names the client sent, quoted, are theirs.
    let message: String = message
        .split('“')
        .map(|p| p.split_once('”').map_or(p, |(_, rest)| rest))
        .collect();
    lang != "zh-CN"
        || message
            .split(|c: char| !c.is_ascii_alphabetic())
            .all(|w| w.is_empty() || w == "JSON" || w == "application" || w == "json")
}

both_backends!(
    r12_nested_field_errors_read_as_sentences_and_no_library_english_reaches_a_message,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut api = Api::new(&app, &env.token("clerk1"));
        let (vid, _cid, first) = picked_up(&env, &api, 1);
        let item = complaint(&env, &api, 2);
        // Item 7: the nested field's path stays in `field`, the message is a sentence.
        for (lang, want) in [
            ("zh-CN", "第 1 条客户要求/希望/投诉：内容必须填写"),
            (
                "en",
                "Item 1 (request, wish or complaint): the text is required",
            ),
        ] {
            api.lang = lang.into();
            let r = api.post(
                "/api/v1/calls",
                json!({"customer_id": _cid, "direction": "inbound", "category": "inquiry", "outcome": "reached", "key_points": "问",
                    "items": [{"kind": "wish"}]}),
            );
            let e = &r.json()["error"];
            assert_eq!(
                (r.status, e["field"].as_str(), e["message"].as_str()),
                (422, Some("items[0].text"), Some(want)),
                "{}",
                r.body
            );
        }
        // … and on the call form, next to the item.
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get(&format!("/tasks/{first}/call"));
        let r = web.post(
            &format!("/tasks/{first}/call"),
            &[
                ("outcome", "reached"),
                ("key_points", "客户有要求"),
                ("item_kind", "wish"),
                ("item_text", ""),
            ],
        );
        assert_eq!(r.status, 422);
        assert!(
            r.text().contains("第 1 条客户要求/希望/投诉：内容必须填写"),
            "{}",
            r.text()
        );
        assert!(!r.text().contains("items[0]"), "{}", r.text());

        // Item 8: every JSON API, malformed, cut short, not an object, wrong types, missing
        // fields: our code and message, in the user's language.
        let apis = [
            "/api/v1/visits".to_string(),
            format!("/api/v1/visits/{vid}/pickup"),
            format!("/api/v1/archives/{vid}"),
            "/api/v1/calls".to_string(),
            format!("/api/v1/items/{item}/escalate"),
            format!("/api/v1/items/{item}/solution"),
        ];
        let bodies = [
            ("{not json", "json-invalid"),
            ("{\"note\": ", "json-incomplete"),
            ("[1, 2]", "json-not-object"),
            ("{\"items\": {\"a\": 1}, \"plan\": 7, \"note\": [1], \"solution\": 5, \"picked_up_at\": true, \"task_id\": \"x\"}", ""),
            ("{\"items\": [{\"kind\": 3, \"txt\": \"a\"}], \"plan\": [{\"purpose\": 1, \"dat\": \"x\"}]}", ""),
        ];
        let mut bad = Vec::new();
        for lang in ["zh-CN", "en"] {
            api.lang = lang.into();
            for path in &apis {
                for (body, code) in bodies {
                    let r = api.post_raw(path, body);
                    let e = &r.json()["error"];
                    let msg = e["message"].as_str().unwrap_or("");
                    if !(400..500).contains(&r.status) || msg.is_empty() || !ours(lang, msg) {
                        bad.push(format!("{lang} {path} {body}: {} {}", r.status, r.body));
                    }
                    if !code.is_empty() && e["code"] != code {
                        bad.push(format!("{lang} {path} {body}: code {}", r.body));
                    }
                    for sub in e["errors"].as_array().into_iter().flatten() {
                        if !ours(lang, sub["message"].as_str().unwrap_or("")) {
                            bad.push(format!("{lang} {path} {body}: {sub}"));
                        }
                    }
                }
            }
        }
        // The archive API names the nested field that is wrong.
        api.lang = "zh-CN".into();
        let r = api.post(
            &format!("/api/v1/archives/{vid}"),
            json!({"plan": [{"purpose": "N2", "date": 20261220, "talking_points": "回访"}, {"purpose": 2}]}),
        );
        let fields: Vec<String> = r.json()["error"]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap_or("").to_string())
            .collect();
        assert!(
            fields.contains(&"plan[1].purpose".to_string()),
            "{}",
            r.body
        );
        let r = api.post(
            &format!("/api/v1/archives/{vid}"),
            json!({"plan": [{"purpose": "N2", "date": "2026-12-20", "talking_points": "回访", "when": 1}]}),
        );
        assert_eq!(r.json()["error"]["field"], "plan[0].when", "{}", r.body);
        // A query parameter of the wrong type: our page, no library text.
        let page = web.get("/calls/new?customer=abc");
        assert_eq!(page.status, 400, "{}", page.text());
        let shown = page.text();
        let shown = shown.split(" 400 ").nth(1).unwrap_or(&shown);
        if !ours("zh-CN", shown) {
            bad.push(format!("query: {}", page.text()));
        }
        assert!(bad.is_empty(), "{bad:#?}");
    }
);

both_backends!(
    x1_the_unreachable_letter_has_its_own_template_and_every_letter_says_what_it_is_about,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
        env.with(|c| {
            let s = aftercare::models::store::all(c).unwrap()[0].id;
            aftercare::models::store::set_phone(c, s, Some("021-64881234")).unwrap();
        });
        let (_, _, first) = api.picked_up(
            &env,
            "13900000006",
            "沪A·66666",
            "2026-11-18T09:00",
            "2026-11-19T17:00",
        );
        for day in ["2026-11-22T10:00", "2026-11-23T10:00", "2026-11-24T09:00"] {
            api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": day}));
        }
        let mut web = Browser::new(&app);
        web.login("clerk1");
        web.get(&format!("/tasks/{first}/call"));
        assert_eq!(
            web.post(&format!("/tasks/{first}/unreachable"), &[]).status,
            303
        );
        let letter = env.with(|c| {
            let cid = aftercare::models::task::by_id(c, first as i32)
                .unwrap()
                .unwrap()
                .customer_id;
            aftercare::models::task::of_customer(c, cid)
                .unwrap()
                .into_iter()
                .find(|t| t.kind.as_str() == "unreachable_letter")
                .expect("letter task")
                .id
        });
        let page = web.get(&format!("/tasks/{letter}/letter"));
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(text.contains("2026年11月18日"), "the visit's date: {text}");
        assert!(text.contains("021-64881234"), "the shop's number: {text}");
        assert!(!text.contains("“”") && !text.contains("举办"), "{text}");
        let r = web.post(
            &format!("/tasks/{letter}/letter"),
            &[("action", "sent"), ("letter_lang", "zh-CN")],
        );
        assert_eq!(r.status, 303, "{}", r.text());
        // A reply letter to an item.
        let item = complaint(&env, &api, 2);
        web.get(&format!("/items/{item}/reply"));
        let r = web.post(
            &format!("/items/{item}/reply"),
            &[("action", "sent"), ("letter_lang", "zh-CN")],
        );
        assert!(r.status == 303 || r.status == 200, "{}", r.text());
        let lines = env.with(|c| {
            use aftercare::db::schema::letter_register::dsl::*;
            use diesel::prelude::*;
            letter_register
                .order(id)
                .select((letter_kind, related_to))
                .load::<(String, String)>(c)
                .unwrap()
        });
        assert_eq!(
            lines,
            vec![
                (
                    "notice".to_string(),
                    format!("跟踪任务 #{first}：第一次跟踪服务")
                ),
                (
                    "reply".to_string(),
                    format!("投诉 #{item}：保养后发动机有异响")
                ),
            ]
        );
        // The supervisor edits the unreachable letter's template like the others.
        env.user("sup", "supervisor");
        let mut sup = Browser::new(&app);
        sup.login("sup");
        let page = sup.get("/letters/templates?kind=unreachable&lang=zh-CN");
        assert!(
            page.body.contains("value=\"unreachable\""),
            "{}",
            page.text()
        );
        let r = sup.post(
            "/letters/templates",
            &[
                ("kind", "unreachable"),
                ("lang", "zh-CN"),
                ("subject", "回访{{visit_date}}"),
                ("body", "请致电{{store_phone}}"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());
    }
);
