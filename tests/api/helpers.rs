//! Test helpers: a fresh database per test (a SQLite file in a temp dir, or a new PostgreSQL
//! database), the app spawned on port 0 against it, and small HTTP clients — a "browser"
//! that keeps cookies and CSRF tokens, and an API client with a bearer token.

use aftercare::clock::Clock;
use aftercare::config::Config;
use aftercare::db::{self, DbConn, Pool};
use aftercare::services::{accounts, Actor, Ctx};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `$body` once on SQLite and once on PostgreSQL, as two tests named `sqlite` and
/// `postgres` inside a module named after the behaviour (and its rule id). Where PostgreSQL is
/// not installed, the `postgres` variant is ignored with the reason (build.rs), never passed.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, |$b:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            fn run($b: $crate::helpers::Backend) $body
            #[test]
            fn sqlite() {
                run($crate::helpers::Backend::Sqlite)
            }
            #[test]
            #[cfg_attr(no_postgres, ignore = "PostgreSQL is not installed (apt-get install postgresql, then touch build.rs)")]
            fn postgres() {
                run($crate::helpers::Backend::Postgres)
            }
        }
    };
}

/// Whether the PostgreSQL half of a test that loops over both backends runs: false only where
/// PostgreSQL is not installed (build.rs), and then the test's name says it ran on SQLite only.
pub fn postgres_available() -> bool {
    !cfg!(no_postgres)
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A database of its own for one test; removed when dropped.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// A database file made elsewhere (a backup), not removed by the test.
    pub fn at(url: String) -> TestDb {
        TestDb {
            url,
            _dir: None,
            pg: None,
        }
    }

    pub fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                TestDb {
                    url,
                    _dir: Some(dir),
                    pg: None,
                }
            }
            Backend::Postgres => {
                let admin = crate::pg_server::admin_url();
                let name = format!(
                    "aftercare_t{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst)
                );
                pg_exec(&admin, &format!("DROP DATABASE IF EXISTS {name}"));
                pg_exec(&admin, &format!("CREATE DATABASE {name}"));
                let base = admin
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .expect("url with a database");
                TestDb {
                    url: format!("{base}/{name}"),
                    _dir: None,
                    pg: Some((admin, name)),
                }
            }
        }
    }
}

fn pg_exec(admin_url: &str, sql: &str) {
    use diesel::{Connection, RunQueryDsl};
    let mut c =
        diesel::PgConnection::establish(admin_url).expect("connect to the PostgreSQL test server");
    diesel::sql_query(sql)
        .execute(&mut c)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg {
            let _ = std::panic::catch_unwind(|| {
                pg_exec(
                    admin,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
            });
        }
    }
}

/// The context services need, with the clock stopped at noon of `today` (local).
pub fn ctx(today: &str) -> Ctx {
    let config = Config::load_from(None, &Default::default()).expect("default config");
    let tz = config.tz();
    let noon = today
        .parse::<NaiveDate>()
        .expect("date")
        .and_hms_opt(12, 0, 0)
        .expect("noon");
    Ctx {
        clock: Clock::at(tz, noon),
        config: Arc::new(config),
    }
}

/// A migrated database with its pool and context, without a server.
pub struct TestEnv {
    pub db: TestDb,
    pub pool: Pool,
    pub ctx: Ctx,
}

impl TestEnv {
    pub fn new(backend: Backend, today: &str) -> TestEnv {
        // Server-side errors show in the output of a failing test.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn")
            .with_test_writer()
            .try_init();
        let db = TestDb::new(backend);
        let pool = db::pool(&db.url).expect("pool");
        let ctx = ctx(today);
        {
            let mut c = pool.get().expect("connection");
            aftercare::services::setup::prepare(&mut c, &ctx.config).expect("prepare");
        }
        TestEnv { db, pool, ctx }
    }

    pub fn conn(&self) -> db::PooledConn {
        self.pool.get().expect("connection")
    }

