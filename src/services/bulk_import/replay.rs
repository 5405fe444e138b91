//! Step 2 of the module's doc: one valid row played against the batch's state, taking the
//! decisions of `services::visits::record_valid` in the same order — first the checks that
//! may reject it (R1 a clerk to give, X3 the reading, the kind of a visit seen again), then,
//! once accepted, the customer, the vehicle, the visit and its tasks (R2, R4, X7). Nothing
//! here queries the database but the advisor of a name not seen before in the file (X8).

use super::state::{Batch, Kept, Turn, VisitRow};
use super::Lookups;
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::maintenance::reading_goes_back;
use crate::domain::task::TaskKind;
use crate::domain::visit::{ValidVisit, VisitKind};
use crate::models::customer::{Customer, Vehicle};
use crate::models::task::NewTask;
use crate::models::visit::VisitValues;
use crate::models::{satisfaction, IdTable};
use crate::services::{access, visits, Actor, Ctx, ServiceError};
use chrono::{NaiveDate, NaiveDateTime};

/// What a row meets in the batch's state, found before anything is checked.
struct Matched {
    /// The visit of its external id: the row updates it.
    existing: Option<usize>,
    phone_key: (i32, String),
    /// The customer of its phone.
    customer: Option<usize>,
    plate_key: Option<(i32, String)>,
    /// The vehicle of its plate.
    vehicle: Option<usize>,
}

/// Whose a row's tasks are, and when they are made.
#[derive(Clone, Copy)]
struct Owner {
    store_id: i32,
    customer_id: i32,
    clerk_id: i32,
    now: NaiveDateTime,
}

impl Owner {
    /// A task of the row's visit, as `services::visits` opens it.
    fn task(
        &self,
        kind: TaskKind,
        visit_id: i32,
        window: crate::domain::cadence::Window,
    ) -> (NewTask, NaiveDateTime) {
        (
            NewTask {
                store_id: self.store_id,
                kind,
                customer_id: self.customer_id,
                visit_id: Some(visit_id),
                clerk_id: self.clerk_id,
                window,
                planned_contact_id: None,
                item_id: None,
                event_id: None,
            },
            self.now,
        )
    }
}

impl Batch {
    /// One valid row, as `visits::record_valid` does it: `Ok(created)`, or why the row is
    /// rejected (nothing of it kept).
    pub(super) fn row(
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
        let checked_in_utc = clock.to_utc(v.checked_in_at);
        let m = self.matched(store_id, v);
        if let Err(errors) = self.check(store_id, v, &m, checked_in_utc) {
            return Ok(Err(errors));
        }
        let advisor = advisor_of(conn, ctx, lookups, store_id, v)?;

        // Accepted: from here on the row changes the batch's state.
        let c = match m.customer {
            Some(i) => self.update_customer(actor, i, store_id, v, now),
            None => self.new_customer(m.phone_key, store_id, v, now),
        };
        let customer_id = self.customers[c].row.id;
        let clerk_id = self.customers[c].row.clerk_id.expect("set above");
        let owner = Owner {
            store_id,
            customer_id,
            clerk_id,
            now,
        };
        let vehicle_id = match (m.vehicle, m.plate_key) {
            (Some(i), _) => Some(self.move_vehicle(i, customer_id, v, now)),
            (None, Some(key)) => Some(self.new_vehicle(key, customer_id, v, now)),
            (None, None) => None,
        };
        let values = visits::visit_values(ctx, v, (customer_id, vehicle_id), advisor, now);
        let visit_date = values.visit_date;
        let reading = values.odometer_km;
        let (visit_id, created) = match m.existing {
            Some(e) => (self.update_visit(e, values), false),
            None => (self.new_visit(ctx, owner, v, values), true),
        };
        if let (Some(veh), Some(km)) = (vehicle_id, reading) {
            if let Some(list) = self.readings.get_mut(&veh) {
                list.push((visit_id, checked_in_utc, km));
            }
        }
        self.first_follow_up(ctx, owner, v, visit_id, visit_date);
        Ok(Ok(created))
    }

