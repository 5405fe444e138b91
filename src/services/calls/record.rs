//! R7: recording one call, as the steps of the rule — the checks that it may be made (R9,
//! X4), its record and register line, what was asked and raised on it (X6, X7, R4a–R4c), and
//! what it does to its task (R4, R5, R4d, R6, X1, X2).

use super::{open_second_follow_up, validate, Recorded, RecordedItem};
use crate::db::{write_tx, DbConn};
use crate::domain::call::{self, CallInput, Category, Direction, Outcome};
use crate::domain::error::FieldError;
use crate::domain::item::ItemStatus;
use crate::domain::register::Register;
use crate::domain::task::{TaskKind, TaskStatus};
use crate::models::call::{CallRecord, Item, RegisterLine};
use crate::models::customer::Customer;
use crate::models::register_counter;
use crate::models::task::Task;
use crate::models::user::User;
use crate::models::{call as call_model, customer, task, trunc, user, visit};
use crate::services::cover::may_work_on;
use crate::services::{Actor, Ctx, SResult, ServiceError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// Records one call, on a task or (inbound, or outbound without a task) on a customer: the
/// checks that it may be made, its record and register line (R7), what was asked and raised
/// on it (X6, X7, R4a), and what it does to its task (R4, R5, X1, X2).
pub fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: Option<i32>,
    customer_id: Option<i32>,
    input: &CallInput,
) -> SResult<Recorded> {
    write_tx(conn, |conn| {
        let task = task_of(conn, task_id)?;
        let cust = customer_of(conn, task.as_ref(), customer_id)?;
        let v = validate(ctx, input, task.as_ref().map(|t| t.kind))?;
        let covering_for = covering_for(conn, actor, task.as_ref(), &cust, &v)?;
        check_may_call(conn, task.as_ref(), &cust, &v)?;
        let handler = user::by_id(conn, actor.user_id.ok_or(ServiceError::Forbidden)?)?;
        let call = Call::new(ctx, task.as_ref(), &cust, &v, &handler);
        // R7 / R11: the record and the register line take their numbers in the year of the
        // call's own local date.
        let year = call.called_on.year();
        let (_, record_no) =
            register_counter::next(conn, cust.store_id, Register::CallRecords, year)?;
        let (_, register_no) =
            register_counter::next(conn, cust.store_id, Register::CallRegister, year)?;
        let record = write_record(conn, &call, &record_no, covering_for)?;
        write_register_line(conn, &call, &record, &register_no)?;
        let raised = record_satisfaction(conn, &call, record.id)?;
        record_win_back(conn, &call, record.id)?;
        let items = write_items(conn, &call, record.id, &raised)?;
        let (completed_task, opened_task) = apply_to_task(conn, &call)?;
        Ok(Recorded {
            record_no,
            register_no,
            call_record_id: record.id,
            items,
            completed_task,
            opened_task,
        })
    })
}

/// One call being recorded: what every step after the checks reads.
struct Call<'a> {
    ctx: &'a Ctx,
    task: Option<&'a Task>,
    cust: &'a Customer,
    v: &'a call::ValidCall,
    handler: &'a User,
    now: NaiveDateTime,
    /// The call's time in UTC, and its own local date.
    called_at: NaiveDateTime,
    called_on: NaiveDate,
}

impl<'a> Call<'a> {
    fn new(
        ctx: &'a Ctx,
        task: Option<&'a Task>,
        cust: &'a Customer,
        v: &'a call::ValidCall,
        handler: &'a User,
    ) -> Call<'a> {
        let clock = ctx.clock;
        Call {
            ctx,
            task,
            cust,
            v,
            handler,
            now: trunc(clock.now_utc()),
            called_at: trunc(clock.to_utc(v.called_at)),
            called_on: v.called_at.date(),
        }
    }

    /// The clerk's step on an item's timeline, at the time of the call.
    fn step(&self) -> crate::models::item::Step<'a> {
        crate::models::item::Step {
            at: self.called_at,
            on: self.called_on,
            by_id: Some(self.handler.id),
            by_name: &self.handler.display_name,
        }
    }
}

