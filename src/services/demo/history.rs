//! What the demo's shop did besides the daily calls, each on a clock set to the moment it
//! happened: a clerk away a month ago with a colleague covering (R9), the nightly win-back
//! job finding lost customers (X7), a get-together announced by phone and by letter (R6), the
//! letters of unreachable customers (X1) and a reply to a solved complaint (R8), last month's
//! summary filed (R10), and a clerk away from today.

use crate::db::DbConn;
use crate::domain::event::EventInput;
use crate::domain::role::Role;
use crate::domain::summary::{Period, Report};
use crate::models::task::OpenFilter;
use crate::models::{absence, user};
use crate::services::{absences, calls, events, letters, summaries, win_back, Actor, Ctx};
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

/// `day` at `hour:minute`, as a form writes it.
pub(super) fn at(day: NaiveDate, hour: u32, minute: u32) -> String {
    day.and_hms_opt(hour, minute, 0)
        .expect("valid time")
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// The services' context on a clock stopped at `hour` o'clock on `day` (never later than now).
pub(super) fn ctx_at(ctx: &Ctx, day: NaiveDate, hour: u32) -> Ctx {
    let t = day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"));
    Ctx {
        clock: crate::clock::Clock::at(ctx.clock.tz(), t.min(ctx.clock.now_local())),
        config: ctx.config.clone(),
    }
}

pub(super) fn supervisor(conn: &mut DbConn) -> anyhow::Result<Actor> {
    let sup = user::all(conn)?
        .into_iter()
        .find(|u| u.role == Role::Supervisor)
        .context("demo supervisor")?;
    Actor::of_user(&sup)
}

/// Who works `clerk`'s tasks on `day`: the clerk, or their substitute while they are away
/// (R9; the services record the cover themselves).
pub(super) fn worker(conn: &mut DbConn, clerk: i32, day: NaiveDate) -> anyhow::Result<Actor> {
    let who = match absence::of_clerk_on(conn, clerk, day)? {
        Some(a) => a.substitute_id,
        None => clerk,
    };
    Actor::of_user(&user::by_id(conn, who)?)
}

/// Before the calls are worked: the past absence, the win-back job's run and the event.
pub(super) fn before_calls(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let sup = supervisor(conn)?;
    let clerks = user::clerks_of_store(conn, 1, true)?;
    if clerks.len() >= 3 {
        // R9: a clerk off sick for four days a month ago; a colleague covered the calls.
        absence(
            conn,
            &ctx_at(ctx, today - Duration::days(30), 8),
            &sup,
            (clerks[2].id, clerks[1].id),
            (today - Duration::days(28), today - Duration::days(25)),
            "病假",
        )?;
    }
    // X7: the nightly job, forty days ago, found the customers whose maintenance lapsed.
    win_back::open_tasks(conn, &ctx_at(ctx, today - Duration::days(40), 2))
        .map_err(|e| anyhow::anyhow!("demo win-back: {e:?}"))?;
    // R6: a get-together for the sedan drivers, announced 45 days ago for 22 days ago.
    let input = EventInput {
        kind: Some("get_together".into()),
        title: Some("秋季车主联谊会".into()),
        starts_on: Some((today - Duration::days(22)).to_string()),
        ends_on: Some((today - Duration::days(22)).to_string()),
        place: Some("本店二楼会议室".into()),
        content: Some("安全驾驶讲座、冬季用车常识问答，到场车主赠送玻璃水一桶".into()),
        audience: Some("filtered".into()),
        vehicle_type: Some("轿车".into()),
        ..Default::default()
    };
    events::create(
        conn,
        &ctx_at(ctx, today - Duration::days(45), 9),
        &sup,
        &input,
    )
    .map_err(|e| anyhow::anyhow!("demo past event: {e:?}"))?;
    Ok(())
}

/// After the calls: the letters due, a reply letter, the summary filed, the future event and
/// today's absence.
pub(super) fn after_calls(
    conn: &mut DbConn,
    ctx: &Ctx,
    reply_to: Option<(i32, NaiveDate)>,
) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let sup = supervisor(conn)?;
    send_letters(conn, ctx)?;
    // R8: a reply letter to the first complaint solved and closed, the day after.
    if let Some((item, solved_on)) = reply_to {
        let day = solved_on + Duration::days(1);
        letters::send_reply(conn, &ctx_at(ctx, day, 10), &sup, item, "zh-CN")
            .map_err(|e| anyhow::anyhow!("demo reply letter: {e:?}"))?;
    }
    file_last_month(conn, ctx, &sup)?;
    // R6: a free inspection week three weeks ahead, for the SUV drivers.
    let input = EventInput {
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
    events::create(conn, ctx, &sup, &input).map_err(|e| anyhow::anyhow!("demo event: {e:?}"))?;
    // R9: one clerk is away from today for four days; a colleague covers.
    let clerks = user::clerks_of_store(conn, 1, true)?;
    if clerks.len() >= 2 {
        absence(
            conn,
            ctx,
            &sup,
            (clerks[1].id, clerks[0].id),
            (today, today + Duration::days(3)),
            "年假",
        )?;
    }
    Ok(())
}

fn absence(
    conn: &mut DbConn,
    ctx: &Ctx,
    sup: &Actor,
    (clerk, substitute): (i32, i32),
    (from, to): (NaiveDate, NaiveDate),
    note: &str,
) -> anyhow::Result<()> {
    let input = absences::AbsenceInput {
        clerk_id: Some(clerk),
        substitute_id: Some(substitute),
        from: Some(from.to_string()),
        to: Some(to.to_string()),
        note: Some(note.into()),
    };
    absences::create(conn, ctx, sup, &input).map_err(|e| anyhow::anyhow!("demo absence: {e:?}"))?;
    Ok(())
}

/// R6, X1: every letter task whose window has begun is sent on its first or second day, by
/// whoever works the clerk's tasks then; the newest wait in today's queue.
fn send_letters(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let filter = OpenFilter {
        store_id: Some(1),
        kinds: &calls::LETTER_KINDS,
        ..Default::default()
    };
    for row in crate::models::task::open_list(conn, &filter)? {
        let t = row.task;
        let day = t.window_start + Duration::days(i64::from(t.id % 2));
        if day >= today || t.window_start >= today - Duration::days(1) {
            continue;
        }
        let actor = worker(conn, t.clerk_id, day)?;
        letters::send_task(conn, &ctx_at(ctx, day, 11), &actor, t.id, "zh-CN")
            .map_err(|e| anyhow::anyhow!("demo letter for task {}: {e:?}", t.id))?;
    }
    Ok(())
}

/// R10: last month's summary, assessed at the month's meeting and filed.
fn file_last_month(conn: &mut DbConn, ctx: &Ctx, sup: &Actor) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let last = today.with_day(1).expect("first of the month") - Duration::days(1);
    let report = Report {
        went_well: "首次跟踪大多在窗口内完成，投诉均在两天内上报并当天告知客户。".into(),
        problems: "个别客户多次联系不上；部分二次跟踪逾期。".into(),
        measures: "联系不上的客户改为信函告知；每日晨会检查逾期任务。".into(),
        meeting_on: Some(today.with_day(1).expect("first of the month")),
        attendees: "业务主管、全体跟踪业务员".into(),
    };
    summaries::file(
        conn,
        ctx,
        sup,
        Some(1),
        Period::month(last.year(), last.month()),
        &report,
    )
    .map_err(|e| anyhow::anyhow!("demo summary: {e:?}"))?;
    Ok(())
}
