//! Requests and complaints followed to the end. R4b: what was not answered on the call stays
//! open with the clerk, who records research notes. R4c: if the clerk cannot solve it, it is
//! escalated to the supervisor by the end of call date + 2 (the `escalation` task). R4d: a
//! solution recorded on S (by the clerk or the supervisor) opens a `solution_call` due the same
//! day; that call records whether the customer is satisfied, and "not satisfied" reopens it.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::domain::item::{ItemStatus, ItemStep};
use crate::domain::task::{CloseReason, TaskKind};
use crate::domain::visit::{check_len, not_future, parse_local_datetime};
use crate::models::call::Item;
use crate::models::task::NewTask;
use crate::models::{item as item_model, task, trunc, user};
use chrono::{NaiveDate, NaiveDateTime};

fn load(conn: &mut DbConn, actor: &Actor, item_id: i32, today: NaiveDate) -> SResult<Item> {
    let item = item_model::by_id(conn, item_id)?.ok_or(ServiceError::NotFound("item"))?;
    let owner = crate::models::customer::by_id(conn, item.customer_id)?
        .and_then(|c| c.clerk_id)
        .unwrap_or(item.clerk_id);
    super::cover::may_work_on(conn, actor, item.store_id, owner, today)?;
    Ok(item)
}

fn actor_name(conn: &mut DbConn, actor: &Actor) -> SResult<String> {
    Ok(match actor.user_id {
        Some(id) => user::by_id(conn, id)?.display_name,
        None => actor.name.clone(),
    })
}

/// One step of the item's timeline, taken by `actor` at `at` (local date `on`).
fn add_step(
    conn: &mut DbConn,
    actor: &Actor,
    item_id: i32,
    step: ItemStep,
    text: &str,
    at: NaiveDateTime,
    on: NaiveDate,
) -> SResult<()> {
    let by = actor_name(conn, actor)?;
    item_model::add_event(
        conn,
        item_id,
        step.as_str(),
        text,
        &crate::models::item::Step {
            at,
            on,
            by_id: actor.user_id,
            by_name: &by,
        },
    )?;
    Ok(())
}

/// An optional moment typed by a person: default now, never in the future, never before `after`.
fn moment(
    ctx: &Ctx,
    field: &str,
    typed: Option<&str>,
    after: NaiveDateTime,
) -> SResult<NaiveDateTime> {
    let clock = ctx.clock;
    let local = match typed.map(str::trim).filter(|s| !s.is_empty()) {
        None => clock.now_local(),
        Some(s) => not_future(
            field,
            parse_local_datetime(field, s, &|t| clock.offset_to_local(t))?,
            clock.now_local(),
        )?,
    };
    let utc = trunc(clock.to_utc(local));
    if utc < after {
        return Err(FieldError::new(field, "before-raised").into());
    }
    Ok(utc)
}

/// R4c: the escalation task of an item left open on a call on `c`.
pub fn open_escalation(conn: &mut DbConn, ctx: &Ctx, item: &Item, c: NaiveDate) -> SResult<i32> {
    let t = NewTask {
        store_id: item.store_id,
        kind: TaskKind::Escalation,
        customer_id: item.customer_id,
        visit_id: None,
        clerk_id: item.clerk_id,
        window: ctx.cadence().escalation(c),
        planned_contact_id: None,
        item_id: Some(item.id),
        event_id: None,
    };
    Ok(task::insert(conn, &t, trunc(ctx.clock.now_utc()))?)
}

/// A research note (R4b).
pub fn note(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, item_id: i32, text: &str) -> SResult<()> {
    let text = check_len("note", text.trim(), 1000)?;
    if text.is_empty() {
        return Err(FieldError::new("note", "required").into());
    }
    write_tx(conn, |conn| {
        let item = load(conn, actor, item_id, ctx.clock.today())?;
        let now = trunc(ctx.clock.now_utc());
        let on = ctx.clock.local_date(now);
        add_step(conn, actor, item.id, ItemStep::Note, &text, now, on)
    })
}

