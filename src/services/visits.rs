//! Visits and consultations arrive here from the web form, the JSON API and the DMS import.
//! One path: validate, match the customer by phone and the vehicle by plate, write the visit,
//! and open the tasks its events trigger — the archive (R2) and the first follow-up (R4).

use super::{assign, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::FieldError;
use crate::domain::maintenance::reading_goes_back;
use crate::domain::task::TaskKind;
use crate::domain::visit::{self, ValidVisit, VisitInput, VisitKind, VisitSource};
use crate::models::task::NewTask;
use crate::models::visit::VisitValues;
use crate::models::{customer, store, task, visit as visit_model};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub visit_id: i32,
    pub customer_id: i32,
    pub vehicle_id: Option<i32>,
    /// R2: the archive must be completed by the end of this date.
    pub archive_due: NaiveDate,
    /// `false` when an `external_id` seen before updated its visit.
    pub created: bool,
}

/// The store a visit belongs to: named by code, else the actor's, else the only one.
pub fn resolve_store(conn: &mut DbConn, actor: &Actor, code: Option<&str>) -> SResult<i32> {
    let id = match code {
        Some(code) => {
            store::by_code(conn, code)?
                .ok_or_else(|| FieldError::new("store", "store-unknown").arg("value", code))?
                .id
        }
        None => match actor.store_id {
            Some(s) => s,
            None => {
                let all = store::all(conn)?;
                match all.as_slice() {
                    [only] => only.id,
                    _ => return Err(FieldError::new("store", "store-required").into()),
                }
            }
        },
    };
    if !actor.in_store(id) {
        return Err(FieldError::new("store", "store-forbidden").into());
    }
    Ok(id)
}

/// Validates and records one visit or consultation (a re-sent `external_id` updates it).
pub fn record(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    input: &VisitInput,
    source: VisitSource,
) -> SResult<Recorded> {
    let clock = ctx.clock;
    let v = visit::validate(input, clock.now_local(), &|t| clock.offset_to_local(t))?;
    write_tx(conn, |conn| record_valid(conn, ctx, actor, &v, source))
}

/// Records a validated visit; runs inside the caller's transaction: the store, the customer
/// by phone (R1), the vehicle by plate, the odometer (X3) and advisor (X8) checked, the visit
/// written (a re-sent `external_id` updates it), and the tasks it opens (R2, R4, X7).
pub fn record_valid(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    v: &ValidVisit,
    source: VisitSource,
) -> SResult<Recorded> {
    let now = crate::models::trunc(ctx.clock.now_utc());
    let store_id = resolve_store(conn, actor, v.store.as_deref())?;
    let at = Arrival {
        ctx,
        actor,
        v,
        store_id,
        now,
    };
    let existing = match &v.external_id {
        Some(x) => visit_model::by_external_id(conn, store_id, x)?,
        None => None,
    };
    let customer_id = match_customer(conn, &at)?;
    let cust = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    let clerk_id = cust.clerk_id.expect("set above");
    let vehicle_id = match_vehicle(conn, &at, customer_id)?;
    check_odometer(conn, &at, vehicle_id, existing.as_ref().map(|e| e.id))?;
    let advisor = match_advisor(conn, &at)?;
    let values = visit_values(ctx, v, (customer_id, vehicle_id), advisor, at.now);
    let (visit_id, created) = match existing {
        Some(e) => {
            if e.kind != values.kind {
                return Err(FieldError::new("kind", "kind-changed")
                    .arg("value", e.kind)
                    .into());
            }
            visit_model::update(conn, e.id, &values)?;
            (e.id, false)
        }
        None => (insert_visit(conn, &at, source, &values, clerk_id)?, true),
    };
    // R4: pick-up (or the consultation itself) opens the first follow-up.
    let follow_up_from = match v.kind {
        VisitKind::Consultation => Some(values.visit_date),
        _ => values.picked_up_on,
    };
    if let Some(p) = follow_up_from {
        open_first_follow_up(conn, ctx, store_id, customer_id, clerk_id, visit_id, p)?;
    }
    let archive_task =
        task::of_visit(conn, visit_id, TaskKind::Archive)?.ok_or(ServiceError::NotFound("task"))?;
    Ok(Recorded {
        visit_id,
        customer_id,
        vehicle_id,
        archive_due: archive_task.window_end,
        created,
    })
}

