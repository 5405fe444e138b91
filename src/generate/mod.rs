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

pub mod sql;

use crate::db::DbConn;
use crate::domain::cadence::{Cadence, Window};
use crate::domain::call::{Category, Direction, Outcome};
use crate::domain::letter::LetterKind;
use crate::domain::maintenance::{next_maintenance_date, Reading};
use crate::gen_row;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use crate::registers::chain;
use crate::registers::numbering::{self, Register};
use crate::services::Ctx;
use anyhow::{bail, Context};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sql::{table, Sink, V};
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

const SURNAMES: [&str; 24] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋",
];
const GIVEN: [&str; 30] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "俊杰", "晓东", "海燕", "志强", "文", "欣",
    "婷",
];
const DISTRICTS: [&str; 8] = [
    "闵行区",
    "长宁区",
    "嘉定区",
    "浦东新区",
    "徐汇区",
    "普陀区",
    "宝山区",
    "松江区",
];
const ROADS: [&str; 10] = [
    "七莘路",
    "遵义路",
    "清河路",
    "哈密路",
    "张杨路",
    "漕溪北路",
    "真北路",
    "共和新路",
    "人民北路",
    "沪太路",
];
const VEHICLES: [(&str, &str); 10] = [
    ("丰田卡罗拉", "轿车"),
    ("日产轩逸", "轿车"),
    ("大众朗逸", "轿车"),
    ("本田CR-V", "SUV"),
    ("大众途观", "SUV"),
    ("别克GL8", "MPV"),
    ("比亚迪秦", "轿车"),
    ("哈弗H6", "SUV"),
    ("五菱宏光", "面包车"),
    ("江铃全顺", "货车"),
];
const MAINTENANCE_ITEMS: [&str; 6] = [
    "更换机油机滤",
    "轮胎换位",
    "更换空气滤芯",
    "变速箱油更换",
    "刹车油更换",
    "空调滤芯更换",
];
const REPAIR_ITEMS: [&str; 6] = [
    "发动机故障检修",
    "更换轮胎",
    "更换刹车片",
    "钣金喷漆",
    "更换蓄电池",
    "空调系统维修",
];
const DESIRED: [&str; 4] = [
    "希望保养前短信提醒",
    "希望提供代步车",
    "希望周末可以预约",
    "希望上门取送车",
];
const KEY_POINTS: [&str; 6] = [
    "客户反映车辆使用正常，对维修质量满意",
    "客户表示保养后油耗有所下降，服务态度好",
    "客户询问下次保养时间，已告知",
    "客户对等候时间较长有意见，已致歉并记录",
    "介绍了本月空调清洗优惠，客户有兴趣",
    "提醒客户冬季注意胎压与防冻液",
];
const SECOND_KEY_POINTS: [&str; 4] = [
    "第二次回访：车辆一切正常，客户无新的需求",
    "第二次回访：客户询问轮胎保养，已提供建议",
    "第二次回访：介绍了会员积分与免费检测",
    "第二次回访：客户满意，推荐了朋友来店",
];
const REMINDER_KEY_POINTS: [&str; 3] = [
    "提醒客户按期保养，客户同意预约进厂",
    "提醒客户保养到期，客户表示下周来店",
    "提醒客户保养到期，客户近期出差，稍后再约",
];
const INQUIRIES: [&str; 4] = [
    "客户来电咨询保养价格",
    "客户来电询问营业时间与预约方式",
    "客户来电咨询保险理赔流程",
    "客户来电询问配件是否有货",
];
const COMPLAINTS: [&str; 4] = [
    "上次保养后发动机有异响",
    "维修后空调仍不制冷",
    "等候时间过长，前台态度冷淡",
    "结算金额与报价不符",
];
const WISHES: [(&str, &str, &str); 4] = [
    ("wish", "希望保养前短信提醒", "已登记，保养前三天短信提醒"),
    ("request", "希望下次保养安排周六上午", "已预约周六上午九点"),
    (
        "wish",
        "希望增加儿童安全座椅检查",
        "已记录，下次保养一并检查",
    ),
    ("request", "询问能否开具电子发票", "可以，已告知开票方式"),
];
const SOLUTIONS: [&str; 3] = [
    "安排免费复查，更换发动机支架",
    "免费检修空调系统并补充冷媒",
    "退还差价并致歉，赠送一次免费洗车",
];

/// A customer as the simulation follows them.
struct Cust {
    id: i32,
    store: usize,
    clerk: i32,
    name: String,
    phone: String,
    address: String,
    vehicle_id: Option<i32>,
    plate: String,
    model: &'static str,
    vtype: &'static str,
    daily_km: i32,
    base_km: i32,
    first_visit: NaiveDate,
    next_visit: NaiveDate,
    last_visit: Option<NaiveDate>,
    last_reading: Option<Reading>,
    history: Vec<String>,
    /// X4: days with an outbound follow-up or reminder call (recent ones only).
    busy: Vec<NaiveDate>,
    visits: u32,
    flagged_on: Option<NaiveDate>,
    /// X7: the latest visit's id and A10, and when the last win-back task began.
    last_visit_id: i32,
    last_a10: Option<NaiveDate>,
    last_win_back: Option<NaiveDate>,
}

struct Store {
    id: i32,
    supervisor: i32,
    clerks: Vec<i32>,
    turn: usize,
    /// X8: the store's service advisors (id, name).
    advisors: Vec<(i32, String)>,
}

#[derive(Clone)]
struct TaskRow {
    id: i32,
    store_id: i32,
    kind: &'static str,
    customer_id: i32,
    visit_id: Option<i32>,
    clerk_id: i32,
    window: Window,
    status: &'static str,
    close_reason: Option<&'static str>,
    done_at: Option<NaiveDateTime>,
    done_on: Option<NaiveDate>,
    done_by: Option<i32>,
    attempts: i32,
    callback_at: Option<NaiveDateTime>,
    callback_on: Option<NaiveDate>,
    planned_contact_id: Option<i32>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    last_attempt_at: Option<NaiveDateTime>,
    last_outcome: Option<&'static str>,
    item_id: Option<i32>,
    event_id: Option<i32>,
    note: Option<String>,
}

struct ItemEventRow {
    kind: &'static str,
    text: String,
    at: NaiveDateTime,
    on: NaiveDate,
    by: i32,
}

struct ItemRow {
    id: i32,
    clerk_id: i32,
    kind: &'static str,
    text: String,
    answered: bool,
    answer: Option<String>,
    status: &'static str,
    escalated: Option<(NaiveDateTime, NaiveDate)>,
    solution: Option<String>,
    solved: Option<(NaiveDateTime, NaiveDate)>,
    told_on: Option<NaiveDate>,
    satisfied: Option<bool>,
    closed_on: Option<NaiveDate>,
    events: Vec<ItemEventRow>,
}