/// The task the call is made on, if it names one (an unknown id is the caller's mistake).
fn task_of(conn: &mut DbConn, task_id: Option<i32>) -> SResult<Option<Task>> {
    match task_id {
        Some(id) => {
            Ok(Some(task::by_id(conn, id)?.ok_or_else(|| {
                FieldError::new("task_id", "task-unknown")
            })?))
        }
        None => Ok(None),
    }
}

/// The customer called: the task's, which a named customer must match; a merged customer
/// lives on in the one they were merged into, so calls go there.
fn customer_of(
    conn: &mut DbConn,
    task: Option<&Task>,
    customer_id: Option<i32>,
) -> SResult<Customer> {
    let customer_id = match (task, customer_id) {
        (Some(t), Some(c)) if t.customer_id != c => {
            return Err(FieldError::new("customer_id", "customer-not-of-task").into())
        }
        (Some(t), _) => t.customer_id,
        (None, Some(c)) => c,
        (None, None) => return Err(FieldError::new("customer_id", "required").into()),
    };
    let cust = customer::by_id(conn, customer_id)?
        .ok_or_else(|| FieldError::new("customer_id", "customer-unknown"))?;
    if cust.merged_into_id.is_some() {
        return Err(FieldError::new("customer_id", "customer-merged").into());
    }
    Ok(cust)
}

/// Whether the actor may make this call, and the absent clerk it is made for (R9).
fn covering_for(
    conn: &mut DbConn,
    actor: &Actor,
    task: Option<&Task>,
    cust: &Customer,
    v: &call::ValidCall,
) -> SResult<Option<i32>> {
    let called_on = v.called_at.date();
    let owner = task.map(|t| t.clerk_id).or(cust.clerk_id).unwrap_or(0);
    // R7, ASVS 8.2.2: an inbound call that no task asked for is registered by whichever
    // clerk of the store takes it (they saw the card); everything else needs the customer.
    if task.is_none() && v.direction == Direction::Inbound {
        crate::services::access::card_only(conn, actor, cust, called_on)?;
        Ok(may_work_on(conn, actor, cust.store_id, owner, called_on).unwrap_or(None))
    } else {
        may_work_on(conn, actor, cust.store_id, owner, called_on)
    }
}

/// The call may be made: its task is still open, and an outbound call respects X4.
fn check_may_call(
    conn: &mut DbConn,
    task: Option<&Task>,
    cust: &Customer,
    v: &call::ValidCall,
) -> SResult<()> {
    if let Some(t) = task {
        if t.status != TaskStatus::Open {
            return Err(ServiceError::Conflict("task-not-open"));
        }
    }
    if v.direction != Direction::Outbound {
        return Ok(());
    }
    // X4: a customer who refuses calls gets none.
    if cust.no_calls {
        return Err(FieldError::new("customer_id", "customer-refuses-calls").into());
    }
    // X4: at most one outbound follow-up call a day, unless a complaint is open or
    // the customer asked to be called back.
    if matches!(v.category, Category::FollowUp | Category::Reminder) {
        let today = call_model::outbound_follow_ups_on(conn, cust.id, v.called_at.date())?;
        let asked_back = today.contains(&Outcome::CallbackRequested);
        if !today.is_empty() && !asked_back && !call_model::has_open_complaint(conn, cust.id)? {
            return Err(FieldError::new("called_at", "already-called-today").into());
        }
    }
    Ok(())
}

