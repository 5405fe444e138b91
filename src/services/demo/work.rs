//! The demo's calls, worked the way a shop works: most follow-ups reached inside their window,
//! some after a failed attempt (every failure outcome and a call-back request take turns), a
//! few late, a few never reached and closed as unreachable (X1), some still open; complaints
//! and requests followed to the end (R4b–R4d). Each call is recorded on a clock set a few
//! minutes after it, by the clerk or — on the days the clerk is away — their substitute (R9).

use super::history::{at, ctx_at, supervisor, worker};
use crate::db::DbConn;
use crate::domain::call::{CallInput, ItemInput, ItemKind, Outcome};
use crate::domain::task::TaskKind;
use crate::models::task::{OpenFilter, Task};
use crate::services::{calls, items, Ctx};
use chrono::{Duration, NaiveDate};
use std::collections::HashSet;

const KEY_POINTS: [&str; 5] = [
    "客户反映车辆使用正常，对维修质量满意",
    "客户表示保养后油耗有所下降，服务态度好",
    "客户询问下次保养时间，已告知",
    "客户对等候时间较长有意见，已致歉并记录",
    "介绍了本月空调清洗优惠，客户有兴趣",
];

/// The outcomes of a first attempt that did not reach the customer, in turn.
const FAILED: [Outcome; 5] = [
    Outcome::NoAnswer,
    Outcome::Busy,
    Outcome::CallbackRequested,
    Outcome::WrongNumber,
    Outcome::Refused,
];

/// The days already holding a follow-up call of a customer (X4: one a day per customer).
type Called = HashSet<(i32, NaiveDate)>;

/// Works the open call tasks in passes: a reached first follow-up opens a second one that may
/// also be due, a reached notice call opens its letter.
pub(super) fn calls(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let mut called = Called::new();
    for _ in 0..4 {
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
            // Some recent tasks are left for today's queue (a few of them overdue, none from
            // before the demo's two months); older ones were called, most inside their window.
            let recent = t.window_end >= today - Duration::days(4);
            let forgotten = n % 23 == 0 && t.window_end >= today - Duration::days(60);
            if t.window_start >= today || (recent && n % 3 == 0) || forgotten {
                continue;
            }
            let kind = Some(t.kind);
            let follow_up = matches!(
                kind,
                Some(TaskKind::FirstFollowUp | TaskKind::SecondFollowUp)
            );
            if follow_up && !recent && n % 17 == 0 {
                worked += unreachable(conn, ctx, &t, &mut called)? as usize;
                continue;
            }
            worked += reach(conn, ctx, &t, kind, &mut called)? as usize;
        }
        if worked == 0 {
            break;
        }
    }
    Ok(())
}

/// The first free day for a customer's call from `day` on (and the day before it too, when an
/// attempt comes first).
fn free_day(called: &Called, customer: i32, mut day: NaiveDate, with_attempt: bool) -> NaiveDate {
    while called.contains(&(customer, day))
        || (with_attempt && called.contains(&(customer, day - Duration::days(1))))
    {
        day += Duration::days(1);
    }
    day
}

/// A reached call on the task, one in five after a failed attempt the day before.
fn reach(
    conn: &mut DbConn,
    ctx: &Ctx,
    t: &Task,
    kind: Option<TaskKind>,
    called: &mut Called,
) -> anyhow::Result<bool> {
    let today = ctx.clock.today();
    let n = i64::from(t.id);
    let late = n % 11 == 0;
    let first = if late {
        t.window_end + Duration::days(1 + n % 3)
    } else {
        t.window_start + Duration::days(n % 3)
    };
    let with_attempt = n % 5 == 0;
    let day = free_day(
        called,
        t.customer_id,
        first.min(today - Duration::days(1)),
        with_attempt,
    );
    if day < t.window_start || day >= today {
        return Ok(false);
    }
    called.insert((t.customer_id, day));
    let minute = (n % 50) as u32;
    if with_attempt && day > t.window_start {
        called.insert((t.customer_id, day - Duration::days(1)));
        let outcome = FAILED[((n / 5) % FAILED.len() as i64) as usize];
        let failed = CallInput {
            outcome: Some(outcome.as_str().into()),
            called_at: Some(at(day - Duration::days(1), 10, minute)),
            // X2: the customer asked to be called back the next afternoon.
            callback_at: (outcome == Outcome::CallbackRequested).then(|| at(day, 15, 0)),
            ..CallInput::default()
        };
        record(conn, ctx, t, day - Duration::days(1), 10, &failed)?;
    }
    let items = if n % 7 == 0 {
        vec![item(ItemKind::Complaint, "上次保养后发动机有异响", None)]
    } else if n % 9 == 0 {
        vec![item(ItemKind::Request, "希望提供原厂配件的价格清单", None)]
    } else if n % 6 == 0 {
        vec![item(
            ItemKind::Wish,
            "希望保养前短信提醒",
            Some("已登记，保养前三天短信提醒"),
        )]
    } else {
        Vec::new()
    };
    let reached = CallInput {
        outcome: Some("reached".into()),
        called_at: Some(at(day, 15, minute)),
        key_points: Some(KEY_POINTS[(n % 5) as usize].into()),
        topics: vec!["C1".into(), if n % 2 == 0 { "C4" } else { "C5" }.into()],
        items,
        satisfied: Some(true),
        event_answer: Some(if n % 4 == 0 { "undecided" } else { "coming" }.into()),
        // X6: the follow-ups ask satisfaction; mostly 4–5, now and then low or declined.
        satisfaction: demo_satisfaction(kind, n),
        // X7: why a lost customer stopped coming.
        win_back_reason: (kind == Some(TaskKind::WinBack)).then(|| "price".into()),
        ..CallInput::default()
    };
    record(conn, ctx, t, day, 15, &reached)?;
    Ok(true)
}

