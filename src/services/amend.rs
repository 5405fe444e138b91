//! R11: a register line is corrected only by an amendment — a line of its own, with its own
//! number in the year of the line it corrects, that names that line and says why; the original
//! stays as it was. Every register can be amended: archive sheets, call records, the call
//! register and the letter register.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::call::{Category, Outcome};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::phone::Phone;
use crate::domain::register::Register;
use crate::domain::visit::check_len;
use crate::models::amendment::Amendable;
use crate::models::archive::Archive;
use crate::models::call::{CallRecord, RegisterLine};
use crate::models::letter::LetterLine;
use crate::models::register_counter;
use crate::models::trunc;
use crate::models::user::{self, User};
use crate::registers::chain;
use chrono::NaiveDateTime;

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

/// Amends a line of `register`; returns the amendment's number. R11: the corrections are
/// checked first, then the amendment is written in the register's own way and audited.
pub fn amend(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    register: Register,
    line_id: i32,
    c: &Correction,
) -> SResult<String> {
    let fix = check(c)?;
    let handler = user::by_id(conn, actor.user_id.ok_or(ServiceError::Forbidden)?)?;
    let now = trunc(ctx.clock.now_utc());
    write_tx(conn, |conn| {
        let a = Amending {
            actor,
            register,
            line_id,
            c,
            fix: &fix,
            handler: &handler,
            now,
        };
        let no = match register {
            Register::CallRegister => amend_call_register(conn, &a)?,
            Register::LetterRegister => amend_letter_register(conn, &a)?,
            Register::CallRecords => amend_call_record(conn, &a)?,
            Register::Archives => amend_archive(conn, &a)?,
        };
        audit::record(
            conn,
            ctx,
            actor,
            "register.amend",
            register.key(),
            &format!("{no}: {}", fix.why),
            "ok",
        )?;
        Ok(no)
    })
}

/// The corrections as checked: the reason, and the coded fields parsed (`None`: keep the
/// original's).
struct Fix {
    why: String,
    phone: Option<String>,
    category: Option<Category>,
    outcome: Option<Outcome>,
}

/// Checks every correction at once: the reason is required, texts within their lengths, the
/// phone and the codes parsed.
fn check(c: &Correction) -> Result<Fix, FieldErrors> {
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
        return Err(errs);
    }
    Ok(Fix {
        why: why.expect("checked"),
        phone: phone.expect("checked"),
        category: category.expect("checked"),
        outcome: outcome.expect("checked"),
    })
}

/// One amendment being written: what each register's step reads.
struct Amending<'a> {
    actor: &'a Actor,
    register: Register,
    line_id: i32,
    c: &'a Correction,
    fix: &'a Fix,
    handler: &'a User,
    now: NaiveDateTime,
}

/// Each register the same way: the original (of the actor's store), the next number in the
/// original's year, the corrected copy (`build`) with `amends` and the reason, its chain link.
fn amend_line<M: Amendable>(
    conn: &mut DbConn,
    a: &Amending,
    link: fn(&M) -> chain::Line,
    build: impl Fn(&M, String) -> M,
) -> SResult<String> {
    let orig = M::find(conn, a.line_id)?.ok_or(ServiceError::NotFound("line"))?;
    if !a.actor.in_store(orig.store_id()) {
        return Err(ServiceError::NotFound("line"));
    }
    let (_, no) = register_counter::next(conn, orig.store_id(), a.register, orig.year())?;
    let mut line = build(&orig, no.clone());
    let why = &a.fix.why;
    line.set_id(M::insert_amendment(conn, &line, orig.number(), why)?);
    let chained = chain::with_amendment(
        link(&line),
        &Some(orig.number().to_string()),
        &Some(why.clone()),
    );
    chain::append(conn, a.register, &chained, a.now)?;
    Ok(no)
}

/// The call register: name, phone, category and outcome may be corrected.
fn amend_call_register(conn: &mut DbConn, a: &Amending) -> SResult<String> {
    let (c, fix) = (a.c, a.fix);
    amend_line(conn, a, chain::register_line, |orig: &RegisterLine, no| {
        RegisterLine {
            id: 0,
            register_no: no,
            customer_name: text(&c.customer_name, &orig.customer_name),
            phone: fix.phone.clone().unwrap_or(orig.phone.clone()),
            category: fix.category.unwrap_or(orig.category),
            outcome: fix.outcome.unwrap_or(orig.outcome),
            handled_by_id: a.handler.id,
            handled_by: a.handler.display_name.clone(),
            created_at: a.now,
            ..orig.clone()
        }
    })
}

/// The letter register: name, address and subject may be corrected.
fn amend_letter_register(conn: &mut DbConn, a: &Amending) -> SResult<String> {
    let c = a.c;
    amend_line(conn, a, chain::letter_line, |orig: &LetterLine, no| {
        LetterLine {
            id: 0,
            register_no: no,
            customer_name: text(&c.customer_name, &orig.customer_name),
            address: text(&c.address, &orig.address),
            subject: text(&c.subject, &orig.subject),
            handled_by_id: a.handler.id,
            handled_by: a.handler.display_name.clone(),
            created_at: a.now,
            ..orig.clone()
        }
    })
}

/// The call records: name, phone, category and key points may be corrected.
fn amend_call_record(conn: &mut DbConn, a: &Amending) -> SResult<String> {
    let (c, fix) = (a.c, a.fix);
    amend_line(conn, a, chain::call_record_line, |orig: &CallRecord, no| {
        CallRecord {
            id: 0,
            record_no: no,
            // The amendment is not another call on the task (X4 counts calls).
            task_id: None,
            customer_name: text(&c.customer_name, &orig.customer_name),
            phone: fix.phone.clone().unwrap_or(orig.phone.clone()),
            category: fix.category.unwrap_or(orig.category),
            key_points: text(&c.key_points, &orig.key_points),
            handled_by_id: a.handler.id,
            handled_by: a.handler.display_name.clone(),
            created_at: a.now,
            ..orig.clone()
        }
    })
}

/// The archive sheets: name, address, phone, the vehicle's model and type and the desired
/// services may be corrected.
fn amend_archive(conn: &mut DbConn, a: &Amending) -> SResult<String> {
    let (c, fix) = (a.c, a.fix);
    let opt = |v: &Option<String>, o: &Option<String>| blank(v).map(str::to_string).or(o.clone());
    amend_line(conn, a, chain::archive_line, |orig: &Archive, no| Archive {
        id: 0,
        archive_no: no,
        task_id: None,
        customer_name: text(&c.customer_name, &orig.customer_name),
        address: opt(&c.address, &orig.address),
        phone: fix.phone.clone().unwrap_or(orig.phone.clone()),
        vehicle_model: opt(&c.vehicle_model, &orig.vehicle_model),
        vehicle_type: opt(&c.vehicle_type, &orig.vehicle_type),
        desired_services: opt(&c.desired_services, &orig.desired_services),
        archived_by_id: a.handler.id,
        archived_by: a.handler.display_name.clone(),
        created_at: a.now,
        ..orig.clone()
    })
}
