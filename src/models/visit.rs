//! Service visits and consultations (送修 / 访谈咨询).

use crate::db::schema::visits;
use crate::db::DbConn;
use crate::domain::visit::{VisitKind, VisitSource};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = visits)]
pub struct Visit {
    pub id: i32,
    pub store_id: i32,
    pub customer_id: i32,
    pub vehicle_id: Option<i32>,
    pub external_id: Option<String>,
    pub kind: VisitKind,
    pub checked_in_at: NaiveDateTime,
    pub visit_date: NaiveDate,
    pub picked_up_at: Option<NaiveDateTime>,
    pub picked_up_on: Option<NaiveDate>,
    pub items: String,
    pub maintenance_interval_days: Option<i32>,
    pub maintenance_interval_km: Option<i32>,
    pub next_maintenance_date: Option<NaiveDate>,
    pub desired_services: Option<String>,
    pub odometer_km: Option<i32>,
    pub source: VisitSource,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// X8: the service advisor as typed, and the advisor of the list it matched.
    pub advisor: Option<String>,
    pub advisor_id: Option<i32>,
}

/// A visit's stored items column (a JSON list) as its items; none when it does not read.
pub fn items_of(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

impl Visit {
    /// The repair and maintenance items (stored as a JSON list).
    pub fn item_list(&self) -> Vec<String> {
        items_of(&self.items)
    }

    /// What an update of this visit writes when nothing of it changes but `updated_at`.
    pub fn into_values(self, updated_at: NaiveDateTime) -> VisitValues {
        VisitValues {
            customer_id: self.customer_id,
            vehicle_id: self.vehicle_id,
            kind: self.kind,
            checked_in_at: self.checked_in_at,
            visit_date: self.visit_date,
            picked_up_at: self.picked_up_at,
            picked_up_on: self.picked_up_on,
            items: self.items,
            maintenance_interval_days: self.maintenance_interval_days,
            maintenance_interval_km: self.maintenance_interval_km,
            next_maintenance_date: self.next_maintenance_date,
            desired_services: self.desired_services,
            odometer_km: self.odometer_km,
            advisor: self.advisor,
            advisor_id: self.advisor_id,
            updated_at,
        }
    }
}

/// The values a visit is written with; the same for an insert and an update. The kind is
/// written as its text (`serialize_as`), which diesel does for an owned row: `insert` and
/// `update` take a clone.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = visits, treat_none_as_null = true)]
pub struct VisitValues {
    pub customer_id: i32,
    pub vehicle_id: Option<i32>,
    #[diesel(serialize_as = String)]
    pub kind: VisitKind,
    pub checked_in_at: NaiveDateTime,
    pub visit_date: NaiveDate,
    pub picked_up_at: Option<NaiveDateTime>,
    pub picked_up_on: Option<NaiveDate>,
    pub items: String,
    pub maintenance_interval_days: Option<i32>,
    pub maintenance_interval_km: Option<i32>,
    pub next_maintenance_date: Option<NaiveDate>,
    pub desired_services: Option<String>,
    pub odometer_km: Option<i32>,
    pub advisor: Option<String>,
    pub advisor_id: Option<i32>,
    pub updated_at: NaiveDateTime,
}

pub fn insert(
    conn: &mut DbConn,
    store_id: i32,
    external_id: Option<&str>,
    source: VisitSource,
    created_by: Option<i32>,
    v: &VisitValues,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(visits::table)
        .values((
            visits::store_id.eq(store_id),
            visits::external_id.eq(external_id),
            visits::source.eq(source.as_str()),
            visits::created_by.eq(created_by),
            visits::created_at.eq(now),
            v.clone(),
        ))
        .returning(visits::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConn, id: i32, v: &VisitValues) -> QueryResult<usize> {
    diesel::update(visits::table.find(id))
        .set(v.clone())
        .execute(conn)
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Visit>> {
    visits::table
        .find(id)
        .select(Visit::as_select())
        .first(conn)
        .optional()
}

pub fn by_external_id(
    conn: &mut DbConn,
    store_id: i32,
    external_id: &str,
) -> QueryResult<Option<Visit>> {
    visits::table
        .filter(visits::store_id.eq(store_id))
        .filter(visits::external_id.eq(external_id))
        .select(Visit::as_select())
        .first(conn)
        .optional()
}

/// A customer's visits, oldest first (A12 is built from these).
pub fn of_customer(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<Visit>> {
    visits::table
        .filter(visits::customer_id.eq(customer_id))
        .order((visits::checked_in_at, visits::id))
        .select(Visit::as_select())
        .load(conn)
}

/// The last odometer reading of a vehicle before `before` (X3).
pub fn last_reading(
    conn: &mut DbConn,
    vehicle_id: i32,
    before: NaiveDateTime,
    except: Option<i32>,
) -> QueryResult<Option<(NaiveDate, i32)>> {
    let mut q = visits::table
        .filter(visits::vehicle_id.eq(vehicle_id))
        .filter(visits::checked_in_at.lt(before))
        .filter(visits::odometer_km.is_not_null())
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(visits::id.ne(id));
    }
    let row: Option<(NaiveDate, Option<i32>)> = q
        .order(visits::checked_in_at.desc())
        .select((visits::visit_date, visits::odometer_km))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(d, km)| km.map(|k| (d, k))))
}

pub fn set_pickup(
    conn: &mut DbConn,
    id: i32,
    at: NaiveDateTime,
    on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(visits::table.find(id))
        .set((
            visits::picked_up_at.eq(at),
            visits::picked_up_on.eq(on),
            visits::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn move_customer(conn: &mut DbConn, from: i32, to: i32) -> QueryResult<usize> {
    diesel::update(visits::table.filter(visits::customer_id.eq(from)))
        .set(visits::customer_id.eq(to))
        .execute(conn)
}

pub fn count_in_store(conn: &mut DbConn, store_id: i32) -> QueryResult<i64> {
    visits::table
        .filter(visits::store_id.eq(store_id))
        .count()
        .get_result(conn)
}

// Bulk (the import, `services::bulk_import`) --------------------------------------------

/// A visit row to insert with its id already taken (`models::reserve_ids`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = visits, treat_none_as_default_value = false)]
pub struct NewVisit {
    pub id: i32,
    pub store_id: i32,
    pub external_id: Option<String>,
    #[diesel(serialize_as = String)]
    pub source: VisitSource,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    #[diesel(embed)]
    pub values: VisitValues,
}

/// The visits with any of these external ids in any of these stores (one query a batch).
pub fn by_external_ids(
    conn: &mut DbConn,
    store_ids: &[i32],
    external_ids: &[&str],
) -> QueryResult<Vec<Visit>> {
    super::in_chunks(external_ids, |chunk| {
        visits::table
            .filter(visits::store_id.eq_any(store_ids))
            .filter(visits::external_id.eq_any(chunk))
            .order(visits::id)
            .select(Visit::as_select())
            .load(conn)
    })
}

/// A visit's odometer reading (X3): visit id, vehicle id, check-in time (UTC) and km.
pub type ReadingRow = (i32, i32, NaiveDateTime, i32);

/// Every reading of these vehicles (X3, the bulk import's `last_reading`).
pub fn readings_of(conn: &mut DbConn, vehicle_ids: &[i32]) -> QueryResult<Vec<ReadingRow>> {
    let rows: Vec<(i32, Option<i32>, NaiveDateTime, Option<i32>)> =
        super::in_chunks(vehicle_ids, |chunk| {
            visits::table
                .filter(visits::vehicle_id.eq_any(chunk))
                .filter(visits::odometer_km.is_not_null())
                .order(visits::id)
                .select((
                    visits::id,
                    visits::vehicle_id,
                    visits::checked_in_at,
                    visits::odometer_km,
                ))
                .load(conn)
        })?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, veh, at, km)| Some((id, veh?, at, km?)))
        .collect())
}

/// Visits in multi-row INSERTs.
pub fn insert_many(conn: &mut DbConn, rows: &[NewVisit]) -> QueryResult<usize> {
    insert_chunks!(by_value conn, visits::table, rows)
}

/// The neighbour dates (migration 000017) as the visits give them, written where they differ:
/// after a load without triggers (`demo generate`) and by `aftercare summary rebuild`.
/// Returns the visits changed.
pub fn rebuild_neighbours(conn: &mut DbConn) -> QueryResult<usize> {
    let differs = neighbours_differ(conn, "visits");
    diesel::sql_query(format!(
        "UPDATE visits SET prev_visit_on = n.prev_on, next_visit_on = n.next_on \
         FROM summary_visit_neighbours n WHERE n.id = visits.id AND ({differs})"
    ))
    .execute(conn)
}

#[derive(QueryableByName)]
struct VisitId {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// `aftercare verify`: visits whose stored neighbour dates disagree with the visits, at most
/// `limit`.
pub fn neighbour_disagreements(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<i32>> {
    let differs = neighbours_differ(conn, "v");
    let rows: Vec<VisitId> = diesel::sql_query(format!(
        "SELECT v.id AS id FROM visits v JOIN summary_visit_neighbours n ON n.id = v.id \
         WHERE {differs} ORDER BY v.id LIMIT {limit}"
    ))
    .load(conn)?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// The condition that the visit `v`'s stored dates are not the view `n`'s (NULL-aware).
fn neighbours_differ(conn: &DbConn, v: &str) -> String {
    let not = if conn.is_sqlite() {
        "IS NOT"
    } else {
        "IS DISTINCT FROM"
    };
    format!("{v}.prev_visit_on {not} n.prev_on OR {v}.next_visit_on {not} n.next_on")
}
