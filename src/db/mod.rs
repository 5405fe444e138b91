//! The database: one connection type over SQLite (embedded, the default) and PostgreSQL,
//! chosen by the URL's scheme; an r2d2 pool; embedded migrations; and the two helpers every
//! caller uses — `run` (a query off the async workers) and `write_tx` (a write transaction).

pub mod migrate;
pub mod schema;
pub mod slow_log;
pub mod text;

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConn {
    pub fn is_sqlite(&self) -> bool {
        matches!(self, DbConn::Sqlite(_))
    }
}

/// Which backend a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(String),
    Postgres(String),
}

impl Target {
    /// `sqlite://PATH` (or `sqlite:PATH`, or a bare path ending in `.db`) and
    /// `postgres://…` / `postgresql://…`. Nothing is guessed by trying to connect.
    pub fn parse(url: &str) -> anyhow::Result<Target> {
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                bail!("database URL {url:?} names no file");
            }
            Ok(Target::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Target::Postgres(url.to_string()))
        } else if url.ends_with(".db") || url.ends_with(".sqlite") {
            Ok(Target::Sqlite(url.to_string()))
        } else {
            bail!("database URL {url:?}: expected sqlite://PATH or postgres://…")
        }
    }
}

/// Opens connections of one backend and prepares each SQLite connection.
#[derive(Debug)]
pub struct Manager {
    target: Target,
}

/// SQLite settings that must hold on every connection: wait instead of failing when another
/// writer holds the lock, WAL so readers never block the writer, foreign keys enforced.
/// `cache_size`: 8 MiB of pages per connection (the default is 2 MiB), so a clerk's queue
/// and the pages around it stay in memory between requests; with the pool's 8 connections
/// that stays well inside the server's memory budget (BENCHMARKS.md).
/// `journal_size_limit`: after a checkpoint resets the WAL, the file is cut back to 64 MiB
/// (without it the WAL keeps its largest size for ever; see `spawn_checkpointer`).
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; \
     PRAGMA cache_size = -8192; PRAGMA journal_size_limit = 67108864;";

/// The WAL size above which the checkpointer forces a checkpoint that waits for readers.
const WAL_FORCE_BYTES: u64 = 16 << 20;

/// The SQLite file of a URL (None for PostgreSQL).
pub fn sqlite_path(url: &str) -> Option<String> {
    match Target::parse(url).ok()? {
        Target::Sqlite(p) => Some(p),
        Target::Postgres(_) => None,
    }
}

/// The size of the SQLite WAL file now (0 when there is none).
pub fn wal_bytes(path: &str) -> u64 {
    std::fs::metadata(format!("{path}-wal")).map_or(0, |m| m.len())
}

/// One checkpoint on its own connection. `PASSIVE` never waits; `TRUNCATE` waits (at most
/// `wait_ms`) for readers to move past the WAL's end, copies it all back and cuts the file to
/// nothing. The pool's connections hold no read transaction between requests, so a forced
/// checkpoint finishes as soon as the requests under way do.
pub fn checkpoint(path: &str, truncate: bool, wait_ms: u32) -> QueryResult<()> {
    let mut c = SqliteConnection::establish(path)
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.into()))?;
    c.batch_execute(&format!(
        "PRAGMA busy_timeout = {wait_ms}; PRAGMA journal_size_limit = 67108864; \
         PRAGMA wal_checkpoint({});",
        if truncate { "TRUNCATE" } else { "PASSIVE" }
    ))
}

/// How often the checkpointer looks at the WAL's size (a `stat`, nothing more).
const WAL_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// SQLite: keeps the WAL bounded while the server runs. SQLite's own checkpoints (every
/// 1000 pages) are passive: under steady readers they never reach the WAL's end, so it is never
/// reset and grows — about 25 MB/s under eight writers (BENCHMARKS.md). This thread looks at
/// the WAL's size ten times a second; past 16 MiB it forces a `TRUNCATE` checkpoint (new
/// writers wait, readers are waited for up to 1 s: no request holds a read transaction for
/// longer, and none between requests), so the file stays near 16 MiB plus what a tenth of a
/// second and one checkpoint add. Every 5 s it also checkpoints passively.
pub fn spawn_checkpointer(url: &str) {
    let Some(path) = sqlite_path(url) else { return };
    std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            let mut last = std::time::Instant::now();
            loop {
                std::thread::sleep(WAL_POLL);
                let force = wal_bytes(&path) > WAL_FORCE_BYTES;
                if !force && last.elapsed() < std::time::Duration::from_secs(5) {
                    continue;
                }
                last = std::time::Instant::now();
                if let Err(e) = checkpoint(&path, force, 1000) {
                    tracing::warn!("WAL checkpoint: {e}");
                }
            }
        })
        .expect("checkpoint thread");
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match &self.target {
            Target::Sqlite(path) => {
                let mut c =
                    SqliteConnection::establish(path).map_err(r2d2::Error::ConnectionError)?;
                c.batch_execute(SQLITE_PRAGMAS)
                    .map_err(r2d2::Error::QueryError)?;
                slow_log::attach(&mut c);
                Ok(DbConn::Sqlite(c))
            }
            Target::Postgres(url) => {
                let mut c = PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                c.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(r2d2::Error::QueryError)?;
                slow_log::attach(&mut c);
                Ok(DbConn::Postgresql(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// A pool for `url`. SQLite gets fewer connections: it has one writer at a time anyway.
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    let target = Target::parse(url)?;
    let size = match target {
        Target::Sqlite(_) => 8,
        Target::Postgres(_) => 16,
    };
    // A SQLite connection is a file handle and does not break: no `SELECT 1` before every
    // use (issue 11: it was a query of its own on every request). PostgreSQL's are tested.
    let test = !matches!(target, Target::Sqlite(_));
    r2d2::Pool::builder()
        .max_size(size)
        .test_on_check_out(test)
        .connection_timeout(std::time::Duration::from_secs(15))
        .build(Manager { target })
        .with_context(|| format!("cannot open the database {}", redact(url)))
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A write transaction. On SQLite it takes the write lock at its first statement (a write
/// that touches no row), so a transaction that reads and then writes can never fail with
/// One round trip to the database (`/healthz`): the server answers only while it can reach it.
pub fn ping(conn: &mut DbConn) -> diesel::QueryResult<()> {
    diesel::RunQueryDsl::execute(diesel::sql_query("SELECT 1"), conn).map(|_| ())
}

/// `SQLITE_BUSY` on the upgrade: it waits for the lock (busy_timeout) before reading.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|c| {
        if c.is_sqlite() {
            diesel::sql_query("UPDATE app_meta SET value = value WHERE 1 = 0").execute(c)?;
        }
        f(c)
    })
}

/// Reads that must see one state of the database (issue 11: a queue answer and the queue
/// versions it is kept under). SQLite: a deferred transaction, whose first read fixes the
/// snapshot; PostgreSQL: `REPEATABLE READ` (READ COMMITTED would let each statement see
/// later commits).
pub fn snapshot<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|c| {
        if !c.is_sqlite() {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(c)?;
        }
        f(c)
    })
}
