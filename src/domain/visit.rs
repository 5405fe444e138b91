//! A service visit or consultation as it arrives — from the web form, the JSON API or a DMS
//! export — and its validation. One validation for all three surfaces, so that the same bad
//! value gets the same answer wherever it was typed.

use super::error::{FieldError, FieldErrors};
use super::phone::Phone;
use super::plate::Plate;
use super::task::text_enum;
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};

text_enum!(
    /// CONTRACT.md's visit `kind`.
    VisitKind { Repair = "repair", Maintenance = "maintenance", Consultation = "consultation" }
);

text_enum!(
    /// Where a visit came from (kept on the row, for support): the web form, the JSON API, the
    /// DMS import or the demo data.
    VisitSource { Form = "form", Api = "api", Import = "import", Demo = "demo" }
);

/// The fields of CONTRACT.md's import, as text (empty = absent). `items` is already split.
#[derive(Debug, Clone, Default)]
pub struct VisitInput {
    pub external_id: Option<String>,
    pub kind: Option<String>,
    pub customer_name: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub plate: Option<String>,
    pub vehicle_model: Option<String>,
    pub vehicle_type: Option<String>,
    pub checked_in_at: Option<String>,
    pub picked_up_at: Option<String>,
    pub items: Vec<String>,
    pub maintenance_interval_days: Option<String>,
    pub maintenance_interval_km: Option<String>,
    pub next_maintenance_date: Option<String>,
    pub desired_services: Option<String>,
    pub odometer_km: Option<String>,
    pub store: Option<String>,
    /// X8: the service advisor who received the car, as the DMS names them.
    pub advisor: Option<String>,
}

/// The column and field names, in CONTRACT.md's order; anything else is refused.
pub const FIELDS: [&str; 18] = [
    "external_id",
    "kind",
    "customer_name",
    "phone",
    "address",
    "plate",
    "vehicle_model",
    "vehicle_type",
    "checked_in_at",
    "picked_up_at",
    "items",
    "maintenance_interval_days",
    "maintenance_interval_km",
    "next_maintenance_date",
    "desired_services",
    "odometer_km",
    "store",
    "advisor",
];

impl VisitInput {
    /// Sets a field by its contract name; `false` when the name is unknown.
    pub fn set(&mut self, name: &str, value: Option<String>) -> bool {
        let value = value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        let slot = match name {
            "external_id" => &mut self.external_id,
            "kind" => &mut self.kind,
            "customer_name" => &mut self.customer_name,
            "phone" => &mut self.phone,
            "address" => &mut self.address,
            "plate" => &mut self.plate,
            "vehicle_model" => &mut self.vehicle_model,
            "vehicle_type" => &mut self.vehicle_type,
            "checked_in_at" => &mut self.checked_in_at,
            "picked_up_at" => &mut self.picked_up_at,
            "maintenance_interval_days" => &mut self.maintenance_interval_days,
            "maintenance_interval_km" => &mut self.maintenance_interval_km,
            "next_maintenance_date" => &mut self.next_maintenance_date,
            "desired_services" => &mut self.desired_services,
            "odometer_km" => &mut self.odometer_km,
            "store" => &mut self.store,
            "advisor" => &mut self.advisor,
            "items" => {
                self.items = split_items(value.as_deref().unwrap_or(""));
                return true;
            }
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// `items` in a CSV cell or a form's text box: separated by `;` (or `；`, or new lines).
pub fn split_items(s: &str) -> Vec<String> {
    s.split([';', '；', '\n'])
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(str::to_string)
        .collect()
}

/// A visit that passed validation. Times are local (the shop's time zone).
#[derive(Debug, Clone, PartialEq)]
pub struct ValidVisit {
    pub external_id: Option<String>,
    pub kind: VisitKind,
    pub customer_name: String,
    pub phone: Phone,
    pub address: Option<String>,
    pub plate: Option<Plate>,
    pub vehicle_model: Option<String>,
    pub vehicle_type: Option<String>,
    pub checked_in_at: NaiveDateTime,
    pub picked_up_at: Option<NaiveDateTime>,
    pub items: Vec<String>,
    pub maintenance_interval_days: Option<i32>,
    pub maintenance_interval_km: Option<i32>,
    pub next_maintenance_date: Option<NaiveDate>,
    pub desired_services: Option<String>,
    pub odometer_km: Option<i32>,
    pub store: Option<String>,
    pub advisor: Option<String>,
}

/// A local date-time as ISO 8601 (`2026-11-20T09:30`, seconds optional, a space allowed
/// instead of `T`); an explicit offset is accepted and converted with `to_local`.
pub fn parse_local_datetime(
    field: &str,
    s: &str,
    to_local: &dyn Fn(DateTime<chrono::FixedOffset>) -> NaiveDateTime,
) -> Result<NaiveDateTime, FieldError> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(to_local(dt));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S%.f",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, fmt) {
            return Ok(dt);
        }
    }
    Err(FieldError::new(field, "datetime-invalid").arg("value", s))
}

pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, FieldError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new(field, "date-invalid").arg("value", s.trim()))
}

/// A whole number in `min..=max`.
pub fn parse_int(field: &str, s: &str, min: i32, max: i32) -> Result<i32, FieldError> {
    let n: i64 = s
        .trim()
        .replace([',', '_'], "")
        .parse()
        .map_err(|_| FieldError::new(field, "number-invalid").arg("value", s.trim()))?;
    if n < i64::from(min) || n > i64::from(max) {
        return Err(FieldError::new(field, "number-range")
            .arg("min", min)
            .arg("max", max));
    }
    Ok(n as i32)
}

/// Text no longer than `max` characters, and without invisible control characters
/// (`text::check_visible`): every text a form, the API or an import keeps passes here.
pub fn check_len(field: &str, s: &str, max: usize) -> Result<String, FieldError> {
    super::text::check_visible(field, s)?;
    if s.chars().count() > max {
        Err(FieldError::new(field, "too-long").arg("max", max))
    } else {
        Ok(s.to_string())
    }
}

/// Local time from a moment typed with its offset (the clock's `offset_to_local`).
pub type ToLocal<'a> = &'a dyn Fn(DateTime<chrono::FixedOffset>) -> NaiveDateTime;

/// Validates a visit against `now` (local): every problem at once, each naming its field,
/// in the order the fields are checked here (each check records its error and gives back
/// `None`, so the next one still runs).
pub fn validate(
    input: &VisitInput,
    now: NaiveDateTime,
    to_local: &dyn Fn(DateTime<chrono::FixedOffset>) -> NaiveDateTime,
) -> Result<ValidVisit, FieldErrors> {
    let mut errs = FieldErrors::default();
    let e = &mut errs;
    let kind = match input.kind.as_deref() {
        None => e.take(Err(FieldError::new("kind", "required"))),
        Some(k) => e.take(
            VisitKind::parse(k)
                .ok_or_else(|| FieldError::new("kind", "kind-unknown").arg("value", k)),
        ),
    };
    let customer_name = match input.customer_name.as_deref() {
        None => e.take(Err(FieldError::new("customer_name", "required"))),
        Some(n) => e.take(check_len("customer_name", n, 100)),
    };
    let phone = e.take(Phone::parse("phone", input.phone.as_deref().unwrap_or("")));
    let plate = plate(input, kind, e);
    let address = opt_text(e, "address", &input.address, 200);
    let vehicle_model = opt_text(e, "vehicle_model", &input.vehicle_model, 60);
    let vehicle_type = opt_text(e, "vehicle_type", &input.vehicle_type, 30);
    let desired_services = opt_text(e, "desired_services", &input.desired_services, 500);
    let advisor = opt_text(e, "advisor", &input.advisor, 100);
    let external_id = opt_text(e, "external_id", &input.external_id, 64);
    let store = opt_text(e, "store", &input.store, 32);

    let checked_in_at = checked_in_at(input, now, to_local, e);
    let picked_up_at = picked_up_at(input, kind, checked_in_at, (now, to_local), e);
    let items = items(input, e);
    let maintenance_interval_days = opt_int(
        e,
        "maintenance_interval_days",
        &input.maintenance_interval_days,
        (1, 3650),
    );
    let maintenance_interval_km = opt_int(
        e,
        "maintenance_interval_km",
        &input.maintenance_interval_km,
        (1, 200_000),
    );
    let odometer_km = opt_int(e, "odometer_km", &input.odometer_km, (0, 3_000_000));
    let next_maintenance_date = next_maintenance_date(input, checked_in_at, e);

    if !errs.is_empty() {
        return Err(errs);
    }
    // Every Option below is Some: a None was recorded as an error above.
    Ok(ValidVisit {
        external_id: external_id.flatten(),
        kind: kind.expect("checked"),
        customer_name: customer_name.expect("checked"),
        phone: phone.expect("checked"),
        address: address.flatten(),
        plate: plate.flatten(),
        vehicle_model: vehicle_model.flatten(),
        vehicle_type: vehicle_type.flatten(),
        checked_in_at: checked_in_at.expect("checked"),
        picked_up_at: picked_up_at.flatten(),
        items,
        maintenance_interval_days: maintenance_interval_days.flatten(),
        maintenance_interval_km: maintenance_interval_km.flatten(),
        next_maintenance_date: next_maintenance_date.flatten(),
        desired_services: desired_services.flatten(),
        odometer_km: odometer_km.flatten(),
        store: store.flatten(),
        advisor: advisor.flatten(),
    })
}

