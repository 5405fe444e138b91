//! Issue 12, items 10, 12 and 13: what a person reads on screen, on paper and from the command
//! line is in their language — column headers, values, plurals, audit actions, people's names,
//! confirmations — and the small things of the forms, through the real pages and the CLI on
//! both backends.

use crate::both_backends;
use crate::helpers::*;
use crate::registers::month;
use serde_json::json;

/// The CONTRACT.md identifiers that an English page once showed as its column headers.
const RAW_KEYS: [&str; 6] = [
    "register_no",
    "customer_name",
    "handled_by",
    "amend_reason",
    "record_no",
    "letter_kind",
];

fn assert_no_raw_key(text: &str) {
    for key in RAW_KEYS {
        assert!(!text.contains(key), "{key} shown raw in {text}");
    }
}

both_backends!(
    an_english_register_page_and_its_paper_form_name_every_column_in_english,
    |b| {
        let (_env, app, _api) = month(b);
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        for reg in [
            "call-register",
            "call-records",
            "archives",
            "letter-register",
        ] {
            for path in [
                format!("/registers/{reg}?from=2026-11-01&to=2026-11-30"),
                format!("/registers/{reg}/print?from=2026-11-01&to=2026-11-30"),
            ] {
                let r = en.get(&path);
                assert_eq!(r.status, 200, "{path}: {}", r.body);
                assert_no_raw_key(&r.text());
            }
        }
        let text = en
            .get("/registers/call-register?from=2026-11-01&to=2026-11-30")
            .text();
        // The page shows the register's screen columns (item 11); the paper form shows all.
        for want in ["Register no.", "Customer name", "Handled by"] {
            assert!(text.contains(want), "{want} in {text}");
        }
        let text = en
            .get("/registers/call-register/print?from=2026-11-01&to=2026-11-30")
            .text();
        for want in ["Register no.", "Customer name", "Amendment reason"] {
            assert!(text.contains(want), "{want} in {text}");
        }

        // The CSV stays CONTRACT.md's: its English header row is the identifiers.
        let r = en.get("/registers/call-register/export.csv?from=2026-11-01&to=2026-11-30&lang=en");
        assert_eq!(r.status, 200);
        assert!(
            r.body.contains("register_no,date,customer_name"),
            "{}",
            r.body
        );

        // A line's own page labels its fields in English too.
        let r = en.get("/registers/call-register?from=2026-11-22&to=2026-11-22");
        let body = &r.body[r.body.find("id=\"register-lines\"").unwrap()..];
        let key = "href=\"/registers/call-register/";
        let i = body.find(key).unwrap() + key.len();
        let id: i32 = body[i..].split('"').next().unwrap().parse().unwrap();
        let text = en.get(&format!("/registers/call-register/{id}")).text();
        assert!(text.contains("Register no."), "{text}");
        assert_no_raw_key(&text);
    }
);

both_backends!(
    a_register_counts_one_line_and_two_lines_in_english_and_in_chinese,
    |b| {
        let (_env, app, _api) = month(b);
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        let one = en
            .get("/registers/call-register?from=2026-11-22&to=2026-11-22")
            .text();
        assert!(one.contains("1 line") && !one.contains("1 lines"), "{one}");
        let two = en
            .get("/registers/call-register?from=2026-11-21&to=2026-11-22")
            .text();
        assert!(two.contains("2 lines"), "{two}");
        let print = en
            .get("/registers/call-register/print?from=2026-11-22&to=2026-11-22")
            .text();
        assert!(
            print.contains("1 line") && !print.contains("1 lines"),
            "{print}"
        );
        let mut zh = Browser::new(&app);
        zh.login("audit");
        let text = zh
            .get("/registers/call-register?from=2026-11-21&to=2026-11-22")
            .text();
        assert!(text.contains("共 2 行"), "{text}");
    }
);

