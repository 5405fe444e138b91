//! Recording calls (R7, R4a, R4b) and what they do to tasks: a reached call completes its task
//! (R4 → opens the second follow-up, R5); a failed attempt is counted and keeps the task open
//! (X1); a call-back request moves the next attempt (X2). Every call — reached or not — writes
//! one call record and one call-register line, numbered without gaps, in the same transaction.
//! `record`, the call and its steps, is in `calls::record`.

use super::{Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::call::{self, CallInput};
use crate::domain::error::FieldError;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use crate::models::task::{NewTask, Task};
use crate::models::{customer, task, trunc};
use chrono::NaiveDate;
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
    pub kind: crate::domain::call::ItemKind,
    pub status: crate::domain::item::ItemStatus,
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

mod record;
pub use record::record;

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
