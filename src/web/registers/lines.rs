//! The view structs of a register's page and paper form: its lines as cells in the
//! register's column order (all columns on paper, the screen columns on a page), their
//! headers, and a letter's cells in the reader's language.

use crate::domain::register::Register;
use crate::registers::export;
use crate::registers::view;
use serde::Serialize;
use std::collections::HashMap;

/// A user who may appear as 经办人 in the filter.
#[derive(Serialize)]
pub(super) struct Clerk {
    pub(super) id: i32,
    pub(super) name: String,
}

/// A line of a register: its id and the cells it shows, in the register's column order.
#[derive(Serialize)]
pub(super) struct Line {
    id: i32,
    cells: Vec<Cell>,
    /// Every cell by column key (for the archive sheets).
    by_key: HashMap<&'static str, String>,
}

/// A cell and how it may wrap (`view::wrap`: `nowrap`, `word` or `text`).
#[derive(Serialize)]
struct Cell {
    value: String,
    class: &'static str,
}

/// Where the shown columns are in the export's cells: all of them on paper, the register's
/// screen columns on its page (`view::on_screen`).
fn shown(register: Register, screen: bool) -> Vec<usize> {
    let keys = export::keys(register);
    match view::on_screen(register).filter(|_| screen) {
        Some(wanted) => (0..keys.len())
            .filter(|i| wanted.contains(&keys[*i]))
            .collect(),
        None => (0..keys.len()).collect(),
    }
}

/// The headers of the shown columns.
pub(super) fn headers(register: Register, lang: &str, screen: bool) -> Vec<String> {
    let all = export::labels(register, lang);
    shown(register, screen)
        .into_iter()
        .map(|i| all[i].clone())
        .collect()
}

pub(super) fn lines(
    register: Register,
    rows: Vec<(i32, Vec<String>)>,
    lang: &str,
    screen: bool,
) -> Vec<Line> {
    let keys = export::keys(register);
    let at = shown(register, screen);
    rows.into_iter()
        .map(|(id, cells)| (id, in_lang(register, cells, lang)))
        .map(|(id, cells)| Line {
            id,
            cells: at
                .iter()
                .map(|&i| Cell {
                    value: cells[i].clone(),
                    class: view::wrap(keys[i]).class(),
                })
                .collect(),
            by_key: keys.iter().copied().zip(cells).collect(),
        })
        .collect()
}

/// A line's cells as the reader reads them: a letter's subject and 关联 in their language.
pub(super) fn in_lang(register: Register, mut cells: Vec<String>, lang: &str) -> Vec<String> {
    if register == Register::LetterRegister {
        view::letter_cells_in(lang, &mut cells);
    }
    cells
}
