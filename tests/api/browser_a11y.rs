//! Issue 12 (item 18) in a real browser: axe-core 4.14 (vendored in tests/api/vendor/, MPL-2.0,
//! from the npm package axe-core 4.14.1) finds no serious or critical violation on the pages a
//! clerk, a supervisor and an auditor use most — the queue, a call form refused with an error,
//! the registers, a register's printed form, the absences, the summary with its charts — in
//! Chinese, and on the summary and a register in English too.

use crate::browser::{click, find, Driver};
use crate::browser_layout::{login, register_pages, shops, RANGE};
use fantoccini::Client;

const AXE: &str = include_str!("vendor/axe.min.js");

/// The serious and critical violations axe finds on the page that is open, one line each.
async fn violations(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![]).await.expect("axe loads");
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3)
                   .map(n => n.target.join(' ') + ' — ' + n.failureSummary).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    serde_json::from_value(v).expect("a list")
}

async fn clean(c: &Client, base: &str, path: &str, found: &mut Vec<String>) {
    c.goto(&format!("{base}{path}")).await.expect(path);
    find(c, "body").await;
    found.extend(
        violations(c)
            .await
            .into_iter()
            .map(|v| format!("{path}: {v}")),
    );
    // axe rates an empty column header minor; the issue asks for none (action columns too).
    let empty = c
        .execute(
            "return Array.from(document.querySelectorAll('th'))
               .filter(th => th.textContent.trim() === '').length;",
            vec![],
        )
        .await
        .expect("headers");
    if empty.as_i64() != Some(0) {
        found.push(format!("{path}: {empty} empty table headers"));
    }
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_a11y_axe_finds_no_serious_violation_on_the_main_pages_in_both_languages() {
    let driver = Driver::start();
    let shops = shops();
    let (reg, sum) = (shops.reg.base.clone(), shops.sum.base.clone());
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        let mut found = Vec::new();
        login(&c, &reg, "clerk1").await;
        clean(&c, &reg, "/queue", &mut found).await;
        // The call form refused for a missing outcome: the error is tied to the radios and the
        // error summary has the focus.
        let form = format!("/tasks/{}/call", shops.task);
        c.goto(&format!("{reg}{form}")).await.expect("call form");
        click(&c, "#save-call").await;
        find(&c, "#outcome-error").await;
        let focused = c
            .execute(
                "return document.activeElement.classList.contains('error-summary');",
                vec![],
            )
            .await
            .expect("focus");
        assert_eq!(focused, true, "the error summary takes the focus");
        let described = c
            .execute(
                "return Array.from(document.querySelectorAll('input[name=outcome]'))
                   .every(i => i.getAttribute('aria-describedby') === 'outcome-error')
                   && document.querySelector('#outcome-group').tagName === 'FIELDSET'
                   && !!document.querySelector('#outcome-group > legend');",
                vec![],
            )
            .await
            .expect("radios");
        assert_eq!(
            described, true,
            "the radios are a fieldset described by the error"
        );
        found.extend(
            violations(&c)
                .await
                .into_iter()
                .map(|v| format!("{form} (refused): {v}")),
        );

        login(&c, &reg, "sup").await;
        let mut pages = register_pages();
        pages.push(format!("/registers/call-records/print?{RANGE}"));
        pages.push(format!("/registers/call-register/print?{RANGE}"));
        for p in &pages {
            clean(&c, &reg, p, &mut found).await;
        }
        login(&c, &sum, "zhuguan").await;
        clean(&c, &sum, "/summaries/monthly/2026-10", &mut found).await;
        // No link in the charts without a name, none inside role=img.
        let unnamed = c
            .execute(
                "return Array.from(document.querySelectorAll('.chart-svg a'))
                   .filter(a => !(a.getAttribute('aria-label') || '').includes(':')
                     && !(a.getAttribute('aria-label') || '').includes('：')).length
                   + document.querySelectorAll('[role=img] a').length;",
                vec![],
            )
            .await
            .expect("chart links");
        if unnamed.as_i64() != Some(0) {
            found.push(format!(
                "{unnamed} chart links without a name or inside role=img"
            ));
        }

        // In English, switched in the page header as a user would.
        for (base, user, path) in [
            (&sum, "zhuguan", "/summaries/monthly/2026-10".to_string()),
            (&reg, "sup", format!("/registers/archives?{RANGE}")),
        ] {
            login(&c, base, user).await;
            click(&c, "button[name=lang][value=en]").await;
            find(&c, "html[lang=en]").await;
            clean(&c, base, &path, &mut found).await;
            assert_eq!(
                c.execute("return document.documentElement.lang;", vec![])
                    .await
                    .expect("lang"),
                "en"
            );
        }
        assert!(found.is_empty(), "axe found:\n{}", found.join("\n"));
        c.close().await.expect("close the browser");
        driver.session.take();
    });
}
