//! Tells the test suite, when it is compiled, which of its outside tools this machine lacks, so
//! that a test which could not run is reported as *ignored, with the reason* by `cargo test`
//! instead of passing having done nothing (the summary line then counts them).
//!
//! - `no_postgres`: no PostgreSQL to test against — `AFTERCARE_TEST_PG_URL` is unset and no
//!   server binaries (`initdb`) are installed for the suite to start a throw-away server with.
//! - `no_browser`: `/usr/bin/chromium` or `/usr/bin/chromedriver` is missing.
//!
//! Under `CI=true` neither is ever set: in CI a missing database or browser fails its tests.
//! The probe reruns when those variables change or a program is installed into /usr/bin (which
//! Debian's postgresql and chromium packages both do).

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_postgres)");
    println!("cargo::rustc-check-cfg=cfg(no_browser)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=AFTERCARE_TEST_PG_URL");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    for dir in ["/usr/bin", "/usr/lib/postgresql"] {
        if Path::new(dir).is_dir() {
            println!("cargo::rerun-if-changed={dir}");
        }
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    if ci {
        return;
    }
    if std::env::var_os("AFTERCARE_TEST_PG_URL").is_none() && postgres_bin_dir().is_none() {
        println!("cargo::rustc-cfg=no_postgres");
    }
    if !Path::new("/usr/bin/chromium").exists() || !Path::new("/usr/bin/chromedriver").exists() {
        println!("cargo::rustc-cfg=no_browser");
    }
}

// `postgres_bin_dir()`: the same search the test suite uses to start its server.
include!("tests/api/pg_bin.rs");
