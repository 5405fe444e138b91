//! `aftercare import visits` at bulk speed (issue 14). The rows of a file are read and
//! validated exactly as the row path does it (`import::read_row`, `domain::visit::validate`),
//! then written batch by batch (`BATCH` rows, one transaction each):
//!
//! 1. the batch's phones, plates and external ids are looked up in one query each
//!    (`customer::live_by_phones`, `customer::vehicles_by_plates`,
//!    `visit::by_external_ids`), with the odometer readings of the vehicles found (X3), which
//!    of the visits found already have a first follow-up (R4), the open win-back tasks of the
//!    customers found (X7), and each store's active clerks and last assignment (R1);
//! 2. the rows are then played in file order against that state in memory, taking the same
//!    decisions as `services::visits::record_valid` in the same order: the customer by phone
//!    (the newest name and address win, for whom may change them, with the same audit entry),
//!    the next clerk in turn (R1) only for a row that is accepted, the vehicle by plate (a plate
//!    seen again moves to this customer), the reading that goes back rejected (X3) against
//!    every earlier visit of the vehicle — in the database or earlier in the file — the
//!    visit inserted or updated by its `external_id` (a changed kind rejected), its archive
//!    task (R2), its first follow-up (R4) once per visit, and a returning customer's win-back
//!    closed (X7). A later row of a customer, vehicle or external id seen earlier in the same
//!    batch sees what the earlier row did, as it would after that row's commit;
//! 3. what the batch made is written: new customers, vehicles, visits and tasks with
//!    multi-row INSERTs (ids taken first with `models::reserve_ids`, in the order the row path
//!    would have inserted them, so both paths give the same ids), the rows seen again with one
//!    UPDATE each holding their final values, then the stores' round-robin pointers and the
//!    audit entries in file order. Row triggers (queue versions, summary counters) fire for
//!    every row.
//!
//! A rejected row leaves no trace, as its savepoint does on the row path, and is reported
//! with the same line, field and error. Nothing goes through the row path: every case of it is
//! played in memory. Two visits of one vehicle at the very same check-in time: the row path
//! compares with whichever the database returns first, this path with the one written first.
//! A dry run rolls every batch back, as the row path does.
//!
//! One file of about 750 lines on purpose (issue 15's limit is ~500): the replay mirrors
//! `visits::record_valid` step by step, and reading the two side by side is how a change to
//! one is carried to the other; `tests/api/import.rs` compares the databases both write.

use super::import_rows::{batch_tx, read_row, Options, Rejected, Report, Row};
use super::visits::resolve_store;
use super::{access, audit, Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::maintenance::reading_goes_back;
use crate::domain::task::{CloseReason, TaskKind};
use crate::domain::visit::{self, ValidVisit, VisitKind, VisitSource};
use crate::models::customer::{Customer, NewCustomer, NewVehicle, Vehicle};
use crate::models::task::{NewTask, NewTaskRow};
use crate::models::visit::{NewVisit, VisitValues};
use crate::models::{customer, reserve_ids, satisfaction, store, task, user, IdTable};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};

/// Rows per transaction.
const BATCH: usize = 2000;

/// What stays the same for the whole file: the stores by the code a row names, and the
/// advisors by normalised name (X8).
#[derive(Default)]
struct Lookups {
    stores: HashMap<Option<String>, Result<i32, FieldErrors>>,
    advisors: HashMap<(i32, String), Option<i32>>,
}

