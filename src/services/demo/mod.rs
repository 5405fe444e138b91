//! `serve --demo`: a believable shop, loaded into an empty database from `seeds/demo/` with
//! dates relative to today — a supervisor, three clerks, an auditor, an admin, sixty customers,
//! two months of visits and a few earlier ones whose maintenance falls due in those months.
//! Everything goes through the same services as real work, each step on a clock set to the
//! moment it happened, so the demo obeys the rules: some archives done on time, some late, some
//! still open. Its last two months hold every part a newcomer opens: each kind of task, call
//! outcome and item step, an event with its notice calls and letters, letters of each kind,
//! reminders with customers coming back, lost customers won back, an absence with cover and last
//! month's filed summary (`work` makes the calls, `history` the rest).

mod history;
mod work;

use super::archive::{self, ArchiveInput};
use super::visits;
use super::{accounts, Actor, Ctx};
use crate::db::DbConn;
use crate::domain::visit::VisitSource;

use crate::domain::archive::PlanInput;
use crate::domain::visit::VisitInput;
use crate::models::{customer, user};
use anyhow::Context;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

const USERS: &str = include_str!("../../../seeds/demo/users.csv");
const CUSTOMERS: &str = include_str!("../../../seeds/demo/customers.csv");
const VISITS: &str = include_str!("../../../seeds/demo/visits.csv");
/// Visits before the two months: their maintenance reminders (N1) and lost customers (X7)
/// fall due inside them.
const EARLIER_VISITS: &str = include_str!("../../../seeds/demo/earlier_visits.csv");

/// A demo login: username, password, role.
pub type Login = (String, String, String);

fn rows(text: &str) -> anyhow::Result<Vec<csv::StringRecord>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.context("demo seed"))
        .collect()
}

/// The demo logins (also when the demo was loaded before).
pub fn logins() -> anyhow::Result<Vec<Login>> {
    Ok(rows(USERS)?
        .iter()
        .map(|r| (r[0].to_string(), r[3].to_string(), r[2].to_string()))
        .collect())
}

