//! `serve --demo`: a believable shop, loaded into an empty database from `seeds/demo/` with
//! dates relative to today — a supervisor, three clerks, an auditor, an admin, sixty customers
//! and two months of visits. Everything goes through the same services as real work, so the
//! demo obeys the rules: some archives done on time, some late, some still open.

use super::archive::{self, ArchiveInput};
use super::visits::{self, Source};
use super::{absences, accounts, calls, Actor, Ctx};
use crate::db::DbConn;

use crate::domain::archive::PlanInput;
use crate::domain::role::Role;
use crate::domain::visit::VisitInput;
use crate::models::{customer, user};
use anyhow::Context;
use chrono::{Duration, NaiveTime};
use diesel::prelude::*;

const USERS: &str = include_str!("../../seeds/demo/users.csv");
const CUSTOMERS: &str = include_str!("../../seeds/demo/customers.csv");
const VISITS: &str = include_str!("../../seeds/demo/visits.csv");

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
    let users: i64 = crate::db::schema::users::table.count().get_result(conn)?;
    if users > 0 {
        return Ok(false);
    }
    let cli = Actor::cli();
    for r in rows(USERS)? {
        let input = accounts::UserInput {
            username: r[0].into(),
            display_name: r[1].into(),
            role: r[2].into(),
            store: None,
            password: r[3].into(),
        };
        accounts::create_user(conn, ctx, &cli, &input)
            .map_err(|e| anyhow::anyhow!("demo user {}: {e:?}", &r[0]))?;
    }
    let customers = rows(CUSTOMERS)?;
    let now = ctx.clock.now_local();
    let today = ctx.clock.today();
    for (i, r) in rows(VISITS)?.iter().enumerate() {
        let c = &customers[r[0].parse::<usize>()? - 1];
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
        let mut input = VisitInput::default();
        let fmt = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
        for (k, v) in [
            ("external_id", Some(format!("DMS-DEMO-{:04}", i + 1))),
            ("kind", Some(r[1].to_string())),
            ("customer_name", Some(c[0].to_string())),
            ("phone", Some(c[1].to_string())),
            ("address", Some(c[2].to_string())),
            ("plate", (r[1] != *"consultation").then(|| c[3].to_string())),
            ("vehicle_model", Some(c[4].to_string())),
            ("vehicle_type", Some(c[5].to_string())),
            ("checked_in_at", Some(fmt(checked_in))),
            ("picked_up_at", picked_up.map(fmt)),
            ("items", Some(r[5].to_string())),
            ("maintenance_interval_days", Some(r[6].to_string())),
            ("maintenance_interval_km", Some(r[7].to_string())),
            ("odometer_km", Some(r[8].to_string())),
            ("desired_services", Some(r[9].to_string())),
        ] {
            input.set(k, v);
        }
        let rec = visits::record(conn, ctx, &cli, &input, Source::Demo)
            .map_err(|e| anyhow::anyhow!("demo visit {}: {e:?}", i + 1))?;

        // Archives: most on time, one in ten late; of the last week's, one in ten still missing.
        let archived_at = match i % 10 {
            0 if days_ago <= 7 => None,
            0 => Some(checked_in + Duration::hours(30)),
            1 => Some(checked_in.date().and_hms_opt(10, 0, 0).expect("valid") + Duration::days(3)),
            n => Some(checked_in + Duration::hours(2 + (n as i64 % 3) * 20)),
        };
        let Some(archived_at) = archived_at.filter(|t| *t <= now - Duration::minutes(5)) else {
            continue;
        };
        let cust = customer::by_id(conn, rec.customer_id)?.context("demo customer")?;
        let clerk = user::by_id(conn, cust.clerk_id.context("demo clerk")?)?;
        let actor = Actor {
            user_id: Some(clerk.id),
            name: clerk.username.clone(),
            role: Role::Clerk,
            store_id: clerk.store_id,
            ip: None,
        };
        let draft = archive::draft(conn, &actor, rec.visit_id, today)
            .map_err(|e| anyhow::anyhow!("demo draft: {e:?}"))?;
        let visit_date = draft.visit.visit_date;
        let mut plan = Vec::new();
        if draft.next_maintenance_date.is_some() {
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
        let sheet = ArchiveInput {
            plan,
            archived_at: Some(archived_at.format("%Y-%m-%dT%H:%M").to_string()),
            ..ArchiveInput::default()
        };
        archive::complete(conn, ctx, &actor, rec.visit_id, &sheet)
            .map_err(|e| anyhow::anyhow!("demo archive {}: {e:?}", i + 1))?;
    }
    calls(conn, ctx)?;
    complaints(conn, ctx)?;
    // R9: one clerk is away from today for four days; a colleague covers.
    let clerks = user::clerks_of_store(conn, 1, true)?;
    if clerks.len() >= 2 {
        use crate::db::schema::users;
        let sup: user::User = users::table
            .filter(users::role.eq("supervisor"))
            .select(user::User::as_select())
            .first(conn)?;
        let actor = Actor {
            user_id: Some(sup.id),
            name: sup.username.clone(),
            role: Role::Supervisor,
            store_id: sup.store_id,
            ip: None,
        };
        let input = absences::AbsenceInput {
            clerk_id: Some(clerks[1].id),
            substitute_id: Some(clerks[0].id),
            from: Some(today.to_string()),
            to: Some((today + Duration::days(3)).to_string()),
            note: Some("年假".into()),
        };
        absences::create(conn, ctx, &actor, &input)
            .map_err(|e| anyhow::anyhow!("demo absence: {e:?}"))?;
    }
    Ok(true)
}

