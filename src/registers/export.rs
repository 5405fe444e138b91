//! R11: the four registers as CSV — CONTRACT.md's columns and headers in the chosen language
//! (zh-CN default, en), coded values translated too, UTF-8 with a BOM so Excel shows Chinese,
//! and cells that a spreadsheet would run as a formula neutralised. Lines are read in keyset
//! batches by id, so memory does not grow with the range. The same writer serves
//! `aftercare export` and `GET /api/v1/registers/{register}`.

use super::numbering::Register;
use crate::db::schema::{archives, call_records, call_register, items, letter_register, stores};
use crate::db::DbConn;
use crate::domain::error::{FieldError, FieldErrors};
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::visit::parse_date;
use crate::i18n::I18N;
use chrono::NaiveDate;
use diesel::prelude::*;
use std::io::Write;

const BATCH: i64 = 1000;

impl Register {
    pub const ALL: [Register; 4] = [
        Register::Archives,
        Register::CallRecords,
        Register::CallRegister,
        Register::LetterRegister,
    ];

    pub fn parse(s: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.key() == s)
    }

    /// CONTRACT.md's column keys; the headers are their translations (`col-<register>-<key>`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Register::Archives => &[
                "archive_no",
                "customer_name",
                "address",
                "phone",
                "visit_date",
                "vehicle_model",
                "plate",
                "vehicle_type",
                "items",
                "maintenance_interval",
                "next_maintenance_date",
                "desired_services",
                "service_history",
                "due_date",
                "archived_on",
                "archived_by",
            ],
            Register::CallRecords => &[
                "record_no",
                "called_at",
                "direction",
                "category",
                "customer_name",
                "phone",
                "plate",
                "key_points",
                "items_raised",
                "handling",
                "handled_by",
            ],
            Register::CallRegister => &[
                "register_no",
                "date",
                "customer_name",
                "phone",
                "direction",
                "category",
                "outcome",
                "handled_by",
                "record_no",
            ],
            Register::LetterRegister => &[
                "register_no",
                "sent_on",
                "customer_name",
                "address",
                "letter_kind",
                "subject",
                "handled_by",
                "related_to",
            ],
        }
    }
}

/// Every register ends with these (CONTRACT.md).
const TRAILER: [&str; 3] = ["store", "amends", "amend_reason"];

/// What to export.
#[derive(Debug, Clone)]
pub struct Query {
    pub register: Register,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub store_id: Option<i32>,
    pub lang: &'static str,
}

/// Checks an export's arguments; every problem named.
pub fn parse_query(
    register: &str,
    from: Option<&str>,
    to: Option<&str>,
    lang: Option<&str>,
) -> Result<(Register, NaiveDate, NaiveDate, &'static str), FieldErrors> {
    let mut errs = FieldErrors::default();
    let r = errs.take(
        Register::parse(register)
            .ok_or_else(|| FieldError::new("register", "register-unknown").arg("value", register)),
    );
    let from = match from {
        Some(f) => errs.take(parse_date("from", f)),
        None => errs.take(Err(FieldError::new("from", "required"))),
    };
    let to = match to {
        Some(t) => errs.take(parse_date("to", t)),
        None => errs.take(Err(FieldError::new("to", "required"))),
    };
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errs.push(FieldError::new("from", "from-after-to"));
        }
    }
    let lang = match lang {
        None => Some(crate::i18n::DEFAULT_LANG),
        Some(l) => errs.take(
            crate::i18n::supported(Some(l))
                .ok_or_else(|| FieldError::new("lang", "lang-unknown").arg("value", l)),
        ),
    };
    errs.into_result(|| {
        (
            r.expect("checked"),
            from.expect("checked"),
            to.expect("checked"),
            lang.expect("checked"),
        )
    })
}

/// A cell a spreadsheet would take for a formula gets a leading apostrophe.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

fn coded(lang: &str, family: &str, value: &str) -> String {
    let key = format!("{family}-{value}");
    if I18N.has(lang, &key) {
        I18N.t(lang, &key)
    } else {
        value.to_string()
    }
}