/// R7: the call record (the detail), chained; the plate is the task's visit's vehicle, else
/// the customer's first.
fn write_record(
    conn: &mut DbConn,
    call: &Call,
    record_no: &str,
    covering_for: Option<i32>,
) -> SResult<CallRecord> {
    let (cust, v) = (call.cust, call.v);
    let plate = match call.task.and_then(|t| t.visit_id) {
        Some(vid) => visit::by_id(conn, vid)?.and_then(|v| v.vehicle_id),
        None => None,
    };
    let vehicles = customer::vehicles_of(conn, cust.id)?;
    let plate = plate
        .and_then(|id| vehicles.iter().find(|x| x.id == id))
        .or(vehicles.first())
        .map(|x| x.plate.clone());
    let clock = call.ctx.clock;
    let mut record = CallRecord {
        id: 0,
        store_id: cust.store_id,
        record_no: record_no.to_string(),
        customer_id: cust.id,
        task_id: call.task.map(|t| t.id),
        direction: v.direction,
        category: v.category,
        outcome: v.outcome,
        called_at: call.called_at,
        called_on: call.called_on,
        callback_at: v.callback_at.map(|t| trunc(clock.to_utc(t))),
        customer_name: cust.name.clone(),
        phone: cust.phone.clone(),
        plate,
        topics: v
            .topics
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(","),
        key_points: v.key_points.clone(),
        satisfied: v.satisfied,
        event_answer: v.event_answer,
        handled_by_id: call.handler.id,
        handled_by: call.handler.display_name.clone(),
        covering_for_id: covering_for,
        created_at: call.now,
    };
    record.id = call_model::insert_record(conn, &record)?;
    crate::registers::chain::append(
        conn,
        Register::CallRecords,
        &crate::registers::chain::call_record_line(&record),
        call.now,
    )?;
    Ok(record)
}

/// R7: the call-register line (the ledger), a snapshot of the record, chained.
fn write_register_line(
    conn: &mut DbConn,
    call: &Call,
    record: &CallRecord,
    register_no: &str,
) -> SResult<()> {
    let mut line = RegisterLine {
        id: 0,
        store_id: record.store_id,
        register_no: register_no.to_string(),
        call_record_id: record.id,
        record_no: record.record_no.clone(),
        called_on: record.called_on,
        customer_name: call.cust.name.clone(),
        phone: call.cust.phone.clone(),
        direction: record.direction,
        category: record.category,
        outcome: record.outcome,
        handled_by_id: call.handler.id,
        handled_by: call.handler.display_name.clone(),
        created_at: call.now,
    };
    line.id = call_model::insert_register(conn, &line)?;
    crate::registers::chain::append(
        conn,
        Register::CallRegister,
        &crate::registers::chain::register_line(&line),
        call.now,
    )?;
    Ok(())
}

/// X6: the satisfaction is stored with the call, counted for the advisor of the visit. The
/// items to raise: the clerk's, and a complaint for a low score.
fn record_satisfaction(
    conn: &mut DbConn,
    call: &Call,
    record_id: i32,
) -> SResult<Vec<call::ValidItem>> {
    let visit_of_task = match call.task.and_then(|t| t.visit_id) {
        Some(vid) => visit::by_id(conn, vid)?,
        None => None,
    };
    let mut raised = call.v.items.clone();
    if let Some(s) = &call.v.satisfaction {
        crate::models::satisfaction::insert(
            conn,
            &crate::models::satisfaction::Asked {
                call_record_id: record_id,
                store_id: call.cust.store_id,
                customer_id: call.cust.id,
                called_on: call.called_on,
                handled_by_id: call.handler.id,
                advisor_id: visit_of_task.as_ref().and_then(|x| x.advisor_id),
            },
            s,
        )?;
        // X6: an overall 1 or 2 opens a complaint item on this call (R4a, so R4c and R4d
        // follow it), unless the clerk recorded one already.
        if s.is_low() && !raised.iter().any(|i| i.kind == call::ItemKind::Complaint) {
            let lang = &call.ctx.config.settings.language;
            raised.push(call::ValidItem {
                kind: call::ItemKind::Complaint,
                text: crate::i18n::I18N.t_args(
                    lang,
                    "satisfaction-low-item",
                    &[("score", s.score().unwrap_or(0).to_string())],
                ),
                answered_on_call: false,
                answer: None,
            });
        }
    }
    Ok(raised)
}

/// X7: why the lost customer stopped coming.
fn record_win_back(conn: &mut DbConn, call: &Call, record_id: i32) -> SResult<()> {
    if let (Some(t), Some((reason, text))) = (call.task, &call.v.win_back) {
        crate::models::satisfaction::insert_win_back(conn, record_id, t.id, reason.as_str(), text)?;
    }
    Ok(())
}

