//! R2 + R3: the archive sheet's fields as the clerk confirms or corrects them (A1–A11) and the
//! next-service plan, checked all at once so the sheet comes back with every error named.
//! `services::archive::complete` writes what this accepts; X3's A10 for the sheet and its
//! draft is here too.

use super::{Ctx, SResult};
use crate::db::DbConn;
use crate::domain::archive::{validate_plan, PlanInput, PlannedContact};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::maintenance::{next_maintenance_date, Reading};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::visit::{check_len, not_future, parse_date, parse_int, parse_local_datetime};
use crate::models::{customer, visit as visit_model};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The archive sheet as submitted: A-fields the clerk confirms or corrects (absent = keep the
/// visit's value), the plan, and optionally when the sheet was really completed.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveInput {
    pub customer_name: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub vehicle_model: Option<String>,
    pub plate: Option<String>,
    pub vehicle_type: Option<String>,
    pub items: Option<Vec<String>>,
    pub maintenance_interval_days: Option<String>,
    pub maintenance_interval_km: Option<String>,
    pub next_maintenance_date: Option<String>,
    pub desired_services: Option<String>,
    #[serde(default)]
    pub plan: Vec<PlanInput>,
    pub archived_at: Option<String>,
}

/// X3 for this visit: entered date, else the odometer estimate, else the interval in days.
pub(super) fn a10(
    conn: &mut DbConn,
    v: &visit_model::Visit,
    entered: Option<NaiveDate>,
    days: Option<i32>,
    km: Option<i32>,
) -> SResult<Option<NaiveDate>> {
    let current = v.odometer_km.map(|k| Reading {
        on: v.visit_date,
        km: k,
    });
    let previous = match v.vehicle_id {
        Some(veh) => visit_model::last_reading(conn, veh, v.checked_in_at, Some(v.id))?
            .map(|(on, km)| Reading { on, km }),
        None => None,
    };
    Ok(next_maintenance_date(
        entered,
        v.visit_date,
        days,
        km,
        previous,
        current,
    ))
}

/// The sheet as accepted: each field as sent, else the visit's (or customer's) value.
pub(super) struct Sheet {
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    /// The visit's vehicle, if it has one (corrected by `plate`, `model`, `vtype`).
    pub vehicle: Option<customer::Vehicle>,
    pub plate: Option<String>,
    pub model: Option<String>,
    pub vtype: Option<String>,
    pub items: Vec<String>,
    pub days: Option<i32>,
    pub km: Option<i32>,
    /// A10 as X3 computes it from the sheet.
    pub next: Option<NaiveDate>,
    pub desired: Option<String>,
    /// When the sheet was really completed (local time).
    pub archived_local: NaiveDateTime,
    pub plan: Vec<PlannedContact>,
}

