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
//! The parts, one file each: `read` (a batch's rows parsed and validated, and the rejects),
//! `state` (the batch's rows in memory), `load` (step 1), `replay` (step 2: the per-row checks
//! and matching, mirroring `visits::record_valid` step by step — a change to one is carried to
//! the other; `tests/api/import.rs` compares the databases both write) and `write` (step 3).

mod load;
mod read;
mod replay;
mod state;
mod write;

use super::import_rows::{batch_tx, Options, Rejected, Report, Row};
use super::visits::resolve_store;
use super::{Actor, Ctx, ServiceError};
use crate::db::DbConn;
use crate::domain::error::FieldErrors;
use crate::domain::visit::ValidVisit;
use read::Valid;
use state::Batch;
use std::collections::HashMap;

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
    let mut lookups = Lookups::default();
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        let (valid, mut rejected) = read::batch(ctx, &headers, rows.by_ref().take(BATCH));
        let (mut imported, mut updated) = (0, 0);
        batch_tx(conn, opts, |conn| {
            let stores = place(conn, actor, &mut lookups, &valid, &mut rejected)?;
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
                    Err(errors) => rejected.push(read::rejected(*line, cells, errors)),
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

/// The store of each valid row (`None`: the row is rejected for it, and reported), looked
/// up once per code for the whole file.
fn place(
    conn: &mut DbConn,
    actor: &Actor,
    lookups: &mut Lookups,
    valid: &[Valid],
    rejected: &mut Vec<Rejected>,
) -> Result<Vec<Option<i32>>, ServiceError> {
    let mut stores = Vec::with_capacity(valid.len());
    for (line, cells, v) in valid {
        match store_of(conn, actor, lookups, v.store.as_deref())? {
            Ok(s) => stores.push(Some(s)),
            Err(errors) => {
                stores.push(None);
                rejected.push(read::rejected(*line, cells, errors))
            }
        }
    }
    Ok(stores)
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
