//! The lines of a register as cells: CONTRACT.md's columns in order, in the export's language
//! (coded values translated, phones whole or masked, times in the shop's zone), the trailing
//! store and amendment columns last. A spreadsheet's formula cells are neutralised by the CSV
//! sink (`neutralise`), not here: pages and JSON show the text as it is.

use super::arguments::{Filters, Query};
use crate::clock::Clock;
use crate::db::DbConn;
use crate::domain::item::ItemStatus;
use crate::domain::phone::Phone;
use crate::domain::plate;
use crate::domain::privacy::Phones;
use crate::domain::register::Register;
use crate::i18n::I18N;
use crate::models::register_lines::{self as lines, LineFilter, Window};

/// A batch of lines: `(id, cells)`.
pub(super) type Batch = Vec<(i32, Vec<String>)>;

/// A cell a spreadsheet would take for a formula gets a leading apostrophe.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// X6: a call's satisfaction as one cell: `4（接待服务 5，按时交车 4）`, or "declined" in the
/// register's language.
pub fn satisfaction_cell(lang: &str, score: Option<i32>, aspects: &str) -> String {
    let Some(score) = score else {
        return I18N.t(lang, "satisfaction-declined");
    };
    let parts: Vec<String> = aspects
        .split(',')
        .filter_map(|p| p.split_once('='))
        .map(|(k, v)| format!("{} {v}", coded(lang, "aspect", k)))
        .collect();
    match (parts.is_empty(), lang) {
        (true, _) => score.to_string(),
        (false, "en") => format!("{score} ({})", parts.join(", ")),
        (false, _) => format!("{score}（{}）", parts.join("，")),
    }
}

