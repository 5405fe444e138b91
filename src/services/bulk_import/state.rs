//! The state of one batch in memory: the customers, vehicles and visits its rows touch (as
//! read, or made by an earlier row), with what `load` read around them and what `replay`
//! decided, until `write` puts it in the database.

use crate::domain::visit::VisitKind;
use crate::models::customer::{Customer, Vehicle};
use crate::models::task::NewTask;
use crate::models::visit::{Visit, VisitValues};
use crate::models::IdTable;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{HashMap, HashSet};

/// A row of the batch's state: as read (or made), whether it is new, whether it changed.
pub(super) struct Kept<T> {
    pub(super) row: T,
    pub(super) new: bool,
    pub(super) dirty: bool,
}

impl<T> Kept<T> {
    /// A row as the database holds it: neither new nor changed yet.
    pub(super) fn read(row: T) -> Kept<T> {
        Kept {
            row,
            new: false,
            dirty: false,
        }
    }

    /// A row a row of the file makes; `write` inserts it.
    pub(super) fn made(row: T) -> Kept<T> {
        Kept {
            row,
            new: true,
            dirty: false,
        }
    }
}

/// A visit of the batch: new ones keep what their insert writes.
pub(super) struct VisitRow {
    pub(super) id: i32,
    pub(super) store_id: i32,
    pub(super) external_id: Option<String>,
    pub(super) kind: VisitKind,
    pub(super) created_at: NaiveDateTime,
    pub(super) values: VisitValues,
}

impl From<Visit> for VisitRow {
    /// A visit read by its external id: what an UPDATE of it would write, and what stays.
    fn from(v: Visit) -> VisitRow {
        VisitRow {
            id: v.id,
            store_id: v.store_id,
            external_id: v.external_id.clone(),
            kind: v.kind,
            created_at: v.created_at,
            values: {
                let at = v.updated_at;
                v.into_values(at)
            },
        }
    }
}

/// R1: a store's active clerks in round-robin order and the last one given a customer.
pub(super) struct Turn {
    pub(super) clerks: Vec<i32>,
    pub(super) last: Option<i32>,
    pub(super) moved: bool,
}

impl Turn {
    /// `assign::next_clerk`'s choice.
    pub(super) fn next(&mut self) -> Option<i32> {
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
pub(super) struct Batch {
    pub(super) customers: Vec<Kept<Customer>>,
    pub(super) by_phone: HashMap<(i32, String), usize>,
    pub(super) vehicles: Vec<Kept<Vehicle>>,
    pub(super) by_plate: HashMap<(i32, String), usize>,
    pub(super) visits: Vec<Kept<VisitRow>>,
    pub(super) by_external_id: HashMap<(i32, String), usize>,
    /// X3: every reading of the batch's vehicles: visit id, check-in (UTC), km.
    pub(super) readings: HashMap<i32, Vec<(i32, NaiveDateTime, i32)>>,
    /// R4: the visits that have their first follow-up.
    pub(super) followed_up: HashSet<i32>,
    /// X7: open win-back tasks by customer.
    pub(super) win_backs: HashMap<i32, Vec<i32>>,
    pub(super) turns: HashMap<i32, Turn>,
    pub(super) tasks: Vec<(NewTask, NaiveDateTime)>,
    /// X7: win-back tasks closed by a visit: task, visit date, when.
    pub(super) closes: Vec<(i32, NaiveDate, NaiveDateTime)>,
    /// Customers whose name or address a row changed: customer, fields, in file order.
    pub(super) audits: Vec<(i32, Vec<&'static str>)>,
    /// Customers seen again whose clerk a row set (R1).
    pub(super) clerk_set: HashSet<i32>,
    /// How many rows of each table the batch made (their placeholder ids are -1, -2, …).
    pub(super) made: [i32; 4],
}

impl Batch {
    /// A placeholder id for a row made in this batch (`write` maps it to a real one).
    pub(super) fn make(&mut self, t: IdTable) -> i32 {
        let n = &mut self.made[t as usize];
        *n += 1;
        -*n
    }
}