/// The plate: required but on a consultation, which may be about no particular vehicle.
fn plate(
    input: &VisitInput,
    kind: Option<VisitKind>,
    errs: &mut FieldErrors,
) -> Option<Option<Plate>> {
    match (input.plate.as_deref(), kind) {
        (Some(p), _) => errs.take(Plate::parse("plate", p)).map(Some),
        // A consultation may be about no particular vehicle.
        (None, Some(VisitKind::Consultation)) | (None, None) => Some(None),
        (None, Some(_)) => errs.take(Err(FieldError::new("plate", "required"))),
    }
}

/// An optional text of at most `max` characters.
fn opt_text(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    max: usize,
) -> Option<Option<String>> {
    match v {
        None => Some(None),
        Some(s) => errs.take(check_len(field, s, max)).map(Some),
    }
}

/// An optional whole number in `min..=max`.
fn opt_int(
    errs: &mut FieldErrors,
    field: &str,
    v: &Option<String>,
    (min, max): (i32, i32),
) -> Option<Option<i32>> {
    match v {
        None => Some(None),
        Some(s) => errs.take(parse_int(field, s, min, max)).map(Some),
    }
}

/// The check-in: required, and not in the future.
fn checked_in_at(
    input: &VisitInput,
    now: NaiveDateTime,
    to_local: ToLocal,
    errs: &mut FieldErrors,
) -> Option<NaiveDateTime> {
    match input.checked_in_at.as_deref() {
        None => errs.take(Err(FieldError::new("checked_in_at", "required"))),
        Some(s) => errs.take(
            parse_local_datetime("checked_in_at", s, to_local)
                .and_then(|t| not_future("checked_in_at", t, now)),
        ),
    }
}

/// The pick-up: none for a consultation, not in the future, not before the check-in.
fn picked_up_at(
    input: &VisitInput,
    kind: Option<VisitKind>,
    checked_in_at: Option<NaiveDateTime>,
    (now, to_local): (NaiveDateTime, ToLocal),
    errs: &mut FieldErrors,
) -> Option<Option<NaiveDateTime>> {
    match input.picked_up_at.as_deref() {
        None => Some(None),
        Some(_) if kind == Some(VisitKind::Consultation) => {
            errs.take(Err(FieldError::new("picked_up_at", "pickup-consultation")))
        }
        Some(s) => {
            let t = errs.take(
                parse_local_datetime("picked_up_at", s, to_local)
                    .and_then(|t| not_future("picked_up_at", t, now)),
            );
            match (t, checked_in_at) {
                (Some(p), Some(c)) if p < c => errs.take(Err(FieldError::new(
                    "picked_up_at",
                    "pickup-before-checkin",
                ))),
                (t, _) => t.map(Some),
            }
        }
    }
}

/// The work done, each item at most 200 characters; a bad one is reported and left out.
fn items(input: &VisitInput, errs: &mut FieldErrors) -> Vec<String> {
    let mut items = Vec::with_capacity(input.items.len());
    for item in &input.items {
        if let Some(i) = errs.take(check_len("items", item, 200)) {
            items.push(i);
        }
    }
    items
}