/// X1: three failed attempts on three days, then the task closed as unreachable (its letter
/// is sent by `history::after_calls`).
fn unreachable(
    conn: &mut DbConn,
    ctx: &Ctx,
    t: &Task,
    called: &mut Called,
) -> anyhow::Result<bool> {
    let today = ctx.clock.today();
    let attempts = i64::from(ctx.cadence().unreachable_after_attempts);
    let first = free_day(called, t.customer_id, t.window_start, false);
    let days: Vec<NaiveDate> = (0..attempts).map(|k| first + Duration::days(k)).collect();
    let last = *days.last().expect("at least one attempt");
    if last >= today || days.iter().any(|d| called.contains(&(t.customer_id, *d))) {
        return Ok(false);
    }
    for (k, d) in days.iter().enumerate() {
        called.insert((t.customer_id, *d));
        let outcome = if k % 2 == 0 {
            Outcome::NoAnswer
        } else {
            Outcome::Busy
        };
        let failed = CallInput {
            outcome: Some(outcome.as_str().into()),
            called_at: Some(at(*d, 11, 0)),
            ..CallInput::default()
        };
        record(conn, ctx, t, *d, 11, &failed)?;
    }
    let actor = worker(conn, t.clerk_id, last)?;
    calls::close_unreachable(conn, &ctx_at(ctx, last, 17), &actor, t.id)
        .map_err(|e| anyhow::anyhow!("demo unreachable {}: {e:?}", t.id))?;
    Ok(true)
}

/// Customers who called the shop (R7's inbound calls): questions answered on the line, and a
/// complaint taken down, which the complaints pass then follows.
pub(super) fn inbound(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<()> {
    let today = ctx.clock.today();
    let calls_in: [(i32, i64, &str, &str, Option<&str>); 4] = [
        (
            5,
            20,
            "inquiry",
            "客户来电询问保养套餐价格，已介绍三种套餐",
            None,
        ),
        (
            12,
            12,
            "complaint",
            "客户来电反映洗车不干净",
            Some("取车时车内仍有灰尘，希望改进"),
        ),
        (25, 6, "inquiry", "客户来电预约下周二上午保养", None),
        (40, 3, "inquiry", "客户来电询问延保条款，已说明", None),
    ];
    for (customer, days_ago, category, points, complaint) in calls_in {
        let Some(c) = crate::models::customer::by_id(conn, customer)? else {
            continue;
        };
        let day = today - Duration::days(days_ago);
        let actor = worker(conn, c.clerk_id.unwrap_or(1), day)?;
        let input = CallInput {
            direction: Some("inbound".into()),
            category: Some(category.into()),
            outcome: Some("reached".into()),
            called_at: Some(at(day, 14, 20)),
            key_points: Some(points.into()),
            items: complaint
                .map(|text| item(ItemKind::Complaint, text, None))
                .into_iter()
                .collect(),
            ..CallInput::default()
        };
        calls::record(
            conn,
            &ctx_at(ctx, day, 15),
            &actor,
            None,
            Some(c.id),
            &input,
        )
        .map_err(|e| anyhow::anyhow!("demo inbound call: {e:?}"))?;
    }
    Ok(())
}

/// An item raised on a call; `answer`: answered there and then (R4b).
fn item(kind: ItemKind, text: &str, answer: Option<&str>) -> ItemInput {
    ItemInput {
        kind: Some(kind.as_str().into()),
        text: Some(text.into()),
        answered_on_call: answer.is_some(),
        answer: answer.map(Into::into),
    }
}

/// Records a call on the task `hour` o'clock on `day`, by whoever works the clerk's tasks then.
fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    t: &Task,
    day: NaiveDate,
    hour: u32,
    input: &CallInput,
) -> anyhow::Result<()> {
    let actor = worker(conn, t.clerk_id, day)?;
    calls::record(
        conn,
        &ctx_at(ctx, day, hour + 1),
        &actor,
        Some(t.id),
        None,
        input,
    )
    .map_err(|e| anyhow::anyhow!("demo call on task {}: {e:?}", t.id))?;
    Ok(())
}

