//! R10 in a real browser: a supervisor opens October's summary from the archive page, writes
//! the assessment and the department meeting, files it (confirming), and prints it on A4
//! (screenshots and PDF in target/screenshots/).

use crate::browser::{all, arrive, click, find, screenshot, text, type_in, Driver};
use crate::helpers::*;
use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
use fantoccini::Client;
use serde_json::json;
use std::path::PathBuf;

/// A date input set the way a date picker would (typing into it depends on the locale).
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
fn browser_r10_supervisor_writes_files_and_prints_the_monthly_summary() {
    let driver = Driver::start();
    let env = TestEnv::new(Backend::Sqlite, crate::r10_summaries::TODAY);
    crate::r10_summaries::history(&env);
    env.user("zhuguan", "supervisor");
    let app = env.spawn();
    let base = app.base.clone();
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        c.goto(&format!("{base}/login")).await.expect("login page");
        type_in(&c, "input[name=username]", "zhuguan").await;
        type_in(&c, "input[name=password]", &password("zhuguan")).await;
        click(&c, "button[type=submit]").await;
        click(&c, "header nav a[href='/summaries']").await;
        arrive(&c, "/summaries").await;
        // Last month is offered; open it.
        click(&c, "#open-month button[type=submit]").await;
        arrive(&c, "/summaries/monthly/2026-10").await;
        assert_eq!(text(&c, "#summary-title").await, "2026-10 月度小结 · 本店");
        assert_eq!(
            text(
                &c,
                "#figures tr[data-figure=first_follow_ups_late] td.value"
            )
            .await,
            "1"
        );
        assert_eq!(all(&c, "#chart-follow-ups rect.seg").await.len(), 7);
        assert_eq!(all(&c, "#clerks tbody tr").await.len(), 3);
        screenshot(&c, "summary-draft.png").await;
        // The lines behind a figure.
        click(
            &c,
            "#figures tr[data-figure=first_follow_ups_missed] td.value a",
        )
        .await;
        assert_eq!(all(&c, "#lines tbody tr[data-id]").await.len(), 2);
        c.back().await.expect("back");
        // The written report and the meeting, then filing.
        type_in(
            &c,
            "textarea[name=went_well]",
            "第一次跟踪按时率较上月提高；投诉都在两日内上报。",
        )
        .await;
        type_in(
            &c,
            "textarea[name=problems]",
            "接通率只有 50%，三次未接通的客户偏多。",
        )
        .await;
        type_in(
            &c,
            "textarea[name=measures]",
            "下月改在晚上 18:00–20:00 回访；号码错误的客户进厂时核对。",
        )
        .await;
        set_value(&c, "input[name=meeting_on]", "2026-11-03").await;
        type_in(&c, "input[name=attendees]", "王芳、李强、张敏、业务主管").await;
        click(&c, "#file-summary").await;
        c.accept_alert().await.expect("confirm filing");
        find(&c, "#filed-banner").await;
        assert!(text(&c, "#filed-banner").await.contains("第 1 版"));
        assert!(
            all(&c, "#report-form").await.is_empty(),
            "no form once filed"
        );
        screenshot(&c, "summary-filed.png").await;
        // Print on A4, with the charts and the Chinese text.
        click(&c, "#print-link").await;
        find(&c, "main.summary-paper").await;
        assert_eq!(text(&c, "#print-title").await, "2026-10 月度小结");
        assert!(text(&c, ".report-print").await.contains("接通率只有 50%"));
        assert_eq!(all(&c, "main.summary-paper svg").await.len(), 3);
        screenshot(&c, "summary-print.png").await;
        let pdf = c
            .print(
                PrintConfiguration::builder()
                    .orientation(PrintOrientation::Portrait)
                    .size(PrintSize::A4)
                    .background(true)
                    .build()
                    .expect("a print configuration"),
            )
            .await
            .expect("a PDF");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::write(dir.join("summary-print.pdf"), &pdf).expect("write the PDF");
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        c.close().await.expect("close the browser");
        driver.session.take();
    });
}
