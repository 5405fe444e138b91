//! The PostgreSQL server the suite tests against: the one `AFTERCARE_TEST_PG_URL` names (CI's,
//! started by `.ci/postgres.sh`), or else a throw-away server of its own, started once per test
//! run from the installed server programs — so a plain `cargo test` runs both backends wherever
//! PostgreSQL is installed. Where it is not installed at all, build.rs marks the PostgreSQL tests
//! ignored (with the reason), so they are never counted as passed.

use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use crate::pg_bin::postgres_bin_dir;

/// The admin URL of the server to create test databases on. Panics (failing the test, never
/// skipping it) when no server can be had.
pub fn admin_url() -> String {
    if let Ok(url) = std::env::var("AFTERCARE_TEST_PG_URL") {
        return url;
    }
    static URL: OnceLock<Result<String, String>> = OnceLock::new();
    match URL.get_or_init(start_throwaway) {
        Ok(url) => url.clone(),
        Err(why) => panic!("no PostgreSQL server for the tests: {why}"),
    }
}

/// `initdb` into a temporary folder and start a server on a free port of 127.0.0.1, with a
/// watchdog that stops it and removes the folder once this test process has exited.
fn start_throwaway() -> Result<String, String> {
    let bin = postgres_bin_dir()
        .ok_or("PostgreSQL is not installed and AFTERCARE_TEST_PG_URL is not set")?;
    let dir = tempfile::Builder::new()
        .prefix("aftercare-test-pg.")
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let data = dir.join("data");
    // initdb refuses to run as root; run the server as the `postgres` user then, as
    // .ci/postgres.sh does.
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if as_root {
        run(Command::new("chown").args(["postgres:postgres", &dir.display().to_string()]))?;
    }
    let shell = |script: String| {
        let mut c = if as_root {
            let mut c = Command::new("su");
            c.args(["postgres", "-s", "/bin/sh", "-c", &script]);
            c
        } else {
            let mut c = Command::new("/bin/sh");
            c.args(["-c", &script]);
            c
        };
        c.stdout(Stdio::null()).stderr(Stdio::piped());
        c
    };
    let (bin, data_s, dir_s) = (bin.display(), data.display(), dir.display());
    run(&mut shell(format!(
        "{bin}/initdb -D {data_s} -A trust -U postgres -E UTF8 --locale=C.UTF-8"
    )))?;
    run(&mut shell(format!(
        "{bin}/pg_ctl -D {data_s} -l {dir_s}/log -w -o \"-p {port} -k {dir_s} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off\" start"
    )))?;
    // The watchdog outlives this process (it is not waited for): once the test binary has
    // exited it stops the server and removes its folder.
    let me = std::process::id();
    let _ = Command::new("/bin/sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 {me} 2>/dev/null; do sleep 1; done; \
             {} ; rm -rf {dir_s}",
            shell_line(
                as_root,
                &format!("{bin}/pg_ctl -D {data_s} -m immediate stop")
            )
        ))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    wait_until_accepting(&url)?;
    Ok(url)
}

fn shell_line(as_root: bool, cmd: &str) -> String {
    if as_root {
        format!("su postgres -s /bin/sh -c '{cmd}'")
    } else {
        cmd.to_string()
    }
}

fn run(c: &mut Command) -> Result<(), String> {
    let out = c.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn wait_until_accepting(url: &str) -> Result<(), String> {
    use diesel::Connection;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match diesel::PgConnection::establish(url) {
            Ok(_) => return Ok(()),
            Err(e) if Instant::now() > deadline => return Err(e.to_string()),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}