    /// The visit, customer and vehicle the row's external id, phone and plate name.
    fn matched(&self, store_id: i32, v: &ValidVisit) -> Matched {
        let existing = v
            .external_id
            .as_ref()
            .and_then(|x| self.by_external_id.get(&(store_id, x.clone())).copied());
        let phone_key = (store_id, v.phone.as_str().to_string());
        let customer = self.by_phone.get(&phone_key).copied();
        let plate_key = v.plate.as_ref().map(|p| (store_id, p.as_str().to_string()));
        let vehicle = plate_key
            .as_ref()
            .and_then(|k| self.by_plate.get(k).copied());
        Matched {
            existing,
            phone_key,
            customer,
            plate_key,
            vehicle,
        }
    }

    /// The checks that reject a row, in the row path's order; the first that fails is the
    /// row's error, as there.
    fn check(
        &self,
        store_id: i32,
        v: &ValidVisit,
        m: &Matched,
        checked_in_utc: NaiveDateTime,
    ) -> Result<(), FieldErrors> {
        // R1: a customer without a clerk gets one, so the store must have one to give.
        let needs_clerk = m
            .customer
            .is_none_or(|i| self.customers[i].row.clerk_id.is_none());
        if needs_clerk && self.turns[&store_id].clerks.is_empty() {
            return Err(FieldError::new("store", "no-active-clerk").into());
        }
        self.check_reading(v, m, checked_in_utc)?;
        if let Some(e) = m.existing {
            let kind = &self.visits[e].row.kind;
            if *kind != v.kind {
                return Err(FieldError::new("kind", "kind-changed")
                    .arg("value", kind)
                    .into());
            }
        }
        Ok(())
    }

    /// X3: an odometer reading lower than the vehicle's one before is a typing error. The
    /// one before is the latest reading checked in earlier, the visit updated left out.
    fn check_reading(
        &self,
        v: &ValidVisit,
        m: &Matched,
        checked_in_utc: NaiveDateTime,
    ) -> Result<(), FieldErrors> {
        let (Some(i), Some(km)) = (m.vehicle, v.odometer_km) else {
            return Ok(());
        };
        let except = m.existing.map(|e| self.visits[e].row.id);
        let prev = self.readings[&self.vehicles[i].row.id]
            .iter()
            .filter(|(id, at, _)| *at < checked_in_utc && Some(*id) != except)
            .fold(None::<&(i32, NaiveDateTime, i32)>, |best, r| match best {
                Some(b) if b.1 >= r.1 => Some(b),
                _ => Some(r),
            });
        if reading_goes_back(prev.map(|r| r.2), km) {
            let prev_km = prev.expect("checked").2;
            return Err(FieldError::new("odometer_km", "odometer-lower")
                .arg("previous", prev_km)
                .into());
        }
        Ok(())
    }

    /// A customer seen before: the newest name and address win for whom may change them
    /// (with the audit entry), and one without a clerk gets the next in turn (R1). Returns
    /// the customer's index.
    fn update_customer(
        &mut self,
        actor: &Actor,
        i: usize,
        store_id: i32,
        v: &ValidVisit,
        now: NaiveDateTime,
    ) -> usize {
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
        if self.customers[i].row.clerk_id.is_none() {
            let clerk = self.turns.get_mut(&store_id).and_then(Turn::next);
            let c = &mut self.customers[i];
            c.row.clerk_id = clerk;
            c.row.updated_at = now;
            c.dirty = true;
            self.clerk_set.insert(c.row.id);
        }
        i
    }

    /// R1: a new customer gets the next clerk in turn. Returns the customer's index.
    fn new_customer(
        &mut self,
        phone_key: (i32, String),
        store_id: i32,
        v: &ValidVisit,
        now: NaiveDateTime,
    ) -> usize {
        let clerk = self.turns.get_mut(&store_id).and_then(Turn::next);
        let id = self.make(IdTable::Customers);
        let i = self.customers.len();
        self.by_phone.insert(phone_key, i);
        self.customers.push(Kept::made(Customer {
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
        }));
        i
    }

