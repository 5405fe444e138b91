//! The scale benchmarks of BENCHMARKS.md, on a database made by `aftercare demo generate`.
//!
//! ```sh
//! BENCH_DATABASE_URL=sqlite:///tmp/scale.db cargo bench --bench scale -- [STEP …]
//! ```
//!
//! Steps (all when none is named): `queue` (in one run on one server: `/healthz` under `wrk`
//! as the ceiling; the queue API's first page and the queue page of one clerk on one day,
//! sequential latency ≈ server time p50/p95/p99, then `wrk` from 127.0.0.1 with 32
//! connections and the ratio to the ceiling; the first page of a clerk with ~300 and one with
//! ~3,000 tasks (made by cover when the dataset has none); 256 connections and their
//! timeouts; the next request after that load), `calls` (calls recorded through `POST /api/v1/calls` by 8 concurrent
//! clients), `import` (`aftercare import visits` of a 100,000-row file, beside a bare load of the
//! same rows into one table by the database's own client), `export`
//! (`aftercare export call-register` of ~1,000,000 lines, time and peak RSS, beside
//! `sqlite3 -csv` dumping the same columns), `summary` (`aftercare summary monthly` and `yearly` beside the database grouping the month's and the previous month's tasks and calls, of the
//! busiest month, skipped while that command does not exist). The server's peak RSS (VmHWM)
//! is printed after the steps that use it.
//!
//! Settings (environment): `BENCH_DATABASE_URL` (required), `BENCH_TODAY` (the generator's
//! `--today`, default 2026-11-28), `BENCH_CLERK` (default: the first clerk of the first
//! store), `BENCH_WRK_SECONDS` (30), `BENCH_CALL_SECONDS` (20), `BENCH_IMPORT_ROWS` (100000),
//! `BENCH_EXPORT_LINES` (1000000), `BENCH_PORT` (18087).

use aftercare::db::schema::{call_register, customers, users};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

const BIN: &str = env!("CARGO_BIN_EXE_aftercare");

fn env_or(key: &str, default: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| default.to_string())
}

struct Bench {
    url: String,
    today: String,
    port: u16,
    clerk: String,
}

fn main() {
    let url = match std::env::var("BENCH_DATABASE_URL") {
        Ok(u) => u,
        Err(_) => {
            eprintln!("BENCH_DATABASE_URL is not set: nothing to measure (see BENCHMARKS.md)");
            return;
        }
    };
    let steps: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let want = |s: &str| steps.is_empty() || steps.iter().any(|x| x == s);
    let today = env_or("BENCH_TODAY", "2026-11-28");
    let pool = aftercare::db::pool(&url).expect("database");
    let clerk = match std::env::var("BENCH_CLERK") {
        Ok(c) => c,
        Err(_) => {
            let mut c = pool.get().expect("connection");
            users::table
                .filter(users::role.eq("clerk"))
                .order(users::id)
                .select(users::username)
                .first::<String>(&mut *c)
                .expect("a clerk")
        }
    };
    drop(pool);
    let b = Bench {
        url,
        today,
        port: env_or("BENCH_PORT", "18087").parse().expect("port"),
        clerk,
    };
    println!(
        "# aftercare scale benchmarks — {} — {} — clerk {} — today {}",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        aftercare::db::redact(&b.url),
        b.clerk,
        b.today
    );
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0),
        std::fs::read_to_string("/proc/loadavg")
            .map(|l| format!("load average {}", l.trim()))
            .unwrap_or_default()
    );
    if want("queue") || want("calls") {
        let server = b.serve();
        if want("queue") {
            b.queue();
        }
        if want("calls") {
            b.calls();
        }
        println!(
            "server peak RSS (VmHWM) after the steps above: {:.1} MiB",
            peak_rss_kib(server.id()) as f64 / 1024.0
        );
        stop(server);
    }
    if want("import") {
        b.import();
    }
    if want("export") {
        b.export();
    }
    if want("summary") {
        b.summary();
    }
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Runs a command under `/usr/bin/time -v`: wall seconds, peak RSS in KiB, stdout, stderr.
fn timed(args: &[&str]) -> (f64, u64, String, String) {
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-v")
        .args(args)
        .output()
        .expect("run /usr/bin/time");
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let rss = stderr
        .lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    (
        secs,
        rss,
        String::from_utf8_lossy(&out.stdout).to_string(),
        stderr,
    )
}

