//! Step 1 of the module's doc: the state a batch starts from, read with one query per kind
//! of key (phones, plates, external ids) and one per kind of thing around them (readings,
//! first follow-ups, win-backs), whatever the batch's size; only the stores' clerks are read
//! per store, and a batch names few stores.

use super::state::{Batch, Kept, Turn, VisitRow};
use crate::db::DbConn;
use crate::domain::task::TaskKind;
use crate::domain::visit::ValidVisit;
use crate::models::{customer, store, task, user, visit};
use crate::services::ServiceError;
use std::collections::HashSet;

/// Each key once.
fn distinct(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

impl Batch {
    /// The state for `rows` (each with the store it goes to), read before any row is played.
    pub(super) fn load(
        conn: &mut DbConn,
        rows: &[(i32, &ValidVisit)],
    ) -> Result<Batch, ServiceError> {
        let mut b = Batch::default();
        let mut stores: Vec<i32> = rows.iter().map(|(s, _)| *s).collect();
        stores.sort_unstable();
        stores.dedup();
        b.load_customers(conn, &stores, rows)?;
        b.load_vehicles(conn, &stores, rows)?;
        b.load_visits(conn, &stores, rows)?;
        b.load_readings(conn)?;
        b.load_tasks(conn)?;
        b.load_turns(conn, stores)?;
        Ok(b)
    }

    /// The customers of the rows' phones, in the stores the rows go to.
    fn load_customers(
        &mut self,
        conn: &mut DbConn,
        stores: &[i32],
        rows: &[(i32, &ValidVisit)],
    ) -> Result<(), ServiceError> {
        let phones = distinct(rows.iter().map(|(_, v)| v.phone.as_str()).collect());
        // One query for every store and phone: a customer of a phone in another store than
        // the row's is no match.
        let wanted: HashSet<(i32, &str)> =
            rows.iter().map(|(s, v)| (*s, v.phone.as_str())).collect();
        for c in customer::live_by_phones(conn, stores, &phones)? {
            if !wanted.contains(&(c.store_id, c.phone.as_str())) {
                continue;
            }
            // The oldest customer with the phone, as `customer::by_phone` takes it.
            let key = (c.store_id, c.phone.clone());
            if !self.by_phone.contains_key(&key) {
                self.by_phone.insert(key, self.customers.len());
                self.customers.push(Kept::read(c));
            }
        }
        Ok(())
    }

    /// The vehicles of the rows' plates.
    fn load_vehicles(
        &mut self,
        conn: &mut DbConn,
        stores: &[i32],
        rows: &[(i32, &ValidVisit)],
    ) -> Result<(), ServiceError> {
        let plates = distinct(
            rows.iter()
                .filter_map(|(_, v)| v.plate.as_ref().map(|p| p.as_str()))
                .collect(),
        );
        for v in customer::vehicles_by_plates(conn, stores, &plates)? {
            let key = (v.store_id, v.plate.clone());
            if !self.by_plate.contains_key(&key) {
                self.by_plate.insert(key, self.vehicles.len());
                self.vehicles.push(Kept::read(v));
            }
        }
        Ok(())
    }

    /// The visits of the rows' external ids: a row naming one updates it.
    fn load_visits(
        &mut self,
        conn: &mut DbConn,
        stores: &[i32],
        rows: &[(i32, &ValidVisit)],
    ) -> Result<(), ServiceError> {
        let external = distinct(
            rows.iter()
                .filter_map(|(_, v)| v.external_id.as_deref())
                .collect(),
        );
        for v in visit::by_external_ids(conn, stores, &external)? {
            let Some(x) = v.external_id.clone() else {
                continue;
            };
            self.by_external_id
                .insert((v.store_id, x), self.visits.len());
            self.visits.push(Kept::read(VisitRow::from(v)));
        }
        Ok(())
    }

    /// X3: every reading of the vehicles found; a vehicle with none has an empty list, so
    /// a reading of a row is kept only for a vehicle the batch knows.
    fn load_readings(&mut self, conn: &mut DbConn) -> Result<(), ServiceError> {
        let vehicle_ids: Vec<i32> = self.vehicles.iter().map(|v| v.row.id).collect();
        for id in &vehicle_ids {
            self.readings.insert(*id, Vec::new());
        }
        for (visit_id, vehicle_id, at, km) in visit::readings_of(conn, &vehicle_ids)? {
            self.readings
                .entry(vehicle_id)
                .or_default()
                .push((visit_id, at, km));
        }
        Ok(())
    }

    /// R4: which visits found have their first follow-up; X7: the open win-back tasks of the
    /// customers found.
    fn load_tasks(&mut self, conn: &mut DbConn) -> Result<(), ServiceError> {
        let visit_ids: Vec<i32> = self.visits.iter().map(|v| v.row.id).collect();
        self.followed_up = task::visits_having(conn, &visit_ids, TaskKind::FirstFollowUp)?
            .into_iter()
            .collect();
        let customer_ids: Vec<i32> = self.customers.iter().map(|c| c.row.id).collect();
        for t in task::open_of_customers(conn, &customer_ids, &[TaskKind::WinBack])? {
            self.win_backs.entry(t.customer_id).or_default().push(t.id);
        }
        Ok(())
    }

    /// R1: each store's active clerks and the last one given a customer.
    fn load_turns(&mut self, conn: &mut DbConn, stores: Vec<i32>) -> Result<(), ServiceError> {
        for s in stores {
            let clerks = user::clerks_of_store(conn, s, true)?
                .into_iter()
                .map(|u| u.id)
                .collect();
            let last = store::by_id(conn, s)?.last_assigned_clerk_id;
            self.turns.insert(
                s,
                Turn {
                    clerks,
                    last,
                    moved: false,
                },
            );
        }
        Ok(())
    }
}
