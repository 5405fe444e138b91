//! The customer pages: the list (search by name, phone or plate; a clerk's own customers, the
//! lost ones of X7), one customer's page (vehicles, visits, archive history, open and done
//! tasks, calls, items, merges), and the two sides of a merge. Reads only; the writes are in
//! `assign` and `merge`.

use super::task_view::{views_in_queue_order, TaskView};
use super::{Actor, Ctx, SResult};
use crate::db::DbConn;
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::privacy::AnonymisationSource;
use crate::domain::role::Role;
use crate::domain::task::TaskStatus;
use crate::domain::visit::VisitKind;
use crate::models::{archive, customer, task, user, visit};
use chrono::NaiveDateTime;
use serde::Serialize;

/// A customer is what the customer page shows of them.
pub use crate::models::customer::Customer;

#[derive(Debug, Serialize)]
pub struct Row {
    pub id: i32,
    pub name: String,
    pub phone: String,
    pub clerk: Option<String>,
    pub plates: Vec<String>,
    /// Whether the user reaches this customer's page; otherwise the row is the card of an
    /// inbound call and links to registering one (ASVS 8.2.2).
    pub reachable: bool,
}

/// One page of the customer list.
#[derive(Debug, Serialize)]
pub struct ListPage {
    pub rows: Vec<Row>,
    pub total: i64,
    /// The store's clerks (to reassign to).
    pub clerks: Vec<super::accounts::User>,
}

/// The customer list: `text` searched in name, phone and plate; `clerk` only their customers;
/// `lost` only the lost ones (X7). A clerk looking beyond their own customers finds them by a
/// search and sees cards, not the store's whole list (ASVS 8.2.2).
#[allow(clippy::too_many_arguments)]
pub fn list(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    text: &str,
    clerk: Option<i32>,
    lost: bool,
    limit: i64,
    offset: i64,
) -> SResult<ListPage> {
    let store_id = actor.store_id;
    // A clerk looking beyond their own customers finds them by a search (phone, plate,
    // name) and sees cards, not the store's whole list.
    let today = ctx.clock.today();
    let lost_on = lost.then(|| (today, ctx.cadence().lost_since(today)));
    let (rows, total) = if clerk.is_none() && actor.role == Role::Clerk && text.trim().is_empty() {
        (Vec::new(), 0)
    } else {
        customer::search(conn, store_id, text, clerk, lost_on, limit, offset)?
    };
    let mut reach = Vec::with_capacity(rows.len());
    for r in &rows {
        reach.push(!super::access::card_only(conn, actor, &r.customer, today)?);
    }
    let clerks = match store_id {
        Some(s) => user::clerks_of_store(conn, s, false)?,
        None => Vec::new(),
    };
    let sight = super::privacy::sight(conn, ctx, actor)?;
    Ok(ListPage {
        rows: rows
            .into_iter()
            .zip(reach)
            .map(|(r, reachable)| Row {
                reachable,
                id: r.customer.id,
                phone: sight.show(r.customer.clerk_id, &r.customer.phone),
                name: r.customer.name,
                clerk: r.clerk,
                plates: r.plates,
            })
            .collect(),
        total,
        clerks,
    })
}

#[derive(Debug, Serialize)]
pub struct VisitView {
    pub id: i32,
    pub kind: VisitKind,
    pub checked_in_at: String,
    pub picked_up_at: Option<String>,
    pub plate: Option<String>,
    pub items: Vec<String>,
    pub odometer_km: Option<i32>,
    pub next_maintenance_date: Option<chrono::NaiveDate>,
    pub archive_no: Option<String>,
    pub can_pickup: bool,
}

/// A call on the customer page (local time, to the minute).
#[derive(Debug, Serialize)]
pub struct CallLine {
    pub record_no: String,
    pub called_at: String,
    pub direction: crate::domain::call::Direction,
    pub category: crate::domain::call::Category,
    pub outcome: crate::domain::call::Outcome,
    pub key_points: String,
    pub handled_by: String,
}

/// One customer's page.
#[derive(Debug, Serialize)]
pub struct CustomerPage {
    pub customer: Customer,
    /// As the reader may see it (R11), or whole after a logged reveal.
    pub phone: String,
    pub can_reveal: bool,
    /// When, by whom and why the customer was anonymised.
    pub anonymised: Option<(String, String, AnonymisationSource)>,
    pub clerk: Option<String>,
    /// Plate, model, vehicle type.
    pub vehicles: Vec<(String, Option<String>, Option<String>)>,
    pub visits: Vec<VisitView>,
    /// Each archive sheet and whether it was late (R2).
    pub archives: Vec<(crate::models::archive::Archive, bool)>,
    pub open_tasks: Vec<TaskView>,
    pub done_tasks: Vec<crate::models::task::Task>,
    /// The records merged into this customer: name, phone, when, what moved.
    pub merges: Vec<(String, String, String, String)>,
    pub calls: Vec<CallLine>,
    pub items: Vec<crate::models::call::Item>,
    pub clerks: Vec<super::accounts::User>,
    pub now_local: String,
}

