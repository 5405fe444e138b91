//! `aftercare demo generate`: a reproducible history of a dealer group for scale tests and
//! benchmarks. Customers come for service and consultations, clerks archive (mostly on time,
//! some late, a few never), follow up with failed attempts, call-backs, late and missed calls,
//! items are raised, escalated, solved and told, events send notices and letters, clerks are
//! away and covered, maintenance reminders bring customers back.
//!
//! The history is simulated in Rust from a seeded ChaCha RNG (same seed and same `--today`,
//! same data) and written in bulk — multi-row INSERTs in large transactions — rather than
//! through the per-row services, which would take hours at 200,000 customers. It writes the
//! same rows those services write (`visits::record_valid`, `archive::complete`,
//! `calls::record`, `items::escalate`/`solve`/`told`, `events::create`, `letters::send_task`,
//! `calls::close_unreachable`), numbers each register without gaps per store and year in the
//! order of its lines' dates (R11), computes the hash chains as `chain::append` does, and only
//! INSERTs into register tables. Windows come from the configured cadence.

mod calls;
mod events;
mod items;
mod months;
mod people;
mod registers;
mod rows;
pub mod sql;
mod tasks;
mod visits;
mod words;

use people::{Cust, Store};
use rows::Reg;

use crate::db::DbConn;
use crate::domain::cadence::Cadence;
use crate::domain::register::Register;
use crate::registers::chain;
use crate::services::Ctx;
use anyhow::{bail, Context};
use chrono::{Months, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sql::Sink;
use std::collections::{BTreeMap, HashMap};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub customers: u32,
    pub months: u32,
    pub stores: u32,
    pub seed: u64,
    /// Customers per clerk (the number of clerks of a store follows from it).
    pub customers_per_clerk: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            customers: 1000,
            months: 12,
            stores: 1,
            seed: 1,
            customers_per_clerk: 2500,
        }
    }
}

/// The password of every generated user (printed by the command).
pub const PASSWORD: &str = "scale-demo-2026";

/// Rows written, per table, and the time taken (in all and by phase).
#[derive(Debug, Clone)]
pub struct Summary {
    pub rows: Vec<(&'static str, u64)>,
    pub seconds: f64,
    pub phases: Phases,
    pub logins: Vec<(String, String)>,
}

impl Summary {
    pub fn count(&self, t: &str) -> u64 {
        self.rows
            .iter()
            .find(|(n, _)| *n == t)
            .map(|r| r.1)
            .unwrap_or(0)
    }
}

struct Ids {
    advisor: i32,
    user: i32,
    customer: i32,
    vehicle: i32,
    visit: i32,
    task: i32,
    item: i32,
    planned: i32,
    event: i32,
    absence: i32,
    invitee: i32,
    archive: i32,
    call_record: i32,
    call_register: i32,
    letter: i32,
}

struct Gen<'a> {
    ctx: &'a Ctx,
    cad: Cadence,
    rng: ChaCha8Rng,
    today: NaiveDate,
    start: NaiveDate,
    sink: Sink,
    ids: Ids,
    stores: Vec<Store>,
    custs: Vec<Cust>,
    names: HashMap<i32, String>,
    absences: HashMap<i32, Vec<(NaiveDate, NaiveDate, i32)>>,
    buckets: BTreeMap<u32, Vec<Reg>>,
    counters: HashMap<(i32, Register, i32), i32>,
    heads: HashMap<(i32, Register, i32), String>,
    salt: String,
}

fn max_id(conn: &mut DbConn, t: &str) -> QueryResult<i32> {
    #[derive(QueryableByName)]
    struct M {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        m: i32,
    }
    let r: M =
        diesel::sql_query(format!("SELECT COALESCE(MAX(id), 0) AS m FROM {t}")).get_result(conn)?;
    Ok(r.m)
}

/// The triggers that keep derived rows — the queue versions (issue 11) and the summary
/// counters (issue 14) — would fire once per row of millions: they are off for the load, and
/// what they keep is rebuilt once after it (`summary::rebuild`, the versions bumped).
const DERIVED_TRIGGERS: &str = "(name LIKE 'queue_v_%' OR name LIKE 'summary_%')";

/// A schema object dropped for the load and created again after it (SQLite).
struct Ddl {
    name: String,
    sql: String,
}

