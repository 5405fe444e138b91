//! CONTRACT.md's columns of each register, their CSV headers and their labels in both
//! languages, and how a workbook types them.

use crate::domain::register::Register;
use crate::i18n::I18N;

/// Every register ends with these (CONTRACT.md).
const TRAILER: [&str; 3] = ["store", "amends", "amend_reason"];

/// The column keys of a register, CONTRACT.md's columns and the three trailing ones.
pub fn keys(register: Register) -> Vec<&'static str> {
    register
        .columns()
        .iter()
        .chain(TRAILER.iter())
        .copied()
        .collect()
}

/// The column headers of a register in `lang` (`col-<register>-<key>`).
pub fn headers(register: Register, lang: &str) -> Vec<String> {
    let prefix = format!("col-{}", register.key());
    keys(register)
        .iter()
        .map(|c| I18N.t(lang, &format!("{prefix}-{}", c.replace('_', "-"))))
        .collect()
}

/// The column labels of a register in `lang` (`column-<key>`), for the page, the paper form
/// and the workbook: words a reader understands in both languages. The CSV keeps `headers`,
/// whose English names are CONTRACT.md's identifiers that scripts read.
pub fn labels(register: Register, lang: &str) -> Vec<String> {
    keys(register)
        .iter()
        .map(|c| I18N.t(lang, &format!("column-{c}")))
        .collect()
}

/// How a workbook writes a register's column: dates as dates, everything else as text
/// (numbers, plates and phones included).
pub fn column_kind(key: &str) -> crate::registers::xlsx::Kind {
    use crate::registers::xlsx::Kind;
    match key {
        "visit_date"
        | "next_maintenance_date"
        | "due_date"
        | "archived_on"
        | "date"
        | "sent_on" => Kind::Date,
        "called_at" => Kind::DateTime,
        _ => Kind::Text,
    }
}
