//! Step 3 of the module's doc: what a batch made and changed, written in the order the row
//! path would have written it — ids reserved first, so placeholders map to the ids the row
//! path would have given; new rows in multi-row INSERTs, rows seen again with one UPDATE
//! each holding their final values; then the win-backs closed, the round-robin pointers and
//! the audit entries in file order.

use super::state::{Batch, Kept, VisitRow};
use crate::db::DbConn;
use crate::domain::task::CloseReason;
use crate::domain::visit::VisitSource;
use crate::models::customer::{Customer, NewCustomer, NewVehicle, Vehicle};
use crate::models::task::NewTaskRow;
use crate::models::visit::NewVisit;
use crate::models::{customer, reserve_ids, store, task, visit, IdTable};
use crate::services::{audit, Actor, Ctx, ServiceError};
use std::collections::HashSet;

/// The real ids reserved for the rows the batch made, by table.
struct Ids {
    customers: Vec<i32>,
    vehicles: Vec<i32>,
    visits: Vec<i32>,
}

/// The real id of a placeholder (negative: the n-th row made), or the id itself.
fn real(map: &[i32], id: i32) -> i32 {
    if id < 0 {
        map[(-id - 1) as usize]
    } else {
        id
    }
}

impl Ids {
    fn customer(&self, id: i32) -> i32 {
        real(&self.customers, id)
    }
    fn vehicle(&self, id: i32) -> i32 {
        real(&self.vehicles, id)
    }
    fn visit(&self, id: i32) -> i32 {
        real(&self.visits, id)
    }
}

impl Batch {
    /// Writes what the batch made and changed (see the module's doc).
    pub(super) fn write(
        self,
        conn: &mut DbConn,
        ctx: &Ctx,
        actor: &Actor,
    ) -> Result<(), ServiceError> {
        let ids = |conn: &mut DbConn, t: IdTable, n: i32| reserve_ids(conn, t, n as usize);
        let made = |t: IdTable| self.made[t as usize];
        let ids = Ids {
            customers: ids(conn, IdTable::Customers, made(IdTable::Customers))?,
            vehicles: ids(conn, IdTable::Vehicles, made(IdTable::Vehicles))?,
            visits: ids(conn, IdTable::Visits, made(IdTable::Visits))?,
        };
        let task_ids = reserve_ids(conn, IdTable::Tasks, self.tasks.len())?;
        write_customers(conn, &ids, &self.customers, &self.clerk_set)?;
        write_vehicles(conn, &ids, &self.vehicles)?;
        write_visits(conn, &ids, actor, self.visits)?;
        let new_tasks: Vec<NewTaskRow> = self
            .tasks
            .iter()
            .zip(&task_ids)
            .map(|((t, now), id)| {
                let mut row = NewTaskRow::new(*id, t, *now);
                row.customer_id = ids.customer(row.customer_id);
                row.visit_id = row.visit_id.map(|v| ids.visit(v));
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
                &format!("customer {}", ids.customer(c)),
                &audit::detail(&[("source", "visit".into()), ("changed", what.into())]),
                "ok",
            )?;
        }
        Ok(())
    }
}

/// The customers: changed ones updated one by one (with the clerk a row gave, R1), then the
/// new ones in one INSERT.
fn write_customers(
    conn: &mut DbConn,
    ids: &Ids,
    customers: &[Kept<Customer>],
    clerk_set: &HashSet<i32>,
) -> Result<(), ServiceError> {
    let mut new_customers = Vec::new();
    for c in customers {
        let r = &c.row;
        if c.new {
            new_customers.push(NewCustomer {
                id: ids.customer(r.id),
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
            if let (true, Some(clerk)) = (clerk_set.contains(&r.id), r.clerk_id) {
                customer::set_clerk(conn, &[r.id], clerk, r.updated_at)?;
            }
        }
    }
    customer::insert_many(conn, &new_customers)?;
    Ok(())
}

/// The vehicles: changed ones (a new owner, model or type) updated, new ones in one INSERT.
fn write_vehicles(
    conn: &mut DbConn,
    ids: &Ids,
    vehicles: &[Kept<Vehicle>],
) -> Result<(), ServiceError> {
    let mut new_vehicles = Vec::new();
    for v in vehicles {
        let r = &v.row;
        if v.new {
            new_vehicles.push(NewVehicle {
                id: ids.vehicle(r.id),
                store_id: r.store_id,
                customer_id: ids.customer(r.customer_id),
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
                ids.customer(r.customer_id),
                r.model.as_deref(),
                r.vehicle_type.as_deref(),
                r.updated_at,
            )?;
        }
    }
    customer::vehicle_insert_many(conn, &new_vehicles)?;
    Ok(())
}

/// The visits: ones seen again updated with their final values, new ones in one INSERT.
/// Taken by value: their values move into the rows written, uncopied.
fn write_visits(
    conn: &mut DbConn,
    ids: &Ids,
    actor: &Actor,
    visits: Vec<Kept<VisitRow>>,
) -> Result<(), ServiceError> {
    let mut new_visits = Vec::new();
    for v in visits {
        let r = v.row;
        let mut values = r.values;
        values.customer_id = ids.customer(values.customer_id);
        values.vehicle_id = values.vehicle_id.map(|id| ids.vehicle(id));
        if v.new {
            new_visits.push(NewVisit {
                id: ids.visit(r.id),
                store_id: r.store_id,
                external_id: r.external_id,
                source: VisitSource::Import,
                created_by: actor.user_id,
                created_at: r.created_at,
                values,
            });
        } else if v.dirty {
            visit::update(conn, r.id, &values)?;
        }
    }
    visit::insert_many(conn, &new_visits)?;
    Ok(())
}
