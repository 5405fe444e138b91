//! A clerk's morning in a real browser: Chromium driven through chromedriver (WebDriver). The
//! queue is worked from the keyboard (J / K / Enter), a failed attempt and a reached call are
//! recorded through the call form, and the queue is read in Chinese and in English.
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian: chromium, chromium-driver).

use crate::count_rows;
use crate::helpers::*;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// The longest any page or element is waited for.
const WAIT: Duration = Duration::from_secs(15);

/// chromedriver on a free local port, with a fresh browser profile. When dropped (a failed
/// assertion too) it ends the browser session, so Chromium quits, then kills chromedriver.
pub(crate) struct Driver {
    child: Child,
    url: String,
    profile: tempfile::TempDir,
    pub(crate) session: RefCell<Option<String>>,
}

impl Driver {
    /// chromedriver and a browser profile. The test is ignored where Chromium is not installed
    /// (build.rs); a browser missing here anyway (or under CI=true) fails the test.
    pub(crate) fn start() -> Driver {
        assert!(
            Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists(),
            "{CHROMEDRIVER} or {CHROMIUM} is missing: install chromium and chromium-driver"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            profile: tempfile::tempdir().expect("temp dir"),
            session: RefCell::new(None),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = ureq::get(&format!("{}/status", driver.url)).timeout(Duration::from_secs(1));
        while status.clone().call().is_err() {
            if let Ok(Some(exit)) = driver.child.try_wait() {
                panic!("chromedriver exited early ({exit})");
            }
            assert!(Instant::now() < deadline, "chromedriver silent for 20 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        driver
    }

    pub(crate) async fn browser(&self) -> Client {
        // The clerk's browser asks for Chinese, as in the shops.
        let caps = serde_json::json!({ "goog:chromeOptions": {
            "binary": CHROMIUM,
            "prefs": { "intl.accept_languages": "zh-CN,zh" },
            "args": ["--lang=zh-CN", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--window-size=1366,768",
                format!("--user-data-dir={}", self.profile.path().display())],
        }});
        let c = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.as_object().expect("an object").clone())
            .connect(&self.url)
            .await
            .expect("a Chromium session through chromedriver");
        *self.session.borrow_mut() = c.session_id().await.expect("session id");
        c
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(id) = self.session.take() {
            let end = ureq::delete(&format!("{}/session/{id}", self.url));
            let _ = end.timeout(Duration::from_secs(10)).call();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The element for `css`, waited for (bounded).
pub(crate) async fn find(c: &Client, css: &str) -> Element {
    match c.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
        Ok(e) => e,
        Err(e) => panic!("no {css} on {:?}: {e}", c.current_url().await),
    }
}

pub(crate) async fn all(c: &Client, css: &str) -> Vec<Element> {
    c.find_all(Locator::Css(css)).await.expect("find_all")
}

pub(crate) async fn text(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.expect("text")
}

pub(crate) async fn click(c: &Client, css: &str) {
    find(c, css).await.click().await.expect(css);
}

pub(crate) async fn type_in(c: &Client, css: &str, text: &str) {
    find(c, css).await.send_keys(text).await.expect(css);
}

pub(crate) async fn choose(c: &Client, css: &str, value: &str) {
    find(c, css).await.select_by_value(value).await.expect(css);
}

/// Waits until the browser shows `path` of the app (after a redirect).
pub(crate) async fn arrive(c: &Client, path: &str) {
    let url = c.current_url().await.expect("url").join(path).expect("url");
    if let Err(e) = c.wait().at_most(WAIT).for_url(&url).await {
        panic!("not at {url} but {:?}: {e}", c.current_url().await);
    }
}

/// One key pressed and released, sent to whatever has the focus (as a person types).
pub(crate) async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.expect("key press");
}

pub(crate) async fn selected(row: &Element) -> bool {
    let class = row.attr("class").await.expect("class").unwrap_or_default();
    class.split_whitespace().any(|c| c == "selected")
}

/// The text of the `n`th cell of a task's row on the queue.
async fn cell(c: &Client, task: i64, n: usize) -> String {
    let css = format!("#queue tr[data-task='{task}'] td:nth-child({n})");
    text(c, &css).await
}

pub(crate) async fn screenshot(c: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots folder");
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(name), png).expect("write screenshot");
}

#[test]
#[cfg_attr(
    no_browser,
    ignore = "Chromium is not installed (apt-get install chromium chromium-driver, then touch build.rs)"
)]
fn browser_clerk_works_the_queue_with_the_keyboard_and_records_calls_in_both_languages() {
    let driver = Driver::start();
    let env = TestEnv::new(Backend::Sqlite, "2026-11-24");
    env.user("wang", "clerk");
    env.user("sup", "supervisor");
    let app = env.spawn();
    let api = Api::new(&app, &env.token("sup"));
    // Two customers picked up on 11-19 (first follow-ups due 11-22 … 11-26), one visit today.
    let pick =
        |phone, plate| api.picked_up(&env, phone, plate, "2026-11-19T09:00", "2026-11-19T16:00");
    let (_, _, task_a) = pick("13800000401", "沪E·40001");
    let (_, customer_b, task_b) = pick("13800000402", "沪E·40002");
    api.visit("13800000403", "沪E·40003", "2026-11-24T09:00");
    let base = app.base.clone();

    actix_web::rt::System::new().block_on(async {
        let c = driver.browser().await;
        c.goto(&format!("{base}/login")).await.expect("login page");
        type_in(&c, "input[name=username]", "wang").await;
        type_in(&c, "input[name=password]", &password("wang")).await;
        click(&c, "button[type=submit]").await;

        // The start page is the queue; J / K move the selection, Enter opens the task.
        find(&c, "table#queue").await;
        assert!(text(&c, "h1").await.contains("今日待办"));
        let on_queue = all(&c, "#queue tr[data-task]").await.len();
        assert!(on_queue >= 3, "{on_queue} rows");
        let rows = all(&c, "tr[data-href]").await;
        press(&c, 'j').await;
        assert!(selected(&rows[0]).await, "J selects the first row");
        press(&c, 'j').await;
        assert!(selected(&rows[1]).await && !selected(&rows[0]).await);
        press(&c, 'k').await;
        assert!(selected(&rows[0]).await && !selected(&rows[1]).await);
        let row_a = find(&c, &format!("tr[data-task='{task_a}']")).await;
        for _ in 0..rows.len() {
            if selected(&row_a).await {
                break;
            }
            press(&c, 'j').await;
        }
        assert!(selected(&row_a).await, "J reaches task A's row");
        press(&c, Key::Enter.into()).await;

        // Task A: nobody answers.
        arrive(&c, &format!("/tasks/{task_a}/call")).await;
        click(&c, "form#call-form input[name=outcome][value=no_answer]").await;
        click(&c, "#save-call").await;
        arrive(&c, "/queue?ok=call-recorded").await;
        assert_eq!(text(&c, "p.flash").await, "通话已记录。");
        assert_eq!(text(&c, "#queue thead th:nth-child(7)").await, "未接通次数");
        assert_eq!(cell(&c, task_a, 7).await, "1", "one failed attempt");
        let last = cell(&c, task_a, 8).await;
        assert!(last.contains("无人接听"), "last contact: {last}");

        // Task B (opened with a click): reached, topics C1 and C2, a complaint left open.
        click(&c, &format!("tr[data-task='{task_b}'] a.open")).await;
        arrive(&c, &format!("/tasks/{task_b}/call")).await;
        click(&c, "input[name=outcome][value=reached]").await;
        click(&c, "input[name=topics][value=C1]").await;
        click(&c, "input[name=topics][value=C2]").await;
        type_in(&c, "textarea[name=key_points]", "客户反映车辆使用正常").await;
        choose(&c, "select[name=item_kind]", "complaint").await;
        type_in(&c, "input[name=item_text]", "保养后发动机有异响").await;
        choose(&c, "select[name=item_answered]", "0").await;
        click(&c, "#save-call").await;
        arrive(&c, "/queue?ok=call-recorded").await;
        let b_rows = all(&c, &format!("tr[data-task='{task_b}']")).await;
        assert!(b_rows.is_empty(), "task B is done");
        assert_eq!(cell(&c, task_a, 7).await, "1");

        c.goto(&format!("{base}/customers/{customer_b}"))
            .await
            .unwrap();
        let item = text(&c, "table#items tbody tr").await;
        assert!(
            item.starts_with("投诉 保养后发动机有异响 2026-11-24 处理中"),
            "{item}"
        );

        c.goto(&format!("{base}/queue")).await.unwrap();
        find(&c, "table#queue").await;
        screenshot(&c, "queue-zh.png").await;

        // The same queue in English, switched from the header.
        let english = find(&c, "header button[name=lang][value=en]").await;
        assert_eq!(english.text().await.unwrap(), "English");
        english.click().await.unwrap();
        find(&c, "header button[name=lang][value='zh-CN']").await;
        assert!(text(&c, "h1").await.contains("Today's queue"));
        let attempts = text(&c, "#queue thead th:nth-child(7)").await;
        assert_eq!(attempts, "Failed attempts");
        let last = cell(&c, task_a, 8).await;
        assert!(last.contains("No answer"), "last contact: {last}");
        screenshot(&c, "queue-en.png").await;
        c.close().await.expect("close the browser");
        driver.session.take();
    });

    // What the pages showed is what the registers hold.
    assert_eq!(count_rows!(env, call_register), 2);
    let raised: Vec<(String, String, String)> = env.with(|c| {
        use aftercare::db::schema::items::dsl::*;
        use diesel::prelude::*;
        items.select((kind, text, status)).load(c).unwrap()
    });
    let open_complaint = (
        "complaint".into(),
        "保养后发动机有异响".into(),
        "open".into(),
    );
    assert_eq!(raised, [open_complaint]);
}