    /// Creates a user with password `password-<name>` (store: the only one, for store roles).
    pub fn user(&self, name: &str, role: &str) -> i32 {
        self.user_in(name, role, None)
    }

    pub fn user_in(&self, name: &str, role: &str, store: Option<&str>) -> i32 {
        let input = accounts::UserInput {
            username: name.into(),
            display_name: format!("{name}-name"),
            role: role.into(),
            store: store.map(str::to_string),
            password: password(name),
        };
        accounts::create_user(&mut self.conn(), &self.ctx, &Actor::cli(), &input)
            .expect("create user")
    }

    pub fn token(&self, name: &str) -> String {
        accounts::create_token(&mut self.conn(), &self.ctx, &Actor::cli(), name, "test")
            .expect("token")
    }

    /// Runs a closure on a connection (for direct checks of the tables).
    pub fn with<T>(&self, f: impl FnOnce(&mut DbConn) -> T) -> T {
        f(&mut self.conn())
    }

    /// Starts the app on 127.0.0.1:0 against this database.
    pub fn spawn(&self) -> TestApp {
        let (tx, rx) = std::sync::mpsc::channel();
        let pool = self.pool.clone();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let sys = actix_web::rt::System::new();
            sys.block_on(async move {
                let app = aftercare::web::Application::build(pool, ctx, "127.0.0.1:0")
                    .expect("build app");
                tx.send((app.addr, app.server.handle())).expect("send addr");
                let _ = app.server.await;
            });
        });
        // Bounded, with room for a loaded 2-core machine (30 s was once too short at load 10).
        let (addr, handle) = rx
            .recv_timeout(Duration::from_secs(90))
            .expect("app started");
        TestApp {
            base: format!("http://{addr}"),
            handle: Some(handle),
        }
    }
}

pub fn password(name: &str) -> String {
    format!("password-{name}")
}

pub struct TestApp {
    pub base: String,
    handle: Option<actix_web::dev::ServerHandle>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            // Stop the server and let its thread finish; bounded by the runtime's own timeout.
            drop(h.stop(false));
        }
    }
}

/// An HTTP answer, whatever its status.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The page's text without tags, for assertions on what a person reads.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    out.push(' ');
                }
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
        out.replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2F;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}

/// Status, content type and body bytes of an answer, whatever its status.
fn into_bytes(r: Result<ureq::Response, ureq::Error>) -> (u16, Option<String>, Vec<u8>) {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let ctype = resp.header("content-type").map(str::to_string);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).expect("body");
    (status, ctype, bytes)
}

fn into_resp(r: Result<ureq::Response, ureq::Error>) -> Resp {
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("request failed: {e}"),
    };
    let status = resp.status();
    let location = resp.header("location").map(str::to_string);
    let headers = resp
        .headers_names()
        .into_iter()
        .map(|n| (n.clone(), resp.header(&n).unwrap_or("").to_string()))
        .collect();
    let body = resp.into_string().unwrap_or_default();
    Resp {
        status,
        body,
        location,
        headers,
    }
}

