//! R11: what the register pages show beyond the export's cells — the store a printed form
//! names, and the details of one line that the register's columns leave out (a call's topics,
//! outcome and items raised, a letter's text, the call record behind a call-register line).

use super::numbering::Register;
use crate::db::schema::{call_records, call_register, items, letter_register, stores};
use crate::db::DbConn;
use crate::i18n::I18N;
use diesel::prelude::*;
use serde::Serialize;

/// The name a printed register carries: its store's, else the only store's, else none (lines
/// of several stores).
pub fn store_name(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Option<String>> {
    let all: Vec<(i32, String)> = stores::table
        .select((stores::id, stores::name))
        .order(stores::id)
        .load(conn)?;
    Ok(match store_id {
        Some(s) => all.into_iter().find(|(id, _)| *id == s).map(|(_, n)| n),
        None if all.len() == 1 => all.into_iter().next().map(|(_, n)| n),
        None => None,
    })
}

/// One more labelled value of a line.
#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: String,
}

/// An item raised on a call, as the line's page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RaisedItem {
    pub kind: String,
    pub text: String,
    pub status: String,
    pub answer: Option<String>,
    pub solution: Option<String>,
    pub raised_on: String,
    pub closed_on: Option<String>,
}

/// What a line's page adds to the register's columns.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Extra {
    pub facts: Vec<Fact>,
    pub items: Vec<RaisedItem>,
    /// The call record of a call-register line (its id, for the link).
    pub call_record_id: Option<i32>,
    /// A letter's text.
    pub body: Option<String>,
}

fn coded(lang: &str, family: &str, value: &str) -> String {
    let key = format!("{family}-{value}");
    if I18N.has(lang, &key) {
        I18N.t(lang, &key)
    } else {
        value.to_string()
    }
}

/// The details of line `id` of `register` (already known to exist and to be the reader's).
pub fn extra(conn: &mut DbConn, register: Register, id: i32, lang: &str) -> QueryResult<Extra> {
    let mut x = Extra::default();
    match register {
        Register::Archives => {}
        Register::CallRegister => {
            x.call_record_id = call_register::table
                .find(id)
                .select(call_register::call_record_id)
                .first(conn)
                .optional()?;
        }
        Register::LetterRegister => {
            x.body = letter_register::table
                .find(id)
                .select(letter_register::body)
                .first(conn)
                .optional()?;
        }
        Register::CallRecords => {
            let Some(r) = call_records::table
                .find(id)
                .select(crate::models::call::CallRecord::as_select())
                .first(conn)
                .optional()?
            else {
                return Ok(x);
            };
            let fact = |k: &str, v: String| Fact {
                label: I18N.t(lang, k),
                value: v,
            };
            x.facts
                .push(fact("field-outcome", coded(lang, "outcome", &r.outcome)));
            let topics: Vec<String> = r
                .topics
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| format!("{t} {}", coded(lang, "topic", t)))
                .collect();
            if !topics.is_empty() {
                x.facts.push(fact("field-topics", topics.join("；")));
            }
            if let Some(s) = r.satisfied {
                let v = if s { "yes" } else { "no" };
                x.facts
                    .push(fact("field-satisfied", coded(lang, "satisfied", v)));
            }
            if let Some(a) = &r.event_answer {
                x.facts
                    .push(fact("field-event_answer", coded(lang, "event-answer", a)));
            }
            let raised: Vec<crate::models::call::Item> = items::table
                .filter(items::call_record_id.eq(id))
                .order(items::id)
                .select(crate::models::call::Item::as_select())
                .load(conn)?;
            x.items = raised
                .into_iter()
                .map(|i| RaisedItem {
                    kind: coded(lang, "item-kind", &i.kind),
                    text: i.text,
                    status: coded(lang, "item-status", &i.status),
                    answer: i.answer,
                    solution: i.solution,
                    raised_on: i.raised_on.to_string(),
                    closed_on: i.closed_on.map(|d| d.to_string()),
                })
                .collect();
        }
    }
    Ok(x)
}
