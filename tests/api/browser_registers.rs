//! R11 in a real browser: an auditor filters the call register, exports it (the manifest shows
//! on the registers page), opens its paper form, and the form prints on A4 landscape with the header on every sheet (screenshot and PDF in
//! target/screenshots/).

use crate::browser::{all, arrive, choose, click, find, screenshot, text, type_in, Driver};
use crate::helpers::*;
use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
use serde_json::json;
use std::path::PathBuf;

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_auditor_filters_the_call_register_and_prints_its_paper_form() {
    let driver = Driver::start();
    let (env, app, api) = crate::registers::month(Backend::Sqlite);
    // Enough inquiries for a form of more than one sheet.
    let li = env.with(|c| {
        use aftercare::db::schema::customers::dsl::*;
        use diesel::prelude::*;
        customers
            .filter(name.eq("李娜"))
            .select(id)
            .first::<i32>(c)
            .unwrap()
    });
    for n in 0..40 {
        api.call(json!({"customer_id": li, "direction": "inbound", "category": "inquiry",
            "outcome": "reached", "called_at": format!("2026-11-{:02}T{:02}:00", 2 + n % 18, 8 + n / 18),
            "key_points": format!("咨询保养价格和保养项目，第 {} 次", n + 1)}));
    }
    let base = app.base.clone();
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        c.goto(&format!("{base}/login")).await.expect("login page");
        type_in(&c, "input[name=username]", "audit").await;
        type_in(&c, "input[name=password]", &password("audit")).await;
        click(&c, "button[type=submit]").await;
        find(&c, "header nav a[href='/registers']").await;
        click(&c, "header nav a[href='/registers']").await;
        arrive(&c, "/registers").await;
        click(&c, "#registers tr[data-register=call-register] a").await;
        arrive(&c, "/registers/call-register").await;
        assert_eq!(all(&c, "#register-lines tbody tr[data-id]").await.len(), 43);
        choose(&c, "select[name=category]", "inquiry").await;
        click(&c, "#register-filter button[type=submit]").await;
        arrive(
            &c,
            "/registers/call-register?from=2026-11-01&to=2026-11-30&clerk=&category=inquiry&customer=",
        )
        .await;
        assert_eq!(all(&c, "#register-lines tbody tr[data-id]").await.len(), 40);
        screenshot(&c, "call-register.png").await;

        // The export of the range, as the browser downloads it: the contract's columns, a BOM
        // for Excel, phones masked for an auditor, and its manifest on the registers page.
        let csv = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch(document.querySelector('#export-link').href)
                   .then(r => r.arrayBuffer())
                   .then(b => done(Array.from(new Uint8Array(b))));",
                vec![],
            )
            .await
            .expect("the export");
        let bytes: Vec<u8> = serde_json::from_value(csv).expect("bytes");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
        let body = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
        let mut r = csv::Reader::from_reader(body.as_bytes());
        assert_eq!(&r.headers().expect("headers")[0], "登记号");
        let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("a row")).collect();
        assert_eq!(rows.len(), 43);
        assert!(rows.iter().all(|row| row[3].contains("****")), "masked phones");
        c.goto(&format!("{base}/registers")).await.expect("registers");
        let recent = text(&c, "#recent-exports tbody tr").await;
        assert!(recent.contains(" 43 DH-2026-000001 … DH-2026-"), "{recent}");
        assert!(recent.contains("遮盖"), "{recent}");
        c.goto(&format!(
            "{base}/registers/call-register?from=2026-11-01&to=2026-11-30&clerk=&category=inquiry&customer="
        ))
        .await
        .expect("back to the filtered register");

        click(&c, "#print-link").await;
        find(&c, "#paper-form").await;
        assert_eq!(text(&c, ".form-title").await, "跟踪服务电话登记表");
        assert!(text(&c, "#form-range").await.contains("2026-11-01 至 2026-11-30"));
        assert_eq!(text(&c, "#printed-by").await, "打印人：audit-name");
        assert_eq!(all(&c, "#paper-form tbody tr").await.len(), 40);
        screenshot(&c, "call-register-print.png").await;
        let pdf = c
            .print(
                PrintConfiguration::builder()
                    .orientation(PrintOrientation::Landscape)
                    .size(PrintSize::A4)
                    .background(true)
                    .build()
                    .expect("a print configuration"),
            )
            .await
            .expect("a PDF");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::write(dir.join("call-register-print.pdf"), &pdf).expect("write the PDF");
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        // 40 lines take two landscape sheets, each with the form's header and "n / 2".
        let raw = String::from_utf8_lossy(&pdf);
        let pages = raw.matches("/Type /Page").count() - raw.matches("/Type /Pages").count();
        assert_eq!(pages, 2, "two A4 landscape sheets");
        c.close().await.expect("close the browser");
        driver.session.take();
    });
}
