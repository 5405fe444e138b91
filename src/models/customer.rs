//! Customers and their vehicles. A customer is matched by phone, a vehicle by plate, both in
//! their normalised forms (`domain::phone`, `domain::plate`), within one store.

use crate::db::schema::{customers, users, vehicles};
use crate::db::DbConn;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = customers)]
pub struct Customer {
    pub id: i32,
    pub store_id: i32,
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    pub clerk_id: Option<i32>,
    pub merged_into_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// X4: the customer refuses calls, letters, or names hours for calls.
    pub no_calls: bool,
    pub no_letters: bool,
    pub call_hours: Option<String>,
    /// X1: the phone number failed; check it at the next visit.
    pub phone_flagged_on: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = vehicles)]
pub struct Vehicle {
    pub id: i32,
    pub store_id: i32,
    pub customer_id: i32,
    pub plate: String,
    pub model: Option<String>,
    pub vehicle_type: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The live customer with this phone in this store (merged records are not matched).
pub fn by_phone(conn: &mut DbConn, store_id: i32, phone: &str) -> QueryResult<Option<Customer>> {
    customers::table
        .filter(customers::store_id.eq(store_id))
        .filter(customers::phone.eq(phone))
        .filter(customers::merged_into_id.is_null())
        .order(customers::id)
        .select(Customer::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: i32) -> QueryResult<Option<Customer>> {
    customers::table
        .find(id)
        .select(Customer::as_select())
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConn,
    store_id: i32,
    name: &str,
    phone: &str,
    address: Option<&str>,
    clerk_id: Option<i32>,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(customers::table)
        .values((
            customers::store_id.eq(store_id),
            customers::name.eq(name),
            customers::phone.eq(phone),
            customers::address.eq(address),
            customers::clerk_id.eq(clerk_id),
            customers::created_at.eq(now),
            customers::updated_at.eq(now),
        ))
        .returning(customers::id)
        .get_result(conn)
}

/// The newest name and address win: the DMS and the archive sheet correct old values.
pub fn update_contact(
    conn: &mut DbConn,
    id: i32,
    name: &str,
    phone: &str,
    address: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set((
            customers::name.eq(name),
            customers::phone.eq(phone),
            customers::address.eq(address),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

pub fn set_clerk(
    conn: &mut DbConn,
    ids: &[i32],
    clerk_id: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.filter(customers::id.eq_any(ids)))
        .set((
            customers::clerk_id.eq(clerk_id),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// X4: contact preferences.
pub fn set_preferences(
    conn: &mut DbConn,
    id: i32,
    no_calls: bool,
    no_letters: bool,
    call_hours: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set((
            customers::no_calls.eq(no_calls),
            customers::no_letters.eq(no_letters),
            customers::call_hours.eq(call_hours),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// X1: flag (or clear, with `None`) the phone number for checking at the next visit.
pub fn flag_phone(conn: &mut DbConn, id: i32, on: Option<chrono::NaiveDate>) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set(customers::phone_flagged_on.eq(on))
        .execute(conn)
}

pub fn mark_merged(
    conn: &mut DbConn,
    id: i32,
    into: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(customers::table.find(id))
        .set((
            customers::merged_into_id.eq(into),
            customers::updated_at.eq(now),
        ))
        .execute(conn)
}

/// A customer list row: the customer, the clerk's name and the plates.
#[derive(Debug, Clone, Serialize)]
pub struct ListRow {
    pub customer: Customer,
    pub clerk: Option<String>,
    pub plates: Vec<String>,
}

/// Live customers of a store matching `q` (name, phone digits or plate), newest first.
pub fn search(
    conn: &mut DbConn,
    store_id: Option<i32>,
    q: &str,
    clerk: Option<i32>,
    lost: Option<(NaiveDate, NaiveDate)>,
    limit: i64,
    offset: i64,
) -> QueryResult<(Vec<ListRow>, i64)> {
    let m = Matching::new(store_id, q, clerk, lost);
    let total = m.query().count().get_result(conn)?;
    let rows: Vec<(Customer, Option<String>)> = m
        .query()
        .left_join(users::table.on(users::id.nullable().eq(customers::clerk_id)))
        .order(customers::id.desc())
        .limit(limit)
        .offset(offset)
        .select((Customer::as_select(), users::display_name.nullable()))
        .load(conn)?;
    let ids: Vec<i32> = rows.iter().map(|(c, _)| c.id).collect();
    let plates: Vec<(i32, String)> = vehicles::table
        .filter(vehicles::customer_id.eq_any(&ids))
        .order(vehicles::id)
        .select((vehicles::customer_id, vehicles::plate))
        .load(conn)?;
    Ok((with_plates(rows, &plates), total))
}

/// What `search` narrows the customers to, with the search text's patterns made once for
/// the count and the page.
struct Matching {
    store_id: Option<i32>,
    clerk: Option<i32>,
    lost: Option<(NaiveDate, NaiveDate)>,
    /// `None`: no search text, every customer of the rest matches.
    text: Option<Patterns>,
}

/// The LIKE patterns of a search text: by name, by plate, by phone.
struct Patterns {
    name: String,
    plate: String,
    phone: String,
}

impl Matching {
    fn new(
        store_id: Option<i32>,
        q: &str,
        clerk: Option<i32>,
        lost: Option<(NaiveDate, NaiveDate)>,
    ) -> Matching {
        let text = (!q.trim().is_empty()).then(|| Patterns {
            name: format!("%{}%", q.trim().replace(['%', '_'], "")),
            // Plates and phones normalised as the visit matching does (`沪a12345` =
            // `沪A·12345`, `+86 185 7146 4047` = `18571464047`, full-width digits too).
            plate: format!(
                "%{}%",
                crate::domain::plate::search_key(q).replace(['%', '_'], "")
            ),
            // No digits: a pattern no phone matches.
            phone: match crate::domain::phone::Phone::search_digits(q) {
                Some(d) => format!("%{d}%"),
                None => "\u{0}".to_string(),
            },
        });
        Matching {
            store_id,
            clerk,
            lost,
            text,
        }
    }

    /// The live customers matching, as a query to count or to page.
    fn query(&self) -> customers::BoxedQuery<'static, crate::db::MultiBackend> {
        let mut f = customers::table
            .filter(customers::merged_into_id.is_null())
            .into_boxed();
        if let Some(s) = self.store_id {
            f = f.filter(customers::store_id.eq(s));
        }
        if let Some(c) = self.clerk {
            f = f.filter(customers::clerk_id.eq(c));
        }
        // X7: only the customers lost on a date (A10 before the second date, no visit since).
        if let Some((on, before)) = self.lost {
            f = f.filter(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
                "customers.id IN (SELECT cu.id {})",
                crate::models::satisfaction::lost_from(on, before, self.store_id)
            )));
        }
        if let Some(p) = &self.text {
            let by_plate = vehicles::table
                .filter(vehicles::plate.like(p.plate.clone()))
                .select(vehicles::customer_id);
            f = f.filter(
                customers::name
                    .like(p.name.clone())
                    .or(customers::phone.like(p.phone.clone()))
                    .or(customers::id.eq_any(by_plate)),
            );
        }
        f
    }
}

/// Each list row with its customer's plates, as shown, in the order they were added.
fn with_plates(rows: Vec<(Customer, Option<String>)>, plates: &[(i32, String)]) -> Vec<ListRow> {
    rows.into_iter()
        .map(|(customer, clerk)| {
            let plates = plates
                .iter()
                .filter(|(c, _)| *c == customer.id)
                .map(|(_, p)| crate::domain::plate::display(p))
                .collect();
            ListRow {
                customer,
                clerk,
                plates,
            }
        })
        .collect()
}

// Vehicles ------------------------------------------------------------------------------

pub fn vehicle_by_plate(
    conn: &mut DbConn,
    store_id: i32,
    plate: &str,
) -> QueryResult<Option<Vehicle>> {
    vehicles::table
        .filter(vehicles::store_id.eq(store_id))
        .filter(vehicles::plate.eq(plate))
        .select(Vehicle::as_select())
        .first(conn)
        .optional()
}

pub fn vehicle_insert(
    conn: &mut DbConn,
    store_id: i32,
    customer_id: i32,
    plate: &str,
    model: Option<&str>,
    vtype: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<i32> {
    diesel::insert_into(vehicles::table)
        .values((
            vehicles::store_id.eq(store_id),
            vehicles::customer_id.eq(customer_id),
            vehicles::plate.eq(plate),
            vehicles::model.eq(model),
            vehicles::vehicle_type.eq(vtype),
            vehicles::created_at.eq(now),
            vehicles::updated_at.eq(now),
        ))
        .returning(vehicles::id)
        .get_result(conn)
}

/// A plate seen again: the car may have changed owner, and model or type may be corrected.
pub fn vehicle_update(
    conn: &mut DbConn,
    id: i32,
    customer_id: i32,
    model: Option<&str>,
    vtype: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(vehicles::table.find(id))
        .set((
            vehicles::customer_id.eq(customer_id),
            vehicles::model.eq(model),
            vehicles::vehicle_type.eq(vtype),
            vehicles::updated_at.eq(now),
        ))
        .execute(conn)
}

/// A vehicle's plate corrected on its archive sheet (the caller checked it is free).
pub fn vehicle_set_plate(conn: &mut DbConn, id: i32, plate: &str) -> QueryResult<usize> {
    diesel::update(vehicles::table.find(id))
        .set(vehicles::plate.eq(plate))
        .execute(conn)
}

pub fn vehicles_of(conn: &mut DbConn, customer_id: i32) -> QueryResult<Vec<Vehicle>> {
    vehicles::table
        .filter(vehicles::customer_id.eq(customer_id))
        .order(vehicles::id)
        .select(Vehicle::as_select())
        .load(conn)
}

pub fn vehicles_move(
    conn: &mut DbConn,
    from: i32,
    to: i32,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(vehicles::table.filter(vehicles::customer_id.eq(from)))
        .set((vehicles::customer_id.eq(to), vehicles::updated_at.eq(now)))
        .execute(conn)
}

// Bulk (the import, `services::bulk_import`) --------------------------------------------

/// A customer row to insert with its id already taken (`models::reserve_ids`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = customers, treat_none_as_default_value = false)]
pub struct NewCustomer {
    pub id: i32,
    pub store_id: i32,
    pub name: String,
    pub phone: String,
    pub address: Option<String>,
    pub clerk_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A vehicle row to insert with its id already taken.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = vehicles, treat_none_as_default_value = false)]
pub struct NewVehicle {
    pub id: i32,
    pub store_id: i32,
    pub customer_id: i32,
    pub plate: String,
    pub model: Option<String>,
    pub vehicle_type: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The live customers with any of these phones in any of these stores, oldest first (the
/// caller keeps the pairs it asked for): one query for a batch instead of `by_phone` per row.
pub fn live_by_phones(
    conn: &mut DbConn,
    store_ids: &[i32],
    phones: &[&str],
) -> QueryResult<Vec<Customer>> {
    let mut out = super::in_chunks(phones, |chunk| {
        customers::table
            .filter(customers::store_id.eq_any(store_ids))
            .filter(customers::phone.eq_any(chunk))
            .filter(customers::merged_into_id.is_null())
            .select(Customer::as_select())
            .load(conn)
    })?;
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// The vehicles with any of these plates in any of these stores (one query for a batch).
pub fn vehicles_by_plates(
    conn: &mut DbConn,
    store_ids: &[i32],
    plates: &[&str],
) -> QueryResult<Vec<Vehicle>> {
    let mut out = super::in_chunks(plates, |chunk| {
        vehicles::table
            .filter(vehicles::store_id.eq_any(store_ids))
            .filter(vehicles::plate.eq_any(chunk))
            .select(Vehicle::as_select())
            .load(conn)
    })?;
    out.sort_by_key(|v| v.id);
    Ok(out)
}

/// Customers in multi-row INSERTs.
pub fn insert_many(conn: &mut DbConn, rows: &[NewCustomer]) -> QueryResult<usize> {
    insert_chunks!(conn, customers::table, rows)
}

/// Vehicles in multi-row INSERTs.
pub fn vehicle_insert_many(conn: &mut DbConn, rows: &[NewVehicle]) -> QueryResult<usize> {
    insert_chunks!(conn, vehicles::table, rows)
}
