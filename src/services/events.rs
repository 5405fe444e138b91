//! R6: customer events. Creating an event invites its audience: each invitee gets an
//! `event_notice` call for their clerk, due by the start date − 14 (an event created later
//! than that is late from the start, and counted so). A notice call made on P opens an
//! `event_letter` due by P + 2, which the clerk sends or waives with a reason (视情况需要).

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::call::EventAnswer;
use crate::domain::error::FieldError;
use crate::domain::event::{self, EventInput};
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
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
            &audit::detail(&[("invitees", invitees.len().into())]),
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

/// An event as the pages show it.
pub use crate::models::event::Event;

/// The events page: the store's events, newest first, and its clerks (an audience choice).
pub fn list_page(
    conn: &mut DbConn,
    store: i32,
) -> SResult<(Vec<Event>, Vec<super::accounts::User>)> {
    Ok((
        event_model::of_store(conn, store)?,
        crate::models::user::clerks_of_store(conn, store, false)?,
    ))
}

/// One invitee of an event: their answer, the notice call and the letter (R6, R8).
#[derive(Debug, serde::Serialize)]
pub struct Invitee {
    pub customer_id: i32,
    pub name: String,
    pub answer: Option<String>,
    pub notice_status: Option<TaskStatus>,
    pub notice_done_on: Option<NaiveDate>,
    pub notice_timeliness: Option<crate::domain::task::Timeliness>,
    pub notice_reason: Option<CloseReason>,
    pub letter_task: Option<i32>,
    pub letter_status: Option<TaskStatus>,
    pub letter_reason: Option<CloseReason>,
    pub letter_note: Option<String>,
    pub letter_done_on: Option<NaiveDate>,
}

/// An event's page: the event, when its notices are due and whether it was late from the
/// start (created after E − 14, R6), each invitee, and the letter-register lines it gave.
#[derive(Debug, serde::Serialize)]
pub struct EventPage {
    pub event: Event,
    pub notice_due: NaiveDate,
    pub late_from_start: bool,
    pub rows: Vec<Invitee>,
    pub letters: Vec<crate::models::letter::LetterLine>,
}

pub fn page(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, id: i32) -> SResult<EventPage> {
    let e = event_model::by_id(conn, id)?
        .filter(|e| actor.in_store(e.store_id))
        .ok_or(ServiceError::NotFound("event"))?;
    let today = ctx.clock.today();
    let tasks = task::of_event(conn, id)?;
    let of = |cid: i32, kind: TaskKind| {
        tasks
            .iter()
            .find(|t| t.customer_id == cid && t.kind == kind)
    };
    let rows = event_model::invitees(conn, id)?
        .into_iter()
        .map(|(cid, name, answer)| {
            let notice = of(cid, TaskKind::EventNotice);
            let letter = of(cid, TaskKind::EventLetter);
            Invitee {
                customer_id: cid,
                name,
                answer,
                notice_status: notice.map(|n| n.status),
                notice_done_on: notice.and_then(|n| n.done_on),
                notice_timeliness: notice.and_then(|n| {
                    crate::domain::task::timeliness(n.window(), n.status, n.done_on, today)
                }),
                notice_reason: notice.and_then(|n| n.close_reason),
                letter_task: letter.map(|l| l.id),
                letter_status: letter.map(|l| l.status),
                letter_reason: letter.and_then(|l| l.close_reason),
                letter_note: letter.and_then(|l| l.note.clone()),
                letter_done_on: letter.and_then(|l| l.done_on),
            }
        })
        .collect();
    let notice_due = ctx.cadence().event_notice(e.created_on, e.starts_on).end;
    Ok(EventPage {
        // R6: notices are due by E − 14; an event created later is late from the start.
        late_from_start: crate::domain::event::late_from_start(notice_due, e.created_on),
        notice_due,
        letters: crate::models::letter::of_event(conn, id)?,
        event: e,
        rows,
    })
}

/// The open letters of an event (R6: the letter after each notice call), composed to print.
pub fn open_letters(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    id: i32,
    lang: &str,
) -> SResult<Vec<super::letters::Composed>> {
    let open: Vec<i32> = task::of_event(conn, id)?
        .into_iter()
        .filter(|t| t.kind == TaskKind::EventLetter && t.status == TaskStatus::Open)
        .map(|t| t.id)
        .collect();
    open.into_iter()
        .map(|tid| Ok(super::letters::for_task(conn, ctx, actor, tid, lang)?.0))
        .collect()
}

/// The title of an event of `store`, if it is one (a queue filtered to its notice calls).
pub fn title_in_store(conn: &mut DbConn, id: i32, store: i32) -> SResult<Option<String>> {
    Ok(event_model::by_id(conn, id)?
        .filter(|e| e.store_id == store)
        .map(|e| e.title))
}
