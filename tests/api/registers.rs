//! R11 for auditors: the register pages (filters, a line's page), the paper forms, and the CSV
//! export from a signed-in browser, through HTTP on both backends.

use crate::both_backends;
use crate::helpers::*;
use serde_json::json;

/// A clerk's month: two follow-up calls to 王伟 (a failed one and a reached one with a
/// complaint), an inbound complaint from 李娜, an October inquiry of hers outside the default
/// range, and one completed archive. The auditor `audit` reads it.
pub(crate) fn month(b: Backend) -> (TestEnv, TestApp, Api) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    env.user("audit", "auditor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
    let (vid, _, first) = api.picked_up(
        &env,
        "13700000001",
        "沪H·10001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    api.call(json!({"task_id": first, "outcome": "no_answer", "called_at": "2026-11-22T10:00"}));
    api.call(
        json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-23T10:00",
        "key_points": "客户对保养满意\n希望周末取车",
        "items": [{"kind": "complaint", "text": "洗车不干净"}]}),
    );
    let mut v = visit_json("13700000002", "沪H·10002", "2026-10-20T09:00");
    v["customer_name"] = json!("李娜");
    let r = api.post("/api/v1/visits", v);
    assert_eq!(r.status, 201, "{}", r.body);
    let li = r.json()["customer_id"].as_i64().unwrap();
    api.call(
        json!({"customer_id": li, "direction": "inbound", "category": "complaint",
        "outcome": "reached", "called_at": "2026-11-21T15:00", "key_points": "投诉等待时间太长"}),
    );
    api.call(
        json!({"customer_id": li, "direction": "inbound", "category": "inquiry",
        "outcome": "reached", "called_at": "2026-10-30T11:00", "key_points": "咨询保养价格"}),
    );
    let r = api.post(
        &format!("/api/v1/archives/{vid}"),
        json!({"plan": [{"purpose": "N3", "date": "2026-12-15", "talking_points": "告知本月空调清洗八折"}],
               "archived_at": "2026-11-19T10:00"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    (env, app, api)
}

/// The line numbers with `prefix` of a register page's table, in order.
fn numbers(body: &str, prefix: &str) -> Vec<String> {
    let table = &body[body.find("id=\"register-lines\"").expect("the table")..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("\">")
        .filter(|s| s.starts_with(prefix))
        .map(|s| s[..prefix.len() + 11].to_string())
        .collect()
}

/// The id of the first line linked from a register page.
fn first_id(body: &str, register: &str) -> i32 {
    let body = &body[body.find("id=\"register-lines\"").expect("the table")..];
    let key = format!("href=\"/registers/{register}/");
    let i = body.find(&key).expect("a line link") + key.len();
    body[i..].split('"').next().unwrap().parse().expect("an id")
}

both_backends!(
    r11_an_auditor_filters_the_call_register_and_opens_a_line,
    |b| {
        let (env, app, _api) = month(b);
        let mut web = Browser::new(&app);
        assert_eq!(web.login("audit").status, 303);

        let r = web.get("/registers");
        assert_eq!(r.status, 200, "{}", r.body);
        for title in [
            "客户档案基本资料表",
            "跟踪服务电话记录表",
            "跟踪服务电话登记表",
            "跟踪服务信函登记表",
        ] {
            assert!(r.text().contains(title), "{title}");
        }
        assert!(r.body.contains("href=\"/registers\""), "the nav link");

        // Without a range: the current month of the app's clock (November), number order.
        let r = web.get("/registers/call-register");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(
            numbers(&r.body, "DH-"),
            ["DH-2026-000001", "DH-2026-000002", "DH-2026-000003"]
        );
        for header in [
            "登记号",
            "日期",
            "客户名称",
            "去电/来电",
            "类别",
            "结果",
            "经办人",
        ] {
            // Tera escapes "/" in text.
            let th = format!("<th>{}</th>", header.replace('/', "&#x2F;"));
            assert!(r.body.contains(&th), "{header}");
        }
        assert!(r.text().contains("无人接听"), "coded values translated");

        // By range and category.
        let r =
            web.get("/registers/call-register?from=2026-11-01&to=2026-11-30&category=follow_up");
        assert_eq!(
            numbers(&r.body, "DH-"),
            ["DH-2026-000001", "DH-2026-000002"]
        );
        let r = web.get("/registers/call-register?from=2026-10-01&to=2026-11-30&category=inquiry");
        assert_eq!(numbers(&r.body, "DH-"), ["DH-2026-000004"]);
        // By customer and by the clerk who handled the line.
        let r =
            web.get("/registers/call-register?from=2026-10-01&to=2026-11-30&customer=%E6%9D%8E");
        assert_eq!(
            numbers(&r.body, "DH-"),
            ["DH-2026-000003", "DH-2026-000004"]
        );
        let clerk = env.with(|c| {
            aftercare::models::user::by_username(c, "clerk1")
                .unwrap()
                .unwrap()
                .id
        });
        let r = web.get(&format!("/registers/call-register?clerk={clerk}"));
        assert_eq!(numbers(&r.body, "DH-").len(), 3);
        let r = web.get(&format!("/registers/call-register?clerk={}", clerk + 100));
        assert!(numbers(&r.body, "DH-").is_empty());
        assert!(r.text().contains("所选期间没有记录"));

        // A call record's page: every field, and the items raised.
        let r = web.get("/registers/call-records?from=2026-11-23&to=2026-11-23");
        assert_eq!(numbers(&r.body, "JL-"), ["JL-2026-000002"]);
        let id = first_id(&r.body, "call-records");
        let r = web.get(&format!("/registers/call-records/{id}"));
        assert_eq!(r.status, 200, "{}", r.body);
        let text = r.text();
        for want in [
            "JL-2026-000002",
            "通话要点",
            "客户对保养满意",
            "接通",
            "客户要求/希望/投诉",
            "洗车不干净",
            "投诉",
            "处理中",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
        // A call-register line links to its call record; unknown lines are not found.
        let r = web.get("/registers/call-register?from=2026-11-22&to=2026-11-22");
        let id = first_id(&r.body, "call-register");
        let r = web.get(&format!("/registers/call-register/{id}"));
        assert!(
            r.body.contains("href=\"/registers/call-records/"),
            "{}",
            r.body
        );
        assert_eq!(web.get("/registers/call-register/999999").status, 404);

        // In English: English headers (issue 12: no CONTRACT.md identifier on screen), English
        // values.
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        let r = en.get("/registers/call-register?from=2026-11-01&to=2026-11-30");
        assert!(r.text().contains("Register no."), "{}", r.body);
        assert!(!r.text().contains("register_no"), "{}", r.body);
        assert!(r.text().contains("Follow-up call register"));
        assert!(r.text().contains("No answer"));

        // A supervisor of another store sees none of these lines.
        let (code, _, err) = cli(
            &env.db,
            "2026-11-24",
            &["store", "add", "pudong", "浦东店"],
            None,
        );
        assert_eq!(code, 0, "{err}");
        env.user_in("sup2", "supervisor", Some("pudong"));
        let mut other = Browser::new(&app);
        other.login("sup2");
        let r = other.get("/registers/call-register");
        assert_eq!(r.status, 200);
        assert!(numbers(&r.body, "DH-").is_empty());
        assert_eq!(
            other.get(&format!("/registers/call-register/{id}")).status,
            404
        );
    }
);

both_backends!(
    r11_the_paper_forms_name_the_range_and_who_printed_them,
    |b| {
        let (_env, app, _api) = month(b);
        let mut web = Browser::new(&app);
        web.login("audit");
        let r = web.get("/registers/call-register/print?from=2026-11-01&to=2026-11-30");
        assert_eq!(r.status, 200, "{}", r.body);
        let text = r.text();
        for want in [
            "跟踪服务电话登记表",
            "门店：本店",
            "日期：2026-11-01 至 2026-11-30",
            "打印人：audit-name",
            "打印时间：2026-11-24",
            "DH-2026-000003",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
        assert!(
            !text.contains("DH-2026-000004"),
            "October is outside the range"
        );
        assert!(r.body.contains("data-print"), "a print button");
        assert!(
            r.body.contains("<thead>"),
            "the header repeats on each sheet"
        );

        // The archives register: one sheet per archive, A1–A12 with their names.
        let r = web.get("/registers/archives/print?from=2026-11-01&to=2026-11-30");
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body.matches("class=\"paper-sheet\"").count(), 1);
        let text = r.text();
        for want in [
            "客户档案基本资料表",
            "档案编号：DA-2026-000001",
            "A1 客户名称",
            "A10 下一次保养期",
            "A12 在本公司维修、保养记录",
            "王伟",
            "沪H·10001",
        ] {
            assert!(text.contains(want), "{want} in {text}");
        }
    }
);

both_backends!(r11_register_pages_refuse_clerks_and_bad_filters, |b| {
    let (env, app, _api) = month(b);
    let mut clerk = Browser::new(&app);
    clerk.login("clerk1");
    assert_eq!(clerk.get("/registers").status, 403);
    assert_eq!(clerk.get("/registers/call-register").status, 403);
    assert!(!clerk.get("/queue").body.contains("href=\"/registers\""));

    let mut web = Browser::new(&app);
    web.login("audit");
    let r = web.get("/registers/call-register?from=2026-11-30&to=2026-11-01");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("开始日期晚于结束日期"), "{}", r.text());
    let r = web.get("/registers/call-register?from=2026-11-31");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("从"), "the field is named: {}", r.text());
    let r = web.get("/registers/calls");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("不是可选的表格"), "{}", r.text());
    let r = web.get("/registers/call-register?category=gossip&clerk=x");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("gossip"), "{}", r.text());

    // The export link of the page: the API's CSV, from a session, recorded.
    let r = web.get("/registers/call-register/export.csv?from=2026-11-01&to=2026-11-30&lang=zh-CN");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(r
        .header("content-disposition")
        .is_some_and(|d| d.starts_with("attachment")));
    assert!(r.body.starts_with('\u{feff}'), "UTF-8 with BOM");
    let lines: Vec<&str> = r.body.trim_end().lines().collect();
    assert_eq!(lines.len(), 4, "header and three lines: {}", r.body);
    assert!(lines[0].contains("登记号"));
    let exports = env.with(|c| {
        use diesel::prelude::*;
        aftercare::db::schema::audit_log::table
            .filter(aftercare::db::schema::audit_log::action.eq("register.export"))
            .count()
            .get_result::<i64>(c)
            .unwrap()
    });
    assert_eq!(exports, 1);
    assert_eq!(
        clerk
            .get("/registers/call-register/export.csv?from=2026-11-01&to=2026-11-30")
            .status,
        403
    );
});