/// R4c: the clerk escalates an open item to the supervisor; this completes its escalation
/// task, on time or late.
pub fn escalate(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    item_id: i32,
    escalated_at: Option<&str>,
    note: Option<&str>,
) -> SResult<NaiveDate> {
    let note = check_len("note", note.unwrap_or("").trim(), 1000)?;
    write_tx(conn, |conn| {
        let item = load(conn, actor, item_id, ctx.clock.today())?;
        let status = item.status;
        if !status.can_escalate() {
            return Err(FieldError::new("item_id", "item-cannot-escalate")
                .arg("status", status)
                .into());
        }
        let at = moment(ctx, "escalated_at", escalated_at, item.raised_at)?;
        let on = ctx.clock.local_date(at);
        if item_model::set_escalated(conn, item.id, at, on)? == 0 {
            return Err(ServiceError::Conflict("item-changed"));
        }
        add_step(conn, actor, item.id, ItemStep::Escalated, &note, at, on)?;
        if let Some(t) = task::open_of_item(conn, item.id, TaskKind::Escalation)? {
            task::mark_done(conn, t.id, at, on, actor.user_id.unwrap_or(item.clerk_id))?;
        }
        audit::record(
            conn,
            ctx,
            actor,
            "item.escalate",
            &format!("item {}", item.id),
            &note,
            "ok",
        )?;
        Ok(on)
    })
}

/// R4d: a solution recorded on S opens the solution call, due the same day.
pub fn solve(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    item_id: i32,
    solution: &str,
    solved_at: Option<&str>,
) -> SResult<i32> {
    let solution = check_len("solution", solution.trim(), 2000)?;
    if solution.is_empty() {
        return Err(FieldError::new("solution", "required").into());
    }
    write_tx(conn, |conn| {
        let item = load(conn, actor, item_id, ctx.clock.today())?;
        let status = item.status;
        if !status.can_solve() {
            return Err(FieldError::new("item_id", "item-cannot-solve")
                .arg("status", status)
                .into());
        }
        let at = moment(ctx, "solved_at", solved_at, item.raised_at)?;
        let on = ctx.clock.local_date(at);
        if item_model::set_solved(conn, item.id, &solution, at, on)? == 0 {
            return Err(ServiceError::Conflict("item-changed"));
        }
        add_step(conn, actor, item.id, ItemStep::Solved, &solution, at, on)?;
        // Solved by the clerk before it needed escalating: the escalation is no longer due.
        if let Some(t) = task::open_of_item(conn, item.id, TaskKind::Escalation)? {
            task::close(conn, t.id, CloseReason::Superseded, at, on, actor.user_id)?;
        }
        let t = NewTask {
            store_id: item.store_id,
            kind: TaskKind::SolutionCall,
            customer_id: item.customer_id,
            visit_id: None,
            clerk_id: item.clerk_id,
            window: ctx.cadence().solution_call(on),
            planned_contact_id: None,
            item_id: Some(item.id),
            event_id: None,
        };
        let id = task::insert(conn, &t, trunc(ctx.clock.now_utc()))?;
        audit::record(
            conn,
            ctx,
            actor,
            "item.solve",
            &format!("item {}", item.id),
            "",
            "ok",
        )?;
        Ok(id)
    })
}

/// R4d: what the solution call recorded: satisfied closes the item, not satisfied reopens it
/// (and it must be escalated again within two days). Runs in the call's transaction.
pub fn told(
    conn: &mut DbConn,
    ctx: &Ctx,
    item_id: i32,
    satisfied: bool,
    step: &item_model::Step,
) -> SResult<()> {
    let item = item_model::by_id(conn, item_id)?.ok_or(ServiceError::NotFound("item"))?;
    item_model::set_told(conn, item.id, step.on, satisfied)?;
    item_model::add_event(conn, item.id, ItemStep::Told.as_str(), "", step)?;
    if satisfied {
        item_model::add_event(conn, item.id, ItemStep::Satisfied.as_str(), "", step)?;
    } else {
        item_model::add_event(conn, item.id, ItemStep::Reopened.as_str(), "", step)?;
        open_escalation(conn, ctx, &item, step.on)?;
    }
    Ok(())
}