/// One visit being recorded: what every step of `record_valid` reads.
struct Arrival<'a> {
    ctx: &'a Ctx,
    actor: &'a Actor,
    v: &'a ValidVisit,
    store_id: i32,
    now: chrono::NaiveDateTime,
}

/// The customer: matched by phone; the newest name and address win. R1: a new customer (or
/// a known one without a clerk) gets the next clerk in turn.
fn match_customer(conn: &mut DbConn, at: &Arrival) -> SResult<i32> {
    let v = at.v;
    match customer::by_phone(conn, at.store_id, v.phone.as_str())? {
        Some(c) => {
            update_known_customer(conn, at, &c)?;
            if c.clerk_id.is_none() {
                let clerk = assign::next_clerk(conn, at.store_id)?
                    .ok_or_else(|| FieldError::new("store", "no-active-clerk"))?;
                customer::set_clerk(conn, &[c.id], clerk, at.now)?;
            }
            Ok(c.id)
        }
        None => {
            // R1: a new customer gets the next clerk in turn.
            let clerk = assign::next_clerk(conn, at.store_id)?
                .ok_or_else(|| FieldError::new("store", "no-active-clerk"))?;
            Ok(customer::insert(
                conn,
                at.store_id,
                &v.customer_name,
                v.phone.as_str(),
                v.address.as_deref(),
                Some(clerk),
                at.now,
            )?)
        }
    }
}

/// ASVS 8.2.2: the customer's own fields change only for who may change them (the
/// customer's clerk, supervisors, admins); a change is recorded with what it was.
fn update_known_customer(conn: &mut DbConn, at: &Arrival, c: &customer::Customer) -> SResult<()> {
    let v = at.v;
    let address = v.address.as_deref().or(c.address.as_deref());
    let changed = c.name != v.customer_name || c.address.as_deref() != address;
    if !changed || !super::access::may_update_customer(at.actor, c) {
        return Ok(());
    }
    customer::update_contact(
        conn,
        c.id,
        &v.customer_name,
        v.phone.as_str(),
        address,
        at.now,
    )?;
    // The fields by name, not their values: the audit log is append-only, and an
    // anonymisation must be able to remove every personal value (R11).
    let mut what = Vec::new();
    if c.name != v.customer_name {
        what.push("name");
    }
    if c.address.as_deref() != address {
        what.push("address");
    }
    super::audit::record(
        conn,
        at.ctx,
        at.actor,
        "customer.update",
        &format!("customer {}", c.id),
        &super::audit::detail(&[("source", "visit".into()), ("changed", what.into())]),
        "ok",
    )?;
    Ok(())
}

/// The vehicle: matched by plate; a car that changed owner moves to this customer.
fn match_vehicle(conn: &mut DbConn, at: &Arrival, customer_id: i32) -> SResult<Option<i32>> {
    let v = at.v;
    let Some(p) = &v.plate else {
        return Ok(None);
    };
    let id = match customer::vehicle_by_plate(conn, at.store_id, p.as_str())? {
        Some(veh) => {
            customer::vehicle_update(
                conn,
                veh.id,
                customer_id,
                v.vehicle_model.as_deref().or(veh.model.as_deref()),
                v.vehicle_type.as_deref().or(veh.vehicle_type.as_deref()),
                at.now,
            )?;
            veh.id
        }
        None => customer::vehicle_insert(
            conn,
            at.store_id,
            customer_id,
            p.as_str(),
            v.vehicle_model.as_deref(),
            v.vehicle_type.as_deref(),
            at.now,
        )?,
    };
    Ok(Some(id))
}