pub(super) fn import_rows(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    headers: Vec<String>,
    rows: impl Iterator<Item = Row>,
    opts: Options,
) -> Result<Report, ServiceError> {
    let mut report = Report::new(&headers, opts);
    let clock = ctx.clock;
    let mut lookups = Lookups::default();
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let mut rejected: Vec<Rejected> = Vec::new();
        let mut valid: Vec<(u64, Vec<String>, ValidVisit)> = Vec::new();
        for row in rows.by_ref().take(BATCH) {
            match read_row(&headers, row) {
                None => {}
                Some(Err(r)) => rejected.push(r),
                Some(Ok((line, cells, input))) => {
                    match visit::validate(&input, clock.now_local(), &|t| clock.offset_to_local(t))
                    {
                        Ok(v) => valid.push((line, cells, v)),
                        Err(errors) => rejected.push(Rejected {
                            line,
                            record: cells,
                            errors,
                        }),
                    }
                }
            }
        }
        let (mut imported, mut updated) = (0, 0);
        batch_tx(conn, opts, |conn| {
            let mut stores = Vec::with_capacity(valid.len());
            for (line, cells, v) in &valid {
                match store_of(conn, actor, &mut lookups, v.store.as_deref())? {
                    Ok(s) => stores.push(Some(s)),
                    Err(errors) => {
                        stores.push(None);
                        rejected.push(Rejected {
                            line: *line,
                            record: cells.clone(),
                            errors,
                        })
                    }
                }
            }
            let placed: Vec<(i32, &ValidVisit)> = valid
                .iter()
                .zip(&stores)
                .filter_map(|((_, _, v), s)| s.map(|s| (s, v)))
                .collect();
            let mut batch = Batch::load(conn, &placed)?;
            for ((line, cells, v), store_id) in valid.iter().zip(&stores) {
                let Some(store_id) = *store_id else { continue };
                match batch.row(conn, ctx, actor, &mut lookups, store_id, v)? {
                    Ok(true) => imported += 1,
                    Ok(false) => updated += 1,
                    Err(errors) => rejected.push(Rejected {
                        line: *line,
                        record: cells.clone(),
                        errors,
                    }),
                }
            }
            batch.write(conn, ctx, actor)
        })?;
        report.imported += imported;
        report.updated += updated;
        // In file order, as the row path reports them.
        rejected.sort_by_key(|r| r.line);
        report.rejected.extend(rejected);
    }
    Ok(report)
}