/// The next maintenance date, after the visit's day.
fn next_maintenance_date(
    input: &VisitInput,
    checked_in_at: Option<NaiveDateTime>,
    errs: &mut FieldErrors,
) -> Option<Option<NaiveDate>> {
    match input.next_maintenance_date.as_deref() {
        None => Some(None),
        Some(s) => {
            let d = errs.take(parse_date("next_maintenance_date", s));
            match (d, checked_in_at) {
                (Some(d), Some(c)) if d <= c.date() => errs.take(Err(FieldError::new(
                    "next_maintenance_date",
                    "date-not-after-visit",
                ))),
                (d, _) => d.map(Some),
            }
        }
    }
}

/// A moment that already happened (a visit, a pick-up, a call entered later).
pub fn not_future(
    field: &str,
    t: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, FieldError> {
    if t > now {
        Err(FieldError::new(field, "datetime-in-future"))
    } else {
        Ok(t)
    }
}

/// A pick-up time recorded on its own (`POST /visits/{id}/pickup`, the web button).
pub fn validate_pickup(
    s: Option<&str>,
    checked_in_at: NaiveDateTime,
    now: NaiveDateTime,
    to_local: &dyn Fn(DateTime<chrono::FixedOffset>) -> NaiveDateTime,
) -> Result<NaiveDateTime, FieldError> {
    let t = match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => now,
        Some(s) => not_future(
            "picked_up_at",
            parse_local_datetime("picked_up_at", s, to_local)?,
            now,
        )?,
    };
    if t < checked_in_at {
        return Err(FieldError::new("picked_up_at", "pickup-before-checkin"));
    }
    Ok(t)
}

/// Midnight of a date, for forms that ask only for a date.
pub fn start_of(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// A visit can be picked up once, and a consultation never (it has no pick-up, R4).
pub fn can_pick_up(kind: VisitKind, picked_up: bool) -> bool {
    !picked_up && kind != VisitKind::Consultation
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        "2026-11-28T10:00:00".parse().unwrap()
    }
    fn local(dt: DateTime<chrono::FixedOffset>) -> NaiveDateTime {
        dt.naive_utc() + chrono::Duration::hours(8)
    }
    fn good() -> VisitInput {
        let mut v = VisitInput::default();
        for (k, val) in [
            ("kind", "repair"),
            ("customer_name", "王伟"),
            ("phone", "13812345678"),
            ("plate", "沪A·12345"),
            ("checked_in_at", "2026-11-27T09:00"),
            ("items", "更换机油;四轮定位"),
        ] {
            assert!(v.set(k, Some(val.into())));
        }
        v
    }

    #[test]
    fn a_good_visit_passes() {
        let v = validate(&good(), now(), &local).unwrap();
        assert_eq!(v.items, vec!["更换机油", "四轮定位"]);
        assert_eq!(v.plate.unwrap().as_str(), "沪A12345");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut v = good();
        v.set("kind", Some("wash".into()));
        v.set("phone", Some("123".into()));
        v.set("checked_in_at", Some("2026-11-29T09:00".into()));
        v.set("odometer_km", Some("-5".into()));
        let errs = validate(&v, now(), &local).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert!(fields.contains(&("kind", "kind-unknown")));
        assert!(fields.contains(&("phone", "phone-invalid")));
        assert!(fields.contains(&("checked_in_at", "datetime-in-future")));
        assert!(fields.contains(&("odometer_km", "number-range")));
    }

    #[test]
    fn pickup_before_checkin_is_refused() {
        let mut v = good();
        v.set("picked_up_at", Some("2026-11-26T09:00".into()));
        let errs = validate(&v, now(), &local).unwrap_err();
        assert_eq!(errs.0[0].code, "pickup-before-checkin");
    }

    #[test]
    fn a_consultation_needs_no_plate_and_has_no_pickup() {
        let mut v = good();
        v.set("kind", Some("consultation".into()));
        v.set("plate", None);
        assert!(validate(&v, now(), &local).is_ok());
        v.set("picked_up_at", Some("2026-11-27T10:00".into()));
        assert_eq!(
            validate(&v, now(), &local).unwrap_err().0[0].code,
            "pickup-consultation"
        );
    }
}