/// The customer page, for their clerk, their cover today (R9) and the store's supervisors
/// (ASVS 8.2.2; anyone else finds nothing: the inbound-call card is elsewhere). `reveal`
/// shows a masked phone whole, logged.
pub fn page(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    id: i32,
    reveal: bool,
) -> SResult<CustomerPage> {
    let (c, _) = super::access::customer(conn, actor, id, ctx.clock.today())?;
    let sight = super::privacy::sight(conn, ctx, actor)?;
    let masked = !sight.may_see(c.clerk_id);
    let phone = if reveal && masked {
        super::privacy::reveal(conn, ctx, actor, c.id)?
    } else {
        sight.show(c.clerk_id, &c.phone)
    };
    let clock = ctx.clock;
    let fmt = |t: NaiveDateTime| clock.to_local(t).format("%Y-%m-%d %H:%M").to_string();
    let anonymised = crate::models::privacy::anonymised(conn, c.id)?
        .map(|(at, by, source)| (fmt(at), by, source));
    let vehicles = customer::vehicles_of(conn, c.id)?;
    let visits = visit::of_customer(conn, c.id)?;
    let archives = archive::of_customer(conn, c.id)?;
    let tasks = task::of_customer(conn, c.id)?;
    let clerk = match c.clerk_id {
        Some(k) => Some(user::by_id(conn, k)?.display_name),
        None => None,
    };
    let visits = visit_views(&visits, &vehicles, &archives, &fmt);
    let filter = task::OpenFilter {
        store_id: Some(c.store_id),
        customer_id: Some(c.id),
        ..Default::default()
    };
    let open_tasks = views_in_queue_order(task::open_list(conn, &filter)?, clock.today(), &sight);
    let done_tasks = tasks
        .into_iter()
        .filter(|t| t.status != TaskStatus::Open)
        .collect();
    let merges = crate::models::merge::history(conn, c.id)?
        .into_iter()
        .map(|(n, p, at, moved)| (n, sight.show(c.clerk_id, &p), fmt(at), moved))
        .collect();
    Ok(CustomerPage {
        can_reveal: masked && !reveal && !c.phone.is_empty(),
        phone,
        anonymised,
        clerk,
        vehicles: vehicle_lines(&vehicles),
        visits,
        archives: with_lateness(archives),
        open_tasks,
        done_tasks,
        merges,
        calls: call_lines(conn, c.id, &fmt)?,
        items: crate::models::call::items_of_customer(conn, c.id)?,
        clerks: user::clerks_of_store(conn, c.store_id, false)?,
        now_local: clock.now_for_form(),
        customer: c,
    })
}

/// The customer's visits, newest first, each with its vehicle's plate, its archive number
/// and whether a pick-up may still be recorded.
fn visit_views(
    visits: &[visit::Visit],
    vehicles: &[customer::Vehicle],
    archives: &[crate::models::archive::Archive],
    fmt: &dyn Fn(NaiveDateTime) -> String,
) -> Vec<VisitView> {
    visits
        .iter()
        .rev()
        .map(|v| VisitView {
            id: v.id,
            kind: v.kind,
            checked_in_at: fmt(v.checked_in_at),
            picked_up_at: v.picked_up_at.map(fmt),
            plate: v
                .vehicle_id
                .and_then(|vid| vehicles.iter().find(|x| x.id == vid))
                .map(|x| plate::display(&x.plate)),
            items: v.item_list(),
            odometer_km: v.odometer_km,
            next_maintenance_date: v.next_maintenance_date,
            archive_no: archives
                .iter()
                .find(|a| a.visit_id == v.id)
                .map(|a| a.archive_no.clone()),
            can_pickup: crate::domain::visit::can_pick_up(v.kind, v.picked_up_at.is_some()),
        })
        .collect()
}

/// Plate (as displayed), model and vehicle type of each vehicle.
fn vehicle_lines(vehicles: &[customer::Vehicle]) -> Vec<(String, Option<String>, Option<String>)> {
    vehicles
        .iter()
        .map(|v| {
            (
                plate::display(&v.plate),
                v.model.clone(),
                v.vehicle_type.clone(),
            )
        })
        .collect()
}

/// Each archive sheet and whether it was completed late (R2).
fn with_lateness(
    archives: Vec<crate::models::archive::Archive>,
) -> Vec<(crate::models::archive::Archive, bool)> {
    archives
        .into_iter()
        .map(|a| {
            let late = crate::domain::archive::is_late(a.archived_on, a.due_date);
            (a, late)
        })
        .collect()
}

/// The customer's last 50 calls, newest first, in local time.
fn call_lines(
    conn: &mut DbConn,
    customer_id: i32,
    fmt: &dyn Fn(NaiveDateTime) -> String,
) -> SResult<Vec<CallLine>> {
    Ok(crate::models::call::of_customer(conn, customer_id, 50)?
        .into_iter()
        .map(|r| CallLine {
            record_no: r.record_no,
            called_at: fmt(r.called_at),
            direction: r.direction,
            category: r.category,
            outcome: r.outcome,
            key_points: r.key_points,
            handled_by: r.handled_by,
        })
        .collect())
}

#[derive(Debug, Serialize)]
pub struct Side {
    pub id: i32,
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    pub plates: Vec<String>,
    pub visits: usize,
}

/// One side of a merge: the customer of `id` if they are in `store` and not merged away.
pub fn merge_side(conn: &mut DbConn, id: Option<i32>, store: Option<i32>) -> SResult<Option<Side>> {
    let Some(id) = id else { return Ok(None) };
    let Some(c) = customer::by_id(conn, id)? else {
        return Ok(None);
    };
    if store.is_some_and(|s| s != c.store_id) || c.merged_into_id.is_some() {
        return Ok(None);
    }
    let plates = customer::vehicles_of(conn, id)?
        .iter()
        .map(|v| plate::display(&v.plate))
        .collect();
    let visits = visit::of_customer(conn, id)?.len();
    Ok(Some(Side {
        id,
        name: c.name,
        phone: Phone::from_stored(&c.phone).to_string(),
        address: c.address,
        plates,
        visits,
    }))
}
