//! The README's first command: `serve --demo` on an empty embedded database loads a believable
//! shop and prints the demo logins; a clerk finds archive tasks in both languages, and the last
//! months hold every part the summaries count (issue 12, item 16).

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

    demo_months_show_every_part(&url);
}

/// The shop's months as `summary monthly --format json` prints them: this month and the two
/// before (the demo's history spans its last sixty days, whatever day of the month it is).
fn demo_months(url: &str) -> Vec<serde_json::Value> {
    // The demo's shop keeps Shanghai time.
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let first = today - chrono::Duration::days(i64::from(chrono::Datelike::day(&today)) - 1);
    let months = [
        first,
        first - chrono::Months::new(1),
        first - chrono::Months::new(2),
    ];
    months
        .iter()
        .map(|m| {
            let out = Command::new(env!("CARGO_BIN_EXE_aftercare"))
                .args(["--database-url", url, "summary", "monthly"])
                .arg(m.format("%Y-%m").to_string())
                .args(["--store", "main", "--format", "json"])
                .env_remove("AFTERCARE_TODAY")
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            serde_json::from_slice(&out.stdout).unwrap()
        })
        .collect()
}

/// Issue 12, item 16: every figure a newcomer opens has lines, not zeros — each kind of task
/// and call outcome, items through every step, an event with its notices and letters, letters
/// of each kind, reminders with customers coming back, lost customers won back, and last
/// month's summary filed.
fn demo_months_show_every_part(url: &str) {
    let months = demo_months(url);
    let sum = |path: &[&str]| -> f64 {
        months
            .iter()
            .map(|m| {
                path.iter()
                    .fold(&m["totals"], |v, k| &v[*k])
                    .as_f64()
                    .unwrap_or(0.0)
            })
            .sum()
    };
    for figure in [
        &["archives_on_time"][..],
        &["archives_late"],
        &["first_follow_ups_on_time"],
        &["first_follow_ups_late"],
        &["second_follow_ups_on_time"],
        &["reached_calls"],
        &["failed_calls", "no_answer"],
        &["failed_calls", "busy"],
        &["failed_calls", "refused"],
        &["failed_calls", "wrong_number"],
        &["inbound_inquiries"],
        &["inbound_complaints"],
        &["items_answered_on_call"],
        &["items_escalated"],
        &["items_solved"],
        &["items_customer_told_same_day"],
        &["items_satisfied"],
        &["events"],
        &["event_notices_due"],
        &["event_notices_on_time"],
        &["event_letters_sent_on_time"],
        &["letters", "notice"],
        &["letters", "invitation"],
        &["letters", "reply"],
        &["maintenance_reminders_due"],
        &["maintenance_reminders_done"],
        &["returned_within_30_days"],
        &["lost_customers"],
        &["win_back_calls"],
        &["won_back"],
        &["satisfaction_answers"],
    ] {
        assert!(sum(figure) > 0.0, "the demo's months count no {figure:?}");
    }
    assert_eq!(
        months[1]["filed"], true,
        "last month's summary is filed: {}",
        months[1]["period"]
    );
}
