//! A complaint and an event in a real browser (R4d, R6, R8): the supervisor solves an
//! escalated complaint, the clerk tells the customer from her queue and the item closes; the
//! supervisor creates an event, prints its letters in a batch, and the clerk marks her letter
//! sent into the letter register. Chromium and chromedriver are started as in browser.rs.

use crate::browser::{
    all, arrive, choose, click, find, press, screenshot, selected, text, type_in, Driver,
};
use crate::helpers::*;
use fantoccini::key::Key;
use fantoccini::Client;
use serde_json::json;

pub(crate) async fn login(c: &Client, base: &str, user: &str) {
    c.goto(&format!("{base}/login")).await.expect("login page");
    type_in(c, "input[name=username]", user).await;
    type_in(c, "input[name=password]", &password(user)).await;
    click(c, "button[type=submit]").await;
    find(c, "#logout").await;
}

async fn logout(c: &Client) {
    click(c, "#logout").await;
    find(c, "input[name=username]").await;
}

/// Sets an input the way a date picker would (typing into date inputs depends on the locale).
async fn set_value(c: &Client, css: &str, value: &str) {
    find(c, css).await;
    let js = "document.querySelector(arguments[0]).value = arguments[1];";
    c.execute(js, vec![json!(css), json!(value)])
        .await
        .expect(css);
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_r4d_supervisor_solves_an_escalated_complaint_and_r6_event_letters_print() {
    let driver = Driver::start();
    let env = TestEnv::new(Backend::Sqlite, "2026-11-24");
    env.user("wang", "clerk");
    env.user("zhao", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("wang"));
    // Picked up on 11-18 (first follow-up due 11-21 … 11-25); reached today, a complaint left
    // open and escalated to the supervisor.
    let (_, customer, first) = api.picked_up(
        &env,
        "13800000501",
        "沪E·50001",
        "2026-11-18T09:00",
        "2026-11-18T16:00",
    );
    let r = api.call(json!({"task_id": first, "outcome": "reached", "called_at": "2026-11-24T10:00",
        "key_points": "客户反映异响", "items": [{"kind": "complaint", "text": "保养后发动机有异响"}]}));
    let item = r["items"][0]["id"].as_i64().expect("item id");
    let r = api.post(
        &format!("/api/v1/items/{item}/escalate"),
        json!({"escalated_at": "2026-11-24T10:30", "note": "需要主管决定"}),
    );
    assert_eq!(r.status, 200, "escalate: {}", r.body);
    let base = app.base.clone();

    let (event, letter) = actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;

        // The supervisor finds the complaint on the escalations page and records a solution.
        login(&c, &base, "zhao").await;
        c.goto(&format!("{base}/escalations")).await.unwrap();
        let row = text(&c, &format!("#escalations tr[data-item='{item}']")).await;
        assert!(row.contains("保养后发动机有异响"), "{row}");
        click(&c, &format!("tr[data-item='{item}'] a.button")).await;
        arrive(&c, &format!("/items/{item}")).await;
        type_in(
            &c,
            "#solution-form textarea[name=solution]",
            "免费复查并更换发动机支架",
        )
        .await;
        click(&c, "#solution-form button[type=submit]").await;
        let flash = text(&c, "p.flash").await;
        assert!(flash.starts_with("解决办法已记录"), "flash: {flash}");
        assert_eq!(text(&c, "#item-status").await, "已有解决办法，待告知客户");
        logout(&c).await;

        // The clerk's queue: the call to tell the customer, due today, opened from the keyboard.
        let call = api.queue("2026-11-24", None);
        let call = call
            .iter()
            .find(|t| t.1 == "solution_call")
            .expect("solution call")
            .0;
        login(&c, &base, "wang").await;
        arrive(&c, "/").await;
        find(&c, "table#queue").await;
        let cell = |n: usize| format!("#queue tr[data-task='{call}'] td:nth-child({n})");
        assert_eq!(text(&c, &cell(1)).await, "到期");
        assert_eq!(text(&c, &cell(2)).await, "告知解决办法");
        let rows = all(&c, "#queue tr[data-task]").await;
        let row = find(&c, &format!("#queue tr[data-task='{call}']")).await;
        for _ in 0..rows.len() {
            press(&c, 'j').await;
            if selected(&row).await {
                break;
            }
        }
        assert!(selected(&row).await, "J reaches the solution call");
        press(&c, Key::Enter.into()).await;
        arrive(&c, &format!("/tasks/{call}/call")).await;
        click(&c, "input[name=outcome][value=reached]").await;
        type_in(&c, "textarea[name=key_points]", "已告知解决办法，客户满意").await;
        choose(&c, "select[name=satisfied]", "1").await;
        click(&c, "#save-call").await;
        arrive(&c, "/queue?ok=call-recorded").await;
        assert!(all(&c, &format!("tr[data-task='{call}']")).await.is_empty());
        c.goto(&format!("{base}/items/{item}")).await.unwrap();
        assert_eq!(text(&c, "#item-status").await, "已解决，客户满意");
        assert_eq!(all(&c, "#timeline li[data-step]").await.len(), 5);
        logout(&c).await;

        // The supervisor creates an event for every customer.
        login(&c, &base, "zhao").await;
        c.goto(&format!("{base}/events")).await.unwrap();
        choose(&c, "#event-form select[name=kind]", "free_service").await;
        type_in(&c, "#event-form input[name=title]", "免费检测周").await;
        set_value(&c, "#event-form input[name=starts_on]", "2026-12-14").await;
        type_in(&c, "#event-form input[name=place]", "本店服务大厅").await;
        type_in(
            &c,
            "#event-form textarea[name=content]",
            "免费检测刹车和轮胎",
        )
        .await;
        click(&c, "#event-form input[name=audience][value=all]").await;
        click(&c, "#event-form button[type=submit]").await;
        let invitees = find(&c, "table#invitees").await;
        let url = c.current_url().await.unwrap();
        let event: i64 = url
            .path()
            .trim_start_matches("/events/")
            .parse()
            .expect("event id");
        let invited = invitees
            .find_all(fantoccini::Locator::Css("tbody tr"))
            .await
            .unwrap();
        assert_eq!(invited.len(), 1);
        assert_eq!(
            invited[0].attr("data-customer").await.unwrap(),
            Some(customer.to_string())
        );

        // The clerk reaches the customer (through the API): a letter task opens.
        let notice = api.queue("2026-11-24", None);
        let notice = notice
            .iter()
            .find(|t| t.1 == "event_notice")
            .expect("notice call")
            .0;
        let r = api.call(
            json!({"task_id": notice, "outcome": "reached", "called_at": "2026-11-24T11:00",
            "key_points": "通知活动，客户会来", "event_answer": "coming"}),
        );
        let letter = r["opened_task"].as_i64().expect("letter task");

        // The batch print page: one A4 letter per open letter.
        c.goto(&format!("{base}/events/{event}/letters"))
            .await
            .unwrap();
        let letters = all(&c, "article.letter").await;
        assert_eq!(letters.len(), 1);
        let printed = letters[0].text().await.unwrap();
        for part in [
            "上海市浦东新区张杨路100号",
            "王伟",
            "免费检测周通知",
            "本店服务大厅",
        ] {
            assert!(printed.contains(part), "{part} missing from: {printed}");
        }
        // A window as tall as the A4 sheet, so the screenshot shows the whole letter.
        c.set_window_size(1366, 1400).await.expect("window size");
        screenshot(&c, "event-letters.png").await;
        c.set_window_size(1366, 768).await.expect("window size");
        c.goto(&format!("{base}/queue")).await.unwrap();
        logout(&c).await;

        // The clerk prints her letter and marks it sent.
        login(&c, &base, "wang").await;
        c.goto(&format!("{base}/tasks/{letter}/letter"))
            .await
            .unwrap();
        assert!(text(&c, "article.letter").await.contains("免费检测周通知"));
        click(&c, "#mark-sent").await;
        arrive(&c, "/queue?ok=letter-sent").await;
        assert_eq!(text(&c, "p.flash").await, "信函已登记寄出。");
        c.close().await.expect("close the browser");
        driver.session.take();
        (event, letter)
    });

    let lines: Vec<(String, String, String)> = env.with(|c| {
        use aftercare::db::schema::letter_register as lr;
        use diesel::prelude::*;
        lr::table
            .select((lr::register_no, lr::letter_kind, lr::related_to))
            .load(c)
            .unwrap()
    });
    let line = (
        "XH-2026-000001".into(),
        "notice".into(),
        format!("活动 #{event}：免费检测周"),
    );
    assert_eq!(lines, [line], "letter task {letter}");
}