impl Bench {
    fn cli(&self, args: &[&str], stdin: Option<&str>) -> String {
        let mut cmd = Command::new(BIN);
        cmd.arg("--database-url")
            .arg(&self.url)
            .arg("--today")
            .arg(&self.today)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("aftercare");
        if let Some(s) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(s.as_bytes())
                .expect("stdin");
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("aftercare");
        assert!(
            out.status.success(),
            "aftercare {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn serve(&self) -> Child {
        let child = Command::new(BIN)
            .arg("--database-url")
            .arg(&self.url)
            .arg("--today")
            .arg(&self.today)
            .args(["serve", "--bind", &format!("127.0.0.1:{}", self.port)])
            .env("RUST_LOG", "warn")
            .env("AFTERCARE_JOBS_BACKUP", "")
            .env("AFTERCARE_JOBS_PURGE_SESSIONS", "")
            .env("AFTERCARE_JOBS_OVERDUE_DIGEST", "")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("serve");
        let agent = ureq::agent();
        for _ in 0..600 {
            if agent
                .get(&format!("{}/healthz", self.base()))
                .call()
                .is_ok()
            {
                return child;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        stop(child);
        panic!("the server did not start");
    }

    fn token(&self, user: &str) -> String {
        self.cli(&["token", "create", user, "--label", "bench"], None)
    }

    /// A session cookie for `user` (password of the generator).
    fn session(&self, user: &str) -> String {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let form = agent
            .get(&format!("{}/login", self.base()))
            .call()
            .expect("login form")
            .into_string()
            .expect("body");
        let csrf = form
            .split("name=\"csrf_token\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("")
            .to_string();
        let r = agent.post(&format!("{}/login", self.base())).send_form(&[
            ("username", user),
            ("password", aftercare::generate::PASSWORD),
            ("next", "/"),
            ("csrf_token", &csrf),
        ]);
        assert!(
            matches!(&r, Ok(x) if x.status() == 303 || x.status() == 302),
            "login failed"
        );
        let store = agent.cookie_store();
        let c = store
            .iter_any()
            .find(|c| c.name() == "aftercare_session")
            .expect("session cookie");
        format!("{}={}", c.name(), c.value())
    }

    /// p50/p95/p99 of `n` sequential requests (one connection, loopback: ≈ server time).
    fn latency(&self, path: &str, header: (&str, &str), n: usize) -> (f64, f64, f64, usize) {
        let agent = ureq::AgentBuilder::new().redirects(0).build();
        let url = format!("{}{path}", self.base());
        let mut ms = Vec::with_capacity(n);
        let mut size = 0;
        for _ in 0..n {
            let t = Instant::now();
            let r = agent
                .get(&url)
                .set(header.0, header.1)
                .call()
                .expect("request");
            assert_eq!(r.status(), 200, "{path}");
            size = r.into_string().expect("body").len();
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        (
            percentile(&ms, 0.5),
            percentile(&ms, 0.95),
            percentile(&ms, 0.99),
            size,
        )
    }

    /// `wrk -t2 -cN` on `path`: prints its figures and gives requests/s and timeouts.
    fn wrk(&self, path: &str, header: &str) -> (f64, u64) {
        self.wrk_c(path, header, 32)
    }

    fn wrk_c(&self, path: &str, header: &str, conns: u32) -> (f64, u64) {
        let secs = env_or("BENCH_WRK_SECONDS", "30");
        let out = Command::new("wrk")
            .args([
                "-t2",
                &format!("-c{conns}"),
                &format!("-d{secs}s"),
                "--latency",
                "-H",
                header,
            ])
            .arg(format!("{}{path}", self.base()))
            .output();
        match out {
            Err(e) => {
                println!("  wrk: not run ({e}); apt-get install -y wrk");
                (0.0, 0)
            }
            Ok(o) => {
                let text = String::from_utf8_lossy(&o.stdout);
                let pick = |key: &str| {
                    text.lines()
                        .find(|l| l.trim_start().starts_with(key))
                        .map(|l| l.trim().to_string())
                        .unwrap_or_default()
                };
                let rps: f64 = pick("Requests/sec")
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0.0);
                // "Socket errors: connect 0, read 0, write 0, timeout 22"
                let timeouts: u64 = pick("Socket errors")
                    .rsplit("timeout ")
                    .next()
                    .and_then(|n| n.trim().parse().ok())
                    .unwrap_or(0);
                println!(
                    "  wrk -t2 -c{conns} -d{secs}s: {} | latency {} / {} / {} | {} | {} timeouts",
                    pick("Requests/sec"),
                    pick("50%"),
                    pick("90%"),
                    pick("99%"),
                    if text.contains("Non-2xx") {
                        pick("Non-2xx")
                    } else {
                        "all 2xx".into()
                    },
                    timeouts
                );
                (rps, timeouts)
            }
        }
    }

    /// Open tasks in today's queue window per clerk (owned, before cover): (username, tasks).
    fn clerk_sizes(&self) -> Vec<(i32, String, i64, i32)> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            id: i32,
            #[diesel(sql_type = diesel::sql_types::Text)]
            username: String,
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
            #[diesel(sql_type = diesel::sql_types::Integer)]
            store_id: i32,
        }
        let today: NaiveDate = self.today.parse().expect("BENCH_TODAY");
        let horizon = today + Duration::days(7);
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let mut c = pool.get().expect("connection");
        let rows: Vec<Row> = diesel::sql_query(format!(
            "SELECT u.id AS id, u.username AS username, u.store_id AS store_id, COUNT(t.id) AS n \
             FROM users u JOIN tasks t ON t.clerk_id = u.id AND t.status = 'open' \
             AND t.window_start <= '{horizon}' WHERE u.role = 'clerk' AND u.store_id IS NOT NULL \
             GROUP BY u.id, u.username, u.store_id ORDER BY u.id"
        ))
        .load(&mut *c)
        .expect("clerk sizes");
        rows.into_iter()
            .map(|r| (r.id, r.username, r.n, r.store_id))
            .collect()
    }

    /// A clerk whose queue holds about `want` tasks: one who has that many, or one made to
    /// cover colleagues of the same store today (R9; absences inserted here, removed after).
    fn clerk_with(&self, want: i64, made: &mut Vec<i32>) -> (String, i64) {
        let sizes = self.clerk_sizes();
        let best = sizes
            .iter()
            .min_by_key(|(_, _, n, _)| (n - want).abs())
            .expect("clerks")
            .clone();
        if (best.2 - want).abs() * 5 <= want {
            return (best.1, best.2);
        }
        // Cover: the smallest clerk of a store takes colleagues until the queue is big enough.
        let (sub, name, mut total, store) = best;
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let mut c = pool.get().expect("connection");
        for (id, _, n, s) in sizes.iter().filter(|x| x.3 == store && x.0 != sub) {
            if total >= want {
                break;
            }
            #[derive(QueryableByName)]
            struct Id {
                #[diesel(sql_type = diesel::sql_types::Integer)]
                id: i32,
            }
            let a: Id = diesel::sql_query(format!(
                "INSERT INTO absences (store_id, clerk_id, substitute_id, from_date, to_date, note, created_at) \
                 VALUES ({s}, {id}, {sub}, '{t}', '{t}', 'bench cover', '{t} 00:00:00') RETURNING id",
                t = self.today
            ))
            .get_result(&mut *c)
            .expect("absence");
            made.push(a.id);
            total += n;
        }
        (name, total)
    }

    fn drop_absences(&self, ids: &[i32]) {
        if ids.is_empty() {
            return;
        }
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let mut c = pool.get().expect("connection");
        let list = ids
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        diesel::sql_query(format!("DELETE FROM absences WHERE id IN ({list})"))
            .execute(&mut *c)
            .expect("remove the bench's absences");
    }

    fn queue(&self) {
        // The ceiling: what the same server does with the cheapest request.
        println!("/healthz (the ceiling of this server in this run):");
        let (health, _) = self.wrk("/healthz", "Accept: */*");
        let ratio = |rps: f64| {
            if health > 0.0 {
                format!("{:.1} % of /healthz", rps / health * 100.0)
            } else {
                "no ceiling".into()
            }
        };
        let token = self.token(&self.clerk);
        let auth = format!("Bearer {token}");
        let path = format!("/api/v1/queue?date={}", self.today);
        let (p50, p95, p99, size) = self.latency(&path, ("Authorization", &auth), 1000);
        let body: serde_json::Value = ureq::get(&format!("{}{path}", self.base()))
            .set("Authorization", &auth)
            .call()
            .expect("queue")
            .into_json()
            .expect("json");
        let tasks = body["tasks"].as_array().map(Vec::len).unwrap_or(0);
        println!(
            "queue API first page {path} ({tasks} of {} tasks, {size} bytes):",
            body["total"]
        );
        println!("  sequential latency p50 {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms (target p95 ≤ 10 ms)");
        let (api_rps, _) = self.wrk(&path, &format!("Authorization: {auth}"));
        println!("  {} (target ≥ 30 %, ≥ 5,000 requests/s)", ratio(api_rps));
        let cookie = self.session(&self.clerk);
        let page = format!("/queue?date={}", self.today);
        let (p50, p95, p99, size) = self.latency(&page, ("Cookie", &cookie), 500);
        println!("queue page /queue ({size} bytes):");
        println!("  sequential latency p50 {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms");
        let (page_rps, _) = self.wrk(&page, &format!("Cookie: {cookie}"));
        println!("  {} (target ≥ 10 %, ≥ 2,000 requests/s)", ratio(page_rps));

        // The first page's cost against the queue's length: ~300 and ~3,000 tasks.
        let mut made = Vec::new();
        let mut p95s = Vec::new();
        for want in [300, 3000] {
            let (name, n) = self.clerk_with(want, &mut made);
            let auth = format!("Bearer {}", self.token(&name));
            let (p50, p95, _, size) = self.latency(&path, ("Authorization", &auth), 500);
            let total = ureq::get(&format!("{}{path}", self.base()))
                .set("Authorization", &auth)
                .call()
                .ok()
                .and_then(|r| r.into_json::<serde_json::Value>().ok())
                .map(|v| v["total"].clone())
                .unwrap_or_default();
            println!(
                "queue API first page, clerk {name} (~{n} open tasks in the window, total {total}, {size} bytes): p50 {p50:.2} ms, p95 {p95:.2} ms"
            );
            let (rps, _) = self.wrk(&path, &format!("Authorization: {auth}"));
            p95s.push((p95, rps));
        }
        self.drop_absences(&made);
        if let [(a, ra), (b, rb)] = p95s[..] {
            println!(
                "  3,000 vs 300: p95 ×{:.2}, requests/s ×{:.2} (target within 1.5×)",
                b / a.max(0.001),
                ra / rb.max(0.001)
            );
        }

        // 256 connections: no timeouts; then the next request is answered at once (nothing
        // is still working on abandoned requests).
        println!("queue API first page under 256 connections:");
        let (_, timeouts) = self.wrk_c(&path, &format!("Authorization: {auth}"), 256);
        let t = Instant::now();
        let _ = ureq::get(&format!("{}{path}", self.base()))
            .set("Authorization", &auth)
            .call();
        println!(
            "  {timeouts} timeouts (target 0); the next request after the load: {:.1} ms",
            t.elapsed().as_secs_f64() * 1000.0
        );
    }

    fn calls(&self) {
        let token = self.token(&self.clerk);
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let ids: Vec<i32> = {
            let mut c = pool.get().expect("connection");
            let (id, store): (i32, Option<i32>) = users::table
                .filter(users::username.eq(&self.clerk))
                .select((users::id, users::store_id))
                .first(&mut *c)
                .expect("clerk");
            // The clerk's own customers (R1: a clerk works on theirs).
            customers::table
                .filter(customers::store_id.eq(store.expect("store")))
                .filter(customers::clerk_id.eq(id))
                .order(customers::id)
                .select(customers::id)
                .limit(5000)
                .load(&mut *c)
                .expect("customers")
        };
        drop(pool);
        let secs: u64 = env_or("BENCH_CALL_SECONDS", "20").parse().expect("seconds");
        let ok = Arc::new(AtomicU64::new(0));
        let failed = Arc::new(AtomicU64::new(0));
        let locked = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let url = format!("{}/api/v1/calls", self.base());
        let started = Instant::now();
        let workers: Vec<_> = (0..8)
            .map(|w| {
                let (ok, failed, locked, stop) =
                    (ok.clone(), failed.clone(), locked.clone(), stop.clone());
                let (url, auth, ids) = (url.clone(), format!("Bearer {token}"), ids.clone());
                std::thread::spawn(move || {
                    let agent = ureq::agent();
                    let mut i = w;
                    while !stop.load(Ordering::Relaxed) {
                        let body = serde_json::json!({
                            "customer_id": ids[i % ids.len()],
                            "direction": "inbound",
                            "category": "inquiry",
                            "outcome": "reached",
                            "key_points": "客户来电咨询保养价格（基准测试）",
                        });
                        match agent.post(&url).set("Authorization", &auth).send_json(body) {
                            Ok(r) if r.status() == 201 => {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                            Ok(_) => {
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                            Err(e) => {
                                let text = match e {
                                    ureq::Error::Status(_, r) => {
                                        r.into_string().unwrap_or_default()
                                    }
                                    other => other.to_string(),
                                };
                                if text.contains("locked") {
                                    locked.fetch_add(1, Ordering::Relaxed);
                                }
                                failed.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        i += 8;
                    }
                })
            })
            .collect();
        // Item 7: the largest the SQLite WAL grows during the write load (sampled every 100 ms).
        let wal_path = aftercare::db::sqlite_path(&self.url);
        let mut wal_max = 0u64;
        let until = Instant::now() + std::time::Duration::from_secs(secs);
        while Instant::now() < until {
            if let Some(p) = &wal_path {
                wal_max = wal_max.max(aftercare::db::wal_bytes(p));
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        stop.store(true, Ordering::Relaxed);
        for w in workers {
            let _ = w.join();
        }
        let elapsed = started.elapsed().as_secs_f64();
        let n = ok.load(Ordering::Relaxed);
        println!(
            "calls POST /api/v1/calls, 8 clients, {elapsed:.0} s: {n} recorded, {:.0} calls/s, {} failed, {} 'database is locked' (target ≥ 500/s, none locked)",
            n as f64 / elapsed,
            failed.load(Ordering::Relaxed),
            locked.load(Ordering::Relaxed)
        );
        if wal_path.is_some() {
            println!(
                "calls: largest WAL during the load {:.1} MiB (target ≤ 64 MiB)",
                wal_max as f64 / f64::from(1 << 20)
            );
        }
    }

    fn import(&self) {
        let rows: usize = env_or("BENCH_IMPORT_ROWS", "100000").parse().expect("rows");
        let today: NaiveDate = self.today.parse().expect("today");
        let day = today - Duration::days(1);
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let store: String = {
            let mut c = pool.get().expect("connection");
            aftercare::models::store::all(&mut c).expect("stores")[0]
                .code
                .clone()
        };
        drop(pool);
        let path =
            std::env::temp_dir().join(format!("aftercare-bench-import-{}.csv", std::process::id()));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("csv"));
        writeln!(f, "external_id,kind,customer_name,phone,address,plate,vehicle_model,vehicle_type,checked_in_at,picked_up_at,items,maintenance_interval_days,maintenance_interval_km,next_maintenance_date,desired_services,odometer_km,store").expect("csv");
        let stamp = std::process::id() % 1000;
        for i in 0..rows {
            let minute = (i % 480) as i64;
            let t = day.and_hms_opt(8, 0, 0).expect("time") + Duration::minutes(minute);
            writeln!(
                f,
                "BENCH-{stamp}-{i:07},maintenance,导入客户{i},15{:09},上海市徐汇区漕溪北路{}号,粤{}{:05},大众朗逸,轿车,{},{},更换机油机滤;轮胎换位,180,5000,,,{},{store}",
                (stamp as usize * 1_000_000 + i) % 1_000_000_000,
                i % 900 + 1,
                ['B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L'][(stamp as usize + i / 100_000) % 10],
                i % 100_000,
                t.format("%Y-%m-%dT%H:%M"),
                (t + Duration::hours(2)).format("%Y-%m-%dT%H:%M"),
                10_000 + i % 90_000,
            )
            .expect("csv");
        }
        f.flush().expect("csv");
        drop(f);
        let file = path.display().to_string();
        let (secs, rss, out, err) = timed(&[
            BIN,
            "--database-url",
            &self.url,
            "--today",
            &self.today,
            "import",
            "visits",
            &file,
        ]);
        println!(
            "import visits, {rows} rows: {secs:.1} s, {:.0} rows/s, peak RSS {:.1} MiB (target ≥ 20,000 rows/s) — {}",
            rows as f64 / secs,
            rss as f64 / 1024.0,
            out.lines().last().unwrap_or("").trim()
        );
        if !err.contains("Exit status: 0") {
            println!(
                "  import did not finish cleanly: {}",
                err.lines().take(5).collect::<Vec<_>>().join(" / ")
            );
        }
        // The ceiling (issue 14): a bare load of the same rows into one table of text columns,
        // by the database's own client, in one transaction (`sqlite3 .import` into a scratch
        // database beside the dataset; `COPY … FROM STDIN` on PostgreSQL).
        let columns = (0..17)
            .map(|i| format!("c{i} TEXT"))
            .collect::<Vec<_>>()
            .join(", ");
        let started = Instant::now();
        let ok = match self.url.strip_prefix("sqlite://") {
            Some(db) => {
                let scratch = format!("{db}.bench-import-ceiling.db");
                let _ = std::fs::remove_file(&scratch);
                let script = format!(
                    "PRAGMA journal_mode=WAL; CREATE TABLE t ({columns}); BEGIN; \n.mode csv\n.import --skip 1 {file} t\nCOMMIT;"
                );
                let status = Command::new("/usr/bin/sqlite3")
                    .arg(&scratch)
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .spawn()
                    .and_then(|mut c| {
                        c.stdin
                            .take()
                            .expect("stdin")
                            .write_all(script.as_bytes())?;
                        c.wait()
                    });
                let _ = std::fs::remove_file(&scratch);
                status
            }
            None => Command::new("psql")
                .args([
                    self.url.as_str(),
                    "-q",
                    "-c",
                    &format!("CREATE TEMP TABLE t ({columns})"),
                    "-c",
                    &format!("\\copy t FROM '{file}' CSV HEADER"),
                ])
                .stdout(Stdio::null())
                .status(),
        };
        match ok {
            Ok(st) if st.success() => {
                let c = started.elapsed().as_secs_f64();
                println!(
                    "  ceiling (a bare load of the same rows into one table): {c:.2} s, {:.0} rows/s; aftercare takes {:.1}× that",
                    rows as f64 / c,
                    secs / c
                );
            }
            other => println!("  ceiling not run: {other:?}"),
        }
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(path.with_file_name(format!(
            "aftercare-bench-import-{}.rejects.csv",
            std::process::id()
        )));
    }

    /// The date range, ending yesterday, that holds about `BENCH_EXPORT_LINES` call-register
    /// lines (binary search over its start).
    fn export_range(&self) -> (NaiveDate, NaiveDate, i64) {
        let target: i64 = env_or("BENCH_EXPORT_LINES", "1000000")
            .parse()
            .expect("lines");
        let to: NaiveDate = self.today.parse::<NaiveDate>().expect("today") - Duration::days(1);
        let pool = aftercare::db::pool(&self.url).expect("pool");
        let mut c = pool.get().expect("connection");
        let mut count = |from: NaiveDate| -> i64 {
            call_register::table
                .filter(call_register::called_on.ge(from))
                .filter(call_register::called_on.le(to))
                .count()
                .get_result(&mut *c)
                .expect("count")
        };
        let (mut lo, mut hi) = (0i64, 3 * 366);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if count(to - Duration::days(mid)) >= target {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let from = to - Duration::days(lo);
        (from, to, count(from))
    }

    fn export(&self) {
        let (from, to, lines) = self.export_range();
        let out =
            std::env::temp_dir().join(format!("aftercare-bench-export-{}.csv", std::process::id()));
        let file = out.display().to_string();
        let (from_s, to_s) = (from.to_string(), to.to_string());
        let (secs, rss, _, err) = timed(&[
            BIN,
            "--database-url",
            &self.url,
            "--today",
            &self.today,
            "export",
            "call-register",
            "--from",
            &from_s,
            "--to",
            &to_s,
            "--output",
            &file,
        ]);
        if !err.contains("Exit status: 0") {
            println!(
                "  export failed: {}",
                err.lines().take(5).collect::<Vec<_>>().join(" / ")
            );
        }
        println!(
            "export call-register {from_s}…{to_s}, {lines} lines: {secs:.2} s, {:.0} lines/s, peak RSS {:.1} MiB (targets ≥ 300,000 lines/s, ≤ 100 MiB)",
            lines as f64 / secs,
            rss as f64 / 1024.0
        );
        if let Some(path) = self.url.strip_prefix("sqlite://") {
            let sql = format!(
                "SELECT register_no, called_on, customer_name, phone, direction, category, outcome, handled_by, amends, amend_reason FROM call_register WHERE called_on BETWEEN '{from_s}' AND '{to_s}' ORDER BY store_id, called_on, id"
            );
            let started = Instant::now();
            let dump = Command::new("/usr/bin/sqlite3")
                .args(["-csv", path, &sql])
                .stdout(std::fs::File::create(out.with_extension("sqlite3.csv")).expect("file"))
                .status();
            let s = started.elapsed().as_secs_f64();
            match dump {
                Ok(st) if st.success() => println!(
                    "  sqlite3 -csv of the same columns and rows: {s:.2} s; aftercare takes {:.2}× that (target ≤ 2×)",
                    secs / s
                ),
                other => println!("  sqlite3 -csv: not run ({other:?})"),
            }
        }
        for p in [
            out.clone(),
            aftercare::cli::manifest_path(&out),
            out.with_extension("sqlite3.csv"),
        ] {
            let _ = std::fs::remove_file(p);
        }
    }

    fn summary(&self) {
        // Issue 6 builds `aftercare summary monthly`; until it lands this step says so.
        let help = Command::new(BIN)
            .args(["summary", "--help"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !matches!(help, Ok(s) if s.success()) {
            println!("summary: SKIPPED — `aftercare summary monthly` does not exist on this branch yet (issue 6)");
            return;
        }
        let today: NaiveDate = self.today.parse().expect("today");
        let month = (today
            - Duration::days(today.format("%d").to_string().parse::<i64>().unwrap_or(1)))
        .format("%Y-%m")
        .to_string();
        let year = today.format("%Y").to_string();
        // The ceiling (issue 14): the database grouping the month's and the previous month's
        // tasks and calls by clerk and status, with the same client (sqlite3 or psql).
        let first: NaiveDate = format!("{month}-01").parse().expect("month");
        let prev = (first - Duration::days(1)).format("%Y-%m-01").to_string();
        let last = (first + Duration::days(32))
            .format("%Y-%m-01")
            .to_string()
            .parse::<NaiveDate>()
            .expect("date")
            - Duration::days(1);
        let ceiling_sql = format!(
            "SELECT clerk_id, kind, status, COUNT(*) FROM tasks WHERE window_end BETWEEN '{prev}' AND '{last}' GROUP BY clerk_id, kind, status; \
             SELECT handled_by_id, direction, outcome, COUNT(*) FROM call_register WHERE called_on BETWEEN '{prev}' AND '{last}' GROUP BY handled_by_id, direction, outcome;"
        );
        let ceiling = {
            let started = Instant::now();
            let ok = match self.url.strip_prefix("sqlite://") {
                Some(path) => Command::new("/usr/bin/sqlite3")
                    .args([path, &ceiling_sql])
                    .stdout(Stdio::null())
                    .status(),
                None => Command::new("psql")
                    .args([self.url.as_str(), "-q", "-c", &ceiling_sql])
                    .stdout(Stdio::null())
                    .status(),
            };
            matches!(ok, Ok(s) if s.success()).then(|| started.elapsed().as_secs_f64())
        };
        for (kind, period, target) in [
            ("monthly", month.as_str(), 0.5),
            ("yearly", year.as_str(), 1.0),
        ] {
            let (secs, rss, _, err) = timed(&[
                BIN,
                "--database-url",
                &self.url,
                "--today",
                &self.today,
                "summary",
                kind,
                period,
                "--format",
                "json",
            ]);
            let ratio = ceiling
                .map(|c| format!("; ceiling (grouping {prev} … {last} tasks and calls by clerk and status) {c:.2} s, ratio {:.2}×", secs / c))
                .unwrap_or_else(|| "; ceiling not run".into());
            println!(
                "summary {kind} {period} --format json: {secs:.2} s (process, with start-up), peak RSS {:.1} MiB (target ≤ {target} s){ratio}{}",
                rss as f64 / 1024.0,
                if err.contains("Exit status: 0") { "" } else { " — FAILED" }
            );
        }
    }
}