/// A person at a browser: cookies kept, redirects not followed (tests look at them), the
/// CSRF token of the last page read used for the next form.
pub struct Browser {
    pub base: String,
    agent: ureq::Agent,
    pub csrf: String,
    pub accept_language: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        let agent = ureq::AgentBuilder::new()
            .redirects(0)
            .timeout(Duration::from_secs(60))
            .build();
        Browser {
            base: app.base.clone(),
            agent,
            csrf: String::new(),
            accept_language: "zh-CN".into(),
        }
    }

    fn remember_csrf(&mut self, body: &str) {
        if let Some(i) = body.find("name=\"csrf_token\" value=\"") {
            let rest = &body[i + 25..];
            if let Some(end) = rest.find('"') {
                self.csrf = rest[..end].to_string();
            }
        }
    }

    pub fn get(&mut self, path: &str) -> Resp {
        let r = into_resp(
            self.agent
                .get(&format!("{}{path}", self.base))
                .set("Accept-Language", &self.accept_language)
                .call(),
        );
        self.remember_csrf(&r.body);
        r
    }

    /// A GET whose body is not text (a workbook): status, content type, bytes.
    pub fn get_bytes(&mut self, path: &str) -> (u16, Option<String>, Vec<u8>) {
        into_bytes(
            self.agent
                .get(&format!("{}{path}", self.base))
                .set("Accept-Language", &self.accept_language)
                .call(),
        )
    }

    /// Posts a form with the CSRF token of the last page (unless the fields carry one).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        if !fields.iter().any(|(k, _)| *k == "csrf_token") {
            all.push(("csrf_token", &csrf));
        }
        let r = into_resp(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set("Accept-Language", &self.accept_language)
                .send_form(&all),
        );
        self.remember_csrf(&r.body);
        r
    }

    /// Posts with extra headers (for the Origin checks).
    pub fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.agent.post(&format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.set(k, v);
        }
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        let csrf = self.csrf.clone();
        all.push(("csrf_token", &csrf));
        into_resp(req.send_form(&all))
    }

    pub fn login(&mut self, user: &str) -> Resp {
        self.login_with(user, &password(user))
    }

    pub fn login_with(&mut self, user: &str, pw: &str) -> Resp {
        self.get("/login");
        self.post(
            "/login",
            &[("username", user), ("password", pw), ("next", "/")],
        )
    }
}

/// A program calling the JSON API with a bearer token.
pub struct Api {
    pub base: String,
    agent: ureq::Agent,
    pub token: String,
    pub lang: String,
}

impl Api {
    pub fn new(app: &TestApp, token: &str) -> Api {
        Api {
            base: app.base.clone(),
            agent: ureq::AgentBuilder::new()
                .redirects(0)
                .timeout(Duration::from_secs(60))
                .build(),
            token: token.into(),
            lang: "zh-CN".into(),
        }
    }

    pub fn post(&self, path: &str, body: serde_json::Value) -> Resp {
        into_resp(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {}", self.token))
                .set("Accept-Language", &self.lang)
                .send_json(body),
        )
    }

    pub fn post_raw(&self, path: &str, body: &str) -> Resp {
        into_resp(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {}", self.token))
                .set("Content-Type", "application/json")
                .send_string(body),
        )
    }
}

/// A visit as the API takes it, with the usual fields filled.
pub fn visit_json(phone: &str, plate: &str, checked_in_at: &str) -> serde_json::Value {
    serde_json::json!({
        "kind": "maintenance",
        "customer_name": "王伟",
        "phone": phone,
        "address": "上海市浦东新区张杨路100号",
        "plate": plate,
        "vehicle_model": "大众朗逸",
        "vehicle_type": "轿车",
        "checked_in_at": checked_in_at,
        "items": ["更换机油机滤", "四轮定位"],
        "maintenance_interval_days": 180,
        "maintenance_interval_km": 5000,
        "odometer_km": 20000,
    })
}

