//! Issue 12 (items 11, 17) in a real browser: at 1366 px (the office screen) and at 390 px (a
//! phone) no register, summary, archive or queue page is wider than the window — a wide table
//! scrolls inside its own box — and on the printed register a phone number, a plate, a date or
//! a line number never breaks across lines.

use crate::browser::{click, find, screenshot, type_in, Driver};
use crate::helpers::*;
use fantoccini::Client;
use serde_json::json;

/// Two shops in one browser: the registers' month (`registers::month`, with a supervisor
/// `sup`) and the summaries' hand-built history (`r10_summaries::history`, supervisor
/// `zhuguan`). `task` is an open follow-up of `clerk1` in the first.
pub(crate) struct Shops {
    pub reg: TestApp,
    pub sum: TestApp,
    pub task: i64,
    _envs: (TestEnv, TestEnv),
}

pub(crate) fn shops() -> Shops {
    let (env, reg, api) = crate::registers::month(Backend::Sqlite);
    env.user("sup", "supervisor");
    // A line whose every token is long: a whole phone number, a plate with its dot, free text
    // without spaces, and a second store whose name is not its code.
    let (_, _, task) = api.picked_up(
        &env,
        "19912340242",
        "沪D·K5229",
        "2026-11-19T09:00",
        "2026-11-19T16:00",
    );
    let (_, customer, _) = api.picked_up(
        &env,
        "13912345678",
        "沪A·88888",
        "2026-11-12T09:00",
        "2026-11-12T16:00",
    );
    api.call(json!({"customer_id": customer, "direction": "inbound", "category": "inquiry",
        "outcome": "reached", "called_at": "2026-11-20T10:00",
        "key_points": "客户询问保养套餐价格并希望下次保养时一并检查空调系统和刹车片磨损情况同时确认保修期限".repeat(2)}));
    let sum_env = TestEnv::new(Backend::Sqlite, crate::r10_summaries::TODAY);
    crate::r10_summaries::history(&sum_env);
    sum_env.user("zhuguan", "supervisor");
    let sum = sum_env.spawn();
    Shops {
        reg,
        sum,
        task,
        _envs: (env, sum_env),
    }
}

/// Signs `user` in afresh (the cookies of whoever was signed in before are dropped).
pub(crate) async fn login(c: &Client, base: &str, user: &str) {
    c.delete_all_cookies().await.expect("cookies");
    c.goto(&format!("{base}/login")).await.expect("login page");
    type_in(c, "input[name=username]", user).await;
    type_in(c, "input[name=password]", &password(user)).await;
    click(c, "button[type=submit]").await;
    find(c, "header nav").await;
}

pub(crate) const RANGE: &str = "from=2026-11-01&to=2026-11-30";

/// The supervisor's pages of the registers' shop.
pub(crate) fn register_pages() -> Vec<String> {
    let mut pages = vec![
        "/registers".to_string(),
        "/archives".into(),
        "/absences".into(),
    ];
    for r in [
        "archives",
        "call-records",
        "call-register",
        "letter-register",
    ] {
        pages.push(format!("/registers/{r}?{RANGE}"));
    }
    pages
}

/// The page's width and the window's, in CSS px.
async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    (v[0].as_i64().expect("px"), v[1].as_i64().expect("px"))
}

async fn fits(c: &Client, base: &str, path: &str, width: i64) {
    c.goto(&format!("{base}{path}")).await.expect(path);
    find(c, "main").await;
    let (page, window) = widths(c).await;
    let culprits = if page > window {
        c.execute(
            "return Array.from(document.querySelectorAll('body *'))
               .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                 && !e.closest('.table-scroll'))
               .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className
                 + ' ' + Math.round(e.getBoundingClientRect().right));",
            vec![],
        )
        .await
        .expect("culprits")
        .to_string()
    } else {
        String::new()
    };
    assert!(
        (window - width).abs() <= 20,
        "the window is {window} px, not about {width}"
    );
    let name = format!(
        "layout-{width}{}.png",
        path.replace(['/', '?', '&', '='], "-")
    );
    screenshot(c, &name).await;
    assert!(
        page <= window,
        "{path} at {width} px: the page is {page} px wide in a {window} px window: {culprits}"
    );
}