/// A coded value (`outcome` `reached` …) in the export's language. Translations are compiled
/// in and never change, so each is looked up once per thread: an export of a million lines
/// asks for the same dozen words three million times.
fn coded(lang: &str, family: &str, value: &str) -> String {
    type Code = (String, String, String, String);
    thread_local! {
        // (lang, family, value, text): a few dozen entries, scanned without allocating.
        static CODES: std::cell::RefCell<Vec<Code>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CODES.with(|c| {
        if let Some(x) = c
            .borrow()
            .iter()
            .find(|x| x.2 == value && x.1 == family && x.0 == lang)
        {
            return x.3.clone();
        }
        let v = I18N.coded(lang, family, value);
        c.borrow_mut()
            .push((lang.into(), family.into(), value.into(), v.clone()));
        v
    })
}

/// The lines of a register for `q` and `f` as a page shows them, in register-number order
/// (store, number), as `(id, cells)`: the cells are the export's, in the export's column order
/// (`keys`), not yet neutralised for a spreadsheet, except that 门店 is the store's name (the
/// export files keep its code, CONTRACT.md). `limit` lines from `offset`.
pub fn rows(
    conn: &mut DbConn,
    q: &Query,
    f: &Filters,
    tz: chrono_tz::Tz,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Vec<(i32, Vec<String>)>> {
    let cells = LineCells {
        q,
        clock: Clock::new(tz, None),
        stores: lines::store_names(conn)?,
    };
    cells.window(conn, &q.lines(f), Window::Page { limit, offset })
}

/// How many lines `rows` has for `q` and `f` in all.
pub fn count(conn: &mut DbConn, q: &Query, f: &Filters) -> anyhow::Result<i64> {
    Ok(lines::count(conn, q.register, &q.lines(f))?)
}

/// What turns a query's lines into cells: the query (language, phones), the shop's clock,
/// and the text each store's 门店 cell shows (its code in an export, its name on a page).
pub(super) struct LineCells<'a> {
    q: &'a Query,
    clock: Clock,
    stores: Vec<(i32, String)>,
}

impl<'a> LineCells<'a> {
    /// For an export: stores by code (CONTRACT.md).
    pub(super) fn for_export(
        conn: &mut DbConn,
        q: &'a Query,
        tz: chrono_tz::Tz,
    ) -> anyhow::Result<LineCells<'a>> {
        Ok(LineCells {
            q,
            clock: Clock::new(tz, None),
            stores: lines::store_codes(conn)?,
        })
    }

    /// One window of the register's lines as cells.
    pub(super) fn window(
        &self,
        conn: &mut DbConn,
        f: &LineFilter,
        w: Window,
    ) -> anyhow::Result<Batch> {
        Ok(match self.q.register {
            Register::Archives => self.archives(lines::archives(conn, f, w)?),
            Register::CallRecords => {
                let rows = lines::call_records(conn, f, w)?;
                let ids: Vec<i32> = rows.iter().map(|r| r.0.id).collect();
                let raised = lines::items_raised(conn, &ids)?;
                let scores = lines::satisfaction_of(conn, &ids)?;
                self.call_records(rows, &raised, &scores)
            }
            Register::CallRegister => self.call_register(lines::call_register(conn, f, w)?),
            Register::LetterRegister => self.letters(lines::letters(conn, f, w)?),
        })
    }

    fn phone(&self, stored: &str) -> String {
        let p = Phone::from_stored(stored);
        match self.q.phones {
            Phones::Full => p.to_string(),
            Phones::Masked => p.masked(),
        }
    }

    fn store(&self, id: i32) -> String {
        self.stores
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }

    fn archives(&self, rows: Vec<lines::Amended<crate::models::archive::Archive>>) -> Batch {
        let lang = self.q.lang;
        rows.into_iter()
            .map(|(a, amends, amend_reason)| {
                let interval = [
                    a.maintenance_interval_days
                        .map(|n| I18N.t_args(lang, "interval-days", &[("n", n.to_string())])),
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
                        self.phone(&a.phone),
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
                        self.store(a.store_id),
                        amends.unwrap_or_default(),
                        amend_reason.unwrap_or_default(),
                    ],
                )
            })
            .collect()
    }

    fn call_records(
        &self,
        rows: Vec<lines::Amended<crate::models::call::CallRecord>>,
        raised: &[lines::RaisedItem],
        scores: &std::collections::HashMap<i32, (Option<i32>, String)>,
    ) -> Batch {
        let (lang, clock) = (self.q.lang, self.clock);
        let sep = if lang == "en" { "; " } else { "；" };
        let colon = if lang == "en" { ": " } else { "：" };
        rows.into_iter()
            .map(|(r, amends, amend_reason)| {
                let mine: Vec<_> = raised.iter().filter(|i| i.call_record_id == r.id).collect();
                let items_raised = mine
                    .iter()
                    .map(|i| {
                        format!(
                            "{}{colon}{}",
                            coded(lang, "item-kind", i.kind.as_str()),
                            i.text
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(sep);
                let handling = mine
                    .iter()
                    .map(|i| match &i.answer {
                        Some(a) if i.status == ItemStatus::Answered => {
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
                        coded(lang, "direction", r.direction.as_str()),
                        coded(lang, "category", r.category.as_str()),
                        r.customer_name,
                        self.phone(&r.phone),
                        r.plate.as_deref().map(plate::display).unwrap_or_default(),
                        r.key_points,
                        items_raised,
                        handling,
                        r.handled_by,
                        scores
                            .get(&r.id)
                            .map(|(score, aspects)| satisfaction_cell(lang, *score, aspects))
                            .unwrap_or_default(),
                        self.store(r.store_id),
                        amends.unwrap_or_default(),
                        amend_reason.unwrap_or_default(),
                    ],
                )
            })
            .collect()
    }

    fn call_register(&self, rows: Vec<lines::CallRegisterCells>) -> Batch {
        let lang = self.q.lang;
        rows.into_iter()
            .map(|l| {
                (
                    l.0,
                    vec![
                        l.2,
                        l.3,
                        l.4,
                        self.phone(&l.5),
                        coded(lang, "direction", &l.6),
                        coded(lang, "category", &l.7),
                        coded(lang, "outcome", &l.8),
                        l.9,
                        l.10,
                        self.store(l.1),
                        l.11.unwrap_or_default(),
                        l.12.unwrap_or_default(),
                    ],
                )
            })
            .collect()
    }

    fn letters(&self, rows: Vec<lines::Amended<crate::models::letter::LetterLine>>) -> Batch {
        let lang = self.q.lang;
        rows.into_iter()
            .map(|(l, amends, amend_reason)| {
                (
                    l.id,
                    vec![
                        l.register_no,
                        l.sent_on.to_string(),
                        l.customer_name,
                        l.address,
                        coded(lang, "letter-kind", l.letter_kind.as_str()),
                        l.subject,
                        l.handled_by,
                        l.related_to,
                        self.store(l.store_id),
                        amends.unwrap_or_default(),
                        amend_reason.unwrap_or_default(),
                    ],
                )
            })
            .collect()
    }
}