/// Writes the register as CSV into `out`; returns the number of lines.
pub fn write(
    conn: &mut DbConn,
    q: &Query,
    tz: chrono_tz::Tz,
    out: &mut dyn Write,
) -> anyhow::Result<usize> {
    let lang = q.lang;
    out.write_all(b"\xEF\xBB\xBF")?;
    let mut w = csv::Writer::from_writer(out);
    let prefix = format!("col-{}", q.register.key());
    let header: Vec<String> = q
        .register
        .columns()
        .iter()
        .chain(TRAILER.iter())
        .map(|c| I18N.t(lang, &format!("{prefix}-{}", c.replace('_', "-"))))
        .collect();
    w.write_record(&header)?;
    let store_codes: Vec<(i32, String)> = stores::table
        .select((stores::id, stores::code))
        .load(conn)?;
    let store_code = |id: i32| {
        store_codes
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    };
    let clock = crate::clock::Clock::new(tz, None);
    let mut last_id = 0;
    let mut lines = 0;
    loop {
        let batch: Vec<(i32, Vec<String>)> = match q.register {
            Register::Archives => {
                let mut b = archives::table
                    .filter(archives::id.gt(last_id))
                    .filter(archives::archived_on.between(q.from, q.to))
                    .into_boxed();
                if let Some(s) = q.store_id {
                    b = b.filter(archives::store_id.eq(s));
                }
                let rows: Vec<crate::models::archive::Archive> = b
                    .order(archives::id)
                    .limit(BATCH)
                    .select(crate::models::archive::Archive::as_select())
                    .load(conn)?;
                rows.into_iter()
                    .map(|a| {
                        let interval = [
                            a.maintenance_interval_days.map(|n| {
                                I18N.t_args(lang, "interval-days", &[("n", n.to_string())])
                            }),
                            a.maintenance_interval_km
                                .map(|n| I18N.t_args(lang, "interval-km", &[("n", n.to_string())])),
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" / ");
                        (
                            a.id,
                            vec![
                                a.archive_no,
                                a.customer_name,
                                a.address.unwrap_or_default(),
                                Phone::from_stored(&a.phone).to_string(),
                                a.visit_date.to_string(),
                                a.vehicle_model.unwrap_or_default(),
                                a.plate.as_deref().map(plate::display).unwrap_or_default(),
                                a.vehicle_type.unwrap_or_default(),
                                a.items,
                                interval,
                                a.next_maintenance_date
                                    .map(|d| d.to_string())
                                    .unwrap_or_default(),
                                a.desired_services.unwrap_or_default(),
                                a.service_history,
                                a.due_date.to_string(),
                                a.archived_on.to_string(),
                                a.archived_by,
                                store_code(a.store_id),
                            ],
                        )
                    })
                    .collect()
            }
            Register::CallRecords => {
                let mut b = call_records::table
                    .filter(call_records::id.gt(last_id))
                    .filter(call_records::called_on.between(q.from, q.to))
                    .into_boxed();
                if let Some(s) = q.store_id {
                    b = b.filter(call_records::store_id.eq(s));
                }
                let rows: Vec<crate::models::call::CallRecord> = b
                    .order(call_records::id)
                    .limit(BATCH)
                    .select(crate::models::call::CallRecord::as_select())
                    .load(conn)?;
                let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
                // The items of the whole batch in one query, not one per line.
                let raised: Vec<(i32, String, String, String, Option<String>)> = items::table
                    .filter(items::call_record_id.eq_any(&ids))
                    .order(items::id)
                    .select((
                        items::call_record_id,
                        items::kind,
                        items::text,
                        items::status,
                        items::answer,
                    ))
                    .load(conn)?;
                let sep = if lang == "en" { "; " } else { "；" };
                let colon = if lang == "en" { ": " } else { "：" };
                rows.into_iter()
                    .map(|r| {
                        let mine: Vec<_> = raised.iter().filter(|i| i.0 == r.id).collect();
                        let items_raised = mine
                            .iter()
                            .map(|i| format!("{}{colon}{}", coded(lang, "item-kind", &i.1), i.2))
                            .collect::<Vec<_>>()
                            .join(sep);
                        let handling = mine
                            .iter()
                            .map(|i| match &i.4 {
                                Some(a) if i.3 == "answered" => {
                                    format!("{}{colon}{a}", coded(lang, "item-status", "answered"))
                                }
                                _ => coded(lang, "item-status", "open"),
                            })
                            .collect::<Vec<_>>()
                            .join(sep);
                        (
                            r.id,
                            vec![
                                r.record_no,
                                clock
                                    .with_offset(r.called_at)
                                    .format("%Y-%m-%d %H:%M")
                                    .to_string(),
                                coded(lang, "direction", &r.direction),
                                coded(lang, "category", &r.category),
                                r.customer_name,
                                Phone::from_stored(&r.phone).to_string(),
                                r.plate.as_deref().map(plate::display).unwrap_or_default(),
                                r.key_points,
                                items_raised,
                                handling,
                                r.handled_by,
                                store_code(r.store_id),
                            ],
                        )
                    })
                    .collect()
            }
            Register::CallRegister => {
                let mut b = call_register::table
                    .filter(call_register::id.gt(last_id))
                    .filter(call_register::called_on.between(q.from, q.to))
                    .into_boxed();
                if let Some(s) = q.store_id {
                    b = b.filter(call_register::store_id.eq(s));
                }
                let rows: Vec<crate::models::call::RegisterLine> = b
                    .order(call_register::id)
                    .limit(BATCH)
                    .select(crate::models::call::RegisterLine::as_select())
                    .load(conn)?;
                rows.into_iter()
                    .map(|l| {
                        (
                            l.id,
                            vec![
                                l.register_no,
                                l.called_on.to_string(),
                                l.customer_name,
                                Phone::from_stored(&l.phone).to_string(),
                                coded(lang, "direction", &l.direction),
                                coded(lang, "category", &l.category),
                                coded(lang, "outcome", &l.outcome),
                                l.handled_by,
                                l.record_no,
                                store_code(l.store_id),
                            ],
                        )
                    })
                    .collect()
            }
            Register::LetterRegister => {
                let mut b = letter_register::table
                    .filter(letter_register::id.gt(last_id))
                    .filter(letter_register::sent_on.between(q.from, q.to))
                    .into_boxed();
                if let Some(s) = q.store_id {
                    b = b.filter(letter_register::store_id.eq(s));
                }
                let rows: Vec<crate::models::letter::LetterLine> = b
                    .order(letter_register::id)
                    .limit(BATCH)
                    .select(crate::models::letter::LetterLine::as_select())
                    .load(conn)?;
                rows.into_iter()
                    .map(|l| {
                        (
                            l.id,
                            vec![
                                l.register_no,
                                l.sent_on.to_string(),
                                l.customer_name,
                                l.address,
                                coded(lang, "letter-kind", &l.letter_kind),
                                l.subject,
                                l.handled_by,
                                l.related_to,
                                store_code(l.store_id),
                            ],
                        )
                    })
                    .collect()
            }
        };
        if batch.is_empty() {
            break;
        }
        for (id, mut cells) in batch {
            last_id = id;
            // No amendments yet: the two amendment columns stay empty.
            cells.push(String::new());
            cells.push(String::new());
            w.write_record(cells.iter().map(|c| neutralise(c)))?;
            lines += 1;
        }
    }
    w.flush()?;
    Ok(lines)
}