impl From<(String, String)> for Ddl {
    fn from((name, sql): (String, String)) -> Ddl {
        Ddl { name, sql }
    }
}

/// Generates the history into the database at `url` (which must hold no customers yet).
/// SQLite is written through a connection of its own (no other connection may be open: the
/// caller closes its pool first), its secondary indexes and derived-row triggers dropped
/// during the load and built again at the end; PostgreSQL with those triggers disabled. One
/// transaction per month, written by a thread of its own while the next month is simulated.
pub fn generate(url: &str, ctx: &Ctx, opts: &Options) -> anyhow::Result<Summary> {
    let started = std::time::Instant::now();
    if opts.customers == 0 || opts.months == 0 || opts.stores == 0 {
        bail!(crate::i18n::I18N.t(&ctx.config.settings.language, "generate-at-least-one"));
    }
    let pool = crate::db::pool(url)?;
    let mut conn = pool.get().context("connecting")?;
    let customers: i64 = crate::db::schema::customers::table
        .count()
        .get_result(&mut *conn)?;
    if customers > 0 {
        bail!(crate::i18n::I18N.t(&ctx.config.settings.language, "generate-not-empty"));
    }
    let mut g = Gen::new(&mut conn, ctx, opts)?;
    let logins = g.setup(&mut conn, opts)?;
    g.absences_plan();
    let mut phases = Phases::default();
    match crate::db::Target::parse(url)? {
        crate::db::Target::Sqlite(path) => {
            drop(conn);
            drop(pool);
            let side = g.load_sqlite(&path, opts, &mut phases)?;
            let pool = crate::db::pool(url)?;
            let mut conn = pool.get().context("connecting")?;
            phases.counters = phases.counted + put_counters(&mut conn, &side)?;
        }
        crate::db::Target::Postgres(_) => {
            g.load_pg(&mut conn, opts, &mut phases)?;
            phases.counters = rebuild_counters(&mut conn)?;
        }
    }
    let rows = sql::TABLES
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (*t, g.sink.written[i]))
        .collect();
    Ok(Summary {
        rows,
        seconds: started.elapsed().as_secs_f64(),
        phases,
        logins,
    })
}

/// SQLite's sorter on two threads with 1 GiB of pages, for building the indexes (the
/// counters are counted beside them on a connection of their own).
const SQLITE_BULK_SORTS: [&str; 2] = ["PRAGMA threads = 2", "PRAGMA cache_size = -1048576"];

/// SQLite: the file the counters are counted into beside the database while its indexes are
/// built (`count_aside`), attached as this schema.
const SIDE: &str = "side";

/// The statement that attaches the side file at `path` as `SIDE`.
fn attach_side(path: &str) -> String {
    format!("ATTACH '{}' AS {SIDE}", path.replace('\'', "''"))
}

/// SQLite, after the load: the visits' neighbour dates (X7) and the counters counted aside put
/// in place, in one transaction, and the side file removed; the seconds it took.
fn put_counters(conn: &mut DbConn, side: &str) -> anyhow::Result<f64> {
    let t = std::time::Instant::now();
    diesel::sql_query(attach_side(side)).execute(conn)?;
    let put = conn.transaction(|c| -> QueryResult<()> {
        crate::models::visit::rebuild_neighbours(c)?;
        for sql in crate::models::summary::put_back(SIDE) {
            diesel::sql_query(sql).execute(c)?;
        }
        Ok(())
    });
    diesel::sql_query(format!("DETACH {SIDE}")).execute(conn)?;
    put?;
    std::fs::remove_file(side).with_context(|| side.to_string())?;
    Ok(t.elapsed().as_secs_f64())
}

/// PostgreSQL: the summary counters from the rows, in one transaction (SQLite counts them
/// beside its index builds, `count_aside`); the seconds it took.
fn rebuild_counters(conn: &mut DbConn) -> anyhow::Result<f64> {
    let t = std::time::Instant::now();
    conn.transaction(|c| crate::models::summary::rebuild(c, None))?;
    Ok(t.elapsed().as_secs_f64())
}