    /// A vehicle matched by plate: a car that changed owner moves to this customer, and a
    /// model or type the row gives replaces the one kept.
    fn move_vehicle(
        &mut self,
        i: usize,
        customer_id: i32,
        v: &ValidVisit,
        now: NaiveDateTime,
    ) -> i32 {
        let veh = &mut self.vehicles[i];
        veh.row.customer_id = customer_id;
        veh.row.model = v.vehicle_model.clone().or(veh.row.model.take());
        veh.row.vehicle_type = v.vehicle_type.clone().or(veh.row.vehicle_type.take());
        veh.row.updated_at = now;
        veh.dirty = true;
        veh.row.id
    }

    /// A plate not seen before: a new vehicle, with no readings yet (X3).
    fn new_vehicle(
        &mut self,
        key: (i32, String),
        customer_id: i32,
        v: &ValidVisit,
        now: NaiveDateTime,
    ) -> i32 {
        let id = self.make(IdTable::Vehicles);
        self.by_plate.insert(key.clone(), self.vehicles.len());
        self.readings.insert(id, Vec::new());
        self.vehicles.push(Kept::made(Vehicle {
            id,
            store_id: key.0,
            customer_id,
            plate: key.1,
            model: v.vehicle_model.clone(),
            vehicle_type: v.vehicle_type.clone(),
            created_at: now,
            updated_at: now,
        }));
        id
    }

    /// A visit seen again by its external id takes the row's values; its reading leaves the
    /// vehicle it had (the row's is added back by `row`). Returns its id.
    fn update_visit(&mut self, e: usize, values: VisitValues) -> i32 {
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
        id
    }

    /// A new visit with its archive task (R2), closing the customer's win-back (X7).
    /// Returns its id.
    fn new_visit(&mut self, ctx: &Ctx, owner: Owner, v: &ValidVisit, values: VisitValues) -> i32 {
        let visit_date = values.visit_date;
        let id = self.make(IdTable::Visits);
        if let Some(x) = &v.external_id {
            self.by_external_id
                .insert((owner.store_id, x.clone()), self.visits.len());
        }
        self.visits.push(Kept::made(VisitRow {
            id,
            store_id: owner.store_id,
            external_id: v.external_id.clone(),
            kind: values.kind,
            created_at: owner.now,
            values,
        }));
        // R2: every visit or consultation opens its archive task, due by D+2.
        let window = ctx.cadence().archive(visit_date);
        self.tasks.push(owner.task(TaskKind::Archive, id, window));
        // X7: a lost customer's next visit closes the win-back task: won back.
        for t in self
            .win_backs
            .remove(&owner.customer_id)
            .unwrap_or_default()
        {
            self.closes.push((t, visit_date, owner.now));
        }
        id
    }

    /// R4: pick-up (or the consultation itself) opens the first follow-up, once a visit.
    fn first_follow_up(
        &mut self,
        ctx: &Ctx,
        owner: Owner,
        v: &ValidVisit,
        visit_id: i32,
        visit_date: NaiveDate,
    ) {
        let follow_up_from = match v.kind {
            VisitKind::Consultation => Some(visit_date),
            _ => v.picked_up_at.map(|t| t.date()),
        };
        if let Some(p) = follow_up_from {
            if self.followed_up.insert(visit_id) {
                let window = ctx.cadence().first_follow_up(p);
                self.tasks
                    .push(owner.task(TaskKind::FirstFollowUp, visit_id, window));
            }
        }
    }
}

/// X8: the advisor a row names, when the rule is on, and the advisor record of that name in
/// the store (looked up once per name for the whole file).
fn advisor_of(
    conn: &mut DbConn,
    ctx: &Ctx,
    lookups: &mut Lookups,
    store_id: i32,
    v: &ValidVisit,
) -> Result<(Option<String>, Option<i32>), ServiceError> {
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
    Ok((advisor, advisor_id))
}
