//! R2 + R3: completing a visit's archive sheet (客户档案基本资料表). The clerk confirms or
//! corrects fields A1–A11 (A12, the service history, is derived), and must give the
//! next-service plan. Completion takes the next archive number, records who and when, marks
//! the archive task done (on time or late by its window) and opens one task per planned
//! contact — the N1 entry being the maintenance reminder itself (window A10−7 … A10).

pub use super::archive_sheet::ArchiveInput;
use super::archive_sheet::{self, a10, Sheet};
use super::{Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::archive::{PlannedContact, Purpose};
use crate::domain::error::FieldError;
use crate::domain::register::Register;
use crate::domain::task::{TaskKind, TaskStatus, Timeliness};
use crate::models::archive::Archive;
use crate::models::register_counter;
use crate::models::task::NewTask;
use crate::models::{archive as archive_model, customer, task, user, visit as visit_model};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

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

/// R2 + R3: completes a visit's archive sheet — the sheet checked, its corrections written
/// to the customer, vehicle and visit, the archive numbered and chained, its task done, and
/// one task per planned contact opened.
pub fn complete(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    visit_id: i32,
    input: &ArchiveInput,
) -> SResult<Completed> {
    let clock = ctx.clock;
    write_tx(conn, |conn| {
        let (v, cust, archive_task) = open_sheet(conn, ctx, actor, visit_id)?;
        let sheet = archive_sheet::validate(conn, ctx, input, &v, &cust)?;
        let now = crate::models::trunc(clock.now_utc());
        check_phone_free(conn, &v, &cust, &sheet.phone)?;
        apply_corrections(conn, &v, &cust, &sheet, now)?;
        let archived_at = crate::models::trunc(clock.to_utc(sheet.archived_local));
        let archived_on = sheet.archived_local.date();
        let (_, archive_no) =
            register_counter::next(conn, v.store_id, Register::Archives, archived_on.year())?;
        let by = match actor.user_id {
            Some(id) => user::by_id(conn, id)?,
            None => return Err(ServiceError::Forbidden),
        };
        let mut archive = Archive {
            id: 0,
            store_id: v.store_id,
            visit_id: v.id,
            task_id: Some(archive_task.id),
            customer_id: cust.id,
            archive_no: archive_no.clone(),
            customer_name: sheet.name.clone(),
            address: sheet.address.clone(),
            phone: sheet.phone.clone(),
            visit_date: v.visit_date,
            vehicle_model: sheet.model.clone(),
            plate: sheet.plate.clone(),
            vehicle_type: sheet.vtype.clone(),
            items: sheet.items.join("；"),
            maintenance_interval_days: sheet.days,
            maintenance_interval_km: sheet.km,
            next_maintenance_date: sheet.next,
            desired_services: sheet.desired.clone(),
            service_history: service_history(conn, cust.id, &v)?.join("\n"),
            due_date: archive_task.window_end,
            archived_at,
            archived_on,
            archived_by_id: by.id,
            archived_by: by.display_name.clone(),
            created_at: now,
        };
        write_archive(conn, &mut archive)?;
        let archive_id = archive.id;
        if task::mark_done(conn, archive_task.id, archived_at, archived_on, by.id)? == 0 {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        let clerk_id = cust.clerk_id.unwrap_or(by.id);
        open_plan_tasks(conn, ctx, &archive, clerk_id, &sheet.plan)?;
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
            next_maintenance_date: sheet.next,
        })
    })
}