/// A clerk whose first follow-up of 王伟 failed three times closes it as unreachable and sends
/// the unreachable letter, in Chinese. Returns the app and the first follow-up's task id.
fn unreachable_letter_sent(b: Backend) -> (TestEnv, TestApp, i64) {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("clerk1", "clerk");
    env.user("audit", "auditor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("clerk1"));
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
    let r = web.post(&format!("/tasks/{first}/unreachable"), &[]);
    assert_eq!(r.status, 303, "{}", r.text());
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
    web.get(&format!("/tasks/{letter}/letter"));
    let r = web.post(
        &format!("/tasks/{letter}/letter"),
        &[("action", "sent"), ("letter_lang", "zh-CN")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    (env, app, first)
}

both_backends!(
    a_letter_sent_in_chinese_reads_in_english_on_the_english_letter_register,
    |b| {
        let (_env, app, first) = unreachable_letter_sent(b);
        let mut zh = Browser::new(&app);
        zh.login("audit");
        let text = zh
            .get("/registers/letter-register?from=2026-11-01&to=2026-11-30")
            .text();
        assert!(text.contains("关于您2026年11月18日来店的回访"), "{text}");
        assert!(
            text.contains(&format!("跟踪任务 #{first}：第一次跟踪服务")),
            "{text}"
        );

        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        for path in [
            "/registers/letter-register?from=2026-11-01&to=2026-11-30",
            "/registers/letter-register/print?from=2026-11-01&to=2026-11-30",
        ] {
            let text = en.get(path).text();
            assert!(
                text.contains("About your visit of 18 November 2026"),
                "{text}"
            );
            assert!(
                text.contains(&format!("Follow-up task #{first}: First follow-up")),
                "{text}"
            );
            assert!(text.contains("Notice"), "the letter kind: {text}");
            assert!(
                !text.contains("跟踪任务") && !text.contains("通知"),
                "{text}"
            );
            assert_no_raw_key(&text);
        }
        // The CSV gives the line as it was written and chained.
        let r =
            en.get("/registers/letter-register/export.csv?from=2026-11-01&to=2026-11-30&lang=en");
        assert!(
            r.body.contains("关于您2026年11月18日来店的回访"),
            "{}",
            r.body
        );
    }
);

/// The `<select name="NAME">…</select>` of a page.
fn select<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body
        .find(&format!("<select name=\"{name}\""))
        .unwrap_or_else(|| panic!("a {name} select in {body}"));
    let rest = &body[start..];
    &rest[..rest.find("</select>").unwrap()]
}

both_backends!(the_absence_form_leaves_the_substitute_to_be_chosen, |b| {
    let env = TestEnv::new(b, "2026-11-24");
    env.user("boss", "supervisor");
    env.user("clerk1", "clerk");
    env.user("clerk2", "clerk");
    let app = env.spawn();
    let mut web = Browser::new(&app);
    web.login("boss");
    let r = web.get("/absences");
    assert_eq!(r.status, 200, "{}", r.body);
    let sub = select(&r.body, "substitute_id");
    assert!(
        sub.contains("<option value=\"\">请选择代班人</option>"),
        "{sub}"
    );
    assert!(
        !sub.contains("selected"),
        "nobody chosen for the supervisor: {sub}"
    );
    // Submitted without one, the form says it is required and keeps the rest.
    let clerk = select(&r.body, "clerk_id");
    let id = clerk
        .split("value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let r = web.post(
        "/absences",
        &[
            ("clerk_id", id),
            ("from", "2026-11-25"),
            ("to", "2026-11-27"),
            ("substitute_id", ""),
            ("note", "年假"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.text().contains("代班人"), "{}", r.text());
    assert!(r.body.contains("年假"));
});

both_backends!(
    the_forms_mark_what_they_require_and_preselect_the_only_outcome,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("boss", "supervisor");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut boss = Browser::new(&app);
        boss.login("boss");
        let r = boss.get("/events");
        assert_eq!(r.status, 200, "{}", r.body);
        let at = r.body.find("name=\"content\"").expect("the content field");
        let label = &r.body[r.body[..at].rfind("<label").unwrap()..at];
        assert!(
            label.contains("内容") && label.contains("class=\"req\""),
            "{label}"
        );

        let mut clerk = Browser::new(&app);
        clerk.login("clerk1");
        let r = clerk.get("/calls/new");
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            r.body
                .contains("name=\"outcome\" value=\"reached\" checked"),
            "接通, the only inbound outcome, is chosen: {}",
            r.body
        );
    }
);

both_backends!(
    one_name_for_each_thing_in_the_menu_the_roles_and_the_registers_index,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        env.user("audit", "auditor");
        let app = env.spawn();
        let mut clerk = Browser::new(&app);
        clerk.login("clerk1");
        let text = clerk.get("/").text();
        assert!(
            text.contains("记录来电") && text.contains("新建送修 / 咨询"),
            "{text}"
        );
        for old in ["来电登记", "登记来电", "登记来访"] {
            assert!(!text.contains(old), "{old} in {text}");
        }
        let mut audit = Browser::new(&app);
        audit.login("audit");
        let text = audit.get("/registers").text();
        assert!(text.contains("审计员"), "GLOSSARY.md's word: {text}");
        for old in ["审计人员", "稽核员", "本月行数"] {
            assert!(!text.contains(old), "{old} in {text}");
        }
    }
);

both_backends!(
    filing_a_summary_says_what_was_filed_and_who_filed_it_by_name,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("boss", "supervisor");
        let app = env.spawn();
        let mut br = Browser::new(&app);
        br.login("boss");
        br.get("/summaries/monthly/2026-10");
        let r = br.post(
            "/summaries/monthly/2026-10/file",
            &[
                ("went_well", "回访及时"),
                ("problems", "接通率偏低"),
                ("measures", "改在晚上回访"),
                ("meeting_on", "2026-11-03"),
                ("attendees", "王芳、李强"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        let to = r.header("location").unwrap().to_string();
        let text = br.get(&to).text();
        assert!(text.contains("2026-10 月度小结已存档（第 1 版）"), "{text}");
        assert!(!text.contains("已保存。"), "{text}");
        assert!(text.contains("存档人 boss-name"), "{text}");
        assert!(!text.contains("存档人 boss，"), "{text}");
        let text = br.get("/summaries").text();
        assert!(text.contains("boss-name"), "{text}");
    }
);

/// The audit page's `<tbody>` rows of one action, as text and as markup.
fn audit_rows(web: &mut Browser, action: &str) -> Vec<String> {
    let r = web.get("/audit");
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
        .split("<tr data-action=\"")
        .skip(1)
        .filter(|row| row.starts_with(&format!("{action}\"")))
        .map(|row| row[..row.find("</tr>").unwrap()].to_string())
        .collect()
}

both_backends!(
    the_audit_page_names_actions_results_and_people_in_the_readers_language,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("boss", "supervisor");
        env.user("clerk1", "clerk");
        env.user("clerk2", "clerk");
        env.user("audit", "auditor");
        let app = env.spawn();
        let mut boss = Browser::new(&app);
        boss.login("boss");
        let r = boss.get("/absences");
        let ids: Vec<String> = select(&r.body, "clerk_id")
            .split("value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_string())
            .collect();
        let r = boss.post(
            "/absences",
            &[
                ("clerk_id", &ids[0]),
                ("from", "2026-11-25"),
                ("to", "2026-11-27"),
                ("substitute_id", &ids[1]),
                ("note", ""),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.text());

        let mut zh = Browser::new(&app);
        zh.login("audit");
        let rows = audit_rows(&mut zh, "absence.create");
        assert_eq!(rows.len(), 1, "{rows:?}");
        let row = &rows[0];
        // What the row shows: its text outside the tags (the codes stay in `title`s).
        let text: String = row[row.find('>').unwrap()..]
            .split('<')
            .map(|part| part.split_once('>').map_or("", |(_, t)| t))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(!text.contains("absence.create"), "{row}");
        assert!(
            row.contains("登记不在岗与代班"),
            "the action in words: {row}"
        );
        assert!(
            row.contains("<dt>代班人</dt><dd>clerk2-name</dd>") && !row.contains("covered by"),
            "{row}"
        );
        assert!(
            row.contains("title=\"boss\">boss-name<"),
            "the name, the login on hover: {row}"
        );
        assert!(row.contains(">成功<"), "the result in words: {row}");
        assert!(
            row.contains("title=\"clerk1\">clerk1-name<"),
            "whom it was about, by name: {row}"
        );
        // A structured detail is a list of labelled fields, not JSON.
        let login = &audit_rows(&mut zh, "login")[0];
        assert!(!login.contains(">ok<"), "{login}");

        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        let row = &audit_rows(&mut en, "absence.create")[0];
        assert!(
            row.contains("Absence and cover recorded") && row.contains(">Done<"),
            "{row}"
        );
        let page = en.get("/audit").body;
        assert!(
            page.contains("<option value=\"absence.create\">Absence and cover recorded</option>"),
            "the filter's choices in words: {page}"
        );
    }
);

both_backends!(
    audit_details_are_stored_as_values_and_shown_as_labelled_fields,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("clerk1", "clerk");
        env.user("audit", "auditor");
        let app = env.spawn();
        let api = Api::new(&app, &env.token("clerk1"));
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
        let r = web.post(&format!("/tasks/{first}/unreachable"), &[]);
        assert_eq!(r.status, 303, "{}", r.text());
        let detail: String = env.with(|c| {
            use aftercare::db::schema::audit_log;
            use diesel::prelude::*;
            audit_log::table
                .filter(audit_log::action.eq("task.unreachable"))
                .select(audit_log::detail)
                .first(c)
                .unwrap()
        });
        assert_eq!(detail, r#"{"attempts":3}"#);

        let mut zh = Browser::new(&app);
        zh.login("audit");
        let row = &audit_rows(&mut zh, "task.unreachable")[0];
        assert!(row.contains("<dt>未接通次数</dt><dd>3</dd>"), "{row}");
        assert!(row.contains(&format!("任务 #{first}")), "{row}");
        assert!(!row.contains("attempts"), "{row}");
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("audit");
        let row = &audit_rows(&mut en, "task.unreachable")[0];
        assert!(row.contains("<dt>Failed attempts</dt><dd>3</dd>"), "{row}");
        // The chain still verifies with the new rows.
        let (code, out, err) = cli(&env.db, "2026-11-24", &["verify"], None);
        assert_eq!(code, 0, "{out}{err}");
    }
);

both_backends!(the_command_line_confirms_in_the_configured_language, |b| {
    let env = TestEnv::new(b, "2026-11-24");
    let (code, out, err) = cli(
        &env.db,
        "2026-11-24",
        &["store", "add", "pudong", "浦东店"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "已添加门店 pudong");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("aftercare.toml");
    std::fs::write(&config, "language = \"en\"\n").unwrap();
    let cfg = config.to_str().unwrap();
    let (code, out, err) = cli(
        &env.db,
        "2026-11-24",
        &[
            "--config", cfg, "user", "add", "lisi", "--role", "clerk", "--store", "main",
        ],
        Some("a-long-password-1\n"),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "user lisi created (Follow-up clerk)");
    let (code, out, _) = cli(
        &env.db,
        "2026-11-24",
        &["--config", cfg, "user", "disable", "lisi"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "user lisi disabled");
    let (code, out, _) = cli(
        &env.db,
        "2026-11-24",
        &[
            "user", "add", "wangwu", "--role", "auditor", "--store", "main",
        ],
        Some("a-long-password-2\n"),
    );
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "已创建用户 wangwu（审计员）");
});

both_backends!(
    the_per_clerk_summary_csv_names_its_columns_in_the_readers_language,
    |b| {
        let env = TestEnv::new(b, "2026-11-24");
        env.user("boss", "supervisor");
        env.user("clerk1", "clerk");
        let app = env.spawn();
        let mut zh = Browser::new(&app);
        zh.login("boss");
        let csv = zh.get("/summaries/monthly/2026-10/clerks.csv");
        assert_eq!(csv.status, 200);
        let head = csv
            .body
            .lines()
            .next()
            .unwrap()
            .trim_start_matches('\u{feff}')
            .to_string();
        assert!(head.starts_with("期间,"), "{head}");
        assert!(
            !head.contains("reach_rate") && !head.contains("period"),
            "{head}"
        );
        let mut en = Browser::new(&app);
        en.accept_language = "en".into();
        en.login("boss");
        let head = en.get("/summaries/monthly/2026-10/clerks.csv").body;
        let head = head.lines().next().unwrap();
        assert!(
            !head.contains("reach_rate") && !head.contains("first_follow_ups"),
            "{head}"
        );
        let (code, out, err) = cli(
            &env.db,
            "2026-11-24",
            &["summary", "monthly", "2026-10", "--format", "csv"],
            None,
        );
        assert_eq!(code, 0, "{err}");
        assert!(
            out.trim_start_matches('\u{feff}').starts_with("期间,"),
            "{out}"
        );
    }
);