/// Items older than two days: a request researched first (a note), then each escalated the
/// next day, solved by the supervisor and the customer told the day after — satisfied, except
/// for the latest of them, which is reopened (R4d); the last two days' items are still being
/// followed.
/// Returns the last item closed and the day it was solved (its reply letter follows).
pub(super) fn complaints(conn: &mut DbConn, ctx: &Ctx) -> anyhow::Result<Option<(i32, NaiveDate)>> {
    use crate::models::item as item_model;
    let today = ctx.clock.today();
    let sup = supervisor(conn)?;
    let due: Vec<_> = item_model::pending_of_store(conn, 1)?
        .into_iter()
        .filter(|it| it.raised_on <= today - Duration::days(3))
        .collect();
    // The newest of them is the one the customer is not satisfied with: reopened lately.
    let reopened = due
        .iter()
        .max_by_key(|it| (it.raised_on, it.id))
        .map(|it| it.id);
    let mut closed = None;
    for it in due {
        let day1 = it.raised_on + Duration::days(1);
        let day2 = it.raised_on + Duration::days(2);
        let actor = worker(conn, it.clerk_id, day1)?;
        if it.kind == ItemKind::Request {
            items::note(
                conn,
                &ctx_at(ctx, day1, 9),
                &actor,
                it.id,
                "已向配件部索取价格清单，等待回复",
            )
            .map_err(|e| anyhow::anyhow!("demo note: {e:?}"))?;
        }
        items::escalate(
            conn,
            &ctx_at(ctx, day1, 11),
            &actor,
            it.id,
            Some(&at(day1, 10, 0)),
            Some("需要主管决定是否免费复查"),
        )
        .map_err(|e| anyhow::anyhow!("demo escalate: {e:?}"))?;
        let call = items::solve(
            conn,
            &ctx_at(ctx, day2, 10),
            &sup,
            it.id,
            "安排免费复查，更换发动机支架",
            Some(&at(day2, 9, 0)),
        )
        .map_err(|e| anyhow::anyhow!("demo solve: {e:?}"))?;
        let satisfied = Some(it.id) != reopened;
        let told = CallInput {
            outcome: Some("reached".into()),
            called_at: Some(at(day2, 16, 0)),
            key_points: Some(
                if satisfied {
                    "已告知免费复查安排，客户满意"
                } else {
                    "已告知处理方案，客户仍不满意，要求重新处理"
                }
                .into(),
            ),
            satisfied: Some(satisfied),
            ..CallInput::default()
        };
        let actor = worker(conn, it.clerk_id, day2)?;
        calls::record(
            conn,
            &ctx_at(ctx, day2, 17),
            &actor,
            Some(call),
            None,
            &told,
        )
        .map_err(|e| anyhow::anyhow!("demo solution call: {e:?}"))?;
        // The reply letter goes out inside the months the demo shows, not today.
        if satisfied && day2 < today - Duration::days(4) {
            closed = Some((it.id, day2));
        }
    }
    Ok(closed)
}

/// X6: a demo answer for a reached follow-up (none on other calls): mostly 4–5, one in eleven
/// declined, one in thirteen low (which opens a complaint).
fn demo_satisfaction(
    kind: Option<TaskKind>,
    n: i64,
) -> crate::domain::satisfaction::SatisfactionInput {
    use crate::domain::satisfaction::{SatisfactionInput, ASPECTS};
    if !matches!(
        kind,
        Some(TaskKind::FirstFollowUp | TaskKind::SecondFollowUp)
    ) {
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
