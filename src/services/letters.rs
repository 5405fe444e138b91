//! Letters (R8): 通知 notice, 邀请函 invitation and 答复函 reply, composed from templates with
//! merge fields, printed one per A4 page with an address block for a window envelope, and
//! marked sent — which writes one letter-register line (XH-…), numbered per store and year
//! without gaps and linked to the event or item (关联). An event letter may be waived with a
//! reason (R6, 视情况需要). The unreachable letter of X1 takes the same path.

use super::{audit, Actor, Ctx, SResult, ServiceError};
use crate::db::{write_tx, DbConn};
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::letter::{check_template, merge, LetterKind};
use crate::domain::plate;
use crate::domain::register::Register;
use crate::domain::task::{CloseReason, TaskKind, TaskStatus};
use crate::i18n::I18N;
use crate::models::letter::{self as letter_model, LetterLine};
use crate::models::register_counter;
use crate::models::{customer, event as event_model, item as item_model, store, task, trunc, user};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::HashMap;

/// A template's subject and body: the store's own, else the shipped one of that language.
pub fn template(
    conn: &mut DbConn,
    store_id: i32,
    kind: LetterKind,
    lang: &str,
) -> SResult<(String, String)> {
    Ok(match letter_model::template(conn, store_id, kind, lang)? {
        Some(t) => (t.subject, t.body),
        None => (
            I18N.t(lang, &format!("letter-{kind}-subject")),
            I18N.t(lang, &format!("letter-{kind}-body")),
        ),
    })
}

