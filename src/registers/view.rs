//! R11: what the register pages show beyond the export's cells — the store a printed form
//! names, and the details of one line that the register's columns leave out (a call's topics,
//! outcome and items raised, a letter's text, the call record behind a call-register line).

use crate::db::DbConn;
use crate::domain::register::Register;
use crate::i18n::I18N;
use crate::models::register_lines as lines;
use diesel::QueryResult;
use serde::Serialize;

/// The name a printed register carries: its store's, else the only store's, else none (lines
/// of several stores).
pub fn store_name(conn: &mut DbConn, store_id: Option<i32>) -> QueryResult<Option<String>> {
    let all = lines::stores_by_id(conn)?;
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

/// The details of line `id` of `register` (already known to exist and to be the reader's).
pub fn extra(conn: &mut DbConn, register: Register, id: i32, lang: &str) -> QueryResult<Extra> {
    let mut x = Extra::default();
    match register {
        Register::Archives => {}
        Register::CallRegister => {
            x.call_record_id = lines::record_of_register_line(conn, id)?;
        }
        Register::LetterRegister => {
            x.body = lines::letter_body(conn, id)?;
        }
        Register::CallRecords => {
            let Some(r) = lines::call_record(conn, id)? else {
                return Ok(x);
            };
            let fact = |k: &str, v: String| Fact {
                label: I18N.t(lang, k),
                value: v,
            };
            x.facts.push(fact(
                "field-outcome",
                I18N.coded(lang, "outcome", r.outcome.as_str()),
            ));
            let topics: Vec<String> = r
                .topics
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(|t| format!("{t} {}", I18N.coded(lang, "topic", t)))
                .collect();
            if !topics.is_empty() {
                x.facts.push(fact("field-topics", topics.join("；")));
            }
            if let Some(s) = r.satisfied {
                let v = if s { "yes" } else { "no" };
                x.facts
                    .push(fact("field-satisfied", I18N.coded(lang, "satisfied", v)));
            }
            if let Some(a) = &r.event_answer {
                x.facts.push(fact(
                    "field-event_answer",
                    I18N.coded(lang, "event-answer", a.as_str()),
                ));
            }
            let raised = lines::items_of_record(conn, id)?;
            x.items = raised
                .into_iter()
                .map(|i| RaisedItem {
                    kind: I18N.coded(lang, "item-kind", i.kind.as_str()),
                    text: i.text,
                    status: I18N.coded(lang, "item-status", i.status.as_str()),
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

/// How a register's cell may break across lines, on its page and on its paper form. Decided
/// once per column key here, so that no template guesses: numbers, plates, phones, dates and
/// codes never break (a plate cut in two is misread); names and short labels break only
/// between words; free text breaks anywhere only where a word is longer than its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wrap {
    /// The CSS class `nowrap` (the one the rest of the app uses for tokens).
    Nowrap,
    /// The CSS class `word`.
    Word,
    /// The CSS class `text`.
    Text,
}

impl Wrap {
    pub fn class(self) -> &'static str {
        match self {
            Wrap::Nowrap => "nowrap",
            Wrap::Word => "word",
            Wrap::Text => "text",
        }
    }
}

/// The wrap of a register column (`export::keys`).
pub fn wrap(key: &str) -> Wrap {
    match key {
        "archive_no"
        | "record_no"
        | "register_no"
        | "amends"
        | "phone"
        | "plate"
        | "visit_date"
        | "next_maintenance_date"
        | "due_date"
        | "archived_on"
        | "date"
        | "sent_on"
        | "called_at"
        | "direction"
        | "category"
        | "outcome"
        | "letter_kind" => Wrap::Nowrap,
        "customer_name"
        | "vehicle_model"
        | "vehicle_type"
        | "maintenance_interval"
        | "handled_by"
        | "archived_by"
        | "store"
        | "satisfaction" => Wrap::Word,
        _ => Wrap::Text,
    }
}

/// The columns a register's page shows at 1366 px when it cannot show them all (about 11);
/// the others are on each line's own page, which shows every column. `None`: the two ledgers,
/// short-celled, show every column. The paper form and the exports keep every column.
pub fn on_screen(register: Register) -> Option<&'static [&'static str]> {
    match register {
        Register::Archives => Some(&[
            "archive_no",
            "customer_name",
            "phone",
            "plate",
            "vehicle_model",
            "visit_date",
            "next_maintenance_date",
            "due_date",
            "archived_on",
            "archived_by",
            "store",
            "amends",
        ]),
        Register::CallRecords => Some(&[
            "record_no",
            "called_at",
            "category",
            "customer_name",
            "phone",
            "plate",
            "key_points",
            "handled_by",
            "satisfaction",
            "store",
            "amends",
        ]),
        Register::CallRegister | Register::LetterRegister => None,
    }
}

/// Issue 12: a letter-register line's subject and 关联 in the reader's language. Both are
/// stored as the sender wrote them (the hash chain covers them, and the CSV gives them as
/// stored); where they follow a shipped wording of another language — the default subject of
/// a letter kind, the "跟踪任务 #586：第一次跟踪服务" sentence — the page says them again in
/// `lang`. A shop's own wording, and names and texts inside them, stay as written.
pub fn letter_cells_in(lang: &str, cells: &mut [String]) {
    let keys = super::export::keys(Register::LetterRegister);
    let at = |k: &str| keys.iter().position(|c| *c == k);
    if let Some(i) = at("subject").filter(|i| *i < cells.len()) {
        if let Some(s) = subject_in(lang, &cells[i]) {
            cells[i] = s;
        }
    }
    if let Some(i) = at("related_to").filter(|i| *i < cells.len()) {
        if let Some(s) = related_in(lang, &cells[i]) {
            cells[i] = s;
        }
    }
}

const LETTER_KINDS: [&str; 4] = ["notice", "invitation", "reply", "unreachable"];

fn other_langs(lang: &str) -> impl Iterator<Item = &'static str> + '_ {
    crate::i18n::LANGS.into_iter().filter(move |l| *l != lang)
}

/// A shipped subject of another language, said in `lang` with the same merge values.
fn subject_in(lang: &str, stored: &str) -> Option<String> {
    use crate::domain::letter::{letter_date, merge, parse_letter_date, unmerge};
    for from in other_langs(lang) {
        for kind in LETTER_KINDS {
            let key = format!("letter-{kind}-subject");
            let Some(values) = unmerge(&I18N.t(from, &key), stored) else {
                continue;
            };
            let values: std::collections::HashMap<&str, String> = values
                .iter()
                .map(|(k, v)| {
                    let v = match parse_letter_date(v) {
                        Some(d) => letter_date(lang, d),
                        None => v.clone(),
                    };
                    (k.as_str(), v)
                })
                .collect();
            return Some(merge(&I18N.t(lang, &key), &values));
        }
    }
    None
}

/// A "what #id: text" sentence of another language (`letter-related`), said in `lang`; the
/// text is translated when it names a task kind, kept when it is an event's or item's own.
fn related_in(lang: &str, stored: &str) -> Option<String> {
    use crate::domain::letter::unmerge;
    use crate::domain::task::TaskKind;
    let whats = ["letter-related-event", "letter-related-task"]
        .into_iter()
        .map(String::from)
        .chain(
            ["request", "wish", "complaint"]
                .into_iter()
                .map(|k| format!("item-kind-{k}")),
        );
    for what in whats {
        for from in other_langs(lang) {
            let pattern = I18N.t_args(
                from,
                "letter-related",
                &[
                    ("what", I18N.t(from, &what)),
                    ("id", "{{id}}".into()),
                    ("text", "{{text}}".into()),
                ],
            );
            let Some(v) = unmerge(&pattern, stored) else {
                continue;
            };
            let text = TaskKind::ALL
                .iter()
                .map(|k| format!("kind-{}", k.as_str()))
                .find(|k| I18N.t(from, k) == v["text"])
                .map(|k| I18N.t(lang, &k))
                .unwrap_or_else(|| v["text"].clone());
            return Some(I18N.t_args(
                lang,
                "letter-related",
                &[
                    ("what", I18N.t(lang, &what)),
                    ("id", v["id"].clone()),
                    ("text", text),
                ],
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_shown_on_screen_is_a_column_of_its_register() {
        for r in Register::ALL {
            let keys = super::super::export::keys(r);
            for k in on_screen(r).unwrap_or_default() {
                assert!(keys.contains(k), "{k} of {}", r.key());
            }
        }
    }

    #[test]
    fn tokens_never_wrap_and_free_text_does() {
        assert_eq!(wrap("plate"), Wrap::Nowrap);
        assert_eq!(wrap("phone"), Wrap::Nowrap);
        assert_eq!(wrap("store"), Wrap::Word);
        assert_eq!(wrap("key_points"), Wrap::Text);
    }

    #[test]
    fn a_letter_line_is_said_again_in_the_readers_language() {
        assert_eq!(
            subject_in("en", "免费检测周通知").unwrap(),
            "Notice: 免费检测周"
        );
        assert_eq!(
            subject_in("en", "关于您2026年11月3日来店的回访").unwrap(),
            "About your visit of 3 November 2026"
        );
        assert_eq!(subject_in("zh-CN", "Our reply").unwrap(), "答复函");
        assert_eq!(
            related_in("en", "跟踪任务 #586：第一次跟踪服务").unwrap(),
            "Follow-up task #586: First follow-up"
        );
        assert_eq!(
            related_in("en", "投诉 #12：保养后发动机有异响").unwrap(),
            "Complaint #12: 保养后发动机有异响"
        );
        assert!(related_in("en", "task 586").is_none());
    }
}