/// Each key once.
fn distinct(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

/// The store a row names, as `visits::resolve_store` decides it, once per code.
fn store_of(
    conn: &mut DbConn,
    actor: &Actor,
    lookups: &mut Lookups,
    code: Option<&str>,
) -> Result<Result<i32, FieldErrors>, ServiceError> {
    let key = code.map(str::to_string);
    if let Some(r) = lookups.stores.get(&key) {
        return Ok(r.clone());
    }
    let r = match resolve_store(conn, actor, code) {
        Ok(id) => Ok(id),
        Err(ServiceError::Invalid(e)) => Err(e),
        Err(e) => return Err(e),
    };
    lookups.stores.insert(key, r.clone());
    Ok(r)
}

/// A row of the batch's state: as read (or made), whether it is new, whether it changed.
struct Kept<T> {
    row: T,
    new: bool,
    dirty: bool,
}

/// A visit of the batch: new ones keep what their insert writes.
struct VisitRow {
    id: i32,
    store_id: i32,
    external_id: Option<String>,
    kind: VisitKind,
    created_at: NaiveDateTime,
    values: VisitValues,
}

/// R1: a store's active clerks in round-robin order and the last one given a customer.
struct Turn {
    clerks: Vec<i32>,
    last: Option<i32>,
    moved: bool,
}

impl Turn {
    /// `assign::next_clerk`'s choice.
    fn next(&mut self) -> Option<i32> {
        let last = self.last.unwrap_or(0);
        let next = *self
            .clerks
            .iter()
            .find(|c| **c > last)
            .or(self.clerks.first())?;
        self.last = Some(next);
        self.moved = true;
        Some(next)
    }
}

/// The state of one batch, read in one query per kind of key, then changed row by row.
/// Ids of rows made in this batch are negative until `write` takes the real ones.
#[derive(Default)]
struct Batch {
    customers: Vec<Kept<Customer>>,
    by_phone: HashMap<(i32, String), usize>,
    vehicles: Vec<Kept<Vehicle>>,
    by_plate: HashMap<(i32, String), usize>,
    visits: Vec<Kept<VisitRow>>,
    by_external_id: HashMap<(i32, String), usize>,
    /// X3: every reading of the batch's vehicles: visit id, check-in (UTC), km.
    readings: HashMap<i32, Vec<(i32, NaiveDateTime, i32)>>,
    /// R4: the visits that have their first follow-up.
    followed_up: HashSet<i32>,
    /// X7: open win-back tasks by customer.
    win_backs: HashMap<i32, Vec<i32>>,
    turns: HashMap<i32, Turn>,
    tasks: Vec<(NewTask, NaiveDateTime)>,
    /// X7: win-back tasks closed by a visit: task, visit date, when.
    closes: Vec<(i32, NaiveDate, NaiveDateTime)>,
    /// Customers whose name or address a row changed: customer, fields, in file order.
    audits: Vec<(i32, Vec<&'static str>)>,
    /// Customers seen again whose clerk a row set (R1).
    clerk_set: HashSet<i32>,
    made: [i32; 4],
}

impl Batch {
    fn load(conn: &mut DbConn, rows: &[(i32, &ValidVisit)]) -> Result<Batch, ServiceError> {
        let mut b = Batch::default();
        let mut stores: Vec<i32> = rows.iter().map(|(s, _)| *s).collect();
        stores.sort_unstable();
        stores.dedup();
        let phones = distinct(rows.iter().map(|(_, v)| v.phone.as_str()).collect());
        let plates = distinct(
            rows.iter()
                .filter_map(|(_, v)| v.plate.as_ref().map(|p| p.as_str()))
                .collect(),
        );
        let external = distinct(
            rows.iter()
                .filter_map(|(_, v)| v.external_id.as_deref())
                .collect(),
        );
        let wanted: HashSet<(i32, &str)> =
            rows.iter().map(|(s, v)| (*s, v.phone.as_str())).collect();
        for c in customer::live_by_phones(conn, &stores, &phones)? {
            if !wanted.contains(&(c.store_id, c.phone.as_str())) {
                continue;
            }
            // The oldest customer with the phone, as `customer::by_phone` takes it.
            let key = (c.store_id, c.phone.clone());
            if !b.by_phone.contains_key(&key) {
                b.by_phone.insert(key, b.customers.len());
                b.customers.push(Kept {
                    row: c,
                    new: false,
                    dirty: false,
                });
            }
        }
        for v in customer::vehicles_by_plates(conn, &stores, &plates)? {
            let key = (v.store_id, v.plate.clone());
            if !b.by_plate.contains_key(&key) {
                b.by_plate.insert(key, b.vehicles.len());
                b.vehicles.push(Kept {
                    row: v,
                    new: false,
                    dirty: false,
                });
            }
        }
        for v in crate::models::visit::by_external_ids(conn, &stores, &external)? {
            let Some(x) = v.external_id.clone() else {
                continue;
            };
            b.by_external_id.insert((v.store_id, x), b.visits.len());
            b.visits.push(Kept {
                row: VisitRow {
                    id: v.id,
                    store_id: v.store_id,
                    external_id: v.external_id.clone(),
                    kind: v.kind,
                    created_at: v.created_at,
                    values: VisitValues {
                        customer_id: v.customer_id,
                        vehicle_id: v.vehicle_id,
                        kind: v.kind,
                        checked_in_at: v.checked_in_at,
                        visit_date: v.visit_date,
                        picked_up_at: v.picked_up_at,
                        picked_up_on: v.picked_up_on,
                        items: v.items,
                        maintenance_interval_days: v.maintenance_interval_days,
                        maintenance_interval_km: v.maintenance_interval_km,
                        next_maintenance_date: v.next_maintenance_date,
                        desired_services: v.desired_services,
                        odometer_km: v.odometer_km,
                        advisor: v.advisor,
                        advisor_id: v.advisor_id,
                        updated_at: v.updated_at,
                    },
                },
                new: false,
                dirty: false,
            });
        }
        let vehicle_ids: Vec<i32> = b.vehicles.iter().map(|v| v.row.id).collect();
        for id in &vehicle_ids {
            b.readings.insert(*id, Vec::new());
        }
        for (visit_id, vehicle_id, at, km) in crate::models::visit::readings_of(conn, &vehicle_ids)?
        {
            b.readings
                .entry(vehicle_id)
                .or_default()
                .push((visit_id, at, km));
        }
        let visit_ids: Vec<i32> = b.visits.iter().map(|v| v.row.id).collect();
        b.followed_up = task::visits_having(conn, &visit_ids, TaskKind::FirstFollowUp)?
            .into_iter()
            .collect();
        let customer_ids: Vec<i32> = b.customers.iter().map(|c| c.row.id).collect();
        for t in task::open_of_customers(conn, &customer_ids, &[TaskKind::WinBack])? {
            b.win_backs.entry(t.customer_id).or_default().push(t.id);
        }
        for s in stores {
            let clerks = user::clerks_of_store(conn, s, true)?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let last = store::by_id(conn, s)?.last_assigned_clerk_id;
            b.turns.insert(
                s,
                Turn {
                    clerks,
                    last,
                    moved: false,
                },
            );
        }
        Ok(b)
    }

    /// A placeholder id for a row made in this batch (`write` maps it to a real one).
    fn make(&mut self, t: IdTable) -> i32 {
        let n = &mut self.made[t as usize];
        *n += 1;
        -*n
    }

    /// One valid row, as `visits::record_valid` does it: `Ok(created)`, or why the row is
    /// rejected (nothing of it kept).
    fn row(
        &mut self,
        conn: &mut DbConn,
        ctx: &Ctx,
        actor: &Actor,
        lookups: &mut Lookups,
        store_id: i32,
        v: &ValidVisit,
    ) -> Result<Result<bool, FieldErrors>, ServiceError> {
        let clock = ctx.clock;
        let now = crate::models::trunc(clock.now_utc());
        let existing = v
            .external_id
            .as_ref()
            .and_then(|x| self.by_external_id.get(&(store_id, x.clone())).copied());
        let phone_key = (store_id, v.phone.as_str().to_string());
        let found = self.by_phone.get(&phone_key).copied();
        let needs_clerk = found.is_none_or(|i| self.customers[i].row.clerk_id.is_none());
        if needs_clerk && self.turns[&store_id].clerks.is_empty() {
            return Ok(Err(FieldError::new("store", "no-active-clerk").into()));
        }
        let plate_key = v.plate.as_ref().map(|p| (store_id, p.as_str().to_string()));
        let vehicle = plate_key
            .as_ref()
            .and_then(|k| self.by_plate.get(k).copied());
        let checked_in_utc = clock.to_utc(v.checked_in_at);
        // X3: an odometer reading lower than the vehicle's one before is a typing error.
        if let (Some(i), Some(km)) = (vehicle, v.odometer_km) {
            let except = existing.map(|e| self.visits[e].row.id);
            let prev = self.readings[&self.vehicles[i].row.id]
                .iter()
                .filter(|(id, at, _)| *at < checked_in_utc && Some(*id) != except)
                .fold(None::<&(i32, NaiveDateTime, i32)>, |best, r| match best {
                    Some(b) if b.1 >= r.1 => Some(b),
                    _ => Some(r),
                });
            if reading_goes_back(prev.map(|r| r.2), km) {
                let prev_km = prev.expect("checked").2;
                return Ok(Err(FieldError::new("odometer_km", "odometer-lower")
                    .arg("previous", prev_km)
                    .into()));
            }
        }
        if let Some(e) = existing {
            let kind = &self.visits[e].row.kind;
            if *kind != v.kind {
                return Ok(Err(FieldError::new("kind", "kind-changed")
                    .arg("value", kind)
                    .into()));
            }
        }
        let advisor = v
            .advisor
            .clone()
            .filter(|_| ctx.config.settings.advisors.enabled);
        let advisor_id = match &advisor {
            Some(a) => {
                let norm = crate::domain::satisfaction::normalise_name(a);
                match lookups.advisors.get(&(store_id, norm.clone())) {
                    Some(id) => *id,
                    None => {
                        let id = satisfaction::by_norm(conn, store_id, &norm)?.map(|a| a.id);
                        lookups.advisors.insert((store_id, norm), id);
                        id
                    }
                }
            }
            None => None,
        };

        // Accepted: from here on the row changes the batch's state.
        let customer_id = match found {
            Some(i) => {
                let c = &mut self.customers[i];
                let address = v.address.clone().or(c.row.address.clone());
                let changed = c.row.name != v.customer_name || c.row.address != address;
                if changed && access::may_update_customer(actor, &c.row) {
                    let mut what = Vec::new();
                    if c.row.name != v.customer_name {
                        what.push("name");
                    }
                    if c.row.address != address {
                        what.push("address");
                    }
                    c.row.name = v.customer_name.clone();
                    c.row.address = address;
                    c.row.updated_at = now;
                    c.dirty = true;
                    self.audits.push((c.row.id, what));
                }
                if c.row.clerk_id.is_none() {
                    let clerk = self.turns.get_mut(&store_id).and_then(Turn::next);
                    let c = &mut self.customers[i];
                    c.row.clerk_id = clerk;
                    c.row.updated_at = now;
                    c.dirty = true;
                    self.clerk_set.insert(c.row.id);
                }
                self.customers[i].row.id
            }
            None => {
                // R1: a new customer gets the next clerk in turn.
                let clerk = self.turns.get_mut(&store_id).and_then(Turn::next);
                let id = self.make(IdTable::Customers);
                self.by_phone.insert(phone_key, self.customers.len());
                self.customers.push(Kept {
                    row: Customer {
                        id,
                        store_id,
                        name: v.customer_name.clone(),
                        phone: v.phone.as_str().to_string(),
                        address: v.address.clone(),
                        clerk_id: clerk,
                        merged_into_id: None,
                        created_at: now,
                        updated_at: now,
                        no_calls: false,
                        no_letters: false,
                        call_hours: None,
                        phone_flagged_on: None,
                    },
                    new: true,
                    dirty: false,
                });
                id
            }
        };
        let clerk_id = self.customers[self.by_phone[&(store_id, v.phone.as_str().to_string())]]
            .row
            .clerk_id
            .expect("set above");

        // The vehicle: matched by plate; a car that changed owner moves to this customer.
        let vehicle_id = match (vehicle, plate_key) {
            (Some(i), _) => {
                let veh = &mut self.vehicles[i];
                veh.row.customer_id = customer_id;
                veh.row.model = v.vehicle_model.clone().or(veh.row.model.take());
                veh.row.vehicle_type = v.vehicle_type.clone().or(veh.row.vehicle_type.take());
                veh.row.updated_at = now;
                veh.dirty = true;
                Some(veh.row.id)
            }
            (None, Some(key)) => {
                let id = self.make(IdTable::Vehicles);
                self.by_plate.insert(key.clone(), self.vehicles.len());
                self.readings.insert(id, Vec::new());
                self.vehicles.push(Kept {
                    row: Vehicle {
                        id,
                        store_id,
                        customer_id,
                        plate: key.1,
                        model: v.vehicle_model.clone(),
                        vehicle_type: v.vehicle_type.clone(),
                        created_at: now,
                        updated_at: now,
                    },
                    new: true,
                    dirty: false,
                });
                Some(id)
            }
            (None, None) => None,
        };

        let values = super::visits::visit_values(
            ctx,
            v,
            (customer_id, vehicle_id),
            (advisor, advisor_id),
            now,
        );
        let cadence = ctx.cadence();
        let visit_date = values.visit_date;
        let reading = values.odometer_km;
        let (visit_id, created) = match existing {
            Some(e) => {
                let row = &mut self.visits[e];
                let id = row.row.id;
                if let Some(old) = row.row.values.vehicle_id {
                    if let Some(list) = self.readings.get_mut(&old) {
                        list.retain(|(vid, _, _)| *vid != id);
                    }
                }
                let row = &mut self.visits[e];
                row.row.values = values;
                row.dirty = true;
                (id, false)
            }
            None => {
                let id = self.make(IdTable::Visits);
                if let Some(x) = &v.external_id {
                    self.by_external_id
                        .insert((store_id, x.clone()), self.visits.len());
                }
                self.visits.push(Kept {
                    row: VisitRow {
                        id,
                        store_id,
                        external_id: v.external_id.clone(),
                        kind: values.kind,
                        created_at: now,
                        values,
                    },
                    new: true,
                    dirty: false,
                });
                // R2: every visit or consultation opens its archive task, due by D+2.
                self.tasks.push((
                    NewTask {
                        store_id,
                        kind: TaskKind::Archive,
                        customer_id,
                        visit_id: Some(id),
                        clerk_id,
                        window: cadence.archive(visit_date),
                        planned_contact_id: None,
                        item_id: None,
                        event_id: None,
                    },
                    now,
                ));
                // X7: a lost customer's next visit closes the win-back task: won back.
                for t in self.win_backs.remove(&customer_id).unwrap_or_default() {
                    self.closes.push((t, visit_date, now));
                }
                (id, true)
            }
        };
        if let (Some(veh), Some(km)) = (vehicle_id, reading) {
            if let Some(list) = self.readings.get_mut(&veh) {
                list.push((visit_id, checked_in_utc, km));
            }
        }
        // R4: pick-up (or the consultation itself) opens the first follow-up, once a visit.
        let follow_up_from = match v.kind {
            VisitKind::Consultation => Some(visit_date),
            _ => v.picked_up_at.map(|t| t.date()),
        };
        if let Some(p) = follow_up_from {
            if self.followed_up.insert(visit_id) {
                self.tasks.push((
                    NewTask {
                        store_id,
                        kind: TaskKind::FirstFollowUp,
                        customer_id,
                        visit_id: Some(visit_id),
                        clerk_id,
                        window: cadence.first_follow_up(p),
                        planned_contact_id: None,
                        item_id: None,
                        event_id: None,
                    },
                    now,
                ));
            }
        }
        Ok(Ok(created))
    }

    /// Writes what the batch made and changed (see the module's doc).
    fn write(self, conn: &mut DbConn, ctx: &Ctx, actor: &Actor) -> Result<(), ServiceError> {
        let ids = |conn: &mut DbConn, t: IdTable, n: i32| reserve_ids(conn, t, n as usize);
        let customer_ids = ids(
            conn,
            IdTable::Customers,
            self.made[IdTable::Customers as usize],
        )?;
        let vehicle_ids = ids(
            conn,
            IdTable::Vehicles,
            self.made[IdTable::Vehicles as usize],
        )?;
        let visit_ids = ids(conn, IdTable::Visits, self.made[IdTable::Visits as usize])?;
        let task_ids = ids(conn, IdTable::Tasks, self.tasks.len() as i32)?;
        let real = |map: &[i32], id: i32| if id < 0 { map[(-id - 1) as usize] } else { id };
        let cust = |id: i32| real(&customer_ids, id);
        let veh = |id: i32| real(&vehicle_ids, id);
        let vis = |id: i32| real(&visit_ids, id);

        let mut new_customers = Vec::new();
        for c in &self.customers {
            let r = &c.row;
            if c.new {
                new_customers.push(NewCustomer {
                    id: cust(r.id),
                    store_id: r.store_id,
                    name: r.name.clone(),
                    phone: r.phone.clone(),
                    address: r.address.clone(),
                    clerk_id: r.clerk_id,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                });
            } else if c.dirty {
                customer::update_contact(
                    conn,
                    r.id,
                    &r.name,
                    &r.phone,
                    r.address.as_deref(),
                    r.updated_at,
                )?;
                if let (true, Some(clerk)) = (self.clerk_set.contains(&r.id), r.clerk_id) {
                    customer::set_clerk(conn, &[r.id], clerk, r.updated_at)?;
                }
            }
        }
        customer::insert_many(conn, &new_customers)?;

        let mut new_vehicles = Vec::new();
        for v in &self.vehicles {
            let r = &v.row;
            if v.new {
                new_vehicles.push(NewVehicle {
                    id: veh(r.id),
                    store_id: r.store_id,
                    customer_id: cust(r.customer_id),
                    plate: r.plate.clone(),
                    model: r.model.clone(),
                    vehicle_type: r.vehicle_type.clone(),
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                });
            } else if v.dirty {
                customer::vehicle_update(
                    conn,
                    r.id,
                    cust(r.customer_id),
                    r.model.as_deref(),
                    r.vehicle_type.as_deref(),
                    r.updated_at,
                )?;
            }
        }
        customer::vehicle_insert_many(conn, &new_vehicles)?;

        let mut new_visits = Vec::new();
        for v in self.visits {
            let r = v.row;
            let mut values = r.values;
            values.customer_id = cust(values.customer_id);
            values.vehicle_id = values.vehicle_id.map(veh);
            if v.new {
                new_visits.push(NewVisit {
                    id: vis(r.id),
                    store_id: r.store_id,
                    external_id: r.external_id,
                    source: VisitSource::Import,
                    created_by: actor.user_id,
                    created_at: r.created_at,
                    values,
                });
            } else if v.dirty {
                crate::models::visit::update(conn, r.id, &values)?;
            }
        }
        crate::models::visit::insert_many(conn, &new_visits)?;

        let new_tasks: Vec<NewTaskRow> = self
            .tasks
            .iter()
            .zip(&task_ids)
            .map(|((t, now), id)| {
                let mut row = NewTaskRow::new(*id, t, *now);
                row.customer_id = cust(row.customer_id);
                row.visit_id = row.visit_id.map(vis);
                row
            })
            .collect();
        task::insert_many(conn, &new_tasks)?;
        for (t, on, at) in self.closes {
            task::close(conn, t, CloseReason::Returned, at, on, actor.user_id)?;
        }
        for (s, turn) in self.turns {
            if let (true, Some(last)) = (turn.moved, turn.last) {
                store::set_last_assigned(conn, s, last)?;
            }
        }
        for (c, what) in self.audits {
            audit::record(
                conn,
                ctx,
                actor,
                "customer.update",
                &format!("customer {}", cust(c)),
                &audit::detail(&[("source", "visit".into()), ("changed", what.into())]),
                "ok",
            )?;
        }
        Ok(())
    }
}