/// Two months of calls, worked the way a shop works: most follow-ups reached inside their
/// window, some after a failed attempt, a few late or still open; complaints now and then.
fn calls(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    use crate::domain::call::{CallInput, ItemInput};
    use crate::models::task::OpenFilter;
    let today = ctx.clock.today();
    let key_points = [
        "客户反映车辆使用正常，对维修质量满意",
        "客户表示保养后油耗有所下降，服务态度好",
        "客户询问下次保养时间，已告知",
        "客户对等候时间较长有意见，已致歉并记录",
        "介绍了本月空调清洗优惠，客户有兴趣",
    ];
    // X4: one follow-up call a day per customer, so a customer's calls take turns.
    let mut called: std::collections::HashSet<(i32, chrono::NaiveDate)> =
        std::collections::HashSet::new();
    // Three passes: a reached first follow-up opens a second one that may also be due.
    for _ in 0..3 {
        let filter = OpenFilter {
            store_id: Some(1),
            kinds: &calls::CALL_KINDS,
            ..Default::default()
        };
        let open = crate::models::task::open_list(conn, &filter)?;
        let mut worked = 0;
        for row in open {
            let t = row.task;
            let n = i64::from(t.id);
            // Some recent tasks are left for today's queue (a few of them overdue); older ones
            // were called, most inside their window.
            let recent = t.window_end >= today - Duration::days(4);
            if t.window_start >= today || (recent && n % 3 == 0) || n % 23 == 0 {
                continue;
            }
            let late = n % 11 == 0;
            let mut day = if late {
                t.window_end + Duration::days(1 + n % 3)
            } else {
                t.window_start + Duration::days(n % 3)
            };
            if day >= today {
                day = today - Duration::days(1);
            }
            while called.contains(&(t.customer_id, day))
                || (n % 5 == 0 && called.contains(&(t.customer_id, day - Duration::days(1))))
            {
                day += Duration::days(1);
            }
            if day < t.window_start || day >= today {
                continue;
            }
            called.insert((t.customer_id, day));
            if n % 5 == 0 {
                called.insert((t.customer_id, day - Duration::days(1)));
            }
            let clerk = user::by_id(conn, t.clerk_id)?;
            let actor = Actor {
                user_id: Some(clerk.id),
                name: clerk.username.clone(),
                role: Role::Clerk,
                store_id: clerk.store_id,
                ip: None,
            };
            let at = |d: chrono::NaiveDate, h: u32| {
                d.and_hms_opt(h, (n % 50) as u32, 0)
                    .expect("time")
                    .format("%Y-%m-%dT%H:%M")
                    .to_string()
            };
            // One in five was first tried without success the day before.
            if n % 5 == 0 && day > t.window_start {
                let failed = CallInput {
                    outcome: Some("no_answer".into()),
                    called_at: Some(at(day - Duration::days(1), 10)),
                    ..CallInput::default()
                };
                calls::record(conn, ctx, &actor, Some(t.id), None, &failed)
                    .map_err(|e| anyhow::anyhow!("demo attempt: {e:?}"))?;
            }
            let mut items = Vec::new();
            if n % 7 == 0 {
                items.push(ItemInput {
                    kind: Some("complaint".into()),
                    text: Some("上次保养后发动机有异响".into()),
                    answered_on_call: false,
                    answer: None,
                });
            } else if n % 6 == 0 {
                items.push(ItemInput {
                    kind: Some("wish".into()),
                    text: Some("希望保养前短信提醒".into()),
                    answered_on_call: true,
                    answer: Some("已登记，保养前三天短信提醒".into()),
                });
            }
            let reached = CallInput {
                outcome: Some("reached".into()),
                called_at: Some(at(day, 15)),
                key_points: Some(key_points[(n % 5) as usize].into()),
                topics: vec!["C1".into(), if n % 2 == 0 { "C4" } else { "C5" }.into()],
                items,
                satisfied: Some(true),
                event_answer: Some("coming".into()),
                // X6: the follow-ups ask satisfaction; mostly 4–5, now and then low or declined.
                satisfaction: demo_satisfaction(&t.kind, n),
                ..CallInput::default()
            };
            calls::record(conn, ctx, &actor, Some(t.id), None, &reached)
                .map_err(|e| anyhow::anyhow!("demo call: {e:?}"))?;
            worked += 1;
        }
        if worked == 0 {
            break;
        }
    }
    Ok(())
}