/// Loads the demo into an empty database; `false` when the database already has users.
pub fn load(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<bool> {
    if !user::all(conn)?.is_empty() {
        return Ok(false);
    }
    let cli = Actor::cli();
    users(conn, ctx, &cli)?;
    let customers = rows(CUSTOMERS)?;
    let now = ctx.clock.now_local();
    let today = ctx.clock.today();
    let mut visits = rows(EARLIER_VISITS)?;
    visits.extend(rows(VISITS)?);
    for (i, r) in visits.iter().enumerate() {
        let c = &customers[r[0].parse::<usize>()? - 1];
        let at = At::of(r, today, now)?;
        let input = visit_input(i, r, c, &at);
        let rec = visits::record(conn, ctx, &cli, &input, VisitSource::Demo)
            .map_err(|e| anyhow::anyhow!("demo visit {}: {e:?}", i + 1))?;
        archive_visit(conn, ctx, i, &at, &rec)?;
    }
    history::before_calls(conn, ctx)?;
    work::calls(conn, ctx)?;
    work::inbound(conn, ctx)?;
    let reply_to = work::complaints(conn, ctx)?;
    history::after_calls(conn, ctx, reply_to)?;
    Ok(true)
}

/// The demo's users, made as an admin would make them.
fn users(conn: &mut DbConn, ctx: &Ctx, cli: &Actor) -> anyhow::Result<()> {
    for r in rows(USERS)? {
        let input = accounts::UserInput {
            username: r[0].into(),
            display_name: r[1].into(),
            role: r[2].into(),
            store: None,
            password: r[3].into(),
        };
        accounts::create_user(conn, ctx, cli, &input)
            .map_err(|e| anyhow::anyhow!("demo user {}: {e:?}", &r[0]))?;
    }
    Ok(())
}

/// When a seed visit happened, relative to today (local times), never in the future.
struct At {
    days_ago: i64,
    now: NaiveDateTime,
    today: NaiveDate,
    checked_in: NaiveDateTime,
    picked_up: Option<NaiveDateTime>,
}

impl At {
    /// A seed row's days ago, check-in time and hours to pick-up: a visit of today later
    /// than now is moved to half an hour ago, and a pick-up still to come is left out.
    fn of(r: &csv::StringRecord, today: NaiveDate, now: NaiveDateTime) -> anyhow::Result<At> {
        let days_ago: i64 = r[2].parse()?;
        let time = NaiveTime::parse_from_str(&r[3], "%H:%M")?;
        let mut checked_in = (today - Duration::days(days_ago)).and_time(time);
        if checked_in > now {
            checked_in = now - Duration::minutes(30);
        }
        let picked_up = r[4]
            .parse::<i64>()
            .ok()
            .map(|h| checked_in + Duration::hours(h))
            .filter(|t| *t <= now);
        Ok(At {
            days_ago,
            now,
            today,
            checked_in,
            picked_up,
        })
    }
}

/// The `i`-th seed visit `r` of customer `c` as the import would read it.
fn visit_input(i: usize, r: &csv::StringRecord, c: &csv::StringRecord, at: &At) -> VisitInput {
    let mut input = VisitInput::default();
    let fmt = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
    for (k, v) in [
        ("external_id", Some(format!("DMS-DEMO-{:04}", i + 1))),
        ("kind", Some(r[1].to_string())),
        ("customer_name", Some(c[0].to_string())),
        ("phone", Some(c[1].to_string())),
        ("address", Some(c[2].to_string())),
        ("plate", (r[1] != *"consultation").then(|| c[3].to_string())),
        ("vehicle_model", Some(c[4].to_string())),
        ("vehicle_type", Some(c[5].to_string())),
        ("checked_in_at", Some(fmt(at.checked_in))),
        ("picked_up_at", at.picked_up.map(fmt)),
        ("items", Some(r[5].to_string())),
        ("maintenance_interval_days", Some(r[6].to_string())),
        ("maintenance_interval_km", Some(r[7].to_string())),
        ("odometer_km", Some(r[8].to_string())),
        ("desired_services", Some(r[9].to_string())),
    ] {
        input.set(k, v);
    }
    input
}

/// The `i`-th visit's archive by its clerk, with its plan of contacts. Most are on time, one
/// in ten late; of the last week's, one in ten still missing; one whose moment is still to
/// come stays open.
fn archive_visit(
    conn: &mut DbConn,
    ctx: &Ctx,
    i: usize,
    at: &At,
    rec: &visits::Recorded,
) -> anyhow::Result<()> {
    let checked_in = at.checked_in;
    let archived_at = match i % 10 {
        0 if at.days_ago <= 7 => None,
        0 => Some(checked_in + Duration::hours(30)),
        1 => Some(checked_in.date().and_hms_opt(10, 0, 0).expect("valid") + Duration::days(3)),
        n => Some(checked_in + Duration::hours(2 + (n as i64 % 3) * 20)),
    };
    let Some(archived_at) = archived_at.filter(|t| *t <= at.now - Duration::minutes(5)) else {
        return Ok(());
    };
    let cust = customer::by_id(conn, rec.customer_id)?.context("demo customer")?;
    let clerk = user::by_id(conn, cust.clerk_id.context("demo clerk")?)?;
    let actor = Actor::of_user(&clerk)?;
    let draft = archive::draft(conn, &actor, rec.visit_id, at.today)
        .map_err(|e| anyhow::anyhow!("demo draft: {e:?}"))?;
    let sheet = ArchiveInput {
        plan: plan(
            i,
            draft.next_maintenance_date.is_some(),
            draft.visit.visit_date,
        ),
        archived_at: Some(archived_at.format("%Y-%m-%dT%H:%M").to_string()),
        ..ArchiveInput::default()
    };
    archive::complete(conn, ctx, &actor, rec.visit_id, &sheet)
        .map_err(|e| anyhow::anyhow!("demo archive {}: {e:?}", i + 1))?;
    Ok(())
}

/// The `i`-th archive's plan: its maintenance reminder (N1) when a next date is set, and one
/// other contact in turn (N3 an offer, N4 a free check, N2 a club meeting).
fn plan(i: usize, reminds: bool, visit_date: NaiveDate) -> Vec<PlanInput> {
    let mut plan = Vec::new();
    if reminds {
        plan.push(PlanInput {
            purpose: Some("N1".into()),
            date: None,
            talking_points: Some("提醒客户按期保养，预约进厂时间".into()),
        });
    }
    let (purpose, days, points) = match i % 3 {
        0 => ("N3", 20, "告知本月优惠服务活动：空调清洗八折"),
        1 => ("N4", 30, "邀请客户参加免费检测周，检查轮胎与刹车"),
        _ => ("N2", 25, "邀请参加车主联谊活动"),
    };
    plan.push(PlanInput {
        purpose: Some(purpose.into()),
        date: Some((visit_date + Duration::days(days)).to_string()),
        talking_points: Some(points.into()),
    });
    plan
}
