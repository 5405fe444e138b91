//! What the call forms show (reads only; the writes are in `calls`): a task's call form
//! with its visit and what earlier calls covered (R5), and the inbound-call form with the
//! customers a search found and, once one is chosen, the same customer context.

use super::{access, cover, privacy, Actor, Ctx, SResult, ServiceError};
use crate::db::DbConn;
use crate::domain::plate;
use crate::domain::task::{state_on, TaskKind};
use crate::models::{call, customer, task, user, visit};
use serde::Serialize;

pub use crate::models::call::Item;
pub use crate::models::task::Task;
pub use crate::models::visit::Visit;

/// An earlier call of the customer, as the form lists it.
#[derive(Debug, Serialize)]
pub struct EarlierCall {
    pub record_no: String,
    pub called_at: String,
    pub direction: crate::domain::call::Direction,
    pub category: crate::domain::call::Category,
    pub outcome: crate::domain::call::Outcome,
    pub topics: Vec<String>,
    pub key_points: String,
    pub handled_by: String,
}

/// The customer as the form may show them: the whole record, or only the card (ASVS 8.2.2:
/// another clerk's customer calling in).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Shown {
    Full(customer::Customer),
    Card { id: i32, name: String },
}

/// The customer beside a call form: who they are, their earlier calls, their open items.
#[derive(Debug, Serialize)]
pub struct CustomerContext {
    pub customer: Shown,
    pub phone: String,
    pub plates: Vec<String>,
    pub clerk: Option<String>,
    pub earlier: Vec<EarlierCall>,
    pub open_items: Vec<Item>,
    pub card_only: bool,
}

fn customer_context(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    customer_id: i32,
) -> SResult<CustomerContext> {
    let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    let sight = privacy::sight(conn, ctx, actor)?;
    let plates = customer::vehicles_of(conn, c.id)?
        .iter()
        .map(|v| plate::display(&v.plate))
        .collect();
    let clerk = match c.clerk_id {
        Some(k) => Some(user::by_id(conn, k)?.display_name),
        None => None,
    };
    let phone = sight.show(c.clerk_id, &c.phone);
    if access::card_only(conn, actor, &c, ctx.clock.today())? {
        return Ok(CustomerContext {
            customer: Shown::Card {
                id: c.id,
                name: c.name,
            },
            phone,
            plates,
            clerk,
            earlier: Vec::new(),
            open_items: Vec::new(),
            card_only: true,
        });
    }
    let earlier = call::of_customer(conn, c.id, 20)?
        .into_iter()
        .map(|r| EarlierCall {
            record_no: r.record_no,
            called_at: ctx
                .clock
                .to_local(r.called_at)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            direction: r.direction,
            category: r.category,
            outcome: r.outcome,
            topics: r
                .topics
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            key_points: r.key_points,
            handled_by: r.handled_by,
        })
        .collect();
    // The items still being followed (neither answered on the call nor closed).
    let open_items = call::items_of_customer(conn, c.id)?
        .into_iter()
        .filter(|i| i.status.is_pending())
        .collect();
    Ok(CustomerContext {
        customer: Shown::Full(c),
        phone,
        plates,
        clerk,
        earlier,
        open_items,
        card_only: false,
    })
}

/// A task's call form.
#[derive(Debug, Serialize)]
pub struct TaskForm {
    #[serde(flatten)]
    pub context: CustomerContext,
    pub task: Task,
    pub visit: Option<Visit>,
    pub visit_date: Option<chrono::NaiveDate>,
    pub visit_items: Vec<String>,
    /// `domain::task::TaskState` as text.
    pub task_state: &'static str,
    pub is_call: bool,
    /// X1: enough attempts, or the window is over.
    pub can_close_unreachable: bool,
    /// X6: a first or second follow-up asks the satisfaction first.
    pub asks_satisfaction: bool,
    pub aspects: Vec<String>,
    pub now_local: String,
}

/// The call form of task `task_id`, for someone who may work on it (R9: the clerk, their
/// substitute, a supervisor); to anyone else it does not exist.
pub fn task_form(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, task_id: i32) -> SResult<TaskForm> {
    let task = task::by_id(conn, task_id)?.ok_or(ServiceError::NotFound("task"))?;
    let today = ctx.clock.today();
    cover::may_work_on(conn, actor, task.store_id, task.clerk_id, today).map_err(|e| match e {
        ServiceError::Forbidden => ServiceError::NotFound("task"),
        e => e,
    })?;
    let context = customer_context(conn, ctx, actor, task.customer_id)?;
    let visit = match task.visit_id {
        Some(v) => visit::by_id(conn, v)?,
        None => None,
    };
    let kind = Some(task.kind);
    let sat = &ctx.config.settings.satisfaction;
    Ok(TaskForm {
        context,
        visit_date: visit.as_ref().map(|v| v.visit_date),
        visit_items: visit.as_ref().map(Visit::item_list).unwrap_or_default(),
        visit,
        task_state: state_on(task.window(), today).as_str(),
        is_call: kind.is_some_and(|k| super::calls::CALL_KINDS.contains(&k)),
        can_close_unreachable: task.attempts >= ctx.cadence().unreachable_after_attempts as i32
            || today > task.window_end,
        asks_satisfaction: sat.enabled
            && matches!(
                kind,
                Some(TaskKind::FirstFollowUp | TaskKind::SecondFollowUp)
            ),
        aspects: sat.aspects.clone(),
        now_local: now_local(ctx),
        task,
    })
}

/// A customer a search on the inbound form found.
#[derive(Debug, Serialize)]
pub struct Found {
    pub id: i32,
    pub name: String,
    pub phone: String,
    pub plates: Vec<String>,
    pub clerk: Option<String>,
}

/// The inbound-call form: the customers `query` finds in the user's store, and the chosen
/// customer's context.
#[derive(Debug, Serialize)]
pub struct InboundForm {
    pub found: Vec<Found>,
    #[serde(flatten)]
    pub context: Option<CustomerContext>,
    pub now_local: String,
}

pub fn inbound_form(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    store_id: Option<i32>,
    query: &str,
    customer_id: Option<i32>,
) -> SResult<InboundForm> {
    let found = if query.trim().is_empty() {
        Vec::new()
    } else {
        customer::search(conn, store_id, query, None, None, 20, 0)?.0
    };
    let sight = privacy::sight(conn, ctx, actor)?;
    let found = found
        .into_iter()
        .map(|r| Found {
            id: r.customer.id,
            phone: sight.show(r.customer.clerk_id, &r.customer.phone),
            name: r.customer.name,
            plates: r.plates,
            clerk: r.clerk,
        })
        .collect();
    let context = match customer_id {
        Some(id) => Some(customer_context(conn, ctx, actor, id)?),
        None => None,
    };
    Ok(InboundForm {
        found,
        context,
        now_local: now_local(ctx),
    })
}

fn now_local(ctx: &Ctx) -> String {
    ctx.clock.now_for_form()
}