impl<'a> Gen<'a> {
    fn new(conn: &mut DbConn, ctx: &'a Ctx, opts: &Options) -> anyhow::Result<Gen<'a>> {
        let today = ctx.clock.today();
        let start = today
            .checked_sub_months(Months::new(opts.months))
            .with_context(|| {
                crate::i18n::I18N.t(&ctx.config.settings.language, "generate-months-too-far")
            })?;
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        let salt_seed: u64 = rng.gen();
        let salt = chain::salt_or(conn, || format!("{salt_seed:016x}{:016x}", opts.seed))?;
        let c = &mut *conn;
        let ids = Ids {
            advisor: max_id(c, "advisors")?,
            user: max_id(c, "users")?,
            customer: 0,
            vehicle: max_id(c, "vehicles")?,
            visit: max_id(c, "visits")?,
            task: max_id(c, "tasks")?,
            item: max_id(c, "items")?,
            planned: max_id(c, "planned_contacts")?,
            event: max_id(c, "events")?,
            absence: max_id(c, "absences")?,
            invitee: max_id(c, "event_invitees")?,
            archive: max_id(c, "archives")?,
            call_record: max_id(c, "call_records")?,
            call_register: max_id(c, "call_register")?,
            letter: max_id(c, "letter_register")?,
        };
        let mut g = Gen {
            ctx,
            cad: ctx.cadence().clone(),
            rng,
            today,
            start,
            sink: Sink::default(),
            ids,
            stores: Vec::new(),
            custs: Vec::new(),
            names: HashMap::new(),
            absences: HashMap::new(),
            buckets: BTreeMap::new(),
            counters: HashMap::new(),
            heads: HashMap::new(),
            salt,
        };
        // Existing register lines (none in a fresh database) continue their numbers and chains.
        g.load_registers(c)?;
        Ok(g)
    }

    /// Existing register lines (none in a fresh database): their counters and chain heads,
    /// which the generated lines continue.
    fn load_registers(&mut self, conn: &mut DbConn) -> anyhow::Result<()> {
        use crate::db::schema::{register_chain as rc, register_counters as cnt};
        let counters: Vec<(i32, String, i32, i32)> = cnt::table
            .select((cnt::store_id, cnt::register, cnt::year, cnt::last_no))
            .load(conn)?;
        for (s, r, y, n) in counters {
            if let Some(reg) = Register::ALL.iter().find(|x| x.key() == r) {
                self.counters.insert((s, *reg, y), n);
            }
        }
        let heads: Vec<(i32, String, i32, String)> = rc::table
            .order(rc::id)
            .select((rc::store_id, rc::register, rc::year, rc::hash))
            .load(conn)?;
        for (s, r, y, h) in heads {
            if let Some(reg) = Register::ALL.iter().find(|x| x.key() == r) {
                self.heads.insert((s, *reg, y), h);
            }
        }
        Ok(())
    }

    /// SQLite: secondary indexes and derived-row triggers dropped, the history written with
    /// no rollback journal, then indexes and triggers back (whatever happened) and statistics.
    /// While the indexes are built, a second connection counts the summary counters from the
    /// rows into a side file (the returned path; the load is in WAL mode by then, so it reads
    /// beside the writer): the two longest steps after the load run on both cores.
    fn load_sqlite(
        &mut self,
        path: &str,
        opts: &Options,
        phases: &mut Phases,
    ) -> anyhow::Result<String> {
        let raw = sql::raw::Raw::open(path)?;
        let indexes: Vec<Ddl> = raw
            .ddl("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")?;
        let triggers: Vec<Ddl> = raw.ddl(&format!(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND {DERIVED_TRIGGERS}"
        ))?;
        // A fresh file needs no rollback journal for new pages; WAL again at the end.
        raw.exec(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; \
             PRAGMA cache_size = -262144; PRAGMA foreign_keys = ON; \
             PRAGMA temp_store = MEMORY",
        )?;
        let mut w = sql::Writer::Sqlite(raw);
        w.exec("BEGIN")?;
        for ix in &indexes {
            w.exec(&format!("DROP INDEX {}", ix.name))?;
        }
        for t in &triggers {
            w.exec(&format!("DROP TRIGGER {}", t.name))?;
        }
        w.exec("COMMIT")?;
        let result = self.run(&mut w, opts, phases);
        let t = std::time::Instant::now();
        w.exec("PRAGMA journal_mode = WAL")?;
        let side = format!("{path}.counters");
        let counting = result.is_ok().then(|| count_aside(path, &side));
        for pragma in SQLITE_BULK_SORTS {
            w.exec(pragma)?;
        }
        w.exec("BEGIN")?;
        for x in indexes.iter().chain(&triggers) {
            w.exec(&format!("{};", x.sql))?;
        }
        for bump in QUEUE_VERSIONS_BUMPED {
            w.exec(bump)?;
        }
        w.exec("COMMIT")?;
        w.exec("ANALYZE")?;
        phases.indexes = t.elapsed().as_secs_f64();
        if let Some(counting) = counting {
            phases.counted = counting
                .join()
                .map_err(|_| anyhow::anyhow!("counting the summary counters panicked"))??;
        }
        result.map(|()| side)
    }

    /// PostgreSQL: derived-row triggers disabled for the load (enabled whatever happened).
    fn load_pg(
        &mut self,
        conn: &mut DbConn,
        opts: &Options,
        phases: &mut Phases,
    ) -> anyhow::Result<()> {
        #[derive(QueryableByName)]
        struct Trigger {
            #[diesel(sql_type = diesel::sql_types::Text)]
            tbl: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        let triggers: Vec<Trigger> = diesel::sql_query(format!(
            "SELECT tgrelid::regclass::text AS tbl, tgname::text AS name FROM pg_trigger \
             WHERE NOT tgisinternal AND {}",
            DERIVED_TRIGGERS.replace("name", "tgname")
        ))
        .load(conn)?;
        let mut w = sql::Writer::Pg(conn);
        for t in &triggers {
            w.exec(&format!("ALTER TABLE {} DISABLE TRIGGER {}", t.tbl, t.name))?;
        }
        let result = self.run(&mut w, opts, phases);
        let t = std::time::Instant::now();
        for t in &triggers {
            w.exec(&format!("ALTER TABLE {} ENABLE TRIGGER {}", t.tbl, t.name))?;
        }
        for bump in QUEUE_VERSIONS_BUMPED {
            w.exec(bump)?;
        }
        w.exec("ANALYZE")?;
        phases.indexes = t.elapsed().as_secs_f64();
        result
    }
}

/// SQLite: counts the summary counters of the loaded file at `path` into a new file `side`
/// on a thread and connection of its own (reading only); the seconds it took.
fn count_aside(path: &str, side: &str) -> std::thread::JoinHandle<anyhow::Result<f64>> {
    let (path, side) = (path.to_string(), side.to_string());
    std::thread::spawn(move || {
        let t = std::time::Instant::now();
        // An empty file is an empty database: the connection may open, not create, files.
        std::fs::File::create(&side).with_context(|| side.clone())?;
        let r = sql::raw::Raw::open(&path)?;
        r.exec(
            "PRAGMA busy_timeout = 60000; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY",
        )?;
        r.exec(&attach_side(&side))?;
        for sql in crate::models::summary::count_aside(SIDE) {
            r.exec(&sql)?;
        }
        Ok(t.elapsed().as_secs_f64())
    })
}

/// Every open queue is stale after the load (issue 11's versions).
const QUEUE_VERSIONS_BUMPED: [&str; 2] = [
    "INSERT INTO queue_versions (user_id, version) SELECT id, 0 FROM users \
     WHERE id NOT IN (SELECT user_id FROM queue_versions)",
    "UPDATE queue_versions SET version = version + 1",
];

/// Where the time went, in seconds: simulating the history (on one thread), writing it (on
/// the other, at the same time), the slowest tables of that, indexes and triggers built
/// again, and the summary counters rebuilt.
#[derive(Debug, Clone, Default)]
pub struct Phases {
    pub simulate: f64,
    pub write: f64,
    pub tables: Vec<(&'static str, f64)>,
    pub indexes: f64,
    pub counters: f64,
    /// Of `counters`, the part counted while the indexes were built (SQLite).
    pub counted: f64,
}

impl Gen<'_> {
    fn utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        crate::models::trunc(self.ctx.clock.to_utc(local))
    }

    fn at(&mut self, day: NaiveDate, from_h: u32, to_h: u32) -> NaiveDateTime {
        let h = self.rng.gen_range(from_h..to_h);
        let m = self.rng.gen_range(0..60);
        let s = self.rng.gen_range(0..60);
        day.and_time(NaiveTime::from_hms_opt(h, m, s).expect("valid time"))
    }

    fn chance(&mut self, p: f64) -> bool {
        self.rng.gen_bool(p)
    }

    fn pick<T: Copy>(&mut self, list: &[T]) -> T {
        *list.choose(&mut self.rng).expect("non-empty")
    }
}