/// X3: an odometer reading lower than the vehicle's one before is a typing error.
fn check_odometer(
    conn: &mut DbConn,
    at: &Arrival,
    vehicle_id: Option<i32>,
    except: Option<i32>,
) -> SResult<()> {
    let checked_in_utc = at.ctx.clock.to_utc(at.v.checked_in_at);
    if let (Some(veh), Some(km)) = (vehicle_id, at.v.odometer_km) {
        let prev = visit_model::last_reading(conn, veh, checked_in_utc, except)?;
        if reading_goes_back(prev.map(|(_, k)| k), km) {
            let (_, prev_km) = prev.expect("checked");
            return Err(FieldError::new("odometer_km", "odometer-lower")
                .arg("previous", prev_km)
                .into());
        }
    }
    Ok(())
}

/// X8: the advisor as typed, matched to the admin's list by normalised name (an unknown
/// name is kept as text and shown as unmatched).
fn match_advisor(conn: &mut DbConn, at: &Arrival) -> SResult<(Option<String>, Option<i32>)> {
    let advisor =
        at.v.advisor
            .clone()
            .filter(|_| at.ctx.config.settings.advisors.enabled);
    let advisor_id = match &advisor {
        Some(a) => crate::models::satisfaction::by_norm(
            conn,
            at.store_id,
            &crate::domain::satisfaction::normalise_name(a),
        )?
        .map(|a| a.id),
        None => None,
    };
    Ok((advisor, advisor_id))
}

/// A new visit: its row, its archive task (R2), and a lost customer's win-back closed (X7).
fn insert_visit(
    conn: &mut DbConn,
    at: &Arrival,
    source: VisitSource,
    values: &VisitValues,
    clerk_id: i32,
) -> SResult<i32> {
    let (store_id, now) = (at.store_id, at.now);
    let customer_id = values.customer_id;
    let id = visit_model::insert(
        conn,
        store_id,
        at.v.external_id.as_deref(),
        source,
        at.actor.user_id,
        values,
        now,
    )?;
    // R2: every visit or consultation opens its archive task, due by the end of D+2.
    task::insert(
        conn,
        &NewTask {
            store_id,
            kind: TaskKind::Archive,
            customer_id,
            visit_id: Some(id),
            clerk_id,
            window: at.ctx.cadence().archive(values.visit_date),
            planned_contact_id: None,
            item_id: None,
            event_id: None,
        },
        now,
    )?;
    // X7: a lost customer's next visit closes the win-back task: won back.
    for t in task::open_of_customer(conn, customer_id, &[TaskKind::WinBack])? {
        task::close(
            conn,
            t.id,
            crate::domain::task::CloseReason::Returned,
            now,
            values.visit_date,
            at.actor.user_id,
        )?;
    }
    Ok(id)
}

/// The row a validated visit is written as (both import paths and the form).
pub fn visit_values(
    ctx: &Ctx,
    v: &ValidVisit,
    (customer_id, vehicle_id): (i32, Option<i32>),
    (advisor, advisor_id): (Option<String>, Option<i32>),
    now: chrono::NaiveDateTime,
) -> VisitValues {
    let clock = ctx.clock;
    VisitValues {
        customer_id,
        vehicle_id,
        kind: v.kind,
        checked_in_at: clock.to_utc(v.checked_in_at),
        visit_date: v.checked_in_at.date(),
        picked_up_at: v.picked_up_at.map(|t| clock.to_utc(t)),
        picked_up_on: v.picked_up_at.map(|t| t.date()),
        items: serde_json::to_string(&v.items).expect("strings serialise"),
        maintenance_interval_days: v.maintenance_interval_days,
        maintenance_interval_km: v.maintenance_interval_km,
        next_maintenance_date: v.next_maintenance_date,
        desired_services: v.desired_services.clone(),
        odometer_km: v.odometer_km,
        advisor,
        advisor_id,
        updated_at: now,
    }
}