/// Complaints older than two days were escalated the next day, solved by the supervisor and
/// the customer told — satisfied — the day after; the newest are still being followed.
fn complaints(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    use crate::domain::call::CallInput;
    use crate::models::item as item_model;
    let today = ctx.clock.today();
    let sup: user::User = {
        use crate::db::schema::users;
        users::table
            .filter(users::role.eq("supervisor"))
            .select(user::User::as_select())
            .first(conn)?
    };
    let sup_actor = Actor {
        user_id: Some(sup.id),
        name: sup.username.clone(),
        role: Role::Supervisor,
        store_id: sup.store_id,
        ip: None,
    };
    for it in item_model::pending_of_store(conn, 1)? {
        if it.raised_on > today - Duration::days(3) {
            continue;
        }
        let clerk = user::by_id(conn, it.clerk_id)?;
        let actor = Actor {
            user_id: Some(clerk.id),
            name: clerk.username.clone(),
            role: Role::Clerk,
            store_id: clerk.store_id,
            ip: None,
        };
        let at = |d: chrono::NaiveDate, h: u32| {
            d.and_hms_opt(h, 0, 0)
                .expect("time")
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        let day1 = it.raised_on + Duration::days(1);
        let day2 = it.raised_on + Duration::days(2);
        super::items::escalate(
            conn,
            ctx,
            &actor,
            it.id,
            Some(&at(day1, 10)),
            Some("需要主管决定是否免费复查"),
        )
        .map_err(|e| anyhow::anyhow!("demo escalate: {e:?}"))?;
        let call = super::items::solve(
            conn,
            ctx,
            &sup_actor,
            it.id,
            "安排免费复查，更换发动机支架",
            Some(&at(day2, 9)),
        )
        .map_err(|e| anyhow::anyhow!("demo solve: {e:?}"))?;
        let told = CallInput {
            outcome: Some("reached".into()),
            called_at: Some(at(day2, 16)),
            key_points: Some("已告知免费复查安排，客户满意".into()),
            satisfied: Some(true),
            ..CallInput::default()
        };
        calls::record(conn, ctx, &actor, Some(call), None, &told)
            .map_err(|e| anyhow::anyhow!("demo solution call: {e:?}"))?;
    }
    // R6: a free inspection week three weeks ahead, for the SUV drivers.
    let input = crate::domain::event::EventInput {
        kind: Some("free_service".into()),
        title: Some("冬季免费检测周".into()),
        starts_on: Some((today + Duration::days(21)).to_string()),
        ends_on: Some((today + Duration::days(27)).to_string()),
        place: Some("本店服务大厅".into()),
        content: Some("免费检测刹车、轮胎、蓄电池和灯光，检测期间更换配件享九折".into()),
        audience: Some("filtered".into()),
        vehicle_type: Some("SUV".into()),
        ..Default::default()
    };
    super::events::create(conn, ctx, &sup_actor, &input)
        .map_err(|e| anyhow::anyhow!("demo event: {e:?}"))?;
    Ok(())
}

/// X6: a demo answer for a reached follow-up (none on other calls): mostly 4–5, one in eleven
/// declined, one in thirteen low (which opens a complaint).
fn demo_satisfaction(kind: &str, n: i64) -> crate::domain::satisfaction::SatisfactionInput {
    use crate::domain::satisfaction::{SatisfactionInput, ASPECTS};
    if kind != "first_follow_up" && kind != "second_follow_up" {
        return SatisfactionInput::default();
    }
    let overall = match n % 13 {
        0 => "2".to_string(),
        _ if n % 11 == 0 => "declined".to_string(),
        m => (if m % 3 == 0 { 4 } else { 5 }).to_string(),
    };
    let aspects = if overall == "declined" {
        Vec::new()
    } else {
        ASPECTS
            .iter()
            .enumerate()
            .map(|(i, a)| (a.to_string(), (3 + (n + i as i64) % 3).to_string()))
            .collect()
    };
    SatisfactionInput {
        overall: Some(overall),
        aspects,
    }
}
