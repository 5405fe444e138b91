//! R2 + R3: completing a visit's archive sheet (客户档案基本资料表). The clerk confirms or
//! corrects fields A1–A11 (A12, the service history, is derived), and must give the
//! next-service plan. Completion takes the next archive number, records who and when, marks
//! the archive task done (on time or late by its window) and opens one task per planned
//! contact — the N1 entry being the maintenance reminder itself (window A10−7 … A10).

use super::{Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::archive::{validate_plan, PlanInput, PlannedContact, Purpose};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::maintenance::{next_maintenance_date, Reading};
use crate::domain::phone::Phone;
use crate::domain::plate::Plate;
use crate::domain::task::{TaskKind, TaskStatus, Timeliness};
use crate::domain::visit::{check_len, not_future, parse_date, parse_int, parse_local_datetime};
use crate::models::archive::Archive;
use crate::models::task::NewTask;
use crate::models::{archive as archive_model, customer, task, user, visit as visit_model};
use crate::registers::numbering::{self, Register};
use chrono::{Datelike, NaiveDate};
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

#[derive(Debug, Clone, Serialize)]
pub struct Completed {
    pub archive_no: String,
    pub archive_id: i32,
    pub timeliness: Timeliness,
    pub next_maintenance_date: Option<NaiveDate>,
}

/// The sheet before completion: the visit's values, A10 as X3 computes it, and A12.
#[derive(Debug, Clone, Serialize)]
pub struct Draft {
    pub visit: visit_model::Visit,
    pub customer: customer::Customer,
    pub vehicle: Option<customer::Vehicle>,
    pub next_maintenance_date: Option<NaiveDate>,
    pub service_history: Vec<String>,
    pub task: Option<task::Task>,
    pub archive: Option<Archive>,
    pub plan: Vec<archive_model::PlannedContactRow>,
    /// Whether this actor may complete it: the customer's clerk, whoever covers for them
    /// today (R9), a supervisor or an admin. Other clerks of the store may read it.
    pub can_complete: bool,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A12: the customer's earlier visits here, one line each: date and items.
fn service_history(
    conn: &mut DbConn,
    customer_id: i32,
    before_visit: &visit_model::Visit,
) -> SResult<Vec<String>> {
    Ok(visit_model::of_customer(conn, customer_id)?
        .into_iter()
        .filter(|v| v.id != before_visit.id && v.checked_in_at <= before_visit.checked_in_at)
        .map(|v| format!("{} {}", v.visit_date, v.item_list().join("；")))
        .collect())
}

/// X3 for this visit: entered date, else the odometer estimate, else the interval in days.
fn a10(
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

pub fn draft(conn: &mut DbConn, actor: &Actor, visit_id: i32, today: NaiveDate) -> SResult<Draft> {
    let visit = visit_model::by_id(conn, visit_id)?.ok_or(ServiceError::NotFound("visit"))?;
    let customer =
        customer::by_id(conn, visit.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    // ASVS 8.2.2: the sheet holds the customer's data: only who reaches the customer sees it.
    super::access::check(
        conn,
        actor,
        visit.store_id,
        customer.clerk_id,
        today,
        "visit",
    )?;
    let can_complete = true;
    let vehicle = match visit.vehicle_id {
        Some(id) => customer::vehicles_of(conn, customer.id)?
            .into_iter()
            .find(|v| v.id == id),
        None => None,
    };
    let next = a10(
        conn,
        &visit,
        visit.next_maintenance_date,
        visit.maintenance_interval_days,
        visit.maintenance_interval_km,
    )?;
    let history = service_history(conn, customer.id, &visit)?;
    let task = task::of_visit(conn, visit.id, TaskKind::Archive)?;
    let archive = archive_model::by_visit(conn, visit.id)?;
    let plan = match &archive {
        Some(a) => archive_model::plan_of_archive(conn, a.id)?,
        None => Vec::new(),
    };
    Ok(Draft {
        visit,
        customer,
        vehicle,
        next_maintenance_date: next,
        service_history: history,
        task,
        archive,
        plan,
        can_complete,
    })
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

pub fn complete(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    visit_id: i32,
    input: &ArchiveInput,
) -> SResult<Completed> {
    let clock = ctx.clock;
    let cadence = ctx.cadence();
    write_tx(conn, |conn| {
        let v = visit_model::by_id(conn, visit_id)?.ok_or(ServiceError::NotFound("visit"))?;
        let cust =
            customer::by_id(conn, v.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
        if !actor.in_store(v.store_id) {
            return Err(ServiceError::NotFound("visit"));
        }
        // R9: the designated clerk, or whoever covers for them today, or a supervisor.
        super::cover::may_work_on(
            conn,
            actor,
            v.store_id,
            cust.clerk_id.unwrap_or(0),
            clock.today(),
        )?;
        if archive_model::by_visit(conn, v.id)?.is_some() {
            return Err(ServiceError::Conflict("archive-done"));
        }
        let archive_task =
            task::of_visit(conn, v.id, TaskKind::Archive)?.ok_or(ServiceError::NotFound("task"))?;
        if archive_task.status != TaskStatus::Open {
            return Err(ServiceError::Conflict("task-not-open"));
        }

        // Validate every field at once.
        let mut errs = FieldErrors::default();
        // Issue 12: a required field sent empty (cleared on the sheet) is an error naming
        // it; only a field not sent at all keeps the visit's value.
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
        let vehicle = match v.vehicle_id {
            Some(id) => customer::vehicles_of(conn, cust.id)?
                .into_iter()
                .find(|x| x.id == id),
            None => None,
        };
        let plate = match required(&input.plate) {
            Ok(Some(p)) => errs
                .take(Plate::parse("plate", p))
                .map(|p| Some(p.as_str().to_string())),
            Ok(None) => Some(vehicle.as_ref().map(|x| x.plate.clone())),
            // A visit without a vehicle may stay without one.
            Err(()) if vehicle.is_none() => Some(None),
            Err(()) => errs.take(Err(FieldError::new("plate", "required"))),
        };
        let model = match blank(&input.vehicle_model) {
            Some(m) => errs.take(check_len("vehicle_model", m, 60)).map(Some),
            None => Some(vehicle.as_ref().and_then(|x| x.model.clone())),
        };
        let vtype = match blank(&input.vehicle_type) {
            Some(t) => errs.take(check_len("vehicle_type", t, 30)).map(Some),
            None => Some(vehicle.as_ref().and_then(|x| x.vehicle_type.clone())),
        };
        let items = match &input.items {
            Some(list) => list
                .iter()
                .map(|i| i.trim().to_string())
                .filter(|i| !i.is_empty())
                .collect(),
            None => v.item_list(),
        };
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
        let desired = match blank(&input.desired_services) {
            Some(s) => errs.take(check_len("desired_services", s, 500)).map(Some),
            None => Some(v.desired_services.clone()),
        };
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
        let next = match (&entered, &days, &km) {
            (Some(e), Some(d), Some(k)) => a10(conn, &v, *e, *d, *k)?,
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
        let (name, phone, address, plate, model, vtype, days, km, desired, archived_local) = (
            name.expect("checked"),
            phone.expect("checked"),
            address.expect("checked"),
            plate.expect("checked"),
            model.expect("checked"),
            vtype.expect("checked"),
            days.expect("checked"),
            km.expect("checked"),
            desired.expect("checked"),
            archived_local.expect("checked"),
        );
        let now = crate::models::trunc(clock.now_utc());
        if phone != cust.phone {
            if let Some(other) = customer::by_phone(conn, v.store_id, &phone)? {
                if other.id != cust.id {
                    return Err(FieldError::new("phone", "phone-taken")
                        .arg("name", other.name)
                        .into());
                }
            }
        }

        // Corrections on the sheet correct the customer, the vehicle and the visit.
        customer::update_contact(conn, cust.id, &name, &phone, address.as_deref(), now)?;
        if let Some(veh) = &vehicle {
            if plate.as_deref() != Some(veh.plate.as_str()) {
                if let Some(p) = &plate {
                    if customer::vehicle_by_plate(conn, v.store_id, p)?.is_some() {
                        return Err(FieldError::new("plate", "plate-taken").into());
                    }
                    diesel::update(crate::db::schema::vehicles::table.find(veh.id))
                        .set(crate::db::schema::vehicles::plate.eq(p))
                        .execute(conn)?;
                }
            }
            customer::vehicle_update(
                conn,
                veh.id,
                cust.id,
                model.as_deref(),
                vtype.as_deref(),
                now,
            )?;
        }
        let mut values = visit_values(&v, now);
        values.items = serde_json::to_string(&items).expect("strings serialise");
        values.maintenance_interval_days = days;
        values.maintenance_interval_km = km;
        values.next_maintenance_date = next;
        values.desired_services = desired.clone();
        visit_model::update(conn, v.id, &values)?;

        let archived_at = crate::models::trunc(clock.to_utc(archived_local));
        let archived_on = archived_local.date();
        let (_, archive_no) =
            numbering::next(conn, v.store_id, Register::Archives, archived_on.year())?;
        let by = match actor.user_id {
            Some(id) => user::by_id(conn, id)?,
            None => return Err(ServiceError::Forbidden),
        };
        let history = service_history(conn, cust.id, &v)?;
        let archive = Archive {
            id: 0,
            store_id: v.store_id,
            visit_id: v.id,
            task_id: Some(archive_task.id),
            customer_id: cust.id,
            archive_no: archive_no.clone(),
            customer_name: name,
            address,
            phone,
            visit_date: v.visit_date,
            vehicle_model: model,
            plate,
            vehicle_type: vtype,
            items: items.join("；"),
            maintenance_interval_days: days,
            maintenance_interval_km: km,
            next_maintenance_date: next,
            desired_services: desired,
            service_history: history.join("\n"),
            due_date: archive_task.window_end,
            archived_at,
            archived_on,
            archived_by_id: by.id,
            archived_by: by.display_name.clone(),
            created_at: now,
        };
        let archive_id = archive_model::insert(conn, &archive)?;
        // R11: the archive register is a hash chain.
        let mut line = archive.clone();
        line.id = archive_id;
        crate::registers::chain::append(
            conn,
            Register::Archives,
            &crate::registers::chain::archive_line(&line),
            now,
        )?;
        if task::mark_done(conn, archive_task.id, archived_at, archived_on, by.id)? == 0 {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        let clerk_id = cust.clerk_id.unwrap_or(by.id);
        for PlannedContact {
            purpose,
            date,
            talking_points,
        } in &plan
        {
            let pc = archive_model::plan_insert(
                conn,
                &archive_model::NewPlannedContact {
                    store_id: v.store_id,
                    archive_id,
                    customer_id: cust.id,
                    purpose: *purpose,
                    planned_date: *date,
                    talking_points,
                    created_at: now,
                },
            )?;
            // N1 is the maintenance reminder itself, not a second task (R3).
            let (kind, window) = match purpose {
                Purpose::N1 => (
                    TaskKind::MaintenanceReminder,
                    cadence.maintenance_reminder(*date),
                ),
                _ => (TaskKind::PlannedContact, cadence.planned_contact(*date)),
            };
            let t = NewTask {
                store_id: v.store_id,
                kind,
                customer_id: cust.id,
                visit_id: Some(v.id),
                clerk_id,
                window,
                planned_contact_id: Some(pc),
                item_id: None,
                event_id: None,
            };
            let tid = task::insert(conn, &t, now)?;
            archive_model::plan_set_task(conn, pc, tid)?;
        }
        let timeliness = crate::domain::task::timeliness(
            archive_task.window(),
            TaskStatus::Done,
            Some(archived_on),
            archived_on,
        )
        .unwrap_or(Timeliness::OnTime);
        Ok(Completed {
            archive_no,
            archive_id,
            timeliness,
            next_maintenance_date: next,
        })
    })
}

fn visit_values(
    v: &visit_model::Visit,
    now: chrono::NaiveDateTime,
) -> crate::models::visit::VisitValues {
    crate::models::visit::VisitValues {
        customer_id: v.customer_id,
        vehicle_id: v.vehicle_id,
        kind: v.kind,
        checked_in_at: v.checked_in_at,
        visit_date: v.visit_date,
        picked_up_at: v.picked_up_at,
        picked_up_on: v.picked_up_on,
        items: v.items.clone(),
        maintenance_interval_days: v.maintenance_interval_days,
        maintenance_interval_km: v.maintenance_interval_km,
        next_maintenance_date: v.next_maintenance_date,
        desired_services: v.desired_services.clone(),
        odometer_km: v.odometer_km,
        advisor: v.advisor.clone(),
        advisor_id: v.advisor_id,
        updated_at: now,
    }
}

use diesel::prelude::*;

/// A completed archive sheet as the lists show it.
#[derive(Debug, serde::Serialize)]
pub struct ArchiveLine {
    pub archive_no: String,
    pub visit_id: i32,
    pub customer_id: i32,
    pub customer_name: String,
    pub phone: String,
    pub plate: Option<String>,
    pub visit_date: NaiveDate,
    pub due_date: NaiveDate,
    pub archived_on: NaiveDate,
    pub archived_by: String,
    pub late: bool,
}

/// Completed archive sheets, newest first, optionally within dates of completion.
pub fn recent(
    conn: &mut DbConn,
    sight: &crate::domain::privacy::PhoneSight,
    store: Option<i32>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ArchiveLine>, i64)> {
    let (rows, total) = crate::models::archive::recent(conn, store, from, to, limit, offset)?;
    Ok((
        rows.into_iter()
            .map(|(a, clerk)| ArchiveLine {
                late: crate::domain::archive::is_late(a.archived_on, a.due_date),
                archive_no: a.archive_no,
                visit_id: a.visit_id,
                customer_id: a.customer_id,
                customer_name: a.customer_name,
                phone: sight.show(clerk, &a.phone),
                plate: a.plate.as_deref().map(crate::domain::plate::display),
                visit_date: a.visit_date,
                due_date: a.due_date,
                archived_on: a.archived_on,
                archived_by: a.archived_by,
            })
            .collect(),
        total,
    ))
}