/// The register as JSON: one object per line, keyed by CONTRACT.md's identifiers.
pub fn json(conn: &mut DbConn, q: &Query, tz: chrono_tz::Tz) -> anyhow::Result<serde_json::Value> {
    let mut buf = Vec::new();
    write(conn, q, tz, &mut buf)?;
    let keys: Vec<&str> = q
        .register
        .columns()
        .iter()
        .chain(TRAILER.iter())
        .copied()
        .collect();
    let body = buf.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&buf);
    let mut r = csv::Reader::from_reader(body);
    let mut lines = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        let obj: serde_json::Map<String, serde_json::Value> = keys
            .iter()
            .zip(rec.iter())
            .map(|(k, v)| {
                (
                    k.to_string(),
                    serde_json::Value::String(
                        v.strip_prefix('\'')
                            .filter(|_| v.len() > 1 && "=+-@".contains(&v[1..2]))
                            .unwrap_or(v)
                            .to_string(),
                    ),
                )
            })
            .collect();
        lines.push(serde_json::Value::Object(obj));
    }
    Ok(
        serde_json::json!({"register": q.register.key(), "from": q.from, "to": q.to, "lines": lines}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r11_formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("+86 138"), "'+86 138");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("王伟"), "王伟");
    }

    #[test]
    fn r11_export_arguments_are_checked() {
        assert!(parse_query(
            "call-register",
            Some("2026-11-01"),
            Some("2026-11-30"),
            None
        )
        .is_ok());
        let e =
            parse_query("calls", Some("2026-12-01"), Some("2026-11-01"), Some("fr")).unwrap_err();
        let codes: Vec<_> = e.0.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            vec!["register-unknown", "from-after-to", "lang-unknown"]
        );
    }
}
