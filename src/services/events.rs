//! R6: customer events. Creating an event invites its audience: each invitee gets an
//! `event_notice` call for their clerk, due by the start date − 14 (an event created later
//! than that is late from the start, and counted so). A notice call made on P opens an
//! `event_letter` due by P + 2, which the clerk sends or waives with a reason (视情况需要).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::call::EventAnswer;
use crate::domain::error::FieldError;
use crate::domain::event::{self, EventInput};
use crate::domain::task::{CloseReason, TaskKind};
use crate::models::event::{self as event_model, NewEvent};
use crate::models::task::{NewTask, Task};
use crate::models::{customer, task, trunc};
use chrono::NaiveDate;

pub fn create(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, input: &EventInput) -> SResult<i32> {
    let today = ctx.clock.today();
    let e = event::validate(input, today)?;
    let store_id = actor
        .store_id
        .ok_or_else(|| FieldError::new("store", "store-required"))?;
    write_tx(conn, |conn| {
        let invitees = event_model::audience(conn, store_id, &e.audience, today)?;
        if invitees.is_empty() {
            return Err(FieldError::new("audience", "audience-empty").into());
        }
        let now = trunc(ctx.clock.now_utc());
        let audience = serde_json::to_string(&e.audience).expect("serialisable");
        let id = event_model::insert(
            conn,
            &NewEvent {
                store_id,
                kind: e.kind.as_str(),
                title: &e.title,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
                place: &e.place,
                content: &e.content,
                audience: &audience,
                created_on: today,
                created_by: actor.user_id,
                created_at: now,
            },
        )?;
        let window = ctx.cadence().event_notice(today, e.starts_on);
        for (customer_id, clerk, no_calls) in &invitees {
            let Some(clerk) = clerk else { continue };
            let t = NewTask {
                store_id,
                kind: TaskKind::EventNotice,
                customer_id: *customer_id,
                visit_id: None,
                clerk_id: *clerk,
                window,
                planned_contact_id: None,
                item_id: None,
                event_id: Some(id),
            };
            let tid = task::insert(conn, &t, now)?;
            if *no_calls {
                // X4: a customer who refuses calls is not called; not "missed" either.
                task::close(
                    conn,
                    tid,
                    CloseReason::RefusesChannel,
                    now,
                    today,
                    actor.user_id,
                )?;
            }
            event_model::invitee_insert(conn, id, *customer_id, Some(tid))?;
        }
        audit::record(
            conn,
            ctx,
            actor,
            "event.create",
            &e.title,
            &format!("{} invitees", invitees.len()),
            "ok",
        )?;
        Ok(id)
    })
}

/// After a reached notice call on `p`: the customer's answer, and the letter task P … P+2
/// (closed at once for a customer who refuses letters, X4). Runs in the call's transaction.
pub fn after_notice_call(
    conn: &mut DbConn,
    ctx: &Ctx,
    notice: &Task,
    event_id: i32,
    p: NaiveDate,
    answer: Option<EventAnswer>,
) -> SResult<Option<i32>> {
    if let Some(a) = answer {
        event_model::set_answer(conn, event_id, notice.customer_id, a.as_str())?;
    }
    let c = customer::by_id(conn, notice.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    let now = trunc(ctx.clock.now_utc());
    let t = NewTask {
        store_id: notice.store_id,
        kind: TaskKind::EventLetter,
        customer_id: notice.customer_id,
        visit_id: None,
        clerk_id: notice.clerk_id,
        window: ctx.cadence().event_letter(p),
        planned_contact_id: None,
        item_id: None,
        event_id: Some(event_id),
    };
    let id = task::insert(conn, &t, now)?;
    if c.no_letters {
        task::close(conn, id, CloseReason::RefusesChannel, now, p, None)?;
    }
    Ok(Some(id))
}
