//! R11: a register line is corrected only by an amendment — a line of its own, with its own
//! number in the year of the line it corrects, that names that line and says why; the original
//! stays as it was. Every register can be amended: archive sheets, call records, the call
//! register and the letter register.

use super::chain;
use super::numbering::{self, Register};
use crate::db::schema::{archives, call_records, call_register, letter_register};
use crate::db::{write_tx, DbConn};
use crate::domain::call::{Category, Outcome};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::phone::Phone;
use crate::domain::visit::check_len;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use crate::models::{trunc, user};
use crate::services::{audit, Actor, Ctx, SResult, ServiceError};
use chrono::Datelike;
use diesel::prelude::*;

/// The corrections asked for (absent = keep the original's value) and the reason.
#[derive(Debug, Clone, Default)]
pub struct Correction {
    pub customer_name: Option<String>,
    pub phone: Option<String>,
    pub category: Option<String>,
    pub outcome: Option<String>,
    pub address: Option<String>,
    pub subject: Option<String>,
    pub key_points: Option<String>,
    pub vehicle_model: Option<String>,
    pub vehicle_type: Option<String>,
    pub desired_services: Option<String>,
    pub reason: String,
}

fn reason(c: &Correction) -> Result<String, FieldError> {
    let r = check_len("amend_reason", c.reason.trim(), 500)?;
    if r.is_empty() {
        return Err(FieldError::new("amend_reason", "required"));
    }
    Ok(r)
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The corrected text, or the original's.
fn text(v: &Option<String>, orig: &str) -> String {
    blank(v).unwrap_or(orig).to_string()
}

/// Amends a line of `register`; returns the amendment's number.
pub fn amend(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    register: Register,
    line_id: i32,
    c: &Correction,
) -> SResult<String> {
    let mut errs = FieldErrors::default();
    let why = errs.take(reason(c));
    for (field, value, max) in [
        ("customer_name", &c.customer_name, 100),
        ("address", &c.address, 300),
        ("subject", &c.subject, 200),
        ("key_points", &c.key_points, 4000),
        ("vehicle_model", &c.vehicle_model, 100),
        ("vehicle_type", &c.vehicle_type, 100),
        ("desired_services", &c.desired_services, 1000),
    ] {
        if let Some(v) = blank(value) {
            errs.take(check_len(field, v, max));
        }
    }
    let phone = match blank(&c.phone) {
        Some(p) => errs
            .take(Phone::parse("phone", p))
            .map(|p| Some(p.as_str().to_string())),
        None => Some(None),
    };
    let category = match blank(&c.category) {
        Some(v) => errs
            .take(
                Category::parse(v)
                    .ok_or_else(|| FieldError::new("category", "category-unknown").arg("value", v)),
            )
            .map(Some),
        None => Some(None),
    };
    let outcome = match blank(&c.outcome) {
        Some(v) => errs
            .take(
                Outcome::parse(v)
                    .ok_or_else(|| FieldError::new("outcome", "outcome-unknown").arg("value", v)),
            )
            .map(Some),
        None => Some(None),
    };
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let (why, phone, category, outcome) = (
        why.expect("checked"),
        phone.expect("checked"),
        category.expect("checked"),
        outcome.expect("checked"),
    );
    let handler = user::by_id(conn, actor.user_id.ok_or(ServiceError::Forbidden)?)?;
    let now = trunc(ctx.clock.now_utc());
    write_tx(conn, |conn| {
        let no = match register {
            Register::CallRegister => {
                let orig: RegisterLine = call_register::table
                    .find(line_id)
                    .select(RegisterLine::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(ServiceError::NotFound("line"))?;
                if !actor.in_store(orig.store_id) {
                    return Err(ServiceError::NotFound("line"));
                }
                let (_, no) = numbering::next(
                    conn,
                    orig.store_id,
                    Register::CallRegister,
                    orig.called_on.year(),
                )?;
                let mut line = RegisterLine {
                    id: 0,
                    register_no: no.clone(),
                    customer_name: blank(&c.customer_name)
                        .map(str::to_string)
                        .unwrap_or(orig.customer_name.clone()),
                    phone: phone.unwrap_or(orig.phone.clone()),
                    category: category
                        .map(|v| v.as_str().to_string())
                        .unwrap_or(orig.category.clone()),
                    outcome: outcome
                        .map(|v| v.as_str().to_string())
                        .unwrap_or(orig.outcome.clone()),
                    handled_by_id: handler.id,
                    handled_by: handler.display_name.clone(),
                    created_at: now,
                    ..orig.clone()
                };
                line.id = diesel::insert_into(call_register::table)
                    .values((
                        &line,
                        call_register::amends.eq(&orig.register_no),
                        call_register::amend_reason.eq(&why),
                    ))
                    .returning(call_register::id)
                    .get_result(conn)?;
                let chained = chain::with_amendment(
                    chain::register_line(&line),
                    &Some(orig.register_no.clone()),
                    &Some(why.clone()),
                );
                chain::append(conn, Register::CallRegister, &chained, now)?;
                no
            }
            Register::LetterRegister => {
                let orig: LetterLine = letter_register::table
                    .find(line_id)
                    .select(LetterLine::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(ServiceError::NotFound("line"))?;
                if !actor.in_store(orig.store_id) {
                    return Err(ServiceError::NotFound("line"));
                }
                let (_, no) = numbering::next(
                    conn,
                    orig.store_id,
                    Register::LetterRegister,
                    orig.sent_on.year(),
                )?;
                let mut line = LetterLine {
                    id: 0,
                    register_no: no.clone(),
                    customer_name: blank(&c.customer_name)
                        .map(str::to_string)
                        .unwrap_or(orig.customer_name.clone()),
                    address: blank(&c.address)
                        .map(str::to_string)
                        .unwrap_or(orig.address.clone()),
                    subject: blank(&c.subject)
                        .map(str::to_string)
                        .unwrap_or(orig.subject.clone()),
                    handled_by_id: handler.id,
                    handled_by: handler.display_name.clone(),
                    created_at: now,
                    ..orig.clone()
                };
                line.id = diesel::insert_into(letter_register::table)
                    .values((
                        &line,
                        letter_register::amends.eq(&orig.register_no),
                        letter_register::amend_reason.eq(&why),
                    ))
                    .returning(letter_register::id)
                    .get_result(conn)?;
                let chained = chain::with_amendment(
                    chain::letter_line(&line),
                    &Some(orig.register_no.clone()),
                    &Some(why.clone()),
                );
                chain::append(conn, Register::LetterRegister, &chained, now)?;
                no
            }
            Register::CallRecords => {
                let orig: CallRecord = call_records::table
                    .find(line_id)
                    .select(CallRecord::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(ServiceError::NotFound("line"))?;
                if !actor.in_store(orig.store_id) {
                    return Err(ServiceError::NotFound("line"));
                }
                let (_, no) = numbering::next(
                    conn,
                    orig.store_id,
                    Register::CallRecords,
                    orig.called_on.year(),
                )?;
                let mut line = CallRecord {
                    id: 0,
                    record_no: no.clone(),
                    // The amendment is not another call on the task (X4 counts calls).
                    task_id: None,
                    customer_name: text(&c.customer_name, &orig.customer_name),
                    phone: phone.unwrap_or(orig.phone.clone()),
                    category: category
                        .map(|v| v.as_str().to_string())
                        .unwrap_or(orig.category.clone()),
                    key_points: text(&c.key_points, &orig.key_points),
                    handled_by_id: handler.id,
                    handled_by: handler.display_name.clone(),
                    created_at: now,
                    ..orig.clone()
                };
                line.id = diesel::insert_into(call_records::table)
                    .values((
                        &line,
                        call_records::amends.eq(&orig.record_no),
                        call_records::amend_reason.eq(&why),
                    ))
                    .returning(call_records::id)
                    .get_result(conn)?;
                let chained = chain::with_amendment(
                    chain::call_record_line(&line),
                    &Some(orig.record_no.clone()),
                    &Some(why.clone()),
                );
                chain::append(conn, Register::CallRecords, &chained, now)?;
                no
            }
            Register::Archives => {
                let orig: Archive = archives::table
                    .find(line_id)
                    .select(Archive::as_select())
                    .first(conn)
                    .optional()?
                    .ok_or(ServiceError::NotFound("line"))?;
                if !actor.in_store(orig.store_id) {
                    return Err(ServiceError::NotFound("line"));
                }
                // Numbered in the year of the sheet it corrects, like every amendment.
                let (_, no) = numbering::next(
                    conn,
                    orig.store_id,
                    Register::Archives,
                    orig.archived_on.year(),
                )?;
                let opt = |v: &Option<String>, o: &Option<String>| {
                    blank(v).map(str::to_string).or(o.clone())
                };
                let mut line = Archive {
                    id: 0,
                    archive_no: no.clone(),
                    task_id: None,
                    customer_name: text(&c.customer_name, &orig.customer_name),
                    address: opt(&c.address, &orig.address),
                    phone: phone.unwrap_or(orig.phone.clone()),
                    vehicle_model: opt(&c.vehicle_model, &orig.vehicle_model),
                    vehicle_type: opt(&c.vehicle_type, &orig.vehicle_type),
                    desired_services: opt(&c.desired_services, &orig.desired_services),
                    archived_by_id: handler.id,
                    archived_by: handler.display_name.clone(),
                    created_at: now,
                    ..orig.clone()
                };
                line.id = diesel::insert_into(archives::table)
                    .values((
                        &line,
                        archives::amends.eq(&orig.archive_no),
                        archives::amend_reason.eq(&why),
                    ))
                    .returning(archives::id)
                    .get_result(conn)?;
                let chained = chain::with_amendment(
                    chain::archive_line(&line),
                    &Some(orig.archive_no.clone()),
                    &Some(why.clone()),
                );
                chain::append(conn, Register::Archives, &chained, now)?;
                no
            }
        };
        audit::record(
            conn,
            ctx,
            actor,
            "register.amend",
            register.key(),
            &format!("{no}: {why}"),
            "ok",
        )?;
        Ok(no)
    })
}