/// One step of an item's timeline as its page shows it (local time, to the minute).
#[derive(Debug, serde::Serialize)]
pub struct Step {
    pub kind: crate::domain::item::ItemStep,
    pub text: String,
    pub at: String,
    pub by: String,
}

/// An item's page: the item, its customer (phone as the reader may see it), its clerk, age,
/// timeline, open escalation (and whether it is late, R4c) and what may be done next.
#[derive(Debug, serde::Serialize)]
pub struct ItemPage {
    pub item: Item,
    pub customer: crate::models::customer::Customer,
    pub phone: String,
    pub clerk: String,
    pub age: i64,
    pub timeline: Vec<Step>,
    pub escalation: Option<crate::models::task::Task>,
    pub escalation_late: bool,
    pub can_escalate: bool,
    pub can_solve: bool,
    pub now_local: String,
}

pub fn page(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, id: i32) -> SResult<ItemPage> {
    let item = item_model::by_id(conn, id)?.ok_or(ServiceError::NotFound("item"))?;
    let today = ctx.clock.today();
    let c = crate::models::customer::by_id(conn, item.customer_id)?
        .ok_or(ServiceError::NotFound("item"))?;
    let owner = c.clerk_id.unwrap_or(item.clerk_id);
    super::cover::may_work_on(conn, actor, item.store_id, owner, today).map_err(|e| match e {
        ServiceError::Forbidden => ServiceError::NotFound("item"),
        e => e,
    })?;
    let clock = ctx.clock;
    let timeline = item_model::timeline(conn, id)?
        .into_iter()
        .map(|e| Step {
            kind: e.kind,
            text: e.text,
            at: clock.to_local(e.at).format("%Y-%m-%d %H:%M").to_string(),
            by: e.by_name,
        })
        .collect();
    let escalation = task::open_of_item(conn, id, TaskKind::Escalation)?;
    let sight = super::privacy::sight(conn, ctx, actor)?;
    let status = item.status;
    Ok(ItemPage {
        phone: sight.show(c.clerk_id, &c.phone),
        clerk: user::by_id(conn, item.clerk_id)?.display_name,
        age: (today - item.raised_on).num_days(),
        escalation_late: escalation.as_ref().is_some_and(|e| today > e.window_end),
        escalation,
        can_escalate: status.can_escalate(),
        can_solve: status.can_solve(),
        timeline,
        now_local: clock.now_for_form(),
        customer: c,
        item,
    })
}

/// An item not yet closed, on the supervisor's escalations page (R4c, R4d).
#[derive(Debug, serde::Serialize)]
pub struct PendingLine {
    pub id: i32,
    pub kind: crate::domain::call::ItemKind,
    pub text: String,
    pub status: ItemStatus,
    pub raised_on: NaiveDate,
    pub age: i64,
    pub customer_id: i32,
    pub customer: String,
    pub clerk: String,
    pub escalation_late: bool,
    pub escalation_due: Option<NaiveDate>,
}

/// The store's items not yet closed, with their escalation's due date: two queries for the
/// whole page (the items with their names, and the store's open escalation tasks).
pub fn pending_of_store(conn: &mut DbConn, ctx: &Ctx, store: i32) -> SResult<Vec<PendingLine>> {
    let today = ctx.clock.today();
    let kinds = [TaskKind::Escalation];
    let filter = task::OpenFilter {
        store_id: Some(store),
        kinds: &kinds,
        ..Default::default()
    };
    let escalations = task::open_list(conn, &filter)?;
    Ok(item_model::pending_of_store_named(conn, store)?
        .into_iter()
        .map(|(i, customer, clerk)| {
            let esc = escalations
                .iter()
                .map(|r| &r.task)
                .find(|t| t.item_id == Some(i.id));
            PendingLine {
                age: (today - i.raised_on).num_days(),
                escalation_late: esc.is_some_and(|e| today > e.window_end),
                escalation_due: esc.map(|e| e.window_end),
                id: i.id,
                kind: i.kind,
                text: i.text,
                status: i.status,
                raised_on: i.raised_on,
                customer_id: i.customer_id,
                customer,
                clerk,
            }
        })
        .collect())
}
