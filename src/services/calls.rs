//! Recording calls (R7, R4a, R4b) and what they do to tasks: a reached call completes its task
//! (R4 → opens the second follow-up, R5); a failed attempt is counted and keeps the task open
//! (X1); a call-back request moves the next attempt (X2). Every call — reached or not — writes
//! one call record and one call-register line, numbered without gaps, in the same transaction.

use super::{Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::call::{self, CallInput, Category, Direction, Outcome};
use crate::domain::error::FieldError;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use crate::models::call::{CallRecord, Item, RegisterLine};
use crate::models::task::{NewTask, Task};
use crate::models::{call as call_model, customer, task, trunc, user, visit};
use crate::registers::numbering::{self, Register};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Task kinds worked by a call.
pub const CALL_KINDS: [TaskKind; 7] = [
    TaskKind::FirstFollowUp,
    TaskKind::SecondFollowUp,
    TaskKind::PlannedContact,
    TaskKind::MaintenanceReminder,
    TaskKind::SolutionCall,
    TaskKind::EventNotice,
    TaskKind::WinBack,
];

/// Task kinds worked by a letter.
pub const LETTER_KINDS: [TaskKind; 2] = [TaskKind::EventLetter, TaskKind::UnreachableLetter];

#[derive(Debug, Clone, Serialize)]
pub struct RecordedItem {
    pub id: i32,
    pub kind: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub record_no: String,
    pub register_no: String,
    pub call_record_id: i32,
    pub items: Vec<RecordedItem>,
    /// The task this call completed, if it did.
    pub completed_task: Option<i32>,
    /// The task it opened (the second follow-up after the first, R5).
    pub opened_task: Option<i32>,
}

use super::cover::may_work_on;

/// A call's fields checked against the store's settings and the clock.
fn validate(
    ctx: &Ctx,
    input: &CallInput,
    kind: Option<TaskKind>,
) -> Result<call::ValidCall, crate::domain::error::FieldErrors> {
    let clock = ctx.clock;
    let sat = &ctx.config.settings.satisfaction;
    let opts = call::CallOptions {
        satisfaction_enabled: sat.enabled,
        aspects: sat.aspects.clone(),
    };
    call::validate_with(
        input,
        kind,
        clock.now_local(),
        &|t| clock.offset_to_local(t),
        &opts,
    )
}

/// Records one call, on a task or (inbound, or outbound without a task) on a customer.
pub fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: Option<i32>,
    customer_id: Option<i32>,
    input: &CallInput,
) -> SResult<Recorded> {
    let clock = ctx.clock;
    write_tx(conn, |conn| {
        let task: Option<Task> = match task_id {
            Some(id) => Some(
                task::by_id(conn, id)?.ok_or_else(|| FieldError::new("task_id", "task-unknown"))?,
            ),
            None => None,
        };
        let customer_id = match (&task, customer_id) {
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
        let kind = task.as_ref().map(|t| t.kind);
        let v = validate(ctx, input, kind)?;
        let called_on = v.called_at.date();
        let owner = task
            .as_ref()
            .map(|t| t.clerk_id)
            .or(cust.clerk_id)
            .unwrap_or(0);
        // R7, ASVS 8.2.2: an inbound call that no task asked for is registered by whichever
        // clerk of the store takes it (they saw the card); everything else needs the customer.
        let covering_for = if task.is_none() && v.direction == Direction::Inbound {
            super::access::card_only(conn, actor, &cust, called_on)?;
            may_work_on(conn, actor, cust.store_id, owner, called_on).unwrap_or(None)
        } else {
            may_work_on(conn, actor, cust.store_id, owner, called_on)?
        };
        if let Some(t) = &task {
            if t.status != TaskStatus::Open {
                return Err(ServiceError::Conflict("task-not-open"));
            }
        }
        if v.direction == Direction::Outbound {
            // X4: a customer who refuses calls gets none.
            if cust.no_calls {
                return Err(FieldError::new("customer_id", "customer-refuses-calls").into());
            }
            // X4: at most one outbound follow-up call a day, unless a complaint is open or
            // the customer asked to be called back.
            if matches!(v.category, Category::FollowUp | Category::Reminder) {
                let today = call_model::outbound_follow_ups_on(conn, cust.id, called_on)?;
                let asked_back = today
                    .iter()
                    .any(|o| o == Outcome::CallbackRequested.as_str());
                if !today.is_empty()
                    && !asked_back
                    && !call_model::has_open_complaint(conn, cust.id)?
                {
                    return Err(FieldError::new("called_at", "already-called-today").into());
                }
            }
        }
        let handler = user::by_id(conn, actor.user_id.ok_or(ServiceError::Forbidden)?)?;
        let now = trunc(clock.now_utc());
        let called_at = trunc(clock.to_utc(v.called_at));
        // R7 / R11: the record and the register line take their numbers in the year of the
        // call's own local date.
        let year = called_on.year();
        let (_, record_no) = numbering::next(conn, cust.store_id, Register::CallRecords, year)?;
        let (_, register_no) = numbering::next(conn, cust.store_id, Register::CallRegister, year)?;
        let plate = match task.as_ref().and_then(|t| t.visit_id) {
            Some(vid) => visit::by_id(conn, vid)?.and_then(|v| v.vehicle_id),
            None => None,
        };
        let vehicles = customer::vehicles_of(conn, cust.id)?;
        let plate = plate
            .and_then(|id| vehicles.iter().find(|x| x.id == id))
            .or(vehicles.first())
            .map(|x| x.plate.clone());
        let record = CallRecord {
            id: 0,
            store_id: cust.store_id,
            record_no: record_no.clone(),
            customer_id: cust.id,
            task_id: task.as_ref().map(|t| t.id),
            direction: v.direction,
            category: v.category,
            outcome: v.outcome,
            called_at,
            called_on,
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
            handled_by_id: handler.id,
            handled_by: handler.display_name.clone(),
            covering_for_id: covering_for,
            created_at: now,
        };
        let record_id = call_model::insert_record(conn, &record)?;
        let mut chained = record.clone();
        chained.id = record_id;
        crate::registers::chain::append(
            conn,
            Register::CallRecords,
            &crate::registers::chain::call_record_line(&chained),
            now,
        )?;
        let mut register_line = RegisterLine {
            id: 0,
            store_id: cust.store_id,
            register_no: register_no.clone(),
            call_record_id: record_id,
            record_no: record_no.clone(),
            called_on,
            customer_name: cust.name.clone(),
            phone: cust.phone.clone(),
            direction: record.direction,
            category: record.category,
            outcome: record.outcome,
            handled_by_id: handler.id,
            handled_by: handler.display_name.clone(),
            created_at: now,
        };
        register_line.id = call_model::insert_register(conn, &register_line)?;
        crate::registers::chain::append(
            conn,
            Register::CallRegister,
            &crate::registers::chain::register_line(&register_line),
            now,
        )?;
        // X6: the satisfaction is stored with the call, counted for the advisor of the visit.
        let visit_of_task = match task.as_ref().and_then(|t| t.visit_id) {
            Some(vid) => visit::by_id(conn, vid)?,
            None => None,
        };
        let mut raised = v.items.clone();
        if let Some(s) = &v.satisfaction {
            crate::models::satisfaction::insert(
                conn,
                &crate::models::satisfaction::Asked {
                    call_record_id: record_id,
                    store_id: cust.store_id,
                    customer_id: cust.id,
                    called_on,
                    handled_by_id: handler.id,
                    advisor_id: visit_of_task.as_ref().and_then(|x| x.advisor_id),
                },
                s,
            )?;
            // X6: an overall 1 or 2 opens a complaint item on this call (R4a, so R4c and R4d
            // follow it), unless the clerk recorded one already.
            if s.is_low() && !raised.iter().any(|i| i.kind == call::ItemKind::Complaint) {
                let lang = &ctx.config.settings.language;
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
        // X7: why the lost customer stopped coming.
        if let (Some(t), Some((reason, text))) = (&task, &v.win_back) {
            crate::models::satisfaction::insert_win_back(
                conn,
                record_id,
                t.id,
                reason.as_str(),
                text,
            )?;
        }
        // R4a / R4b: each item on its own, closed with its answer or left open with the clerk.
        let mut items = Vec::new();
        for it in &raised {
            let status = if it.answered_on_call {
                crate::domain::item::ItemStatus::Answered
            } else {
                crate::domain::item::ItemStatus::Open
            };
            let id = call_model::insert_item(
                conn,
                &Item {
                    id: 0,
                    store_id: cust.store_id,
                    customer_id: cust.id,
                    call_record_id: record_id,
                    clerk_id: cust.clerk_id.unwrap_or(handler.id),
                    kind: it.kind,
                    text: it.text.clone(),
                    answered_on_call: it.answered_on_call,
                    answer: it.answer.clone(),
                    status,
                    raised_at: called_at,
                    raised_on: called_on,
                    created_at: now,
                    escalated_at: None,
                    escalated_on: None,
                    solution: None,
                    solved_at: None,
                    solved_on: None,
                    told_on: None,
                    satisfied: None,
                    closed_on: None,
                },
            )?;
            crate::models::item::add_event(
                conn,
                id,
                "raised",
                &it.text,
                &crate::models::item::Step {
                    at: called_at,
                    on: called_on,
                    by_id: Some(handler.id),
                    by_name: &handler.display_name,
                },
            )?;
            if it.answered_on_call {
                crate::models::item::add_event(
                    conn,
                    id,
                    "note",
                    it.answer.as_deref().unwrap_or(""),
                    &crate::models::item::Step {
                        at: called_at,
                        on: called_on,
                        by_id: Some(handler.id),
                        by_name: &handler.display_name,
                    },
                )?;
            } else if let Some(item) = crate::models::item::by_id(conn, id)? {
                // R4c: left open on the call: escalate by the end of call date + 2 unless solved.
                super::items::open_escalation(conn, ctx, &item, called_on)?;
            }
            items.push(RecordedItem {
                id,
                kind: it.kind.as_str().into(),
                status: status.into(),
            });
        }

        let mut completed_task = None;
        let mut opened_task = None;
        if let Some(t) = &task {
            if v.outcome == Outcome::Reached {
                if task::mark_done(conn, t.id, called_at, called_on, handler.id)? == 0 {
                    // Someone else completed it a moment ago: nothing of this call stays.
                    return Err(ServiceError::Conflict("task-not-open"));
                }
                task::set_last_contact(conn, t.id, v.outcome.as_str(), called_at)?;
                completed_task = Some(t.id);
                match kind {
                    Some(TaskKind::FirstFollowUp) => {
                        opened_task = Some(open_second_follow_up(conn, ctx, t, called_on)?)
                    }
                    // R4d: the customer was told the solution.
                    Some(TaskKind::SolutionCall) => {
                        if let (Some(item_id), Some(satisfied)) = (t.item_id, v.satisfied) {
                            super::items::told(
                                conn,
                                ctx,
                                item_id,
                                satisfied,
                                &crate::models::item::Step {
                                    at: called_at,
                                    on: called_on,
                                    by_id: Some(handler.id),
                                    by_name: &handler.display_name,
                                },
                            )?;
                        }
                    }
                    // R6: the notice call is followed by a letter within two days.
                    Some(TaskKind::EventNotice) => {
                        if let Some(event_id) = t.event_id {
                            opened_task = super::events::after_notice_call(
                                conn,
                                ctx,
                                t,
                                event_id,
                                called_on,
                                v.event_answer,
                            )?;
                        }
                    }
                    _ => {}
                }
            } else {
                let callback = v.callback_at.map(|cb| (trunc(clock.to_utc(cb)), cb.date()));
                if task::record_attempt(
                    conn,
                    t.id,
                    v.outcome.is_failure(),
                    v.outcome.as_str(),
                    called_at,
                    callback,
                )? == 0
                {
                    return Err(ServiceError::Conflict("task-not-open"));
                }
            }
        }
        Ok(Recorded {
            record_no,
            register_no,
            call_record_id: record_id,
            items,
            completed_task,
            opened_task,
        })
    })
}

/// R5: the second follow-up after the first ended on `f` (done or closed as unreachable).
fn open_second_follow_up(conn: &mut DbConn, ctx: &Ctx, first: &Task, f: NaiveDate) -> SResult<i32> {
    let t = NewTask {
        store_id: first.store_id,
        kind: TaskKind::SecondFollowUp,
        customer_id: first.customer_id,
        visit_id: first.visit_id,
        clerk_id: first.clerk_id,
        window: ctx.cadence().second_follow_up(f),
        planned_contact_id: None,
        item_id: None,
        event_id: None,
    };
    Ok(task::insert(conn, &t, trunc(ctx.clock.now_utc()))?)
}

#[derive(Debug, Clone, Serialize)]
pub struct Unreachable {
    pub letter_task: Option<i32>,
    pub second_follow_up: Option<i32>,
}

/// X1: after enough failed attempts, or past the window, a call task may be closed as
/// unreachable. The customer still hears from the shop by letter (unless they refuse
/// letters, X4), and the phone number is flagged for checking at the next visit.
pub fn close_unreachable(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: i32,
) -> SResult<Unreachable> {
    let clock = ctx.clock;
    write_tx(conn, |conn| {
        let t = task::by_id(conn, task_id)?.ok_or(ServiceError::NotFound("task"))?;
        let kind = t.kind;
        let today = clock.today();
        may_work_on(conn, actor, t.store_id, t.clerk_id, today)?;
        if t.status != TaskStatus::Open {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        if !CALL_KINDS.contains(&kind) {
            return Err(FieldError::new("task_id", "task-not-a-call")
                .arg("kind", kind)
                .into());
        }
        let needed = ctx.cadence().unreachable_after_attempts as i32;
        if t.attempts < needed && today <= t.window_end {
            return Err(FieldError::new("task_id", "unreachable-too-early")
                .arg("attempts", t.attempts)
                .arg("needed", needed)
                .into());
        }
        let now = trunc(clock.now_utc());
        task::close(
            conn,
            t.id,
            CloseReason::Unreachable,
            now,
            today,
            actor.user_id,
        )?;
        let cust =
            customer::by_id(conn, t.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
        customer::flag_phone(conn, cust.id, Some(today))?;
        let letter_task = if cust.no_letters {
            None
        } else {
            let letter = NewTask {
                store_id: t.store_id,
                kind: TaskKind::UnreachableLetter,
                customer_id: t.customer_id,
                visit_id: t.visit_id,
                clerk_id: t.clerk_id,
                window: ctx.cadence().unreachable_letter(today),
                planned_contact_id: None,
                item_id: None,
                event_id: None,
            };
            Some(task::insert(conn, &letter, now)?)
        };
        let second_follow_up = if kind == TaskKind::FirstFollowUp {
            Some(open_second_follow_up(conn, ctx, &t, today)?)
        } else {
            None
        };
        super::audit::record(
            conn,
            ctx,
            actor,
            "task.unreachable",
            &format!("task {}", t.id),
            &super::audit::detail(&[("attempts", t.attempts.into())]),
            "ok",
        )?;
        Ok(Unreachable {
            letter_task,
            second_follow_up,
        })
    })
}

/// X4: a customer's contact preferences. Refusing a channel closes that channel's open
/// tasks with the reason (they are not "missed").
pub fn set_preferences(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    customer_id: i32,
    no_calls: bool,
    no_letters: bool,
    call_hours: Option<&str>,
) -> SResult<usize> {
    let hours = match call_hours.map(str::trim).filter(|s| !s.is_empty()) {
        Some(h) => {
            call::parse_call_hours(h)?;
            Some(h.replace(' ', ""))
        }
        None => None,
    };
    let clock = ctx.clock;
    write_tx(conn, |conn| {
        let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
        may_work_on(
            conn,
            actor,
            c.store_id,
            c.clerk_id.unwrap_or(0),
            clock.today(),
        )?;
        let now = trunc(clock.now_utc());
        customer::set_preferences(conn, c.id, no_calls, no_letters, hours.as_deref(), now)?;
        let mut kinds: Vec<TaskKind> = Vec::new();
        if no_calls {
            kinds.extend(CALL_KINDS);
        }
        if no_letters {
            kinds.extend(LETTER_KINDS);
        }
        let mut closed = 0;
        if !kinds.is_empty() {
            for t in task::open_of_customer(conn, c.id, &kinds)? {
                closed += task::close(
                    conn,
                    t.id,
                    CloseReason::RefusesChannel,
                    now,
                    clock.today(),
                    actor.user_id,
                )?;
            }
        }
        let detail = format!(
            "no_calls {no_calls}, no_letters {no_letters}, hours {hours:?}, closed {closed}"
        );
        super::audit::record(
            conn,
            ctx,
            actor,
            "customer.preferences",
            &format!("customer {}", c.id),
            &detail,
            "ok",
        )?;
        Ok(closed)
    })
}

/// Who an inbound call is from: a known customer, or a new one typed on the form.
pub enum Caller<'a> {
    Known(i32),
    New {
        name: Option<&'a str>,
        phone: Option<&'a str>,
    },
}

/// Issue 12: an inbound call, from a known customer or a new one. Every error (the new
/// customer's fields and the call's) at once, and nothing written until all pass: the customer
/// and the call in one transaction.
pub fn record_inbound(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    caller: Caller<'_>,
    input: &CallInput,
) -> SResult<(i32, Recorded)> {
    match caller {
        Caller::Known(id) => record(conn, ctx, actor, None, Some(id), input).map(|r| (id, r)),
        Caller::New { name, phone } => {
            let mut errs = crate::domain::error::FieldErrors::default();
            if let Err(e) = super::visits::new_customer_fields(name, phone) {
                errs.0.extend(e.0);
            }
            if let Err(e) = validate(ctx, input, None) {
                errs.0.extend(e.0);
            }
            errs.into_result(|| ())?;
            write_tx(conn, |conn| {
                let id = super::visits::customer_for_call(conn, ctx, actor, name, phone)?;
                record(conn, ctx, actor, None, Some(id), input).map(|r| (id, r))
            })
        }
    }
}