/// R4: the first follow-up, window P+3 … P+7; once per visit.
fn open_first_follow_up(
    conn: &mut DbConn,
    ctx: &Ctx,
    store_id: i32,
    customer_id: i32,
    clerk_id: i32,
    visit_id: i32,
    p: NaiveDate,
) -> SResult<()> {
    if task::of_visit(conn, visit_id, TaskKind::FirstFollowUp)?.is_none() {
        let window = ctx.cadence().first_follow_up(p);
        let t = NewTask {
            store_id,
            kind: TaskKind::FirstFollowUp,
            customer_id,
            visit_id: Some(visit_id),
            clerk_id,
            window,
            planned_contact_id: None,
            item_id: None,
            event_id: None,
        };
        task::insert(conn, &t, crate::models::trunc(ctx.clock.now_utc()))?;
    }
    Ok(())
}

/// Records the pick-up of a serviced vehicle (接车出厂), which opens the first follow-up (R4).
/// What a pick-up did: whose visit it was, and when the first follow-up it opened is due (R4).
#[derive(Debug, Clone, Copy)]
pub struct PickedUp {
    pub customer_id: i32,
    pub first_follow_up_due: NaiveDate,
}

pub fn pickup(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    visit_id: i32,
    picked_up_at: Option<&str>,
) -> SResult<PickedUp> {
    let clock = ctx.clock;
    write_tx(conn, |conn| {
        let v = visit_model::by_id(conn, visit_id)?.ok_or(ServiceError::NotFound("visit"))?;
        let owner = customer::by_id(conn, v.customer_id)?.and_then(|c| c.clerk_id);
        super::access::check(conn, actor, v.store_id, owner, clock.today(), "visit")?;
        if v.kind == VisitKind::Consultation {
            return Err(FieldError::new("picked_up_at", "pickup-consultation").into());
        }
        if v.picked_up_at.is_some() {
            return Err(ServiceError::Conflict("already-picked-up"));
        }
        let at = visit::validate_pickup(
            picked_up_at,
            clock.to_local(v.checked_in_at),
            clock.now_local(),
            &|t| clock.offset_to_local(t),
        )?;
        let now = crate::models::trunc(clock.now_utc());
        visit_model::set_pickup(conn, v.id, clock.to_utc(at), at.date(), now)?;
        let cust =
            customer::by_id(conn, v.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
        let clerk = cust
            .clerk_id
            .ok_or_else(|| FieldError::new("store", "no-active-clerk"))?;
        open_first_follow_up(conn, ctx, v.store_id, v.customer_id, clerk, v.id, at.date())?;
        Ok(PickedUp {
            customer_id: v.customer_id,
            first_follow_up_due: ctx.cadence().first_follow_up(at.date()).end,
        })
    })
}

/// The new customer's fields of an inbound call, checked: every error at once.
pub fn new_customer_fields(
    name: Option<&str>,
    phone: Option<&str>,
) -> Result<(String, crate::domain::phone::Phone), crate::domain::error::FieldErrors> {
    let mut errs = crate::domain::error::FieldErrors::default();
    let name = match name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(n) => errs.take(visit::check_len("new_customer_name", n, 100)),
        None => errs.take(Err(FieldError::new("new_customer_name", "required"))),
    };
    let phone = errs.take(crate::domain::phone::Phone::parse(
        "new_customer_phone",
        phone.unwrap_or(""),
    ));
    errs.into_result(|| ())?;
    Ok((name.expect("checked"), phone.expect("checked")))
}

/// A customer for an inbound call from someone not yet known: matched by phone, or created
/// with the next clerk in turn (R1).
pub fn customer_for_call(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    name: Option<&str>,
    phone: Option<&str>,
) -> SResult<i32> {
    let (name, phone) = new_customer_fields(name, phone)?;
    write_tx(conn, |conn| {
        let store_id = resolve_store(conn, actor, None)?;
        if let Some(c) = customer::by_phone(conn, store_id, phone.as_str())? {
            return Ok(c.id);
        }
        let clerk = assign::next_clerk(conn, store_id)?
            .ok_or_else(|| FieldError::new("store", "no-active-clerk"))?;
        let now = crate::models::trunc(ctx.clock.now_utc());
        Ok(customer::insert(
            conn,
            store_id,
            &name,
            phone.as_str(),
            None,
            Some(clerk),
            now,
        )?)
    })
}
