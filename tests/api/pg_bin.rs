// Where PostgreSQL's server programs are: Debian's versioned folders, newest first, then `PATH`.
// Shared (by `include!`) with build.rs, which decides from it whether the PostgreSQL tests can
// run on this machine at all.

/// The folder holding `initdb` and `pg_ctl`, if PostgreSQL's server is installed.
pub fn postgres_bin_dir() -> Option<std::path::PathBuf> {
    let mut debian: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    // Folders are named by major version (`15`, `16`): the highest number is the newest.
    debian.sort_by_key(|bin| {
        bin.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
    });
    if let Some(newest) = debian.pop() {
        return Some(newest);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .find(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
}