/// R4a / R4b: each item on its own, closed with its answer or left open with the clerk.
fn write_items(
    conn: &mut DbConn,
    call: &Call,
    record_id: i32,
    raised: &[call::ValidItem],
) -> SResult<Vec<RecordedItem>> {
    let mut items = Vec::new();
    for it in raised {
        let status = if it.answered_on_call {
            ItemStatus::Answered
        } else {
            ItemStatus::Open
        };
        let id = write_item(conn, call, record_id, it, status)?;
        crate::models::item::add_event(conn, id, "raised", &it.text, &call.step())?;
        if it.answered_on_call {
            let answer = it.answer.as_deref().unwrap_or("");
            crate::models::item::add_event(conn, id, "note", answer, &call.step())?;
        } else if let Some(item) = crate::models::item::by_id(conn, id)? {
            // R4c: left open on the call: escalate by the end of call date + 2 unless solved.
            crate::services::items::open_escalation(conn, call.ctx, &item, call.called_on)?;
        }
        items.push(RecordedItem {
            id,
            kind: it.kind,
            status,
        });
    }
    Ok(items)
}

/// R4a: one item raised on the call, with the customer's clerk (else the one who called).
fn write_item(
    conn: &mut DbConn,
    call: &Call,
    record_id: i32,
    it: &call::ValidItem,
    status: ItemStatus,
) -> SResult<i32> {
    Ok(call_model::insert_item(
        conn,
        &Item {
            id: 0,
            store_id: call.cust.store_id,
            customer_id: call.cust.id,
            call_record_id: record_id,
            clerk_id: call.cust.clerk_id.unwrap_or(call.handler.id),
            kind: it.kind,
            text: it.text.clone(),
            answered_on_call: it.answered_on_call,
            answer: it.answer.clone(),
            status,
            raised_at: call.called_at,
            raised_on: call.called_on,
            created_at: call.now,
            escalated_at: None,
            escalated_on: None,
            solution: None,
            solved_at: None,
            solved_on: None,
            told_on: None,
            satisfied: None,
            closed_on: None,
        },
    )?)
}

/// What the call does to its task: a reached call completes it (and opens what follows it);
/// any other outcome is an attempt (X1) that may move the next one (X2). The task completed
/// and the task opened, if any.
fn apply_to_task(conn: &mut DbConn, call: &Call) -> SResult<(Option<i32>, Option<i32>)> {
    let Some(t) = call.task else {
        return Ok((None, None));
    };
    let v = call.v;
    if v.outcome != Outcome::Reached {
        let clock = call.ctx.clock;
        let callback = v.callback_at.map(|cb| (trunc(clock.to_utc(cb)), cb.date()));
        let failed = v.outcome.is_failure();
        let outcome = v.outcome.as_str();
        if task::record_attempt(conn, t.id, failed, outcome, call.called_at, callback)? == 0 {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        return Ok((None, None));
    }
    if task::mark_done(conn, t.id, call.called_at, call.called_on, call.handler.id)? == 0 {
        // Someone else completed it a moment ago: nothing of this call stays.
        return Err(ServiceError::Conflict("task-not-open"));
    }
    task::set_last_contact(conn, t.id, v.outcome.as_str(), call.called_at)?;
    Ok((Some(t.id), after_reached(conn, call, t)?))
}

/// What follows a completed task, by its kind; the task it opens, if any.
fn after_reached(conn: &mut DbConn, call: &Call, t: &Task) -> SResult<Option<i32>> {
    match t.kind {
        TaskKind::FirstFollowUp => Ok(Some(open_second_follow_up(
            conn,
            call.ctx,
            t,
            call.called_on,
        )?)),
        // R4d: the customer was told the solution.
        TaskKind::SolutionCall => {
            if let (Some(item_id), Some(satisfied)) = (t.item_id, call.v.satisfied) {
                crate::services::items::told(conn, call.ctx, item_id, satisfied, &call.step())?;
            }
            Ok(None)
        }
        // R6: the notice call is followed by a letter within two days.
        TaskKind::EventNotice => match t.event_id {
            Some(event_id) => crate::services::events::after_notice_call(
                conn,
                call.ctx,
                t,
                event_id,
                call.called_on,
                call.v.event_answer,
            ),
            None => Ok(None),
        },
        _ => Ok(None),
    }
}