/// Runs the `aftercare` binary with the test database; returns (status, stdout, stderr).
pub fn cli(db: &TestDb, today: &str, args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_aftercare"));
    cmd.arg("--database-url")
        .arg(&db.url)
        .arg("--today")
        .arg(today)
        .args(args);
    cmd.env_remove("AFTERCARE_CONFIG")
        .env_remove("DATABASE_URL")
        .env_remove("AFTERCARE_TODAY");
    cmd.stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("run aftercare");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

impl TestApp {
    /// An app started elsewhere (a child process), reached at `addr`.
    pub fn external(addr: &str) -> TestApp {
        TestApp {
            base: addr.trim_end_matches('/').to_string(),
            handle: None,
        }
    }
}

/// The usual start of a test: a database with one user of `role`, the app, and an API
/// client with that user's token.
pub struct Scene {
    pub env: TestEnv,
    pub app: TestApp,
    pub api: Api,
}

pub fn scene(backend: Backend, today: &str, user: &str, role: &str) -> Scene {
    let env = TestEnv::new(backend, today);
    env.user(user, role);
    let token = env.token(user);
    let app = env.spawn();
    let api = Api::new(&app, &token);
    Scene { env, app, api }
}

impl Api {
    /// Records a visit that must succeed; returns the answer (`visit_id`, `customer_id`, …).
    pub fn visit(&self, phone: &str, plate: &str, checked_in_at: &str) -> serde_json::Value {
        let r = self.post("/api/v1/visits", visit_json(phone, plate, checked_in_at));
        assert!(r.status == 201 || r.status == 200, "visit: {}", r.body);
        r.json()
    }

    /// The id of a visit recorded with `visit`.
    pub fn visit_id(&self, phone: &str, plate: &str, checked_in_at: &str) -> i64 {
        self.visit(phone, plate, checked_in_at)["visit_id"]
            .as_i64()
            .expect("visit_id")
    }
}

impl Api {
    /// A GET whose body is not UTF-8 (a GB18030 export): status, content type, bytes.
    pub fn get_bytes(&self, path: &str) -> (u16, Option<String>, Vec<u8>) {
        into_bytes(
            self.agent
                .get(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {}", self.token))
                .call(),
        )
    }

    pub fn get(&self, path: &str) -> Resp {
        into_resp(
            self.agent
                .get(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {}", self.token))
                .set("Accept-Language", &self.lang)
                .call(),
        )
    }

    /// A GET with extra request headers (`If-None-Match`, `Accept-Language`).
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut r = self
            .agent
            .get(&format!("{}{path}", self.base))
            .set("Authorization", &format!("Bearer {}", self.token))
            .set("Accept-Language", &self.lang);
        for (k, v) in headers {
            r = r.set(k, v);
        }
        into_resp(r.call())
    }

    /// The queue of the token's user (or `clerk`) for `date`: (task id, kind, state, covering_for).
    pub fn queue(
        &self,
        date: &str,
        clerk: Option<&str>,
    ) -> Vec<(i64, String, String, Option<String>)> {
        let path = match clerk {
            Some(c) => format!("/api/v1/queue?date={date}&clerk={c}"),
            None => format!("/api/v1/queue?date={date}"),
        };
        let r = self.get(&path);
        assert_eq!(r.status, 200, "queue: {}", r.body);
        r.json()["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_i64().unwrap(),
                    t["kind"].as_str().unwrap().to_string(),
                    t["state"].as_str().unwrap().to_string(),
                    t["covering_for"].as_str().map(str::to_string),
                )
            })
            .collect()
    }

    /// A visit with its pick-up; returns (visit id, customer id, first follow-up task id).
    pub fn picked_up(
        &self,
        env: &TestEnv,
        phone: &str,
        plate: &str,
        checked_in_at: &str,
        picked_up_at: &str,
    ) -> (i64, i64, i64) {
        let v = self.visit(phone, plate, checked_in_at);
        let vid = v["visit_id"].as_i64().unwrap();
        let r = self.post(
            &format!("/api/v1/visits/{vid}/pickup"),
            serde_json::json!({ "picked_up_at": picked_up_at }),
        );
        assert_eq!(r.status, 200, "pickup: {}", r.body);
        let task = env.with(|c| {
            aftercare::models::task::of_visit(
                c,
                vid as i32,
                aftercare::domain::task::TaskKind::FirstFollowUp,
            )
            .unwrap()
            .unwrap()
            .id
        });
        (vid, v["customer_id"].as_i64().unwrap(), i64::from(task))
    }

    /// Records a call that must succeed.
    pub fn call(&self, body: serde_json::Value) -> serde_json::Value {
        let r = self.post("/api/v1/calls", body);
        assert_eq!(r.status, 201, "call: {}", r.body);
        r.json()
    }
}

/// The number of rows of a table (for "nothing was written" checks).
#[macro_export]
macro_rules! count_rows {
    ($env:expr, $table:ident) => {{
        use diesel::prelude::*;
        $env.with(|c| -> i64 {
            aftercare::db::schema::$table::table
                .count()
                .get_result(c)
                .unwrap()
        })
    }};
}