/// The visit, its customer and its open archive task, if this actor may complete the sheet:
/// R9, the designated clerk, or whoever covers for them today, or a supervisor; once only.
fn open_sheet(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    visit_id: i32,
) -> SResult<(visit_model::Visit, customer::Customer, task::Task)> {
    let v = visit_model::by_id(conn, visit_id)?.ok_or(ServiceError::NotFound("visit"))?;
    let cust = customer::by_id(conn, v.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    if !actor.in_store(v.store_id) {
        return Err(ServiceError::NotFound("visit"));
    }
    // R9: the designated clerk, or whoever covers for them today, or a supervisor.
    super::cover::may_work_on(
        conn,
        actor,
        v.store_id,
        cust.clerk_id.unwrap_or(0),
        ctx.clock.today(),
    )?;
    if archive_model::by_visit(conn, v.id)?.is_some() {
        return Err(ServiceError::Conflict("archive-done"));
    }
    let archive_task =
        task::of_visit(conn, v.id, TaskKind::Archive)?.ok_or(ServiceError::NotFound("task"))?;
    if archive_task.status != TaskStatus::Open {
        return Err(ServiceError::Conflict("task-not-open"));
    }
    Ok((v, cust, archive_task))
}

/// A corrected phone must not be another customer's of the store (phones identify customers).
fn check_phone_free(
    conn: &mut DbConn,
    v: &visit_model::Visit,
    cust: &customer::Customer,
    phone: &str,
) -> SResult<()> {
    if phone != cust.phone {
        if let Some(other) = customer::by_phone(conn, v.store_id, phone)? {
            if other.id != cust.id {
                return Err(FieldError::new("phone", "phone-taken")
                    .arg("name", other.name)
                    .into());
            }
        }
    }
    Ok(())
}

/// Corrections on the sheet correct the customer, the vehicle and the visit.
fn apply_corrections(
    conn: &mut DbConn,
    v: &visit_model::Visit,
    cust: &customer::Customer,
    sheet: &Sheet,
    now: NaiveDateTime,
) -> SResult<()> {
    customer::update_contact(
        conn,
        cust.id,
        &sheet.name,
        &sheet.phone,
        sheet.address.as_deref(),
        now,
    )?;
    if let Some(veh) = &sheet.vehicle {
        if sheet.plate.as_deref() != Some(veh.plate.as_str()) {
            if let Some(p) = &sheet.plate {
                if customer::vehicle_by_plate(conn, v.store_id, p)?.is_some() {
                    return Err(FieldError::new("plate", "plate-taken").into());
                }
                customer::vehicle_set_plate(conn, veh.id, p)?;
            }
        }
        customer::vehicle_update(
            conn,
            veh.id,
            cust.id,
            sheet.model.as_deref(),
            sheet.vtype.as_deref(),
            now,
        )?;
    }
    let mut values = v.clone().into_values(now);
    values.items = serde_json::to_string(&sheet.items).expect("strings serialise");
    values.maintenance_interval_days = sheet.days;
    values.maintenance_interval_km = sheet.km;
    values.next_maintenance_date = sheet.next;
    values.desired_services = sheet.desired.clone();
    visit_model::update(conn, v.id, &values)?;
    Ok(())
}

/// Writes the archive (its id set); R11: the archive register is a hash chain.
fn write_archive(conn: &mut DbConn, archive: &mut Archive) -> SResult<()> {
    archive.id = archive_model::insert(conn, archive)?;
    crate::registers::chain::append(
        conn,
        Register::Archives,
        &crate::registers::chain::archive_line(archive),
        archive.created_at,
    )?;
    Ok(())
}

/// R3: each planned contact of the plan, with its task for the customer's clerk.
fn open_plan_tasks(
    conn: &mut DbConn,
    ctx: &Ctx,
    archive: &Archive,
    clerk_id: i32,
    plan: &[PlannedContact],
) -> SResult<()> {
    let cadence = ctx.cadence();
    let now = archive.created_at;
    for PlannedContact {
        purpose,
        date,
        talking_points,
    } in plan
    {
        let pc = archive_model::plan_insert(
            conn,
            &archive_model::NewPlannedContact {
                store_id: archive.store_id,
                archive_id: archive.id,
                customer_id: archive.customer_id,
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
            store_id: archive.store_id,
            kind,
            customer_id: archive.customer_id,
            visit_id: Some(archive.visit_id),
            clerk_id,
            window,
            planned_contact_id: Some(pc),
            item_id: None,
            event_id: None,
        };
        let tid = task::insert(conn, &t, now)?;
        archive_model::plan_set_task(conn, pc, tid)?;
    }
    Ok(())
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