pub fn save_template(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    kind: &str,
    lang: &str,
    subject: &str,
    body: &str,
) -> SResult<()> {
    let mut errs = FieldErrors::default();
    let kind = errs.take(
        LetterKind::parse(kind)
            .ok_or_else(|| FieldError::new("kind", "letter-kind-unknown").arg("value", kind)),
    );
    if crate::i18n::supported(Some(lang)).is_none() {
        errs.push(FieldError::new("lang", "lang-unknown").arg("value", lang));
    }
    for (field, text, max) in [("subject", subject, 200), ("letter_body", body, 5000)] {
        if text.trim().is_empty() {
            errs.push(FieldError::new(field, "required"));
        } else if let Err(e) = crate::domain::visit::check_len(field, text, max)
            .and_then(|_| check_template(field, text))
        {
            errs.push(e);
        }
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    let store_id = actor
        .store_id
        .ok_or_else(|| FieldError::new("store", "store-required"))?;
    let kind = kind.expect("checked");
    write_tx(conn, |conn| {
        letter_model::save_template(
            conn,
            store_id,
            kind,
            lang,
            subject.trim(),
            body,
            actor.user_id,
            trunc(ctx.clock.now_utc()),
        )?;
        audit::record(
            conn,
            ctx,
            actor,
            "letter.template",
            kind.as_str(),
            lang,
            "ok",
        )?;
        Ok(())
    })
}

/// Dates as a letter writes them: 2026年11月24日, or 24 November 2026.
pub fn letter_date(lang: &str, d: NaiveDate) -> String {
    crate::domain::letter::letter_date(lang, d)
}

/// A letter ready to print.
#[derive(Debug, Clone, Serialize)]
pub struct Composed {
    pub kind: LetterKind,
    pub customer_id: i32,
    pub customer_name: String,
    pub address: Option<String>,
    pub subject: String,
    pub body: String,
    pub store_name: String,
    /// The letter's date, written as letters write it.
    pub date: String,
    pub task_id: Option<i32>,
    pub event_id: Option<i32>,
    pub item_id: Option<i32>,
    pub related_to: String,
}

/// The merge values of a customer, and of the event or item the letter is about.
fn values(
    conn: &mut DbConn,
    ctx: &Ctx,
    lang: &str,
    customer_id: i32,
    event_id: Option<i32>,
    item_id: Option<i32>,
) -> SResult<(HashMap<&'static str, String>, customer::Customer)> {
    let c = customer::by_id(conn, customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    let vehicles = customer::vehicles_of(conn, c.id)?;
    let mut v: HashMap<&'static str, String> = HashMap::new();
    v.insert("customer_name", c.name.clone());
    v.insert("address", c.address.clone().unwrap_or_default());
    v.insert(
        "phone",
        crate::domain::phone::Phone::from_stored(&c.phone).to_string(),
    );
    if let Some(veh) = vehicles.first() {
        v.insert("plate", plate::display(&veh.plate));
        v.insert("vehicle_model", veh.model.clone().unwrap_or_default());
    }
    let shop = store::by_id(conn, c.store_id)?;
    v.insert("store_name", shop.name);
    v.insert("store_phone", shop.phone.unwrap_or_default());
    v.insert("today", letter_date(lang, ctx.clock.today()));
    if let Some(k) = c.clerk_id {
        v.insert("clerk_name", user::by_id(conn, k)?.display_name);
    }
    if let Some(id) = event_id {
        let e = event_model::by_id(conn, id)?.ok_or(ServiceError::NotFound("event"))?;
        v.insert("event_title", e.title);
        let dates = if e.starts_on == e.ends_on {
            letter_date(lang, e.starts_on)
        } else {
            format!(
                "{} – {}",
                letter_date(lang, e.starts_on),
                letter_date(lang, e.ends_on)
            )
        };
        v.insert("event_dates", dates);
        v.insert("event_place", e.place);
        v.insert("event_content", e.content);
    }
    if let Some(id) = item_id {
        let i = item_model::by_id(conn, id)?.ok_or(ServiceError::NotFound("item"))?;
        v.insert("item_text", i.text);
        v.insert("solution", i.solution.unwrap_or_default());
    }
    Ok((v, c))
}

/// What a letter is about: its task, event and item (any may be absent).
#[derive(Debug, Clone, Copy, Default)]
struct About {
    task_id: Option<i32>,
    event_id: Option<i32>,
    item_id: Option<i32>,
}

fn compose(
    conn: &mut DbConn,
    ctx: &Ctx,
    lang: &str,
    kind: LetterKind,
    customer_id: i32,
    about: About,
) -> SResult<Composed> {
    let About {
        task_id,
        event_id,
        item_id,
    } = about;
    let (mut values, c) = values(conn, ctx, lang, customer_id, event_id, item_id)?;
    if let Some(t) = task_id.map(|t| task::by_id(conn, t)).transpose()?.flatten() {
        if let Some(v) = t
            .visit_id
            .map(|v| crate::models::visit::by_id(conn, v))
            .transpose()?
            .flatten()
        {
            values.insert("visit_date", letter_date(lang, v.visit_date));
        }
    }
    let (subject, body) = template(conn, c.store_id, kind, lang)?;
    let related_to = related_to(conn, lang, about, &values)?;
    Ok(Composed {
        kind,
        customer_id: c.id,
        customer_name: c.name.clone(),
        address: c.address.clone(),
        subject: merge(&subject, &values),
        body: merge(&body, &values),
        store_name: values.get("store_name").cloned().unwrap_or_default(),
        date: letter_date(lang, ctx.clock.today()),
        task_id,
        event_id,
        item_id,
        related_to,
    })
}

/// Issue 12: what a letter is about, as a sentence in the sender's language: "活动 #3：免费检测周",
/// "投诉 #12：保养后发动机有异响", "跟踪任务 #586：第一次跟踪服务" (the call task the unreachable
/// letter follows).
fn related_to(
    conn: &mut DbConn,
    lang: &str,
    about: About,
    values: &HashMap<&'static str, String>,
) -> SResult<String> {
    let sentence = |what: String, id: i32, text: String| {
        I18N.t_args(
            lang,
            "letter-related",
            &[("what", what), ("id", format!("#{id}")), ("text", text)],
        )
    };
    if let Some(e) = about.event_id {
        let title = values.get("event_title").cloned().unwrap_or_default();
        return Ok(sentence(I18N.t(lang, "letter-related-event"), e, title));
    }
    if let Some(i) = about.item_id {
        let item = item_model::by_id(conn, i)?.ok_or(ServiceError::NotFound("item"))?;
        let text: String = item.text.chars().take(40).collect();
        return Ok(sentence(
            I18N.t(lang, &format!("item-kind-{}", item.kind)),
            i,
            text,
        ));
    }
    let Some(t) = about
        .task_id
        .map(|t| task::by_id(conn, t))
        .transpose()?
        .flatten()
    else {
        return Ok(String::new());
    };
    // The call task closed as unreachable that this letter follows, else the letter's own.
    let called = task::of_customer(conn, t.customer_id)?
        .into_iter()
        .filter(|c| c.visit_id == t.visit_id && c.close_reason == Some(CloseReason::Unreachable))
        .max_by_key(|c| c.id)
        .unwrap_or(t);
    Ok(sentence(
        I18N.t(lang, "letter-related-task"),
        called.id,
        I18N.t(lang, &format!("kind-{}", called.kind)),
    ))
}

/// The letter of a letter task (event letter or unreachable letter).
pub fn for_task(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: i32,
    lang: &str,
) -> SResult<(Composed, crate::models::task::Task)> {
    let t = task::by_id(conn, task_id)?.ok_or(ServiceError::NotFound("task"))?;
    super::cover::may_work_on(conn, actor, t.store_id, t.clerk_id, ctx.clock.today())?;
    let kind = match Some(t.kind) {
        Some(TaskKind::EventLetter) => {
            let e = event_model::by_id(conn, t.event_id.unwrap_or(0))?
                .ok_or(ServiceError::NotFound("event"))?;
            e.kind.letter_kind()
        }
        // X1, issue 12: a template of its own ("we tried to reach you about your visit").
        Some(TaskKind::UnreachableLetter) => LetterKind::Unreachable,
        _ => return Err(FieldError::new("task_id", "task-not-a-letter").into()),
    };
    let about = About {
        task_id: Some(t.id),
        event_id: t.event_id,
        item_id: t.item_id,
    };
    let composed = compose(conn, ctx, lang, kind, t.customer_id, about)?;
    Ok((composed, t))
}

/// The reply letter (答复函) to an item.
pub fn for_item(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    item_id: i32,
    lang: &str,
) -> SResult<Composed> {
    let i = item_model::by_id(conn, item_id)?.ok_or(ServiceError::NotFound("item"))?;
    super::cover::may_work_on(conn, actor, i.store_id, i.clerk_id, ctx.clock.today())?;
    compose(
        conn,
        ctx,
        lang,
        LetterKind::Reply,
        i.customer_id,
        About {
            item_id: Some(i.id),
            ..About::default()
        },
    )
}

/// Writes the letter-register line of a letter sent (R8). Refuses a customer who refuses
/// letters (X4) or has no address.
fn register(conn: &mut DbConn, ctx: &Ctx, actor: &Actor, l: &Composed) -> SResult<String> {
    let c = customer::by_id(conn, l.customer_id)?.ok_or(ServiceError::NotFound("customer"))?;
    if c.no_letters {
        return Err(FieldError::new("customer_id", "customer-refuses-letters").into());
    }
    let address = c
        .address
        .clone()
        .filter(|a| !a.trim().is_empty())
        .ok_or_else(|| FieldError::new("address", "address-missing"))?;
    let handler = user::by_id(conn, actor.user_id.ok_or(ServiceError::Forbidden)?)?;
    let sent_on = ctx.clock.today();
    let (_, register_no) =
        register_counter::next(conn, c.store_id, Register::LetterRegister, sent_on.year())?;
    let mut line = LetterLine {
        id: 0,
        store_id: c.store_id,
        register_no: register_no.clone(),
        sent_on,
        customer_id: c.id,
        customer_name: c.name.clone(),
        address,
        letter_kind: l.kind.register_kind(),
        subject: l.subject.clone(),
        body: l.body.clone(),
        related_to: l.related_to.clone(),
        task_id: l.task_id,
        event_id: l.event_id,
        item_id: l.item_id,
        handled_by_id: handler.id,
        handled_by: handler.display_name,
        created_at: trunc(ctx.clock.now_utc()),
    };
    line.id = letter_model::insert_line(conn, &line)?;
    crate::registers::chain::append(
        conn,
        Register::LetterRegister,
        &crate::registers::chain::letter_line(&line),
        line.created_at,
    )?;
    Ok(register_no)
}

/// Marks a letter task's letter sent: one register line, the task done.
pub fn send_task(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: i32,
    lang: &str,
) -> SResult<String> {
    write_tx(conn, |conn| {
        let (letter, t) = for_task(conn, ctx, actor, task_id, lang)?;
        if t.status != TaskStatus::Open {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        let no = register(conn, ctx, actor, &letter)?;
        let now = trunc(ctx.clock.now_utc());
        if task::mark_done(
            conn,
            t.id,
            now,
            ctx.clock.today(),
            actor.user_id.unwrap_or(t.clerk_id),
        )? == 0
        {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        Ok(no)
    })
}

/// R6: an event letter waived as not needed (视情况需要), with the reason.
pub fn waive_task(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    task_id: i32,
    reason: &str,
) -> SResult<()> {
    let reason = crate::domain::visit::check_len("reason", reason.trim(), 500)?;
    if reason.is_empty() {
        return Err(FieldError::new("reason", "required").into());
    }
    write_tx(conn, |conn| {
        let t = task::by_id(conn, task_id)?.ok_or(ServiceError::NotFound("task"))?;
        super::cover::may_work_on(conn, actor, t.store_id, t.clerk_id, ctx.clock.today())?;
        if t.kind != TaskKind::EventLetter {
            return Err(FieldError::new("task_id", "letter-not-waivable").into());
        }
        let now = trunc(ctx.clock.now_utc());
        if task::close(
            conn,
            t.id,
            CloseReason::Waived,
            now,
            ctx.clock.today(),
            actor.user_id,
        )? == 0
        {
            return Err(ServiceError::Conflict("task-not-open"));
        }
        task::set_note(conn, t.id, &reason)?;
        audit::record(
            conn,
            ctx,
            actor,
            "letter.waive",
            &format!("task {}", t.id),
            &reason,
            "ok",
        )?;
        Ok(())
    })
}

/// A reply letter to an item, sent: one register line linked to the item.
pub fn send_reply(
    conn: &mut DbConn,
    ctx: &Ctx,
    actor: &Actor,
    item_id: i32,
    lang: &str,
) -> SResult<String> {
    write_tx(conn, |conn| {
        let letter = for_item(conn, ctx, actor, item_id, lang)?;
        let no = register(conn, ctx, actor, &letter)?;
        let now = trunc(ctx.clock.now_utc());
        let by = user::by_id(conn, actor.user_id.unwrap_or(0))?.display_name;
        item_model::add_event(
            conn,
            item_id,
            "note",
            &no,
            &crate::models::item::Step {
                at: now,
                on: ctx.clock.today(),
                by_id: actor.user_id,
                by_name: &by,
            },
        )?;
        Ok(no)
    })
}