pub(super) fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A required A-field as sent: `Ok(None)` not sent (keep the visit's value), `Err(())` sent
/// empty, `Ok(Some(text))` otherwise.
fn required(v: &Option<String>) -> Result<Option<&str>, ()> {
    match v.as_deref().map(str::trim) {
        None => Ok(None),
        Some("") => Err(()),
        Some(t) => Ok(Some(t)),
    }
}

/// Validates every field at once, in the sheet's order; the errors, all of them, if any.
pub(super) fn validate(
    conn: &mut DbConn,
    ctx: &Ctx,
    input: &ArchiveInput,
    v: &visit_model::Visit,
    cust: &customer::Customer,
) -> SResult<Sheet> {
    let mut errs = FieldErrors::default();
    let (name, phone, address) = customer_fields(&mut errs, input, cust);
    let vehicle = match v.vehicle_id {
        Some(id) => customer::vehicles_of(conn, cust.id)?
            .into_iter()
            .find(|x| x.id == id),
        None => None,
    };
    let (plate, model, vtype) = vehicle_fields(&mut errs, input, vehicle.as_ref());
    let items = match &input.items {
        Some(list) => list
            .iter()
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect(),
        None => v.item_list(),
    };
    let (days, km, entered) = maintenance_fields(&mut errs, input, v);
    let desired = match blank(&input.desired_services) {
        Some(s) => errs.take(check_len("desired_services", s, 500)).map(Some),
        None => Some(v.desired_services.clone()),
    };
    let archived_local = archived_at(&mut errs, ctx, input, v);
    let next = match (&entered, &days, &km) {
        (Some(e), Some(d), Some(k)) => a10(conn, v, *e, *d, *k)?,
        _ => None,
    };
    let plan = match validate_plan(&input.plan, v.visit_date, next) {
        Ok(p) => p,
        Err(e) => {
            errs.0.extend(e.0);
            Vec::new()
        }
    };
    if !errs.is_empty() {
        return Err(errs.into());
    }
    Ok(Sheet {
        name: name.expect("checked"),
        phone: phone.expect("checked"),
        address: address.expect("checked"),
        vehicle,
        plate: plate.expect("checked"),
        model: model.expect("checked"),
        vtype: vtype.expect("checked"),
        items,
        days: days.expect("checked"),
        km: km.expect("checked"),
        next,
        desired: desired.expect("checked"),
        archived_local: archived_local.expect("checked"),
        plan,
    })
}

/// A1–A3. Issue 12: a required field sent empty (cleared on the sheet) is an error naming
/// it; only a field not sent at all keeps the visit's value. `None`: refused (in `errs`).
type CustomerFields = (Option<String>, Option<String>, Option<Option<String>>);

fn customer_fields(
    errs: &mut FieldErrors,
    input: &ArchiveInput,
    cust: &customer::Customer,
) -> CustomerFields {
    let name = match required(&input.customer_name) {
        Ok(Some(n)) => errs.take(check_len("customer_name", n, 100)),
        Ok(None) => Some(cust.name.clone()),
        Err(()) => errs.take(Err(FieldError::new("customer_name", "required"))),
    };
    let phone = match required(&input.phone) {
        Ok(Some(p)) => errs
            .take(Phone::parse("phone", p))
            .map(|p| p.as_str().to_string()),
        Ok(None) => Some(cust.phone.clone()),
        Err(()) => errs.take(Err(FieldError::new("phone", "required"))),
    };
    let address = match blank(&input.address) {
        Some(a) => errs.take(check_len("address", a, 200)).map(Some),
        None => Some(cust.address.clone()),
    };
    (name, phone, address)
}

/// A5–A7: plate, model and type; `None`: refused (in `errs`).
type VehicleFields = (
    Option<Option<String>>,
    Option<Option<String>>,
    Option<Option<String>>,
);

fn vehicle_fields(
    errs: &mut FieldErrors,
    input: &ArchiveInput,
    vehicle: Option<&customer::Vehicle>,
) -> VehicleFields {
    let plate = match required(&input.plate) {
        Ok(Some(p)) => errs
            .take(Plate::parse("plate", p))
            .map(|p| Some(p.as_str().to_string())),
        Ok(None) => Some(vehicle.map(|x| x.plate.clone())),
        // A visit without a vehicle may stay without one.
        Err(()) if vehicle.is_none() => Some(None),
        Err(()) => errs.take(Err(FieldError::new("plate", "required"))),
    };
    let model = match blank(&input.vehicle_model) {
        Some(m) => errs.take(check_len("vehicle_model", m, 60)).map(Some),
        None => Some(vehicle.and_then(|x| x.model.clone())),
    };
    let vtype = match blank(&input.vehicle_type) {
        Some(t) => errs.take(check_len("vehicle_type", t, 30)).map(Some),
        None => Some(vehicle.and_then(|x| x.vehicle_type.clone())),
    };
    (plate, model, vtype)
}

/// A9, A10 as entered: the intervals and the next maintenance date, which must come after
/// the visit; `None`: refused (in `errs`).
type MaintenanceFields = (
    Option<Option<i32>>,
    Option<Option<i32>>,
    Option<Option<NaiveDate>>,
);

fn maintenance_fields(
    errs: &mut FieldErrors,
    input: &ArchiveInput,
    v: &visit_model::Visit,
) -> MaintenanceFields {
    let days = match blank(&input.maintenance_interval_days) {
        Some(s) => errs
            .take(parse_int("maintenance_interval_days", s, 1, 3650))
            .map(Some),
        None => Some(v.maintenance_interval_days),
    };
    let km = match blank(&input.maintenance_interval_km) {
        Some(s) => errs
            .take(parse_int("maintenance_interval_km", s, 1, 200_000))
            .map(Some),
        None => Some(v.maintenance_interval_km),
    };
    let entered = match blank(&input.next_maintenance_date) {
        Some(s) => match errs.take(parse_date("next_maintenance_date", s)) {
            Some(d) if d <= v.visit_date => {
                errs.push(FieldError::new(
                    "next_maintenance_date",
                    "date-not-after-visit",
                ));
                None
            }
            d => d.map(Some),
        },
        None => Some(v.next_maintenance_date),
    };
    (days, km, entered)
}

/// When the sheet was completed: now, or a past time given, never before the visit.
fn archived_at(
    errs: &mut FieldErrors,
    ctx: &Ctx,
    input: &ArchiveInput,
    v: &visit_model::Visit,
) -> Option<NaiveDateTime> {
    let clock = ctx.clock;
    let archived_local = match blank(&input.archived_at) {
        None => Some(clock.now_local()),
        Some(s) => errs.take(
            parse_local_datetime("archived_at", s, &|t| clock.offset_to_local(t))
                .and_then(|t| not_future("archived_at", t, clock.now_local())),
        ),
    };
    if let Some(t) = archived_local {
        if clock.to_utc(t) < v.checked_in_at {
            errs.push(FieldError::new("archived_at", "archived-before-visit"));
        }
    }
    archived_local
}
