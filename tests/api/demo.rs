//! The README's first command: `serve --demo` on an empty embedded database loads a believable
//! shop and prints the demo logins; a clerk finds archive tasks in both languages.

use crate::helpers::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn r2_serve_demo_loads_a_shop_and_a_clerk_sees_archive_tasks_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aftercare"))
        .args([
            "--database-url",
            &url,
            "serve",
            "--demo",
            "--bind",
            "127.0.0.1:0",
        ])
        .env_remove("AFTERCARE_TODAY")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _guard = Kill(child);
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        printed.push(line.clone());
        if let Some(a) = line.strip_prefix("listening on ") {
            break a.to_string();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "serve --demo took too long: {printed:?}"
        );
    };
    let all = printed.join("\n");
    for login in [
        "admin", "zhuguan", "sunli", "wangfang", "liqiang", "zhangmin",
    ] {
        assert!(all.contains(login), "demo login {login} printed: {all}");
    }
    let app = TestApp::external(&addr);
    let health = Browser::new(&app).get("/healthz");
    assert_eq!(health.status, 200);
    eprintln!(
        "serve --demo: first answered request after {:?}",
        started.elapsed()
    );

    let mut web = Browser::new(&app);
    assert_eq!(web.login_with("wangfang", "demo-wangfang-2026").status, 303);
    let home = web.get("/");
    assert!(
        home.body.matches("data-task=").count() > 5,
        "{}",
        home.text()
    );
    assert!(home.text().contains("今日待办"));
    web.post("/account/lang", &[("lang", "en"), ("back", "/")]);
    let home = web.get("/");
    assert!(home.text().contains("Today's queue"), "{}", home.text());
    let archives = web.get("/archives");
    assert!(
        archives.text().contains("DA-"),
        "the demo has completed archives"
    );
    // A clerk lists their own customers (others: by a search, as cards, ASVS 8.2.2).
    let customers = web.get("/customers");
    assert!(customers.text().contains("沪"), "plates look real");
}
