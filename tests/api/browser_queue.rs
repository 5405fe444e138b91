//! The queue and the call form on a phone (390 px), a tablet (768 px) and the office screen
//! (1366 px), in a real browser: nothing scrolls sideways; the queue's rows become cards.
//! Screenshots in target/screenshots/queue-{390,768,1366}.png and call-{…}.png. And the queue
//! from the keyboard across pages: J past the last row reaches "next page", Enter turns it.

use crate::browser::{all, find, press, screenshot, selected, type_in, Driver};
use crate::helpers::*;
use aftercare::domain::cadence::Window;
use aftercare::domain::task::TaskKind;
use aftercare::models::task;
use fantoccini::key::Key;
use fantoccini::Client;

/// The page's width against the window's (CSS pixels).
async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("script");
    (v[0].as_i64().unwrap(), v[1].as_i64().unwrap())
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_queue_and_call_form_fit_390_768_and_1366_pixels_and_page_from_the_keyboard() {
    let driver = Driver::start();
    let env = TestEnv::new(Backend::Sqlite, "2026-11-24");
    let wang = env.user("wang", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("sup"));
    let (_, customer, first) = api.picked_up(
        &env,
        "13800000501",
        "沪E·50001",
        "2026-11-19T09:00",
        "2026-11-19T16:00",
    );
    let store = env.with(|c| {
        aftercare::models::user::by_id(c, wang)
            .unwrap()
            .store_id
            .unwrap()
    });
    // 60 more tasks due today: two pages of the queue page.
    for i in 0..60 {
        env.with(|c| {
            task::insert(
                c,
                &task::NewTask {
                    store_id: store,
                    kind: TaskKind::PlannedContact,
                    customer_id: customer as i32,
                    visit_id: None,
                    clerk_id: wang,
                    window: Window {
                        start: "2026-11-23".parse().unwrap(),
                        end: format!("2026-11-{}", 24 + i % 3).parse().unwrap(),
                    },
                    planned_contact_id: None,
                    item_id: None,
                    event_id: None,
                },
                "2026-11-24T02:00:00".parse().unwrap(),
            )
            .unwrap()
        });
    }
    let base = app.base.clone();
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        c.goto(&format!("{base}/login")).await.expect("login page");
        type_in(&c, "input[name=username]", "wang").await;
        type_in(&c, "input[name=password]", &password("wang")).await;
        crate::browser::click(&c, "button[type=submit]").await;
        find(&c, "table#queue").await;
        for (w, h) in [(390u32, 844u32), (768, 1024), (1366, 768)] {
            c.set_window_size(w, h).await.expect("window size");
            c.goto(&format!("{base}/queue")).await.unwrap();
            find(&c, "table#queue").await;
            let (scroll, inner) = widths(&c).await;
            assert!(scroll <= inner, "queue at {w}px: {scroll} > {inner}");
            screenshot(&c, &format!("queue-{w}.png")).await;
            c.goto(&format!("{base}/tasks/{first}/call")).await.unwrap();
            find(&c, "form#call-form").await;
            let (scroll, inner) = widths(&c).await;
            assert!(scroll <= inner, "call form at {w}px: {scroll} > {inner}");
            screenshot(&c, &format!("call-{w}.png")).await;
        }
        // From the keyboard: J to the last row ("next page"), Enter turns the page.
        c.goto(&format!("{base}/queue")).await.unwrap();
        find(&c, "table#queue").await;
        let rows = all(&c, "tr[data-href]").await;
        assert!(rows.len() > 50, "{} rows", rows.len());
        for _ in 0..rows.len() {
            press(&c, 'j').await;
        }
        let last = rows.last().unwrap();
        assert!(selected(last).await, "J reaches the next-page row");
        press(&c, Key::Enter.into()).await;
        let t = crate::browser::text(&c, ".page-of").await;
        assert!(t.contains("第 2 页"), "{t}");
        c.close().await.expect("close the browser");
        driver.session.take();
    });
}