/// The `td.nowrap` cells of the paper form whose text takes more than one line.
async fn broken_tokens(c: &Client) -> Vec<String> {
    let v = c
        .execute(
            "const broken = [];
             for (const td of document.querySelectorAll('#paper-form td.nowrap')) {
               const r = document.createRange();
               r.selectNodeContents(td);
               const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
               if (tops.size > 1) { broken.push(td.textContent); }
             }
             return [broken, document.querySelectorAll('#paper-form td.nowrap').length];",
            vec![],
        )
        .await
        .expect("tokens");
    assert!(v[1].as_u64().expect("a count") > 10, "tokens on the form");
    serde_json::from_value(v[0].clone()).expect("texts")
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_layout_no_register_summary_or_queue_page_is_wider_than_the_window_and_tokens_never_break(
) {
    let driver = Driver::start();
    let shops = shops();
    let (reg, sum) = (shops.reg.base.clone(), shops.sum.base.clone());
    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        for width in [1366, 390] {
            c.set_window_size(width as u32, 800).await.expect("window size");
            login(&c, &reg, "clerk1").await;
            fits(&c, &reg, "/queue", width).await;
            fits(&c, &reg, &format!("/tasks/{}/call", shops.task), width).await;
            login(&c, &reg, "sup").await;
            for p in register_pages() {
                fits(&c, &reg, &p, width).await;
            }
            // The supervisor's fifteen menu links: one row that scrolls sideways on a phone,
            // not a block above the content (it was 390 px tall at 390 px wide).
            let header = c
                .execute(
                    "return document.querySelector('header.top').getBoundingClientRect().height;",
                    vec![],
                )
                .await
                .expect("header height")
                .as_f64()
                .expect("a height");
            assert!(header < 160.0, "the header is {header} px tall at {width} px");
            login(&c, &sum, "zhuguan").await;
            for p in ["/summaries", "/summaries/monthly/2026-10"] {
                fits(&c, &sum, p, width).await;
            }
        }
        // English labels are longer: the summary and a register in English, on both screens.
        for (base, user, path) in [
            (&sum, "zhuguan", "/summaries/monthly/2026-10".to_string()),
            (&reg, "sup", format!("/registers/call-records?{RANGE}")),
            // Visually hidden action headers must scroll with their table, not widen the page.
            (&reg, "sup", "/registers".to_string()),
            (&reg, "sup", "/absences".to_string()),
        ] {
            login(&c, base, user).await;
            click(&c, "button[name=lang][value=en]").await;
            find(&c, "html[lang=en]").await;
            for width in [1366, 390] {
                c.set_window_size(width as u32, 800).await.expect("window size");
                fits(&c, base, &path, width).await;
            }
            click(&c, "button[name=lang][value=zh-CN]").await;
            find(&c, "html[lang=zh-CN]").await;
        }
        // The per-clerk figures: two tables, each inside its box at 1366 px.
        c.set_window_size(1366, 800).await.expect("window size");
        login(&c, &sum, "zhuguan").await;
        c.goto(&format!("{sum}/summaries/monthly/2026-10"))
            .await
            .expect("summary");
        for table in ["#clerks", "#clerks-results"] {
            let v = c
                .execute(
                    "const t = document.querySelector(arguments[0]);
                     return [t.getBoundingClientRect().right, t.parentElement.getBoundingClientRect().right];",
                    vec![json!(table)],
                )
                .await
                .expect("table");
            let (right, box_right) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
            assert!(right <= box_right + 1.0, "{table} ends at {right}, its box at {box_right}");
        }
        // The printed registers, on screen and as printed: no token split across lines.
        login(&c, &reg, "sup").await;
        for r in ["call-records", "call-register"] {
            c.goto(&format!("{reg}/registers/{r}/print?{RANGE}"))
                .await
                .expect("print view");
            find(&c, "#paper-form").await;
            screenshot(&c, &format!("layout-print-{r}.png")).await;
            let broken = broken_tokens(&c).await;
            assert!(broken.is_empty(), "{r}: broken across lines: {broken:?}");
            // Whole tokens still leave the form inside its sheet (277 mm, as on A4 landscape).
            let v = c
                .execute(
                    "const t = document.querySelector('#paper-form').getBoundingClientRect();
                     const p = document.querySelector('main.paper');
                     const r = p.getBoundingClientRect();
                     return [t.right, r.right - parseFloat(getComputedStyle(p).paddingRight)];",
                    vec![],
                )
                .await
                .expect("the sheet");
            let (form, sheet) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
            assert!(form <= sheet + 1.0, "{r}: the form ends at {form}, the sheet at {sheet}");
        }
        c.close().await.expect("close the browser");
        driver.session.take();
    });
}