both_backends!(
    r11_the_printed_register_keeps_tokens_whole_names_its_store_and_has_no_heading_in_a_cell,
    |b| {
        let (_env, app, _api) = month(b);
        let mut web = Browser::new(&app);
        web.login("audit");
        let r = web.get("/registers/call-records/print?from=2026-11-01&to=2026-11-30");
        assert_eq!(r.status, 200, "{}", r.body);
        // No h1 (no heading element at all) inside a table cell: the only HTML error the
        // checker found on the paper form.
        let mut rest = r.body.as_str();
        while let Some(i) = rest.find("<th") {
            let cell = &rest[i..];
            let cell = &cell[..cell.find("</th>").expect("a closed th")];
            assert!(!cell.contains("<h1"), "a heading inside a th: {cell}");
            rest = &rest[i + cell.len()..];
        }
        assert!(r.body.contains("<h1") || r.body.contains("role=\"heading\""));
        // Plates, phones, dates and numbers never wrap; the key points wrap as text.
        assert!(
            r.body.contains("<td class=\"nowrap\">沪H·10001</td>"),
            "{}",
            r.body
        );
        assert!(r
            .body
            .contains("<td class=\"nowrap no\">JL-2026-000001</td>"));
        assert!(r
            .body
            .contains("<td class=\"nowrap\">2026-11-22 10:00</td>"));
        assert!(r.body.contains("<td class=\"text\">客户对保养满意"));
        // 门店 is the store's name, not its code.
        assert!(
            r.body.contains("<td class=\"word\">本店</td>"),
            "{}",
            r.body
        );
        assert!(!r.body.contains(">main</td>"));

        // On screen the archive register shows its main columns; every column is on the
        // line's own page.
        let r = web.get("/registers/archives?from=2026-11-01&to=2026-11-30");
        assert_eq!(r.status, 200, "{}", r.body);
        let head = &r.body[r.body.find("<thead>").unwrap()..];
        let head = &head[..head.find("</thead>").unwrap()];
        assert_eq!(head.matches("<th>").count(), 12, "{head}");
        assert!(!head.contains("<th>地址</th>"));
        assert!(r.body.contains("class=\"table-scroll\""));
        let id = first_id(&r.body, "archives");
        let line = web.get(&format!("/registers/archives/{id}"));
        assert!(
            line.text().contains("地址"),
            "every field on the line's page"
        );
    }
);

both_backends!(
    r11_a_register_page_offers_this_month_last_month_and_the_year_a_click_away,
    |b| {
        let (_env, app, _api) = month(b);
        let mut web = Browser::new(&app);
        web.login("audit");
        let r = web.get("/registers/call-register");
        assert_eq!(r.status, 200, "{}", r.body);
        // The default is this month, marked as the range shown.
        assert!(
            r.body.contains(
                "href=\"/registers/call-register?from=2026-11-01&amp;to=2026-11-30\" aria-current=\"true\">本月"
            ),
            "{}",
            r.body
        );
        let last = "/registers/call-register?from=2026-10-01&to=2026-10-31";
        assert!(r.body.contains(&last.replace('&', "&amp;")), "{}", r.body);
        assert!(r.body.contains(">上月<") && r.body.contains(">今年至今<"));
        // Following "last month" shows October's inquiry and nothing of November.
        let text = web.get(last).text();
        assert!(text.contains("DH-2026-000004"), "{text}");
        assert!(!text.contains("DH-2026-000003"), "{text}");
        web.post("/account/lang", &[("lang", "en"), ("back", "/")]);
        let body = web.get("/registers/call-register").body;
        assert!(body.contains(">Last month<") && body.contains(">This year so far<"));
    }
);