/// X6: a generated answer: the score (None: declined), the aspects, the visit's advisor.
type Answer = (Option<i32>, Vec<(&'static str, i32)>, Option<i32>);

struct CallRow {
    customer: usize,
    task_id: Option<i32>,
    direction: &'static str,
    category: &'static str,
    outcome: &'static str,
    at: NaiveDateTime,
    callback_at: Option<NaiveDateTime>,
    topics: String,
    key_points: String,
    satisfied: Option<bool>,
    event_answer: Option<&'static str>,
    handler: i32,
    covering: Option<i32>,
    items: Vec<ItemRow>,
    /// X6: the answer (score, or None for declined), the aspects, the visit's advisor.
    satisfaction: Option<Answer>,
    /// X7: the reason a lost customer gave, with the win-back task.
    win_back: Option<(&'static str, &'static str)>,
}

struct ArchiveRow {
    customer: usize,
    visit_id: i32,
    task_id: i32,
    visit_date: NaiveDate,
    has_vehicle: bool,
    items: String,
    days: Option<i32>,
    km: Option<i32>,
    a10: Option<NaiveDate>,
    desired: Option<String>,
    history: String,
    due: NaiveDate,
    at: NaiveDateTime,
    by: i32,
    plan: Vec<(i32, &'static str, NaiveDate, &'static str, i32)>,
}

struct LetterRow {
    customer: usize,
    kind: LetterKind,
    subject: String,
    body: String,
    related_to: String,
    task_id: i32,
    event_id: Option<i32>,
    at: NaiveDateTime,
    handler: i32,
}

/// A register line waiting for its month: numbered and chained in date order when written.
enum Reg {
    Archive(ArchiveRow),
    Call(CallRow),
    Letter(LetterRow),
}

impl Reg {
    fn at(&self) -> NaiveDateTime {
        match self {
            Reg::Archive(a) => a.at,
            Reg::Call(c) => c.at,
            Reg::Letter(l) => l.at,
        }
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
            g.load_sqlite(&path, opts, &mut phases)?;
            let pool = crate::db::pool(url)?;
            let mut conn = pool.get().context("connecting")?;
            phases.counters = rebuild_counters(&mut conn)?;
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

/// SQLite's sorter on two threads with 1 GiB of pages: for building indexes and counters
/// when nothing else runs.
const SQLITE_BULK_SORTS: [&str; 2] = ["PRAGMA threads = 2", "PRAGMA cache_size = -1048576"];

/// The summary counters from the rows, in one transaction; the seconds it took.
fn rebuild_counters(conn: &mut DbConn) -> anyhow::Result<f64> {
    let t = std::time::Instant::now();
    if conn.is_sqlite() {
        for pragma in SQLITE_BULK_SORTS {
            diesel::sql_query(pragma).execute(conn)?;
        }
    }
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

    /// SQLite: secondary indexes and derived-row triggers dropped, the history written with
    /// no rollback journal, then indexes and triggers back (whatever happened) and statistics.
    fn load_sqlite(
        &mut self,
        path: &str,
        opts: &Options,
        phases: &mut Phases,
    ) -> anyhow::Result<()> {
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
        // Nothing else runs now: the index sorts may use both cores and 1 GiB of pages.
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
        w.exec("ANALYZE; PRAGMA journal_mode = WAL")?;
        phases.indexes = t.elapsed().as_secs_f64();
        result
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

    /// Stores, users (one supervisor per store, a clerk per `customers_per_clerk`
    /// customers, at least two), an auditor and an administrator.
    fn setup(
        &mut self,
        conn: &mut DbConn,
        opts: &Options,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let now = self.utc(self.start.and_hms_opt(8, 0, 0).expect("time"));
        let hash = crate::services::accounts::hash_password(PASSWORD)?;
        let mut existing = crate::models::store::all(conn)?;
        while existing.len() < opts.stores as usize {
            let n = existing.len() + 1;
            crate::models::store::insert(conn, &format!("s{n:02}"), &format!("分店{n:02}"), now)?;
            existing = crate::models::store::all(conn)?;
        }
        existing.truncate(opts.stores as usize);
        let per_store = opts.customers.div_ceil(opts.stores);
        let clerks_per_store = per_store.div_ceil(opts.customers_per_clerk.max(1)).max(2);
        let mut logins = Vec::new();
        let mut user = |g: &mut Gen, store: Option<i32>, username: String, role: &str| -> i32 {
            g.ids.user += 1;
            let id = g.ids.user;
            let display = format!(
                "{}{}",
                SURNAMES[id as usize % SURNAMES.len()],
                GIVEN[(id as usize * 7) % GIVEN.len()]
            );
            g.sink.push(
                table("users"),
                gen_row![
                    id,
                    store,
                    &username,
                    &display,
                    role,
                    &hash,
                    V::Null,
                    true,
                    false,
                    now,
                    now
                ],
            );
            g.names.insert(id, display);
            if logins.len() < 8 || role != "clerk" {
                logins.push((username, role.to_string()));
            }
            id
        };
        for s in &existing {
            let code = s.code.to_lowercase();
            let supervisor = user(self, Some(s.id), format!("{code}-zhuguan"), "supervisor");
            let clerks = (1..=clerks_per_store)
                .map(|k| user(self, Some(s.id), format!("{code}-clerk{k:03}"), "clerk"))
                .collect();
            // X8: four service advisors a store.
            let mut advisors = Vec::new();
            for k in 0..4 {
                self.ids.advisor += 1;
                let name = format!(
                    "{}{}",
                    SURNAMES[(s.id as usize + k * 3) % SURNAMES.len()],
                    GIVEN[(s.id as usize * 5 + k * 11) % GIVEN.len()]
                );
                self.sink.push(
                    table("advisors"),
                    gen_row![
                        self.ids.advisor,
                        s.id,
                        &name,
                        crate::domain::satisfaction::normalise_name(&name),
                        false,
                        now
                    ],
                );
                advisors.push((self.ids.advisor, name));
            }
            self.stores.push(Store {
                id: s.id,
                supervisor,
                clerks,
                turn: 0,
                advisors,
            });
        }
        user(self, None, "scale-auditor".into(), "auditor");
        user(self, None, "scale-admin".into(), "admin");

        // Customers: most already come in the first months, the rest arrive over the period.
        let days = (self.today - self.start).num_days().max(1);
        for i in 0..opts.customers as usize {
            let store = i % self.stores.len();
            let st = &mut self.stores[store];
            let clerk = st.clerks[st.turn % st.clerks.len()];
            st.turn += 1;
            let offset = if self.rng.gen_bool(0.55) {
                self.rng.gen_range(0..days.min(180))
            } else {
                self.rng.gen_range(0..days)
            };
            let first = self.start + Duration::days(offset);
            let name = format!("{}{}", self.pick(&SURNAMES), self.pick(&GIVEN));
            let phone = format!("13{:09}", 100_000_000 + (i as u64 * 7919) % 900_000_000);
            let address = format!(
                "上海市{}{}{}弄{}号{}室",
                self.pick(&DISTRICTS),
                self.pick(&ROADS),
                self.rng.gen_range(1..1500),
                self.rng.gen_range(1..40),
                self.rng.gen_range(101..2205)
            );
            const CITIES: [char; 12] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M'];
            const PROVINCES: [char; 3] = ['沪', '苏', '浙'];
            let plate = format!(
                "{}{}{:05}",
                PROVINCES[(i / 1_200_000) % 3],
                CITIES[(i / 100_000) % 12],
                i % 100_000
            );
            let (model, vtype) = self.pick(&VEHICLES);
            let daily_km = self.rng.gen_range(15..90);
            let base_km = self.rng.gen_range(1_000..120_000);
            self.custs.push(Cust {
                id: 0,
                store,
                clerk,
                name,
                phone,
                address,
                vehicle_id: None,
                plate,
                model,
                vtype,
                daily_km,
                base_km,
                first_visit: first,
                next_visit: first,
                last_visit: None,
                last_reading: None,
                history: Vec::new(),
                busy: Vec::new(),
                visits: 0,
                flagged_on: None,
                last_visit_id: 0,
                last_a10: None,
                last_win_back: None,
            });
        }
        Ok(logins)
    }

    /// R9: each clerk is away once a year for a few days; the next clerk of the store covers.
    fn absences_plan(&mut self) {
        let years = ((self.today - self.start).num_days() / 365).max(1);
        for si in 0..self.stores.len() {
            let clerks = self.stores[si].clerks.clone();
            let sup = self.stores[si].supervisor;
            let store_id = self.stores[si].id;
            for (k, &clerk) in clerks.iter().enumerate() {
                let sub = clerks[(k + 1) % clerks.len()];
                for y in 0..years {
                    let from = self.start + Duration::days(y * 365 + self.rng.gen_range(20..340));
                    let to = from + Duration::days(self.rng.gen_range(2..7));
                    if to >= self.today {
                        continue;
                    }
                    // The substitute must be at work; nobody covers two colleagues at once.
                    let clash = |list: Option<&Vec<(NaiveDate, NaiveDate, i32)>>| {
                        list.is_some_and(|l| l.iter().any(|(f, t, _)| *f <= to && from <= *t))
                    };
                    if clash(self.absences.get(&sub))
                        || clash(self.absences.get(&clerk))
                        || self
                            .absences
                            .values()
                            .flatten()
                            .any(|(f, t, s)| (*s == sub || *s == clerk) && *f <= to && from <= *t)
                        || self.absences.iter().any(|(c, l)| {
                            *c == sub && l.iter().any(|(f, t, _)| *f <= to && from <= *t)
                        })
                    {
                        continue;
                    }
                    self.ids.absence += 1;
                    let created = self.utc(
                        (from - Duration::days(3))
                            .and_hms_opt(9, 30, 0)
                            .expect("time"),
                    );
                    self.sink.push(
                        table("absences"),
                        gen_row![
                            self.ids.absence,
                            store_id,
                            clerk,
                            sub,
                            from,
                            to,
                            "年假",
                            sup,
                            created,
                            V::Null
                        ],
                    );
                    self.absences
                        .entry(clerk)
                        .or_default()
                        .push((from, to, sub));
                }
            }
        }
    }

    /// Who works a task of `owner` on `day` (R9): the owner, or whoever covers for them.
    fn handler(&self, owner: i32, day: NaiveDate) -> (i32, Option<i32>) {
        match self
            .absences
            .get(&owner)
            .and_then(|l| l.iter().find(|(f, t, _)| *f <= day && day <= *t))
        {
            Some((_, _, sub)) => (*sub, Some(owner)),
            None => (owner, None),
        }
    }

    fn month_key(&self, d: NaiveDate) -> u32 {
        let mut m =
            (d.year() - self.start.year()) * 12 + d.month() as i32 - self.start.month() as i32;
        if d.day() < self.start.day() {
            m -= 1;
        }
        m.max(0) as u32
    }

    fn reg(&mut self, r: Reg) {
        let k = self.month_key(r.at().date());
        self.buckets.entry(k).or_default().push(r);
    }

    fn new_task(
        &mut self,
        c: usize,
        kind: &'static str,
        visit_id: Option<i32>,
        window: Window,
        created: NaiveDateTime,
    ) -> TaskRow {
        self.ids.task += 1;
        let cu = &self.custs[c];
        let created = self.utc(created);
        TaskRow {
            id: self.ids.task,
            store_id: self.stores[cu.store].id,
            kind,
            customer_id: cu.id,
            visit_id,
            clerk_id: cu.clerk,
            window,
            status: "open",
            close_reason: None,
            done_at: None,
            done_on: None,
            done_by: None,
            attempts: 0,
            callback_at: None,
            callback_on: None,
            planned_contact_id: None,
            created_at: created,
            updated_at: created,
            last_attempt_at: None,
            last_outcome: None,
            item_id: None,
            event_id: None,
            note: None,
        }
    }

    fn emit_task(&mut self, t: &TaskRow) {
        let row = gen_row![
            t.id,
            t.store_id,
            t.kind,
            t.customer_id,
            t.visit_id,
            t.clerk_id,
            t.window.start,
            t.window.end,
            t.status,
            t.close_reason,
            t.done_at,
            t.done_on,
            t.done_by,
            t.attempts,
            t.callback_at,
            t.planned_contact_id,
            t.created_at,
            t.updated_at,
            t.callback_on,
            t.last_attempt_at,
            t.last_outcome,
            t.item_id,
            t.event_id,
            t.note.as_deref(),
        ];
        self.sink.push(table("tasks"), row);
    }

    fn done(&self, t: &mut TaskRow, at_local: NaiveDateTime, by: i32) {
        let at = self.utc(at_local);
        t.status = "done";
        t.done_at = Some(at);
        t.done_on = Some(at_local.date());
        t.done_by = Some(by);
        t.updated_at = at;
    }

    fn closed(&self, t: &mut TaskRow, reason: &'static str, at_local: NaiveDateTime, by: i32) {
        self.done(t, at_local, by);
        t.status = "closed";
        t.close_reason = Some(reason);
    }

    /// X4: the first day from `day` on without an outbound follow-up call to this customer.
    fn free_day(&self, c: usize, mut day: NaiveDate) -> NaiveDate {
        while self.custs[c].busy.contains(&day) {
            day += Duration::days(1);
        }
        day
    }

    /// A call, written later with its month.
    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        c: usize,
        task: Option<&TaskRow>,
        direction: &'static str,
        category: &'static str,
        outcome: &'static str,
        at: NaiveDateTime,
        key_points: String,
    ) -> CallRow {
        let owner = task.map(|t| t.clerk_id).unwrap_or(self.custs[c].clerk);
        let (handler, covering) = self.handler(owner, at.date());
        let topics = if outcome == "reached" && category != "solution" {
            let second = self.pick(&["C2", "C3", "C4", "C5"]);
            format!("C1,{second}")
        } else {
            String::new()
        };
        CallRow {
            customer: c,
            task_id: task.map(|t| t.id),
            direction,
            category,
            outcome,
            at,
            callback_at: None,
            topics,
            key_points,
            satisfied: None,
            event_answer: None,
            handler,
            covering,
            items: Vec::new(),
            satisfaction: None,
            win_back: None,
        }
    }

    /// Works a call task the way a clerk does: most reached inside the window, some after a
    /// failed attempt or a call-back, some late; a few never reached, closed as unreachable
    /// (X1) with a letter. Returns the reached call (still to be completed and registered)
    /// or `None`. The task row is complete when this returns, except when it returns a call.
    fn work(
        &mut self,
        c: usize,
        t: &mut TaskRow,
        category: &'static str,
        x4: bool,
    ) -> Option<CallRow> {
        let w = t.window;
        if w.start >= self.today {
            return None;
        }
        let len = (w.end - w.start).num_days();
        let r: f64 = self.rng.gen();
        // X1: three failed attempts on three days, then closed as unreachable.
        if r < 0.04 {
            let mut day = w.start;
            for _ in 0..3 {
                day = if x4 { self.free_day(c, day) } else { day };
                if day >= self.today {
                    return None;
                }
                let at = self.at(day, 9, 18);
                let outcome = self.pick(&["no_answer", "no_answer", "busy", "wrong_number"]);
                let call = self.call(c, Some(t), "outbound", category, outcome, at, String::new());
                if x4 {
                    self.custs[c].busy.push(day);
                }
                t.attempts += 1;
                t.last_attempt_at = Some(self.utc(at));
                t.last_outcome = Some(outcome);
                t.updated_at = self.utc(at);
                self.reg(Reg::Call(call));
                day += Duration::days(1);
            }
            let u = day - Duration::days(1);
            let at = self.at(u, 17, 18);
            let (by, _) = self.handler(t.clerk_id, u);
            self.closed(t, "unreachable", at, by);
            self.unreachable(c, t, u);
            return None;
        }
        let mut day = if r < 0.86 {
            w.start + Duration::days(self.rng.gen_range(0..=len))
        } else if r < 0.97 {
            w.end + Duration::days(self.rng.gen_range(1..6))
        } else {
            // Missed: still open after its window (or done far too late).
            w.end + Duration::days(self.rng.gen_range(8..40))
        };
        if x4 {
            day = self.free_day(c, day);
        }
        // A failed attempt the day before, or a call-back asked for on the day.
        let f: f64 = self.rng.gen();
        if f < 0.1 && day - Duration::days(1) >= w.start {
            let prev = if x4 {
                let d = day - Duration::days(1);
                (!self.custs[c].busy.contains(&d)).then_some(d)
            } else {
                Some(day - Duration::days(1))
            };
            if let Some(prev) = prev.filter(|d| *d < self.today) {
                let at = self.at(prev, 9, 18);
                let outcome = self.pick(&["no_answer", "no_answer", "busy"]);
                let call = self.call(c, Some(t), "outbound", category, outcome, at, String::new());
                t.attempts += 1;
                t.last_attempt_at = Some(self.utc(at));
                t.last_outcome = Some(outcome);
                t.updated_at = self.utc(at);
                if x4 {
                    self.custs[c].busy.push(prev);
                }
                self.reg(Reg::Call(call));
            }
        }
        if day >= self.today {
            return None;
        }
        let mut at = self.at(day, 9, 16);
        if f > 0.95 {
            // X2: the customer asks to be called back at 17:00 the same day.
            let cb = day.and_hms_opt(17, 0, 0).expect("time");
            let mut call = self.call(
                c,
                Some(t),
                "outbound",
                category,
                "callback_requested",
                at,
                "客户正在开车，约定下午五点回电".into(),
            );
            call.callback_at = Some(self.utc(cb));
            t.last_attempt_at = Some(self.utc(at));
            t.last_outcome = Some("callback_requested");
            t.callback_at = Some(self.utc(cb));
            t.callback_on = Some(day);
            self.reg(Reg::Call(call));
            at = cb + Duration::minutes(self.rng.gen_range(0..30));
        }
        if x4 {
            self.custs[c].busy.push(day);
        }
        let call = self.call(
            c,
            Some(t),
            "outbound",
            category,
            "reached",
            at,
            String::new(),
        );
        let by = call.handler;
        self.done(t, at, by);
        t.last_attempt_at = Some(self.utc(at));
        t.last_outcome = Some("reached");
        Some(call)
    }

    /// X1: the unreachable letter (sent the next day) and the phone flagged.
    fn unreachable(&mut self, c: usize, t: &TaskRow, u: NaiveDate) {
        self.custs[c].flagged_on = Some(u);
        let mut letter = self.new_task(
            c,
            "unreachable_letter",
            t.visit_id,
            self.cad.unreachable_letter(u),
            u.and_hms_opt(17, 30, 0).expect("time"),
        );
        let sent = u + Duration::days(1);
        if sent < self.today {
            let at = self.at(sent, 10, 17);
            let (by, _) = self.handler(t.clerk_id, sent);
            let name = self.custs[c].name.clone();
            self.reg(Reg::Letter(LetterRow {
                customer: c,
                kind: LetterKind::Notice,
                subject: "未能联系到您的通知".into(),
                body: format!("尊敬的{name}：近日多次致电未能联系到您，请拨打本店服务电话与我们联系，以便安排回访与保养。"),
                related_to: format!("task {}", letter.id),
                task_id: letter.id,
                event_id: None,
                at,
                handler: by,
            }));
            self.done(&mut letter, at, by);
        }
        self.emit_task(&letter);
    }

    /// One month: events first (their audience is the customers seen before), then visits,
    /// then inbound calls.
    fn month(&mut self, from: NaiveDate, to: NaiveDate, m: u32) -> anyhow::Result<()> {
        if m % 3 == 1 {
            for s in 0..self.stores.len() {
                self.event(s, from, m);
            }
        }
        for c in 0..self.custs.len() {
            // X7: the win-back job of the 1st.
            if self.custs[c].visits > 0 {
                self.win_back(c, from);
            }
            while self.custs[c].next_visit < to && self.custs[c].next_visit < self.today {
                self.visit(c);
            }
            // Inbound inquiries and complaints.
            if self.custs[c].visits > 0 && self.chance(0.012) {
                let span = (to - from).num_days().max(1);
                let day = from + Duration::days(self.rng.gen_range(0..span));
                if day < self.today && Some(day) >= self.custs[c].last_visit {
                    self.inbound(c, day);
                }
            }
        }
        Ok(())
    }

    /// A service visit or consultation with all that follows it (R2, R3, R4, R5, N1, X3).
    fn visit(&mut self, c: usize) {
        let d = self.custs[c].next_visit;
        let store_id = self.stores[self.custs[c].store].id;
        let checked_in = self.at(d, 8, 17);
        let checked_in_utc = self.utc(checked_in);
        let kr: f64 = self.rng.gen();
        let kind = if kr < 0.1 {
            "consultation"
        } else if kr < 0.6 {
            "maintenance"
        } else {
            "repair"
        };
        // The customer and the vehicle, at the first visit (R1: the clerk in turn).
        if self.custs[c].id == 0 {
            self.ids.customer += 1;
            let cu = &mut self.custs[c];
            cu.id = self.ids.customer;
            let row = gen_row![
                cu.id,
                store_id,
                &cu.name,
                &cu.phone,
                &cu.address,
                cu.clerk,
                V::Null,
                checked_in_utc,
                checked_in_utc,
                false,
                false,
                V::Null,
                V::Null,
            ];
            self.sink.push(table("customers"), row);
        }
        if kind != "consultation" && self.custs[c].vehicle_id.is_none() {
            self.ids.vehicle += 1;
            let cu = &mut self.custs[c];
            cu.vehicle_id = Some(self.ids.vehicle);
            let row = gen_row![
                self.ids.vehicle,
                store_id,
                cu.id,
                &cu.plate,
                cu.model,
                cu.vtype,
                checked_in_utc,
                checked_in_utc,
            ];
            self.sink.push(table("vehicles"), row);
        }
        let customer_id = self.custs[c].id;
        let vehicle_id = if kind == "consultation" {
            None
        } else {
            self.custs[c].vehicle_id
        };
        let items: Vec<&str> = match kind {
            "consultation" => vec!["咨询保养项目与价格"],
            "maintenance" => {
                let n = self.rng.gen_range(1..3);
                MAINTENANCE_ITEMS
                    .choose_multiple(&mut self.rng, n)
                    .copied()
                    .collect()
            }
            _ => vec![self.pick(&REPAIR_ITEMS)],
        };
        let (days, km) = if kind == "consultation" {
            (None, None)
        } else {
            (
                Some(self.pick(&[90, 120, 180])),
                self.chance(0.7).then(|| self.pick(&[5000, 7500, 10000])),
            )
        };
        let odometer = vehicle_id.map(|_| {
            let cu = &self.custs[c];
            cu.base_km + cu.daily_km * (d - cu.first_visit).num_days() as i32
        });
        let desired = self.chance(0.2).then(|| self.pick(&DESIRED).to_string());
        // Pick-up: the same day for most, a few days later for some repairs.
        let picked_up = match kind {
            "consultation" => None,
            "maintenance" => Some(checked_in + Duration::minutes(self.rng.gen_range(60..240))),
            _ if self.chance(0.6) => {
                Some(checked_in + Duration::minutes(self.rng.gen_range(120..420)))
            }
            _ => {
                let day = d + Duration::days(self.rng.gen_range(1..4));
                Some(self.at(day, 10, 18))
            }
        }
        .filter(|p| p.date() < self.today);

        // R2: the archive, mostly on time, some late, a few never (or not yet).
        self.ids.visit += 1;
        let visit_id = self.ids.visit;
        let mut archive_task = self.new_task(
            c,
            "archive",
            Some(visit_id),
            self.cad.archive(d),
            checked_in,
        );
        let ar: f64 = self.rng.gen();
        let archived_at = if ar < 0.86 {
            let h = self.rng.gen_range(1..44);
            Some(checked_in + Duration::hours(h))
        } else if ar < 0.96 || d + Duration::days(14) < self.today {
            // Late: mostly a few days, now and then weeks (none stays missing for long).
            let days = if ar < 0.96 {
                self.rng.gen_range(1..5)
            } else {
                self.rng.gen_range(5..20)
            };
            let day = archive_task.window.end + Duration::days(days);
            Some(self.at(day, 9, 18))
        } else {
            // Missing: only among the last two weeks' visits.
            None
        }
        .filter(|t| t.date() < self.today);
        let cur = odometer.map(|k| Reading { on: d, km: k });
        let a10 = archived_at.and_then(|_| {
            next_maintenance_date(None, d, days, km, self.custs[c].last_reading, cur)
        });
        let history = self.custs[c].history.join("\n");
        let mut plan_next_visit = None;
        if let Some(at) = archived_at {
            let (by, _) = self.handler(self.custs[c].clerk, at.date());
            self.done(&mut archive_task, at, by);
            // R3: the plan: N1 (the maintenance reminder) and sometimes one more contact.
            let mut plan = Vec::new();
            let mut tasks = Vec::new();
            if let Some(a10) = a10 {
                self.ids.planned += 1;
                let mut t = self.new_task(
                    c,
                    "maintenance_reminder",
                    Some(visit_id),
                    self.cad.maintenance_reminder(a10),
                    at,
                );
                t.planned_contact_id = Some(self.ids.planned);
                plan.push((
                    self.ids.planned,
                    "N1",
                    a10,
                    "提醒客户按期保养，预约进厂时间",
                    t.id,
                ));
                tasks.push(t);
            }
            if self.chance(0.15) {
                let (purpose, points) = self.pick(&[
                    ("N3", "告知本月优惠服务活动：空调清洗八折"),
                    ("N4", "邀请客户参加免费检测周，检查轮胎与刹车"),
                    ("N2", "邀请参加车主联谊活动"),
                ]);
                let date = d + Duration::days(self.rng.gen_range(20..31));
                self.ids.planned += 1;
                let mut t = self.new_task(
                    c,
                    "planned_contact",
                    Some(visit_id),
                    self.cad.planned_contact(date),
                    at,
                );
                t.planned_contact_id = Some(self.ids.planned);
                plan.push((self.ids.planned, purpose, date, points, t.id));
                tasks.push(t);
            }
            self.reg(Reg::Archive(ArchiveRow {
                customer: c,
                visit_id,
                task_id: archive_task.id,
                visit_date: d,
                has_vehicle: vehicle_id.is_some(),
                items: items.join("；"),
                days,
                km,
                a10,
                desired: desired.clone(),
                history,
                due: archive_task.window.end,
                at,
                by,
                plan,
            }));
            // The planned contacts and the reminder are worked when they come.
            for mut t in tasks {
                let category = if t.kind == "maintenance_reminder" {
                    "reminder"
                } else {
                    "follow_up"
                };
                if let Some(mut call) = self.work(c, &mut t, category, true) {
                    call.key_points = if category == "reminder" {
                        self.pick(&REMINDER_KEY_POINTS).into()
                    } else {
                        self.pick(&KEY_POINTS).into()
                    };
                    if t.kind == "maintenance_reminder" {
                        plan_next_visit = Some(call.at.date());
                    }
                    self.reg(Reg::Call(call));
                }
                self.emit_task(&t);
            }
        }
        // X8: the advisor who received the car: mostly as on the list, now and then typed with a
        // space (still matched), rarely a name the list does not have, or none.
        let (advisor, advisor_id) = {
            let list = &self.stores[self.custs[c].store].advisors;
            let (id, name) = list[self.rng.gen_range(0..list.len())].clone();
            let r: f64 = self.rng.gen();
            if r < 0.85 {
                (Some(name), Some(id))
            } else if r < 0.92 {
                let mut chars = name.chars();
                let first: String = chars.next().into_iter().collect();
                (Some(format!("{first} {}", chars.as_str())), Some(id))
            } else if r < 0.96 {
                (Some(format!("{}师傅", self.pick(&SURNAMES))), None)
            } else {
                (None, None)
            }
        };
        self.custs[c].last_visit_id = visit_id;
        self.custs[c].last_a10 = a10;
        // The visit row, with A10 as the archive set it.
        let row = gen_row![
            visit_id,
            store_id,
            customer_id,
            vehicle_id,
            format!("DMS-{store_id}-{visit_id:08}"),
            kind,
            checked_in_utc,
            d,
            picked_up.map(|p| self.utc(p)),
            picked_up.map(|p| p.date()),
            serde_json::to_string(&items).expect("strings"),
            days,
            km,
            a10,
            desired.as_deref(),
            odometer,
            "import",
            V::Null,
            checked_in_utc,
            checked_in_utc,
            advisor.as_deref(),
            advisor_id,
        ];
        self.sink.push(table("visits"), row);
        self.emit_task(&archive_task);

        // R4 / R5: the first follow-up from pick-up (or the consultation), then the second.
        let p = if kind == "consultation" {
            Some(d)
        } else {
            picked_up.map(|p| p.date())
        };
        if let Some(p) = p {
            let opened = picked_up.unwrap_or(checked_in + Duration::minutes(40));
            let mut first = self.new_task(
                c,
                "first_follow_up",
                Some(visit_id),
                self.cad.first_follow_up(p),
                opened,
            );
            let reached = self.work(c, &mut first, "follow_up", true);
            let f = match (&reached, first.status) {
                (Some(call), _) => Some((call.at, call.at.date())),
                (None, "closed") => first.done_at.map(|_| {
                    let u = first.done_on.expect("closed on");
                    (u.and_hms_opt(17, 0, 0).expect("time"), u)
                }),
                _ => None,
            };
            if let Some(mut call) = reached {
                call.key_points = self.pick(&KEY_POINTS).into();
                self.raise_items(c, &mut call);
                self.satisfaction(c, &mut call, advisor_id);
                self.reg(Reg::Call(call));
            }
            self.emit_task(&first);
            if let Some((at, f)) = f {
                let mut second = self.new_task(
                    c,
                    "second_follow_up",
                    Some(visit_id),
                    self.cad.second_follow_up(f),
                    at,
                );
                if let Some(mut call) = self.work(c, &mut second, "follow_up", true) {
                    call.key_points = self.pick(&SECOND_KEY_POINTS).into();
                    self.raise_items(c, &mut call);
                    self.satisfaction(c, &mut call, advisor_id);
                    self.reg(Reg::Call(call));
                }
                self.emit_task(&second);
            }
        }

        // X3 and A12 for the next visit.
        let cu = &mut self.custs[c];
        if let Some(r) = cur {
            cu.last_reading = Some(r);
        }
        cu.history.push(format!("{} {}", d, items.join("；")));
        cu.last_visit = Some(d);
        cu.visits += 1;
        cu.busy.retain(|b| *b + Duration::days(60) >= d);
        // Returning customers come back after the reminder; others later, or not at all.
        let back = match (a10, plan_next_visit) {
            (Some(_), Some(called)) if self.rng.gen_bool(0.75) => {
                called + Duration::days(self.rng.gen_range(1..21))
            }
            (Some(a10), _) if self.rng.gen_bool(0.4) => {
                a10 + Duration::days(self.rng.gen_range(0..60))
            }
            (Some(a10), _) => a10 + Duration::days(self.rng.gen_range(90..300)),
            (None, _) => d + Duration::days(self.rng.gen_range(120..400)),
        };
        self.custs[c].next_visit = back.max(d + Duration::days(14));
    }

    /// X6: the satisfaction of a reached follow-up: mostly 4–5, some 3, a few low (1–2, which
    /// opens a complaint unless the call raised one), some declined, some not asked.
    fn satisfaction(&mut self, c: usize, call: &mut CallRow, advisor_id: Option<i32>) {
        let r: f64 = self.rng.gen();
        if r < 0.06 {
            return; // not asked
        }
        let score = if r < 0.13 {
            None
        } else {
            let s: f64 = self.rng.gen();
            Some(match s {
                s if s < 0.02 => 1,
                s if s < 0.06 => 2,
                s if s < 0.18 => 3,
                s if s < 0.55 => 4,
                _ => 5,
            })
        };
        let mut aspects = Vec::new();
        if let Some(sc) = score {
            if self.chance(0.7) {
                for a in crate::domain::satisfaction::ASPECTS {
                    let v: i32 = (sc + self.rng.gen_range(-1..=1)).clamp(1, 5);
                    aspects.push((a, v));
                }
            }
            if sc <= 2 && !call.items.iter().any(|i| i.kind == "complaint") {
                let mut item = self.complaint(c, call);
                let text = format!("跟踪服务电话满意度评分 {sc} 分（X6）");
                item.text = text.clone();
                if let Some(e) = item.events.first_mut() {
                    e.text = text;
                }
                call.items.push(item);
            }
        }
        call.satisfaction = Some((score, aspects, advisor_id));
    }

    /// X7: on the 1st of a month (the nightly job, month by month here) a customer lost then —
    /// the latest visit's A10 more than `lost_after_days` past — gets a win-back task for their
    /// clerk, at most one per `lost_after_days`; the customer's next visit inside the window
    /// closes it (won back), else the clerk calls (reached mostly, with the reason).
    fn win_back(&mut self, c: usize, l: NaiveDate) {
        const REASONS: [(&str, &str); 6] = [
            ("moved", "已搬到外地"),
            ("sold_car", "车已卖掉"),
            ("other_shop", "在家附近的修理厂保养"),
            ("price", "觉得保养价格偏高"),
            ("dissatisfied", "上次维修等待时间太长"),
            ("other", "工作忙，暂时不用车"),
        ];
        let cu = &self.custs[c];
        let lost_before = self.cad.lost_since(l);
        let lost = cu.last_a10.is_some_and(|a| a < lost_before)
            && cu.last_visit.is_some_and(|v| v < l)
            && cu.next_visit >= l
            && cu.last_win_back.is_none_or(|w| w <= lost_before);
        if !lost || l >= self.today {
            return;
        }
        self.custs[c].last_win_back = Some(l);
        let visit = self.custs[c].last_visit_id;
        let opened = l.and_hms_opt(3, 45, 0).expect("time");
        let mut t = self.new_task(c, "win_back", Some(visit), self.cad.win_back(l), opened);
        let next = self.custs[c].next_visit;
        if next <= t.window.end && next < self.today {
            // Came back before the call: closed by the visit (won back).
            let at = next.and_hms_opt(9, 0, 0).expect("time");
            let by = t.clerk_id;
            self.closed(&mut t, "returned", at, by);
        } else if let Some(mut call) = self.work(c, &mut t, "follow_up", true) {
            let (reason, text) = self.pick(&REASONS);
            call.key_points = text.into();
            call.win_back = Some((reason, text));
            self.reg(Reg::Call(call));
        }
        self.emit_task(&t);
    }

    /// R4a / R4b: sometimes the customer raises something on a reached follow-up call:
    /// mostly answered on the call, sometimes a complaint left open and followed to the end.
    fn raise_items(&mut self, c: usize, call: &mut CallRow) {
        let r: f64 = self.rng.gen();
        if r < 0.05 {
            let (kind, text, answer) = self.pick(&WISHES);
            self.ids.item += 1;
            let at = self.utc(call.at);
            call.items.push(ItemRow {
                id: self.ids.item,
                clerk_id: self.custs[c].clerk,
                kind,
                text: text.into(),
                answered: true,
                answer: Some(answer.into()),
                status: "answered",
                escalated: None,
                solution: None,
                solved: None,
                told_on: None,
                satisfied: None,
                closed_on: None,
                events: vec![
                    ItemEventRow {
                        kind: "raised",
                        text: text.into(),
                        at,
                        on: call.at.date(),
                        by: call.handler,
                    },
                    ItemEventRow {
                        kind: "note",
                        text: answer.into(),
                        at,
                        on: call.at.date(),
                        by: call.handler,
                    },
                ],
            });
        } else if r < 0.07 {
            let item = self.complaint(c, call);
            call.items.push(item);
        }
    }

    /// A complaint left open on `call` (R4b), escalated by C + 2 mostly (R4c), solved by the
    /// supervisor, the customer told on the day (R4d); unsatisfied reopens it once.
    fn complaint(&mut self, c: usize, call: &CallRow) -> ItemRow {
        self.ids.item += 1;
        let text = self.pick(&COMPLAINTS);
        let clerk = self.custs[c].clerk;
        let sup = self.stores[self.custs[c].store].supervisor;
        let mut item = ItemRow {
            id: self.ids.item,
            clerk_id: clerk,
            kind: "complaint",
            text: text.into(),
            answered: false,
            answer: None,
            status: "open",
            escalated: None,
            solution: None,
            solved: None,
            told_on: None,
            satisfied: None,
            closed_on: None,
            events: vec![ItemEventRow {
                kind: "raised",
                text: text.into(),
                at: self.utc(call.at),
                on: call.at.date(),
                by: call.handler,
            }],
        };
        let mut from = call.at;
        for round in 0..2 {
            let mut esc = self.new_task(
                c,
                "escalation",
                None,
                self.cad.escalation(from.date()),
                from,
            );
            esc.item_id = Some(item.id);
            let r: f64 = self.rng.gen();
            let day = if r < 0.9 {
                from.date() + Duration::days(self.rng.gen_range(0..=2))
            } else {
                esc.window.end + Duration::days(self.rng.gen_range(1..4))
            };
            if day >= self.today {
                self.emit_task(&esc);
                return item;
            }
            let at = self.at(day, 9, 12).max(from + Duration::minutes(10));
            let (by, _) = self.handler(clerk, at.date());
            item.status = "escalated";
            item.escalated = Some((self.utc(at), at.date()));
            item.events.push(ItemEventRow {
                kind: "escalated",
                text: "需要主管决定处理办法".into(),
                at: self.utc(at),
                on: at.date(),
                by,
            });
            self.done(&mut esc, at, by);
            self.emit_task(&esc);
            // The supervisor's solution the next day.
            let s = at.date() + Duration::days(1);
            if s >= self.today {
                return item;
            }
            let solved_at = self.at(s, 9, 11);
            let solution = self.pick(&SOLUTIONS);
            item.status = "solved";
            item.solution = Some(solution.into());
            item.solved = Some((self.utc(solved_at), s));
            item.events.push(ItemEventRow {
                kind: "solved",
                text: solution.into(),
                at: self.utc(solved_at),
                on: s,
                by: sup,
            });
            let mut sol = self.new_task(
                c,
                "solution_call",
                None,
                self.cad.solution_call(s),
                solved_at,
            );
            sol.item_id = Some(item.id);
            let tell = if self.chance(0.88) {
                s
            } else {
                s + Duration::days(1)
            };
            if tell >= self.today {
                self.emit_task(&sol);
                return item;
            }
            let tell_at = self.at(tell, 14, 18);
            let satisfied = round == 1 || self.chance(0.92);
            let mut told = self.call(
                c,
                Some(&sol),
                "outbound",
                "solution",
                "reached",
                tell_at,
                if satisfied {
                    "已告知解决办法，客户满意".into()
                } else {
                    "已告知解决办法，客户仍不满意，要求进一步处理".into()
                },
            );
            told.satisfied = Some(satisfied);
            let by = told.handler;
            self.done(&mut sol, tell_at, by);
            sol.last_attempt_at = Some(self.utc(tell_at));
            sol.last_outcome = Some("reached");
            self.emit_task(&sol);
            self.reg(Reg::Call(told));
            let t = self.utc(tell_at);
            item.told_on = Some(tell);
            item.satisfied = Some(satisfied);
            item.events.push(ItemEventRow {
                kind: "told",
                text: String::new(),
                at: t,
                on: tell,
                by,
            });
            if satisfied {
                item.status = "closed";
                item.closed_on = Some(tell);
                item.events.push(ItemEventRow {
                    kind: "satisfied",
                    text: String::new(),
                    at: t,
                    on: tell,
                    by,
                });
                return item;
            }
            item.status = "open";
            item.events.push(ItemEventRow {
                kind: "reopened",
                text: String::new(),
                at: t,
                on: tell,
                by,
            });
            from = tell_at;
        }
        item
    }

    /// An inbound inquiry or complaint (R7), without a task.
    fn inbound(&mut self, c: usize, day: NaiveDate) {
        let at = self.at(day, 9, 18);
        let complaint = self.chance(0.15);
        let (category, text) = if complaint {
            (
                "complaint",
                format!("客户来电投诉：{}", self.pick(&COMPLAINTS)),
            )
        } else {
            ("inquiry", self.pick(&INQUIRIES).to_string())
        };
        let mut call = self.call(c, None, "inbound", category, "reached", at, text);
        call.topics = "C6".into();
        if complaint {
            let item = self.complaint(c, &call);
            call.items.push(item);
        }
        self.reg(Reg::Call(call));
    }

    /// R6: an event announced on the first day of the month to the store's drivers of one
    /// vehicle type seen in the last three months; notice calls by E − 14, letters by P + 2
    /// or waived.
    fn event(&mut self, s: usize, created: NaiveDate, m: u32) {
        let kinds = [
            (
                "free_service",
                "免费检测周",
                "免费检测刹车、轮胎、蓄电池和灯光",
                LetterKind::Notice,
            ),
            (
                "get_together",
                "车主联谊会",
                "车主交流、抽奖与茶点",
                LetterKind::Invitation,
            ),
            (
                "offer",
                "保养优惠月",
                "机油保养套餐八五折",
                LetterKind::Notice,
            ),
            (
                "knowledge_evening",
                "用车知识讲座",
                "冬季用车与安全驾驶讲座",
                LetterKind::Invitation,
            ),
        ];
        let (kind, title, content, letter_kind) = kinds[(m as usize / 3) % kinds.len()];
        let vtype = VEHICLES[(m as usize / 3 + s) % VEHICLES.len()].1;
        let starts = created + Duration::days(self.rng.gen_range(30..45));
        let ends = starts + Duration::days(if kind == "free_service" { 6 } else { 0 });
        let since = created
            .checked_sub_months(Months::new(3))
            .unwrap_or(created);
        let store_id = self.stores[s].id;
        let sup = self.stores[s].supervisor;
        let invitees: Vec<usize> = (0..self.custs.len())
            .filter(|&c| {
                let cu = &self.custs[c];
                cu.store == s
                    && cu.id != 0
                    && cu.vehicle_id.is_some()
                    && cu.vtype == vtype
                    && cu.last_visit.is_some_and(|v| v >= since)
            })
            .collect();
        if invitees.is_empty() || created >= self.today {
            return;
        }
        self.ids.event += 1;
        let event_id = self.ids.event;
        let title = format!("{}{}", created.format("%Y年%-m月"), title);
        let audience = crate::domain::event::Audience {
            vehicle_type: Some(vtype.into()),
            last_visit_months: Some(3),
            clerk_id: None,
        };
        let created_at = created.and_hms_opt(9, 0, 0).expect("time");
        self.sink.push(
            table("events"),
            gen_row![
                event_id,
                store_id,
                kind,
                &title,
                starts,
                ends,
                "本店服务大厅",
                content,
                serde_json::to_string(&audience).expect("audience"),
                created,
                sup,
                self.utc(created_at),
            ],
        );
        for c in invitees {
            let mut notice = self.new_task(
                c,
                "event_notice",
                None,
                self.cad.event_notice(created, starts),
                created_at,
            );
            notice.event_id = Some(event_id);
            let mut answer = None;
            if let Some(mut call) = self.work(c, &mut notice, "event_notice", false) {
                let a = self.pick(&["coming", "coming", "not_coming", "undecided"]);
                answer = Some(a);
                call.event_answer = Some(a);
                call.key_points = format!("已电话通知{title}，客户答复：{a}");
                call.topics = "C5".into();
                let p = call.at.date();
                let mut letter =
                    self.new_task(c, "event_letter", None, self.cad.event_letter(p), call.at);
                letter.event_id = Some(event_id);
                let sent = p + Duration::days(self.rng.gen_range(0..3));
                if self.chance(0.35) {
                    // Waived with a reason (视情况需要).
                    let at = call.at + Duration::minutes(5);
                    let by = call.handler;
                    self.closed(&mut letter, "waived", at, by);
                    letter.note = Some("客户已在电话中确认，无需寄信".into());
                } else if sent < self.today {
                    let at = self.at(sent, 10, 17).max(call.at + Duration::minutes(5));
                    let (by, _) = self.handler(letter.clerk_id, at.date());
                    let name = self.custs[c].name.clone();
                    self.reg(Reg::Letter(LetterRow {
                        customer: c,
                        kind: letter_kind,
                        subject: title.clone(),
                        body: format!(
                            "尊敬的{name}：本店将于{}举办{title}，内容：{content}。地点：本店服务大厅。欢迎光临。",
                            starts.format("%Y年%-m月%-d日")
                        ),
                        related_to: format!("event {event_id}"),
                        task_id: letter.id,
                        event_id: Some(event_id),
                        at,
                        handler: by,
                    }));
                    self.done(&mut letter, at, by);
                }
                self.reg(Reg::Call(call));
                self.emit_task(&letter);
            }
            self.emit_task(&notice);
            self.ids.invitee += 1;
            let row = gen_row![
                self.ids.invitee,
                event_id,
                self.custs[c].id,
                notice.id,
                answer
            ];
            self.sink.push(table("event_invitees"), row);
        }
    }

    fn number(&mut self, store_id: i32, reg: Register, year: i32) -> String {
        let n = self.counters.entry((store_id, reg, year)).or_insert(0);
        *n += 1;
        numbering::format(reg, year, *n)
    }

    fn chain(&mut self, reg: Register, line: &chain::Line, created: NaiveDateTime) {
        let key = (line.store_id, reg, line.year);
        let prev = self.heads.get(&key).cloned().unwrap_or_default();
        let (digest, hash) = chain::seal(&self.salt, &prev, line);
        self.sink.push(
            table("register_chain"),
            gen_row![
                line.store_id,
                reg.key(),
                line.year,
                line.id,
                prev,
                hash.clone(),
                digest,
                created
            ],
        );
        self.heads.insert(key, hash);
    }

    /// Writes the register lines of the months up to `upto` (all with `None`), each month in
    /// date order: numbers and chains follow the order the lines were written in.
    fn flush_buckets(&mut self, upto: Option<u32>) -> anyhow::Result<()> {
        let keys: Vec<u32> = self
            .buckets
            .keys()
            .copied()
            .filter(|k| upto.is_none_or(|u| *k <= u))
            .collect();
        for k in keys {
            let lines = self.buckets.remove(&k).unwrap_or_default();
            // Sorted by index: the lines themselves are large to move.
            let mut order: Vec<(NaiveDateTime, usize)> =
                lines.iter().enumerate().map(|(i, r)| (r.at(), i)).collect();
            order.sort_unstable();
            let mut slots: Vec<Option<Reg>> = lines.into_iter().map(Some).collect();
            for r in order.into_iter().filter_map(|(_, i)| slots[i].take()) {
                match r {
                    Reg::Archive(a) => self.write_archive(a),
                    Reg::Call(c) => self.write_call(c),
                    Reg::Letter(l) => self.write_letter(l),
                }
            }
        }
        Ok(())
    }

    fn name(&self, id: i32) -> String {
        self.names.get(&id).cloned().unwrap_or_default()
    }

    fn write_archive(&mut self, a: ArchiveRow) {
        let cu = &self.custs[a.customer];
        let store_id = self.stores[cu.store].id;
        let archived_at = self.utc(a.at);
        let number = self.number(store_id, Register::Archives, a.at.date().year());
        self.ids.archive += 1;
        let cu = &self.custs[a.customer];
        let row = Archive {
            id: self.ids.archive,
            store_id,
            visit_id: a.visit_id,
            task_id: Some(a.task_id),
            customer_id: cu.id,
            archive_no: number,
            customer_name: cu.name.clone(),
            address: Some(cu.address.clone()),
            phone: cu.phone.clone(),
            visit_date: a.visit_date,
            vehicle_model: a.has_vehicle.then(|| cu.model.to_string()),
            plate: a.has_vehicle.then(|| cu.plate.clone()),
            vehicle_type: a.has_vehicle.then(|| cu.vtype.to_string()),
            items: a.items,
            maintenance_interval_days: a.days,
            maintenance_interval_km: a.km,
            next_maintenance_date: a.a10,
            desired_services: a.desired,
            service_history: a.history,
            due_date: a.due,
            archived_at,
            archived_on: a.at.date(),
            archived_by_id: a.by,
            archived_by: self.name(a.by),
            created_at: archived_at,
        };
        self.sink.push(
            table("archives"),
            gen_row![
                row.id,
                row.store_id,
                row.visit_id,
                row.task_id,
                row.customer_id,
                &row.archive_no,
                &row.customer_name,
                row.address.as_deref(),
                &row.phone,
                row.visit_date,
                row.vehicle_model.as_deref(),
                row.plate.as_deref(),
                row.vehicle_type.as_deref(),
                &row.items,
                row.maintenance_interval_days,
                row.maintenance_interval_km,
                row.next_maintenance_date,
                row.desired_services.as_deref(),
                &row.service_history,
                row.due_date,
                row.archived_at,
                row.archived_on,
                row.archived_by_id,
                &row.archived_by,
                row.created_at,
            ],
        );
        for (id, purpose, date, points, task_id) in &a.plan {
            self.sink.push(
                table("planned_contacts"),
                gen_row![
                    *id,
                    store_id,
                    row.id,
                    row.customer_id,
                    *purpose,
                    *date,
                    *points,
                    *task_id,
                    archived_at
                ],
            );
        }
        self.chain(Register::Archives, &chain::archive_line(&row), archived_at);
    }

    fn write_call(&mut self, c: CallRow) {
        let store_id = self.stores[self.custs[c.customer].store].id;
        let year = c.at.date().year();
        let record_no = self.number(store_id, Register::CallRecords, year);
        let register_no = self.number(store_id, Register::CallRegister, year);
        let called_at = self.utc(c.at);
        self.ids.call_record += 1;
        let cu = &self.custs[c.customer];
        let handled_by = self.name(c.handler);
        let rec = CallRecord {
            id: self.ids.call_record,
            store_id,
            record_no,
            customer_id: cu.id,
            task_id: c.task_id,
            // The generator writes only texts of these enums (its tests read every row back).
            direction: Direction::parse(c.direction).expect("a direction"),
            category: Category::parse(c.category).expect("a category"),
            outcome: Outcome::parse(c.outcome).expect("an outcome"),
            called_at,
            called_on: c.at.date(),
            callback_at: c.callback_at,
            customer_name: cu.name.clone(),
            phone: cu.phone.clone(),
            plate: cu.vehicle_id.map(|_| cu.plate.clone()),
            topics: c.topics,
            key_points: c.key_points,
            satisfied: c.satisfied,
            event_answer: c
                .event_answer
                .and_then(crate::domain::call::EventAnswer::parse),
            handled_by_id: c.handler,
            handled_by: handled_by.clone(),
            covering_for_id: c.covering,
            created_at: called_at,
        };
        self.sink.push(
            table("call_records"),
            gen_row![
                rec.id,
                rec.store_id,
                &rec.record_no,
                rec.customer_id,
                rec.task_id,
                &rec.direction,
                &rec.category,
                &rec.outcome,
                rec.called_at,
                rec.called_on,
                rec.callback_at,
                &rec.customer_name,
                &rec.phone,
                rec.plate.as_deref(),
                &rec.topics,
                &rec.key_points,
                rec.satisfied,
                rec.event_answer
                    .map(crate::domain::call::EventAnswer::as_str),
                rec.handled_by_id,
                &rec.handled_by,
                rec.covering_for_id,
                rec.created_at,
            ],
        );
        self.chain(
            Register::CallRecords,
            &chain::call_record_line(&rec),
            called_at,
        );
        // X6: the satisfaction asked, each aspect on its row; X7: the win-back reason.
        if let Some((score, aspects, advisor_id)) = &c.satisfaction {
            let text = aspects
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",");
            self.sink.push(
                table("call_satisfaction"),
                gen_row![
                    rec.id,
                    store_id,
                    rec.customer_id,
                    rec.called_on,
                    rec.handled_by_id,
                    *advisor_id,
                    *score,
                    score.is_none(),
                    &text
                ],
            );
            for (k, v) in aspects {
                self.sink
                    .push(table("satisfaction_aspects"), gen_row![rec.id, *k, *v]);
            }
        }
        if let (Some((reason, text)), Some(task)) = (c.win_back, rec.task_id) {
            self.sink.push(
                table("win_back_answers"),
                gen_row![rec.id, task, reason, text],
            );
        }
        self.ids.call_register += 1;
        let line = RegisterLine {
            id: self.ids.call_register,
            store_id,
            register_no,
            call_record_id: rec.id,
            record_no: rec.record_no.clone(),
            called_on: rec.called_on,
            customer_name: rec.customer_name.clone(),
            phone: rec.phone.clone(),
            direction: rec.direction,
            category: rec.category,
            outcome: rec.outcome,
            handled_by_id: rec.handled_by_id,
            handled_by,
            created_at: called_at,
        };
        self.sink.push(
            table("call_register"),
            gen_row![
                line.id,
                line.store_id,
                &line.register_no,
                line.call_record_id,
                &line.record_no,
                line.called_on,
                &line.customer_name,
                &line.phone,
                &line.direction,
                &line.category,
                &line.outcome,
                line.handled_by_id,
                &line.handled_by,
                line.created_at,
            ],
        );
        self.chain(
            Register::CallRegister,
            &chain::register_line(&line),
            called_at,
        );
        for it in c.items {
            let (esc_at, esc_on) = it.escalated.unzip();
            let (sol_at, sol_on) = it.solved.unzip();
            self.sink.push(
                table("items"),
                gen_row![
                    it.id,
                    store_id,
                    rec.customer_id,
                    rec.id,
                    it.clerk_id,
                    it.kind,
                    &it.text,
                    it.answered,
                    it.answer.as_deref(),
                    it.status,
                    called_at,
                    rec.called_on,
                    called_at,
                    esc_at,
                    esc_on,
                    it.solution.as_deref(),
                    sol_at,
                    sol_on,
                    it.told_on,
                    it.satisfied,
                    it.closed_on,
                ],
            );
            for e in &it.events {
                let by_name = self.name(e.by);
                self.sink.push(
                    table("item_events"),
                    gen_row![it.id, e.kind, &e.text, e.at, e.on, e.by, by_name],
                );
            }
        }
    }

    fn write_letter(&mut self, x: LetterRow) {
        let store_id = self.stores[self.custs[x.customer].store].id;
        let register_no = self.number(store_id, Register::LetterRegister, x.at.date().year());
        self.ids.letter += 1;
        let cu = &self.custs[x.customer];
        let line = LetterLine {
            id: self.ids.letter,
            store_id,
            register_no,
            sent_on: x.at.date(),
            customer_id: cu.id,
            customer_name: cu.name.clone(),
            address: cu.address.clone(),
            letter_kind: x.kind,
            subject: x.subject,
            body: x.body,
            related_to: x.related_to,
            task_id: Some(x.task_id),
            event_id: x.event_id,
            item_id: None,
            handled_by_id: x.handler,
            handled_by: self.name(x.handler),
            created_at: self.utc(x.at),
        };
        self.sink.push(
            table("letter_register"),
            gen_row![
                line.id,
                line.store_id,
                &line.register_no,
                line.sent_on,
                line.customer_id,
                &line.customer_name,
                &line.address,
                &line.letter_kind,
                &line.subject,
                &line.body,
                &line.related_to,
                line.task_id,
                line.event_id,
                V::Null,
                line.handled_by_id,
                &line.handled_by,
                line.created_at,
            ],
        );
        self.chain(
            Register::LetterRegister,
            &chain::letter_line(&line),
            line.created_at,
        );
    }

    /// Month by month, one transaction each; the rest at the end.
    /// The months simulated on this thread and written on another, one transaction each
    /// (at most two months wait between them).
    fn run(
        &mut self,
        w: &mut sql::Writer,
        opts: &Options,
        phases: &mut Phases,
    ) -> anyhow::Result<()> {
        let sqlite = w.is_sqlite();
        let (tx, rx) = std::sync::mpsc::sync_channel::<sql::Job>(2);
        std::thread::scope(|s| {
            let writer = s.spawn(move || w.serve(rx));
            let t = std::time::Instant::now();
            let simulated = self.simulate(&tx, opts, sqlite);
            phases.simulate = t.elapsed().as_secs_f64();
            drop(tx);
            let spent = writer
                .join()
                .map_err(|_| anyhow::anyhow!("the writer thread panicked"))??;
            simulated?;
            phases.write = spent.total();
            phases.tables = spent.slowest(3);
            Ok(())
        })
    }

    fn simulate(
        &mut self,
        tx: &std::sync::mpsc::SyncSender<sql::Job>,
        opts: &Options,
        sqlite: bool,
    ) -> anyhow::Result<()> {
        let send = |job: sql::Job| {
            tx.send(job)
                .map_err(|_| anyhow::anyhow!("the writer thread stopped"))
        };
        for m in 0..opts.months {
            let from = self.start + Months::new(m);
            let to = (self.start + Months::new(m + 1)).min(self.today);
            self.month(from, to, m)?;
            self.flush_buckets(Some(m))?;
            send(sql::Job::Transaction(self.sink.take(), Vec::new()))?;
        }
        self.flush_buckets(None)?;
        let last = self.finish(sqlite);
        send(sql::Job::Transaction(self.sink.take(), last))?;
        Ok(())
    }

    /// The counters of the numbers given, the last clerk assigned per store (R1), the flagged
    /// phones (X1), and PostgreSQL's sequences after explicit ids.
    fn finish(&self, sqlite: bool) -> Vec<String> {
        let mut out = Vec::new();
        for ((store_id, reg, year), n) in &self.counters {
            out.push(format!(
                "DELETE FROM register_counters WHERE store_id = {store_id} AND register = '{}' AND year = {year}",
                reg.key()
            ));
            out.push(format!(
                "INSERT INTO register_counters (store_id, register, year, last_no) VALUES ({store_id}, '{}', {year}, {n})",
                reg.key()
            ));
        }
        for s in &self.stores {
            let last = s.clerks[(s.turn + s.clerks.len() - 1) % s.clerks.len()];
            out.push(format!(
                "UPDATE stores SET last_assigned_clerk_id = {last} WHERE id = {}",
                s.id
            ));
        }
        let mut flagged: BTreeMap<NaiveDate, Vec<i32>> = BTreeMap::new();
        for cu in &self.custs {
            if let (Some(d), true) = (cu.flagged_on, cu.id != 0) {
                flagged.entry(d).or_default().push(cu.id);
            }
        }
        for (d, ids) in flagged {
            for chunk in ids.chunks(500) {
                let list = chunk
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(",");
                out.push(format!(
                    "UPDATE customers SET phone_flagged_on = '{}' WHERE id IN ({list})",
                    d.format("%Y-%m-%d")
                ));
            }
        }
        if !sqlite {
            // The tables keyed by their call record have no sequence of their own.
            let keyed = [
                "call_satisfaction",
                "satisfaction_aspects",
                "win_back_answers",
            ];
            for (t, _) in sql::TABLES.iter().filter(|(t, _)| !keyed.contains(t)) {
                out.push(format!(
                    "SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST((SELECT MAX(id) FROM {t}), 1))"
                ));
            }
        }
        out
    }
}
