//! X6 in a real browser: the clerk asks satisfaction first on a reached follow-up and types
//! the scores with the keys 1–5 — the overall score, then each aspect in turn.

use crate::browser::{arrive, click, find, press, type_in, Driver};
use crate::browser_items::login;
use crate::helpers::*;

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_x6_clerk_records_a_call_with_scores_from_the_keyboard() {
    let driver = Driver::start();
    let env = TestEnv::new(Backend::Sqlite, "2026-11-24");
    env.user("wang", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("sup"));
    let (_, _, task) = api.picked_up(
        &env,
        "13800000701",
        "沪E·70001",
        "2026-11-19T09:00",
        "2026-11-19T16:00",
    );
    let base = app.base.clone();
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        login(&c, &base, "wang").await;
        c.goto(&format!("{base}/tasks/{task}/call")).await.unwrap();
        // Asked first: the satisfaction fields come before the outcome.
        find(&c, "form#call-form fieldset#satisfaction-fields").await;
        // 4 overall, then reception 5, repair quality 3 — from the keyboard.
        press(&c, '4').await;
        press(&c, '5').await;
        press(&c, '3').await;
        assert!(checked(&c, "input[name=satisfaction][value='4']").await);
        assert!(checked(&c, "input[name=aspect_reception][value='5']").await);
        assert!(checked(&c, "input[name=aspect_repair_quality][value='3']").await);
        assert!(!checked(&c, "input[name=aspect_on_time][value='3']").await);
        click(&c, "input[name=outcome][value=reached]").await;
        type_in(
            &c,
            "textarea[name=key_points]",
            "客户对接待满意，维修质量一般",
        )
        .await;
        click(&c, "#save-call").await;
        arrive(&c, "/queue?ok=call-recorded").await;
        c.close().await.expect("close the browser");
        driver.session.take();
    });
    let (score, aspects): (Option<i32>, String) = env.with(|c| {
        use aftercare::db::schema::call_satisfaction::dsl::*;
        use diesel::prelude::*;
        call_satisfaction.select((score, aspects)).first(c).unwrap()
    });
    assert_eq!(score, Some(4));
    assert_eq!(aspects, "reception=5,repair_quality=3");
}

async fn checked(c: &fantoccini::Client, css: &str) -> bool {
    find(c, css).await.is_selected().await.expect("selected")
}
